import { LOG_ALERT_RULES, LogAlertSource, ValidationError } from '../../lib/core';
import { LogManagement, LogManagementProps, logAlertFilter } from '../../lib/gcp';
import { resourcesOf, synthJson } from '../util';
import { gcpStack, warningIds } from './helpers';

function build(props: Partial<LogManagementProps> = {}) {
  const { stack } = gcpStack();
  const logs = new LogManagement(stack, 'Logs', { project: 'acme-ml', ...props });
  return { logs, stack, json: synthJson(stack) };
}

describe('gcp LogManagement', () => {
  test('defaults the _Default bucket to 30 days', () => {
    const { json } = build();
    expect(Object.values(resourcesOf(json, 'google_logging_project_bucket_config'))).toEqual([
      { project: 'acme-ml', location: 'global', bucket_id: '_Default', retention_days: 30 },
    ]);
  });

  test('excludes probe and scrape access lines by default, and not when told', () => {
    const ex = Object.values(resourcesOf(build().json, 'google_logging_project_exclusion')) as any[];
    expect(ex).toHaveLength(1);
    expect(ex[0].filter).toBe(
      'resource.type="k8s_container" AND textPayload=~"\\"GET /(health|metrics|ready|v1/models) HTTP/1\\\\.1\\" 200"',
    );
    expect(
      resourcesOf(build({ excludeProbeAccessLogs: false }).json, 'google_logging_project_exclusion'),
    ).toEqual({});
  });

  test('adds user exclusions', () => {
    const { json } = build({ exclusions: [{ name: 'debug', filter: 'severity<=DEBUG' }] });
    const names = (Object.values(resourcesOf(json, 'google_logging_project_exclusion')) as any[]).map(
      (e) => e.name,
    );
    expect(names).toEqual(['cdktf-ai-probe-access-logs', 'debug']);
  });

  test('renders every core log alert as a log-based metric and an alert policy on it', () => {
    const { json } = build({ notificationChannelIds: ['projects/acme-ml/notificationChannels/1'] });
    const metrics = Object.values(resourcesOf(json, 'google_logging_metric')) as any[];
    const policies = Object.values(resourcesOf(json, 'google_monitoring_alert_policy')) as any[];
    expect(metrics).toHaveLength(LOG_ALERT_RULES.length);
    expect(policies).toHaveLength(LOG_ALERT_RULES.length);
    const oom = metrics.find((m) => m.name === 'cdktf_ai_engine_cuda_out_of_memory');
    expect(oom.filter).toContain('resource.type="k8s_container"');
    expect(oom.filter).toContain(
      'textPayload=~"CUDA out of memory|CUDA error: out of memory|torch\\\\.OutOfMemoryError"',
    );
    expect(oom.metric_descriptor).toMatchObject({ metric_kind: 'DELTA', value_type: 'INT64' });
    const p = policies.find((x) => x.display_name === 'cdktf-ai-infra EngineCudaOutOfMemory');
    expect(p.conditions[0].condition_threshold).toMatchObject({
      filter:
        'resource.type = "k8s_container" AND metric.type = "logging.googleapis.com/user/cdktf_ai_engine_cuda_out_of_memory"',
      comparison: 'COMPARISON_GT',
      threshold_value: 0,
    });
    expect(p.notification_channels).toEqual(['projects/acme-ml/notificationChannels/1']);
    expect(p.depends_on).toHaveLength(1);
  });

  test('the crash-loop alert reads the kubelet BackOff events of pods', () => {
    const rule = LOG_ALERT_RULES.find((r) => r.source === LogAlertSource.POD_EVENTS)!;
    expect(logAlertFilter(rule, ['llm'])).toBe(
      'resource.type="k8s_pod" AND log_id("events") AND jsonPayload.reason="BackOff" AND (resource.labels.namespace_name="llm")',
    );
  });

  test('warns when no notification channel is given', () => {
    expect(warningIds(build().stack)).toContain('gcp-log-alerts-without-channels');
  });

  test.each([
    ['retention of 0 days', { retentionDays: 0 }],
    ['retention beyond 3650 days', { retentionDays: 3651 }],
    ['an invalid namespace', { namespaces: ['LLM'] }],
    ['an exclusion name with a space', { exclusions: [{ name: 'a b', filter: 'x' }] }],
    [
      'an exclusion named like the default one',
      { exclusions: [{ name: 'cdktf-ai-probe-access-logs', filter: 'x' }] },
    ],
    ['an invalid project', { project: 'Acme' }],
  ])('throws a ValidationError on %s', (_name, props) => {
    expect(() => build(props as Partial<LogManagementProps>)).toThrow(ValidationError);
  });
});
