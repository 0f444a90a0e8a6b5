import { Accelerator, Quantization, ValidationError } from '../../lib/core';

describe('Quantization', () => {
  test('bytes per parameter (reference/kubernetes.md §13)', () => {
    expect(Quantization.BF16.bytesPerParameter).toBe(2);
    expect(Quantization.FP16.bytesPerParameter).toBe(2);
    expect(Quantization.FP8.bytesPerParameter).toBe(1);
    expect(Quantization.INT8.bytesPerParameter).toBe(1);
    // INT4 group 128: 0.5 bytes plus ~3% scales and zero points
    expect(Quantization.AWQ.bytesPerParameter).toBeCloseTo(0.515, 3);
    expect(Quantization.GPTQ.bytesPerParameter).toBeCloseTo(0.515, 3);
  });

  test('pre-quantized checkpoints get no --quantization flag, so vLLM picks Marlin', () => {
    for (const q of [Quantization.AWQ, Quantization.GPTQ, Quantization.FP8, Quantization.INT8]) {
      expect(q.vllmArgs).not.toContain('--quantization');
      expect(q.vllmArgs.join(' ')).not.toMatch(/awq|gptq/);
    }
    expect(Quantization.BF16.vllmArgs).toEqual(['--dtype', 'bfloat16']);
  });

  test.each([
    ['FP8', 'A10G', false],
    ['FP8', 'A100_80GB', false],
    ['FP8', 'L4', true],
    ['FP8', 'L40S', true],
    ['FP8', 'H100', true],
    ['INT8', 'A10G', true],
    ['AWQ', 'A10G', true],
    ['GPTQ', 'L4', true],
    ['BF16', 'A10G', true],
  ])('%s on %s supported: %s', (q, a, expected) => {
    const quant = Quantization.all().find((x) => x.id === q)!;
    expect(quant.isSupportedOn(Accelerator.fromId(a))).toBe(expected);
  });

  test('throws when FP8 is asked of an A10G, naming what runs there and which GPUs run FP8', () => {
    expect(() => Quantization.FP8.assertSupportedOn(Accelerator.A10G)).toThrow(ValidationError);
    expect(() => Quantization.FP8.assertSupportedOn(Accelerator.A10G)).toThrow(
      /FP8 needs compute capability >= 8.9.*A10G is SM 8.6.*Use BF16 \/ INT8 \/ AWQ \/ GPTQ on A10G.*H100, H200, L40S, L4/,
    );
  });

  test('throws for a quantization below its kernel on a custom GPU (AWQ on a Volta)', () => {
    const v100 = Accelerator.of({
      id: 'V100',
      displayName: 'NVIDIA V100',
      memoryMiB: 32768,
      computeCapability: { major: 7, minor: 0 },
      architecture: 'volta' as never,
      interconnect: 'NVLINK' as never,
      memoryType: 'HBM2',
    });
    expect(() => Quantization.AWQ.assertSupportedOn(v100)).toThrow(/AWQ needs compute capability >= 7.5/);
    expect(Quantization.GPTQ.isSupportedOn(v100)).toBe(true);
    expect(Quantization.GPTQ.hasFastKernelOn(v100)).toBe(false);
  });

  test('Marlin kernels need Ampere', () => {
    expect(Quantization.AWQ.hasFastKernelOn(Accelerator.A10G)).toBe(true);
    expect(Quantization.AWQ.fastKernelMinComputeCapability).toBe(8.0);
  });

  test('TensorRT-LLM formats', () => {
    expect(Quantization.AWQ.tensorRtLlmQFormat).toBe('int4_awq');
    expect(Quantization.FP8.tensorRtLlmQFormat).toBe('fp8');
    expect(Quantization.INT8.tensorRtLlmQFormat).toBe('int8_sq');
    expect(Quantization.GPTQ.tensorRtLlmQFormat).toBeUndefined();
  });

  test('throws when a custom scheme has bytesPerParameter out of range', () => {
    expect(() =>
      Quantization.of({
        id: 'X',
        description: 'x',
        bytesPerParameter: 0,
        minComputeCapability: 8,
        supportedOn: 'x',
        vllmArgs: [],
        keepsEmbeddingsIn16Bit: true,
      }),
    ).toThrow(/'bytesPerParameter' \(0\) must be > 0 and <= 4/);
  });
});
