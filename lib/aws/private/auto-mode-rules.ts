import { EksClusterComputeConfig } from '@cdktf/provider-aws/lib/eks-cluster';
import { Construct, IConstruct } from 'constructs';
import { Validate, ValidationError } from '../../core';
import { AutoModeBuiltInNodePool, EksAutoModeOptions } from '../auto-mode';
import { IEksCluster } from '../interfaces';

/**
 * Throws when a managed node group is added to an EKS Auto Mode cluster: the library's Auto Mode
 * clusters run without the VPC CNI and kube-proxy add-ons that managed nodes need (Auto Mode nodes
 * bring their own networking), so such a node would never become Ready.
 */
export function refuseManagedGroupOnAutoMode(scope: IConstruct, cluster: IEksCluster, what: string): void {
  if (cluster.autoMode) {
    throw new ValidationError(
      `'cluster' ${cluster.clusterName} runs EKS Auto Mode: its nodes come from Auto Mode NodePools, and it has no VPC CNI or ` +
        `kube-proxy add-on for a managed ${what} node group. Use AutoModeGpuNodePool (same accelerator, capacity and EFA options) instead.`,
      scope,
    );
  }
}

/**
 * The cluster a construct was given, checked to be an EKS cluster of this library (owned or
 * imported): a construct with a cluster name.
 */
export function requireEksCluster(scope: IConstruct, prop: string, value: unknown): IEksCluster {
  const c = value as IEksCluster | undefined;
  if (
    c === null ||
    typeof c !== 'object' ||
    !Construct.isConstruct(c) ||
    typeof (c as IEksCluster).clusterName !== 'string'
  ) {
    throw new ValidationError(
      `'${prop}' must be an EksCluster or the result of EksCluster.fromClusterAttributes(...), got ${value === null ? 'null' : typeof value}.`,
      scope,
      'type',
    );
  }
  return c;
}

/** The validated Auto Mode options. */
export interface ResolvedAutoMode {
  /** Built-in node pools, in the order given. */
  readonly builtInNodePools: AutoModeBuiltInNodePool[];
}

/** Validates `autoMode` and applies its defaults. */
export function resolveAutoMode(scope: IConstruct, options: EksAutoModeOptions): ResolvedAutoMode {
  Validate.object(scope, 'autoMode', options);
  const pools = Validate.array<AutoModeBuiltInNodePool>(
    scope,
    'autoMode.builtInNodePools',
    options.builtInNodePools ?? [AutoModeBuiltInNodePool.SYSTEM, AutoModeBuiltInNodePool.GENERAL_PURPOSE],
  );
  pools.forEach((p, i) =>
    Validate.oneOf(scope, `autoMode.builtInNodePools[${i}]`, p, Object.values(AutoModeBuiltInNodePool)),
  );
  Validate.unique(scope, 'autoMode.builtInNodePools', pools);
  return { builtInNodePools: [...pools] };
}

/**
 * `compute_config` of an Auto Mode cluster. EKS rejects a node role without node pools
 * ("nodeRoleArn ... nodePools", terraform-aws-modules/terraform-aws-eks#3238) and node pools
 * without a node role (#3366), so the role is passed only with built-in pools. @internal
 */
export function autoModeComputeConfig(mode: ResolvedAutoMode, nodeRoleArn: string): EksClusterComputeConfig {
  return {
    enabled: true,
    nodePools: mode.builtInNodePools,
    ...(mode.builtInNodePools.length ? { nodeRoleArn } : {}),
  };
}

/**
 * Throws for props of an `EksCluster` that configure what Auto Mode replaces: the system managed
 * node group, the self-managed add-ons (VPC CNI, kube-proxy, CoreDNS, Pod Identity agent, EBS CSI
 * driver: Auto Mode runs them on every node) and node auto repair (Auto Mode repairs its nodes
 * itself). @internal
 */
export function refuseReplacedByAutoMode(
  scope: IConstruct,
  given: Record<string, unknown>,
  addonVersions: Record<string, unknown>,
): void {
  const reasons: Record<string, string> = {
    systemNodeGroup: 'Auto Mode runs system workloads on its built-in system node pool',
    vpcCniEnv: 'Auto Mode nodes run their own pod networking, not the VPC CNI add-on',
    networkPolicy:
      'Auto Mode enforces NetworkPolicies itself (NodeClass networkPolicy; enable it in the amazon-vpc-cni ConfigMap)',
    ebsCsiDriver: 'Auto Mode has block storage built in (StorageClass provisioner ebs.csi.eks.amazonaws.com)',
    nodeAutoRepair: 'Auto Mode monitors and repairs its nodes itself',
    nodeRepair: 'Auto Mode monitors and repairs its nodes itself',
  };
  for (const [prop, reason] of Object.entries(reasons)) {
    if (given[prop] !== undefined && given[prop] !== false) {
      throw new ValidationError(
        `'${prop}' is set with 'autoMode': ${reason}. Remove '${prop}', or remove 'autoMode' to run managed node groups.`,
        scope,
      );
    }
  }
  for (const k of ['vpcCni', 'coredns', 'kubeProxy', 'podIdentityAgent', 'ebsCsiDriver']) {
    if (addonVersions[k] !== undefined) {
      throw new ValidationError(
        `'addonVersions.${k}' is set with 'autoMode': Auto Mode runs that component on its nodes and the cluster installs no such add-on. Remove it.`,
        scope,
      );
    }
  }
}
