/**
 * aws-inference: EKS inference pools sized from the models they serve: Llama 3.1 70B in AWQ on
 * L40S (g6e) and Llama 3.1 8B in INT8 on A10G (g5), both scaling from zero; an ECR registry
 * with pull-through caches and a model bucket; Amazon Managed Prometheus alerting; a budget.
 *
 * Synthesizes with no credentials: the provider is configured with plain values and no data
 * source is read at synth time.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { BudgetAlarm, EksCluster, GpuNetwork, Monitoring, PullThroughCache, Registry } from '../../lib/aws';
import { Accelerator, Capacity, ModelSpec, Quantization, sizeModel, Tags } from '../../lib/core';

/** The inference platform. */
export class AwsInferenceStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'us-west-2' });
    Tags.of(this).setCostAllocationTag('project', 'llm-serving');

    const network = new GpuNetwork(this, 'Network', {
      availabilityZones: ['us-west-2a', 'us-west-2b', 'us-west-2c'],
    });
    const cluster = new EksCluster(this, 'Cluster', {
      network,
      clusterName: 'llm-serving',
      endpointPublicAccess: true,
      publicAccessCidrs: ['203.0.113.0/24'],
    });

    const llama70b = sizeModel({
      model: ModelSpec.LLAMA_3_1_70B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L40S,
    });
    const llama8b = sizeModel({
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.INT8,
      accelerator: Accelerator.A10G,
    });
    const l40s = cluster.addInferenceNodeGroup('L40S', {
      accelerator: Accelerator.L40S,
      sizing: llama70b,
      minNodes: 1,
      maxNodes: 6,
    });
    const a10g = cluster.addInferenceNodeGroup('A10G', {
      accelerator: Accelerator.A10G,
      sizing: llama8b,
      maxNodes: 8,
      capacity: Capacity.spot(),
    });

    const registry = new Registry(this, 'Registry', {
      repositories: ['serving/vllm'],
      mutableTagFilters: ['latest'],
      pullThroughCaches: [
        PullThroughCache.ecrPublic(),
        PullThroughCache.kubernetes(),
        PullThroughCache.quay(),
      ],
    });
    registry.grantPull(cluster.nodeRole);
    registry.grantReadModels(
      cluster.addWorkloadRole('ModelServer', { namespace: 'llm', serviceAccount: 'model-server' }),
    );

    const monitoring = new Monitoring(this, 'Monitoring', {
      cluster,
      emails: ['ml-oncall@example.com'],
      alertRules: { servingMatchers: ['namespace="llm"'] },
    });
    new BudgetAlarm(this, 'Budget', { emails: ['finops@example.com'], topic: monitoring.topic });

    new TerraformOutput(this, 'pools', {
      value: {
        l40s: {
          instance_types: l40s.instanceTypes,
          gpus_per_node: l40s.gpusPerNode,
          tensor_parallel_size: llama70b.tensorParallelSize,
        },
        a10g: {
          instance_types: a10g.instanceTypes,
          gpus_per_node: a10g.gpusPerNode,
          tensor_parallel_size: llama8b.tensorParallelSize,
        },
      },
    });
  }
}

/** Adds this example's stacks to `app`. */
export function build(app: App): TerraformStack[] {
  return [new AwsInferenceStack(app, 'aws-inference')];
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
