import { IConstruct } from 'constructs';
import { Accelerator } from './accelerator';
import { ValidationError } from './errors';
import { SizingResult } from './sizing';
import { Validate, VALIDATION_CODES } from './validation';

/** The kinds of GPU capacity a node pool can draw on. */
export enum CapacityKind {
  /** Plain on-demand instances / VMs. */
  ON_DEMAND = 'ON_DEMAND',
  /** Spot (AWS) / Spot VMs (GCP): up to 90% cheaper, reclaimed with 30 s - 2 min notice. */
  SPOT = 'SPOT',
  /** A reservation: an AWS On-Demand Capacity Reservation or a GCP specific reservation. */
  RESERVATION = 'RESERVATION',
  /** An AWS EC2 Capacity Block for ML (time-boxed, pre-paid, co-located). AWS only. */
  CAPACITY_BLOCK = 'CAPACITY_BLOCK',
  /** GKE flex-start (Dynamic Workload Scheduler), up to 7 days per node. GCP only. */
  FLEX_START = 'FLEX_START',
  /** GKE queued provisioning (ProvisioningRequest, all-or-nothing). GCP only. */
  QUEUED_PROVISIONING = 'QUEUED_PROVISIONING',
}

/** Options of {@link Capacity.reservation}. */
export interface ReservationOptions {
  /**
   * Project that owns a shared GCP reservation.
   * @default - the node pool's project
   */
  readonly project?: string;
  /**
   * GCP reservation block within the reservation (`<name>/reservationBlocks/<block>`).
   * @default - any block
   */
  readonly block?: string;
}

/** Options of {@link Capacity.flexStart}. */
export interface FlexStartOptions {
  /**
   * Longest a node may run before GKE reclaims it (`max_run_duration`), in seconds.
   * GKE allows at most 7 days.
   * @default 604800 (7 days)
   */
  readonly maxRunDurationSeconds?: number;
}

/** Longest run flex-start allows: 7 days (reference/gcp.md §6.1). */
export const FLEX_START_MAX_RUN_SECONDS = 7 * 24 * 3600;

/**
 * Where the GPUs of a node pool come from. The same value is accepted by the AWS and GCP node
 * pools; each rejects, with a clear error, the kinds its cloud does not offer.
 *
 * @example
 * Capacity.onDemand();
 * Capacity.spot();
 * Capacity.reservation('cr-0abc1234');           // AWS ODCR or GCP specific reservation
 * Capacity.capacityBlock('cr-0123456789abcdef0'); // AWS only
 * Capacity.flexStart({ maxRunDurationSeconds: 86400 }); // GCP only
 */
export class Capacity {
  /** On-demand capacity. */
  public static onDemand(): Capacity {
    return new Capacity(CapacityKind.ON_DEMAND);
  }

  /** Spot capacity. Training jobs must checkpoint; inference needs more than one replica. */
  public static spot(): Capacity {
    return new Capacity(CapacityKind.SPOT);
  }

  /**
   * A reservation: an AWS On-Demand Capacity Reservation id (`cr-...`) or a GCP specific
   * reservation name (a Compute Engine resource name; a name starting with `cr-` is taken for an
   * AWS id). AWS node groups and pools refuse a GCP name or GCP `options` (`ValidationError` code
   * `aws-reservation-id` for the id); GKE node pools and ComputeClasses refuse an AWS id (code
   * `gcp-resource-name`). A `projects/<p>/reservations/<name>[/reservationBlocks/<b>]` path is
   * refused with the equivalent `Capacity.reservation('<name>', { project, block })`.
   */
  public static reservation(id: string, options: ReservationOptions = {}): Capacity {
    requireId('Capacity.reservation', id);
    if (options === null || typeof options !== 'object') {
      throw new ValidationError(
        `Capacity.reservation('${id}'): the options must be an object { project?, block? }, got ${String(options)}.`,
        undefined,
        VALIDATION_CODES.TYPE,
      );
    }
    if (options.project !== undefined)
      Validate.gcpProjectId(undefined, 'Capacity.reservation options.project', options.project);
    if (options.block !== undefined)
      Validate.gcpResourceName(undefined, 'Capacity.reservation options.block', options.block);
    if (/^cr-/.test(id)) {
      Validate.awsReservationId(undefined, `Capacity.reservation id`, id);
    } else {
      // The full resource path GKE's reservation_affinity.values also takes is built from the
      // options: point to them rather than refusing the path as a malformed name.
      const path = /^projects\/([^/]+)\/reservations\/([^/]+)(?:\/reservationBlocks\/([^/]+))?$/.exec(id);
      if (path) {
        const opts = [`project: '${path[1]}'`, ...(path[3] !== undefined ? [`block: '${path[3]}'`] : [])];
        throw new ValidationError(
          `'Capacity.reservation id' ('${id}') is a reservation path: pass the reservation name and put the project ` +
            `and block in the options, Capacity.reservation('${path[2]}', { ${opts.join(', ')} }) (GKE gets the path).`,
          undefined,
          VALIDATION_CODES.GCP_RESOURCE_NAME,
        );
      }
      // A GCP specific reservation: its name is a Compute Engine resource name
      // (https://cloud.google.com/compute/docs/instances/reservations-overview).
      Validate.gcpResourceName(
        undefined,
        `Capacity.reservation id (a GCP reservation name or an AWS 'cr-...' id)`,
        id,
      );
    }
    return new Capacity(CapacityKind.RESERVATION, id, options);
  }

  /** An AWS EC2 Capacity Block for ML, by its capacity reservation id (`cr-...`). */
  public static capacityBlock(reservationId: string): Capacity {
    requireId('Capacity.capacityBlock', reservationId);
    Validate.awsReservationId(undefined, 'Capacity.capacityBlock reservation id', reservationId);
    return new Capacity(CapacityKind.CAPACITY_BLOCK, reservationId);
  }

  /** GKE flex-start (Dynamic Workload Scheduler). */
  public static flexStart(options: FlexStartOptions = {}): Capacity {
    const s = (options ?? {}).maxRunDurationSeconds ?? FLEX_START_MAX_RUN_SECONDS;
    Validate.integer(undefined, 'Capacity.flexStart maxRunDurationSeconds', s, {
      min: 600,
      max: FLEX_START_MAX_RUN_SECONDS,
      reason: '7 days is the flex-start maximum',
    });
    return new Capacity(CapacityKind.FLEX_START, undefined, {}, s);
  }

  /** GKE queued provisioning: nodes are created all at once when the whole request fits. */
  public static queuedProvisioning(): Capacity {
    return new Capacity(CapacityKind.QUEUED_PROVISIONING);
  }

  /** The kind of capacity. */
  public readonly kind: CapacityKind;
  /** Reservation or capacity-block id, for RESERVATION and CAPACITY_BLOCK. */
  public readonly reservationId?: string;
  /** GCP reservation options. */
  public readonly reservationOptions: ReservationOptions;
  /** Flex-start maximum run duration, seconds. */
  public readonly maxRunDurationSeconds?: number;

  private constructor(
    kind: CapacityKind,
    reservationId?: string,
    options: ReservationOptions = {},
    maxRun?: number,
  ) {
    this.kind = kind;
    this.reservationId = reservationId;
    this.reservationOptions = options;
    this.maxRunDurationSeconds = maxRun;
  }

  /** Whether the capacity can be reclaimed at short notice. */
  public get isPreemptible(): boolean {
    return this.kind === CapacityKind.SPOT;
  }

  /** Human description for messages. */
  public toString(): string {
    return this.reservationId ? `${this.kind}(${this.reservationId})` : this.kind;
  }
}

function requireId(where: string, id: string): void {
  Validate.string(undefined, `${where} id`, id);
}

/** Effect of a Kubernetes taint. */
export enum TaintEffect {
  /** Pods without a toleration are not scheduled. */
  NO_SCHEDULE = 'NoSchedule',
  /** The scheduler avoids the node for pods without a toleration. */
  PREFER_NO_SCHEDULE = 'PreferNoSchedule',
  /** Pods without a toleration are also evicted. */
  NO_EXECUTE = 'NoExecute',
}

/** A Kubernetes node taint. */
export interface NodeTaint {
  /** Taint key. */
  readonly key: string;
  /**
   * Taint value.
   * @default - no value
   */
  readonly value?: string;
  /** Effect. */
  readonly effect: TaintEffect;
}

/** The taint every GPU node pool of this library carries, so only GPU workloads land there. */
export const GPU_TAINT: NodeTaint = {
  key: 'nvidia.com/gpu',
  value: 'present',
  effect: TaintEffect.NO_SCHEDULE,
};

/**
 * Options every GPU node pool accepts, on AWS and on GCP: the shared shape that lets a pattern
 * target either cloud with one declaration.
 */
export interface GpuNodePoolOptions {
  /** The GPU model. */
  readonly accelerator: Accelerator;
  /**
   * GPUs per node; selects the instance / machine shape.
   * @default - training: 8; inference: the sizing's GPUs per replica, or 1
   */
  readonly gpusPerNode?: number;
  /**
   * Where the capacity comes from.
   * @default Capacity.onDemand()
   */
  readonly capacity?: Capacity;
  /**
   * Extra Kubernetes node labels.
   * @default - only the library's accelerator and pool labels
   */
  readonly labels?: Record<string, string>;
  /**
   * Extra taints. The `nvidia.com/gpu=present:NoSchedule` taint is added unless one of these has
   * the same key and effect (`nvidia.com/gpu`, `NoSchedule`): then the user's taint replaces it
   * (GPU workloads tolerate any `nvidia.com/gpu` taint, whatever its value).
   * @default - only the GPU taint
   */
  readonly taints?: NodeTaint[];
}

/** Options of a training node pool: a fixed-size gang of identical nodes. */
export interface TrainingNodePoolOptions extends GpuNodePoolOptions {
  /** Nodes in the pool. */
  readonly nodes: number;
}

/** Options of an inference node pool: autoscaled, from zero by default. */
export interface InferenceNodePoolOptions extends GpuNodePoolOptions {
  /**
   * Fewest nodes. Zero lets an idle pool cost nothing.
   * @default 0
   */
  readonly minNodes?: number;
  /**
   * Most nodes.
   * @default 4
   */
  readonly maxNodes?: number;
  /**
   * A sizing result; when given, GPUs per node default to its GPUs per node (per replica for a
   * one-node replica), and its accelerator must match `accelerator`. A sizing that spans nodes
   * (`nodesPerReplica` above 1) makes the pool a multi-node pool: `maxNodes` must hold at least
   * one replica's nodes, and the clouds add their fabric and placement (EFA and a cluster
   * placement group on AWS, COMPACT placement and GPUDirect networks on GKE).
   * @default - none
   */
  readonly sizing?: SizingResult;
}

/** Node counts after defaults and validation. */
export interface ResolvedNodeCounts {
  /** Fewest nodes. */
  readonly minNodes: number;
  /** Most nodes. */
  readonly maxNodes: number;
}

/**
 * Validates and defaults an inference pool's node counts.
 * @throws ValidationError for negative, fractional or inverted counts
 */
export function resolveInferenceNodeCounts(
  options: InferenceNodePoolOptions,
  scope?: IConstruct,
): ResolvedNodeCounts {
  const minNodes = Validate.integer(scope, 'minNodes', options.minNodes ?? 0, {
    min: 0,
    max: MAX_NODES_PER_POOL,
    reason: 'use 0 to let the pool scale to zero',
  });
  const maxNodes = Validate.integer(scope, 'maxNodes', options.maxNodes ?? Math.max(4, minNodes), {
    min: 1,
    max: MAX_NODES_PER_POOL,
  });
  if (maxNodes < minNodes) {
    throw new ValidationError(
      `'maxNodes' (${maxNodes}) must be >= 'minNodes' (${minNodes}): raise maxNodes or lower minNodes.`,
      scope,
      VALIDATION_CODES.NUMBER_RANGE,
    );
  }
  const nodes = options.sizing?.nodesPerReplica ?? 1;
  if (nodes > 1 && maxNodes < nodes) {
    throw new ValidationError(
      `'maxNodes' (${maxNodes}) is less than the ${nodes} nodes one replica of ${options.sizing!.model.name} (${options.sizing!.quantization.id}) spans ` +
        `(tensor parallel ${options.sizing!.tensorParallelSize} x pipeline parallel ${options.sizing!.pipelineParallelSize}): no replica could ever start. ` +
        `Set maxNodes to a multiple of ${nodes}, for example ${nodes * 2} for two replicas.`,
      scope,
      VALIDATION_CODES.NUMBER_RANGE,
    );
  }
  return { minNodes, maxNodes };
}

/**
 * Validates a training pool's node count.
 * @throws ValidationError when `nodes` is not a whole number from 1 to MAX_NODES_PER_POOL
 */
export function resolveTrainingNodes(options: TrainingNodePoolOptions, scope?: IConstruct): number {
  return Validate.integer(scope, 'nodes', options.nodes, {
    min: 1,
    max: MAX_NODES_PER_POOL,
    reason: 'the number of GPU nodes in the gang',
  });
}

/**
 * GPUs per node of an inference pool: explicit, else from the sizing, else 1.
 * @throws ValidationError when the sizing is for another accelerator or needs more GPUs than given
 */
export function resolveInferenceGpusPerNode(options: InferenceNodePoolOptions, scope?: IConstruct): number {
  const sizing = options.sizing;
  if (
    sizing !== undefined &&
    (sizing === null || typeof sizing !== 'object' || !(sizing.accelerator instanceof Accelerator))
  ) {
    throw new ValidationError(
      `'sizing' must be the result of sizeModel(...), got ${String(sizing)}.`,
      scope,
      VALIDATION_CODES.TYPE,
    );
  }
  if (sizing && !sizing.accelerator.equals(options.accelerator)) {
    throw new ValidationError(
      `'sizing' is for ${sizing.accelerator.id} but 'accelerator' is ${options.accelerator.id}: size the model for the pool's GPU.`,
      scope,
    );
  }
  const gpus = Validate.integer(scope, 'gpusPerNode', options.gpusPerNode ?? sizing?.gpusPerNode ?? 1, {
    min: 1,
    max: MAX_GPUS_PER_NODE,
  });
  if (sizing && gpus < sizing.gpusPerNode) {
    throw new ValidationError(
      `'gpusPerNode' (${gpus}) is less than the ${sizing.gpusPerNode} GPUs one replica of ${sizing.model.name} (${sizing.quantization.id}) needs on ${sizing.accelerator.id}` +
        `${sizing.nodesPerReplica > 1 ? ` on each of its ${sizing.nodesPerReplica} nodes` : ''}: raise gpusPerNode to ${sizing.gpusPerNode} or omit it.`,
      scope,
    );
  }
  return gpus;
}

/**
 * Most nodes one pool may have: GKE allows 1,000 nodes per node pool per zone
 * (https://cloud.google.com/kubernetes-engine/quotas) and EKS a default quota of 450 nodes per
 * managed node group (https://docs.aws.amazon.com/eks/latest/userguide/service-quotas.html, an
 * adjustable quota); a count above 1,000 is a typo, not a plan.
 */
export const MAX_NODES_PER_POOL = 1000;

/** Most GPUs one node of any catalogued shape has (16: a2-megagpu-16g). */
export const MAX_GPUS_PER_NODE = 16;

/**
 * Validates node taints: Kubernetes taints whose effect is a `TaintEffect`, each key and effect
 * at most once.
 */
export function validateNodeTaints(scope: IConstruct | undefined, prop: string, value: unknown): NodeTaint[] {
  const taints = Validate.array<NodeTaint>(scope, prop, value);
  const effects = Object.values(TaintEffect) as string[];
  taints.forEach((t, i) => {
    Validate.k8sTaint(scope, `${prop}[${i}]`, t);
    if (!effects.includes(t.effect)) {
      throw new ValidationError(
        `'${prop}[${i}].effect' ('${String(t.effect)}') must be a TaintEffect: TaintEffect.NO_SCHEDULE, PREFER_NO_SCHEDULE or NO_EXECUTE.`,
        scope,
        VALIDATION_CODES.K8S_TAINT,
      );
    }
  });
  Validate.unique(
    scope,
    prop,
    taints,
    (t) => `${t.key}:${t.effect}`,
    'a taint key and effect can be set once',
  );
  return taints;
}

/**
 * Validates the options every GPU node pool shares (AWS node groups and GKE node pools): the
 * accelerator and capacity are this library's objects, labels are Kubernetes labels, taints
 * are Kubernetes taints with a `TaintEffect`, and no key is given twice.
 * @param scope the pool construct, for the error path
 */
export function validateGpuNodePoolOptions(scope: IConstruct | undefined, options: GpuNodePoolOptions): void {
  if (options === null || typeof options !== 'object') {
    throw new ValidationError(
      `the node pool options must be an object, got ${String(options)}.`,
      scope,
      VALIDATION_CODES.TYPE,
    );
  }
  if (!(options.accelerator instanceof Accelerator)) {
    throw new ValidationError(
      `'accelerator' must be an Accelerator (for example Accelerator.H100 or Accelerator.of({...})), got ${String(options.accelerator)}.`,
      scope,
      VALIDATION_CODES.TYPE,
    );
  }
  if (options.capacity !== undefined && !(options.capacity instanceof Capacity)) {
    throw new ValidationError(
      `'capacity' must be a Capacity (for example Capacity.onDemand() or Capacity.spot()), got ${String(options.capacity)}.`,
      scope,
      VALIDATION_CODES.TYPE,
    );
  }
  if (options.gpusPerNode !== undefined) {
    Validate.integer(scope, 'gpusPerNode', options.gpusPerNode, { min: 1, max: MAX_GPUS_PER_NODE });
  }
  if (options.labels !== undefined) {
    Validate.k8sLabels(scope, 'labels', options.labels);
  }
  if (options.taints !== undefined) {
    validateNodeTaints(scope, 'taints', options.taints);
  }
}

/** Merges the GPU taint with user taints, the user's taint winning on the same key and effect. */
export function gpuPoolTaints(extra: NodeTaint[] = []): NodeTaint[] {
  const seen = new Set(extra.map((t) => `${t.key}:${t.effect}`));
  return [...(seen.has(`${GPU_TAINT.key}:${GPU_TAINT.effect}`) ? [] : [GPU_TAINT]), ...extra];
}
