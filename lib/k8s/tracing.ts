import { Release } from '@cdktf/provider-helm/lib/release';
import { Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import {
  deferDeprecation,
  raiseDeferredDeprecations,
  renamedOption,
  Validate,
  ValidationError,
} from '../core';
import { IGrafanaMonitoringStack, IMonitoringStack, ITraceCollector } from './interfaces';
import { PodSecurityLevel } from './pod-security';
import { PodEnvVar } from './pod-spec';
import { toYaml } from './private/common';
import { addPinnedRelease } from './private/helm-release';
import {
  opsNamespace,
  opsReleaseNames,
  opsResources,
  opsServiceAccountAnnotations,
  opsServiceAccountValues,
} from './private/telemetry';
import { OPS_HELM_CHARTS, OPS_IMAGES } from './versions';

/** Where a {@link TraceCollector} sends the spans it receives. */
export enum TraceBackendKind {
  /** Grafana Tempo (any cluster), over OTLP/gRPC. */
  TEMPO = 'tempo',
  /** AWS X-Ray (EKS), through the collector's `awsxray` exporter and an EKS Pod Identity role. */
  AWS_XRAY = 'aws-xray',
  /** Google Cloud Trace (GKE), through the collector's `googlecloud` exporter and Workload Identity. */
  GOOGLE_CLOUD_TRACE = 'google-cloud-trace',
}

/** Options of {@link TraceBackend.tempo}. */
export interface TempoBackendOptions {
  /**
   * Tempo's OTLP/gRPC ingest endpoint, `host:port`, for example the distributor of the
   * `tempo-distributed` chart: `tempo-distributor.tracing.svc:4317`.
   */
  readonly otlpEndpoint: string;
  /**
   * Send without TLS.
   * @default - true for an in-cluster Service name (`*.svc` or `*.svc.cluster.local`), false otherwise
   */
  readonly insecure?: boolean;
  /**
   * Tempo's HTTP query API for Grafana, for example `http://tempo-query-frontend.tracing.svc:3200`.
   * With a monitoring stack it becomes a Grafana data source and the serving dashboard links to it.
   * @default - no Grafana data source
   */
  readonly queryUrl?: string;
}

/** Options of {@link TraceBackend.awsXRay}. */
export interface AwsXRayBackendOptions {
  /** AWS region of the X-Ray segments, for example `us-east-1`. */
  readonly region: string;
}

/** Options of {@link TraceBackend.googleCloudTrace}. */
export interface GoogleCloudTraceBackendOptions {
  /** Project id the traces are written to. Required (or its deprecated alias `projectId`). */
  readonly project?: string;
  /**
   * @deprecated renamed `project` (its name in every module); warns `deprecated-api` on the
   * collector that uses the backend, removed in the next minor release
   */
  readonly projectId?: string;
}

/**
 * A trace backend: the collector exporter it needs and what the cloud must grant.
 *
 * - {@link TraceBackend.tempo}: OTLP/gRPC to Tempo, no cloud identity.
 * - {@link TraceBackend.awsXRay}: the contrib `awsxray` exporter; create the Pod Identity role with
 *   `aws.TraceExportRole` for the collector's service account.
 * - {@link TraceBackend.googleCloudTrace}: the contrib `googlecloud` exporter; grant
 *   `roles/cloudtrace.agent` to the collector's service account with `gcp.TraceExportGrant`.
 */
export class TraceBackend {
  /** Grafana Tempo on any cluster. */
  public static tempo(options: TempoBackendOptions): TraceBackend {
    Validate.object(undefined, 'TraceBackend.tempo options', options);
    const endpoint = Validate.string(undefined, 'TraceBackend.tempo otlpEndpoint', options.otlpEndpoint);
    if (!Token.isUnresolved(endpoint) && !/^[A-Za-z0-9.-]+:\d{1,5}$/.test(endpoint)) {
      throw new ValidationError(
        `'otlpEndpoint' ('${endpoint}') must be host:port without a scheme, for example 'tempo-distributor.tracing.svc:4317'.`,
        undefined,
        'url',
      );
    }
    if (options.insecure !== undefined)
      Validate.boolean(undefined, 'TraceBackend.tempo insecure', options.insecure);
    if (options.queryUrl !== undefined) {
      Validate.url(undefined, 'TraceBackend.tempo queryUrl', options.queryUrl, {
        schemes: ['http', 'https'],
      });
    }
    const inCluster = /\.svc(\.cluster\.local)?:\d+$/.test(endpoint);
    const insecure = options.insecure ?? inCluster;
    return new TraceBackend(
      TraceBackendKind.TEMPO,
      'otlp/tempo',
      { endpoint, tls: { insecure } },
      options.queryUrl,
    );
  }

  /** AWS X-Ray (EKS with Pod Identity). */
  public static awsXRay(options: AwsXRayBackendOptions): TraceBackend {
    Validate.object(undefined, 'TraceBackend.awsXRay options', options);
    Validate.awsRegion(undefined, 'TraceBackend.awsXRay region', options.region);
    return new TraceBackend(TraceBackendKind.AWS_XRAY, 'awsxray', { region: options.region });
  }

  /** Google Cloud Trace (GKE with Workload Identity). */
  public static googleCloudTrace(options: GoogleCloudTraceBackendOptions): TraceBackend {
    Validate.object(undefined, 'TraceBackend.googleCloudTrace options', options);
    const renamed = renamedOption(
      'TraceBackend.googleCloudTrace',
      'projectId',
      options.projectId,
      'project',
      options.project,
    );
    Validate.gcpProjectId(undefined, 'TraceBackend.googleCloudTrace project', renamed.value);
    const backend = new TraceBackend(TraceBackendKind.GOOGLE_CLOUD_TRACE, 'googlecloud', {
      project: renamed.value,
    });
    deferDeprecation(backend, renamed.deprecation);
    return backend;
  }

  private constructor(
    /** Which backend. */
    public readonly kind: TraceBackendKind,
    /** The collector exporter's id in the configuration. */
    public readonly exporterId: string,
    /** The exporter's configuration. */
    public readonly exporterConfig: Readonly<Record<string, unknown>>,
    /** Tempo's query URL for Grafana, when known. */
    public readonly queryUrl?: string,
  ) {}
}

/** Properties of a {@link TraceCollector}. */
export interface TraceCollectorProps {
  /** Where the spans go; one or more backends (each trace is sent to all). */
  readonly backends: TraceBackend[];
  /**
   * Fraction of new traces the workloads sample (`OTEL_TRACES_SAMPLER=parentbased_traceidratio`):
   * 0 to 1. A request that arrives with a sampled `traceparent` is traced whatever the ratio.
   * @default 0.1
   */
  readonly samplingRatio?: number;
  /**
   * Namespace (created, Pod Security `restricted`).
   * @default 'observability'
   */
  readonly namespace?: string;
  /**
   * Helm release name: also the name of the Service, the Deployment and the service account.
   * @default 'otel-collector'
   */
  readonly releaseName?: string;
  /**
   * Collector replicas (a Deployment behind a Service).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Memory limit of each collector, MiB; `memory_limiter` starts refusing spans at 80% of it.
   * @default 1024
   */
  readonly memoryMiB?: number;
  /**
   * The monitoring stack (a `MonitoringStack`, or any `IGrafanaMonitoringStack`): the collector's
   * own metrics are scraped (a ServiceMonitor), and a Tempo backend with a `queryUrl` becomes a
   * Grafana data source the serving dashboard links to.
   * @default - the collector's metrics are not scraped
   */
  readonly monitoring?: IGrafanaMonitoringStack;
  /**
   * Annotations of the collector's service account (IRSA instead of Pod Identity, for example).
   * @default - none
   */
  readonly serviceAccountAnnotations?: Record<string, string>;
}

/** OTLP/gRPC port of the collector's Service. */
export const OTLP_GRPC_PORT = 4317;
/** OTLP/HTTP port of the collector's Service. */
export const OTLP_HTTP_PORT = 4318;

/**
 * An OpenTelemetry Collector (pinned `opentelemetry-collector` chart, contrib image) that receives
 * OTLP traces from model servers, endpoint pickers and training jobs and exports them to Tempo,
 * AWS X-Ray or Google Cloud Trace.
 *
 * - Deployment mode (no host ports), two replicas by default, pods that pass Pod Security
 *   `restricted` (non-root UID 10001 of the image, read-only root, no capabilities, RuntimeDefault
 *   seccomp), a namespace labelled to enforce it;
 * - the whole collector configuration is written by this construct (`alternateConfig`: no chart
 *   defaults merged in), with only the OTLP receiver, `memory_limiter` and `batch` processors,
 *   the backends' exporters and the `health_check` extension the chart's probes call;
 * - the Jaeger and Zipkin receivers and ports of the chart's default configuration are off.
 *
 * Pass the collector as `tracing` to `ModelServer`, `InferencePool` and `TrainingJob`.
 *
 * @see https://github.com/open-telemetry/opentelemetry-helm-charts/tree/main/charts/opentelemetry-collector
 * @example
 * const traces = new TraceCollector(platform, 'Traces', {
 *   backends: [TraceBackend.tempo({ otlpEndpoint: 'tempo-distributor.tracing.svc:4317' })],
 * });
 * new ModelServer(workloads, 'Llama', { ...props, tracing: traces });
 */
export class TraceCollector extends Construct implements ITraceCollector {
  /** The Helm release. */
  public readonly resource: Release;
  /** The namespace. */
  public readonly namespace: string;
  /** The collector's service account name (bind cloud roles to it). */
  public readonly serviceAccountName: string;
  /** OTLP/gRPC endpoint. */
  public readonly otlpGrpcEndpoint: string;
  /** OTLP/HTTP base endpoint. */
  public readonly otlpHttpEndpoint: string;
  /** Sampling ratio the workloads apply. */
  public readonly samplingRatio: number;
  /** The backends. */
  public readonly backends: readonly TraceBackend[];
  /** The collector configuration this construct writes (what the collector reads). */
  public readonly collectorConfig: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: TraceCollectorProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    const backends = Validate.array<TraceBackend>(this, 'backends', props.backends);
    backends.forEach((b, i) => {
      if (!(b instanceof TraceBackend)) {
        throw new ValidationError(
          `'backends[${i}]' must be a TraceBackend (TraceBackend.tempo(...), .awsXRay(...), .googleCloudTrace(...)).`,
          this,
          'type',
        );
      }
      raiseDeferredDeprecations(this, b);
    });
    if (backends.length === 0) {
      throw new ValidationError(
        `'backends' is empty: give at least one TraceBackend, for example TraceBackend.tempo({ otlpEndpoint: 'tempo-distributor.tracing.svc:4317' }).`,
        this,
      );
    }
    Validate.unique(this, 'backends', backends, (b) => b.kind, 'each backend kind has one exporter');
    this.backends = backends;
    this.samplingRatio = Validate.number(this, 'samplingRatio', props.samplingRatio ?? 0.1, {
      min: 0,
      max: 1,
      reason: 'a fraction of new traces',
    });
    const names = opsReleaseNames(this, props, {
      namespace: 'observability',
      release: 'otel-collector',
      maxReleaseLength: 53,
    });
    const release = names.release;
    this.namespace = names.namespace;
    this.serviceAccountName = release;
    const replicas = Validate.integer(this, 'replicas', props.replicas ?? 2, { min: 1, max: 100 });
    const memoryMiB = Validate.integer(this, 'memoryMiB', props.memoryMiB ?? 1024, {
      min: 128,
      max: 65536,
      reason: 'MiB',
    });
    const saAnnotations = opsServiceAccountAnnotations(this, props.serviceAccountAnnotations);

    const host = `${release}.${this.namespace}.svc`;
    this.otlpGrpcEndpoint = `http://${host}:${OTLP_GRPC_PORT}`;
    this.otlpHttpEndpoint = `http://${host}:${OTLP_HTTP_PORT}`;
    this.collectorConfig = collectorConfig(backends);

    const ns = opsNamespace(this, this.namespace, PodSecurityLevel.RESTRICTED);
    const monitoring: IMonitoringStack | undefined = props.monitoring;
    const off = { enabled: false };
    const values = {
      fullnameOverride: release,
      mode: 'deployment',
      replicaCount: replicas,
      image: {
        repository: OPS_IMAGES.openTelemetryCollectorContrib.repository,
        tag: OPS_IMAGES.openTelemetryCollectorContrib.tag,
      },
      command: { name: 'otelcol-contrib' },
      alternateConfig: escapeTerraform(this.collectorConfig),
      serviceAccount: opsServiceAccountValues(release, saAnnotations),
      podSecurityContext: {
        runAsNonRoot: true,
        runAsUser: 10001,
        runAsGroup: 10001,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      securityContext: {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
      },
      resources: opsResources('200m', memoryMiB),
      ports: {
        otlp: { enabled: true },
        'otlp-http': { enabled: true },
        'jaeger-compact': off,
        'jaeger-thrift': off,
        'jaeger-grpc': off,
        zipkin: off,
        metrics: { enabled: monitoring !== undefined },
      },
      podDisruptionBudget: replicas > 1 ? { enabled: true, minAvailable: 1 } : off,
      ...(monitoring
        ? { serviceMonitor: { enabled: true, extraLabels: { ...monitoring.selectorLabels } } }
        : {}),
    };
    this.resource = addPinnedRelease(this, {
      name: names.release,
      namespace: names.namespace,
      chart: OPS_HELM_CHARTS.openTelemetryCollector,
      values: toYaml(values),
      dependsOn: [ns],
    });
    this.node.defaultChild = this.resource;

    const tempo = backends.find((b) => b.kind === TraceBackendKind.TEMPO && b.queryUrl !== undefined);
    if (props.monitoring && tempo?.queryUrl) {
      props.monitoring.addTraceDataSource({ url: tempo.queryUrl });
    }
  }
}

/** Terraform reads `${` as an interpolation: `$${` is the literal the chart must receive. */
function escapeTerraform(o: unknown): unknown {
  if (typeof o === 'string') return o.split('${').join('$${');
  if (Array.isArray(o)) return o.map(escapeTerraform);
  if (o && typeof o === 'object') {
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, escapeTerraform(v)]));
  }
  return o;
}

/**
 * The collector configuration: OTLP in (gRPC and HTTP on the pod IP), `memory_limiter` then
 * `batch`, one exporter per backend, the `health_check` extension on 13133 (the chart's probes),
 * and the collector's own metrics on 8888 (the chart's `metrics` port).
 */
function collectorConfig(backends: readonly TraceBackend[]): Record<string, unknown> {
  const podIp = '${env:MY_POD_IP}';
  return {
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `${podIp}:${OTLP_GRPC_PORT}` },
          http: { endpoint: `${podIp}:${OTLP_HTTP_PORT}` },
        },
      },
    },
    processors: {
      memory_limiter: { check_interval: '5s', limit_percentage: 80, spike_limit_percentage: 25 },
      batch: {},
    },
    exporters: Object.fromEntries(backends.map((b) => [b.exporterId, b.exporterConfig])),
    extensions: { health_check: { endpoint: `${podIp}:13133` } },
    service: {
      extensions: ['health_check'],
      telemetry: {
        metrics: { readers: [{ pull: { exporter: { prometheus: { host: podIp, port: 8888 } } } }] },
      },
      pipelines: {
        traces: {
          receivers: ['otlp'],
          processors: ['memory_limiter', 'batch'],
          exporters: backends.map((b) => b.exporterId),
        },
      },
    },
  };
}

/** What a workload's OpenTelemetry SDK needs to send sampled traces to the collector. */
export interface OtelEnvOptions {
  /** `service.name` of the workload's spans. */
  readonly serviceName: string;
  /** OTLP protocol the SDK speaks. */
  readonly protocol: 'grpc' | 'http/protobuf';
  /**
   * Extra resource attributes (`OTEL_RESOURCE_ATTRIBUTES`), for example `{ 'k8s.namespace.name': 'llm' }`.
   * @default - none
   */
  readonly resourceAttributes?: Record<string, string>;
}

/**
 * The standard OpenTelemetry SDK environment for a workload that reports to `collector`: the
 * service name, the OTLP endpoint and protocol of traces, the parent-based trace-id ratio
 * sampler and resource attributes (OpenTelemetry "SDK environment variables" specification).
 */
export function otelEnv(scope: IConstruct, collector: ITraceCollector, options: OtelEnvOptions): PodEnvVar[] {
  Validate.object(scope, 'tracing', collector);
  Validate.string(scope, 'tracing.otlpGrpcEndpoint', collector.otlpGrpcEndpoint);
  Validate.number(scope, 'tracing.samplingRatio', collector.samplingRatio, { min: 0, max: 1 });
  const attrs = Object.entries(options.resourceAttributes ?? {})
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join(',');
  const endpoint =
    options.protocol === 'grpc' ? collector.otlpGrpcEndpoint : `${collector.otlpHttpEndpoint}/v1/traces`;
  return [
    { name: 'OTEL_SERVICE_NAME', value: options.serviceName },
    { name: 'OTEL_TRACES_EXPORTER', value: 'otlp' },
    { name: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', value: endpoint },
    { name: 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', value: options.protocol },
    { name: 'OTEL_TRACES_SAMPLER', value: 'parentbased_traceidratio' },
    { name: 'OTEL_TRACES_SAMPLER_ARG', value: String(collector.samplingRatio) },
    ...(attrs ? [{ name: 'OTEL_RESOURCE_ATTRIBUTES', value: attrs }] : []),
  ];
}
