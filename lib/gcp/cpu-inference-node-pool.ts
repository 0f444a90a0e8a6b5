import { ContainerNodePool } from '@cdktf/provider-google/lib/container-node-pool';
import { Construct } from 'constructs';
import {
  CpuInferencePoolOptions,
  CapacityKind,
  CostEstimate,
  CpuShape,
  TaintEffect,
  Validate,
  pricingModelOf,
  resolveCpuPool,
} from '../core';
import { cpuPoolNodeLabelsAndTaints } from '../core/private/cpu-pool-nodes';
import { CPU_MACHINE_TYPES, cpuMachineTypeByName } from './cpu-machine-types';
import type { IGkeCluster } from './interfaces';
import { gkeNodeIdentity } from './private/node-identity';
import { defaultName, validateGceName } from './private/names';
import { NODE_POOL_NAME_MAX } from './private/node-pool';
import { addNodeBootDiskCost } from './private/service-prices';

/** Properties of a {@link CpuInferenceNodePool}. */
export interface CpuInferenceNodePoolProps extends CpuInferencePoolOptions {
  /** The cluster. */
  readonly cluster: IGkeCluster;
  /**
   * Machine type, one of `CPU_MACHINE_TYPES` (N2 standard, N2 high-memory).
   * @default - the cheapest catalogued type that holds one replica of `sizing`
   */
  readonly machineType?: string;
  /**
   * Node pool name (at most 40 characters).
   * @default - the construct id in kebab case
   */
  readonly name?: string;
  /**
   * Boot disk, GB: the image, and the GGUF file the weights init container copies onto the node
   * (an emptyDir) for each replica on it.
   * @default - 30 GB plus 1.2 x the GGUF file per replica that fits the node (at least 50)
   */
  readonly diskSizeGb?: number;
}

const EFFECT: Record<TaintEffect, string> = {
  [TaintEffect.NO_SCHEDULE]: 'NO_SCHEDULE',
  [TaintEffect.PREFER_NO_SCHEDULE]: 'PREFER_NO_SCHEDULE',
  [TaintEffect.NO_EXECUTE]: 'NO_EXECUTE',
};

/**
 * An autoscaled GKE node pool of CPU machines for llama.cpp servers (GGUF on CPU): N2 standard or
 * high-memory sized from the GGUF file (core `sizeLlamaCpp`), Container-Optimized OS, Workload
 * Identity metadata, Shielded VM, gVNIC, the `cdktf-ai-infra/cpu-inference` label and taint
 * (which `LlamaCppServer` selects and tolerates) and a cost line.
 *
 * @example
 * const sizing = sizeLlamaCpp({ model: ModelSpec.LLAMA_3_1_8B, quantization: Quantization.GGUF_Q4_K_M, parallel: 4 });
 * new CpuInferenceNodePool(stack, 'CpuInference', { cluster, sizing, maxNodes: 3 });
 */
export class CpuInferenceNodePool extends Construct {
  /** The node pool. */
  public readonly resource: ContainerNodePool;
  /** The machine type. */
  public readonly machineType: CpuShape;
  /** Fewest nodes. */
  public readonly minNodes: number;
  /** Most nodes. */
  public readonly maxNodes: number;
  /** Replicas of `sizing` one node holds (1 without a sizing). */
  public readonly replicasPerNode: number;

  constructor(scope: Construct, id: string, props: CpuInferenceNodePoolProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    Validate.object(this, 'cluster', props.cluster);
    const cluster = props.cluster;
    const name = props.name ?? defaultName(id);
    validateGceName('name', name, NODE_POOL_NAME_MAX, this);
    const pool = resolveCpuPool(this, {
      cloud: 'Google Cloud',
      poolNoun: 'pool',
      gpuPoolHint: 'GkeCluster.addInferenceNodePool',
      shapeProp: 'machineType',
      catalogue: CPU_MACHINE_TYPES,
      byName: cpuMachineTypeByName,
      capacity: props.capacity,
      minNodes: props.minNodes,
      maxNodes: props.maxNodes,
      sizing: props.sizing,
      shapeName: props.machineType,
    });
    const kind = pool.capacityKind;
    this.minNodes = pool.minNodes;
    this.maxNodes = pool.maxNodes;
    this.machineType = pool.shape;
    this.replicasPerNode = pool.replicasPerNode;
    const disk = props.diskSizeGb ?? pool.defaultDiskGiB;
    Validate.integer(this, 'diskSizeGb', disk, {
      min: pool.minDiskGiB,
      max: 65536,
      reason: 'the node keeps the llama.cpp image and a copy of the GGUF file per replica',
    });

    const { labels, taints } = cpuPoolNodeLabelsAndTaints(this, "'name'", name, props.labels, props.taints);

    this.resource = new ContainerNodePool(this, 'Resource', {
      project: cluster.project,
      cluster: cluster.clusterId,
      location: cluster.location,
      name,
      initialNodeCount: Math.ceil(this.minNodes / Math.max(1, cluster.nodeLocations?.length ?? 1)),
      autoscaling: {
        totalMinNodeCount: this.minNodes,
        totalMaxNodeCount: this.maxNodes,
        locationPolicy: kind === CapacityKind.SPOT ? 'ANY' : 'BALANCED',
      },
      management: { autoRepair: true, autoUpgrade: true },
      upgradeSettings: { strategy: 'SURGE', maxSurge: 1, maxUnavailable: 0 },
      nodeConfig: {
        machineType: this.machineType.name,
        imageType: 'COS_CONTAINERD',
        diskType: 'pd-balanced',
        diskSizeGb: disk,
        ...gkeNodeIdentity(cluster.nodeServiceAccountEmail),
        gvnic: { enabled: true },
        labels,
        taint: taints.map((t) => ({ key: t.key, value: t.value ?? '', effect: EFFECT[t.effect] })),
        ...(kind === CapacityKind.SPOT ? { spot: true } : {}),
      },
      // initial_node_count forces replacement and is derived from minNodes.
      lifecycle: { ignoreChanges: ['initial_node_count'] },
    });
    this.node.defaultChild = this.resource;

    CostEstimate.of(this).add({
      constructPath: this.node.path,
      item: this.machineType.name,
      minQuantity: this.minNodes,
      maxQuantity: this.maxNodes,
      unitPrice: this.machineType.onDemandPrice,
      pricingModel: pricingModelOf(kind),
    });
    addNodeBootDiskCost(this, 'pd-balanced', disk, this.minNodes, this.maxNodes);
  }
}
