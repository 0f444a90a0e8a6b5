import { parse } from 'yaml';
import { Monitoring as AwsMonitoring } from '../../lib/aws/monitoring';
import {
  ServiceLevelObjective,
  ServiceLevelObjectiveProps,
  SloIndicator,
  ValidationError,
  checkSloSet,
  sloLatencyBuckets,
} from '../../lib/core';
import { Monitoring as GcpMonitoring } from '../../lib/gcp/monitoring';
import { MonitoringStack } from '../../lib/k8s';
import { awsStack } from '../aws/util';
import { gcpStack } from '../gcp/helpers';
import { platformAndWorkloads, warningsOf } from '../k8s/helpers';
import { onlyResource, resourcesOf, synthJson } from '../util';

const AVAILABILITY: ServiceLevelObjectiveProps = {
  name: 'llama-8b-availability',
  indicator: SloIndicator.AVAILABILITY,
  model: 'llama-3.1-8b',
  objectivePercent: 99.9,
  matchers: ['namespace="llm"', 'service="llama-8b"'],
};
const TTFT: ServiceLevelObjectiveProps = {
  name: 'llama-8b-ttft',
  indicator: SloIndicator.TIME_TO_FIRST_TOKEN,
  model: 'llama-3.1-8b',
  objectivePercent: 99,
  latencyThresholdSeconds: 1,
};

const alerts = (g: ReturnType<ServiceLevelObjective['toPrometheusRuleGroup']>) =>
  g.rules.filter((r): r is Extract<typeof r, { alert: string }> => 'alert' in r);
const records = (g: ReturnType<ServiceLevelObjective['toPrometheusRuleGroup']>) =>
  g.rules.filter((r): r is Extract<typeof r, { record: string }> => 'record' in r);

describe('ServiceLevelObjective', () => {
  test('defaults to a 30-day window and derives the error budget', () => {
    const slo = new ServiceLevelObjective(AVAILABILITY);
    expect(slo.windowDays).toBe(30);
    expect(slo.errorBudget).toBe(0.001);
  });

  test('records the error ratio over every burn-rate window', () => {
    const group = new ServiceLevelObjective(AVAILABILITY).toPrometheusRuleGroup();
    expect(group.name).toBe('slo-llama-8b-availability');
    expect(records(group).map((r) => r.record)).toEqual([
      'slo:sli_error:ratio_rate5m',
      'slo:sli_error:ratio_rate30m',
      'slo:sli_error:ratio_rate1h',
      'slo:sli_error:ratio_rate2h',
      'slo:sli_error:ratio_rate6h',
      'slo:sli_error:ratio_rate1d',
      'slo:sli_error:ratio_rate3d',
    ]);
    for (const r of records(group)) {
      expect(r.labels).toEqual({
        slo: 'llama-8b-availability',
        model: 'llama-3.1-8b',
        indicator: 'availability',
      });
    }
  });

  test('availability counts 5xx responses of the OpenAI paths over all of them, zero when none failed', () => {
    expect(new ServiceLevelObjective(AVAILABILITY).errorRatioExpr(300)).toBe(
      '(sum(rate(http_requests_total{namespace="llm", service="llama-8b", handler=~"/v1/.*", status="5xx"}[5m])) or vector(0)) / ' +
        'sum(rate(http_requests_total{namespace="llm", service="llama-8b", handler=~"/v1/.*"}[5m]))',
    );
  });

  test('latency counts requests above the bucket, with le written as prometheus_client writes it', () => {
    expect(new ServiceLevelObjective(TTFT).errorRatioExpr(3600)).toBe(
      '1 - (sum(rate(vllm:time_to_first_token_seconds_bucket{model_name="llama-3.1-8b", le="1.0"}[1h])) / ' +
        'sum(rate(vllm:time_to_first_token_seconds_count{model_name="llama-3.1-8b"}[1h])))',
    );
    const e2e = new ServiceLevelObjective({
      ...TTFT,
      name: 'e2e',
      indicator: SloIndicator.E2E_LATENCY,
      latencyThresholdSeconds: 0.8,
    });
    expect(e2e.errorRatioExpr(300)).toContain(
      'vllm:e2e_request_latency_seconds_bucket{model_name="llama-3.1-8b", le="0.8"}',
    );
  });

  test('pages on 14.4x over 1h/5m or 6x over 6h/30m and tickets on 3x over 1d/2h or 1x over 3d/6h (SRE workbook)', () => {
    const [fast, slow] = alerts(new ServiceLevelObjective(AVAILABILITY).toPrometheusRuleGroup());
    expect(fast.alert).toBe('SLOErrorBudgetBurnFast');
    expect(fast.labels.severity).toBe('critical');
    expect(fast.expr).toBe(
      '(slo:sli_error:ratio_rate1h{slo="llama-8b-availability"} > (14.4 * 0.001) and slo:sli_error:ratio_rate5m{slo="llama-8b-availability"} > (14.4 * 0.001))' +
        ' or (slo:sli_error:ratio_rate6h{slo="llama-8b-availability"} > (6 * 0.001) and slo:sli_error:ratio_rate30m{slo="llama-8b-availability"} > (6 * 0.001))',
    );
    expect(slow.alert).toBe('SLOErrorBudgetBurnSlow');
    expect(slow.labels.severity).toBe('warning');
    expect(slow.expr).toContain('slo:sli_error:ratio_rate1d{slo="llama-8b-availability"} > (3 * 0.001)');
    expect(slow.expr).toContain('slo:sli_error:ratio_rate3d{slo="llama-8b-availability"} > (1 * 0.001)');
  });

  test('scales the burn-rate factors with the window', () => {
    const [fast] = alerts(
      new ServiceLevelObjective({ ...AVAILABILITY, windowDays: 28 }).toPrometheusRuleGroup(),
    );
    expect(fast.expr).toContain('> (13.44 * 0.001)');
    expect(fast.expr).toContain('> (5.6 * 0.001)');
  });

  test('adds extra labels to the alerts only', () => {
    const group = new ServiceLevelObjective(TTFT).toPrometheusRuleGroup({ team: 'ml' });
    expect(alerts(group)[0].labels).toMatchObject({ team: 'ml', slo: 'llama-8b-ttft', severity: 'critical' });
    expect(records(group)[0].labels.team).toBeUndefined();
  });

  test('inline alert rules carry the ratios themselves (for Cloud Monitoring)', () => {
    const [fast, slow] = new ServiceLevelObjective(TTFT).toAlertRules();
    expect(fast.name).toBe('SLOErrorBudgetBurnFast_llama_8b_ttft');
    expect(slow.name).toBe('SLOErrorBudgetBurnSlow_llama_8b_ttft');
    expect(fast.expr).not.toContain('slo:sli_error');
    expect(fast.expr).toContain(
      'vllm:time_to_first_token_seconds_bucket{model_name="llama-3.1-8b", le="1.0"}[1h]',
    );
    expect(fast.metrics).toEqual([
      'vllm:time_to_first_token_seconds_bucket',
      'vllm:time_to_first_token_seconds_count',
    ]);
  });

  test.each<[string, Partial<ServiceLevelObjectiveProps>, RegExp]>([
    ['a name with capitals', { name: 'Llama' }, /'name' \("Llama"\) must be 1-63 lower-case/],
    ['a name over 63 characters', { name: 'a'.repeat(64) }, /'name'/],
    [
      'an unknown indicator',
      { indicator: 'uptime' as SloIndicator },
      /'indicator' \("uptime"\) must be one of/,
    ],
    ['an empty model', { model: ' ' }, /'model' \(" "\) must be the non-empty served model name/],
    ['a model with a quote', { model: 'a"b' }, /'model'/],
    [
      'objective 100',
      { objectivePercent: 100 },
      /'objectivePercent' \(100\) must be a number from 50 to 99.999/,
    ],
    ['objective NaN', { objectivePercent: NaN }, /'objectivePercent' \(NaN\)/],
    [
      'objective as a string',
      { objectivePercent: '99.9' as unknown as number },
      /'objectivePercent' \(99.9\)/,
    ],
    ['window 0', { windowDays: 0 }, /'windowDays' \(0\) must be an integer from 1 to 90/],
    ['window 1.5', { windowDays: 1.5 }, /'windowDays' \(1.5\)/],
    ['window 2', { windowDays: 2 }, /shorter than the 3-day burn-rate window/],
    [
      'a malformed matcher',
      { matchers: ['namespace=llm'] },
      /SLO 'llama-8b-availability': 'matchers\[0\]' \('namespace=llm'\) is not a PromQL label matcher/,
    ],
    [
      'an empty matcher',
      { matchers: [''] },
      /SLO 'llama-8b-availability': 'matchers\[0\]' must not be empty/,
    ],
    ['availability without matchers', { matchers: [] }, /availability SLO needs 'matchers'/],
    ['availability with a threshold', { latencyThresholdSeconds: 1 }, /applies to latency indicators only/],
  ])('rejects %s', (_name, patch, message) => {
    expect(() => new ServiceLevelObjective({ ...AVAILABILITY, ...patch })).toThrow(ValidationError);
    expect(() => new ServiceLevelObjective({ ...AVAILABILITY, ...patch })).toThrow(message);
  });

  test('matcher errors keep the core validator code', () => {
    try {
      new ServiceLevelObjective({ ...AVAILABILITY, matchers: ['x'] });
      throw new Error('no error');
    } catch (e) {
      expect((e as ValidationError).code).toBe('promql-matcher');
    }
  });

  test('rejects a latency threshold between histogram buckets and lists the allowed ones', () => {
    expect(() => new ServiceLevelObjective({ ...TTFT, latencyThresholdSeconds: 0.3 })).toThrow(
      /'latencyThresholdSeconds' \(0.3\) must be one of the bucket boundaries of vllm:time_to_first_token_seconds: 0.001, .*0.25, 0.5, .* s/,
    );
    expect(() => new ServiceLevelObjective({ ...TTFT, latencyThresholdSeconds: undefined })).toThrow(
      /'latencyThresholdSeconds' \(undefined\)/,
    );
  });

  test('exposes the measurable thresholds per indicator', () => {
    expect(sloLatencyBuckets(SloIndicator.INTER_TOKEN_LATENCY)).toContain(0.05);
    expect(sloLatencyBuckets(SloIndicator.AVAILABILITY)).toEqual([]);
  });

  test('a set refuses a name used twice', () => {
    const a = new ServiceLevelObjective(AVAILABILITY);
    expect(() => checkSloSet([a, a], 'slos')).toThrow(/'slos' names SLO 'llama-8b-availability' twice/);
    expect(() => checkSloSet([{} as ServiceLevelObjective], 'slos')).toThrow(
      /array of ServiceLevelObjective/,
    );
  });
});

describe('SLOs in each backend', () => {
  const slos = () => [new ServiceLevelObjective(AVAILABILITY), new ServiceLevelObjective(TTFT)];

  test('k8s MonitoringStack: a PrometheusRule entry of its own with one group per SLO', () => {
    const { platform } = platformAndWorkloads();
    new MonitoringStack(platform, 'Monitoring', { slos: slos(), alertLabels: { team: 'ml' } });
    const release: any = Object.values(resourcesOf(synthJson(platform), 'helm_release'))[0];
    const values = parse(release.values[0]);
    const groups = values.additionalPrometheusRulesMap['cdktf-ai-infra-slos'].groups;
    expect(groups.map((g: any) => g.name)).toEqual(['slo-llama-8b-availability', 'slo-llama-8b-ttft']);
    expect(groups[0].rules.find((r: any) => r.alert).labels.team).toBe('ml');
    expect(values.additionalPrometheusRulesMap['cdktf-ai-infra']).toBeDefined();
  });

  test('k8s MonitoringStack: an error-budget dashboard with a row per SLO', () => {
    const { platform } = platformAndWorkloads();
    const m = new MonitoringStack(platform, 'Monitoring', { slos: slos() });
    expect(m.dashboards['cdktf-ai-slos']).toBeDefined();
    const cm: any = Object.values(resourcesOf(synthJson(platform), 'kubernetes_config_map_v1')).find(
      (c: any) => c.metadata.name === 'cdktf-ai-slos-dashboard',
    );
    const board = JSON.parse(cm.data['cdktf-ai-slos.json']);
    const rows = board.panels.filter((p: any) => p.type === 'row').map((p: any) => p.title);
    expect(rows).toEqual(['llama-8b-availability (99.9% over 30d)', 'llama-8b-ttft (99% over 30d)']);
    const exprs = board.panels.flatMap((p: any) => (p.targets ?? []).map((t: any) => t.expr));
    expect(exprs).toContain('1 - avg_over_time(slo:sli_error:ratio_rate5m{slo="llama-8b-ttft"}[30d]) / 0.01');
    expect(exprs).toContain('slo:sli_error:ratio_rate1h{slo="llama-8b-availability"} / 0.001');
  });

  test('k8s MonitoringStack: no SLO entry by default', () => {
    const { platform } = platformAndWorkloads();
    new MonitoringStack(platform, 'Monitoring');
    const release: any = Object.values(resourcesOf(synthJson(platform), 'helm_release'))[0];
    expect(parse(release.values[0]).additionalPrometheusRulesMap['cdktf-ai-infra-slos']).toBeUndefined();
    expect(Object.keys(new MonitoringStack(platformAndWorkloads().platform, 'M').dashboards)).not.toContain(
      'cdktf-ai-slos',
    );
  });

  test('k8s MonitoringStack warns when retention is shorter than the SLO window', () => {
    const { platform } = platformAndWorkloads();
    new MonitoringStack(platform, 'Monitoring', { slos: slos(), retentionDays: 15 });
    expect(warningsOf(platform).join('\n')).toMatch(/k8s-slo-window-exceeds-retention/);
    const { platform: p2 } = platformAndWorkloads();
    new MonitoringStack(p2, 'Monitoring', { slos: slos(), retentionDays: 30 });
    expect(warningsOf(p2).join('\n')).not.toMatch(/k8s-slo-window-exceeds-retention/);
  });

  test('k8s MonitoringStack refuses a duplicate SLO name with its construct path', () => {
    const { platform } = platformAndWorkloads();
    const a = new ServiceLevelObjective(AVAILABILITY);
    expect(() => new MonitoringStack(platform, 'Monitoring', { slos: [a, a] })).toThrow(
      /platform\/Monitoring.*'slos' names SLO 'llama-8b-availability' twice/s,
    );
  });

  test('AWS Monitoring: the SLO groups join the workspace rule groups', () => {
    const stack = awsStack();
    new AwsMonitoring(stack, 'M', { region: 'us-east-1', slos: slos() });
    const data = parse(onlyResource(synthJson(stack), 'aws_prometheus_rule_group_namespace').data);
    const slo = data.groups.find((g: any) => g.name === 'slo-llama-8b-ttft');
    expect(slo.rules.filter((r: any) => r.record)).toHaveLength(7);
    expect(slo.rules.filter((r: any) => r.alert).map((r: any) => r.alert)).toEqual([
      'SLOErrorBudgetBurnFast',
      'SLOErrorBudgetBurnSlow',
    ]);
  });

  test('GCP Monitoring: two alert policies per SLO with inline burn-rate conditions', () => {
    const { stack } = gcpStack();
    const m = new GcpMonitoring(stack, 'Alerts', { emails: ['oncall@example.com'], slos: slos() });
    const policies = resourcesOf(synthJson(stack), 'google_monitoring_alert_policy');
    const fast: any = Object.values(policies).find((p: any) =>
      p.display_name.endsWith('SLOErrorBudgetBurnFast_llama_8b_ttft'),
    );
    expect(fast.severity).toBe('CRITICAL');
    const query: string = fast.conditions[0].condition_prometheus_query_language.query;
    expect(query).toContain(
      '{__name__="vllm:time_to_first_token_seconds_bucket", model_name="llama-3.1-8b", le="1.0"}',
    );
    expect(m.policies.SLOErrorBudgetBurnSlow_llama_8b_availability).toBeDefined();
  });
});
