import { TerraformResource, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import {
  gpuPoolTaints,
  NodeTaint,
  Validate,
  validateGpuNodePoolOptions,
  ValidationError,
  Warnings,
} from '../core';
import { AUTO_MODE_GPU_INSTANCE_FAMILIES, AUTO_MODE_MAX_NODE_LIFETIME } from './auto-mode';
import { EFA_RESOURCE, efaDeviceCount, efaInterfaceLayout } from './efa';
import { ElasticGpuNodePoolOptions, IElasticGpuNodePool } from './elastic-gpu-node-pool';
import { IEksCluster } from './interfaces';
import { requireEksCluster } from './private/auto-mode-rules';
import {
  addElasticPoolManifests,
  claimElasticInstanceTypes,
  efaSelfSecurityGroup,
  elasticNodePoolManifest,
  resolveElasticCapacity,
  resolveElasticInstanceTypes,
  resolveElasticPlacement,
  resolveGpuLimit,
  validateConsolidateAfter,
  validateElasticPoolProps,
} from './private/elastic-pool';
import {
  addNodeGroupCost,
  gpuNodeLabels,
  requireIntInRange,
  TRAINING_IMAGES_HINT,
} from './private/node-group-common';
import { addNodeVolumeCost, warnAutoModeFeeNotEstimated } from './private/service-prices';

/**
 * Props of the managed node groups and `KarpenterGpuNodePool` that an Auto Mode pool refuses,
 * with why: Auto Mode owns the AMI, the operating system, the NVIDIA driver and device plugin, and
 * the node's disks (EKS UG `create-node-class`: the NodeClass has no `amiSelectorTerms`,
 * `userData`, `blockDeviceMappings`, `metadataOptions`, `kubelet` or `instanceStorePolicy`).
 */
export const AUTO_MODE_REFUSED_POOL_PROPS: Readonly<Record<string, string>> = {
  amiType:
    'Auto Mode picks and patches the AMI itself (a Bottlerocket-based image with the NVIDIA driver); no custom AMI',
  amiVersion: 'Auto Mode picks and patches the AMI itself; no AMI pinning',
  userData: 'Auto Mode nodes take no user data (read-only root file system, no SSH or SSM)',
  hugePages2MiB: 'Auto Mode nodes take no user data or sysctl settings, so huge pages cannot be reserved',
  imdsHopLimit: 'Auto Mode sets the instance metadata options of its nodes',
  localStorageRaid0:
    'Auto Mode formats local NVMe itself (RAID0 when ephemeralStorage is smaller than the NVMe)',
  launchTemplate: 'Auto Mode launches its nodes without your launch templates',
  nodeRepair: 'Auto Mode monitors and repairs its nodes itself',
  draDriver: 'EKS Auto Mode does not support Dynamic Resource Allocation (NVIDIA or EFA DRA drivers)',
};

// The NodeClass's ephemeral storage is an EBS gp3 volume, 80Gi, 3,000 IOPS and 125 MB/s when
// unset (EKS User Guide, awsdocs/amazon-eks-user-guide @ 4d52b4d0
// latest/ug/automode/create-node-class.adoc, "shown with default values"); the pool always writes
// `ephemeralStorageGiB` (default 200), so the cost line prices the size written.
const AUTO_MODE_VOLUME_NOTE =
  "Auto Mode's ephemeral storage volume (its own default 80Gi; this pool writes the size); Auto Mode's per-instance management fee not included";

/** Properties of an {@link AutoModeGpuNodePool}: the elastic GPU pool options plus Auto Mode's. */
export interface AutoModeGpuNodePoolProps extends ElasticGpuNodePoolOptions {
  /** The cluster; it must run EKS Auto Mode (`EksCluster` `autoMode`, or imported with `autoMode: true`). */
  readonly cluster: IEksCluster;
  /**
   * /28 prefixes (16 pod IPs each) on the primary interface of an EFA node
   * (`secondaryIPv4PrefixCount`): with static interfaces (NodeClass
   * `advancedNetworking.networkInterfaces`, Auto Mode since 2026-07-21), Auto Mode adds no IPs or
   * interfaces after launch and assigns pod IPs only from these.
   * @default 1
   */
  readonly podIpv4Prefixes?: number;
  /**
   * Node ephemeral storage (the encrypted gp3 data volume, NodeClass `ephemeralStorage.size`), GiB.
   * @default 200
   */
  readonly ephemeralStorageGiB?: number;
}

/**
 * A GPU NodePool on EKS Auto Mode: a `karpenter.sh/v1` NodePool and an `eks.amazonaws.com/v1`
 * NodeClass, from the same options as the managed node groups and `KarpenterGpuNodePool`:
 * accelerator and GPU count to instance types (`node.kubernetes.io/instance-type`); capacity types
 * in priority order (reservations and Capacity Blocks through `capacityReservationSelectorTerms`,
 * spot, on-demand); EFA interfaces from {@link efaInterfaceLayout} with an EFA security group;
 * an optional placement group; consolidation only when empty; a GPU limit from a GPU count or a
 * monthly budget; GPU labels and the `nvidia.com/gpu` taint.
 *
 * Auto Mode's AMI brings the NVIDIA driver and device plugin and the EFA device plugin
 * (awsdocs/amazon-eks-user-guide#914, aws/eks-charts#1359): run the Kubernetes module's
 * `GpuPlatform` with `GpuNodeImage.DRIVER_TOOLKIT_AND_DEVICE_PLUGIN`, never the GPU Operator's
 * driver, toolkit or device plugin, on these nodes. It refuses custom AMIs, user data (so no huge pages: set the Kubernetes fabric's
 * `hugePages2MiB: 0`), node auto repair options and DRA drivers ({@link AUTO_MODE_REFUSED_POOL_PROPS}).
 * Auto Mode replaces every node within 21 days ({@link AUTO_MODE_MAX_NODE_LIFETIME}): training
 * runs must checkpoint and resume.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-node-class.html
 * @see https://docs.aws.amazon.com/eks/latest/userguide/auto-odcr.html
 * @see https://docs.aws.amazon.com/eks/latest/userguide/device-management-efa.html
 * @example
 * new AutoModeGpuNodePool(workloads, 'H100', {
 *   cluster, accelerator: Accelerator.H100, maxGpus: 64,
 *   capacity: Capacity.capacityBlock('cr-0123456789abcdef0'), fallbackCapacity: [Capacity.onDemand()],
 * });
 */
export class AutoModeGpuNodePool extends Construct implements IElasticGpuNodePool {
  public readonly nodePool: TerraformResource;
  public readonly nodeClass: TerraformResource;
  public readonly nodePoolManifest: Record<string, unknown>;
  public readonly nodeClassManifest: Record<string, unknown>;
  public readonly instanceTypes: string[];
  public readonly efaDevicesPerNode: number;
  public readonly maxGpus: number;
  public readonly labels: Record<string, string>;
  public readonly taints: NodeTaint[];
  public readonly placementGroupName?: string;

  constructor(scope: Construct, id: string, props: AutoModeGpuNodePoolProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    const cluster = requireEksCluster(this, 'cluster', props.cluster);
    if (!cluster.autoMode) {
      throw new ValidationError(
        `'cluster' ${cluster.clusterName} does not run EKS Auto Mode: set 'autoMode' on the EksCluster (or 'autoMode: true' on an ` +
          `imported one), or use KarpenterGpuNodePool / a managed node group.`,
        this,
      );
    }
    const given = props as unknown as Record<string, unknown>;
    for (const [prop, reason] of Object.entries(AUTO_MODE_REFUSED_POOL_PROPS)) {
      if (given[prop] !== undefined) {
        throw new ValidationError(
          `'${prop}' is set on an EKS Auto Mode pool: ${reason}. Remove it, or use KarpenterGpuNodePool or a managed node group for this pool.`,
          this,
        );
      }
    }
    validateGpuNodePoolOptions(this, props);
    if (TerraformStack.of(this) === TerraformStack.of(cluster)) {
      throw new ValidationError(
        `the NodePool is a kubernetes_manifest in the stack of the EKS cluster '${cluster.node.path}': the Kubernetes provider ` +
          `is configured from that cluster's outputs, so put the pool in a stack that depends on it (the workloads stack).`,
        this,
      );
    }
    if (props.efa !== undefined) Validate.boolean(this, 'efa', props.efa);
    const name = validateElasticPoolProps(this, id, props);
    if (name === 'default' || name === 'general-purpose' || name === 'system') {
      throw new ValidationError(
        `'name' ('${name}') is the name of an Auto Mode built-in NodeClass or NodePool, which Auto Mode owns: choose another name.`,
        this,
      );
    }

    const capacity = resolveElasticCapacity(this, props.capacity, props.fallbackCapacity, 'Auto Mode pools');
    const reserved = capacity.reservationIds.length > 0;
    const efa = props.efa ?? true;
    const it = resolveElasticInstanceTypes(this, props, efa, capacity);
    this.instanceTypes = it.types.map((t) => t.name);
    const unlisted = this.instanceTypes.filter(
      (t) => !AUTO_MODE_GPU_INSTANCE_FAMILIES.includes(t.split('.')[0]),
    );
    if (unlisted.length) {
      Warnings.add(
        this,
        'aws-auto-mode-instance-family',
        `${unlisted.join(', ')} ${unlisted.length > 1 ? 'are' : 'is'} not in the GPU families the EKS User Guide lists for Auto Mode ` +
          `(${AUTO_MODE_GPU_INSTANCE_FAMILIES.join(', ')}): check the current list, or Auto Mode will not launch ${unlisted.length > 1 ? 'them' : 'it'}.`,
      );
    }
    claimElasticInstanceTypes(this, cluster, this.instanceTypes, efa);
    const { placementGroupName, subnets, zone } = resolveElasticPlacement(
      this,
      cluster,
      name,
      props,
      capacity,
      efa,
    );
    this.placementGroupName = placementGroupName;
    this.maxGpus = resolveGpuLimit(this, props.maxGpus, props.monthlyBudgetUsd, it);

    const storage = props.ephemeralStorageGiB ?? 200;
    requireIntInRange(
      this,
      'ephemeralStorageGiB',
      storage,
      50,
      59_000,
      `${TRAINING_IMAGES_HINT}; Auto Mode accepts up to 59000Gi.`,
    );
    const prefixes = props.podIpv4Prefixes ?? 1;
    if (props.podIpv4Prefixes !== undefined && !efa) {
      throw new ValidationError(
        `'podIpv4Prefixes' is set on a pool without EFA: Auto Mode assigns pod IPs dynamically unless the NodeClass has static ` +
          `network interfaces. Remove it.`,
        this,
      );
    }
    requireIntInRange(this, 'podIpv4Prefixes', prefixes, 1, 64, 'each /28 prefix gives 16 pod IPs.');
    const layout = efa ? efaInterfaceLayout(it.primary) : [];
    this.efaDevicesPerNode = efaDeviceCount(layout);
    this.labels = gpuNodeLabels(this, name, props.accelerator, props.labels, efa, undefined, "'name'");
    this.taints = gpuPoolTaints(props.taints ?? []);
    const consolidateAfter = validateConsolidateAfter(this, props.consolidateAfter ?? '10m');
    Warnings.add(
      this,
      'aws-auto-mode-node-lifetime',
      `EKS Auto Mode replaces every node within 21 days (expireAfter ${AUTO_MODE_MAX_NODE_LIFETIME}), busy or not: training runs on '${name}' must checkpoint and resume.`,
    );

    const securityGroups = [
      cluster.clusterSecurityGroupId,
      ...(efa
        ? [
            efaSelfSecurityGroup(
              cluster,
              'AutoModeEfaSecurityGroup',
              `EKS Auto Mode EFA nodes of ${cluster.clusterName}: all traffic to and from itself`,
            ).id,
          ]
        : []),
    ];
    this.nodeClassManifest = {
      apiVersion: 'eks.amazonaws.com/v1',
      kind: 'NodeClass',
      metadata: { name },
      spec: {
        role: cluster.nodeRole.roleName,
        subnetSelectorTerms: subnets.map((s) => ({ id: s.subnetId })),
        securityGroupSelectorTerms: securityGroups.map((sg) => ({ id: sg })),
        ...(reserved
          ? { capacityReservationSelectorTerms: capacity.reservationIds.map((r) => ({ id: r })) }
          : {}),
        ...(this.placementGroupName !== undefined
          ? { placementGroupSelector: { name: this.placementGroupName } }
          : {}),
        ephemeralStorage: { size: `${storage}Gi` },
        ...(efa
          ? {
              advancedNetworking: {
                networkInterfaces: layout.map((n, i) => ({
                  ...n,
                  ...(i === 0 ? { secondaryIPv4PrefixCount: prefixes } : {}),
                })),
              },
            }
          : {}),
        tags: { 'cdktf-ai-infra/node-pool': name },
      },
    };
    this.nodePoolManifest = elasticNodePoolManifest({
      name,
      nodeClassRef: { group: 'eks.amazonaws.com', kind: 'NodeClass' },
      instanceTypes: this.instanceTypes,
      capacityKinds: capacity.kinds,
      zone,
      labels: this.labels,
      taints: this.taints,
      expireAfter: AUTO_MODE_MAX_NODE_LIFETIME,
      consolidateAfter,
      maxGpus: this.maxGpus,
    });
    const manifests = addElasticPoolManifests(this, this.nodeClassManifest, this.nodePoolManifest);
    this.nodeClass = manifests.nodeClass;
    this.nodePool = manifests.nodePool;
    addNodeGroupCost(this, it.primary, 0, this.maxGpus / it.gpus, capacity.kinds[0]);
    addNodeVolumeCost(this, storage, 0, this.maxGpus / it.gpus, {
      raid0InstanceStore: false,
      bottlerocket: true,
      note: AUTO_MODE_VOLUME_NOTE,
    });
    warnAutoModeFeeNotEstimated(this, it.primary.name);
  }

  /**
   * Extended resources an EFA training pod on this pool requests per node
   * (`{ 'vpc.amazonaws.com/efa': n }`, no huge pages: Auto Mode reserves none).
   */
  public efaPodResources(): Record<string, number> {
    return this.efaDevicesPerNode ? { [EFA_RESOURCE]: this.efaDevicesPerNode } : {};
  }
}
