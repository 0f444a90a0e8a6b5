import { Accelerator } from './accelerator';
import { ValidationError } from './errors';
import { GGML_BLOCK_TYPES, ggmlBytesPerWeight } from './gguf';
import { ModelSpec } from './model';
import { Quantization } from './quantization';
import { weightBytes } from './sizing';
import { Validate } from './validation';

const GiB = 1024 ** 3;

/**
 * KV-cache element types of llama.cpp (`--cache-type-k` / `--cache-type-v`; the allowed values
 * are `kv_cache_types` in `common/arg.cpp`). A quantized V cache needs flash attention, which
 * the engine then turns on (`--flash-attn on`).
 */
export enum LlamaCppCacheType {
  /** 16-bit float (llama.cpp's default): 2 bytes per element. */
  F16 = 'f16',
  /** ggml `q8_0` blocks: 34 bytes per 32 elements, about half of F16. */
  Q8_0 = 'q8_0',
}

/** Bytes per KV-cache element of a {@link LlamaCppCacheType}, from the ggml block layout. */
export function llamaCppCacheBytesPerElement(type: LlamaCppCacheType): number {
  return type === LlamaCppCacheType.Q8_0
    ? ggmlBytesPerWeight(GGML_BLOCK_TYPES.Q8_0)
    : ggmlBytesPerWeight(GGML_BLOCK_TYPES.F16);
}

/**
 * The fixed terms of the llama.cpp memory estimate, exposed so a deployment can compare them
 * with `llama-server`'s start-up lines (`CPU model buffer size`, `KV self size` /
 * `llama_kv_cache: size`, `compute buffer size`).
 */
export const LLAMA_CPP_MEMORY_MODEL = {
  /**
   * Physical batch (`--ubatch-size`) llama-server uses by default (`n_ubatch` 512 in
   * `common/common.h`); the compute buffer scales with it.
   */
  ubatchTokens: 512,
  /**
   * Process memory besides weights, KV cache and compute buffer (HTTP threads, tokenizer,
   * per-slot state), GiB. A planning margin, not a measured figure.
   */
  processGiB: 0.5,
  /** Fraction of GPU memory (as CUDA reports it) the small-GPU mode plans to fill. */
  gpuMemoryFraction: 0.9,
} as const;

/** Input to {@link sizeLlamaCpp}. */
export interface LlamaCppSizingOptions {
  /** The model. */
  readonly model: ModelSpec;
  /** The GGUF quantization of the file (`Quantization.GGUF_Q4_K_M`, ...). */
  readonly quantization: Quantization;
  /**
   * A GPU to offload layers to (`--n-gpu-layers`): as many layers as fit in
   * {@link LLAMA_CPP_MEMORY_MODEL.gpuMemoryFraction} of its memory, all of them when they fit.
   * @default - none: CPU only
   */
  readonly accelerator?: Accelerator;
  /**
   * Longest request (prompt + output) of one slot, tokens. `--ctx-size` is this times
   * `parallel`: llama-server divides its context among the slots.
   * @default - the model's context, capped at 8192
   */
  readonly maxModelLen?: number;
  /**
   * Requests decoded at once (`--parallel`, llama-server's slots).
   * @default 1
   */
  readonly parallel?: number;
  /**
   * KV-cache element type (`--cache-type-k` and `--cache-type-v`).
   * @default LlamaCppCacheType.F16
   */
  readonly cacheType?: LlamaCppCacheType;
  /**
   * vCPUs of the container (request and limit). `--threads` (token generation, bound by memory
   * bandwidth) is half of them, one per physical core on hosts with two hardware threads per
   * core as llama.cpp recommends; `--threads-batch` (prompt processing, bound by compute) is all
   * of them.
   * @default - 8 on CPU, 4 with an accelerator
   */
  readonly vcpus?: number;
}

/** The result of {@link sizeLlamaCpp}: memory, threads and the layers on the GPU, with the arithmetic. */
export interface LlamaCppSizing {
  /** The model (input). */
  readonly model: ModelSpec;
  /** The quantization (input). */
  readonly quantization: Quantization;
  /** The GPU layers are offloaded to, if any (input). */
  readonly accelerator?: Accelerator;
  /** Context of one slot, tokens (input, defaulted). */
  readonly maxModelLen: number;
  /** Slots (`--parallel`, input, defaulted). */
  readonly parallel: number;
  /** `--ctx-size`: `maxModelLen` x `parallel`. */
  readonly ctxSize: number;
  /** KV-cache element type (input, defaulted). */
  readonly cacheType: LlamaCppCacheType;
  /** GGUF file size, GiB (the weights llama.cpp maps). */
  readonly fileGiB: number;
  /** KV cache of all slots, GiB (sliding-window layers hold at most their window). */
  readonly kvCacheGiB: number;
  /** Compute buffer estimate, GiB: `ubatch x vocabulary x 4 B` (logits) + `ubatch x slot context x attention heads x 4 B` (attention scores without flash attention). */
  readonly computeBufferGiB: number;
  /** Transformer layers on the GPU (`--n-gpu-layers`); 0 on CPU. */
  readonly gpuLayers: number;
  /** Whether every layer (and the output layer) is on the GPU. */
  readonly fullyOffloaded: boolean;
  /** GPU memory the offloaded layers, their KV cache and the compute buffer take, GiB; 0 on CPU. */
  readonly gpuMemoryGiB: number;
  /**
   * Host memory the container needs, GiB (whole): the mapped file (its pages are page cache
   * charged to the container), the KV cache of the layers on the CPU, the compute buffer and a
   * process margin. Request and limit of the container's memory.
   */
  readonly memoryGiB: number;
  /** vCPUs of the container (input, defaulted). */
  readonly vcpus: number;
  /** `--threads`: half the vCPUs (one per physical core), at least 1. */
  readonly threads: number;
  /** `--threads-batch`: every vCPU. */
  readonly threadsBatch: number;
  /** The arithmetic, one line per step. */
  readonly explanation: string[];
}

/**
 * Sizes a llama.cpp (`llama-server`) replica of a GGUF file: the memory it maps and allocates on
 * the CPU, and with a GPU the layers that fit on it (`--n-gpu-layers`). The GGUF file size is
 * the model's parameters at the quantization's bytes per parameter ({@link weightBytes}); the
 * KV cache is llama.cpp's: `--ctx-size` cells of every layer, sliding-window layers bounded by
 * their window; the compute buffer is an upper bound for the default 512-token physical batch.
 *
 * @throws ValidationError when the quantization is not GGUF, an option is out of range, or with
 *   a GPU not even one layer fits.
 */
export function sizeLlamaCpp(options: LlamaCppSizingOptions): LlamaCppSizing {
  Validate.object(undefined, 'options', options);
  const { model, quantization, accelerator } = options;
  if (!(quantization instanceof Quantization) || !quantization.isGguf) {
    const ggufIds = Quantization.all()
      .filter((q) => q.isGguf)
      .map((q) => `Quantization.${q.id}`);
    throw new ValidationError(
      `'quantization' ${String(quantization)} is not a GGUF file: llama.cpp serves GGUF files. ` +
        `Use ${ggufIds.join(', ')}, or serve ${String(quantization)} with a GPU engine (vLLM, SGLang).`,
    );
  }
  const maxModelLen =
    options.maxModelLen === undefined
      ? Math.min(model.contextLength, 8192)
      : Validate.integer(undefined, 'maxModelLen', options.maxModelLen, {
          min: 1,
          max: model.contextLength,
          reason: `${model.name} accepts at most ${model.contextLength} tokens`,
        });
  const parallel =
    options.parallel === undefined
      ? 1
      : Validate.integer(undefined, 'parallel', options.parallel, { min: 1, max: 256 });
  const cacheType = options.cacheType ?? LlamaCppCacheType.F16;
  if (!Object.values(LlamaCppCacheType).includes(cacheType)) {
    throw new ValidationError(
      `'cacheType' (${JSON.stringify(cacheType)}) must be one of ${Object.values(LlamaCppCacheType).join(', ')} (LlamaCppCacheType).`,
    );
  }
  const vcpus = Validate.integer(undefined, 'vcpus', options.vcpus ?? (accelerator === undefined ? 8 : 4), {
    min: 1,
    max: 192,
  });
  const ctxSize = maxModelLen * parallel;
  const m = LLAMA_CPP_MEMORY_MODEL;
  const file = weightBytes(model, quantization);
  const elem = llamaCppCacheBytesPerElement(cacheType);
  const kv = parallel * model.kvCacheBytesPerSequence(maxModelLen, elem);
  const compute =
    m.ubatchTokens * model.vocabSize * 4 + m.ubatchTokens * maxModelLen * model.attentionHeads * 4;
  const process = m.processGiB * GiB;
  const explanation = [
    `GGUF file: ${model.parametersBillions}B parameters x ${quantization.bytesPerParameter} B (${quantization.id}) = ${fmt(file)}`,
    `KV cache: ${parallel} slot(s) x ${maxModelLen} tokens (--ctx-size ${ctxSize}), ${cacheType} = ${fmt(kv)}`,
    `Compute buffer (upper bound): ${m.ubatchTokens} x ${model.vocabSize} vocab x 4 B + ${m.ubatchTokens} x ${maxModelLen} x ${model.attentionHeads} heads x 4 B = ${fmt(compute)}`,
  ];

  let gpuLayers = 0;
  let gpuBytes = 0;
  let hostKv = kv;
  if (accelerator !== undefined) {
    if (!(accelerator instanceof Accelerator)) {
      throw new ValidationError(`'accelerator' must be an Accelerator (for example Accelerator.L4).`);
    }
    const usable = accelerator.cudaMemoryGiB * GiB * m.gpuMemoryFraction;
    // Input embeddings stay on the CPU; the output layer counts as one more offloadable layer.
    const embedding = model.vocabSize * model.hiddenSize * quantization.bytesPerParameter;
    const perLayerWeights = Math.max(0, file - embedding * (model.tiedEmbeddings ? 1 : 2)) / model.layers;
    const perLayerKv = kv / model.layers;
    if (file - embedding + kv + compute <= usable) {
      gpuLayers = model.layers;
      gpuBytes = file - embedding + kv + compute;
      hostKv = 0;
    } else {
      gpuLayers = Math.min(model.layers, Math.floor((usable - compute) / (perLayerWeights + perLayerKv)));
      if (gpuLayers < 1) {
        throw new ValidationError(
          `${model.name} (${quantization.id}) with ${parallel} x ${maxModelLen} tokens of context does not fit one layer on ${accelerator.id} ` +
            `(${fmt(usable)} usable; a layer takes ${fmt(perLayerWeights + perLayerKv)} plus a ${fmt(compute)} compute buffer). ` +
            `Serve it on CPU (omit 'accelerator'), shorten 'maxModelLen' or lower 'parallel'.`,
        );
      }
      gpuBytes = gpuLayers * (perLayerWeights + perLayerKv) + compute;
      hostKv = kv - gpuLayers * perLayerKv;
    }
    explanation.push(
      `${accelerator.id}: ${fmt(usable)} usable (${accelerator.cudaMemoryGiB} GiB x ${m.gpuMemoryFraction}); ` +
        `${gpuLayers} of ${model.layers} layers offloaded${gpuLayers === model.layers ? ' (all, output layer included)' : ''} = ${fmt(gpuBytes)}`,
    );
  }
  const fullyOffloaded = gpuLayers === model.layers && accelerator !== undefined;
  const host = file + hostKv + (accelerator === undefined ? compute : 0) + process;
  const memoryGiB = Math.ceil(host / GiB);
  explanation.push(
    `Host memory: file ${fmt(file)} (mapped) + KV on CPU ${fmt(hostKv)}` +
      (accelerator === undefined ? ` + compute ${fmt(compute)}` : '') +
      ` + process ${fmt(process)} = ${fmt(host)}, request ${memoryGiB} GiB`,
  );
  return {
    model,
    quantization,
    accelerator,
    maxModelLen,
    parallel,
    ctxSize,
    cacheType,
    fileGiB: file / GiB,
    kvCacheGiB: kv / GiB,
    computeBufferGiB: compute / GiB,
    gpuLayers,
    fullyOffloaded,
    gpuMemoryGiB: gpuBytes / GiB,
    memoryGiB,
    vcpus,
    threads: Math.max(1, Math.floor(vcpus / 2)),
    threadsBatch: vcpus,
    explanation,
  };
}

function fmt(bytes: number): string {
  return `${(bytes / GiB).toFixed(2)} GiB`;
}
