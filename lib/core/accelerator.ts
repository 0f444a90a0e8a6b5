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

  private constructor(props: AcceleratorProps, register = true) {
    validateProps(props);
    this.id = props.id;
    this.displayName = props.displayName;
    this.memoryMiB = props.memoryMiB;
    this.computeCapability = props.computeCapability;
    this.architecture = props.architecture;
    this.interconnect = props.interconnect;
    this.memoryType = props.memoryType;
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
}

/**
 * Kubernetes node label that this library puts on every GPU node group / node pool it creates,
 * with the value {@link Accelerator.labelValue}. The Kubernetes constructs select on it by
 * default, so workloads land on the right GPU on any cloud.
 */
export const ACCELERATOR_NODE_LABEL = 'cdktf-ai-infra/accelerator';

/** The extended resource name the NVIDIA device plugin advertises. */
export const NVIDIA_GPU_RESOURCE = 'nvidia.com/gpu';
