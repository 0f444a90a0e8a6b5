import { addPersistent2FileSystem } from './private/lustre-file-system';
import { validatePersistent2 } from './private/lustre-rules';
import { FsxDataRepositoryAssociation } from '@cdktf/provider-aws/lib/fsx-data-repository-association';
import { FsxLustreFileSystem } from '@cdktf/provider-aws/lib/fsx-lustre-file-system';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Construct } from 'constructs';
import { Validate, ValidationError } from '../core';
import { IAwsRole, ICheckpointStore, IEksCluster, NetworkSubnet } from './interfaces';
import { RoleGrants } from './private/grants';
import { requireIntInRange } from './private/node-group-common';
import { validateSubnet } from './private/subnets';
import { awsPartition } from './private/partition';
import { bucketGrantStatements, SecureBucket } from './private/secure-bucket';
import { addS3BucketAssumption } from './private/service-prices';

export { LUSTRE_PERSISTENT_2_VERSIONS, LUSTRE_THROUGHPUTS_MBPS_PER_TIB } from './private/lustre-rules';

/** Most data repository associations one FSx for Lustre file system takes. */
export const MAX_DATA_REPOSITORY_ASSOCIATIONS = 8;

/** TCP ports Lustre clients and servers use: 988 and 1018-1023. */
export const LUSTRE_PORTS: ReadonlyArray<readonly [number, number]> = [
  [988, 988],
  [1018, 1023],
];

/** A link between a Lustre directory and an S3 prefix of the checkpoint bucket. */
export interface LustreDataRepository {
  /** Directory in the file system, for example `/checkpoints`. */
  readonly fileSystemPath: string;
  /** Prefix in the checkpoint bucket, for example `checkpoints/` (`''` for the whole bucket). */
  readonly bucketPrefix: string;
}

/** The optional FSx for Lustre file system of a {@link CheckpointStore}. */
export interface LustreOptions {
  /** Capacity, GiB: 1200, 2400 or a multiple of 2400 (PERSISTENT_2). */
  readonly capacityGiB: number;
  /**
   * Throughput per TiB of storage, MB/s: 125, 250, 500 or 1000.
   * @default 250
   */
  readonly throughputMBpsPerTiB?: number;
  /**
   * Subnet of the file system (exactly one); put it in the training node group's AZ.
   * @default - the network's training subnet
   */
  readonly subnet?: NetworkSubnet;
  /**
   * Directories linked to the bucket, with automatic import and export of new, changed and
   * deleted files.
   * @default [{ fileSystemPath: '/checkpoints', bucketPrefix: 'checkpoints/' }]
   */
  readonly dataRepositories?: LustreDataRepository[];
  /**
   * Lustre version, one of `LUSTRE_PERSISTENT_2_VERSIONS`.
   * @default '2.15'
   * @see https://docs.aws.amazon.com/fsx/latest/APIReference/API_CreateFileSystem.html
   */
  readonly fileSystemTypeVersion?: string;
}

/** Properties of a {@link CheckpointStore}. */
export interface CheckpointStoreProps {
  /**
   * The cluster whose nodes mount the file system: the FSx CSI add-on is installed, its nodes
   * and the file servers may reach each other on the Lustre ports (rules on the file system's
   * security group and on the cluster security group), and the node role gets read-write access to the bucket.
   * Required with `lustre`.
   * @default - no cluster; grant access with grantReadWrite
   */
  readonly cluster?: IEksCluster;
  /**
   * Bucket name.
   * @default - a unique name Terraform generates from the prefix `ckpt-`
   */
  readonly bucketName?: string;
  /**
   * Keep `terraform destroy` from deleting the bucket and file system (`lifecycle.prevent_destroy`).
   * @default true
   */
  readonly protectFromDestroy?: boolean;
  /**
   * Days after which checkpoints move to S3 Standard-IA (at least 30).
   * @default 30
   */
  readonly infrequentAccessAfterDays?: number;
  /**
   * Days after which checkpoints move to S3 Glacier Instant Retrieval (at least 30 days after
   * the Standard-IA transition).
   * @default 90
   */
  readonly glacierInstantRetrievalAfterDays?: number;
  /**
   * Days after which overwritten or deleted checkpoint versions expire.
   * @default 30
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * FSx for Lustre file system in front of the bucket.
   * @default - none
   */
  readonly lustre?: LustreOptions;
}

/** The FSx for Lustre file system of a checkpoint store the app does not own. */
export interface LustreFileSystemAttributes {
  /** File system id, `fs-` and 17 hex digits. */
  readonly fileSystemId: string;
  /** Storage capacity, GiB (for the free-space alarm). */
  readonly capacityGiB: number;
  /** Availability Zone of the file system (checked against training node groups). */
  readonly availabilityZone: string;
}

/** Attributes of a checkpoint bucket (and file system) the app does not own, for {@link CheckpointStore.fromStoreAttributes}. */
export interface CheckpointStoreAttributes {
  /** Name of the existing S3 bucket. */
  readonly bucketName: string;
  /**
   * ARN of the KMS key the bucket is encrypted with (SSE-KMS): grants then include the key
   * actions S3 needs (`kms:Decrypt`, and `kms:GenerateDataKey` / `kms:Encrypt` to write).
   * @default - no key statement (SSE-S3, or a key whose policy already admits the roles)
   */
  readonly kmsKeyArn?: string;
  /**
   * The FSx for Lustre file system in front of the bucket.
   * @default - none
   */
  readonly lustre?: LustreFileSystemAttributes;
}

/** A checkpoint store the app does not own. */
class ImportedCheckpointStore extends Construct implements ICheckpointStore {
  public readonly bucketName: string;
  public readonly bucketArn: string;
  public readonly fileSystemId?: string;
  public readonly lustreCapacityGiB: number;
  public readonly lustreAvailabilityZone?: string;
  private readonly keyArn?: string;
  private readonly grants = new RoleGrants(this);

  constructor(scope: Construct, id: string, attrs: CheckpointStoreAttributes) {
    super(scope, id);
    Validate.object(this, 'attrs', attrs);
    this.bucketName = Validate.s3BucketName(this, 'bucketName', attrs.bucketName);
    if (attrs.kmsKeyArn !== undefined) {
      this.keyArn = Validate.arn(this, 'kmsKeyArn', attrs.kmsKeyArn, {
        service: 'kms',
        resourcePrefix: 'key/',
      });
    }
    this.bucketArn = `arn:${awsPartition(this)}:s3:::${this.bucketName}`;
    if (attrs.lustre !== undefined) {
      const l = Validate.object<LustreFileSystemAttributes>(this, 'lustre', attrs.lustre);
      this.fileSystemId = Validate.ec2ResourceId(this, 'lustre.fileSystemId', l.fileSystemId, 'fs');
      this.lustreCapacityGiB = Validate.integer(this, 'lustre.capacityGiB', l.capacityGiB, {
        min: 1200,
        max: 10_000_000,
      });
      this.lustreAvailabilityZone = Validate.awsAvailabilityZone(
        this,
        'lustre.availabilityZone',
        l.availabilityZone,
      );
    } else {
      this.lustreCapacityGiB = 0;
    }
  }

  public grantReadWrite(role: IAwsRole): IamRolePolicy {
    return this.grants.add('grantReadWrite', role, bucketGrantStatements(this.bucketArn, this.keyArn, true));
  }

  public grantRead(role: IAwsRole): IamRolePolicy {
    return this.grants.add('grantRead', role, bucketGrantStatements(this.bucketArn, this.keyArn, false));
  }
}

/**
 * Durable checkpoints: an S3 bucket (versioned, KMS-encrypted, public access blocked,
 * TLS-only, lifecycle to cheaper tiers, old versions expired, protected from destroy) and
 * optionally an FSx for Lustre PERSISTENT_2 file system linked to it by data repository
 * associations with automatic import and export, created one after another.
 *
 * @see https://docs.aws.amazon.com/fsx/latest/LustreGuide/create-dra-linked-data-repo.html
 * @example
 * const ckpt = new CheckpointStore(stack, 'Checkpoints', { cluster, lustre: { capacityGiB: 4800 } });
 * ckpt.grantReadWrite(cluster.addWorkloadRole('Trainer', { namespace: 'training', serviceAccount: 'trainer' }));
 */
export class CheckpointStore extends Construct implements ICheckpointStore {
  /**
   * A checkpoint bucket (and FSx for Lustre file system) the app does not own: training node
   * groups write to it and `grant*` give roles access, with ARNs in the provider's partition.
   * Nothing is created for the bucket itself.
   * @example
   * const ckpt = CheckpointStore.fromStoreAttributes(stack, 'Checkpoints', { bucketName: 'acme-ckpt', kmsKeyArn });
   * ckpt.grantReadWrite(trainerRole);
   */
  public static fromStoreAttributes(
    scope: Construct,
    id: string,
    attrs: CheckpointStoreAttributes,
  ): ICheckpointStore {
    return new ImportedCheckpointStore(scope, id, attrs);
  }

  /** An existing S3 bucket (SSE-S3, no file system) as a checkpoint store; see {@link fromStoreAttributes}. */
  public static fromBucketName(scope: Construct, id: string, bucketName: string): ICheckpointStore {
    return new ImportedCheckpointStore(scope, id, { bucketName });
  }

  /** The bucket. */
  public readonly resource: S3Bucket;
  /** Bucket name. */
  public readonly bucketName: string;
  /** Bucket ARN. */
  public readonly bucketArn: string;
  /** The file system, when `lustre` is set. */
  public readonly fileSystem?: FsxLustreFileSystem;
  /** Id of the file system, when `lustre` is set. */
  public readonly fileSystemId?: string;
  /** The data repository associations, in creation order. */
  public readonly dataRepositoryAssociations: FsxDataRepositoryAssociation[] = [];
  /** Security group of the file system. */
  public readonly fileSystemSecurityGroup?: SecurityGroup;
  /** Capacity of the file system, GiB (0 without Lustre). */
  public readonly lustreCapacityGiB: number;
  /** Availability Zone of the file system, when `lustre` is set. */
  public readonly lustreAvailabilityZone?: string;
  private readonly store: SecureBucket;
  private readonly grants = new RoleGrants(this);

  constructor(scope: Construct, id: string, props: CheckpointStoreProps = {}) {
    super(scope, id);
    Validate.object(this, 'props', props ?? {});
    props = props ?? {};
    if (props.cluster !== undefined) Validate.object(this, 'cluster', props.cluster);
    if (props.protectFromDestroy !== undefined)
      Validate.boolean(this, 'protectFromDestroy', props.protectFromDestroy);
    const protect = props.protectFromDestroy ?? true;
    const ia = props.infrequentAccessAfterDays ?? 30;
    const gir = props.glacierInstantRetrievalAfterDays ?? 90;
    const nc = props.noncurrentVersionExpirationDays ?? 30;
    requireIntInRange(
      this,
      'infrequentAccessAfterDays',
      ia,
      30,
      36500,
      'S3 moves objects to Standard-IA no sooner than 30 days after creation.',
    );
    requireIntInRange(
      this,
      'glacierInstantRetrievalAfterDays',
      gir,
      ia + 30,
      36500,
      `objects stay in Standard-IA at least 30 days, so it must be >= infrequentAccessAfterDays + 30 (${ia + 30}).`,
    );
    requireIntInRange(
      this,
      'noncurrentVersionExpirationDays',
      nc,
      1,
      36500,
      'the days an overwritten checkpoint version is kept.',
    );

    this.store = new SecureBucket(this, 'Bucket', {
      bucketName: props.bucketName,
      bucketNameProp: 'bucketName',
      bucketPrefix: 'ckpt-',
      protectFromDestroy: protect,
      keyDescription: `Checkpoints ${this.node.path}`,
      lifecycleRules: [
        {
          id: 'tiering-and-old-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          transition: [
            { days: ia, storageClass: 'STANDARD_IA' },
            { days: gir, storageClass: 'GLACIER_IR' },
          ],
          noncurrentVersionExpiration: [{ noncurrentDays: nc }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    this.resource = this.store.bucket;
    this.node.defaultChild = this.resource;
    addS3BucketAssumption(this.resource);
    this.bucketName = this.resource.bucket;
    this.bucketArn = this.store.bucketArn;
    this.lustreCapacityGiB = props.lustre?.capacityGiB ?? 0;

    if (props.cluster) {
      this.grantReadWrite(props.cluster.nodeRole);
    }
    if (props.lustre !== undefined) {
      const l = Validate.object<LustreOptions>(this, 'lustre', props.lustre);
      if (!props.cluster) {
        throw new ValidationError(
          `'lustre' needs 'cluster': the file system is placed in the cluster's VPC and opened to its nodes.`,
          this,
        );
      }
      const cluster = props.cluster;
      const cap = Validate.integer(this, 'lustre.capacityGiB', l.capacityGiB, { min: 1, max: 10_000_000 });
      const tp = l.throughputMBpsPerTiB ?? 250;
      const version = l.fileSystemTypeVersion ?? '2.15';
      validatePersistent2(this, 'lustre.', {
        capacityGiB: cap,
        throughputMBpsPerTiB: tp,
        fileSystemTypeVersion: version,
      });
      if (l.subnet !== undefined) validateSubnet(this, 'lustre.subnet', l.subnet);
      const subnet = l.subnet ?? cluster.network.trainingSubnet;
      if (!subnet) {
        throw new ValidationError(
          `'lustre.subnet' is required when the network has no training subnet: FSx for Lustre takes exactly one subnet.`,
          this,
        );
      }
      this.lustreAvailabilityZone = subnet.availabilityZone;
      const repos = Validate.array<LustreDataRepository>(
        this,
        'lustre.dataRepositories',
        l.dataRepositories ?? [{ fileSystemPath: '/checkpoints', bucketPrefix: 'checkpoints/' }],
      );
      if (repos.length < 1 || repos.length > MAX_DATA_REPOSITORY_ASSOCIATIONS) {
        throw new ValidationError(
          `'lustre.dataRepositories' has ${repos.length} entries; a file system takes 1 to ${MAX_DATA_REPOSITORY_ASSOCIATIONS} data repository associations.`,
          this,
        );
      }
      const seen = new Set<string>();
      for (const r of repos) {
        if (
          !/^\/[A-Za-z0-9._/-]*[^/]$/.test(r.fileSystemPath) ||
          r.fileSystemPath === '/' ||
          seen.has(r.fileSystemPath)
        ) {
          throw new ValidationError(
            `'lustre.dataRepositories' fileSystemPath '${r.fileSystemPath}' must be a unique absolute directory other than '/', without a trailing '/', for example '/checkpoints'.`,
            this,
          );
        }
        if (r.bucketPrefix !== '' && !/^[A-Za-z0-9!_.*'()/-]+\/$/.test(r.bucketPrefix)) {
          throw new ValidationError(
            `'lustre.dataRepositories' bucketPrefix '${r.bucketPrefix}' must end with '/' (for example 'checkpoints/') or be '' for the whole bucket.`,
            this,
          );
        }
        seen.add(r.fileSystemPath);
      }
      // CreateDataRepositoryAssociation: paths must not overlap, and each DRA needs its own S3 prefix.
      for (const a of repos) {
        for (const b of repos) {
          if (a !== b && b.fileSystemPath.startsWith(`${a.fileSystemPath}/`)) {
            throw new ValidationError(
              `'lustre.dataRepositories' paths '${a.fileSystemPath}' and '${b.fileSystemPath}' overlap: data repository associations cannot be nested.`,
              this,
            );
          }
          if (a !== b && a.bucketPrefix === b.bucketPrefix) {
            throw new ValidationError(
              `'lustre.dataRepositories' bucketPrefix '${a.bucketPrefix}' is used twice: each association needs its own S3 prefix.`,
              this,
            );
          }
        }
      }

      const fs = addPersistent2FileSystem(this, {
        securityGroupId: 'FileSystemSecurityGroup',
        fileSystemId: 'FileSystem',
        what: `FSx for Lustre ${this.node.path}`,
        serversWhat: `from FSx for Lustre ${this.node.path}`,
        cluster,
        subnet,
        ports: LUSTRE_PORTS,
        capacityGiB: cap,
        throughputMBpsPerTiB: tp,
        fileSystemTypeVersion: version,
        kmsKeyId: this.store.keyArn,
        protectFromDestroy: protect,
      });
      this.fileSystemSecurityGroup = fs.securityGroup;
      this.fileSystem = fs.fileSystem;
      const fileSystemId = this.fileSystem.id;
      this.fileSystemId = fileSystemId;

      // Parallel DRAs fail with "Amazon FSx does not have the required permissions for the S3 bucket"
      // (hashicorp/terraform-provider-aws#24678): create them one after another.
      let previous: FsxDataRepositoryAssociation | undefined;
      repos.forEach((r, i) => {
        const events = ['NEW', 'CHANGED', 'DELETED'];
        const dra: FsxDataRepositoryAssociation = new FsxDataRepositoryAssociation(
          this,
          `DataRepository${i}`,
          {
            fileSystemId,
            fileSystemPath: r.fileSystemPath,
            dataRepositoryPath: `s3://${this.bucketName}/${r.bucketPrefix}`,
            batchImportMetaDataOnCreate: true,
            deleteDataInFilesystem: false,
            s3: { autoImportPolicy: { events }, autoExportPolicy: { events } },
            ...(previous ? { dependsOn: [previous] } : {}),
          },
        );
        this.dataRepositoryAssociations.push(dra);
        previous = dra;
      });
    }
  }

  /**
   * Grants read and write on the bucket (and its key) to a role. All grants to one role are one
   * inline policy whose construct id derives from the role, so repeating or reordering grants
   * changes nothing.
   */
  public grantReadWrite(role: IAwsRole): IamRolePolicy {
    return this.grants.add('grantReadWrite', role, this.store.grantStatements(true));
  }

  /** Grants read on the bucket (and its key) to a role (merged into the role's one policy). */
  public grantRead(role: IAwsRole): IamRolePolicy {
    return this.grants.add('grantRead', role, this.store.grantStatements(false));
  }
}
