import { ModelSpec } from './model';

/**
 * How the pinned vLLM (v0.31.0, `IMAGES.vllm`) lays out the KV cache of a model that mixes
 * full attention with sliding-window or chunked local attention, and where each fact comes from.
 *
 * - The hybrid KV-cache manager (HMA) gives each kind of layer its own block table: full-attention
 *   layers keep every token, a sliding-window layer at most `window - 1 + max_num_batched_tokens`
 *   tokens and a chunked-attention layer at most `attention_chunk_size + max_num_batched_tokens`
 *   (`SlidingWindowSpec` / `ChunkedLocalAttentionSpec.max_memory_usage_bytes` and
 *   `max_admission_blocks_per_request` in `vllm/v1/kv_cache_interface.py`, docs.vllm.ai
 *   /en/stable/api/vllm/v1/kv_cache_interface/ and /en/v0.22.1/...).
 * - Layers are cut into KV-cache groups of one size, the layer count of the rarest kind (the
 *   largest when the counts are within 1.25x), the last group of a kind padded with empty
 *   layers; every group draws blocks of `group size` layers from one shared pool
 *   (`_get_kv_cache_groups_uniform_page_size` in `vllm/v1/core/kv_cache_utils.py`; design doc
 *   docs.vllm.ai/en/latest/design/hybrid_kv_cache_manager/: Gemma 3 27B's 52 sliding + 10 full
 *   layers become 7 groups of 10 with 8 padding layers; Llama 4's 36 chunked + 12 full become 4
 *   groups of 12, vllm-project/vllm PR #21761).
 * - vLLM's "GPU KV cache size: N tokens" is the pool's blocks divided by the number of groups:
 *   budget / (group size x groups x per-layer bytes).
 * - HMA is on by default for sliding-window models. For chunked attention (Llama 4) it was off by
 *   default from v0.10.1 (`VLLM_ALLOW_CHUNKED_LOCAL_ATTN_WITH_HYBRID_KV_CACHE` default 0, PR
 *   #21761, a latency regression; still 0 in the v0.12.0 API docs) and on by default again by
 *   v0.16.0 (default 1 in its API docs, after PR #29627; PR #46553, filed against v0.23 to turn
 *   it off again, was closed unmerged on 2026-07-20). vLLM still turns it off for chunked attention with EAGLE
 *   speculative decoding, for a KV connector without HMA support, with
 *   `--disable-hybrid-kv-cache-manager` or with that variable set to 0
 *   (`VllmConfig.__post_init__` in `vllm/config/vllm.py` on vllm-project/vllm main, commit
 *   000fc94b). Without HMA every layer keeps every token (`unify_hybrid_kv_cache_specs`).
 * - Measured: Llama-4-Scout BF16 at tensor parallel 8 on H200 with HMA logged "GPU KV cache size:
 *   3,919,664 tokens", "Available KV cache memory: 89.71 GiB" and "Maximum concurrency 1.86x"
 *   for 8,388,608 tokens; with an FP8 KV cache 7,838,976 tokens and 3.12x for 10,000,000
 *   (fuhengwu2021/coderepo `extra/README.md` at eba66958, vLLM v0.12.0 with the variable set
 *   to 1). The arithmetic here reproduces all four numbers from the 89.71 GiB (tests).
 */
export const VLLM_HYBRID_KV_CACHE = {
  /** vLLM version the facts were read for (`IMAGES.vllm`). */
  vllmVersion: 'v0.31.0',
  /** Group sizes within this factor of each other use the largest count (no padding). */
  groupSizeTolerance: 1.25,
  /** Whether the hybrid manager is on by default for chunked local attention at the pinned version. */
  chunkedAttentionDefault: true,
  /** The vLLM argument that turns the hybrid manager off. */
  disableArg: '--disable-hybrid-kv-cache-manager',
  /** The environment variable that gates it for chunked local attention. */
  chunkedAttentionEnv: 'VLLM_ALLOW_CHUNKED_LOCAL_ATTN_WITH_HYBRID_KV_CACHE',
} as const;

/** The kinds of attention layer vLLM gives its own KV-cache spec. */
export enum KvCacheLayerKind {
  /** Full attention: every token of the sequence (`FullAttentionSpec`). */
  FULL = 'full',
  /** Sliding-window attention (`SlidingWindowSpec`). */
  SLIDING_WINDOW = 'sliding-window',
  /** Chunked local attention (`ChunkedLocalAttentionSpec`, Llama 4). */
  CHUNKED = 'chunked',
}

/** The KV-cache groups of one kind of layer, for {@link VllmKvCachePlan.groups}. */
export interface VllmKvCacheGroups {
  /** The kind of layer. */
  readonly kind: KvCacheLayerKind;
  /** Layers of this kind on the GPU (one pipeline stage's share). */
  readonly layers: number;
  /** KV-cache groups they form. */
  readonly groups: number;
  /** Empty layers vLLM pads the last group with (memory allocated but unused). */
  readonly paddingLayers: number;
  /** Tokens one full-length sequence keeps in each of these groups. */
  readonly tokensPerSequence: number;
}

/** Input of {@link vllmKvCachePlan}. */
export interface VllmKvCachePlanOptions {
  /** vLLM `--max-model-len`. */
  readonly maxModelLen: number;
  /** vLLM `--max-num-batched-tokens`: the tokens a local layer keeps beyond its window or chunk. */
  readonly maxNumBatchedTokens: number;
  /** KV-cache bytes per element (2 for BF16, 1 for FP8). */
  readonly bytesPerElement: number;
  /**
   * Tensor-parallel size: shards the KV heads.
   * @default 1
   */
  readonly tensorParallelSize?: number;
  /**
   * Pipeline-parallel size: a GPU holds one stage's share of each kind of layer (rounded up).
   * @default 1
   */
  readonly pipelineParallelSize?: number;
  /**
   * Whether vLLM's hybrid KV-cache manager runs (`--disable-hybrid-kv-cache-manager` not set).
   * @default true
   */
  readonly hybridKvCacheManager?: boolean;
}

/** The KV cache of one GPU as vLLM lays it out, from {@link vllmKvCachePlan}. */
export interface VllmKvCachePlan {
  /** Whether the hybrid manager's per-kind accounting applies (it runs and the model mixes kinds of layers). */
  readonly hybrid: boolean;
  /** Layers per KV-cache group. */
  readonly groupSize: number;
  /** The groups, by kind of layer. */
  readonly groups: VllmKvCacheGroups[];
  /** KV bytes of one token in one layer on this GPU. */
  readonly bytesPerTokenPerLayer: number;
  /** KV bytes one sequence of `maxModelLen` tokens takes on this GPU, padding included. */
  readonly bytesPerSequence: number;
  /** Budget bytes per token of vLLM's "GPU KV cache size" figure: group size x groups x per-layer bytes. */
  readonly bytesPerCacheToken: number;
  /** The arithmetic in one line. */
  readonly explanation: string;
}

/**
 * The KV cache of one GPU of a vLLM replica, laid out the way the pinned vLLM does it
 * ({@link VLLM_HYBRID_KV_CACHE}): per-kind tokens per sequence, KV-cache groups with their
 * padding, the bytes one full-length sequence takes and the bytes per token of vLLM's "GPU KV
 * cache size". Block rounding (16-token blocks) is left out: under 0.1% at the sizes that matter.
 *
 * @example
 * const plan = vllmKvCachePlan(ModelSpec.LLAMA_4_SCOUT, { maxModelLen: 1_000_000,
 *   maxNumBatchedTokens: 8192, bytesPerElement: 2, tensorParallelSize: 8 });
 * // 4 groups of 12 layers: 12 x (1,000,000 + 3 x 16,384) tokens x 512 B
 */
export function vllmKvCachePlan(model: ModelSpec, options: VllmKvCachePlanOptions): VllmKvCachePlan {
  const tp = options.tensorParallelSize ?? 1;
  const pp = options.pipelineParallelSize ?? 1;
  const len = options.maxModelLen;
  const batch = options.maxNumBatchedTokens;
  const b = model.kvBytesPerTokenPerLayer(options.bytesPerElement, tp);
  const stage = (n: number) => (n > 0 ? Math.ceil(n / pp) : 0);
  const sw = model.slidingWindow;
  const ca = model.chunkedAttention;
  const kinds = [
    { kind: KvCacheLayerKind.FULL, layers: stage(model.fullAttentionLayers), tokens: len },
    {
      kind: KvCacheLayerKind.SLIDING_WINDOW,
      layers: stage(sw?.layers ?? 0),
      tokens: sw ? Math.min(sw.tokens - 1 + batch, len) : 0,
    },
    {
      kind: KvCacheLayerKind.CHUNKED,
      layers: stage(ca?.layers ?? 0),
      tokens: ca ? Math.min(ca.tokens + batch, len) : 0,
    },
  ].filter((k) => k.layers > 0);
  const stageLayers = kinds.reduce((n, k) => n + k.layers, 0);
  const mixed = kinds.length > 1;
  const hybrid = mixed && options.hybridKvCacheManager !== false;

  if (!hybrid) {
    // One group of every layer. Without the hybrid manager a mixed model's local layers become
    // full attention; a model of one kind keeps its own spec (all sliding: window + batch).
    const tokens = mixed ? len : kinds[0].tokens;
    const kind = mixed ? KvCacheLayerKind.FULL : kinds[0].kind;
    const bytesPerSequence = b * stageLayers * tokens;
    return {
      hybrid: false,
      groupSize: stageLayers,
      groups: [{ kind, layers: stageLayers, groups: 1, paddingLayers: 0, tokensPerSequence: tokens }],
      bytesPerTokenPerLayer: b,
      bytesPerSequence,
      bytesPerCacheToken: b * stageLayers,
      explanation:
        `KV cache: ${stageLayers} layers x ${tokens} tokens x ${b} B = ${gib(bytesPerSequence)} per sequence` +
        (mixed
          ? ` (hybrid KV-cache manager off: local-attention layers keep every token, ${VLLM_HYBRID_KV_CACHE.disableArg})`
          : ''),
    };
  }

  const counts = kinds.map((k) => k.layers);
  const min = Math.min(...counts);
  const max = Math.max(...counts);
  const groupSize = max < min * VLLM_HYBRID_KV_CACHE.groupSizeTolerance ? max : min;
  const groups: VllmKvCacheGroups[] = kinds.map((k) => {
    const n = Math.ceil(k.layers / groupSize);
    return {
      kind: k.kind,
      layers: k.layers,
      groups: n,
      paddingLayers: n * groupSize - k.layers,
      tokensPerSequence: k.tokens,
    };
  });
  const slotTokens = groups.reduce((t, g) => t + g.groups * g.tokensPerSequence, 0);
  const totalGroups = groups.reduce((t, g) => t + g.groups, 0);
  const bytesPerSequence = b * groupSize * slotTokens;
  return {
    hybrid: true,
    groupSize,
    groups,
    bytesPerTokenPerLayer: b,
    bytesPerSequence,
    bytesPerCacheToken: b * groupSize * totalGroups,
    explanation:
      `KV cache (hybrid KV-cache manager): ${totalGroups} groups of ${groupSize} layers (` +
      groups
        .map(
          (g) =>
            `${g.groups} ${g.kind} x ${g.tokensPerSequence} tokens` +
            (g.paddingLayers > 0 ? `, ${g.paddingLayers} padding layers` : ''),
        )
        .join('; ') +
      `) x ${b} B = ${gib(bytesPerSequence)} per sequence`,
  };
}

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
