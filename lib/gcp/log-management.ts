import { LoggingMetric } from '@cdktf/provider-google/lib/logging-metric';
import { LoggingProjectBucketConfig } from '@cdktf/provider-google/lib/logging-project-bucket-config';
import { LoggingProjectExclusion } from '@cdktf/provider-google/lib/logging-project-exclusion';
import { MonitoringAlertPolicy } from '@cdktf/provider-google/lib/monitoring-alert-policy';
import { Construct } from 'constructs';
import {
  LOG_ALERT_RULES,
  LogAlertDefinition,
  LogAlertSource,
  Validate,
  ValidationError,
  Warnings,
} from '../core';
import { alertPolicySeverity } from './private/alert-policy';
import { escapeTerraformTemplate } from './private/template';
import { addCloudLoggingAssumption } from './private/service-prices';

/** A Cloud Logging exclusion: matching entries are dropped before they are stored (and billed). */
export interface LogExclusion {
  /** Exclusion name: letters, digits, `-`, `_`, `.`, at most 100 characters. */
  readonly name: string;
  /** Cloud Logging query of the entries to drop. */
  readonly filter: string;
  /**
   * Description.
   * @default - none
   */
  readonly description?: string;
}

/** Properties of {@link LogManagement}. */
export interface LogManagementProps {
  /** Project whose logs (GKE ships container logs and events to Cloud Logging by itself) are managed. */
  readonly project: string;
  /**
   * Retention of the project's `_Default` log bucket, days (1 to 3650; beyond 30 days storage is billed).
   * @default 30
   */
  readonly retentionDays?: number;
  /**
   * Drop the access-log lines of health probes and metrics scrapes (`"GET /health HTTP/1.1" 200`,
   * `/metrics`, `/ready`, `/v1/models`), which model servers print several times a minute per pod.
   * @default true
   */
  readonly excludeProbeAccessLogs?: boolean;
  /**
   * More exclusions.
   * @default - none
   */
  readonly exclusions?: LogExclusion[];
  /**
   * Notification channel ids the log-based alert policies notify (for example
   * `monitoring.channels.map((c) => c.id)` of a `gcp.Monitoring`).
   * @default - the policies open incidents without notifying (a warning is raised)
   */
  readonly notificationChannelIds?: string[];
  /**
   * Only these namespaces' containers and pods raise log alerts.
   * @default - every namespace
   */
  readonly namespaces?: string[];
}

/** A string inside a Cloud Logging query's double quotes. */
function quoted(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The Cloud Logging query of a core log alert: container output (`textPayload`, or
 * `jsonPayload.message` for engines that log JSON) matching the pattern, or pod events with the
 * pattern as reason.
 */
export function logAlertFilter(rule: LogAlertDefinition, namespaces: readonly string[] = []): string {
  const ns = namespaces.length
    ? ` AND (${namespaces.map((n) => `resource.labels.namespace_name=${quoted(n)}`).join(' OR ')})`
    : '';
  if (rule.source === LogAlertSource.POD_EVENTS) {
    return `resource.type="k8s_pod" AND log_id("events") AND jsonPayload.reason=${quoted(rule.pattern)}${ns}`;
  }
  return `resource.type="k8s_container" AND (textPayload=~${quoted(rule.pattern)} OR jsonPayload.message=~${quoted(rule.pattern)})${ns}`;
}

/**
 * Cloud Logging for GPU clusters on GKE: the retention of the project's `_Default` bucket,
 * exclusions of the noisy probe and scrape access lines, and the core log alerts (CUDA out of
 * memory, NCCL failures, crash loops) as log-based metrics with an alert policy each.
 *
 * GKE ships container output and Kubernetes events to Cloud Logging by itself (system and
 * workload logging are on in `gcp.GkeCluster`), so nothing is installed in the cluster.
 *
 * @see https://cloud.google.com/logging/docs/logs-based-metrics
 * @example
 * new LogManagement(stack, 'Logs', { project: 'acme-ml', retentionDays: 30, notificationChannelIds: monitoring.channels.map((c) => c.id) });
 */
export class LogManagement extends Construct {
  /** The `_Default` bucket's settings. */
  public readonly bucket: LoggingProjectBucketConfig;
  /** The log-based metrics, by alert name. */
  public readonly metrics: Record<string, LoggingMetric> = {};
  /** The alert policies, by alert name. */
  public readonly policies: Record<string, MonitoringAlertPolicy> = {};
  /** The exclusions. */
  public readonly exclusions: LoggingProjectExclusion[] = [];

  constructor(scope: Construct, id: string, props: LogManagementProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    Validate.gcpProjectId(this, 'project', props.project);
    const retention = Validate.integer(this, 'retentionDays', props.retentionDays ?? 30, {
      min: 1,
      max: 3650,
      reason: 'Cloud Logging bucket retention',
    });
    const namespaces = Validate.array<string>(this, 'namespaces', props.namespaces ?? []);
    namespaces.forEach((n, i) => Validate.k8sDnsLabel(this, `namespaces[${i}]`, n, { what: 'a namespace' }));
    const channels = Validate.array<string>(
      this,
      'notificationChannelIds',
      props.notificationChannelIds ?? [],
    );
    channels.forEach((c, i) => Validate.string(this, `notificationChannelIds[${i}]`, c));
    if (props.excludeProbeAccessLogs !== undefined)
      Validate.boolean(this, 'excludeProbeAccessLogs', props.excludeProbeAccessLogs);

    this.bucket = new LoggingProjectBucketConfig(this, 'DefaultBucket', {
      project: props.project,
      location: 'global',
      bucketId: '_Default',
      retentionDays: retention,
    });
    addCloudLoggingAssumption(this.bucket);

    const exclusions: LogExclusion[] = [
      ...((props.excludeProbeAccessLogs ?? true)
        ? [
            {
              name: 'cdktf-ai-probe-access-logs',
              description: 'Health-probe and metrics-scrape access lines of model servers (cdktf-ai-infra).',
              filter: `resource.type="k8s_container" AND textPayload=~${quoted('"GET /(health|metrics|ready|v1/models) HTTP/1\\.1" 200')}`,
            },
          ]
        : []),
      ...Validate.array<LogExclusion>(this, 'exclusions', props.exclusions ?? []),
    ];
    exclusions.forEach((e, i) => {
      Validate.object(this, `exclusions[${i}]`, e);
      Validate.string(this, `exclusions[${i}].name`, e.name);
      if (!/^[A-Za-z0-9_.-]{1,100}$/.test(e.name)) {
        throw new ValidationError(
          `'exclusions[${i}].name' ('${e.name}') must be 1-100 letters, digits, '-', '_' or '.'.`,
          this,
        );
      }
      Validate.string(this, `exclusions[${i}].filter`, e.filter, { maxLength: 20000 });
    });
    Validate.unique(this, 'exclusions', exclusions, (e) => e.name);
    for (const e of exclusions) {
      this.exclusions.push(
        new LoggingProjectExclusion(this, `Exclusion-${e.name}`, {
          project: props.project,
          name: e.name,
          description: e.description,
          filter: escapeTerraformTemplate(e.filter),
        }),
      );
    }

    if (channels.length === 0) {
      Warnings.add(
        this,
        'gcp-log-alerts-without-channels',
        `No 'notificationChannelIds': the log alert policies open incidents in Cloud Monitoring but notify no one.`,
      );
    }
    for (const rule of LOG_ALERT_RULES) {
      const name = `cdktf_ai_${rule.name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()}`;
      const resourceType = rule.source === LogAlertSource.POD_EVENTS ? 'k8s_pod' : 'k8s_container';
      const metric = new LoggingMetric(this, `Metric-${rule.name}`, {
        project: props.project,
        name,
        description: `${rule.summary} (cdktf-ai-infra log alert ${rule.name})`,
        filter: escapeTerraformTemplate(logAlertFilter(rule, namespaces)),
        labelExtractors: {
          namespace: 'EXTRACT(resource.labels.namespace_name)',
          pod: 'EXTRACT(resource.labels.pod_name)',
        },
        metricDescriptor: {
          metricKind: 'DELTA',
          valueType: 'INT64',
          unit: '1',
          labels: [
            { key: 'namespace', valueType: 'STRING', description: 'Kubernetes namespace' },
            { key: 'pod', valueType: 'STRING', description: 'Pod name' },
          ],
        },
      });
      this.metrics[rule.name] = metric;
      this.policies[rule.name] = new MonitoringAlertPolicy(this, `Policy-${rule.name}`, {
        project: props.project,
        displayName: `cdktf-ai-infra ${rule.name}`,
        combiner: 'OR',
        ...alertPolicySeverity(rule.severity),
        notificationChannels: channels,
        userLabels: { severity: rule.severity, group: 'logs' },
        conditions: [
          {
            displayName: rule.name,
            conditionThreshold: {
              filter: `resource.type = "${resourceType}" AND metric.type = "logging.googleapis.com/user/${name}"`,
              comparison: 'COMPARISON_GT',
              thresholdValue: 0,
              duration: '0s',
              aggregations: [
                {
                  alignmentPeriod: '300s',
                  perSeriesAligner: 'ALIGN_SUM',
                  crossSeriesReducer: 'REDUCE_SUM',
                  groupByFields: ['metric.label.namespace', 'metric.label.pod'],
                },
              ],
              trigger: { count: 1 },
            },
          },
        ],
        alertStrategy: { autoClose: '1800s' },
        documentation: {
          subject: `[${rule.severity}] ${rule.name}`,
          content: `${rule.summary}\n\n${rule.runbook}\n\nLog query: ${escapeTerraformTemplate(logAlertFilter(rule, namespaces))}`,
          mimeType: 'text/markdown',
        },
        dependsOn: [metric],
      });
    }
  }
}
