import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { TerraformResource, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { addEfaSecurityGroup } from './private/efa-security-group';
import { Validate, ValidationError } from '../core';
import { IEksCluster, IKarpenter } from './interfaces';
import { requireEksCluster } from './private/auto-mode-rules';
import type { AwsPinnedHelmChart } from './load-balancer-controller';
import { serviceTrustPolicy } from './private/iam';
import { awsPartition } from './private/partition';
import { HelmReleaseResource } from '../core/private/raw-resource';
import { toYaml } from '../core/private/yaml';

/**
 * The Karpenter chart: `oci://public.ecr.aws/karpenter/karpenter` 1.14.1 (controller image
 * 1.14.1), the release aws/karpenter-provider-aws v1.14.1 (commit bde00654, 2026-08-20). The
 * CRDs (`karpenter.sh/v1` NodePool, `karpenter.k8s.aws/v1` EC2NodeClass) ship in the chart's
 * `crds/` directory. The release tag's own `charts/karpenter/Chart.yaml` still reads 1.13.0:
 * the release job stamps the version when it publishes to the OCI registry.
 */
export const KARPENTER_CHART: AwsPinnedHelmChart = {
  repository: 'oci://public.ecr.aws/karpenter',
  chart: 'karpenter',
  version: '1.14.1',
  source: 'https://github.com/aws/karpenter-provider-aws/releases/tag/v1.14.1',
  checked: '2026-12-03',
};

/** Namespace of the Karpenter controller (upstream's recommendation: `kube-system`). */
export const KARPENTER_NAMESPACE = 'kube-system';

/** Service account of the Karpenter controller (the Pod Identity association's). */
export const KARPENTER_SERVICE_ACCOUNT = 'karpenter';

/** An EventBridge event by its source and detail-type. */
export interface KarpenterInterruptionEvent {
  /** Event `source`, for example `aws.ec2`. */
  readonly source: string;
  /** Event `detail-type`. */
  readonly detailType: string;
}

/**
 * EventBridge events Karpenter's interruption handling consumes, by rule id: source and
 * detail-type (aws/karpenter-provider-aws v1.14.1
 * `website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml`).
 */
export const KARPENTER_INTERRUPTION_EVENTS: Readonly<Record<string, KarpenterInterruptionEvent>> = {
  ScheduledChange: { source: 'aws.health', detailType: 'AWS Health Event' },
  SpotInterruption: { source: 'aws.ec2', detailType: 'EC2 Spot Instance Interruption Warning' },
  Rebalance: { source: 'aws.ec2', detailType: 'EC2 Instance Rebalance Recommendation' },
  InstanceStateChange: { source: 'aws.ec2', detailType: 'EC2 Instance State-change Notification' },
  CapacityReservationInterruption: {
    source: 'aws.ec2',
    detailType: 'EC2 Capacity Reservation Instance Interruption Warning',
  },
};

/** What {@link karpenterControllerPolicy} scopes the controller's permissions to. */
export interface KarpenterPolicyScope {
  /** AWS partition (`aws`, `aws-cn`, `aws-us-gov`), usually a Terraform reference. */
  readonly partition: string;
  /** Region of the cluster. */
  readonly region: string;
  /** Account id of the cluster. */
  readonly accountId: string;
  /** Cluster name. */
  readonly clusterName: string;
  /** ARN of the node role Karpenter passes to its instance profiles. */
  readonly nodeRoleArn: string;
  /** ARN of the interruption queue. */
  readonly interruptionQueueArn: string;
}

/**
 * The Karpenter controller's IAM policy, written as this library's statements from the
 * permissions Karpenter documents for v1.14.1 (`NodeLifecyclePolicy`, `IAMIntegrationPolicy`,
 * `EKSIntegrationPolicy`, `InterruptionPolicy` and `ResourceDiscoveryPolicy` of
 * aws/karpenter-provider-aws v1.14.1
 * `website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml`).
 * Left out: the zonal-shift read permission (the library does not set `settings.enableZonalShift`).
 * Launches, tags and deletions are limited to resources tagged for this cluster and a NodePool.
 */
export function karpenterControllerPolicy(s: KarpenterPolicyScope): Record<string, unknown> {
  const ec2 = (type: string, account = '*') => `arn:${s.partition}:ec2:${s.region}:${account}:${type}/*`;
  const owned = { [`aws:ResourceTag/kubernetes.io/cluster/${s.clusterName}`]: 'owned' };
  const requestOwned = {
    [`aws:RequestTag/kubernetes.io/cluster/${s.clusterName}`]: 'owned',
    'aws:RequestTag/eks:eks-cluster-name': s.clusterName,
  };
  const launched = [
    'fleet',
    'instance',
    'volume',
    'network-interface',
    'launch-template',
    'spot-instances-request',
  ].map((t) => ec2(t));
  const profiles = `arn:${s.partition}:iam::${s.accountId}:instance-profile/*`;
  const clusterArn = `arn:${s.partition}:eks:${s.region}:${s.accountId}:cluster/${s.clusterName}`;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowScopedEC2InstanceAccessActions',
        Effect: 'Allow',
        Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
        Resource: [
          `arn:${s.partition}:ec2:${s.region}::image/*`,
          `arn:${s.partition}:ec2:${s.region}::snapshot/*`,
          ec2('security-group'),
          ec2('subnet'),
          ec2('capacity-reservation'),
          ec2('placement-group'),
        ],
      },
      {
        Sid: 'AllowScopedEC2LaunchTemplateAccessActions',
        Effect: 'Allow',
        Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
        Resource: ec2('launch-template'),
        Condition: {
          StringEquals: owned,
          StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
        },
      },
      {
        Sid: 'AllowScopedEC2InstanceActionsWithTags',
        Effect: 'Allow',
        Action: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
        Resource: launched,
        Condition: {
          StringEquals: requestOwned,
          StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
        },
      },
      {
        Sid: 'AllowScopedResourceCreationTagging',
        Effect: 'Allow',
        Action: 'ec2:CreateTags',
        Resource: launched,
        Condition: {
          StringEquals: {
            ...requestOwned,
            'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'],
          },
          StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
        },
      },
      {
        Sid: 'AllowScopedResourceTagging',
        Effect: 'Allow',
        Action: 'ec2:CreateTags',
        Resource: ec2('instance'),
        Condition: {
          StringEquals: owned,
          StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
          StringEqualsIfExists: { 'aws:RequestTag/eks:eks-cluster-name': s.clusterName },
          'ForAllValues:StringEquals': {
            'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'],
          },
        },
      },
      {
        Sid: 'AllowScopedDeletion',
        Effect: 'Allow',
        Action: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
        Resource: [ec2('instance'), ec2('launch-template')],
        Condition: {
          StringEquals: owned,
          StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
        },
      },
      {
        Sid: 'AllowPassingInstanceRole',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: s.nodeRoleArn,
        Condition: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } },
      },
      {
        Sid: 'AllowScopedInstanceProfileCreationActions',
        Effect: 'Allow',
        Action: 'iam:CreateInstanceProfile',
        Resource: profiles,
        Condition: {
          StringEquals: { ...requestOwned, 'aws:RequestTag/topology.kubernetes.io/region': s.region },
          StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
        },
      },
      {
        Sid: 'AllowScopedInstanceProfileTagActions',
        Effect: 'Allow',
        Action: 'iam:TagInstanceProfile',
        Resource: profiles,
        Condition: {
          StringEquals: {
            ...owned,
            'aws:ResourceTag/topology.kubernetes.io/region': s.region,
            ...requestOwned,
            'aws:RequestTag/topology.kubernetes.io/region': s.region,
          },
          StringLike: {
            'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*',
            'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*',
          },
        },
      },
      {
        Sid: 'AllowScopedInstanceProfileActions',
        Effect: 'Allow',
        Action: [
          'iam:AddRoleToInstanceProfile',
          'iam:RemoveRoleFromInstanceProfile',
          'iam:DeleteInstanceProfile',
        ],
        Resource: profiles,
        Condition: {
          StringEquals: { ...owned, 'aws:ResourceTag/topology.kubernetes.io/region': s.region },
          StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' },
        },
      },
      {
        Sid: 'AllowAPIServerEndpointDiscovery',
        Effect: 'Allow',
        Action: 'eks:DescribeCluster',
        Resource: clusterArn,
      },
      {
        Sid: 'AllowInterruptionQueueActions',
        Effect: 'Allow',
        Action: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
        Resource: s.interruptionQueueArn,
      },
      {
        Sid: 'AllowRegionalReadActions',
        Effect: 'Allow',
        Action: [
          'ec2:DescribeCapacityReservations',
          'ec2:DescribeImages',
          'ec2:DescribeInstances',
          'ec2:DescribeInstanceStatus',
          'ec2:DescribeInstanceTypeOfferings',
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeLaunchTemplates',
          'ec2:DescribePlacementGroups',
          'ec2:DescribeSecurityGroups',
          'ec2:DescribeSpotPriceHistory',
          'ec2:DescribeSubnets',
        ],
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestedRegion': s.region } },
      },
      {
        Sid: 'AllowSSMReadActions',
        Effect: 'Allow',
        Action: 'ssm:GetParameter',
        Resource: `arn:${s.partition}:ssm:${s.region}::parameter/aws/service/*`,
      },
      { Sid: 'AllowPricingReadActions', Effect: 'Allow', Action: 'pricing:GetProducts', Resource: '*' },
      {
        Sid: 'AllowUnscopedInstanceProfileListAction',
        Effect: 'Allow',
        Action: 'iam:ListInstanceProfiles',
        Resource: '*',
      },
      {
        Sid: 'AllowInstanceProfileReadActions',
        Effect: 'Allow',
        Action: 'iam:GetInstanceProfile',
        Resource: profiles,
      },
    ],
  };
}

const AWS_RESOURCES = new WeakMap<IEksCluster, KarpenterAwsResources>();

/**
 * What Karpenter needs in AWS, created once per cluster in the cluster's stack (under
 * `<cluster>/Karpenter`): the controller's IAM role with {@link karpenterControllerPolicy}
 * bound to `kube-system/karpenter` through EKS Pod Identity; the SQS interruption queue
 * (SSE-SQS encryption, 5-minute retention, TLS-only, writable only by its EventBridge rules)
 * and the five rules of {@link KARPENTER_INTERRUPTION_EVENTS}; and the EFA node security group
 * (all traffic to and from itself) that EFA NodePools put on every interface.
 *
 * Karpenter nodes use the cluster's node role: the EKS access entry EKS made for the system
 * managed node group, which uses the same role, lets them join.
 */
export class KarpenterAwsResources extends Construct {
  /** The resources of `cluster` (owned or imported), created on first use. */
  public static of(cluster: IEksCluster): KarpenterAwsResources {
    let r = AWS_RESOURCES.get(cluster);
    if (!r) {
      r = new KarpenterAwsResources(cluster, 'Karpenter', cluster);
      AWS_RESOURCES.set(cluster, r);
    }
    return r;
  }

  /** The controller's role. */
  public readonly role: IamRole;
  /** The interruption queue. */
  public readonly queue: SqsQueue;
  /** The EventBridge rules feeding the queue, by {@link KARPENTER_INTERRUPTION_EVENTS} id. */
  public readonly rules: Record<string, CloudwatchEventRule> = {};
  /** Security group with the self-referencing all-traffic rules EFA needs. */
  public readonly efaSecurityGroup: SecurityGroup;
  /** The cluster. */
  public readonly cluster: IEksCluster;

  private constructor(scope: Construct, id: string, cluster: IEksCluster) {
    super(scope, id);
    this.cluster = cluster;
    const partition = awsPartition(this);
    const account = new DataAwsCallerIdentity(this, 'Account');
    const queueName = `karpenter-${cluster.clusterName}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 80);
    this.queue = new SqsQueue(this, 'InterruptionQueue', {
      name: queueName,
      messageRetentionSeconds: 300,
      sqsManagedSseEnabled: true,
    });
    const queueArn = this.queue.arn; // read once: each attribute read creates a cdktf token
    for (const [ruleId, e] of Object.entries(KARPENTER_INTERRUPTION_EVENTS)) {
      const rule = new CloudwatchEventRule(this, `${ruleId}Rule`, {
        description: `Karpenter interruption handling of ${cluster.clusterName}: ${e.detailType}`,
        eventPattern: JSON.stringify({ source: [e.source], 'detail-type': [e.detailType] }),
      });
      new CloudwatchEventTarget(this, `${ruleId}Target`, {
        rule: rule.name,
        targetId: 'KarpenterInterruptionQueueTarget',
        arn: queueArn,
      });
      this.rules[ruleId] = rule;
    }
    new SqsQueuePolicy(this, 'InterruptionQueuePolicy', {
      queueUrl: this.queue.url,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Id: 'EC2InterruptionPolicy',
        Statement: [
          {
            Sid: 'AllowKarpenterRules',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: queueArn,
            Condition: { ArnEquals: { 'aws:SourceArn': Object.values(this.rules).map((r) => r.arn) } },
          },
          {
            Sid: 'DenyHTTP',
            Effect: 'Deny',
            Principal: '*',
            Action: 'sqs:*',
            Resource: queueArn,
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      }),
    });
    this.role = new IamRole(this, 'ControllerRole', {
      assumeRolePolicy: serviceTrustPolicy('pods.eks.amazonaws.com', ['sts:AssumeRole', 'sts:TagSession']),
      description: `Karpenter controller of EKS cluster ${cluster.clusterName}`,
    });
    new IamRolePolicy(this, 'ControllerPolicy', {
      role: this.role.name,
      name: 'KarpenterController',
      policy: JSON.stringify(
        karpenterControllerPolicy({
          partition,
          region: cluster.region,
          accountId: account.accountId,
          clusterName: cluster.clusterName,
          nodeRoleArn: cluster.nodeRole.roleArn,
          interruptionQueueArn: queueArn,
        }),
      ),
    });
    new EksPodIdentityAssociation(this, 'PodIdentity', {
      clusterName: cluster.clusterName,
      namespace: KARPENTER_NAMESPACE,
      serviceAccount: KARPENTER_SERVICE_ACCOUNT,
      roleArn: this.role.arn,
      dependsOn: [cluster.clusterDependency],
    });
    this.efaSecurityGroup = addEfaSecurityGroup(this, {
      id: 'EfaSecurityGroup',
      rulePrefix: 'Efa',
      vpcId: cluster.network.vpcId,
      description: `Karpenter EFA nodes of ${cluster.clusterName}: all traffic to and from itself`,
      name: `${this.node.path}/EfaSecurityGroup`,
    }).securityGroup;
  }
}

/** Properties of {@link Karpenter}. */
export interface KarpenterProps {
  /**
   * The cluster: an `EksCluster`, or one the app does not own (`EksCluster.fromClusterAttributes`).
   * Karpenter's AWS resources are created in the cluster's stack, under the cluster's construct.
   * On an imported cluster, Karpenter nodes join through the node role's existing EKS access
   * entry (EKS creates one of type `EC2_LINUX` for every managed node group that uses the role).
   */
  readonly cluster: IEksCluster;
  /**
   * Controller replicas (leader-elected; 2 keeps provisioning going through a node drain).
   * @default 2
   */
  readonly replicas?: number;
}

/**
 * Karpenter on an EKS cluster: the pinned chart ({@link KARPENTER_CHART}) in `kube-system`
 * with the cluster name and interruption queue set, and, in the cluster's stack, its AWS
 * resources ({@link KarpenterAwsResources}). Create it in the platform stack (the one whose
 * Helm provider is configured from the cluster), and the {@link KarpenterGpuNodePool}s in a
 * stack that depends on it: `kubernetes_manifest` needs the CRDs at plan time.
 *
 * The controller runs on the system node group (the chart's default affinity keeps it off
 * nodes Karpenter manages), two replicas with the chart's PodDisruptionBudget.
 *
 * @see https://karpenter.sh/docs/getting-started/getting-started-with-karpenter/
 * @example
 * const karpenter = new Karpenter(platformStack, 'Karpenter', { cluster });
 * new KarpenterGpuNodePool(workloadsStack, 'H100', { karpenter, accelerator: Accelerator.H100, maxGpus: 64 });
 */
export class Karpenter extends Construct implements IKarpenter {
  /** The `helm_release` (written without the helm provider binding, as the AWS module loads only the AWS one). */
  public readonly resource: TerraformResource;
  /** The AWS resources in the cluster's stack. */
  public readonly aws: KarpenterAwsResources;
  /** The cluster. */
  public readonly cluster: IEksCluster;
  /** The values passed to the chart. */
  public readonly values: Record<string, unknown>;

  /** Id of the EFA security group (`aws.efaSecurityGroup`), which EFA pools' nodes join. */
  public get efaSecurityGroupId(): string {
    return this.aws.efaSecurityGroup.id;
  }

  constructor(scope: Construct, id: string, props: KarpenterProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    const cluster = requireEksCluster(this, 'cluster', props.cluster);
    if (cluster.autoMode) {
      throw new ValidationError(
        `'cluster' ${cluster.clusterName} runs EKS Auto Mode, whose built-in Karpenter already owns the karpenter.sh NodePool CRD: ` +
          `a second Karpenter would fight it over every NodePool. Use AutoModeGpuNodePool for GPU pools on an Auto Mode cluster.`,
        this,
      );
    }
    this.cluster = cluster;
    const replicas = Validate.integer(this, 'replicas', props.replicas ?? 2, { min: 1, max: 10 });
    if (TerraformStack.of(this) === TerraformStack.of(cluster)) {
      throw new ValidationError(
        `Karpenter's Helm release is in the stack of the EKS cluster '${cluster.node.path}': the Helm provider is configured ` +
          `from that cluster's outputs, so create Karpenter in a stack that depends on it (the platform stack).`,
        this,
      );
    }
    this.aws = KarpenterAwsResources.of(cluster);
    // Keys checked against charts/karpenter/values.yaml of aws/karpenter-provider-aws v1.14.1.
    this.values = {
      replicas,
      serviceAccount: { create: true, name: KARPENTER_SERVICE_ACCOUNT },
      settings: {
        clusterName: cluster.clusterName,
        interruptionQueue: this.aws.queue.name,
        // Beta and on by default at v1.14.1; set so a chart bump cannot turn reservations off.
        featureGates: { reservedCapacity: true },
      },
      controller: {
        resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { memory: '1Gi' } },
      },
    };
    this.resource = new HelmReleaseResource(this, 'Resource', {
      name: 'karpenter',
      namespace: KARPENTER_NAMESPACE,
      repository: KARPENTER_CHART.repository,
      chart: KARPENTER_CHART.chart,
      version: KARPENTER_CHART.version,
      values: [toYaml(this.values)],
      timeout: 600,
      atomic: true,
      cleanup_on_fail: true,
    });
    this.node.defaultChild = this.resource;
  }
}
