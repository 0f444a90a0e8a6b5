import { mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
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

// test/setup.ts: apps of Testing.app() share one directory until they are synthesized to disk.
describe('Testing.app() in tests', () => {
  test('an app gets a directory of its own when it is synthesized, and another app cannot overwrite it', () => {
    const a = Testing.app();
    const b = Testing.app();
    expect(a.outdir).toBe(b.outdir);
    const shared = a.outdir;
    for (const [app, bucket] of [
      [a, 'a'],
      [b, 'b'],
    ] as const) {
      const stack = new TerraformStack(app, 'same');
      new AwsProvider(stack, 'aws', { region: 'us-east-1' });
      new S3Bucket(stack, 'Bucket', { bucket });
    }
    a.synth();
    b.synth();
    expect(new Set([shared, a.outdir, b.outdir]).size).toBe(3);
    expect(readdirSync(join(shared, 'stacks'))).toEqual([]);
    for (const [app, bucket] of [
      [a, 'a'],
      [b, 'b'],
    ] as const) {
      const json = JSON.parse(readFileSync(join(app.outdir, 'stacks', 'same', 'cdk.tf.json'), 'utf8'));
      expect(Object.values(json.resource.aws_s3_bucket).map((r: any) => r.bucket)).toEqual([bucket]);
      expect(JSON.parse(readFileSync(join(app.outdir, 'manifest.json'), 'utf8'))).toMatchObject({
        version: 'stubbed',
        stacks: { same: { synthesizedStackPath: 'stacks/same/cdk.tf.json' } },
      });
    }
  });

  test('an outdir given to Testing.app() is used as given', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'given-'));
    const app = Testing.app({ outdir });
    new TerraformStack(app, 'given');
    app.synth();
    expect(app.outdir).toBe(outdir);
    expect(readdirSync(join(outdir, 'stacks'))).toEqual(['given']);
  });
});
