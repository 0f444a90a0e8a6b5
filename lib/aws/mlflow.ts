import { createHash } from 'crypto';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { Validate, ValidationError } from '../core';
import { WorkloadRole } from './cluster';
import { IEksCluster } from './interfaces';
import { requireIntInRange } from './private/node-group-common';
import { oldVersionsRule, SecureBucket } from './private/secure-bucket';
import { addKmsKeyCost, addRdsPostgresCost, addSecretCost } from './private/service-prices';

/**
 * The PostgreSQL major version of the MLflow backend store: 17, in RDS standard support until
 * 2030-02-28 (Amazon RDS for PostgreSQL release calendar). A major version alone lets RDS pick
 * the newest minor and apply minor upgrades (`auto_minor_version_upgrade`).
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html
 */
export const MLFLOW_RDS_POSTGRES_VERSION = '17';

/** Properties of an {@link MlflowStore}. */
export interface MlflowStoreProps {
  /**
   * The cluster the MLflow server runs in: the database is placed in its network's private
   * subnets and reachable only from its nodes and pods (the cluster security group, which the
   * library puts on every node interface), and the server's Pod Identity role is bound there.
   */
  readonly cluster: IEksCluster;
  /**
   * Namespace of the MLflow server (the k8s `MlflowServer`'s `namespace`).
   * @default 'mlflow'
   */
  readonly namespace?: string;
  /**
   * Service account of the MLflow server (the k8s `MlflowServer`'s `name`).
   * @default 'mlflow'
   */
  readonly serviceAccount?: string;
  /**
   * RDS instance identifier (1-63 letters, digits or hyphens, starting with a letter); the final
   * snapshot is `<identifier>-final`.
   * @default - `mlflow-` and a hash of the construct path
   */
  readonly identifier?: string;
  /**
   * DB instance class.
   * @default 'db.t4g.medium'
   */
  readonly instanceClass?: string;
  /**
   * Allocated gp3 storage, GiB (20 to 65536); storage autoscaling grows it to
   * `maxAllocatedStorageGiB`.
   * @default 20
   */
  readonly allocatedStorageGiB?: number;
  /**
   * Upper limit of storage autoscaling, GiB.
   * @default 100
   */
  readonly maxAllocatedStorageGiB?: number;
  /**
   * A standby in a second Availability Zone (doubles the instance price).
   * @default false
   */
  readonly multiAz?: boolean;
  /**
   * Days automated backups (and point-in-time recovery) are kept, 1 to 35.
   * @default 7
   */
  readonly backupRetentionDays?: number;
  /**
   * IAM database authentication (`rds-db:connect` for people and tools); the MLflow server
   * itself logs in with the managed master password.
   * @default false
   */
  readonly iamAuthentication?: boolean;
  /**
   * Keep `terraform destroy` from deleting the database, its key and the artifact bucket
   * (`lifecycle.prevent_destroy`); RDS deletion protection is on either way.
   * @default true
   */
  readonly protectFromDestroy?: boolean;
  /**
   * Artifact bucket name.
   * @default - a unique name Terraform generates from the prefix `mlflow-`
   */
  readonly bucketName?: string;
  /**
   * Days after which overwritten or deleted artifact versions expire.
   * @default 30
   */
  readonly noncurrentVersionExpirationDays?: number;
}

/**
 * What an MLflow tracking server on EKS needs from AWS: an RDS for PostgreSQL backend store, an
 * artifact bucket and the server's EKS Pod Identity role.
 *
 * - Database: PostgreSQL {@link MLFLOW_RDS_POSTGRES_VERSION} in the network's private subnets, its
 *   own security group open on 5432 to the cluster security group only, not publicly
 *   accessible, storage encrypted with its own KMS key, automated backups, deletion protection,
 *   `prevent_destroy` and a final snapshot, the master password managed by RDS in Secrets
 *   Manager (`manage_master_user_password`, encrypted with the same key), RDS Extended Support
 *   refused (no surprise charges after the major version's end of standard support).
 * - Artifacts: a versioned, KMS-encrypted, TLS-only bucket with public access blocked.
 * - Role: read-write on the bucket, `secretsmanager:GetSecretValue` on the master user secret
 *   and `kms:Decrypt` on its key, bound to the server's service account.
 *
 * Pass {@link masterUserSecretArn}, {@link databaseAddress} and {@link artifactsDestination} to
 * the k8s `MlflowServer` (`MlflowDatabase.awsSecretsManager`).
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html
 * @example
 * const store = new MlflowStore(stack, 'Mlflow', { cluster });
 * // in the workloads stack:
 * new k8s.MlflowServer(workloads, 'Mlflow', {
 *   database: k8s.MlflowDatabase.awsSecretsManager({ host: store.databaseAddress, secretArn: store.masterUserSecretArn, region: 'us-east-1' }),
 *   artifactsDestination: store.artifactsDestination,
 *   adminSecretName: 'mlflow-admin',
 * });
 */
export class MlflowStore extends Construct {
  /** The database. */
  public readonly resource: DbInstance;
  /** The database's security group. */
  public readonly securityGroup: SecurityGroup;
  /** The key of the database storage and its master user secret. */
  public readonly databaseKey: KmsKey;
  /** The server's Pod Identity role. */
  public readonly role: WorkloadRole;
  /** The role's inline policy. */
  public readonly policy: IamRolePolicy;
  /** Host name of the database. */
  public readonly databaseAddress: string;
  /** Port of the database (5432). */
  public readonly databasePort = 5432;
  /** Name of the tracking database (`mlflow`). */
  public readonly databaseName = 'mlflow';
  /** ARN of the Secrets Manager secret RDS keeps the master user name and password in. */
  public readonly masterUserSecretArn: string;
  /** Artifact bucket name. */
  public readonly bucketName: string;
  /** Artifact bucket ARN. */
  public readonly bucketArn: string;
  /** `s3://<bucket>/artifacts`: the server's `--artifacts-destination`. */
  public readonly artifactsDestination: string;
  private readonly bucket: SecureBucket;

  constructor(scope: Construct, id: string, props: MlflowStoreProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    const cluster = Validate.object<IEksCluster>(this, 'cluster', props.cluster);
    if (props.protectFromDestroy !== undefined)
      Validate.boolean(this, 'protectFromDestroy', props.protectFromDestroy);
    if (props.multiAz !== undefined) Validate.boolean(this, 'multiAz', props.multiAz);
    if (props.iamAuthentication !== undefined)
      Validate.boolean(this, 'iamAuthentication', props.iamAuthentication);
    const protect = props.protectFromDestroy ?? true;
    const identifier =
      props.identifier ?? `mlflow-${createHash('sha256').update(this.node.path).digest('hex').slice(0, 8)}`;
    Validate.string(this, 'identifier', identifier);
    if (
      !Token.isUnresolved(identifier) &&
      (!/^[a-zA-Z][a-zA-Z0-9-]{0,56}$/.test(identifier) ||
        identifier.includes('--') ||
        identifier.endsWith('-'))
    ) {
      throw new ValidationError(
        `'identifier' ('${identifier}') must be 1 to 57 letters, digits or hyphens, start with a letter, and have no two ` +
          `consecutive hyphens and no trailing hyphen (RDS rules; 57 so that '<identifier>-final' fits 63), for example 'mlflow-prod'.`,
        this,
      );
    }
    const instanceClass = Validate.string(this, 'instanceClass', props.instanceClass ?? 'db.t4g.medium');
    if (!Token.isUnresolved(instanceClass) && !/^db\.[a-z0-9-]+\.[a-z0-9]+$/.test(instanceClass)) {
      throw new ValidationError(
        `'instanceClass' ('${instanceClass}') is not an RDS instance class such as 'db.t4g.medium' or 'db.m7g.large'.`,
        this,
      );
    }
    const storage = props.allocatedStorageGiB ?? 20;
    requireIntInRange(
      this,
      'allocatedStorageGiB',
      storage,
      20,
      65536,
      'RDS gp3 storage for PostgreSQL is 20 to 65536 GiB.',
    );
    const maxStorage = props.maxAllocatedStorageGiB ?? Math.max(100, storage);
    requireIntInRange(
      this,
      'maxAllocatedStorageGiB',
      maxStorage,
      storage,
      65536,
      `storage autoscaling needs a limit >= 'allocatedStorageGiB' (${storage}).`,
    );
    const backups = props.backupRetentionDays ?? 7;
    requireIntInRange(
      this,
      'backupRetentionDays',
      backups,
      1,
      35,
      'RDS keeps automated backups 1 to 35 days (0 turns them off).',
    );
    const nc = props.noncurrentVersionExpirationDays ?? 30;
    requireIntInRange(
      this,
      'noncurrentVersionExpirationDays',
      nc,
      1,
      36500,
      'the days an overwritten artifact version is kept.',
    );
    const namespace = props.namespace ?? 'mlflow';
    const serviceAccount = props.serviceAccount ?? 'mlflow';
    const subnets = cluster.network.privateSubnets;
    const zones = new Set(subnets.map((s) => s.availabilityZone));
    if (subnets.length < 2 || zones.size < 2) {
      throw new ValidationError(
        `the cluster's network has private subnets in ${zones.size} Availability Zone(s): an RDS DB subnet group needs subnets in at least 2.`,
        this,
      );
    }

    this.databaseKey = new KmsKey(this, 'DatabaseKey', {
      description: `MLflow database ${this.node.path}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      lifecycle: { preventDestroy: protect },
    });
    addKmsKeyCost(this.databaseKey, 'MLflow database');
    // Attributes read more than once are read once: each read creates a cdktf token.
    const databaseKeyArn = this.databaseKey.arn;
    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      vpcId: cluster.network.vpcId,
      description: `MLflow database ${this.node.path}: PostgreSQL from the cluster`,
      tags: { Name: `${this.node.path}/database` },
    });
    const securityGroupId = this.securityGroup.id;
    new VpcSecurityGroupIngressRule(this, 'FromCluster', {
      securityGroupId,
      referencedSecurityGroupId: cluster.clusterSecurityGroupId,
      ipProtocol: 'tcp',
      fromPort: 5432,
      toPort: 5432,
      description: 'PostgreSQL from the EKS cluster security group (nodes and pods)',
    });
    const subnetGroup = new DbSubnetGroup(this, 'SubnetGroup', {
      name: identifier.toLowerCase(),
      description: `MLflow database ${this.node.path}`,
      subnetIds: subnets.map((s) => s.subnetId),
    });
    this.resource = new DbInstance(this, 'Resource', {
      identifier: identifier.toLowerCase(),
      engine: 'postgres',
      engineVersion: MLFLOW_RDS_POSTGRES_VERSION,
      autoMinorVersionUpgrade: true,
      engineLifecycleSupport: 'open-source-rds-extended-support-disabled',
      instanceClass,
      allocatedStorage: storage,
      maxAllocatedStorage: maxStorage,
      storageType: 'gp3',
      storageEncrypted: true,
      kmsKeyId: databaseKeyArn,
      dbName: this.databaseName,
      username: 'mlflow',
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: databaseKeyArn,
      iamDatabaseAuthenticationEnabled: props.iamAuthentication ?? false,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [securityGroupId],
      publiclyAccessible: false,
      multiAz: props.multiAz ?? false,
      port: this.databasePort,
      backupRetentionPeriod: backups,
      copyTagsToSnapshot: true,
      deletionProtection: true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${identifier.toLowerCase()}-final`,
      applyImmediately: false,
      tags: { Name: this.node.path },
      lifecycle: { preventDestroy: protect },
    });
    this.node.defaultChild = this.resource;
    addRdsPostgresCost(this.resource, {
      instanceClass,
      multiAz: props.multiAz ?? false,
      allocatedGiB: storage,
      maxAllocatedGiB: maxStorage,
      backupRetentionDays: backups,
    });
    addSecretCost(this.resource, 'RDS-managed master user password');
    this.databaseAddress = this.resource.address;
    this.masterUserSecretArn = this.resource.masterUserSecret.get(0).secretArn;

    this.bucket = new SecureBucket(this, 'Artifacts', {
      bucketName: props.bucketName,
      bucketNameProp: 'bucketName',
      bucketPrefix: 'mlflow-',
      protectFromDestroy: protect,
      keyDescription: `MLflow artifacts ${this.node.path}`,
      lifecycleRules: [oldVersionsRule(nc)],
    });
    this.bucketName = this.bucket.bucket.bucket;
    this.bucketArn = this.bucket.bucketArn;
    this.artifactsDestination = `s3://${this.bucketName}/artifacts`;

    this.role = new WorkloadRole(this, 'ServerRole', cluster, { namespace, serviceAccount });
    this.policy = new IamRolePolicy(this, 'ServerAccess', {
      role: this.role.roleName,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          ...this.bucket.grantStatements(true),
          {
            Effect: 'Allow',
            Action: ['secretsmanager:GetSecretValue'],
            Resource: [this.masterUserSecretArn],
          },
          { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [databaseKeyArn] },
        ],
      }),
    });
  }
}
