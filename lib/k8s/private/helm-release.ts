import { Release } from '@cdktf/provider-helm/lib/release';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { HelmChartVersion } from '../versions';

/** What {@link addPinnedRelease} installs. */
export interface PinnedReleaseOptions {
  /** Release name. */
  readonly name: string;
  /** Namespace (created elsewhere). */
  readonly namespace: string;
  /** The pinned chart. */
  readonly chart: HelmChartVersion;
  /** The values, one YAML document. */
  readonly values: string;
  /** What must exist first (the namespace, CRDs, a ConfigMap the chart mounts). */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * Seconds Helm waits for the release to become ready.
   * @default 600
   */
  readonly timeoutSeconds?: number;
}

/**
 * A construct's Helm release of a pinned chart (construct id `Resource`): atomic (a failed install
 * or upgrade is rolled back) and cleaned up on failure.
 */
export function addPinnedRelease(scope: Construct, o: PinnedReleaseOptions): Release {
  return new Release(scope, 'Resource', {
    name: o.name,
    namespace: o.namespace,
    repository: o.chart.repository,
    chart: o.chart.chart,
    version: o.chart.version,
    values: [o.values],
    timeout: o.timeoutSeconds ?? 600,
    atomic: true,
    cleanupOnFail: true,
    dependsOn: o.dependsOn,
  });
}
