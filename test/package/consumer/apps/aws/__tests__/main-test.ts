import 'cdktf/lib/testing/adapters/jest';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { Testing } from 'cdktf';
import { InferenceStack } from '../stacks';

describe('consumer-aws', () => {
  const app = Testing.app();
  const stack = new InferenceStack(app, 'consumer-aws');
  const synthesized = Testing.synth(stack, true);

  it('defines the L40S node group', () => {
    expect(synthesized).toHaveResourceWithProperties(EksNodeGroup, { instance_types: ['g6e.12xlarge'] });
  });

  it('matches the snapshot', () => {
    expect(synthesized).toMatchSnapshot();
  });
});
