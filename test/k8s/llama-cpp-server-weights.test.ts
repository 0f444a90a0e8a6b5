import { TerraformStack } from 'cdktf';
import { ModelSpec, Quantization } from '../../lib/core';
import { LlamaCppServer, LlamaCppServerProps, PrefetchedWeightCache, WeightsSource } from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads } from './helpers';

const PROPS: Omit<LlamaCppServerProps, 'weights'> = {
  model: ModelSpec.LLAMA_3_1_8B,
  quantization: Quantization.GGUF_Q4_K_M,
  ggufFile: 'Llama-3.1-8B-Instruct-Q4_K_M.gguf',
  namespace: 'llm',
};

const CACHE = {
  namespace: 'llm',
  source: 's3://models-123/llama-8b-gguf/',
  storageClassName: 'efs-sc',
  sizeGiB: 10,
};

function deploymentOf(stack: TerraformStack): any {
  const all = Object.values(resourcesOf(synthJson(stack), 'kubernetes_deployment_v1'));
  expect(all).toHaveLength(1);
  return all[0];
}

describe('LlamaCppServer with a filled weight cache', () => {
  // WeightsBinding.dependsOn: "Resources the server's Deployment must wait for (a cache's fill
  // Job): a dependency in the server's stack, or an order between the stacks." ModelServer
  // honours both; LlamaCppServer used to order the stacks only, so in one stack its pods could
  // start on a claim the Job had not filled yet.
  test('in the same stack, the Deployment starts after the fill Job', () => {
    const { workloads } = platformAndWorkloads();
    const cache = new PrefetchedWeightCache(workloads, 'Gguf', CACHE);
    new LlamaCppServer(workloads, 'Llama8BCpu', { ...PROPS, weights: cache.weights() });
    expect(deploymentOf(workloads).depends_on).toEqual([
      expect.stringMatching(/^kubernetes_job_v1\.Gguf_Fill_/),
    ]);
  });

  test('in another stack, the stacks are ordered and the Deployment has no depends_on', () => {
    const { platform, workloads } = platformAndWorkloads();
    const cache = new PrefetchedWeightCache(platform, 'Gguf', CACHE);
    new LlamaCppServer(workloads, 'Llama8BCpu', { ...PROPS, weights: cache.weights() });
    expect(workloads.dependencies).toContain(platform);
    expect(deploymentOf(workloads).depends_on).toBeUndefined();
  });

  test('without a fill Job (a bucket copy), the Deployment has no depends_on', () => {
    const { workloads } = platformAndWorkloads();
    new LlamaCppServer(workloads, 'Llama8BCpu', {
      ...PROPS,
      weights: WeightsSource.bucket('s3://models/gguf/'),
    });
    expect(deploymentOf(workloads).depends_on).toBeUndefined();
  });
});
