import { parse } from 'yaml';
import { AlertTopic } from '../../lib/aws/alert-topic';
import { CheckpointStore } from '../../lib/aws/checkpoint-store';
import { Monitoring } from '../../lib/aws/monitoring';
import { Accelerator, ALERT_RULES, Capacity, COST_ALLOCATION_SERIES, ValidationError } from '../../lib/core';
import { onlyResource, resourcesOf, synthJson } from '../util';
import { awsStack, clusterStack } from './util';

function build() {
  const { stack, cluster } = clusterStack();
  const monitoring = new Monitoring(stack, 'Monitoring', { cluster, emails: ['oncall@example.com'] });
  return { stack, cluster, monitoring };
}

describe('Monitoring', () => {
  test('creates an AMP workspace', () => {
    const { stack } = build();
    expect(onlyResource(synthJson(stack), 'aws_prometheus_workspace').alias).toBe('test-Monitoring');
  });

  test('renders every core alert rule into the rule group namespace', () => {
    const { stack } = build();
    const data = parse(onlyResource(synthJson(stack), 'aws_prometheus_rule_group_namespace').data);
    const names = data.groups.flatMap((g: any) => g.rules.map((r: any) => r.alert));
    expect(names.sort()).toEqual(ALERT_RULES.map((r) => r.name).sort());
  });

  test('passes alert rule overrides through to the core rules', () => {
    const { stack, cluster } = clusterStack();
    new Monitoring(stack, 'M', { cluster, alertRules: { overrides: { GPUSaturated: { enabled: false } } } });
    const data = parse(onlyResource(synthJson(stack), 'aws_prometheus_rule_group_namespace').data);
    expect(data.groups.flatMap((g: any) => g.rules.map((r: any) => r.alert))).not.toContain('GPUSaturated');
  });

  test('defaults to no cost-allocation rules', () => {
    const { stack } = build();
    const data = parse(onlyResource(synthJson(stack), 'aws_prometheus_rule_group_namespace').data);
    expect(data.groups.map((g: any) => g.name)).not.toContain('cost-allocation');
  });

  test('records cost per model, namespace and team in the workspace with costAllocation', () => {
    const { stack, cluster } = clusterStack();
    new Monitoring(stack, 'M', {
      cluster,
      costAllocation: { teamLabel: 'acme.io/team', servingMatchers: ['namespace="llm"'] },
    });
    const data = parse(onlyResource(synthJson(stack), 'aws_prometheus_rule_group_namespace').data);
    const cost = data.groups.find((g: any) => g.name === 'cost-allocation');
    expect(cost.interval).toBe('1m');
    expect(cost.rules.map((r: any) => r.record)).toEqual(Object.values(COST_ALLOCATION_SERIES));
    expect(cost.rules.find((r: any) => r.record === COST_ALLOCATION_SERIES.teamCost).expr).toContain(
      'label_acme_io_team',
    );
    expect(cost.rules.find((r: any) => r.record === COST_ALLOCATION_SERIES.modelTokens).expr).toContain(
      'vllm:prompt_tokens_total{namespace="llm"}',
    );
    // The alert groups stay.
    expect(data.groups.length).toBeGreaterThan(1);
  });

  test('throws on an invalid cost-allocation team label or matcher', () => {
    const { stack, cluster } = clusterStack();
    expect(() => new Monitoring(stack, 'A', { cluster, costAllocation: { teamLabel: 'a b' } })).toThrow(
      ValidationError,
    );
    expect(
      () => new Monitoring(stack, 'B', { cluster, costAllocation: { servingMatchers: ['namespace=llm'] } }),
    ).toThrow(/^test\/B: /);
  });

  test('throws with the construct path for an unknown override', () => {
    const { stack, cluster } = clusterStack();
    expect(
      () => new Monitoring(stack, 'M', { cluster, alertRules: { overrides: { Nope: { threshold: 1 } } } }),
    ).toThrow(/^test\/M: 'overrides' names unknown alert 'Nope'/);
  });

  test('routes alerts to SNS with SigV4 in the cluster region', () => {
    const { stack } = build();
    const def = parse(onlyResource(synthJson(stack), 'aws_prometheus_alert_manager_definition').definition);
    const am = parse(def.alertmanager_config);
    expect(am.route.receiver).toBe('sns');
    expect(am.receivers[0].sns_configs[0]).toMatchObject({
      topic_arn: expect.stringContaining('aws_sns_topic.'),
      sigv4: { region: 'us-east-1' },
    });
  });

  test('subscribes the e-mails to the topic', () => {
    const { stack } = build();
    expect(onlyResource(synthJson(stack), 'aws_sns_topic_subscription')).toMatchObject({
      protocol: 'email',
      endpoint: 'oncall@example.com',
    });
  });

  test('the topic policy lets AMP (from this workspace) and CloudWatch publish', () => {
    const { stack } = build();
    const statements = JSON.parse(onlyResource(synthJson(stack), 'aws_sns_topic_policy').policy).Statement;
    expect(statements.map((s: any) => s.Principal.Service).sort()).toEqual([
      'aps.amazonaws.com',
      'cloudwatch.amazonaws.com',
    ]);
    const aps = statements.find((s: any) => s.Principal.Service === 'aps.amazonaws.com');
    expect(aps.Action).toEqual(['sns:Publish', 'sns:GetTopicAttributes']);
    expect(aps.Condition.ArnEquals['aws:SourceArn']).toContain('aws_prometheus_workspace.');
  });

  test('creates a Pod Identity collector role with remote-write on the workspace', () => {
    const { stack } = build();
    const json = synthJson(stack);
    expect(onlyResource(json, 'aws_eks_pod_identity_association')).toMatchObject({
      namespace: 'monitoring',
      service_account: 'prometheus',
    });
    const grant = Object.values(resourcesOf(json, 'aws_iam_role_policy')).find((p) =>
      /CollectorRole/.test(p.role),
    );
    const policy = JSON.parse(grant.policy);
    expect(policy.Statement[0].Action).toContain('aps:RemoteWrite');
    expect(policy.Statement[0].Resource).toContain('aws_prometheus_workspace.');
  });

  test('outputs the remote-write URL', () => {
    const { stack } = build();
    const out = Object.values(synthJson(stack).output ?? {}).find((o: any) =>
      /remote_write/.test(o.value),
    ) as any;
    expect(out.value).toMatch(/prometheus_endpoint\}api\/v1\/remote_write$/);
  });

  test('throws without a region or cluster', () => {
    expect(() => new Monitoring(awsStack(), 'M')).toThrow(/'region' is required when no 'cluster' is given/);
  });

  test('throws for an e-mail listed twice (one subscription per endpoint)', () => {
    expect(
      () => new AlertTopic(awsStack(), 'T', { emails: ['oncall@example.com', 'oncall@example.com'] }),
    ).toThrow(/'emails' lists 'oncall@example.com' twice/);
  });

  test('throws for an invalid e-mail', () => {
    expect(() => new Monitoring(awsStack(), 'M', { region: 'us-east-1', emails: ['oncall'] })).toThrow(
      /'emails\[0\]' \('oncall'\) is not an e-mail address/,
    );
  });

  test('uses a given topic', () => {
    const stack = awsStack();
    const topic = new AlertTopic(stack, 'Alerts');
    new Monitoring(stack, 'M', { region: 'us-east-1', topic });
    expect(Object.keys(resourcesOf(synthJson(stack), 'aws_sns_topic'))).toHaveLength(1);
  });

  test('alarmOnNodeGroupCapacity alarms when fewer instances than nodes report', () => {
    const { stack, cluster, monitoring } = build();
    const group = cluster.addTrainingNodeGroup('H100', {
      accelerator: Accelerator.H100,
      nodes: 16,
      capacity: Capacity.capacityBlock('cr-0123456789abcdef0'),
    });
    monitoring.alarmOnNodeGroupCapacity(group);
    expect(onlyResource(synthJson(stack), 'aws_cloudwatch_metric_alarm')).toMatchObject({
      namespace: 'AWS/EC2',
      metric_name: 'CPUUtilization',
      statistic: 'SampleCount',
      threshold: 16,
      comparison_operator: 'LessThanThreshold',
      treat_missing_data: 'breaching',
      dimensions: { AutoScalingGroupName: expect.stringContaining('autoscaling_groups[0].name') },
      alarm_actions: [expect.stringContaining('aws_sns_topic.')],
    });
  });

  test('alarmOnFileSystemFreeSpace alarms below 10% free by default', () => {
    const { stack, cluster, monitoring } = build();
    const store = new CheckpointStore(stack, 'Ckpt', { cluster, lustre: { capacityGiB: 2400 } });
    monitoring.alarmOnFileSystemFreeSpace(store);
    expect(onlyResource(synthJson(stack), 'aws_cloudwatch_metric_alarm')).toMatchObject({
      namespace: 'AWS/FSx',
      metric_name: 'FreeDataStorageCapacity',
      threshold: Math.floor(2400 * 1024 ** 3 * 0.1),
      comparison_operator: 'LessThanThreshold',
    });
  });

  test('alarmOnFileSystemFreeSpace compares the whole file system (Sum per minute), not the fullest storage target', () => {
    // AWS/FSx FreeDataStorageCapacity: Sum is the file system's free bytes, Minimum the free bytes
    // of the fullest storage target (FSx LustreGuide fs-metrics); the threshold is a share of the
    // whole capacity, so only Sum over one reporting interval is comparable.
    const { stack, cluster, monitoring } = build();
    const store = new CheckpointStore(stack, 'Ckpt', { cluster, lustre: { capacityGiB: 4800 } });
    monitoring.alarmOnFileSystemFreeSpace(store);
    expect(onlyResource(synthJson(stack), 'aws_cloudwatch_metric_alarm')).toMatchObject({
      statistic: 'Sum',
      period: 60,
      evaluation_periods: 15,
      datapoints_to_alarm: 3,
    });
  });

  test('alarmOnFileSystemFreeSpace throws for a store without Lustre', () => {
    const { stack, monitoring } = build();
    expect(() => monitoring.alarmOnFileSystemFreeSpace(new CheckpointStore(stack, 'C'))).toThrow(
      /has no FSx for Lustre file system/,
    );
  });

  test('alarmOnFileSystemFreeSpace throws for a threshold of 100%', () => {
    const { stack, cluster, monitoring } = build();
    const store = new CheckpointStore(stack, 'Ckpt', { cluster, lustre: { capacityGiB: 1200 } });
    expect(() => monitoring.alarmOnFileSystemFreeSpace(store, 100)).toThrow(/'thresholdPercent' \(100\)/);
  });
});

describe('Monitoring collector', () => {
  test('collector sets the service account of the remote-write role', () => {
    const { stack, cluster } = clusterStack();
    new Monitoring(stack, 'M', {
      cluster,
      collector: { namespace: 'observability', serviceAccount: 'vmagent' },
    });
    expect(onlyResource(synthJson(stack), 'aws_eks_pod_identity_association')).toMatchObject({
      namespace: 'observability',
      service_account: 'vmagent',
    });
  });

  test('exposes the default collector service account and the region for remote writes', () => {
    const { stack, cluster } = clusterStack();
    const m = new Monitoring(stack, 'M', { cluster });
    expect(m.collector).toEqual({ namespace: 'monitoring', serviceAccount: 'prometheus' });
    expect(m.region).toBe('us-east-1');
  });

  test('without a cluster no collector role is created', () => {
    const stack = awsStack();
    const m = new Monitoring(stack, 'M', { region: 'us-east-1' });
    expect(m.collectorRole).toBeUndefined();
    expect(m.collector).toBeUndefined();
    expect(resourcesOf(synthJson(stack), 'aws_iam_role')).toEqual({});
  });
});
