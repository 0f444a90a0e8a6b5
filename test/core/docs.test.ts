import { readFileSync } from 'fs';
import { join } from 'path';
import {
  ALERT_RULES,
  Accelerator,
  ModelSpec,
  Quantization,
  promDuration,
  sizeLlamaCpp,
  sizeModel,
} from '../../lib/core';

// docs/core.md lists every alert rule with its default threshold; this keeps the table true.
describe('docs/core.md', () => {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'core.md'), 'utf8');

  test.each(ALERT_RULES.map((r) => [r.name, r]))('lists %s with its defaults', (_name, r) => {
    expect(doc).toContain(
      `| ${r.name} | ${r.group} | ${r.threshold} ${r.unit} | ${promDuration(r.forSeconds)} | ${r.severity} |`,
    );
  });
});

// The worked sizing examples in docs/core.md are the library's own output, line for line.
describe('docs/core.md sizing examples', () => {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'core.md'), 'utf8');
  const examples = [
    { model: ModelSpec.LLAMA_3_1_70B, quantization: Quantization.AWQ, accelerator: Accelerator.L40S },
    { model: ModelSpec.LLAMA_3_1_8B, quantization: Quantization.AWQ, accelerator: Accelerator.L4 },
    { model: ModelSpec.LLAMA_3_1_405B, quantization: Quantization.FP8, accelerator: Accelerator.H100 },
    {
      model: ModelSpec.DEEPSEEK_R1,
      quantization: Quantization.FP8,
      accelerator: Accelerator.H100,
      maxNodesPerReplica: 2,
    },
    {
      model: ModelSpec.GPT_OSS_120B,
      quantization: Quantization.MXFP4,
      accelerator: Accelerator.H100,
      maxModelLen: 131072,
      gpuMemoryUtilization: 0.95,
    },
  ];

  test.each(examples.map((e) => [`${e.model.name} ${e.quantization.id} ${e.accelerator.id}`, e] as const))(
    '%s: its weights line and its chosen layout are documented',
    (_name, options) => {
      const lines = sizeModel(options).explanation;
      expect(doc).toContain(lines[0]);
      const chosen = lines.filter((l) => /^TP \d/.test(l)).pop()!;
      expect(doc).toContain(chosen);
    },
  );

  test('every documented attempt and result line is produced by one of the examples', () => {
    const produced = new Set(examples.flatMap((e) => sizeModel(e).explanation));
    const documented = doc.split('\n').filter((x) => /^(TP \d|=> |\S+ in \S+: weights)/.test(x));
    expect(documented.length).toBeGreaterThan(10);
    for (const line of documented) {
      expect(produced).toContain(line);
    }
  });
});

// The llama.cpp worked examples in docs/core.md are sizeLlamaCpp's own explanation, line for line.
describe('docs/core.md llama.cpp sizing examples', () => {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'core.md'), 'utf8');
  test.each([
    [{ model: ModelSpec.LLAMA_3_1_8B, quantization: Quantization.GGUF_Q4_K_M, parallel: 4 }],
    [{ model: ModelSpec.LLAMA_3_1_70B, quantization: Quantization.GGUF_Q4_K_M, accelerator: Accelerator.L4 }],
  ])('%o is documented line for line', (options) => {
    for (const line of sizeLlamaCpp(options).explanation) {
      expect(doc).toContain(`${line}\n`);
    }
  });
});
