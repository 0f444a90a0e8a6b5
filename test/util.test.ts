import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { Testing, TerraformStack } from 'cdktf';
import { GkeCluster, GkeNetwork } from '../lib/gcp';
import { Accelerator, ModelSpec, Quantization } from '../lib/core';
import { ModelServer, WeightsSource } from '../lib/k8s';
import { PolicyPack } from '../lib/policy';
import { awsStack, clusterStack } from './aws/util';
import { gcpStack } from './gcp/helpers';
import { platformAndWorkloads } from './k8s/helpers';
import { synthJson } from './util';

// synthJson (test/util.ts) computes what JSON.parse(Testing.synth(stack, true)) returns, with less
// CPU; this keeps the two equal, key order included, on stacks of each provider and with aspects.
const BUILDERS: Record<string, () => TerraformStack[]> = {
  'AWS: a cluster and an inference node group': () => {
    const { stack, cluster } = clusterStack();
    cluster.addInferenceNodeGroup('L40S', { accelerator: Accelerator.L40S, minNodes: 0, maxNodes: 2 });
    return [stack];
  },
  'Google Cloud: a network and a cluster': () => {
    const { stack } = gcpStack();
    new GkeCluster(stack, 'Cluster', {
      network: new GkeNetwork(stack, 'Network', { project: 'my-proj', region: 'us-central1' }),
    });
    return [stack];
  },
  'Kubernetes: a model server (Helm and Kubernetes providers, two stacks)': () => {
    const { platform, workloads } = platformAndWorkloads();
    new ModelServer(workloads, 'Llama8B', {
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L4,
      weights: WeightsSource.bucket('s3://models/llama-3.1-8b-awq/'),
    });
    return [platform, workloads];
  },
};

describe('synthJson', () => {
  test.each(Object.keys(BUILDERS))('is JSON.parse(Testing.synth(stack, true)): %s', (name) => {
    const ours = BUILDERS[name]().map((s) => JSON.stringify(synthJson(s)));
    const cdktf = BUILDERS[name]().map((s) => JSON.stringify(JSON.parse(Testing.synth(s, true))));
    expect(ours).toEqual(cdktf);
    expect(ours.join('')).not.toContain('"//"');
  });

  test('runs aspects and validations as Testing.synth(stack, true) does', () => {
    const failing = (): TerraformStack => {
      const s = awsStack();
      new S3Bucket(s, 'Weights', {});
      PolicyPack.aiInfra().applyTo(s);
      return s;
    };
    const message = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        return (e as Error).message;
      }
      return 'did not throw';
    };
    const cdktf = message(() => Testing.synth(failing(), true));
    expect(cdktf).toMatch(/\[cdktf-ai-infra\/policy:s3-public-access\]/);
    expect(message(() => synthJson(failing()))).toBe(cdktf);
  });
});
