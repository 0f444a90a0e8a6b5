import {
  Accelerator,
  ModelSpec,
  Quantization,
  RopeScalingType,
  ValidationError,
  sizeModel,
} from '../../lib/core';

describe('ModelSpec', () => {
  test('KV cache per token matches reference/kubernetes.md §13', () => {
    const KiB = 1024;
    expect(ModelSpec.LLAMA_3_1_8B.kvCacheBytesPerToken(2)).toBe(128 * KiB);
    expect(ModelSpec.MISTRAL_7B.kvCacheBytesPerToken(2)).toBe(128 * KiB);
    expect(ModelSpec.LLAMA_3_1_70B.kvCacheBytesPerToken(2)).toBe(320 * KiB);
    expect(ModelSpec.QWEN2_5_72B.kvCacheBytesPerToken(2)).toBe(320 * KiB);
    expect(ModelSpec.QWEN2_5_7B.kvCacheBytesPerToken(2)).toBe(56 * KiB);
  });

  test('presets cover the issue list', () => {
    expect(ModelSpec.presets().map((m) => m.name)).toEqual([
      'llama-3.1-8b',
      'llama-3.1-70b',
      'llama-3.3-70b',
      'llama-3.1-405b',
      'llama-4-scout',
      'llama-4-maverick',
      'mistral-7b',
      'mistral-small-24b',
      'mistral-large-123b',
      'mixtral-8x7b',
      'qwen2.5-7b',
      'qwen2.5-72b',
      'qwen3-8b',
      'qwen3-32b',
      'qwen3-235b-a22b',
      'deepseek-v3',
      'deepseek-r1',
      'gpt-oss-20b',
      'gpt-oss-120b',
      'gemma-3-27b',
    ]);
  });

  test('embedding parameters count input and output embeddings unless tied', () => {
    expect(ModelSpec.LLAMA_3_1_8B.embeddingParameters).toBe(2 * 128256 * 4096);
    const tied = ModelSpec.of({
      name: 'tiny',
      parametersBillions: 1,
      layers: 16,
      hiddenSize: 2048,
      attentionHeads: 32,
      kvHeads: 8,
      vocabSize: 128256,
      maxContextLength: 8192,
      tiedEmbeddings: true,
    });
    expect(tied.embeddingParameters).toBe(128256 * 2048);
    expect(tied.headDim).toBe(64);
  });

  test('throws when attention heads are not a multiple of KV heads', () => {
    expect(() =>
      ModelSpec.of({
        name: 'x',
        parametersBillions: 1,
        layers: 2,
        hiddenSize: 512,
        attentionHeads: 8,
        kvHeads: 3,
        vocabSize: 10,
        maxContextLength: 10,
      }),
    ).toThrow(/'attentionHeads' \(8\) must be a multiple of 'kvHeads' \(3\)/);
  });

  test('throws when a count is not a positive integer', () => {
    expect(() =>
      ModelSpec.of({
        name: 'x',
        parametersBillions: 1,
        layers: 0,
        hiddenSize: 512,
        attentionHeads: 8,
        kvHeads: 8,
        vocabSize: 10,
        maxContextLength: 10,
      }),
    ).toThrow(ValidationError);
    expect(() =>
      ModelSpec.of({
        name: 'x',
        parametersBillions: 1,
        layers: 2.5,
        hiddenSize: 512,
        attentionHeads: 8,
        kvHeads: 8,
        vocabSize: 10,
        maxContextLength: 10,
      }),
    ).toThrow(/'layers' \(2.5\) must be a positive integer/);
  });

  test('throws when parametersBillions is not positive', () => {
    expect(() =>
      ModelSpec.of({
        name: 'x',
        parametersBillions: -1,
        layers: 2,
        hiddenSize: 512,
        attentionHeads: 8,
        kvHeads: 8,
        vocabSize: 10,
        maxContextLength: 10,
      }),
    ).toThrow(/'parametersBillions' \(-1\) must be > 0/);
  });

  test('throws when the name is not usable in resource names', () => {
    expect(() =>
      ModelSpec.of({
        name: 'My Model',
        parametersBillions: 1,
        layers: 2,
        hiddenSize: 512,
        attentionHeads: 8,
        kvHeads: 8,
        vocabSize: 10,
        maxContextLength: 10,
      }),
    ).toThrow(/'name' \('My Model'\) must be lower-case/);
  });

  test('throws when headDim cannot be derived', () => {
    expect(() =>
      ModelSpec.of({
        name: 'x',
        parametersBillions: 1,
        layers: 2,
        hiddenSize: 500,
        attentionHeads: 3,
        kvHeads: 3,
        vocabSize: 10,
        maxContextLength: 10,
      }),
    ).toThrow(/'headDim' \(166.66/);
  });
});

/** The config.json keys of a preset, as Hugging Face writes them (test data in the configs' own layout). */
const LLAMA_3_3_70B_CONFIG = {
  _name_or_path: 'meta-llama/Llama-3.3-70B-Instruct',
  architectures: ['LlamaForCausalLM'],
  hidden_size: 8192,
  intermediate_size: 28672,
  max_position_embeddings: 131072,
  num_attention_heads: 64,
  num_hidden_layers: 80,
  num_key_value_heads: 8,
  rope_scaling: {
    factor: 8.0,
    high_freq_factor: 4.0,
    low_freq_factor: 1.0,
    original_max_position_embeddings: 8192,
    rope_type: 'llama3',
  },
  tie_word_embeddings: false,
  vocab_size: 128256,
};

const QWEN3_235B_CONFIG = {
  hidden_size: 4096,
  intermediate_size: 12288,
  max_position_embeddings: 40960,
  moe_intermediate_size: 1536,
  num_attention_heads: 64,
  num_experts: 128,
  num_experts_per_tok: 8,
  num_hidden_layers: 94,
  num_key_value_heads: 4,
  head_dim: 128,
  decoder_sparse_step: 1,
  mlp_only_layers: [],
  sliding_window: null,
  use_sliding_window: false,
  tie_word_embeddings: false,
  vocab_size: 151936,
};

const DEEPSEEK_V3_CONFIG = {
  hidden_size: 7168,
  intermediate_size: 18432,
  moe_intermediate_size: 2048,
  n_routed_experts: 256,
  n_shared_experts: 1,
  num_experts_per_tok: 8,
  first_k_dense_replace: 3,
  num_hidden_layers: 61,
  num_attention_heads: 128,
  num_key_value_heads: 128,
  q_lora_rank: 1536,
  kv_lora_rank: 512,
  qk_rope_head_dim: 64,
  qk_nope_head_dim: 128,
  v_head_dim: 128,
  max_position_embeddings: 163840,
  rope_scaling: {
    beta_fast: 32,
    beta_slow: 1,
    factor: 40,
    mscale: 1.0,
    mscale_all_dim: 1.0,
    original_max_position_embeddings: 4096,
    type: 'yarn',
  },
  vocab_size: 129280,
  tie_word_embeddings: false,
};

const GPT_OSS_120B_CONFIG = {
  hidden_size: 2880,
  intermediate_size: 2880,
  num_hidden_layers: 36,
  num_attention_heads: 64,
  num_key_value_heads: 8,
  head_dim: 64,
  num_local_experts: 128,
  num_experts_per_tok: 4,
  experts_per_token: 4,
  sliding_window: 128,
  layer_types: Array.from({ length: 36 }, (_, i) => (i % 2 === 0 ? 'sliding_attention' : 'full_attention')),
  max_position_embeddings: 131072,
  rope_scaling: { factor: 32.0, original_max_position_embeddings: 4096, rope_type: 'yarn' },
  tie_word_embeddings: false,
  vocab_size: 201088,
};

const GEMMA_3_27B_CONFIG = {
  architectures: ['Gemma3ForConditionalGeneration'],
  text_config: {
    hidden_size: 5376,
    intermediate_size: 21504,
    num_hidden_layers: 62,
    num_attention_heads: 32,
    num_key_value_heads: 16,
    head_dim: 128,
    sliding_window: 1024,
    sliding_window_pattern: 6,
    max_position_embeddings: 131072,
    rope_scaling: { factor: 8.0, rope_type: 'linear' },
    vocab_size: 262208,
    tie_word_embeddings: true,
  },
};

const LLAMA_4_MAVERICK_CONFIG = {
  _name_or_path: 'meta-llama/Llama-4-Maverick-17B-128E-Instruct',
  text_config: {
    hidden_size: 5120,
    intermediate_size: 8192,
    intermediate_size_mlp: 16384,
    num_hidden_layers: 48,
    num_attention_heads: 40,
    num_key_value_heads: 8,
    head_dim: 128,
    num_local_experts: 128,
    num_experts_per_tok: 1,
    interleave_moe_layer_step: 2,
    attention_chunk_size: 8192,
    max_position_embeddings: 1048576,
    vocab_size: 202048,
    tie_word_embeddings: false,
  },
};

function within(actual: number, expected: number, fraction: number): void {
  expect(Math.abs(actual - expected) / expected).toBeLessThan(fraction);
}

describe('ModelSpec.fromHuggingFaceConfig', () => {
  test('reads a dense Llama config and counts its parameters (70.6B on the model card)', () => {
    const m = ModelSpec.fromHuggingFaceConfig(LLAMA_3_3_70B_CONFIG);
    expect(m.name).toBe('llama-3.3-70b-instruct');
    expect(m.huggingFaceId).toBe('meta-llama/Llama-3.3-70B-Instruct');
    expect([m.layers, m.hiddenSize, m.attentionHeads, m.kvHeads, m.headDim]).toEqual([80, 8192, 64, 8, 128]);
    expect(m.intermediateSize).toBe(28672);
    expect(m.ropeScaling?.type).toBe(RopeScalingType.LLAMA3);
    expect(m.contextLength).toBe(131072);
    within(m.parametersBillions, 70.6, 0.01);
    expect(m.kvCacheBytesPerToken(2)).toBe(ModelSpec.LLAMA_3_3_70B.kvCacheBytesPerToken(2));
  });

  test('reads a Qwen3 MoE config (235B total, 22B active on the model card)', () => {
    const m = ModelSpec.fromHuggingFaceConfig(QWEN3_235B_CONFIG, { name: 'qwen3-235b-a22b' });
    expect(m.moe).toMatchObject({
      experts: 128,
      expertsPerToken: 8,
      expertIntermediateSize: 1536,
      moeLayers: 94,
    });
    expect(m.slidingWindow).toBeUndefined();
    within(m.parametersBillions, 235, 0.01);
    within(m.activeParametersBillions, 22, 0.05);
    expect(m.expertParameters).toBe(ModelSpec.QWEN3_235B_A22B.expertParameters);
  });

  test('reads DeepSeek-V3: MLA, 3 dense layers, a shared expert, YaRN context (671B on the model card)', () => {
    const m = ModelSpec.fromHuggingFaceConfig(DEEPSEEK_V3_CONFIG, { name: 'deepseek-v3' });
    expect(m.mla).toEqual({ kvLoraRank: 512, qkRopeHeadDim: 64 });
    expect(m.moe).toMatchObject({ experts: 256, expertsPerToken: 8, moeLayers: 58, sharedExperts: 1 });
    expect(m.contextLength).toBe(163840);
    within(m.parametersBillions, 671, 0.01);
    within(m.activeParametersBillions, 37, 0.05);
    expect(m.kvCacheBytesPerToken(2)).toBe(ModelSpec.DEEPSEEK_V3.kvCacheBytesPerToken(2));
  });

  test('reads gpt-oss: layer_types give 18 sliding-window layers of 128 tokens (117B on the model card)', () => {
    const m = ModelSpec.fromHuggingFaceConfig(GPT_OSS_120B_CONFIG, { name: 'gpt-oss-120b' });
    expect(m.slidingWindow).toEqual({ tokens: 128, layers: 18 });
    expect(m.contextLength).toBe(131072);
    within(m.parametersBillions, 116.8, 0.01);
    within(m.activeParametersBillions, 5.1, 0.15);
  });

  test('reads a multimodal config from text_config: Gemma 3 has 52 of 62 layers on a 1024 window', () => {
    const m = ModelSpec.fromHuggingFaceConfig(GEMMA_3_27B_CONFIG, { name: 'gemma-3-27b' });
    expect(m.slidingWindow).toEqual({ tokens: 1024, layers: 52 });
    expect(m.tiedEmbeddings).toBe(true);
    // Linear rope scaling without original_max_position_embeddings does not stretch the context.
    expect(m.contextLength).toBe(131072);
    // 27.4B on the model card includes a 0.4B vision encoder, which the config count leaves out.
    within(m.parametersBillions, 27.0, 0.02);
  });

  test('reads Llama 4 Maverick: interleaved MoE layers, a shared expert, chunked attention (400B)', () => {
    const m = ModelSpec.fromHuggingFaceConfig(LLAMA_4_MAVERICK_CONFIG);
    expect(m.name).toBe('llama-4-maverick-17b-128e-instruct');
    expect(m.moe).toMatchObject({ experts: 128, expertsPerToken: 1, moeLayers: 24, sharedExperts: 1 });
    expect(m.intermediateSize).toBe(16384);
    expect(m.chunkedAttention).toEqual({ tokens: 8192, layers: 36 });
    expect(m.slidingWindow).toBeUndefined();
    within(m.parametersBillions, 400, 0.01);
  });

  test('Gemma configs without tie_word_embeddings are tied (the transformers default)', () => {
    const { tie_word_embeddings: _, ...text } = GEMMA_3_27B_CONFIG.text_config;
    const m = ModelSpec.fromHuggingFaceConfig(
      { text_config: { ...text, model_type: 'gemma3_text' } },
      { name: 'g' },
    );
    expect(m.tiedEmbeddings).toBe(true);
    const llama = ModelSpec.fromHuggingFaceConfig({
      ...LLAMA_3_3_70B_CONFIG,
      tie_word_embeddings: undefined,
    });
    expect(llama.tiedEmbeddings).toBe(false);
  });

  test('takes parametersBillions from the caller when given', () => {
    expect(
      ModelSpec.fromHuggingFaceConfig(LLAMA_3_3_70B_CONFIG, { parametersBillions: 70 }).parametersBillions,
    ).toBe(70);
  });

  test('throws when the config is not an object', () => {
    expect(() => ModelSpec.fromHuggingFaceConfig('{"hidden_size": 1}')).toThrow(
      /'config' must be the parsed config.json object \(JSON.parse of the file\), got string/,
    );
    expect(() => ModelSpec.fromHuggingFaceConfig([1])).toThrow(/got an array/);
  });

  test('throws naming a missing key', () => {
    const { hidden_size: _, ...noHidden } = LLAMA_3_3_70B_CONFIG;
    expect(() => ModelSpec.fromHuggingFaceConfig(noHidden)).toThrow(
      /config.json: 'hidden_size' is missing; it must be a positive integer/,
    );
  });

  test('throws naming an invalid key and its value', () => {
    expect(() =>
      ModelSpec.fromHuggingFaceConfig({ ...LLAMA_3_3_70B_CONFIG, num_hidden_layers: '80' }),
    ).toThrow(/config.json: 'num_hidden_layers' \("80"\) must be a positive integer/);
  });

  test('throws when the config has no name and none is given', () => {
    expect(() => ModelSpec.fromHuggingFaceConfig(QWEN3_235B_CONFIG)).toThrow(
      /no '_name_or_path' to name the model: pass options.name/,
    );
  });

  test('throws when a mixture of experts has no num_experts_per_tok', () => {
    const { num_experts_per_tok: _, ...noTopK } = QWEN3_235B_CONFIG;
    expect(() => ModelSpec.fromHuggingFaceConfig(noTopK, { name: 'x' })).toThrow(
      /a mixture of experts \('num_experts' 128\) needs 'num_experts_per_tok'/,
    );
  });

  test('throws when layer_types does not match num_hidden_layers', () => {
    expect(() =>
      ModelSpec.fromHuggingFaceConfig(
        { ...GPT_OSS_120B_CONFIG, layer_types: ['full_attention'] },
        { name: 'x' },
      ),
    ).toThrow(/'layer_types' has 1 entries but 'num_hidden_layers' is 36/);
  });

  test('throws when rope_scaling.factor is invalid', () => {
    expect(() =>
      ModelSpec.fromHuggingFaceConfig(
        { ...DEEPSEEK_V3_CONFIG, rope_scaling: { type: 'yarn', factor: 0.5 } },
        { name: 'x' },
      ),
    ).toThrow(/'rope_scaling.factor' \(0.5\) must be a number >= 1/);
  });

  test('throws when head_dim is needed and missing', () => {
    expect(() =>
      ModelSpec.fromHuggingFaceConfig(
        { ...LLAMA_3_3_70B_CONFIG, hidden_size: 8190, num_attention_heads: 64 },
        { name: 'x' },
      ),
    ).toThrow(
      /'head_dim' is missing and 'hidden_size' \/ 'num_attention_heads' \(8190 \/ 64\) is not an integer/,
    );
  });
});

describe('ModelSpec architecture features', () => {
  test('YaRN stretches the context; the engine gets --hf-overrides when the checkpoint lacks it', () => {
    expect(ModelSpec.QWEN3_8B.contextLength).toBe(40960);
    expect(ModelSpec.QWEN3_8B.vllmHfOverrides).toBeUndefined();
    const yarn = ModelSpec.QWEN3_8B.withRopeScaling({
      type: RopeScalingType.YARN,
      factor: 4,
      originalMaxPositionEmbeddings: 32768,
      inCheckpointConfig: false,
    });
    expect(yarn.contextLength).toBe(131072);
    expect(yarn.vllmHfOverrides).toEqual({
      rope_scaling: { rope_type: 'yarn', factor: 4, original_max_position_embeddings: 32768 },
      max_position_embeddings: 131072,
    });
    // The DeepSeek checkpoint already holds its YaRN block.
    expect(ModelSpec.DEEPSEEK_V3.vllmHfOverrides).toBeUndefined();
  });

  test('Llama 3.1 presets carry the llama3 rope scaling, which does not stretch the context', () => {
    const llama31 = [ModelSpec.LLAMA_3_1_8B, ModelSpec.LLAMA_3_1_70B, ModelSpec.LLAMA_3_1_405B];
    for (const m of [...llama31, ModelSpec.LLAMA_3_3_70B]) {
      expect(m.ropeScaling).toEqual({
        type: RopeScalingType.LLAMA3,
        factor: 8,
        originalMaxPositionEmbeddings: 8192,
      });
      // Already in max_position_embeddings: 8192 x 8 is not a longer context, and the
      // checkpoint holds the block, so vLLM needs no --hf-overrides.
      expect(m.contextLength).toBe(131072);
      expect(m.vllmHfOverrides).toBeUndefined();
    }
    // The 3.1 70B architecture read from a config.json is the preset, rope scaling included.
    const read = ModelSpec.fromHuggingFaceConfig({
      ...LLAMA_3_3_70B_CONFIG,
      _name_or_path: 'meta-llama/Llama-3.1-70B-Instruct',
    });
    expect(read.ropeScaling).toEqual(ModelSpec.LLAMA_3_1_70B.ropeScaling);
    expect(read.contextLength).toBe(ModelSpec.LLAMA_3_1_70B.contextLength);
  });

  test('maxModelLen on a Llama 3.1 preset goes up to 131072, not 8192 x 8 or beyond', () => {
    const base = { quantization: Quantization.FP8, accelerator: Accelerator.H100 };
    expect(sizeModel({ ...base, model: ModelSpec.LLAMA_3_1_8B, maxModelLen: 131072 }).maxModelLen).toBe(
      131072,
    );
    expect(() => sizeModel({ ...base, model: ModelSpec.LLAMA_3_1_8B, maxModelLen: 131073 })).toThrow(
      /'maxModelLen' \(131073\) must be an integer from 1 to 131072, the longest context llama-3\.1-8b supports/,
    );
  });

  test('MLA KV per token: 61 layers x (512 + 64) x 2 B', () => {
    expect(ModelSpec.DEEPSEEK_R1.kvCacheBytesPerToken(2)).toBe(61 * 576 * 2);
  });

  test('MoE numbers: expert parameters and the FFN width a token passes through', () => {
    expect(ModelSpec.MIXTRAL_8X7B.isMoe).toBe(true);
    expect(ModelSpec.MIXTRAL_8X7B.activeFfnWidth).toBe(2 * 14336);
    expect(ModelSpec.LLAMA_3_1_8B.activeFfnWidth).toBe(14336);
    expect(ModelSpec.LLAMA_3_1_8B.expertParameters).toBe(0);
    expect(ModelSpec.LLAMA_3_1_8B.activeParametersBillions).toBe(8.03);
    expect(ModelSpec.GPT_OSS_120B.expertParameters).toBe(36 * 128 * 3 * 2880 * 2880);
  });

  test('defaults intermediateSize to 3.5 x hiddenSize', () => {
    const m = ModelSpec.of({
      name: 'x',
      parametersBillions: 1,
      layers: 2,
      hiddenSize: 512,
      attentionHeads: 8,
      kvHeads: 8,
      vocabSize: 10,
      maxContextLength: 10,
    });
    expect(m.intermediateSize).toBe(1792);
    expect(m.contextLength).toBe(10);
  });

  const base = {
    name: 'x',
    parametersBillions: 10,
    layers: 4,
    hiddenSize: 512,
    attentionHeads: 8,
    kvHeads: 8,
    vocabSize: 10,
    maxContextLength: 4096,
  };

  test('throws for an invalid moe block', () => {
    expect(() =>
      ModelSpec.of({
        ...base,
        moe: { experts: 8, expertsPerToken: 9, expertIntermediateSize: 64, activeParametersBillions: 1 },
      }),
    ).toThrow(/'moe' .* needs integer 'experts' >= 2, 'expertsPerToken' from 1 to experts/);
    expect(() =>
      ModelSpec.of({
        ...base,
        moe: { experts: 8, expertsPerToken: 2, expertIntermediateSize: 64, activeParametersBillions: 11 },
      }),
    ).toThrow(/'moe.activeParametersBillions' \(11\) must be > 0 and at most 'parametersBillions' \(10\)/);
    expect(() =>
      ModelSpec.of({
        ...base,
        parametersBillions: 0.001,
        moe: {
          experts: 8,
          expertsPerToken: 2,
          expertIntermediateSize: 4096,
          activeParametersBillions: 0.0001,
        },
      }),
    ).toThrow(/the experts alone hold .* more than 'parametersBillions'/);
  });

  test('throws for an invalid sliding window', () => {
    expect(() => ModelSpec.of({ ...base, slidingWindow: { tokens: 128, layers: 5 } })).toThrow(
      /'slidingWindow' .* 'layers' an integer from 0 to 'layers' \(4\)/,
    );
  });

  test('throws for an invalid mla block', () => {
    expect(() => ModelSpec.of({ ...base, mla: { kvLoraRank: 0, qkRopeHeadDim: 64 } })).toThrow(
      /'mla' .* needs positive integers 'kvLoraRank' and 'qkRopeHeadDim'/,
    );
  });

  test('throws for an invalid rope scaling', () => {
    expect(() => ModelSpec.of({ ...base, ropeScaling: { type: RopeScalingType.YARN, factor: 0 } })).toThrow(
      /'ropeScaling.factor' \(0\) must be a number >= 1/,
    );
    expect(() =>
      ModelSpec.of({ ...base, ropeScaling: { type: 'ntk' as RopeScalingType, factor: 2 } }),
    ).toThrow(/'ropeScaling.type' \('ntk'\) must be one of yarn, linear, dynamic, llama3/);
    expect(() =>
      ModelSpec.of({
        ...base,
        ropeScaling: { type: RopeScalingType.YARN, factor: 2, originalMaxPositionEmbeddings: 1.5 },
      }),
    ).toThrow(/'ropeScaling.originalMaxPositionEmbeddings' \(1.5\) must be a positive integer/);
  });

  test('throws for an invalid intermediateSize', () => {
    expect(() => ModelSpec.of({ ...base, intermediateSize: -1 })).toThrow(
      /'intermediateSize' \(-1\) must be a positive integer/,
    );
  });

  test('preset parameter counts agree with the experts they hold', () => {
    for (const m of ModelSpec.presets()) {
      expect(m.expertParameters).toBeLessThan(m.parameters);
      expect(m.activeParametersBillions).toBeLessThanOrEqual(m.parametersBillions);
    }
  });
});
