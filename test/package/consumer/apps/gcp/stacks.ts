// GCP-only app: subpath imports (cdktf-ai-infra/core, cdktf-ai-infra/gcp).
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Accelerator, ModelSpec, Quantization, sizeModel } from 'cdktf-ai-infra/core';
import { BudgetAlarm, GkeCluster, GkeNetwork } from 'cdktf-ai-infra/gcp';

const PROJECT = 'acme-ml-serving';

export class ServingStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new GoogleProvider(this, 'google', {
      project: PROJECT,
      region: 'us-central1',
      ...BudgetAlarm.providerSettings(PROJECT),
    });
    const network = new GkeNetwork(this, 'Network', { project: PROJECT, region: 'us-central1' });
    const cluster = new GkeCluster(this, 'Cluster', { network });
    cluster.addInferenceNodePool('L4', {
      accelerator: Accelerator.L4,
      sizing: sizeModel({
        model: ModelSpec.LLAMA_3_1_8B,
        quantization: Quantization.AWQ,
        accelerator: Accelerator.L4,
      }),
      maxNodes: 3,
    });
    new BudgetAlarm(this, 'Budget', {
      billingAccount: '012345-6789AB-CDEF01',
      project: PROJECT,
      projectNumber: '123456789012',
      emails: ['ml-oncall@example.com'],
    });
  }
}
