import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { CheckpointBucket, CheckpointBucketProps } from '../../lib/gcp/checkpoint-bucket';
import { GcpPrincipal } from '../../lib/gcp/principal';
import { onlyResource, resourcesOf, synthJson } from '../util';
import { gcpStack } from './helpers';

function bucket(props: Partial<CheckpointBucketProps> = {}) {
  const { stack } = gcpStack();
  const b = new CheckpointBucket(stack, 'Checkpoints', {
    bucketName: 'acme-ckpt',
    location: 'us-central1',
    ...props,
  });
  return {
    stack,
    b,
    json: () => synthJson(stack),
    res: () => onlyResource(synthJson(stack), 'google_storage_bucket'),
  };
}
const KSA = GcpPrincipal.kubernetesServiceAccount({
  projectNumber: '123456789012',
  project: 'acme-ml',
  namespace: 'training',
  serviceAccount: 'trainer',
});

describe('CheckpointBucket', () => {
  test('defaults to uniform access, enforced public access prevention and no force destroy', () => {
    expect(bucket().res()).toMatchObject({
      uniform_bucket_level_access: true,
      public_access_prevention: 'enforced',
      force_destroy: false,
      storage_class: 'STANDARD',
    });
  });

  test('defaults to a hierarchical namespace without versioning', () => {
    const r = bucket().res();
    expect(r.hierarchical_namespace).toEqual({ enabled: true });
    expect(r.versioning).toBeUndefined();
  });

  test('versioning turns the hierarchical namespace off by default', () => {
    const r = bucket({ versioning: true }).res();
    expect(r.hierarchical_namespace).toEqual({ enabled: false });
    expect(r.versioning).toEqual({ enabled: true });
  });

  test('throws for a hierarchical namespace with versioning', () => {
    expect(() => bucket({ versioning: true, hierarchicalNamespace: true })).toThrow(/cannot be versioned/);
  });

  test('defaults to a 7-day soft delete', () => {
    expect(bucket().res().soft_delete_policy).toEqual({ retention_duration_seconds: 604800 });
  });

  test('accepts soft delete 0', () => {
    expect(bucket({ softDeleteRetentionSeconds: 0 }).res().soft_delete_policy).toEqual({
      retention_duration_seconds: 0,
    });
  });

  test.each([3600, 7776001])('throws for soft delete %d seconds', (s) => {
    expect(() => bucket({ softDeleteRetentionSeconds: s })).toThrow(
      /must be 0 \(off\) or from 604800 \(7 days\) to 7776000 \(90 days\)/,
    );
  });

  test('defaults to aborting incomplete uploads after 1 day', () => {
    expect(bucket().res().lifecycle_rule).toEqual([
      { action: { type: 'AbortIncompleteMultipartUpload' }, condition: { age: 1 } },
    ]);
  });

  test('deletes old objects and noncurrent versions on request', () => {
    const rules = bucket({
      deleteObjectsAfterDays: 30,
      versioning: true,
      noncurrentVersionRetentionDays: 14,
    }).res().lifecycle_rule;
    expect(rules).toContainEqual({ action: { type: 'Delete' }, condition: { age: 30, with_state: 'ANY' } });
    expect(rules).toContainEqual({
      action: { type: 'Delete' },
      condition: { days_since_noncurrent_time: 14, with_state: 'ARCHIVED' },
    });
  });

  test('throws for noncurrentVersionRetentionDays without versioning', () => {
    expect(() => bucket({ noncurrentVersionRetentionDays: 3 })).toThrow(/'versioning' is false/);
  });

  test('throws for a non-positive day count', () => {
    expect(() => bucket({ deleteObjectsAfterDays: 0 })).toThrow(
      /'deleteObjectsAfterDays' \(0\) must be a whole number from 1/,
    );
  });

  test('is protected from destroy by default', () => {
    expect(bucket().res().lifecycle).toEqual({ prevent_destroy: true });
  });

  test('protectFromDestroy false lifts the protection', () => {
    expect(bucket({ protectFromDestroy: false }).res().lifecycle).toEqual({ prevent_destroy: false });
  });

  test('throws for an invalid bucket name', () => {
    expect(() => bucket({ bucketName: 'Google-ckpt' })).toThrow(
      /'bucketName' \('Google-ckpt'\) is not a valid Cloud Storage bucket name/,
    );
  });

  test('grants objectUser to a Kubernetes service account through Workload Identity', () => {
    const { json } = bucket({ readWriters: [KSA] });
    const m = Object.values(resourcesOf(json(), 'google_storage_bucket_iam_member'))[0] as any;
    expect(m.role).toBe('roles/storage.objectUser');
    expect(m.member).toBe(
      'principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/acme-ml.svc.id.goog/subject/ns/training/sa/trainer',
    );
  });

  test('grantRead grants objectViewer to a Google service account', () => {
    const { b, json } = bucket();
    b.grantRead(GcpPrincipal.serviceAccount('reader@acme.iam.gserviceaccount.com'));
    const m = Object.values(resourcesOf(json(), 'google_storage_bucket_iam_member'))[0] as any;
    expect(m).toMatchObject({
      role: 'roles/storage.objectViewer',
      member: 'serviceAccount:reader@acme.iam.gserviceaccount.com',
    });
  });

  test('grant construct ids are stable across reordering', () => {
    const a = bucket({ readWriters: [KSA] }).b.node.children.map((c) => c.node.id);
    const other = GcpPrincipal.serviceAccount('x@acme.iam.gserviceaccount.com');
    const b = bucket({ readWriters: [other, KSA] }).b.node.children.map((c) => c.node.id);
    expect(b).toEqual(expect.arrayContaining(a));
  });

  test('a grant to a member with references keeps its id when the app creates more tokens before it', () => {
    // The id hashes the references the member resolves to, not its token text (token numbers).
    const grantIds = (extraTokens: number) => {
      const { stack } = gcpStack();
      const sa = new ServiceAccount(stack, 'Trainer', { accountId: 'trainer' });
      for (let i = 0; i < extraTokens; i++) void sa.uniqueId;
      const b = new CheckpointBucket(stack, 'Checkpoints', {
        bucketName: 'acme-ckpt',
        location: 'us-central1',
      });
      b.grantReadWrite(GcpPrincipal.serviceAccount(sa.email));
      return b.node.children.map((c) => c.node.id).filter((id) => id.startsWith('ObjectUser'));
    };
    const ids = grantIds(0);
    expect(ids).toHaveLength(1);
    expect(grantIds(3)).toEqual(ids);
  });

  test('GcpPrincipal throws for a project id in place of the number', () => {
    expect(() =>
      GcpPrincipal.kubernetesServiceAccount({
        projectNumber: 'acme',
        project: 'acme-ml',
        namespace: 'a',
        serviceAccount: 'b',
      }),
    ).toThrow(/'projectNumber' \('acme'\) must be the project number/);
  });

  test('GcpPrincipal throws for a workload identity pool of another project', () => {
    expect(() =>
      GcpPrincipal.kubernetesServiceAccount({
        projectNumber: '123456789012',
        project: 'acme-ml',
        namespace: 'a',
        serviceAccount: 'b',
        workloadIdentityPool: 'other.svc.id.goog',
      }),
    ).toThrow(
      /'workloadIdentityPool' \('other.svc.id.goog'\) is not the pool of 'project' \('acme-ml.svc.id.goog'\)/,
    );
  });

  test('GcpPrincipal throws for an invalid Kubernetes name', () => {
    expect(() =>
      GcpPrincipal.kubernetesServiceAccount({
        projectNumber: '123456789012',
        project: 'acme-ml',
        namespace: 'Training',
        serviceAccount: 'b',
      }),
    ).toThrow(/namespace' \('Training'\) is not valid as a namespace/);
  });

  test('GcpPrincipal throws for a malformed service account email', () => {
    expect(() => GcpPrincipal.serviceAccount('someone@example.com')).toThrow(
      /is not a service account email/,
    );
  });
});
