import { Construct, IConstruct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { parse } from 'yaml';
import {
  IGpuPlatform,
  IGrafanaMonitoringStack,
  LogDataSourceOptions,
  Loki,
  NvSentinel,
  TelemetryStorage,
  TraceBackend,
  TraceCollector,
  TraceDataSourceOptions,
} from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads } from './helpers';

// Issue 11: constructs take interfaces, so a monitoring stack or GPU platform the app does not
// create with this library (imported, or another implementation) is accepted. Each fake below
// implements only the interface.

/** A Prometheus + Grafana + Alertmanager installed by another tool. */
class ExternalMonitoring extends Construct implements IGrafanaMonitoringStack {
  public readonly releaseName = 'obs';
  public readonly namespace = 'observability';
  public readonly prometheusUrl = 'http://obs-prometheus.observability.svc:9090';
  public readonly alertmanagerUrl = 'http://obs-alertmanager.observability.svc:9093';
  public readonly selectorLabels = { release: 'obs' };
  public readonly traceSources: TraceDataSourceOptions[] = [];
  public readonly logSources: LogDataSourceOptions[] = [];
  public addScrapeTarget(): void {}
  public addTraceDataSource(options: TraceDataSourceOptions): IConstruct {
    this.traceSources.push(options);
    return this;
  }
  public addLogDataSource(options: LogDataSourceOptions): IConstruct {
    this.logSources.push(options);
    return this;
  }
}

/** A GPU Operator installed by another tool, with its standalone DCGM host engine. */
class ExternalGpuPlatform extends Construct implements IGpuPlatform {
  public readonly kedaInstalled = false;
  public readonly jobSetInstalled = false;
  public readonly kueueInstalled = false;
  public readonly namespace = 'nvidia';
  public readonly dcgmHostEngineAddress?: string;
  /** @param dcgm the DCGM host engine address; null for none */
  constructor(scope: Construct, id: string, dcgm: string | null = 'nvidia-dcgm.nvidia.svc:5555') {
    super(scope, id);
    this.dcgmHostEngineAddress = dcgm ?? undefined;
  }
}

function helmValues(stack: TerraformStack, chart: string): any {
  const release = (Object.values(resourcesOf(synthJson(stack), 'helm_release')) as any[]).find(
    (r) => r.chart === chart,
  );
  return parse(release.values[0].split('$${').join('${'));
}

describe('constructs accept objects that implement only their interfaces', () => {
  test('TraceCollector: any IGrafanaMonitoringStack scrapes the collector and gets the Tempo data source', () => {
    const { platform } = platformAndWorkloads();
    const monitoring = new ExternalMonitoring(platform, 'Obs');
    new TraceCollector(platform, 'Traces', {
      monitoring,
      backends: [
        TraceBackend.tempo({
          otlpEndpoint: 'tempo-distributor.tracing.svc:4317',
          queryUrl: 'http://tempo-query-frontend.tracing.svc:3200',
        }),
      ],
    });
    const values = helmValues(platform, 'opentelemetry-collector');
    expect(values.serviceMonitor).toEqual({ enabled: true, extraLabels: { release: 'obs' } });
    expect(monitoring.traceSources).toEqual([{ url: 'http://tempo-query-frontend.tracing.svc:3200' }]);
  });

  test('Loki: any IGrafanaMonitoringStack is scraped, routes log alerts to its Alertmanager and gets the data source', () => {
    const { platform } = platformAndWorkloads();
    const monitoring = new ExternalMonitoring(platform, 'Obs');
    const loki = new Loki(platform, 'Loki', {
      storage: TelemetryStorage.gcs({ bucket: 'acme-logs' }),
      monitoring,
    });
    const values = helmValues(platform, 'loki');
    expect(values.monitoring).toEqual({ serviceMonitor: { enabled: true, labels: { release: 'obs' } } });
    expect(values.loki.rulerConfig.alertmanager_url).toBe('http://obs-alertmanager.observability.svc:9093');
    expect(monitoring.logSources).toEqual([{ url: loki.url }]);
  });

  test('NvSentinel: any IGpuPlatform with a standalone DCGM host engine', () => {
    const { platform } = platformAndWorkloads();
    new NvSentinel(platform, 'NvSentinel', {
      platform: new ExternalGpuPlatform(platform, 'Gpu'),
      monitoring: new ExternalMonitoring(platform, 'Obs'),
      trainingNamespaces: ['training'],
    });
    const values = helmValues(platform, 'nvsentinel');
    expect(values.global.dcgm).toEqual({
      mode: 'operator-service',
      service: { endpoint: 'nvidia-dcgm.nvidia.svc', port: 5555 },
    });
  });

  test('NvSentinel: an IGpuPlatform without a DCGM host engine address is refused', () => {
    const { platform } = platformAndWorkloads();
    const gpu = new ExternalGpuPlatform(platform, 'Gpu', null);
    expect(() => new NvSentinel(platform, 'NvSentinel', { platform: gpu })).toThrow(
      /'platform' \(platform\/Gpu\) runs no standalone DCGM host engine \(its 'dcgmHostEngineAddress' is unset\)/,
    );
  });

  test("NvSentinel: an IGpuPlatform whose DCGM address is not 'host:port' is refused", () => {
    const { platform } = platformAndWorkloads();
    const gpu = new ExternalGpuPlatform(platform, 'Gpu', 'http://nvidia-dcgm:5555');
    expect(() => new NvSentinel(platform, 'NvSentinel', { platform: gpu })).toThrow(
      /dcgmHostEngineAddress 'http:\/\/nvidia-dcgm:5555', which is not 'host:port'/,
    );
  });

  test("NvSentinel: the platform's namespace is one the node drainer never drains", () => {
    const { platform } = platformAndWorkloads();
    expect(
      () =>
        new NvSentinel(platform, 'NvSentinel', {
          platform: new ExternalGpuPlatform(platform, 'Gpu'),
          trainingNamespaces: ['nvidia'],
        }),
    ).toThrow(/'trainingNamespaces\[0\]' \('nvidia'\) is a system namespace/);
  });
});
