import {
  GpuAmiType,
  LustreWeightCache,
  LustreWeightCacheProps,
  MOUNTPOINT_S3_CSI_ADDON_VERSION,
  MountpointS3CsiDriver,
} from '../../lib/aws';
import { Accelerator, ValidationError } from '../../lib/core';
import { onlyResource, resourcesOf, synthJson } from '../util';
import { clusterStack } from './util';

function lustre(props: Partial<LustreWeightCacheProps> = {}) {
  const { stack, cluster } = clusterStack();
  const cache = new LustreWeightCache(stack, 'ModelCache', { cluster, bucketName: 'models-123', ...props });
  return { stack, cluster, cache, json: synthJson(stack) };
}

describe('LustreWeightCache', () => {
  test('defaults: 1200 GiB PERSISTENT_2 at 500 MB/s/TiB, own KMS key, protected from destroy', () => {
    const { json, cache } = lustre();
    const fs = onlyResource(json, 'aws_fsx_lustre_file_system');
    expect(fs).toMatchObject({
      deployment_type: 'PERSISTENT_2',
      storage_type: 'SSD',
      storage_capacity: 1200,
      per_unit_storage_throughput: 500,
      data_compression_type: 'LZ4',
      file_system_type_version: '2.15',
      lifecycle: { prevent_destroy: true },
    });
    expect(fs.kms_key_id).toMatch(/aws_kms_key\.ModelCache_Key_[0-9A-F]+\.arn/);
    const key = Object.entries(resourcesOf(json, 'aws_kms_key')).find(([k]) =>
      k.startsWith('ModelCache_Key'),
    )![1];
    expect(key).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    // 1200 GiB = 1.17 TiB x 500 MB/s/TiB
    expect(cache.throughputMBps).toBe(585);
    expect(cache.volumeAttributes.subPath).toBe('/models');
  });

  test('links the bucket import-only: new, changed and deleted objects, no export', () => {
    const dra = onlyResource(lustre({ bucketPrefix: 'llama/' }).json, 'aws_fsx_data_repository_association');
    expect(dra).toMatchObject({
      file_system_path: '/models',
      data_repository_path: 's3://models-123/llama/',
      batch_import_meta_data_on_create: true,
      delete_data_in_filesystem: false,
      s3: { auto_import_policy: { events: ['NEW', 'CHANGED', 'DELETED'] } },
    });
    expect(dra.s3.auto_export_policy).toBeUndefined();
  });

  test('opens 988 and 1018-1023 both ways between the file servers and the cluster security group', () => {
    const rules = Object.entries(resourcesOf(lustre().json, 'aws_vpc_security_group_ingress_rule'))
      .filter(([k]) => k.startsWith('ModelCache_'))
      .map(([, r]) => `${r.from_port}-${r.to_port}`);
    expect(rules.sort()).toEqual(['1018-1023', '1018-1023', '1018-1023', '988-988', '988-988', '988-988']);
  });

  test('installs the FSx CSI add-on', () => {
    const addons = Object.values(resourcesOf(lustre().json, 'aws_eks_addon')).map((a: any) => a.addon_name);
    expect(addons).toContain('aws-fsx-csi-driver');
  });

  test('protectFromDestroy: false lifts the protection of the file system and key', () => {
    const { json } = lustre({ protectFromDestroy: false });
    expect(onlyResource(json, 'aws_fsx_lustre_file_system').lifecycle).toEqual({ prevent_destroy: false });
  });

  test.each<[string, Partial<LustreWeightCacheProps>, RegExp]>([
    [
      'capacityGiB',
      { capacityGiB: 3000 },
      /'capacityGiB' \(3000\) must be 1200, 2400 or a multiple of 2400 .*4800/,
    ],
    ['capacityGiB', { capacityGiB: 100 }, /'capacityGiB'/],
    ['throughputMBpsPerTiB', { throughputMBpsPerTiB: 200 }, /'throughputMBpsPerTiB' \(200\)/],
    ['fileSystemTypeVersion', { fileSystemTypeVersion: '2.10' }, /'fileSystemTypeVersion' \('2.10'\)/],
    ['fileSystemPath', { fileSystemPath: '/' }, /'fileSystemPath' \('\/'\)/],
    ['bucketPrefix', { bucketPrefix: 'llama' }, /'bucketPrefix' \('llama'\)/],
    ['bucketName', { bucketName: 'Models' }, /'bucketName'/],
  ])('throws when %s is invalid', (_prop, bad, message) => {
    expect(() => lustre(bad)).toThrow(message);
    expect(() => lustre(bad)).toThrow(ValidationError);
  });
});

describe('MountpointS3CsiDriver', () => {
  function driver(props: Partial<ConstructorParameters<typeof MountpointS3CsiDriver>[2]> = {}) {
    const { stack, cluster } = clusterStack();
    new MountpointS3CsiDriver(stack, 'S3Csi', {
      cluster,
      buckets: [
        {
          bucketName: 'models-123',
          prefix: 'llama/',
          kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/abcd',
        },
      ],
      ...props,
    });
    return synthJson(stack);
  }

  test('the pinned add-on with a Pod Identity role for s3-csi-driver-sa', () => {
    const addon = Object.values(resourcesOf(driver(), 'aws_eks_addon')).find(
      (a: any) => a.addon_name === 'aws-mountpoint-s3-csi-driver',
    ) as any;
    expect(addon.addon_version).toBe(MOUNTPOINT_S3_CSI_ADDON_VERSION);
    expect(addon.pod_identity_association).toEqual([
      { role_arn: expect.stringMatching(/aws_iam_role\.S3Csi_Role/), service_account: 's3-csi-driver-sa' },
    ]);
  });

  test('the role may only list the bucket, read the prefix and decrypt with its key', () => {
    const json = driver();
    const policy = Object.entries(resourcesOf(json, 'aws_iam_role_policy')).find(([k]) =>
      k.startsWith('S3Csi'),
    )![1];
    expect(JSON.parse(policy.policy).Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: ['arn:${data.aws_partition.AwsPartition.partition}:s3:::models-123'],
      },
      {
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: ['arn:${data.aws_partition.AwsPartition.partition}:s3:::models-123/llama/*'],
      },
      { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: ['arn:aws:kms:us-east-1:111122223333:key/abcd'] },
    ]);
    const role = Object.entries(resourcesOf(json, 'aws_iam_role')).find(([k]) => k.startsWith('S3Csi'))![1];
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({
      Service: 'pods.eks.amazonaws.com',
    });
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['no buckets', { buckets: [] }, /'buckets' is empty/],
    [
      'a v1 add-on',
      { addonVersion: 'v1.15.0-eksbuild.1' },
      /'addonVersion' \('v1.15.0-eksbuild.1'\) must be a v2/,
    ],
    ['a bad prefix', { buckets: [{ bucketName: 'models-123', prefix: '/x' }] }, /'buckets\[0\].prefix'/],
    ['a bad key', { buckets: [{ bucketName: 'models-123', kmsKeyArn: 'key' }] }, /'buckets\[0\].kmsKeyArn'/],
  ])('throws with %s', (_what, bad, message) => {
    expect(() => driver(bad as any)).toThrow(message);
  });
});

describe('InferenceNodeGroup dataVolumeSnapshotId', () => {
  function group(options: Record<string, unknown>) {
    const { stack, cluster } = clusterStack();
    cluster.addInferenceNodeGroup('L40S', { accelerator: Accelerator.L40S, ...options });
    return Object.entries(resourcesOf(synthJson(stack), 'aws_launch_template')).find(([k]) =>
      k.startsWith('Cluster_L40S'),
    )![1];
  }

  test('seeds the Bottlerocket data volume from the snapshot', () => {
    const lt = group({
      amiType: GpuAmiType.BOTTLEROCKET_X86_64_NVIDIA,
      dataVolumeSnapshotId: 'snap-0123456789abcdef0',
    });
    expect(lt.block_device_mappings[0]).toMatchObject({
      device_name: '/dev/xvdb',
      ebs: { snapshot_id: 'snap-0123456789abcdef0', encrypted: 'true', volume_type: 'gp3' },
    });
  });

  test('defaults to an empty data volume', () => {
    expect(
      group({ amiType: GpuAmiType.BOTTLEROCKET_X86_64_NVIDIA }).block_device_mappings[0].ebs.snapshot_id,
    ).toBeUndefined();
  });

  test('throws on a malformed snapshot id', () => {
    expect(() =>
      group({
        amiType: GpuAmiType.BOTTLEROCKET_X86_64_NVIDIA,
        dataVolumeSnapshotId: 'ami-0123456789abcdef0',
      }),
    ).toThrow(/'dataVolumeSnapshotId'.*'snap-'/);
  });

  test('throws on AL2023, which has no separate data volume', () => {
    expect(() => group({ dataVolumeSnapshotId: 'snap-0123456789abcdef0' })).toThrow(
      /'dataVolumeSnapshotId' \(snap-0123456789abcdef0\) needs 'amiType' GpuAmiType.BOTTLEROCKET_X86_64_NVIDIA/,
    );
  });
});
