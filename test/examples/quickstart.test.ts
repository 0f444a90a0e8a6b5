import { Testing } from 'cdktf';
import { build } from '../../examples/quickstart/main';
import { GPU_INSTANCE_TYPES } from '../../lib/aws';
import { CostEstimate } from '../../lib/core';
import { onlyResource, synthJson, warningsWithId } from '../util';

describe('examples/quickstart', () => {
  const [stack] = build(Testing.app());
  const json: any = synthJson(stack);

  test('raises no deprecated-api warning (the example uses only current names)', () => {
    expect(warningsWithId(stack, 'deprecated-api')).toEqual([]);
  });

  test('sizes the L40S group for the 70B AWQ model and derives the budget from its cost', () => {
    const groups = Object.values(json.resource.aws_eks_node_group) as any[];
    const l40s = groups.find((g) => g.instance_types?.[0]?.startsWith('g6e'));
    expect(l40s.scaling_config).toMatchObject({ min_size: 0, max_size: 6 });
    expect(l40s.instance_types).toEqual(['g6e.12xlarge']);
    // 6 nodes at the catalogued on-demand price, 730 hours a month, plus the network's, the
    // cluster's and the system nodes' lines: the whole estimate at maximum scale
    const price = GPU_INSTANCE_TYPES.find((t) => t.name === 'g6e.12xlarge')!.onDemandPrice!.usd;
    const estimate = CostEstimate.of(stack);
    const gpu = estimate.lines.find((l) => l.item === 'g6e.12xlarge')!;
    expect(estimate.lineMonthlyUsd(gpu, 'max')).toBeCloseTo(6 * price * 730, 6);
    expect(Number(onlyResource(json, 'aws_budgets_budget').limit_amount)).toBeCloseTo(
      estimate.monthlyUsd('max'),
      0,
    );
  });

  test('snapshot', () => {
    expect(json).toMatchSnapshot();
  });
});
