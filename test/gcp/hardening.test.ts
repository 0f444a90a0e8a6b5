import { Accelerator, ModelSpec, Quantization, ValidationError, sizeModel } from '../../lib/core';
import { ArtifactRegistry } from '../../lib/gcp/artifact-registry';
import { CheckpointBucket } from '../../lib/gcp/checkpoint-bucket';
import { GkeCluster } from '../../lib/gcp/cluster';
import { Monitoring } from '../../lib/gcp/monitoring';
import { GkeNetwork } from '../../lib/gcp/network';
import { GcpPrincipal } from '../../lib/gcp/principal';
import { resourcesOf, synthJson, validationErrorOf } from '../util';
import { gcpStack } from './helpers';

// Issue 10 §2 on Google Cloud: each test fails before its fix.

function cluster(location?: string) {
  const { stack } = gcpStack();
  const network = new GkeNetwork(stack, 'Network', { project: 'my-proj', region: 'us-central1' });
  return { stack, cluster: new GkeCluster(stack, 'Cluster', { network, ...(location ? { location } : {}) }) };
}

describe('regions, zones and project ids', () => {
  test("a prefix check no longer accepts 'us-central1-zz'", () => {
    const { cluster: c } = cluster();
    const e = validationErrorOf(() =>
      c.addTrainingNodePool('T', { accelerator: Accelerator.H100, nodes: 2, zone: 'us-central1-zz' }),
    );
    expect(e.code).toBe('gcp-zone');
  });
  test('a region given as a zone gets a message that does not contradict itself', () => {
    const { cluster: c } = cluster();
    const e = validationErrorOf(() =>
      c.addTrainingNodePool('T', { accelerator: Accelerator.H100, nodes: 2, zone: 'us-central1' }),
    );
    expect(e.message).toContain(
      `'zone' ('us-central1') is not a Google Cloud zone: a region, '-' and one letter`,
    );
    expect(e.message).not.toMatch(/is not in the cluster's region 'us-central1'/);
  });
  test.each([['proj'], ['My-Project'], ['my-google-project'], ['123456789012']])(
    'project %p is refused',
    (project) => {
      const { stack } = gcpStack();
      expect(
        validationErrorOf(() => new GkeNetwork(stack, 'N', { project, region: 'us-central1' })).code,
      ).toBe('gcp-project-id');
    },
  );
  test('a cluster location that is neither region nor zone is refused', () => {
    expect(validationErrorOf(() => cluster('us-central')).code).toBe('gcp-zone');
  });
});

describe('labels are validated, not silently normalised', () => {
  test('explicit bucket labels', () => {
    const { stack } = gcpStack();
    expect(
      validationErrorOf(
        () =>
          new CheckpointBucket(stack, 'B', {
            bucketName: 'acme-ckpt',
            location: 'US',
            labels: { Team: 'ml' },
          }),
      ).code,
    ).toBe('gcp-label-key');
  });
  test('explicit Artifact Registry labels', () => {
    const { stack } = gcpStack();
    expect(
      validationErrorOf(
        () => new ArtifactRegistry(stack, 'R', { location: 'us-central1', labels: { team: 'ML' } }),
      ).code,
    ).toBe('gcp-label-value');
  });
});

describe('buckets and locations', () => {
  test.each([['acme..ckpt'], ['192.168.1.1'], ['goog-ckpt'], ['my-google-ckpt'], ['Acme']])(
    'bucket name %p',
    (bucketName) => {
      const { stack } = gcpStack();
      expect(
        validationErrorOf(() => new CheckpointBucket(stack, 'B', { bucketName, location: 'US' })).code,
      ).toBe('gcp-gcs-bucket-name');
    },
  );
  test('bucket locations: region, multi-region or dual-region', () => {
    const { stack } = gcpStack();
    for (const [i, location] of ['US', 'eu', 'NAM4', 'us-central1', 'US-CENTRAL1'].entries()) {
      new CheckpointBucket(stack, `B${i}`, { bucketName: `acme-ckpt-${i}`, location });
    }
    expect(() => new CheckpointBucket(stack, 'X', { bucketName: 'acme-x', location: 'moon' })).toThrow(
      ValidationError,
    );
  });
  test("the model bucket's message names 'modelBucket.bucketName'", () => {
    const { stack } = gcpStack();
    expect(
      () => new ArtifactRegistry(stack, 'R', { location: 'us', modelBucket: { bucketName: 'X' } }),
    ).toThrow(/'modelBucket.bucketName' \('X'\)/);
  });
});

describe('duplicates from user lists', () => {
  const sa = GcpPrincipal.serviceAccount('trainer@my-proj.iam.gserviceaccount.com');
  test('the same principal twice is one binding, not a construct id clash', () => {
    const { stack } = gcpStack();
    new CheckpointBucket(stack, 'B', {
      bucketName: 'acme-ckpt',
      location: 'US',
      readWriters: [sa, sa],
      readers: [sa, sa],
    });
    expect(Object.keys(resourcesOf(synthJson(stack), 'google_storage_bucket_iam_member'))).toHaveLength(2);
    const r = new ArtifactRegistry(stack, 'R', { location: 'us', readers: [sa] });
    expect(r.grantRead(sa)).toHaveLength(4);
  });
  test('the same e-mail twice (any case) is a ValidationError', () => {
    const { stack } = gcpStack();
    expect(
      validationErrorOf(() => new Monitoring(stack, 'M', { emails: ['a@example.com', 'A@example.com'] }))
        .code,
    ).toBe('duplicate');
  });
  test('a.b@x and a-b@x stay two channels', () => {
    const { stack } = gcpStack();
    new Monitoring(stack, 'M', { emails: ['a.b@example.com', 'a-b@example.com'] });
    expect(Object.keys(resourcesOf(synthJson(stack), 'google_monitoring_notification_channel'))).toHaveLength(
      2,
    );
  });
  test('an http webhook is refused', () => {
    const { stack } = gcpStack();
    expect(
      validationErrorOf(() => new Monitoring(stack, 'M', { webhookUrl: 'http://hooks.example.com/x' })).code,
    ).toBe('url');
  });
});

test("a GPU count from the sizing is named 'sizing.gpusPerReplica'", () => {
  const { cluster: c } = cluster();
  const sizing = {
    ...sizeModel({
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.BF16,
      accelerator: Accelerator.L4,
    }),
    gpusPerReplica: 3,
    gpusPerNode: 3,
  };
  expect(() => c.addInferenceNodePool('S', { accelerator: Accelerator.L4, sizing })).toThrow(
    /'sizing.gpusPerReplica' \(3\) has no Google Cloud shape with L4/,
  );
});
