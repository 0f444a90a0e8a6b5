import { Token } from 'cdktf';
import {
  deferDeprecation,
  describeValue,
  renamedOption,
  Validate,
  VALIDATION_CODES,
  ValidationError,
} from '../core';

/** Which system collects a workload's Prometheus metrics. */
export enum MetricsCollectionKind {
  /** prometheus-operator (kube-prometheus-stack): a `ServiceMonitor` selected by the monitoring stack. */
  PROMETHEUS_OPERATOR = 'prometheus-operator',
  /**
   * Google Cloud Managed Service for Prometheus with managed collection: a `PodMonitoring`
   * (`monitoring.googleapis.com/v1`), read by the collectors GKE runs.
   */
  MANAGED_PROMETHEUS = 'managed-prometheus',
}

/** Options of {@link MetricsCollection.managedPrometheus}. */
export interface ManagedPrometheusOptions {
  /**
   * Project id whose Managed Prometheus data KEDA queries (the cluster's project, or the
   * scoping project of a metrics scope), as in
   * `https://monitoring.googleapis.com/v1/projects/<project>/location/global/prometheus`.
   * Required (or its deprecated alias `projectId`).
   */
  readonly project?: string;
  /**
   * @deprecated renamed `project` (its name in every module); warns `deprecated-api` on the
   * construct that uses the collection, removed in the next minor release
   */
  readonly projectId?: string;
  /**
   * Scrape interval of the `PodMonitoring` endpoints, seconds. Managed Prometheus bills per
   * sample ingested, so halving the interval doubles the bill for these series.
   * @default 30
   */
  readonly scrapeIntervalSeconds?: number;
}

/**
 * How a workload's metrics reach a Prometheus: prometheus-operator `ServiceMonitor`s for an
 * in-cluster monitoring stack, or Managed Service for Prometheus `PodMonitoring`s on GKE.
 *
 * With managed Prometheus, KEDA's Prometheus scaler queries the Managed Prometheus API with a
 * `TriggerAuthentication` using `podIdentity: { provider: gcp }`: the KEDA operator's Kubernetes
 * service account needs Workload Identity to a Google service account with
 * `roles/monitoring.viewer` (GpuPlatform `kedaServiceAccountAnnotations`).
 *
 * @see https://github.com/GoogleCloudPlatform/prometheus-engine/blob/main/doc/api.md#podmonitoring
 * @see https://keda.sh/docs/latest/scalers/prometheus/
 * @example
 * new ModelServer(workloads, 'Llama8B', {
 *   ...,
 *   metricsCollection: MetricsCollection.managedPrometheus({ project: 'acme-ml' }),
 *   autoscaling: { maxReplicas: 4 },
 * });
 */
export class MetricsCollection {
  /** A `ServiceMonitor` for prometheus-operator (needs the `monitoring` prop to be scraped). */
  public static prometheusOperator(): MetricsCollection {
    return new MetricsCollection(MetricsCollectionKind.PROMETHEUS_OPERATOR, 15);
  }

  /** A `PodMonitoring` for Google Cloud Managed Service for Prometheus (GKE managed collection). */
  public static managedPrometheus(options: ManagedPrometheusOptions): MetricsCollection {
    Validate.object(undefined, 'MetricsCollection.managedPrometheus options', options);
    const renamed = renamedOption(
      'MetricsCollection.managedPrometheus',
      'projectId',
      options.projectId,
      'project',
      options.project,
    );
    const project = Validate.gcpProjectId(
      undefined,
      'MetricsCollection.managedPrometheus project',
      renamed.value,
    );
    const interval: unknown = options.scrapeIntervalSeconds ?? 30;
    const isNumber = typeof interval === 'number';
    if (
      !isNumber ||
      (!Token.isUnresolved(interval) && !(Number.isInteger(interval) && interval >= 5 && interval <= 300))
    ) {
      throw new ValidationError(
        `MetricsCollection.managedPrometheus: 'scrapeIntervalSeconds' (${describeValue(interval)}) must be an integer from 5 to 300.`,
        undefined,
        isNumber ? VALIDATION_CODES.NUMBER_RANGE : VALIDATION_CODES.TYPE,
      );
    }
    const collection = new MetricsCollection(MetricsCollectionKind.MANAGED_PROMETHEUS, interval, project);
    deferDeprecation(collection, renamed.deprecation);
    return collection;
  }

  /** The collecting system. */
  public readonly kind: MetricsCollectionKind;
  /** Scrape interval, seconds. */
  public readonly scrapeIntervalSeconds: number;
  /** Project whose Managed Prometheus data is queried (managed Prometheus only). */
  public readonly project?: string;
  /**
   * Project whose Managed Prometheus data is queried (managed Prometheus only).
   * @deprecated renamed `project`; removed in the next minor release
   */
  public readonly projectId?: string;
  /**
   * The Prometheus-compatible query URL of Managed Prometheus, KEDA's `serverAddress`
   * (managed Prometheus only).
   */
  public readonly queryUrl?: string;

  private constructor(kind: MetricsCollectionKind, scrapeIntervalSeconds: number, project?: string) {
    this.kind = kind;
    this.scrapeIntervalSeconds = scrapeIntervalSeconds;
    this.project = project;
    this.projectId = project;
    this.queryUrl =
      project === undefined
        ? undefined
        : `https://monitoring.googleapis.com/v1/projects/${project}/location/global/prometheus`;
  }

  /** Whether this is Managed Service for Prometheus collection. */
  public get managed(): boolean {
    return this.kind === MetricsCollectionKind.MANAGED_PROMETHEUS;
  }
}
