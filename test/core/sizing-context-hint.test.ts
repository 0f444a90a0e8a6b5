import { Accelerator, ModelSpec, Quantization, ValidationError, sizeModel } from '../../lib/core';

// The maxModelLen error suggests extending the context with rope scaling only for a model that has
// none: a model whose checkpoint already carries one (Llama 3.1's llama3, DeepSeek-V3's YaRN) would
// lose it to another withRopeScaling.
describe("maxModelLen beyond a model's context", () => {
  const messageOf = (model: ModelSpec, maxModelLen: number): string => {
    try {
      sizeModel({ model, quantization: Quantization.FP8, accelerator: Accelerator.H100, maxModelLen });
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      return (e as Error).message;
    }
    throw new Error('expected a ValidationError');
  };

  test('Llama 3.1 (llama3 rope scaling in the checkpoint): no YaRN hint, the scaling named', () => {
    const m = messageOf(ModelSpec.LLAMA_3_1_8B, 131073);
    expect(m).toMatch(
      /from 1 to 131072, the longest context llama-3\.1-8b supports, its llama3 rope scaling included\.$/,
    );
    expect(m).not.toMatch(/withRopeScaling/);
  });

  test('a model without rope scaling: the YaRN hint', () => {
    const m = messageOf(ModelSpec.QWEN3_8B, 40961);
    expect(m).toMatch(/withRopeScaling\(\{ type: RopeScalingType\.YARN/);
  });
});
