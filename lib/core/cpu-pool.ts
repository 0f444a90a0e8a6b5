import { IConstruct } from 'constructs';
import { Capacity, CapacityKind, NodeTaint } from './capacity';
import { CpuShape, allocatable, lookupCpuShape } from './cpu-shapes';
import { ValidationError } from './errors';
import { LlamaCppSizing } from './llama-cpp-sizing';
import { Validate } from './validation';

// What AWS CPU inference node groups and GKE CPU inference node pools decide the same way
// (issue 11 §2: one implementation in core).

/**
 * The options an AWS `CpuInferenceNodeGroup` and a GKE `CpuInferenceNodePool` share: the sizing
 * the nodes hold, node counts, capacity, labels and taints. Each adds its cluster, its shape
 * (`instanceType`, `machineType`) and its disk.
 */
export interface CpuInferencePoolOptions {
  /**
   * The llama.cpp sizing the nodes hold (core `sizeLlamaCpp`, or `LlamaCppServer.sizing`): the
   * instance or machine type is the cheapest whose allocatable memory and vCPUs hold one replica.
   * @default - none: give the instance or machine type
   */
  readonly sizing?: LlamaCppSizing;
  /**
   * Fewest nodes (on GKE, over all zones of the pool); 0 lets the pool scale to zero, and the
   * first request then waits for a node.
   * @default 0
   */
  readonly minNodes?: number;
  /**
   * Most nodes (on GKE, over all zones of the pool).
   * @default - the larger of 2 and minNodes
   */
  readonly maxNodes?: number;
  /**
   * Capacity: `Capacity.onDemand()` or `Capacity.spot()` (on AWS, spot diversifies over the same
   * size of both families).
   * @default Capacity.onDemand()
   */
  readonly capacity?: Capacity;
  /**
   * Extra node labels.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Extra taints. The CPU inference taint (`CPU_INFERENCE_TAINT`,
   * `cdktf-ai-infra/cpu-inference=true:NoSchedule`) is always set, first, and a taint given here
   * on its key is dropped, whatever its value and effect: `LlamaCppServer` tolerates exactly that
   * key, value and effect, so another value or effect on the key would keep its pods off the
   * nodes (or evict them). GPU pools differ on purpose: a taint on `nvidia.com/gpu` with the GPU
   * taint's effect replaces it, because the library's GPU workloads tolerate that key whatever
   * its value. To keep other pods off CPU nodes, taint a key of your own.
   * @default - none
   */
  readonly taints?: NodeTaint[];
}

/** Options of {@link resolveCpuPool}: the props as the user gave them and the cloud's catalogue. */
export interface CpuPoolOptions<T extends CpuShape> {
  /** Cloud name for messages (`AWS`, `Google Cloud`). */
  readonly cloud: string;
  /** What the cloud calls a pool (`group`, `pool`), for messages. */
  readonly poolNoun: string;
  /** How to add a GPU pool on this cloud (`EksCluster.addInferenceNodeGroup`), for messages. */
  readonly gpuPoolHint: string;
  /** The prop naming the shape (`instanceType`, `machineType`). */
  readonly shapeProp: string;
  /** The cloud's CPU catalogue. */
  readonly catalogue: readonly T[];
  /** Looks a shape up by name; throws a ValidationError for an unknown one. */
  readonly byName: (name: string) => T;
  /** `capacity` as given. */
  readonly capacity?: Capacity;
  /** `minNodes` as given. */
  readonly minNodes?: number;
  /** `maxNodes` as given. */
  readonly maxNodes?: number;
  /** `sizing` as given. */
  readonly sizing?: LlamaCppSizing;
  /** The shape prop's value as given. */
  readonly shapeName?: string;
}

/** What {@link resolveCpuPool} decided. */
export interface CpuPool<T extends CpuShape> {
  /** On-demand or spot. */
  readonly capacityKind: CapacityKind;
  /** Fewest nodes. */
  readonly minNodes: number;
  /** Most nodes. */
  readonly maxNodes: number;
  /** The shape: the one named, else the cheapest whose allocatable resources hold one replica. */
  readonly shape: T;
  /** Replicas of `sizing` one node holds (1 without a sizing). */
  readonly replicasPerNode: number;
  /**
   * The node disk when the user gives none, GiB: 30 for the image plus 1.2 x the GGUF file per
   * replica on the node (each copies the file into an emptyDir), at least 50.
   */
  readonly defaultDiskGiB: number;
  /** The smallest node disk accepted, GiB: 20 plus the GGUF file. */
  readonly minDiskGiB: number;
}

/**
 * Validates a CPU inference pool's capacity, node counts and sizing, and picks its shape:
 * on-demand or spot only; a sizing that offloads to a GPU is refused; a named shape must hold one
 * replica; without one, the cheapest catalogue shape that does.
 */
export function resolveCpuPool<T extends CpuShape>(scope: IConstruct, o: CpuPoolOptions<T>): CpuPool<T> {
  const capacityKind = o.capacity?.kind ?? CapacityKind.ON_DEMAND;
  if (capacityKind !== CapacityKind.ON_DEMAND && capacityKind !== CapacityKind.SPOT) {
    throw new ValidationError(
      `'capacity' ${capacityKind} is not offered for CPU inference ${o.poolNoun}s: use Capacity.onDemand() or Capacity.spot().`,
      scope,
    );
  }
  const minNodes = Validate.integer(scope, 'minNodes', o.minNodes ?? 0, { min: 0, max: 1000 });
  const maxNodes = Validate.integer(scope, 'maxNodes', o.maxNodes ?? Math.max(2, minNodes), {
    min: 1,
    max: 1000,
  });
  if (maxNodes < minNodes) {
    throw new ValidationError(
      `'maxNodes' (${maxNodes}) must be >= 'minNodes' (${minNodes}): raise maxNodes or lower minNodes.`,
      scope,
    );
  }
  if (o.sizing !== undefined) Validate.object(scope, 'sizing', o.sizing);
  const s = o.sizing;
  const prop = o.shapeProp;
  if (s === undefined && o.shapeName === undefined) {
    throw new ValidationError(
      `Give 'sizing' (sizeLlamaCpp(...) or LlamaCppServer.sizing) to pick the ${prop === 'instanceType' ? 'instance' : 'machine'} type, or '${prop}' (one of ${o.catalogue.map((t) => t.name).join(', ')}).`,
      scope,
    );
  }
  if (s?.accelerator) {
    throw new ValidationError(
      `'sizing' offloads layers to ${s.accelerator.id}: that replica needs a GPU node ${o.poolNoun} (${o.gpuPoolHint}), not CPU nodes.`,
      scope,
    );
  }
  const shape = ValidationError.withScope(scope, () => {
    if (o.shapeName !== undefined) {
      const t = o.byName(o.shapeName);
      if (s) {
        const a = allocatable(t);
        if (a.memoryGiB < s.memoryGiB || a.vcpus < s.vcpus) {
          throw new ValidationError(
            `'${prop}' ${t.name} leaves ${a.memoryGiB.toFixed(1)} GiB and ${a.vcpus} vCPUs to pods, less than one replica of ${s.model.name} (${s.quantization.id}) needs ` +
              `(${s.memoryGiB} GiB, ${s.vcpus} vCPUs): choose a larger type or omit ${prop}.`,
          );
        }
      }
      return t;
    }
    return lookupCpuShape(o.cloud, o.catalogue, { memoryGiB: s!.memoryGiB, vcpus: s!.vcpus });
  });
  const a = allocatable(shape);
  const replicasPerNode = s
    ? Math.max(1, Math.min(Math.floor(a.memoryGiB / s.memoryGiB), Math.floor(a.vcpus / s.vcpus)))
    : 1;
  const fileGiB = s?.fileGiB ?? 0;
  return {
    capacityKind,
    minNodes,
    maxNodes,
    shape,
    replicasPerNode,
    defaultDiskGiB: Math.max(50, 30 + Math.ceil(1.2 * fileGiB * replicasPerNode)),
    minDiskGiB: 20 + Math.ceil(fileGiB),
  };
}
