import { Release } from '@cdktf/provider-helm/lib/release';
import { Construct } from 'constructs';
import { Validate } from '../core';
import { IMonitoringStack } from './interfaces';
import { PodSecurityLevel } from './pod-security';
import { toYaml } from './private/common';
import { addPinnedRelease } from './private/helm-release';
import {
  checkTelemetryStorage,
  opsNamespace,
  opsResources,
  opsServiceAccountValues,
  opsStoreSettings,
  retentionHours,
} from './private/telemetry';
import { TelemetryStorage, TelemetryStorageKind } from './telemetry-storage';
import { OTLP_GRPC_PORT, TraceBackend } from './tracing';
import { OPS_HELM_CHARTS } from './versions';

/** Tempo's HTTP port (query API, `/ready`, metrics). */
export const TEMPO_HTTP_PORT = 3200;

/** Properties of a {@link Tempo}. */
export interface TempoProps {
  /** Where trace blocks are kept: S3, GCS (with the pod's cloud identity) or the pod's volume. */
  readonly storage: TelemetryStorage;
  /**
   * Days a trace is kept (the compactor's `block_retention`).
   * @default 14
   */
  readonly retentionDays?: number;
  /**
   * Namespace (created, Pod Security `restricted`).
   * @default 'tracing'
   */
  readonly namespace?: string;
  /**
   * Helm release name: also the Service, StatefulSet and service account name.
   * @default 'tempo'
   */
  readonly releaseName?: string;
  /**
   * Size of the pod's persistent volume, GiB: the write-ahead log and, with
   * `TelemetryStorage.volume()`, every trace block.
   * @default 10
   */
  readonly volumeSizeGiB?: number;
  /**
   * StorageClass of the volume.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * Memory limit of the Tempo pod, MiB (half of it is requested).
   * @default 2048
   */
  readonly memoryMiB?: number;
  /**
   * The monitoring stack: Tempo's own metrics are scraped (the chart's ServiceMonitor).
   * @default - not scraped
   */
  readonly monitoring?: IMonitoringStack;
  /**
   * Annotations of Tempo's service account (IRSA `eks.amazonaws.com/role-arn` instead of Pod
   * Identity, or a GKE `iam.gke.io/gcp-service-account`).
   * @default - none
   */
  readonly serviceAccountAnnotations?: Record<string, string>;
}

/**
 * Grafana Tempo (pinned single-binary `tempo` chart from grafana-community/helm-charts) as the
 * trace store of a {@link TraceCollector}: OTLP/gRPC in on 4317, trace blocks in S3 or GCS (the
 * pod's cloud identity, no keys) or on its volume, a retention enforced by Tempo's compactor, and
 * the query API on 3200 for Grafana.
 *
 * - One replica (a StatefulSet with a persistent volume for the write-ahead log): single binary is
 *   not highly available; the collector's OTLP exporter queues and retries while Tempo restarts.
 * - The pod meets Pod Security `restricted` (UID 10001 of the image, read-only root, no
 *   capabilities, RuntimeDefault seccomp) and its namespace enforces it.
 * - Usage reporting to Grafana Labs is off; the chart's Jaeger receivers stay on (in-cluster
 *   ClusterIP only): removing them breaks the chart's Service template.
 *
 * Use it through `tempo.traceBackend()`: the collector exports to it and, with a monitoring
 * stack, adds the Grafana data source the serving dashboard links to.
 *
 * @see https://github.com/grafana-community/helm-charts/tree/main/charts/tempo
 * @example
 * const tempo = new Tempo(platform, 'Tempo', {
 *   storage: TelemetryStorage.s3({ bucket: 'acme-traces', region: 'us-west-2' }),
 * });
 * new TraceCollector(platform, 'Traces', { backends: [tempo.traceBackend()], monitoring });
 */
export class Tempo extends Construct {
  /** The Helm release. */
  public readonly resource: Release;
  /** Namespace. */
  public readonly namespace: string;
  /** Service account Tempo runs under (bind the bucket's cloud role to it). */
  public readonly serviceAccountName: string;
  /** OTLP/gRPC ingest endpoint, `host:port`. */
  public readonly otlpEndpoint: string;
  /** Query URL for Grafana. */
  public readonly queryUrl: string;
  /** Retention as Tempo reads it (`block_retention`), for example `336h`. */
  public readonly retention: string;
  /** The Tempo configuration this construct sets (`tempo.storage`). */
  public readonly storageConfig: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: TempoProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    const storage = checkTelemetryStorage(this, props.storage);
    this.retention = retentionHours(this, props.retentionDays ?? 14);
    const store = opsStoreSettings(this, props, {
      namespace: 'tracing',
      release: 'tempo',
      maxReleaseLength: 53,
      memoryMiB: 2048,
      minMemoryMiB: 256,
    });
    const { release, volumeGiB, memoryMiB, serviceAccountAnnotations: saAnnotations } = store;
    this.namespace = store.namespace;
    this.serviceAccountName = release;

    const host = `${release}.${this.namespace}.svc`;
    this.otlpEndpoint = `${host}:${OTLP_GRPC_PORT}`;
    this.queryUrl = `http://${host}:${TEMPO_HTTP_PORT}`;
    this.storageConfig = { trace: { ...traceStorage(storage), wal: { path: '/var/tempo/wal' } } };

    const ns = opsNamespace(this, this.namespace, PodSecurityLevel.RESTRICTED);
    const values = {
      fullnameOverride: release,
      replicas: 1,
      tempo: {
        retention: this.retention,
        // The ballast predates GOMEMLIMIT; it only inflates the pod's virtual memory.
        memBallastSizeMbs: 0,
        reportingEnabled: false,
        storage: this.storageConfig,
        resources: opsResources('500m', memoryMiB),
        securityContext: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
        },
      },
      // The pod's securityContext (the chart's top-level key).
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 10001,
        runAsGroup: 10001,
        fsGroup: 10001,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      serviceAccount: opsServiceAccountValues(release, saAnnotations),
      // /var/tempo: the write-ahead log (and the blocks of a volume-only Tempo).
      persistence: {
        enabled: true,
        size: `${volumeGiB}Gi`,
        ...(props.storageClassName ? { storageClassName: props.storageClassName } : {}),
      },
      ...(props.monitoring
        ? { serviceMonitor: { enabled: true, additionalLabels: { ...props.monitoring.selectorLabels } } }
        : {}),
    };
    this.resource = addPinnedRelease(this, {
      name: store.release,
      namespace: store.namespace,
      chart: OPS_HELM_CHARTS.tempo,
      values: toYaml(values),
      dependsOn: [ns],
    });
    this.node.defaultChild = this.resource;
  }

  /**
   * The {@link TraceBackend} that sends spans to this Tempo (OTLP/gRPC without TLS inside the
   * cluster) and gives Grafana its query URL.
   */
  public traceBackend(): TraceBackend {
    return TraceBackend.tempo({ otlpEndpoint: this.otlpEndpoint, queryUrl: this.queryUrl, insecure: true });
  }
}

/** Tempo's `storage.trace` backend settings (tempodb backend configs at Tempo 2.10). */
function traceStorage(storage: TelemetryStorage): Record<string, unknown> {
  switch (storage.kind) {
    case TelemetryStorageKind.S3:
      // Tempo's S3 backend needs an endpoint; credentials come from the pod's identity.
      return {
        backend: 's3',
        s3: { bucket: storage.bucket, endpoint: storage.s3Endpoint, region: storage.region },
      };
    case TelemetryStorageKind.GCS:
      return { backend: 'gcs', gcs: { bucket_name: storage.bucket } };
    default:
      return { backend: 'local', local: { path: '/var/tempo/traces' } };
  }
}
