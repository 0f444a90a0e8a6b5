import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { LaunchTemplate, LaunchTemplateConfig } from '@cdktf/provider-aws/lib/launch-template';
import { PlacementGroup } from '@cdktf/provider-aws/lib/placement-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { EksNodeRepairOptions, nodeGroupRepairConfig } from './node-repair';
import { Construct } from 'constructs';
import {
  addClusterPlacementGroup,
  addGpuNodeGroupCosts,
  addNodeGroupEfaSecurityGroup,
  efaNetworkInterfaces,
  raid0InstanceStore,
} from './private/gpu-node-group';
import {
  CapacityKind,
  gpuPoolTaints,
  NodeTaint,
  resolveTrainingNodes,
  TrainingNodePoolOptions,
  Validate,
  validateGpuNodePoolOptions,
  ValidationError,
  Warnings,
} from '../core';
import { validateSubnet } from './private/subnets';
import { ICheckpointStore, IEksCluster, IPlacementGroup, NetworkSubnet } from './interfaces';
import { EFA_RESOURCE, efaDeviceCount, efaInterfaceLayout } from './efa';
import { AwsGpuInstanceType, compatibleInstanceTypes } from './instance-types';
import {
  eksTaints,
  GpuAmiType,
  gpuLaunchTemplateBasics,
  gpuNodeLabels,
  nodeGroupName,
  renderUserData,
  resolveAmiType,
  resolveHugePages2MiB,
  resolveMultiNodeInstanceType,
  TRAINING_IMAGES_HINT,
} from './private/node-group-common';
import { refuseManagedGroupOnAutoMode } from './private/auto-mode-rules';
import { validateAwsReservation } from './private/reservation';

export { EFA_HUGE_PAGES_2MIB } from './private/node-group-common';

/**
 * `hugepages-2Mi` one EFA pod per node requests, in MiB: the value AWS's EKS NCCL tests use
 * (EKS UG `node-efa`), within the 5128 x 2 MiB the driver pre-allocates.
 */
export const EFA_POD_HUGE_PAGES_MIB = 5210;

/** Options of {@link EksCluster.addTrainingNodeGroup}: the core training options plus AWS extras. */
export interface TrainingNodeGroupOptions extends TrainingNodePoolOptions {
  /**
   * Instance type; must have `accelerator` and `gpusPerNode` GPUs.
   * @default - the catalogue's preferred type for the accelerator and GPU count
   */
  readonly instanceType?: string;
  /**
   * EKS AMI type. AL2 GPU AMIs are refused (end of support).
   * @default GpuAmiType.AL2023_X86_64_NVIDIA
   */
  readonly amiType?: GpuAmiType;
  /**
   * Attach one EFA device per network card (AWS's layout for the instance type).
   * @default true
   */
  readonly efa?: boolean;
  /**
   * Launch the nodes in a `cluster` placement group. Capacity Blocks are co-located by EC2
   * already and a placement group the block was not created in can make launches fail; an
   * On-Demand Capacity Reservation must have been created in the placement group to be used.
   * @default - true for on-demand and spot, false for reservations and Capacity Blocks
   */
  readonly placementGroup?: boolean;
  /**
   * Launch the nodes in a placement group the app does not own instead of creating one: the
   * `cluster` placement group an On-Demand Capacity Reservation was created in.
   * @default - none; `placementGroup` decides
   */
  readonly existingPlacementGroup?: IPlacementGroup;
  /**
   * The single-AZ subnet of the group (EFA traffic stays within one AZ; a reservation or
   * Capacity Block is in one AZ).
   * @default - the network's `trainingSubnet`
   */
  readonly subnet?: NetworkSubnet;
  /**
   * Availability Zone of the capacity reservation or Capacity Block, checked against the subnet.
   * @default - not checked
   */
  readonly reservationAvailabilityZone?: string;
  /**
   * 2 MiB huge pages each node must have (EFA / libfabric use them); 0 leaves the AMI's setting.
   * @default EFA_HUGE_PAGES_2MIB (5128) with EFA, else 0
   */
  readonly hugePages2MiB?: number;
  /**
   * RAID0 the local NVMe disks and put containerd and kubelet on them (fast image pulls and
   * scratch space for data and checkpoints staged before upload).
   * @default true
   */
  readonly localStorageRaid0?: boolean;
  /**
   * EBS root volume (AL2023) or data volume (Bottlerocket) size, GiB.
   * @default 200
   */
  readonly rootVolumeSizeGiB?: number;
  /**
   * IMDSv2 hop limit. 2 lets pods that read instance metadata (some exporters and the EFA
   * tooling) reach it through the container network; 1 blocks pods from IMDS entirely.
   * @default 2
   */
  readonly imdsHopLimit?: number;
  /**
   * The checkpoint store the nodes write to: the node role gets read-write access, and a
   * warning is raised when its Lustre file system is in another AZ than the group.
   * @default - none
   */
  readonly checkpoints?: ICheckpointStore;
  /**
   * Node auto repair options of this group, when the cluster has `nodeAutoRepair` on.
   * @default - the cluster's `nodeRepair`
   */
  readonly nodeRepair?: EksNodeRepairOptions;
}

/** Properties of a {@link TrainingNodeGroup}. */
export interface TrainingNodeGroupProps extends TrainingNodeGroupOptions {
  /** The cluster. */
  readonly cluster: IEksCluster;
}

/**
 * A fixed-size gang of identical GPU nodes for distributed training: an EKS managed node
 * group with a launch template carrying AWS's EFA interface layout (security groups on every
 * interface, none at the top level), a node security group with the self-referencing
 * all-traffic rules EFA needs, IMDSv2, local NVMe as RAID0, huge pages, a `cluster` placement
 * group, GPU labels and the `nvidia.com/gpu` taint. Capacity: on-demand, spot (diversified
 * where the catalogue has compatible shapes), an On-Demand Capacity Reservation or a Capacity
 * Block with every rule EKS imposes on it.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/node-efa.html
 * @see https://docs.aws.amazon.com/eks/latest/userguide/capacity-blocks-mng.html
 * @example
 * cluster.addTrainingNodeGroup('H100', {
 *   accelerator: Accelerator.H100, nodes: 16,
 *   capacity: Capacity.capacityBlock('cr-0123456789abcdef0'),
 * });
 */
export class TrainingNodeGroup extends Construct {
  /** The `aws_eks_node_group`. */
  public readonly resource: EksNodeGroup;
  /** The launch template. */
  public readonly launchTemplate: LaunchTemplate;
  /** The node security group with the EFA self rules. */
  public readonly securityGroup: SecurityGroup;
  /** The placement group, when the group creates one. */
  public readonly placementGroup?: PlacementGroup;
  /** Name of the placement group the nodes launch in, when one is used (created or existing). */
  public readonly placementGroupName?: string;
  /** The instance type (the first, when spot diversifies). */
  public readonly instanceType: AwsGpuInstanceType;
  /** Instance types the group may launch. */
  public readonly instanceTypes: string[];
  /** EFA devices per node (0 without EFA): what pods request as `vpc.amazonaws.com/efa`. */
  public readonly efaDevicesPerNode: number;
  /** Nodes in the group. */
  public readonly nodes: number;
  /** Kubernetes labels of the nodes (select on them in workloads). */
  public readonly labels: Record<string, string>;
  /** Kubernetes taints of the nodes (tolerate them in workloads); the GPU taint first. */
  public readonly taints: NodeTaint[];
  /** 2 MiB huge pages each node is set up with (0: the AMI's setting); what EFA pods request as `hugepages-2Mi`. */
  public readonly hugePages2MiB: number;

  /**
   * Extended resources one pod per node requests to use all of a node's EFA devices:
   * `vpc.amazonaws.com/efa` and `hugepages-2Mi` (empty without EFA). Pass them to the
   * Kubernetes layer, for example `k8s.TrainingJob`'s `extraResourcesPerNode`.
   */
  public podExtraResources(): Record<string, string | number> {
    if (this.efaDevicesPerNode === 0) {
      return {};
    }
    return { [EFA_RESOURCE]: this.efaDevicesPerNode, 'hugepages-2Mi': `${EFA_POD_HUGE_PAGES_MIB}Mi` };
  }

  constructor(scope: Construct, id: string, props: TrainingNodeGroupProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    Validate.object(this, 'cluster', props.cluster);
    refuseManagedGroupOnAutoMode(this, props.cluster, 'training');
    validateGpuNodePoolOptions(this, props);
    if (props.instanceType !== undefined) Validate.awsInstanceType(this, 'instanceType', props.instanceType);
    for (const b of ['efa', 'placementGroup', 'localStorageRaid0'] as const) {
      if (props[b] !== undefined) Validate.boolean(this, b, props[b]);
    }
    if (props.subnet !== undefined) validateSubnet(this, 'subnet', props.subnet);
    if (props.reservationAvailabilityZone !== undefined) {
      Validate.awsAvailabilityZone(this, 'reservationAvailabilityZone', props.reservationAvailabilityZone);
    }
    const cluster = props.cluster;
    const capacity = props.capacity;
    const kind = capacity?.kind ?? CapacityKind.ON_DEMAND;
    if (kind === CapacityKind.FLEX_START || kind === CapacityKind.QUEUED_PROVISIONING) {
      throw new ValidationError(
        `'capacity' ${kind} is a Google Cloud (GKE) capacity kind. On AWS use Capacity.capacityBlock('cr-...') for time-boxed GPU capacity, ` +
          `Capacity.reservation('cr-...') for an On-Demand Capacity Reservation, Capacity.spot() or Capacity.onDemand().`,
        this,
      );
    }
    validateAwsReservation(this, 'capacity', capacity);
    this.nodes = resolveTrainingNodes(props, this);
    const gpus = props.gpusPerNode ?? 8;
    const efa = props.efa ?? true;
    this.instanceType = resolveMultiNodeInstanceType(this, props, efa, {
      who: 'training groups with EFA need',
      without: 'to train without EFA',
    });
    if (!efa && this.nodes > 1) {
      Warnings.add(
        this,
        'aws-training-without-efa',
        `'efa' is false for ${this.nodes} nodes: multi-node NCCL traffic falls back to TCP and runs many times slower.`,
      );
    }
    const amiType = resolveAmiType(this, props.amiType);
    const hugePages = resolveHugePages2MiB(this, props.hugePages2MiB, efa);
    this.hugePages2MiB = hugePages;
    const ltBasics = gpuLaunchTemplateBasics(this, {
      amiType,
      rootVolumeSizeGiB: props.rootVolumeSizeGiB,
      minRootVolumeGiB: 50,
      rootVolumeHint: `${TRAINING_IMAGES_HINT}.`,
      imdsHopLimit: props.imdsHopLimit,
    });

    const subnet = props.subnet ?? cluster.network.trainingSubnet;
    if (!subnet) {
      throw new ValidationError(
        `training node groups need one single-AZ subnet: set 'trainingAvailabilityZone' on the GpuNetwork or pass 'subnet'.`,
        this,
      );
    }
    const needsReservation = kind === CapacityKind.RESERVATION || kind === CapacityKind.CAPACITY_BLOCK;
    if (props.reservationAvailabilityZone !== undefined) {
      if (!needsReservation) {
        throw new ValidationError(
          `'reservationAvailabilityZone' is set but 'capacity' is ${kind}: it only applies to Capacity.reservation() and Capacity.capacityBlock().`,
          this,
        );
      }
      if (props.reservationAvailabilityZone !== subnet.availabilityZone) {
        throw new ValidationError(
          `'reservationAvailabilityZone' (${props.reservationAvailabilityZone}) differs from the subnet's Availability Zone (${subnet.availabilityZone}): ` +
            `instances of a ${kind === CapacityKind.CAPACITY_BLOCK ? 'Capacity Block' : 'capacity reservation'} launch only in its AZ. Set the network's trainingAvailabilityZone to ${props.reservationAvailabilityZone}.`,
          this,
        );
      }
    }

    if (props.checkpoints) {
      props.checkpoints.grantReadWrite(cluster.nodeRole);
      const lustreAz = props.checkpoints.lustreAvailabilityZone;
      if (lustreAz !== undefined && lustreAz !== subnet.availabilityZone) {
        Warnings.add(
          this,
          'aws-lustre-cross-az',
          `The Lustre file system of ${props.checkpoints.node.path} is in ${lustreAz} but the group is in ${subnet.availabilityZone}: cross-AZ traffic is slower and billed per GB. Put both in the training AZ.`,
        );
      }
    }

    // Placement group policy tied to the capacity source.
    const pgDefault = kind === CapacityKind.ON_DEMAND || kind === CapacityKind.SPOT;
    const existingPg = props.existingPlacementGroup;
    if (existingPg !== undefined) {
      Validate.object(this, 'existingPlacementGroup', existingPg);
      Validate.string(this, 'existingPlacementGroup.placementGroupName', existingPg.placementGroupName);
      if (props.placementGroup === false) {
        throw new ValidationError(
          `'existingPlacementGroup' is set but 'placementGroup' is false: drop one of them.`,
          this,
        );
      }
    }
    const usePg = existingPg !== undefined || (props.placementGroup ?? pgDefault);
    if (usePg && kind === CapacityKind.CAPACITY_BLOCK) {
      Warnings.add(
        this,
        'aws-capacity-block-placement-group',
        `'placementGroup' is true with a Capacity Block: blocks are already co-located in an UltraCluster, and a placement group the block was not created in can fail launches with InsufficientInstanceCapacity.`,
      );
    }
    if (usePg && existingPg === undefined && kind === CapacityKind.RESERVATION) {
      Warnings.add(
        this,
        'aws-reservation-placement-group',
        `'placementGroup' is true with capacity reservation ${capacity?.reservationId}: the reservation must have been created in this placement group (output 'placementGroup.name'), or launches fail.`,
      );
    }

    // Instance types by capacity.
    let types = [this.instanceType];
    if (kind === CapacityKind.SPOT) {
      types = compatibleInstanceTypes(this.instanceType, efa);
      Warnings.add(
        this,
        'aws-spot-training',
        `Spot training: a 2-minute interruption of one of ${this.nodes} nodes stops the whole job. Checkpoint often and resume automatically.`,
      );
      if (types.length === 1) {
        Warnings.add(
          this,
          'aws-spot-single-instance-type',
          `Spot capacity for ${this.instanceType.name} cannot be diversified: no other catalogued type has ${gpus} x ${props.accelerator.id}${efa ? ' and the same EFA layout' : ''}. Expect long waits for ${this.nodes} nodes.`,
        );
      }
    }
    this.instanceTypes = types.map((t) => t.name);

    const sg = addNodeGroupEfaSecurityGroup(this, cluster.network.vpcId);
    this.securityGroup = sg.securityGroup;
    const sgs = [sg.id, cluster.clusterSecurityGroupId];

    if (existingPg !== undefined) {
      this.placementGroupName = existingPg.placementGroupName;
    } else if (usePg) {
      this.placementGroup = addClusterPlacementGroup(this, 'PlacementGroup', cluster.clusterName, id);
      this.placementGroupName = this.placementGroup.name;
    }

    const layout = efa ? efaInterfaceLayout(this.instanceType) : [];
    if (efa) {
      cluster.requireEfaOnlySupport(this);
    }
    this.efaDevicesPerNode = efaDeviceCount(layout);
    this.labels = gpuNodeLabels(this, id, props.accelerator, props.labels, efa, 'training');
    this.taints = gpuPoolTaints(props.taints ?? []);
    const userData = renderUserData({
      amiType,
      localStorageRaid0: raid0InstanceStore(props.localStorageRaid0, this.instanceType),
      hugePages2MiB: hugePages,
    });

    const ltConfig: LaunchTemplateConfig = {
      description: `${this.node.path}: ${this.instanceType.name}${efa ? `, ${this.efaDevicesPerNode} EFA` : ''}`,
      updateDefaultVersion: true,
      ...(kind === CapacityKind.CAPACITY_BLOCK ? { instanceType: this.instanceType.name } : {}),
      ...ltBasics,
      ...(efa
        ? {
            networkInterfaces: efaNetworkInterfaces(layout, sgs),
          }
        : { vpcSecurityGroupIds: sgs }),
      ...(this.placementGroupName !== undefined ? { placement: { groupName: this.placementGroupName } } : {}),
      ...(needsReservation
        ? {
            capacityReservationSpecification: {
              capacityReservationTarget: { capacityReservationId: capacity?.reservationId },
            },
          }
        : {}),
      ...(kind === CapacityKind.CAPACITY_BLOCK
        ? { instanceMarketOptions: { marketType: 'capacity-block' } }
        : {}),
      ...(userData ? { userData } : {}),
    };
    this.launchTemplate = new LaunchTemplate(this, 'LaunchTemplate', ltConfig);

    const eksCapacity =
      kind === CapacityKind.CAPACITY_BLOCK
        ? 'CAPACITY_BLOCK'
        : kind === CapacityKind.SPOT
          ? 'SPOT'
          : 'ON_DEMAND';
    this.resource = new EksNodeGroup(this, 'Resource', {
      clusterName: cluster.clusterName,
      nodeGroupName: nodeGroupName(this, cluster, cluster.clusterName, id),
      nodeRoleArn: cluster.nodeRole.roleArn,
      subnetIds: [subnet.subnetId],
      amiType,
      capacityType: eksCapacity,
      ...(kind === CapacityKind.CAPACITY_BLOCK ? {} : { instanceTypes: this.instanceTypes }),
      // EKS scales a Capacity Block group to zero 40 minutes before the block ends.
      scalingConfig: {
        minSize: kind === CapacityKind.CAPACITY_BLOCK ? 0 : this.nodes,
        maxSize: this.nodes,
        desiredSize: this.nodes,
      },
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: this.launchTemplate.id, version: `${this.launchTemplate.latestVersion}` },
      labels: this.labels,
      taint: eksTaints(this, props.taints),
      ...nodeGroupRepairConfig(this, cluster, props.nodeRepair),
      lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
      dependsOn: cluster.nodeGroupDependencies,
    });
    this.node.defaultChild = this.resource;

    addGpuNodeGroupCosts(this, this.instanceType, this.nodes, this.nodes, kind, {
      rootVolumeSizeGiB: props.rootVolumeSizeGiB,
      localStorageRaid0: props.localStorageRaid0,
      amiType,
    });
  }
}
