import { IConstruct } from 'constructs';
import { CapacityKind } from './capacity';
import { ValidationError, Warnings } from './errors';
import { PricingModel } from './pricing';
import { SizingResult } from './sizing';
import { Validate } from './validation';

// Rules every cloud's GPU node pools share (issue 11 §2: one implementation in core).

/**
 * Node label naming the node group or node pool a node belongs to, the same key on every cloud:
 * the EKS node group's construct id, the Karpenter NodePool's name, or the GKE node pool's name
 * (`system` for the clusters' system pools).
 */
export const NODE_POOL_LABEL = 'cdktf-ai-infra/node-pool';

/** Node label naming a pool's role ({@link PoolRole}), the same key on every cloud. */
export const POOL_ROLE_LABEL = 'cdktf-ai-infra/pool-role';

/** What a node pool is for: the value of {@link POOL_ROLE_LABEL}. */
export type PoolRole = 'system' | 'training' | 'inference';

/**
 * The pool labels the library puts on every node of a pool, on every cloud:
 * {@link NODE_POOL_LABEL} and, when the pool has one, {@link POOL_ROLE_LABEL}.
 * @param what how the user set the pool name, for the error (`construct id`, `'name'`)
 * @throws ValidationError when the name is not a Kubernetes label value (1-63 characters of
 * `[A-Za-z0-9._-]`, alphanumeric at both ends), which the cloud's API would refuse as a node label
 */
export function poolNodeLabels(
  scope: IConstruct,
  what: string,
  pool: string,
  role: PoolRole | undefined,
): Record<string, string> {
  if (!/^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/.test(pool)) {
    throw new ValidationError(
      `${what} '${pool}' names the pool in the node label ${NODE_POOL_LABEL}, so it must be a Kubernetes label value: ` +
        `1-63 characters of letters, digits, '.', '_' and '-', beginning and ending with a letter or digit. ` +
        `Rename it (for example '${
          pool
            .replace(/[^A-Za-z0-9._-]/g, '-')
            .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '')
            .slice(0, 63) || 'gpu'
        }').`,
      scope,
    );
  }
  return { [NODE_POOL_LABEL]: pool, ...(role !== undefined ? { [POOL_ROLE_LABEL]: role } : {}) };
}

/**
 * How a capacity kind is priced in the cost estimate, the same on every cloud: spot at the
 * assumed spot fraction; reservations and Capacity Blocks as `RESERVED` (paid whether used or
 * not); on-demand, flex-start and queued provisioning at the on-demand price.
 */
export function pricingModelOf(kind: CapacityKind): PricingModel {
  switch (kind) {
    case CapacityKind.SPOT:
      return PricingModel.SPOT;
    case CapacityKind.RESERVATION:
    case CapacityKind.CAPACITY_BLOCK:
      return PricingModel.RESERVED;
    default:
      return PricingModel.ON_DEMAND;
  }
}

/**
 * Raises the advisory findings of a sizing (PCIe tensor parallelism, slow kernels) as warnings
 * with the finding's id, the same ids on AWS node groups and GKE node pools.
 */
export function raiseSizingFindings(scope: IConstruct, sizing: SizingResult | undefined): void {
  for (const f of sizing?.findings ?? []) {
    Warnings.add(scope, f.id, f.message);
  }
}

/**
 * A node pool's Kubernetes labels, one rule for every cloud: the user's labels are validated
 * (Kubernetes syntax, and no `kubernetes.io` / `k8s.io` key outside `node.kubernetes.io/` and
 * `kubelet.kubernetes.io/`, which the NodeRestriction admission plugin forbids the kubelet to set
 * on its own node) and may not redefine a label the library sets (an error, not a silent winner).
 * @param prop the prop as the user wrote it (`labels`)
 * @param library the labels the library sets (accelerator, pool, GPU presence)
 * @param user the user's labels
 * @see https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#noderestriction
 */
export function mergeNodeLabels(
  scope: IConstruct,
  prop: string,
  library: Readonly<Record<string, string>>,
  user: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const given = Validate.k8sLabels(scope, prop, user ?? {});
  for (const k of Object.keys(given)) {
    const prefix = k.includes('/') ? k.split('/')[0] : '';
    if (/(^|\.)(kubernetes\.io|k8s\.io)$/.test(prefix) && !/^(node|kubelet)\.kubernetes\.io$/.test(prefix)) {
      throw new ValidationError(
        `'${prop}' key '${k}' is in the ${prefix} namespace, which the kubelet may not set on its own node (NodeRestriction): ` +
          `use your own prefix, or node.kubernetes.io/ / kubelet.kubernetes.io/.`,
        scope,
      );
    }
    if (k in library) {
      throw new ValidationError(
        `'${prop}' sets '${k}', a label the library sets to '${library[k]}' (workloads select on it): remove it from '${prop}'.`,
        scope,
        'duplicate',
      );
    }
  }
  return { ...given, ...library };
}
