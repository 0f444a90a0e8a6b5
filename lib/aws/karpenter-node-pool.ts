import { TerraformResource, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import {
  Capacity,
  CapacityKind,
  GpuNodePoolOptions,
  gpuPoolTaints,
  HOURS_PER_MONTH,
  lookupShape,
  NodeTaint,
  Validate,
  validateGpuNodePoolOptions,
  ValidationError,
} from '../core';
import { efaDeviceCount, efaInterfaceLayout } from './efa';
import {
  AwsGpuInstanceType,
  awsInstanceTypeByName,
  compatibleInstanceTypes,
  efaTrainingInstanceTypeNames,
  GPU_INSTANCE_TYPES,
  supportsEfaLayout,
} from './instance-types';
import { Karpenter } from './karpenter';
import { NetworkSubnet } from './interfaces';
import {
  addNodeGroupCost,
  dataVolumeDevice,
  GpuAmiType,
  gpuLaunchTemplateBasics,
  gpuNodeLabels,
  renderUserData,
  requireIntInRange,
  resolveAmiType,
} from './private/node-group-common';
import { RawTerraformResource } from './private/raw-resource';
import { validateSubnet } from './private/subnets';
import { EFA_HUGE_PAGES_2MIB } from './training-node-group';

/** Karpenter's order of preference between capacity types (reserved, then spot, then on-demand). */
const KARPENTER_CAPACITY_RANK: Partial<Record<CapacityKind, number>> = {
  [CapacityKind.CAPACITY_BLOCK]: 0,
  [CapacityKind.RESERVATION]: 0,
  [CapacityKind.SPOT]: 1,
  [CapacityKind.ON_DEMAND]: 2,
};

const KARPENTER_CAPACITY_TYPE: Partial<Record<CapacityKind, string>> = {
  [CapacityKind.CAPACITY_BLOCK]: 'reserved',
  [CapacityKind.RESERVATION]: 'reserved',
  [CapacityKind.SPOT]: 'spot',
  [CapacityKind.ON_DEMAND]: 'on-demand',
};

/** Properties of a {@link KarpenterGpuNodePool}: the shared GPU pool options plus Karpenter's. */
export interface KarpenterGpuNodePoolProps extends GpuNodePoolOptions {
  /** The Karpenter installation (in another stack: the NodePool's CRD must exist at plan time). */
  readonly karpenter: Karpenter;
  /**
   * Capacity to fall back to, after `capacity`, in Karpenter's own order of preference:
   * reservations and Capacity Blocks first, then spot, then on-demand. Karpenter always tries
   * them in that order, so a list in another order is refused.
   * @default - none: only `capacity`
   */
  readonly fallbackCapacity?: Capacity[];
  /**
   * Name of the NodePool and EC2NodeClass (a DNS subdomain).
   * @default - the construct id, lower-cased
   */
  readonly name?: string;
  /**
   * Instance type; must have `accelerator` and `gpusPerNode` GPUs. Spot and on-demand pools
   * also allow the catalogue's compatible types (same GPUs, and the same EFA layout with EFA).
   * @default - the catalogue's preferred type for the accelerator and GPU count
   */
  readonly instanceType?: string;
  /**
   * EFA interfaces on every network card (the layout of {@link efaInterfaceLayout}). An EFA
   * pool and a non-EFA pool of one cluster may not share an instance type: a pod could land on
   * the non-EFA node and NCCL would fall back to TCP.
   * @default true
   */
  readonly efa?: boolean;
  /**
   * Most GPUs the pool may hold (`spec.limits` `nvidia.com/gpu`). Set this or `monthlyBudgetUsd`.
   * @default - from `monthlyBudgetUsd`
   */
  readonly maxGpus?: number;
  /**
   * Monthly budget (US dollars, 730 hours) the pool may spend at the catalogued on-demand price
   * of its most expensive instance type; the GPU limit is the whole nodes that fit.
   * @default - `maxGpus` must be set
   */
  readonly monthlyBudgetUsd?: number;
  /**
   * How long an empty node stays before Karpenter removes it (`consolidateAfter`). GPU pools
   * consolidate only when empty (`WhenEmpty`): busy GPU nodes are never packed tighter.
   * @default '10m'
   */
  readonly consolidateAfter?: string;
  /**
   * The single-AZ subnet (EFA, reservations and Capacity Blocks live in one AZ).
   * @default - the network's `trainingSubnet` with EFA or reserved capacity, else all private subnets
   */
  readonly subnet?: NetworkSubnet;
  /**
   * Availability Zone of the capacity reservation or Capacity Block, checked against the subnet.
   * @default - not checked
   */
  readonly reservationAvailabilityZone?: string;
  /**
   * AMI family.
   * @default GpuAmiType.AL2023_X86_64_NVIDIA
   */
  readonly amiType?: GpuAmiType;
  /**
   * Version of the EKS-optimized AMI alias (`al2023@<version>`, `bottlerocket@<version>`),
   * for example `v20251120` for AL2023 or `v1.50.0` for Bottlerocket. `latest` lets Karpenter
   * drift nodes to every new AMI (nodes with `karpenter.sh/do-not-disrupt` pods wait).
   * @default 'latest'
   */
  readonly amiVersion?: string;
  /**
   * EBS root volume (AL2023) or data volume (Bottlerocket) size, GiB.
   * @default 200
   */
  readonly rootVolumeSizeGiB?: number;
  /**
   * IMDSv2 hop limit.
   * @default 2
   */
  readonly imdsHopLimit?: number;
  /**
   * RAID0 the local NVMe disks for containerd and kubelet (`instanceStorePolicy: RAID0`).
   * @default true
   */
  readonly localStorageRaid0?: boolean;
  /**
   * 2 MiB huge pages each node must have; 0 leaves the AMI's setting.
   * @default EFA_HUGE_PAGES_2MIB (5128) with EFA, else 0
   */
  readonly hugePages2MiB?: number;
}

const EFA_BY_TYPE = new WeakMap<object, Map<string, { efa: boolean; path: string }>>();

/**
 * A Karpenter GPU NodePool and its EC2NodeClass, from the same options as the managed node
 * groups: accelerator and GPU count to instance types from the catalogue; capacity types in
 * priority order (reservations and Capacity Blocks through `capacityReservationSelectorTerms`,
 * spot, on-demand); EFA interfaces from {@link efaInterfaceLayout} with the EFA security group;
 * consolidation only when empty and no expiry (GPU nodes are not replaced under a job); a GPU
 * limit from a GPU count or a monthly budget; GPU labels and the `nvidia.com/gpu` taint; IMDSv2,
 * an encrypted gp3 root volume, local NVMe as RAID0 and huge pages.
 *
 * Put `karpenter.sh/do-not-disrupt` on training pods (`TrainingJob` `doNotDisrupt: true`).
 *
 * @see https://karpenter.sh/docs/concepts/nodepools/
 * @see https://karpenter.sh/docs/concepts/nodeclasses/
 * @example
 * new KarpenterGpuNodePool(workloads, 'H100', {
 *   karpenter, accelerator: Accelerator.H100, maxGpus: 128,
 *   capacity: Capacity.capacityBlock('cr-0123456789abcdef0'), fallbackCapacity: [Capacity.onDemand()],
 * });
 */
export class KarpenterGpuNodePool extends Construct {
  /** The NodePool `kubernetes_manifest`. */
  public readonly nodePool: TerraformResource;
  /** The EC2NodeClass `kubernetes_manifest`. */
  public readonly nodeClass: TerraformResource;
  /** The NodePool manifest. */
  public readonly nodePoolManifest: Record<string, unknown>;
  /** The EC2NodeClass manifest. */
  public readonly nodeClassManifest: Record<string, unknown>;
  /** Instance types the pool may launch. */
  public readonly instanceTypes: string[];
  /** EFA devices per node (0 without EFA): what a pod requests as `vpc.amazonaws.com/efa`. */
  public readonly efaDevicesPerNode: number;
  /** Most GPUs the pool holds. */
  public readonly maxGpus: number;
  /** Labels of the nodes. */
  public readonly labels: Record<string, string>;
  /** Taints of the nodes; the GPU taint first. */
  public readonly taints: NodeTaint[];

  constructor(scope: Construct, id: string, props: KarpenterGpuNodePoolProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    if (!(props.karpenter instanceof Karpenter)) {
      throw new ValidationError(`'karpenter' must be a Karpenter construct of this library.`, this, 'type');
    }
    validateGpuNodePoolOptions(this, props);
    const karpenter = props.karpenter;
    const cluster = karpenter.cluster;
    if (TerraformStack.of(this) === TerraformStack.of(karpenter)) {
      throw new ValidationError(
        `the NodePool is a kubernetes_manifest in the same stack as '${karpenter.node.path}', the Helm chart that installs its CRD: ` +
          `kubernetes_manifest needs the CRD at plan time (hashicorp/terraform-provider-kubernetes#1985). Put the pool in a stack that depends on it.`,
        this,
      );
    }
    for (const b of ['efa', 'localStorageRaid0'] as const) {
      if (props[b] !== undefined) Validate.boolean(this, b, props[b]);
    }
    if (props.instanceType !== undefined) Validate.awsInstanceType(this, 'instanceType', props.instanceType);
    if (props.subnet !== undefined) validateSubnet(this, 'subnet', props.subnet);
    if (props.reservationAvailabilityZone !== undefined) {
      Validate.awsAvailabilityZone(this, 'reservationAvailabilityZone', props.reservationAvailabilityZone);
    }
    const name = props.name ?? id.toLowerCase();
    Validate.k8sDnsSubdomain(this, 'name', name, { what: 'a NodePool name' });

    // Capacity in priority order.
    const fallbacks = Validate.array<Capacity>(this, 'fallbackCapacity', props.fallbackCapacity ?? []);
    const capacities = [props.capacity ?? Capacity.onDemand(), ...fallbacks];
    capacities.forEach((c, i) => {
      const prop = i === 0 ? 'capacity' : `fallbackCapacity[${i - 1}]`;
      if (!(c instanceof Capacity)) {
        throw new ValidationError(`'${prop}' must be a Capacity (Capacity.spot(), ...).`, this, 'type');
      }
      if (KARPENTER_CAPACITY_RANK[c.kind] === undefined) {
        throw new ValidationError(
          `'${prop}' ${c.kind} is a Google Cloud capacity kind: Karpenter pools take Capacity.reservation('cr-...'), ` +
            `Capacity.capacityBlock('cr-...'), Capacity.spot() or Capacity.onDemand().`,
          this,
        );
      }
      if (i > 0) {
        const prev = capacities[i - 1];
        const rank = KARPENTER_CAPACITY_RANK[c.kind]!;
        const prevRank = KARPENTER_CAPACITY_RANK[prev.kind]!;
        if (rank < prevRank || (rank === prevRank && rank > 0)) {
          throw new ValidationError(
            `'${prop}' (${c}) comes after ${prev}: Karpenter always prefers reserved capacity, then spot, then on-demand, ` +
              `each at most once, so list them in that order (reservations and Capacity Blocks may repeat).`,
            this,
          );
        }
      }
    });
    const kinds = capacities.map((c) => c.kind);
    const reservationIds = capacities.filter((c) => c.reservationId).map((c) => c.reservationId as string);
    Validate.unique(this, 'capacity', reservationIds, (x) => x, 'a reservation is listed twice');
    const reserved = reservationIds.length > 0;

    // Instance types.
    const gpus = props.gpusPerNode ?? 8;
    const primary: AwsGpuInstanceType = ValidationError.withScope(this, () => {
      if (props.instanceType === undefined) {
        return lookupShape(
          'AWS',
          GPU_INSTANCE_TYPES,
          props.accelerator,
          gpus,
          [],
          props.gpusPerNode === undefined ? 'gpusPerNode (default 8)' : 'gpusPerNode',
        );
      }
      const t = awsInstanceTypeByName(props.instanceType);
      if (!t.accelerator.equals(props.accelerator) || t.gpuCount !== gpus) {
        throw new ValidationError(
          `'instanceType' ${t.name} has ${t.gpuCount} x ${t.accelerator.id}, not ${gpus} x ${props.accelerator.id} ('accelerator', 'gpusPerNode'): make them agree or omit instanceType.`,
        );
      }
      return t;
    });
    const efa = props.efa ?? true;
    if (efa && !supportsEfaLayout(primary)) {
      throw new ValidationError(
        `'instanceType' ${primary.name} has no EFA network-card layout in the catalogue: EFA pools need one of ` +
          `${efaTrainingInstanceTypeNames().join(', ')}. Set 'efa: false' for a pool without EFA.`,
        this,
      );
    }
    // A reservation or Capacity Block is for one instance type; spot / on-demand diversify.
    const types = reserved ? [primary] : compatibleInstanceTypes(primary, efa);
    if (reserved && kinds.some((k) => k === CapacityKind.SPOT || k === CapacityKind.ON_DEMAND)) {
      // Fallback capacity may use the compatible types as well; the reservation matches its own.
      types.push(...compatibleInstanceTypes(primary, efa).slice(1));
    }
    this.instanceTypes = types.map((t) => t.name);
    this.claimInstanceTypes(cluster, efa);

    // Subnets and AZ.
    const singleAz = efa || reserved;
    const subnets = props.subnet
      ? [props.subnet]
      : singleAz
        ? cluster.network.trainingSubnet
          ? [cluster.network.trainingSubnet]
          : []
        : cluster.network.privateSubnets;
    if (!subnets.length) {
      throw new ValidationError(
        `an EFA or reserved Karpenter pool needs one single-AZ subnet: set 'trainingAvailabilityZone' on the GpuNetwork or pass 'subnet'.`,
        this,
      );
    }
    if (props.reservationAvailabilityZone !== undefined) {
      if (!reserved) {
        throw new ValidationError(
          `'reservationAvailabilityZone' is set but no capacity is a reservation or Capacity Block: it only applies to those.`,
          this,
        );
      }
      if (props.reservationAvailabilityZone !== subnets[0].availabilityZone) {
        throw new ValidationError(
          `'reservationAvailabilityZone' (${props.reservationAvailabilityZone}) differs from the subnet's Availability Zone ` +
            `(${subnets[0].availabilityZone}): reserved instances launch only in their AZ. Set the network's trainingAvailabilityZone ` +
            `to ${props.reservationAvailabilityZone} or pass a subnet there.`,
          this,
        );
      }
    }

    // Limits.
    if ((props.maxGpus === undefined) === (props.monthlyBudgetUsd === undefined)) {
      throw new ValidationError(
        `set exactly one of 'maxGpus' and 'monthlyBudgetUsd' (got ${props.maxGpus === undefined ? 'neither' : 'both'}): ` +
          `a Karpenter GPU pool without a limit can launch GPUs without bound.`,
        this,
      );
    }
    if (props.maxGpus !== undefined) {
      this.maxGpus = Validate.integer(this, 'maxGpus', props.maxGpus, {
        min: gpus,
        max: 100_000,
        reason: `at least one node of ${gpus} GPUs`,
      });
    } else {
      const budget = Validate.number(this, 'monthlyBudgetUsd', props.monthlyBudgetUsd, { min: 0 });
      const priced = types.filter((t) => t.onDemandPrice);
      if (priced.length !== types.length) {
        const missing = types.filter((t) => !t.onDemandPrice).map((t) => t.name);
        throw new ValidationError(
          `'monthlyBudgetUsd' needs a catalogued on-demand price for every instance type of the pool, and ${missing.join(', ')} has none: set 'maxGpus' instead.`,
          this,
        );
      }
      const worst = Math.max(...priced.map((t) => t.onDemandPrice!.usd));
      const nodes = Math.floor(budget / (worst * HOURS_PER_MONTH));
      if (nodes < 1) {
        throw new ValidationError(
          `'monthlyBudgetUsd' (${budget}) does not pay for one ${primary.name}-class node for a month ` +
            `(${(worst * HOURS_PER_MONTH).toFixed(0)} USD at $${worst}/h x ${HOURS_PER_MONTH} h): raise it or set 'maxGpus'.`,
          this,
        );
      }
      this.maxGpus = nodes * gpus;
    }

    // Node settings shared with the launch templates.
    const amiType = resolveAmiType(this, props.amiType);
    const amiVersion = props.amiVersion ?? 'latest';
    Validate.string(this, 'amiVersion', amiVersion);
    if (!/^(latest|v[0-9]{8}|v[0-9]+\.[0-9]+\.[0-9]+)$/.test(amiVersion)) {
      throw new ValidationError(
        `'amiVersion' ('${amiVersion}') must be 'latest' or an EKS AMI release: 'v20251120' (AL2023) or 'v1.50.0' (Bottlerocket).`,
        this,
      );
    }
    const hugePages = props.hugePages2MiB ?? (efa ? EFA_HUGE_PAGES_2MIB : 0);
    requireIntInRange(
      this,
      'hugePages2MiB',
      hugePages,
      0,
      1_000_000,
      `the number of 2 MiB pages, ${EFA_HUGE_PAGES_2MIB} for EFA.`,
    );
    const basics = gpuLaunchTemplateBasics(this, {
      amiType,
      rootVolumeSizeGiB: props.rootVolumeSizeGiB,
      minRootVolumeGiB: 50,
      rootVolumeHint: 'training images (PyTorch + CUDA + NCCL) are 10-25 GB each.',
      imdsHopLimit: props.imdsHopLimit,
    });
    const userData = renderUserData({ amiType, localStorageRaid0: false, hugePages2MiB: hugePages });
    const layout = efa ? efaInterfaceLayout(primary) : [];
    if (efa) cluster.requireEfaOnlySupport(this);
    this.efaDevicesPerNode = efaDeviceCount(layout);
    this.labels = gpuNodeLabels(this, name, props.accelerator, props.labels, efa, undefined, "'name'");
    this.taints = gpuPoolTaints(props.taints ?? []);
    const consolidateAfter = props.consolidateAfter ?? '10m';
    Validate.string(this, 'consolidateAfter', consolidateAfter);
    if (!/^(([0-9]+(s|m|h))+|Never)$/.test(consolidateAfter)) {
      throw new ValidationError(
        `'consolidateAfter' ('${consolidateAfter}') must be a duration of s, m and h such as '10m' or '1h30m', or 'Never' (NodePool CRD pattern).`,
        this,
      );
    }

    const aws = karpenter.aws;
    const securityGroups = [cluster.clusterSecurityGroupId, ...(efa ? [aws.efaSecurityGroup.id] : [])];
    const family = amiType === GpuAmiType.BOTTLEROCKET_X86_64_NVIDIA ? 'bottlerocket' : 'al2023';
    this.nodeClassManifest = {
      apiVersion: 'karpenter.k8s.aws/v1',
      kind: 'EC2NodeClass',
      metadata: { name },
      spec: {
        role: cluster.nodeRole.roleName,
        amiSelectorTerms: [{ alias: `${family}@${amiVersion}` }],
        subnetSelectorTerms: subnets.map((s) => ({ id: s.subnetId })),
        securityGroupSelectorTerms: securityGroups.map((sg) => ({ id: sg })),
        ...(reserved ? { capacityReservationSelectorTerms: reservationIds.map((r) => ({ id: r })) } : {}),
        ...(efa ? { networkInterfaces: layout.map((n) => ({ ...n })) } : {}),
        metadataOptions: {
          httpEndpoint: 'enabled',
          httpProtocolIPv6: 'disabled',
          httpPutResponseHopLimit: basics.metadataOptions!.httpPutResponseHopLimit,
          httpTokens: 'required',
        },
        // The kubelet's volume (`rootVolume`): the root on AL2023, the data volume on
        // Bottlerocket, whose 4 GiB OS volume is listed too so it is encrypted gp3 as well
        // (Karpenter's defaults per AMI family, docs/concepts/nodeclasses.md at v1.14.1).
        blockDeviceMappings: [
          ...(amiType === GpuAmiType.BOTTLEROCKET_X86_64_NVIDIA
            ? [
                {
                  deviceName: '/dev/xvda',
                  ebs: { volumeSize: '4Gi', volumeType: 'gp3', encrypted: true, deleteOnTermination: true },
                },
              ]
            : []),
          {
            deviceName: dataVolumeDevice(amiType),
            rootVolume: true,
            ebs: {
              volumeSize: `${props.rootVolumeSizeGiB ?? 200}Gi`,
              volumeType: 'gp3',
              encrypted: true,
              deleteOnTermination: true,
            },
          },
        ],
        ...((props.localStorageRaid0 ?? true) && types.every((t) => t.localNvmeGB > 0)
          ? { instanceStorePolicy: 'RAID0' }
          : {}),
        ...(userData ? { userData: Buffer.from(userData, 'base64').toString('utf8') } : {}),
        tags: { 'cdktf-ai-infra/node-pool': name },
      },
    };
    const requirements: Array<Record<string, unknown>> = [
      { key: 'node.kubernetes.io/instance-type', operator: 'In', values: this.instanceTypes },
      {
        key: 'karpenter.sh/capacity-type',
        operator: 'In',
        values: [...new Set(kinds.map((k) => KARPENTER_CAPACITY_TYPE[k] as string))],
      },
      ...(singleAz || props.subnet
        ? [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [subnets[0].availabilityZone] }]
        : []),
    ];
    this.nodePoolManifest = {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name },
      spec: {
        template: {
          metadata: { labels: this.labels },
          spec: {
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name },
            requirements,
            taints: this.taints.map((t) => ({
              key: t.key,
              ...(t.value !== undefined ? { value: t.value } : {}),
              effect: t.effect,
            })),
            expireAfter: 'Never',
          },
        },
        disruption: { consolidationPolicy: 'WhenEmpty', consolidateAfter },
        limits: { 'nvidia.com/gpu': this.maxGpus },
      },
    };
    this.nodeClass = new RawTerraformResource(this, 'NodeClass', 'kubernetes_manifest', 'kubernetes', {
      manifest: this.nodeClassManifest,
    });
    this.nodePool = new RawTerraformResource(this, 'Resource', 'kubernetes_manifest', 'kubernetes', {
      manifest: this.nodePoolManifest,
    });
    this.node.defaultChild = this.nodePool;
    addNodeGroupCost(this, primary, 0, this.maxGpus / gpus, kinds[0]);
  }

  private claimInstanceTypes(cluster: object, efa: boolean): void {
    let claimed = EFA_BY_TYPE.get(cluster);
    if (!claimed) {
      claimed = new Map();
      EFA_BY_TYPE.set(cluster, claimed);
    }
    for (const t of this.instanceTypes) {
      const other = claimed.get(t);
      if (other && other.efa !== efa) {
        throw new ValidationError(
          `instance type ${t} is in the ${efa ? 'EFA' : 'non-EFA'} pool '${this.node.path}' and in the ${other.efa ? 'EFA' : 'non-EFA'} pool '${other.path}' of the same cluster: ` +
            `a training pod could land on a node without EFA and NCCL would fall back to TCP. Give the pools disjoint instance types ('instanceType', 'gpusPerNode') or the same 'efa'.`,
          this,
        );
      }
    }
    for (const t of this.instanceTypes) {
      if (!claimed.has(t)) claimed.set(t, { efa, path: this.node.path });
    }
  }
}
