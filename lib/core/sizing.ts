import { Accelerator } from './accelerator';
import { ValidationError } from './errors';
import { VLLM_HYBRID_KV_CACHE, VllmKvCachePlan, vllmKvCachePlan } from './kv-cache';
import { ModelSpec } from './model';
import { KvCacheDtype, Quantization, QuantizedLayers, kvCacheBytesPerElement } from './quantization';
import { VALIDATION_CODES, Validate, describeValue } from './validation';

const GiB = 1024 ** 3;

/**
 * The memory terms of vLLM V1's start-up profile that the sizing reproduces
 * (`vllm/v1/worker/gpu_worker.py` `determine_available_memory`, reference/serving.md §4):
 *
 * KV cache = CUDA total x `gpu_memory_utilization` - weights - peak activations of the profiling
 * run - non-torch memory - CUDA graphs.
 *
 * Calibrated against vLLM's own logs, not guessed: Llama-3-8B BF16 on H100 (vLLM PR #10511)
 * logged weights 14.96 GiB, non-torch 1.79 GiB (3.58 GiB per GPU at tensor parallel 2) and
 * activations 1.26 GiB at both TP 1 and TP 2, with an 8192-token, 256-sequence profiling batch.
 * The arithmetic is exposed in {@link SizingResult.explanation} so a deployment can be compared
 * with vLLM's "Available KV cache memory" and "Maximum concurrency" start-up lines.
 */
export const VLLM_MEMORY_MODEL = {
  /** Non-torch memory (CUDA context, cuBLAS workspaces) of a single-GPU replica, GiB: 1.79 measured (PR #10511). */
  nonTorchGiBSingleGpu: 1.8,
  /** Non-torch memory per GPU once NCCL and custom all-reduce buffers exist (TP or PP > 1), GiB: 3.58 measured (PR #10511). */
  nonTorchGiBMultiGpu: 3.6,
  /**
   * CUDA graph memory per GPU, GiB. vLLM profiles it and takes it from the KV budget since about
   * v0.21; 0.36-0.58 GiB seen in logs (reference/serving.md §4), rounded up.
   */
  cudaGraphsGiB: 0.6,
  /**
   * Peak activation bytes per profiling token per unit of (hidden size + active FFN width).
   * Llama-3-8B: 8192 tokens x (4096 + 14336) x 8 B + 256 x 128256 x 4 B = 1.25 GiB, against
   * 1.26 GiB measured (PR #10511). Not divided by tensor parallelism: the measurement did not
   * shrink at TP 2.
   */
  activationBytesPerTokenWidth: 8,
  /** Logit bytes per profiled sequence per vocabulary entry (float32 logits of the sampler run). */
  logitBytesPerSequenceVocab: 4,
  /**
   * Bytes per position per rotary dimension of the rotary-embedding cos/sin cache: vLLM's
   * `RotaryEmbedding` precomputes `[max_position, rotary_dim]` in the model dtype when the model
   * loads, one cache shared by every layer and replicated on every GPU
   * (`vllm/model_executor/layers/rotary_embedding`). Negligible at 128k positions (32 MiB for
   * Llama 3.1), 2.5 GiB per GPU for Llama 4 Scout's 10,485,760 (measured KV budget: see
   * `VLLM_HYBRID_KV_CACHE`).
   */
  ropeCacheBytesPerElement: 2,
} as const;

/** Tensor-parallel degrees tried within a node, smallest first. */
export const TENSOR_PARALLEL_DEGREES = [1, 2, 4, 8] as const;

/** Input to {@link sizeModel}. */
export interface SizingOptions {
  /** The model. */
  readonly model: ModelSpec;
  /** The precision it is served in. */
  readonly quantization: Quantization;
  /** The GPU it runs on. */
  readonly accelerator: Accelerator;
  /**
   * Longest request (prompt + output) in tokens: vLLM `--max-model-len`.
   * @default - the model's context ({@link ModelSpec.contextLength}), capped at 8192
   */
  readonly maxModelLen?: number;
  /**
   * How many full-length sequences the KV cache must hold at once. vLLM refuses to start when
   * it cannot hold one; more gives headroom for concurrent requests.
   * @default 1
   */
  readonly concurrentSequences?: number;
  /**
   * Fraction of GPU memory vLLM may use (`--gpu-memory-utilization`).
   * @default 0.9
   */
  readonly gpuMemoryUtilization?: number;
  /**
   * KV-cache precision.
   * @default KvCacheDtype.AUTO
   */
  readonly kvCacheDtype?: KvCacheDtype;
  /**
   * Tokens per scheduler step (`--max-num-batched-tokens`); the profiling run that sizes the KV
   * cache uses this batch, so the model server must pass the same value.
   * @default - vLLM's default for the GPU class: 8192 on H100 / H200 / B200, 2048 elsewhere
   *   ({@link Accelerator.vllmBatchDefaults})
   */
  readonly maxNumBatchedTokens?: number;
  /**
   * Sequences per scheduler step (`--max-num-seqs`); sizes the sampler's profiling batch.
   * @default - vLLM's default for the GPU class: 1024 on H100 / H200 / B200, 256 elsewhere
   */
  readonly maxNumSeqs?: number;
  /**
   * GPUs of one node (1, 2, 4 or 8): the most a replica uses for tensor parallelism.
   * @default 8
   */
  readonly gpusPerNode?: number;
  /**
   * Alias of {@link gpusPerNode}, kept for existing callers.
   * @deprecated use gpusPerNode
   * @default 8
   */
  readonly maxGpusPerReplica?: number;
  /**
   * Most nodes one replica may span. Above one node the replica runs tensor parallel across all
   * GPUs of each node and pipeline parallel across nodes (the vLLM Llama 3.1 405B layout);
   * serving it needs multi-node serving (LeaderWorkerSet) and a fast fabric.
   * @default 1
   */
  readonly maxNodesPerReplica?: number;
  /**
   * LoRA adapter slots vLLM reserves on every GPU (`--enable-lora`): their memory is allocated
   * when the model loads, so it comes out of the KV-cache budget ({@link loraSlotBytesPerGpu}).
   * @default - no LoRA
   */
  readonly lora?: LoraSizingOptions;
  /**
   * Whether vLLM's hybrid KV-cache manager sizes the KV cache of a model with sliding-window or
   * chunked-attention layers (Gemma 3, gpt-oss, Llama 4): those layers then keep their window or
   * chunk plus one scheduler batch instead of every token ({@link vllmKvCachePlan}). The pinned
   * vLLM runs it by default, also for Llama 4's chunked attention ({@link VLLM_HYBRID_KV_CACHE});
   * set false when the deployment turns it off (EAGLE speculative decoding on Llama 4, a KV
   * connector without hybrid support, `VLLM_ALLOW_CHUNKED_LOCAL_ATTN_WITH_HYBRID_KV_CACHE=0`):
   * the sizing then keeps every token in every layer and {@link vllmSizingArgs} passes
   * `--disable-hybrid-kv-cache-manager`, so the engine runs what was sized.
   * @default true
   */
  readonly hybridKvCacheManager?: boolean;
  /**
   * Tensor-parallel degree to size for instead of the smallest that fits: a published layout or
   * a throughput choice (more GPUs, more KV cache). The sizing checks it fits and reports its KV
   * cache. With `maxNodesPerReplica` above 1 the layouts across nodes keep this degree.
   * @default - the smallest degree of 1, 2, 4, 8 that fits
   */
  readonly tensorParallelSize?: number;
}

/** The LoRA slots of a vLLM replica, for {@link SizingOptions.lora}. */
export interface LoraSizingOptions {
  /** Adapters held on the GPU at once (`--max-loras`), at least 1. */
  readonly maxLoras: number;
  /** Rank every slot is sized for (`--max-lora-rank`), 1 to 512. */
  readonly maxLoraRank: number;
}

/** Ids of the advisory findings a sizing can carry; constructs raise them as warnings. */
export enum SizingAdvice {
  /** Tensor parallelism above 2 on PCIe-only GPUs: vLLM disables its custom all-reduce. */
  PCIE_TENSOR_PARALLEL = 'pcie-tensor-parallel',
  /** The quantization runs on a slower kernel on this GPU (no Marlin). */
  SLOW_KERNEL = 'slow-quantization-kernel',
  /** The checkpoint runs weight-only (FP8 / NVFP4 through Marlin): memory saving, not low-precision compute. */
  WEIGHT_ONLY_QUANTIZATION = 'weight-only-quantization',
  /** A replica spans several nodes (pipeline parallel): needs multi-node serving and a fast fabric. */
  MULTI_NODE = 'multi-node-replica',
}

/** One advisory finding of a sizing. */
export interface SizingFinding {
  /** Stable id. */
  readonly id: SizingAdvice;
  /** What and why. */
  readonly message: string;
}

/** The result of {@link sizeModel}: the GPUs one replica needs and the arithmetic behind it. */
export interface SizingResult {
  /** The model (input). */
  readonly model: ModelSpec;
  /** The quantization (input). */
  readonly quantization: Quantization;
  /** The GPU (input). */
  readonly accelerator: Accelerator;
  /** vLLM `--max-model-len` (input, defaulted). */
  readonly maxModelLen: number;
  /** Full-length sequences the KV cache must hold (input, defaulted). */
  readonly concurrentSequences: number;
  /** vLLM `--gpu-memory-utilization` (input, defaulted). */
  readonly gpuMemoryUtilization: number;
  /** KV-cache precision (input, defaulted). */
  readonly kvCacheDtype: KvCacheDtype;
  /** vLLM `--max-num-batched-tokens`: the profiling batch the sizing assumed; pass it to vLLM. */
  readonly maxNumBatchedTokens: number;
  /** vLLM `--max-num-seqs`: the sampler batch the sizing assumed; pass it to vLLM. */
  readonly maxNumSeqs: number;
  /** vLLM `--tensor-parallel-size` (GPUs of one node a replica uses). */
  readonly tensorParallelSize: number;
  /** vLLM `--pipeline-parallel-size` (1 within a node; the node count across nodes). */
  readonly pipelineParallelSize: number;
  /**
   * GPUs that hold a share of the MoE experts with `--enable-expert-parallel` (tensor x pipeline
   * parallel size); 1 for a dense model. Memory per GPU is the same with or without it.
   */
  readonly expertParallelSize: number;
  /** Nodes one replica spans. */
  readonly nodesPerReplica: number;
  /** GPUs the replica uses on each node (equal to the tensor-parallel size). */
  readonly gpusPerNode: number;
  /** GPUs per replica: tensor parallel x pipeline parallel. */
  readonly gpusPerReplica: number;
  /** Total weight memory, GiB. */
  readonly weightsGiB: number;
  /** Weight memory per GPU (the largest pipeline stage), GiB. */
  readonly weightsPerGpuGiB: number;
  /** Memory per GPU as CUDA reports it, GiB. */
  readonly cudaMemoryGiB: number;
  /** Memory vLLM may use per GPU (CUDA total x utilization), GiB. */
  readonly usablePerGpuGiB: number;
  /** Peak activations of the profiling run per GPU, GiB. */
  readonly activationsPerGpuGiB: number;
  /** Non-torch memory per GPU, GiB. */
  readonly nonTorchPerGpuGiB: number;
  /** CUDA graph memory per GPU, GiB. */
  readonly cudaGraphsPerGpuGiB: number;
  /** Rotary-embedding cos/sin cache per GPU, GiB ({@link ropeCacheBytesPerGpu}). */
  readonly ropeCachePerGpuGiB: number;
  /** Activations + non-torch + CUDA graphs + rotary cache per GPU, GiB. */
  readonly overheadPerGpuGiB: number;
  /** LoRA slots (`--max-loras` x {@link loraSlotBytesPerGpu}) per GPU, GiB; 0 without LoRA. */
  readonly loraSlotsPerGpuGiB: number;
  /** `--max-loras` the sizing reserved; 0 without LoRA. */
  readonly maxLoras: number;
  /** `--max-lora-rank` the slots are sized for; 0 without LoRA. */
  readonly maxLoraRank: number;
  /** Whether vLLM's hybrid KV-cache manager runs (input, defaulted; see {@link SizingOptions.hybridKvCacheManager}). */
  readonly hybridKvCacheManager: boolean;
  /** The KV cache of one GPU as vLLM lays it out: groups by kind of layer, tokens and bytes per sequence. */
  readonly kvCache: VllmKvCachePlan;
  /** KV cache left per GPU, GiB (vLLM's "Available KV cache memory"). */
  readonly kvCachePerGpuGiB: number;
  /** KV-cache bytes one token of a full-length sequence needs on one GPU (averaged over local-attention layers and padding). */
  readonly kvBytesPerTokenPerGpu: number;
  /** KV cache one full-length sequence needs per GPU, GiB. */
  readonly kvPerSequencePerGpuGiB: number;
  /** vLLM's "GPU KV cache size" in tokens: the KV budget / {@link VllmKvCachePlan.bytesPerCacheToken}. */
  readonly kvCacheTokens: number;
  /** Full-length sequences the KV cache holds at once (vLLM's "Maximum concurrency"). */
  readonly maxConcurrentSequences: number;
  /** The arithmetic, one line per step, for errors, docs and annotations. */
  readonly explanation: string[];
  /** Advisory findings (legal but probably not what you want). */
  readonly findings: SizingFinding[];
}

/** Weight bytes split into the quantized part and the part kept 16-bit (embeddings, and for expert-only schemes everything but the experts). */
interface WeightSplit {
  readonly quantizedParams: number;
  readonly sixteenBitParams: number;
  /** Bytes of one embedding matrix (input embedding or lm_head). */
  readonly embeddingMatrixBytes: number;
  readonly total: number;
}

function splitWeights(model: ModelSpec, quantization: Quantization): WeightSplit {
  const bpp = quantization.bytesPerParameter;
  const embedBpp = quantization.keepsEmbeddingsIn16Bit ? Math.max(2, bpp) : bpp;
  const embeddingMatrixBytes = model.vocabSize * model.hiddenSize * embedBpp;
  if (quantization.quantizedLayers === QuantizedLayers.EXPERTS_ONLY) {
    const quantizedParams = Math.min(model.expertParameters, model.parameters);
    const sixteenBitParams = model.parameters - quantizedParams;
    return {
      quantizedParams,
      sixteenBitParams,
      embeddingMatrixBytes,
      total: quantizedParams * bpp + sixteenBitParams * Math.max(2, bpp),
    };
  }
  if (!quantization.keepsEmbeddingsIn16Bit) {
    return {
      quantizedParams: model.parameters,
      sixteenBitParams: 0,
      embeddingMatrixBytes,
      total: model.parameters * bpp,
    };
  }
  const embed = Math.min(model.embeddingParameters, model.parameters);
  const body = model.parameters - embed;
  return {
    quantizedParams: body,
    sixteenBitParams: embed,
    embeddingMatrixBytes,
    total: body * bpp + embed * embedBpp,
  };
}

/**
 * Weight memory of `model` in `quantization`, in bytes. Embeddings and lm_head stay 16-bit in
 * weight-quantized schemes; expert-only schemes (MXFP4) keep everything but the experts 16-bit;
 * GGUF averages over the whole file (its llama.cpp file size).
 */
export function weightBytes(model: ModelSpec, quantization: Quantization): number {
  return splitWeights(model, quantization).total;
}

/**
 * Peak activation bytes per GPU of vLLM's profiling run: `maxNumBatchedTokens` x (hidden size +
 * active FFN width) x 8 B + `maxNumSeqs` x vocabulary x 4 B ({@link VLLM_MEMORY_MODEL}).
 */
export function activationBytesPerGpu(
  model: ModelSpec,
  maxNumBatchedTokens: number,
  maxNumSeqs: number,
): number {
  const m = VLLM_MEMORY_MODEL;
  return (
    maxNumBatchedTokens * (model.hiddenSize + model.activeFfnWidth) * m.activationBytesPerTokenWidth +
    maxNumSeqs * model.vocabSize * m.logitBytesPerSequenceVocab
  );
}

/**
 * Bytes of the rotary-embedding cos/sin cache on every GPU: the model's position limit
 * ({@link ModelSpec.contextLength}) x rotary dimension (head dim, or the MLA rope key) x 2 B
 * ({@link VLLM_MEMORY_MODEL}).
 */
export function ropeCacheBytesPerGpu(model: ModelSpec): number {
  const rotaryDim = model.mla ? model.mla.qkRopeHeadDim : model.headDim;
  return model.contextLength * rotaryDim * VLLM_MEMORY_MODEL.ropeCacheBytesPerElement;
}

/**
 * Fixed per-GPU overhead in bytes: profiling activations + non-torch memory + CUDA graphs + the
 * rotary cache ({@link ropeCacheBytesPerGpu}), for a
 * replica of `gpusPerReplica` GPUs and the accelerator's default profiling batch unless given.
 */
export function overheadBytesPerGpu(
  model: ModelSpec,
  gpusPerReplica: number,
  accelerator: Accelerator = Accelerator.H100,
  maxNumBatchedTokens = accelerator.vllmBatchDefaults.maxNumBatchedTokens,
  maxNumSeqs = accelerator.vllmBatchDefaults.maxNumSeqs,
): number {
  const m = VLLM_MEMORY_MODEL;
  const nonTorch = gpusPerReplica > 1 ? m.nonTorchGiBMultiGpu : m.nonTorchGiBSingleGpu;
  return (
    (nonTorch + m.cudaGraphsGiB) * GiB +
    activationBytesPerGpu(model, maxNumBatchedTokens, maxNumSeqs) +
    ropeCacheBytesPerGpu(model)
  );
}

/**
 * KV bytes per token on one GPU at a tensor-parallel degree, every layer full-attention: KV
 * heads are sharded by TP (and replicated once TP exceeds them); an MLA latent is not sharded.
 */
export function kvBytesPerTokenPerGpu(
  model: ModelSpec,
  tensorParallelSize: number,
  dtype: KvCacheDtype,
): number {
  return model.layers * model.kvBytesPerTokenPerLayer(kvCacheBytesPerElement(dtype), tensorParallelSize);
}

/**
 * Bytes of the LoRA weights vLLM stores per adapter element: `lora_dtype` "auto" is the model's
 * dtype, 16-bit for every checkpoint core sizes (quantized checkpoints run 16-bit activations).
 */
export const LORA_BYTES_PER_ELEMENT = 2;

/**
 * Memory one LoRA slot takes on one GPU, bytes, as vLLM's LoRA manager allocates it when the
 * model loads: every attention and MLP projection of the decoder is wrapped, and each wrapper
 * allocates `lora_a_stacked` `[max_loras, 1, max_lora_rank, input]` and `lora_b_stacked`
 * `[max_loras, 1, output, max_lora_rank]` per packed slice, in the model dtype
 * (`create_lora_weights` in vllm-project/vllm `vllm/lora/layers/base_linear.py`,
 * `column_parallel_linear.py`, `row_parallel_linear.py`; the same shapes from v0.11 to the
 * v0.2x releases, re-exported under `vllm/runtime/modeling/lora` later). With tensor
 * parallelism (not fully sharded, vLLM's default) a column-parallel layer keeps A whole and
 * shards B's output; a row-parallel layer shards A's input and keeps B whole. Per layer and
 * rank unit:
 *
 * - `qkv_proj` (3 slices): A 3 x hidden, B heads x head dim / TP + 2 x ceil(KV heads / TP) x head dim;
 * - `o_proj`: A heads x head dim / TP, B hidden;
 * - `gate_up_proj` (2 slices): A 2 x hidden, B 2 x FFN / TP;
 * - `down_proj`: A FFN / TP, B hidden.
 *
 * Llama-3.1-8B at rank 16, TP 1: 32 layers x 81,920 x 16 x 2 B = 80 MiB per slot (the known
 * 42M parameters of an all-linear rank-16 adapter). Pipeline parallelism divides the layers.
 * Mixture-of-experts and latent-attention models wrap other layers and are refused by
 * {@link sizeModel} with LoRA.
 */
export function loraSlotBytesPerGpu(
  model: ModelSpec,
  tensorParallelSize: number,
  maxLoraRank: number,
  pipelineParallelSize = 1,
): number {
  const tp = tensorParallelSize;
  const h = model.hiddenSize;
  const q = model.attentionHeads * model.headDim;
  const kvPerRank = Math.ceil(model.kvHeads / tp) * model.headDim;
  const ffn = model.intermediateSize;
  const perLayerPerRank =
    3 * h +
    (q / tp + 2 * kvPerRank) + // qkv_proj: A per slice, B sharded
    q / tp +
    h + // o_proj (row parallel)
    2 * h +
    (2 * ffn) / tp + // gate_up_proj
    ffn / tp +
    h; // down_proj (row parallel)
  const layers = Math.ceil(model.layers / pipelineParallelSize);
  return layers * perLayerPerRank * maxLoraRank * LORA_BYTES_PER_ELEMENT;
}

/**
 * Bytes of one adapter of `rank` in memory (all decoder projections, unsharded): what vLLM's CPU
 * adapter cache (`--max-cpu-loras`) holds per adapter.
 */
export function loraAdapterBytes(model: ModelSpec, rank: number): number {
  return loraSlotBytesPerGpu(model, 1, rank);
}

interface Layout {
  readonly tp: number;
  readonly pp: number;
}

function validTensorParallel(model: ModelSpec, tp: number): boolean {
  return model.attentionHeads % tp === 0 && (model.kvHeads % tp === 0 || tp % model.kvHeads === 0);
}

/**
 * Sizes one vLLM serving replica: the smallest layout on which the weights, the profiling run's
 * activations, non-torch memory, CUDA graphs and the KV cache for `concurrentSequences`
 * sequences of `maxModelLen` tokens fit in `gpuMemoryUtilization` of each GPU's CUDA total.
 * Within a node it tries tensor parallel 1, 2, 4, 8; when a node is not enough (and
 * `maxNodesPerReplica` allows) it spans nodes: tensor parallel over every GPU of a node, pipeline
 * parallel across the smallest number of nodes.
 *
 * Arithmetic, per GPU (reference/serving.md §4; {@link VLLM_MEMORY_MODEL}):
 * - usable = CUDA total x utilization
 * - weights = (quantized params x bytes/param + 16-bit params x 2) / TP, per pipeline stage
 * - activations = max-num-batched-tokens x (hidden + active FFN) x 8 B + max-num-seqs x vocab x 4 B
 * - KV budget = usable - weights - activations - non-torch - CUDA graphs - rotary cache
 * - KV per sequence = per-layer KV x group size x the tokens of each KV-cache group: full
 *   attention len, sliding window min(window - 1 + batched tokens, len), chunked attention
 *   min(chunk + batched tokens, len), padding included; every layer x len without the hybrid
 *   KV-cache manager ({@link vllmKvCachePlan})
 *
 * @throws ValidationError when the quantization cannot run on the GPU, when the checkpoint is a
 *   llama.cpp format, or when the model does not fit on `maxNodesPerReplica` nodes; the message
 *   shows the numbers and what to change.
 */
export function sizeModel(options: SizingOptions): SizingResult {
  return size(options, true);
}

/** {@link sizeModel}; `suggest` false skips the (recursive) search for fixes in the error. */
function size(options: SizingOptions, suggest: boolean): SizingResult {
  if (options === null || typeof options !== 'object') {
    throw new ValidationError(
      `sizeModel needs an options object with 'model', 'quantization' and 'accelerator'.`,
    );
  }
  const { model, quantization, accelerator } = options;
  const expect = (prop: string, value: unknown, ok: boolean, type: string, example: string) => {
    if (!ok) {
      throw new ValidationError(
        `'${prop}' (${describeValue(value)}) must be ${type}, for example ${example}.`,
        undefined,
        VALIDATION_CODES.TYPE,
      );
    }
  };
  expect('model', model, model instanceof ModelSpec, 'a ModelSpec', 'ModelSpec.LLAMA_3_1_8B');
  expect(
    'quantization',
    quantization,
    quantization instanceof Quantization,
    'a Quantization',
    'Quantization.AWQ',
  );
  expect(
    'accelerator',
    accelerator,
    accelerator instanceof Accelerator,
    'an Accelerator',
    'Accelerator.L40S',
  );
  const maxModelLen = options.maxModelLen ?? Math.min(model.contextLength, 8192);
  const concurrentSequences = options.concurrentSequences ?? 1;
  const util = options.gpuMemoryUtilization ?? 0.9;
  const kvCacheDtype = options.kvCacheDtype ?? KvCacheDtype.AUTO;
  const batch = accelerator.vllmBatchDefaults;
  const maxNumBatchedTokens = options.maxNumBatchedTokens ?? batch.maxNumBatchedTokens;
  const maxNumSeqs = options.maxNumSeqs ?? batch.maxNumSeqs;
  const gpusProp = options.gpusPerNode !== undefined ? 'gpusPerNode' : 'maxGpusPerReplica';
  const gpusPerNode = options.gpusPerNode ?? options.maxGpusPerReplica ?? 8;
  const maxNodes = options.maxNodesPerReplica ?? 1;
  const hybridKvCacheManager = options.hybridKvCacheManager ?? true;
  if (typeof hybridKvCacheManager !== 'boolean') {
    throw new ValidationError(
      `'hybridKvCacheManager' (${describeValue(hybridKvCacheManager)}) must be true or false: false when vLLM runs with ${VLLM_HYBRID_KV_CACHE.disableArg}.`,
      undefined,
      VALIDATION_CODES.TYPE,
    );
  }

  if (!Number.isInteger(maxModelLen) || maxModelLen < 1 || maxModelLen > model.contextLength) {
    throw new ValidationError(
      `'maxModelLen' (${maxModelLen}) must be an integer from 1 to ${model.contextLength}, the longest context ${model.name} supports` +
        // A rope scaling the model already has (Llama 3.1's llama3, DeepSeek-V3's YaRN) is counted in
        // that length; another withRopeScaling would replace it, so the hint is for models without one.
        (model.ropeScaling === undefined
          ? ` (a model extended with rope scaling: model.withRopeScaling({ type: RopeScalingType.YARN, ... })).`
          : `, its ${model.ropeScaling.type} rope scaling included.`),
    );
  }
  Validate.integer(undefined, 'concurrentSequences', concurrentSequences, { min: 1, max: 1_000_000 });
  if (!(util > 0.1 && util <= 0.98)) {
    throw new ValidationError(
      `'gpuMemoryUtilization' (${util}) must be > 0.1 and <= 0.98; vLLM's default is 0.9 and values near 1 leave no room for the CUDA context.`,
    );
  }
  Validate.integer(undefined, 'maxNumBatchedTokens', maxNumBatchedTokens, {
    min: 1,
    max: 1_048_576,
    reason: `vLLM's default is ${batch.maxNumBatchedTokens} on ${accelerator.id}`,
  });
  Validate.integer(undefined, 'maxNumSeqs', maxNumSeqs, {
    min: 1,
    max: maxNumBatchedTokens,
    reason: `at most 'maxNumBatchedTokens'; vLLM's default is ${batch.maxNumSeqs} on ${accelerator.id}`,
  });
  if (!TENSOR_PARALLEL_DEGREES.includes(gpusPerNode as (typeof TENSOR_PARALLEL_DEGREES)[number])) {
    throw new ValidationError(
      `'${gpusProp}' (${gpusPerNode}) must be one of ${TENSOR_PARALLEL_DEGREES.join(', ')}.`,
    );
  }
  Validate.integer(undefined, 'maxNodesPerReplica', maxNodes, {
    min: 1,
    max: 64,
    reason: '1 keeps a replica on one node',
  });
  const fixedTp = options.tensorParallelSize;
  if (fixedTp !== undefined) {
    if (
      !TENSOR_PARALLEL_DEGREES.includes(fixedTp as (typeof TENSOR_PARALLEL_DEGREES)[number]) ||
      fixedTp > gpusPerNode
    ) {
      throw new ValidationError(
        `'tensorParallelSize' (${describeValue(fixedTp)}) must be one of ${TENSOR_PARALLEL_DEGREES.filter((t) => t <= gpusPerNode).join(', ')} ` +
          `(at most '${gpusProp}', ${gpusPerNode}): raise ${gpusProp} or pick a smaller degree.`,
      );
    }
    if (!validTensorParallel(model, fixedTp)) {
      throw new ValidationError(
        `'tensorParallelSize' (${fixedTp}) must divide ${model.name}'s ${model.attentionHeads} attention heads and divide or be a multiple of its ${model.kvHeads} KV heads: pick another degree.`,
      );
    }
  }
  if (quantization.isGguf) {
    throw new ValidationError(
      `'quantization' ${quantization.id} is a GGUF file for llama.cpp; sizeModel sizes vLLM replicas. ` +
        `Serve it with llama.cpp (k8s LlamaCppServer, sized by sizeLlamaCpp: file size, KV cache, layers on the GPU), or use a safetensors scheme (AWQ, W4A16, FP8, BF16) for vLLM.`,
    );
  }
  quantization.assertSupportedOn(accelerator);
  if (quantization.quantizedLayers === QuantizedLayers.EXPERTS_ONLY && !model.isMoe) {
    throw new ValidationError(
      `'quantization' ${quantization.id} quantizes mixture-of-experts weights only, and ${model.name} is a dense model: use AWQ, W4A16 or FP8.`,
    );
  }
  const weightOnly = quantization.runsWeightOnlyOn(accelerator);
  const lora = options.lora;
  if (lora !== undefined) {
    Validate.integer(undefined, 'maxLoras', lora.maxLoras, { min: 1, max: 1024, reason: 'vLLM --max-loras' });
    Validate.integer(undefined, 'maxLoraRank', lora.maxLoraRank, {
      min: 1,
      max: 512,
      reason: 'vLLM --max-lora-rank',
    });
    if (model.isMoe || model.mla) {
      throw new ValidationError(
        `'lora' (LoRA adapters) on ${model.name}: the memory vLLM reserves for LoRA on ${model.isMoe ? 'mixture-of-experts' : 'latent-attention'} ` +
          `layers is not modelled by this library's sizing, so the KV-cache budget could not be trusted. Serve the adapters on a ` +
          `dense model, or merge the adapter into the weights.`,
      );
    }
  }

  const m = VLLM_MEMORY_MODEL;
  const split = splitWeights(model, quantization);
  const weights = split.total;
  const cudaTotal = accelerator.cudaMemoryGiB * GiB;
  const usable = util * cudaTotal;
  const activations = activationBytesPerGpu(model, maxNumBatchedTokens, maxNumSeqs);
  const graphs = m.cudaGraphsGiB * GiB;
  const rope = ropeCacheBytesPerGpu(model);
  const kvElem = kvCacheBytesPerElement(kvCacheDtype);
  const tpDegrees =
    fixedTp !== undefined
      ? [fixedTp]
      : TENSOR_PARALLEL_DEGREES.filter((tp) => tp <= gpusPerNode && validTensorParallel(model, tp));
  const nodeTp = tpDegrees.length > 0 ? tpDegrees[tpDegrees.length - 1] : 1;
  const layouts: Layout[] = [
    ...tpDegrees.map((tp) => ({ tp, pp: 1 })),
    ...Array.from({ length: Math.max(0, Math.min(maxNodes, model.layers) - 1) }, (_, i) => ({
      tp: nodeTp,
      pp: i + 2,
    })),
  ];
  const attempts: string[] = [];

  for (const { tp, pp } of layouts) {
    const weightsPerGpu = weightsPerGpuBytes(model, split, tp, pp);
    const nonTorch = (tp * pp > 1 ? m.nonTorchGiBMultiGpu : m.nonTorchGiBSingleGpu) * GiB;
    const overhead = activations + nonTorch + graphs + rope;
    const loraSlots = lora ? lora.maxLoras * loraSlotBytesPerGpu(model, tp, lora.maxLoraRank, pp) : 0;
    const kvBudget = usable - weightsPerGpu - loraSlots - overhead;
    const plan = vllmKvCachePlan(model, {
      maxModelLen,
      maxNumBatchedTokens,
      bytesPerElement: kvElem,
      tensorParallelSize: tp,
      pipelineParallelSize: pp,
      hybridKvCacheManager,
    });
    const perSequence = plan.bytesPerSequence;
    const needed = perSequence * concurrentSequences;
    const nodes = pp;
    attempts.push(
      `${layoutText(tp, pp)}: ${fmt(usable)} usable - ${fmt(weightsPerGpu)} weights - ` +
        (lora ? `${fmt(loraSlots)} LoRA (${lora.maxLoras} x rank ${lora.maxLoraRank}) - ` : '') +
        `${fmt(activations)} activations - ` +
        `${fmt(nonTorch)} non-torch - ${fmt(graphs)} CUDA graphs - ${fmt(rope)} rotary cache = ${fmt(kvBudget)} KV per GPU; ` +
        `need ${fmt(needed)} for ${concurrentSequences} x ${maxModelLen} tokens`,
    );
    if (kvBudget >= needed && kvBudget > 0) {
      const kvCacheTokens = Math.floor(kvBudget / plan.bytesPerCacheToken);
      const maxConcurrentSequences = Math.floor(kvBudget / perSequence);
      const findings = sizingFindings(options, tp, pp, weightOnly);
      return {
        model,
        quantization,
        accelerator,
        maxModelLen,
        concurrentSequences,
        gpuMemoryUtilization: util,
        kvCacheDtype,
        maxNumBatchedTokens,
        maxNumSeqs,
        tensorParallelSize: tp,
        pipelineParallelSize: pp,
        expertParallelSize: model.isMoe ? tp * pp : 1,
        nodesPerReplica: nodes,
        gpusPerNode: tp,
        gpusPerReplica: tp * pp,
        weightsGiB: weights / GiB,
        weightsPerGpuGiB: weightsPerGpu / GiB,
        cudaMemoryGiB: accelerator.cudaMemoryGiB,
        usablePerGpuGiB: usable / GiB,
        activationsPerGpuGiB: activations / GiB,
        nonTorchPerGpuGiB: nonTorch / GiB,
        cudaGraphsPerGpuGiB: graphs / GiB,
        ropeCachePerGpuGiB: rope / GiB,
        overheadPerGpuGiB: overhead / GiB,
        loraSlotsPerGpuGiB: loraSlots / GiB,
        maxLoras: lora?.maxLoras ?? 0,
        maxLoraRank: lora?.maxLoraRank ?? 0,
        hybridKvCacheManager,
        kvCache: plan,
        kvCachePerGpuGiB: kvBudget / GiB,
        kvBytesPerTokenPerGpu: perSequence / maxModelLen,
        kvPerSequencePerGpuGiB: perSequence / GiB,
        kvCacheTokens,
        maxConcurrentSequences,
        explanation: [
          weightsLine(model, quantization, split),
          `${accelerator.id}: ${accelerator.cudaMemoryGiB.toFixed(2)} GiB CUDA total (${accelerator.cudaMemorySource}) x ${util} utilization = ${fmt(usable)} usable per GPU`,
          activationsLine(model, maxNumBatchedTokens, maxNumSeqs, activations),
          ...attempts,
          plan.explanation,
          `=> ${nodes > 1 ? `${nodes} nodes of ` : ''}${tp} x ${accelerator.id} (${layoutLong(tp, pp)}); ` +
            `KV cache holds ${kvCacheTokens} tokens = ${maxConcurrentSequences} sequences of ${maxModelLen}`,
        ],
        findings,
      };
    }
  }

  throw new ValidationError(
    `${model.name} in ${quantization.id} does not fit on ${maxNodes > 1 ? `${maxNodes} nodes of ` : ''}${gpusPerNode} x ${accelerator.id} ` +
      `(weights ${fmt(weights)}; ${fmt(usable)} usable per GPU at gpuMemoryUtilization ${util}). ` +
      `${attempts.join('. ')}.` +
      (suggest
        ? ` ${suggestFixes(options, { weights, usable, maxModelLen, concurrentSequences, kvCacheDtype, gpusPerNode, maxNodes, nodeTp })}`
        : ''),
  );
}

function weightsPerGpuBytes(model: ModelSpec, split: WeightSplit, tp: number, pp: number): number {
  if (pp === 1) {
    return split.total / tp;
  }
  // Layers split evenly (the largest stage rounded up); the first stage holds the input
  // embedding and the last lm_head: one embedding matrix on the largest stage.
  const bodyBytes = split.total - split.embeddingMatrixBytes * (model.tiedEmbeddings ? 1 : 2);
  const stage = (bodyBytes * Math.ceil(model.layers / pp)) / model.layers + split.embeddingMatrixBytes;
  return stage / tp;
}

function layoutText(tp: number, pp: number): string {
  return pp > 1 ? `TP ${tp} x PP ${pp} (${pp} nodes)` : `TP ${tp}`;
}

function layoutLong(tp: number, pp: number): string {
  return pp > 1
    ? `tensor parallel ${tp} x pipeline parallel ${pp} across ${pp} nodes`
    : `tensor parallel ${tp}`;
}

function weightsLine(model: ModelSpec, quantization: Quantization, split: WeightSplit): string {
  const what = quantization.quantizedLayers === QuantizedLayers.EXPERTS_ONLY ? 'expert' : 'body';
  const other = quantization.quantizedLayers === QuantizedLayers.EXPERTS_ONLY ? 'non-expert' : 'embedding';
  return (
    `${model.name} in ${quantization.id}: weights ${fmt(split.total)} = ${(split.quantizedParams / 1e9).toFixed(2)}B ${what} params x ` +
    `${round(quantization.bytesPerParameter)} B + ${(split.sixteenBitParams / 1e9).toFixed(2)}B ${other} params x 2 B`
  );
}

function activationsLine(model: ModelSpec, tokens: number, seqs: number, bytes: number): string {
  const m = VLLM_MEMORY_MODEL;
  return (
    `profiling batch ${tokens} tokens (--max-num-batched-tokens), ${seqs} sequences (--max-num-seqs): activations = ` +
    `${tokens} x (${model.hiddenSize} hidden + ${model.activeFfnWidth} FFN) x ${m.activationBytesPerTokenWidth} B + ` +
    `${seqs} x ${model.vocabSize} vocab x ${m.logitBytesPerSequenceVocab} B = ${fmt(bytes)} per GPU`
  );
}

function sizingFindings(
  options: SizingOptions,
  tp: number,
  pp: number,
  weightOnly: boolean,
): SizingFinding[] {
  const { model, quantization, accelerator } = options;
  const findings: SizingFinding[] = [];
  if (tp > 2 && !accelerator.hasNvlink) {
    findings.push({
      id: SizingAdvice.PCIE_TENSOR_PARALLEL,
      message:
        `${model.name} needs tensor parallelism ${tp} on ${accelerator.id}, which has no NVLink: vLLM disables its custom ` +
        `all-reduce above 2 PCIe GPUs and latency suffers. Consider a GPU with more memory or a smaller quantization.`,
    });
  }
  if (!quantization.hasFastKernelOn(accelerator)) {
    findings.push({
      id: SizingAdvice.SLOW_KERNEL,
      message: `${quantization.id} runs without the Marlin kernels on ${accelerator.id} (SM ${accelerator.smText} < ${quantization.fastKernelMinComputeCapability.toFixed(1)}): expect lower throughput.`,
    });
  }
  if (weightOnly) {
    findings.push({
      id: SizingAdvice.WEIGHT_ONLY_QUANTIZATION,
      message:
        `${quantization.id} on ${accelerator.id} (SM ${accelerator.smText}) runs weight-only through ${quantization.weightOnlyKernel}: ` +
        `the weights take ${quantization.id} memory but the math is 16-bit, so it is not ${quantization.id} compute and no faster than BF16 ` +
        `(${quantization.id} compute needs SM ${quantization.nativeMinComputeCapability.toFixed(1)}).`,
    });
  }
  if (pp > 1) {
    findings.push({
      id: SizingAdvice.MULTI_NODE,
      message:
        `One replica of ${model.name} (${quantization.id}) spans ${pp} nodes of ${tp} x ${accelerator.id} (tensor parallel ${tp}, pipeline parallel ${pp}): ` +
        `it needs multi-node serving (LeaderWorkerSet) and the nodes' fast fabric (EFA, GPUDirect or InfiniBand).`,
    });
  }
  return findings;
}

interface Shortfall {
  readonly weights: number;
  readonly usable: number;
  readonly maxModelLen: number;
  readonly concurrentSequences: number;
  readonly kvCacheDtype: KvCacheDtype;
  readonly gpusPerNode: number;
  readonly maxNodes: number;
  readonly nodeTp: number;
}

/** What would make a failed sizing fit: only the changes that actually help. */
function suggestFixes(options: SizingOptions, s: Shortfall): string {
  const { model, quantization, accelerator } = options;
  const fits = (o: Partial<SizingOptions>): SizingResult | undefined => {
    try {
      return size({ ...options, ...o }, false);
    } catch {
      return undefined;
    }
  };
  const out: string[] = [];
  const split = splitWeights(model, quantization);
  const weightsPerGpu = weightsPerGpuBytes(
    model,
    split,
    s.nodeTp,
    s.maxNodes > 1 ? Math.min(s.maxNodes, model.layers) : 1,
  );
  const weightsFit = s.usable - weightsPerGpu - overheadBytesPerGpu(model, 2, accelerator) > 0;
  if (!weightsFit) {
    out.push(
      `The weights alone need ${fmt(weightsPerGpu)} per GPU at ${layoutLong(s.nodeTp, s.maxNodes > 1 ? Math.min(s.maxNodes, model.layers) : 1)}.`,
    );
  }
  const gpus = Accelerator.all()
    .filter((a) => a.cudaMemoryGiB > accelerator.cudaMemoryGiB && quantization.isSupportedOn(a))
    .map((a) => ({ a, r: fits({ accelerator: a, maxNumBatchedTokens: undefined, maxNumSeqs: undefined }) }))
    .filter((x) => x.r !== undefined)
    .map(
      (x) =>
        `${x.r!.nodesPerReplica > 1 ? `${x.r!.nodesPerReplica} nodes of ` : ''}${x.r!.gpusPerNode} x ${x.a.id}`,
    );
  if (gpus.length > 0) {
    out.push(`It fits on ${gpus.join(', ')}.`);
  }
  const quants = [Quantization.FP8, Quantization.INT8, Quantization.AWQ]
    .filter((q) => q.bytesPerParameter < quantization.bytesPerParameter && q.isSupportedOn(accelerator))
    .map((q) => ({ q, r: fits({ quantization: q }) }))
    .filter((x) => x.r !== undefined)
    .map((x) => `${x.q.id} (${x.r!.gpusPerReplica} GPU${x.r!.gpusPerReplica > 1 ? 's' : ''})`);
  if (quants.length > 0) {
    out.push(`On ${accelerator.id} it fits in ${quants.join(', ')}.`);
  }
  if (weightsFit) {
    if (s.kvCacheDtype === KvCacheDtype.AUTO && fits({ kvCacheDtype: KvCacheDtype.FP8 })) {
      out.push(`An FP8 KV cache (kvCacheDtype: KvCacheDtype.FP8) makes it fit.`);
    }
    const shorter = [65536, 32768, 16384, 8192, 4096, 2048].find(
      (l) => l < s.maxModelLen && fits({ maxModelLen: l }),
    );
    if (shorter) {
      out.push(`It fits with maxModelLen ${shorter}.`);
    }
    if (s.concurrentSequences > 1 && fits({ concurrentSequences: 1 })) {
      out.push(`It fits with fewer concurrentSequences than ${s.concurrentSequences}.`);
    }
  }
  if (s.maxNodes < 8) {
    const nodes = [2, 3, 4, 6, 8].find((n) => n > s.maxNodes && fits({ maxNodesPerReplica: n }));
    if (nodes !== undefined) {
      const r = fits({ maxNodesPerReplica: nodes })!;
      out.push(
        `Across nodes it fits on ${r.nodesPerReplica} nodes of ${r.gpusPerNode} x ${accelerator.id} (tensor parallel ${r.tensorParallelSize}, pipeline parallel ${r.pipelineParallelSize}): set maxNodesPerReplica to ${r.nodesPerReplica}.`,
      );
    }
  }
  if (out.length === (weightsFit ? 0 : 1)) {
    out.push('Use a smaller model, a smaller quantization or more nodes.');
  }
  return out.join(' ');
}

function round(n: number): string {
  return String(Math.round(n * 10000) / 10000);
}

function fmt(bytes: number): string {
  return `${(bytes / GiB).toFixed(1)} GiB`;
}

/**
 * The vLLM arguments that make the engine run the layout and memory budget a sizing assumed:
 * `--tensor-parallel-size`, `--pipeline-parallel-size` (across nodes only), `--max-model-len`,
 * `--gpu-memory-utilization`, `--max-num-batched-tokens` and `--max-num-seqs` (the profiling batch
 * the KV budget was computed with), `--kv-cache-dtype fp8` for an FP8 KV cache,
 * `--disable-hybrid-kv-cache-manager` when the sizing assumed vLLM's hybrid KV-cache manager off
 * for a model with sliding-window or chunked-attention layers, and
 * `--hf-overrides` for a rope scaling the checkpoint's config lacks. Quantization arguments come
 * from {@link Quantization.vllmArgs}; expert parallelism (`--enable-expert-parallel`) is the
 * caller's choice and does not change the memory per GPU.
 *
 * @example
 * const args = [...vllmSizingArgs(sizing), ...sizing.quantization.vllmArgs];
 */
export function vllmSizingArgs(sizing: SizingResult): string[] {
  const args = [
    '--tensor-parallel-size',
    String(sizing.tensorParallelSize),
    ...(sizing.pipelineParallelSize > 1
      ? ['--pipeline-parallel-size', String(sizing.pipelineParallelSize)]
      : []),
    '--max-model-len',
    String(sizing.maxModelLen),
    '--gpu-memory-utilization',
    String(sizing.gpuMemoryUtilization),
    '--max-num-batched-tokens',
    String(sizing.maxNumBatchedTokens),
    '--max-num-seqs',
    String(sizing.maxNumSeqs),
  ];
  if (sizing.kvCacheDtype === KvCacheDtype.FP8) {
    args.push('--kv-cache-dtype', 'fp8');
  }
  const m = sizing.model;
  if (!sizing.hybridKvCacheManager && (m.slidingWindow !== undefined || m.chunkedAttention !== undefined)) {
    args.push(VLLM_HYBRID_KV_CACHE.disableArg);
  }
  const overrides = sizing.model.vllmHfOverrides;
  if (overrides) {
    args.push('--hf-overrides', JSON.stringify(overrides));
  }
  return args;
}
