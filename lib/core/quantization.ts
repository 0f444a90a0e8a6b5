import { Accelerator } from './accelerator';
import { ValidationError } from './errors';

/** Properties of a {@link Quantization}. */
export interface QuantizationProps {
  /** Stable id, for example `AWQ`. */
  readonly id: string;
  /** Human description, for example `AWQ (4-bit weights, 16-bit activations)`. */
  readonly description: string;
  /**
   * Bytes per parameter of the quantized linear layers, including scales and zero points
   * (INT4 with group size 128 is about 0.5 + 3%).
   */
  readonly bytesPerParameter: number;
  /**
   * Minimum compute capability of the serving kernels (an error below it).
   */
  readonly minComputeCapability: number;
  /**
   * Minimum compute capability of the fast kernels (Marlin); below it the model runs on a slower
   * kernel and a warning is raised.
   * @default - same as minComputeCapability
   */
  readonly fastKernelMinComputeCapability?: number;
  /** Names of the GPUs and architectures that can run it, for error messages. */
  readonly supportedOn: string;
  /**
   * vLLM arguments for a checkpoint already quantized in this scheme.
   * Pre-quantized AWQ / GPTQ / W8A8 / FP8 checkpoints get no `--quantization` flag: vLLM reads
   * `quantization_config` and picks the Marlin kernels itself, while an explicit
   * `--quantization awq` forces the slow kernel (reference/kubernetes.md §7).
   */
  readonly vllmArgs: string[];
  /**
   * The TensorRT-LLM / ModelOpt quantization name (`qformat`), when TensorRT-LLM supports the
   * scheme.
   * @default - not supported by the TensorRT-LLM engine builder
   */
  readonly tensorRtLlmQFormat?: string;
  /**
   * Minimum compute capability for TensorRT-LLM (reference/kubernetes.md §12).
   * @default - same as minComputeCapability
   */
  readonly tensorRtLlmMinComputeCapability?: number;
  /** Whether embeddings and `lm_head` stay in 16-bit (true for every weight-quantized scheme). */
  readonly keepsEmbeddingsIn16Bit: boolean;
}

/**
 * A weight (and activation) precision a model is served in: bytes per parameter, the minimum
 * compute capability of its kernels and the serving-engine arguments.
 *
 * Facts: vLLM's hardware table and quantization docs, summarised in
 * `reference/kubernetes.md` §7, §12 and §13.
 *
 * @example
 * Quantization.AWQ.assertSupportedOn(Accelerator.L40S); // ok
 * Quantization.FP8.assertSupportedOn(Accelerator.A10G); // throws: FP8 needs SM >= 8.9
 */
export class Quantization {
  /** BF16 weights and activations. Needs SM 8.0 (Ampere) or later. */
  public static readonly BF16 = new Quantization({
    id: 'BF16',
    description: 'BF16 (16-bit brain float weights and activations)',
    bytesPerParameter: 2,
    minComputeCapability: 8.0,
    supportedOn: 'Ampere and later (A10G, A100, L4, L40S, H100, H200)',
    vllmArgs: ['--dtype', 'bfloat16'],
    tensorRtLlmQFormat: 'full_prec',
    keepsEmbeddingsIn16Bit: true,
  });

  /** FP16 weights and activations. Runs on Volta (SM 7.0) and later. */
  public static readonly FP16 = new Quantization({
    id: 'FP16',
    description: 'FP16 (16-bit float weights and activations)',
    bytesPerParameter: 2,
    minComputeCapability: 7.0,
    supportedOn: 'Volta and later',
    vllmArgs: ['--dtype', 'float16'],
    tensorRtLlmQFormat: 'full_prec',
    keepsEmbeddingsIn16Bit: true,
  });

  /**
   * FP8 W8A8 (a pre-quantized FP8 checkpoint). Needs FP8 tensor cores: SM 8.9 (Ada, Hopper).
   * On Ampere vLLM would only run it weight-only through FP8 Marlin, which is not what an FP8
   * deployment is sized for, so it is an error here.
   */
  public static readonly FP8 = new Quantization({
    id: 'FP8',
    description: 'FP8 W8A8 (8-bit float weights and activations)',
    bytesPerParameter: 1,
    minComputeCapability: 8.9,
    supportedOn: 'Ada and Hopper (L4, L40S, H100, H200)',
    vllmArgs: [],
    tensorRtLlmQFormat: 'fp8',
    tensorRtLlmMinComputeCapability: 8.9,
    keepsEmbeddingsIn16Bit: true,
  });

  /**
   * INT8 W8A8 (SmoothQuant / llm-compressor checkpoints, loaded as `compressed-tensors`).
   * vLLM documents it for Turing and later but its text says "compute capability > 7.5"
   * (VERIFY); this library conservatively requires SM 8.0.
   */
  public static readonly INT8 = new Quantization({
    id: 'INT8',
    description: 'INT8 W8A8 (8-bit integer weights and activations)',
    bytesPerParameter: 1,
    minComputeCapability: 8.0,
    supportedOn: 'Ampere and later (A10G, A100, L4, L40S, H100, H200)',
    vllmArgs: [],
    tensorRtLlmQFormat: 'int8_sq',
    tensorRtLlmMinComputeCapability: 8.0,
    keepsEmbeddingsIn16Bit: true,
  });

  /**
   * AWQ 4-bit weights (group size 128). The legacy kernel needs SM 7.5; the fast `awq_marlin`
   * kernel vLLM picks automatically needs SM 8.0.
   */
  public static readonly AWQ = new Quantization({
    id: 'AWQ',
    description: 'AWQ (4-bit weights, 16-bit activations)',
    bytesPerParameter: 0.515,
    minComputeCapability: 7.5,
    fastKernelMinComputeCapability: 8.0,
    supportedOn: 'Turing and later; Marlin kernels on Ampere and later',
    vllmArgs: [],
    tensorRtLlmQFormat: 'int4_awq',
    tensorRtLlmMinComputeCapability: 8.0,
    keepsEmbeddingsIn16Bit: true,
  });

  /**
   * GPTQ 4-bit weights (group size 128). Runs on Volta and later; the fast `gptq_marlin`
   * kernel vLLM picks automatically needs SM 8.0.
   */
  public static readonly GPTQ = new Quantization({
    id: 'GPTQ',
    description: 'GPTQ (4-bit weights, 16-bit activations)',
    bytesPerParameter: 0.515,
    minComputeCapability: 7.0,
    fastKernelMinComputeCapability: 8.0,
    supportedOn: 'Volta and later; Marlin kernels on Ampere and later',
    vllmArgs: [],
    keepsEmbeddingsIn16Bit: true,
  });

  /** Every catalogued quantization. */
  public static all(): Quantization[] {
    return [
      Quantization.BF16,
      Quantization.FP16,
      Quantization.FP8,
      Quantization.INT8,
      Quantization.AWQ,
      Quantization.GPTQ,
    ];
  }

  /** Describes another scheme. */
  public static of(props: QuantizationProps): Quantization {
    return new Quantization(props);
  }

  /** Stable id. */
  public readonly id: string;
  /** Human description. */
  public readonly description: string;
  /** Bytes per parameter of the quantized layers. */
  public readonly bytesPerParameter: number;
  /** Minimum compute capability of the kernels. */
  public readonly minComputeCapability: number;
  /** Minimum compute capability of the fast (Marlin) kernels. */
  public readonly fastKernelMinComputeCapability: number;
  /** Where it runs, for messages. */
  public readonly supportedOn: string;
  /** vLLM arguments for a pre-quantized checkpoint. */
  public readonly vllmArgs: string[];
  /** TensorRT-LLM quantization format, if supported. */
  public readonly tensorRtLlmQFormat?: string;
  /** Minimum compute capability for TensorRT-LLM. */
  public readonly tensorRtLlmMinComputeCapability: number;
  /** Whether embeddings and lm_head stay 16-bit. */
  public readonly keepsEmbeddingsIn16Bit: boolean;

  private constructor(props: QuantizationProps) {
    if (!(props.bytesPerParameter > 0 && props.bytesPerParameter <= 4)) {
      throw new ValidationError(
        `Quantization '${props.id}': 'bytesPerParameter' (${props.bytesPerParameter}) must be > 0 and <= 4.`,
      );
    }
    this.id = props.id;
    this.description = props.description;
    this.bytesPerParameter = props.bytesPerParameter;
    this.minComputeCapability = props.minComputeCapability;
    this.fastKernelMinComputeCapability = props.fastKernelMinComputeCapability ?? props.minComputeCapability;
    this.supportedOn = props.supportedOn;
    this.vllmArgs = [...props.vllmArgs];
    this.tensorRtLlmQFormat = props.tensorRtLlmQFormat;
    this.tensorRtLlmMinComputeCapability =
      props.tensorRtLlmMinComputeCapability ?? props.minComputeCapability;
    this.keepsEmbeddingsIn16Bit = props.keepsEmbeddingsIn16Bit;
  }

  /** Whether the serving kernels run on `accelerator` at all. */
  public isSupportedOn(accelerator: Accelerator): boolean {
    return accelerator.sm + 1e-9 >= this.minComputeCapability;
  }

  /** Whether the fast (Marlin) kernels run on `accelerator`. */
  public hasFastKernelOn(accelerator: Accelerator): boolean {
    return accelerator.sm + 1e-9 >= this.fastKernelMinComputeCapability;
  }

  /**
   * Throws a ValidationError explaining why this scheme cannot be served on `accelerator`, and
   * what to use instead.
   */
  public assertSupportedOn(accelerator: Accelerator): void {
    if (this.isSupportedOn(accelerator)) {
      return;
    }
    const alternatives = Quantization.all()
      .filter((q) => q.isSupportedOn(accelerator) && q.id !== 'FP16')
      .map((q) => q.id);
    const gpus = Accelerator.all()
      .filter((a) => this.isSupportedOn(a))
      .map((a) => a.id);
    throw new ValidationError(
      `'quantization' ${this.id} needs compute capability >= ${this.minComputeCapability.toFixed(1)} (${this.supportedOn}); ` +
        `${accelerator.id} is SM ${accelerator.smText} (${accelerator.architecture}). ` +
        `Use ${alternatives.join(' / ')} on ${accelerator.id}, or choose a GPU that supports ${this.id}: ${gpus.join(', ')}.`,
    );
  }

  /** The id. */
  public toString(): string {
    return this.id;
  }
}

/** KV-cache precision. */
export enum KvCacheDtype {
  /** Same as the model's activation dtype (2 bytes per element for BF16 / FP16). */
  AUTO = 'auto',
  /** FP8 KV cache (`--kv-cache-dtype fp8`): half the bytes, roughly double the capacity. */
  FP8 = 'fp8',
}

/** Bytes per KV-cache element for a KV-cache dtype. */
export function kvCacheBytesPerElement(dtype: KvCacheDtype): number {
  return dtype === KvCacheDtype.FP8 ? 1 : 2;
}
