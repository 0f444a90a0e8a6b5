import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { ContainerNodePool } from '@cdktf/provider-google/lib/container-node-pool';
import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import * as fc from 'fast-check';
import {
  Tags,
  ValidationError,
  isValidKubernetesLabelKey,
  normalizeGcpLabelKey,
  normalizeGcpLabelValue,
  normalizeGcpLabels,
  normalizeKubernetesLabelValue,
} from '../../lib/core';
import { synthJson, testStack } from '../util';

describe('label normalisation', () => {
  test('GCP keys and values', () => {
    expect(normalizeGcpLabelKey('CostCenter')).toBe('costcenter');
    expect(normalizeGcpLabelKey('9lives')).toBe('l9lives');
    expect(normalizeGcpLabelValue('ML Platform/Team')).toBe('ml_platform_team');
    expect(normalizeGcpLabelValue('x'.repeat(100))).toHaveLength(63);
  });

  test('throws when two keys collide after normalisation', () => {
    expect(() => normalizeGcpLabels({ Team: 'a', team: 'b' })).toThrow(ValidationError);
    expect(() => normalizeGcpLabels({ Team: 'a', team: 'b' })).toThrow(
      /'Team' and 'team' both become the Google Cloud label 'team'/,
    );
  });

  test('throws when there are more than 64 labels', () => {
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']));
    expect(() => normalizeGcpLabels(many)).toThrow(/at most 64 labels/);
  });

  test('property: GCP labels are always valid and normalisation is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 120 }), fc.string({ maxLength: 120 }), (k, v) => {
        const nk = normalizeGcpLabelKey(k);
        const nv = normalizeGcpLabelValue(v);
        expect(nk).toMatch(/^[a-z][a-z0-9_-]{0,62}$/);
        expect(nv).toMatch(/^[a-z0-9_-]{0,63}$/);
        expect(normalizeGcpLabelKey(nk)).toBe(nk);
        expect(normalizeGcpLabelValue(nv)).toBe(nv);
      }),
      { numRuns: 500 },
    );
  });

  test('property: Kubernetes label values are always valid and idempotent', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (v) => {
        const n = normalizeKubernetesLabelValue(v);
        expect(n).toMatch(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/);
        expect(n.length).toBeLessThanOrEqual(63);
        expect(normalizeKubernetesLabelValue(n)).toBe(n);
      }),
      { numRuns: 500 },
    );
  });

  test('Kubernetes label keys', () => {
    expect(isValidKubernetesLabelKey('cdktf-ai-infra/accelerator')).toBe(true);
    expect(isValidKubernetesLabelKey('team')).toBe(true);
    expect(isValidKubernetesLabelKey('a/b/c')).toBe(false);
    expect(isValidKubernetesLabelKey('Bad_Prefix/x')).toBe(false);
  });
});

describe('Tags facade', () => {
  test('tags AWS resources, launch-template tag specifications, GCP labels and Kubernetes labels', () => {
    const { stack } = testStack();
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    new GoogleProvider(stack, 'google', { project: 'p' });
    new KubernetesProvider(stack, 'k8s', {});
    Tags.of(stack).add('Team', 'ML Platform');
    Tags.of(stack).setCostAllocationTag('project', 'llm');
    new S3Bucket(stack, 'Bucket', { bucket: 'b', tags: { Team: 'explicit-wins' } });
    new LaunchTemplate(stack, 'Lt', {
      tagSpecifications: [{ resourceType: 'instance', tags: { Name: 'gpu' } }],
    });
    new StorageBucket(stack, 'Gcs', { name: 'g', location: 'US' });
    new ContainerNodePool(stack, 'Pool', {
      cluster: 'c',
      nodeConfig: { machineType: 'g2-standard-4', resourceLabels: { project: 'own' } },
    });
    new ConfigMapV1(stack, 'Cm', { metadata: { name: 'cm', labels: { app: 'x' } } });
    new Manifest(stack, 'Cr', { manifest: { apiVersion: 'v1', kind: 'X', metadata: { name: 'x' } } });

    const json = synthJson(stack);
    expect(json.resource!.aws_s3_bucket.Bucket.tags).toEqual({ Team: 'explicit-wins', project: 'llm' });
    const specs = json.resource!.aws_launch_template.Lt.tag_specifications;
    expect(specs).toEqual([
      { resource_type: 'instance', tags: { Name: 'gpu', Team: 'ML Platform', project: 'llm' } },
      { resource_type: 'volume', tags: { Team: 'ML Platform', project: 'llm' } },
      { resource_type: 'network-interface', tags: { Team: 'ML Platform', project: 'llm' } },
    ]);
    expect(json.resource!.aws_launch_template.Lt.tags).toEqual({ Team: 'ML Platform', project: 'llm' });
    expect(json.resource!.google_storage_bucket.Gcs.labels).toEqual({ team: 'ml_platform', project: 'llm' });
    expect(json.resource!.google_container_node_pool.Pool.node_config.resource_labels).toEqual({
      team: 'ml_platform',
      project: 'own',
    });
    expect(json.resource!.kubernetes_config_map_v1.Cm.metadata.labels).toEqual({
      Team: 'ML-Platform',
      project: 'llm',
      app: 'x',
    });
    expect(json.resource!.kubernetes_manifest.Cr.manifest.metadata.labels).toEqual({
      Team: 'ML-Platform',
      project: 'llm',
    });
    expect(Tags.of(stack).costAllocationTag).toEqual({ key: 'project', value: 'llm' });
  });

  test('labels a notification channel through user_labels, leaving its configuration labels alone', () => {
    const { stack } = testStack();
    new GoogleProvider(stack, 'google', { project: 'p' });
    Tags.of(stack).add('Team', 'ML');
    new MonitoringNotificationChannel(stack, 'Email', {
      type: 'email',
      labels: { email_address: 'a@example.com' },
    });
    const ch = synthJson(stack).resource!.google_monitoring_notification_channel.Email;
    expect(ch.labels).toEqual({ email_address: 'a@example.com' });
    expect(ch.user_labels).toEqual({ team: 'ml' });
  });

  test('throws when a tag key is empty or too long', () => {
    const { stack } = testStack();
    expect(() => Tags.of(stack).add('', 'x')).toThrow(/'Tags.add key' must not be empty/);
    expect(() => Tags.of(stack).add('k'.repeat(129), 'x')).toThrow(/keys must be 1-128/);
  });

  test('throws for characters AWS tags do not allow, an aws: key, or a null value', () => {
    const { stack } = testStack();
    expect(() => Tags.of(stack).add('cost$center', 'x')).toThrow(/characters AWS tags do not allow/);
    expect(() => Tags.of(stack).add('aws:owner', 'x')).toThrow(/not starting with 'aws:'/);
    expect(() => Tags.of(stack).add('team', null as any)).toThrow(ValidationError);
  });

  test('allows letters, digits and spaces of any script, not other symbols', () => {
    // Non-ASCII tags go past the ASCII check to the Unicode one (letters, numbers, separators).
    const { stack } = testStack();
    Tags.of(stack).add('Kostenstelle Größe', 'プロジェクト ٣');
    Tags.of(stack).add('\u{1D400}', 'a\u00A0b');
    expect(Tags.of(stack).awsTags).toEqual({
      'Kostenstelle Größe': 'プロジェクト ٣',
      '\u{1D400}': 'a\u00A0b',
    });
    expect(() => Tags.of(stack).add('cost€', 'x')).toThrow(/characters AWS tags do not allow/);
    expect(() => Tags.of(stack).add('team', 'ml\u{1F600}')).toThrow(/characters AWS tags do not allow/);
  });
});
