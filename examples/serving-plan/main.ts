/**
 * serving-plan: the sizing arithmetic of the three worked examples in docs/core.md, as
 * Terraform outputs a reviewer can read in a pull request. It defines no cloud resources and
 * needs no credentials: it is the smallest app that exercises the library end to end.
 */
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Accelerator, ModelSpec, Quantization, sizeModel } from '../../lib/core';

export class ServingPlanStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const plans = {
      'llama-70b-awq-l40s': sizeModel({
        model: ModelSpec.LLAMA_3_1_70B,
        quantization: Quantization.AWQ,
        accelerator: Accelerator.L40S,
      }),
      'llama-8b-awq-l4': sizeModel({
        model: ModelSpec.LLAMA_3_1_8B,
        quantization: Quantization.AWQ,
        accelerator: Accelerator.L4,
      }),
      'llama-405b-fp8-h100': sizeModel({
        model: ModelSpec.LLAMA_3_1_405B,
        quantization: Quantization.FP8,
        accelerator: Accelerator.H100,
      }),
    };
    for (const [name, p] of Object.entries(plans)) {
      new TerraformOutput(this, name, {
        description: `${p.model.name} in ${p.quantization.id} on ${p.accelerator.id}`,
        value: {
          gpus_per_replica: p.gpusPerReplica,
          tensor_parallel_size: p.tensorParallelSize,
          max_model_len: p.maxModelLen,
          weights_gib: Number(p.weightsGiB.toFixed(1)),
          kv_cache_tokens: p.kvCacheTokens,
          explanation: p.explanation,
        },
      });
    }
  }
}

/** Adds this example's stacks to `app`. */
export function build(app: App): TerraformStack[] {
  return [new ServingPlanStack(app, 'serving-plan')];
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
