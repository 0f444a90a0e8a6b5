import { parse } from 'yaml';
import { Accelerator, AlertRuleSet, AlertSeverity, GpuShape } from '../../lib/core';
import { MonitoringStack, MonitoringStackProps, gpuHourlyPriceOf } from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads, warningsOf } from './helpers';

const PRICE = { usd: 0.8, region: 'us-east-1', asOf: '2026-08-01', source: 'test price list' };

function build(props: MonitoringStackProps = {}) {
  const { platform } = platformAndWorkloads();
  const monitoring = new MonitoringStack(platform, 'Monitoring', props);
  const json = synthJson(platform);
  const release: any = Object.values(resourcesOf(json, 'helm_release'))[0];
  const configMaps = Object.values(resourcesOf(json, 'kubernetes_config_map_v1')) as any[];
  return { monitoring, json, release, values: parse(release.values[0]), configMaps, platform };
}

const RECEIVERS: MonitoringStackProps['receivers'] = {
  pagerDuty: { routingKeySecret: { name: 'alerting', key: 'pagerduty' } },
  opsgenie: { apiKeySecret: { name: 'alerting', key: 'opsgenie' } },
  slack: { webhookUrlSecret: { name: 'slack', key: 'url' }, channel: '#ml-alerts' },
  email: {
    to: ['oncall@example.com'],
    from: 'alerts@example.com',
    smarthost: 'smtp.example.com:587',
    username: 'alerts',
    passwordSecret: { name: 'smtp', key: 'password' },
  },
};

describe('MonitoringStack', () => {
  test('installs the pinned kube-prometheus-stack chart', () => {
    const { release } = build();
    expect(release).toMatchObject({
      name: 'kube-prometheus-stack',
      namespace: 'monitoring',
      chart: 'kube-prometheus-stack',
      repository: 'https://prometheus-community.github.io/helm-charts',
      version: '88.5.3',
      create_namespace: true,
    });
  });

  test('selects ServiceMonitors and rules by the release label, deliberately', () => {
    const { values, monitoring } = build();
    const spec = values.prometheus.prometheusSpec;
    expect(spec.serviceMonitorSelectorNilUsesHelmValues).toBe(true);
    expect(spec.ruleSelectorNilUsesHelmValues).toBe(true);
    expect(spec.serviceMonitorNamespaceSelector).toEqual({});
    expect(monitoring.selectorLabels).toEqual({ release: 'kube-prometheus-stack' });
  });

  test('pins the object names so the Prometheus URL is known', () => {
    const { values, monitoring } = build();
    expect(values.fullnameOverride).toBe('kube-prometheus-stack');
    expect(monitoring.prometheusUrl).toBe('http://kube-prometheus-stack-prometheus.monitoring.svc:9090');
  });

  test('renders the core alert rules into additionalPrometheusRulesMap', () => {
    const { values } = build();
    expect(values.additionalPrometheusRulesMap['cdktf-ai-infra'].groups).toEqual(
      AlertRuleSet.defaults().toPrometheusRuleGroups(),
    );
  });

  test('passes rule overrides and alert labels through', () => {
    const { values } = build({
      alertRules: AlertRuleSet.defaults({ overrides: { GPUSaturated: { enabled: false } } }),
      alertLabels: { team: 'ml' },
    });
    const rules = values.additionalPrometheusRulesMap['cdktf-ai-infra'].groups.flatMap((g: any) => g.rules);
    expect(rules.map((r: any) => r.alert)).not.toContain('GPUSaturated');
    expect(rules[0].labels.team).toBe('ml');
  });

  test('ships GPU, serving and training dashboards as grafana_dashboard ConfigMaps', () => {
    const { configMaps, values } = build();
    expect(configMaps.map((c) => c.metadata.name).sort()).toEqual([
      'cdktf-ai-gpus-dashboard',
      'cdktf-ai-serving-dashboard',
      'cdktf-ai-training-dashboard',
    ]);
    for (const c of configMaps) {
      expect(c.metadata.labels.grafana_dashboard).toBe('1');
      expect(c.depends_on).toEqual([expect.stringMatching(/^helm_release\./)]);
    }
    expect(values.grafana.sidecar.dashboards).toMatchObject({
      enabled: true,
      label: 'grafana_dashboard',
      labelValue: '1',
    });
  });

  test('serving dashboard shows TTFT, inter-token latency, tokens/s, queue and KV cache', () => {
    const { configMaps } = build();
    const d = JSON.parse(
      configMaps.find((c) => c.metadata.name === 'cdktf-ai-serving-dashboard').data['cdktf-ai-serving.json'],
    );
    const exprs = d.panels.flatMap((p: any) => (p.targets ?? []).map((t: any) => t.expr)).join('\n');
    for (const m of [
      'vllm:time_to_first_token_seconds_bucket',
      'vllm:inter_token_latency_seconds_bucket',
      'vllm:generation_tokens_total',
      'vllm:num_requests_waiting',
      'vllm:kv_cache_usage_perc',
    ]) {
      expect(exprs).toContain(m);
    }
    expect(exprs).not.toContain('gpu_cache_usage_perc');
  });

  test('cost dashboard: price / 3600 x GPUs / tokens per second x 1000 per accelerator', () => {
    const { configMaps, values } = build({
      gpuHourlyPrices: [{ accelerator: Accelerator.L4, price: PRICE }],
    });
    const cm = configMaps.find((c) => c.metadata.name === 'cdktf-ai-cost-dashboard');
    const d = JSON.parse(cm.data['cdktf-ai-cost.json']);
    const expr: string = d.panels.find((p: any) => p.title === 'L4: USD per 1,000 generated tokens')
      .targets[0].expr;
    expect(expr).toMatch(
      /^\(0\.8 \/ 3600\) \* sum\(kube_pod_container_resource_requests\{resource="nvidia_com_gpu"/,
    );
    expect(expr).toContain('kube_pod_labels{label_cdktf_ai_infra_accelerator="l4"}');
    expect(expr).toMatch(/rate\(vllm:generation_tokens_total\[5m\]\).*\) \* 1000$/);
    expect(values['kube-state-metrics'].metricLabelsAllowlist).toEqual([
      'pods=[cdktf-ai-infra/accelerator,app.kubernetes.io/instance]',
    ]);
  });

  test('gpuHourlyPriceOf divides a shape price by its GPUs', () => {
    const shape: GpuShape = {
      name: 'g6e.12xlarge',
      accelerator: Accelerator.L40S,
      gpuCount: 4,
      vcpus: 48,
      memoryGiB: 384,
      onDemandPrice: { ...PRICE, usd: 10 },
    };
    expect(gpuHourlyPriceOf(shape).price.usd).toBe(2.5);
  });

  test('gpuHourlyPriceOf throws for a shape without a catalogue price', () => {
    const shape: GpuShape = {
      name: 'custom-8xl4',
      accelerator: Accelerator.L4,
      gpuCount: 8,
      vcpus: 96,
      memoryGiB: 384,
    };
    expect(() => gpuHourlyPriceOf(shape)).toThrow(/GPU shape 'custom-8xl4' has no onDemandPrice/);
  });

  test('throws on a non-positive GPU price', () => {
    expect(() =>
      build({ gpuHourlyPrices: [{ accelerator: Accelerator.L4, price: { ...PRICE, usd: 0 } }] }),
    ).toThrow(/'gpuHourlyPrices' for L4: 'usd' \(0\) must be > 0/);
  });

  test('throws on a duplicate accelerator price', () => {
    expect(() =>
      build({
        gpuHourlyPrices: [
          { accelerator: Accelerator.L4, price: PRICE },
          { accelerator: Accelerator.L4, price: PRICE },
        ],
      }),
    ).toThrow(/lists L4 twice/);
  });

  test('reads receiver credentials from mounted Secrets with *_file fields', () => {
    const { values } = build({ receivers: RECEIVERS });
    const am = values.alertmanager;
    expect(am.alertmanagerSpec.secrets).toEqual(['alerting', 'slack', 'smtp']);
    const critical = am.config.receivers.find((r: any) => r.name === 'critical');
    expect(critical.pagerduty_configs[0].routing_key_file).toBe(
      '/etc/alertmanager/secrets/alerting/pagerduty',
    );
    expect(critical.opsgenie_configs[0].api_key_file).toBe('/etc/alertmanager/secrets/alerting/opsgenie');
    const warning = am.config.receivers.find((r: any) => r.name === 'warning');
    expect(warning.slack_configs[0]).toMatchObject({
      api_url_file: '/etc/alertmanager/secrets/slack/url',
      channel: '#ml-alerts',
    });
    expect(warning.email_configs[0]).toMatchObject({
      to: 'oncall@example.com',
      auth_username: 'alerts',
      auth_password_file: '/etc/alertmanager/secrets/smtp/password',
    });
    expect(JSON.stringify(values)).not.toMatch(/hooks\.slack\.com/);
  });

  test('routes by severity', () => {
    const { values } = build({ receivers: RECEIVERS });
    const routes = values.alertmanager.config.route.routes;
    expect(routes).toContainEqual({
      receiver: 'critical',
      matchers: [`severity = "${AlertSeverity.CRITICAL}"`],
    });
    expect(routes).toContainEqual({ receiver: 'warning', matchers: ['severity = "warning"'] });
    expect(routes).toContainEqual({ receiver: 'info', matchers: ['severity = "info"'] });
  });

  test('critical goes to Slack and email when there is no pager', () => {
    const { values } = build({ receivers: { slack: RECEIVERS.slack, email: RECEIVERS.email } });
    const critical = values.alertmanager.config.receivers.find((r: any) => r.name === 'critical');
    expect(critical.slack_configs).toBeDefined();
    expect(critical.email_configs).toBeDefined();
  });

  test('warns when alerts are not routed anywhere', () => {
    const { platform } = build();
    expect(warningsOf(platform).join('\n')).toMatch(/k8s-alerts-not-routed/);
  });

  test('does not warn about routing when the rules are evaluated elsewhere (empty rule set)', () => {
    const { platform } = build({ alertRules: AlertRuleSet.defaults({ groups: [] }) });
    expect(warningsOf(platform).join('\n')).not.toMatch(/k8s-alerts-not-routed/);
  });

  test('warns about the default Grafana password and uses a Secret when given', () => {
    const { platform } = build();
    expect(warningsOf(platform).join('\n')).toMatch(/k8s-grafana-default-password/);
    const { values } = build({ grafanaAdminSecret: { name: 'grafana-admin' } });
    expect(values.grafana.admin).toEqual({
      existingSecret: 'grafana-admin',
      userKey: 'admin-user',
      passwordKey: 'admin-password',
    });
  });

  test('throws when email auth is half configured', () => {
    expect(() => build({ receivers: { email: { ...RECEIVERS.email!, passwordSecret: undefined } } })).toThrow(
      /'receivers.email.username' and 'receivers.email.passwordSecret' go together/,
    );
  });

  test('throws when email has no recipients', () => {
    expect(() => build({ receivers: { email: { ...RECEIVERS.email!, to: [] } } })).toThrow(
      /'receivers.email.to' is empty/,
    );
  });

  test('throws on a release name starting with a digit (it prefixes the chart Services)', () => {
    expect(() => build({ releaseName: '1-monitoring' })).toThrow(
      /'releaseName' \('1-monitoring'\) .*start with a letter/,
    );
  });

  test('throws when the release name is longer than the chart allows', () => {
    expect(() => build({ releaseName: 'a-very-long-monitoring-release' })).toThrow(
      /'releaseName' .* at most 26/,
    );
  });

  test('defaults to 15 days retention and no persistent volume', () => {
    const { values } = build();
    expect(values.prometheus.prometheusSpec.retention).toBe('15d');
    expect(values.prometheus.prometheusSpec.storageSpec).toBeUndefined();
  });

  test('adds a Prometheus volume when asked', () => {
    const { values } = build({ prometheusStorageGiB: 100 });
    expect(
      values.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage,
    ).toBe('100Gi');
  });

  test('throws on invalid retention', () => {
    expect(() => build({ retentionDays: 0 })).toThrow(/'retentionDays' \(0\) must be an integer >= 1/);
  });

  test('has no additional scrape targets by default', () => {
    const { values } = build();
    expect(values.prometheus.additionalServiceMonitors).toEqual([]);
  });

  test('throws on a duplicate scrape target', () => {
    const { platform } = platformAndWorkloads();
    const m = new MonitoringStack(platform, 'Monitoring');
    const t = { name: 'x', namespace: 'ns', matchLabels: { a: 'b' }, port: 'metrics' };
    m.addScrapeTarget(t);
    expect(() => m.addScrapeTarget(t)).toThrow(/a target named 'x' exists already/);
  });
});

describe('MonitoringStack remote write', () => {
  const valuesOf = (props: MonitoringStackProps): any => build(props).values;

  test('defaults to no remote write and the chart-named service account', () => {
    const v = valuesOf({});
    expect(v.prometheus.prometheusSpec.remoteWrite).toBeUndefined();
    expect(v.prometheus.serviceAccount).toBeUndefined();
  });

  test('remote-writes to Amazon Managed Prometheus with SigV4 under a named service account', () => {
    const v = valuesOf({
      remoteWrite: {
        url: 'https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-1/api/v1/remote_write',
        sigv4Region: 'us-west-2',
        serviceAccountName: 'prometheus',
      },
    });
    expect(v.prometheus.prometheusSpec.remoteWrite).toEqual([
      {
        url: 'https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-1/api/v1/remote_write',
        sigv4: { region: 'us-west-2' },
      },
    ]);
    expect(v.prometheus.serviceAccount).toEqual({ create: true, name: 'prometheus' });
  });

  test('throws when the remote-write URL is not http(s)', () => {
    const { platform } = platformAndWorkloads();
    expect(() => new MonitoringStack(platform, 'M', { remoteWrite: { url: 'ws-1' } })).toThrow(
      /'remoteWrite.url' \('ws-1'\) is not a http:\/\/ or https:\/\/ URL/,
    );
  });

  test('throws when the service account name is not a DNS label', () => {
    const { platform } = platformAndWorkloads();
    expect(
      () =>
        new MonitoringStack(platform, 'M', {
          remoteWrite: { url: 'https://x/api/v1/remote_write', serviceAccountName: 'Bad_Name' },
        }),
    ).toThrow(/remoteWrite.serviceAccountName/);
  });
});
