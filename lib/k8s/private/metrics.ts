import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Construct } from 'constructs';

/**
 * A PromQL instant-vector selector of `metric` with `matchers` (for example
 * `namespace="llm"`). For Managed Prometheus a name with a colon (vLLM's
 * `vllm:num_requests_waiting`) is written `{__name__="vllm:...", ...}`, the form the GCP
 * module's Cloud Monitoring alert policies use (`toCloudMonitoringPromQL`): Monarch maps the
 * first colon of a bare name to the `domain/path` separator of Cloud Monitoring metric names.
 * VERIFY against a live workspace whether the bare form also works through the Prometheus API.
 */
export function promSelector(metric: string, matchers: string[], managedPrometheus: boolean): string {
  if (managedPrometheus && metric.includes(':')) {
    return `{${[`__name__="${metric}"`, ...matchers].join(', ')}}`;
  }
  return matchers.length ? `${metric}{${matchers.join(', ')}}` : metric;
}

/**
 * Whether a PromQL expression names a metric with a colon outside quotes and outside a
 * `__name__` matcher (a bare `vllm:x`), which Managed Prometheus may read as a Cloud Monitoring
 * metric name.
 */
export function hasBareColonMetric(expr: string): boolean {
  const unquoted = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\[[^\]]*\]/g, '[]');
  return /(?<![A-Za-z0-9_:])[A-Za-z_][A-Za-z0-9_]*:[A-Za-z0-9_:]*/.test(unquoted);
}

/** Options of {@link addPodMonitoring}. */
export interface PodMonitoringOptions {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  /** Container port name or number. */
  readonly port: string | number;
  readonly intervalSeconds: number;
}

/**
 * A Managed Service for Prometheus `PodMonitoring` (`monitoring.googleapis.com/v1`): GKE's
 * managed collectors scrape the selected pods' port; the target gets the `namespace`,
 * `pod` and `container` labels.
 * @see https://github.com/GoogleCloudPlatform/prometheus-engine/blob/main/doc/api.md#podmonitoringspec
 */
export function addPodMonitoring(scope: Construct, id: string, o: PodMonitoringOptions): Manifest {
  return new Manifest(scope, id, {
    manifest: {
      apiVersion: 'monitoring.googleapis.com/v1',
      kind: 'PodMonitoring',
      metadata: { name: o.name, namespace: o.namespace, labels: o.labels },
      spec: {
        selector: { matchLabels: o.selector },
        endpoints: [{ port: o.port, path: '/metrics', interval: `${o.intervalSeconds}s` }],
      },
    },
  });
}

/**
 * A KEDA `TriggerAuthentication` using the KEDA operator's GCP identity (Workload Identity)
 * for the Prometheus scaler's requests to Managed Prometheus.
 * @see https://keda.sh/docs/latest/authentication-providers/gcp-workload-identity/
 */
export function addGcpTriggerAuthentication(
  scope: Construct,
  id: string,
  name: string,
  namespace: string,
  labels: Record<string, string>,
): Manifest {
  return new Manifest(scope, id, {
    manifest: {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'TriggerAuthentication',
      metadata: { name, namespace, labels },
      spec: { podIdentity: { provider: 'gcp' } },
    },
  });
}
