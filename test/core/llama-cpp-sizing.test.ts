import {
  Accelerator,
  GGML_BLOCK_TYPES,
  LLAMA_CPP_MEMORY_MODEL,
  LlamaCppCacheType,
  ModelSpec,
  Quantization,
  ValidationError,
  allocatable,
  cpuShapeByName,
  ggmlBytesPerWeight,
  kubeReservedMemoryGiB,
  llamaCppCacheBytesPerElement,
  lookupCpuShape,
  sizeLlamaCpp,
  weightBytes,
} from '../../lib/core';
import { CPU_INSTANCE_TYPES } from '../../lib/aws/cpu-instance-types';
import { CPU_MACHINE_TYPES } from '../../lib/gcp/cpu-machine-types';

const GiB = 1024 ** 3;
const M = ModelSpec.LLAMA_3_1_8B;

describe('ggml block types (ggml-common.h)', () => {
  test.each([
    ['Q4_0', 4.5],
    ['Q4_K', 4.5],
    ['Q5_K', 5.5],
    ['Q6_K', 6.5625],
    ['Q8_0', 8.5],
    ['F16', 16],
  ] as const)('%s is %f bits per weight', (type, bits) => {
    expect(ggmlBytesPerWeight(GGML_BLOCK_TYPES[type]) * 8).toBeCloseTo(bits, 10);
  });

  test("Q8_0's file-size figure matches its block layout within 0.5%", () => {
    const block = ggmlBytesPerWeight(GGML_BLOCK_TYPES.Q8_0);
    expect(Math.abs(Quantization.GGUF_Q8_0.bytesPerParameter / block - 1)).toBeLessThan(0.005);
  });

  test.each([
    [Quantization.GGUF_Q4_K_M, GGML_BLOCK_TYPES.Q4_K, GGML_BLOCK_TYPES.Q6_K],
    [Quantization.GGUF_Q5_K_M, GGML_BLOCK_TYPES.Q5_K, GGML_BLOCK_TYPES.Q6_K],
  ])('%s averages between the block types it mixes', (q, low, high) => {
    expect(q.bytesPerParameter).toBeGreaterThan(ggmlBytesPerWeight(low));
    expect(q.bytesPerParameter).toBeLessThan(ggmlBytesPerWeight(high));
  });
});

describe('sizeLlamaCpp', () => {
  test('defaults: CPU only, 1 slot, the context capped at 8192, f16 cache', () => {
    const s = sizeLlamaCpp({ model: M, quantization: Quantization.GGUF_Q4_K_M });
    expect(s.accelerator).toBeUndefined();
    expect(s.parallel).toBe(1);
    expect(s.maxModelLen).toBe(8192);
    expect(s.ctxSize).toBe(8192);
    expect(s.cacheType).toBe(LlamaCppCacheType.F16);
    expect(s.gpuLayers).toBe(0);
    expect(s.fullyOffloaded).toBe(false);
    expect(s.gpuMemoryGiB).toBe(0);
  });

  test('memory = file + KV + compute buffer + process margin, rounded up', () => {
    const s = sizeLlamaCpp({ model: M, quantization: Quantization.GGUF_Q4_K_M });
    const file = weightBytes(M, Quantization.GGUF_Q4_K_M);
    // Llama-3.1-8B: 32 layers x 2 x 8 KV heads x 128 x 2 B = 128 KiB per token.
    expect(s.kvCacheGiB).toBeCloseTo((8192 * 128 * 1024) / GiB, 6);
    expect(s.fileGiB).toBeCloseTo(file / GiB, 6);
    expect(s.fileGiB).toBeCloseTo(4.58, 1);
    const m = LLAMA_CPP_MEMORY_MODEL;
    const compute = m.ubatchTokens * M.vocabSize * 4 + m.ubatchTokens * 8192 * M.attentionHeads * 4;
    expect(s.computeBufferGiB).toBeCloseTo(compute / GiB, 6);
    expect(s.memoryGiB).toBe(Math.ceil(s.fileGiB + s.kvCacheGiB + s.computeBufferGiB + m.processGiB));
    expect(s.memoryGiB).toBe(7);
    expect(s.explanation.join('\n')).toMatch(/--ctx-size 8192/);
  });

  test('--ctx-size is the slot context times the slots, and the KV cache grows with it', () => {
    const one = sizeLlamaCpp({ model: M, quantization: Quantization.GGUF_Q4_K_M, maxModelLen: 4096 });
    const four = sizeLlamaCpp({
      model: M,
      quantization: Quantization.GGUF_Q4_K_M,
      maxModelLen: 4096,
      parallel: 4,
    });
    expect(four.ctxSize).toBe(16384);
    expect(four.kvCacheGiB).toBeCloseTo(4 * one.kvCacheGiB, 9);
  });

  test('a q8_0 cache is 34/32 bytes per element, about half of f16', () => {
    expect(llamaCppCacheBytesPerElement(LlamaCppCacheType.Q8_0)).toBe(34 / 32);
    const f16 = sizeLlamaCpp({ model: M, quantization: Quantization.GGUF_Q8_0 });
    const q8 = sizeLlamaCpp({
      model: M,
      quantization: Quantization.GGUF_Q8_0,
      cacheType: LlamaCppCacheType.Q8_0,
    });
    expect(q8.kvCacheGiB / f16.kvCacheGiB).toBeCloseTo(34 / 64, 9);
  });

  test('a GPU that holds everything gets every layer', () => {
    const s = sizeLlamaCpp({ model: M, quantization: Quantization.GGUF_Q4_K_M, accelerator: Accelerator.L4 });
    expect(s.gpuLayers).toBe(M.layers);
    expect(s.fullyOffloaded).toBe(true);
    expect(s.gpuMemoryGiB).toBeLessThan(
      Accelerator.L4.cudaMemoryGiB * LLAMA_CPP_MEMORY_MODEL.gpuMemoryFraction,
    );
  });

  test('a GPU too small for the file gets part of the layers, the rest stay on the CPU', () => {
    const s = sizeLlamaCpp({
      model: ModelSpec.LLAMA_3_1_70B,
      quantization: Quantization.GGUF_Q4_K_M,
      accelerator: Accelerator.L4,
    });
    expect(s.gpuLayers).toBeGreaterThan(0);
    expect(s.gpuLayers).toBeLessThan(ModelSpec.LLAMA_3_1_70B.layers);
    expect(s.fullyOffloaded).toBe(false);
    expect(s.gpuMemoryGiB).toBeLessThanOrEqual(
      Accelerator.L4.cudaMemoryGiB * LLAMA_CPP_MEMORY_MODEL.gpuMemoryFraction + 1e-9,
    );
  });

  test('throws for a safetensors quantization', () => {
    expect(() => sizeLlamaCpp({ model: M, quantization: Quantization.AWQ })).toThrow(ValidationError);
    expect(() => sizeLlamaCpp({ model: M, quantization: Quantization.AWQ })).toThrow(
      /'quantization' AWQ is not a GGUF file.*GGUF_Q4_K_M/,
    );
  });

  test.each([
    [{ maxModelLen: 0 }, /'maxModelLen' \(0\) must be a whole number from 1 to 131072/],
    [{ maxModelLen: 200_000 }, /'maxModelLen' \(200000\).*accepts at most 131072/],
    [{ parallel: 0 }, /'parallel' \(0\) must be a whole number from 1 to 256/],
    [{ parallel: 1.5 }, /'parallel' \(1.5\)/],
    [{ cacheType: 'q4_0' as LlamaCppCacheType }, /'cacheType' \("q4_0"\) must be one of f16, q8_0/],
  ])('throws for %o', (o, message) => {
    expect(() => sizeLlamaCpp({ model: M, quantization: Quantization.GGUF_Q4_K_M, ...o })).toThrow(message);
  });

  test('throws when not one layer fits the GPU', () => {
    expect(() =>
      sizeLlamaCpp({
        model: ModelSpec.LLAMA_3_1_405B,
        quantization: Quantization.GGUF_Q8_0,
        accelerator: Accelerator.A10G,
        maxModelLen: 131072,
        parallel: 16,
      }),
    ).toThrow(/does not fit one layer on A10G.*Serve it on CPU/);
  });
});

describe('CPU shapes', () => {
  test("kubeReservedMemoryGiB follows GKE's tiers plus the eviction threshold", () => {
    // 32 GiB: 1 + 0.8 + 0.8 + 16 x 0.06 = 3.56 GiB, + 100 MiB.
    expect(kubeReservedMemoryGiB(32)).toBeCloseTo(3.56 + 100 / 1024, 9);
    expect(kubeReservedMemoryGiB(256)).toBeCloseTo(1 + 0.8 + 0.8 + 112 * 0.06 + 128 * 0.02 + 100 / 1024, 9);
  });

  test('lookupCpuShape picks the cheapest shape whose allocatable memory and vCPUs hold the pod', () => {
    const s = lookupCpuShape('AWS', CPU_INSTANCE_TYPES, { memoryGiB: 7, vcpus: 4 });
    expect(allocatable(s).memoryGiB).toBeGreaterThanOrEqual(7);
    expect(allocatable(s).vcpus).toBeGreaterThanOrEqual(4);
    for (const other of CPU_INSTANCE_TYPES) {
      const a = allocatable(other);
      if (a.memoryGiB >= 7 && a.vcpus >= 4) {
        expect(other.onDemandPrice.usd).toBeGreaterThanOrEqual(s.onDemandPrice.usd);
      }
    }
  });

  test('cpuShapeByName finds a shape of either catalogue by name', () => {
    expect(cpuShapeByName(CPU_INSTANCE_TYPES, 'r7i.2xlarge', 'instance type', 'instanceType')).toBe(
      CPU_INSTANCE_TYPES.find((s) => s.name === 'r7i.2xlarge'),
    );
    expect(cpuShapeByName(CPU_MACHINE_TYPES, 'n2-highmem-8', 'machine type', 'machineType').memoryGiB).toBe(
      64,
    );
  });

  test('cpuShapeByName throws a ValidationError naming the prop, the value and the catalogue', () => {
    expect(() => cpuShapeByName(CPU_MACHINE_TYPES, 'a3-highgpu-8g', 'machine type', 'shape')).toThrow(
      ValidationError,
    );
    expect(() => cpuShapeByName(CPU_MACHINE_TYPES, 'a3-highgpu-8g', 'machine type', 'shape')).toThrow(
      /'shape' \(a3-highgpu-8g\) is not a catalogued CPU inference machine type: use one of n2-standard-8, /,
    );
  });

  test('lookupCpuShape throws when nothing holds the pod', () => {
    expect(() => lookupCpuShape('AWS', CPU_INSTANCE_TYPES, { memoryGiB: 5000, vcpus: 4 })).toThrow(
      /No AWS CPU shape in the catalogue holds a pod of 5000 GiB/,
    );
  });
});
