import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { PrometheusAlertManagerDefinition } from '@cdktf/provider-aws/lib/prometheus-alert-manager-definition';
import { PrometheusRuleGroupNamespace } from '@cdktf/provider-aws/lib/prometheus-rule-group-namespace';
import { PrometheusWorkspace } from '@cdktf/provider-aws/lib/prometheus-workspace';
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import {
  AlertRuleSet,
  AlertRuleSetOptions,
  CostAllocationRuleOptions,
  ServiceLevelObjective,
  Validate,
  ValidationError,
  checkSloSet,
  costAllocationRuleGroup,
} from '../core';
import { AlertTopic } from './alert-topic';
import { WorkloadRole } from './cluster';
import { IAlertTopic, IAwsRole, ICheckpointStore, IEksCluster } from './interfaces';
import { RoleGrants } from './private/grants';
import type { TrainingNodeGroup } from './training-node-group';
import { addAmpIngestionAssumption } from './private/service-prices';
import { toYaml } from '../core/private/yaml';

/** The Kubernetes service account of an in-cluster metrics collector. */
export interface CollectorServiceAccount {
  /** Namespace. */
  readonly namespace: string;
  /** Service account name. */
  readonly serviceAccount: string;
}

/** Properties of a {@link Monitoring}. */
export interface MonitoringProps {
  /**
   * The cluster whose in-cluster Prometheus (or agent) remote-writes to the workspace: a Pod
   * Identity role for its service account is created with `aps:RemoteWrite`.
   * @default - no collector role; use grantRemoteWrite
   */
  readonly cluster?: IEksCluster;
  /**
   * Namespace and service account of the in-cluster collector.
   * @default { namespace: 'monitoring', serviceAccount: 'prometheus' }
   */
  readonly collector?: CollectorServiceAccount;
  /**
   * AWS region of the workspace (for the alert manager's SigV4 signing).
   * @default - the cluster's region; required without a cluster
   */
  readonly region?: string;
  /**
   * The topic alerts go to; the workspace's alert manager is admitted on its topic policy and
   * its KMS key policy.
   * @default - a new AlertTopic with `emails` (encrypted with its own KMS key)
   */
  readonly topic?: IAlertTopic;
  /**
   * E-mail addresses for a new topic (ignored when `topic` is given).
   * @default - none
   */
  readonly emails?: string[];
  /**
   * Options of the core alert rules rendered into the workspace.
   * @default - all rules with their default thresholds
   */
  readonly alertRules?: AlertRuleSetOptions;
  /**
   * Service-level objectives per model: recording rules and multiwindow, multi-burn-rate alerts
   * in the workspace's rule groups, routed like every other alert.
   * @default - none
   */
  readonly slos?: ServiceLevelObjective[];
  /**
   * Cost allocation: the recording rules of core `costAllocationRuleGroup` (cost per pod,
   * namespace, model and team, `llm_cost_per_million_tokens`) evaluated by the workspace on the
   * remote-written OpenCost, vLLM and kube-state-metrics series. The in-cluster monitoring stack
   * then sets `costAllocation: { ..., recordingRules: false }`: it exports the team label but
   * records nothing itself, so no cost series arrives twice.
   * @default - no cost-allocation rules
   */
  readonly costAllocation?: CostAllocationRuleOptions;
  /**
   * Workspace alias.
   * @default - the construct path
   */
  readonly alias?: string;
}

/**
 * Amazon Managed Prometheus for GPU clusters: a workspace, rule groups rendered from the
 * library's core alert rules (LLM serving, GPU health, training), SLOs and cost allocation, an alert manager definition
 * that routes to SNS (SigV4) with e-mail subscriptions, the Pod Identity role an in-cluster
 * collector needs to remote-write, and CloudWatch alarms for what Prometheus cannot see
 * (training nodes that never launched, FSx free space).
 *
 * @see https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-alertmanager-receiver.html
 * @example
 * const monitoring = new Monitoring(stack, 'Monitoring', { cluster, emails: ['ml-oncall@example.com'] });
 * monitoring.alarmOnNodeGroupCapacity(trainingGroup);
 * monitoring.alarmOnFileSystemFreeSpace(checkpoints);
 */
export class Monitoring extends Construct {
  /** The workspace. */
  public readonly resource: PrometheusWorkspace;
  /** The alert topic. */
  public readonly topic: IAlertTopic;
  /** The collector's role, when `cluster` is given. */
  public readonly collectorRole?: WorkloadRole;
  /**
   * The in-cluster collector's service account the role is bound to, when `cluster` is given:
   * the Prometheus that remote-writes must run under it.
   */
  public readonly collector?: CollectorServiceAccount;
  /** AWS region of the workspace (for SigV4 signing of remote writes). */
  public readonly region: string;
  /** Remote-write URL for Prometheus `remoteWrite` (SigV4, service `aps`). */
  public readonly remoteWriteUrl: string;
  /** Query URL for Grafana (SigV4). */
  public readonly queryUrl: string;
  /** The rule group namespace. */
  public readonly ruleGroups: PrometheusRuleGroupNamespace;
  private readonly grants = new RoleGrants(this);
  /** `resource.arn`, read once: each attribute read creates a cdktf token. */
  private readonly workspaceArn: string;

  constructor(scope: Construct, id: string, props: MonitoringProps = {}) {
    super(scope, id);
    Validate.object(this, 'props', props);
    if (props.region !== undefined) Validate.awsRegion(this, 'region', props.region);
    if (props.alias !== undefined) Validate.string(this, 'alias', props.alias, { maxLength: 100 });
    if (props.collector !== undefined) {
      Validate.object(this, 'collector', props.collector);
      Validate.k8sDnsLabel(this, 'collector.namespace', props.collector.namespace, { what: 'a namespace' });
      Validate.k8sDnsSubdomain(this, 'collector.serviceAccount', props.collector.serviceAccount, {
        what: 'a service account name',
      });
    }
    const region = props.region ?? props.cluster?.network.region;
    if (!region) {
      throw new ValidationError(
        `'region' is required when no 'cluster' is given: the alert manager signs SNS requests for it.`,
        this,
      );
    }
    this.region = region;
    this.topic = props.topic ?? new AlertTopic(this, 'Topic', { emails: props.emails });
    this.resource = new PrometheusWorkspace(this, 'Resource', {
      alias: props.alias ?? this.node.path.replace(/\//g, '-').slice(-100),
    });
    this.node.defaultChild = this.resource;
    addAmpIngestionAssumption(this.resource);
    const endpoint = this.resource.prometheusEndpoint;
    const workspaceId = this.resource.id;
    this.workspaceArn = this.resource.arn;
    this.remoteWriteUrl = `${endpoint}api/v1/remote_write`;
    this.queryUrl = `${endpoint}api/v1/query`;

    const groups = ValidationError.withScope(this, () => [
      ...AlertRuleSet.defaults(props.alertRules).toPrometheusRuleGroups(),
      ...checkSloSet(props.slos, 'slos').map((slo) => slo.toPrometheusRuleGroup()),
      ...(props.costAllocation === undefined ? [] : [costAllocationRuleGroup(props.costAllocation)]),
    ]);
    this.ruleGroups = new PrometheusRuleGroupNamespace(this, 'RuleGroups', {
      workspaceId,
      name: 'cdktf-ai-infra',
      data: toYaml({ groups }),
    });

    this.topic.allowPublishFrom('aps.amazonaws.com', this.workspaceArn);
    const alertmanager = {
      route: {
        receiver: 'sns',
        group_by: ['alertname', 'severity'],
        group_wait: '30s',
        group_interval: '5m',
        repeat_interval: '4h',
      },
      receivers: [
        {
          name: 'sns',
          sns_configs: [
            {
              topic_arn: this.topic.topicArn,
              sigv4: { region },
              subject: '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}',
              attributes: { severity: '{{ .CommonLabels.severity }}' },
            },
          ],
        },
      ],
    };
    new PrometheusAlertManagerDefinition(this, 'AlertManager', {
      workspaceId,
      definition: toYaml({ alertmanager_config: toYaml(alertmanager) }),
    });

    if (props.cluster) {
      const c = props.collector ?? { namespace: 'monitoring', serviceAccount: 'prometheus' };
      this.collector = c;
      this.collectorRole = new WorkloadRole(this, 'CollectorRole', props.cluster, c);
      this.grantRemoteWrite(this.collectorRole);
    }
    new TerraformOutput(this, 'RemoteWriteUrl', {
      value: this.remoteWriteUrl,
      description: 'Amazon Managed Prometheus remote-write URL',
    });
  }

  /** Lets a role remote-write to and query the workspace. */
  public grantRemoteWrite(role: IAwsRole): IamRolePolicy {
    return this.grants.add('grantRemoteWrite', role, [
      {
        Effect: 'Allow',
        Action: [
          'aps:RemoteWrite',
          'aps:QueryMetrics',
          'aps:GetSeries',
          'aps:GetLabels',
          'aps:GetMetricMetadata',
        ],
        Resource: this.workspaceArn,
      },
    ]);
  }

  /**
   * Alarms when fewer EC2 instances of a training node group report metrics than the group
   * should have (launch failures, insufficient capacity, terminated nodes): the sample count of
   * `AWS/EC2 CPUUtilization` over the group's Auto Scaling group, per 5 minutes. Missing data
   * (no instance at all) is treated as breaching. A Capacity Block group alarms outside the
   * block's window too. Relies on EC2 basic (5-minute) monitoring, which the library's launch
   * templates keep; managed node groups do not enable the `AWS/AutoScaling` group metrics.
   */
  public alarmOnNodeGroupCapacity(group: TrainingNodeGroup): CloudwatchMetricAlarm {
    const asg = group.resource.resources.get(0).autoscalingGroups.get(0).name;
    return new CloudwatchMetricAlarm(this, `Capacity-${group.node.id}`, {
      alarmName: `${group.node.path.replace(/\//g, '-')}-capacity`,
      alarmDescription: `Fewer than ${group.nodes} ${group.instanceType.name} instances of ${group.node.path} are running.`,
      namespace: 'AWS/EC2',
      metricName: 'CPUUtilization',
      dimensions: { AutoScalingGroupName: asg },
      statistic: 'SampleCount',
      period: 300,
      evaluationPeriods: 3,
      threshold: group.nodes,
      comparisonOperator: 'LessThanThreshold',
      treatMissingData: 'breaching',
      alarmActions: [this.topic.topicArn],
      okActions: [this.topic.topicArn],
    });
  }

  /**
   * Alarms when the FSx for Lustre file system of a checkpoint store has less than
   * `thresholdPercent` of its capacity free (`AWS/FSx FreeDataStorageCapacity`, `Sum` over the
   * storage targets, 3 of 15 one-minute points).
   * @see https://docs.aws.amazon.com/fsx/latest/LustreGuide/fs-metrics.html
   * @param thresholdPercent default 10
   */
  public alarmOnFileSystemFreeSpace(store: ICheckpointStore, thresholdPercent = 10): CloudwatchMetricAlarm {
    const fileSystemId = store.fileSystemId;
    if (fileSystemId === undefined) {
      throw new ValidationError(
        `alarmOnFileSystemFreeSpace: checkpoint store ${store.node.path} has no FSx for Lustre file system ('lustre' is not set).`,
        this,
      );
    }
    if (!(thresholdPercent > 0 && thresholdPercent < 100)) {
      throw new ValidationError(
        `alarmOnFileSystemFreeSpace: 'thresholdPercent' (${thresholdPercent}) must be between 0 and 100.`,
        this,
      );
    }
    const bytes = Math.floor(store.lustreCapacityGiB * 1024 ** 3 * (thresholdPercent / 100));
    return new CloudwatchMetricAlarm(this, `FreeSpace-${store.node.id}`, {
      alarmName: `${store.node.path.replace(/\//g, '-')}-lustre-free-space`,
      alarmDescription: `FSx for Lustre of ${store.node.path} has less than ${thresholdPercent}% of ${store.lustreCapacityGiB} GiB free.`,
      namespace: 'AWS/FSx',
      metricName: 'FreeDataStorageCapacity',
      dimensions: { FileSystemId: fileSystemId },
      // Sum is the whole file system's free bytes; Minimum would be the fullest storage target's
      // (FSx LustreGuide fs-metrics). One-minute periods so a Sum never spans two reports; 3 low
      // points in 15 minutes tolerates both per-minute and sparser reporting.
      statistic: 'Sum',
      period: 60,
      evaluationPeriods: 15,
      datapointsToAlarm: 3,
      threshold: bytes,
      comparisonOperator: 'LessThanThreshold',
      treatMissingData: 'missing',
      alarmActions: [this.topic.topicArn],
      okActions: [this.topic.topicArn],
    });
  }
}
