import { stringify } from 'yaml';
import { COST_ALLOCATION_SERIES as S, ValidationError, costAllocationRuleGroup } from '../../lib/core';
import { promtoolCheckRules, promtoolTestRules, testWithPrometheusTools } from './prometheus-tools';

const withTools = testWithPrometheusTools();
const ok = { ok: true, output: expect.any(String) };
const GiB = 1073741824;

/**
 * One node with a $3/h GPU, $0.05/h cores and $0.01/h GiB; a vLLM pod (1 GPU, 4 cores, 32 GiB)
 * serving `llama` at 600 prompt + 400 generated tokens/s in `llm`, and a training pod (2 GPUs) in
 * `research`; both namespaces belong to team `search`.
 */
function inputSeries(tokens: boolean) {
  const pod = (ns: string, name: string) => `namespace="${ns}", pod="${name}", container="main", node="n1"`;
  const llama = 'namespace="llm", pod="llama-0", model_name="llama"';
  return [
    { series: 'node_gpu_hourly_cost{node="n1", instance="oc"}', values: '3x40' },
    { series: 'node_cpu_hourly_cost{node="n1", instance="oc"}', values: '0.05x40' },
    { series: 'node_ram_hourly_cost{node="n1", instance="oc"}', values: '0.01x40' },
    { series: `container_gpu_allocation{${pod('llm', 'llama-0')}}`, values: '1x40' },
    { series: `container_cpu_allocation{${pod('llm', 'llama-0')}}`, values: '4x40' },
    { series: `container_memory_allocation_bytes{${pod('llm', 'llama-0')}}`, values: `${32 * GiB}x40` },
    { series: `container_gpu_allocation{${pod('research', 'trainer-0')}}`, values: '2x40' },
    { series: `vllm:num_requests_running{${llama}}`, values: '3x40' },
    { series: `vllm:prompt_tokens_total{${llama}}`, values: tokens ? '0+36000x40' : '0x40' },
    { series: `vllm:generation_tokens_total{${llama}}`, values: tokens ? '0+24000x40' : '0x40' },
    { series: 'kube_namespace_labels{namespace="llm", label_team="search"}', values: '1x40' },
    { series: 'kube_namespace_labels{namespace="research", label_team="search"}', values: '1x40' },
  ];
}

/** `series` is within 1e-9 of `value` (promtool compares floats exactly). */
function near(series: string, labels: string, value: number) {
  return {
    expr: `abs(${series} - ${value}) < bool 1e-9`,
    eval_time: '30m',
    exp_samples: [{ labels, value: 1 }],
  };
}

const ruleFile = stringify({ groups: [costAllocationRuleGroup()] });

describe('cost allocation recording rules (core costAllocationRuleGroup)', () => {
  withTools('promtool check rules accepts them, with a team label key that needs sanitising', () => {
    expect(promtoolCheckRules(ruleFile)).toEqual(ok);
    const custom = costAllocationRuleGroup({
      teamLabel: 'example.com/team',
      servingMatchers: ['namespace="llm"'],
    });
    expect(custom.rules.find((r) => r.record === S.teamCost)!.expr).toContain('label_example_com_team');
    expect(promtoolCheckRules(stringify({ groups: [custom] }))).toEqual(ok);
  });

  withTools('promtool test rules: cost per pod, namespace, model, team and per million tokens', () => {
    const cost = 3 + 4 * 0.05 + 32 * 0.01; // 3.52 USD/h for the vLLM pod
    const tests = stringify({
      rule_files: ['rules.yaml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: inputSeries(true),
          promql_expr_test: [
            {
              expr: S.podCost,
              eval_time: '30m',
              exp_samples: [
                { labels: `${S.podCost}{namespace="llm", pod="llama-0", resource="gpu"}`, value: 3 },
                { labels: `${S.podCost}{namespace="llm", pod="llama-0", resource="cpu"}`, value: 0.2 },
                { labels: `${S.podCost}{namespace="llm", pod="llama-0", resource="memory"}`, value: 0.32 },
                { labels: `${S.podCost}{namespace="research", pod="trainer-0", resource="gpu"}`, value: 6 },
              ],
            },
            near(S.modelCost, '{namespace="llm", model_name="llama"}', cost),
            near(S.modelTokens, '{namespace="llm", model_name="llama"}', 1000),
            near(S.modelCostPerMillionTokens, '{namespace="llm", model_name="llama"}', (cost / 3.6e6) * 1e6),
            near(S.teamCost, '{team="search"}', cost + 6),
            near(S.teamServingCost, '{team="search"}', cost),
            near(S.teamCostPerMillionTokens, '{team="search"}', (cost / 3.6e6) * 1e6),
          ],
        },
        {
          // A model that serves nothing has a cost but no cost per million tokens.
          interval: '1m',
          input_series: inputSeries(false),
          promql_expr_test: [
            { expr: S.modelCostPerMillionTokens, eval_time: '30m', exp_samples: [] },
            near(S.modelCost, '{namespace="llm", model_name="llama"}', cost),
          ],
        },
      ],
    });
    const r = promtoolTestRules(ruleFile, tests);
    expect(r.ok ? 'ok' : r.output).toBe('ok');
  });

  withTools('the scenario can fail: a wrong cost per million tokens is reported', () => {
    const tests = stringify({
      rule_files: ['rules.yaml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: inputSeries(true),
          promql_expr_test: [
            near(S.modelCostPerMillionTokens, '{namespace="llm", model_name="llama"}', 3.52),
          ],
        },
      ],
    });
    const r = promtoolTestRules(ruleFile, tests);
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/FAILED/);
  });

  test.each([
    ['an invalid team label key', { teamLabel: 'a b' }],
    ['a serving matcher that is not a matcher', { servingMatchers: ['namespace='] }],
  ])('throws a ValidationError on %s', (_name, options) => {
    expect(() => costAllocationRuleGroup(options)).toThrow(ValidationError);
  });

  test('defaults to the namespace label `team`', () => {
    const g = costAllocationRuleGroup();
    expect(g.rules.find((r) => r.record === S.teamCost)!.expr).toContain(
      'kube_namespace_labels{label_team!=""}',
    );
  });
});
