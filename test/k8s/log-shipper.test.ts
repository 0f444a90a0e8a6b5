import { parse } from 'yaml';
import { ValidationError } from '../../lib/core';
import { LogDestination, LogShipper, LogShipperProps, MonitoringStack, OPS_HELM_CHARTS } from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads } from './helpers';

const CW = LogDestination.cloudWatch({ region: 'us-east-1', logGroupName: '/aws/eks/gpu/containers' });

function build(props: Partial<LogShipperProps> = {}, withMonitoring = false) {
  const { platform } = platformAndWorkloads();
  const monitoring = withMonitoring ? new MonitoringStack(platform, 'Monitoring') : undefined;
  new LogShipper(platform, 'Logs', { destinations: [CW], monitoring, ...props });
  const json = synthJson(platform);
  const release = (Object.values(resourcesOf(json, 'helm_release')) as any[]).find(
    (r) => r.chart === 'fluent-bit',
  );
  return { json, release, values: parse(release.values[0]) };
}

/** The [OUTPUT] sections as Fluent Bit's classic format reads them: key, space, value. */
function outputs(config: string): Array<Record<string, string>> {
  return config
    .split('[OUTPUT]')
    .slice(1)
    .map((section) =>
      Object.fromEntries(
        section
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
          .map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]),
      ),
    );
}

describe('LogShipper', () => {
  test('installs the pinned Fluent Bit chart in a privileged namespace, on every node', () => {
    const { release, values, json } = build();
    expect(release).toMatchObject({
      chart: 'fluent-bit',
      version: OPS_HELM_CHARTS.fluentBit.version,
      namespace: 'logging',
    });
    expect(values.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(values.serviceAccount).toEqual({ create: true, name: 'fluent-bit' });
    const ns: any = Object.values(resourcesOf(json, 'kubernetes_namespace_v1'))[0];
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(values.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
  });

  test('sends to CloudWatch Logs into the existing group, one stream per container', () => {
    const [o] = outputs(build().values.config.outputs);
    expect(o).toEqual({
      Name: 'cloudwatch_logs',
      Match: 'kube.*',
      region: 'us-east-1',
      log_group_name: '/aws/eks/gpu/containers',
      log_stream_prefix: 'fallback-',
      log_stream_template:
        "$kubernetes['namespace_name'].$kubernetes['pod_name'].$kubernetes['container_name']",
      auto_create_group: 'Off',
    });
  });

  test('sends to Loki with namespace, pod and container labels', () => {
    const loki = LogDestination.loki({ host: 'loki-gateway.loki.svc', tenantId: 'ml' });
    const [, o] = outputs(build({ destinations: [CW, loki] }).values.config.outputs);
    expect(o).toMatchObject({
      Name: 'loki',
      host: 'loki-gateway.loki.svc',
      port: '80',
      tls: 'Off',
      tenant_id: 'ml',
    });
    expect(o.labels).toContain("namespace=$kubernetes['namespace_name']");
  });

  test('is scraped with the monitoring stack’s labels when given (default: not)', () => {
    expect(build().values.serviceMonitor).toBeUndefined();
    expect(build({}, true).values.serviceMonitor).toEqual({
      enabled: true,
      selector: { release: 'kube-prometheus-stack' },
    });
  });

  test.each([
    ['no destination', { destinations: [] }],
    ['a destination that is not a LogDestination', { destinations: [{} as LogDestination] }],
    ['an invalid namespace', { namespace: 'Logging' }],
  ])('throws a ValidationError on %s', (_n, props) => {
    expect(() => build(props as Partial<LogShipperProps>)).toThrow(ValidationError);
  });

  test.each([
    ['an invalid region', () => LogDestination.cloudWatch({ region: 'useast1', logGroupName: '/a' })],
    [
      'a log group with a space',
      () => LogDestination.cloudWatch({ region: 'us-east-1', logGroupName: 'a b' }),
    ],
    ['a Loki host with a scheme', () => LogDestination.loki({ host: 'http://loki' })],
    ['a Loki port of 0', () => LogDestination.loki({ host: 'loki', port: 0 })],
  ])('LogDestination throws a ValidationError on %s', (_n, make) => {
    expect(make).toThrow(ValidationError);
  });
});
