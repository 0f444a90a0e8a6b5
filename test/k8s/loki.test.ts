import { parse, stringify } from 'yaml';
import { LOG_ALERT_RULES, LogAlertSource, ValidationError } from '../../lib/core';
import { fastYaml } from '../../lib/core/private/yaml';
import {
  LOKI_STREAM_JOB,
  LogShipper,
  Loki,
  LokiProps,
  MonitoringStack,
  OPS_HELM_CHARTS,
  TelemetryStorage,
  lokiLogAlertRuleGroup,
} from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads, warningsOf } from './helpers';

const GCS = TelemetryStorage.gcs({ bucket: 'acme-logs' });

function build(props: Partial<LokiProps> = {}, withMonitoring = true) {
  const { platform } = platformAndWorkloads();
  const monitoring = withMonitoring ? new MonitoringStack(platform, 'Monitoring') : undefined;
  const loki = new Loki(platform, 'Loki', { storage: GCS, monitoring, ...props });
  const json = synthJson(platform);
  const release = (Object.values(resourcesOf(json, 'helm_release')) as any[]).find((r) => r.chart === 'loki');
  const configMaps = Object.values(resourcesOf(json, 'kubernetes_config_map_v1')) as any[];
  return { loki, platform, json, release, values: parse(release.values[0]), configMaps };
}

describe('Loki', () => {
  test('installs the pinned chart, monolithic, in a namespace that enforces restricted', () => {
    const { release, values, json } = build();
    expect(release).toMatchObject({
      repository: 'https://grafana-community.github.io/helm-charts',
      chart: 'loki',
      version: OPS_HELM_CHARTS.loki.version,
      namespace: 'loki',
      name: 'loki',
    });
    const ns: any = Object.values(resourcesOf(json, 'kubernetes_namespace_v1')).find(
      (n: any) => n.metadata.name === 'loki',
    );
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(values.deploymentMode).toBe('Monolithic');
    expect(values.loki.auth_enabled).toBe(false);
    expect(values.singleBinary.replicas).toBe(1);
    expect(values.loki.commonConfig).toEqual({ replication_factor: 1 });
  });

  test('turns off the caches, gateway, canary, Helm test, rules sidecar and usage reporting; RBAC stays namespaced', () => {
    const { values } = build();
    expect(values).toMatchObject({
      chunksCache: { enabled: false },
      resultsCache: { enabled: false },
      gateway: { enabled: false },
      lokiCanary: { enabled: false },
      test: { enabled: false },
      sidecar: { rules: { enabled: false } },
      rbac: { namespaced: true },
      loki: { analytics: { reporting_enabled: false } },
    });
    expect(values.singleBinary.sidecar).toBe(false);
  });

  test('runs pods that meet Pod Security restricted', () => {
    const { values } = build();
    expect(values.loki.podSecurityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(values.loki.containerSecurityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('stores chunks and a TSDB v13 index in GCS, with retention enforced by the compactor', () => {
    const { values } = build();
    expect(values.loki.storage).toEqual({ type: 'gcs', bucketNames: { chunks: 'acme-logs' } });
    expect(values.loki.schemaConfig.configs).toEqual([
      {
        from: '2024-04-01',
        store: 'tsdb',
        object_store: 'gcs',
        schema: 'v13',
        index: { prefix: 'index_', period: '24h' },
      },
    ]);
    expect(values.loki.limits_config).toEqual({ retention_period: '720h' });
    expect(values.loki.compactor).toEqual({ retention_enabled: true, delete_request_store: 'gcs' });
  });

  test('the schema date reaches Helm (YAML 1.1) as a date string, not a timestamp', () => {
    const { release } = build();
    expect(parse(release.values[0], { version: '1.1' }).loki.schemaConfig.configs[0].from).toBe('2024-04-01');
  });

  test.each<[string, Partial<LokiProps>, boolean]>([
    ['GCS with monitoring', {}, true],
    [
      'S3 without monitoring',
      { storage: TelemetryStorage.s3({ bucket: 'acme-logs', region: 'us-west-2' }) },
      false,
    ],
    ['the volume and a storage class', { storage: TelemetryStorage.volume(), storageClassName: 'gp3' }, true],
  ])(
    'values (%s) are what yaml writes as YAML 1.1, by the fast writer, and parse back',
    (_name, props, withMonitoring) => {
      const { release } = build(props, withMonitoring);
      const emitted: string = release.values[0];
      const read = parse(emitted, { version: '1.1' });
      expect(emitted).toBe(stringify(read, { lineWidth: 0, version: '1.1' }));
      expect(fastYaml(read, { version: '1.1' })).toBe(emitted);
      expect(emitted).toMatch(/from: "2024-04-01"/);
    },
  );

  test('stores in S3 (region, no keys) or on the volume', () => {
    const s3 = build({
      storage: TelemetryStorage.s3({ bucket: 'acme-logs', region: 'us-west-2' }),
      replicas: 3,
    }).values;
    expect(s3.loki.storage).toEqual({
      type: 's3',
      bucketNames: { chunks: 'acme-logs' },
      s3: { region: 'us-west-2' },
    });
    expect(s3.loki.compactor.delete_request_store).toBe('s3');
    expect(s3.singleBinary.replicas).toBe(3);
    expect(s3.loki.commonConfig.replication_factor).toBe(3);
    const vol = build({
      storage: TelemetryStorage.volume(),
      volumeSizeGiB: 200,
      storageClassName: 'standard-rwo',
    }).values;
    expect(vol.loki.storage).toEqual({ type: 'filesystem' });
    expect(vol.loki.schemaConfig.configs[0].object_store).toBe('filesystem');
    expect(vol.singleBinary.persistence).toEqual({ size: '200Gi', storageClass: 'standard-rwo' });
  });

  test('caps the replication factor at 3', () => {
    const { values } = build({
      storage: TelemetryStorage.s3({ bucket: 'acme-logs', region: 'us-west-2' }),
      replicas: 5,
    });
    expect(values.loki.commonConfig.replication_factor).toBe(3);
  });

  test('defaults to 30 days, 4 GiB of memory, a 10 GiB volume and the service account loki', () => {
    const { values, loki } = build();
    expect(loki.retention).toBe('720h');
    expect(values.singleBinary.resources).toEqual({
      requests: { cpu: '500m', memory: '2048Mi' },
      limits: { memory: '4096Mi' },
    });
    expect(values.singleBinary.persistence).toEqual({ size: '10Gi' });
    expect(values.serviceAccount).toEqual({ create: true, name: 'loki' });
    expect(loki.url).toBe('http://loki.loki.svc:3100');
  });

  test("mounts the log alerts for the single tenant and points the ruler at the monitoring stack's Alertmanager", () => {
    const { values, configMaps, release } = build();
    const rules = configMaps.find((c) => c.metadata.name === 'loki-log-alerts');
    expect(rules.metadata.namespace).toBe('loki');
    const file = parse(rules.data['cdktf-ai-infra-log-alerts.yaml']);
    expect(file.groups[0].rules.map((r: any) => r.alert)).toEqual(
      LOG_ALERT_RULES.filter((r) => r.source === LogAlertSource.CONTAINER).map((r) => r.name),
    );
    expect(values.singleBinary.extraVolumes).toEqual([
      { name: 'log-alert-rules', configMap: { name: 'loki-log-alerts' } },
    ]);
    expect(values.singleBinary.extraVolumeMounts).toEqual([
      { name: 'log-alert-rules', mountPath: '/etc/loki/rules/fake', readOnly: true },
    ]);
    expect(values.loki.rulerConfig).toEqual({
      storage: { type: 'local', local: { directory: '/etc/loki/rules' } },
      alertmanager_url: 'http://kube-prometheus-stack-alertmanager.monitoring.svc:9093',
    });
    expect(release.depends_on).toHaveLength(2);
  });

  test('becomes a Grafana data source and is scraped', () => {
    const { values, configMaps } = build();
    const ds = configMaps.find((c) => c.metadata.name === 'cdktf-ai-loki-datasource');
    expect(ds.metadata.labels.grafana_datasource).toBe('1');
    expect(parse(ds.data['loki-datasource.yaml']).datasources).toEqual([
      { name: 'Loki', type: 'loki', uid: 'loki', access: 'proxy', url: 'http://loki.loki.svc:3100' },
    ]);
    expect(values.monitoring).toEqual({
      serviceMonitor: { enabled: true, labels: { release: 'kube-prometheus-stack' } },
    });
  });

  test('is the Fluent Bit Loki target', () => {
    const { platform } = platformAndWorkloads();
    const loki = new Loki(platform, 'Loki', { storage: GCS, logAlerts: false });
    new LogShipper(platform, 'Logs', { destinations: [loki.logDestination()] });
    const fb = (Object.values(resourcesOf(synthJson(platform), 'helm_release')) as any[]).find(
      (r) => r.chart === 'fluent-bit',
    );
    const outputs = parse(fb.values[0]).config.outputs as string;
    expect(outputs).toContain('    host loki.loki.svc\n');
    expect(outputs).toContain('    port 3100\n');
    expect(outputs).toContain(`job=${LOKI_STREAM_JOB}`);
  });

  test('with logAlerts false there is no rule ConfigMap and no warning', () => {
    const { values, configMaps, platform, loki } = build({ logAlerts: false }, false);
    expect(configMaps.find((c) => c.metadata.name === 'loki-log-alerts')).toBeUndefined();
    expect(values.singleBinary.extraVolumes).toBeUndefined();
    expect(loki.ruleGroup).toBeUndefined();
    expect(warningsOf(platform).filter((w) => w.includes('k8s-loki-alerts-not-routed'))).toEqual([]);
  });

  test('warns when the ruler has no Alertmanager, and takes an explicit one', () => {
    const none = build({}, false);
    expect(warningsOf(none.platform).some((w) => w.includes('k8s-loki-alerts-not-routed'))).toBe(true);
    expect(none.values.loki.rulerConfig.alertmanager_url).toBeUndefined();
    const url = 'http://alertmanager.ops.svc:9093';
    const explicit = build({ alertmanagerUrl: url }, false);
    expect(explicit.values.loki.rulerConfig.alertmanager_url).toBe(url);
    expect(warningsOf(explicit.platform).some((w) => w.includes('k8s-loki-alerts-not-routed'))).toBe(false);
  });

  test.each([
    ['a storage that is not a TelemetryStorage', { storage: 'gs://acme' }],
    ['two replicas on the volume', { storage: TelemetryStorage.volume(), replicas: 2 }],
    ['0 replicas', { replicas: 0 }],
    ['366000 retention days', { retentionDays: 366000 }],
    ['a volume of 0 GiB', { volumeSizeGiB: 0 }],
    ['too little memory', { memoryMiB: 128 }],
    ['an invalid namespace', { namespace: 'Loki' }],
    ['an invalid release name', { releaseName: 'Loki' }],
    ['an invalid alertmanager URL', { alertmanagerUrl: 'alertmanager:9093' }],
    ['an invalid log alert matcher', { logAlerts: { matchers: ['namespace=llm'] } }],
    ['a log alert window of 0 minutes', { logAlerts: { windowMinutes: 0 } }],
    ['an invalid StorageClass', { storageClassName: 'Fast SSD' }],
  ])('throws a ValidationError on %s', (_n, props) => {
    expect(() => build(props as Partial<LokiProps>)).toThrow(ValidationError);
  });
});

describe('lokiLogAlertRuleGroup', () => {
  test('renders each container log alert as a count of matching lines per namespace, pod and container', () => {
    const group = lokiLogAlertRuleGroup();
    expect(group.name).toBe('cdktf-ai-infra-log-alerts');
    expect(group.interval).toBe('1m');
    const oom = group.rules.find((r) => r.alert === 'EngineCudaOutOfMemory')!;
    expect(oom.expr).toBe(
      'sum by (namespace, pod, container) (count_over_time({job="fluent-bit"} |~ `CUDA out of memory|CUDA error: out of memory|torch\\.OutOfMemoryError` [5m])) > 0',
    );
    expect(oom.labels).toEqual({ severity: 'warning' });
    expect(oom.annotations.summary).toContain('{{ $labels.pod }}');
    expect(group.rules.find((r) => r.alert === 'NcclError')!.labels.severity).toBe('critical');
  });

  test('leaves out the pod-event alerts (the shipper reads no events)', () => {
    expect(lokiLogAlertRuleGroup().rules.map((r) => r.alert)).not.toContain('ContainerCrashLooping');
  });

  test('adds stream matchers and a window', () => {
    const [rule] = lokiLogAlertRuleGroup({ matchers: ['namespace="llm"'], windowMinutes: 10 }).rules;
    expect(rule.expr).toContain('{job="fluent-bit", namespace="llm"}');
    expect(rule.expr).toContain('[10m]');
  });
});
