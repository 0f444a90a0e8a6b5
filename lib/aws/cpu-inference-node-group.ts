import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Construct } from 'constructs';
import {
  CpuInferencePoolOptions,
  CapacityKind,
  CostEstimate,
  CpuShape,
  NodeTaint,
  Validate,
  Warnings,
  allocatable,
  pricingModelOf,
  resolveCpuPool,
} from '../core';
import { cpuPoolNodeLabelsAndTaints } from '../core/private/cpu-pool-nodes';
import { CPU_INSTANCE_TYPES, cpuInstanceTypeByName } from './cpu-instance-types';
import { IEksCluster } from './interfaces';
import { nodeGroupRepairConfig } from './node-repair';
import { copyNodeTemplateTagsToAsg } from './private/asg-tags';
import {
  addNodeTemplateTags,
  eksTaint,
  launchTemplateHardening,
  nodeGroupName,
  requireIntInRange,
} from './private/node-group-common';
import { addNodeVolumeCost } from './private/service-prices';

/** EKS AMI type of the CPU inference nodes: Amazon Linux 2023, x86-64, no GPU drivers. */
export const CPU_AMI_TYPE = 'AL2023_x86_64_STANDARD';

/** Properties of a {@link CpuInferenceNodeGroup}. */
export interface CpuInferenceNodeGroupProps extends CpuInferencePoolOptions {
  /** The cluster. */
  readonly cluster: IEksCluster;
  /**
   * Instance type, one of `CPU_INSTANCE_TYPES` (M7i, R7i).
   * @default - the cheapest catalogued type that holds one replica of `sizing`
   */
  readonly instanceType?: string;
  /**
   * Root volume, GiB: the image, and the GGUF file the weights init container copies onto the
   * node (an emptyDir) for each replica on it.
   * @default - 30 GiB plus 1.2 x the GGUF file per replica that fits the node (at least 50)
   */
  readonly rootVolumeSizeGiB?: number;
}

/**
 * An autoscaled EKS managed node group of CPU instances for llama.cpp servers (GGUF on CPU):
 * M7i or R7i sized from the GGUF file (core `sizeLlamaCpp`), Amazon Linux 2023, IMDSv2, an
 * encrypted gp3 root volume, the `cdktf-ai-infra/cpu-inference` label and taint (which
 * `LlamaCppServer` selects and tolerates), cluster-autoscaler scale-from-zero tags and a cost
 * line.
 *
 * @example
 * const sizing = sizeLlamaCpp({ model: ModelSpec.LLAMA_3_1_8B, quantization: Quantization.GGUF_Q4_K_M, parallel: 4 });
 * new CpuInferenceNodeGroup(stack, 'CpuInference', { cluster, sizing, maxNodes: 3 });
 */
export class CpuInferenceNodeGroup extends Construct {
  /** The `aws_eks_node_group`. */
  public readonly resource: EksNodeGroup;
  /** The launch template. */
  public readonly launchTemplate: LaunchTemplate;
  /** The instance type. */
  public readonly instanceType: CpuShape;
  /** Instance types the group may launch (several with spot). */
  public readonly instanceTypes: string[];
  /** Fewest nodes. */
  public readonly minNodes: number;
  /** Most nodes. */
  public readonly maxNodes: number;
  /** Replicas of `sizing` one node holds (1 without a sizing). */
  public readonly replicasPerNode: number;
  /** Node labels. */
  public readonly labels: Record<string, string>;
  /** Node taints (the CPU inference taint first). */
  public readonly taints: NodeTaint[];

  constructor(scope: Construct, id: string, props: CpuInferenceNodeGroupProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    Validate.object(this, 'cluster', props.cluster);
    const cluster = props.cluster;
    const pool = resolveCpuPool(this, {
      cloud: 'AWS',
      poolNoun: 'group',
      gpuPoolHint: 'EksCluster.addInferenceNodeGroup',
      shapeProp: 'instanceType',
      catalogue: CPU_INSTANCE_TYPES,
      byName: cpuInstanceTypeByName,
      capacity: props.capacity,
      minNodes: props.minNodes,
      maxNodes: props.maxNodes,
      sizing: props.sizing,
      shapeName: props.instanceType,
    });
    const kind = pool.capacityKind;
    this.minNodes = pool.minNodes;
    this.maxNodes = pool.maxNodes;
    this.instanceType = pool.shape;
    this.replicasPerNode = pool.replicasPerNode;
    const a = allocatable(this.instanceType);
    const rootGiB = props.rootVolumeSizeGiB ?? pool.defaultDiskGiB;
    requireIntInRange(
      this,
      'rootVolumeSizeGiB',
      rootGiB,
      pool.minDiskGiB,
      16384,
      'the node keeps the llama.cpp image and a copy of the GGUF file per replica.',
    );
    const size = this.instanceType.name.split('.')[1];
    this.instanceTypes =
      kind === CapacityKind.SPOT
        ? CPU_INSTANCE_TYPES.filter(
            (t) => t.name.endsWith(`.${size}`) && allocatable(t).memoryGiB >= a.memoryGiB,
          ).map((t) => t.name)
        : [this.instanceType.name];
    if (kind === CapacityKind.SPOT && this.maxNodes < 2) {
      Warnings.add(
        this,
        'aws-spot-single-node',
        `Spot with 'maxNodes' ${this.maxNodes}: one interruption takes the model offline. Allow at least 2 nodes.`,
      );
    }

    const nodes = cpuPoolNodeLabelsAndTaints(this, 'construct id', id, props.labels, props.taints);
    this.labels = nodes.labels;
    this.taints = nodes.taints;

    this.launchTemplate = new LaunchTemplate(this, 'LaunchTemplate', {
      description: `${this.node.path}: ${this.instanceType.name} CPU inference`,
      updateDefaultVersion: true,
      ...launchTemplateHardening({ hopLimit: 2, deviceName: '/dev/xvda', volumeGiB: rootGiB }),
    });

    const caTags = addNodeTemplateTags(
      {
        'k8s.io/cluster-autoscaler/enabled': 'true',
        [`k8s.io/cluster-autoscaler/${cluster.clusterName}`]: 'owned',
      },
      this.labels,
      this.taints,
    );
    this.resource = new EksNodeGroup(this, 'Resource', {
      clusterName: cluster.clusterName,
      nodeGroupName: nodeGroupName(this, cluster, cluster.clusterName, id),
      nodeRoleArn: cluster.nodeRole.roleArn,
      subnetIds: cluster.network.privateSubnets.map((sn) => sn.subnetId),
      amiType: CPU_AMI_TYPE,
      capacityType: kind === CapacityKind.SPOT ? 'SPOT' : 'ON_DEMAND',
      instanceTypes: this.instanceTypes,
      scalingConfig: { minSize: this.minNodes, maxSize: this.maxNodes, desiredSize: this.minNodes },
      updateConfig: { maxUnavailablePercentage: 33 },
      launchTemplate: { id: this.launchTemplate.id, version: `${this.launchTemplate.latestVersion}` },
      labels: this.labels,
      taint: this.taints.map(eksTaint),
      tags: caTags,
      ...nodeGroupRepairConfig(this, cluster, undefined),
      lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
      dependsOn: cluster.nodeGroupDependencies,
    });
    this.node.defaultChild = this.resource;

    // Scaling up from zero needs the node-template tags on the Auto Scaling group.
    copyNodeTemplateTagsToAsg(this, this.resource, caTags);

    CostEstimate.of(this).add({
      constructPath: this.node.path,
      item: this.instanceType.name,
      minQuantity: this.minNodes,
      maxQuantity: this.maxNodes,
      unitPrice: this.instanceType.onDemandPrice,
      pricingModel: pricingModelOf(kind),
    });
    addNodeVolumeCost(this, rootGiB, this.minNodes, this.maxNodes, {
      raid0InstanceStore: false,
      bottlerocket: false,
    });
  }
}
