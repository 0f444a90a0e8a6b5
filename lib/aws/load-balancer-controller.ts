import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { TerraformResource, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Validate, ValidationError } from '../core';
import { HelmReleaseResource } from '../core/private/raw-resource';
import { IEksCluster } from './interfaces';
import { requireEksCluster } from './private/auto-mode-rules';
import { serviceTrustPolicy } from './private/iam';
import { awsPartition } from './private/partition';
import { toYaml } from '../core/private/yaml';

/** A Helm chart pinned by the AWS module, with where it was read and when it was checked. */
export interface AwsPinnedHelmChart {
  /** Chart repository URL. */
  readonly repository: string;
  /** Chart name. */
  readonly chart: string;
  /** Exact chart version. */
  readonly version: string;
  /** Release the version was read from. */
  readonly source: string;
  /** Day the pin was last checked against the project's release tags, `YYYY-MM-DD`. */
  readonly checked: string;
}

/**
 * The AWS Load Balancer Controller chart: chart 3.5.0, controller image v3.5.0 (the chart's
 * default `image.tag`), published to the eks-charts repository; `helm/aws-load-balancer-controller/Chart.yaml`
 * of kubernetes-sigs/aws-load-balancer-controller at tag v3.5.0 (commit 11eb202c).
 */
export const AWS_LOAD_BALANCER_CONTROLLER_CHART: AwsPinnedHelmChart = {
  repository: 'https://aws.github.io/eks-charts',
  chart: 'aws-load-balancer-controller',
  version: '3.5.0',
  source: 'https://github.com/kubernetes-sigs/aws-load-balancer-controller/releases/tag/v3.5.0',
  checked: '2026-12-03',
};

/** Namespace and service account the controller runs under (the Pod Identity association's). */
export const AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT: ControllerServiceAccount = {
  namespace: 'kube-system',
  name: 'aws-load-balancer-controller',
};

/** A Kubernetes service account by namespace and name. */
export interface ControllerServiceAccount {
  /** Namespace. */
  readonly namespace: string;
  /** Service account name. */
  readonly name: string;
}

/** One statement of an IAM policy document. */
export interface IamPolicyStatement {
  /** Statement id. */
  readonly Sid: string;
  /** Always `Allow` here. */
  readonly Effect: 'Allow';
  /** Actions. */
  readonly Action: string[];
  /** Resources. */
  readonly Resource: string | string[];
  /** Conditions, by operator and key. */
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** An IAM policy document. */
export interface IamPolicyDocumentJson {
  /** `2012-10-17`. */
  readonly Version: '2012-10-17';
  /** The statements. */
  readonly Statement: IamPolicyStatement[];
}

/** The tag the controller puts on everything it creates (scopes its mutating permissions). */
const CLUSTER_TAG = 'elbv2.k8s.aws/cluster';

/**
 * The permissions the AWS Load Balancer Controller needs, as the controller documents them for
 * v3.5.0 (`docs/install/iam_policy.json` of kubernetes-sigs/aws-load-balancer-controller at tag
 * v3.5.0, commit 11eb202c; the `_cn` and `_us-gov` variants hold the same statements in their
 * partitions), written out here statement by statement with the partition of the stack. Create,
 * modify and delete actions are limited to resources carrying the controller's
 * `elbv2.k8s.aws/cluster` tag, as upstream does.
 *
 * @param partition `aws`, `aws-cn`, `aws-us-gov` (or a reference to an `aws_partition`)
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/installation/
 */
export function loadBalancerControllerPolicy(partition: string): IamPolicyDocumentJson {
  const ec2 = `arn:${partition}:ec2:*:*`;
  const elb = `arn:${partition}:elasticloadbalancing:*:*`;
  const requestTagged = { Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'false' } };
  const resourceTagged = { Null: { [`aws:ResourceTag/${CLUSTER_TAG}`]: 'false' } };
  const retagOwned = {
    Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'true', [`aws:ResourceTag/${CLUSTER_TAG}`]: 'false' },
  };
  const balancersAndTargetGroups = [
    `${elb}:targetgroup/*/*`,
    `${elb}:loadbalancer/net/*/*`,
    `${elb}:loadbalancer/app/*/*`,
  ];
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ElbServiceLinkedRole',
        Effect: 'Allow',
        Action: ['iam:CreateServiceLinkedRole'],
        Resource: '*',
        Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
      },
      {
        Sid: 'Describe',
        Effect: 'Allow',
        Action: [
          ...[
            'DescribeAccountAttributes',
            'DescribeAddresses',
            'DescribeAvailabilityZones',
            'DescribeInternetGateways',
            'DescribeVpcs',
            'DescribeVpcPeeringConnections',
            'DescribeSubnets',
            'DescribeSecurityGroups',
            'DescribeInstances',
            'DescribeNetworkInterfaces',
            'DescribeTags',
            'GetCoipPoolUsage',
            'DescribeCoipPools',
            'GetSecurityGroupsForVpc',
            'DescribeIpamPools',
            'DescribeRouteTables',
          ].map((a) => `ec2:${a}`),
          ...[
            'DescribeLoadBalancers',
            'DescribeLoadBalancerAttributes',
            'DescribeListeners',
            'DescribeListenerCertificates',
            'DescribeSSLPolicies',
            'DescribeRules',
            'DescribeTargetGroups',
            'DescribeTargetGroupAttributes',
            'DescribeTargetHealth',
            'DescribeTags',
            'DescribeTrustStores',
            'DescribeListenerAttributes',
            'DescribeCapacityReservation',
          ].map((a) => `elasticloadbalancing:${a}`),
        ],
        Resource: '*',
      },
      {
        Sid: 'CertificatesWafShield',
        Effect: 'Allow',
        Action: [
          'cognito-idp:DescribeUserPoolClient',
          'acm:ListCertificates',
          'acm:DescribeCertificate',
          'iam:ListServerCertificates',
          'iam:GetServerCertificate',
          'waf-regional:GetWebACL',
          'waf-regional:GetWebACLForResource',
          'waf-regional:AssociateWebACL',
          'waf-regional:DisassociateWebACL',
          'wafv2:GetWebACL',
          'wafv2:GetWebACLForResource',
          'wafv2:AssociateWebACL',
          'wafv2:DisassociateWebACL',
          'shield:GetSubscriptionState',
          'shield:DescribeProtection',
          'shield:CreateProtection',
          'shield:DeleteProtection',
        ],
        Resource: '*',
      },
      {
        Sid: 'SecurityGroupIngress',
        Effect: 'Allow',
        Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
        Resource: '*',
      },
      { Sid: 'CreateSecurityGroup', Effect: 'Allow', Action: ['ec2:CreateSecurityGroup'], Resource: '*' },
      {
        Sid: 'TagNewSecurityGroup',
        Effect: 'Allow',
        Action: ['ec2:CreateTags'],
        Resource: `${ec2}:security-group/*`,
        Condition: {
          StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' },
          ...requestTagged,
        },
      },
      {
        Sid: 'RetagOwnSecurityGroups',
        Effect: 'Allow',
        Action: ['ec2:CreateTags', 'ec2:DeleteTags'],
        Resource: `${ec2}:security-group/*`,
        Condition: retagOwned,
      },
      {
        Sid: 'ManageOwnSecurityGroups',
        Effect: 'Allow',
        Action: [
          'ec2:AuthorizeSecurityGroupIngress',
          'ec2:RevokeSecurityGroupIngress',
          'ec2:DeleteSecurityGroup',
        ],
        Resource: '*',
        Condition: resourceTagged,
      },
      {
        Sid: 'CreateTaggedBalancers',
        Effect: 'Allow',
        Action: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
        Resource: '*',
        Condition: requestTagged,
      },
      {
        Sid: 'ListenersAndRules',
        Effect: 'Allow',
        Action: [
          'elasticloadbalancing:CreateListener',
          'elasticloadbalancing:DeleteListener',
          'elasticloadbalancing:CreateRule',
          'elasticloadbalancing:DeleteRule',
        ],
        Resource: '*',
      },
      {
        Sid: 'RetagOwnBalancers',
        Effect: 'Allow',
        Action: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
        Resource: balancersAndTargetGroups,
        Condition: retagOwned,
      },
      {
        Sid: 'TagListenersAndRules',
        Effect: 'Allow',
        Action: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
        Resource: [
          `${elb}:listener/net/*/*/*`,
          `${elb}:listener/app/*/*/*`,
          `${elb}:listener-rule/net/*/*/*`,
          `${elb}:listener-rule/app/*/*/*`,
        ],
      },
      {
        Sid: 'ManageOwnBalancers',
        Effect: 'Allow',
        Action: [
          'ModifyLoadBalancerAttributes',
          'SetIpAddressType',
          'SetSecurityGroups',
          'SetSubnets',
          'DeleteLoadBalancer',
          'ModifyTargetGroup',
          'ModifyTargetGroupAttributes',
          'DeleteTargetGroup',
          'ModifyListenerAttributes',
          'ModifyCapacityReservation',
          'ModifyIpPools',
        ].map((a) => `elasticloadbalancing:${a}`),
        Resource: '*',
        Condition: resourceTagged,
      },
      {
        Sid: 'TagOnCreate',
        Effect: 'Allow',
        Action: ['elasticloadbalancing:AddTags'],
        Resource: balancersAndTargetGroups,
        Condition: {
          StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer'] },
          ...requestTagged,
        },
      },
      {
        Sid: 'Targets',
        Effect: 'Allow',
        Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
        Resource: `${elb}:targetgroup/*/*`,
      },
      {
        Sid: 'ListenerSettings',
        Effect: 'Allow',
        Action: [
          'elasticloadbalancing:SetWebAcl',
          'elasticloadbalancing:ModifyListener',
          'elasticloadbalancing:AddListenerCertificates',
          'elasticloadbalancing:RemoveListenerCertificates',
          'elasticloadbalancing:ModifyRule',
          'elasticloadbalancing:SetRulePriorities',
        ],
        Resource: '*',
      },
    ],
  };
}

/**
 * The controller's AWS identity, created once per cluster, in the cluster's stack: an IAM role
 * trusted by EKS Pod Identity with the controller's policy inline, and the Pod Identity
 * association for `kube-system/aws-load-balancer-controller`.
 */
export class LoadBalancerControllerIdentity extends Construct {
  /**
   * The identity of `cluster`, created under it (construct id `LoadBalancerController`) on the
   * first call.
   */
  public static of(cluster: IEksCluster): LoadBalancerControllerIdentity {
    const found = cluster.node.tryFindChild(IDENTITY_ID);
    if (found instanceof LoadBalancerControllerIdentity) {
      return found;
    }
    return new LoadBalancerControllerIdentity(cluster, IDENTITY_ID, cluster);
  }

  /** The IAM role. */
  public readonly role: IamRole;
  /** The controller's inline policy. */
  public readonly policy: IamRolePolicy;
  /** The Pod Identity association of the controller's service account. */
  public readonly podIdentity: EksPodIdentityAssociation;

  private constructor(scope: Construct, id: string, cluster: IEksCluster) {
    super(scope, id);
    this.role = new IamRole(this, 'Role', {
      assumeRolePolicy: serviceTrustPolicy('pods.eks.amazonaws.com', ['sts:AssumeRole', 'sts:TagSession']),
      description: `${this.node.path}/Role`.slice(0, 1000),
    });
    this.policy = new IamRolePolicy(this, 'Policy', {
      role: this.role.name,
      policy: JSON.stringify(loadBalancerControllerPolicy(awsPartition(this))),
    });
    this.podIdentity = new EksPodIdentityAssociation(this, 'PodIdentity', {
      clusterName: cluster.clusterName,
      namespace: AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.namespace,
      serviceAccount: AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.name,
      roleArn: this.role.arn,
      dependsOn: [cluster.clusterDependency, this.policy],
    });
  }
}

const IDENTITY_ID = 'LoadBalancerController';

/** Properties of an {@link AwsLoadBalancerController}. */
export interface AwsLoadBalancerControllerProps {
  /**
   * The cluster: an `EksCluster`, or one the app does not own (`EksCluster.fromClusterAttributes`,
   * which must run the `eks-pod-identity-agent` add-on). Its stack gets the controller's IAM role
   * and Pod Identity association ({@link LoadBalancerControllerIdentity}); this construct's stack
   * (a stack whose Helm provider points at the cluster) gets the Helm release.
   */
  readonly cluster: IEksCluster;
  /**
   * Controller replicas (leader election; a PodDisruptionBudget keeps one during drains).
   * @default 2
   */
  readonly replicas?: number;
}

/**
 * The AWS Load Balancer Controller on an EKS cluster: the pinned eks-charts release in
 * `kube-system` ({@link AWS_LOAD_BALANCER_CONTROLLER_CHART}) with the cluster name, region and
 * VPC set explicitly (the controller then needs no instance metadata), a restricted
 * securityContext, two replicas with a PodDisruptionBudget; and, in the cluster's stack, an IAM
 * role with the controller's documented policy ({@link loadBalancerControllerPolicy}) bound to
 * its service account through EKS Pod Identity.
 *
 * It provisions the NLBs of `Service`s annotated `service.beta.kubernetes.io/aws-load-balancer-type: external`
 * (`GatewayExposure.awsInternalNlb()` of the Kubernetes module) and ALBs for Ingresses. The
 * subnets it places load balancers in are found by their tags: {@link GpuNetwork} tags private
 * subnets `kubernetes.io/role/internal-elb: 1` and public ones `kubernetes.io/role/elb: 1`; an
 * imported network must carry these tags itself.
 *
 * The chart's Service mutating webhook is set to `failurePolicy: Ignore` (the chart's default is
 * `Fail`): otherwise every Service created while the controller's pods are not ready, such as
 * those of other charts applied in the same stack, is refused. A LoadBalancer Service annotated
 * as above is reconciled by the controller either way.
 *
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/
 * @example
 * new AwsLoadBalancerController(platformStack, 'LoadBalancerController', { cluster });
 */
export class AwsLoadBalancerController extends Construct {
  /**
   * The `helm_release` (a plain `TerraformResource` of the helm provider: the AWS module does not
   * load the helm provider binding, so an AWS-only install keeps working).
   */
  public readonly resource: TerraformResource;
  /** The controller's IAM role and Pod Identity association (in the cluster's stack). */
  public readonly identity: LoadBalancerControllerIdentity;
  /** The values passed to the chart. */
  public readonly values: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: AwsLoadBalancerControllerProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    const cluster = requireEksCluster(this, 'cluster', props.cluster);
    if (cluster.autoMode) {
      throw new ValidationError(
        `'cluster' ${cluster.clusterName} runs EKS Auto Mode, which has its own load balancing: it provisions the NLBs of Services ` +
          `with loadBalancerClass 'eks.amazonaws.com/nlb' and the ALBs of IngressClass 'eks.amazonaws.com/alb'. Remove the AwsLoadBalancerController.`,
        this,
      );
    }
    const replicas = Validate.integer(this, 'replicas', props.replicas ?? 2, { min: 1, max: 10 });
    if (TerraformStack.of(this) === TerraformStack.of(cluster)) {
      throw new ValidationError(
        `the controller's Helm release is in the stack of the EKS cluster '${cluster.node.path}': the Helm provider is ` +
          `configured from that cluster's outputs, so it belongs in a stack that depends on it (the platform stack).`,
        this,
      );
    }
    this.identity = LoadBalancerControllerIdentity.of(cluster);
    const sa = AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT;
    // Keys checked against helm/aws-load-balancer-controller/values.yaml at v3.5.0.
    this.values = {
      clusterName: cluster.clusterName,
      region: cluster.region,
      vpcId: cluster.network.vpcId,
      replicaCount: replicas,
      serviceAccount: { create: true, name: sa.name },
      ...(replicas > 1 ? { podDisruptionBudget: { maxUnavailable: 1 } } : {}),
      podSecurityContext: { fsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
      securityContext: {
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      },
      serviceMutatorWebhookConfig: { failurePolicy: 'Ignore' },
    };
    const chart = AWS_LOAD_BALANCER_CONTROLLER_CHART;
    this.resource = new HelmReleaseResource(this, 'Resource', {
      name: 'aws-load-balancer-controller',
      namespace: sa.namespace,
      repository: chart.repository,
      chart: chart.chart,
      version: chart.version,
      values: [toYaml(this.values)],
      timeout: 600,
      atomic: true,
      cleanup_on_fail: true,
    });
    this.node.defaultChild = this.resource;
  }
}
