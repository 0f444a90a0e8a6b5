// AWS-only app: the package root import, which must load without the Google, Kubernetes and
// Helm provider packages (they are not installed here).
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Accelerator, ModelSpec, Quantization, Tags, aws, sizeModel } from 'cdktf-ai-infra';

export class InferenceStack extends TerraformStack {
  public readonly cluster: aws.EksCluster;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'us-east-1' });
    Tags.of(this).setCostAllocationTag('project', 'consumer-test');
    const network = new aws.GpuNetwork(this, 'Network', {
      cidr: '10.0.0.0/16',
      availabilityZones: ['us-east-1a', 'us-east-1b'],
    });
    this.cluster = new aws.EksCluster(this, 'Cluster', { network });
    this.cluster.addInferenceNodeGroup('L40S', {
      accelerator: Accelerator.L40S,
      sizing: sizeModel({
        model: ModelSpec.LLAMA_3_1_70B,
        quantization: Quantization.AWQ,
        accelerator: Accelerator.L40S,
      }),
      maxNodes: 2,
    });
    new aws.BudgetAlarm(this, 'Budget', { emails: ['ml-oncall@example.com'] });
  }
}
