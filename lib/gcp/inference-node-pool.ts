import { ContainerNodePool } from '@cdktf/provider-google/lib/container-node-pool';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import {
  Capacity,
  raiseSizingFindings,
  CapacityKind,
  InferenceNodePoolOptions as CoreInferenceNodePoolOptions,
  Validate,
  ValidationError,
  Warnings,
  resolveInferenceGpusPerNode,
  resolveInferenceNodeCounts,
} from '../core';
import type { IGkeCluster } from './interfaces';
import { GcpGpuMachineType, GpuDirect } from './machine-types';
import { GcpNodePoolExtras, GpuDriverVersion, UpgradeStrategy } from './node-pool-options';
import { defaultName, validateGceName } from './private/names';
import { FLEX_START_COMPACT_PREFIXES } from './private/pool-rules';
import {
  NODE_POOL_NAME_MAX,
  createGpuNodePool,
  reservationAffinity,
  resolveMachine,
  validateDisk,
  validateGcpPoolProps,
} from './private/node-pool';

/** How GKE uses a secondary boot disk (`node_config.secondary_boot_disks.mode`). */
export enum SecondaryBootDiskMode {
  /** The disk holds containerd image layers: pods start from the preloaded images (needs image streaming). */
  CONTAINER_IMAGE_CACHE = 'CONTAINER_IMAGE_CACHE',
  /** The disk holds data (for example model weights) that GKE mounts read-only on the node, under `/mnt/disks/gke-secondary-disks/`. */
  DATA = 'MODE_UNSPECIFIED',
}

/**
 * A secondary boot disk created on every node from an existing Compute Engine disk image, for
 * example one built by `gke-disk-image-builder` (GoogleCloudPlatform/ai-on-gke) with the serving
 * image preloaded. Building the disk image is out of scope: pass its path.
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/data-container-image-preloading
 */
export interface SecondaryBootDisk {
  /**
   * The disk image: `global/images/<name>` in the cluster's project, or
   * `projects/<project>/global/images/<name>` in another one (grant the node service account
   * `roles/compute.imageUser` there).
   */
  readonly diskImage: string;
  /**
   * How the disk is used.
   * @default SecondaryBootDiskMode.CONTAINER_IMAGE_CACHE
   */
  readonly mode?: SecondaryBootDiskMode;
}

/** Options of {@link GkeCluster.addInferenceNodePool}: the core inference options plus GCP extras. */
export interface InferenceNodePoolOptions extends CoreInferenceNodePoolOptions, GcpNodePoolExtras {
  /**
   * Secondary boot disks with preloaded container images (or data), created with each node in
   * parallel with its provisioning: pods skip the image pull. Container-image caches need
   * `imageStreaming` (on by default) and GKE 1.30.1-gke.1329000 or later on COS.
   * @default - none
   */
  readonly secondaryBootDisks?: SecondaryBootDisk[];
  /**
   * Zones of the pool. A specific reservation needs them (the reservation's zone).
   * @default - the cluster's node zones
   */
  readonly nodeLocations?: string[];
  /**
   * COMPACT placement (`placement_policy.type = COMPACT`): the nodes of a multi-node replica close
   * together for NCCL. Needs exactly one zone in `nodeLocations`.
   * @default - true when `sizing` spans nodes (except where GKE refuses it: queued provisioning, flex-start outside a3-ultragpu / a4), else false
   */
  readonly compactPlacement?: boolean;
  /**
   * Attach the cluster network's GPUDirect networks (`additional_node_network_configs`) to the
   * nodes, for the pipeline-parallel traffic of a multi-node replica; pods attach them with
   * `ServingFabric.gkeDeviceNetworks(...)`.
   * @default - true when `sizing` spans nodes and the machine type has GPUDirect, else false
   */
  readonly attachGpuDirectNetworks?: boolean;
}

/** Properties of {@link InferenceNodePool}. */
export interface InferenceNodePoolProps extends InferenceNodePoolOptions {
  /** The cluster. */
  readonly cluster: IGkeCluster;
}

/**
 * A GKE node pool for model serving: L4 (g2), A100 (a2) or H100 (a3-highgpu) chosen from the
 * accelerator and GPUs per node (or a core sizing result), autoscaled from zero by default
 * (`total_min_node_count` / `total_max_node_count`, location policy ANY for Spot), Google-managed
 * drivers, image streaming, the GPU taint and accelerator label. Asking for L40S or A10G fails
 * with the nearest Google Cloud alternatives.
 *
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/gpus
 * @example
 * cluster.addInferenceNodePool('L4', { accelerator: Accelerator.L4, maxNodes: 6, capacity: Capacity.spot() });
 */
export class InferenceNodePool extends Construct {
  /** The machine type. */
  public readonly machineType: GcpGpuMachineType;
  /** Fewest nodes. */
  public readonly minNodes: number;
  /** Most nodes. */
  public readonly maxNodes: number;
  /** The capacity. */
  public readonly capacity: Capacity;
  /** Nodes one replica spans (`sizing.nodesPerReplica`, 1 without a sizing). */
  public readonly nodesPerReplica: number;
  /** The node pool. */
  public readonly resource: ContainerNodePool;

  constructor(scope: Construct, id: string, props: InferenceNodePoolProps) {
    super(scope, id);
    validateGcpPoolProps(this, props);
    const name = props.name ?? defaultName(id);
    validateGceName('name', name, NODE_POOL_NAME_MAX);
    const counts = resolveInferenceNodeCounts(props, this);
    this.minNodes = counts.minNodes;
    this.maxNodes = counts.maxNodes;
    const gpus = resolveInferenceGpusPerNode(props, this);
    this.machineType = ValidationError.withScope(this, () =>
      resolveMachine(
        props.accelerator,
        gpus,
        props.machineType,
        props.gpusPerNode ?? props.sizing?.gpusPerNode,
        props.gpusPerNode !== undefined
          ? 'gpusPerNode'
          : props.sizing
            ? props.sizing.nodesPerReplica > 1
              ? 'sizing.gpusPerNode'
              : 'sizing.gpusPerReplica'
            : 'gpusPerNode (default 1)',
      ),
    );
    raiseSizingFindings(this, props.sizing);
    this.capacity = props.capacity ?? Capacity.onDemand();
    const kind = this.capacity.kind;
    // The capacity (an AWS id or Capacity Block, a malformed reservation) before the zone rules
    // below, so a pool with both wrong is not fixed one error at a time.
    const reservation = reservationAffinity(this, this.capacity, props.cluster.project);

    if (props.nodeLocations !== undefined) {
      const zones = Validate.array<string>(this, 'nodeLocations', props.nodeLocations);
      zones.forEach((z, i) => Validate.gcpZone(this, `nodeLocations[${i}]`, z, props.cluster.network.region));
      Validate.unique(this, 'nodeLocations', zones);
    }
    for (const b of ['compactPlacement', 'attachGpuDirectNetworks'] as const) {
      if (props[b] !== undefined) Validate.boolean(this, b, props[b]);
    }
    const multiNode = (props.sizing?.nodesPerReplica ?? 1) > 1;
    this.nodesPerReplica = props.sizing?.nodesPerReplica ?? 1;
    const m = this.machineType;
    const compactDefault =
      multiNode &&
      kind !== CapacityKind.QUEUED_PROVISIONING &&
      !(kind === CapacityKind.FLEX_START && !FLEX_START_COMPACT_PREFIXES.some((p) => m.name.startsWith(p)));
    const compact = props.compactPlacement ?? compactDefault;
    if (compact && (props.nodeLocations === undefined || props.nodeLocations.length !== 1)) {
      throw new ValidationError(
        `${multiNode && props.compactPlacement === undefined ? `One replica of ${props.sizing!.model.name} spans ${this.nodesPerReplica} nodes, so the pool uses COMPACT placement, which` : `'compactPlacement' (true)`} needs exactly one zone: ` +
          `set 'nodeLocations' to the one zone of your capacity, for example ['${props.cluster.network.region}-a'].`,
        this,
      );
    }
    if (multiNode && props.compactPlacement === undefined && !compactDefault) {
      Warnings.add(
        this,
        'gcp-multi-node-no-compact-placement',
        `One replica spans ${this.nodesPerReplica} nodes but COMPACT placement is off: GKE does not allow it with ${kind}${kind === CapacityKind.FLEX_START ? ` on ${m.name}` : ''}. The nodes may land far apart.`,
      );
    }
    const gpuDirect = props.attachGpuDirectNetworks ?? (multiNode && m.gpuDirect !== GpuDirect.NONE);
    if (kind === CapacityKind.SPOT && this.maxNodes < 2) {
      Warnings.add(
        this,
        'gcp-spot-single-node-inference',
        `Spot capacity with maxNodes ${this.maxNodes}: a reclaim takes the whole service down. Allow at least 2 nodes or use on-demand.`,
      );
    }

    const secondaryBootDisks = validateSecondaryBootDisks(
      this,
      props.secondaryBootDisks,
      props.imageStreaming ?? true,
    );

    this.resource = createGpuNodePool(this, props.cluster, {
      name,
      machine: this.machineType,
      capacity: this.capacity,
      reservation,
      nodeLocations: props.nodeLocations,
      autoscaling: { totalMin: this.minNodes, totalMax: this.maxNodes },
      autoRepair: props.autoRepair ?? kind !== CapacityKind.FLEX_START,
      compactPlacement: compact,
      upgradeStrategy: props.upgradeStrategy ?? UpgradeStrategy.SURGE,
      maxSurge: 1,
      maxUnavailable: 0,
      driverVersion: props.gpuDriverVersion ?? GpuDriverVersion.DEFAULT,
      labels: props.labels,
      taints: props.taints,
      attachGpuDirect: gpuDirect,
      imageStreaming: props.imageStreaming ?? true,
      diskSizeGb: validateDisk(this, props.bootDiskSizeGiB),
      poolRole: 'inference',
      secondaryBootDisks,
    });
    this.node.defaultChild = this.resource;
  }
}

/** GCE image path of a secondary boot disk: `global/images/<name>` or `projects/<project>/global/images/<name>`. */
const DISK_IMAGE =
  /^(projects\/[a-z][-a-z0-9.:]{4,61}[a-z0-9]\/)?global\/images\/[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

function validateSecondaryBootDisks(
  scope: Construct,
  disks: SecondaryBootDisk[] | undefined,
  imageStreaming: boolean,
): Array<{ diskImage: string; mode: string }> {
  const list = Validate.array<SecondaryBootDisk>(scope, 'secondaryBootDisks', disks ?? []);
  const out = list.map((d, i) => {
    Validate.object(scope, `secondaryBootDisks[${i}]`, d);
    const image = Validate.string(scope, `secondaryBootDisks[${i}].diskImage`, d.diskImage);
    if (!Token.isUnresolved(image) && !DISK_IMAGE.test(image)) {
      throw new ValidationError(
        `'secondaryBootDisks[${i}].diskImage' ('${image}') must be an existing disk image path: 'global/images/<name>' or ` +
          `'projects/<project>/global/images/<name>' (a lower-case name of at most 63 characters), for example 'global/images/vllm-v0-31-0'.`,
        scope,
      );
    }
    const mode = d.mode ?? SecondaryBootDiskMode.CONTAINER_IMAGE_CACHE;
    Validate.oneOf(scope, `secondaryBootDisks[${i}].mode`, mode, Object.values(SecondaryBootDiskMode));
    if (mode === SecondaryBootDiskMode.CONTAINER_IMAGE_CACHE && !imageStreaming) {
      throw new ValidationError(
        `'secondaryBootDisks[${i}]' is a container image cache but 'imageStreaming' is false: GKE reads preloaded images through ` +
          `image streaming. Leave imageStreaming on, or use SecondaryBootDiskMode.DATA.`,
        scope,
      );
    }
    return { diskImage: image, mode };
  });
  Validate.unique(
    scope,
    'secondaryBootDisks',
    out.map((d) => d.diskImage),
  );
  return out;
}
