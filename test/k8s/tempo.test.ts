import { parse } from 'yaml';
import { ValidationError } from '../../lib/core';
import {
  MonitoringStack,
  OPS_HELM_CHARTS,
  TelemetryStorage,
  TelemetryStorageKind,
  Tempo,
  TempoProps,
  TraceBackendKind,
  TraceCollector,
} from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads } from './helpers';

const S3 = TelemetryStorage.s3({ bucket: 'acme-traces', region: 'us-west-2' });

function build(props: Partial<TempoProps> = {}, withCollector = false) {
  const { platform } = platformAndWorkloads();
  const monitoring = withCollector ? new MonitoringStack(platform, 'Monitoring') : undefined;
  const tempo = new Tempo(platform, 'Tempo', { storage: S3, ...props });
  if (withCollector) new TraceCollector(platform, 'Traces', { backends: [tempo.traceBackend()], monitoring });
  const json = synthJson(platform);
  const release = (Object.values(resourcesOf(json, 'helm_release')) as any[]).find(
    (r) => r.chart === 'tempo',
  );
  return { tempo, json, release, values: parse(release.values[0]) };
}

describe('Tempo', () => {
  test('installs the pinned single-binary chart in a namespace that enforces restricted', () => {
    const { release, values, json } = build();
    expect(release).toMatchObject({
      repository: 'https://grafana-community.github.io/helm-charts',
      chart: 'tempo',
      version: OPS_HELM_CHARTS.tempo.version,
      namespace: 'tracing',
      name: 'tempo',
    });
    const ns: any = Object.values(resourcesOf(json, 'kubernetes_namespace_v1'))[0];
    expect(ns.metadata.name).toBe('tracing');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(release.depends_on).toEqual([expect.stringMatching(/^kubernetes_namespace_v1\./)]);
    expect(values.replicas).toBe(1);
    expect(values.tempo.reportingEnabled).toBe(false);
  });

  test('runs a pod that meets Pod Security restricted', () => {
    const { values } = build();
    expect(values.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(values.tempo.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
  });

  test('keeps trace blocks in S3 through the regional endpoint, the WAL on a 10 GiB volume', () => {
    const { values } = build();
    expect(values.tempo.storage).toEqual({
      trace: {
        backend: 's3',
        s3: { bucket: 'acme-traces', endpoint: 's3.us-west-2.amazonaws.com', region: 'us-west-2' },
        wal: { path: '/var/tempo/wal' },
      },
    });
    expect(values.persistence).toEqual({ enabled: true, size: '10Gi' });
  });

  test('keeps trace blocks in GCS or on the volume', () => {
    expect(
      build({ storage: TelemetryStorage.gcs({ bucket: 'acme-traces' }) }).values.tempo.storage.trace,
    ).toEqual({
      backend: 'gcs',
      gcs: { bucket_name: 'acme-traces' },
      wal: { path: '/var/tempo/wal' },
    });
    expect(
      build({ storage: TelemetryStorage.volume(), volumeSizeGiB: 100, storageClassName: 'gp3' }).values,
    ).toMatchObject({
      tempo: { storage: { trace: { backend: 'local', local: { path: '/var/tempo/traces' } } } },
      persistence: { enabled: true, size: '100Gi', storageClassName: 'gp3' },
    });
  });

  test('defaults to 14 days of retention, 2 GiB of memory and no scraping', () => {
    const { values, tempo } = build();
    expect(values.tempo.retention).toBe('336h');
    expect(tempo.retention).toBe('336h');
    expect(values.tempo.resources).toEqual({
      requests: { cpu: '500m', memory: '1024Mi' },
      limits: { memory: '2048Mi' },
    });
    expect(values.serviceMonitor).toBeUndefined();
    expect(values.serviceAccount).toEqual({ create: true, name: 'tempo' });
  });

  test('sets retention, memory, release, namespace and service-account annotations', () => {
    const { values, release, tempo } = build({
      retentionDays: 7,
      memoryMiB: 4096,
      releaseName: 'traces',
      namespace: 'obs',
      serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/tempo' },
    });
    expect(values.tempo.retention).toBe('168h');
    expect(values.tempo.resources.limits.memory).toBe('4096Mi');
    expect(release).toMatchObject({ name: 'traces', namespace: 'obs' });
    expect(values.serviceAccount.annotations).toEqual({
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/tempo',
    });
    expect(tempo.otlpEndpoint).toBe('traces.obs.svc:4317');
    expect(tempo.queryUrl).toBe('http://traces.obs.svc:3200');
  });

  test("is the collector's Tempo backend and the Grafana data source points at it", () => {
    const { tempo, json } = build({}, true);
    const backend = tempo.traceBackend();
    expect(backend.kind).toBe(TraceBackendKind.TEMPO);
    expect(backend.exporterConfig).toEqual({ endpoint: 'tempo.tracing.svc:4317', tls: { insecure: true } });
    const ds: any = Object.values(resourcesOf(json, 'kubernetes_config_map_v1')).find(
      (c: any) => c.metadata.name === 'cdktf-ai-tempo-datasource',
    );
    expect(parse(ds.data['tempo-datasource.yaml']).datasources[0].url).toBe('http://tempo.tracing.svc:3200');
  });

  test('with a monitoring stack, its metrics are scraped', () => {
    const { platform } = platformAndWorkloads();
    const monitoring = new MonitoringStack(platform, 'Monitoring');
    new Tempo(platform, 'Tempo', { storage: S3, monitoring });
    const release = (Object.values(resourcesOf(synthJson(platform), 'helm_release')) as any[]).find(
      (r) => r.chart === 'tempo',
    );
    expect(parse(release.values[0]).serviceMonitor).toEqual({
      enabled: true,
      additionalLabels: { release: 'kube-prometheus-stack' },
    });
  });

  test.each([
    ['a storage that is not a TelemetryStorage', { storage: { kind: 's3' } }],
    ['0 retention days', { retentionDays: 0 }],
    ['fractional retention days', { retentionDays: 1.5 }],
    ['a volume of 0 GiB', { volumeSizeGiB: 0 }],
    ['too little memory', { memoryMiB: 100 }],
    ['an invalid namespace', { namespace: 'Tracing' }],
    ['an invalid release name', { releaseName: '1tempo' }],
    ['an invalid StorageClass', { storageClassName: 'GP3' }],
    ['an invalid annotation key', { serviceAccountAnnotations: { 'a b': 'x' } }],
  ])('throws a ValidationError on %s', (_n, props) => {
    expect(() => build(props as Partial<TempoProps>)).toThrow(ValidationError);
  });
});

describe('TelemetryStorage', () => {
  test('renders the kind, bucket and region', () => {
    expect(TelemetryStorage.s3({ bucket: 'acme-logs', region: 'cn-north-1' })).toMatchObject({
      kind: TelemetryStorageKind.S3,
      bucket: 'acme-logs',
      s3Endpoint: 's3.cn-north-1.amazonaws.com.cn',
    });
    expect(TelemetryStorage.gcs({ bucket: 'acme-logs' }).s3Endpoint).toBeUndefined();
    expect(TelemetryStorage.volume().kind).toBe(TelemetryStorageKind.VOLUME);
  });

  test.each([
    ['an S3 bucket with capitals', () => TelemetryStorage.s3({ bucket: 'Acme', region: 'us-west-2' })],
    ['an invalid region', () => TelemetryStorage.s3({ bucket: 'acme', region: 'uswest2' })],
    ['a GCS bucket with a space', () => TelemetryStorage.gcs({ bucket: 'a b' })],
  ])('throws a ValidationError on %s', (_n, make) => {
    expect(make).toThrow(ValidationError);
  });
});
