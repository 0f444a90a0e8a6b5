/**
 * quickstart: the README's example. An EKS inference platform for Llama 3.1 70B in AWQ on L40S,
 * its node group sized from the model, and a budget derived from the stack's cost estimate.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import * as aws from '../../lib/aws';
import { Accelerator, ModelSpec, Quantization, Tags, sizeModel } from '../../lib/core';

export function build(app: App): TerraformStack[] {
  const stack = new TerraformStack(app, 'quickstart');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  Tags.of(stack).setCostAllocationTag('project', 'llm-platform');

  const network = new aws.GpuNetwork(stack, 'Network', {
    cidr: '10.0.0.0/16',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
  });
  const cluster = new aws.EksCluster(stack, 'Cluster', { network });
  cluster.addInferenceNodeGroup('L40S', {
    accelerator: Accelerator.L40S,
    sizing: sizeModel({
      model: ModelSpec.LLAMA_3_1_70B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L40S,
    }),
    maxNodes: 6,
  });
  new aws.BudgetAlarm(stack, 'Budget', { emails: ['ml-oncall@example.com'] }); // limit from the cost estimate
  return [stack];
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
