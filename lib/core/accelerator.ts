import { ValidationError } from './errors';
import { Validate } from './validation';

/** How the GPUs of one node talk to each other. */
export enum GpuInterconnect {
  /** NVLink / NVSwitch: fast all-reduce, tensor parallelism across all GPUs of a node. */
  NVLINK = 'NVLINK',
  /** PCIe only: vLLM disables its custom all-reduce above 2 GPUs, tensor parallelism is slower. */
  PCIE = 'PCIE',
}

/** NVIDIA GPU architecture generations the catalogue knows. */
export enum GpuArchitecture {
  /** SM 7.0 (V100). */
  VOLTA = 'volta',
  /** SM 7.5 (T4). */
  TURING = 'turing',
  /** SM 8.0 / 8.6 (A100, A10G). */
  AMPERE = 'ampere',
  /** SM 8.9 (L4, L40S). */
  ADA_LOVELACE = 'ada-lovelace',
  /** SM 9.0 (H100, H200). */
  HOPPER = 'hopper',
  /** SM 10.x (B200). */
  BLACKWELL = 'blackwell',
}

/** A CUDA compute capability (SM version), for example 8.9 for Ada. */
export interface ComputeCapability {
  /** Major version, for example 8. */
  readonly major: number;
  /** Minor version, for example 9. */
  readonly minor: number;
}

/** Properties of an {@link Accelerator}. */
export interface AcceleratorProps {
  /** Stable id, upper case, for example `H100`. Used in messages, labels and look-ups. */
  readonly id: string;
  /** Human name, for example `NVIDIA H100 80GB`. */
  readonly displayName: string;
  /**
   * Memory per GPU in MiB as the clouds report it (EC2 `gpu-memory` label): this is what a
   * "does the model fit" check must use, not the marketing GB.
   */
  readonly memoryMiB: number;
  /** Compute capability of the GPU. */
  readonly computeCapability: ComputeCapability;
  /** Architecture generation. */
  readonly architecture: GpuArchitecture;
  /** NVLink or PCIe between the GPUs of an 8-GPU node. */
  readonly interconnect: GpuInterconnect;
  /** Memory technology, for docs (HBM3, GDDR6, ...). */
  readonly memoryType: string;
  /**
   * Total memory per GPU as CUDA reports it (`torch.cuda.mem_get_info` total, the
   * `total_gpu_memory` vLLM logs), in GiB. It is below the marketing figure and below the
   * cloud's MiB label; vLLM multiplies it by `--gpu-memory-utilization`.
   * @default - derived: memoryMiB / 1024 x 0.989, a little below the ratio measured on H100
   *   (79.22 GiB of 80 GiB, vLLM PR #12126), so the sizing errs on the safe side
   */
  readonly cudaMemoryGiB?: number;
  /**
   * Where {@link cudaMemoryGiB} comes from, for docs and the sizing explanation.
   * @default 'derived'
   */
  readonly cudaMemorySource?: string;
}

/**
 * Ratio of CUDA-reported to labelled memory used for GPUs without a measured figure: the H100
 * ratio (79.22 GiB / 80 GiB = 0.990, vLLM PR #12126) less 0.1% so a derived figure is never
 * above a measured one.
 */
export const DERIVED_CUDA_MEMORY_RATIO = 0.989;

/**
 * vLLM's scheduler defaults for the OpenAI-compatible server (V1), per GPU class: GPUs with at
 * least 70 GiB whose name does not contain "a100" get `max_num_batched_tokens` 8192 and
 * `max_num_seqs` 1024, every other GPU 2048 and 256 (`vllm/engine/arg_utils.py`,
 * `EngineArgs.get_batch_defaults`; A100 excluded by PR #17885). The profiling run that sizes
 * the KV cache uses this batch.
 */
export interface VllmBatchDefaults {
  /** `--max-num-batched-tokens`: tokens of one scheduler step, and of the profiling run. */
  readonly maxNumBatchedTokens: number;
  /** `--max-num-seqs`: sequences of one step (the sampler's profiling batch). */
  readonly maxNumSeqs: number;
}

/**
 * A GPU model: memory, compute capability, interconnect and FP8 support.
 *
 * Facts come from `reference/aws.md` §3 (EC2 MiB labels) and `reference/kubernetes.md` §12
 * (architectures and SM versions); they are defined here once and read by every cloud module.
 *
 * @example
 * Accelerator.L40S.memoryGiB; // 44.7
 * Accelerator.of({ id: 'RTX6000ADA', displayName: 'NVIDIA RTX 6000 Ada', memoryMiB: 49140,
 *   computeCapability: { major: 8, minor: 9 }, architecture: GpuArchitecture.ADA_LOVELACE,
 *   interconnect: GpuInterconnect.PCIE, memoryType: 'GDDR6' });
 */
export class Accelerator {
  // Declared first: static fields initialise in order, and the instances below register here.
  private static readonly REGISTRY: Map<string, Accelerator> = new Map();

  /** NVIDIA H100 SXM 80GB (Hopper, SM 9.0, NVLink). AWS p5, GCP a3-highgpu / a3-megagpu. */
  public static readonly H100 = new Accelerator({
    id: 'H100',
    displayName: 'NVIDIA H100 80GB',
    memoryMiB: 81920,
    computeCapability: { major: 9, minor: 0 },
    architecture: GpuArchitecture.HOPPER,
    interconnect: GpuInterconnect.NVLINK,
    memoryType: 'HBM3',
    cudaMemoryGiB: 79.22,
    cudaMemorySource: 'measured: total_gpu_memory logged in vLLM PRs #10511 and #12126',
  });

  /** NVIDIA H200 141GB (Hopper, SM 9.0, NVLink). AWS p5e / p5en, GCP a3-ultragpu. */
  public static readonly H200 = new Accelerator({
    id: 'H200',
    displayName: 'NVIDIA H200 141GB',
    memoryMiB: 144384,
    computeCapability: { major: 9, minor: 0 },
    architecture: GpuArchitecture.HOPPER,
    interconnect: GpuInterconnect.NVLINK,
    memoryType: 'HBM3e',
  });

  /**
   * NVIDIA B200 (Blackwell, SM 10.0, NVLink). AWS p6-b200 (EC2 label 183359 MiB, reference/aws.md
   * §3), GCP a4-highgpu-8g. FP4 tensor cores (NVFP4 / MXFP4 compute).
   */
  public static readonly B200 = new Accelerator({
    id: 'B200',
    displayName: 'NVIDIA B200',
    memoryMiB: 183359,
    computeCapability: { major: 10, minor: 0 },
    architecture: GpuArchitecture.BLACKWELL,
    interconnect: GpuInterconnect.NVLINK,
    memoryType: 'HBM3e',
  });

  /** NVIDIA A100 40GB (Ampere, SM 8.0, NVLink). AWS p4d, GCP a2-highgpu / a2-megagpu. */
  public static readonly A100_40GB = new Accelerator({
    id: 'A100_40GB',
    displayName: 'NVIDIA A100 40GB',
    memoryMiB: 40960,
    computeCapability: { major: 8, minor: 0 },
    architecture: GpuArchitecture.AMPERE,
    interconnect: GpuInterconnect.NVLINK,
    memoryType: 'HBM2',
  });

  /** NVIDIA A100 80GB (Ampere, SM 8.0, NVLink). AWS p4de, GCP a2-ultragpu. */
  public static readonly A100_80GB = new Accelerator({
    id: 'A100_80GB',
    displayName: 'NVIDIA A100 80GB',
    memoryMiB: 81920,
    computeCapability: { major: 8, minor: 0 },
    architecture: GpuArchitecture.AMPERE,
    interconnect: GpuInterconnect.NVLINK,
    memoryType: 'HBM2e',
  });

  /** NVIDIA L40S 48GB (Ada, SM 8.9, PCIe only). AWS g6e; not offered on GCP. */
  public static readonly L40S = new Accelerator({
    id: 'L40S',
    displayName: 'NVIDIA L40S 48GB',
    memoryMiB: 45776,
    computeCapability: { major: 8, minor: 9 },
    architecture: GpuArchitecture.ADA_LOVELACE,
    interconnect: GpuInterconnect.PCIE,
    memoryType: 'GDDR6',
  });

  /** NVIDIA A10G 24GB (Ampere, SM 8.6, PCIe only, no FP8). AWS g5; not offered on GCP. */
  public static readonly A10G = new Accelerator({
    id: 'A10G',
    displayName: 'NVIDIA A10G 24GB',
    memoryMiB: 22888,
    computeCapability: { major: 8, minor: 6 },
    architecture: GpuArchitecture.AMPERE,
    interconnect: GpuInterconnect.PCIE,
    memoryType: 'GDDR6',
  });

  /** NVIDIA L4 24GB (Ada, SM 8.9, PCIe only). AWS g6, GCP g2-standard. */
  public static readonly L4 = new Accelerator({
    id: 'L4',
    displayName: 'NVIDIA L4 24GB',
    memoryMiB: 22888,
    computeCapability: { major: 8, minor: 9 },
    architecture: GpuArchitecture.ADA_LOVELACE,
    interconnect: GpuInterconnect.PCIE,
    memoryType: 'GDDR6',
  });

  /** Every catalogued accelerator. */
  public static all(): Accelerator[] {
    return [...Accelerator.REGISTRY.values()];
  }

  /**
   * Looks up a catalogued accelerator by id (case-insensitive).
   * @throws ValidationError naming the known ids when `id` is unknown.
   */
  public static fromId(id: string): Accelerator {
    Validate.string(undefined, 'Accelerator.fromId id', id);
    const found = Accelerator.REGISTRY.get(id.toUpperCase());
    if (!found) {
      throw new ValidationError(
        `Unknown accelerator '${id}'. Known: ${[...Accelerator.REGISTRY.keys()].join(', ')}. ` +
          `Use Accelerator.of({...}) to describe another GPU.`,
      );
    }
    return found;
  }

  /**
   * Describes a GPU the catalogue does not have. The cloud modules only accept it where their
   * own shape catalogues know an instance or machine type for it.
   */
  public static of(props: AcceleratorProps): Accelerator {
    return new Accelerator(props, false);
  }

  /** Stable id, for example `H100`. */
  public readonly id: string;
  /** Human name. */
  public readonly displayName: string;
  /** Memory per GPU in MiB. */
  public readonly memoryMiB: number;
  /** Compute capability. */
  public readonly computeCapability: ComputeCapability;
  /** Architecture generation. */
  public readonly architecture: GpuArchitecture;
  /** NVLink or PCIe. */
  public readonly interconnect: GpuInterconnect;
  /** Memory technology. */
  public readonly memoryType: string;
  /** Total memory per GPU as CUDA reports it, GiB (what vLLM multiplies by its utilization). */
  public readonly cudaMemoryGiB: number;
  /** Where {@link cudaMemoryGiB} comes from (`derived` or a citation). */
  public readonly cudaMemorySource: string;

  private constructor(props: AcceleratorProps, register = true) {
    validateProps(props);
    this.id = props.id;
    this.displayName = props.displayName;
    this.memoryMiB = props.memoryMiB;
    this.computeCapability = props.computeCapability;
    this.architecture = props.architecture;
    this.interconnect = props.interconnect;
    this.memoryType = props.memoryType;
    this.cudaMemoryGiB =
      props.cudaMemoryGiB ?? Math.floor((props.memoryMiB / 1024) * DERIVED_CUDA_MEMORY_RATIO * 100) / 100;
    this.cudaMemorySource =
      props.cudaMemorySource ??
      `derived: ${props.memoryMiB} MiB x ${DERIVED_CUDA_MEMORY_RATIO}, below the measured H100 ratio`;
    if (register) {
      Accelerator.REGISTRY.set(props.id.toUpperCase(), this);
    }
  }

  /** Memory per GPU in bytes. */
  public get memoryBytes(): number {
    return this.memoryMiB * 1024 * 1024;
  }

  /** Memory per GPU in GiB (2^30 bytes). */
  public get memoryGiB(): number {
    return this.memoryMiB / 1024;
  }

  /**
   * vLLM's per-GPU-class defaults for `--max-num-batched-tokens` and `--max-num-seqs` (OpenAI
   * server, V1): 8192 / 1024 on GPUs of 70 GiB or more that are not an A100 (H100, H200, B200),
   * 2048 / 256 elsewhere (`vllm/engine/arg_utils.py` `get_batch_defaults`).
   */
  public get vllmBatchDefaults(): VllmBatchDefaults {
    const big = this.cudaMemoryGiB >= 70 && !this.displayName.toLowerCase().includes('a100');
    return big
      ? { maxNumBatchedTokens: 8192, maxNumSeqs: 1024 }
      : { maxNumBatchedTokens: 2048, maxNumSeqs: 256 };
  }

  /** Compute capability as a number, for example 8.9. */
  public get sm(): number {
    return this.computeCapability.major + this.computeCapability.minor / 10;
  }

  /** Compute capability as text, for example `8.9`. */
  public get smText(): string {
    return `${this.computeCapability.major}.${this.computeCapability.minor}`;
  }

  /** Whether the GPU has FP8 tensor cores (SM 8.9 and later: Ada, Hopper, Blackwell). */
  public get supportsFp8(): boolean {
    return this.sm >= 8.9;
  }

  /** Whether the GPUs of a multi-GPU node are connected by NVLink. */
  public get hasNvlink(): boolean {
    return this.interconnect === GpuInterconnect.NVLINK;
  }

  /** Lower-case id for labels and selectors, for example `a100-80gb`. */
  public get labelValue(): string {
    return this.id.toLowerCase().replace(/_/g, '-');
  }

  /** Whether two accelerators are the same GPU model. */
  public equals(other: Accelerator): boolean {
    return this.id.toUpperCase() === other.id.toUpperCase();
  }

  /** The id. */
  public toString(): string {
    return this.id;
  }
}

function validateProps(p: AcceleratorProps): void {
  if (!p.id || !/^[A-Za-z0-9_-]+$/.test(p.id)) {
    throw new ValidationError(
      `Accelerator 'id' ('${p.id}') must be non-empty letters, digits, '_' or '-', for example 'H100'.`,
    );
  }
  if (!Number.isFinite(p.memoryMiB) || p.memoryMiB <= 0) {
    throw new ValidationError(
      `Accelerator '${p.id}': 'memoryMiB' (${p.memoryMiB}) must be a positive number of MiB per GPU, for example 81920 for 80 GiB.`,
    );
  }
  const cc = p.computeCapability;
  if (
    !cc ||
    !Number.isInteger(cc.major) ||
    !Number.isInteger(cc.minor) ||
    cc.major < 3 ||
    cc.minor < 0 ||
    cc.minor > 9
  ) {
    throw new ValidationError(
      `Accelerator '${p.id}': 'computeCapability' (${JSON.stringify(cc)}) must be { major, minor } integers such as { major: 8, minor: 9 }.`,
    );
  }
  if (
    p.cudaMemoryGiB !== undefined &&
    !(Number.isFinite(p.cudaMemoryGiB) && p.cudaMemoryGiB > 0 && p.cudaMemoryGiB <= p.memoryMiB / 1024)
  ) {
    throw new ValidationError(
      `Accelerator '${p.id}': 'cudaMemoryGiB' (${p.cudaMemoryGiB}) must be a positive number of GiB no larger than memoryMiB / 1024 (${(p.memoryMiB / 1024).toFixed(2)}): use the total_gpu_memory vLLM logs, or omit it.`,
    );
  }
}

/**
 * Kubernetes node label that this library puts on every GPU node group / node pool it creates,
 * with the value {@link Accelerator.labelValue}. The Kubernetes constructs select on it by
 * default, so workloads land on the right GPU on any cloud.
 */
export const ACCELERATOR_NODE_LABEL = 'cdktf-ai-infra/accelerator';

/** The extended resource name the NVIDIA device plugin advertises. */
export const NVIDIA_GPU_RESOURCE = 'nvidia.com/gpu';
