import {
  AlertTopic,
  ContainerLogs,
  LOG_ALERT_METRIC_NAMESPACE,
  cloudWatchFilterPattern,
} from '../../lib/aws';
import { LOG_ALERT_RULES, LogAlertSource, ValidationError } from '../../lib/core';
import { resourcesOf, synthJson } from '../util';
import { clusterStack, hasWarning } from './util';

function build(props = {}) {
  const { stack, cluster } = clusterStack();
  const logs = new ContainerLogs(stack, 'Logs', { cluster, ...props });
  return { logs, json: synthJson(stack), stack };
}

describe('aws ContainerLogs', () => {
  test('alarms to a topic the app does not own, naming what its policy must allow', () => {
    const { stack, cluster } = clusterStack();
    const topic = AlertTopic.fromTopicAttributes(stack, 'Oncall', {
      topicArn: 'arn:aws:sns:us-east-1:123456789012:oncall',
    });
    new ContainerLogs(stack, 'Logs', { cluster, topic });
    const json = synthJson(stack);
    expect(Object.keys(resourcesOf(json, 'aws_sns_topic'))).toHaveLength(0);
    const alarm: any = Object.values(resourcesOf(json, 'aws_cloudwatch_metric_alarm'))[0];
    expect(alarm.alarm_actions).toEqual(['arn:aws:sns:us-east-1:123456789012:oncall']);
    expect(hasWarning(stack, 'aws-alert-topic-imported')).toBe(true);
  });

  test('a KMS-encrypted log group with 30 days retention, protected from destroy', () => {
    const { json } = build();
    const group: any = Object.values(resourcesOf(json, 'aws_cloudwatch_log_group')).find((g: any) =>
      String(g.name).endsWith('/containers'),
    );
    expect(group).toMatchObject({ retention_in_days: 30, lifecycle: { prevent_destroy: true } });
    expect(group.kms_key_id).toMatch(/aws_kms_key\.Logs_Key/);
    const key: any = Object.entries(resourcesOf(json, 'aws_kms_key')).find(([k]) =>
      k.startsWith('Logs_Key'),
    )![1];
    expect(key.enable_key_rotation).toBe(true);
    const stmt = JSON.parse(key.policy).Statement.find(
      (s: any) => s.Sid === 'CloudWatchLogsUsesForThisGroup',
    );
    expect(stmt.Condition.ArnEquals['kms:EncryptionContext:aws:logs:arn']).toContain(':log-group:/aws/eks/');
  });

  test('the shipper may only write streams of this group', () => {
    const { json } = build();
    const policy: any = Object.entries(resourcesOf(json, 'aws_iam_role_policy')).find(([k]) =>
      k.includes('ShipperWrite'),
    )![1];
    const [s] = JSON.parse(policy.policy).Statement;
    expect(s.Action).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams']);
    expect(s.Resource).toHaveLength(2);
    const assoc = Object.values(resourcesOf(json, 'aws_eks_pod_identity_association')).find(
      (a: any) => a.namespace === 'logging',
    );
    expect(assoc).toMatchObject({ service_account: 'fluent-bit' });
  });

  test('a metric filter and an alarm per core container log alert', () => {
    const { json } = build();
    const container = LOG_ALERT_RULES.filter((r) => r.source === LogAlertSource.CONTAINER);
    const filters = Object.values(resourcesOf(json, 'aws_cloudwatch_log_metric_filter')) as any[];
    expect(filters.map((f) => f.name).sort()).toEqual(container.map((r) => r.name).sort());
    const oom = filters.find((f) => f.name === 'EngineCudaOutOfMemory');
    expect(oom.pattern).toBe('?"CUDA out of memory" ?"CUDA error: out of memory" ?"torch.OutOfMemoryError"');
    expect(oom.metric_transformation).toMatchObject({ namespace: LOG_ALERT_METRIC_NAMESPACE, value: '1' });
    const alarms = (Object.values(resourcesOf(json, 'aws_cloudwatch_metric_alarm')) as any[]).filter(
      (a) => a.namespace === LOG_ALERT_METRIC_NAMESPACE,
    );
    expect(alarms).toHaveLength(container.length);
    expect(alarms[0]).toMatchObject({
      statistic: 'Sum',
      threshold: 0,
      comparison_operator: 'GreaterThanThreshold',
    });
  });

  test('filter patterns quote each term', () => {
    expect(cloudWatchFilterPattern({ ...LOG_ALERT_RULES[0], terms: ['a "b"'] })).toBe('?"a \\"b\\""');
  });

  test('protectFromDestroy: false lets destroy delete the group', () => {
    const { json } = build({ protectFromDestroy: false });
    const group: any = Object.values(resourcesOf(json, 'aws_cloudwatch_log_group')).find((g: any) =>
      String(g.name).endsWith('/containers'),
    );
    expect(group.lifecycle).toEqual({ prevent_destroy: false });
  });

  test('throws a ValidationError on a retention CloudWatch Logs does not accept', () => {
    expect(() => build({ retentionDays: 31 })).toThrow(ValidationError);
  });
});
