import {
  CPU_AMI_TYPE,
  CPU_INSTANCE_TYPES,
  CpuInferenceNodeGroup,
  CpuInferenceNodeGroupProps,
} from '../../lib/aws';
import {
  Accelerator,
  Capacity,
  CostEstimate,
  ModelSpec,
  Quantization,
  TaintEffect,
  allocatable,
  sizeLlamaCpp,
} from '../../lib/core';
import { resourcesOf, synthJson } from '../util';
import { clusterStack, warnings } from './util';

const SIZING = sizeLlamaCpp({ model: ModelSpec.LLAMA_3_1_8B, quantization: Quantization.GGUF_Q4_K_M });

function build(props: Partial<CpuInferenceNodeGroupProps> = {}) {
  const { stack, cluster } = clusterStack();
  const group = new CpuInferenceNodeGroup(stack, 'CpuInference', { cluster, sizing: SIZING, ...props });
  const json = synthJson(stack);
  const ng: any = Object.entries(resourcesOf(json, 'aws_eks_node_group')).find(([k]) =>
    k.startsWith('CpuInference'),
  )![1];
  const lt: any = Object.entries(resourcesOf(json, 'aws_launch_template')).find(([k]) =>
    k.startsWith('CpuInference'),
  )![1];
  const asgTags = Object.entries(resourcesOf(json, 'aws_autoscaling_group_tag'))
    .filter(([k]) => k.startsWith('CpuInference'))
    .map(([, v]: [string, any]) => v.tag);
  return { stack, group, ng, lt, asgTags };
}

describe('CpuInferenceNodeGroup defaults', () => {
  const { group, ng, lt, asgTags, stack } = build();

  test('the cheapest catalogued type holding one replica (7 GiB, 8 vCPUs): m7i.4xlarge', () => {
    // 8 vCPUs + 1 for the system rule out the 8-vCPU sizes; m7i.4xlarge is the cheapest 16-vCPU type.
    expect(group.instanceType.name).toBe('m7i.4xlarge');
    expect(ng.instance_types).toEqual(['m7i.4xlarge']);
    const a = allocatable(group.instanceType);
    expect(a.memoryGiB).toBeGreaterThanOrEqual(SIZING.memoryGiB);
    expect(a.vcpus).toBeGreaterThanOrEqual(SIZING.vcpus);
  });

  test('0-2 nodes, on demand, AL2023 standard AMI', () => {
    expect(ng.scaling_config).toEqual({ min_size: 0, max_size: 2, desired_size: 0 });
    expect(ng.capacity_type).toBe('ON_DEMAND');
    expect(ng.ami_type).toBe(CPU_AMI_TYPE);
    expect(CPU_AMI_TYPE).toBe('AL2023_x86_64_STANDARD');
  });

  test('the CPU inference label and taint, copied to the Auto Scaling group for scale from zero', () => {
    expect(ng.labels).toEqual({
      'cdktf-ai-infra/cpu-inference': 'true',
      'cdktf-ai-infra/node-pool': 'CpuInference',
      'cdktf-ai-infra/pool-role': 'inference',
    });
    expect(ng.taint).toEqual([{ key: 'cdktf-ai-infra/cpu-inference', value: 'true', effect: 'NO_SCHEDULE' }]);
    expect(asgTags).toContainEqual({
      key: 'k8s.io/cluster-autoscaler/node-template/taint/cdktf-ai-infra/cpu-inference',
      value: 'true:NoSchedule',
      propagate_at_launch: false,
    });
    expect(asgTags).toContainEqual({
      key: 'k8s.io/cluster-autoscaler/node-template/label/cdktf-ai-infra/cpu-inference',
      value: 'true',
      propagate_at_launch: false,
    });
  });

  test('IMDSv2 and an encrypted gp3 root volume: 30 GiB + 1.2 x the file per replica, at least 50', () => {
    expect(lt.metadata_options).toEqual({
      http_endpoint: 'enabled',
      http_tokens: 'required',
      http_put_response_hop_limit: 2,
    });
    const root = lt.block_device_mappings[0];
    expect(root.device_name).toBe('/dev/xvda');
    expect(root.ebs).toMatchObject({ volume_type: 'gp3', encrypted: 'true' });
    expect(root.ebs.volume_size).toBe(
      Math.max(50, 30 + Math.ceil(1.2 * SIZING.fileGiB * group.replicasPerNode)),
    );
  });

  test('a cost line at the on-demand price', () => {
    const line = CostEstimate.of(stack).lines.find((l) => l.constructPath.endsWith('CpuInference'))!;
    expect(line.item).toBe('m7i.4xlarge');
    expect(line.unitPrice.usd).toBe(
      CPU_INSTANCE_TYPES.find((t) => t.name === 'm7i.4xlarge')!.onDemandPrice.usd,
    );
    expect(line.maxQuantity).toBe(2);
  });
});

describe('CpuInferenceNodeGroup options', () => {
  test('a file larger than a general-purpose size with the same vCPUs picks a memory-optimised type', () => {
    // Llama-3.1-70B Q8_0 is about 70 GiB: an r7i.4xlarge (128 GiB, 16 vCPUs) is cheaper than an m7i.8xlarge.
    const sizing = sizeLlamaCpp({ model: ModelSpec.LLAMA_3_1_70B, quantization: Quantization.GGUF_Q8_0 });
    const { group } = build({ sizing });
    expect(group.instanceType.name).toMatch(/^r7i\./);
    expect(allocatable(group.instanceType).memoryGiB).toBeGreaterThanOrEqual(sizing.memoryGiB);
  });

  test('instanceType, min/max, spot (same size of both families), labels and taints', () => {
    const { ng, stack } = build({
      instanceType: 'r7i.4xlarge',
      minNodes: 1,
      maxNodes: 1,
      capacity: Capacity.spot(),
      labels: { team: 'edge' },
      taints: [{ key: 'dedicated', value: 'llm', effect: TaintEffect.NO_SCHEDULE }],
    });
    expect(ng.capacity_type).toBe('SPOT');
    expect(ng.instance_types).toEqual(['r7i.4xlarge']);
    expect(ng.scaling_config).toEqual({ min_size: 1, max_size: 1, desired_size: 1 });
    expect(ng.labels.team).toBe('edge');
    expect(ng.taint).toHaveLength(2);
    expect(warnings(stack).join('\n')).toMatch(/Spot with 'maxNodes' 1/);
  });

  test('spot diversifies over the families with at least as much memory', () => {
    const { ng } = build({ instanceType: 'm7i.4xlarge', capacity: Capacity.spot() });
    expect(ng.instance_types).toEqual(['m7i.4xlarge', 'r7i.4xlarge']);
  });
});

describe('CpuInferenceNodeGroup validation', () => {
  test.each([
    [{ sizing: undefined }, /Give 'sizing'/],
    [{ instanceType: 'm7i.xlarge' }, /'instanceType' m7i.xlarge leaves .* less than one replica/],
    [
      { instanceType: 'p5.48xlarge' },
      /'instanceType' \(p5.48xlarge\) is not a catalogued CPU inference instance type/,
    ],
    [{ minNodes: 3, maxNodes: 2 }, /'maxNodes' \(2\) must be >= 'minNodes' \(3\)/],
    [{ minNodes: -1 }, /'minNodes' \(-1\)/],
    [{ capacity: Capacity.reservation('cr-0123456789abcdef0') }, /'capacity' RESERVATION is not offered/],
    [{ rootVolumeSizeGiB: 10 }, /'rootVolumeSizeGiB'/],
    [
      {
        sizing: sizeLlamaCpp({
          model: ModelSpec.LLAMA_3_1_8B,
          quantization: Quantization.GGUF_Q4_K_M,
          accelerator: Accelerator.L4,
        }),
      },
      /offloads layers to L4: that replica needs a GPU node group/,
    ],
    [
      {
        sizing: sizeLlamaCpp({
          model: ModelSpec.LLAMA_3_1_405B,
          quantization: Quantization.GGUF_Q8_0,
          parallel: 32,
        }),
      },
      /No AWS CPU shape in the catalogue holds a pod/,
    ],
  ] as Array<[Partial<CpuInferenceNodeGroupProps>, RegExp]>)('throws for %o', (p, message) => {
    expect(() => build(p)).toThrow(message);
  });
});
