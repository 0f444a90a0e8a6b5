import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { NVIDIA_GPU_RESOURCE, NodeTaint, Validate, ValidationError, validateNodeTaints } from '../core';
import { IGpuPlatform } from './interfaces';
import {
  MANAGED_BY,
  assertCrdInOtherStack,
  assertDnsLabel,
  assertNodeLabels,
  dependOnStackOf,
  nameFromId,
} from './private/common';

/** Kueue API version used for ResourceFlavor, ClusterQueue and LocalQueue (reference §3.1). */
export const KUEUE_API_VERSION = 'kueue.x-k8s.io/v1beta2';

/** Most flavors, and most covered resources, in one Kueue resource group (v1beta2 CRD). */
const KUEUE_MAX_FLAVORS = 64;
/** Most `nodeLabels` / `nodeTaints` of one Kueue ResourceFlavor (v1beta2 CRD). */
const KUEUE_MAX_FLAVOR_ENTRIES = 8;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function isDnsSubdomain(value: string): boolean {
  return value.length <= 253 && DNS_SUBDOMAIN.test(value);
}

/** Most levels of one Kueue Topology (v1beta2 CRD `spec.levels` maxItems). */
const KUEUE_MAX_TOPOLOGY_LEVELS = 16;
/** The node label Kueue may use only as the lowest topology level (Topology CRD CEL rule). */
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/**
 * The levels of a data center's network hierarchy, broadest first, as node labels: Kueue's
 * topology-aware scheduling (TAS) places a job's pods inside one domain of a level. A level
 * whose label a node lacks keeps that node out of TAS, so list only labels every node of the
 * queue's flavors carries.
 *
 * @see https://kueue.sigs.k8s.io/docs/concepts/topology_aware_scheduling/
 */
export class TrainingTopology {
  /**
   * EKS network topology labels: `topology.k8s.aws/network-node-layer-1` (broadest) to `-3`
   * (most selective on most instance types), then the node. EKS sets them on instance types
   * that the EC2 instance topology API covers (p4d, p5, p6, trn1/2 among them).
   * @param options.layer4 add `network-node-layer-4`, present only on instance types whose
   *   topology has four layers (a node without it is left out of TAS)
   * @see https://docs.aws.amazon.com/eks/latest/userguide/ml-workload-topology.html
   */
  public static eks(options: { readonly layer4?: boolean } = {}): TrainingTopology {
    const layers = options.layer4 ? [1, 2, 3, 4] : [1, 2, 3];
    return new TrainingTopology([
      ...layers.map((n) => `topology.k8s.aws/network-node-layer-${n}`),
      HOSTNAME_LABEL,
    ]);
  }

  /**
   * GKE compact-placement labels: `cloud.google.com/gce-topology-block`, `-subblock`, `-host`,
   * then the node. GKE sets them on nodes of reservations with compact placement (A3 Ultra, A4,
   * A4X and later).
   * @see https://cloud.google.com/ai-hypercomputer/docs/workloads/schedule-gke-workloads-tas
   */
  public static gke(): TrainingTopology {
    return new TrainingTopology([
      'cloud.google.com/gce-topology-block',
      'cloud.google.com/gce-topology-subblock',
      'cloud.google.com/gce-topology-host',
      HOSTNAME_LABEL,
    ]);
  }

  /**
   * Levels given as node labels, broadest first (on-prem: for example `example.com/block`,
   * `example.com/rack`, then `kubernetes.io/hostname`). Checked when a TrainingQueues uses them.
   */
  public static custom(levels: string[]): TrainingTopology {
    // Copied when an array; anything else is refused by validate() with the prop's name.
    return new TrainingTopology(Array.isArray(levels) ? [...levels] : levels);
  }

  private constructor(
    /** The node labels of the levels, broadest first. */
    public readonly levels: readonly string[],
  ) {}

  /** Throws a ValidationError unless the levels are what the Kueue Topology CRD accepts. */
  public validate(scope: Construct, prop: string): void {
    const levels = Validate.array<string>(scope, prop, this.levels as string[]);
    if (levels.length === 0 || levels.length > KUEUE_MAX_TOPOLOGY_LEVELS) {
      throw new ValidationError(
        `'${prop}' has ${levels.length} levels; a Kueue Topology takes 1 to ${KUEUE_MAX_TOPOLOGY_LEVELS}, broadest first.`,
        scope,
        'number-range',
      );
    }
    levels.forEach((l, i) => Validate.k8sLabelKey(scope, `${prop}[${i}]`, l));
    Validate.unique(scope, prop, levels);
    const host = levels.indexOf(HOSTNAME_LABEL);
    if (host !== -1 && host !== levels.length - 1) {
      throw new ValidationError(
        `'${prop}' lists '${HOSTNAME_LABEL}' at level ${host + 1} of ${levels.length}: Kueue allows it only as the lowest (last) level.`,
        scope,
      );
    }
  }
}

/** One kind of GPU capacity (a Kueue ResourceFlavor) and its quota in the cluster queue. */
export interface GpuFlavor {
  /** ResourceFlavor name, for example `h100-spot`. */
  readonly name: string;
  /** Node labels that identify this capacity (at most 8); Kueue adds them as a node selector to admitted pods. */
  readonly nodeLabels: Record<string, string>;
  /**
   * Taints these nodes carry (at most 8, for example `spot=true:NoSchedule`); Kueue adds matching
   * tolerations to admitted pods. The `nvidia.com/gpu` taint need not be listed.
   * @default - none
   */
  readonly nodeTaints?: NodeTaint[];
  /** GPU quota (`nvidia.com/gpu` nominal quota). */
  readonly gpus: number;
  /** CPU quota, cores. */
  readonly cpus: number;
  /** Memory quota, GiB. */
  readonly memoryGiB: number;
  /**
   * Quotas of other resources the jobs request (EFA interfaces, huge pages, RDMA devices),
   * for example `{ 'rdma/ib': 32 }`. Kueue leaves a job requesting an uncovered resource
   * unadmitted, so list here everything TrainingJob.extraResourcesPerNode requests.
   * @default - none
   */
  readonly extraResources?: Record<string, number | string>;
}

/** Controller name of Kueue's MultiKueue admission check (kueue v0.19.2 `MultiKueueControllerName`). */
export const MULTIKUEUE_CONTROLLER_NAME = 'kueue.x-k8s.io/multikueue';

/** Most worker clusters of one MultiKueueConfig (v1beta2 CRD `spec.clusters` maxItems). */
const MULTIKUEUE_MAX_CLUSTERS = 20;

/** A worker cluster MultiKueue dispatches this queue's jobs to. */
export interface MultiKueueWorker {
  /** Name of the `MultiKueueCluster` object (cluster-scoped; a DNS subdomain). */
  readonly name: string;
  /**
   * Secret in Kueue's namespace (`kueue-system`) holding the worker's kubeconfig under the key
   * `kubeconfig`. Kueue 0.19 refuses a kubeconfig with an exec plugin (`aws eks get-token`,
   * `gke-gcloud-auth-plugin`), a token file or skipped TLS verification: use a service-account
   * token of the worker cluster and its CA.
   */
  readonly kubeconfigSecretName: string;
}

/**
 * MultiKueue: this (manager) cluster admits jobs into the queue and dispatches each to one of the
 * worker clusters, which run it. Every worker runs the same queues (the same `TrainingQueues`,
 * name and namespaces) and the job's CRDs (JobSet); the manager needs the CRDs only.
 * @see https://kueue.sigs.k8s.io/docs/concepts/multikueue/
 */
export interface MultiKueueOptions {
  /** The worker clusters, most preferred first (the incremental dispatcher follows this order); 1 to 20. */
  readonly workers: MultiKueueWorker[];
}

/** Properties of {@link TrainingQueues}. */
export interface TrainingQueuesProps {
  /** Flavors in order of preference (at most 64): Kueue tries the first with free quota (put spot first). */
  readonly flavors: GpuFlavor[];
  /** Namespaces that get a LocalQueue pointing at the cluster queue. */
  readonly namespaces: string[];
  /**
   * ClusterQueue name, also the LocalQueues' name (the `queueName` jobs use).
   * @default - the construct id in kebab case
   */
  readonly name?: string;
  /**
   * Cohort to borrow unused quota from and lend to.
   * @default - no cohort
   */
  readonly cohort?: string;
  /**
   * Let higher-priority workloads preempt lower-priority ones in this queue.
   * @default true
   */
  readonly preemptLowerPriority?: boolean;
  /**
   * Topology-aware scheduling: a Kueue `Topology` (named like the queue) with these levels,
   * referenced by every flavor (`topologyName`), so TrainingJobs can ask for their pods in one
   * network domain (TrainingJob `topology`). Kueue counts only nodes that exist and are ready:
   * flavors whose nodes scale from zero admit no TAS job until the nodes are there.
   * @default - no topology
   */
  readonly topology?: TrainingTopology;
  /**
   * The GPU platform; checked for Kueue and used to order the stacks.
   * @default - not checked
   */
  readonly platform?: IGpuPlatform;
  /**
   * Dispatch the queue's jobs to worker clusters with MultiKueue: a `MultiKueueCluster` per
   * worker, a `MultiKueueConfig` and an `AdmissionCheck`, referenced by the ClusterQueue.
   * @default - jobs run in this cluster
   */
  readonly multiKueue?: MultiKueueOptions;
}

/**
 * Kueue queues for GPU capacity: a ResourceFlavor per kind of capacity (spot and on-demand,
 * with their node labels and taints), one ClusterQueue with GPU, CPU and memory quotas per
 * flavor, and a LocalQueue in each namespace. Jobs join with the
 * `kueue.x-k8s.io/queue-name: <name>` label (TrainingJob `queueName`).
 *
 * @see https://kueue.sigs.k8s.io/docs/concepts/cluster_queue/
 * @example
 * new TrainingQueues(workloads, 'Training', {
 *   namespaces: ['research'],
 *   flavors: [
 *     { name: 'h100-spot', nodeLabels: { 'capacity-type': 'spot' }, gpus: 32, cpus: 768, memoryGiB: 8192 },
 *     { name: 'h100-on-demand', nodeLabels: { 'capacity-type': 'on-demand' }, gpus: 16, cpus: 384, memoryGiB: 4096 },
 *   ],
 * });
 */
export class TrainingQueues extends Construct {
  /** The ClusterQueue. */
  public readonly resource: Manifest;
  /** ClusterQueue and LocalQueue name. */
  public readonly queueName: string;
  /** ResourceFlavors by name. */
  public readonly flavors: Record<string, Manifest> = {};
  /** LocalQueues by namespace. */
  public readonly localQueues: Record<string, Manifest> = {};
  /** The Kueue Topology, when `topology` is given. */
  public readonly topology?: Manifest;
  /** The topology levels (node labels, broadest first), when `topology` is given. */
  public readonly topologyLevels?: readonly string[];
  /** The MultiKueue admission check, when `multiKueue` is given. */
  public readonly admissionCheck?: Manifest;
  /** The MultiKueueCluster objects by worker name, when `multiKueue` is given. */
  public readonly multiKueueClusters: Record<string, Manifest> = {};

  constructor(scope: Construct, id: string, props: TrainingQueuesProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    Validate.array(this, 'flavors', props.flavors);
    Validate.array<string>(this, 'namespaces', props.namespaces);
    // One LocalQueue per namespace, its construct id derived from the namespace.
    Validate.unique(this, 'namespaces', props.namespaces);
    if (props.cohort !== undefined) Validate.string(this, 'cohort', props.cohort);
    if (props.preemptLowerPriority !== undefined)
      Validate.boolean(this, 'preemptLowerPriority', props.preemptLowerPriority);
    this.queueName = props.name ?? nameFromId(id);
    assertDnsLabel(this, 'name', this.queueName);
    if (props.flavors.length === 0) {
      throw new ValidationError(
        `'flavors' is empty: give at least one GPU flavor (for example spot and on-demand).`,
        this,
      );
    }
    if (props.flavors.length > KUEUE_MAX_FLAVORS) {
      throw new ValidationError(
        `'flavors' has ${props.flavors.length} entries; Kueue allows at most ${KUEUE_MAX_FLAVORS} per resource group: ` +
          `merge capacity types or split them over several TrainingQueues.`,
        this,
      );
    }
    if (props.cohort !== undefined && !Token.isUnresolved(props.cohort) && !isDnsSubdomain(props.cohort)) {
      throw new ValidationError(
        `'cohort' ('${props.cohort}') must be a DNS subdomain: at most 253 lower-case letters, digits, '-' or '.', ` +
          `starting and ending with a letter or digit, for example 'ml-platform'.`,
        this,
      );
    }
    if (props.namespaces.length === 0) {
      throw new ValidationError(
        `'namespaces' is empty: give the namespaces whose jobs use this queue.`,
        this,
      );
    }
    if (props.platform) {
      dependOnStackOf(this, props.platform);
      if (!props.platform.kueueInstalled) {
        throw new ValidationError(
          `TrainingQueues needs Kueue, but the GpuPlatform '${props.platform.node.path}' has kueue disabled.`,
          this,
        );
      }
    }
    assertCrdInOtherStack(this, 'kueue.x-k8s.io', 'Kueue queue');
    const seen = new Set<string>();
    for (const [i, f] of props.flavors.entries()) {
      Validate.object(this, `flavors[${i}]`, f);
      assertDnsLabel(this, 'flavors[].name', f.name, 253);
      if (f.nodeTaints !== undefined) validateNodeTaints(this, `flavors[${i}].nodeTaints`, f.nodeTaints);
      for (const [k, v] of Object.entries(
        Validate.stringMap(this, `flavors[${i}].nodeLabels`, f.nodeLabels),
      )) {
        Validate.k8sLabelValue(this, `flavors[${i}].nodeLabels['${k}']`, v);
      }
      if (f.extraResources !== undefined) {
        Validate.object(this, `flavors[${i}].extraResources`, f.extraResources);
        for (const [k, q] of Object.entries(f.extraResources)) {
          // A resource name is a qualified name (vpc.amazonaws.com/efa); its quota a quantity.
          Validate.k8sLabelKey(this, `flavors[${i}].extraResources`, k);
          Validate.k8sQuantity(this, `flavors[${i}].extraResources['${k}']`, q);
        }
      }
      if (seen.has(f.name)) {
        throw new ValidationError(`'flavors' lists '${f.name}' twice: flavor names must be unique.`, this);
      }
      seen.add(f.name);
      for (const [k, v] of [
        ['gpus', f.gpus],
        ['cpus', f.cpus],
        ['memoryGiB', f.memoryGiB],
      ] as const) {
        if (!(typeof v === 'number' && v >= 0 && Number.isFinite(v))) {
          throw new ValidationError(
            `'flavors' '${f.name}': '${k}' (${v}) must be a number >= 0.`,
            this,
            'number-range',
          );
        }
        // Written as a Kueue nominalQuota: bounded so it never takes an exponent form.
        Validate.number(this, `flavors[${i}].${k}`, v, { min: 0, max: 1e9 });
      }
      if (Object.keys(f.nodeLabels).length === 0) {
        throw new ValidationError(
          `'flavors' '${f.name}': 'nodeLabels' is empty: without labels Kueue cannot steer pods to this capacity.`,
          this,
        );
      }
      assertNodeLabels(this, `'flavors' '${f.name}' 'nodeLabels'`, f.nodeLabels);
      for (const [k, n] of [
        ['nodeLabels', Object.keys(f.nodeLabels).length],
        ['nodeTaints', (f.nodeTaints ?? []).length],
      ] as const) {
        if (n > KUEUE_MAX_FLAVOR_ENTRIES) {
          throw new ValidationError(
            `'flavors' '${f.name}': '${k}' has ${n} entries; Kueue allows at most ${KUEUE_MAX_FLAVOR_ENTRIES}: ` +
              `keep the ones that tell this capacity apart.`,
            this,
          );
        }
      }
    }
    const extraKeys = [...new Set(props.flavors.flatMap((f) => Object.keys(f.extraResources ?? {})))].sort();
    for (const k of extraKeys) {
      if (k === NVIDIA_GPU_RESOURCE || k === 'cpu' || k === 'memory') {
        throw new ValidationError(`'extraResources' must not set '${k}': use gpus, cpus or memoryGiB.`, this);
      }
    }
    const covered = 3 + extraKeys.length;
    if (covered > KUEUE_MAX_FLAVORS) {
      throw new ValidationError(
        `${covered} covered resources (cpu, memory, ${NVIDIA_GPU_RESOURCE} and 'extraResources'); Kueue allows at most ` +
          `${KUEUE_MAX_FLAVORS} per resource group: drop resources the jobs do not request.`,
        this,
      );
    }
    for (const ns of props.namespaces) {
      assertDnsLabel(this, 'namespaces[]', ns);
    }

    if (props.topology !== undefined) {
      if (!(props.topology instanceof TrainingTopology)) {
        throw new ValidationError(
          `'topology' must be a TrainingTopology (TrainingTopology.eks(), .gke() or .custom([...])), got ${typeof props.topology}.`,
          this,
          'type',
        );
      }
      props.topology.validate(this, 'topology.levels');
      this.topologyLevels = [...props.topology.levels];
      this.topology = new Manifest(this, 'Topology', {
        manifest: {
          apiVersion: KUEUE_API_VERSION,
          kind: 'Topology',
          metadata: { name: this.queueName, labels: { ...MANAGED_BY } },
          spec: { levels: this.topologyLevels.map((nodeLabel) => ({ nodeLabel })) },
        },
      });
    }

    for (const f of props.flavors) {
      const taints = (f.nodeTaints ?? []).map((t) => ({
        key: t.key,
        ...(t.value ? { value: t.value } : {}),
        effect: t.effect,
      }));
      this.flavors[f.name] = new Manifest(this, `Flavor-${f.name}`, {
        manifest: {
          apiVersion: KUEUE_API_VERSION,
          kind: 'ResourceFlavor',
          metadata: { name: f.name, labels: { ...MANAGED_BY } },
          spec: {
            nodeLabels: f.nodeLabels,
            ...(this.topology ? { topologyName: this.queueName } : {}),
            ...(taints.length
              ? {
                  nodeTaints: taints,
                  tolerations: taints.map((t) => ({ ...t, operator: t.value ? 'Equal' : 'Exists' })),
                }
              : {}),
          },
        },
        ...(this.topology ? { dependsOn: [this.topology] } : {}),
      });
    }

    if (props.multiKueue !== undefined) {
      this.admissionCheck = this.renderMultiKueue(props.multiKueue);
    }

    this.resource = new Manifest(this, 'Resource', {
      manifest: {
        apiVersion: KUEUE_API_VERSION,
        kind: 'ClusterQueue',
        metadata: { name: this.queueName, labels: { ...MANAGED_BY } },
        spec: {
          namespaceSelector: {},
          ...(props.cohort ? { cohortName: props.cohort } : {}),
          queueingStrategy: 'BestEffortFIFO',
          ...(this.admissionCheck
            ? { admissionChecksStrategy: { admissionChecks: [{ name: `${this.queueName}-multikueue` }] } }
            : {}),
          ...((props.preemptLowerPriority ?? true)
            ? { preemption: { withinClusterQueue: 'LowerPriority', reclaimWithinCohort: 'Any' } }
            : {}),
          resourceGroups: [
            {
              coveredResources: ['cpu', 'memory', NVIDIA_GPU_RESOURCE, ...extraKeys],
              flavors: props.flavors.map((f) => ({
                name: f.name,
                resources: [
                  { name: 'cpu', nominalQuota: String(f.cpus) },
                  { name: 'memory', nominalQuota: `${f.memoryGiB}Gi` },
                  { name: NVIDIA_GPU_RESOURCE, nominalQuota: String(f.gpus) },
                  ...extraKeys.map((k) => ({ name: k, nominalQuota: String(f.extraResources?.[k] ?? 0) })),
                ],
              })),
            },
          ],
        },
      },
      dependsOn: [...Object.values(this.flavors), ...(this.admissionCheck ? [this.admissionCheck] : [])],
    });
    this.node.defaultChild = this.resource;

    for (const ns of props.namespaces) {
      this.localQueues[ns] = new Manifest(this, `LocalQueue-${ns}`, {
        manifest: {
          apiVersion: KUEUE_API_VERSION,
          kind: 'LocalQueue',
          metadata: { name: this.queueName, namespace: ns, labels: { ...MANAGED_BY } },
          spec: { clusterQueue: this.queueName },
        },
        dependsOn: [this.resource],
      });
    }
  }

  /** The MultiKueueClusters, the MultiKueueConfig and the AdmissionCheck; returns the check. */
  private renderMultiKueue(options: MultiKueueOptions): Manifest {
    Validate.object(this, 'multiKueue', options);
    const workers = Validate.array<MultiKueueWorker>(this, 'multiKueue.workers', options.workers);
    if (workers.length === 0 || workers.length > MULTIKUEUE_MAX_CLUSTERS) {
      throw new ValidationError(
        `'multiKueue.workers' has ${workers.length} clusters; a MultiKueueConfig takes 1 to ${MULTIKUEUE_MAX_CLUSTERS}: ` +
          `give the worker clusters to dispatch to, or drop 'multiKueue' to run jobs here.`,
        this,
      );
    }
    workers.forEach((w, i) => {
      Validate.object(this, `multiKueue.workers[${i}]`, w);
      Validate.k8sDnsSubdomain(this, `multiKueue.workers[${i}].name`, w.name, {
        what: 'a MultiKueueCluster name',
      });
      Validate.k8sDnsSubdomain(
        this,
        `multiKueue.workers[${i}].kubeconfigSecretName`,
        w.kubeconfigSecretName,
        {
          what: 'a Secret name',
        },
      );
    });
    Validate.unique(
      this,
      'multiKueue.workers[].name',
      workers.map((w) => w.name),
    );
    const configName = `${this.queueName}-multikueue`;
    if (configName.length > 63) {
      throw new ValidationError(
        `'name' ('${this.queueName}', ${this.queueName.length} characters) is too long for MultiKueue: the AdmissionCheck's ` +
          `parameters name the MultiKueueConfig '${configName}', and Kueue allows at most 63 characters there ` +
          `(a DNS label). Use a queue name of at most 52 characters.`,
        this,
      );
    }
    for (const w of workers) {
      this.multiKueueClusters[w.name] = new Manifest(this, `MultiKueueCluster-${w.name}`, {
        manifest: {
          apiVersion: KUEUE_API_VERSION,
          kind: 'MultiKueueCluster',
          metadata: { name: w.name, labels: { ...MANAGED_BY } },
          spec: {
            clusterSource: { kubeConfig: { locationType: 'Secret', location: w.kubeconfigSecretName } },
          },
        },
      });
    }
    const config = new Manifest(this, 'MultiKueueConfig', {
      manifest: {
        apiVersion: KUEUE_API_VERSION,
        kind: 'MultiKueueConfig',
        metadata: { name: configName, labels: { ...MANAGED_BY } },
        spec: { clusters: workers.map((w) => w.name) },
      },
      dependsOn: Object.values(this.multiKueueClusters),
    });
    return new Manifest(this, 'AdmissionCheck', {
      manifest: {
        apiVersion: KUEUE_API_VERSION,
        kind: 'AdmissionCheck',
        metadata: { name: configName, labels: { ...MANAGED_BY } },
        spec: {
          controllerName: MULTIKUEUE_CONTROLLER_NAME,
          parameters: { apiGroup: 'kueue.x-k8s.io', kind: 'MultiKueueConfig', name: configName },
        },
      },
      dependsOn: [config],
    });
  }
}
