import { GpuAmiType } from '../../lib/aws';
import { InferenceNodeGroupOptions, MIN_INFERENCE_ROOT_VOLUME_GIB } from '../../lib/aws/inference-node-group';
import {
  Accelerator,
  Capacity,
  CostEstimate,
  ModelSpec,
  PricingModel,
  Quantization,
  SizingAdvice,
  sizeModel,
} from '../../lib/core';
import { resourcesOf, synthJson } from '../util';
import { clusterStack, hasWarning } from './util';

function build(options: Partial<InferenceNodeGroupOptions> = {}) {
  const { stack, cluster } = clusterStack();
  const group = cluster.addInferenceNodeGroup('L40S', { accelerator: Accelerator.L40S, ...options });
  const json = synthJson(stack);
  const ng = Object.entries(resourcesOf(json, 'aws_eks_node_group')).find(([k]) =>
    k.startsWith('Cluster_L40S'),
  )![1];
  const lt = Object.entries(resourcesOf(json, 'aws_launch_template')).find(([k]) =>
    k.startsWith('Cluster_L40S'),
  )![1];
  return { stack, group, json, ng, lt };
}

describe('InferenceNodeGroup', () => {
  test('defaults to 0-4 nodes of the preferred 1-GPU shape', () => {
    const { ng } = build();
    expect(ng.instance_types).toEqual(['g6e.2xlarge']);
    expect(ng.scaling_config).toEqual({ min_size: 0, max_size: 4, desired_size: 0 });
  });

  test.each([
    [Accelerator.A10G, 1, 'g5.2xlarge'],
    [Accelerator.L4, 4, 'g6.12xlarge'],
    [Accelerator.H100, 8, 'p5.48xlarge'],
    [Accelerator.L40S, 4, 'g6e.12xlarge'],
  ])('picks %s x%d -> %s', (accelerator, gpusPerNode, type) => {
    expect(build({ accelerator, gpusPerNode }).ng.instance_types).toEqual([type]);
  });

  test('takes GPUs per node from a sizing result', () => {
    const sizing8b = sizeModel({
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L40S,
    });
    expect(sizing8b.gpusPerReplica).toBe(1);
    expect(build({ sizing: sizing8b }).group.gpusPerNode).toBe(1);
  });

  test('rounds a sizing of 2 GPUs up to the 4-GPU shape and warns', () => {
    const sizing = sizeModel({
      model: ModelSpec.LLAMA_3_1_70B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L40S,
    });
    expect(sizing.gpusPerReplica).toBe(2);
    const { group, ng, stack } = build({ sizing });
    expect(group.gpusPerNode).toBe(4);
    expect(ng.instance_types).toEqual(['g6e.12xlarge']);
    expect(hasWarning(stack, 'aws-gpus-per-node-rounded-up')).toBe(true);
  });

  test('an explicit gpusPerNode AWS does not sell throws', () => {
    expect(() => build({ gpusPerNode: 2 })).toThrow(/'gpusPerNode' \(2\) has no AWS shape with L40S/);
  });

  test('throws when the sizing is for another GPU', () => {
    const sizing = sizeModel({
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L4,
    });
    expect(() => build({ sizing })).toThrow(/Cluster\/L40S: 'sizing' is for L4 but 'accelerator' is L40S/);
  });

  test('throws when maxNodes < minNodes', () => {
    expect(() => build({ minNodes: 3, maxNodes: 2 })).toThrow(/'maxNodes' \(2\) must be >= 'minNodes' \(3\)/);
  });

  test('ignores desired_size drift', () => {
    expect(build().ng.lifecycle).toEqual({ ignore_changes: ['scaling_config[0].desired_size'] });
  });

  test('uses every private subnet', () => {
    expect(build().ng.subnet_ids).toHaveLength(2);
  });

  test('labels and taints GPU nodes', () => {
    const { ng } = build();
    expect(ng.labels).toMatchObject({
      'cdktf-ai-infra/accelerator': 'l40s',
      'nvidia.com/gpu.present': 'true',
    });
    expect(ng.labels['vpc.amazonaws.com/efa.present']).toBeUndefined();
    expect(ng.taint).toEqual([{ key: 'nvidia.com/gpu', value: 'present', effect: 'NO_SCHEDULE' }]);
  });

  test('tags the group for cluster-autoscaler discovery and scale from zero', () => {
    const { ng } = build();
    expect(ng.tags).toMatchObject({
      'k8s.io/cluster-autoscaler/enabled': 'true',
      'k8s.io/cluster-autoscaler/test-Cluster': 'owned',
      'k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu': '1',
      'k8s.io/cluster-autoscaler/node-template/label/cdktf-ai-infra/accelerator': 'l40s',
      'k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu': 'present:NoSchedule',
    });
  });

  test('copies the autoscaler tags to the Auto Scaling group', () => {
    const { json, ng } = build();
    const tags = Object.values(resourcesOf(json, 'aws_autoscaling_group_tag'));
    expect(tags).toHaveLength(Object.keys(ng.tags).filter((k) => k.includes('/node-template/')).length);
    expect(tags.map((t) => t.tag.key)).not.toContain('k8s.io/cluster-autoscaler/enabled');
    expect(tags[0].autoscaling_group_name).toContain('resources[0].autoscaling_groups[0].name');
    expect(tags.map((t) => t.tag.key)).toContain(
      'k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu',
    );
  });

  test('requires IMDSv2', () => {
    expect(build().lt.metadata_options).toMatchObject({
      http_tokens: 'required',
      http_put_response_hop_limit: 2,
    });
  });

  test(`defaults to an encrypted 200 GiB gp3 root volume`, () => {
    expect(build().lt.block_device_mappings[0]).toEqual({
      device_name: '/dev/xvda',
      ebs: { volume_size: 200, volume_type: 'gp3', encrypted: 'true', delete_on_termination: 'true' },
    });
  });

  test(`throws for a root volume below ${MIN_INFERENCE_ROOT_VOLUME_GIB} GiB`, () => {
    expect(() => build({ rootVolumeSizeGiB: 50 })).toThrow(
      /'rootVolumeSizeGiB' \(50\) must be a whole number from 100/,
    );
  });

  test('puts containerd on the local NVMe by default', () => {
    const ud = Buffer.from(build().lt.user_data, 'base64').toString('utf8');
    expect(ud).toContain('strategy: RAID0');
    expect(ud).not.toContain('nr_hugepages');
  });

  test('defaults to on-demand', () => {
    expect(build().ng.capacity_type).toBe('ON_DEMAND');
  });

  test('spot diversifies across compatible sizes', () => {
    const { ng } = build({ capacity: Capacity.spot(), maxNodes: 4 });
    expect(ng.capacity_type).toBe('SPOT');
    expect(ng.instance_types).toEqual(['g6e.2xlarge', 'g6e.4xlarge', 'g6e.8xlarge', 'g6e.16xlarge']);
  });

  test('warns about spot with a single node', () => {
    expect(hasWarning(build({ capacity: Capacity.spot(), maxNodes: 1 }).stack, 'aws-spot-single-node')).toBe(
      true,
    );
  });

  test('a reservation targets the ODCR', () => {
    const { stack, cluster } = clusterStack();
    cluster.addInferenceNodeGroup('L40S', {
      accelerator: Accelerator.L40S,
      capacity: Capacity.reservation('cr-0abc1234'),
      subnets: [cluster.network.privateSubnets[0]],
    });
    const lt = Object.values(resourcesOf(synthJson(stack), 'aws_launch_template')).find((t) =>
      /L40S/.test(t.description),
    );
    expect(lt.capacity_reservation_specification).toEqual({
      capacity_reservation_target: { capacity_reservation_id: 'cr-0abc1234' },
    });
  });

  test('throws for a reservation over subnets in several Availability Zones', () => {
    // A launch that targets a capacity reservation must be in the reservation's AZ (EC2 UG
    // capacity-reservations-launch); an Auto Scaling group spread over AZs keeps failing there.
    expect(() => build({ capacity: Capacity.reservation('cr-0abc1234') })).toThrow(
      /Capacity.reservation\('cr-0abc1234'\) launches only in the reservation's Availability Zone, but 'subnets' span us-east-1a, us-east-1b/,
    );
  });

  test('throws for two groups whose names are equal once cut to 63 characters', () => {
    const { cluster } = clusterStack({ clusterName: 'c'.repeat(60) });
    cluster.addInferenceNodeGroup('L40Sa', { accelerator: Accelerator.L40S });
    expect(() => cluster.addInferenceNodeGroup('L40Sb', { accelerator: Accelerator.L40S })).toThrow(
      /node group name 'c{60}-L4' .* is already used by test\/Cluster\/L40Sa/,
    );
  });

  test("throws for the id 'system' (the system node group's name)", () => {
    const { cluster } = clusterStack({ clusterName: 'gpu' });
    expect(() => cluster.addInferenceNodeGroup('system', { accelerator: Accelerator.L40S })).toThrow(
      /node group name 'gpu-system' .* is already used by test\/Cluster/,
    );
  });

  test('throws for a Capacity Block', () => {
    expect(() => build({ capacity: Capacity.capacityBlock('cr-0123456789abcdef0') })).toThrow(
      /CAPACITY_BLOCK is not supported for an autoscaled inference group/,
    );
  });

  test('throws for flex-start', () => {
    expect(() => build({ capacity: Capacity.flexStart() })).toThrow(/Google Cloud \(GKE\) capacity kind/);
  });

  test('throws when instanceType disagrees', () => {
    expect(() => build({ instanceType: 'g5.2xlarge' })).toThrow(
      /'instanceType' g5.2xlarge has 1 x A10G, not 1 x L40S/,
    );
  });

  test('accepts another size of the same shape', () => {
    expect(build({ instanceType: 'g6e.xlarge' }).ng.instance_types).toEqual(['g6e.xlarge']);
  });

  test('throws for empty subnets', () => {
    expect(() => build({ subnets: [] })).toThrow(/'subnets' is empty/);
  });

  test('refuses AL2', () => {
    expect(() => build({ amiType: 'AL2_x86_64_GPU' as GpuAmiType })).toThrow(/end of support/);
  });

  test('adds a cost line from minNodes to maxNodes', () => {
    const { stack } = build({ minNodes: 1, maxNodes: 6 });
    // The stack's network and cluster add their own lines (NAT, control plane, system nodes).
    expect(CostEstimate.of(stack).lines.find((l) => l.item === 'g6e.2xlarge')).toMatchObject({
      item: 'g6e.2xlarge',
      minQuantity: 1,
      maxQuantity: 6,
      pricingModel: PricingModel.ON_DEMAND,
    });
  });

  test('prices spot groups as spot', () => {
    const { stack } = build({ capacity: Capacity.spot() });
    expect(CostEstimate.of(stack).lines.find((l) => l.item === 'g6e.2xlarge')?.pricingModel).toBe(
      PricingModel.SPOT,
    );
  });

  test('raises sizing findings as warnings', () => {
    const sizing = sizeModel({
      model: ModelSpec.LLAMA_3_1_70B,
      quantization: Quantization.BF16,
      accelerator: Accelerator.L40S,
    });
    // 70B BF16 needs TP 4 on 48 GB L40S: PCIe-only GPUs, so vLLM's custom all-reduce is off.
    expect(sizing.findings.map((f) => f.id)).toContain(SizingAdvice.PCIE_TENSOR_PARALLEL);
    const { stack } = build({ sizing });
    for (const f of sizing.findings) expect(hasWarning(stack, f.id)).toBe(true);
  });
});

describe('InferenceNodeGroup more defaults', () => {
  test('defaults to the AL2023 NVIDIA AMI', () => {
    expect(build().ng.ami_type).toBe('AL2023_x86_64_NVIDIA');
  });

  test('supports Bottlerocket NVIDIA', () => {
    const { ng, lt } = build({ amiType: GpuAmiType.BOTTLEROCKET_X86_64_NVIDIA });
    expect(ng.ami_type).toBe('BOTTLEROCKET_x86_64_NVIDIA');
    expect(lt.block_device_mappings[0].device_name).toBe('/dev/xvdb');
  });

  test('localStorageRaid0: false leaves user data out', () => {
    expect(build({ localStorageRaid0: false }).lt.user_data).toBeUndefined();
  });

  test('subnets selects the group subnets', () => {
    const { stack, cluster, net } = clusterStack();
    cluster.addInferenceNodeGroup('X', { accelerator: Accelerator.L4, subnets: [net.privateSubnets[0]] });
    const ng = Object.entries(resourcesOf(synthJson(stack), 'aws_eks_node_group')).find(([k]) =>
      k.startsWith('Cluster_X'),
    )![1];
    expect(ng.subnet_ids).toEqual([expect.stringContaining('PrivateSubnetA')]);
  });
});

describe('InferenceNodeGroup selectors', () => {
  test('exposes the node labels and taints for workloads', () => {
    const { group, ng } = build();
    expect(group.labels).toEqual(ng.labels);
    expect(group.taints.map((t) => t.key)).toEqual(['nvidia.com/gpu']);
  });
});
