import { parse, stringify } from 'yaml';
import { AlertRuleSet, ResolvedAlertRule, ServiceLevelObjective, SloIndicator } from '../../lib/core';
import { ALERT_SCENARIOS, AlertScenario } from './alert-scenarios';
import { constructStacks, exampleStacks } from './fixtures';
import {
  alertmanagerConfigsOf,
  amtoolCheckConfig,
  amtoolCheckConfigBatch,
  promtoolCheckRules,
  promtoolCheckRulesBatch,
  promtoolTestRules,
  promtoolTestRulesBatch,
  ruleFilesOf,
  testWithPrometheusTools,
  ToolResult,
} from './prometheus-tools';

const withTools = testWithPrometheusTools();
const ok = { ok: true, output: expect.any(String) };

describe('promtool and amtool themselves', () => {
  // The checks below only mean something if the tools reject what is wrong.
  withTools('promtool rejects a rule with a bad duration and an unparsable expression', () => {
    const r = promtoolCheckRules(
      stringify({ groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up ==', for: '5 minutes' }] }] }),
    );
    expect(r.ok).toBe(false);
  });
  withTools('amtool rejects a route to a receiver that does not exist', () => {
    const r = amtoolCheckConfig(
      stringify({ route: { receiver: 'nobody' }, receivers: [{ name: 'somebody' }] }),
    );
    expect(r).toEqual({ ok: false, output: expect.stringMatching(/undefined receiver "nobody"/) });
  });
});

describe('core alert rules', () => {
  const variants: Array<[string, AlertRuleSet]> = [
    ['defaults', AlertRuleSet.defaults()],
    [
      'with matchers and overrides',
      AlertRuleSet.defaults({
        servingMatchers: ['namespace="llm"'],
        gpuMatchers: ['cluster="gpu-a"'],
        overrides: {
          LLMQueueBacklog: { threshold: 50, forSeconds: 120 },
          GPUTemperatureHigh: { threshold: 80 },
        },
      }),
    ],
  ];
  withTools.each(variants)('promtool check rules accepts the rule groups (%s)', (_name, rules) => {
    expect(promtoolCheckRules(stringify({ groups: rules.toPrometheusRuleGroups({ team: 'ml' }) }))).toEqual(
      ok,
    );
  });

  const rules = AlertRuleSet.defaults().rules();
  test('every core rule has a promtool scenario, and every scenario a rule', () => {
    expect(Object.keys(ALERT_SCENARIOS).sort()).toEqual(rules.map((r) => r.name).sort());
  });

  // The overrides move thresholds and durations: the scenarios follow the rule table.
  const overridden = AlertRuleSet.defaults({
    overrides: {
      LLMQueueBacklog: { threshold: 50, forSeconds: 120 },
      GPUTemperatureHigh: { threshold: 80, forSeconds: 60 },
      LLMTTFTp99High: { threshold: 5 },
    },
  }).rules();
  const cases = [
    ...rules.map((r) => [r.name, 'default', r] as const),
    ...overridden
      .filter((r) => ['LLMQueueBacklog', 'GPUTemperatureHigh', 'LLMTTFTp99High'].includes(r.name))
      .map((r) => [r.name, `threshold ${r.threshold}, for ${r.for}`, r] as const),
  ];
  withTools('a scenario on the wrong side of the threshold fails (the unit tests can fail)', () => {
    const rule = rules.find((r) => r.name === 'LLMQueueBacklog')!;
    const s = ALERT_SCENARIOS.LLMQueueBacklog;
    const swapped = { ...s, fire: s.quiet, quiet: s.fire };
    const r = promtoolTestRules(ruleFileFor(rule), unitTestFor(rule, swapped));
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/FAILED/);
  });

  withTools(
    'in one promtool process, a failing case is reported as failing and a passing one as passing',
    () => {
      const rule = rules.find((r) => r.name === 'LLMQueueBacklog')!;
      const s = ALERT_SCENARIOS.LLMQueueBacklog;
      const [passing, failing] = promtoolTestRulesBatch([
        { rulesYaml: ruleFileFor(rule), testYaml: unitTestFor(rule, s) },
        { rulesYaml: ruleFileFor(rule), testYaml: unitTestFor(rule, { ...s, fire: s.quiet, quiet: s.fire }) },
      ]);
      expect(passing).toEqual(ok);
      expect(failing.ok).toBe(false);
      expect(failing.output).toMatch(/FAILED/);
    },
  );

  // One promtool process for every case (run on first use; a failing case is run again alone).
  let caseResults: ToolResult[] | undefined;
  withTools.each(cases.map(([name, variant], i) => [name, variant, i] as const))(
    'promtool test rules: %s (%s) fires just past its threshold after `for`, and stays quiet short of it',
    (_name, _variant, i) => {
      caseResults ??= promtoolTestRulesBatch(
        cases.map(([name, , rule]) => ({
          rulesYaml: ruleFileFor(rule),
          testYaml: unitTestFor(rule, ALERT_SCENARIOS[name]),
        })),
      );
      expect(caseResults[i]).toEqual(ok);
    },
  );
});

/**
 * The rule alone, without annotations: promtool compares expected annotations exactly and they
 * are templates of the alert value (`promtool check rules` validates them above).
 */
function ruleFileFor(rule: ResolvedAlertRule): string {
  return stringify({
    groups: [
      {
        name: rule.group,
        rules: [
          {
            alert: rule.name,
            expr: rule.expr,
            ...(rule.forSeconds > 0 ? { for: rule.for } : {}),
            labels: { severity: rule.severity },
          },
        ],
      },
    ],
  });
}

function unitTestFor(rule: ResolvedAlertRule, s: AlertScenario): string {
  const evalMinutes = s.evalMinutes?.(rule) ?? rule.forSeconds / 60 + 30;
  const alert = { alertname: rule.name };
  const expected = [{ exp_labels: { ...s.labels, severity: rule.severity } }];
  const fireTests = [{ eval_time: `${evalMinutes}m`, ...alert, exp_alerts: expected }];
  if (rule.forSeconds >= 120 && !s.evalMinutes) {
    // Pending, not firing, before `for` has passed.
    fireTests.unshift({
      eval_time: `${Math.floor(rule.forSeconds / 120)}m`,
      ...alert,
      exp_alerts: [] as any,
    });
  }
  return stringify({
    rule_files: ['rules.yaml'],
    evaluation_interval: '1m',
    tests: [
      {
        name: `${rule.name} at ${s.fire(rule.threshold)} (threshold ${rule.threshold})`,
        interval: s.interval ?? '1m',
        input_series: s.series(s.fire(rule.threshold), rule),
        alert_rule_test: fireTests,
      },
      {
        name: `${rule.name} at ${s.quiet(rule.threshold)} (threshold ${rule.threshold})`,
        interval: s.interval ?? '1m',
        input_series: s.series(s.quiet(rule.threshold), rule),
        alert_rule_test: [{ eval_time: `${evalMinutes}m`, ...alert, exp_alerts: [] }],
      },
    ],
  });
}

describe('every rule group and Alertmanager config the examples and constructs render', () => {
  const stacks = [...exampleStacks(), ...constructStacks()];
  const ruleFiles = stacks.flatMap((s) => ruleFilesOf(s.json).map((f) => [`${s.name}: ${f.source}`, f.yaml]));
  const configs = stacks.flatMap((s) =>
    alertmanagerConfigsOf(s.json).map((f) => [`${s.name}: ${f.source}`, f.yaml]),
  );

  test('there are rule groups and Alertmanager configs to check (AMP and kube-prometheus-stack)', () => {
    expect(ruleFiles.some(([s]) => s.includes('aws_prometheus_rule_group_namespace'))).toBe(true);
    expect(ruleFiles.some(([s]) => s.includes('additionalPrometheusRulesMap'))).toBe(true);
    expect(configs.some(([s]) => s.includes('aws_prometheus_alert_manager_definition'))).toBe(true);
    expect(configs.some(([s]) => s.includes('alertmanager.config'))).toBe(true);
  });
  // One promtool and one amtool process for all of them (checked on first use), not one per file.
  let ruleResults: ToolResult[] | undefined;
  let configResults: ToolResult[] | undefined;
  withTools.each(ruleFiles.map(([source], i) => [source, i] as const))(
    'promtool check rules: %s',
    (_s, i) => {
      ruleResults ??= promtoolCheckRulesBatch(ruleFiles.map(([, yaml]) => yaml));
      expect(ruleResults[i]).toEqual(ok);
    },
  );
  withTools.each(configs.map(([source], i) => [source, i] as const))('amtool check-config: %s', (_s, i) => {
    configResults ??= amtoolCheckConfigBatch(configs.map(([, yaml]) => yaml));
    expect(configResults[i]).toEqual(ok);
  });

  // amtool does not read `*_file` paths. prometheus-operator mounts each Secret listed in
  // `alertmanagerSpec.secrets` at /etc/alertmanager/secrets/<secret-name> (Alertmanager CRD
  // `spec.secrets`, crd-alertmanagers.yaml in kube-prometheus-stack 88.5.3): every file the
  // config reads must be under one of them.
  const releases = stacks.flatMap((s) =>
    Object.entries(s.json.resource?.helm_release ?? {})
      .filter(([, r]: [string, any]) => r.chart === 'kube-prometheus-stack')
      .flatMap(([name, r]: [string, any]) =>
        (r.values ?? []).map((v: string) => [`${s.name}: ${name}`, parse(v)]),
      ),
  );
  test('the receivers read their credentials from files (PagerDuty, Opsgenie, Slack, SMTP)', () => {
    const all = JSON.stringify(releases.map(([, v]) => v.alertmanager?.config ?? {}));
    for (const key of ['routing_key_file', 'api_key_file', 'api_url_file', 'auth_password_file']) {
      expect(all).toContain(`"${key}"`);
    }
  });
  test.each(releases)(
    '%s: every *_file the Alertmanager config reads is in a mounted Secret',
    (_source, values) => {
      const files = [
        ...JSON.stringify(values.alertmanager?.config ?? {}).matchAll(/"\w+_file":"([^"]+)"/g),
      ].map((m) => m[1]);
      const mounted: string[] = values.alertmanager?.alertmanagerSpec?.secrets ?? [];
      for (const f of files) {
        const m = /^\/etc\/alertmanager\/secrets\/([^/]+)\/[^/]+$/.exec(f);
        expect({ file: f, secret: m?.[1], mounted: m ? mounted.includes(m[1]) : false }).toEqual({
          file: f,
          secret: m?.[1],
          mounted: true,
        });
      }
    },
  );
});

describe('SLO rule groups (ServiceLevelObjective.toPrometheusRuleGroup)', () => {
  const availability = new ServiceLevelObjective({
    name: 'llama8b-availability',
    indicator: SloIndicator.AVAILABILITY,
    model: 'llama-3.1-8b',
    objectivePercent: 99.9,
    matchers: ['namespace="llm"'],
  });
  const ttft = new ServiceLevelObjective({
    name: 'llama8b-ttft',
    indicator: SloIndicator.TIME_TO_FIRST_TOKEN,
    model: 'llama-3.1-8b',
    objectivePercent: 99,
    latencyThresholdSeconds: 2.5,
    windowDays: 28,
  });
  withTools.each([
    ['availability', availability],
    ['time to first token', ttft],
  ])('promtool check rules accepts the %s SLO group', (_name, slo) => {
    expect(promtoolCheckRules(stringify({ groups: [slo.toPrometheusRuleGroup({ team: 'ml' })] }))).toEqual(
      ok,
    );
  });

  /**
   * Availability at `multiple` times the error budget (0.1% for 99.9%), 10 requests/s, for 70
   * minutes: the 1 h and 5 min windows of the page are filled.
   */
  function burnTest(multiple: number, firing: boolean) {
    const ratio = multiple * availability.errorBudget;
    const perMinute = (perSecond: number) => `0+${Number((perSecond * 60).toPrecision(12))}x300`;
    const series = (status: string, perSecond: number) => ({
      series: `http_requests_total{namespace="llm", handler="/v1/chat/completions", status="${status}"}`,
      values: perMinute(perSecond),
    });
    return {
      name: `availability at ${multiple}x the error budget`,
      interval: '1m',
      input_series: [series('5xx', 10 * ratio), series('2xx', 10 * (1 - ratio))],
      alert_rule_test: [
        {
          eval_time: '70m',
          alertname: 'SLOErrorBudgetBurnFast',
          exp_alerts: firing ? [{ exp_labels: { ...availability.labels, severity: 'critical' } }] : [],
        },
      ],
    };
  }
  // Annotations are left out: promtool compares expected annotations exactly (checked above).
  const group = availability.toPrometheusRuleGroup();
  const ruleFile = stringify({
    groups: [{ ...group, rules: group.rules.map(({ annotations: _a, ...r }: any) => r) }],
  });

  withTools(
    'promtool test rules: SLOErrorBudgetBurnFast fires at 20x the budget and stays quiet at 5x',
    () => {
      const tests = stringify({
        rule_files: ['rules.yaml'],
        evaluation_interval: '1m',
        tests: [burnTest(20, true), burnTest(5, false)],
      });
      expect(promtoolTestRules(ruleFile, tests)).toEqual(ok);
    },
  );

  withTools('the burn scenario can fail: 5x expected to page is reported', () => {
    const tests = stringify({
      rule_files: ['rules.yaml'],
      evaluation_interval: '1m',
      tests: [burnTest(5, true)],
    });
    const r = promtoolTestRules(ruleFile, tests);
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/FAILED/);
  });
});
