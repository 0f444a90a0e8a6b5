import 'cdktf/lib/testing/adapters/jest';
import { ContainerNodePool } from '@cdktf/provider-google/lib/container-node-pool';
import { Testing } from 'cdktf';
import { ServingStack } from '../stacks';

describe('consumer-gcp', () => {
  const app = Testing.app();
  const stack = new ServingStack(app, 'consumer-gcp');
  const synthesized = Testing.synth(stack, true);

  it('defines an L4 node pool', () => {
    expect(synthesized).toHaveResource(ContainerNodePool);
    expect(synthesized).toContain('nvidia-l4');
  });

  it('matches the snapshot', () => {
    expect(synthesized).toMatchSnapshot();
  });
});
