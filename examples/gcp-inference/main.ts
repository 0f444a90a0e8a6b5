/**
 * gcp-inference: GKE node pools for LLM serving on Google Cloud: L4 pools (g2) serving
 * Llama 3.1 8B in AWQ and in INT8 (W8A8), an H100 pool (a3-highgpu, Spot) serving Llama 3.1
 * 70B in FP8, each sized by the core sizing arithmetic and scaling from zero; Artifact Registry
 * with pull-through caches of Docker Hub, GHCR and NVIDIA NGC; Cloud Monitoring alert policies
 * for vLLM and GPUs; and a billing budget. No credentials are needed to synthesize it.
 */
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import {
  Accelerator,
  Capacity,
  CostEstimate,
  ModelSpec,
  Quantization,
  Tags,
  sizeModel,
} from '../../lib/core';
import { ArtifactRegistry, BudgetAlarm, Monitoring, GkeCluster, GkeNetwork } from '../../lib/gcp';

const PROJECT = 'acme-ml-serving';
const REGION = 'us-central1';

export class GcpInferenceStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new GoogleProvider(this, 'google', {
      project: PROJECT,
      region: REGION,
      ...BudgetAlarm.providerSettings(PROJECT),
    });
    Tags.of(this).setCostAllocationTag('cost-center', 'llm-serving');

    const network = new GkeNetwork(this, 'Network', { project: PROJECT, region: REGION, name: 'serve' });
    const cluster = new GkeCluster(this, 'Cluster', {
      network,
      name: 'serve',
      nodeLocations: ['us-central1-a', 'us-central1-b', 'us-central1-c'],
      masterAuthorizedNetworks: [{ cidrBlock: '203.0.113.0/24', displayName: 'ci-runners' }],
    });

    const llama8bAwq = sizeModel({
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L4,
    });
    const llama8bInt8 = sizeModel({
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.INT8,
      accelerator: Accelerator.L4,
    });
    const llama70bFp8 = sizeModel({
      model: ModelSpec.LLAMA_3_1_70B,
      quantization: Quantization.FP8,
      accelerator: Accelerator.H100,
    });

    cluster.addInferenceNodePool('L4Awq', {
      accelerator: Accelerator.L4,
      sizing: llama8bAwq,
      maxNodes: 6,
      labels: { model: 'llama-3-1-8b-awq' },
    });
    cluster.addInferenceNodePool('L4Int8', {
      accelerator: Accelerator.L4,
      sizing: llama8bInt8,
      maxNodes: 4,
      labels: { model: 'llama-3-1-8b-int8' },
    });
    cluster.addInferenceNodePool('H100Fp8', {
      accelerator: Accelerator.H100,
      sizing: llama70bFp8,
      minNodes: 0,
      maxNodes: 3,
      capacity: Capacity.spot(),
      labels: { model: 'llama-3-1-70b-fp8' },
    });

    const registry = new ArtifactRegistry(this, 'Registry', {
      location: REGION,
      repositoryId: 'serving',
      modelBucket: { bucketName: 'acme-serving-models' },
    });
    new Monitoring(this, 'Alerts', {
      project: PROJECT,
      emails: ['llm-oncall@example.com'],
      rules: { servingMatchers: ['namespace="llm"'] },
    });
    new BudgetAlarm(this, 'Budget', {
      billingAccount: '012345-6789AB-CDEF01',
      project: PROJECT,
      projectNumber: '210987654321',
      emails: ['llm-oncall@example.com'],
    });

    new TerraformOutput(this, 'vllm_image', {
      value: registry.imageUrl('docker-hub', 'vllm/vllm-openai:v0.8.5'),
    });
    new TerraformOutput(this, 'sizing', {
      value: [llama8bAwq, llama8bInt8, llama70bFp8].map((s) => ({
        model: s.model.name,
        quantization: s.quantization.id,
        accelerator: s.accelerator.id,
        gpus_per_replica: s.gpusPerReplica,
      })),
    });
    new TerraformOutput(this, 'monthly_cost_estimate', { value: CostEstimate.of(this).renderTable() });
  }
}

/** Adds this example's stacks to `app`. */
export function build(app: App): TerraformStack[] {
  return [new GcpInferenceStack(app, 'gcp-inference')];
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
