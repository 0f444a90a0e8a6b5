import { Testing } from 'cdktf';
import { build } from '../../examples/aws-training/main';
import { AwsTrainingStack } from '../../examples/aws-training/main';
import { Capacity } from '../../lib/core';
import { resourcesOf } from '../util';

function synth(stack: AwsTrainingStack) {
  return JSON.parse(Testing.synth(stack, true));
}

describe('examples/aws-training', () => {
  const app = Testing.app();
  const [stack] = build(app);
  const json = synth(stack as AwsTrainingStack);
  const gpuGroup = Object.entries(resourcesOf(json, 'aws_eks_node_group')).find(([k]) =>
    k.startsWith('Cluster_H100'),
  )![1];
  const gpuLt = Object.entries(resourcesOf(json, 'aws_launch_template')).find(([k]) =>
    k.startsWith('Cluster_H100'),
  )![1];

  test('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  test('runs 16 p5.48xlarge on a Capacity Block', () => {
    expect(gpuGroup.capacity_type).toBe('CAPACITY_BLOCK');
    expect(gpuGroup.scaling_config.max_size).toBe(16);
    expect(gpuLt.instance_type).toBe('p5.48xlarge');
    expect(gpuLt.instance_market_options).toEqual({ market_type: 'capacity-block' });
  });

  test('has 32 EFA devices per node and no placement group', () => {
    expect(gpuLt.network_interfaces.filter((n: any) => n.interface_type === 'efa-only')).toHaveLength(32);
    expect(resourcesOf(json, 'aws_placement_group')).toEqual({});
  });

  test('has FSx for Lustre with a DRA to the checkpoint bucket', () => {
    expect(Object.values(resourcesOf(json, 'aws_fsx_lustre_file_system'))[0]).toMatchObject({
      storage_capacity: 4800,
      per_unit_storage_throughput: 500,
    });
    expect(Object.keys(resourcesOf(json, 'aws_fsx_data_repository_association'))).toHaveLength(1);
  });

  test('derives the budget from 16 p5.48xlarge at the catalogue price', () => {
    const budget = Object.values(resourcesOf(json, 'aws_budgets_budget'))[0];
    expect(Number(budget.limit_amount)).toBeCloseTo(16 * 55.04 * 730, 0);
  });

  test('the spot variant uses SPOT with a placement group', () => {
    const spot = synth(new AwsTrainingStack(Testing.app(), 'aws-training-spot', Capacity.spot()));
    const ng = Object.entries(resourcesOf(spot, 'aws_eks_node_group')).find(([k]) =>
      k.startsWith('Cluster_H100'),
    )![1];
    expect(ng.capacity_type).toBe('SPOT');
    expect(Object.keys(resourcesOf(spot, 'aws_placement_group'))).toHaveLength(1);
  });
});
