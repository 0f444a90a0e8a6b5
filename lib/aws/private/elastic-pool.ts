import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { TerraformResource } from 'cdktf';
import { addEfaSecurityGroup } from './efa-security-group';
import { addClusterPlacementGroup } from './gpu-node-group';
import { Construct, IConstruct } from 'constructs';
import {
  Capacity,
  CapacityKind,
  GpuNodePoolOptions,
  HOURS_PER_MONTH,
  NodeTaint,
  Validate,
  ValidationError,
  Warnings,
} from '../../core';
import { RawTerraformResource } from '../../core/private/raw-resource';
import { resolveMultiNodeInstanceType } from './node-group-common';
import { AwsGpuInstanceType, compatibleInstanceTypes } from '../instance-types';
import { IEksCluster, IPlacementGroup, NetworkSubnet } from '../interfaces';
import { validateSubnet } from './subnets';
import { validateAwsReservation } from './reservation';

// What a Karpenter NodePool and an EKS Auto Mode NodePool (the same karpenter.sh/v1 API behind
// two node classes) derive alike from the shared GPU pool options: capacity types in priority
// order, instance types, subnets, the GPU limit, the placement group and the EFA claims.

/** Karpenter's order of preference between capacity types (reserved, then spot, then on-demand). */
const CAPACITY_RANK: Partial<Record<CapacityKind, number>> = {
  [CapacityKind.CAPACITY_BLOCK]: 0,
  [CapacityKind.RESERVATION]: 0,
  [CapacityKind.SPOT]: 1,
  [CapacityKind.ON_DEMAND]: 2,
};

/** `karpenter.sh/capacity-type` of each capacity kind. */
export const ELASTIC_CAPACITY_TYPE: Partial<Record<CapacityKind, string>> = {
  [CapacityKind.CAPACITY_BLOCK]: 'reserved',
  [CapacityKind.RESERVATION]: 'reserved',
  [CapacityKind.SPOT]: 'spot',
  [CapacityKind.ON_DEMAND]: 'on-demand',
};

/** Capacity of an elastic pool, validated. */
export interface ElasticCapacity {
  /** `capacity` then `fallbackCapacity`. */
  readonly capacities: Capacity[];
  /** Their kinds. */
  readonly kinds: CapacityKind[];
  /** Reservation and Capacity Block ids. */
  readonly reservationIds: string[];
}

/** Validates `capacity` and `fallbackCapacity` against Karpenter's fixed order of preference. */
export function resolveElasticCapacity(
  scope: IConstruct,
  capacity: Capacity | undefined,
  fallbackCapacity: Capacity[] | undefined,
  what: string,
): ElasticCapacity {
  const fallbacks = Validate.array<Capacity>(scope, 'fallbackCapacity', fallbackCapacity ?? []);
  const capacities = [capacity ?? Capacity.onDemand(), ...fallbacks];
  capacities.forEach((c, i) => {
    const prop = i === 0 ? 'capacity' : `fallbackCapacity[${i - 1}]`;
    if (!(c instanceof Capacity)) {
      throw new ValidationError(`'${prop}' must be a Capacity (Capacity.spot(), ...).`, scope, 'type');
    }
    if (CAPACITY_RANK[c.kind] === undefined) {
      throw new ValidationError(
        `'${prop}' ${c.kind} is a Google Cloud capacity kind: ${what} take Capacity.reservation('cr-...'), ` +
          `Capacity.capacityBlock('cr-...'), Capacity.spot() or Capacity.onDemand().`,
        scope,
      );
    }
    validateAwsReservation(scope, prop, c);
    if (i > 0) {
      const prev = capacities[i - 1];
      const rank = CAPACITY_RANK[c.kind]!;
      const prevRank = CAPACITY_RANK[prev.kind]!;
      if (rank < prevRank || (rank === prevRank && rank > 0)) {
        throw new ValidationError(
          `'${prop}' (${c}) comes after ${prev}: Karpenter always prefers reserved capacity, then spot, then on-demand, ` +
            `each at most once, so list them in that order (reservations and Capacity Blocks may repeat).`,
          scope,
        );
      }
    }
  });
  const reservationIds = capacities.filter((c) => c.reservationId).map((c) => c.reservationId as string);
  Validate.unique(scope, 'capacity', reservationIds, (x) => x, 'a reservation is listed twice');
  return { capacities, kinds: capacities.map((c) => c.kind), reservationIds };
}

/** Instance types of an elastic pool. */
export interface ElasticInstanceTypes {
  /** The catalogue's (or the user's) type for the accelerator and GPU count. */
  readonly primary: AwsGpuInstanceType;
  /** Every type the pool may launch. */
  readonly types: AwsGpuInstanceType[];
  /** GPUs per node. */
  readonly gpus: number;
}

/**
 * The pool's instance types: the preferred (or given) type; spot and on-demand also allow the
 * compatible types (same GPUs, same EFA layout with EFA); a reservation matches its one type.
 */
export function resolveElasticInstanceTypes(
  scope: IConstruct,
  props: GpuNodePoolOptions & { readonly instanceType?: string },
  efa: boolean,
  capacity: ElasticCapacity,
): ElasticInstanceTypes {
  const gpus = props.gpusPerNode ?? 8;
  const primary = resolveMultiNodeInstanceType(scope, props, efa, {
    who: 'EFA pools need',
    without: 'for a pool without EFA',
  });
  const reserved = capacity.reservationIds.length > 0;
  const types = reserved ? [primary] : compatibleInstanceTypes(primary, efa);
  if (reserved && capacity.kinds.some((k) => k === CapacityKind.SPOT || k === CapacityKind.ON_DEMAND)) {
    // Fallback capacity may use the compatible types as well; the reservation matches its own.
    types.push(...compatibleInstanceTypes(primary, efa).slice(1));
  }
  return { primary, types, gpus };
}

/**
 * The pool's subnets: the given one; else the network's training subnet when the pool must stay
 * in one AZ (EFA, reservations, a cluster placement group); else every private subnet.
 */
export function resolveElasticSubnets(
  scope: IConstruct,
  cluster: IEksCluster,
  subnet: NetworkSubnet | undefined,
  singleAz: boolean,
  reservationAvailabilityZone: string | undefined,
  reserved: boolean,
): NetworkSubnet[] {
  const subnets = subnet
    ? [subnet]
    : singleAz
      ? cluster.network.trainingSubnet
        ? [cluster.network.trainingSubnet]
        : []
      : cluster.network.privateSubnets;
  if (!subnets.length) {
    throw new ValidationError(
      `an EFA, reserved or placement-group pool needs one single-AZ subnet: set 'trainingAvailabilityZone' on the GpuNetwork or pass 'subnet'.`,
      scope,
    );
  }
  if (reservationAvailabilityZone !== undefined) {
    if (!reserved) {
      throw new ValidationError(
        `'reservationAvailabilityZone' is set but no capacity is a reservation or Capacity Block: it only applies to those.`,
        scope,
      );
    }
    if (reservationAvailabilityZone !== subnets[0].availabilityZone) {
      throw new ValidationError(
        `'reservationAvailabilityZone' (${reservationAvailabilityZone}) differs from the subnet's Availability Zone ` +
          `(${subnets[0].availabilityZone}): reserved instances launch only in their AZ. Set the network's trainingAvailabilityZone ` +
          `to ${reservationAvailabilityZone} or pass a subnet there.`,
        scope,
      );
    }
  }
  return subnets;
}

/** The pool's `nvidia.com/gpu` limit from `maxGpus` or `monthlyBudgetUsd` (exactly one). */
export function resolveGpuLimit(
  scope: IConstruct,
  maxGpus: number | undefined,
  monthlyBudgetUsd: number | undefined,
  it: ElasticInstanceTypes,
): number {
  if ((maxGpus === undefined) === (monthlyBudgetUsd === undefined)) {
    throw new ValidationError(
      `set exactly one of 'maxGpus' and 'monthlyBudgetUsd' (got ${maxGpus === undefined ? 'neither' : 'both'}): ` +
        `a GPU pool without a limit can launch GPUs without bound.`,
      scope,
    );
  }
  if (maxGpus !== undefined) {
    return Validate.integer(scope, 'maxGpus', maxGpus, {
      min: it.gpus,
      max: 100_000,
      reason: `at least one node of ${it.gpus} GPUs`,
    });
  }
  const budget = Validate.number(scope, 'monthlyBudgetUsd', monthlyBudgetUsd, { min: 0 });
  const priced = it.types.filter((t) => t.onDemandPrice);
  if (priced.length !== it.types.length) {
    const missing = it.types.filter((t) => !t.onDemandPrice).map((t) => t.name);
    throw new ValidationError(
      `'monthlyBudgetUsd' needs a catalogued on-demand price for every instance type of the pool, and ${missing.join(', ')} has none: set 'maxGpus' instead.`,
      scope,
    );
  }
  const worst = Math.max(...priced.map((t) => t.onDemandPrice!.usd));
  const nodes = Math.floor(budget / (worst * HOURS_PER_MONTH));
  if (nodes < 1) {
    throw new ValidationError(
      `'monthlyBudgetUsd' (${budget}) does not pay for one ${it.primary.name}-class node for a month ` +
        `(${(worst * HOURS_PER_MONTH).toFixed(0)} USD at $${worst}/h x ${HOURS_PER_MONTH} h): raise it or set 'maxGpus'.`,
      scope,
    );
  }
  return nodes * it.gpus;
}

/** Validates `consolidateAfter` against the NodePool CRD's pattern. */
export function validateConsolidateAfter(scope: IConstruct, value: string): string {
  Validate.string(scope, 'consolidateAfter', value);
  if (!/^(([0-9]+(s|m|h))+|Never)$/.test(value)) {
    throw new ValidationError(
      `'consolidateAfter' ('${value}') must be a duration of s, m and h such as '10m' or '1h30m', or 'Never' (NodePool CRD pattern).`,
      scope,
    );
  }
  return value;
}

const EFA_BY_TYPE = new WeakMap<object, Map<string, { efa: boolean; path: string }>>();

/**
 * Records the instance types of an EFA or non-EFA pool of a cluster and throws when another pool
 * of the cluster claimed one of them with the other EFA setting (a training pod could land on a
 * node without EFA, and NCCL would fall back to TCP).
 */
export function claimElasticInstanceTypes(
  scope: IConstruct,
  cluster: object,
  instanceTypes: string[],
  efa: boolean,
): void {
  let claimed = EFA_BY_TYPE.get(cluster);
  if (!claimed) {
    claimed = new Map();
    EFA_BY_TYPE.set(cluster, claimed);
  }
  for (const t of instanceTypes) {
    const other = claimed.get(t);
    if (other && other.efa !== efa) {
      throw new ValidationError(
        `instance type ${t} is in the ${efa ? 'EFA' : 'non-EFA'} pool '${scope.node.path}' and in the ${other.efa ? 'EFA' : 'non-EFA'} pool '${other.path}' of the same cluster: ` +
          `a training pod could land on a node without EFA and NCCL would fall back to TCP. Give the pools disjoint instance types ('instanceType', 'gpusPerNode') or the same 'efa'.`,
        scope,
      );
    }
  }
  for (const t of instanceTypes) {
    if (!claimed.has(t)) claimed.set(t, { efa, path: scope.node.path });
  }
}

/** Placement options of an elastic pool. */
export interface ElasticPlacementOptions {
  /** Launch every node of the pool in one new `cluster` placement group. */
  readonly placementGroup?: boolean;
  /** Launch every node of the pool in a placement group the app does not own. */
  readonly existingPlacementGroup?: IPlacementGroup;
}

/**
 * The placement group name of an elastic pool, creating the `cluster` placement group (in the
 * cluster's stack, as `<cluster>/PlacementGroup-<pool name>`, since the pool's manifests live in a
 * stack that may have no AWS provider) when `placementGroup` is true. Warns as the managed
 * training groups do for Capacity Blocks and reservations.
 */
export function resolveElasticPlacementGroup(
  scope: IConstruct,
  cluster: IEksCluster,
  poolName: string,
  options: ElasticPlacementOptions,
  capacity: ElasticCapacity,
): string | undefined {
  if (options.placementGroup !== undefined) Validate.boolean(scope, 'placementGroup', options.placementGroup);
  const existing = options.existingPlacementGroup;
  if (existing !== undefined) {
    Validate.object(scope, 'existingPlacementGroup', existing);
    Validate.string(scope, 'existingPlacementGroup.placementGroupName', existing.placementGroupName);
    if (options.placementGroup === false) {
      throw new ValidationError(
        `'existingPlacementGroup' is set but 'placementGroup' is false: drop one of them.`,
        scope,
      );
    }
  }
  const use = existing !== undefined || (options.placementGroup ?? false);
  if (!use) return undefined;
  if (capacity.kinds.includes(CapacityKind.CAPACITY_BLOCK)) {
    Warnings.add(
      scope,
      'aws-capacity-block-placement-group',
      `a placement group with a Capacity Block: blocks are already co-located in an UltraCluster, and a placement group the block was not created in can fail launches with InsufficientInstanceCapacity.`,
    );
  }
  if (existing === undefined && capacity.kinds.includes(CapacityKind.RESERVATION)) {
    Warnings.add(
      scope,
      'aws-reservation-placement-group',
      `'placementGroup' is true with a capacity reservation: the reservation must have been created in this placement group, or launches fail. Pass the group it was created in as 'existingPlacementGroup'.`,
    );
  }
  if (existing !== undefined) return existing.placementGroupName;
  const id = `PlacementGroup-${poolName}`;
  const found = cluster.node.tryFindChild(id);
  if (found) {
    throw new ValidationError(
      `a placement group for a pool named '${poolName}' already exists on cluster ${cluster.clusterName}: give the pool another 'name'.`,
      scope,
      'duplicate',
    );
  }
  return addClusterPlacementGroup(cluster as unknown as Construct, id, cluster.clusterName, poolName).name;
}

/** Where an elastic pool's nodes launch: what {@link resolveElasticPlacement} returns. */
export interface ElasticPlacement {
  /** The placement group name, when one is used (created or existing). */
  readonly placementGroupName?: string;
  /** The subnets of the NodeClass. */
  readonly subnets: NetworkSubnet[];
  /** The one Availability Zone the NodePool requires, when the pool stays in one (or `subnet` is given). */
  readonly zone?: string;
}

/**
 * The placement group ({@link resolveElasticPlacementGroup}), subnets ({@link resolveElasticSubnets})
 * and zone of an elastic pool: one AZ for EFA, reservations and placement groups.
 */
export function resolveElasticPlacement(
  scope: IConstruct,
  cluster: IEksCluster,
  poolName: string,
  props: ElasticPlacementOptions & {
    readonly subnet?: NetworkSubnet;
    readonly reservationAvailabilityZone?: string;
  },
  capacity: ElasticCapacity,
  efa: boolean,
): ElasticPlacement {
  const reserved = capacity.reservationIds.length > 0;
  const placementGroupName = resolveElasticPlacementGroup(scope, cluster, poolName, props, capacity);
  const singleAz = efa || reserved || placementGroupName !== undefined;
  const subnets = resolveElasticSubnets(
    scope,
    cluster,
    props.subnet,
    singleAz,
    props.reservationAvailabilityZone,
    reserved,
  );
  const zone = singleAz || props.subnet ? subnets[0].availabilityZone : undefined;
  return { placementGroupName, subnets, zone };
}

/**
 * The two `kubernetes_manifest` resources of an elastic pool: `<pool>/NodeClass` and the NodePool
 * `<pool>/Resource`, which becomes the pool's default child.
 */
export function addElasticPoolManifests(
  scope: Construct,
  nodeClassManifest: Record<string, unknown>,
  nodePoolManifest: Record<string, unknown>,
): { readonly nodeClass: TerraformResource; readonly nodePool: TerraformResource } {
  const nodeClass = new RawTerraformResource(scope, 'NodeClass', 'kubernetes_manifest', 'kubernetes', {
    manifest: nodeClassManifest,
  });
  const nodePool = new RawTerraformResource(scope, 'Resource', 'kubernetes_manifest', 'kubernetes', {
    manifest: nodePoolManifest,
  });
  scope.node.defaultChild = nodePool;
  return { nodeClass, nodePool };
}

/**
 * A security group with the all-traffic rules to and from itself that EFA needs, created once per
 * cluster under `<cluster>/<id>` in the cluster's stack.
 */
export function efaSelfSecurityGroup(cluster: IEksCluster, id: string, description: string): SecurityGroup {
  const found = cluster.node.tryFindChild(id);
  if (found instanceof SecurityGroup) return found;
  return addEfaSecurityGroup(cluster as unknown as Construct, {
    id,
    rulePrefix: id,
    vpcId: cluster.network.vpcId,
    description,
    name: `${cluster.node.path}/${id}`,
  }).securityGroup;
}

/**
 * Validates the props both elastic pools check alike (`instanceType`, `subnet`,
 * `reservationAvailabilityZone`) and returns the pool's name (`name`, else the construct id
 * lower-cased), a DNS subdomain.
 */
export function validateElasticPoolProps(
  scope: IConstruct,
  id: string,
  props: {
    readonly name?: string;
    readonly instanceType?: string;
    readonly subnet?: NetworkSubnet;
    readonly reservationAvailabilityZone?: string;
  },
): string {
  if (props.instanceType !== undefined) Validate.awsInstanceType(scope, 'instanceType', props.instanceType);
  if (props.subnet !== undefined) validateSubnet(scope, 'subnet', props.subnet);
  if (props.reservationAvailabilityZone !== undefined) {
    Validate.awsAvailabilityZone(scope, 'reservationAvailabilityZone', props.reservationAvailabilityZone);
  }
  const name = props.name ?? id.toLowerCase();
  Validate.k8sDnsSubdomain(scope, 'name', name, { what: 'a NodePool name' });
  return name;
}

/** What {@link elasticNodePoolManifest} renders. */
export interface ElasticNodePoolSpec {
  /** NodePool (and node class) name. */
  readonly name: string;
  /** The node class: `karpenter.k8s.aws` `EC2NodeClass` or `eks.amazonaws.com` `NodeClass`. */
  readonly nodeClassRef: { readonly group: string; readonly kind: string };
  /** Instance types, in the pool's order. */
  readonly instanceTypes: string[];
  /** Capacity kinds in priority order. */
  readonly capacityKinds: CapacityKind[];
  /** The one zone the pool is pinned to, if any. */
  readonly zone?: string;
  /** Node labels. */
  readonly labels: Record<string, string>;
  /** Node taints. */
  readonly taints: NodeTaint[];
  /** `expireAfter` of the nodes. */
  readonly expireAfter: string;
  /** `consolidateAfter` (consolidation only when empty). */
  readonly consolidateAfter: string;
  /** `limits` `nvidia.com/gpu`. */
  readonly maxGpus: number;
}

/**
 * The `karpenter.sh/v1` NodePool of an elastic GPU pool: instance-type, capacity-type and
 * (when pinned) zone requirements, labels and taints, consolidation only when empty, a GPU limit.
 */
export function elasticNodePoolManifest(o: ElasticNodePoolSpec): Record<string, unknown> {
  const requirements: Array<Record<string, unknown>> = [
    { key: 'node.kubernetes.io/instance-type', operator: 'In', values: o.instanceTypes },
    {
      key: 'karpenter.sh/capacity-type',
      operator: 'In',
      values: [...new Set(o.capacityKinds.map((k) => ELASTIC_CAPACITY_TYPE[k] as string))],
    },
    ...(o.zone !== undefined
      ? [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [o.zone] }]
      : []),
  ];
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name: o.name },
    spec: {
      template: {
        metadata: { labels: o.labels },
        spec: {
          nodeClassRef: { group: o.nodeClassRef.group, kind: o.nodeClassRef.kind, name: o.name },
          requirements,
          taints: o.taints.map((t) => ({
            key: t.key,
            ...(t.value !== undefined ? { value: t.value } : {}),
            effect: t.effect,
          })),
          expireAfter: o.expireAfter,
        },
      },
      disruption: { consolidationPolicy: 'WhenEmpty', consolidateAfter: o.consolidateAfter },
      limits: { 'nvidia.com/gpu': o.maxGpus },
    },
  };
}
