import { TerraformStack } from 'cdktf';
import * as fc from 'fast-check';
import {
  Accelerator,
  AlertRuleSet,
  Capacity,
  ModelSpec,
  Quantization,
  ServiceLevelObjective,
  ServiceLevelObjectiveProps,
  SloIndicator,
  Tags,
  ValidationError,
  metricSelector,
  promDuration,
  sizeModel,
  LLAMA_CPP_MEMORY_MODEL,
  allocatable,
  lookupCpuShape,
  sizeLlamaCpp,
} from '../../lib/core';
import { CPU_INSTANCE_TYPES } from '../../lib/aws/cpu-instance-types';
import { promqlParses } from './api-rules';
import { ARBITRARY, HOSTILE, Kind, propertyApp } from './harness';

// Core functions with hostile arguments: only a ValidationError, and what they return is valid
// for its consumer (PromQL that parses, durations Prometheus reads).

/** Calls `fn`; returns a problem line unless it returned or threw a ValidationError with a code. */
function outcome(what: string, fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (e instanceof ValidationError && e.code) return undefined;
    return `${what}: threw ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`;
  }
}

function each(kind: Kind, what: string, fn: (v: unknown) => unknown): string[] {
  const out: string[] = [];
  for (const v of HOSTILE[kind]) {
    const p = outcome(`${what}(${String(v).slice(0, 30)})`, () => fn(v));
    if (p) out.push(p);
  }
  fc.assert(
    fc.property(ARBITRARY[kind], (v) => {
      const p = outcome(`${what}(${String(v).slice(0, 30)})`, () => fn(v));
      if (p) out.push(p);
      return true;
    }),
    { numRuns: 40, seed: 20261203 },
  );
  return out;
}

describe('property: core functions', () => {
  test('Capacity factories', () => {
    expect([
      ...each('string', 'Capacity.reservation', (v) => Capacity.reservation(v as string)),
      ...each('string', 'Capacity.capacityBlock', (v) => Capacity.capacityBlock(v as string)),
      ...each('int', 'Capacity.flexStart', (v) => Capacity.flexStart({ maxRunDurationSeconds: v as number })),
      ...each('string', 'Capacity.reservation project', (v) =>
        Capacity.reservation('mega-res', { project: v as string }),
      ),
    ]).toEqual([]);
  });

  test('AlertRuleSet options: only ValidationError, and every expression parses', () => {
    const problems: string[] = [];
    const check = (what: string, o: object) => {
      let set: AlertRuleSet | undefined;
      const p = outcome(what, () => (set = AlertRuleSet.defaults(o as any)));
      if (p) problems.push(p);
      for (const r of set?.rules() ?? []) {
        // Prometheus's own grammar (@prometheus-io/lezer-promql) and model.ParseDuration.
        if (!promqlParses(r.expr))
          problems.push(`${what}: ${r.name} does not parse: ${r.expr.slice(0, 100)}`);
        if (!/^((\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?|0)$/.test(r.for))
          problems.push(`${what}: for ${r.for}`);
        if (/NaN|Infinity|e\+/.test(r.expr)) problems.push(`${what}: ${r.expr.slice(0, 80)}`);
      }
    };
    for (const v of [...HOSTILE.strings, ['namespace="llm"', ''], ['a=b'], ['{x="y"}']])
      check(`servingMatchers=${JSON.stringify(v)}`, { servingMatchers: v });
    for (const v of HOSTILE.strings) check(`gpuMatchers=${JSON.stringify(v)}`, { gpuMatchers: v });
    for (const v of [...HOSTILE.string, 'vllm-.*', '(', '\\d+', 'a"b'])
      check(`servingPodPattern=${String(v)}`, { servingPodPattern: v });
    for (const v of HOSTILE.number)
      check(`threshold=${String(v)}`, { overrides: { LLMTTFTp99High: { threshold: v } } });
    for (const v of HOSTILE.int)
      check(`forSeconds=${String(v)}`, { overrides: { LLMTTFTp99High: { forSeconds: v } } });
    for (const v of HOSTILE.object) check(`overrides=${String(v)}`, { overrides: v });
    check('options=null', null as any);
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }),
        fc.string({ maxLength: 20 }),
        (m, pod) => {
          check(`fc ${JSON.stringify(m)} ${JSON.stringify(pod)}`, {
            servingMatchers: m,
            servingPodPattern: pod,
          });
          return true;
        },
      ),
      { numRuns: 40, seed: 20261203 },
    );
    expect(problems).toEqual([]);
  });

  test('promDuration and metricSelector stay valid for whole seconds and valid matchers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 31536000 }), (s) => /^(\d+[hms]|0s)$/.test(promDuration(s))),
      { numRuns: 100 },
    );
    expect(promqlParses(metricSelector('vllm:num_requests_waiting', ['namespace="llm"'], true))).toBe(true);
  });

  test('Tags: keys and values of the wrong type or shape are ValidationErrors', () => {
    const problems: string[] = [];
    for (const v of HOSTILE.string) {
      const stack = new TerraformStack(propertyApp(), 's');
      const p1 = outcome(`Tags.add key ${String(v)}`, () => Tags.of(stack).add(v as string, 'x'));
      const p2 = outcome(`Tags.add value ${String(v)}`, () => Tags.of(stack).add('team', v as string));
      const p3 = outcome(`setCostAllocationTag ${String(v)}`, () =>
        Tags.of(stack).setCostAllocationTag(v as string, 'x'),
      );
      problems.push(...[p1, p2, p3].filter((p): p is string => p !== undefined));
    }
    expect(problems).toEqual([]);
  });

  test('Accelerator.fromId', () => {
    expect(each('string', 'Accelerator.fromId', (v) => Accelerator.fromId(v as string))).toEqual([]);
  });

  test('sizeModel: a non-Accelerator is a ValidationError', () => {
    const found = each('object', 'sizeModel accelerator', (v) =>
      sizeModel({
        model: ModelSpec.LLAMA_3_1_8B,
        quantization: Quantization.BF16,
        accelerator: v as Accelerator,
      }),
    );
    expect(found).toEqual([]);
  });

  test('ServiceLevelObjective: every prop, only ValidationError, and accepted SLOs render PromQL that parses', () => {
    const base: ServiceLevelObjectiveProps = {
      name: 'slo',
      indicator: SloIndicator.TIME_TO_FIRST_TOKEN,
      model: 'm',
      objectivePercent: 99,
      latencyThresholdSeconds: 1,
      matchers: ['namespace="llm"'],
    };
    const problems: string[] = [];
    const check = (what: string, patch: Record<string, unknown>) => {
      const p = outcome(what, () => {
        const slo = new ServiceLevelObjective({ ...base, ...patch } as ServiceLevelObjectiveProps);
        for (const r of [...slo.toPrometheusRuleGroup().rules, ...slo.toAlertRules()]) {
          if (!promqlParses(r.expr)) throw new Error(`PromQL does not parse: ${r.expr}`);
        }
      });
      if (p) problems.push(p);
    };
    const props: Array<[keyof ServiceLevelObjectiveProps, Kind]> = [
      ['name', 'string'],
      ['indicator', 'string'],
      ['model', 'string'],
      ['objectivePercent', 'number'],
      ['windowDays', 'int'],
      ['latencyThresholdSeconds', 'number'],
      ['matchers', 'strings'],
    ];
    for (const [prop, kind] of props) {
      for (const v of [...HOSTILE[kind], ...HOSTILE.object]) {
        check(`SLO ${prop}(${String(v).slice(0, 30)})`, { [prop]: v });
      }
      fc.assert(
        fc.property(ARBITRARY[kind], (v) => {
          check(`SLO ${prop}(${String(v).slice(0, 30)})`, { [prop]: v });
          return true;
        }),
        { numRuns: 40, seed: 20261203 },
      );
    }
    expect(problems).toEqual([]);
  });
});

describe('property: llama.cpp sizing', () => {
  const GGUF = Quantization.all().filter((q) => q.isGguf);
  const MODELS = [
    ModelSpec.LLAMA_3_1_8B,
    ModelSpec.QWEN3_8B,
    ModelSpec.MISTRAL_7B,
    ModelSpec.GEMMA_3_27B,
    ModelSpec.LLAMA_3_1_70B,
  ];

  test('sizeLlamaCpp with hostile options: only a ValidationError', () => {
    expect([
      ...each('int', 'sizeLlamaCpp maxModelLen', (v) =>
        sizeLlamaCpp({
          model: ModelSpec.LLAMA_3_1_8B,
          quantization: Quantization.GGUF_Q4_K_M,
          maxModelLen: v as number,
        }),
      ),
      ...each('int', 'sizeLlamaCpp parallel', (v) =>
        sizeLlamaCpp({
          model: ModelSpec.LLAMA_3_1_8B,
          quantization: Quantization.GGUF_Q4_K_M,
          parallel: v as number,
        }),
      ),
      ...each('int', 'sizeLlamaCpp vcpus', (v) =>
        sizeLlamaCpp({
          model: ModelSpec.LLAMA_3_1_8B,
          quantization: Quantization.GGUF_Q4_K_M,
          vcpus: v as number,
        }),
      ),
      ...each('object', 'sizeLlamaCpp accelerator', (v) =>
        sizeLlamaCpp({
          model: ModelSpec.LLAMA_3_1_8B,
          quantization: Quantization.GGUF_Q4_K_M,
          accelerator: v as Accelerator,
        }),
      ),
      ...each('object', 'sizeLlamaCpp quantization', (v) =>
        sizeLlamaCpp({ model: ModelSpec.LLAMA_3_1_8B, quantization: v as Quantization }),
      ),
    ]).toEqual([]);
  });

  test('memory holds the file and the KV cache on the CPU, grows with slots, and the GPU holds no more than it has', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MODELS),
        fc.constantFrom(...GGUF),
        fc.integer({ min: 1, max: 32768 }),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom(undefined, Accelerator.L4, Accelerator.A10G, Accelerator.L40S),
        (model, quantization, maxModelLen, parallel, accelerator) => {
          let s;
          try {
            s = sizeLlamaCpp({ model, quantization, maxModelLen, parallel, accelerator });
          } catch (e) {
            return e instanceof ValidationError && accelerator !== undefined;
          }
          const more = sizeLlamaCpp({ model, quantization, maxModelLen, parallel: parallel + 1 });
          const cpu = sizeLlamaCpp({ model, quantization, maxModelLen, parallel });
          return (
            s.ctxSize === maxModelLen * parallel &&
            cpu.memoryGiB >= cpu.fileGiB + cpu.kvCacheGiB &&
            more.memoryGiB >= cpu.memoryGiB &&
            s.gpuLayers >= 0 &&
            s.gpuLayers <= model.layers &&
            (accelerator === undefined
              ? s.gpuLayers === 0
              : s.gpuMemoryGiB <= accelerator.cudaMemoryGiB * LLAMA_CPP_MEMORY_MODEL.gpuMemoryFraction + 1e-9)
          );
        },
      ),
      { numRuns: 200, seed: 20261203 },
    );
  });

  test('lookupCpuShape: the shape it returns holds the pod, or it throws a ValidationError', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 600, noNaN: true }),
        fc.integer({ min: 1, max: 80 }),
        (memoryGiB, vcpus) => {
          try {
            const s = lookupCpuShape('AWS', CPU_INSTANCE_TYPES, { memoryGiB, vcpus });
            return allocatable(s).memoryGiB >= memoryGiB && allocatable(s).vcpus >= vcpus;
          } catch (e) {
            return e instanceof ValidationError;
          }
        },
      ),
      { numRuns: 200, seed: 20261203 },
    );
  });
});
