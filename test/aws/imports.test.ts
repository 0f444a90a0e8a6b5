import { TerraformOutput, TerraformStack } from 'cdktf';
import { AlertTopic, KmsKeyReference } from '../../lib/aws/alert-topic';
import { BudgetAlarm } from '../../lib/aws/budget-alarm';
import { CheckpointStore } from '../../lib/aws/checkpoint-store';
import { EksClusterAttributes } from '../../lib/aws/cluster';
import { InferenceNodeGroup } from '../../lib/aws/inference-node-group';
import { Monitoring } from '../../lib/aws/monitoring';
import { Registry } from '../../lib/aws/registry';
import { PlacementGroupReference } from '../../lib/aws/placement-group';
import { TrainingNodeGroup } from '../../lib/aws/training-node-group';
import { Accelerator, Capacity, ValidationError } from '../../lib/core';
import { onlyResource, resourcesOf, synthJson } from '../util';
import { awsStack, hasWarning, IMPORTED_NODE_ROLE, importedCluster } from './util';

const NODE_ROLE = IMPORTED_NODE_ROLE;

const imported = importedCluster;

describe('EksCluster.fromClusterAttributes', () => {
  // One fixture for the tests that only read it.
  const stack = awsStack();
  const cluster = imported(stack, { kubernetesVersion: '1.34' });
  const group = new InferenceNodeGroup(stack, 'L40S', {
    cluster,
    accelerator: Accelerator.L40S,
    maxNodes: 4,
  });
  const json = synthJson(stack);

  test('reads the cluster through an aws_eks_cluster data source and creates no cluster', () => {
    expect(onlyResource({ resource: json.data }, 'aws_eks_cluster')).toEqual({ name: 'ml-prod' });
    expect(json.resource?.aws_eks_cluster).toBeUndefined();
  });

  test('node groups join it with its name and node role', () => {
    const ng = onlyResource(json, 'aws_eks_node_group');
    expect(ng.cluster_name).toBe('ml-prod');
    expect(ng.node_role_arn).toBe(NODE_ROLE);
    expect(ng.subnet_ids).toEqual(['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb']);
    expect(group.node.path).toBe('test/L40S');
  });

  test('derives the node role name from the ARN (the last path segment)', () => {
    expect(cluster.nodeRole).toEqual({ roleArn: NODE_ROLE, roleName: 'ml-prod-nodes' });
  });

  test('defaults the cluster security group and Kubernetes version to the data source', () => {
    const s = awsStack();
    const c = imported(s);
    new EksClusterTestOutputs(s, c);
    const out = synthJson(s).output!;
    expect(out.sg.value).toMatch(
      /data\.aws_eks_cluster\.Cluster_[A-F0-9]+\.vpc_config\[0\]\.cluster_security_group_id/,
    );
    expect(out.version.value).toMatch(/data\.aws_eks_cluster\.Cluster_[A-F0-9]+\.version/);
    expect(c.nodeAutoRepair).toBe(false);
  });

  test('defaults the OIDC provider ARN to the one IAM gives the issuer, in the provider partition', () => {
    const s = awsStack();
    const c = imported(s);
    new EksClusterTestOutputs(s, c);
    const v = synthJson(s).output!.oidc.value as string;
    expect(v).toMatch(
      /^arn:\$\{data\.aws_partition\.AwsPartition\.partition\}:iam::\$\{data\.aws_caller_identity\.Cluster_Account_[A-F0-9]+\.account_id\}:oidc-provider\/\$\{replace\(/,
    );
  });

  test('gives a Kubernetes provider configuration from the data source', () => {
    const s = awsStack();
    const c = imported(s);
    const cfg = c.kubernetesProviderConfig();
    expect(cfg.exec.args).toEqual(['eks', 'get-token', '--cluster-name', 'ml-prod', '--region', 'us-east-1']);
    new EksClusterTestOutputs(s, c);
    expect(synthJson(s).output!.host.value).toMatch(/data\.aws_eks_cluster\.Cluster_[A-F0-9]+\.endpoint/);
  });

  test('a training node group and its checkpoint grant work on it', () => {
    const s = awsStack();
    const c = imported(s);
    const ckpt = CheckpointStore.fromBucketName(s, 'Ckpt', 'acme-ckpt');
    new TrainingNodeGroup(s, 'H100', {
      cluster: c,
      accelerator: Accelerator.H100,
      nodes: 2,
      checkpoints: ckpt,
    });
    const j = synthJson(s);
    expect(onlyResource(j, 'aws_eks_node_group').cluster_name).toBe('ml-prod');
    const policy = onlyResource(j, 'aws_iam_role_policy');
    expect(policy.role).toBe('ml-prod-nodes');
  });

  test('throws for a Lustre checkpoint store unless the FSx CSI driver is installed', () => {
    const s = awsStack();
    const c = imported(s);
    expect(() => new CheckpointStore(s, 'Ckpt', { cluster: c, lustre: { capacityGiB: 2400 } })).toThrow(
      /not owned by this app and 'fsxCsiDriverInstalled' is not true/,
    );
    const s2 = awsStack();
    const c2 = imported(s2, { fsxCsiDriverInstalled: true });
    new CheckpointStore(s2, 'Ckpt', { cluster: c2, lustre: { capacityGiB: 2400 } });
    expect(resourcesOf(synthJson(s2), 'aws_eks_addon')).toEqual({});
  });

  test('throws for EFA training on a VPC CNI older than v1.18.5', () => {
    const s = awsStack();
    const c = imported(s, { vpcCniVersion: 'v1.18.3-eksbuild.1' });
    expect(
      () => new TrainingNodeGroup(s, 'H100', { cluster: c, accelerator: Accelerator.H100, nodes: 2 }),
    ).toThrow(/'vpcCniVersion' \(v1.18.3-eksbuild.1\) of cluster ml-prod is older than v1.18.5/);
  });

  test.each<[string, Partial<EksClusterAttributes>, RegExp]>([
    ['clusterName', { clusterName: '-bad name' }, /'clusterName' \('-bad name'\) must be 1-100 characters/],
    [
      'nodeRoleArn',
      { nodeRoleArn: 'arn:aws:iam::111122223333:user/bob' },
      /'nodeRoleArn' .* is not an ARN of iam 'role\/\.\.\.'/,
    ],
    ['kubernetesVersion', { kubernetesVersion: '1.31' }, /'kubernetesVersion' \(1.31\) is older than 1.33/],
    [
      'clusterSecurityGroupId',
      { clusterSecurityGroupId: 'sg-1' },
      /'clusterSecurityGroupId' .* is not an EC2 sg id/,
    ],
    [
      'oidcProviderArn',
      { oidcProviderArn: 'arn:aws:iam::111122223333:role/x' },
      /'oidcProviderArn' .* is not an ARN of iam 'oidc-provider/,
    ],
    [
      'vpcCniVersion',
      { vpcCniVersion: '1.20' },
      /'vpcCniVersion' \('1.20'\) must look like 'v1.20.4-eksbuild.1'/,
    ],
    ['nodeAutoRepair', { nodeAutoRepair: 'yes' as unknown as boolean }, /'nodeAutoRepair'/],
  ])('throws a ValidationError for a bad %s', (_prop, attrs, message) => {
    const s = awsStack();
    let err: unknown;
    try {
      imported(s, attrs);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect(String((err as Error).message)).toMatch(message);
  });
});

describe('CheckpointStore.fromStoreAttributes', () => {
  const role = { roleName: 'trainer', roleArn: 'arn:aws:iam::111122223333:role/trainer' };

  test('grants on the bucket with partition-aware ARNs and no key statement by default', () => {
    const s = awsStack();
    CheckpointStore.fromBucketName(s, 'Ckpt', 'acme-ckpt').grantRead(role);
    const policy = JSON.parse(onlyResource(synthJson(s), 'aws_iam_role_policy').policy);
    expect(policy.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:GetBucketLocation'],
        Resource: [
          'arn:${data.aws_partition.AwsPartition.partition}:s3:::acme-ckpt',
          'arn:${data.aws_partition.AwsPartition.partition}:s3:::acme-ckpt/*',
        ],
      },
    ]);
    expect(resourcesOf(synthJson(s), 'aws_s3_bucket')).toEqual({});
  });

  test('a read-write grant includes the bucket key', () => {
    const s = awsStack();
    const key = 'arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    CheckpointStore.fromStoreAttributes(s, 'Ckpt', {
      bucketName: 'acme-ckpt',
      kmsKeyArn: key,
    }).grantReadWrite(role);
    const policy = JSON.parse(onlyResource(synthJson(s), 'aws_iam_role_policy').policy);
    expect(policy.Statement[1]).toEqual({
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:Encrypt'],
      Resource: [key],
    });
    expect(policy.Statement[0].Action).toContain('s3:PutObject');
  });

  test('monitoring alarms on the free space of its file system', () => {
    const s = awsStack();
    const ckpt = CheckpointStore.fromStoreAttributes(s, 'Ckpt', {
      bucketName: 'acme-ckpt',
      lustre: { fileSystemId: 'fs-0123456789abcdef0', capacityGiB: 2400, availabilityZone: 'us-east-1a' },
    });
    const m = new Monitoring(s, 'Monitoring', { region: 'us-east-1', emails: ['oncall@example.com'] });
    m.alarmOnFileSystemFreeSpace(ckpt);
    const alarm = onlyResource(synthJson(s), 'aws_cloudwatch_metric_alarm');
    expect(alarm.dimensions).toEqual({ FileSystemId: 'fs-0123456789abcdef0' });
    expect(alarm.threshold).toBe(Math.floor(2400 * 1024 ** 3 * 0.1));
  });

  test('defaults to no file system', () => {
    const ckpt = CheckpointStore.fromBucketName(awsStack(), 'Ckpt', 'acme-ckpt');
    expect(ckpt.fileSystemId).toBeUndefined();
    expect(ckpt.lustreCapacityGiB).toBe(0);
  });

  test.each<[string, () => void, RegExp]>([
    ['bucketName', () => CheckpointStore.fromBucketName(awsStack(), 'C', 'Bad_Bucket'), /'bucketName'/],
    [
      'kmsKeyArn',
      () =>
        CheckpointStore.fromStoreAttributes(awsStack(), 'C', {
          bucketName: 'acme-ckpt',
          kmsKeyArn: 'alias/x',
        }),
      /'kmsKeyArn'/,
    ],
    [
      'lustre.fileSystemId',
      () =>
        CheckpointStore.fromStoreAttributes(awsStack(), 'C', {
          bucketName: 'acme-ckpt',
          lustre: { fileSystemId: 'fsx-1', capacityGiB: 2400, availabilityZone: 'us-east-1a' },
        }),
      /'lustre.fileSystemId'/,
    ],
    [
      'lustre.availabilityZone',
      () =>
        CheckpointStore.fromStoreAttributes(awsStack(), 'C', {
          bucketName: 'acme-ckpt',
          lustre: { fileSystemId: 'fs-0123456789abcdef0', capacityGiB: 2400, availabilityZone: 'use1-az1' },
        }),
      /'lustre.availabilityZone'/,
    ],
  ])('throws a ValidationError for a bad %s', (_p, build, message) => {
    expect(build).toThrow(ValidationError);
    expect(build).toThrow(message);
  });
});

describe('AlertTopic.fromTopicAttributes', () => {
  const arn = 'arn:aws:sns:us-east-1:111122223333:ml-alerts';

  test('a budget notifies it and warns what its policies must allow', () => {
    const s = awsStack();
    const topic = AlertTopic.fromTopicAttributes(s, 'Alerts', {
      topicArn: arn,
      keyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
    new BudgetAlarm(s, 'Budget', { monthlyLimitUsd: 1000, topic });
    const budget = onlyResource(synthJson(s), 'aws_budgets_budget');
    expect(budget.notification[0].subscriber_sns_topic_arns).toEqual([arn]);
    expect(hasWarning(s, 'aws-alert-topic-imported')).toBe(true);
    expect(resourcesOf(synthJson(s), 'aws_sns_topic_policy')).toEqual({});
  });

  test('throws a ValidationError for a topic ARN of another service', () => {
    expect(() =>
      AlertTopic.fromTopicAttributes(awsStack(), 'A', { topicArn: 'arn:aws:sqs:us-east-1:111122223333:q' }),
    ).toThrow(/'topicArn' .* is not an ARN of sns/);
  });

  test('throws a ValidationError for a bad publisher', () => {
    const t = AlertTopic.fromTopicAttributes(awsStack(), 'A', { topicArn: arn });
    expect(() => t.allowPublishFrom('budgets')).toThrow(/is not an AWS service principal/);
  });
});

describe('Registry.fromRegistryAttributes', () => {
  const role = { roleName: 'nodes', roleArn: 'arn:aws:iam::111122223333:role/nodes' };
  const repo = 'arn:aws:ecr:us-east-1:111122223333:repository/vllm-serving';

  test('grantPull reads the given repositories (and decrypts with their key)', () => {
    const s = awsStack();
    const key = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    Registry.fromRegistryAttributes(s, 'Images', { repositoryArns: [repo], kmsKeyArn: key }).grantPull(role);
    expect(JSON.parse(onlyResource(synthJson(s), 'aws_iam_role_policy').policy).Statement).toEqual([
      { Effect: 'Allow', Action: ['ecr:GetAuthorizationToken'], Resource: '*' },
      { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [key] },
      {
        Effect: 'Allow',
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
        Resource: [repo],
      },
    ]);
  });

  test('model grants use the model bucket ARN in the provider partition', () => {
    const s = awsStack();
    Registry.fromRegistryAttributes(s, 'Images', { modelBucketName: 'acme-models' }).grantReadModels(role);
    const st = JSON.parse(onlyResource(synthJson(s), 'aws_iam_role_policy').policy).Statement;
    expect(st[0].Resource).toEqual([
      'arn:${data.aws_partition.AwsPartition.partition}:s3:::acme-models',
      'arn:${data.aws_partition.AwsPartition.partition}:s3:::acme-models/*',
    ]);
  });

  test.each<[string, () => void, RegExp]>([
    [
      'repositoryArns',
      () => Registry.fromRegistryAttributes(awsStack(), 'R', { repositoryArns: ['arn:aws:s3:::x'] }),
      /'repositoryArns\[0\]'/,
    ],
    [
      'empty',
      () => Registry.fromRegistryAttributes(awsStack(), 'R', {}),
      /give 'repositoryArns' or 'modelBucketName'/,
    ],
    [
      'modelBucketKmsKeyArn',
      () =>
        Registry.fromRegistryAttributes(awsStack(), 'R', {
          repositoryArns: [repo],
          modelBucketKmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        }),
      /'modelBucketKmsKeyArn' is set without 'modelBucketName'/,
    ],
    [
      'grantWriteModels',
      () =>
        Registry.fromRegistryAttributes(awsStack(), 'R', { repositoryArns: [repo] }).grantWriteModels(role),
      /grantWriteModels: this registry has no model bucket/,
    ],
    [
      'grantPull',
      () =>
        Registry.fromRegistryAttributes(awsStack(), 'R', { modelBucketName: 'acme-models' }).grantPull(role),
      /grantPull: this registry has no 'repositoryArns'/,
    ],
  ])('throws a ValidationError for %s', (_p, build, message) => {
    expect(build).toThrow(ValidationError);
    expect(build).toThrow(message);
  });
});

describe('existingPlacementGroup', () => {
  const odcr = Capacity.reservation('cr-0123456789abcdef0');

  test('launches in the existing group, creates none and does not warn for its reservation', () => {
    const s = awsStack();
    const c = imported(s);
    const g = new TrainingNodeGroup(s, 'H100', {
      cluster: c,
      accelerator: Accelerator.H100,
      nodes: 2,
      capacity: odcr,
      existingPlacementGroup: PlacementGroupReference.fromPlacementGroupName('h100-odcr'),
    });
    const j = synthJson(s);
    expect(onlyResource(j, 'aws_launch_template').placement).toEqual({ group_name: 'h100-odcr' });
    expect(resourcesOf(j, 'aws_placement_group')).toEqual({});
    expect(g.placementGroupName).toBe('h100-odcr');
    expect(hasWarning(s, 'aws-reservation-placement-group')).toBe(false);
  });

  test('defaults to no placement group for a reservation', () => {
    const s = awsStack();
    const g = new TrainingNodeGroup(s, 'H100', {
      cluster: imported(s),
      accelerator: Accelerator.H100,
      nodes: 2,
      capacity: odcr,
    });
    expect(g.placementGroupName).toBeUndefined();
    expect(onlyResource(synthJson(s), 'aws_launch_template').placement).toBeUndefined();
  });

  test('throws with placementGroup: false', () => {
    const s = awsStack();
    expect(
      () =>
        new TrainingNodeGroup(s, 'H100', {
          cluster: imported(s),
          accelerator: Accelerator.H100,
          nodes: 2,
          placementGroup: false,
          existingPlacementGroup: PlacementGroupReference.fromPlacementGroupName('pg'),
        }),
    ).toThrow(/'existingPlacementGroup' is set but 'placementGroup' is false/);
  });

  test('PlacementGroupReference.fromPlacementGroupName throws a ValidationError for an empty or non-ASCII name', () => {
    expect(() => PlacementGroupReference.fromPlacementGroupName('')).toThrow(ValidationError);
    expect(() => PlacementGroupReference.fromPlacementGroupName('gruppe-ü')).toThrow(/printable ASCII/);
  });
});

describe('KmsKeyReference.fromKeyArn', () => {
  test('returns the key ARN', () => {
    const k = 'arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(KmsKeyReference.fromKeyArn(k)).toEqual({ keyArn: k });
  });

  test('throws a ValidationError for an alias ARN', () => {
    expect(() => KmsKeyReference.fromKeyArn('arn:aws:kms:us-east-1:111122223333:alias/x')).toThrow(
      /'keyArn' .* is not an ARN of kms 'key\/\.\.\.'/,
    );
  });
});

/** Outputs of an imported cluster's attributes, to read their references. */
class EksClusterTestOutputs {
  constructor(stack: TerraformStack, c: ReturnType<typeof imported>) {
    new TerraformOutput(stack, 'sg', { value: c.clusterSecurityGroupId });
    new TerraformOutput(stack, 'version', { value: c.kubernetesVersion });
    new TerraformOutput(stack, 'oidc', { value: c.oidcProviderArn });
    new TerraformOutput(stack, 'host', { value: c.kubernetesProviderConfig().host });
  }
}
