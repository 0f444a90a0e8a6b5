import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { PlacementGroup } from '@cdktf/provider-aws/lib/placement-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { EksNodeRepairOptions, nodeGroupRepairConfig } from './node-repair';
import { Construct } from 'constructs';
import { validateAwsReservation } from './private/reservation';
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
  InferenceNodePoolOptions,
  NodeTaint,
  NVIDIA_GPU_RESOURCE,
  raiseSizingFindings,
  resolveInferenceGpusPerNode,
  resolveInferenceNodeCounts,
  Validate,
  validateGpuNodePoolOptions,
  ValidationError,
  Warnings,
} from '../core';
import { validateSubnet } from './private/subnets';
import { EFA_RESOURCE, efaDeviceCount, efaInterfaceLayout } from './efa';
import { IAutoscaledNodeGroup, IEksCluster, NetworkSubnet } from './interfaces';
import {
  AwsGpuInstanceType,
  compatibleInstanceTypes,
  efaTrainingInstanceTypeNames,
  GPU_INSTANCE_TYPES,
  supportsEfaLayout,
} from './instance-types';
import { copyNodeTemplateTagsToAsg } from './private/asg-tags';
import { refuseManagedGroupOnAutoMode } from './private/auto-mode-rules';
import {
  addNodeTemplateTags,
  EFA_HUGE_PAGES_2MIB,
  eksTaints,
  GpuAmiType,
  gpuLaunchTemplateBasics,
  gpuNodeLabels,
  nodeGroupName,
  renderUserData,
  resolveAmiType,
  resolveGpuInstanceType,
} from './private/node-group-common';

/** Smallest root volume an inference node group accepts, GiB. */
export const MIN_INFERENCE_ROOT_VOLUME_GIB = 100;

/** Options of {@link EksCluster.addInferenceNodeGroup}: the core inference options plus AWS extras. */
export interface InferenceNodeGroupOptions extends InferenceNodePoolOptions {
  /**
   * Instance type; must have `accelerator` and the resolved GPUs per node.
   * @default - the catalogue's preferred type for the accelerator and GPU count
   */
  readonly instanceType?: string;
  /**
   * EKS AMI type. AL2 GPU AMIs are refused (end of support).
   * @default GpuAmiType.AL2023_X86_64_NVIDIA
   */
  readonly amiType?: GpuAmiType;
  /**
   * EBS root volume (AL2023) or data volume (Bottlerocket) size, GiB. Serving images (vLLM,
   * Triton) are 10-20 GB compressed and containerd keeps both the compressed and unpacked
   * layers; weights cached on the node need room too.
   * @default 200
   */
  readonly rootVolumeSizeGiB?: number;
  /**
   * RAID0 the local NVMe disks (all g5 / g6 / g6e / p5 sizes have them) and put containerd and
   * kubelet on them: faster image pulls and model loads.
   * @default true
   */
  readonly localStorageRaid0?: boolean;
  /**
   * EBS snapshot (`snap-...`) of a Bottlerocket data volume with the serving images already
   * pulled, the data volume of every new node is created from: the images are on disk when the
   * node joins, so a pod skips the pull (ai-on-eks `bottlerocket_data_disk_snapshot_id`). Needs
   * `amiType` Bottlerocket; `rootVolumeSizeGiB` must be at least the snapshot's size. Building
   * the snapshot is out of scope (aws-samples/bottlerocket-images-cache `snapshot.sh` builds one).
   * @default - an empty data volume: images are pulled after scheduling
   */
  readonly dataVolumeSnapshotId?: string;
  /**
   * IMDSv2 hop limit (2 lets pods reach instance metadata, 1 blocks them).
   * @default 2
   */
  readonly imdsHopLimit?: number;
  /**
   * Private subnets of the group. With `Capacity.reservation()` they must all be in the
   * reservation's Availability Zone.
   * @default - all private subnets of the network (an error with a reservation when they span AZs)
   */
  readonly subnets?: NetworkSubnet[];
  /**
   * Node auto repair options of this group, when the cluster has `nodeAutoRepair` on.
   * @default - the cluster's `nodeRepair`
   */
  readonly nodeRepair?: EksNodeRepairOptions;
  /**
   * Give the nodes every EFA device of the instance (the layout of {@link efaInterfaceLayout}),
   * a security group open to itself and the EFA driver's huge pages: the fabric of a replica
   * that spans nodes.
   * @default - true when `sizing` spans nodes (`nodesPerReplica` above 1), else false
   */
  readonly efa?: boolean;
  /**
   * Launch the nodes in a `cluster` placement group (one AZ, close together for NCCL).
   * @default - true when `sizing` spans nodes and the capacity is on-demand or spot, else false
   */
  readonly placementGroup?: boolean;
}

/** Properties of an {@link InferenceNodeGroup}. */
export interface InferenceNodeGroupProps extends InferenceNodeGroupOptions {
  /** The cluster. */
  readonly cluster: IEksCluster;
}

/**
 * An autoscaled GPU node group for model serving: L40S (g6e), A10G (g5), L4 (g6) or H100 (p5)
 * chosen from the accelerator and GPUs per node (or a sizing result), from zero nodes by
 * default, with cluster-autoscaler discovery and scale-from-zero node-template tags on the
 * Auto Scaling group, GPU labels and taint, a spot option diversified across compatible sizes,
 * IMDSv2 and a root volume large enough for serving images.
 *
 * @see https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md
 * @example
 * const sizing = sizeModel({ model: ModelSpec.LLAMA_3_1_70B, quantization: Quantization.AWQ, accelerator: Accelerator.L40S });
 * cluster.addInferenceNodeGroup('L40S', { accelerator: Accelerator.L40S, sizing, maxNodes: 6 });
 */
export class InferenceNodeGroup extends Construct implements IAutoscaledNodeGroup {
  /** The `aws_eks_node_group`. */
  public readonly resource: EksNodeGroup;
  /** Name of the group's Auto Scaling group (for cluster-autoscaler's priority expander, `priorityExpanderConfigMap`). */
  public readonly autoScalingGroupName: string;
  /** The launch template. */
  public readonly launchTemplate: LaunchTemplate;
  /** The preferred instance type. */
  public readonly instanceType: AwsGpuInstanceType;
  /** Instance types the group may launch. */
  public readonly instanceTypes: string[];
  /** GPUs per node (the sizing's GPUs per replica, rounded up to a shape AWS sells). */
  public readonly gpusPerNode: number;
  /** Fewest nodes. */
  public readonly minNodes: number;
  /** Kubernetes labels of the nodes (select on them in workloads). */
  public readonly labels: Record<string, string>;
  /** Kubernetes taints of the nodes (tolerate them in workloads); the GPU taint first. */
  public readonly taints: NodeTaint[];
  /** Most nodes. */
  public readonly maxNodes: number;
  /** Nodes one replica spans (`sizing.nodesPerReplica`, 1 without a sizing). */
  public readonly nodesPerReplica: number;
  /** EFA devices per node (0 without EFA): what pods request as `vpc.amazonaws.com/efa` (`ServingFabric.efa({ devicesPerNode })`). */
  public readonly efaDevicesPerNode: number;
  /** The placement group, when one is used. */
  public readonly placementGroup?: PlacementGroup;
  /** The EFA security group (all traffic to and from itself), with EFA. */
  public readonly securityGroup?: SecurityGroup;

  constructor(scope: Construct, id: string, props: InferenceNodeGroupProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    Validate.object(this, 'cluster', props.cluster);
    refuseManagedGroupOnAutoMode(this, props.cluster, 'inference');
    validateGpuNodePoolOptions(this, props);
    if (props.instanceType !== undefined) Validate.awsInstanceType(this, 'instanceType', props.instanceType);
    if (props.localStorageRaid0 !== undefined)
      Validate.boolean(this, 'localStorageRaid0', props.localStorageRaid0);
    if (props.subnets !== undefined) {
      Validate.array(this, 'subnets', props.subnets).forEach((sn, i) =>
        validateSubnet(this, `subnets[${i}]`, sn),
      );
      Validate.unique(this, 'subnets', props.subnets, (sn) => sn.subnetId, 'a subnet can be listed once');
    }
    const cluster = props.cluster;
    const kind = props.capacity?.kind ?? CapacityKind.ON_DEMAND;
    if (kind === CapacityKind.FLEX_START || kind === CapacityKind.QUEUED_PROVISIONING) {
      throw new ValidationError(
        `'capacity' ${kind} is a Google Cloud (GKE) capacity kind. On AWS inference groups use Capacity.onDemand(), Capacity.spot() or Capacity.reservation('cr-...').`,
        this,
      );
    }
    if (kind === CapacityKind.CAPACITY_BLOCK) {
      throw new ValidationError(
        `'capacity' CAPACITY_BLOCK is not supported for an autoscaled inference group: a Capacity Block ends at a fixed time and EKS scales its group to zero before then. Use a training node group for block capacity, or Capacity.reservation('cr-...').`,
        this,
      );
    }
    validateAwsReservation(this, 'capacity', props.capacity);
    const counts = resolveInferenceNodeCounts(props, this);
    this.minNodes = counts.minNodes;
    this.maxNodes = counts.maxNodes;
    for (const b of ['efa', 'placementGroup'] as const) {
      if (props[b] !== undefined) Validate.boolean(this, b, props[b]);
    }
    this.nodesPerReplica = props.sizing?.nodesPerReplica ?? 1;
    const multiNode = this.nodesPerReplica > 1;
    const needed = resolveInferenceGpusPerNode(props, this);
    this.gpusPerNode = needed;
    if (props.gpusPerNode === undefined && props.sizing && props.instanceType === undefined && !multiNode) {
      // A replica may need a GPU count AWS does not sell (2 x L40S): use the next larger shape.
      const counts = [
        ...new Set(
          GPU_INSTANCE_TYPES.filter((t) => t.accelerator.equals(props.accelerator)).map((t) => t.gpuCount),
        ),
      ].sort((a, b) => a - b);
      const larger = counts.find((c) => c >= needed);
      if (larger !== undefined && larger !== needed) {
        this.gpusPerNode = larger;
        Warnings.add(
          this,
          'aws-gpus-per-node-rounded-up',
          `One replica of ${props.sizing.model.name} (${props.sizing.quantization.id}) needs ${needed} x ${props.accelerator.id}; AWS has no ${needed}-GPU ${props.accelerator.id} shape, so nodes get ${larger} GPUs (${Math.floor(larger / needed)} replicas per node).`,
        );
      }
    }
    this.instanceType = resolveGpuInstanceType(this, {
      accelerator: props.accelerator,
      gpus: this.gpusPerNode,
      instanceType: props.instanceType,
      gpusFrom:
        props.gpusPerNode !== undefined
          ? 'gpusPerNode'
          : props.sizing
            ? multiNode
              ? 'sizing.gpusPerNode'
              : 'sizing.gpusPerReplica'
            : 'gpusPerNode (default 1)',
      agreeWith: "'accelerator', 'gpusPerNode' or 'sizing'",
    });
    raiseSizingFindings(this, props.sizing);
    const amiType = resolveAmiType(this, props.amiType);
    const ltBasics = gpuLaunchTemplateBasics(this, {
      amiType,
      rootVolumeSizeGiB: props.rootVolumeSizeGiB,
      minRootVolumeGiB: MIN_INFERENCE_ROOT_VOLUME_GIB,
      rootVolumeHint:
        'serving images are 10-20 GB compressed and containerd keeps compressed and unpacked layers.',
      imdsHopLimit: props.imdsHopLimit,
      dataVolumeSnapshotId: props.dataVolumeSnapshotId,
    });

    const efa = props.efa ?? multiNode;
    if (efa && !supportsEfaLayout(this.instanceType)) {
      throw new ValidationError(
        `'efa' is ${props.efa === undefined ? `on because one replica spans ${this.nodesPerReplica} nodes` : 'true'}, but ${this.instanceType.name} has no EFA network-card layout in the catalogue: ` +
          `use one of ${efaTrainingInstanceTypeNames().join(', ')}, or set 'efa: false' to accept TCP between the nodes.`,
        this,
      );
    }
    if (multiNode && !efa) {
      Warnings.add(
        this,
        'aws-multi-node-without-efa',
        `'efa' is false but one replica spans ${this.nodesPerReplica} nodes: its pipeline-parallel traffic crosses the nodes over TCP, many times slower than EFA.`,
      );
    }
    const usePg =
      props.placementGroup ?? (multiNode && (kind === CapacityKind.ON_DEMAND || kind === CapacityKind.SPOT));

    let types = [this.instanceType];
    if (kind === CapacityKind.SPOT) {
      types = compatibleInstanceTypes(this.instanceType, efa);
      if (this.maxNodes < 2) {
        Warnings.add(
          this,
          'aws-spot-single-node',
          `Spot with 'maxNodes' ${this.maxNodes}: one interruption takes the model offline. Allow at least 2 nodes.`,
        );
      }
    }
    this.instanceTypes = types.map((t) => t.name);
    // A cluster placement group and EFA keep to one AZ: the network's training subnet by default.
    const oneAz = efa || usePg;
    const subnets =
      props.subnets ??
      (oneAz && cluster.network.trainingSubnet
        ? [cluster.network.trainingSubnet]
        : cluster.network.privateSubnets);
    const subnetIds = subnets.map((s) => s.subnetId);
    if (subnetIds.length === 0) {
      throw new ValidationError(`'subnets' is empty: give at least one private subnet.`, this);
    }
    const azs = [...new Set(subnets.map((s) => s.availabilityZone))];
    if (props.capacity?.kind === CapacityKind.RESERVATION && azs.length > 1) {
      // Instances that target a capacity reservation launch only in its AZ; an Auto Scaling group
      // over several AZs keeps failing launches (and rebalancing into) the other ones.
      throw new ValidationError(
        `Capacity.reservation('${props.capacity.reservationId}') launches only in the reservation's Availability Zone, but 'subnets' span ${azs.join(', ')}: ` +
          `pass 'subnets' of the reservation's AZ only.`,
        this,
      );
    }

    if (oneAz && azs.length > 1) {
      throw new ValidationError(
        `${efa ? 'EFA' : `'placementGroup'`} keeps a multi-node group in one Availability Zone, but 'subnets' span ${azs.join(', ')}: ` +
          `pass the subnets of one AZ (or set 'trainingAvailabilityZone' on the GpuNetwork and omit 'subnets').`,
        this,
      );
    }

    const layout = efa ? efaInterfaceLayout(this.instanceType) : [];
    this.efaDevicesPerNode = efaDeviceCount(layout);
    let sgs: string[] = [];
    if (efa) {
      cluster.requireEfaOnlySupport(this);
      const sg = addNodeGroupEfaSecurityGroup(this, cluster.network.vpcId);
      this.securityGroup = sg.securityGroup;
      sgs = [sg.id, cluster.clusterSecurityGroupId];
    }
    if (usePg) {
      this.placementGroup = addClusterPlacementGroup(this, 'PlacementGroup', cluster.clusterName, id);
    }

    const userData = renderUserData({
      amiType,
      localStorageRaid0: raid0InstanceStore(props.localStorageRaid0, this.instanceType),
      hugePages2MiB: efa ? EFA_HUGE_PAGES_2MIB : 0,
    });
    this.launchTemplate = new LaunchTemplate(this, 'LaunchTemplate', {
      description: `${this.node.path}: ${this.instanceType.name}${efa ? `, ${this.efaDevicesPerNode} EFA` : ''}`,
      updateDefaultVersion: true,
      ...ltBasics,
      ...(efa
        ? {
            networkInterfaces: efaNetworkInterfaces(layout, sgs),
          }
        : {}),
      ...(this.placementGroup ? { placement: { groupName: this.placementGroup.name } } : {}),
      ...(props.capacity?.kind === CapacityKind.RESERVATION
        ? {
            capacityReservationSpecification: {
              capacityReservationTarget: { capacityReservationId: props.capacity.reservationId },
            },
          }
        : {}),
      ...(userData ? { userData } : {}),
    });

    const labels = gpuNodeLabels(this, id, props.accelerator, props.labels, efa, 'inference');
    const taints = gpuPoolTaints(props.taints ?? []);
    this.labels = labels;
    this.taints = taints;
    const caTags: Record<string, string> = {
      'k8s.io/cluster-autoscaler/enabled': 'true',
      [`k8s.io/cluster-autoscaler/${cluster.clusterName}`]: 'owned',
      [`k8s.io/cluster-autoscaler/node-template/resources/${NVIDIA_GPU_RESOURCE}`]: `${this.gpusPerNode}`,
      // Pods of a multi-node group request EFA devices and huge pages: cluster-autoscaler scales
      // a group from zero only when the node template offers them.
      ...(efa
        ? {
            [`k8s.io/cluster-autoscaler/node-template/resources/${EFA_RESOURCE}`]: `${this.efaDevicesPerNode}`,
            'k8s.io/cluster-autoscaler/node-template/resources/hugepages-2Mi': `${EFA_HUGE_PAGES_2MIB * 2}Mi`,
          }
        : {}),
    };
    addNodeTemplateTags(caTags, labels, taints);

    this.resource = new EksNodeGroup(this, 'Resource', {
      clusterName: cluster.clusterName,
      nodeGroupName: nodeGroupName(this, cluster, cluster.clusterName, id),
      nodeRoleArn: cluster.nodeRole.roleArn,
      subnetIds,
      amiType,
      capacityType: kind === CapacityKind.SPOT ? 'SPOT' : 'ON_DEMAND',
      instanceTypes: this.instanceTypes,
      scalingConfig: { minSize: this.minNodes, maxSize: this.maxNodes, desiredSize: this.minNodes },
      updateConfig: { maxUnavailablePercentage: 33 },
      launchTemplate: { id: this.launchTemplate.id, version: `${this.launchTemplate.latestVersion}` },
      labels,
      taint: eksTaints(this, props.taints),
      tags: caTags,
      ...nodeGroupRepairConfig(this, cluster, props.nodeRepair),
      lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
      dependsOn: cluster.nodeGroupDependencies,
    });
    this.node.defaultChild = this.resource;

    // Scaling up from zero needs the node-template tags on the Auto Scaling group.
    this.autoScalingGroupName = copyNodeTemplateTagsToAsg(this, this.resource, caTags);

    addGpuNodeGroupCosts(this, this.instanceType, this.minNodes, this.maxNodes, kind, {
      rootVolumeSizeGiB: props.rootVolumeSizeGiB,
      localStorageRaid0: props.localStorageRaid0,
      amiType,
    });
  }
}
