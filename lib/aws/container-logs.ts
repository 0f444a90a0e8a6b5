import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import { LOG_ALERT_RULES, LogAlertDefinition, LogAlertSource, Validate, ValidationError } from '../core';
import { AlertTopic } from './alert-topic';
import { WorkloadRole } from './cluster';
import { IAlertTopic, IEksCluster } from './interfaces';
import type { CollectorServiceAccount } from './monitoring';
import { addCloudWatchLogsAssumption, addKmsKeyCost } from './private/service-prices';

/** CloudWatch Logs retention periods the API accepts, days (`PutRetentionPolicy`). */
export const CLOUDWATCH_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** CloudWatch namespace of the log-alert metrics. */
export const LOG_ALERT_METRIC_NAMESPACE = 'cdktf-ai-infra/Logs';

/** Properties of {@link ContainerLogs}. */
export interface ContainerLogsProps {
  /** The cluster whose container logs the group receives (its name names the group). */
  readonly cluster: IEksCluster;
  /**
   * Retention, days: one of {@link CLOUDWATCH_RETENTION_DAYS}.
   * @default 30
   */
  readonly retentionDays?: number;
  /**
   * Where the log alarms go (for example `Monitoring.topic`); CloudWatch alarms are admitted to
   * publish to it.
   * @default - a new AlertTopic (no subscriptions)
   */
  readonly topic?: IAlertTopic;
  /**
   * Namespace and service account of the log shipper (the k8s `LogShipper` defaults).
   * @default { namespace: 'logging', serviceAccount: 'fluent-bit' }
   */
  readonly shipper?: CollectorServiceAccount;
  /**
   * Keep `terraform destroy` from deleting the group and its logs (`lifecycle.prevent_destroy`).
   * @default true
   */
  readonly protectFromDestroy?: boolean;
}

/** A CloudWatch Logs filter pattern matching any of the terms (unstructured OR terms). */
export function cloudWatchFilterPattern(rule: LogAlertDefinition): string {
  return rule.terms.map((t) => `?"${t.replace(/"/g, '\\"')}"`).join(' ');
}

/**
 * CloudWatch Logs for an EKS cluster's container output: a log group
 * `/aws/eks/<cluster>/containers` encrypted with its own KMS key (rotation on, the key policy
 * admits CloudWatch Logs for this group only), with retention and protected from destroy; the EKS
 * Pod Identity role of the log shipper (create, describe and put log streams in this group only);
 * and the core container log alerts (CUDA out of memory, NCCL failures) as metric filters with
 * an alarm each to an SNS topic.
 *
 * The group receives what the k8s `LogShipper` (Fluent Bit) sends with
 * `LogDestination.cloudWatch(...)`. Crash loops are Kubernetes events, which the shipper does not
 * read: alert on them from kube-state-metrics.
 *
 * @example
 * const logs = new ContainerLogs(stack, 'Logs', { cluster, retentionDays: 30, topic });
 */
export class ContainerLogs extends Construct {
  /** The log group. */
  public readonly resource: CloudwatchLogGroup;
  /** The group's KMS key. */
  public readonly key: KmsKey;
  /** Log group name. */
  public readonly logGroupName: string;
  /** The shipper's role. */
  public readonly shipperRole: WorkloadRole;
  /** The alarm topic. */
  public readonly topic: IAlertTopic;
  /** The alarms by log alert name. */
  public readonly alarms: Record<string, CloudwatchMetricAlarm> = {};

  constructor(scope: Construct, id: string, props: ContainerLogsProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    Validate.object(this, 'cluster', props.cluster);
    const retention = Validate.integer(this, 'retentionDays', props.retentionDays ?? 30, {
      min: 1,
      max: 3653,
    });
    if (!CLOUDWATCH_RETENTION_DAYS.includes(retention)) {
      throw new ValidationError(
        `'retentionDays' (${retention}) is not a retention CloudWatch Logs accepts: use one of ${CLOUDWATCH_RETENTION_DAYS.join(', ')}.`,
        this,
      );
    }
    if (props.protectFromDestroy !== undefined)
      Validate.boolean(this, 'protectFromDestroy', props.protectFromDestroy);
    const shipper = props.shipper ?? { namespace: 'logging', serviceAccount: 'fluent-bit' };
    Validate.object(this, 'shipper', shipper);
    const partition = new DataAwsPartition(this, 'Partition').partition;
    const account = new DataAwsCallerIdentity(this, 'Account').accountId;
    const region = props.cluster.network.region;
    this.logGroupName = `/aws/eks/${props.cluster.clusterName}/containers`;
    const groupArn = `arn:${partition}:logs:${region}:${account}:log-group:${this.logGroupName}`;
    // CloudWatch Logs needs the key policy to admit it, scoped by the encryption context of the
    // group (CloudWatch Logs User Guide, "Encrypt log data in CloudWatch Logs using AWS KMS").
    this.key = new KmsKey(this, 'Key', {
      description: `CloudWatch Logs ${this.logGroupName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AccountAdministers',
            Effect: 'Allow',
            Principal: { AWS: `arn:${partition}:iam::${account}:root` },
            Action: 'kms:*',
            Resource: '*',
          },
          {
            Sid: 'CloudWatchLogsUsesForThisGroup',
            Effect: 'Allow',
            Principal: { Service: `logs.${region}.amazonaws.com` },
            Action: [
              'kms:Encrypt*',
              'kms:Decrypt*',
              'kms:ReEncrypt*',
              'kms:GenerateDataKey*',
              'kms:Describe*',
            ],
            Resource: '*',
            Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': groupArn } },
          },
        ],
      }),
    });
    const protect = props.protectFromDestroy ?? true;
    this.resource = new CloudwatchLogGroup(this, 'Resource', {
      name: this.logGroupName,
      retentionInDays: retention,
      kmsKeyId: this.key.arn,
      lifecycle: { preventDestroy: protect },
    });
    this.node.defaultChild = this.resource;
    addKmsKeyCost(this.key, 'container logs');
    addCloudWatchLogsAssumption(this.resource, 'container logs');

    this.shipperRole = new WorkloadRole(this, 'ShipperRole', props.cluster, shipper);
    new IamRolePolicy(this, 'ShipperWrite', {
      role: this.shipperRole.roleName,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            Resource: [groupArn, `${groupArn}:*`],
          },
        ],
      }),
    });

    this.topic = props.topic ?? new AlertTopic(this, 'Topic', {});
    this.topic.allowPublishFrom('cloudwatch.amazonaws.com');
    const logGroupName = this.resource.name; // read once: each attribute read creates a cdktf token
    for (const rule of LOG_ALERT_RULES.filter((r) => r.source === LogAlertSource.CONTAINER)) {
      const filter = new CloudwatchLogMetricFilter(this, `Filter-${rule.name}`, {
        name: `${rule.name}`,
        logGroupName,
        pattern: cloudWatchFilterPattern(rule),
        metricTransformation: {
          namespace: LOG_ALERT_METRIC_NAMESPACE,
          name: rule.name,
          value: '1',
          defaultValue: '0',
          unit: 'Count',
        },
      });
      this.alarms[rule.name] = new CloudwatchMetricAlarm(this, `Alarm-${rule.name}`, {
        alarmName: `${props.cluster.clusterName}-${rule.name}`,
        alarmDescription: `[${rule.severity}] ${rule.summary}. ${rule.runbook}`.slice(0, 1024),
        namespace: LOG_ALERT_METRIC_NAMESPACE,
        metricName: rule.name,
        statistic: 'Sum',
        period: 300,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'notBreaching',
        alarmActions: [this.topic.topicArn],
        okActions: [this.topic.topicArn],
        dependsOn: [filter],
      });
    }
  }
}
