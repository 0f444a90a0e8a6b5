import { Accelerator } from './accelerator';
import { ValidationError } from './errors';
import { ModelSpec } from './model';
import { KvCacheDtype, Quantization, kvCacheBytesPerElement } from './quantization';

const GiB = 1024 ** 3;

/**
 * Fixed per-GPU overheads the sizing arithmetic assumes (reference/kubernetes.md §13): CUDA
 * graphs ~0.5-2 GiB, NCCL and other non-torch memory ~0.3-1 GiB. Estimates, not measurements:
 * the arithmetic is exposed in {@link SizingResult.explanation} so a user can check it against
 * vLLM's own "Maximum concurrency" log line.
 */
export const SIZING_OVERHEADS = {
  /** CUDA graph capture, GiB per GPU. */
  cudaGraphsGiB: 1.0,
  /** Non-torch memory (CUDA context, NCCL buffers) with one GPU, GiB. */
  runtimeGiBSingleGpu: 0.5,
  /** Non-torch memory with tensor parallelism (NCCL buffers grow), GiB per GPU. */
  runtimeGiBTensorParallel: 1.0,
  /** Tokens in the profiling batch (vLLM `max_num_batched_tokens` for online serving). */
  profilingBatchTokens: 8192,
  /** Live activation tensors per token per hidden unit during the profiling run (estimate). */
  activationFactor: 10,
} as const;

/** Tensor-parallel degrees tried, smallest first. */
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
   * @default - the model's maximum context, capped at 8192
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
   * Most GPUs one replica may use (one node; multi-node serving is not sized here).
   * @default 8
   */
  readonly maxGpusPerReplica?: number;
}

/** Ids of the advisory findings a sizing can carry; constructs raise them as warnings. */
export enum SizingAdvice {
  /** Tensor parallelism above 2 on PCIe-only GPUs: vLLM disables its custom all-reduce. */
  PCIE_TENSOR_PARALLEL = 'pcie-tensor-parallel',
  /** The quantization runs on a slower kernel on this GPU (no Marlin). */
  SLOW_KERNEL = 'slow-quantization-kernel',
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
  /** vLLM `--tensor-parallel-size`. */
  readonly tensorParallelSize: number;
  /** GPUs per replica (equal to the tensor-parallel size). */
  readonly gpusPerReplica: number;
  /** Total weight memory, GiB. */
  readonly weightsGiB: number;
  /** Weight memory per GPU, GiB. */
  readonly weightsPerGpuGiB: number;
  /** Memory vLLM may use per GPU, GiB. */
  readonly usablePerGpuGiB: number;
  /** Estimated fixed overhead per GPU, GiB. */
  readonly overheadPerGpuGiB: number;
  /** KV cache left per GPU, GiB. */
  readonly kvCachePerGpuGiB: number;
  /** KV-cache bytes one token needs on one GPU. */
  readonly kvBytesPerTokenPerGpu: number;
  /** KV cache one full-length sequence needs per GPU, GiB. */
  readonly kvPerSequencePerGpuGiB: number;
  /** Tokens the KV cache holds per replica. */
  readonly kvCacheTokens: number;
  /** Full-length sequences the KV cache holds at once. */
  readonly maxConcurrentSequences: number;
  /** The arithmetic, one line per step, for errors, docs and annotations. */
  readonly explanation: string[];
  /** Advisory findings (legal but probably not what you want). */
  readonly findings: SizingFinding[];
}

/** Weight memory of `model` in `quantization`, in bytes. Embeddings and lm_head stay 16-bit. */
export function weightBytes(model: ModelSpec, quantization: Quantization): number {
  if (!quantization.keepsEmbeddingsIn16Bit) {
    return model.parameters * quantization.bytesPerParameter;
  }
  const embed = Math.min(model.embeddingParameters, model.parameters);
  const body = model.parameters - embed;
  return body * quantization.bytesPerParameter + embed * Math.max(2, quantization.bytesPerParameter);
}

/** Estimated fixed per-GPU overhead in bytes for a tensor-parallel degree. */
export function overheadBytesPerGpu(model: ModelSpec, tensorParallelSize: number): number {
  const o = SIZING_OVERHEADS;
  const runtime = tensorParallelSize > 1 ? o.runtimeGiBTensorParallel : o.runtimeGiBSingleGpu;
  const activations =
    (o.profilingBatchTokens * model.hiddenSize * 2 * o.activationFactor) / tensorParallelSize;
  return (o.cudaGraphsGiB + runtime) * GiB + activations;
}

/** KV bytes per token on one GPU: KV heads are sharded by TP, and replicated once TP exceeds them. */
export function kvBytesPerTokenPerGpu(
  model: ModelSpec,
  tensorParallelSize: number,
  dtype: KvCacheDtype,
): number {
  const headsPerGpu = Math.ceil(model.kvHeads / tensorParallelSize);
  return 2 * model.layers * headsPerGpu * model.headDim * kvCacheBytesPerElement(dtype);
}

/**
 * Sizes one serving replica: the smallest tensor-parallel degree (1, 2, 4 or 8 GPUs) on which
 * the weights, the fixed overheads and the KV cache for `concurrentSequences` sequences of
 * `maxModelLen` tokens fit in `gpuMemoryUtilization` of each GPU.
 *
 * Arithmetic (reference/kubernetes.md §13):
 * - weights = body parameters x bytes/param + embedding parameters x 2
 * - KV per token per GPU = 2 x layers x ceil(kvHeads / TP) x headDim x bytes(kv dtype)
 * - KV budget per GPU = utilization x GPU memory - weights / TP - overhead
 *
 * @throws ValidationError when the quantization cannot run on the GPU, or when the model does
 *   not fit on `maxGpusPerReplica` GPUs; the message shows the numbers and what to change.
 */
export function sizeModel(options: SizingOptions): SizingResult {
  const { model, quantization, accelerator } = options;
  const maxModelLen = options.maxModelLen ?? Math.min(model.maxContextLength, 8192);
  const concurrentSequences = options.concurrentSequences ?? 1;
  const util = options.gpuMemoryUtilization ?? 0.9;
  const kvCacheDtype = options.kvCacheDtype ?? KvCacheDtype.AUTO;
  const maxGpus = options.maxGpusPerReplica ?? 8;

  if (!Number.isInteger(maxModelLen) || maxModelLen < 1 || maxModelLen > model.maxContextLength) {
    throw new ValidationError(
      `'maxModelLen' (${maxModelLen}) must be an integer from 1 to ${model.maxContextLength}, the longest context ${model.name} supports.`,
    );
  }
  if (!Number.isInteger(concurrentSequences) || concurrentSequences < 1) {
    throw new ValidationError(`'concurrentSequences' (${concurrentSequences}) must be a positive integer.`);
  }
  if (!(util > 0.1 && util <= 0.98)) {
    throw new ValidationError(
      `'gpuMemoryUtilization' (${util}) must be > 0.1 and <= 0.98; vLLM's default is 0.9 and values near 1 leave no room for the CUDA context.`,
    );
  }
  if (!TENSOR_PARALLEL_DEGREES.includes(maxGpus as (typeof TENSOR_PARALLEL_DEGREES)[number])) {
    throw new ValidationError(
      `'maxGpusPerReplica' (${maxGpus}) must be one of ${TENSOR_PARALLEL_DEGREES.join(', ')}.`,
    );
  }
  quantization.assertSupportedOn(accelerator);

  const weights = weightBytes(model, quantization);
  const embedParams = quantization.keepsEmbeddingsIn16Bit
    ? Math.min(model.embeddingParameters, model.parameters)
    : 0;
  const bodyParams = model.parameters - embedParams;
  const usable = util * accelerator.memoryBytes;
  const candidates = TENSOR_PARALLEL_DEGREES.filter((tp) => tp <= maxGpus && model.attentionHeads % tp === 0);
  const attempts: string[] = [];

  for (const tp of candidates) {
    const weightsPerGpu = weights / tp;
    const overhead = overheadBytesPerGpu(model, tp);
    const kvBudget = usable - weightsPerGpu - overhead;
    const kvPerToken = kvBytesPerTokenPerGpu(model, tp, kvCacheDtype);
    const needed = kvPerToken * maxModelLen * concurrentSequences;
    attempts.push(
      `TP ${tp}: ${fmt(usable)} usable - ${fmt(weightsPerGpu)} weights - ${fmt(overhead)} overhead = ${fmt(kvBudget)} KV per GPU; ` +
        `need ${fmt(needed)} for ${concurrentSequences} x ${maxModelLen} tokens`,
    );
    if (kvBudget >= needed && kvBudget > 0) {
      const kvCacheTokens = Math.floor(kvBudget / kvPerToken);
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
      return {
        model,
        quantization,
        accelerator,
        maxModelLen,
        concurrentSequences,
        gpuMemoryUtilization: util,
        kvCacheDtype,
        tensorParallelSize: tp,
        gpusPerReplica: tp,
        weightsGiB: weights / GiB,
        weightsPerGpuGiB: weightsPerGpu / GiB,
        usablePerGpuGiB: usable / GiB,
        overheadPerGpuGiB: overhead / GiB,
        kvCachePerGpuGiB: kvBudget / GiB,
        kvBytesPerTokenPerGpu: kvPerToken,
        kvPerSequencePerGpuGiB: (kvPerToken * maxModelLen) / GiB,
        kvCacheTokens,
        maxConcurrentSequences: Math.floor(kvCacheTokens / maxModelLen),
        explanation: [
          `${model.name} in ${quantization.id}: weights ${fmt(weights)} = ${(bodyParams / 1e9).toFixed(2)}B params x ` +
            `${quantization.bytesPerParameter} B + ${(embedParams / 1e9).toFixed(2)}B embedding params x 2 B`,
          `${accelerator.id}: ${accelerator.memoryGiB.toFixed(1)} GiB x ${util} utilization = ${fmt(usable)} usable per GPU`,
          ...attempts,
          `=> ${tp} x ${accelerator.id} (tensor parallel ${tp}); KV cache holds ${kvCacheTokens} tokens = ` +
            `${Math.floor(kvCacheTokens / maxModelLen)} sequences of ${maxModelLen}`,
        ],
        findings,
      };
    }
  }

  throw new ValidationError(
    `${model.name} in ${quantization.id} does not fit on ${maxGpus} x ${accelerator.id} ` +
      `(weights ${fmt(weights)}; ${fmt(usable)} usable per GPU at gpuMemoryUtilization ${util}). ` +
      `${attempts.join('. ')}. ${suggestFixes(options, { weights, usable, maxModelLen, concurrentSequences, kvCacheDtype, maxGpus })}`,
  );
}

interface Shortfall {
  readonly weights: number;
  readonly usable: number;
  readonly maxModelLen: number;
  readonly concurrentSequences: number;
  readonly kvCacheDtype: KvCacheDtype;
  readonly maxGpus: number;
}

/** What would make a failed sizing fit: only the changes that actually help. */
function suggestFixes(options: SizingOptions, s: Shortfall): string {
  const { model, quantization, accelerator } = options;
  const fits = (o: Partial<SizingOptions>): SizingResult | undefined => {
    try {
      return sizeModel({ ...options, ...o });
    } catch {
      return undefined;
    }
  };
  const out: string[] = [];
  const maxTp = Math.max(
    ...TENSOR_PARALLEL_DEGREES.filter((tp) => tp <= s.maxGpus && model.attentionHeads % tp === 0),
  );
  const weightsFit = s.usable - s.weights / maxTp - overheadBytesPerGpu(model, maxTp) > 0;
  if (!weightsFit) {
    out.push(`The weights alone need ${fmt(s.weights / maxTp)} per GPU at tensor parallel ${maxTp}.`);
  }
  const gpus = Accelerator.all()
    .filter((a) => a.memoryMiB > accelerator.memoryMiB && quantization.isSupportedOn(a))
    .map((a) => ({ a, r: fits({ accelerator: a }) }))
    .filter((x) => x.r !== undefined)
    .map((x) => `${x.r!.gpusPerReplica} x ${x.a.id}`);
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
  if (out.length === (weightsFit ? 0 : 1)) {
    out.push('Use multi-node serving (not sized by this library) or a smaller model.');
  }
  return out.join(' ');
}

function fmt(bytes: number): string {
  return `${(bytes / GiB).toFixed(1)} GiB`;
}
