import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { ITerraformDependable } from 'cdktf';
import { IConstruct } from 'constructs';
import type { KubernetesExecCredential, KubernetesProviderConfig } from '../core';
import type { EksNodeRepairOptions } from './node-repair';

// The seams of the AWS module: what one construct needs to know about another, whether the app
// owns it (`new EksCluster(...)`) or imports it (`EksCluster.fromClusterAttributes(...)`).
// Constructs take these interfaces, never the concrete classes, so the module has no import
// cycles (cluster <-> node groups, stores <-> cluster).

/** A subnet of a {@link INetwork}. */
export interface NetworkSubnet {
  /** Subnet id. */
  readonly subnetId: string;
  /** Availability Zone name, for example `us-east-1a`. */
  readonly availabilityZone: string;
  /** IPv4 CIDR. */
  readonly cidr: string;
}

/** A VPC the EKS constructs can place nodes in. Implemented by `GpuNetwork` and its imports. */
export interface INetwork extends IConstruct {
  /** VPC id. */
  readonly vpcId: string;
  /** VPC IPv4 CIDR. */
  readonly vpcCidr: string;
  /** AWS region the network is in. */
  readonly region: string;
  /** Private subnets for nodes, one per Availability Zone. */
  readonly privateSubnets: NetworkSubnet[];
  /** Public subnets for internet-facing load balancers, one per Availability Zone. */
  readonly publicSubnets: NetworkSubnet[];
  /**
   * The single-AZ private subnet for EFA training node groups.
   * @default - none; training node groups then need an explicit subnet
   */
  readonly trainingSubnet?: NetworkSubnet;
  /** Tags the subnets for an EKS cluster (`kubernetes.io/cluster/<name>: shared`). */
  tagForCluster(clusterName: string): void;
}

/**
 * An IAM role other constructs can grant access to: the cluster's node role, a Pod Identity
 * workload role (`EksCluster.addWorkloadRole`) or a role the app does not own
 * (`{ roleName, roleArn }`).
 */
export interface IAwsRole {
  /** Role name. */
  readonly roleName: string;
  /** Role ARN. */
  readonly roleArn: string;
}

/**
 * A KMS key referenced by ARN (a key the app owns elsewhere, or `KmsKeyReference.fromKeyArn` for
 * one it does not).
 */
export interface IKmsKey {
  /** Key ARN, `arn:<partition>:kms:<region>:<account>:key/<key-id>`. */
  readonly keyArn: string;
}

/**
 * Exec credential plugin settings for the Kubernetes and Helm providers.
 * @deprecated the same type as core `KubernetesExecCredential`, its name in every module; removed in the next minor release
 */
export type EksExecCredential = KubernetesExecCredential;

/**
 * Settings a Kubernetes or Helm provider needs to reach an EKS cluster.
 * @deprecated the same type as core `KubernetesProviderConfig`, its name in every module; removed in the next minor release
 */
export type EksKubernetesProviderConfig = KubernetesProviderConfig;

/**
 * An EKS cluster the node groups, stores and workloads attach to. Implemented by `EksCluster`
 * and by `EksCluster.fromClusterAttributes` for a cluster the app does not own.
 */
export interface IEksCluster extends IConstruct {
  /**
   * Cluster name, known at synth time (a plain string, not a reference): resources that pass it
   * must also depend on {@link clusterDependency} (or something that does).
   */
  readonly clusterName: string;
  /** The cluster resource (or data source), for `dependsOn` of resources that only pass `clusterName`. */
  readonly clusterDependency: ITerraformDependable;
  /** Cluster ARN. */
  readonly clusterArn: string;
  /** API server endpoint URL. */
  readonly endpoint: string;
  /** Base64 PEM of the cluster CA (as EKS returns it). */
  readonly certificateAuthorityData: string;
  /** OIDC issuer URL (`https://oidc.eks...`). */
  readonly oidcIssuerUrl: string;
  /** ARN of the IAM OIDC provider for IRSA. */
  readonly oidcProviderArn: string;
  /** The cluster security group EKS creates; the library puts it on every node interface. */
  readonly clusterSecurityGroupId: string;
  /** The node role of every node group. */
  readonly nodeRole: IAwsRole;
  /** The network. */
  readonly network: INetwork;
  /** The AWS region of the cluster. */
  readonly region: string;
  /** Kubernetes version. */
  readonly kubernetesVersion: string;
  /** Resources node groups must wait for (the VPC CNI and kube-proxy add-ons). */
  readonly nodeGroupDependencies: ITerraformDependable[];
  /** Whether GPU node groups turn on EKS node auto repair. */
  readonly nodeAutoRepair: boolean;
  /**
   * Whether the cluster runs EKS Auto Mode (`compute_config`): its nodes come from Auto Mode
   * NodePools, not managed node groups, and it has its own Karpenter and load balancing.
   * @default false
   */
  readonly autoMode?: boolean;
  /**
   * Whether the EBS CSI driver add-on (provisioner `ebs.csi.aws.com`) runs on the cluster; Auto
   * Mode clusters provision EBS volumes with their own `ebs.csi.eks.amazonaws.com` instead.
   * @default - not known (an imported cluster without `ebsCsiDriverInstalled`)
   */
  readonly ebsCsiDriverInstalled?: boolean;
  /**
   * The cluster's node auto repair options, which GPU node groups use unless they set their own.
   * @default - the defaults of `EksNodeRepairOptions`
   */
  readonly nodeRepair?: EksNodeRepairOptions;
  /** Installs the FSx for Lustre CSI driver add-on (idempotent). */
  enableFsxCsiDriver(): void;
  /** Throws unless the cluster's VPC CNI supports `efa-only` interfaces. */
  requireEfaOnlySupport(scope: IConstruct): void;
  /**
   * Kubernetes / Helm provider settings for a stack that deploys into this cluster: host, CA
   * certificate and an `exec` block running `aws eks get-token`.
   */
  kubernetesProviderConfig(): KubernetesProviderConfig;
}

/**
 * Durable checkpoints: an S3 bucket and, optionally, an FSx for Lustre file system in front of
 * it. Implemented by `CheckpointStore` and `CheckpointStore.fromStoreAttributes`.
 */
export interface ICheckpointStore extends IConstruct {
  /** Bucket name. */
  readonly bucketName: string;
  /** Bucket ARN (partition-aware). */
  readonly bucketArn: string;
  /**
   * FSx for Lustre file system id.
   * @default - no file system
   */
  readonly fileSystemId?: string;
  /** Capacity of the file system, GiB (0 without Lustre). */
  readonly lustreCapacityGiB: number;
  /**
   * Availability Zone of the file system.
   * @default - no file system
   */
  readonly lustreAvailabilityZone?: string;
  /** Grants read and write on the bucket (and its key) to a role. */
  grantReadWrite(role: IAwsRole): IamRolePolicy;
  /** Grants read on the bucket (and its key) to a role. */
  grantRead(role: IAwsRole): IamRolePolicy;
}

/**
 * A Karpenter installation as the GPU node pools see it. Implemented by {@link Karpenter};
 * implement it for a Karpenter installed by other means (its own Helm release, a blueprint).
 */
export interface IKarpenter extends IConstruct {
  /** The cluster Karpenter launches nodes for (its node role and cluster security group). */
  readonly cluster: IEksCluster;
  /**
   * Id of the security group EFA nodes also join (all traffic among its members, as EFA needs),
   * for example `sg-0123456789abcdef0`.
   */
  readonly efaSecurityGroupId: string;
}

/**
 * An SNS topic alerts are published to. Implemented by `AlertTopic` and
 * `AlertTopic.fromTopicAttributes`.
 */
export interface IAlertTopic extends IConstruct {
  /** Topic ARN. */
  readonly topicArn: string;
  /**
   * Lets an AWS service principal publish to the topic (`sns:Publish` on the topic and the
   * key actions on its KMS key). A topic the app does not own cannot change its policies: it
   * warns with what the policies must allow.
   */
  allowPublishFrom(servicePrincipal: string, sourceArn?: string): void;
}

/**
 * A container registry (and model-artifact bucket) workloads pull from. Implemented by `Registry`
 * and `Registry.fromRegistryAttributes`.
 */
export interface IContainerRegistry extends IConstruct {
  /** Lets a role pull images from the registry's repositories. */
  grantPull(role: IAwsRole): IamRolePolicy;
  /** Lets a role read model artifacts (throws without a model bucket). */
  grantReadModels(role: IAwsRole): IamRolePolicy;
  /** Lets a role write model artifacts (throws without a model bucket). */
  grantWriteModels(role: IAwsRole): IamRolePolicy;
}

/**
 * An EC2 `cluster` placement group nodes launch in. Implemented by
 * `PlacementGroupReference.fromPlacementGroupName` for one the app does not own (the one an
 * On-Demand Capacity Reservation was created in).
 */
export interface IPlacementGroup {
  /** Placement group name. */
  readonly placementGroupName: string;
}

/** A node group cluster-autoscaler scales through its Auto Scaling group. Implemented by `InferenceNodeGroup`. */
export interface IAutoscaledNodeGroup extends IConstruct {
  /** Name of the group's Auto Scaling group (a reference to the node group's `resources`). */
  readonly autoScalingGroupName: string;
}
