// EKS Auto Mode facts, from the Amazon EKS User Guide (awsdocs/amazon-eks-user-guide, checked
// 2026-12-03): `automode/create-auto.adoc`, `security/iam-reference/auto-cluster-iam-role.adoc`,
// `security/iam-reference/auto-create-node-role.adoc`, `automode/create-node-class.adoc`
// ("Create node class access entry"), `automode/set-builtin-node-pools.adoc` and the release notes
// `automode/auto-change.adoc`; the Terraform shape from the pinned binding
// (@cdktf/provider-aws 21.22.1, hashicorp/aws 6.25.0 `aws_eks_cluster`: `compute_config`,
// `storage_config.block_storage`, `kubernetes_network_config.elastic_load_balancing`).

/**
 * The built-in node pools of EKS Auto Mode (`compute_config.node_pools`): AWS owns them and they
 * cannot be edited, only turned on or off.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/set-builtin-node-pools.html
 */
export enum AutoModeBuiltInNodePool {
  /** On-demand C, M and R instances for ordinary workloads (the monitoring stack, operators). */
  GENERAL_PURPOSE = 'general-purpose',
  /** Nodes tainted `CriticalAddonsOnly` for cluster-critical add-ons. */
  SYSTEM = 'system',
}

/**
 * Managed policies of the cluster role of an Auto Mode cluster, besides `AmazonEKSClusterPolicy`:
 * Auto Mode launches instances, volumes, load balancers and network interfaces as the cluster role.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/auto-cluster-iam-role.html
 */
export const AUTO_MODE_CLUSTER_POLICIES: readonly string[] = [
  'AmazonEKSComputePolicy',
  'AmazonEKSBlockStoragePolicy',
  'AmazonEKSLoadBalancingPolicy',
  'AmazonEKSNetworkingPolicy',
];

/**
 * Managed policies of the node role of Auto Mode nodes (no CNI policy: Auto Mode networking runs
 * with the cluster role).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/auto-create-node-role.html
 */
export const AUTO_MODE_NODE_POLICIES: readonly string[] = [
  'AmazonEKSWorkerNodeMinimalPolicy',
  'AmazonEC2ContainerRegistryPullOnly',
];

/**
 * The EKS access policy the node role's `EC2` access entry needs so Auto Mode nodes of a custom
 * NodeClass can join. EKS creates that entry itself when a built-in node pool is on; without one
 * it must be created (terraform-aws-modules/terraform-aws-eks#3578).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-node-class.html
 */
export const AUTO_MODE_NODE_ACCESS_POLICY = 'AmazonEKSAutoNodePolicy';

/**
 * Longest life of an Auto Mode node: AWS replaces every Auto Mode instance within 21 days
 * (`expireAfter` of a NodePool may shorten it, not lengthen it).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/automode.html
 */
export const AUTO_MODE_MAX_NODE_LIFETIME = '504h';

/** Options of EKS Auto Mode on an `EksCluster` (`autoMode`). */
export interface EksAutoModeOptions {
  /**
   * Built-in node pools to turn on. With none, the cluster runs only the pools you add
   * (`AutoModeGpuNodePool`), and the library creates the node role's `EC2` access entry that EKS
   * would otherwise create. Cluster add-ons (the monitoring stack, Kueue, JobSet) need a pool
   * that is not tainted for GPUs: keep `general-purpose` unless you add one.
   * @default [AutoModeBuiltInNodePool.SYSTEM, AutoModeBuiltInNodePool.GENERAL_PURPOSE]
   */
  readonly builtInNodePools?: AutoModeBuiltInNodePool[];
}

/**
 * GPU instance families EKS Auto Mode launches: the accelerated families of the EKS User Guide's
 * "Supported instance reference" (`automode/automode-learn-instances.adoc`: p5, p4d, p3, p3dn,
 * gr6, g6, g6e, g5g, g5, g4dn) and those the Auto Mode release notes added on 2026-04-10 (p6-b200,
 * p6-b300, p5e, p5en). A pool of another family warns `aws-auto-mode-instance-family`: AWS may
 * have added it since, or Auto Mode will not launch it.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/automode-learn-instances.html
 */
export const AUTO_MODE_GPU_INSTANCE_FAMILIES: readonly string[] = [
  'p6-b300',
  'p6-b200',
  'p5en',
  'p5e',
  'p5',
  'p4d',
  'p3dn',
  'p3',
  'gr6',
  'g6e',
  'g6',
  'g5g',
  'g5',
  'g4dn',
];
