import { Testing } from 'cdktf';
import { build } from '../../examples/aws-inference/main';
import { resourcesOf } from '../util';

describe('examples/aws-inference', () => {
  const [stack] = build(Testing.app());
  const json = JSON.parse(Testing.synth(stack, true));
  const groups = Object.fromEntries(
    Object.entries(resourcesOf(json, 'aws_eks_node_group')).map(([k, v]) => [k.split('_')[1], v]),
  );

  test('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  test('serves the AWQ 70B on 4 x L40S nodes (2 replicas per node)', () => {
    expect(groups.L40S.instance_types).toEqual(['g6e.12xlarge']);
    expect(groups.L40S.scaling_config).toEqual({ min_size: 1, max_size: 6, desired_size: 1 });
  });

  test('serves the INT8 8B on spot A10G that scales from zero', () => {
    expect(groups.A10G.capacity_type).toBe('SPOT');
    expect(groups.A10G.instance_types[0]).toBe('g5.2xlarge');
    expect(groups.A10G.scaling_config.min_size).toBe(0);
  });

  test('caches public registries in ECR', () => {
    expect(
      Object.values(resourcesOf(json, 'aws_ecr_pull_through_cache_rule')).map((r) => r.upstream_registry_url),
    ).toEqual(['public.ecr.aws', 'registry.k8s.io', 'quay.io']);
  });

  test('has a budget and AMP rule groups', () => {
    expect(Object.keys(resourcesOf(json, 'aws_budgets_budget'))).toHaveLength(1);
    expect(Object.keys(resourcesOf(json, 'aws_prometheus_rule_group_namespace'))).toHaveLength(1);
  });
});
