import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { Validate, ValidationError } from '../core';
import { toYaml } from '../core/private/yaml';
import { IAutoscaledNodeGroup } from './interfaces';

/** Name cluster-autoscaler's priority expander reads its ConfigMap from. */
export const PRIORITY_EXPANDER_CONFIGMAP_NAME = 'cluster-autoscaler-priority-expander';

/** Metadata of the priority-expander ConfigMap. */
export interface PriorityExpanderMetadata {
  /** `cluster-autoscaler-priority-expander`. */
  readonly name: string;
  /** Namespace of cluster-autoscaler. */
  readonly namespace: string;
}

/**
 * The priority-expander ConfigMap in the shape of the Kubernetes provider's `ConfigMapV1` config
 * (`new ConfigMapV1(workloads, 'PriorityExpander', config)`).
 */
export interface PriorityExpanderConfigMap {
  /** Name and namespace. */
  readonly metadata: PriorityExpanderMetadata;
  /** `priorities`: YAML map of priority to anchored Auto Scaling group name patterns. */
  readonly data: Record<string, string>;
}

/** Options of {@link priorityExpanderConfigMap}. */
export interface PriorityExpanderOptions {
  /**
   * Namespace cluster-autoscaler runs in (the ConfigMap must be in the same one).
   * @default 'kube-system'
   */
  readonly namespace?: string;
}

/**
 * Spot with fallback across shapes that cannot share one node group (another GPU, GPU count or
 * NIC layout): one node group per shape, and this ConfigMap for cluster-autoscaler's priority
 * expander, which scales the first tier's groups first and a later tier's only when no group of
 * an earlier tier can (for example spot capacity is exhausted and the group backs off after
 * `--max-node-provision-time`). Tier `i` of `n` gets priority `(n - i) * 10` (the highest value
 * wins); each group is matched by the exact name of its Auto Scaling group, as the expander
 * matches scaling-group names, not EKS node group names (a name known at synth has its regular
 * expression metacharacters escaped). The priorities are plain integer keys, as the expander
 * decodes them (`map[int][]string`). Run cluster-autoscaler with
 * `--expander=priority` (or `priority,least-waste`).
 *
 * Shapes that do fit one group (same GPU and count, same EFA layout) need none of this: a spot
 * group already lists them all as its `instanceTypes`.
 *
 * @see https://github.com/kubernetes/autoscaler/blob/01653c9c34c690d2e88bb582117a7a7618edffc8/cluster-autoscaler/expander/priority/readme.md
 * @example
 * const l40s = cluster.addInferenceNodeGroup('L40SSpot', { accelerator: Accelerator.L40S, maxNodes: 8, capacity: Capacity.spot() });
 * const l4 = cluster.addInferenceNodeGroup('L4Spot', { accelerator: Accelerator.L4, maxNodes: 16, capacity: Capacity.spot() });
 * const onDemand = cluster.addInferenceNodeGroup('L40S', { accelerator: Accelerator.L40S, maxNodes: 4 });
 * new ConfigMapV1(workloads, 'PriorityExpander', priorityExpanderConfigMap(stack, [[l40s], [l4], [onDemand]]));
 */
export function priorityExpanderConfigMap(
  scope: IConstruct,
  tiers: ReadonlyArray<ReadonlyArray<IAutoscaledNodeGroup>>,
  options: PriorityExpanderOptions = {},
): PriorityExpanderConfigMap {
  const list = Validate.array<ReadonlyArray<IAutoscaledNodeGroup>>(scope, 'tiers', tiers);
  if (list.length === 0) {
    throw new ValidationError(
      `'tiers' is empty: give the node groups to prefer first, then their fallbacks.`,
      scope,
    );
  }
  const seen = new Map<string, number>();
  const priorities: Array<[number, string[]]> = [];
  list.forEach((tier, i) => {
    const groups = Validate.array<IAutoscaledNodeGroup>(scope, `tiers[${i}]`, tier);
    if (groups.length === 0) {
      throw new ValidationError(`'tiers[${i}]' is empty: each tier names at least one node group.`, scope);
    }
    const patterns = groups.map((g, j) => {
      Validate.object(scope, `tiers[${i}][${j}]`, g);
      Validate.string(scope, `tiers[${i}][${j}].autoScalingGroupName`, g.autoScalingGroupName);
      const path = g.node.path;
      if (seen.has(path)) {
        throw new ValidationError(
          `'tiers' lists node group ${path} in tier ${seen.get(path)} and tier ${i}: a group has one priority.`,
          scope,
          'duplicate',
        );
      }
      seen.set(path, i);
      // EKS names Auto Scaling groups eks-<node group>-<uuid> (a reference, resolved at apply):
      // letters, digits and '-'. A name known at synth is escaped as Go's regexp.QuoteMeta does,
      // so it matches itself only and always compiles.
      const name = Token.isUnresolved(g.autoScalingGroupName)
        ? g.autoScalingGroupName
        : g.autoScalingGroupName.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
      return `^${name}$`;
    });
    priorities.push([(list.length - i) * 10, patterns]);
  });
  const namespace = options.namespace ?? 'kube-system';
  Validate.k8sDnsLabel(scope, 'namespace', namespace, { what: 'a namespace' });
  // Plain integer keys: cluster-autoscaler decodes the text into map[int][]string with
  // gopkg.in/yaml.v2, which reads a quoted key ("10", what a YAML writer makes of a JS object's
  // string key) as a string and rejects the whole configuration (expander/priority/priority.go,
  // parsePrioritiesYAMLString). Lowest priority first; the patterns are a YAML list each.
  const text = priorities
    .sort(([a], [b]) => a - b)
    .map(([priority, patterns]) => `${priority}:\n${indent(toYaml(patterns))}`)
    .join('');
  return {
    metadata: { name: PRIORITY_EXPANDER_CONFIGMAP_NAME, namespace },
    data: { priorities: text },
  };
}

/** Indents every line of a YAML text ending in a newline by two spaces (a nested block). */
function indent(yaml: string): string {
  return yaml.replace(/^(?=.)/gm, '  ');
}
