import {
  ContainerNodePool,
  ContainerNodePoolNodeConfigReservationAffinity,
} from '@cdktf/provider-google/lib/container-node-pool';
import { Construct } from 'constructs';
import {
  ACCELERATOR_NODE_LABEL,
  Capacity,
  CapacityKind,
  CostEstimate,
  NodeTaint,
  pricingModelOf,
  mergeNodeLabels,
  poolNodeLabels,
  TaintEffect,
  Accelerator,
  ValidationError,
  Warnings,
  GpuNodePoolOptions,
  gpuPoolTaints,
  lookupShape,
  Validate,
  validateGpuNodePoolOptions,
} from '../../core';
import type { GpuDirectNetwork, IGkeCluster } from '../interfaces';
import {
  GCP_ACCELERATOR_ALTERNATIVES,
  GPU_MACHINE_TYPES,
  GcpGpuMachineType,
  GpuDirect,
  machineTypeByName,
} from '../machine-types';
import { GcpNodePoolExtras, GpuDriverVersion, UpgradeStrategy } from '../node-pool-options';
import { gkeNodeIdentity } from './node-identity';
import { PoolPlan, ReservationType, poolRuleViolation } from './pool-rules';
import { validateGcpReservation } from './reservation';
import { addNodeBootDiskCost } from './service-prices';
import { readOnce } from '../../core/private/read-once';

/** What a GKE cluster exposes to its node pools (the members of {@link IGkeCluster} they read). */
export type NodePoolClusterContext = Pick<
  IGkeCluster,
  | 'clusterId'
  | 'location'
  | 'project'
  | 'nodeServiceAccountEmail'
  | 'multiNetworking'
  | 'dcgmMonitoring'
  | 'gpuDirect'
  | 'gpuDirectNetworks'
  | 'nodeLocations'
>;

export interface PoolSpec {
  readonly name: string;
  readonly machine: GcpGpuMachineType;
  readonly capacity: Capacity;
  /**
   * The capacity's reservation affinity, from the pool's one {@link reservationAffinity} call
   * (made before the zone rules, so its errors come first; not repeated here).
   */
  readonly reservation: ReservationAffinity;
  readonly nodeLocations?: string[];
  readonly staticNodeCount?: number;
  readonly autoscaling?: { readonly totalMin: number; readonly totalMax: number };
  readonly autoRepair: boolean;
  readonly compactPlacement: boolean;
  readonly upgradeStrategy: UpgradeStrategy;
  readonly maxSurge: number;
  readonly maxUnavailable: number;
  readonly driverVersion: GpuDriverVersion;
  readonly labels?: Record<string, string>;
  readonly taints?: NodeTaint[];
  readonly attachGpuDirect: boolean;
  readonly imageStreaming: boolean;
  readonly diskSizeGb: number;
  readonly poolRole: 'training' | 'inference';
  /** Secondary boot disks (validated by the pool). */
  readonly secondaryBootDisks?: ReadonlyArray<{ readonly diskImage: string; readonly mode: string }>;
}

const EFFECT: Record<TaintEffect, string> = {
  [TaintEffect.NO_SCHEDULE]: 'NO_SCHEDULE',
  [TaintEffect.PREFER_NO_SCHEDULE]: 'PREFER_NO_SCHEDULE',
  [TaintEffect.NO_EXECUTE]: 'NO_EXECUTE',
};

/** Reservation affinity key GKE uses for specific reservations. */
export const RESERVATION_KEY = 'compute.googleapis.com/reservation-name';

/** How a node pool consumes reservations (`node_config.reservation_affinity`). */
export interface ReservationAffinity {
  readonly type: ReservationType;
  readonly values: string[];
}

/**
 * The reservation affinity of a capacity, after the capacity check (an AWS id or Capacity
 * Block, a malformed or cross-project-block reservation). Each pool calls it once.
 */
export function reservationAffinity(
  scope: Construct,
  capacity: Capacity,
  project: string,
): ReservationAffinity {
  switch (capacity.kind) {
    case CapacityKind.RESERVATION: {
      const name = capacity.reservationId!;
      const o = capacity.reservationOptions;
      validateGcpReservation(scope, 'capacity', capacity, project);
      const value =
        o.block !== undefined || o.project !== undefined
          ? `projects/${o.project ?? project}/reservations/${name}${o.block !== undefined ? `/reservationBlocks/${o.block}` : ''}`
          : name;
      return { type: 'SPECIFIC_RESERVATION', values: [value] };
    }
    case CapacityKind.ON_DEMAND:
      return { type: 'ANY_RESERVATION', values: [] };
    case CapacityKind.CAPACITY_BLOCK:
      throw new ValidationError(
        `'capacity' CAPACITY_BLOCK(${capacity.reservationId}) is an AWS EC2 Capacity Block; Google Cloud has no such capacity. ` +
          `Use Capacity.reservation('<name>') for a GCE specific reservation (calendar-mode reservations included), Capacity.flexStart() for Dynamic Workload Scheduler flex-start (up to 7 days), or Capacity.queuedProvisioning() for all-or-nothing queued provisioning.`,
        scope,
      );
    default:
      return { type: 'NO_RESERVATION', values: [] };
  }
}

/** The Terraform resource of a GPU node pool, after the §6.2 rules pass. */
export function createGpuNodePool(
  scope: Construct,
  cluster: NodePoolClusterContext,
  spec: PoolSpec,
): ContainerNodePool {
  const m = spec.machine;
  const kind = spec.capacity.kind;
  const res = spec.reservation;
  const plan: PoolPlan = {
    machineType: m.name,
    spot: kind === CapacityKind.SPOT,
    flexStart: kind === CapacityKind.FLEX_START,
    queuedProvisioning: kind === CapacityKind.QUEUED_PROVISIONING,
    reservationType: res.type,
    reservationValues: res.values,
    staticNodeCount: spec.staticNodeCount,
    autoscaling: spec.autoscaling,
    autoRepair: spec.autoRepair,
    compactPlacement: spec.compactPlacement,
    nodeLocations: spec.nodeLocations,
    upgradeStrategy: spec.upgradeStrategy === UpgradeStrategy.BLUE_GREEN ? 'BLUE_GREEN' : 'SURGE',
  };
  const violation = poolRuleViolation(plan);
  if (violation) {
    throw new ValidationError(violation, scope);
  }

  if (spec.driverVersion === GpuDriverVersion.INSTALLATION_DISABLED && cluster.dcgmMonitoring) {
    throw new ValidationError(
      `'gpuDriverVersion' (INSTALLATION_DISABLED) on a cluster with DCGM monitoring: GKE's DCGM metrics need Google-managed drivers. Use DEFAULT or LATEST, or create the cluster with dcgmMonitoring: false.`,
      scope,
    );
  }
  if (!m.onDemandAvailable && kind === CapacityKind.ON_DEMAND) {
    Warnings.add(
      scope,
      'gcp-consumption-option',
      `${m.name} is not sold as plain on-demand capacity (Spot, flex-start or reservations only; consumption options change, VERIFY on https://cloud.google.com/ai-hypercomputer/docs/consumption-models). Node creation will likely fail with on-demand capacity.`,
    );
  }

  const gpuDirectNetworks =
    spec.attachGpuDirect && m.gpuDirect !== GpuDirect.NONE ? attachedNetworks(scope, cluster, m) : [];

  // Labels are validated, never normalised (two keys silently merging into one would lose one),
  // with the rule every cloud's pools share.
  const labels = mergeNodeLabels(
    scope,
    'labels',
    {
      [ACCELERATOR_NODE_LABEL]: m.accelerator.labelValue,
      ...poolNodeLabels(scope, "'name'", spec.name, spec.poolRole),
      ...(plan.queuedProvisioning ? { 'cloud.google.com/gke-queued': 'true' } : {}),
    },
    spec.labels,
  );
  const taints = gpuPoolTaints(spec.taints).map((t) => ({
    key: t.key,
    value: t.value ?? '',
    effect: EFFECT[t.effect],
  }));

  const reservation: ContainerNodePoolNodeConfigReservationAffinity =
    res.type === 'SPECIFIC_RESERVATION'
      ? { consumeReservationType: res.type, key: RESERVATION_KEY, values: res.values }
      : { consumeReservationType: res.type };

  const pool = new ContainerNodePool(scope, 'Resource', {
    project: cluster.project,
    cluster: cluster.clusterId,
    location: cluster.location,
    name: spec.name,
    nodeLocations: spec.nodeLocations,
    ...(spec.staticNodeCount !== undefined ? { nodeCount: spec.staticNodeCount } : {}),
    ...(spec.autoscaling
      ? {
          initialNodeCount: initialPerZone(
            spec.autoscaling.totalMin,
            spec.nodeLocations ?? cluster.nodeLocations,
          ),
          autoscaling: {
            totalMinNodeCount: spec.autoscaling.totalMin,
            totalMaxNodeCount: spec.autoscaling.totalMax,
            locationPolicy: plan.spot || plan.flexStart || plan.queuedProvisioning ? 'ANY' : 'BALANCED',
          },
        }
      : {}),
    management: { autoRepair: spec.autoRepair, autoUpgrade: true },
    upgradeSettings:
      plan.upgradeStrategy === 'BLUE_GREEN'
        ? { strategy: 'BLUE_GREEN', blueGreenSettings: { standardRolloutPolicy: { batchNodeCount: 1 } } }
        : { strategy: 'SURGE', maxSurge: spec.maxSurge, maxUnavailable: spec.maxUnavailable },
    ...(spec.compactPlacement ? { placementPolicy: { type: 'COMPACT' } } : {}),
    ...(plan.queuedProvisioning ? { queuedProvisioning: { enabled: true } } : {}),
    ...(gpuDirectNetworks.length
      ? {
          networkConfig: {
            additionalNodeNetworkConfigs: gpuDirectNetworks.map((n) => ({
              // The owned network's reference (an implicit dependency), else the name given.
              // Read once per network for every pool attaching it (each read creates a token).
              network: n.network ? readOnce(n.network, 'name', (r) => r.name) : n.vpcName,
              subnetwork: n.subnetwork ? readOnce(n.subnetwork, 'name', (r) => r.name) : n.subnetName,
            })),
          },
        }
      : {}),
    nodeConfig: {
      machineType: m.name,
      imageType: 'COS_CONTAINERD',
      diskType: m.bootDiskType,
      diskSizeGb: spec.diskSizeGb,
      ...gkeNodeIdentity(cluster.nodeServiceAccountEmail),
      guestAccelerator: [
        {
          type: m.acceleratorType,
          count: m.gpuCount,
          gpuDriverInstallationConfig: { gpuDriverVersion: spec.driverVersion },
        },
      ],
      gvnic: { enabled: true },
      gcfsConfig: { enabled: spec.imageStreaming },
      ...(spec.secondaryBootDisks?.length
        ? {
            secondaryBootDisks: spec.secondaryBootDisks.map((d) => ({
              diskImage: d.diskImage,
              mode: d.mode,
            })),
          }
        : {}),
      labels,
      taint: taints,
      reservationAffinity: reservation,
      ...(plan.spot ? { spot: true } : {}),
      ...(plan.flexStart
        ? { flexStart: true, maxRunDuration: `${spec.capacity.maxRunDurationSeconds}s` }
        : {}),
    },
    timeouts: { create: '90m', update: '90m' },
    // initial_node_count forces replacement and is derived from minNodes: without this, raising
    // minNodes later would destroy and recreate the GPU pool.
    ...(spec.autoscaling ? { lifecycle: { ignoreChanges: ['initial_node_count'] } } : {}),
  });

  const min = spec.staticNodeCount ?? spec.autoscaling!.totalMin;
  const max = spec.staticNodeCount ?? spec.autoscaling!.totalMax;
  if (m.onDemandPrice) {
    CostEstimate.of(scope).add({
      constructPath: scope.node.path,
      item: m.name,
      minQuantity: min,
      maxQuantity: max,
      unitPrice: m.onDemandPrice,
      pricingModel: pricingModelOf(kind),
    });
  }
  addNodeBootDiskCost(scope, m.bootDiskType, spec.diskSizeGb, min, max);
  return pool;
}

function attachedNetworks(
  scope: Construct,
  cluster: NodePoolClusterContext,
  m: GcpGpuMachineType,
): readonly GpuDirectNetwork[] {
  if (cluster.gpuDirect === GpuDirect.NONE) {
    Warnings.add(
      scope,
      'gcp-gpudirect-missing',
      `${m.name} supports GPUDirect-${m.gpuDirect} with ${m.additionalNetworks} extra networks, but the cluster's network has none (gpuDirect: NONE): NCCL traffic between nodes will use the host NIC only. Create the GkeNetwork with gpuDirect: GpuDirect.${m.gpuDirect}.`,
    );
    return [];
  }
  if (cluster.gpuDirect !== m.gpuDirect) {
    throw new ValidationError(
      `${m.name} needs GPUDirect-${m.gpuDirect} (${m.additionalNetworks} extra networks) but the cluster's network provides GPUDirect-${cluster.gpuDirect} (${cluster.gpuDirectNetworks.length}). ` +
        `Create the GkeNetwork with gpuDirect: GpuDirect.${m.gpuDirect}, or set attachGpuDirectNetworks: false.`,
      scope,
    );
  }
  if (!cluster.multiNetworking) {
    throw new ValidationError(
      `${m.name} attaches ${m.additionalNetworks} GPUDirect networks, but the cluster was created without multi-networking ('multiNetworking': false). ` +
        `Multi-networking and ADVANCED_DATAPATH are immutable: recreate the cluster with multiNetworking: true, or set attachGpuDirectNetworks: false on the pool.`,
      scope,
    );
  }
  return cluster.gpuDirectNetworks;
}

/** The machine type for an accelerator, GPU count and optional explicit name. */
export function resolveMachine(
  accelerator: Accelerator,
  gpus: number,
  machineType: string | undefined,
  explicitGpus: number | undefined,
  gpusProp = 'gpusPerNode',
): GcpGpuMachineType {
  if (machineType === undefined) {
    return lookupShape(
      'Google Cloud',
      GPU_MACHINE_TYPES,
      accelerator,
      gpus,
      GCP_ACCELERATOR_ALTERNATIVES,
      gpusProp,
    );
  }
  const m = machineTypeByName(machineType, 'machineType');
  const carrying = GPU_MACHINE_TYPES.filter((x) => x.accelerator.equals(accelerator));
  const list = (ms: readonly GcpGpuMachineType[]) =>
    ms.map((x) => `${x.name} (${x.gpuCount} GPU${x.gpuCount === 1 ? '' : 's'})`).join(', ');
  if (!m.accelerator.equals(accelerator)) {
    throw new ValidationError(
      `'machineType' (${machineType}) carries ${m.accelerator.id}, not 'accelerator' ${accelerator.id}: the allowed ` +
        `accelerator for ${machineType} is ${m.accelerator.id}. Set 'accelerator' to ${m.accelerator.id}` +
        (carrying.length
          ? `, or pick one of the ${accelerator.id} machine types: ${list(carrying)}.`
          : `: no Google Cloud machine type in the catalogue carries ${accelerator.id}.`),
    );
  }
  if (explicitGpus !== undefined && m.gpuCount !== explicitGpus) {
    const same = carrying.filter((x) => x.gpuCount === explicitGpus);
    const fix =
      gpusProp === 'gpusPerNode' ? 'drop gpusPerNode (the machine type sets it)' : 'set gpusPerNode';
    throw new ValidationError(
      `'machineType' (${machineType}) has ${m.gpuCount} GPUs but '${gpusProp}' is ${explicitGpus}: ${fix} or pick ` +
        (same.length
          ? `one of the ${accelerator.id} machine types with ${explicitGpus} GPU${explicitGpus === 1 ? '' : 's'}: ${list(same)}.`
          : `another count: ${accelerator.id} machine types are ${list(carrying)}.`),
    );
  }
  return m;
}

/** Validates the boot disk size. */
export function validateDisk(scope: Construct, size: number | undefined): number {
  return Validate.integer(scope, 'bootDiskSizeGiB', size ?? 200, { min: 50, max: 65536 });
}

/** Name of a node pool: a Compute Engine name of at most 40 characters (GKE's node pool limit). */
export const NODE_POOL_NAME_MAX = 40;

/**
 * Validates the props every GKE GPU pool takes, before any is used: the shared core options,
 * the cluster, and the Google Cloud extras.
 */
export function validateGcpPoolProps(
  scope: Construct,
  props: GpuNodePoolOptions & GcpNodePoolExtras & { readonly cluster: IGkeCluster },
): void {
  Validate.object(scope, 'props', props);
  Validate.object(scope, 'cluster', props.cluster);
  validateGpuNodePoolOptions(scope, props);
  if (props.name !== undefined) Validate.gcpResourceName(scope, 'name', props.name, NODE_POOL_NAME_MAX);
  if (props.machineType !== undefined) Validate.gcpMachineType(scope, 'machineType', props.machineType);
  if (props.gpuDriverVersion !== undefined) {
    Validate.oneOf(scope, 'gpuDriverVersion', props.gpuDriverVersion, Object.values(GpuDriverVersion));
  }
  if (props.upgradeStrategy !== undefined) {
    Validate.oneOf(scope, 'upgradeStrategy', props.upgradeStrategy, Object.values(UpgradeStrategy));
  }
  for (const b of ['autoRepair', 'imageStreaming'] as const) {
    if (props[b] !== undefined) Validate.boolean(scope, b, props[b]);
  }
}

/**
 * `initial_node_count` is per zone while the autoscaling limits are totals: spread the total
 * minimum over the known zones (rounded up), or start at 0 and let the autoscaler reach the
 * minimum when the zones are GKE's choice.
 */
function initialPerZone(totalMin: number, zones: readonly string[] | undefined): number {
  if (totalMin === 0 || !zones || zones.length === 0) {
    return 0;
  }
  return Math.ceil(totalMin / zones.length);
}
