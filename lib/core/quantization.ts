import { Accelerator } from './accelerator';
import { ValidationError } from './errors';

/** Which parameters a {@link Quantization} stores at its reduced precision. */
export enum QuantizedLayers {
  /** Every linear layer of the transformer body (embeddings per `keepsEmbeddingsIn16Bit`). */
  ALL_LINEAR = 'all-linear',
  /** Only the mixture-of-experts expert weights; everything else stays 16-bit. */
  EXPERTS_ONLY = 'experts-only',
}

/** The checkpoint format of a {@link Quantization}, which decides the engine that serves it. */
export enum WeightFormat {
  /** Hugging Face safetensors (vLLM, SGLang, TensorRT-LLM). */
  SAFETENSORS = 'safetensors',
  /** A single GGUF file (llama.cpp `llama-server`); sized by file size, not by vLLM's profiler. */
  GGUF = 'gguf',
}

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
   * Minimum compute capability of any serving kernel, weight-only fallbacks included (an error
   * below it).
   */
  readonly minComputeCapability: number;
  /**
   * Minimum compute capability at which the scheme computes in its own precision (FP8 or FP4
   * tensor cores). Between {@link minComputeCapability} and this, vLLM runs the checkpoint
   * weight-only (weights dequantized to 16-bit inside a Marlin kernel): same weight memory, no
   * low-precision compute, and the sizing raises a `weight-only-quantization` finding.
   * @default - same as minComputeCapability (no weight-only fallback)
   */
  readonly nativeMinComputeCapability?: number;
  /**
   * Name of the weight-only kernel used below {@link nativeMinComputeCapability}, for messages.
   * @default 'Marlin'
   */
  readonly weightOnlyKernel?: string;
  /**
   * Which parameters the scheme quantizes: every linear layer, or only the MoE experts (MXFP4 in
   * gpt-oss keeps attention, router, embeddings and lm_head in BF16).
   * @default QuantizedLayers.ALL_LINEAR
   */
  readonly quantizedLayers?: QuantizedLayers;
  /**
   * The file format and so the engine that serves it.
   * @default WeightFormat.SAFETENSORS
   */
  readonly format?: WeightFormat;
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
   * FP8 W8A8 (a pre-quantized FP8 checkpoint). FP8 compute needs FP8 tensor cores: SM 8.9 (Ada,
   * Hopper, Blackwell). On Ampere (SM 8.0 / 8.6) vLLM runs FP8 checkpoints weight-only through
   * FP8 Marlin (vLLM FP8 docs; PR #5975): half the weight memory of BF16, 16-bit compute, and a
   * `weight-only-quantization` finding. MoE checkpoints too: GPUStack's performance lab serves
   * Qwen3-235B-A22B-Instruct-2507-FP8 on 4 x A100 with vLLM
   * (gpustack/gpustack `docs/performance-lab/qwen3-235b-a22b/a100.md`).
   */
  public static readonly FP8 = new Quantization({
    id: 'FP8',
    description: 'FP8 W8A8 (8-bit float weights and activations)',
    bytesPerParameter: 1,
    minComputeCapability: 8.0,
    nativeMinComputeCapability: 8.9,
    weightOnlyKernel: 'FP8 Marlin',
    supportedOn: 'Ada, Hopper and Blackwell (L4, L40S, H100, H200, B200); weight-only on Ampere (A10G, A100)',
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

  /**
   * W4A16 in the `compressed-tensors` format (llm-compressor / Neural Magic / Red Hat 4-bit
   * checkpoints, group size 128): 4-bit weights, 16-bit activations, run by the Marlin / Machete
   * kernels vLLM picks from `quantization_config` (SM 8.0 and later).
   */
  public static readonly W4A16 = new Quantization({
    id: 'W4A16',
    description: 'W4A16 compressed-tensors (4-bit integer weights, 16-bit activations)',
    bytesPerParameter: 0.515,
    minComputeCapability: 8.0,
    supportedOn: 'Ampere and later (Marlin / Machete kernels)',
    vllmArgs: [],
    keepsEmbeddingsIn16Bit: true,
  });

  /**
   * MXFP4 (OCP microscaling FP4: 4-bit E2M1 values with one 8-bit scale per 32, 4.25 bits per
   * weight), as gpt-oss ships its MoE experts; attention, router, embeddings and lm_head stay
   * BF16. vLLM runs it on Blackwell natively, on Hopper with its Triton kernels and on Ampere with
   * Marlin MXFP4 MoE (vllm-project/recipes `OpenAI/GPT-OSS.md`: "GPT-OSS works on Ampere devices
   * by default ... Marlin MXFP4 MoE"), so it needs SM 8.0.
   */
  public static readonly MXFP4 = new Quantization({
    id: 'MXFP4',
    description: 'MXFP4 (4-bit microscaling float MoE experts, 16-bit everything else)',
    bytesPerParameter: 4.25 / 8,
    minComputeCapability: 8.0,
    supportedOn: 'Ampere and later (Marlin MXFP4 on Ampere, Triton on Hopper, native FP4 on Blackwell)',
    vllmArgs: [],
    keepsEmbeddingsIn16Bit: true,
    quantizedLayers: QuantizedLayers.EXPERTS_ONLY,
  });

  /**
   * NVFP4 (NVIDIA ModelOpt FP4: 4-bit E2M1 values with one FP8 scale per 16, 4.5 bits per weight).
   * FP4 compute needs Blackwell FP4 tensor cores (SM 10.0; ModelOpt / TensorRT-LLM support
   * matrix, reference/kubernetes.md §12). vLLM falls back to Marlin FP4, weight-only, on A100
   * and H100 (vllm-project/recipes `Mistral/Mistral-Large-3.md`): the memory saving stays, the
   * speed-up does not.
   */
  public static readonly NVFP4 = new Quantization({
    id: 'NVFP4',
    description: 'NVFP4 (4-bit float weights and activations, FP8 block scales)',
    bytesPerParameter: 4.5 / 8,
    minComputeCapability: 8.0,
    nativeMinComputeCapability: 10.0,
    weightOnlyKernel: 'Marlin FP4',
    supportedOn: 'Blackwell (B200); weight-only through Marlin FP4 on Ampere, Ada and Hopper',
    vllmArgs: [],
    tensorRtLlmQFormat: 'nvfp4',
    tensorRtLlmMinComputeCapability: 10.0,
    keepsEmbeddingsIn16Bit: true,
  });

  /**
   * GGUF Q4_K_M for llama.cpp: 4.58 GiB for Llama-3-8B (8.03B parameters) = 0.612 bytes per
   * parameter averaged over the whole file, embeddings and output included (llama.cpp
   * `tools/quantize/quantize.cpp`, `QUANT_OPTIONS`). Served by `llama-server`, not vLLM.
   */
  public static readonly GGUF_Q4_K_M = new Quantization(
    ggufProps(
      'GGUF_Q4_K_M',
      'GGUF Q4_K_M (llama.cpp k-quant, mostly 4-bit with 6-bit for sensitive tensors)',
      4.58,
    ),
  );

  /**
   * GGUF Q5_K_M for llama.cpp: 5.33 GiB for Llama-3-8B = 0.713 bytes per parameter (llama.cpp
   * `tools/quantize/quantize.cpp`, `QUANT_OPTIONS`).
   */
  public static readonly GGUF_Q5_K_M = new Quantization(
    ggufProps(
      'GGUF_Q5_K_M',
      'GGUF Q5_K_M (llama.cpp k-quant, mostly 5-bit with 6-bit for sensitive tensors)',
      5.33,
    ),
  );

  /**
   * GGUF Q8_0 for llama.cpp: 7.96 GiB for Llama-3-8B = 1.064 bytes per parameter (34-byte blocks
   * of 32 weights; llama.cpp `tools/quantize/quantize.cpp`, `QUANT_OPTIONS`).
   */
  public static readonly GGUF_Q8_0 = new Quantization(
    ggufProps('GGUF_Q8_0', 'GGUF Q8_0 (llama.cpp 8-bit blocks of 32 with one FP16 scale)', 7.96),
  );

  /** Every catalogued quantization. */
  public static all(): Quantization[] {
    return [
      Quantization.BF16,
      Quantization.FP16,
      Quantization.FP8,
      Quantization.INT8,
      Quantization.AWQ,
      Quantization.GPTQ,
      Quantization.W4A16,
      Quantization.MXFP4,
      Quantization.NVFP4,
      Quantization.GGUF_Q4_K_M,
      Quantization.GGUF_Q5_K_M,
      Quantization.GGUF_Q8_0,
    ];
  }

  /**
   * The scheme of a checkpoint from its Hugging Face `config.json` object (no network):
   * `quantization_config.quant_method` `fp8`, `mxfp4`, `awq`, `gptq`, `compressed-tensors`
   * (W4A16, INT8 W8A8, FP8 W8A8 or NVFP4 from its `config_groups` / `format`) or `modelopt`
   * (`quant_algo` FP8 or NVFP4); without `quantization_config`, `torch_dtype` bfloat16 or float16.
   *
   * @throws ValidationError naming the config key that is missing or not understood.
   */
  public static fromHuggingFaceConfig(config: unknown): Quantization {
    return quantizationFromConfig(config);
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
  /** Minimum compute capability of compute in the scheme's own precision. */
  public readonly nativeMinComputeCapability: number;
  /** The weight-only kernel used below the native compute capability. */
  public readonly weightOnlyKernel: string;
  /** Which parameters are quantized. */
  public readonly quantizedLayers: QuantizedLayers;
  /** Checkpoint format. */
  public readonly format: WeightFormat;
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
    const native = props.nativeMinComputeCapability;
    if (native !== undefined && !(Number.isFinite(native) && native >= props.minComputeCapability)) {
      throw new ValidationError(
        `Quantization '${props.id}': 'nativeMinComputeCapability' (${native}) must be >= 'minComputeCapability' (${props.minComputeCapability}); omit it when the scheme has no weight-only fallback.`,
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
    this.nativeMinComputeCapability = props.nativeMinComputeCapability ?? props.minComputeCapability;
    this.weightOnlyKernel = props.weightOnlyKernel ?? 'Marlin';
    this.quantizedLayers = props.quantizedLayers ?? QuantizedLayers.ALL_LINEAR;
    this.format = props.format ?? WeightFormat.SAFETENSORS;
  }

  /** Whether checkpoints in this scheme are GGUF files for llama.cpp. */
  public get isGguf(): boolean {
    return this.format === WeightFormat.GGUF;
  }

  /**
   * Whether the scheme runs weight-only on `accelerator`: a kernel exists, but the GPU lacks the
   * tensor cores of the scheme's precision (FP8 or NVFP4 on Ampere).
   */
  public runsWeightOnlyOn(accelerator: Accelerator): boolean {
    return this.isSupportedOn(accelerator) && accelerator.sm + 1e-9 < this.nativeMinComputeCapability;
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
      .filter(
        (q) =>
          q.isSupportedOn(accelerator) && q.id !== 'FP16' && !q.isGguf && !q.runsWeightOnlyOn(accelerator),
      )
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

/** Bytes per parameter of a GGUF type from llama.cpp's file size for Llama-3-8B (8.03B parameters). */
function ggufBytesPerParameter(llama3_8bGiB: number): number {
  return Math.round(((llama3_8bGiB * 1024 ** 3) / 8.03e9) * 10000) / 10000;
}

/**
 * The props of a GGUF type for llama.cpp (`llama-server`, not vLLM: no vLLM arguments), which runs
 * on any CPU or GPU and quantizes the embeddings too.
 * @param llama3_8bGiB the file size of Llama-3-8B in that type, GiB (see {@link ggufBytesPerParameter})
 */
function ggufProps(id: string, description: string, llama3_8bGiB: number): QuantizationProps {
  return {
    id,
    description,
    bytesPerParameter: ggufBytesPerParameter(llama3_8bGiB),
    minComputeCapability: 0,
    supportedOn: 'any CPU or GPU llama.cpp supports',
    vllmArgs: [],
    keepsEmbeddingsIn16Bit: false,
    format: WeightFormat.GGUF,
  };
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

const QUANT_METHODS = ['fp8', 'mxfp4', 'awq', 'gptq', 'compressed-tensors', 'modelopt'];

function quantizationFromConfig(config: unknown): Quantization {
  const c = obj(config);
  if (!c) {
    throw new ValidationError(
      `Quantization.fromHuggingFaceConfig: 'config' must be the parsed config.json object, got ${Array.isArray(config) ? 'an array' : typeof config}.`,
    );
  }
  const q = obj(c.quantization_config);
  if (!q) {
    const dtype = c.torch_dtype ?? c.dtype ?? obj(c.text_config)?.torch_dtype;
    if (dtype === 'bfloat16') return Quantization.BF16;
    if (dtype === 'float16') return Quantization.FP16;
    throw new ValidationError(
      `config.json has no 'quantization_config' and 'torch_dtype' (${JSON.stringify(dtype)}) is not 'bfloat16' or 'float16': pass the quantization explicitly.`,
    );
  }
  const method = String(q.quant_method ?? '').toLowerCase();
  switch (method) {
    case 'fp8':
      return Quantization.FP8;
    case 'mxfp4':
      return Quantization.MXFP4;
    case 'awq':
      return Quantization.AWQ;
    case 'gptq':
      return Quantization.GPTQ;
    case 'modelopt': {
      const algo = String(q.quant_algo ?? obj(q.quantization)?.quant_algo ?? '').toUpperCase();
      if (algo === 'FP8') return Quantization.FP8;
      if (algo === 'NVFP4') return Quantization.NVFP4;
      throw new ValidationError(
        `config.json: 'quantization_config.quant_algo' (${JSON.stringify(algo)}) of a modelopt checkpoint must be 'FP8' or 'NVFP4'.`,
      );
    }
    case 'compressed-tensors':
      return compressedTensorsScheme(q);
    default:
      throw new ValidationError(
        `config.json: 'quantization_config.quant_method' (${JSON.stringify(q.quant_method)}) is not one this library sizes (${QUANT_METHODS.join(', ')}): describe it with Quantization.of({...}).`,
      );
  }
}

function compressedTensorsScheme(q: Record<string, unknown>): Quantization {
  if (String(q.format ?? '').startsWith('nvfp4')) {
    return Quantization.NVFP4;
  }
  const groups = obj(q.config_groups);
  const first = groups ? obj(Object.values(groups)[0]) : undefined;
  const weights = obj(first?.weights);
  if (!weights) {
    throw new ValidationError(
      `config.json: a compressed-tensors 'quantization_config' needs 'config_groups.<group>.weights' (num_bits, type) to tell the scheme.`,
    );
  }
  const bits = weights.num_bits;
  const type = String(weights.type ?? 'int');
  const activations = obj(first?.input_activations);
  if (bits === 4 && type === 'float') return Quantization.NVFP4;
  if (bits === 4 && !activations) return Quantization.W4A16;
  if (bits === 8 && activations && type === 'float') return Quantization.FP8;
  if (bits === 8 && activations && type === 'int') return Quantization.INT8;
  throw new ValidationError(
    `config.json: compressed-tensors weights of ${JSON.stringify(bits)} bits (${type})${activations ? ' with quantized activations' : ''} are not a scheme this library sizes (W4A16, W8A8 INT8, W8A8 FP8, NVFP4): describe it with Quantization.of({...}).`,
  );
}
