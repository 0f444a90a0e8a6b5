import {
  Accelerator,
  KvCacheDtype,
  KvCacheLayerKind,
  ModelSpec,
  Quantization,
  VLLM_HYBRID_KV_CACHE,
  ValidationError,
  ropeCacheBytesPerGpu,
  sizeModel,
  vllmKvCachePlan,
  vllmSizingArgs,
} from '../../lib/core';

const GiB = 1024 ** 3;

describe('vllmKvCachePlan — KV-cache groups as the pinned vLLM forms them', () => {
  test('Llama 4: 36 chunked + 12 full layers make 4 groups of 12 (vllm PR #21761)', () => {
    const p = vllmKvCachePlan(ModelSpec.LLAMA_4_SCOUT, {
      maxModelLen: 1_000_000,
      maxNumBatchedTokens: 8192,
      bytesPerElement: 2,
      tensorParallelSize: 8,
    });
    expect(p.hybrid).toBe(true);
    expect(p.groupSize).toBe(12);
    expect(p.groups).toEqual([
      { kind: KvCacheLayerKind.FULL, layers: 12, groups: 1, paddingLayers: 0, tokensPerSequence: 1_000_000 },
      {
        kind: KvCacheLayerKind.CHUNKED,
        layers: 36,
        groups: 3,
        paddingLayers: 0,
        tokensPerSequence: 8192 + 8192,
      },
    ]);
    // One KV head per GPU at TP 8: 2 x 1 x 128 x 2 B.
    expect(p.bytesPerTokenPerLayer).toBe(512);
    expect(p.bytesPerSequence).toBe(512 * 12 * (1_000_000 + 3 * 16384));
    expect(p.bytesPerCacheToken).toBe(512 * 12 * 4);
  });

  test('Gemma 3 27B: 52 sliding + 10 full layers make 7 groups of 10 with 8 padding layers (design doc)', () => {
    const p = vllmKvCachePlan(ModelSpec.GEMMA_3_27B, {
      maxModelLen: 131072,
      maxNumBatchedTokens: 8192,
      bytesPerElement: 2,
    });
    expect(p.groupSize).toBe(10);
    const sliding = p.groups.find((g) => g.kind === KvCacheLayerKind.SLIDING_WINDOW)!;
    expect(sliding).toEqual({
      kind: KvCacheLayerKind.SLIDING_WINDOW,
      layers: 52,
      groups: 6,
      paddingLayers: 8,
      tokensPerSequence: 1024 - 1 + 8192,
    });
    expect(p.bytesPerSequence).toBe(8192 * 10 * (131072 + 6 * 9215));
    expect(p.explanation).toMatch(/7 groups of 10 layers .*8 padding layers/);
  });

  test('gpt-oss: equal full and sliding counts make two groups, no padding', () => {
    const p = vllmKvCachePlan(ModelSpec.GPT_OSS_20B, {
      maxModelLen: 131072,
      maxNumBatchedTokens: 2048,
      bytesPerElement: 2,
    });
    expect(p.groupSize).toBe(12);
    expect(p.groups.map((g) => [g.kind, g.groups, g.paddingLayers, g.tokensPerSequence])).toEqual([
      [KvCacheLayerKind.FULL, 1, 0, 131072],
      [KvCacheLayerKind.SLIDING_WINDOW, 1, 0, 128 - 1 + 2048],
    ]);
  });

  test('counts within 1.25x of each other use the larger as the group size (gpt-oss-20b + EAGLE: 12 sw + 13 full)', () => {
    const m = ModelSpec.of({
      name: 'mixed-13-12',
      parametersBillions: 1,
      layers: 25,
      hiddenSize: 1024,
      attentionHeads: 8,
      kvHeads: 8,
      vocabSize: 1000,
      maxContextLength: 4096,
      slidingWindow: { tokens: 128, layers: 12 },
    });
    const p = vllmKvCachePlan(m, { maxModelLen: 4096, maxNumBatchedTokens: 512, bytesPerElement: 2 });
    expect(VLLM_HYBRID_KV_CACHE.groupSizeTolerance).toBe(1.25);
    expect(p.groupSize).toBe(13);
    expect(p.groups.find((g) => g.kind === KvCacheLayerKind.SLIDING_WINDOW)!.paddingLayers).toBe(1);
  });

  test('a window plus one batch never exceeds maxModelLen', () => {
    const p = vllmKvCachePlan(ModelSpec.GPT_OSS_120B, {
      maxModelLen: 8192,
      maxNumBatchedTokens: 8192,
      bytesPerElement: 2,
    });
    expect(p.groups.every((g) => g.tokensPerSequence === 8192)).toBe(true);
  });

  test('without the hybrid manager every layer of a mixed model keeps every token', () => {
    const p = vllmKvCachePlan(ModelSpec.LLAMA_4_SCOUT, {
      maxModelLen: 1_000_000,
      maxNumBatchedTokens: 8192,
      bytesPerElement: 2,
      tensorParallelSize: 8,
      hybridKvCacheManager: false,
    });
    expect(p.hybrid).toBe(false);
    expect(p.groups).toEqual([
      { kind: KvCacheLayerKind.FULL, layers: 48, groups: 1, paddingLayers: 0, tokensPerSequence: 1_000_000 },
    ]);
    expect(p.bytesPerSequence).toBe(512 * 48 * 1_000_000);
    expect(p.explanation).toMatch(/--disable-hybrid-kv-cache-manager/);
  });

  test('a model of one kind keeps its own spec either way (all sliding: window + batch)', () => {
    const m = ModelSpec.of({
      name: 'all-sliding',
      parametersBillions: 7,
      layers: 32,
      hiddenSize: 4096,
      attentionHeads: 32,
      kvHeads: 8,
      vocabSize: 32000,
      maxContextLength: 32768,
      slidingWindow: { tokens: 4096, layers: 32 },
    });
    for (const hybridKvCacheManager of [true, false]) {
      const p = vllmKvCachePlan(m, {
        maxModelLen: 32768,
        maxNumBatchedTokens: 2048,
        bytesPerElement: 2,
        hybridKvCacheManager,
      });
      expect(p.hybrid).toBe(false);
      expect(p.groups).toEqual([
        {
          kind: KvCacheLayerKind.SLIDING_WINDOW,
          layers: 32,
          groups: 1,
          paddingLayers: 0,
          tokensPerSequence: 6143,
        },
      ]);
    }
  });

  test('a dense model is one group of every layer, as before', () => {
    const p = vllmKvCachePlan(ModelSpec.LLAMA_3_1_8B, {
      maxModelLen: 8192,
      maxNumBatchedTokens: 8192,
      bytesPerElement: 2,
    });
    expect(p.groupSize).toBe(32);
    expect(p.bytesPerSequence).toBe(32 * 8192 * 2 * 8 * 128 * 2);
    expect(p.bytesPerCacheToken).toBe(32 * 4096);
  });

  test("pipeline parallelism groups one stage's share of each kind", () => {
    const p = vllmKvCachePlan(ModelSpec.LLAMA_4_SCOUT, {
      maxModelLen: 65536,
      maxNumBatchedTokens: 8192,
      bytesPerElement: 2,
      tensorParallelSize: 8,
      pipelineParallelSize: 2,
    });
    expect(p.groupSize).toBe(6);
    expect(p.groups.map((g) => [g.layers, g.groups])).toEqual([
      [6, 1],
      [18, 3],
    ]);
  });
});

describe('vllmKvCachePlan against vLLM logs (Llama-4-Scout BF16, TP 8, 8 x H200, hybrid manager on)', () => {
  // fuhengwu2021/coderepo extra/README.md @ eba66958: vLLM v0.12.0 with
  // VLLM_ALLOW_CHUNKED_LOCAL_ATTN_WITH_HYBRID_KV_CACHE=1, --gpu-memory-utilization 0.9.
  const budget = 89.71 * GiB;
  const plan = (maxModelLen: number, bytesPerElement: number) =>
    vllmKvCachePlan(ModelSpec.LLAMA_4_SCOUT, {
      maxModelLen,
      maxNumBatchedTokens: 8192,
      bytesPerElement,
      tensorParallelSize: 8,
    });

  test('BF16 KV: "GPU KV cache size: 3,919,664 tokens", "Maximum concurrency 1.86x" for 8,388,608 tokens', () => {
    const p = plan(8_388_608, 2);
    // 89.71 is rounded to 0.01 GiB: +-0.005 GiB is +-219 tokens.
    expect(Math.abs(budget / p.bytesPerCacheToken - 3_919_664)).toBeLessThan(250);
    expect((budget / p.bytesPerSequence).toFixed(2)).toBe('1.86');
  });

  test('FP8 KV: "GPU KV cache size: 7,838,976 tokens", "Maximum concurrency 3.12x" for 10,000,000 tokens', () => {
    const p = plan(10_000_000, 1);
    expect(Math.abs(budget / p.bytesPerCacheToken - 7_838_976)).toBeLessThan(500);
    // 3.13 if the chunked layers kept the chunk alone: the batched tokens are part of vLLM's accounting.
    expect((budget / p.bytesPerSequence).toFixed(2)).toBe('3.12');
  });

  test("sizeModel's KV budget is within 2 GiB of the logged 89.71 GiB (rotary cache included)", () => {
    const r = sizeModel({
      model: ModelSpec.LLAMA_4_SCOUT,
      quantization: Quantization.BF16,
      accelerator: Accelerator.H200,
      maxModelLen: 8_388_608,
    });
    expect(r.gpusPerReplica).toBe(8);
    expect(r.ropeCachePerGpuGiB).toBeCloseTo((10_485_760 * 128 * 2) / GiB, 6);
    expect(Math.abs(r.kvCachePerGpuGiB - 89.71)).toBeLessThan(2);
    expect(r.kvCache.hybrid).toBe(true);
    expect(r.kvCacheTokens).toBe(Math.floor((r.kvCachePerGpuGiB * GiB) / (512 * 48)));
  });
});

describe('ropeCacheBytesPerGpu', () => {
  test('position limit x rotary dimension x 2 B: 2.5 GiB for Scout, 32 MiB for Llama 3.1, the MLA rope key for DeepSeek', () => {
    expect(ropeCacheBytesPerGpu(ModelSpec.LLAMA_4_SCOUT) / GiB).toBeCloseTo(2.5, 6);
    expect(ropeCacheBytesPerGpu(ModelSpec.LLAMA_3_1_8B)).toBe(32 * 1024 ** 2);
    expect(ropeCacheBytesPerGpu(ModelSpec.DEEPSEEK_V3)).toBe(163840 * 64 * 2);
  });
});

describe('sizeModel — hybridKvCacheManager and tensorParallelSize', () => {
  const scout1m = {
    model: ModelSpec.LLAMA_4_SCOUT,
    quantization: Quantization.BF16,
    accelerator: Accelerator.H200,
    maxModelLen: 3_600_000,
  };

  test('hybridKvCacheManager defaults to true: chunked layers hold a chunk plus one batch', () => {
    const r = sizeModel(scout1m);
    expect(r.hybridKvCacheManager).toBe(true);
    expect(r.kvCache.groups.find((g) => g.kind === KvCacheLayerKind.CHUNKED)!.tokensPerSequence).toBe(16384);
    expect(r.explanation.join('\n')).toMatch(/hybrid KV-cache manager\): 4 groups of 12 layers/);
    expect(vllmSizingArgs(r)).not.toContain('--disable-hybrid-kv-cache-manager');
  });

  test('hybridKvCacheManager false sizes every token in every layer and passes --disable-hybrid-kv-cache-manager', () => {
    const on = sizeModel(scout1m);
    const off = sizeModel({ ...scout1m, hybridKvCacheManager: false });
    expect(on.gpusPerReplica).toBe(4);
    expect(off.gpusPerReplica).toBe(8);
    expect(off.kvCache.hybrid).toBe(false);
    expect(vllmSizingArgs(off)).toContain('--disable-hybrid-kv-cache-manager');
  });

  test('the flag is not passed for a model without local-attention layers', () => {
    const r = sizeModel({
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.BF16,
      accelerator: Accelerator.H100,
      hybridKvCacheManager: false,
    });
    expect(vllmSizingArgs(r)).not.toContain('--disable-hybrid-kv-cache-manager');
  });

  test('throws when hybridKvCacheManager is not a boolean', () => {
    expect(() => sizeModel({ ...scout1m, hybridKvCacheManager: 'no' as unknown as boolean })).toThrow(
      /'hybridKvCacheManager' \('no'\) must be true or false/,
    );
  });

  test('tensorParallelSize defaults to the smallest degree that fits', () => {
    expect(sizeModel(scout1m).tensorParallelSize).toBe(4);
  });

  test('tensorParallelSize sizes the layout asked for and reports its KV cache', () => {
    const r = sizeModel({ ...scout1m, tensorParallelSize: 8 });
    expect(r.tensorParallelSize).toBe(8);
    expect(r.kvCache.bytesPerTokenPerLayer).toBe(512);
    expect(vllmSizingArgs(r)).toEqual(expect.arrayContaining(['--tensor-parallel-size', '8']));
  });

  test('tensorParallelSize that does not fit is an error naming the layout', () => {
    expect(() => sizeModel({ ...scout1m, tensorParallelSize: 2 })).toThrow(/does not fit.*TP 2:/);
  });

  test('throws when tensorParallelSize is not 1, 2, 4 or 8, or above gpusPerNode', () => {
    expect(() => sizeModel({ ...scout1m, tensorParallelSize: 3 })).toThrow(
      /'tensorParallelSize' \(3\) must be one of 1, 2, 4, 8/,
    );
    expect(() => sizeModel({ ...scout1m, gpusPerNode: 4, tensorParallelSize: 8 })).toThrow(
      /'tensorParallelSize' \(8\) must be one of 1, 2, 4 \(at most 'gpusPerNode', 4\)/,
    );
  });

  test('throws when tensorParallelSize does not divide the attention heads', () => {
    const m = ModelSpec.of({
      name: 'heads-12',
      parametersBillions: 1,
      layers: 12,
      hiddenSize: 768,
      attentionHeads: 12,
      kvHeads: 12,
      vocabSize: 32000,
      maxContextLength: 2048,
    });
    expect(() =>
      sizeModel({
        model: m,
        quantization: Quantization.BF16,
        accelerator: Accelerator.L4,
        tensorParallelSize: 8,
      }),
    ).toThrow(/'tensorParallelSize' \(8\) must divide heads-12's 12 attention heads/);
    expect(() =>
      sizeModel({
        model: m,
        quantization: Quantization.BF16,
        accelerator: Accelerator.L4,
        tensorParallelSize: 8,
      }),
    ).toThrow(ValidationError);
  });

  test('an FP8 KV cache halves the per-layer bytes of every group', () => {
    const bf16 = sizeModel(scout1m);
    const fp8 = sizeModel({ ...scout1m, kvCacheDtype: KvCacheDtype.FP8, tensorParallelSize: 4 });
    expect(fp8.kvCache.bytesPerSequence * 2).toBe(bf16.kvCache.bytesPerSequence);
  });
});

describe('ModelSpec.chunkedAttention', () => {
  const base = {
    name: 'chunky',
    parametersBillions: 1,
    layers: 8,
    hiddenSize: 1024,
    attentionHeads: 8,
    kvHeads: 8,
    vocabSize: 1000,
    maxContextLength: 65536,
  };

  test('Llama 4 presets use chunked attention, not a sliding window', () => {
    expect(ModelSpec.LLAMA_4_SCOUT.chunkedAttention).toEqual({ tokens: 8192, layers: 36 });
    expect(ModelSpec.LLAMA_4_SCOUT.slidingWindow).toBeUndefined();
    expect(ModelSpec.LLAMA_4_SCOUT.fullAttentionLayers).toBe(12);
  });

  test('throws on a chunk that is not a positive integer or more layers than the model has', () => {
    expect(() => ModelSpec.of({ ...base, chunkedAttention: { tokens: 0, layers: 6 } })).toThrow(
      /'chunkedAttention' .* 'tokens' a positive integer \(config.json 'attention_chunk_size'\)/,
    );
    expect(() => ModelSpec.of({ ...base, chunkedAttention: { tokens: 8192, layers: 9 } })).toThrow(
      /'layers' an integer from 0 to 'layers' \(8\)/,
    );
  });

  test('throws when sliding-window and chunked layers add up to more than the layers', () => {
    expect(() =>
      ModelSpec.of({
        ...base,
        slidingWindow: { tokens: 128, layers: 4 },
        chunkedAttention: { tokens: 8192, layers: 5 },
      }),
    ).toThrow(
      /'slidingWindow.layers' \(4\) \+ 'chunkedAttention.layers' \(5\) must be at most 'layers' \(8\)/,
    );
  });

  test('kvCacheBytesPerSequence bounds chunked layers by the chunk (the llama.cpp bound)', () => {
    const m = ModelSpec.of({ ...base, chunkedAttention: { tokens: 1024, layers: 6 } });
    const perLayer = m.kvBytesPerTokenPerLayer(2);
    expect(m.kvCacheBytesPerSequence(65536, 2)).toBe(perLayer * (2 * 65536 + 6 * 1024));
  });

  test("fromHuggingFaceConfig reads layer_types' chunked_attention with attention_chunk_size", () => {
    const cfg = {
      _name_or_path: 'org/chunky',
      hidden_size: 1024,
      num_hidden_layers: 4,
      num_attention_heads: 8,
      num_key_value_heads: 8,
      vocab_size: 1000,
      max_position_embeddings: 65536,
      intermediate_size: 4096,
      attention_chunk_size: 2048,
      layer_types: ['chunked_attention', 'chunked_attention', 'chunked_attention', 'full_attention'],
    };
    const m = ModelSpec.fromHuggingFaceConfig(cfg);
    expect(m.chunkedAttention).toEqual({ tokens: 2048, layers: 3 });
    expect(m.slidingWindow).toBeUndefined();
    const { attention_chunk_size: _, ...noChunk } = cfg;
    expect(() => ModelSpec.fromHuggingFaceConfig(noChunk)).toThrow(
      /'layer_types' lists 3 chunked-attention layers but 'attention_chunk_size' is missing/,
    );
  });
});
