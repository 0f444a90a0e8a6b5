import { ValidationError } from './errors';

/** How a model stretches its rotary position embeddings past its trained context. */
export enum RopeScalingType {
  /** YaRN (Qwen, DeepSeek, gpt-oss): context = original x factor. */
  YARN = 'yarn',
  /** Linear position interpolation: context = original x factor. */
  LINEAR = 'linear',
  /** Dynamic NTK: context = original x factor. */
  DYNAMIC = 'dynamic',
  /** Llama 3 frequency scaling: already reflected in `max_position_embeddings`. */
  LLAMA3 = 'llama3',
}

/** A `rope_scaling` block of a model's config.json. */
export interface RopeScaling {
  /** `rope_scaling.rope_type` (or `type`). */
  readonly type: RopeScalingType;
  /** `rope_scaling.factor`. */
  readonly factor: number;
  /**
   * `rope_scaling.original_max_position_embeddings`: the context the model was trained at.
   * @default - the model's maxContextLength
   */
  readonly originalMaxPositionEmbeddings?: number;
  /**
   * Whether the checkpoint's own config.json already holds this block. When false (Qwen3 ships
   * without it and documents adding it for 131072 tokens), the engine must be told:
   * {@link ModelSpec.vllmHfOverrides} renders the `--hf-overrides` JSON.
   * @default true
   */
  readonly inCheckpointConfig?: boolean;
}

/**
 * Sliding-window attention (Mistral, Gemma 2/3, gpt-oss): layers whose queries attend to the
 * last `tokens` positions only, so those layers need at most the window in the KV cache.
 */
export interface SlidingWindow {
  /** Window size in tokens (`sliding_window`). */
  readonly tokens: number;
  /** How many of the model's layers use the window; the others attend to the whole context. */
  readonly layers: number;
}

/**
 * Chunked local attention (Llama 4 `attention_chunk_size`): the sequence is cut into chunks of
 * `tokens` and a query attends only to the earlier tokens of its own chunk. Like a sliding
 * window it bounds those layers' KV cache, but vLLM accounts it differently (a chunk plus the
 * scheduler batch, and only with its hybrid KV-cache manager on: {@link vllmKvCachePlan}).
 * Llama 4's other layers (every 4th, NoPE) attend to the whole context.
 */
export interface ChunkedAttention {
  /** Chunk size in tokens (`attention_chunk_size`; 8192 on Llama 4). */
  readonly tokens: number;
  /** How many of the model's layers use chunked attention (Llama 4: 36 of 48). */
  readonly layers: number;
}

/** Mixture-of-experts numbers (`num_local_experts` / `num_experts` / `n_routed_experts`, ...). */
export interface MixtureOfExperts {
  /** Routed experts per MoE layer. */
  readonly experts: number;
  /** Experts each token is routed to (`num_experts_per_tok`). */
  readonly expertsPerToken: number;
  /** Width of one expert's FFN (`moe_intermediate_size`, or `intermediate_size` where it is the expert's). */
  readonly expertIntermediateSize: number;
  /**
   * Layers with experts (DeepSeek's first 3 and every other Llama 4 Maverick layer are dense).
   * @default - every layer
   */
  readonly moeLayers?: number;
  /**
   * Shared experts every token goes through, per MoE layer (`n_shared_experts`; Llama 4: 1).
   * @default 0
   */
  readonly sharedExperts?: number;
  /** Parameters used per token, in billions, from the model card (for docs; memory needs all). */
  readonly activeParametersBillions: number;
}

/** Multi-head latent attention (DeepSeek-V2/V3/R1): the KV cache stores one compressed latent. */
export interface MultiHeadLatentAttention {
  /** `kv_lora_rank`: width of the compressed KV latent. */
  readonly kvLoraRank: number;
  /** `qk_rope_head_dim`: the decoupled rotary key stored next to the latent. */
  readonly qkRopeHeadDim: number;
}

/** Properties of a {@link ModelSpec}: the architecture numbers sizing needs. */
export interface ModelSpecProps {
  /** Short name used in resource names and messages, for example `llama-3.1-70b`. */
  readonly name: string;
  /**
   * Hugging Face repository id of the base (unquantized) model, for docs and the default
   * `--served-model-name`.
   * @default - none
   */
  readonly huggingFaceId?: string;
  /** Total parameters in billions (all experts for a mixture of experts). */
  readonly parametersBillions: number;
  /** Transformer layers (`num_hidden_layers`). */
  readonly layers: number;
  /** Hidden size (`hidden_size`). */
  readonly hiddenSize: number;
  /** Attention heads (`num_attention_heads`); tensor parallelism must divide it. */
  readonly attentionHeads: number;
  /** Key/value heads (`num_key_value_heads`, grouped-query attention). */
  readonly kvHeads: number;
  /**
   * Dimension of one head.
   * @default hiddenSize / attentionHeads
   */
  readonly headDim?: number;
  /** Vocabulary size (`vocab_size`). */
  readonly vocabSize: number;
  /**
   * Longest context of the checkpoint's config (`max_position_embeddings`). With YaRN, linear or
   * dynamic rope scaling the usable context is {@link ModelSpec.contextLength}.
   */
  readonly maxContextLength: number;
  /**
   * Whether input embeddings and `lm_head` share weights (`tie_word_embeddings`).
   * @default false
   */
  readonly tiedEmbeddings?: boolean;
  /**
   * Width of a dense FFN (`intermediate_size`, Llama 4 `intermediate_size_mlp`): sizes the
   * activations of vLLM's profiling run.
   * @default - 3.5 x hiddenSize (the Llama ratio)
   */
  readonly intermediateSize?: number;
  /**
   * Rope scaling that extends the context.
   * @default - none
   */
  readonly ropeScaling?: RopeScaling;
  /**
   * Sliding-window attention layers.
   * @default - no sliding-window layers
   */
  readonly slidingWindow?: SlidingWindow;
  /**
   * Chunked local attention layers (Llama 4).
   * @default - no chunked-attention layers
   */
  readonly chunkedAttention?: ChunkedAttention;
  /**
   * Mixture-of-experts numbers.
   * @default - a dense model
   */
  readonly moe?: MixtureOfExperts;
  /**
   * Multi-head latent attention (DeepSeek): changes the KV cache per token and stops it from
   * being sharded by tensor parallelism.
   * @default - standard (grouped-query) attention
   */
  readonly mla?: MultiHeadLatentAttention;
}

/** Options of {@link ModelSpec.fromHuggingFaceConfig}. */
export interface HuggingFaceConfigOptions {
  /**
   * Short name for resources and messages.
   * @default - the last segment of `_name_or_path`, lower-cased; an error when the config has none
   */
  readonly name?: string;
  /**
   * Hugging Face repository id, for docs and `--served-model-name`.
   * @default - `_name_or_path` when it looks like `org/model`
   */
  readonly huggingFaceId?: string;
  /**
   * Total parameters in billions, from the model card.
   * @default - counted from the config (embeddings, attention, FFN or experts, norms; vision
   *   towers of multimodal models are not counted)
   */
  readonly parametersBillions?: number;
  /**
   * Active parameters per token in billions for a mixture of experts.
   * @default - counted from the config
   */
  readonly activeParametersBillions?: number;
}

/**
 * The rope scaling of Llama 3.1 and of the models on its architecture (3.3 70B): `rope_type`
 * llama3, factor 8 over the original 8192-token context (low/high frequency factors 1 and 4,
 * which sizing does not use). Sources: Meta's reference implementation
 * meta-llama/llama-models@1bb54864e10c8d007edf2e651f35ec75b3c1cd78
 * `models/llama3/reference_impl/model.py` (`apply_scaling`: scale_factor 8, old_context_len 8192),
 * applied to every Llama 3.1 SKU, 8B, 70B and 405B, base and instruct
 * (meta-llama/llama-models@1768925a9d343b19459b5bc2acc893c842874179
 * `models/llama3_1/api/sku_list.py`: `use_scaled_rope: True`, context 131072); Hugging Face's name
 * for it is the `llama3` rope type (huggingface/transformers@0044e3b3facff1a1ad60b235c69d5b45beae75a4
 * `src/transformers/modeling_rope_utils.py`, `_compute_llama3_parameters`, "the inverse frequencies
 * for llama 3.1"), as in the Llama 3.3 70B config.json. Already reflected in
 * `max_position_embeddings` (131072), so it does not stretch {@link ModelSpec.contextLength}.
 */
const LLAMA_3_1_ROPE_SCALING: RopeScaling = {
  type: RopeScalingType.LLAMA3,
  factor: 8,
  originalMaxPositionEmbeddings: 8192,
};

/**
 * A language model's architecture numbers: enough to compute weight memory, the activations of
 * vLLM's profiling run and the KV cache per token. Presets are from each model's `config.json`
 * on Hugging Face (cited on each preset) and total parameters from its model card.
 *
 * @example
 * const custom = ModelSpec.of({ name: 'my-13b', parametersBillions: 13, layers: 40, hiddenSize: 5120,
 *   attentionHeads: 40, kvHeads: 40, vocabSize: 32000, maxContextLength: 4096 });
 * const fromHub = ModelSpec.fromHuggingFaceConfig(JSON.parse(readFileSync('config.json', 'utf8')),
 *   { name: 'my-model' });
 * const long = ModelSpec.QWEN3_32B.withRopeScaling({ type: RopeScalingType.YARN, factor: 4,
 *   originalMaxPositionEmbeddings: 32768, inCheckpointConfig: false }); // 131072 tokens
 */
export class ModelSpec {
  /**
   * meta-llama/Llama-3.1-8B-Instruct: 32 layers, 8 KV heads, 128k context with llama3 rope
   * scaling, factor 8 over 8192 (Meta's `use_scaled_rope`: meta-llama/llama-models
   * `models/llama3_1/api/sku_list.py`, `models/llama3/reference_impl/model.py` `apply_scaling`).
   */
  public static readonly LLAMA_3_1_8B = new ModelSpec({
    name: 'llama-3.1-8b',
    huggingFaceId: 'meta-llama/Llama-3.1-8B-Instruct',
    parametersBillions: 8.03,
    layers: 32,
    hiddenSize: 4096,
    attentionHeads: 32,
    kvHeads: 8,
    vocabSize: 128256,
    maxContextLength: 131072,
    intermediateSize: 14336,
    ropeScaling: LLAMA_3_1_ROPE_SCALING,
  });

  /**
   * meta-llama/Llama-3.1-70B-Instruct: 80 layers, 8 KV heads, 128k context with llama3 rope
   * scaling, factor 8 over 8192 (Meta's `use_scaled_rope`: meta-llama/llama-models
   * `models/llama3_1/api/sku_list.py`, `models/llama3/reference_impl/model.py` `apply_scaling`).
   */
  public static readonly LLAMA_3_1_70B = new ModelSpec({
    name: 'llama-3.1-70b',
    huggingFaceId: 'meta-llama/Llama-3.1-70B-Instruct',
    parametersBillions: 70.6,
    layers: 80,
    hiddenSize: 8192,
    attentionHeads: 64,
    kvHeads: 8,
    vocabSize: 128256,
    maxContextLength: 131072,
    intermediateSize: 28672,
    ropeScaling: LLAMA_3_1_ROPE_SCALING,
  });

  /**
   * meta-llama/Llama-3.3-70B-Instruct: the Llama 3.1 70B architecture (80 layers, 8 KV heads,
   * FFN 28672, 128k context with llama3 rope scaling). Config:
   * https://huggingface.co/meta-llama/Llama-3.3-70B-Instruct/blob/main/config.json
   */
  public static readonly LLAMA_3_3_70B = new ModelSpec({
    name: 'llama-3.3-70b',
    huggingFaceId: 'meta-llama/Llama-3.3-70B-Instruct',
    parametersBillions: 70.6,
    layers: 80,
    hiddenSize: 8192,
    attentionHeads: 64,
    kvHeads: 8,
    vocabSize: 128256,
    maxContextLength: 131072,
    intermediateSize: 28672,
    ropeScaling: LLAMA_3_1_ROPE_SCALING,
  });

  /**
   * meta-llama/Llama-3.1-405B-Instruct: 126 layers, 8 KV heads, 128k context with llama3 rope
   * scaling, factor 8 over 8192 (Meta's `use_scaled_rope`: meta-llama/llama-models
   * `models/llama3_1/api/sku_list.py`, `models/llama3/reference_impl/model.py` `apply_scaling`).
   */
  public static readonly LLAMA_3_1_405B = new ModelSpec({
    name: 'llama-3.1-405b',
    huggingFaceId: 'meta-llama/Llama-3.1-405B-Instruct',
    parametersBillions: 405.9,
    layers: 126,
    hiddenSize: 16384,
    attentionHeads: 128,
    kvHeads: 8,
    vocabSize: 128256,
    maxContextLength: 131072,
    intermediateSize: 53248,
    ropeScaling: LLAMA_3_1_ROPE_SCALING,
  });

  /**
   * meta-llama/Llama-4-Scout-17B-16E-Instruct: 109B total, 17B active; 48 MoE layers of 16
   * experts (top 1) plus a shared expert; chunked local attention (8192) on 3 of 4 layers;
   * 10M-token config context. Config (`text_config`):
   * https://huggingface.co/meta-llama/Llama-4-Scout-17B-16E-Instruct/blob/main/config.json
   */
  public static readonly LLAMA_4_SCOUT = new ModelSpec({
    name: 'llama-4-scout',
    huggingFaceId: 'meta-llama/Llama-4-Scout-17B-16E-Instruct',
    parametersBillions: 109,
    layers: 48,
    hiddenSize: 5120,
    attentionHeads: 40,
    kvHeads: 8,
    headDim: 128,
    vocabSize: 202048,
    maxContextLength: 10485760,
    intermediateSize: 16384,
    chunkedAttention: { tokens: 8192, layers: 36 },
    moe: {
      experts: 16,
      expertsPerToken: 1,
      expertIntermediateSize: 8192,
      sharedExperts: 1,
      activeParametersBillions: 17,
    },
  });

  /**
   * meta-llama/Llama-4-Maverick-17B-128E-Instruct: 400B total, 17B active; MoE (128 experts, top
   * 1, plus a shared expert) on every other layer; chunked local attention on 3 of 4 layers; 1M
   * config context. Config (`text_config`):
   * https://huggingface.co/meta-llama/Llama-4-Maverick-17B-128E-Instruct/blob/main/config.json
   */
  public static readonly LLAMA_4_MAVERICK = new ModelSpec({
    name: 'llama-4-maverick',
    huggingFaceId: 'meta-llama/Llama-4-Maverick-17B-128E-Instruct',
    parametersBillions: 400,
    layers: 48,
    hiddenSize: 5120,
    attentionHeads: 40,
    kvHeads: 8,
    headDim: 128,
    vocabSize: 202048,
    maxContextLength: 1048576,
    intermediateSize: 16384,
    chunkedAttention: { tokens: 8192, layers: 36 },
    moe: {
      experts: 128,
      expertsPerToken: 1,
      expertIntermediateSize: 8192,
      moeLayers: 24,
      sharedExperts: 1,
      activeParametersBillions: 17,
    },
  });

  /** mistralai/Mistral-7B-Instruct-v0.3: 32 layers, 8 KV heads, 32k context. */
  public static readonly MISTRAL_7B = new ModelSpec({
    name: 'mistral-7b',
    huggingFaceId: 'mistralai/Mistral-7B-Instruct-v0.3',
    parametersBillions: 7.25,
    layers: 32,
    hiddenSize: 4096,
    attentionHeads: 32,
    kvHeads: 8,
    vocabSize: 32768,
    maxContextLength: 32768,
    intermediateSize: 14336,
  });

  /**
   * mistralai/Mistral-Small-3.2-24B-Instruct-2506: 24B (text 40 layers, 8 KV heads, head dim 128,
   * FFN 32768, 128k context; a 0.4B vision encoder). Config (`text_config`):
   * https://huggingface.co/mistralai/Mistral-Small-3.2-24B-Instruct-2506/blob/main/config.json
   */
  public static readonly MISTRAL_SMALL_24B = new ModelSpec({
    name: 'mistral-small-24b',
    huggingFaceId: 'mistralai/Mistral-Small-3.2-24B-Instruct-2506',
    parametersBillions: 24.0,
    layers: 40,
    hiddenSize: 5120,
    attentionHeads: 32,
    kvHeads: 8,
    headDim: 128,
    vocabSize: 131072,
    maxContextLength: 131072,
    intermediateSize: 32768,
  });

  /**
   * mistralai/Mistral-Large-Instruct-2411: 123B dense, 88 layers, 8 KV heads, 128k context.
   * Config: https://huggingface.co/mistralai/Mistral-Large-Instruct-2411/blob/main/config.json
   */
  public static readonly MISTRAL_LARGE_123B = new ModelSpec({
    name: 'mistral-large-123b',
    huggingFaceId: 'mistralai/Mistral-Large-Instruct-2411',
    parametersBillions: 122.6,
    layers: 88,
    hiddenSize: 12288,
    attentionHeads: 96,
    kvHeads: 8,
    headDim: 128,
    vocabSize: 32768,
    maxContextLength: 131072,
    intermediateSize: 28672,
  });

  /** mistralai/Mixtral-8x7B-Instruct-v0.1: 46.7B total (12.9B active), 32 layers, 32k context. */
  public static readonly MIXTRAL_8X7B = new ModelSpec({
    name: 'mixtral-8x7b',
    huggingFaceId: 'mistralai/Mixtral-8x7B-Instruct-v0.1',
    parametersBillions: 46.7,
    layers: 32,
    hiddenSize: 4096,
    attentionHeads: 32,
    kvHeads: 8,
    vocabSize: 32000,
    maxContextLength: 32768,
    intermediateSize: 14336,
    moe: { experts: 8, expertsPerToken: 2, expertIntermediateSize: 14336, activeParametersBillions: 12.9 },
  });

  /** Qwen/Qwen2.5-7B-Instruct: 28 layers, 4 KV heads, 32k context (128k with YaRN). */
  public static readonly QWEN2_5_7B = new ModelSpec({
    name: 'qwen2.5-7b',
    huggingFaceId: 'Qwen/Qwen2.5-7B-Instruct',
    parametersBillions: 7.62,
    layers: 28,
    hiddenSize: 3584,
    attentionHeads: 28,
    kvHeads: 4,
    headDim: 128,
    vocabSize: 152064,
    maxContextLength: 32768,
    intermediateSize: 18944,
  });

  /** Qwen/Qwen2.5-72B-Instruct: 80 layers, 8 KV heads, 32k context (128k with YaRN). */
  public static readonly QWEN2_5_72B = new ModelSpec({
    name: 'qwen2.5-72b',
    huggingFaceId: 'Qwen/Qwen2.5-72B-Instruct',
    parametersBillions: 72.7,
    layers: 80,
    hiddenSize: 8192,
    attentionHeads: 64,
    kvHeads: 8,
    vocabSize: 152064,
    maxContextLength: 32768,
    intermediateSize: 29568,
  });

  /**
   * Qwen/Qwen3-8B: 8.2B, 36 layers, 8 KV heads, head dim 128; config context 40960 (32768
   * native; 131072 with YaRN factor 4, which the model card says to add: see
   * {@link ModelSpec.withRopeScaling}). Config: https://huggingface.co/Qwen/Qwen3-8B/blob/main/config.json
   */
  public static readonly QWEN3_8B = new ModelSpec({
    name: 'qwen3-8b',
    huggingFaceId: 'Qwen/Qwen3-8B',
    parametersBillions: 8.2,
    layers: 36,
    hiddenSize: 4096,
    attentionHeads: 32,
    kvHeads: 8,
    headDim: 128,
    vocabSize: 151936,
    maxContextLength: 40960,
    intermediateSize: 12288,
  });

  /**
   * Qwen/Qwen3-32B: 32.8B, 64 layers, 8 KV heads, head dim 128; config context 40960 (131072
   * with YaRN factor 4). Config: https://huggingface.co/Qwen/Qwen3-32B/blob/main/config.json
   */
  public static readonly QWEN3_32B = new ModelSpec({
    name: 'qwen3-32b',
    huggingFaceId: 'Qwen/Qwen3-32B',
    parametersBillions: 32.8,
    layers: 64,
    hiddenSize: 5120,
    attentionHeads: 64,
    kvHeads: 8,
    headDim: 128,
    vocabSize: 151936,
    maxContextLength: 40960,
    intermediateSize: 25600,
  });

  /**
   * Qwen/Qwen3-235B-A22B: 235B total, 22B active; 94 layers of 128 experts (top 8, expert FFN
   * 1536), 4 KV heads; config context 40960 (131072 with YaRN factor 4).
   * Config: https://huggingface.co/Qwen/Qwen3-235B-A22B/blob/main/config.json
   */
  public static readonly QWEN3_235B_A22B = new ModelSpec({
    name: 'qwen3-235b-a22b',
    huggingFaceId: 'Qwen/Qwen3-235B-A22B',
    parametersBillions: 235,
    layers: 94,
    hiddenSize: 4096,
    attentionHeads: 64,
    kvHeads: 4,
    headDim: 128,
    vocabSize: 151936,
    maxContextLength: 40960,
    intermediateSize: 12288,
    moe: { experts: 128, expertsPerToken: 8, expertIntermediateSize: 1536, activeParametersBillions: 22 },
  });

  /**
   * deepseek-ai/DeepSeek-V3: 671B total (the 14B multi-token-prediction module is loaded only for
   * speculative decoding), 37B active; 61 layers, the first 3 dense, then 256 routed experts
   * (top 8) plus 1 shared; multi-head latent attention (KV latent 512 + rope key 64); 163840
   * context (YaRN factor 40 x 4096). Released in FP8. Config:
   * https://huggingface.co/deepseek-ai/DeepSeek-V3/blob/main/config.json
   */
  public static readonly DEEPSEEK_V3 = new ModelSpec(
    deepSeekV3Props('deepseek-v3', 'deepseek-ai/DeepSeek-V3'),
  );

  /** deepseek-ai/DeepSeek-R1: the DeepSeek-V3 architecture (see {@link ModelSpec.DEEPSEEK_V3}). */
  public static readonly DEEPSEEK_R1 = new ModelSpec(
    deepSeekV3Props('deepseek-r1', 'deepseek-ai/DeepSeek-R1'),
  );

  /**
   * openai/gpt-oss-20b: 21B total, 3.6B active; 24 layers of 32 experts (top 4), 8 KV heads of
   * 64, sliding window 128 on every other layer; 131072 context (YaRN 32 x 4096). Experts ship in
   * MXFP4 ({@link Quantization.MXFP4}). Config: https://huggingface.co/openai/gpt-oss-20b/blob/main/config.json
   */
  public static readonly GPT_OSS_20B = new ModelSpec(
    gptOssProps('gpt-oss-20b', {
      parametersBillions: 20.9,
      layers: 24,
      experts: 32,
      activeParametersBillions: 3.6,
    }),
  );

  /**
   * openai/gpt-oss-120b: 117B total, 5.1B active; 36 layers of 128 experts (top 4), 8 KV heads
   * of 64, sliding window 128 on every other layer; 131072 context. Experts in MXFP4.
   * Config: https://huggingface.co/openai/gpt-oss-120b/blob/main/config.json
   */
  public static readonly GPT_OSS_120B = new ModelSpec(
    gptOssProps('gpt-oss-120b', {
      parametersBillions: 116.8,
      layers: 36,
      experts: 128,
      activeParametersBillions: 5.1,
    }),
  );

  /**
   * google/gemma-3-27b-it: 27.4B (with a 0.4B vision encoder), 62 layers, 16 KV heads of 128;
   * 5 of every 6 layers use a 1024-token sliding window (52 local, 10 global); tied embeddings;
   * 128k context. Config (`text_config`): https://huggingface.co/google/gemma-3-27b-it/blob/main/config.json
   */
  public static readonly GEMMA_3_27B = new ModelSpec({
    name: 'gemma-3-27b',
    huggingFaceId: 'google/gemma-3-27b-it',
    parametersBillions: 27.4,
    layers: 62,
    hiddenSize: 5376,
    attentionHeads: 32,
    kvHeads: 16,
    headDim: 128,
    vocabSize: 262208,
    maxContextLength: 131072,
    tiedEmbeddings: true,
    intermediateSize: 21504,
    slidingWindow: { tokens: 1024, layers: 52 },
  });

  /** Every preset. */
  public static presets(): ModelSpec[] {
    return [
      ModelSpec.LLAMA_3_1_8B,
      ModelSpec.LLAMA_3_1_70B,
      ModelSpec.LLAMA_3_3_70B,
      ModelSpec.LLAMA_3_1_405B,
      ModelSpec.LLAMA_4_SCOUT,
      ModelSpec.LLAMA_4_MAVERICK,
      ModelSpec.MISTRAL_7B,
      ModelSpec.MISTRAL_SMALL_24B,
      ModelSpec.MISTRAL_LARGE_123B,
      ModelSpec.MIXTRAL_8X7B,
      ModelSpec.QWEN2_5_7B,
      ModelSpec.QWEN2_5_72B,
      ModelSpec.QWEN3_8B,
      ModelSpec.QWEN3_32B,
      ModelSpec.QWEN3_235B_A22B,
      ModelSpec.DEEPSEEK_V3,
      ModelSpec.DEEPSEEK_R1,
      ModelSpec.GPT_OSS_20B,
      ModelSpec.GPT_OSS_120B,
      ModelSpec.GEMMA_3_27B,
    ];
  }

  /** Describes a model that is not a preset. */
  public static of(props: ModelSpecProps): ModelSpec {
    return new ModelSpec(props);
  }

  /**
   * Reads a Hugging Face `config.json` object the user supplies (no network): Llama, Mistral,
   * Mixtral, Qwen2/3 (MoE too), Gemma 3, Llama 4, DeepSeek-V2/V3 (MLA) and gpt-oss layouts,
   * with the text model under `text_config` for multimodal checkpoints. Total parameters are
   * counted from the config unless given.
   *
   * @throws ValidationError naming the config key that is missing or invalid.
   */
  public static fromHuggingFaceConfig(config: unknown, options: HuggingFaceConfigOptions = {}): ModelSpec {
    return new ModelSpec(propsFromHuggingFaceConfig(config, options));
  }

  /** Short name. */
  public readonly name: string;
  /** Hugging Face repository id, if known. */
  public readonly huggingFaceId?: string;
  /** Total parameters in billions. */
  public readonly parametersBillions: number;
  /** Layers. */
  public readonly layers: number;
  /** Hidden size. */
  public readonly hiddenSize: number;
  /** Attention heads. */
  public readonly attentionHeads: number;
  /** KV heads. */
  public readonly kvHeads: number;
  /** Head dimension. */
  public readonly headDim: number;
  /** Vocabulary size. */
  public readonly vocabSize: number;
  /** `max_position_embeddings` of the config. */
  public readonly maxContextLength: number;
  /** Whether embeddings are tied. */
  public readonly tiedEmbeddings: boolean;
  /** Dense FFN width. */
  public readonly intermediateSize: number;
  /** Rope scaling, if any. */
  public readonly ropeScaling?: RopeScaling;
  /** Sliding-window attention, if any. */
  public readonly slidingWindow?: SlidingWindow;
  /** Chunked local attention, if any. */
  public readonly chunkedAttention?: ChunkedAttention;
  /** Mixture-of-experts numbers, if a MoE. */
  public readonly moe?: MixtureOfExperts;
  /** Multi-head latent attention, if any. */
  public readonly mla?: MultiHeadLatentAttention;

  private readonly props: ModelSpecProps;

  private constructor(props: ModelSpecProps) {
    validateModelProps(props);
    const headDim = props.headDim ?? props.hiddenSize / props.attentionHeads;
    this.props = props;
    this.name = props.name;
    this.huggingFaceId = props.huggingFaceId;
    this.parametersBillions = props.parametersBillions;
    this.layers = props.layers;
    this.hiddenSize = props.hiddenSize;
    this.attentionHeads = props.attentionHeads;
    this.kvHeads = props.kvHeads;
    this.headDim = headDim;
    this.vocabSize = props.vocabSize;
    this.maxContextLength = props.maxContextLength;
    this.tiedEmbeddings = props.tiedEmbeddings ?? false;
    this.intermediateSize = props.intermediateSize ?? Math.round(props.hiddenSize * 3.5);
    this.ropeScaling = props.ropeScaling;
    this.slidingWindow = props.slidingWindow;
    this.chunkedAttention = props.chunkedAttention;
    this.moe = props.moe;
    this.mla = props.mla;
  }

  /**
   * The longest context the engine accepts: `max_position_embeddings`, or original x factor when
   * a YaRN / linear / dynamic rope scaling with `original_max_position_embeddings` stretches it
   * further (vLLM `_get_and_verify_max_len`; Qwen: 32768 x 4 = 131072).
   */
  public get contextLength(): number {
    const r = this.ropeScaling;
    if (!r || r.type === RopeScalingType.LLAMA3 || r.originalMaxPositionEmbeddings === undefined) {
      return this.maxContextLength;
    }
    return Math.max(this.maxContextLength, Math.floor(r.originalMaxPositionEmbeddings * r.factor));
  }

  /**
   * The same model with a rope scaling, for example YaRN factor 4 on Qwen3 for 131072 tokens.
   * Set `inCheckpointConfig: false` when the checkpoint's config.json does not hold it, so the
   * engine gets {@link vllmHfOverrides}.
   */
  public withRopeScaling(ropeScaling: RopeScaling): ModelSpec {
    return new ModelSpec({ ...this.props, ropeScaling });
  }

  /**
   * The `--hf-overrides` object vLLM needs for a rope scaling the checkpoint's config lacks, or
   * undefined when the checkpoint's config is enough.
   */
  public get vllmHfOverrides(): Record<string, unknown> | undefined {
    const r = this.ropeScaling;
    if (!r || r.inCheckpointConfig !== false) {
      return undefined;
    }
    return {
      rope_scaling: {
        rope_type: r.type,
        factor: r.factor,
        ...(r.originalMaxPositionEmbeddings !== undefined
          ? { original_max_position_embeddings: r.originalMaxPositionEmbeddings }
          : {}),
      },
      max_position_embeddings: this.contextLength,
    };
  }

  /** Whether the model is a mixture of experts. */
  public get isMoe(): boolean {
    return this.moe !== undefined;
  }

  /** Total parameters. */
  public get parameters(): number {
    return this.parametersBillions * 1e9;
  }

  /** Parameters in the routed experts (0 for a dense model): MoE layers x experts x 3 x hidden x expert FFN. */
  public get expertParameters(): number {
    const m = this.moe;
    if (!m) {
      return 0;
    }
    return (m.moeLayers ?? this.layers) * m.experts * 3 * this.hiddenSize * m.expertIntermediateSize;
  }

  /** Parameters used per token, in billions (total for a dense model). */
  public get activeParametersBillions(): number {
    return this.moe?.activeParametersBillions ?? this.parametersBillions;
  }

  /** Parameters in the input embedding and `lm_head` (counted once when tied). */
  public get embeddingParameters(): number {
    return this.vocabSize * this.hiddenSize * (this.tiedEmbeddings ? 1 : 2);
  }

  /**
   * FFN width one token passes through in a layer: the dense FFN, or for a MoE the routed
   * experts it picks plus the shared ones (what the profiling run's activations scale with).
   */
  public get activeFfnWidth(): number {
    const m = this.moe;
    if (!m) {
      return this.intermediateSize;
    }
    return (m.expertsPerToken + (m.sharedExperts ?? 0)) * m.expertIntermediateSize;
  }

  /**
   * KV-cache bytes one token needs in one layer on one GPU: 2 (K and V) x ceil(KV heads / TP) x
   * head dim x bytes; with multi-head latent attention the latent and rope key
   * (kv_lora_rank + qk_rope_head_dim) x bytes, which every tensor-parallel rank holds whole.
   */
  public kvBytesPerTokenPerLayer(bytesPerElement: number, tensorParallelSize = 1): number {
    if (this.mla) {
      return (this.mla.kvLoraRank + this.mla.qkRopeHeadDim) * bytesPerElement;
    }
    return 2 * Math.ceil(this.kvHeads / tensorParallelSize) * this.headDim * bytesPerElement;
  }

  /**
   * KV-cache bytes per token for the whole model on one GPU, every layer counted (sliding
   * windows ignored): 2 x layers x KV heads x head dim x bytes, or the MLA latent.
   */
  public kvCacheBytesPerToken(bytesPerElement: number): number {
    return this.layers * this.kvBytesPerTokenPerLayer(bytesPerElement);
  }

  /** Layers that attend to the whole context: all but the sliding-window and chunked-attention ones. */
  public get fullAttentionLayers(): number {
    return this.layers - (this.slidingWindow?.layers ?? 0) - (this.chunkedAttention?.layers ?? 0);
  }

  /**
   * The lower bound of the KV cache one sequence of `tokens` needs on one GPU of a replica with
   * the given tensor- and pipeline-parallel sizes: full-attention layers hold every token,
   * sliding-window and chunked-attention layers at most their window or chunk; a pipeline stage
   * holds its share of each kind of layer (rounded up). llama.cpp's iSWA cache sizes this way;
   * vLLM allocates more (the scheduler batch on top of the window, whole KV-cache groups, and
   * every token in every layer without its hybrid KV-cache manager): {@link vllmKvCachePlan}.
   */
  public kvCacheBytesPerSequence(
    tokens: number,
    bytesPerElement: number,
    tensorParallelSize = 1,
    pipelineParallelSize = 1,
  ): number {
    const perLayer = this.kvBytesPerTokenPerLayer(bytesPerElement, tensorParallelSize);
    const stage = (n: number) => Math.ceil(n / pipelineParallelSize);
    const sw = this.slidingWindow;
    const ca = this.chunkedAttention;
    return (
      perLayer *
      (stage(this.fullAttentionLayers) * tokens +
        (sw ? stage(sw.layers) * Math.min(tokens, sw.tokens) : 0) +
        (ca ? stage(ca.layers) * Math.min(tokens, ca.tokens) : 0))
    );
  }

  /** The name. */
  public toString(): string {
    return this.name;
  }
}

function deepSeekV3Props(name: string, huggingFaceId: string): ModelSpecProps {
  return {
    name,
    huggingFaceId,
    parametersBillions: 671,
    layers: 61,
    hiddenSize: 7168,
    attentionHeads: 128,
    kvHeads: 128,
    headDim: 128,
    vocabSize: 129280,
    maxContextLength: 163840,
    intermediateSize: 18432,
    ropeScaling: { type: RopeScalingType.YARN, factor: 40, originalMaxPositionEmbeddings: 4096 },
    moe: {
      experts: 256,
      expertsPerToken: 8,
      expertIntermediateSize: 2048,
      moeLayers: 58,
      sharedExperts: 1,
      activeParametersBillions: 37,
    },
    mla: { kvLoraRank: 512, qkRopeHeadDim: 64 },
  };
}

/**
 * The gpt-oss architecture (openai/gpt-oss-20b and -120b config.json): hidden size 2880, 64
 * query and 8 KV heads of 64, top-4 experts of 2880, a 128-token sliding window on every other
 * layer, 131072 context (YaRN 32 x 4096); the sizes differ in layers and experts.
 */
function gptOssProps(
  name: 'gpt-oss-20b' | 'gpt-oss-120b',
  size: { parametersBillions: number; layers: number; experts: number; activeParametersBillions: number },
): ModelSpecProps {
  return {
    name,
    huggingFaceId: `openai/${name}`,
    parametersBillions: size.parametersBillions,
    layers: size.layers,
    hiddenSize: 2880,
    attentionHeads: 64,
    kvHeads: 8,
    headDim: 64,
    vocabSize: 201088,
    maxContextLength: 131072,
    intermediateSize: 2880,
    ropeScaling: { type: RopeScalingType.YARN, factor: 32, originalMaxPositionEmbeddings: 4096 },
    slidingWindow: { tokens: 128, layers: size.layers / 2 },
    moe: {
      experts: size.experts,
      expertsPerToken: 4,
      expertIntermediateSize: 2880,
      activeParametersBillions: size.activeParametersBillions,
    },
  };
}

function positiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

function validateModelProps(props: ModelSpecProps): void {
  if (!props.name || !/^[a-z0-9][a-z0-9.-]*$/.test(props.name)) {
    throw new ValidationError(
      `ModelSpec 'name' ('${props.name}') must be lower-case letters, digits, '.' or '-', starting with a letter or digit, for example 'llama-3.1-8b'.`,
    );
  }
  const ints: Array<keyof ModelSpecProps> = [
    'layers',
    'hiddenSize',
    'attentionHeads',
    'kvHeads',
    'vocabSize',
    'maxContextLength',
  ];
  for (const k of ints) {
    const v = props[k] as number;
    if (!positiveInt(v)) {
      throw new ValidationError(
        `ModelSpec '${props.name}': '${k}' (${v}) must be a positive integer (see the model's config.json).`,
      );
    }
  }
  if (props.intermediateSize !== undefined && !positiveInt(props.intermediateSize)) {
    throw new ValidationError(
      `ModelSpec '${props.name}': 'intermediateSize' (${props.intermediateSize}) must be a positive integer (config.json 'intermediate_size').`,
    );
  }
  if (!(props.parametersBillions > 0)) {
    throw new ValidationError(
      `ModelSpec '${props.name}': 'parametersBillions' (${props.parametersBillions}) must be > 0, for example 70.6 for a 70B model.`,
    );
  }
  if (props.attentionHeads % props.kvHeads !== 0) {
    throw new ValidationError(
      `ModelSpec '${props.name}': 'attentionHeads' (${props.attentionHeads}) must be a multiple of 'kvHeads' (${props.kvHeads}).`,
    );
  }
  const headDim = props.headDim ?? props.hiddenSize / props.attentionHeads;
  if (!Number.isInteger(headDim) || headDim <= 0) {
    throw new ValidationError(
      `ModelSpec '${props.name}': 'headDim' (${headDim}) must be a positive integer; set it explicitly when hiddenSize / attentionHeads is not one.`,
    );
  }
  const r = props.ropeScaling;
  if (r) {
    if (!Object.values(RopeScalingType).includes(r.type)) {
      throw new ValidationError(
        `ModelSpec '${props.name}': 'ropeScaling.type' ('${r.type}') must be one of ${Object.values(RopeScalingType).join(', ')}.`,
      );
    }
    if (!(Number.isFinite(r.factor) && r.factor >= 1)) {
      throw new ValidationError(
        `ModelSpec '${props.name}': 'ropeScaling.factor' (${r.factor}) must be a number >= 1, for example 4 for YaRN on Qwen3.`,
      );
    }
    if (r.originalMaxPositionEmbeddings !== undefined && !positiveInt(r.originalMaxPositionEmbeddings)) {
      throw new ValidationError(
        `ModelSpec '${props.name}': 'ropeScaling.originalMaxPositionEmbeddings' (${r.originalMaxPositionEmbeddings}) must be a positive integer, for example 32768.`,
      );
    }
  }
  const w = props.slidingWindow;
  if (
    w &&
    !(positiveInt(w.tokens) && Number.isInteger(w.layers) && w.layers >= 0 && w.layers <= props.layers)
  ) {
    throw new ValidationError(
      `ModelSpec '${props.name}': 'slidingWindow' (${JSON.stringify(w)}) needs 'tokens' a positive integer and 'layers' an integer from 0 to 'layers' (${props.layers}).`,
    );
  }
  const ch = props.chunkedAttention;
  if (
    ch &&
    !(positiveInt(ch.tokens) && Number.isInteger(ch.layers) && ch.layers >= 0 && ch.layers <= props.layers)
  ) {
    throw new ValidationError(
      `ModelSpec '${props.name}': 'chunkedAttention' (${JSON.stringify(ch)}) needs 'tokens' a positive integer (config.json 'attention_chunk_size') and 'layers' an integer from 0 to 'layers' (${props.layers}).`,
    );
  }
  if (w && ch && w.layers + ch.layers > props.layers) {
    throw new ValidationError(
      `ModelSpec '${props.name}': 'slidingWindow.layers' (${w.layers}) + 'chunkedAttention.layers' (${ch.layers}) must be at most 'layers' (${props.layers}): a layer uses one kind of attention.`,
    );
  }
  const m = props.moe;
  if (m) {
    const moeLayers = m.moeLayers ?? props.layers;
    if (
      !positiveInt(m.experts) ||
      m.experts < 2 ||
      !positiveInt(m.expertsPerToken) ||
      m.expertsPerToken > m.experts ||
      !positiveInt(m.expertIntermediateSize) ||
      !positiveInt(moeLayers) ||
      moeLayers > props.layers ||
      !(Number.isInteger(m.sharedExperts ?? 0) && (m.sharedExperts ?? 0) >= 0)
    ) {
      throw new ValidationError(
        `ModelSpec '${props.name}': 'moe' (${JSON.stringify(m)}) needs integer 'experts' >= 2, 'expertsPerToken' from 1 to experts, a positive 'expertIntermediateSize', 'moeLayers' from 1 to 'layers' (${props.layers}) and 'sharedExperts' >= 0.`,
      );
    }
    if (!(m.activeParametersBillions > 0 && m.activeParametersBillions <= props.parametersBillions)) {
      throw new ValidationError(
        `ModelSpec '${props.name}': 'moe.activeParametersBillions' (${m.activeParametersBillions}) must be > 0 and at most 'parametersBillions' (${props.parametersBillions}).`,
      );
    }
    const expertParams = moeLayers * m.experts * 3 * props.hiddenSize * m.expertIntermediateSize;
    if (expertParams > props.parametersBillions * 1e9) {
      throw new ValidationError(
        `ModelSpec '${props.name}': the experts alone hold ${(expertParams / 1e9).toFixed(1)}B parameters (moeLayers x experts x 3 x hiddenSize x expertIntermediateSize), more than 'parametersBillions' (${props.parametersBillions}): check the numbers against config.json.`,
      );
    }
  }
  const a = props.mla;
  if (a && !(positiveInt(a.kvLoraRank) && positiveInt(a.qkRopeHeadDim))) {
    throw new ValidationError(
      `ModelSpec '${props.name}': 'mla' (${JSON.stringify(a)}) needs positive integers 'kvLoraRank' and 'qkRopeHeadDim' (config.json 'kv_lora_rank', 'qk_rope_head_dim').`,
    );
  }
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads a positive integer key of a config.json object, or throws naming the key. */
function configInt(c: Json, key: string, fallback?: number): number {
  const v = c[key];
  if (v === undefined || v === null) {
    if (fallback !== undefined) {
      return fallback;
    }
    throw new ValidationError(
      `config.json: '${key}' is missing; it must be a positive integer. Pass the model's own config.json (for a multimodal model the text model's numbers are read from 'text_config').`,
    );
  }
  if (!positiveInt(v)) {
    throw new ValidationError(`config.json: '${key}' (${JSON.stringify(v)}) must be a positive integer.`);
  }
  return v;
}

function optionalInt(c: Json, key: string): number | undefined {
  return c[key] === undefined || c[key] === null ? undefined : configInt(c, key);
}

const ROPE_TYPES: Record<string, RopeScalingType> = {
  yarn: RopeScalingType.YARN,
  linear: RopeScalingType.LINEAR,
  dynamic: RopeScalingType.DYNAMIC,
  llama3: RopeScalingType.LLAMA3,
};

function ropeFromConfig(c: Json): RopeScaling | undefined {
  const r = c.rope_scaling;
  if (r === undefined || r === null) {
    return undefined;
  }
  if (!isObject(r)) {
    throw new ValidationError(
      `config.json: 'rope_scaling' (${JSON.stringify(r)}) must be an object or null.`,
    );
  }
  const typeName = String(r.rope_type ?? r.type ?? '');
  const type = ROPE_TYPES[typeName];
  if (!type) {
    // longrope, mrope, default...: no context extension the sizing models.
    return undefined;
  }
  const factor = r.factor;
  if (typeof factor !== 'number' || !(factor >= 1)) {
    throw new ValidationError(
      `config.json: 'rope_scaling.factor' (${JSON.stringify(factor)}) must be a number >= 1 for rope type '${typeName}'.`,
    );
  }
  const original = r.original_max_position_embeddings;
  if (original !== undefined && !positiveInt(original)) {
    throw new ValidationError(
      `config.json: 'rope_scaling.original_max_position_embeddings' (${JSON.stringify(original)}) must be a positive integer.`,
    );
  }
  return { type, factor, originalMaxPositionEmbeddings: original as number | undefined };
}

interface LocalAttention {
  readonly slidingWindow?: SlidingWindow;
  readonly chunkedAttention?: ChunkedAttention;
}

function localAttentionFromConfig(c: Json, layers: number): LocalAttention {
  const types = c.layer_types;
  if (Array.isArray(types)) {
    if (types.length !== layers) {
      throw new ValidationError(
        `config.json: 'layer_types' has ${types.length} entries but 'num_hidden_layers' is ${layers}.`,
      );
    }
    const sliding = types.filter((t) => t === 'sliding_attention').length;
    const chunked = types.filter((t) => t === 'chunked_attention').length;
    const window = sliding > 0 ? optionalInt(c, 'sliding_window') : undefined;
    const chunk = chunked > 0 ? optionalInt(c, 'attention_chunk_size') : undefined;
    if (sliding > 0 && window === undefined) {
      throw new ValidationError(
        `config.json: 'layer_types' lists ${sliding} sliding-window layers but 'sliding_window' is missing; it must be a positive integer.`,
      );
    }
    if (chunked > 0 && chunk === undefined) {
      throw new ValidationError(
        `config.json: 'layer_types' lists ${chunked} chunked-attention layers but 'attention_chunk_size' is missing; it must be a positive integer.`,
      );
    }
    return {
      slidingWindow: window !== undefined ? { tokens: window, layers: sliding } : undefined,
      chunkedAttention: chunk !== undefined ? { tokens: chunk, layers: chunked } : undefined,
    };
  }
  const chunk = optionalInt(c, 'attention_chunk_size');
  if (chunk !== undefined) {
    // Llama 4: `no_rope_layers[i]` is 1 for the chunked-attention (RoPE) layers; every 4th is global.
    const noRope = c.no_rope_layers;
    const local =
      Array.isArray(noRope) && noRope.length === layers
        ? noRope.filter((x) => x === 1 || x === true).length
        : layers - Math.floor(layers / 4);
    return local > 0 ? { chunkedAttention: { tokens: chunk, layers: local } } : {};
  }
  const sw = optionalInt(c, 'sliding_window');
  if (sw === undefined || c.use_sliding_window === false) {
    return {};
  }
  const pattern = optionalInt(c, 'sliding_window_pattern');
  const local = pattern !== undefined ? layers - Math.floor(layers / pattern) : layers;
  return local > 0 ? { slidingWindow: { tokens: sw, layers: local } } : {};
}

/** Builds ModelSpec props from a Hugging Face config.json object, validating every key it reads. */
function propsFromHuggingFaceConfig(config: unknown, options: HuggingFaceConfigOptions): ModelSpecProps {
  if (!isObject(config)) {
    throw new ValidationError(
      `ModelSpec.fromHuggingFaceConfig: 'config' must be the parsed config.json object (JSON.parse of the file), got ${Array.isArray(config) ? 'an array' : typeof config}.`,
    );
  }
  const root = config;
  const c: Json = isObject(root.text_config) ? { ...root.text_config } : root;
  const path = typeof root._name_or_path === 'string' ? root._name_or_path : undefined;
  const name =
    options.name ??
    (path
      ? path
          .split('/')
          .filter((x) => x.length > 0)
          .pop()
          ?.toLowerCase()
          .replace(/[^a-z0-9.-]+/g, '-')
          .replace(/^[^a-z0-9]+/, '')
      : undefined);
  if (!name) {
    throw new ValidationError(
      `ModelSpec.fromHuggingFaceConfig: config.json has no '_name_or_path' to name the model: pass options.name, for example { name: 'my-model' }.`,
    );
  }
  const hidden = configInt(c, 'hidden_size');
  const layers = configInt(c, 'num_hidden_layers');
  const heads = configInt(c, 'num_attention_heads');
  const kvHeads = configInt(c, 'num_key_value_heads', heads);
  const vocab = configInt(c, 'vocab_size');
  const maxPos = configInt(c, 'max_position_embeddings');
  // Gemma ties its embeddings by default (transformers' Gemma configs), so configs often omit the key.
  const tiedDefault = String(c.model_type ?? root.model_type ?? '').startsWith('gemma');
  const tiedKey = c.tie_word_embeddings ?? root.tie_word_embeddings;
  const tied = tiedKey === undefined ? tiedDefault : tiedKey === true;

  // Attention.
  const kvLoraRank = optionalInt(c, 'kv_lora_rank');
  let headDim: number;
  let attentionParams: number;
  let mla: MultiHeadLatentAttention | undefined;
  if (kvLoraRank !== undefined) {
    const rope = configInt(c, 'qk_rope_head_dim');
    const nope = configInt(c, 'qk_nope_head_dim');
    const v = configInt(c, 'v_head_dim');
    const qLora = optionalInt(c, 'q_lora_rank');
    mla = { kvLoraRank, qkRopeHeadDim: rope };
    headDim = v;
    const q =
      qLora !== undefined ? hidden * qLora + qLora * heads * (nope + rope) : hidden * heads * (nope + rope);
    attentionParams = q + hidden * (kvLoraRank + rope) + kvLoraRank * heads * (nope + v) + heads * v * hidden;
  } else {
    headDim = optionalInt(c, 'head_dim') ?? hidden / heads;
    if (!Number.isInteger(headDim)) {
      throw new ValidationError(
        `config.json: 'head_dim' is missing and 'hidden_size' / 'num_attention_heads' (${hidden} / ${heads}) is not an integer; add 'head_dim'.`,
      );
    }
    if (heads % kvHeads !== 0) {
      throw new ValidationError(
        `config.json: 'num_attention_heads' (${heads}) must be a multiple of 'num_key_value_heads' (${kvHeads}).`,
      );
    }
    attentionParams = 2 * hidden * heads * headDim + 2 * hidden * kvHeads * headDim;
  }

  // FFN: dense, or experts.
  const experts =
    optionalInt(c, 'num_local_experts') ??
    optionalInt(c, 'num_experts') ??
    optionalInt(c, 'n_routed_experts');
  let moe: MixtureOfExperts | undefined;
  let ffnParams: number;
  let activeFfnParams: number;
  let denseWidth: number;
  if (experts !== undefined && experts > 1) {
    const perToken = optionalInt(c, 'num_experts_per_tok') ?? optionalInt(c, 'experts_per_token');
    if (perToken === undefined) {
      throw new ValidationError(
        `config.json: a mixture of experts ('${c.num_local_experts !== undefined ? 'num_local_experts' : c.num_experts !== undefined ? 'num_experts' : 'n_routed_experts'}' ${experts}) needs 'num_experts_per_tok', a positive integer.`,
      );
    }
    const isLlama4 = c.intermediate_size_mlp !== undefined || c.interleave_moe_layer_step !== undefined;
    const expertWidth = optionalInt(c, 'moe_intermediate_size') ?? configInt(c, 'intermediate_size');
    denseWidth = isLlama4
      ? configInt(c, 'intermediate_size_mlp')
      : (optionalInt(c, 'intermediate_size') ?? expertWidth);
    let moeLayers = layers;
    const firstDense = optionalInt(c, 'first_k_dense_replace');
    const step = optionalInt(c, 'interleave_moe_layer_step') ?? optionalInt(c, 'decoder_sparse_step');
    if (firstDense !== undefined) {
      moeLayers = layers - firstDense;
    } else if (step !== undefined) {
      moeLayers = Math.floor(layers / step);
    }
    const mlpOnly = Array.isArray(c.mlp_only_layers) ? c.mlp_only_layers.length : 0;
    moeLayers -= mlpOnly;
    if (moeLayers < 1) {
      throw new ValidationError(
        `config.json: the mixture-of-experts keys leave no MoE layer (num_hidden_layers ${layers}, first_k_dense_replace / interleave_moe_layer_step / mlp_only_layers): check the config.`,
      );
    }
    const sharedWidth = optionalInt(c, 'shared_expert_intermediate_size');
    const shared = isLlama4
      ? 1
      : (optionalInt(c, 'n_shared_experts') ??
        (sharedWidth !== undefined ? Math.round(sharedWidth / expertWidth) : 0));
    const perExpert = 3 * hidden * expertWidth;
    ffnParams =
      moeLayers * ((experts + shared) * perExpert + hidden * experts) +
      (layers - moeLayers) * 3 * hidden * denseWidth;
    activeFfnParams =
      moeLayers * (perToken + shared) * perExpert + (layers - moeLayers) * 3 * hidden * denseWidth;
    moe = {
      experts,
      expertsPerToken: perToken,
      expertIntermediateSize: expertWidth,
      moeLayers,
      sharedExperts: shared,
      activeParametersBillions: 0,
    };
  } else {
    denseWidth = configInt(c, 'intermediate_size');
    ffnParams = layers * 3 * hidden * denseWidth;
    activeFfnParams = ffnParams;
  }
  const embeddings = vocab * hidden * (tied ? 1 : 2);
  const norms = layers * 2 * hidden + hidden;
  const counted = embeddings + norms + layers * attentionParams + ffnParams;
  const active = embeddings + norms + layers * attentionParams + activeFfnParams;
  const parametersBillions = options.parametersBillions ?? Math.round(counted / 1e7) / 100;
  if (moe) {
    moe = {
      ...moe,
      activeParametersBillions: Math.min(
        options.activeParametersBillions ?? Math.round(active / 1e7) / 100,
        parametersBillions,
      ),
    };
  }
  return {
    name,
    huggingFaceId: options.huggingFaceId ?? (path && /^[\w.-]+\/[\w.-]+$/.test(path) ? path : undefined),
    parametersBillions,
    layers,
    hiddenSize: hidden,
    attentionHeads: heads,
    kvHeads,
    headDim,
    vocabSize: vocab,
    maxContextLength: maxPos,
    tiedEmbeddings: tied,
    intermediateSize: denseWidth,
    ropeScaling: ropeFromConfig(c),
    ...localAttentionFromConfig(c, layers),
    moe,
    mla,
  };
}
