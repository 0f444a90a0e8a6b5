import { addPersistent2FileSystem } from './private/lustre-file-system';
import { validatePersistent2 } from './private/lustre-rules';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { FsxDataRepositoryAssociation } from '@cdktf/provider-aws/lib/fsx-data-repository-association';
import { FsxLustreFileSystem } from '@cdktf/provider-aws/lib/fsx-lustre-file-system';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { Validate, ValidationError } from '../core';
import { LUSTRE_PORTS } from './checkpoint-store';
import type { IEksCluster, NetworkSubnet } from './interfaces';
import { serviceRole } from './private/iam';
import { awsPartition } from './private/partition';
import { addKmsKeyCost } from './private/service-prices';
import { validateSubnet } from './private/subnets';

/**
 * What a Kubernetes `WeightVolumeSource.fsxLustre(...)` needs to mount a {@link LustreWeightCache}
 * (the same shape, so `WeightVolumeSource.fsxLustre(cache.volumeAttributes)` type-checks).
 */
export interface LustreVolumeAttributes {
  /** File system id. */
  readonly fileSystemId: string;
  /** DNS name of the file system. */
  readonly dnsName: string;
  /** Lustre mount name. */
  readonly mountName: string;
  /** The directory linked to the bucket. */
  readonly subPath: string;
  /** Provisioned throughput of the file system, MB/s. */
  readonly throughputMBps: number;
}

/** Properties of a {@link LustreWeightCache}. */
export interface LustreWeightCacheProps {
  /** The cluster whose nodes read the cache: its security group is opened on the Lustre ports and the FSx CSI add-on installed. */
  readonly cluster: IEksCluster;
  /** The model bucket (for example `Registry.modelBucket.bucket`). */
  readonly bucketName: string;
  /**
   * Prefix of the bucket linked to the cache, ending with `/`.
   * @default '' (the whole bucket)
   */
  readonly bucketPrefix?: string;
  /**
   * Directory of the file system linked to the bucket (data repository association).
   * @default '/models'
   */
  readonly fileSystemPath?: string;
  /**
   * Capacity, GiB: 1200, 2400 or a multiple of 2400 (PERSISTENT_2). At least the models it caches.
   * @default 1200
   */
  readonly capacityGiB?: number;
  /**
   * Throughput per TiB of storage, MB/s: 125, 250, 500 or 1000. The file system's throughput,
   * capacity TiB × this, is what replicas starting together share.
   * @default 500
   */
  readonly throughputMBpsPerTiB?: number;
  /**
   * Subnet of the file system (one; put it in the inference nodes' Availability Zone: reads from
   * other zones cross AZs and are billed).
   * @default - the network's first private subnet
   */
  readonly subnet?: NetworkSubnet;
  /**
   * Lustre version, one of `LUSTRE_PERSISTENT_2_VERSIONS`.
   * @default '2.15'
   */
  readonly fileSystemTypeVersion?: string;
  /**
   * Keep `terraform destroy` from deleting the file system and its key (`lifecycle.prevent_destroy`).
   * @default true
   */
  readonly protectFromDestroy?: boolean;
}

/**
 * A read cache of the model bucket on FSx for Lustre: a PERSISTENT_2 file system (SSD, LZ4,
 * encrypted with its own KMS key) linked to the bucket by a data repository association that
 * imports new, changed and deleted objects automatically and never exports (the bucket stays the
 * source of truth), a security group open to the cluster's nodes on the Lustre ports 988 and
 * 1018-1023, and the FSx CSI add-on. Mount it in the workloads stack with
 * `new WeightVolume(workloads, 'Models', { namespace, source: WeightVolumeSource.fsxLustre(cache.volumeAttributes) })`.
 *
 * Files are loaded from S3 into the file system on first read (lazy load), so the first replica
 * after an upload pays the bucket's rate and later ones read at the file system's throughput:
 * warm it with `lfs hsm_restore` or one replica first. Protected from destroy by default.
 *
 * @see https://docs.aws.amazon.com/fsx/latest/LustreGuide/create-dra-linked-data-repo.html
 * @example
 * const cache = new LustreWeightCache(stack, 'ModelCache', { cluster, bucketName: registry.modelBucket!.bucket });
 */
export class LustreWeightCache extends Construct {
  /** The file system. */
  public readonly resource: FsxLustreFileSystem;
  /** The data repository association with the bucket. */
  public readonly dataRepositoryAssociation: FsxDataRepositoryAssociation;
  /** Security group of the file system. */
  public readonly securityGroup: SecurityGroup;
  /** The key encrypting the file system. */
  public readonly key: KmsKey;
  /** Provisioned throughput of the file system, MB/s (capacity TiB × per-unit throughput). */
  public readonly throughputMBps: number;
  /** The directory linked to the bucket. */
  public readonly fileSystemPath: string;
  /** What a Kubernetes `WeightVolume` needs to mount the cache. */
  public readonly volumeAttributes: LustreVolumeAttributes;

  constructor(scope: Construct, id: string, props: LustreWeightCacheProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    Validate.object(this, 'cluster', props.cluster);
    const cluster = props.cluster;
    Validate.s3BucketName(this, 'bucketName', props.bucketName);
    const prefix = props.bucketPrefix ?? '';
    if (
      prefix !== '' &&
      !Token.isUnresolved(prefix) &&
      !/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*\/$/.test(prefix)
    ) {
      throw new ValidationError(
        `'bucketPrefix' ('${prefix}') must end with '/' and not start with '/' (for example 'llama/'), or be '' for the whole bucket.`,
        this,
      );
    }
    const path = props.fileSystemPath ?? '/models';
    if (!/^\/[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(path)) {
      throw new ValidationError(
        `'fileSystemPath' ('${path}') must be an absolute directory other than '/', without a trailing '/', for example '/models'.`,
        this,
      );
    }
    this.fileSystemPath = path;
    const cap = Validate.integer(this, 'capacityGiB', props.capacityGiB ?? 1200, {
      min: 1200,
      max: 10_000_000,
    });
    const tp = props.throughputMBpsPerTiB ?? 500;
    const version = props.fileSystemTypeVersion ?? '2.15';
    validatePersistent2(this, '', {
      capacityGiB: cap,
      throughputMBpsPerTiB: tp,
      fileSystemTypeVersion: version,
    });
    if (props.protectFromDestroy !== undefined)
      Validate.boolean(this, 'protectFromDestroy', props.protectFromDestroy);
    const protect = props.protectFromDestroy ?? true;
    if (props.subnet !== undefined) validateSubnet(this, 'subnet', props.subnet);
    const subnet = props.subnet ?? cluster.network.privateSubnets[0];
    if (!subnet) {
      throw new ValidationError(`'subnet' is required: the cluster's network has no private subnet.`, this);
    }
    // FSx API LustreFileSystemConfiguration.PerUnitStorageThroughput: "File system throughput
    // capacity is equal to Storage capacity (TiB) * PerUnitStorageThroughput (MB/s/TiB)".
    this.throughputMBps = Math.floor((cap / 1024) * tp);

    this.key = new KmsKey(this, 'Key', {
      description: `FSx for Lustre weight cache ${this.node.path}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      lifecycle: { preventDestroy: protect },
    });
    addKmsKeyCost(this.key, 'FSx for Lustre');
    const fs = addPersistent2FileSystem(this, {
      securityGroupId: 'SecurityGroup',
      fileSystemId: 'Resource',
      what: `FSx for Lustre weight cache ${this.node.path}`,
      serversWhat: `from ${this.node.path}`,
      cluster,
      subnet,
      ports: LUSTRE_PORTS,
      capacityGiB: cap,
      throughputMBpsPerTiB: tp,
      fileSystemTypeVersion: version,
      kmsKeyId: this.key.arn,
      protectFromDestroy: protect,
    });
    this.securityGroup = fs.securityGroup;
    this.resource = fs.fileSystem;
    this.node.defaultChild = this.resource;

    this.dataRepositoryAssociation = new FsxDataRepositoryAssociation(this, 'DataRepository', {
      fileSystemId: this.resource.id,
      fileSystemPath: path,
      dataRepositoryPath: `s3://${props.bucketName}/${prefix}`,
      batchImportMetaDataOnCreate: true,
      deleteDataInFilesystem: false,
      // Import only: the bucket is the source of truth, nothing written on the file system is
      // exported back to it.
      s3: { autoImportPolicy: { events: ['NEW', 'CHANGED', 'DELETED'] } },
    });

    this.volumeAttributes = {
      fileSystemId: this.resource.id,
      dnsName: this.resource.dnsName,
      mountName: this.resource.mountName,
      subPath: path,
      throughputMBps: this.throughputMBps,
    };
  }
}

/** The EKS add-on version of the Mountpoint for S3 CSI driver this library installs unless told otherwise. */
export const MOUNTPOINT_S3_CSI_ADDON_VERSION = 'v2.3.0-eksbuild.1';

/** A bucket (and optionally a prefix) the Mountpoint for S3 CSI driver may read. */
export interface MountpointBucketAccess {
  /** Bucket name. */
  readonly bucketName: string;
  /**
   * Key prefix readable, ending with `/`.
   * @default - the whole bucket
   */
  readonly prefix?: string;
  /**
   * ARN of the KMS key the bucket's objects are encrypted with (SSE-KMS); the driver gets `kms:Decrypt` on it.
   * @default - no KMS grant (SSE-S3 buckets)
   */
  readonly kmsKeyArn?: string;
}

/** Properties of a {@link MountpointS3CsiDriver}. */
export interface MountpointS3CsiDriverProps {
  /** The cluster. */
  readonly cluster: IEksCluster;
  /** Buckets the driver reads (read-only: weights are never written through it). */
  readonly buckets: MountpointBucketAccess[];
  /**
   * EKS add-on version `aws-mountpoint-s3-csi-driver` (v2 supports EKS Pod Identity).
   * @default MOUNTPOINT_S3_CSI_ADDON_VERSION
   */
  readonly addonVersion?: string;
}

/**
 * The Mountpoint for Amazon S3 CSI driver as an EKS add-on (pinned), with an IAM role for its
 * service account `s3-csi-driver-sa` through EKS Pod Identity that may only list and read the
 * given buckets and prefixes. Mount a bucket in the workloads stack with
 * `new WeightVolume(workloads, 'Models', { namespace, source: WeightVolumeSource.s3Mountpoint({...}) })`.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/s3-csi.html
 * @example
 * new MountpointS3CsiDriver(stack, 'S3Csi', { cluster, buckets: [{ bucketName: 'models-123', prefix: 'llama/' }] });
 */
export class MountpointS3CsiDriver extends Construct {
  /** The add-on. */
  public readonly resource: EksAddon;
  /** The driver's role policy. */
  public readonly policy: IamRolePolicy;
  /** ARN of the driver's role. */
  public readonly roleArn: string;

  constructor(scope: Construct, id: string, props: MountpointS3CsiDriverProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    Validate.object(this, 'cluster', props.cluster);
    const buckets = Validate.array<MountpointBucketAccess>(this, 'buckets', props.buckets);
    if (buckets.length === 0) {
      throw new ValidationError(`'buckets' is empty: name the model bucket(s) the driver may read.`, this);
    }
    const version = props.addonVersion ?? MOUNTPOINT_S3_CSI_ADDON_VERSION;
    if (!/^v2\.\d+\.\d+-eksbuild\.\d+$/.test(version)) {
      throw new ValidationError(
        `'addonVersion' ('${version}') must be a v2 add-on version such as '${MOUNTPOINT_S3_CSI_ADDON_VERSION}' ` +
          `(v1 has no EKS Pod Identity support; see aws eks describe-addon-versions --addon-name aws-mountpoint-s3-csi-driver).`,
        this,
      );
    }
    const partition = awsPartition(this);
    const list: string[] = [];
    const objects: string[] = [];
    const keys: string[] = [];
    buckets.forEach((b, i) => {
      Validate.object(this, `buckets[${i}]`, b);
      Validate.s3BucketName(this, `buckets[${i}].bucketName`, b.bucketName);
      if (
        b.prefix !== undefined &&
        !Token.isUnresolved(b.prefix) &&
        !/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*\/$/.test(b.prefix)
      ) {
        throw new ValidationError(
          `'buckets[${i}].prefix' ('${b.prefix}') must end with '/' and not start with '/', for example 'llama/'.`,
          this,
        );
      }
      if (b.kmsKeyArn !== undefined) Validate.arn(this, `buckets[${i}].kmsKeyArn`, b.kmsKeyArn);
      list.push(`arn:${partition}:s3:::${b.bucketName}`);
      objects.push(`arn:${partition}:s3:::${b.bucketName}/${b.prefix ?? ''}*`);
      if (b.kmsKeyArn) keys.push(b.kmsKeyArn);
    });
    const { role, name } = serviceRole(
      this,
      'Role',
      'pods.eks.amazonaws.com',
      [],
      ['sts:AssumeRole', 'sts:TagSession'],
    );
    this.roleArn = role.arn;
    // Mountpoint's read-only permissions (awslabs/mountpoint-s3 doc/CONFIGURATION.md, IAM permissions).
    this.policy = new IamRolePolicy(this, 'Policy', {
      role: name,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: list },
          { Effect: 'Allow', Action: ['s3:GetObject'], Resource: objects },
          ...(keys.length ? [{ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: keys }] : []),
        ],
      }),
    });
    this.resource = new EksAddon(this, 'Resource', {
      clusterName: props.cluster.clusterName,
      addonName: 'aws-mountpoint-s3-csi-driver',
      addonVersion: version,
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'PRESERVE',
      podIdentityAssociation: [{ roleArn: role.arn, serviceAccount: 's3-csi-driver-sa' }],
      dependsOn: [props.cluster.clusterDependency, this.policy],
    });
    this.node.defaultChild = this.resource;
  }
}
