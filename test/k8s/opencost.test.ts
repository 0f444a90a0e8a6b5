import { parse } from 'yaml';
import { Accelerator, COST_ALLOCATION_SERIES, ValidationError } from '../../lib/core';
import {
  MonitoringStack,
  OPENCOST_DEFAULT_PRICES,
  OPS_HELM_CHARTS,
  OpenCost,
  OpenCostProps,
} from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads, warningsOf } from './helpers';

const L4 = {
  accelerator: Accelerator.L4,
  price: { usd: 0.8, region: 'us-east-1', asOf: '2026-08-01', source: 't' },
};
const H100 = {
  accelerator: Accelerator.H100,
  price: { usd: 6.88, region: 'us-east-1', asOf: '2026-08-01', source: 't' },
};

function build(props: Partial<OpenCostProps> = {}, monitoringProps = {}) {
  const { platform } = platformAndWorkloads();
  const monitoring = new MonitoringStack(platform, 'Monitoring', monitoringProps);
  const oc = new OpenCost(platform, 'OpenCost', { monitoring, gpuHourlyPrices: [L4], ...props });
  const json = synthJson(platform);
  const releases = Object.values(resourcesOf(json, 'helm_release')) as any[];
  const release = releases.find((r) => r.chart === 'opencost');
  const kps = releases.find((r) => r.chart === 'kube-prometheus-stack');
  return { oc, json, release, values: parse(release.values[0]), kps: parse(kps.values[0]), platform };
}

describe('OpenCost', () => {
  test('installs the pinned chart in its own restricted namespace', () => {
    const { release, json } = build();
    expect(release).toMatchObject({
      name: 'opencost',
      namespace: 'opencost',
      chart: 'opencost',
      repository: 'https://opencost.github.io/opencost-helm-chart',
      version: OPS_HELM_CHARTS.openCost.version,
    });
    const ns: any = Object.values(resourcesOf(json, 'kubernetes_namespace_v1'))[0];
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('prices GPUs from the catalogue price given and CPU and memory at OpenCost’s defaults', () => {
    const { values } = build();
    expect(values.opencost.customPricing).toMatchObject({ enabled: true, provider: 'custom' });
    expect(values.opencost.customPricing.costModel).toMatchObject({
      GPU: '0.8',
      CPU: String(OPENCOST_DEFAULT_PRICES.cpuCoreHourlyUsd),
      RAM: String(OPENCOST_DEFAULT_PRICES.memoryGiBHourlyUsd),
    });
  });

  test('uses the highest GPU price with several accelerators, and warns', () => {
    const { values, platform } = build({ gpuHourlyPrices: [L4, H100] });
    expect(values.opencost.customPricing.costModel.GPU).toBe('6.88');
    expect(warningsOf(platform).join('\n')).toMatch(/k8s-opencost-one-gpu-price/);
  });

  test('queries and is scraped by the monitoring stack’s Prometheus', () => {
    const { values } = build();
    expect(values.opencost.prometheus.internal).toEqual({
      enabled: true,
      serviceName: 'kube-prometheus-stack-prometheus',
      namespaceName: 'monitoring',
      port: 9090,
    });
    expect(values.opencost.metrics.serviceMonitor).toEqual({
      enabled: true,
      additionalLabels: { release: 'kube-prometheus-stack' },
    });
  });

  test('runs non-root without capabilities, UI off', () => {
    const { values } = build();
    expect(values.podSecurityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(values.opencost.exporter.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(values.opencost.ui).toEqual({ enabled: false });
  });

  test('a billing export turns on Cloud Costs from the named Secret (default: none)', () => {
    expect(build().values.opencost.cloudCost).toBeUndefined();
    const { values } = build({ billingExportSecret: 'cloud-integration' });
    expect(values.opencost.cloudIntegrationSecret).toBe('cloud-integration');
    expect(values.opencost.cloudCost).toEqual({ enabled: true });
  });

  test.each([
    ['no GPU price', { gpuHourlyPrices: [] }, /'gpuHourlyPrices' is empty/],
    ['a zero GPU price', { gpuHourlyPrices: [{ ...L4, price: { ...L4.price, usd: 0 } }] }, /usd/],
    [
      'a GPU price without an Accelerator',
      { gpuHourlyPrices: [{ ...L4, accelerator: 'l4' as any }] },
      /Accelerator/,
    ],
    ['a negative CPU price', { cpuCoreHourlyUsd: -1 }, /cpuCoreHourlyUsd/],
    ['a memory price that is not a number', { memoryGiBHourlyUsd: 'x' as any }, /memoryGiBHourlyUsd/],
    ['an invalid Secret name', { billingExportSecret: 'Cloud_Integration' }, /billingExportSecret/],
    ['an invalid namespace', { namespace: 'Open-Cost' }, /namespace/],
  ])('throws a ValidationError on %s', (_name, props, message) => {
    const make = () => build(props as Partial<OpenCostProps>);
    expect(make).toThrow(ValidationError);
    expect(make).toThrow(message);
  });
});

describe('MonitoringStack costAllocation', () => {
  test('adds the cost-allocation recording rules, the namespace team label and a dashboard', () => {
    const { kps, json } = build({}, { costAllocation: { teamLabel: 'example.com/team' } });
    const group = kps.additionalPrometheusRulesMap['cdktf-ai-infra-cost'].groups[0];
    expect(group.name).toBe('cost-allocation');
    expect(group.rules.map((r: any) => r.record)).toContain(COST_ALLOCATION_SERIES.modelCostPerMillionTokens);
    expect(kps['kube-state-metrics'].metricLabelsAllowlist).toContain('namespaces=[example.com/team]');
    const maps = Object.values(resourcesOf(json, 'kubernetes_config_map_v1')) as any[];
    expect(maps.map((m) => m.metadata.name)).toContain('cdktf-ai-cost-allocation-dashboard');
  });

  test('defaults to no cost-allocation rules', () => {
    const { kps } = build();
    expect(kps.additionalPrometheusRulesMap['cdktf-ai-infra-cost']).toBeUndefined();
    expect(kps['kube-state-metrics'].metricLabelsAllowlist).toHaveLength(1);
  });

  test('throws a ValidationError on an invalid team label', () => {
    expect(() => build({}, { costAllocation: { teamLabel: 'a b' } })).toThrow(ValidationError);
  });

  test('with recordingRules false (a managed Prometheus records), exports the team label but records nothing', () => {
    const { kps, json } = build({}, { costAllocation: { teamLabel: 'team', recordingRules: false } });
    expect(kps.additionalPrometheusRulesMap['cdktf-ai-infra-cost']).toBeUndefined();
    expect(kps['kube-state-metrics'].metricLabelsAllowlist).toContain('namespaces=[team]');
    const maps = Object.values(resourcesOf(json, 'kubernetes_config_map_v1')) as any[];
    expect(maps.map((m) => m.metadata.name)).not.toContain('cdktf-ai-cost-allocation-dashboard');
  });

  test('recordingRules defaults to true', () => {
    const { kps } = build({}, { costAllocation: {} });
    expect(kps.additionalPrometheusRulesMap['cdktf-ai-infra-cost']).toBeDefined();
  });

  test('throws a ValidationError on a recordingRules that is not a boolean', () => {
    expect(() => build({}, { costAllocation: { recordingRules: 'no' as unknown as boolean } })).toThrow(
      ValidationError,
    );
  });
});
