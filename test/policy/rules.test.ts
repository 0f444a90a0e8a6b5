import { EbsEncryptionByDefault } from '@cdktf/provider-aws/lib/ebs-encryption-by-default';
import { EbsVolume } from '@cdktf/provider-aws/lib/ebs-volume';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EksCluster as RawEksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { FsxLustreFileSystem } from '@cdktf/provider-aws/lib/fsx-lustre-file-system';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { S3AccountPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-account-public-access-block';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketAcl } from '@cdktf/provider-aws/lib/s3-bucket-acl';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { SecurityGroup, SecurityGroupIngress } from '@cdktf/provider-aws/lib/security-group';
import { SecurityGroupRule } from '@cdktf/provider-aws/lib/security-group-rule';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { ContainerCluster } from '@cdktf/provider-google/lib/container-cluster';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { StorageBucketIamBinding } from '@cdktf/provider-google/lib/storage-bucket-iam-binding';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { Release } from '@cdktf/provider-helm/lib/release';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { PodV1 } from '@cdktf/provider-kubernetes/lib/pod-v1';
import { Testing, TerraformStack } from 'cdktf';
import { imageTag, PolicyPack, RULES } from '../../lib/policy';

function stack(): TerraformStack {
  return new TerraformStack(Testing.app(), 'test');
}

/** Messages of one rule's findings on the stack. */
function findings(s: TerraformStack, ruleId: string): string[] {
  return PolicyPack.aiInfra()
    .evaluate(s)
    .findings.filter((f) => f.ruleId === ruleId)
    .map((f) => `${f.address}: ${f.message}`);
}

const PAB = {
  blockPublicAcls: true,
  blockPublicPolicy: true,
  ignorePublicAcls: true,
  restrictPublicBuckets: true,
};

/** A launch template with an EFA interface in a security group. */
function efaNode(s: TerraformStack, ingress: SecurityGroupIngress[] = []): SecurityGroup {
  const sg = new SecurityGroup(s, 'Efa', { vpcId: 'vpc-1', ingress });
  new LaunchTemplate(s, 'Lt', {
    metadataOptions: { httpTokens: 'required' },
    networkInterfaces: [
      { deviceIndex: 0, networkCardIndex: 0, interfaceType: 'efa', securityGroups: [sg.id] },
    ],
  });
  return sg;
}

/** A pod spec for kubernetes_manifest objects. */
function podSpec(container: Record<string, unknown>, pod: Record<string, unknown> = {}) {
  return { ...pod, containers: [{ name: 'main', image: 'vllm/vllm-openai:v0.23.0', ...container }] };
}

function manifest(s: TerraformStack, id: string, spec: Record<string, unknown>): void {
  new Manifest(s, id, {
    manifest: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: id.toLowerCase(), namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'x' } },
        template: { metadata: { labels: { app: 'x' } }, spec },
      },
    },
  });
}

interface Case {
  readonly name: string;
  readonly build: (s: TerraformStack) => void;
  /** Expected findings (each must match one message, in order); [] when the rule must stay quiet. */
  readonly expect: RegExp[];
}

const CASES: Record<string, Case[]> = {
  's3-public-access': [
    {
      name: 'bucket without a public access block',
      build: (s) => void new S3Bucket(s, 'B', {}),
      expect: [/no aws_s3_bucket_public_access_block/],
    },
    {
      name: 'a block that leaves a setting off',
      build: (s) => {
        const b = new S3Bucket(s, 'B', {});
        new S3BucketPublicAccessBlock(s, 'P', { ...PAB, bucket: b.id, restrictPublicBuckets: false });
      },
      expect: [/leaves restrict_public_buckets off/],
    },
    {
      name: 'a public-read ACL',
      build: (s) => {
        const b = new S3Bucket(s, 'B', {});
        new S3BucketPublicAccessBlock(s, 'P', { ...PAB, bucket: b.id });
        new S3BucketAcl(s, 'Acl', { bucket: b.id, acl: 'public-read' });
      },
      expect: [/sets canned ACL 'public-read'/],
    },
    {
      name: 'a full block referring by literal name',
      build: (s) => {
        new S3Bucket(s, 'B', { bucket: 'weights-prod' });
        new S3BucketPublicAccessBlock(s, 'P', { ...PAB, bucket: 'weights-prod' });
      },
      expect: [],
    },
    {
      name: 'an account-wide block',
      build: (s) => {
        new S3Bucket(s, 'B', {});
        new S3AccountPublicAccessBlock(s, 'Account', PAB);
      },
      expect: [],
    },
  ],
  's3-kms-encryption': [
    {
      name: 'no encryption configuration',
      build: (s) => void new S3Bucket(s, 'B', {}),
      expect: [/SSE-S3 only/],
    },
    {
      name: 'SSE-S3 (AES256)',
      build: (s) => {
        const b = new S3Bucket(s, 'B', {});
        new S3BucketServerSideEncryptionConfigurationA(s, 'E', {
          bucket: b.id,
          rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
        });
      },
      expect: [/encrypts with AES256, not aws:kms/],
    },
    {
      name: 'SSE-KMS',
      build: (s) => {
        const b = new S3Bucket(s, 'B', {});
        new S3BucketServerSideEncryptionConfigurationA(s, 'E', {
          bucket: b.id,
          rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'k' } }],
        });
      },
      expect: [],
    },
  ],
  'gcs-uniform-access': [
    {
      name: 'uniform access off, prevention unset',
      build: (s) => void new StorageBucket(s, 'B', { name: 'b', location: 'US' }),
      expect: [/uniform_bucket_level_access is not true/, /public_access_prevention is unset/],
    },
    {
      name: 'uniform access on, prevention enforced',
      build: (s) =>
        void new StorageBucket(s, 'B', {
          name: 'b',
          location: 'US',
          uniformBucketLevelAccess: true,
          publicAccessPrevention: 'enforced',
        }),
      expect: [],
    },
  ],
  'gcs-public-member': [
    {
      name: 'allUsers member',
      build: (s) =>
        void new StorageBucketIamMember(s, 'M', {
          bucket: 'b',
          role: 'roles/storage.objectViewer',
          member: 'allUsers',
        }),
      expect: [/grants access to allUsers/],
    },
    {
      name: 'allAuthenticatedUsers in a binding',
      build: (s) =>
        void new StorageBucketIamBinding(s, 'M', {
          bucket: 'b',
          role: 'roles/storage.objectViewer',
          members: ['group:ml@example.com', 'allAuthenticatedUsers'],
        }),
      expect: [/grants access to allAuthenticatedUsers/],
    },
    {
      name: 'a service account member',
      build: (s) =>
        void new StorageBucketIamMember(s, 'M', {
          bucket: 'b',
          role: 'roles/storage.objectViewer',
          member: 'serviceAccount:sa@p.iam.gserviceaccount.com',
        }),
      expect: [],
    },
  ],
  'ebs-encryption': [
    {
      name: 'unencrypted volume',
      build: (s) => void new EbsVolume(s, 'V', { availabilityZone: 'us-east-1a', size: 100 }),
      expect: [/encrypted is not true/],
    },
    {
      name: 'launch template block device without encryption',
      build: (s) =>
        void new LaunchTemplate(s, 'Lt', {
          metadataOptions: { httpTokens: 'required' },
          blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: 100 } }],
        }),
      expect: [/block device \/dev\/xvda is not encrypted/],
    },
    {
      name: 'instance root volume without encryption',
      build: (s) =>
        void new Instance(s, 'I', {
          ami: 'ami-1',
          instanceType: 'g5.xlarge',
          metadataOptions: { httpTokens: 'required' },
          rootBlockDevice: { volumeSize: 100 },
        }),
      expect: [/root_block_device is not encrypted/],
    },
    {
      name: 'encryption by default on for the region',
      build: (s) => {
        new EbsEncryptionByDefault(s, 'EbsDefault', { enabled: true });
        new EbsVolume(s, 'V', { availabilityZone: 'us-east-1a', size: 100 });
      },
      expect: [],
    },
  ],
  'fsx-kms-encryption': [
    {
      name: 'persistent Lustre without a key',
      build: (s) =>
        void new FsxLustreFileSystem(s, 'F', {
          subnetIds: ['subnet-1'],
          deploymentType: 'PERSISTENT_2',
          storageCapacity: 1200,
          perUnitStorageThroughput: 125,
        }),
      expect: [/kms_key_id is unset/],
    },
    {
      name: 'scratch Lustre (takes no key)',
      build: (s) =>
        void new FsxLustreFileSystem(s, 'F', {
          subnetIds: ['subnet-1'],
          deploymentType: 'SCRATCH_2',
          storageCapacity: 1200,
        }),
      expect: [],
    },
  ],
  'sns-kms-encryption': [
    {
      name: 'unencrypted topic',
      build: (s) => void new SnsTopic(s, 'T', {}),
      expect: [/stored unencrypted/],
    },
    {
      name: 'AWS managed key',
      build: (s) => void new SnsTopic(s, 'T', { kmsMasterKeyId: 'alias/aws/sns' }),
      expect: [/AWS managed key alias\/aws\/sns/],
    },
    {
      name: 'customer managed key',
      build: (s) => void new SnsTopic(s, 'T', { kmsMasterKeyId: new KmsKey(s, 'K', {}).arn }),
      expect: [],
    },
  ],
  'eks-public-endpoint': [
    {
      name: 'endpoint access unset (public by default)',
      build: (s) =>
        void new RawEksCluster(s, 'C', { name: 'c', roleArn: 'r', vpcConfig: { subnetIds: ['s'] } }),
      expect: [/public \(endpoint_public_access defaults to true\) with no public_access_cidrs/],
    },
    {
      name: 'public to 0.0.0.0/0',
      build: (s) =>
        void new RawEksCluster(s, 'C', {
          name: 'c',
          roleArn: 'r',
          vpcConfig: {
            subnetIds: ['s'],
            endpointPublicAccess: true,
            publicAccessCidrs: ['203.0.113.0/24', '0.0.0.0/0'],
          },
        }),
      expect: [/public_access_cidrs includes 0.0.0.0\/0/],
    },
    {
      name: 'public to one CIDR',
      build: (s) =>
        void new RawEksCluster(s, 'C', {
          name: 'c',
          roleArn: 'r',
          vpcConfig: { subnetIds: ['s'], endpointPublicAccess: true, publicAccessCidrs: ['203.0.113.0/24'] },
        }),
      expect: [],
    },
  ],
  'gke-private-cluster': [
    {
      name: 'public nodes and an unrestricted endpoint',
      build: (s) => void new ContainerCluster(s, 'C', { name: 'c', location: 'us-central1' }),
      expect: [/nodes are not private/, /no master_authorized_networks_config/],
    },
    {
      name: 'authorized networks admitting 0.0.0.0/0',
      build: (s) =>
        void new ContainerCluster(s, 'C', {
          name: 'c',
          location: 'us-central1',
          privateClusterConfig: { enablePrivateNodes: true },
          masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: '0.0.0.0/0' }] },
        }),
      expect: [/admits 0.0.0.0\/0/],
    },
    {
      name: 'private endpoint',
      build: (s) =>
        void new ContainerCluster(s, 'C', {
          name: 'c',
          location: 'us-central1',
          privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: true },
        }),
      expect: [],
    },
  ],
  'ec2-imdsv2': [
    {
      name: 'launch template without metadata options',
      build: (s) => void new LaunchTemplate(s, 'Lt', {}),
      expect: [/http_tokens is unset/],
    },
    {
      name: 'instance with optional tokens',
      build: (s) =>
        void new Instance(s, 'I', {
          ami: 'a',
          instanceType: 't3.micro',
          metadataOptions: { httpTokens: 'optional' },
        }),
      expect: [/http_tokens is 'optional'/],
    },
    {
      name: 'IMDS disabled',
      build: (s) => void new LaunchTemplate(s, 'Lt', { metadataOptions: { httpEndpoint: 'disabled' } }),
      expect: [],
    },
  ],
  'ec2-imds-hop-limit': [
    {
      name: 'hop limit 3',
      build: (s) =>
        void new LaunchTemplate(s, 'Lt', {
          metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 3 },
        }),
      expect: [/hop_limit is 3 \(> 2\)/],
    },
    {
      name: 'hop limit 2',
      build: (s) =>
        void new LaunchTemplate(s, 'Lt', {
          metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 2 },
        }),
      expect: [],
    },
  ],
  'efa-open-ingress': [
    {
      name: 'inline ingress from anywhere on an EFA security group',
      build: (s) =>
        void efaNode(s, [{ fromPort: 22, toPort: 22, protocol: 'tcp', cidrBlocks: ['0.0.0.0/0'] }]),
      expect: [/inline ingress 22-22 admits 0.0.0.0\/0/],
    },
    {
      name: 'a security group rule from ::/0',
      build: (s) => {
        const sg = efaNode(s);
        new SecurityGroupRule(s, 'R', {
          type: 'ingress',
          fromPort: 0,
          toPort: 65535,
          protocol: '-1',
          securityGroupId: sg.id,
          ipv6CidrBlocks: ['::/0'],
        });
      },
      expect: [/aws_security_group_rule\.R: admits ::\/0 to the EFA security group/],
    },
    {
      name: 'a VPC ingress rule from 0.0.0.0/0',
      build: (s) => {
        const sg = efaNode(s);
        new VpcSecurityGroupIngressRule(s, 'R', {
          securityGroupId: sg.id,
          ipProtocol: '-1',
          cidrIpv4: '0.0.0.0/0',
        });
      },
      expect: [/aws_vpc_security_group_ingress_rule\.R: admits 0.0.0.0\/0/],
    },
    {
      name: 'a rule opening the EKS cluster security group that EFA interfaces carry',
      build: (s) => {
        const cluster = new RawEksCluster(s, 'C', {
          name: 'c',
          roleArn: 'r',
          vpcConfig: { subnetIds: ['s'], endpointPublicAccess: false },
        });
        const clusterSg = cluster.vpcConfig.clusterSecurityGroupId;
        new LaunchTemplate(s, 'Lt', {
          metadataOptions: { httpTokens: 'required' },
          networkInterfaces: [{ deviceIndex: 0, interfaceType: 'efa', securityGroups: [clusterSg] }],
        });
        new VpcSecurityGroupIngressRule(s, 'R', {
          securityGroupId: clusterSg,
          ipProtocol: 'tcp',
          fromPort: 22,
          toPort: 22,
          cidrIpv4: '0.0.0.0/0',
        });
      },
      expect: [
        /aws_vpc_security_group_ingress_rule\.R: admits 0.0.0.0\/0 to the EFA security group \$\{aws_eks_cluster\.C\.vpc_config\[0\]\.cluster_security_group_id\}/,
      ],
    },
    {
      name: 'self-referencing only',
      build: (s) => {
        const sg = efaNode(s);
        new VpcSecurityGroupIngressRule(s, 'R', {
          securityGroupId: sg.id,
          ipProtocol: '-1',
          referencedSecurityGroupId: sg.id,
        });
      },
      expect: [],
    },
    {
      name: 'an open group not on an EFA interface',
      build: (s) =>
        void new SecurityGroup(s, 'Web', {
          ingress: [{ fromPort: 443, toPort: 443, protocol: 'tcp', cidrBlocks: ['0.0.0.0/0'] }],
        }),
      expect: [],
    },
  ],
  'stateful-prevent-destroy': [
    {
      name: 'unprotected bucket',
      build: (s) => void new S3Bucket(s, 'B', {}),
      expect: [/has no lifecycle.prevent_destroy/],
    },
    {
      name: 'unprotected key of a protected repository',
      build: (s) => {
        const k = new KmsKey(s, 'K', {});
        new EcrRepository(s, 'R', {
          name: 'r',
          encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: k.arn }],
          lifecycle: { preventDestroy: true },
        });
      },
      expect: [/aws_kms_key\.K: encrypts aws_ecr_repository\.R and has no lifecycle.prevent_destroy/],
    },
    {
      name: 'a key that encrypts no store',
      build: (s) => void new SnsTopic(s, 'T', { kmsMasterKeyId: new KmsKey(s, 'K', {}).arn }),
      expect: [],
    },
    {
      name: 'protected bucket',
      build: (s) => void new S3Bucket(s, 'B', { lifecycle: { preventDestroy: true } }),
      expect: [],
    },
  ],
  'k8s-privileged': [
    {
      name: 'a privileged typed pod',
      build: (s) =>
        void new PodV1(s, 'P', {
          metadata: { name: 'p' },
          spec: { container: [{ name: 'c', image: 'busybox:1.36', securityContext: { privileged: true } }] },
        }),
      expect: [/container 'c' \(container\[0\]\) is privileged/],
    },
    {
      name: 'hostNetwork in a manifest',
      build: (s) => manifest(s, 'M', podSpec({}, { hostNetwork: true })),
      expect: [/sets hostNetwork/],
    },
    { name: 'an ordinary manifest pod', build: (s) => manifest(s, 'M', podSpec({})), expect: [] },
  ],
  'k8s-run-as-non-root': [
    {
      name: 'a typed deployment without a securityContext',
      build: (s) =>
        void new DeploymentV1(s, 'D', {
          metadata: { name: 'd' },
          spec: {
            selector: { matchLabels: { app: 'd' } },
            template: {
              metadata: { labels: { app: 'd' } },
              spec: { container: [{ name: 'c', image: 'busybox:1.36' }] },
            },
          },
        }),
      expect: [/pod spec template\.spec has no securityContext on the pod or any container/],
    },
    {
      name: 'a container that turns it off under a non-root pod',
      build: (s) =>
        manifest(
          s,
          'M',
          podSpec({ securityContext: { runAsNonRoot: false } }, { securityContext: { runAsNonRoot: true } }),
        ),
      expect: [/'main' may run as root/],
    },
    {
      name: 'an init container without it when only the main container sets it',
      build: (s) =>
        manifest(s, 'M', {
          ...podSpec({ securityContext: { runAsNonRoot: true } }),
          initContainers: [{ name: 'fetch', image: 'amazon/aws-cli:2.17.0' }],
        }),
      expect: [/'fetch' may run as root/],
    },
    {
      name: 'pod-wide runAsNonRoot',
      build: (s) =>
        manifest(s, 'M', podSpec({}, { securityContext: { runAsNonRoot: true, runAsUser: 1000 } })),
      expect: [],
    },
  ],
  'image-pinned': [
    {
      name: 'an untagged image',
      build: (s) => manifest(s, 'M', podSpec({ image: 'nvcr.io/nvidia/tritonserver' })),
      expect: [/has no tag/],
    },
    {
      name: 'a :latest image',
      build: (s) => manifest(s, 'M', podSpec({ image: 'localhost:5000/vllm:latest' })),
      expect: [/is :latest/],
    },
    {
      name: 'a registry with a port and a tag',
      build: (s) => manifest(s, 'M', podSpec({ image: 'localhost:5000/vllm:v0.23.0' })),
      expect: [],
    },
    {
      name: 'a digest',
      build: (s) => manifest(s, 'M', podSpec({ image: 'vllm/vllm-openai@sha256:' + 'a'.repeat(64) })),
      expect: [],
    },
  ],
  'helm-chart-version': [
    {
      name: 'a repository chart without version',
      build: (s) =>
        void new Release(s, 'R', {
          name: 'r',
          repository: 'https://helm.ngc.nvidia.com/nvidia',
          chart: 'gpu-operator',
        }),
      expect: [/chart 'gpu-operator' has no version/],
    },
    {
      name: 'a pinned chart',
      build: (s) =>
        void new Release(s, 'R', {
          name: 'r',
          repository: 'https://helm.ngc.nvidia.com/nvidia',
          chart: 'gpu-operator',
          version: 'v25.3.0',
        }),
      expect: [],
    },
    {
      name: 'a local chart',
      build: (s) => void new Release(s, 'R', { name: 'r', chart: './charts/router' }),
      expect: [],
    },
  ],
};

describe('policy rules', () => {
  test('every rule has cases that make it fire and stay quiet', () => {
    expect(Object.keys(CASES).sort()).toEqual(RULES.map((r) => r.id).sort());
    for (const [id, cases] of Object.entries(CASES)) {
      expect([id, cases.some((c) => c.expect.length > 0)]).toEqual([id, true]);
      expect([id, cases.some((c) => c.expect.length === 0)]).toEqual([id, true]);
    }
  });

  for (const [id, cases] of Object.entries(CASES)) {
    describe(id, () => {
      test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
        const s = stack();
        c.build(s);
        const got = findings(s, id);
        expect(got).toHaveLength(c.expect.length);
        c.expect.forEach((re, i) => expect(got[i]).toMatch(re));
      });
    });
  }

  test('rule ids are unique, kebab-case, and each rule documents a source', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of RULES) {
      expect(r.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(r.rationale).toMatch(/https:\/\//);
      expect(r.resourceTypes.length).toBeGreaterThan(0);
    }
  });

  test('a check is pure: it does not modify the resource it inspects', () => {
    const s = stack();
    manifest(s, 'M', podSpec({ image: 'busybox' }, { hostNetwork: true }));
    new S3Bucket(s, 'B', {});
    const before = Testing.synth(s);
    PolicyPack.aiInfra().evaluate(s);
    expect(Testing.synth(s)).toBe(before);
  });
});

describe('imageTag', () => {
  test.each([
    ['busybox', undefined],
    ['busybox:1.36', '1.36'],
    ['localhost:5000/vllm', undefined],
    ['localhost:5000/vllm:v1', 'v1'],
    ['ghcr.io/a/b@sha256:abc', '@digest'],
    ['nvcr.io/nvidia/tritonserver:25.01-trtllm-python-py3', '25.01-trtllm-python-py3'],
  ])('%s -> %s', (image, tag) => {
    expect(imageTag(image)).toBe(tag);
  });
});
