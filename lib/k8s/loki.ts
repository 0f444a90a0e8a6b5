import { Release } from '@cdktf/provider-helm/lib/release';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { Construct, IConstruct } from 'constructs';
import { LOG_ALERT_RULES, LogAlertSource, Validate, ValidationError, Warnings } from '../core';
import { LOKI_STREAM_JOB, LogDestination } from './log-shipper';
import { IGrafanaMonitoringStack } from './interfaces';
import { PodSecurityLevel } from './pod-security';
import { MANAGED_BY, toYaml } from './private/common';
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
import { OPS_HELM_CHARTS } from './versions';

/** Loki's HTTP port (push API, query API, `/ready`, metrics). */
export const LOKI_HTTP_PORT = 3100;

/**
 * The tenant of a single-tenant Loki (`auth_enabled: false`): Loki stores everything, rules
 * included, under this id (grafana/loki v3.7.6 `pkg/loki/modules.go` injects the org id `fake`).
 */
export const LOKI_SINGLE_TENANT = 'fake';

/** Directory the ruler reads rule files from, one sub-directory per tenant. */
const RULES_DIRECTORY = '/etc/loki/rules';

/**
 * Start of the schema period: any past day is right for a new Loki (it stores nothing earlier).
 * Changing it on a running Loki makes the stored logs unreadable: it is a constant.
 */
const SCHEMA_FROM = '2024-04-01';

/** A Loki ruler alerting rule (the Prometheus rule format with a LogQL expression). */
export interface LokiAlertingRule {
  /** Alert name. */
  readonly alert: string;
  /** LogQL metric query; the alert fires for every series it returns. */
  readonly expr: string;
  /** Labels (`severity`). */
  readonly labels: Record<string, string>;
  /** Annotations (`summary`, `description`, `reference`). */
  readonly annotations: Record<string, string>;
}

/** A Loki ruler rule group. */
export interface LokiRuleGroup {
  /** Group name. */
  readonly name: string;
  /** Evaluation interval. */
  readonly interval: string;
  /** The rules. */
  readonly rules: LokiAlertingRule[];
}

/** Options of {@link lokiLogAlertRuleGroup}. */
export interface LokiLogAlertOptions {
  /**
   * Extra stream matchers, for example `['namespace="llm"']` (the labels `LogDestination.loki`
   * writes: `namespace`, `pod`, `container`).
   * @default - every container the shipper reads
   */
  readonly matchers?: string[];
  /**
   * Window each rule counts matching lines over, minutes.
   * @default 5
   */
  readonly windowMinutes?: number;
}

/**
 * The core log alerts (`LOG_ALERT_RULES`) as a Loki ruler group: for each alert on container
 * output, a LogQL query counting the lines that match its pattern per namespace, pod and
 * container over the window (`count_over_time` of the `{job="fluent-bit"}` streams filtered
 * with `|~` and the pattern as a raw string), firing on the first one. Alerts on pod events (`ContainerCrashLooping`) are left out: Fluent Bit ships container
 * output, not Kubernetes events (kube-state-metrics' restart counter alerts on crash loops).
 *
 * @example
 * const group = lokiLogAlertRuleGroup({ matchers: ['namespace="llm"'] });
 */
export function lokiLogAlertRuleGroup(options: LokiLogAlertOptions = {}, scope?: IConstruct): LokiRuleGroup {
  Validate.object(scope, 'logAlerts', options);
  const matchers = Validate.array<string>(scope, 'logAlerts.matchers', options.matchers ?? []);
  matchers.forEach((m, i) => Validate.promqlMatcher(scope, `logAlerts.matchers[${i}]`, m));
  const window = Validate.integer(scope, 'logAlerts.windowMinutes', options.windowMinutes ?? 5, {
    min: 1,
    max: 1440,
    reason: 'minutes',
  });
  const selector = `{${[`job="${LOKI_STREAM_JOB}"`, ...matchers].join(', ')}}`;
  const rules = LOG_ALERT_RULES.filter((r) => r.source === LogAlertSource.CONTAINER).map((r) => {
    if (r.pattern.includes('`')) {
      // A LogQL raw string cannot hold a backtick; the core patterns have none.
      throw new ValidationError(`log alert '${r.name}': its pattern contains a backtick.`, scope);
    }
    return {
      alert: r.name,
      // A raw (backtick) string: the RE2 pattern reaches Loki without a second escaping.
      expr: `sum by (namespace, pod, container) (count_over_time(${selector} |~ \`${r.pattern}\` [${window}m])) > 0`,
      labels: { severity: r.severity },
      annotations: {
        summary: `${r.summary}: {{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }})`,
        description: r.runbook,
        reference: r.reference,
      },
    };
  });
  return { name: 'cdktf-ai-infra-log-alerts', interval: '1m', rules };
}

/** Properties of a {@link Loki}. */
export interface LokiProps {
  /** Where log chunks and the index are kept: S3, GCS (with the pod's cloud identity) or the pod's volume. */
  readonly storage: TelemetryStorage;
  /**
   * Days a log line is kept (`limits_config.retention_period`, deleted by the compactor).
   * @default 30
   */
  readonly retentionDays?: number;
  /**
   * Loki replicas (monolithic mode). More than one needs object storage; three replicate every
   * stream three times (`replication_factor` is the replica count, at most 3).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Namespace (created, Pod Security `restricted`).
   * @default 'loki'
   */
  readonly namespace?: string;
  /**
   * Helm release name: also the Service, StatefulSet and service account name.
   * @default 'loki'
   */
  readonly releaseName?: string;
  /**
   * Size of each replica's persistent volume, GiB: the write-ahead log, the index cache and, with
   * `TelemetryStorage.volume()`, every chunk.
   * @default 10
   */
  readonly volumeSizeGiB?: number;
  /**
   * StorageClass of the volumes.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * Memory limit of each replica, MiB (half of it is requested).
   * @default 4096
   */
  readonly memoryMiB?: number;
  /**
   * The core log alerts as Loki ruler rules (see {@link lokiLogAlertRuleGroup}); `false` for none.
   * @default - every container log alert, on every container
   */
  readonly logAlerts?: LokiLogAlertOptions | false;
  /**
   * Alertmanager the ruler sends alerts to.
   * @default - the monitoring stack's Alertmanager; without `monitoring`, none (a warning)
   */
  readonly alertmanagerUrl?: string;
  /**
   * The monitoring stack (a `MonitoringStack`, or any `IGrafanaMonitoringStack`): Loki is scraped
   * (the chart's ServiceMonitor), becomes a Grafana data source (uid `loki`) and its ruler alerts
   * through the stack's Alertmanager.
   * @default - none of these
   */
  readonly monitoring?: IGrafanaMonitoringStack;
  /**
   * Annotations of Loki's service account (IRSA `eks.amazonaws.com/role-arn` instead of Pod
   * Identity, or a GKE `iam.gke.io/gcp-service-account`).
   * @default - none
   */
  readonly serviceAccountAnnotations?: Record<string, string>;
}

/**
 * Grafana Loki (pinned `loki` chart from grafana-community/helm-charts, monolithic mode) as the
 * log store of a {@link LogShipper}: chunks and a TSDB index (schema v13) in S3 or GCS with the
 * pod's cloud identity (no keys) or on its volume, a retention the compactor enforces, and the
 * core log alerts evaluated by Loki's ruler and sent to Alertmanager.
 *
 * - Single tenant (`auth_enabled: false`), reachable only inside the cluster (ClusterIP, no
 *   gateway): Fluent Bit pushes to `http://<release>.<namespace>.svc:3100`
 *   ({@link Loki.logDestination}).
 * - Monolithic, not SimpleScalable: the chart marks SimpleScalable deprecated (removed in Loki 4),
 *   and monolithic carries up to a few tens of GB a day, the logs of a GPU cluster's engines.
 * - Off: the memcached chunk and result caches (they request GiBs of memory by default), the
 *   nginx gateway, the canary DaemonSet and Helm test, the rules sidecar (which needs to watch
 *   ConfigMaps), usage reporting. RBAC stays in the namespace.
 * - Pods meet Pod Security `restricted` (UID 10001, read-only root, no capabilities,
 *   RuntimeDefault seccomp) and the namespace enforces it.
 *
 * @see https://github.com/grafana-community/helm-charts/tree/main/charts/loki
 * @example
 * const loki = new Loki(platform, 'Loki', {
 *   storage: TelemetryStorage.gcs({ bucket: 'acme-logs' }),
 *   monitoring,
 * });
 * new LogShipper(platform, 'Logs', { destinations: [loki.logDestination()] });
 */
export class Loki extends Construct {
  /** The Helm release. */
  public readonly resource: Release;
  /** Namespace. */
  public readonly namespace: string;
  /** Service account Loki runs under (bind the bucket's cloud role to it). */
  public readonly serviceAccountName: string;
  /** Push and query URL inside the cluster. */
  public readonly url: string;
  /** Retention as Loki reads it, for example `720h`. */
  public readonly retention: string;
  /** The ruler's rule group (the core log alerts), when `logAlerts` is not `false`. */
  public readonly ruleGroup?: LokiRuleGroup;
  /** The ConfigMap holding the ruler's rules, when `logAlerts` is not `false`. */
  public readonly rules?: ConfigMapV1;
  private readonly host: string;

  constructor(scope: Construct, id: string, props: LokiProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    const storage = checkTelemetryStorage(this, props.storage);
    this.retention = retentionHours(this, props.retentionDays ?? 30);
    const replicas = Validate.integer(this, 'replicas', props.replicas ?? 1, { min: 1, max: 100 });
    if (replicas > 1 && storage.kind === TelemetryStorageKind.VOLUME) {
      throw new ValidationError(
        `'replicas' (${replicas}) needs object storage: with TelemetryStorage.volume() each replica would keep its own logs. Use TelemetryStorage.s3(...) or .gcs(...), or one replica.`,
        this,
      );
    }
    const store = opsStoreSettings(this, props, {
      namespace: 'loki',
      release: 'loki',
      maxReleaseLength: 40,
      memoryMiB: 4096,
      minMemoryMiB: 512,
    });
    const { release, volumeGiB, memoryMiB, serviceAccountAnnotations: saAnnotations } = store;
    this.namespace = store.namespace;
    this.serviceAccountName = release;
    if (props.alertmanagerUrl !== undefined) {
      Validate.url(this, 'alertmanagerUrl', props.alertmanagerUrl, { schemes: ['http', 'https'] });
    }

    this.host = `${release}.${this.namespace}.svc`;
    this.url = `http://${this.host}:${LOKI_HTTP_PORT}`;
    const ns = opsNamespace(this, this.namespace, PodSecurityLevel.RESTRICTED);

    if (props.logAlerts !== false) {
      this.ruleGroup = lokiLogAlertRuleGroup(props.logAlerts ?? {}, this);
      this.rules = new ConfigMapV1(this, 'Rules', {
        metadata: { name: `${release}-log-alerts`, namespace: this.namespace, labels: { ...MANAGED_BY } },
        data: { 'cdktf-ai-infra-log-alerts.yaml': toYaml({ groups: [this.ruleGroup] }) },
        dependsOn: [ns],
      });
    }
    const alertmanagerUrl = props.alertmanagerUrl ?? props.monitoring?.alertmanagerUrl;
    if (this.ruleGroup && alertmanagerUrl === undefined) {
      Warnings.add(
        this,
        'k8s-loki-alerts-not-routed',
        `the ruler evaluates the log alerts but has no Alertmanager to send them to: pass 'monitoring' or 'alertmanagerUrl', or set 'logAlerts: false'.`,
      );
    }

    const objectStore = lokiObjectStore(storage);
    const values = {
      deploymentMode: 'Monolithic',
      fullnameOverride: release,
      loki: {
        auth_enabled: false,
        commonConfig: { replication_factor: Math.min(replicas, 3) },
        schemaConfig: {
          configs: [
            {
              from: SCHEMA_FROM,
              store: 'tsdb',
              object_store: objectStore,
              schema: 'v13',
              index: { prefix: 'index_', period: '24h' },
            },
          ],
        },
        storage: lokiStorage(storage),
        limits_config: { retention_period: this.retention },
        compactor: { retention_enabled: true, delete_request_store: objectStore },
        rulerConfig: {
          storage: { type: 'local', local: { directory: RULES_DIRECTORY } },
          ...(alertmanagerUrl ? { alertmanager_url: alertmanagerUrl } : {}),
        },
        analytics: { reporting_enabled: false },
        podSecurityContext: {
          runAsNonRoot: true,
          runAsUser: 10001,
          runAsGroup: 10001,
          fsGroup: 10001,
          seccompProfile: { type: 'RuntimeDefault' },
        },
        containerSecurityContext: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        },
      },
      singleBinary: {
        replicas,
        sidecar: false,
        resources: opsResources('500m', memoryMiB),
        persistence: {
          size: `${volumeGiB}Gi`,
          ...(props.storageClassName ? { storageClass: props.storageClassName } : {}),
        },
        ...(this.rules
          ? {
              extraVolumes: [{ name: 'log-alert-rules', configMap: { name: `${release}-log-alerts` } }],
              extraVolumeMounts: [
                {
                  name: 'log-alert-rules',
                  mountPath: `${RULES_DIRECTORY}/${LOKI_SINGLE_TENANT}`,
                  readOnly: true,
                },
              ],
            }
          : {}),
      },
      sidecar: { rules: { enabled: false } },
      rbac: { namespaced: true },
      serviceAccount: opsServiceAccountValues(release, saAnnotations),
      gateway: { enabled: false },
      chunksCache: { enabled: false },
      resultsCache: { enabled: false },
      lokiCanary: { enabled: false },
      test: { enabled: false },
      ...(props.monitoring
        ? {
            monitoring: {
              serviceMonitor: { enabled: true, labels: { ...props.monitoring.selectorLabels } },
            },
          }
        : {}),
    };
    this.resource = addPinnedRelease(this, {
      name: store.release,
      namespace: store.namespace,
      chart: OPS_HELM_CHARTS.loki,
      // YAML 1.1 quoting: Helm reads values as YAML 1.1, where the unquoted schema date would be a timestamp.
      values: toYaml(values, { version: '1.1' }),
      dependsOn: this.rules ? [ns, this.rules] : [ns],
    });
    this.node.defaultChild = this.resource;

    props.monitoring?.addLogDataSource({ url: this.url });
  }

  /** The Fluent Bit destination that pushes to this Loki (`LogShipper`). */
  public logDestination(): LogDestination {
    return LogDestination.loki({ host: this.host, port: LOKI_HTTP_PORT });
  }
}

/** The `object_store` name of the schema and the compactor's delete-request store. */
function lokiObjectStore(storage: TelemetryStorage): string {
  switch (storage.kind) {
    case TelemetryStorageKind.S3:
      return 's3';
    case TelemetryStorageKind.GCS:
      return 'gcs';
    default:
      return 'filesystem';
  }
}

/** The chart's `loki.storage` (it renders Loki's `common.storage` from it). */
function lokiStorage(storage: TelemetryStorage): Record<string, unknown> {
  switch (storage.kind) {
    case TelemetryStorageKind.S3:
      return { type: 's3', bucketNames: { chunks: storage.bucket }, s3: { region: storage.region } };
    case TelemetryStorageKind.GCS:
      return { type: 'gcs', bucketNames: { chunks: storage.bucket } };
    default:
      return { type: 'filesystem' };
  }
}
