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
}
