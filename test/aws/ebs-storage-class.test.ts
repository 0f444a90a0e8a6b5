import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import {
  EbsProvisioner,
  EbsStorageClass,
  EbsStorageClassProps,
  EbsVolumeType,
  EksCluster,
  EksClusterProps,
  VolumeReclaimPolicy,
} from '../../lib/aws';
import { ValidationError } from '../../lib/core';
import { kubernetesSchemaProblems } from '../consumers/k8s-schema';
import { onlyResource, synthJson } from '../util';
import { awsStack, network } from './util';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789';

// One app and one cluster of each kind, shared by every test (a cluster is the slow part).
const app = Testing.app();
const clusters = new Map<string, EksCluster>();
let stacks = 0;

function setup(cluster: Partial<EksClusterProps> = {}) {
  const key = JSON.stringify(cluster);
  let c = clusters.get(key);
  if (!c) {
    const infra = new TerraformStack(app, `infra${clusters.size}`);
    new AwsProvider(infra, 'aws', { region: 'us-east-1' });
    c = new EksCluster(infra, 'Cluster', { network: network(infra), ...cluster });
    clusters.set(key, c);
  }
  const platform = new TerraformStack(app, `platform${stacks++}`);
  new KubernetesProvider(platform, 'kubernetes', {});
  return { cluster: c, platform, infra: TerraformStack.of(c) };
}

function storageClass(cluster: Partial<EksClusterProps> = {}, props: Partial<EbsStorageClassProps> = {}) {
  const { cluster: c, platform } = setup(cluster);
  const sc = new EbsStorageClass(platform, 'Gp3', { cluster: c, ...props });
  const json = synthJson(platform);
  return { sc, json, tf: onlyResource(json, 'kubernetes_storage_class_v1') };
}

describe('EbsStorageClass', () => {
  test('defaults to the EBS CSI driver provisioner on a cluster without Auto Mode', () => {
    const { sc, tf } = storageClass();
    expect(sc.provisioner).toBe(EbsProvisioner.EBS_CSI_DRIVER);
    expect(tf.storage_provisioner).toBe('ebs.csi.aws.com');
  });

  test('defaults to the Auto Mode provisioner ebs.csi.eks.amazonaws.com on an Auto Mode cluster', () => {
    const { sc, tf } = storageClass({ autoMode: {} });
    expect(sc.provisioner).toBe(EbsProvisioner.AUTO_MODE);
    expect(tf.storage_provisioner).toBe('ebs.csi.eks.amazonaws.com');
  });

  test('defaults to an encrypted gp3 ext4 default class named ebs-gp3, retained, WaitForFirstConsumer, expandable', () => {
    const { sc, tf } = storageClass();
    expect(sc.storageClassName).toBe('ebs-gp3');
    expect(tf.metadata).toEqual({
      name: 'ebs-gp3',
      labels: { 'app.kubernetes.io/managed-by': 'cdktf-ai-infra' },
      annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
    });
    expect(tf.parameters).toEqual({ type: 'gp3', encrypted: 'true', 'csi.storage.k8s.io/fstype': 'ext4' });
    expect(tf.reclaim_policy).toBe('Retain');
    expect(tf.volume_binding_mode).toBe('WaitForFirstConsumer');
    expect(tf.allow_volume_expansion).toBe(true);
  });

  test('takes a name, volume type, KMS key, reclaim policy, file system and no default annotation', () => {
    const { tf } = storageClass(
      {},
      {
        name: 'io2-xfs',
        defaultClass: false,
        volumeType: EbsVolumeType.IO2,
        kmsKey: { keyArn: KEY },
        reclaimPolicy: VolumeReclaimPolicy.DELETE,
        fsType: 'xfs',
      },
    );
    expect(tf.metadata.name).toBe('io2-xfs');
    expect(tf.metadata.annotations).toBeUndefined();
    expect(tf.parameters).toEqual({
      type: 'io2',
      encrypted: 'true',
      'csi.storage.k8s.io/fstype': 'xfs',
      kmsKeyId: KEY,
    });
    expect(tf.reclaim_policy).toBe('Delete');
  });

  test('is accepted by the StorageClass schema', () => {
    expect(
      kubernetesSchemaProblems(storageClass({ autoMode: {} }, { kmsKey: { keyArn: KEY } }).json),
    ).toEqual([]);
  });

  test('works on an imported Auto Mode cluster', () => {
    const infra = awsStack('infra');
    const cluster = EksCluster.fromClusterAttributes(infra, 'Imported', {
      clusterName: 'prod',
      network: network(infra),
      nodeRoleArn: 'arn:aws:iam::111122223333:role/prod-nodes',
      autoMode: true,
    });
    const platform = new TerraformStack(infra.node.scope!, 'platform');
    new KubernetesProvider(platform, 'kubernetes', {});
    new EbsStorageClass(platform, 'Gp3', { cluster });
    expect(onlyResource(synthJson(platform), 'kubernetes_storage_class_v1').storage_provisioner).toBe(
      'ebs.csi.eks.amazonaws.com',
    );
    expect(cluster.ebsCsiDriverInstalled).toBe(false);
  });

  test('EksCluster reports whether the EBS CSI driver add-on is installed', () => {
    expect(setup().cluster.ebsCsiDriverInstalled).toBe(true);
    expect(setup({ ebsCsiDriver: false }).cluster.ebsCsiDriverInstalled).toBe(false);
    expect(setup({ autoMode: {} }).cluster.ebsCsiDriverInstalled).toBe(false);
  });

  describe('refuses', () => {
    const build = (cluster: Partial<EksClusterProps>, props: Partial<EbsStorageClassProps>) => () => {
      const { cluster: c, platform } = setup(cluster);
      new EbsStorageClass(platform, 'Gp3', { cluster: c, ...props });
    };
    test.each<[string, Partial<EksClusterProps>, Partial<EbsStorageClassProps>, RegExp]>([
      [
        'the add-on provisioner on Auto Mode',
        { autoMode: {} },
        { provisioner: EbsProvisioner.EBS_CSI_DRIVER },
        /'provisioner' \('ebs\.csi\.aws\.com'\) is the EBS CSI driver add-on's, but cluster .* runs EKS Auto Mode/,
      ],
      [
        'the Auto Mode provisioner without Auto Mode',
        {},
        { provisioner: EbsProvisioner.AUTO_MODE },
        /'provisioner' \('ebs\.csi\.eks\.amazonaws\.com'\) is EKS Auto Mode's, but cluster .* does not run Auto Mode/,
      ],
      ['a cluster without the add-on', { ebsCsiDriver: false }, {}, /runs without the EBS CSI driver add-on/],
      ['an unknown provisioner', {}, { provisioner: 'efs.csi.aws.com' as EbsProvisioner }, /'provisioner'/],
      ['a bad name', {}, { name: 'Gp3_SC' }, /'name'/],
      ['an unknown volume type', {}, { volumeType: 'gp2' as EbsVolumeType }, /'volumeType'/],
      [
        'an unknown reclaim policy',
        {},
        { reclaimPolicy: 'Recycle' as VolumeReclaimPolicy },
        /'reclaimPolicy'/,
      ],
      ['an unknown file system', {}, { fsType: 'btrfs' as 'xfs' }, /'fsType'/],
      ['a key ARN of another service', {}, { kmsKey: { keyArn: 'arn:aws:s3:::bucket' } }, /'kmsKey\.keyArn'/],
      ['a non-boolean defaultClass', {}, { defaultClass: 'yes' as unknown as boolean }, /'defaultClass'/],
    ])('%s', (_what, cluster, props, message) => {
      expect(build(cluster, props)).toThrow(ValidationError);
      expect(build(cluster, props)).toThrow(message);
    });

    test('the cluster stack', () => {
      const { cluster, infra } = setup();
      expect(() => new EbsStorageClass(infra, 'Gp3', { cluster })).toThrow(/stack of the EKS cluster/);
    });
  });
});
