import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Construct } from 'constructs';
import { hasBareColonMetric, metricSelector } from '../../core';

/**
 * A PromQL selector of `metric`; for Managed Prometheus a name with a colon is quoted as
 * `{__name__="..."}` (core `metricSelector`, the form the GCP alert policies use too).
 */
export function promSelector(metric: string, matchers: string[], managedPrometheus: boolean): string {
  return metricSelector(metric, matchers, managedPrometheus);
}

export { hasBareColonMetric };

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
