import { CheckpointStore, CheckpointStoreProps, LustreOptions } from '../../lib/aws/checkpoint-store';
import { EksCluster } from '../../lib/aws/cluster';
import { GpuNetwork } from '../../lib/aws/network';
import { onlyResource, resourcesOf, synthJson } from '../util';
import { awsStack, clusterStack } from './util';

function build(props: Partial<CheckpointStoreProps> = {}, lustre?: Partial<LustreOptions>) {
  const { stack, cluster } = clusterStack();
  const store = new CheckpointStore(stack, 'Checkpoints', {
    cluster,
    ...(lustre ? { lustre: { capacityGiB: 2400, ...lustre } } : {}),
    ...props,
  });
  return { stack, cluster, store, json: synthJson(stack) };
}

describe('CheckpointStore bucket', () => {
  test('is protected from destroy by default', () => {
    const { json } = build();
    expect(onlyResource(json, 'aws_s3_bucket')).toMatchObject({
      bucket_prefix: 'ckpt-',
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  test('protectFromDestroy: false lifts the protection', () => {
    expect(onlyResource(build({ protectFromDestroy: false }).json, 'aws_s3_bucket').lifecycle).toEqual({
      prevent_destroy: false,
    });
  });

  test('protects the bucket key from destroy with the bucket (objects are unreadable without it)', () => {
    const bucketKey = (json: any) => {
      const arn = onlyResource(json, 'aws_s3_bucket_server_side_encryption_configuration').rule[0]
        .apply_server_side_encryption_by_default.kms_master_key_id;
      return resourcesOf(json, 'aws_kms_key')[/aws_kms_key\.([^.]+)\.arn/.exec(arn)![1]];
    };
    expect(bucketKey(build().json).lifecycle).toEqual({ prevent_destroy: true });
    expect(bucketKey(build({ protectFromDestroy: false }).json).lifecycle).toEqual({
      prevent_destroy: false,
    });
  });

  test('is versioned', () => {
    expect(onlyResource(build().json, 'aws_s3_bucket_versioning').versioning_configuration).toEqual({
      status: 'Enabled',
    });
  });

  test('is encrypted with a rotating KMS key and a bucket key', () => {
    const { json } = build();
    expect(onlyResource(json, 'aws_s3_bucket_server_side_encryption_configuration').rule).toEqual([
      {
        apply_server_side_encryption_by_default: {
          sse_algorithm: 'aws:kms',
          kms_master_key_id: expect.stringContaining('aws_kms_key.'),
        },
        bucket_key_enabled: true,
      },
    ]);
    const key = Object.values(resourcesOf(json, 'aws_kms_key')).find((k) =>
      /Checkpoints/.test(k.description),
    );
    expect(key.enable_key_rotation).toBe(true);
  });

  test('blocks public access and enforces bucket-owner objects', () => {
    const { json } = build();
    expect(onlyResource(json, 'aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(onlyResource(json, 'aws_s3_bucket_ownership_controls').rule).toEqual({
      object_ownership: 'BucketOwnerEnforced',
    });
  });

  test('denies requests without TLS', () => {
    const policy = JSON.parse(onlyResource(build().json, 'aws_s3_bucket_policy').policy);
    expect(policy.Statement[0]).toMatchObject({
      Effect: 'Deny',
      Action: 's3:*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
  });

  test('defaults lifecycle: Standard-IA at 30 days, Glacier IR at 90, old versions after 30', () => {
    const rule = onlyResource(build().json, 'aws_s3_bucket_lifecycle_configuration').rule[0];
    expect(rule.transition).toEqual([
      { days: 30, storage_class: 'STANDARD_IA' },
      { days: 90, storage_class: 'GLACIER_IR' },
    ]);
    expect(rule.noncurrent_version_expiration).toEqual([{ noncurrent_days: 30 }]);
    expect(rule.abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: 7 }]);
  });

  test('throws for a Standard-IA transition before 30 days', () => {
    expect(() => build({ infrequentAccessAfterDays: 7 })).toThrow(
      /'infrequentAccessAfterDays' \(7\) must be a whole number from 30/,
    );
  });

  test('throws for a Glacier IR transition less than 30 days after Standard-IA', () => {
    expect(() => build({ glacierInstantRetrievalAfterDays: 45 })).toThrow(
      /'glacierInstantRetrievalAfterDays' \(45\) must be a whole number from 60/,
    );
  });

  test('throws for an invalid bucket name', () => {
    expect(() => build({ bucketName: 'Checkpoints_Bucket' })).toThrow(
      /'bucketName' \('Checkpoints_Bucket'\) is not a valid S3 bucket name/,
    );
  });

  test('grants the cluster node role read-write', () => {
    const grant = Object.values(resourcesOf(build().json, 'aws_iam_role_policy')).find((p) =>
      /Cluster_NodeRole_/.test(p.role),
    );
    const policy = JSON.parse(grant.policy);
    expect(policy.Statement[0].Action).toEqual(
      expect.arrayContaining(['s3:PutObject', 's3:GetObject', 's3:ListBucket']),
    );
    expect(policy.Statement[1].Action).toEqual(
      expect.arrayContaining(['kms:GenerateDataKey', 'kms:Decrypt']),
    );
  });

  test('grantRead grants no write actions', () => {
    const stack = awsStack();
    const store = new CheckpointStore(stack, 'C');
    store.grantRead({ roleName: 'reader', roleArn: 'arn:aws:iam::111122223333:role/reader' });
    const policy = JSON.parse(onlyResource(synthJson(stack), 'aws_iam_role_policy').policy);
    expect(policy.Statement[0].Action).not.toContain('s3:PutObject');
  });

  test('works without a cluster', () => {
    const stack = awsStack();
    new CheckpointStore(stack, 'C');
    expect(resourcesOf(synthJson(stack), 'aws_fsx_lustre_file_system')).toEqual({});
  });
});

describe('CheckpointStore lustre', () => {
  test('defaults to PERSISTENT_2 SSD, 250 MB/s/TiB, LZ4, Lustre 2.15, protected', () => {
    expect(onlyResource(build({}, {}).json, 'aws_fsx_lustre_file_system')).toMatchObject({
      deployment_type: 'PERSISTENT_2',
      storage_type: 'SSD',
      storage_capacity: 2400,
      per_unit_storage_throughput: 250,
      data_compression_type: 'LZ4',
      file_system_type_version: '2.15',
      lifecycle: { prevent_destroy: true },
    });
  });

  test('uses the one training subnet', () => {
    expect(onlyResource(build({}, {}).json, 'aws_fsx_lustre_file_system').subnet_ids).toEqual([
      expect.stringContaining('Network_TrainingSubnet'),
    ]);
  });

  test.each([1200, 2400, 4800, 9600])('accepts %d GiB', (capacityGiB) => {
    expect(() => build({}, { capacityGiB })).not.toThrow();
  });

  test.each([1000, 3600, 5000])('throws for %d GiB', (capacityGiB) => {
    expect(() => build({}, { capacityGiB })).toThrow(
      /'lustre.capacityGiB' \(\d+\) must be 1200, 2400 or a multiple of 2400/,
    );
  });

  test.each([125, 250, 500, 1000])('accepts %d MB/s/TiB', (throughputMBpsPerTiB) => {
    expect(() => build({}, { throughputMBpsPerTiB })).not.toThrow();
  });

  test('throws for a Lustre version PERSISTENT_2 does not run', () => {
    // FSx API FileSystemTypeVersion: 2.10 is Scratch / PERSISTENT_1 only.
    expect(() => build({}, { fileSystemTypeVersion: '2.10' })).toThrow(
      /'lustre.fileSystemTypeVersion' \('2.10'\) must be one of 2.12, 2.15/,
    );
  });

  test('throws for 200 MB/s/TiB (a PERSISTENT_1 value)', () => {
    expect(() => build({}, { throughputMBpsPerTiB: 200 })).toThrow(/must be one of 125, 250, 500, 1000/);
  });

  test('opens 988 and 1018-1023 to itself and to the cluster nodes', () => {
    const rules = Object.values(
      resourcesOf(build({}, {}).json, 'aws_vpc_security_group_ingress_rule'),
    ).filter((r) => /Checkpoints_FileSystemSecurityGroup/.test(r.security_group_id));
    const ports = rules.map(
      (r) =>
        `${r.from_port}-${r.to_port} ${/cluster_security_group_id/.test(r.referenced_security_group_id) ? 'nodes' : 'self'}`,
    );
    expect(ports.sort()).toEqual(['1018-1023 nodes', '1018-1023 self', '988-988 nodes', '988-988 self']);
  });

  test('opens 988 and 1018-1023 on the nodes (cluster security group) to the file servers', () => {
    // FSx LustreGuide "Lustre client VPC security group rules": the clients' security groups
    // must admit the file servers on both port ranges (servers call back to clients).
    const rules = Object.values(
      resourcesOf(build({}, {}).json, 'aws_vpc_security_group_ingress_rule'),
    ).filter((r) => /cluster_security_group_id/.test(r.security_group_id));
    const fromServers = rules
      .filter((r) =>
        /aws_security_group\.Checkpoints_FileSystemSecurityGroup/.test(r.referenced_security_group_id),
      )
      .map((r) => `${r.ip_protocol} ${r.from_port}-${r.to_port}`);
    expect(fromServers.sort()).toEqual(['tcp 1018-1023', 'tcp 988-988']);
  });

  test('links /checkpoints to the bucket with automatic import and export', () => {
    const dra = onlyResource(build({}, {}).json, 'aws_fsx_data_repository_association');
    expect(dra).toMatchObject({
      file_system_path: '/checkpoints',
      data_repository_path: expect.stringMatching(/^s3:\/\/\$\{aws_s3_bucket\..+\.bucket\}\/checkpoints\/$/),
      batch_import_meta_data_on_create: true,
      s3: {
        auto_import_policy: { events: ['NEW', 'CHANGED', 'DELETED'] },
        auto_export_policy: { events: ['NEW', 'CHANGED', 'DELETED'] },
      },
    });
  });

  test('creates several DRAs one after another', () => {
    const json = build(
      {},
      {
        dataRepositories: [
          { fileSystemPath: '/checkpoints', bucketPrefix: 'checkpoints/' },
          { fileSystemPath: '/datasets', bucketPrefix: 'datasets/' },
          { fileSystemPath: '/models', bucketPrefix: 'models/' },
        ],
      },
    ).json;
    const dras = Object.entries(resourcesOf(json, 'aws_fsx_data_repository_association'));
    expect(dras[0][1].depends_on).toBeUndefined();
    expect(dras[1][1].depends_on).toEqual([`aws_fsx_data_repository_association.${dras[0][0]}`]);
    expect(dras[2][1].depends_on).toEqual([`aws_fsx_data_repository_association.${dras[1][0]}`]);
  });

  test('throws for a DRA at the root or repeated', () => {
    expect(() => build({}, { dataRepositories: [{ fileSystemPath: '/', bucketPrefix: '' }] })).toThrow(
      /fileSystemPath '\/' must be a unique absolute directory/,
    );
    expect(() =>
      build(
        {},
        {
          dataRepositories: [
            { fileSystemPath: '/a', bucketPrefix: 'a/' },
            { fileSystemPath: '/a', bucketPrefix: 'b/' },
          ],
        },
      ),
    ).toThrow(/fileSystemPath '\/a'/);
  });

  test('throws for a bucket prefix without a trailing slash', () => {
    expect(() => build({}, { dataRepositories: [{ fileSystemPath: '/a', bucketPrefix: 'a' }] })).toThrow(
      /bucketPrefix 'a' must end with '\/'/,
    );
  });

  test('installs the FSx CSI driver add-on with Pod Identity', () => {
    const addon = Object.values(resourcesOf(build({}, {}).json, 'aws_eks_addon')).find(
      (a) => a.addon_name === 'aws-fsx-csi-driver',
    );
    expect(addon.pod_identity_association).toEqual([
      { role_arn: expect.any(String), service_account: 'fsx-csi-controller-sa' },
    ]);
  });

  test('throws for lustre without a subnet when the network has no training subnet', () => {
    const stack = awsStack();
    const net = new GpuNetwork(stack, 'Net', { availabilityZones: ['us-east-1a', 'us-east-1b'] });
    const cluster = new EksCluster(stack, 'Cluster', { network: net });
    expect(() => new CheckpointStore(stack, 'C', { cluster, lustre: { capacityGiB: 1200 } })).toThrow(
      /'lustre.subnet' is required when the network has no training subnet/,
    );
  });

  test('throws for lustre without a cluster', () => {
    expect(() => new CheckpointStore(awsStack(), 'C', { lustre: { capacityGiB: 1200 } })).toThrow(
      /'lustre' needs 'cluster'/,
    );
  });
});

describe('CheckpointStore lustre limits', () => {
  test('throws for more than 8 data repository associations', () => {
    const dataRepositories = Array.from({ length: 9 }, (_, i) => ({
      fileSystemPath: `/d${i}`,
      bucketPrefix: `d${i}/`,
    }));
    expect(() => build({}, { dataRepositories })).toThrow(/has 9 entries; a file system takes 1 to 8/);
  });
});

describe('CheckpointStore DRA overlap', () => {
  test('throws for nested file system paths', () => {
    expect(() =>
      build(
        {},
        {
          dataRepositories: [
            { fileSystemPath: '/data', bucketPrefix: 'data/' },
            { fileSystemPath: '/data/ckpt', bucketPrefix: 'ckpt/' },
          ],
        },
      ),
    ).toThrow(/paths '\/data' and '\/data\/ckpt' overlap/);
  });

  test('throws for a bucket prefix used twice', () => {
    expect(() =>
      build(
        {},
        {
          dataRepositories: [
            { fileSystemPath: '/a', bucketPrefix: 'x/' },
            { fileSystemPath: '/b', bucketPrefix: 'x/' },
          ],
        },
      ),
    ).toThrow(/bucketPrefix 'x\/' is used twice/);
  });
});

describe('CheckpointStore key policy', () => {
  test('lets account principals use the key only through S3 (for the FSx service-linked role)', () => {
    const key = Object.values(resourcesOf(build().json, 'aws_kms_key')).find((k) =>
      /Checkpoints/.test(k.description),
    );
    const statements = JSON.parse(key.policy).Statement;
    expect(statements[0]).toMatchObject({ Sid: 'AccountAdmin', Action: 'kms:*' });
    expect(statements[1]).toMatchObject({
      Sid: 'AccountPrincipalsThroughS3',
      Condition: {
        StringLike: { 'kms:ViaService': 's3.*.amazonaws.com' },
        StringEquals: { 'kms:CallerAccount': expect.stringContaining('aws_caller_identity') },
      },
    });
  });

  test('encrypts the file system with the bucket key', () => {
    expect(onlyResource(build({}, {}).json, 'aws_fsx_lustre_file_system').kms_key_id).toContain(
      'aws_kms_key.Checkpoints_Bucket_Key',
    );
  });
});
