import * as fc from 'fast-check';
import {
  Accelerator,
  KvCacheDtype,
  ModelSpec,
  Quantization,
  SizingAdvice,
  ValidationError,
  kvBytesPerTokenPerGpu,
  sizeModel,
  weightBytes,
} from '../../lib/core';

const GiB = 1024 ** 3;

describe('sizeModel — worked examples (docs/core.md)', () => {
  test('Llama-3.1-70B AWQ on L40S needs 2 GPUs with ~18 GiB KV per GPU (reference §13)', () => {
    const r = sizeModel({
      model: ModelSpec.LLAMA_3_1_70B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L40S,
    });
    expect(r.tensorParallelSize).toBe(2);
    expect(r.gpusPerReplica).toBe(2);
    expect(r.weightsGiB).toBeGreaterThan(35);
    expect(r.weightsGiB).toBeLessThan(40);
    expect(r.kvCachePerGpuGiB).toBeGreaterThan(16);
    expect(r.kvCachePerGpuGiB).toBeLessThan(21);
    // 160 KiB per token per GPU at TP 2
    expect(r.kvBytesPerTokenPerGpu).toBe(160 * 1024);
    expect(r.kvCacheTokens).toBeGreaterThan(100_000);
    expect(r.kvCacheTokens).toBeLessThan(140_000);
  });

  test('Llama-3.1-8B AWQ on L4 fits one GPU with ~12-13 GiB KV (~100k tokens)', () => {
    const r = sizeModel({
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L4,
    });
    expect(r.gpusPerReplica).toBe(1);
    expect(r.weightsGiB).toBeGreaterThan(5);
    expect(r.weightsGiB).toBeLessThan(6);
    expect(r.kvCachePerGpuGiB).toBeGreaterThan(11.5);
    expect(r.kvCachePerGpuGiB).toBeLessThan(13.5);
    expect(r.kvCacheTokens).toBeGreaterThan(90_000);
    expect(r.kvCacheTokens).toBeLessThan(110_000);
  });

  test('Llama-3.1-405B FP8 on H100 needs all 8 GPUs of a node', () => {
    const r = sizeModel({
      model: ModelSpec.LLAMA_3_1_405B,
      quantization: Quantization.FP8,
      accelerator: Accelerator.H100,
    });
    expect(r.gpusPerReplica).toBe(8);
    expect(r.weightsGiB).toBeGreaterThan(375);
    expect(r.explanation[r.explanation.length - 1]).toMatch(/=> 8 x H100 \(tensor parallel 8\)/);
  });

  test('defaults maxModelLen to min(model context, 8192), one sequence, utilization 0.9', () => {
    const r = sizeModel({
      model: ModelSpec.MISTRAL_7B,
      quantization: Quantization.BF16,
      accelerator: Accelerator.L40S,
    });
    expect(r.maxModelLen).toBe(8192);
    expect(r.concurrentSequences).toBe(1);
    expect(r.gpuMemoryUtilization).toBe(0.9);
    expect(r.kvCacheDtype).toBe(KvCacheDtype.AUTO);
  });

  test('an FP8 KV cache halves KV bytes per token', () => {
    expect(kvBytesPerTokenPerGpu(ModelSpec.LLAMA_3_1_8B, 1, KvCacheDtype.FP8)).toBe(64 * 1024);
  });

  test('KV heads are replicated once TP exceeds them', () => {
    expect(kvBytesPerTokenPerGpu(ModelSpec.QWEN2_5_7B, 8, KvCacheDtype.AUTO)).toBe(
      kvBytesPerTokenPerGpu(ModelSpec.QWEN2_5_7B, 4, KvCacheDtype.AUTO),
    );
  });

  test('more concurrency needs more GPUs', () => {
    const one = sizeModel({
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.BF16,
      accelerator: Accelerator.L4,
      maxModelLen: 32768,
    });
    const many = sizeModel({
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.BF16,
      accelerator: Accelerator.L4,
      maxModelLen: 32768,
      concurrentSequences: 8,
    });
    expect(many.gpusPerReplica).toBeGreaterThan(one.gpusPerReplica);
  });

  test('warns (finding) when TP > 2 on PCIe GPUs', () => {
    const r = sizeModel({
      model: ModelSpec.LLAMA_3_1_70B,
      quantization: Quantization.BF16,
      accelerator: Accelerator.L40S,
    });
    expect(r.tensorParallelSize).toBe(4);
    expect(r.findings.map((f) => f.id)).toContain(SizingAdvice.PCIE_TENSOR_PARALLEL);
  });
});

describe('sizeModel — errors', () => {
  test('throws when FP8 is asked of an A10G', () => {
    expect(() =>
      sizeModel({
        model: ModelSpec.LLAMA_3_1_8B,
        quantization: Quantization.FP8,
        accelerator: Accelerator.A10G,
      }),
    ).toThrow(/FP8 needs compute capability >= 8.9/);
  });

  test('throws when the model cannot fit on 8 GPUs, showing the numbers and what to change', () => {
    const call = () =>
      sizeModel({
        model: ModelSpec.LLAMA_3_1_405B,
        quantization: Quantization.AWQ,
        accelerator: Accelerator.L4,
      });
    expect(call).toThrow(ValidationError);
    expect(call).toThrow(
      /llama-3.1-405b in AWQ does not fit on 8 x L4 \(weights 2\d\d\.\d GiB; 20\.1 GiB usable per GPU/,
    );
    expect(call).toThrow(/TP 8: 20.1 GiB usable - 2\d\.\d GiB weights/);
    expect(call).toThrow(/The weights alone need 25.1 GiB per GPU at tensor parallel 8/);
    expect(call).toThrow(/It fits on 4 x H100, 2 x H200, 8 x A100_40GB, 4 x A100_80GB, 8 x L40S\./);
  });

  test('throws suggesting a shorter context when only the KV cache does not fit', () => {
    const call = () =>
      sizeModel({
        model: ModelSpec.LLAMA_3_1_8B,
        quantization: Quantization.BF16,
        accelerator: Accelerator.L4,
        maxModelLen: 65536,
        maxGpusPerReplica: 1,
      });
    expect(call).toThrow(/It fits with maxModelLen 16384\./);
    expect(call).toThrow(/On L4 it fits in FP8 \(1 GPU\)/);
    expect(call).not.toThrow(/weights alone/);
  });

  test('throws when maxModelLen exceeds the model context', () => {
    expect(() =>
      sizeModel({
        model: ModelSpec.MISTRAL_7B,
        quantization: Quantization.AWQ,
        accelerator: Accelerator.L4,
        maxModelLen: 65536,
      }),
    ).toThrow(/'maxModelLen' \(65536\) must be an integer from 1 to 32768/);
  });

  test('throws when concurrentSequences is not a positive integer', () => {
    expect(() =>
      sizeModel({
        model: ModelSpec.MISTRAL_7B,
        quantization: Quantization.AWQ,
        accelerator: Accelerator.L4,
        concurrentSequences: 0,
      }),
    ).toThrow(/'concurrentSequences' \(0\)/);
  });

  test('throws when gpuMemoryUtilization is out of range', () => {
    expect(() =>
      sizeModel({
        model: ModelSpec.MISTRAL_7B,
        quantization: Quantization.AWQ,
        accelerator: Accelerator.L4,
        gpuMemoryUtilization: 1,
      }),
    ).toThrow(/'gpuMemoryUtilization' \(1\) must be > 0.1 and <= 0.98/);
  });

  test('throws when maxGpusPerReplica is not a power of two up to 8', () => {
    expect(() =>
      sizeModel({
        model: ModelSpec.MISTRAL_7B,
        quantization: Quantization.AWQ,
        accelerator: Accelerator.L4,
        maxGpusPerReplica: 3,
      }),
    ).toThrow(/'maxGpusPerReplica' \(3\) must be one of 1, 2, 4, 8/);
  });
});

describe('sizeModel — properties', () => {
  const models = fc.constantFrom(...ModelSpec.presets());
  const quants = fc.constantFrom(
    Quantization.BF16,
    Quantization.FP8,
    Quantization.INT8,
    Quantization.AWQ,
    Quantization.GPTQ,
  );
  const gpus = fc.constantFrom(...Accelerator.all());
  const lens = fc.integer({ min: 256, max: 32768 });

  test('a result always satisfies the arithmetic it reports', () => {
    fc.assert(
      fc.property(
        models,
        quants,
        gpus,
        lens,
        fc.integer({ min: 1, max: 8 }),
        (model, quantization, accelerator, len, conc) => {
          let r;
          try {
            r = sizeModel({ model, quantization, accelerator, maxModelLen: len, concurrentSequences: conc });
          } catch (e) {
            expect(e).toBeInstanceOf(ValidationError);
            return;
          }
          expect([1, 2, 4, 8]).toContain(r.tensorParallelSize);
          expect(model.attentionHeads % r.tensorParallelSize).toBe(0);
          expect(r.kvCachePerGpuGiB).toBeGreaterThan(0);
          expect(r.kvCachePerGpuGiB * GiB).toBeGreaterThanOrEqual(r.kvBytesPerTokenPerGpu * len * conc);
          expect(r.weightsPerGpuGiB + r.overheadPerGpuGiB + r.kvCachePerGpuGiB).toBeCloseTo(
            r.usablePerGpuGiB,
            6,
          );
          expect(r.maxConcurrentSequences).toBeGreaterThanOrEqual(conc);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('the smallest fitting TP is chosen: one step down does not fit', () => {
    fc.assert(
      fc.property(models, quants, gpus, lens, (model, quantization, accelerator, len) => {
        let r;
        try {
          r = sizeModel({ model, quantization, accelerator, maxModelLen: len });
        } catch {
          return;
        }
        if (r.tensorParallelSize === 1) return;
        const smaller = [1, 2, 4]
          .filter((t) => t < r.tensorParallelSize && model.attentionHeads % t === 0)
          .pop();
        if (smaller === undefined) return;
        expect(() =>
          sizeModel({
            model,
            quantization,
            accelerator,
            maxModelLen: len,
            maxGpusPerReplica: smaller as 1 | 2 | 4,
          }),
        ).toThrow(ValidationError);
      }),
      { numRuns: 200 },
    );
  });

  test('more GPU memory never needs more GPUs', () => {
    fc.assert(
      fc.property(models, quants, lens, (model, quantization, len) => {
        const pairs: Array<[Accelerator, Accelerator]> = [
          [Accelerator.L4, Accelerator.L40S],
          [Accelerator.A100_40GB, Accelerator.A100_80GB],
          [Accelerator.H100, Accelerator.H200],
        ];
        for (const [small, big] of pairs) {
          let a;
          let b;
          try {
            a = sizeModel({ model, quantization, accelerator: small, maxModelLen: len });
          } catch {
            continue;
          }
          try {
            b = sizeModel({ model, quantization, accelerator: big, maxModelLen: len });
          } catch {
            continue;
          }
          expect(b.gpusPerReplica).toBeLessThanOrEqual(a.gpusPerReplica);
        }
      }),
      { numRuns: 100 },
    );
  });

  test('fewer bytes per parameter never means more weight memory', () => {
    fc.assert(
      fc.property(models, (model) => {
        expect(weightBytes(model, Quantization.AWQ)).toBeLessThan(weightBytes(model, Quantization.FP8));
        expect(weightBytes(model, Quantization.FP8)).toBeLessThan(weightBytes(model, Quantization.BF16));
      }),
    );
  });
});
