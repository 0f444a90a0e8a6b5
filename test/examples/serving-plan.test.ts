import { Testing } from 'cdktf';

import { build } from '../../examples/serving-plan/main';
import { synthJson, warningsWithId } from '../util';

describe('examples/serving-plan', () => {
  const app = Testing.app();
  const [stack] = build(app);
  const json: any = synthJson(stack);

  test('raises no deprecated-api warning (the example uses only current names)', () => {
    expect(warningsWithId(stack, 'deprecated-api')).toEqual([]);
  });

  test('outputs the three worked examples', () => {
    expect(json.output['llama-70b-awq-l40s'].value.gpus_per_replica).toBe(2);
    expect(json.output['llama-8b-awq-l4'].value.gpus_per_replica).toBe(1);
    expect(json.output['llama-405b-fp8-h100'].value.tensor_parallel_size).toBe(8);
  });

  test('snapshot', () => {
    expect(json).toMatchSnapshot();
  });
});
