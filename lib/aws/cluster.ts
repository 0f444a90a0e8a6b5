import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster';
import { EksCluster as EksClusterResource } from '@cdktf/provider-aws/lib/eks-cluster';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Fn, ITerraformDependable, TerraformOutput, TerraformStack, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { KubernetesProviderConfig, poolNodeLabels, Validate, ValidationError, Warnings } from '../core';
import {
  AUTO_MODE_CLUSTER_POLICIES,
  AUTO_MODE_NODE_ACCESS_POLICY,
  AUTO_MODE_NODE_POLICIES,
  EksAutoModeOptions,
} from './auto-mode';
import { InferenceNodeGroup, InferenceNodeGroupOptions } from './inference-node-group';
import { IAwsRole, IEksCluster, INetwork } from './interfaces';
import {
  autoModeComputeConfig,
  refuseReplacedByAutoMode,
  resolveAutoMode,
  ResolvedAutoMode,
} from './private/auto-mode-rules';
import { managedPolicyArn, serviceRole } from './private/iam';
import { awsPartition } from './private/partition';
import { launchTemplateHardening, nodeGroupName, requireIntInRange } from './private/node-group-common';
import {
  addEksClusterCost,
  addSystemNodesCost,
  addKmsKeyCost,
  addCloudWatchLogsAssumption,
} from './private/service-prices';
import { EksNodeRepairOptions, eksNodeRepairConfig } from './node-repair';
import { TrainingNodeGroup, TrainingNodeGroupOptions } from './training-node-group';
import { parseIpv4Cidr } from '../core/private/ipv4';

/** The Kubernetes version new clusters get unless `kubernetesVersion` is set. */
export const DEFAULT_KUBERNETES_VERSION = '1.34';

/** Control-plane log types EKS can send to CloudWatch Logs (`LogType` of the EKS API). */
export const EKS_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

/** Retention periods CloudWatch Logs accepts, days (`PutRetentionPolicy`). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Lowest VPC CNI version that supports `efa-only` interfaces (EKS UG `node-efa`). */
export const MIN_VPC_CNI_FOR_EFA_ONLY = '1.18.5';

/**
 * Add-on versions. Each defaults to the version EKS marks as default for the cluster's
 * Kubernetes version (resolved by EKS at apply time): a pinned `-eksbuild.N` string that does
 * not exist fails the apply, so pin only versions you have looked up with
 * `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name>`.
 */
export interface EksAddonVersions {
  /**
   * `vpc-cni`, for example `v1.20.4-eksbuild.1`. Must be >= v1.18.5 for EFA training groups.
   * @default - EKS's default for the Kubernetes version (>= 1.19 for Kubernetes 1.33 and later)
   */
  readonly vpcCni?: string;
  /**
   * `coredns`.
   * @default - EKS's default for the Kubernetes version
   */
  readonly coredns?: string;
  /**
   * `kube-proxy`.
   * @default - EKS's default for the Kubernetes version
   */
  readonly kubeProxy?: string;
  /**
   * `eks-pod-identity-agent`.
   * @default - EKS's default for the Kubernetes version
   */
  readonly podIdentityAgent?: string;
  /**
   * `aws-ebs-csi-driver`.
   * @default - EKS's default for the Kubernetes version
   */
  readonly ebsCsiDriver?: string;
  /**
   * `aws-fsx-csi-driver`.
   * @default - EKS's default for the Kubernetes version
   */
  readonly fsxCsiDriver?: string;
}

/** The small CPU node group for cluster add-ons and controllers. */
export interface SystemNodeGroupOptions {
  /**
   * Instance type: a general-purpose one (accelerated families such as `p5` or `g6e` are refused:
   * the system group runs on the standard AMI, without accelerator drivers).
   * @default 'm6i.large'
   */
  readonly instanceType?: string;
  /**
   * Fewest nodes (two keep CoreDNS available during node replacement).
   * @default 2
   */
  readonly minNodes?: number;
  /**
   * Most nodes.
   * @default 4
   */
  readonly maxNodes?: number;
}

/** Properties of an {@link EksCluster}. */
export interface EksClusterProps {
  /** The VPC; the control plane and system nodes use its private subnets. */
  readonly network: INetwork;
  /**
   * EKS cluster name (1-100 characters, letters, digits, `-` and `_`, starting alphanumeric).
   * @default - `<stack name>-<construct id>`
   */
  readonly clusterName?: string;
  /**
   * Kubernetes version, `1.<minor>`. 1.33 or later: AL2023 NVIDIA AMIs use kernel 6.12 from
   * 1.33, Bottlerocket NVIDIA ships driver 580 from 1.34, and EKS recommends the EFA DRA driver
   * from 1.34.
   * @default DEFAULT_KUBERNETES_VERSION ('1.34')
   */
  readonly kubernetesVersion?: string;
  /**
   * Make the API endpoint reachable from the internet, restricted to `publicAccessCidrs`.
   * The private endpoint is always on.
   * @default false
   */
  readonly endpointPublicAccess?: boolean;
  /**
   * CIDRs allowed to reach a public endpoint. Required when `endpointPublicAccess` is true.
   * @default - none (private endpoint only)
   */
  readonly publicAccessCidrs?: string[];
  /**
   * CIDRs inside the VPC or reachable through it (VPN, peered CI runners) allowed to reach the
   * private API endpoint on 443, through rules on the cluster security group. Terraform's
   * Kubernetes and Helm providers need this (or a public endpoint) when they run outside the
   * node subnets.
   * @default - none; only the nodes and the control plane reach the private endpoint
   */
  readonly privateEndpointAccessCidrs?: string[];
  /**
   * IAM principal ARNs (roles or users) given cluster-admin through EKS access entries
   * (`AmazonEKSClusterAdminPolicy`, cluster scope).
   * @default - none; only the identity that creates the cluster is admin (see `bootstrapCreatorAdmin`)
   */
  readonly adminPrincipalArns?: string[];
  /**
   * Give the identity that creates the cluster (your CI role) cluster-admin. Changing it
   * later replaces the cluster.
   * @default true
   */
  readonly bootstrapCreatorAdmin?: boolean;
  /**
   * Add-on versions.
   * @default - EKS's default version of each add-on for the Kubernetes version
   */
  readonly addonVersions?: EksAddonVersions;
  /**
   * Install the EBS CSI driver add-on (with a Pod Identity role), for persistent volumes of
   * monitoring and other stateful add-ons.
   * @default true
   */
  readonly ebsCsiDriver?: boolean;
  /**
   * The system node group.
   * @default - 2 to 4 m6i.large nodes, AL2023 standard AMI
   */
  readonly systemNodeGroup?: SystemNodeGroupOptions;
  /**
   * Control-plane log types sent to CloudWatch Logs, from `EKS_LOG_TYPES`.
   * @default ['api', 'audit', 'authenticator']
   */
  readonly enabledLogTypes?: string[];
  /**
   * Retention of the control-plane log group `/aws/eks/<clusterName>/cluster`, which the
   * construct creates before the cluster (otherwise EKS creates it, never expiring and unknown
   * to Terraform). One of the values CloudWatch Logs accepts.
   * @default 90
   * @see https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html
   */
  readonly controlPlaneLogRetentionDays?: number;
  /**
   * Create Terraform outputs `<id>_name`, `_endpoint`, `_certificate_authority_data`,
   * `_oidc_issuer_url`.
   * @default true
   */
  readonly outputs?: boolean;
  /**
   * Environment variables of the VPC CNI (`aws-node`), for example
   * `{ WARM_IP_TARGET: '5', MINIMUM_IP_TARGET: '10' }` to stop large GPU nodes from holding
   * warm IPs they never use. These settings are cluster-wide.
   * @default - the add-on's defaults
   * @see https://docs.aws.amazon.com/eks/latest/userguide/cni-increase-ip-addresses.html
   */
  readonly vpcCniEnv?: Record<string, string>;
  /**
   * Install the `eks-node-monitoring-agent` add-on and turn on EKS node auto repair for the GPU
   * node groups, so nodes with GPU (XID), kernel or networking failures are replaced.
   * @default false
   * @see https://docs.aws.amazon.com/eks/latest/userguide/node-health.html
   */
  readonly nodeAutoRepair?: boolean;
  /**
   * Turn on Kubernetes NetworkPolicy enforcement in the VPC CNI add-on (its configuration value
   * `enableNetworkPolicy: "true"`; VPC CNI 1.14+ runs the network policy agent, EKS the
   * controller). Without it EKS stores NetworkPolicies, such as the model servers' ingress
   * policies of the Kubernetes module, but nothing enforces them.
   * @default false
   * @see https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy.html
   */
  readonly networkPolicy?: boolean;
  /**
   * Pace, limits and overrides of node auto repair on the GPU node groups (node groups may set
   * their own). Setting it turns `nodeAutoRepair` on unless that is `false`, which is an error.
   * The library always adds a `NoAction` override for `DCGMError` ({@link DCGM_ERROR_OVERRIDE}).
   * @default - one node repaired at a time, no unhealthy threshold, the DCGMError override
   * @see https://docs.aws.amazon.com/eks/latest/userguide/node-repair.html
   */
  readonly nodeRepair?: EksNodeRepairOptions;
  /**
   * Run EKS Auto Mode (set it, even to `{}`): `compute_config`, `storage_config.block_storage`
   * and `kubernetes_network_config.elastic_load_balancing` all enabled (EKS requires the three
   * together), `bootstrap_self_managed_addons` false, the cluster role with the Auto Mode
   * policies, and a node role with `AmazonEKSWorkerNodeMinimalPolicy` and
   * `AmazonEC2ContainerRegistryPullOnly`. Auto Mode replaces the system node group and the VPC
   * CNI, kube-proxy, CoreDNS, Pod Identity agent and EBS CSI add-ons, so the props that configure
   * them (and node auto repair) are errors with it. GPU capacity comes from `AutoModeGpuNodePool`;
   * managed node groups, `Karpenter` and `AwsLoadBalancerController` refuse an Auto Mode cluster.
   * Changing it on an existing cluster updates the cluster in place; turning it off again needs
   * `compute_config.enabled = false` applied before the block is removed.
   * @default - no Auto Mode: a system managed node group and the self-managed add-ons
   * @see https://docs.aws.amazon.com/eks/latest/userguide/automode.html
   */
  readonly autoMode?: EksAutoModeOptions;
}

/** Options of {@link EksCluster.addWorkloadRole}. */
export interface WorkloadRoleOptions {
  /** Namespace of the service account. */
  readonly namespace: string;
  /** Service account name. */
  readonly serviceAccount: string;
  /**
   * AWS managed policy names to attach, for example `['AmazonS3ReadOnlyAccess']`.
   * @default - none; grant access with the stores' `grant*` methods
   */
  readonly managedPolicies?: string[];
}

/**
 * An IAM role for a Kubernetes service account through EKS Pod Identity.
 *
 * @example
 * const role = cluster.addWorkloadRole('Trainer', { namespace: 'training', serviceAccount: 'trainer' });
 * checkpoints.grantReadWrite(role);
 */
export class WorkloadRole extends Construct implements IAwsRole {
  /** The IAM role. */
  public readonly resource: IamRole;
  /** Role name. */
  public readonly roleName: string;
  /** Role ARN. */
  public readonly roleArn: string;

  constructor(scope: Construct, id: string, cluster: IEksCluster, options: WorkloadRoleOptions) {
    super(scope, id);
    Validate.object(this, 'options', options);
    Validate.k8sDnsLabel(this, 'namespace', options.namespace, { what: 'a namespace' });
    Validate.k8sDnsSubdomain(this, 'serviceAccount', options.serviceAccount, {
      what: 'a service account name',
    });
    const policies = Validate.array<string>(this, 'managedPolicies', options.managedPolicies ?? []);
    policies.forEach((p, i) => {
      Validate.string(this, `managedPolicies[${i}]`, p);
      // An AWS managed policy path and name: https://docs.aws.amazon.com/IAM/latest/APIReference/API_Policy.html
      if (!/^([\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/.test(p)) {
        throw new ValidationError(
          `'managedPolicies[${i}]' ('${p}') is not an AWS managed policy name: the part after 'arn:aws:iam::aws:policy/', ` +
            `for example 'AmazonS3ReadOnlyAccess' or 'service-role/AmazonEBSCSIDriverPolicy'.`,
          this,
          'aws-arn',
        );
      }
    });
    Validate.unique(
      this,
      'managedPolicies',
      policies,
      (p) => p.replace(/[^A-Za-z0-9]/g, ''),
      'they would get the same construct id (Terraform address) for their attachment',
    );
    const { role, name } = serviceRole(this, 'Resource', 'pods.eks.amazonaws.com', policies, [
      'sts:AssumeRole',
      'sts:TagSession',
    ]);
    this.resource = role;
    this.node.defaultChild = role;
    this.roleName = name;
    this.roleArn = role.arn;
    new EksPodIdentityAssociation(this, 'PodIdentity', {
      clusterName: cluster.clusterName,
      namespace: options.namespace,
      serviceAccount: options.serviceAccount,
      roleArn: this.roleArn,
      dependsOn: [cluster.clusterDependency],
    });
  }
}

/**
 * Attributes of an EKS cluster the app does not own, for {@link EksCluster.fromClusterAttributes}.
 * What EKS can tell (endpoint, CA, OIDC issuer, cluster security group) is read at plan time
 * from an `aws_eks_cluster` data source; what it cannot (the node role, the network's subnets)
 * is given here.
 */
export interface EksClusterAttributes {
  /** Cluster name. */
  readonly clusterName: string;
  /** The cluster's VPC (`GpuNetwork.fromNetworkAttributes` for one the app does not own). */
  readonly network: INetwork;
  /**
   * ARN of the IAM role new node groups run as (`arn:<partition>:iam::<account>:role/<name>`),
   * with `AmazonEKSWorkerNodePolicy` and `AmazonEC2ContainerRegistryPullOnly` attached. EKS
   * creates the node group's access entry for it.
   */
  readonly nodeRoleArn: string;
  /**
   * Kubernetes version of the control plane, `1.<minor>` (1.33 or later).
   * @default - read from the data source (not checked at synth time)
   */
  readonly kubernetesVersion?: string;
  /**
   * The cluster security group EKS created.
   * @default - read from the data source (`vpc_config[0].cluster_security_group_id`)
   */
  readonly clusterSecurityGroupId?: string;
  /**
   * ARN of the cluster's IAM OIDC provider.
   * @default - `arn:<partition>:iam::<account>:oidc-provider/<issuer without https://>`, the ARN
   *   IAM gives the provider of the cluster's issuer, in the provider's account
   */
  readonly oidcProviderArn?: string;
  /**
   * Version of the cluster's `vpc-cni` add-on, for example `v1.20.4-eksbuild.1`; EFA training
   * node groups with `efa-only` interfaces need v1.18.5 or later.
   * @default - not checked
   */
  readonly vpcCniVersion?: string;
  /**
   * Whether the `aws-fsx-csi-driver` add-on is installed (a checkpoint store with Lustre needs it).
   * @default false - a checkpoint store with Lustre on this cluster is refused
   */
  readonly fsxCsiDriverInstalled?: boolean;
  /**
   * Whether the `aws-ebs-csi-driver` add-on is installed (an `EbsStorageClass` with the
   * `ebs.csi.aws.com` provisioner needs it). Ignored with `autoMode`.
   * @default - not known: an `EbsStorageClass` on this cluster is not checked against it
   */
  readonly ebsCsiDriverInstalled?: boolean;
  /**
   * Whether new GPU node groups turn on EKS node auto repair (the cluster must run the
   * `eks-node-monitoring-agent` add-on).
   * @default - true when `nodeRepair` is set, else false
   */
  readonly nodeAutoRepair?: boolean;
  /**
   * Pace, limits and overrides of node auto repair that GPU node groups on this cluster use
   * unless they set their own, validated as `EksCluster`'s `nodeRepair`. Setting it turns
   * `nodeAutoRepair` on unless that is `false`, which is an error.
   * @default - the defaults of `EksNodeRepairOptions`
   */
  readonly nodeRepair?: EksNodeRepairOptions;
  /**
   * Whether the cluster runs EKS Auto Mode. GPU capacity then comes from `AutoModeGpuNodePool`;
   * managed node groups, `Karpenter` and `AwsLoadBalancerController` are refused.
   * @default false
   */
  readonly autoMode?: boolean;
}

/** An EKS cluster the app does not own. */
class ImportedEksCluster extends Construct implements IEksCluster {
  public readonly clusterName: string;
  public readonly clusterDependency: ITerraformDependable;
  public readonly clusterArn: string;
  public readonly endpoint: string;
  public readonly certificateAuthorityData: string;
  public readonly oidcIssuerUrl: string;
  public readonly clusterSecurityGroupId: string;
  public readonly nodeRole: IAwsRole;
  public readonly network: INetwork;
  public readonly region: string;
  public readonly kubernetesVersion: string;
  public readonly nodeGroupDependencies: ITerraformDependable[] = [];
  public readonly nodeAutoRepair: boolean;
  public readonly nodeRepair?: EksNodeRepairOptions;
  public readonly autoMode: boolean;
  public readonly ebsCsiDriverInstalled?: boolean;
  /** The `aws_eks_cluster` data source. */
  public readonly resource: DataAwsEksCluster;
  private readonly givenOidcProviderArn?: string;
  private readonly vpcCniVersion?: string;
  private readonly fsxCsiDriverInstalled: boolean;
  private derivedOidcProviderArn?: string;

  constructor(scope: Construct, id: string, attrs: EksClusterAttributes) {
    super(scope, id);
    Validate.object(this, 'attrs', attrs);
    checkClusterName(this, 'clusterName', attrs.clusterName);
    this.network = Validate.object<INetwork>(this, 'network', attrs.network);
    Validate.string(this, 'network.region', this.network.region);
    Validate.arn(this, 'nodeRoleArn', attrs.nodeRoleArn, { service: 'iam', resourcePrefix: 'role/' });
    if (attrs.kubernetesVersion !== undefined) checkKubernetesVersion(this, attrs.kubernetesVersion);
    if (attrs.clusterSecurityGroupId !== undefined)
      Validate.ec2ResourceId(this, 'clusterSecurityGroupId', attrs.clusterSecurityGroupId, 'sg');
    if (attrs.oidcProviderArn !== undefined)
      Validate.arn(this, 'oidcProviderArn', attrs.oidcProviderArn, {
        service: 'iam',
        resourcePrefix: 'oidc-provider/',
      });
    if (attrs.vpcCniVersion !== undefined) {
      Validate.string(this, 'vpcCniVersion', attrs.vpcCniVersion);
      if (
        !Token.isUnresolved(attrs.vpcCniVersion) &&
        !/^v\d+\.\d+\.\d+(-eksbuild\.\d+)?$/.test(attrs.vpcCniVersion)
      ) {
        throw new ValidationError(
          `'vpcCniVersion' ('${attrs.vpcCniVersion}') must look like 'v1.20.4-eksbuild.1' (aws eks describe-addon --addon-name vpc-cni).`,
          this,
        );
      }
    }
    for (const b of [
      'fsxCsiDriverInstalled',
      'ebsCsiDriverInstalled',
      'nodeAutoRepair',
      'autoMode',
    ] as const) {
      if (attrs[b] !== undefined) Validate.boolean(this, b, attrs[b]);
    }
    this.nodeRepair = clusterNodeRepair(this, attrs.nodeRepair, attrs.nodeAutoRepair);
    this.clusterName = attrs.clusterName;
    this.region = this.network.region;
    this.resource = new DataAwsEksCluster(this, 'Resource', { name: attrs.clusterName });
    this.node.defaultChild = this.resource;
    this.clusterDependency = this.resource;
    this.clusterArn = this.resource.arn;
    this.endpoint = this.resource.endpoint;
    this.certificateAuthorityData = this.resource.certificateAuthority.get(0).data;
    this.oidcIssuerUrl = this.resource.identity.get(0).oidc.get(0).issuer;
    this.clusterSecurityGroupId =
      attrs.clusterSecurityGroupId ?? this.resource.vpcConfig.get(0).clusterSecurityGroupId;
    this.kubernetesVersion = attrs.kubernetesVersion ?? this.resource.version;
    // A role ARN is `arn:<partition>:iam::<account>:role/<path/>name`; the name is the last segment.
    this.nodeRole = {
      roleArn: attrs.nodeRoleArn,
      roleName: Token.isUnresolved(attrs.nodeRoleArn)
        ? Fn.element(Fn.split('/', attrs.nodeRoleArn), -1)
        : attrs.nodeRoleArn.split('/').pop()!,
    };
    this.givenOidcProviderArn = attrs.oidcProviderArn;
    this.vpcCniVersion = attrs.vpcCniVersion;
    this.fsxCsiDriverInstalled = attrs.fsxCsiDriverInstalled ?? false;
    this.nodeAutoRepair = attrs.nodeAutoRepair ?? attrs.nodeRepair !== undefined;
    this.autoMode = attrs.autoMode ?? false;
    this.ebsCsiDriverInstalled = this.autoMode ? false : attrs.ebsCsiDriverInstalled;
  }

  public get oidcProviderArn(): string {
    if (this.givenOidcProviderArn !== undefined) return this.givenOidcProviderArn;
    if (this.derivedOidcProviderArn === undefined) {
      const account = new DataAwsCallerIdentity(this, 'Account').accountId;
      this.derivedOidcProviderArn = `arn:${awsPartition(this)}:iam::${account}:oidc-provider/${Fn.replace(this.oidcIssuerUrl, 'https://', '')}`;
    }
    return this.derivedOidcProviderArn;
  }

  public enableFsxCsiDriver(): void {
    if (!this.fsxCsiDriverInstalled) {
      throw new ValidationError(
        `cluster ${this.clusterName} is not owned by this app and 'fsxCsiDriverInstalled' is not true: install the aws-fsx-csi-driver add-on where the cluster is defined, then set fsxCsiDriverInstalled: true in its attributes.`,
        this,
      );
    }
  }

  public requireEfaOnlySupport(scope: IConstruct): void {
    checkEfaOnlyCni(scope, 'vpcCniVersion', this.vpcCniVersion, this.clusterName);
  }

  public kubernetesProviderConfig(): KubernetesProviderConfig {
    return eksProviderConfig(this);
  }
}

/**
 * An EKS cluster for GPU workloads: KMS-encrypted secrets, private API endpoint by default,
 * access entries (API authentication mode), an IAM OIDC provider for IRSA and the Pod
 * Identity agent, the core add-ons as EKS managed add-ons (VPC CNI with its own IRSA role,
 * CoreDNS, kube-proxy, Pod Identity agent, EBS CSI), a small system node group, a shared node
 * role, and outputs a Kubernetes or Helm provider in another stack can be configured from.
 *
 * GPU node groups are added with {@link addTrainingNodeGroup} and {@link addInferenceNodeGroup}.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/clusters.html
 * @example
 * const cluster = new EksCluster(stack, 'Cluster', { network: net, adminPrincipalArns: ['arn:aws:iam::111122223333:role/platform-admin'] });
 * cluster.addTrainingNodeGroup('H100', { accelerator: Accelerator.H100, nodes: 16, capacity: Capacity.capacityBlock('cr-0123456789abcdef0') });
 * cluster.addInferenceNodeGroup('L40S', { accelerator: Accelerator.L40S, maxNodes: 8 });
 */
export class EksCluster extends Construct implements IEksCluster {
  /**
   * An EKS cluster the app does not own, for node groups, checkpoint stores, monitoring and the
   * provider configuration of a workloads stack. Endpoint, CA, OIDC issuer and cluster security
   * group come from an `aws_eks_cluster` data source; the attributes are validated like the
   * props of an owned cluster.
   * @example
   * const cluster = EksCluster.fromClusterAttributes(stack, 'Cluster', {
   *   clusterName: 'ml-prod', network: net, nodeRoleArn: 'arn:aws:iam::111122223333:role/ml-prod-nodes',
   * });
   * new InferenceNodeGroup(stack, 'L40S', { cluster, accelerator: Accelerator.L40S, maxNodes: 8 });
   */
  public static fromClusterAttributes(
    scope: Construct,
    id: string,
    attrs: EksClusterAttributes,
  ): IEksCluster {
    return new ImportedEksCluster(scope, id, attrs);
  }

  /** The `aws_eks_cluster`. Use `addOverride` on it for settings this construct does not expose. */
  public readonly resource: EksClusterResource;
  /** Cluster name. */
  public readonly clusterName: string;
  /** The `aws_eks_cluster`, for `dependsOn` of resources that only pass `clusterName`. */
  public readonly clusterDependency: ITerraformDependable;
  /** Cluster ARN. */
  public readonly clusterArn: string;
  /** API server endpoint URL. */
  public readonly endpoint: string;
  /** Base64 PEM of the cluster CA. */
  public readonly certificateAuthorityData: string;
  /** OIDC issuer URL. */
  public readonly oidcIssuerUrl: string;
  /** ARN of the IAM OIDC provider (IRSA). */
  public readonly oidcProviderArn: string;
  /** The cluster security group EKS creates (on every node interface). */
  public readonly clusterSecurityGroupId: string;
  /** The node role of every node group. */
  public readonly nodeRole: IAwsRole;
  /** The network. */
  public readonly network: INetwork;
  /** Kubernetes version. */
  public readonly kubernetesVersion: string;
  /** Resources node groups wait for (VPC CNI and kube-proxy add-ons, node role policies). */
  public readonly nodeGroupDependencies: ITerraformDependable[];
  /** Whether GPU node groups turn on EKS node auto repair. */
  public readonly nodeAutoRepair: boolean;
  /** The node auto repair options GPU node groups use unless they set their own. */
  public readonly nodeRepair?: EksNodeRepairOptions;
  /** The KMS key encrypting Kubernetes secrets. */
  public readonly secretsKey: KmsKey;
  /**
   * The control-plane log group `/aws/eks/<clusterName>/cluster`, when log types are enabled.
   * For a cluster that already sent logs, call `importFrom('/aws/eks/<clusterName>/cluster')` on it.
   */
  public readonly controlPlaneLogGroup?: CloudwatchLogGroup;
  /** The system node group (none with Auto Mode, whose built-in `system` pool takes its place). */
  public readonly systemNodeGroup?: EksNodeGroup;
  /** Whether the cluster runs EKS Auto Mode (`autoMode`). */
  public readonly autoMode: boolean;
  /** The Auto Mode built-in node pools that are on (empty without Auto Mode). */
  public readonly autoModeNodePools: string[];
  /** Whether the `aws-ebs-csi-driver` add-on is installed (`ebsCsiDriver`; never with Auto Mode). */
  public readonly ebsCsiDriverInstalled: boolean;
  /** The managed add-ons, by add-on name. */
  public readonly addons: Record<string, EksAddon> = {};
  /** The AWS region of the cluster. */
  public readonly region: string;
  private readonly addonVersions: EksAddonVersions;
  /** `resource.name`, read once: each attribute read creates a cdktf token. */
  private readonly resourceName: string;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    Validate.object(this, 'network', props.network);
    if (props.clusterName !== undefined) Validate.string(this, 'clusterName', props.clusterName);
    if (props.kubernetesVersion !== undefined)
      Validate.string(this, 'kubernetesVersion', props.kubernetesVersion);
    for (const b of [
      'endpointPublicAccess',
      'bootstrapCreatorAdmin',
      'ebsCsiDriver',
      'outputs',
      'nodeAutoRepair',
      'networkPolicy',
    ] as const) {
      if (props[b] !== undefined) Validate.boolean(this, b, props[b]);
    }
    const autoMode: ResolvedAutoMode | undefined =
      props.autoMode === undefined ? undefined : resolveAutoMode(this, props.autoMode);
    if (autoMode) {
      refuseReplacedByAutoMode(
        this,
        props as unknown as Record<string, unknown>,
        (props.addonVersions ?? {}) as Record<string, unknown>,
      );
    }
    this.autoMode = autoMode !== undefined;
    this.autoModeNodePools = autoMode ? [...autoMode.builtInNodePools] : [];
    this.ebsCsiDriverInstalled = !autoMode && (props.ebsCsiDriver ?? true);
    if (props.addonVersions !== undefined) Validate.object(this, 'addonVersions', props.addonVersions);
    if (props.systemNodeGroup !== undefined) Validate.object(this, 'systemNodeGroup', props.systemNodeGroup);
    const stackName = TerraformStack.of(this).node.id;
    this.clusterName =
      props.clusterName ?? `${stackName}-${id}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 100);
    checkClusterName(this, 'clusterName', this.clusterName);
    this.kubernetesVersion = props.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
    checkKubernetesVersion(this, this.kubernetesVersion);
    this.network = props.network;
    this.region = props.network.region;
    this.addonVersions = props.addonVersions ?? {};
    this.validateAddonVersions();

    const publicAccess = props.endpointPublicAccess ?? false;
    const cidrs = Validate.array<string>(this, 'publicAccessCidrs', props.publicAccessCidrs ?? []);
    const privateCidrs = Validate.array<string>(
      this,
      'privateEndpointAccessCidrs',
      props.privateEndpointAccessCidrs ?? [],
    );
    for (const [prop, list] of [
      ['publicAccessCidrs', cidrs],
      ['privateEndpointAccessCidrs', privateCidrs],
    ] as const) {
      list.forEach((c, i) => Validate.cidr(this, `${prop}[${i}]`, c));
      Validate.unique(this, prop, list);
      for (const c of list) {
        if (!isNetworkCidr(c)) {
          throw new ValidationError(
            `'${prop}' entry '${c}' is not an IPv4 network CIDR such as '203.0.113.0/24'.`,
            this,
          );
        }
      }
    }
    if (publicAccess && cidrs.length === 0) {
      throw new ValidationError(
        `'endpointPublicAccess' is true but 'publicAccessCidrs' is empty: list the CIDRs allowed to reach the API (for example your CI egress IPs), or keep the endpoint private.`,
        this,
      );
    }
    if (!publicAccess && cidrs.length > 0) {
      throw new ValidationError(
        `'publicAccessCidrs' is set but 'endpointPublicAccess' is false: set endpointPublicAccess: true or remove publicAccessCidrs.`,
        this,
      );
    }
    if (cidrs.includes('0.0.0.0/0')) {
      Warnings.add(
        this,
        'aws-eks-public-endpoint-open',
        `'publicAccessCidrs' includes 0.0.0.0/0: the Kubernetes API is reachable from the whole internet. List your CI and office CIDRs instead.`,
      );
    }

    this.secretsKey = new KmsKey(this, 'SecretsKey', {
      description: `Kubernetes secrets of EKS cluster ${this.clusterName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    addKmsKeyCost(this.secretsKey, 'Kubernetes secrets');
    new KmsAlias(this, 'SecretsKeyAlias', {
      name: `alias/eks/${this.clusterName}`,
      targetKeyId: this.secretsKey.keyId,
    });

    const clusterRole = serviceRole(
      this,
      'ClusterRole',
      'eks.amazonaws.com',
      ['AmazonEKSClusterPolicy', ...(autoMode ? AUTO_MODE_CLUSTER_POLICIES : [])],
      ['sts:AssumeRole', 'sts:TagSession'],
    );
    // Auto Mode nodes need only the minimal worker policy (their networking runs as the cluster role).
    const node = serviceRole(
      this,
      'NodeRole',
      'ec2.amazonaws.com',
      autoMode
        ? [...AUTO_MODE_NODE_POLICIES]
        : ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly'],
    );
    // Attributes are read once (each read creates a cdktf token): the node role's through nodeRole.
    this.nodeRole = { roleName: node.name, roleArn: node.role.arn };
    const secretsKeyArn = this.secretsKey.arn;

    // The key policy only delegates to IAM: the cluster role needs an identity policy to use the
    // key (terraform-aws-modules/terraform-aws-eks attaches the same 'cluster_encryption' policy).
    const clusterKeyPolicy = new IamRolePolicy(this, 'ClusterRoleSecretsKey', {
      role: clusterRole.name,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'],
            Resource: secretsKeyArn,
          },
        ],
      }),
    });

    const logTypes = Validate.array<string>(
      this,
      'enabledLogTypes',
      props.enabledLogTypes ?? ['api', 'audit', 'authenticator'],
    );
    Validate.unique(this, 'enabledLogTypes', logTypes);
    for (const t of logTypes) {
      if (!(EKS_LOG_TYPES as readonly string[]).includes(t)) {
        throw new ValidationError(
          `'enabledLogTypes' entry '${t}' is not an EKS control-plane log type: use ${EKS_LOG_TYPES.slice(0, -1).join(', ')} or ${EKS_LOG_TYPES[EKS_LOG_TYPES.length - 1]}.`,
          this,
        );
      }
    }
    const retention = props.controlPlaneLogRetentionDays ?? 90;
    Validate.integer(this, 'controlPlaneLogRetentionDays', retention, { min: 1, max: 3653 });
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(retention)) {
      throw new ValidationError(
        `'controlPlaneLogRetentionDays' (${retention}) must be one of ${LOG_RETENTION_DAYS.join(', ')} (the retentions CloudWatch Logs accepts).`,
        this,
      );
    }
    // EKS writes control-plane logs to this name; created first so Terraform owns its retention.
    const logGroup = (this.controlPlaneLogGroup = logTypes.length
      ? new CloudwatchLogGroup(this, 'ControlPlaneLogs', {
          name: `/aws/eks/${this.clusterName}/cluster`,
          retentionInDays: retention,
        })
      : undefined);
    if (logGroup) addCloudWatchLogsAssumption(logGroup, 'EKS control plane');

    this.resource = new EksClusterResource(this, 'Resource', {
      name: this.clusterName,
      version: this.kubernetesVersion,
      roleArn: clusterRole.role.arn,
      bootstrapSelfManagedAddons: false,
      enabledClusterLogTypes: logTypes,
      vpcConfig: {
        subnetIds: props.network.privateSubnets.map((s) => s.subnetId),
        endpointPrivateAccess: true,
        endpointPublicAccess: publicAccess,
        ...(publicAccess ? { publicAccessCidrs: cidrs } : {}),
      },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: secretsKeyArn } },
      accessConfig: {
        authenticationMode: 'API',
        bootstrapClusterCreatorAdminPermissions: props.bootstrapCreatorAdmin ?? true,
      },
      ...(autoMode
        ? {
            computeConfig: autoModeComputeConfig(autoMode, this.nodeRole.roleArn),
            storageConfig: { blockStorage: { enabled: true } },
            kubernetesNetworkConfig: { elasticLoadBalancing: { enabled: true } },
          }
        : {}),
      dependsOn: [
        ...clusterRole.attachments,
        clusterKeyPolicy,
        ...(logGroup ? [logGroup] : []),
        ...(autoMode ? node.attachments : []),
      ],
    });
    this.node.defaultChild = this.resource;
    this.clusterDependency = this.resource;
    this.resourceName = this.resource.name;
    props.network.tagForCluster(this.clusterName);

    this.clusterArn = this.resource.arn;
    this.endpoint = this.resource.endpoint;
    this.certificateAuthorityData = this.resource.certificateAuthority.get(0).data;
    this.oidcIssuerUrl = this.resource.identity.get(0).oidc.get(0).issuer;
    this.clusterSecurityGroupId = this.resource.vpcConfig.clusterSecurityGroupId;
    privateCidrs.forEach((cidrIpv4, i) => {
      new VpcSecurityGroupIngressRule(this, `PrivateEndpointAccess${i}`, {
        securityGroupId: this.clusterSecurityGroupId,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrIpv4,
        description: 'Kubernetes API (private endpoint)',
      });
    });

    const admins = Validate.array<string>(this, 'adminPrincipalArns', props.adminPrincipalArns ?? []);
    admins.forEach((arn, i) => Validate.arn(this, `adminPrincipalArns[${i}]`, arn));
    Validate.unique(
      this,
      'adminPrincipalArns',
      admins,
      (a) => a,
      'EKS allows one access entry per principal',
    );
    admins.forEach((arn, i) => {
      if (!/^arn:aws[a-z-]*:(iam|sts)::\d{12}:/.test(arn)) {
        throw new ValidationError(
          `'adminPrincipalArns[${i}]' ('${arn}') must be an IAM role or user ARN such as 'arn:aws:iam::111122223333:role/platform-admin'.`,
          this,
        );
      }
      const entry = new EksAccessEntry(this, `AdminAccess${i}`, {
        clusterName: this.resourceName,
        principalArn: arn,
        type: 'STANDARD',
      });
      new EksAccessPolicyAssociation(this, `AdminAccess${i}Policy`, {
        clusterName: this.resourceName,
        principalArn: arn,
        policyArn: `arn:${awsPartition(this)}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
        accessScope: { type: 'cluster' },
        dependsOn: [entry],
      });
    });

    const oidc = new IamOpenidConnectProvider(this, 'OidcProvider', {
      url: this.oidcIssuerUrl,
      clientIdList: ['sts.amazonaws.com'],
    });
    this.oidcProviderArn = oidc.arn;

    if (autoMode) {
      this.nodeAutoRepair = false;
      this.nodeGroupDependencies = [...node.attachments];
      if (autoMode.builtInNodePools.length === 0) {
        // EKS creates this entry itself only for the node role of the built-in pools.
        const entry = new EksAccessEntry(this, 'AutoModeNodeAccess', {
          clusterName: this.resourceName,
          principalArn: this.nodeRole.roleArn,
          type: 'EC2',
        });
        new EksAccessPolicyAssociation(this, 'AutoModeNodeAccessPolicy', {
          clusterName: this.resourceName,
          principalArn: this.nodeRole.roleArn,
          policyArn: `arn:${awsPartition(this)}:eks::aws:cluster-access-policy/${AUTO_MODE_NODE_ACCESS_POLICY}`,
          accessScope: { type: 'cluster' },
          dependsOn: [entry],
        });
      }
      this.addOutputs(props);
      return;
    }

    // VPC CNI with its own IRSA role (AmazonEKS_CNI_Policy is not on the node role).
    const cniTrust = new DataAwsIamPolicyDocument(this, 'VpcCniTrust', {
      statement: [
        {
          effect: 'Allow',
          actions: ['sts:AssumeRoleWithWebIdentity'],
          principals: [{ type: 'Federated', identifiers: [this.oidcProviderArn] }],
          condition: [
            {
              test: 'StringEquals',
              variable: `${Fn.replace(this.oidcIssuerUrl, 'https://', '')}:sub`,
              values: ['system:serviceaccount:kube-system:aws-node'],
            },
            {
              test: 'StringEquals',
              variable: `${Fn.replace(this.oidcIssuerUrl, 'https://', '')}:aud`,
              values: ['sts.amazonaws.com'],
            },
          ],
        },
      ],
    });
    const cniRole = new IamRole(this, 'VpcCniRole', {
      assumeRolePolicy: cniTrust.json,
      description: `${this.node.path}/VpcCniRole`,
    });
    const cniPolicy = new IamRolePolicyAttachment(this, 'VpcCniRoleCniPolicy', {
      role: cniRole.name,
      policyArn: managedPolicyArn(this, 'AmazonEKS_CNI_Policy'),
    });

    const cniEnv = Validate.stringMap(this, 'vpcCniEnv', props.vpcCniEnv ?? {});
    for (const [k, v] of Object.entries(cniEnv)) {
      if (!/^[A-Z][A-Z0-9_]*$/.test(k) || typeof v !== 'string') {
        throw new ValidationError(
          `'vpcCniEnv' entry '${k}' must be an upper-case environment variable name with a string value, for example WARM_IP_TARGET: '5'.`,
          this,
        );
      }
    }
    const vpcCni = this.addon('vpc-cni', this.addonVersions.vpcCni, {
      ...(Object.keys(cniEnv).length || props.networkPolicy
        ? {
            configurationValues: JSON.stringify({
              ...(Object.keys(cniEnv).length ? { env: cniEnv } : {}),
              ...(props.networkPolicy ? { enableNetworkPolicy: 'true' } : {}),
            }),
          }
        : {}),
      serviceAccountRoleArn: cniRole.arn,
      dependsOn: [cniPolicy],
    });
    const kubeProxy = this.addon('kube-proxy', this.addonVersions.kubeProxy);
    const podIdentity = this.addon('eks-pod-identity-agent', this.addonVersions.podIdentityAgent);
    this.nodeGroupDependencies = [vpcCni, kubeProxy, ...node.attachments];

    const sys = props.systemNodeGroup ?? {};
    if (sys.instanceType !== undefined) {
      Validate.awsInstanceType(this, 'systemNodeGroup.instanceType', sys.instanceType);
      // Accelerated families (GPU p/g/gr, Inferentia, Trainium, Gaudi dl, video vt, FPGA f).
      const family = /^(p\d|g\d|gr\d|inf\d|trn\d|dl\d|vt\d|f\d)[a-z0-9-]*\./.exec(sys.instanceType);
      if (family) {
        throw new ValidationError(
          `'systemNodeGroup.instanceType' ('${sys.instanceType}') is an accelerated instance type (family '${sys.instanceType.split('.')[0]}'): the system node group runs add-ons and system pods on the standard AL2023 AMI, without accelerator drivers, at the accelerated price. Use a general-purpose type such as 'm6i.large' (the default) and put accelerators in addTrainingNodeGroup() or addInferenceNodeGroup().`,
          this,
        );
      }
    }
    const sysMin = sys.minNodes ?? 2;
    const sysMax = sys.maxNodes ?? Math.max(4, sysMin);
    requireIntInRange(
      this,
      'systemNodeGroup.minNodes',
      sysMin,
      1,
      100,
      'the system group runs CoreDNS and controllers and cannot scale to zero.',
    );
    requireIntInRange(
      this,
      'systemNodeGroup.maxNodes',
      sysMax,
      sysMin,
      100,
      `it must be >= 'systemNodeGroup.minNodes' (${sysMin}).`,
    );
    const sysLt = new LaunchTemplate(this, 'SystemLaunchTemplate', {
      description: `${this.node.path} system nodes`,
      updateDefaultVersion: true,
      // 50 GiB: also the root volume size of the cost estimate's system-node line below.
      ...launchTemplateHardening({ hopLimit: 2, deviceName: '/dev/xvda', volumeGiB: 50 }),
    });
    this.systemNodeGroup = new EksNodeGroup(this, 'SystemNodeGroup', {
      clusterName: this.resourceName,
      nodeGroupName: nodeGroupName(this, this, this.clusterName, 'system'),
      nodeRoleArn: this.nodeRole.roleArn,
      subnetIds: props.network.privateSubnets.map((s) => s.subnetId),
      amiType: 'AL2023_x86_64_STANDARD',
      capacityType: 'ON_DEMAND',
      instanceTypes: [sys.instanceType ?? 'm6i.large'],
      scalingConfig: { minSize: sysMin, maxSize: sysMax, desiredSize: sysMin },
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: sysLt.id, version: `${sysLt.latestVersion}` },
      labels: poolNodeLabels(this, 'system node group', 'system', 'system'),
      lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
      dependsOn: this.nodeGroupDependencies,
    });
    addEksClusterCost(this);
    addSystemNodesCost(this.systemNodeGroup, sys.instanceType ?? 'm6i.large', sysMin, sysMax, 50);

    this.addon('coredns', this.addonVersions.coredns, { dependsOn: [this.systemNodeGroup] });
    this.nodeRepair = clusterNodeRepair(this, props.nodeRepair, props.nodeAutoRepair);
    this.nodeAutoRepair = props.nodeAutoRepair ?? props.nodeRepair !== undefined;
    if (this.nodeAutoRepair) {
      this.addon('eks-node-monitoring-agent', undefined, { dependsOn: [this.systemNodeGroup] });
    }
    if (this.ebsCsiDriverInstalled) {
      const ebsRole = serviceRole(
        this,
        'EbsCsiRole',
        'pods.eks.amazonaws.com',
        ['service-role/AmazonEBSCSIDriverPolicy'],
        ['sts:AssumeRole', 'sts:TagSession'],
      );
      this.addon('aws-ebs-csi-driver', this.addonVersions.ebsCsiDriver, {
        podIdentityAssociation: [{ roleArn: ebsRole.role.arn, serviceAccount: 'ebs-csi-controller-sa' }],
        dependsOn: [this.systemNodeGroup, podIdentity, ...ebsRole.attachments],
      });
    }

    this.addOutputs(props);
  }

  private addOutputs(props: EksClusterProps): void {
    if (props.outputs ?? true) {
      const prefix = outputPrefix(this);
      new TerraformOutput(this, 'NameOutput', {
        value: this.resourceName,
        description: 'EKS cluster name',
      }).overrideLogicalId(`${prefix}_name`);
      new TerraformOutput(this, 'EndpointOutput', {
        value: this.endpoint,
        description: 'EKS API server endpoint',
      }).overrideLogicalId(`${prefix}_endpoint`);
      new TerraformOutput(this, 'CaOutput', {
        value: this.certificateAuthorityData,
        description: 'Base64 cluster CA certificate',
      }).overrideLogicalId(`${prefix}_certificate_authority_data`);
      new TerraformOutput(this, 'OidcIssuerOutput', {
        value: this.oidcIssuerUrl,
        description: 'OIDC issuer URL (IRSA)',
      }).overrideLogicalId(`${prefix}_oidc_issuer_url`);
    }
  }

  /**
   * Adds an EFA training node group (p5, p5e, p5en, p4d, p4de).
   * @returns the node group
   */
  public addTrainingNodeGroup(id: string, options: TrainingNodeGroupOptions): TrainingNodeGroup {
    return new TrainingNodeGroup(this, id, { ...options, cluster: this });
  }

  /**
   * Adds an autoscaled inference node group (g6e, g5, g6, p5), from zero by default.
   * @returns the node group
   */
  public addInferenceNodeGroup(id: string, options: InferenceNodeGroupOptions): InferenceNodeGroup {
    return new InferenceNodeGroup(this, id, { ...options, cluster: this });
  }

  /**
   * Adds an IAM role for a Kubernetes service account through EKS Pod Identity.
   * @returns the role
   */
  public addWorkloadRole(id: string, options: WorkloadRoleOptions): WorkloadRole {
    return new WorkloadRole(this, id, this, options);
  }

  /**
   * Kubernetes / Helm provider settings for a stack that deploys into this cluster: host, CA
   * certificate and an `exec` block running `aws eks get-token` (needs the AWS CLI where
   * Terraform runs). Referencing them from another stack makes cdktf pass them as outputs.
   */
  public kubernetesProviderConfig(): KubernetesProviderConfig {
    return eksProviderConfig(this);
  }

  public enableFsxCsiDriver(): void {
    if (this.addons['aws-fsx-csi-driver']) {
      return;
    }
    const role = serviceRole(
      this,
      'FsxCsiRole',
      'pods.eks.amazonaws.com',
      ['AmazonFSxFullAccess'],
      ['sts:AssumeRole', 'sts:TagSession'],
    );
    this.addon('aws-fsx-csi-driver', this.addonVersions.fsxCsiDriver, {
      podIdentityAssociation: [{ roleArn: role.role.arn, serviceAccount: 'fsx-csi-controller-sa' }],
      // On Auto Mode the Pod Identity agent runs on every node; there is no add-on to wait for.
      dependsOn: [
        ...(this.systemNodeGroup ? [this.systemNodeGroup, this.addons['eks-pod-identity-agent']] : []),
        ...role.attachments,
      ],
    });
  }

  public requireEfaOnlySupport(scope: IConstruct): void {
    checkEfaOnlyCni(scope, 'addonVersions.vpcCni', this.addonVersions.vpcCni, this.clusterName);
  }

  private addon(
    name: string,
    version: string | undefined,
    extra: Partial<ConstructorParameters<typeof EksAddon>[2]> = {},
  ): EksAddon {
    const a = new EksAddon(this, `Addon-${name}`, {
      clusterName: this.resourceName,
      addonName: name,
      ...(version ? { addonVersion: version } : {}),
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'PRESERVE',
      ...extra,
    });
    this.addons[name] = a;
    return a;
  }

  private validateAddonVersions(): void {
    for (const [k, v] of Object.entries(this.addonVersions)) {
      if (v !== undefined) Validate.string(this, `addonVersions.${k}`, v);
      if (v !== undefined && !/^v\d+\.\d+\.\d+(-eksbuild\.\d+)?$/.test(v)) {
        throw new ValidationError(
          `'addonVersions.${k}' ('${v}') must look like 'v1.20.4-eksbuild.1' (see aws eks describe-addon-versions).`,
          this,
        );
      }
    }
  }
}

/** Throws unless `name` is a valid EKS cluster name. */
function checkClusterName(scope: IConstruct, prop: string, name: string): void {
  Validate.string(scope, prop, name);
  if (!Token.isUnresolved(name) && !/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(name)) {
    throw new ValidationError(
      `'${prop}' ('${name}') must be 1-100 characters of letters, digits, '-' and '_', starting with a letter or digit.`,
      scope,
    );
  }
}

/** Throws unless `version` is a Kubernetes version `1.<minor>` the library supports (1.33+). */
function checkKubernetesVersion(scope: IConstruct, version: string): void {
  Validate.string(scope, 'kubernetesVersion', version);
  const m = /^1\.(\d+)$/.exec(version);
  if (!m) {
    throw new ValidationError(`'kubernetesVersion' ('${version}') must look like '1.34'.`, scope);
  }
  if (Number(m[1]) < 33) {
    throw new ValidationError(
      `'kubernetesVersion' (${version}) is older than 1.33: this library targets AL2023 / Bottlerocket NVIDIA AMIs on 1.33+ (AL2 GPU AMIs ended with 1.32). Use '${DEFAULT_KUBERNETES_VERSION}'.`,
      scope,
    );
  }
}

/** Throws when a known VPC CNI version is older than the first one with `efa-only` interfaces. */
function checkEfaOnlyCni(
  scope: IConstruct,
  prop: string,
  version: string | undefined,
  clusterName: string,
): void {
  if (version !== undefined && compareVersions(version, MIN_VPC_CNI_FOR_EFA_ONLY) < 0) {
    throw new ValidationError(
      `'${prop}' (${version}) of cluster ${clusterName} is older than v${MIN_VPC_CNI_FOR_EFA_ONLY}, the first VPC CNI that supports 'efa-only' interfaces: raise it or leave it unset.`,
      scope,
    );
  }
}

// The decoded CA of each cluster, built once: every `Fn` call creates a cdktf token.
const DECODED_CA = new WeakMap<IEksCluster, string>();

/** Kubernetes / Helm provider settings of a cluster (owned or imported). */
function eksProviderConfig(cluster: IEksCluster): KubernetesProviderConfig {
  let ca = DECODED_CA.get(cluster);
  if (ca === undefined) {
    ca = Fn.base64decode(cluster.certificateAuthorityData);
    DECODED_CA.set(cluster, ca);
  }
  return {
    host: cluster.endpoint,
    clusterCaCertificate: ca,
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'aws',
      args: ['eks', 'get-token', '--cluster-name', cluster.clusterName, '--region', cluster.region],
    },
  };
}

const OUTPUT_PREFIXES = new WeakMap<TerraformStack, Map<string, string>>();

/**
 * The prefix of a cluster's Terraform outputs: its construct path below the stack, so two
 * clusters with the same id under different parents get distinct outputs (a cluster directly
 * under the stack keeps `<id>_name`, ...). Two paths that only differ in characters an output
 * name cannot hold are an error rather than a silent overwrite.
 */
function outputPrefix(cluster: IConstruct): string {
  const stack = TerraformStack.of(cluster);
  const rel = cluster.node.scopes
    .slice(cluster.node.scopes.indexOf(stack) + 1)
    .map((c) => c.node.id)
    .join('_');
  const prefix = rel.replace(/[^A-Za-z0-9]/g, '_').toLowerCase();
  const claimed = OUTPUT_PREFIXES.get(stack) ?? new Map<string, string>();
  OUTPUT_PREFIXES.set(stack, claimed);
  const owner = claimed.get(prefix);
  if (owner !== undefined && owner !== cluster.node.path) {
    throw new ValidationError(
      `the outputs of this cluster would be named '${prefix}_*', as those of ${owner}: give one of them another construct id.`,
      cluster,
      'duplicate',
    );
  }
  claimed.set(prefix, cluster.node.path);
  return prefix;
}

/** Whether `c` is an IPv4 CIDR without host bits. */
function isNetworkCidr(c: string): boolean {
  const parsed = parseIpv4Cidr(c);
  return parsed !== undefined && parsed.address === parsed.first;
}

/** Compares `v1.2.3[-eksbuild.N]` with `1.2.3`. */
function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split('-')[0].split('.').map(Number);
  const pb = b.replace(/^v/, '').split('-')[0].split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if (pa[i] !== pb[i]) {
      return pa[i] - pb[i];
    }
  }
  return 0;
}

/**
 * Validates a cluster's `nodeRepair` (the repair options apply only with auto repair, so
 * `nodeAutoRepair: false` with them is an error) and returns it.
 */
function clusterNodeRepair(
  scope: Construct,
  nodeRepair: EksNodeRepairOptions | undefined,
  nodeAutoRepair: boolean | undefined,
): EksNodeRepairOptions | undefined {
  if (nodeRepair === undefined) return undefined;
  if (nodeAutoRepair === false) {
    throw new ValidationError(
      `'nodeRepair' is set but 'nodeAutoRepair' is false: the repair options apply only with auto repair. Remove 'nodeRepair' or set nodeAutoRepair: true.`,
      scope,
    );
  }
  eksNodeRepairConfig(scope, 'nodeRepair', nodeRepair);
  return nodeRepair;
}
