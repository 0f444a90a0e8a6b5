import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { CheckpointStore, EksCluster, GpuNetwork, Monitoring, Registry } from '../../lib/aws';
import { Accelerator, ModelSpec, Quantization, sizeModel } from '../../lib/core';
import { resourcesOf, synthJson, validationErrorOf } from '../util';
import { awsStack, clusterStack, network } from './util';

// Issue 10 §2 "Also found" on AWS: each test fails before its fix.

describe('AWS grants', () => {
  test('grantRead twice and grantReadWrite give one merged policy per role, with an id from the role', () => {
    const { stack, cluster } = clusterStack();
    const ckpt = new CheckpointStore(stack, 'Checkpoints', {});
    const role = cluster.addWorkloadRole('Trainer', { namespace: 'training', serviceAccount: 'trainer' });
    const a = ckpt.grantRead(role);
    const b = ckpt.grantRead(role);
    const c = ckpt.grantReadWrite(role);
    expect(a).toBe(b);
    expect(a).toBe(c);
    const policies = Object.entries(resourcesOf(synthJson(stack), 'aws_iam_role_policy')).filter(([k]) =>
      k.startsWith('Checkpoints_Grant'),
    );
    expect(policies.map(([k]) => k)).toEqual([
      expect.stringMatching(/^Checkpoints_GrantTrainer[0-9a-f]{8}_/),
    ]);
    const statements = JSON.parse(policies[0][1].policy).Statement;
    expect(statements).toHaveLength(4); // read and read-write statements, each once
  });

  test('reordering grants to two roles keeps both construct ids', () => {
    const ids = (order: 'ab' | 'ba'): string[] => {
      const { stack, cluster } = clusterStack();
      const registry = new Registry(stack, 'Registry', { repositories: ['serving'] });
      const a = cluster.addWorkloadRole('A', { namespace: 'a', serviceAccount: 'a' });
      const b = cluster.addWorkloadRole('B', { namespace: 'b', serviceAccount: 'b' });
      for (const r of order === 'ab' ? [a, b] : [b, a]) registry.grantPull(r);
      registry.grantPull(cluster.nodeRole);
      return Object.keys(resourcesOf(synthJson(stack), 'aws_iam_role_policy'))
        .filter((k) => k.startsWith('Registry_Grant'))
        .sort();
    };
    expect(ids('ab')).toEqual(ids('ba'));
    expect(ids('ab')).toHaveLength(3);
  });

  test('a role given as a plain object with an unresolvable name is refused', () => {
    const stack = awsStack();
    const mon = new Monitoring(stack, 'Monitoring', { region: 'us-east-1', emails: ['a@example.com'] });
    expect(
      mon.grantRemoteWrite({ roleName: 'ext-role', roleArn: 'arn:aws:iam::123456789012:role/ext-role' }),
    ).toBe(
      mon.grantRemoteWrite({ roleName: 'ext-role', roleArn: 'arn:aws:iam::123456789012:role/ext-role' }),
    );
  });
});

describe('partition-aware ARNs', () => {
  test('managed policy and access policy ARNs use the aws_partition data source', () => {
    const { stack } = clusterStack({ adminPrincipalArns: ['arn:aws-us-gov:iam::123456789012:role/admin'] });
    const json = synthJson(stack);
    expect(json.data?.aws_partition).toBeDefined();
    const arns = Object.values(resourcesOf(json, 'aws_iam_role_policy_attachment')).map(
      (a: any) => a.policy_arn,
    );
    expect(arns.length).toBeGreaterThan(0);
    for (const a of arns)
      expect(a).toMatch(/^arn:\$\{data\.aws_partition\.AwsPartition\.partition\}:iam::aws:policy\//);
    expect(JSON.stringify(json)).not.toMatch(/"arn:aws:/);
  });
});

describe('EksCluster outputs', () => {
  test('two clusters with the same id under different parents get distinct outputs', () => {
    const stack = awsStack();
    const net = network(stack);
    new EksCluster(new Construct(stack, 'Blue'), 'Cluster', { network: net, clusterName: 'blue' });
    new EksCluster(new Construct(stack, 'Green'), 'Cluster', { network: net, clusterName: 'green' });
    const outputs = Object.keys(synthJson(stack).output ?? {});
    expect(outputs).toEqual(expect.arrayContaining(['blue_cluster_name', 'green_cluster_name']));
    expect(outputs).toHaveLength(8);
  });
  test('a cluster directly under the stack keeps <id>_name', () => {
    const { stack } = clusterStack();
    expect(Object.keys(synthJson(stack).output ?? {})).toContain('cluster_name');
  });
  test('paths that only differ in characters an output cannot hold are an error', () => {
    const stack = awsStack();
    const net = network(stack);
    new EksCluster(new Construct(stack, 'a-b'), 'C', { network: net, clusterName: 'one' });
    const e = validationErrorOf(
      () => new EksCluster(new Construct(stack, 'a_b'), 'C', { network: net, clusterName: 'two' }),
    );
    expect(e.code).toBe('duplicate');
    expect(e.message).toMatch(/would be named 'a_b_c_\*'/);
  });
});

describe('duplicate construct ids from user lists', () => {
  test('the same managed policy twice, or two that share an id, is a ValidationError', () => {
    const { cluster } = clusterStack();
    expect(
      validationErrorOf(() =>
        cluster.addWorkloadRole('R', {
          namespace: 'a',
          serviceAccount: 'a',
          managedPolicies: ['AmazonS3ReadOnlyAccess', 'AmazonS3ReadOnlyAccess'],
        }),
      ).code,
    ).toBe('duplicate');
    expect(
      validationErrorOf(() =>
        cluster.addWorkloadRole('S', { namespace: 'a', serviceAccount: 'a', managedPolicies: ['a/b', 'ab'] }),
      ).code,
    ).toBe('duplicate');
  });
  test("repositories 'a/b' and 'a_b' would share an id", () => {
    const e = validationErrorOf(() => new Registry(awsStack(), 'Registry', { repositories: ['a/b', 'a_b'] }));
    expect(e.code).toBe('duplicate');
    expect(e.message).toContain(`'repositories' lists 'a/b' and 'a_b'`);
  });
});

describe('messages name the prop the user set', () => {
  test('modelBucketName, not bucketName', () => {
    expect(
      () => new Registry(awsStack(), 'Registry', { repositories: ['x1'], modelBucketName: 'Bad_Name' }),
    ).toThrow(/'modelBucketName' \('Bad_Name'\)/);
  });
  test('sizing.gpusPerReplica when the GPU count came from the sizing', () => {
    const { cluster } = clusterStack();
    const sizing = sizeModel({
      model: ModelSpec.LLAMA_3_1_70B,
      quantization: Quantization.BF16,
      accelerator: Accelerator.H100,
    });
    const odd = { ...sizing, gpusPerReplica: 3, gpusPerNode: 3 };
    expect(() =>
      cluster.addInferenceNodeGroup('G', {
        accelerator: Accelerator.H100,
        sizing: odd,
        gpusPerNode: undefined,
        instanceType: 'p5.48xlarge',
      }),
    ).toThrow(/'instanceType' p5.48xlarge has 8 x H100, not 3 x H100/);
  });
});

describe('fromNetworkAttributes validates its input', () => {
  const priv = [
    { subnetId: 'subnet-0aaaaaaaaaaaaaaaa', availabilityZone: 'eu-west-1a', cidr: '10.0.0.0/19' },
    { subnetId: 'subnet-0bbbbbbbbbbbbbbbb', availabilityZone: 'eu-west-1b', cidr: '10.0.32.0/19' },
  ];
  const attrs = { vpcId: 'vpc-0123456789abcdef0', vpcCidr: '10.0.0.0/16', privateSubnets: priv };
  test.each([
    [{ ...attrs, vpcId: 'vpc-1' }, 'aws-resource-id'],
    [{ ...attrs, vpcCidr: '10.0.0.1/16' }, 'cidr'],
    [{ ...attrs, privateSubnets: [priv[0], { ...priv[1], subnetId: 'sn-1' }] }, 'aws-resource-id'],
    [{ ...attrs, privateSubnets: [priv[0], { ...priv[1], cidr: '10.1.0.0/19' }] }, 'cidr'],
    [{ ...attrs, privateSubnets: [priv[0], priv[0]] }, 'duplicate'],
    [{ ...attrs, privateSubnets: 'subnet-0aaaaaaaaaaaaaaaa' }, 'type'],
  ])('refuses %p', (a, code) => {
    expect(validationErrorOf(() => GpuNetwork.fromNetworkAttributes(awsStack(), 'E', a as any)).code).toBe(
      code,
    );
  });
});

test('the stack fixture stays usable', () => {
  expect(new TerraformStack(awsStack().node.root as any, 'other')).toBeDefined();
});
