import { ModelSpec, ValidationError } from '../../lib/core';

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
      'llama-3.1-405b',
      'mistral-7b',
      'mixtral-8x7b',
      'qwen2.5-7b',
      'qwen2.5-72b',
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
