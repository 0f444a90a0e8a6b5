import {
  Accelerator,
  GpuArchitecture,
  GpuInterconnect,
  ModelSpec,
  Quantization,
  QuantizedLayers,
  ValidationError,
  WeightFormat,
  weightBytes,
} from '../../lib/core';

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
    ['FP8', 'A10G', true],
    ['FP8', 'A100_80GB', true],
    ['NVFP4', 'H100', true],
    ['MXFP4', 'A100_40GB', true],
    ['W4A16', 'L4', true],
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

  test.each([
    ['FP8', 'A10G', true],
    ['FP8', 'A100_80GB', true],
    ['FP8', 'L4', false],
    ['FP8', 'H100', false],
    ['NVFP4', 'H100', true],
    ['NVFP4', 'A100_80GB', true],
    ['NVFP4', 'B200', false],
    ['AWQ', 'A10G', false],
  ])('%s on %s runs weight-only: %s', (q, a, expected) => {
    const quant = Quantization.all().find((x) => x.id === q)!;
    expect(quant.runsWeightOnlyOn(Accelerator.fromId(a))).toBe(expected);
  });

  const turing = Accelerator.of({
    id: 'T4',
    displayName: 'NVIDIA T4',
    memoryMiB: 15360,
    computeCapability: { major: 7, minor: 5 },
    architecture: GpuArchitecture.TURING,
    interconnect: GpuInterconnect.PCIE,
    memoryType: 'GDDR6',
  });

  test('throws when no kernel runs FP8 (Turing), naming what runs there and which GPUs run FP8', () => {
    expect(() => Quantization.FP8.assertSupportedOn(turing)).toThrow(ValidationError);
    expect(() => Quantization.FP8.assertSupportedOn(turing)).toThrow(
      /FP8 needs compute capability >= 8.0.*T4 is SM 7.5.*Use AWQ \/ GPTQ on T4.*H100, H200, B200, A100_40GB, A100_80GB, L40S, A10G, L4/,
    );
  });

  test('throws for NVFP4 and MXFP4 on Turing (no Marlin FP4 below SM 8.0)', () => {
    expect(() => Quantization.NVFP4.assertSupportedOn(turing)).toThrow(
      /NVFP4 needs compute capability >= 8.0/,
    );
    expect(() => Quantization.MXFP4.assertSupportedOn(turing)).toThrow(
      /MXFP4 needs compute capability >= 8.0/,
    );
  });

  test('FP4 schemes: 4.25 bits (MXFP4, experts only) and 4.5 bits (NVFP4) per weight', () => {
    expect(Quantization.MXFP4.bytesPerParameter).toBe(4.25 / 8);
    expect(Quantization.MXFP4.quantizedLayers).toBe(QuantizedLayers.EXPERTS_ONLY);
    expect(Quantization.NVFP4.bytesPerParameter).toBe(4.5 / 8);
    expect(Quantization.NVFP4.nativeMinComputeCapability).toBe(10.0);
    expect(Quantization.NVFP4.tensorRtLlmQFormat).toBe('nvfp4');
    expect(Quantization.W4A16.bytesPerParameter).toBe(0.515);
    expect(Quantization.W4A16.minComputeCapability).toBe(8.0);
  });

  test.each([
    ['GGUF_Q4_K_M', 4.58],
    ['GGUF_Q5_K_M', 5.33],
    ['GGUF_Q8_0', 7.96],
  ])("%s reproduces llama.cpp's %f GiB for Llama-3-8B", (id, gib) => {
    const q = Quantization.all().find((x) => x.id === id)!;
    expect(q.format).toBe(WeightFormat.GGUF);
    expect(q.isGguf).toBe(true);
    expect(weightBytes(ModelSpec.LLAMA_3_1_8B, q) / 1024 ** 3).toBeCloseTo(gib, 2);
  });

  test('safetensors is the default format', () => {
    expect(Quantization.AWQ.format).toBe(WeightFormat.SAFETENSORS);
    expect(Quantization.AWQ.isGguf).toBe(false);
  });

  test('throws when nativeMinComputeCapability is below minComputeCapability', () => {
    expect(() =>
      Quantization.of({
        id: 'X',
        description: 'x',
        bytesPerParameter: 1,
        minComputeCapability: 8.9,
        nativeMinComputeCapability: 8.0,
        supportedOn: 'x',
        vllmArgs: [],
        keepsEmbeddingsIn16Bit: true,
      }),
    ).toThrow(/'nativeMinComputeCapability' \(8\) must be >= 'minComputeCapability' \(8.9\)/);
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

describe('Quantization.fromHuggingFaceConfig', () => {
  test.each([
    [
      'fp8 (DeepSeek-V3)',
      { quantization_config: { quant_method: 'fp8', fmt: 'e4m3', weight_block_size: [128, 128] } },
      'FP8',
    ],
    [
      'mxfp4 (gpt-oss)',
      {
        quantization_config: { quant_method: 'mxfp4', modules_to_not_convert: ['model.layers.*.self_attn'] },
      },
      'MXFP4',
    ],
    ['awq', { quantization_config: { quant_method: 'awq', bits: 4, group_size: 128 } }, 'AWQ'],
    ['gptq', { quantization_config: { quant_method: 'gptq', bits: 4 } }, 'GPTQ'],
    ['modelopt NVFP4', { quantization_config: { quant_method: 'modelopt', quant_algo: 'NVFP4' } }, 'NVFP4'],
    ['modelopt FP8', { quantization_config: { quant_method: 'modelopt', quant_algo: 'FP8' } }, 'FP8'],
    [
      'compressed-tensors W4A16',
      {
        quantization_config: {
          quant_method: 'compressed-tensors',
          config_groups: { group_0: { weights: { num_bits: 4, type: 'int' } } },
        },
      },
      'W4A16',
    ],
    [
      'compressed-tensors W8A8 INT8',
      {
        quantization_config: {
          quant_method: 'compressed-tensors',
          config_groups: {
            group_0: {
              weights: { num_bits: 8, type: 'int' },
              input_activations: { num_bits: 8, type: 'int' },
            },
          },
        },
      },
      'INT8',
    ],
    [
      'compressed-tensors FP8 dynamic',
      {
        quantization_config: {
          quant_method: 'compressed-tensors',
          config_groups: {
            group_0: {
              weights: { num_bits: 8, type: 'float' },
              input_activations: { num_bits: 8, type: 'float' },
            },
          },
        },
      },
      'FP8',
    ],
    [
      'compressed-tensors nvfp4',
      { quantization_config: { quant_method: 'compressed-tensors', format: 'nvfp4-pack-quantized' } },
      'NVFP4',
    ],
    ['bfloat16 without quantization_config', { torch_dtype: 'bfloat16' }, 'BF16'],
    ['float16 without quantization_config', { torch_dtype: 'float16' }, 'FP16'],
  ])('reads %s', (_name, config, id) => {
    expect(Quantization.fromHuggingFaceConfig(config).id).toBe(id);
  });

  test('throws for a method it does not size, naming the key and value', () => {
    expect(() =>
      Quantization.fromHuggingFaceConfig({ quantization_config: { quant_method: 'bitsandbytes' } }),
    ).toThrow(/'quantization_config.quant_method' \("bitsandbytes"\) is not one this library sizes/);
  });

  test('throws when neither quantization_config nor a 16-bit torch_dtype is there', () => {
    expect(() => Quantization.fromHuggingFaceConfig({ torch_dtype: 'float32' })).toThrow(
      /no 'quantization_config' and 'torch_dtype' \("float32"\) is not 'bfloat16' or 'float16'/,
    );
    expect(() => Quantization.fromHuggingFaceConfig(null)).toThrow(
      /'config' must be the parsed config.json object/,
    );
  });

  test('throws for a compressed-tensors config without weights or with an unknown scheme', () => {
    expect(() =>
      Quantization.fromHuggingFaceConfig({
        quantization_config: { quant_method: 'compressed-tensors', config_groups: {} },
      }),
    ).toThrow(/needs 'config_groups.<group>.weights'/);
    expect(() =>
      Quantization.fromHuggingFaceConfig({
        quantization_config: {
          quant_method: 'compressed-tensors',
          config_groups: { g: { weights: { num_bits: 2, type: 'int' } } },
        },
      }),
    ).toThrow(/compressed-tensors weights of 2 bits \(int\) are not a scheme this library sizes/);
  });

  test('throws for a modelopt algorithm it does not size', () => {
    expect(() =>
      Quantization.fromHuggingFaceConfig({
        quantization_config: { quant_method: 'modelopt', quant_algo: 'W4A8_AWQ' },
      }),
    ).toThrow(
      /'quantization_config.quant_algo' \("W4A8_AWQ"\) of a modelopt checkpoint must be 'FP8' or 'NVFP4'/,
    );
  });
});
