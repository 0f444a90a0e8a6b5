import { ContainerNodePool } from '@cdktf/provider-google/lib/container-node-pool';
import { Construct } from 'constructs';
import {
  CapacityKind,
  TrainingNodePoolOptions as CoreTrainingNodePoolOptions,
  Capacity,
  Validate,
  ValidationError,
  Warnings,
  resolveTrainingNodes,
} from '../core';
import type { IGkeCluster } from './interfaces';
import { GcpGpuMachineType, GpuDirect } from './machine-types';
import { GcpNodePoolExtras, GpuDriverVersion, UpgradeStrategy } from './node-pool-options';
import { defaultName, unresolved, validateGceName } from './private/names';
import {
  NODE_POOL_NAME_MAX,
  createGpuNodePool,
  reservationAffinity,
  resolveMachine,
  validateDisk,
  validateGcpPoolProps,
} from './private/node-pool';
import { FLEX_START_COMPACT_PREFIXES } from './private/pool-rules';
import { belowGpuDirectFloor } from './private/versions';

/** Options of {@link GkeCluster.addTrainingNodePool}: the core training options plus GCP extras. */
export interface TrainingNodePoolOptions extends CoreTrainingNodePoolOptions, GcpNodePoolExtras {
  /**
   * The one zone of the pool (compact placement needs a single zone; the zone of your
   * reservation or GPU quota).
   * @default - the cluster's zone for a zonal cluster, the network's `gpuDirectZone` for RDMA; otherwise required
   */
  readonly zone?: string;
  /**
   * COMPACT placement (`placement_policy.type = COMPACT`): nodes close together for NCCL.
   * @default - true, except with queued provisioning and with flex-start on machines other than a3-ultragpu
   */
  readonly compactPlacement?: boolean;
  /**
   * Attach the GPUDirect networks of the cluster's network (`additional_node_network_configs`).
   * @default true
   */
  readonly attachGpuDirectNetworks?: boolean;
}

/** Properties of {@link TrainingNodePool}. */
export interface TrainingNodePoolProps extends TrainingNodePoolOptions {
  /** The cluster. */
  readonly cluster: IGkeCluster;
}

/**
 * A GKE node pool for distributed training: a fixed gang of identical A3 / A2 nodes in one zone
 * with COMPACT placement, the exact accelerator string for the machine type, Google-managed
 * drivers, gVNIC, the GPUDirect networks (4 TCPX, 8 TCPXO or 9 RDMA), the
 * `nvidia.com/gpu=present:NoSchedule` taint and the library's accelerator label, Workload
 * Identity metadata, and capacity from on-demand, Spot, a specific reservation, flex-start or
 * queued provisioning. Every combination rule of reference/gcp.md §6.2 is checked at synth time.
 *
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/gpu-bandwidth-gpudirect-tcpx
 * @example
 * cluster.addTrainingNodePool('H100Mega', {
 *   accelerator: Accelerator.H100, machineType: 'a3-megagpu-8g', nodes: 4,
 *   zone: 'us-central1-a', capacity: Capacity.reservation('a3-mega-res'),
 * });
 */
export class TrainingNodePool extends Construct {
  /** The machine type. */
  public readonly machineType: GcpGpuMachineType;
  /** Nodes in the gang. */
  public readonly nodes: number;
  /** The zone. */
  public readonly zone: string;
  /** The capacity. */
  public readonly capacity: Capacity;
  /** The node pool. */
  public readonly resource: ContainerNodePool;

  constructor(scope: Construct, id: string, props: TrainingNodePoolProps) {
    super(scope, id);
    validateGcpPoolProps(this, props);
    if (props.zone !== undefined) Validate.gcpZone(this, 'zone', props.zone, props.cluster.network.region);
    for (const b of ['compactPlacement', 'attachGpuDirectNetworks'] as const) {
      if (props[b] !== undefined) Validate.boolean(this, b, props[b]);
    }
    const cluster = props.cluster;
    const name = props.name ?? defaultName(id);
    validateGceName('name', name, NODE_POOL_NAME_MAX);
    this.nodes = resolveTrainingNodes(props, this);
    const gpus = props.gpusPerNode ?? 8;
    this.machineType = ValidationError.withScope(this, () =>
      resolveMachine(
        props.accelerator,
        gpus,
        props.machineType,
        props.gpusPerNode,
        props.gpusPerNode === undefined ? 'gpusPerNode (default 8)' : 'gpusPerNode',
      ),
    );
    const m = this.machineType;
    this.capacity = props.capacity ?? Capacity.onDemand();
    const kind = this.capacity.kind;
    const flex = kind === CapacityKind.FLEX_START;
    const queued = kind === CapacityKind.QUEUED_PROVISIONING;
    // The capacity (an AWS id or Capacity Block, a malformed reservation) before the zone,
    // so a pool with both wrong is not fixed one error at a time.
    const reservation = reservationAffinity(this, this.capacity, cluster.project);

    this.zone = this.resolveZone(props, cluster, m);
    const compactDefault =
      !queued && !(flex && !FLEX_START_COMPACT_PREFIXES.some((p) => m.name.startsWith(p)));
    const compact = props.compactPlacement ?? compactDefault;
    if (props.compactPlacement === undefined && !compactDefault) {
      Warnings.add(
        this,
        'gcp-training-no-compact-placement',
        `COMPACT placement is off: GKE does not allow it with ${queued ? 'queued provisioning' : `flex-start on ${m.name}`}. Nodes may land far apart; NCCL bandwidth between them can be lower.`,
      );
    }

    if (kind === CapacityKind.SPOT) {
      Warnings.add(
        this,
        'gcp-spot-training-gang',
        `Spot capacity for a ${this.nodes}-node training gang: a reclaim of any node stops the whole job. Checkpoint often; on A3 Mega, Spot pools have been seen stuck in ERROR when capacity is short (cluster-toolkit#4058).`,
      );
    }
    const floorKind = m.gpuDirect;
    if (floorKind !== GpuDirect.NONE && cluster.kubernetesVersion && !unresolved(cluster.kubernetesVersion)) {
      const floor = belowGpuDirectFloor(floorKind, cluster.kubernetesVersion);
      if (floor) {
        Warnings.add(
          this,
          'gcp-gpudirect-version-floor',
          `GKE ${cluster.kubernetesVersion} is below the GPUDirect-${floorKind} floor ${floor} (Cluster Toolkit gpu_direct.tf): raise the cluster's kubernetesVersion.`,
        );
      }
    }

    this.resource = createGpuNodePool(this, cluster, {
      name,
      machine: m,
      capacity: this.capacity,
      reservation,
      nodeLocations: [this.zone],
      ...(flex || queued
        ? { autoscaling: { totalMin: 0, totalMax: this.nodes } }
        : { staticNodeCount: this.nodes }),
      autoRepair: props.autoRepair ?? !flex,
      compactPlacement: compact,
      upgradeStrategy: props.upgradeStrategy ?? UpgradeStrategy.SURGE,
      maxSurge: 0,
      maxUnavailable: 1,
      driverVersion: props.gpuDriverVersion ?? GpuDriverVersion.DEFAULT,
      labels: props.labels,
      taints: props.taints,
      attachGpuDirect: props.attachGpuDirectNetworks ?? true,
      imageStreaming: props.imageStreaming ?? true,
      diskSizeGb: validateDisk(this, props.bootDiskSizeGiB),
      poolRole: 'training',
    });
    this.node.defaultChild = this.resource;
  }

  private resolveZone(props: TrainingNodePoolProps, cluster: IGkeCluster, m: GcpGpuMachineType): string {
    const rdmaZone = m.gpuDirect === GpuDirect.RDMA ? cluster.network.gpuDirectZone : undefined;
    const zonal = /^[a-z]+-[a-z]+\d+-[a-z]$/.test(cluster.location) ? cluster.location : undefined;
    const zone = props.zone ?? rdmaZone ?? zonal;
    if (!zone) {
      throw new ValidationError(
        `'zone' is required for a training pool on the regional cluster '${cluster.location}': compact placement and reservations need one zone. Set zone to the zone of your capacity, for example '${cluster.location}-a'.`,
        this,
      );
    }
    if (unresolved(zone)) {
      return zone;
    }
    Validate.gcpZone(
      this,
      props.zone !== undefined ? 'zone' : `the cluster's zone`,
      zone,
      cluster.network.region,
    );
    if (rdmaZone && props.attachGpuDirectNetworks !== false && zone !== rdmaZone) {
      throw new ValidationError(
        `'zone' ('${zone}') differs from the network's gpuDirectZone ('${rdmaZone}'): the RoCE VPC's network profile is zonal. Use zone: '${rdmaZone}'.`,
        this,
      );
    }
    return zone;
  }
}
