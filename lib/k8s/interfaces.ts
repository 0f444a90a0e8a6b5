import { IConstruct } from 'constructs';

/**
 * The in-cluster GPU platform (operators, device plugins and the CRD-installing charts) as the
 * workload constructs see it. Implemented by {@link GpuPlatform}.
 */
export interface IGpuPlatform extends IConstruct {
  /** Whether KEDA is installed (ScaledObjects work). */
  readonly kedaInstalled: boolean;
  /** Whether JobSet is installed (training jobs work). */
  readonly jobSetInstalled: boolean;
  /** Whether Kueue is installed (queues work). */
  readonly kueueInstalled: boolean;
}

/**
 * The monitoring stack (Prometheus operator, Prometheus, Alertmanager, Grafana) as the
 * workload constructs see it. Implemented by {@link MonitoringStack}.
 */
export interface IMonitoringStack extends IConstruct {
  /** Helm release name; the value of the `release` label Prometheus selects on. */
  readonly releaseName: string;
  /** Namespace of the monitoring stack. */
  readonly namespace: string;
  /** In-cluster URL of Prometheus, for KEDA's Prometheus scaler. */
  readonly prometheusUrl: string;
  /** Labels a ServiceMonitor or PrometheusRule needs to be selected by this Prometheus. */
  readonly selectorLabels: Record<string, string>;
  /**
   * Scrapes a Service whose chart cannot label its own ServiceMonitor for this Prometheus
   * (the ServiceMonitor is rendered by the monitoring chart itself, so it needs no CRD at plan time).
   */
  addScrapeTarget(target: ScrapeTarget): void;
}

/** A Service for the monitoring stack to scrape. */
export interface ScrapeTarget {
  /** Unique name of the generated ServiceMonitor. */
  readonly name: string;
  /** Namespace of the Service. */
  readonly namespace: string;
  /** Labels of the Service. */
  readonly matchLabels: Record<string, string>;
  /** Name of the Service port. */
  readonly port: string;
  /**
   * `http` or `https`.
   * @default 'http'
   */
  readonly scheme?: 'http' | 'https';
  /**
   * Authenticate with Prometheus' service-account token and skip TLS verification (the
   * controller-runtime secure metrics endpoint of Kueue and JobSet).
   * @default false
   */
  readonly serviceAccountAuth?: boolean;
}

/** A pod toleration in Kubernetes API shape (as in manifests and Helm values). */
export interface ApiToleration {
  /** Taint key. */
  readonly key: string;
  /** `Exists` (any value) or `Equal` (the given value). */
  readonly operator: 'Exists' | 'Equal';
  /**
   * Taint value, with `Equal`.
   * @default - none
   */
  readonly value?: string;
  /**
   * Taint effect (`NoSchedule`, `PreferNoSchedule`, `NoExecute`).
   * @default - all effects
   */
  readonly effect?: string;
}
