import { ValidationError } from './errors';
import { NodeTaint, TaintEffect } from './capacity';
import { HourlyPrice } from './pricing';
import { Validate } from './validation';

/** CPU architecture of a machine shape (the llama.cpp `server` image is multi-arch; this library catalogues x86-64 only). */
export enum CpuArchitecture {
  /** x86-64 (Intel / AMD). */
  X86_64 = 'x86_64',
}

/**
 * A cloud machine shape without GPUs, for CPU inference (llama.cpp on GGUF files): an EC2
 * instance type or a GCE machine type. Each cloud module keeps its own catalogue
 * (`aws.CPU_INSTANCE_TYPES`, `gcp.CPU_MACHINE_TYPES`).
 */
export interface CpuShape {
  /** Instance / machine type name, for example `r7i.2xlarge` or `n2-highmem-8`. */
  readonly name: string;
  /** vCPUs (hardware threads; two per physical core on these families). */
  readonly vcpus: number;
  /** Memory, GiB. */
  readonly memoryGiB: number;
  /** CPU architecture. */
  readonly architecture: CpuArchitecture;
  /** On-demand hourly price in the catalogue's reference region. */
  readonly onDemandPrice: HourlyPrice;
}

/**
 * Node label of the CPU inference node groups and pools (value `true`); llama.cpp servers
 * without an accelerator select it.
 */
export const CPU_INFERENCE_NODE_LABEL = 'cdktf-ai-infra/cpu-inference';

/**
 * The taint of CPU inference nodes: keeps other workloads off the memory-sized nodes.
 * llama.cpp servers without an accelerator tolerate it.
 */
export const CPU_INFERENCE_TAINT: NodeTaint = {
  key: CPU_INFERENCE_NODE_LABEL,
  value: 'true',
  effect: TaintEffect.NO_SCHEDULE,
};

/** Where {@link kubeReservedMemoryGiB}'s tiers come from. */
export const KUBE_RESERVED_MEMORY_SOURCE =
  'https://cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes (memory reservation tiers and the 100 MiB eviction threshold)';

/**
 * Memory the kubelet, the system and the eviction threshold keep from pods on a node of
 * `memoryGiB`, GiB: GKE's tiers (25% of the first 4 GiB, 20% of the next 4, 10% of the next 8,
 * 6% of the next 112, 2% above 128) plus the 100 MiB hard-eviction threshold
 * ({@link KUBE_RESERVED_MEMORY_SOURCE}). EKS AMIs reserve less (255 MiB + 11 MiB per pod), so on
 * AWS this is conservative.
 */
export function kubeReservedMemoryGiB(memoryGiB: number): number {
  const tiers: Array<[number, number]> = [
    [4, 0.25],
    [4, 0.2],
    [8, 0.1],
    [112, 0.06],
    [Infinity, 0.02],
  ];
  let left = memoryGiB;
  let reserved = 0;
  for (const [size, fraction] of tiers) {
    const take = Math.min(left, size);
    reserved += take * fraction;
    left -= take;
    if (left <= 0) break;
  }
  return reserved + 100 / 1024;
}

/** vCPUs a CPU node keeps for the kubelet, the container runtime and node DaemonSets (a planning margin). */
export const SYSTEM_RESERVED_VCPUS = 1;

/** What a pod on a CPU node needs, for {@link lookupCpuShape}. */
export interface CpuPodRequirement {
  /** Memory the pod requests, GiB. */
  readonly memoryGiB: number;
  /** vCPUs the pod requests. */
  readonly vcpus: number;
}

/**
 * The cheapest shape in a catalogue whose allocatable memory (memory minus
 * {@link kubeReservedMemoryGiB}) and vCPUs (minus {@link SYSTEM_RESERVED_VCPUS}) hold one pod.
 *
 * @param cloud cloud name for messages, for example `AWS`
 * @param prop the prop that set the requirement, for messages
 * @throws ValidationError naming the largest shape when none fits
 */
export function lookupCpuShape<T extends CpuShape>(
  cloud: string,
  shapes: readonly T[],
  need: CpuPodRequirement,
  prop = 'sizing',
): T {
  Validate.number(undefined, `${prop}.memoryGiB`, need.memoryGiB, { min: 0, exclusiveMin: true });
  Validate.integer(undefined, `${prop}.vcpus`, need.vcpus, { min: 1 });
  const fits = shapes
    .filter((s) => allocatable(s).memoryGiB >= need.memoryGiB && allocatable(s).vcpus >= need.vcpus)
    .sort((a, b) => a.onDemandPrice.usd - b.onDemandPrice.usd);
  if (fits.length === 0) {
    const largest = [...shapes].sort((a, b) => b.memoryGiB - a.memoryGiB)[0];
    const a = largest ? allocatable(largest) : undefined;
    throw new ValidationError(
      `No ${cloud} CPU shape in the catalogue holds a pod of ${need.memoryGiB} GiB and ${need.vcpus} vCPUs ('${prop}')` +
        (largest && a
          ? `: the largest, ${largest.name}, leaves ${a.memoryGiB.toFixed(1)} GiB and ${a.vcpus} vCPUs to pods.`
          : '.') +
        ` Use a smaller GGUF quantization or context, fewer parallel slots, or name a larger type explicitly.`,
    );
  }
  return fits[0];
}

/**
 * The shape called `name` in a cloud's CPU catalogue.
 *
 * @param what what the cloud calls a shape, for messages (`instance type`, `machine type`)
 * @param prop the prop that named it, for messages
 * @throws ValidationError listing the catalogued names
 */
export function cpuShapeByName<T extends CpuShape>(
  shapes: readonly T[],
  name: string,
  what: string,
  prop: string,
): T {
  const found = shapes.find((s) => s.name === name);
  if (!found) {
    throw new ValidationError(
      `'${prop}' (${name}) is not a catalogued CPU inference ${what}: use one of ${shapes.map((s) => s.name).join(', ')}.`,
    );
  }
  return found;
}

/** Memory and vCPUs a pod can have on `shape` after the node's reservations. */
export function allocatable(shape: CpuShape): CpuPodRequirement {
  return {
    memoryGiB: shape.memoryGiB - kubeReservedMemoryGiB(shape.memoryGiB),
    vcpus: shape.vcpus - SYSTEM_RESERVED_VCPUS,
  };
}
