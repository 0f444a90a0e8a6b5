import * as fc from 'fast-check';
import {
  Accelerator,
  GpuArchitecture,
  GpuInterconnect,
  KvCacheDtype,
  ModelSpec,
  Quantization,
  RopeScalingType,
  SizingOptions,
  SizingAdvice,
  SizingResult,
  VLLM_MEMORY_MODEL,
  ValidationError,
  activationBytesPerGpu,
  kvBytesPerTokenPerGpu,
  sizeModel,
  vllmSizingArgs,
  weightBytes,
} from '../../lib/core';

const GiB = 1024 ** 3;

/**
 * sizeModel's result, or undefined when the inputs do not fit (generated inputs often do not):
 * anything thrown other than a ValidationError fails the test.
 */
function sizedOrUndefined(props: SizingOptions): SizingResult | undefined {
  try {
    return sizeModel(props);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return undefined;
  }
}

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
    expect(r.kvCachePerGpuGiB).toBeGreaterThan(15);
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

  test('reproduces vLLM PR #10511: Llama-3-8B BF16 on H100 (53.29 GiB KV logged)', () => {
    // The measured run: 8192-token, 256-sequence profiling batch, TP 1.
    const r = sizeModel({
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.BF16,
      accelerator: Accelerator.H100,
      maxNumBatchedTokens: 8192,
      maxNumSeqs: 256,
    });
    expect(r.cudaMemoryGiB).toBe(79.22);
    expect(r.usablePerGpuGiB).toBeCloseTo(71.3, 1);
    expect(r.weightsGiB).toBeCloseTo(14.96, 1);
    expect(r.activationsPerGpuGiB).toBeCloseTo(1.26, 1);
    expect(r.nonTorchPerGpuGiB).toBeCloseTo(1.79, 1);
    // vLLM logged 53.29 GiB without CUDA graphs (then not taken from the budget): ours is
    // 0.6 GiB lower for them and within 0.1 GiB otherwise.
    expect(r.kvCachePerGpuGiB + r.cudaGraphsPerGpuGiB).toBeCloseTo(53.29, 0);
    expect(r.kvCachePerGpuGiB).toBeLessThan(53.29);
  });

  test('activations follow the calibration: 8 B x tokens x (hidden + FFN) + 4 B x sequences x vocab', () => {
    const bytes = activationBytesPerGpu(ModelSpec.LLAMA_3_1_8B, 8192, 256);
    expect(bytes).toBe(8192 * (4096 + 14336) * 8 + 256 * 128256 * 4);
    expect(VLLM_MEMORY_MODEL.activationBytesPerTokenWidth).toBe(8);
  });

  test.each([
    ['H100', 8192, 1024],
    ['H200', 8192, 1024],
    ['B200', 8192, 1024],
    ['A100_80GB', 2048, 256],
    ['A100_40GB', 2048, 256],
    ['L40S', 2048, 256],
    ['L4', 2048, 256],
  ])("defaults the profiling batch on %s to vLLM's %i tokens / %i sequences", (gpu, tokens, seqs) => {
    const r = sizeModel({
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.fromId(gpu),
    });
    expect(r.maxNumBatchedTokens).toBe(tokens);
    expect(r.maxNumSeqs).toBe(seqs);
    expect(r.explanation.join('\n')).toContain(`profiling batch ${tokens} tokens (--max-num-batched-tokens)`);
  });

  test('a larger profiling batch leaves less KV cache', () => {
    const base = {
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.BF16,
      accelerator: Accelerator.H100,
    };
    const small = sizeModel({ ...base, maxNumBatchedTokens: 2048 });
    const big = sizeModel({ ...base, maxNumBatchedTokens: 16384 });
    expect(big.kvCachePerGpuGiB).toBeLessThan(small.kvCachePerGpuGiB);
  });

  test('defaults to one node: pipeline parallel 1, nodesPerReplica 1, gpusPerNode = TP', () => {
    const r = sizeModel({
      model: ModelSpec.LLAMA_3_1_70B,
      quantization: Quantization.BF16,
      accelerator: Accelerator.H100,
    });
    expect(r.pipelineParallelSize).toBe(1);
    expect(r.nodesPerReplica).toBe(1);
    expect(r.gpusPerNode).toBe(r.tensorParallelSize);
    expect(r.expertParallelSize).toBe(1);
  });

  test('spans nodes when allowed: DeepSeek-R1 FP8 on 2 x 8 H100 (TP 8 x PP 2)', () => {
    const r = sizeModel({
      model: ModelSpec.DEEPSEEK_R1,
      quantization: Quantization.FP8,
      accelerator: Accelerator.H100,
      maxNodesPerReplica: 4,
    });
    expect(r.nodesPerReplica).toBe(2);
    expect(r.pipelineParallelSize).toBe(2);
    expect(r.tensorParallelSize).toBe(8);
    expect(r.gpusPerNode).toBe(8);
    expect(r.gpusPerReplica).toBe(16);
    expect(r.expertParallelSize).toBe(16);
    expect(r.findings.map((f) => f.id)).toContain(SizingAdvice.MULTI_NODE);
    expect(r.explanation[r.explanation.length - 1]).toMatch(
      /=> 2 nodes of 8 x H100 \(tensor parallel 8 x pipeline parallel 2 across 2 nodes\)/,
    );
  });

  test('multi-head latent attention is not sharded by tensor parallelism', () => {
    const perToken = 61 * (512 + 64) * 2;
    expect(kvBytesPerTokenPerGpu(ModelSpec.DEEPSEEK_V3, 8, KvCacheDtype.AUTO)).toBe(perToken);
    expect(kvBytesPerTokenPerGpu(ModelSpec.DEEPSEEK_V3, 1, KvCacheDtype.AUTO)).toBe(perToken);
  });

  test('sliding-window layers hold only the window: gpt-oss-120b at 131072 tokens', () => {
    const r = sizeModel({
      model: ModelSpec.GPT_OSS_120B,
      quantization: Quantization.MXFP4,
      accelerator: Accelerator.H100,
      maxModelLen: 131072,
      gpuMemoryUtilization: 0.95,
    });
    const full = kvBytesPerTokenPerGpu(ModelSpec.GPT_OSS_120B, r.tensorParallelSize, KvCacheDtype.AUTO);
    // The 18 sliding layers keep window - 1 + one 8192-token batch (vLLM's SlidingWindowSpec).
    expect(r.kvBytesPerTokenPerGpu).toBeLessThan(full / 1.8);
    // 18 full-attention layers x 2 x 8 KV heads x 64 x 2 B = 36 KiB per token.
    expect(r.kvBytesPerTokenPerGpu).toBeGreaterThanOrEqual(36 * 1024);
  });

  test('MXFP4 keeps everything but the experts in BF16: gpt-oss-120b weighs about 61 GiB', () => {
    const gib = weightBytes(ModelSpec.GPT_OSS_120B, Quantization.MXFP4) / GiB;
    expect(gib).toBeGreaterThan(59);
    expect(gib).toBeLessThan(63);
  });

  test('rope scaling extends the context: Qwen3-32B at 131072 tokens only with YaRN', () => {
    const base = { quantization: Quantization.FP8, accelerator: Accelerator.H200, maxModelLen: 131072 };
    expect(() => sizeModel({ ...base, model: ModelSpec.QWEN3_32B })).toThrow(
      /'maxModelLen' \(131072\) must be an integer from 1 to 40960.*withRopeScaling/,
    );
    const yarn = ModelSpec.QWEN3_32B.withRopeScaling({
      type: RopeScalingType.YARN,
      factor: 4,
      originalMaxPositionEmbeddings: 32768,
      inCheckpointConfig: false,
    });
    expect(sizeModel({ ...base, model: yarn }).maxModelLen).toBe(131072);
  });

  test('FP8 on Ampere runs weight-only with a finding, at FP8 weight memory', () => {
    const r = sizeModel({
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.FP8,
      accelerator: Accelerator.A10G,
    });
    expect(r.findings.map((f) => f.id)).toContain(SizingAdvice.WEIGHT_ONLY_QUANTIZATION);
    expect(r.findings.find((f) => f.id === SizingAdvice.WEIGHT_ONLY_QUANTIZATION)!.message).toMatch(
      /FP8 on A10G \(SM 8.6\) runs weight-only through FP8 Marlin.*not FP8 compute/,
    );
    expect(r.weightsGiB).toBeCloseTo(weightBytes(ModelSpec.LLAMA_3_1_8B, Quantization.FP8) / GiB, 6);
    const h100 = sizeModel({
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.FP8,
      accelerator: Accelerator.H100,
    });
    expect(h100.findings.map((f) => f.id)).not.toContain(SizingAdvice.WEIGHT_ONLY_QUANTIZATION);
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
  test('throws when no kernel runs the quantization: FP8 on a Turing GPU', () => {
    const t4 = Accelerator.of({
      id: 'T4',
      displayName: 'NVIDIA T4',
      memoryMiB: 15360,
      computeCapability: { major: 7, minor: 5 },
      architecture: GpuArchitecture.TURING,
      interconnect: GpuInterconnect.PCIE,
      memoryType: 'GDDR6',
    });
    expect(() =>
      sizeModel({ model: ModelSpec.LLAMA_3_1_8B, quantization: Quantization.FP8, accelerator: t4 }),
    ).toThrow(/FP8 needs compute capability >= 8.0/);
  });

  test('throws for a GGUF quantization: llama.cpp files are not sized as vLLM replicas', () => {
    expect(() =>
      sizeModel({
        model: ModelSpec.LLAMA_3_1_8B,
        quantization: Quantization.GGUF_Q4_K_M,
        accelerator: Accelerator.L4,
      }),
    ).toThrow(/'quantization' GGUF_Q4_K_M is a GGUF file for llama.cpp.*sizeLlamaCpp/);
  });

  test('throws when an expert-only scheme is asked of a dense model', () => {
    expect(() =>
      sizeModel({
        model: ModelSpec.LLAMA_3_1_8B,
        quantization: Quantization.MXFP4,
        accelerator: Accelerator.H100,
      }),
    ).toThrow(/MXFP4 quantizes mixture-of-experts weights only, and llama-3.1-8b is a dense model/);
  });

  test('throws when maxNumBatchedTokens is not a positive integer', () => {
    expect(() =>
      sizeModel({
        model: ModelSpec.MISTRAL_7B,
        quantization: Quantization.AWQ,
        accelerator: Accelerator.L4,
        maxNumBatchedTokens: 0,
      }),
    ).toThrow(
      /'maxNumBatchedTokens' \(0\) must be a whole number from 1 to 1048576 \(vLLM's default is 2048 on L4\)/,
    );
  });

  test('throws a ValidationError, not a crash, for a profiling batch of the wrong type', () => {
    expect(() =>
      sizeModel({
        model: ModelSpec.MISTRAL_7B,
        quantization: Quantization.AWQ,
        accelerator: Accelerator.L4,
        maxNumBatchedTokens: '8192' as unknown as number,
      }),
    ).toThrow(ValidationError);
  });

  test('throws when maxNumSeqs exceeds maxNumBatchedTokens', () => {
    expect(() =>
      sizeModel({
        model: ModelSpec.MISTRAL_7B,
        quantization: Quantization.AWQ,
        accelerator: Accelerator.H100,
        maxNumBatchedTokens: 512,
        maxNumSeqs: 1024,
      }),
    ).toThrow(/'maxNumSeqs' \(1024\) must be a whole number from 1 to 512 \(at most 'maxNumBatchedTokens'/);
  });

  test('throws when gpusPerNode is not 1, 2, 4 or 8', () => {
    expect(() =>
      sizeModel({
        model: ModelSpec.MISTRAL_7B,
        quantization: Quantization.AWQ,
        accelerator: Accelerator.L4,
        gpusPerNode: 6,
      }),
    ).toThrow(/'gpusPerNode' \(6\) must be one of 1, 2, 4, 8/);
  });

  test.each([0, 65, 1.5])('throws when maxNodesPerReplica is %p', (n) => {
    expect(() =>
      sizeModel({
        model: ModelSpec.MISTRAL_7B,
        quantization: Quantization.AWQ,
        accelerator: Accelerator.L4,
        maxNodesPerReplica: n,
      }),
    ).toThrow(
      /'maxNodesPerReplica' \(.*\) must be a whole number from 1 to 64 \(1 keeps a replica on one node\)/,
    );
  });

  test('throws when one node is not enough and maxNodesPerReplica keeps it to one, naming the nodes needed', () => {
    expect(() =>
      sizeModel({
        model: ModelSpec.DEEPSEEK_R1,
        quantization: Quantization.FP8,
        accelerator: Accelerator.H100,
      }),
    ).toThrow(
      /deepseek-r1 in FP8 does not fit on 8 x H100 .*Across nodes it fits on 2 nodes of 8 x H100 \(tensor parallel 8, pipeline parallel 2\): set maxNodesPerReplica to 2\./,
    );
  });

  test('throws when even maxNodesPerReplica nodes are not enough', () => {
    const call = () =>
      sizeModel({
        model: ModelSpec.LLAMA_3_1_405B,
        quantization: Quantization.BF16,
        accelerator: Accelerator.L4,
        maxNodesPerReplica: 2,
      });
    expect(call).toThrow(/llama-3.1-405b in BF16 does not fit on 2 nodes of 8 x L4/);
    expect(call).toThrow(/TP 8 x PP 2 \(2 nodes\): 19.9 GiB usable - 47.\d GiB weights/);
    expect(call).toThrow(/set maxNodesPerReplica to 7\./);
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
      /llama-3.1-405b in AWQ does not fit on 8 x L4 \(weights 2\d\d\.\d GiB; 19\.9 GiB usable per GPU/,
    );
    expect(call).toThrow(
      /TP 8: 19.9 GiB usable - 2\d\.\d GiB weights - 1.2 GiB activations - 3.6 GiB non-torch - 0.6 GiB CUDA graphs/,
    );
    expect(call).toThrow(/The weights alone need 25.1 GiB per GPU at tensor parallel 8/);
    expect(call).toThrow(/It fits on 4 x H100, 2 x H200, 2 x B200, 8 x A100_40GB, 4 x A100_80GB, 8 x L40S\./);
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
    Quantization.W4A16,
    Quantization.MXFP4,
    Quantization.NVFP4,
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
          const r = sizedOrUndefined({
            model,
            quantization,
            accelerator,
            maxModelLen: len,
            concurrentSequences: conc,
          });
          if (!r) return;
          expect([1, 2, 4, 8]).toContain(r.tensorParallelSize);
          expect(r.gpusPerReplica).toBe(r.tensorParallelSize * r.pipelineParallelSize);
          expect(r.pipelineParallelSize).toBe(1);
          expect(model.attentionHeads % r.tensorParallelSize).toBe(0);
          expect(r.kvCachePerGpuGiB).toBeGreaterThan(0);
          expect(r.kvCachePerGpuGiB * GiB).toBeGreaterThanOrEqual(
            r.kvBytesPerTokenPerGpu * len * conc * (1 - 1e-12),
          );
          expect(r.overheadPerGpuGiB).toBeCloseTo(
            r.activationsPerGpuGiB + r.nonTorchPerGpuGiB + r.cudaGraphsPerGpuGiB + r.ropeCachePerGpuGiB,
            9,
          );
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
        const r = sizedOrUndefined({ model, quantization, accelerator, maxModelLen: len });
        if (!r || r.tensorParallelSize === 1) return;
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
        // Pairs share vLLM's profiling-batch class, so only the memory differs.
        const pairs: Array<[Accelerator, Accelerator]> = [
          [Accelerator.L4, Accelerator.L40S],
          [Accelerator.A100_40GB, Accelerator.A100_80GB],
          [Accelerator.H100, Accelerator.H200],
          [Accelerator.H200, Accelerator.B200],
        ];
        for (const [small, big] of pairs) {
          const a = sizedOrUndefined({ model, quantization, accelerator: small, maxModelLen: len });
          const b = a && sizedOrUndefined({ model, quantization, accelerator: big, maxModelLen: len });
          if (!a || !b) continue;
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
        expect(weightBytes(model, Quantization.NVFP4)).toBeLessThan(weightBytes(model, Quantization.FP8));
        expect(weightBytes(model, Quantization.FP8)).toBeLessThan(weightBytes(model, Quantization.BF16));
        expect(weightBytes(model, Quantization.GGUF_Q4_K_M)).toBeLessThan(
          weightBytes(model, Quantization.GGUF_Q8_0),
        );
        expect(weightBytes(model, Quantization.MXFP4)).toBeLessThanOrEqual(
          weightBytes(model, Quantization.BF16),
        );
      }),
    );
  });

  const bigModels = fc.constantFrom(
    ModelSpec.LLAMA_3_1_405B,
    ModelSpec.DEEPSEEK_V3,
    ModelSpec.LLAMA_4_MAVERICK,
    ModelSpec.QWEN3_235B_A22B,
    ModelSpec.MISTRAL_LARGE_123B,
  );
  const nodes = fc.integer({ min: 1, max: 6 });

  test('across nodes: the arithmetic holds, TP fills a node and PP is the node count', () => {
    fc.assert(
      fc.property(bigModels, quants, gpus, nodes, (model, quantization, accelerator, maxNodes) => {
        const r = sizedOrUndefined({ model, quantization, accelerator, maxNodesPerReplica: maxNodes });
        if (!r) return;
        expect(r.nodesPerReplica).toBeLessThanOrEqual(maxNodes);
        expect(r.nodesPerReplica).toBe(r.pipelineParallelSize);
        expect(r.gpusPerReplica).toBe(r.tensorParallelSize * r.pipelineParallelSize);
        if (r.nodesPerReplica > 1) {
          expect(r.tensorParallelSize).toBe(8);
          expect(r.findings.map((f) => f.id)).toContain(SizingAdvice.MULTI_NODE);
        }
        expect(r.weightsPerGpuGiB + r.overheadPerGpuGiB + r.kvCachePerGpuGiB).toBeCloseTo(
          r.usablePerGpuGiB,
          6,
        );
        expect(r.kvCachePerGpuGiB).toBeGreaterThanOrEqual(r.kvPerSequencePerGpuGiB);
      }),
      { numRuns: 150 },
    );
  });

  test('the fewest nodes are chosen: one node fewer does not fit', () => {
    fc.assert(
      fc.property(bigModels, quants, gpus, nodes, (model, quantization, accelerator, maxNodes) => {
        const r = sizedOrUndefined({ model, quantization, accelerator, maxNodesPerReplica: maxNodes });
        if (!r || r.nodesPerReplica === 1) return;
        expect(() =>
          sizeModel({ model, quantization, accelerator, maxNodesPerReplica: r.nodesPerReplica - 1 }),
        ).toThrow(ValidationError);
      }),
      { numRuns: 100 },
    );
  });

  test('allowing more nodes never needs more GPUs', () => {
    fc.assert(
      fc.property(bigModels, quants, gpus, nodes, (model, quantization, accelerator, maxNodes) => {
        const a = sizedOrUndefined({ model, quantization, accelerator, maxNodesPerReplica: maxNodes });
        if (!a) return;
        const b = sizeModel({ model, quantization, accelerator, maxNodesPerReplica: maxNodes + 1 });
        expect(b.gpusPerReplica).toBe(a.gpusPerReplica);
      }),
      { numRuns: 100 },
    );
  });

  test('a sliding window never makes a sequence need more KV than full attention', () => {
    fc.assert(
      fc.property(
        models,
        fc.integer({ min: 1, max: 262144 }),
        fc.constantFrom(1, 2, 4, 8),
        (model, len, tp) => {
          expect(model.kvCacheBytesPerSequence(len, 2, tp)).toBeLessThanOrEqual(
            model.layers * model.kvBytesPerTokenPerLayer(2, tp) * len,
          );
        },
      ),
    );
  });
});

describe('vllmSizingArgs', () => {
  test('passes the layout and the profiling batch the sizing assumed', () => {
    const r = sizeModel({
      model: ModelSpec.LLAMA_3_1_70B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L40S,
    });
    expect(vllmSizingArgs(r)).toEqual([
      '--tensor-parallel-size',
      '2',
      '--max-model-len',
      '8192',
      '--gpu-memory-utilization',
      '0.9',
      '--max-num-batched-tokens',
      '2048',
      '--max-num-seqs',
      '256',
    ]);
  });

  test('adds pipeline parallelism across nodes, an FP8 KV cache and YaRN overrides', () => {
    const r = sizeModel({
      model: ModelSpec.DEEPSEEK_R1,
      quantization: Quantization.FP8,
      accelerator: Accelerator.H100,
      maxNodesPerReplica: 2,
      kvCacheDtype: KvCacheDtype.FP8,
    });
    const args = vllmSizingArgs(r);
    expect(args.join(' ')).toContain('--tensor-parallel-size 8 --pipeline-parallel-size 2');
    expect(args.join(' ')).toContain('--kv-cache-dtype fp8');
    const yarn = sizeModel({
      model: ModelSpec.QWEN3_8B.withRopeScaling({
        type: RopeScalingType.YARN,
        factor: 4,
        originalMaxPositionEmbeddings: 32768,
        inCheckpointConfig: false,
      }),
      quantization: Quantization.BF16,
      accelerator: Accelerator.H100,
      maxModelLen: 131072,
    });
    const y = vllmSizingArgs(yarn);
    expect(JSON.parse(y[y.indexOf('--hf-overrides') + 1])).toEqual({
      rope_scaling: { rope_type: 'yarn', factor: 4, original_max_position_embeddings: 32768 },
      max_position_embeddings: 131072,
    });
    expect(y[y.indexOf('--max-model-len') + 1]).toBe('131072');
  });
});

describe('sizeModel argument types (JavaScript callers)', () => {
  test('throws a ValidationError with code type when accelerator is not an Accelerator', () => {
    const call = () =>
      sizeModel({
        model: ModelSpec.LLAMA_3_1_8B,
        quantization: Quantization.BF16,
        accelerator: 'L4' as unknown as Accelerator,
      });
    expect(call).toThrow(/'accelerator' \('L4'\) must be an Accelerator, for example Accelerator.L40S/);
    expect(call).toThrow(expect.objectContaining({ code: 'type' }));
  });
});
