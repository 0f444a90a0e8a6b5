import { InferenceNodeGroupOptions } from '../../lib/aws/inference-node-group';
import { Accelerator, Capacity, ModelSpec, Quantization, ValidationError, sizeModel } from '../../lib/core';
import { resourcesOf, synthJson } from '../util';
import { clusterStack, hasWarning } from './util';

/** Llama 3.1 405B BF16 on 2 x p5.48xlarge (TP 8 x PP 2). */
const SIZING = sizeModel({
  model: ModelSpec.LLAMA_3_1_405B,
  quantization: Quantization.BF16,
  accelerator: Accelerator.H100,
  maxNodesPerReplica: 2,
});

function build(options: Partial<InferenceNodeGroupOptions> = {}) {
  const { stack, cluster } = clusterStack();
  const group = cluster.addInferenceNodeGroup('H100x2', {
    accelerator: Accelerator.H100,
    sizing: SIZING,
    maxNodes: 4,
    ...options,
  });
  const json = synthJson(stack);
  const ng = Object.entries(resourcesOf(json, 'aws_eks_node_group')).find(([k]) =>
    k.startsWith('Cluster_H100x2'),
  )![1];
  const lt = Object.entries(resourcesOf(json, 'aws_launch_template')).find(([k]) =>
    k.startsWith('Cluster_H100x2'),
  )![1];
  return { stack, group, json, ng, lt };
}

describe('InferenceNodeGroup for a multi-node sizing', () => {
  test('nodes are p5.48xlarge with 8 GPUs each (per node, not the 16 per replica)', () => {
    const { group, ng } = build();
    expect(group.nodesPerReplica).toBe(2);
    expect(group.gpusPerNode).toBe(8);
    expect(ng.instance_types).toEqual(['p5.48xlarge']);
  });

  test('EFA by default: 32 EFA devices in the launch template, a self-referencing security group, huge pages', () => {
    const { group, json, lt } = build();
    expect(group.efaDevicesPerNode).toBe(32);
    expect(lt.network_interfaces).toHaveLength(33);
    expect(lt.network_interfaces[0]).toMatchObject({
      network_card_index: 0,
      device_index: 0,
      interface_type: 'interface',
    });
    expect(lt.network_interfaces[1]).toMatchObject({
      network_card_index: 0,
      device_index: 1,
      interface_type: 'efa-only',
    });
    expect(
      Object.keys(resourcesOf(json, 'aws_vpc_security_group_ingress_rule')).some((k) =>
        k.includes('EfaSelfIngress'),
      ),
    ).toBe(true);
    expect(Buffer.from(lt.user_data, 'base64').toString()).toMatch(/5128/);
  });

  test('a cluster placement group and the single-AZ training subnet by default', () => {
    const { group, json, lt, ng } = build();
    expect(group.placementGroup).toBeDefined();
    const pg: any = Object.values(resourcesOf(json, 'aws_placement_group'))[0];
    expect(pg.strategy).toBe('cluster');
    expect(lt.placement.group_name).toContain('aws_placement_group');
    expect(ng.subnet_ids).toHaveLength(1);
  });

  test('cluster-autoscaler can scale from zero for pods that request EFA devices and huge pages', () => {
    const { ng } = build();
    expect(ng.tags['k8s.io/cluster-autoscaler/node-template/resources/vpc.amazonaws.com/efa']).toBe('32');
    expect(ng.tags['k8s.io/cluster-autoscaler/node-template/resources/hugepages-2Mi']).toBe('10256Mi');
    expect(ng.labels['vpc.amazonaws.com/efa.present']).toBe('true');
  });

  test('a one-node sizing keeps the group as before: no EFA, no placement group', () => {
    const { group, json, lt } = build({
      sizing: sizeModel({
        model: ModelSpec.LLAMA_3_1_70B,
        quantization: Quantization.FP8,
        accelerator: Accelerator.H100,
      }),
    });
    expect(group.efaDevicesPerNode).toBe(0);
    expect(group.placementGroup).toBeUndefined();
    expect(lt.network_interfaces).toBeUndefined();
    expect(resourcesOf(json, 'aws_placement_group')).toEqual({});
  });

  test('no placement group by default with a capacity reservation', () => {
    const { group } = build({ capacity: Capacity.reservation('cr-0123456789abcdef0') });
    expect(group.placementGroup).toBeUndefined();
  });

  test('throws when maxNodes cannot hold one replica', () => {
    expect(() => build({ maxNodes: 1 })).toThrow(ValidationError);
    expect(() => build({ maxNodes: 1 })).toThrow(/'maxNodes' \(1\) is less than the 2 nodes one replica/);
  });

  test('throws when the group would span AZs', () => {
    const { stack, cluster, net } = clusterStack();
    expect(() =>
      cluster.addInferenceNodeGroup('H100x2', {
        accelerator: Accelerator.H100,
        sizing: SIZING,
        subnets: net.privateSubnets,
      }),
    ).toThrow(/keeps a multi-node group in one Availability Zone/);
    expect(stack).toBeDefined();
  });

  test('efa: false is accepted with a warning', () => {
    const { stack, lt } = build({ efa: false });
    expect(lt.network_interfaces).toBeUndefined();
    expect(hasWarning(stack, 'aws-multi-node-without-efa')).toBe(true);
  });
});
