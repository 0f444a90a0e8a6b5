import { createHash } from 'crypto';
import { ComputeGlobalAddress } from '@cdktf/provider-google/lib/compute-global-address';
import { ServiceNetworkingConnection } from '@cdktf/provider-google/lib/service-networking-connection';
import { SqlDatabase } from '@cdktf/provider-google/lib/sql-database';
import { SqlDatabaseInstance } from '@cdktf/provider-google/lib/sql-database-instance';
import { SqlUser } from '@cdktf/provider-google/lib/sql-user';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { Validate, ValidationError } from '../core';
import { CheckpointBucket } from './checkpoint-bucket';
import { IGkeCluster } from './interfaces';
import { GcpPrincipal } from './principal';
import { addCloudSqlPostgresCost } from './private/service-prices';

/**
 * The Cloud SQL database version of the MLflow backend store: PostgreSQL 17 (`POSTGRES_17`,
 * Cloud SQL "Database versions and version policies").
 * @see https://cloud.google.com/sql/docs/db-versions
 */
export const MLFLOW_CLOUD_SQL_VERSION = 'POSTGRES_17';

/** Properties of a GCP {@link MlflowStore}. */
export interface MlflowStoreProps {
  /**
   * The cluster the MLflow server runs in: the instance gets a private IP in its network and the
   * server's Kubernetes service account gets access through Workload Identity.
   */
  readonly cluster: IGkeCluster;
  /** Project number (digits) of the cluster's project, for the Workload Identity principal. */
  readonly projectNumber: string;
  /** Globally unique name of the artifact bucket. */
  readonly bucketName: string;
  /**
   * Password of the `mlflow` database user, written with the write-only `password_wo` argument
   * (Terraform 1.11 or later): it is never stored in the state or shown in a plan. Pass a
   * sensitive `TerraformVariable` (a literal would be committed with the code) and put the same
   * value in the Kubernetes Secret the k8s `MlflowServer` reads (`MlflowDatabase.kubernetesSecret`).
   */
  readonly databasePassword: string;
  /**
   * Bump to write a new `databasePassword` (write-only arguments are sent only when this changes).
   * @default 1
   */
  readonly databasePasswordVersion?: number;
  /**
   * Namespace of the MLflow server.
   * @default 'mlflow'
   */
  readonly namespace?: string;
  /**
   * Service account of the MLflow server.
   * @default 'mlflow'
   */
  readonly serviceAccount?: string;
  /**
   * Cloud SQL instance name (lower-case letters, digits and hyphens, starting with a letter; a
   * name cannot be reused for a week after deletion).
   * @default - `mlflow-` and a hash of the construct path
   */
  readonly instanceName?: string;
  /**
   * Machine tier of the Enterprise edition instance.
   * @default 'db-custom-2-7680'
   */
  readonly tier?: string;
  /**
   * Initial SSD size, GiB (10 or more); it grows automatically.
   * @default 20
   */
  readonly diskSizeGiB?: number;
  /**
   * A standby in a second zone (`REGIONAL`, doubles the price).
   * @default false
   */
  readonly highAvailability?: boolean;
  /**
   * Days transaction logs are kept for point-in-time recovery (1 to 7); 7 daily backups are kept.
   * @default 7
   */
  readonly pointInTimeRecoveryDays?: number;
  /**
   * Customer-managed key of the instance (CMEK), `projects/<p>/locations/<region>/keyRings/<r>/cryptoKeys/<k>`.
   * The Cloud SQL service agent must be able to use it (roles/cloudkms.cryptoKeyEncrypterDecrypter).
   * @default - Google-managed encryption
   */
  readonly kmsKeyName?: string;
  /**
   * Create the private services access the private IP needs (a /20 range peered to
   * `servicenetworking.googleapis.com`). A VPC has one such connection: set false when the
   * network already has one (Filestore, Parallelstore, another Cloud SQL instance).
   * @default true
   */
  readonly createPrivateServiceAccess?: boolean;
  /**
   * Keep `terraform destroy` from deleting the instance, its databases and the artifact bucket
   * (`lifecycle.prevent_destroy`); Cloud SQL deletion protection is on either way.
   * @default true
   */
  readonly protectFromDestroy?: boolean;
}

/**
 * What an MLflow tracking server on GKE needs from Google Cloud: a Cloud SQL for PostgreSQL
 * backend store, an artifact bucket and Workload Identity access.
 *
 * - Instance: PostgreSQL {@link MLFLOW_CLOUD_SQL_VERSION}, Enterprise edition, private IP only
 *   (no public IP) through private services access, TLS required (`ENCRYPTED_ONLY`), daily
 *   backups kept 7 days (and kept after the instance is deleted), point-in-time recovery,
 *   deletion protection in Terraform and in the API, `prevent_destroy`, optional CMEK. Databases
 *   `mlflow` and `mlflow_auth`, user `mlflow` with a write-only password.
 * - Artifacts: a `CheckpointBucket` with versioning (uniform access, public access prevention,
 *   soft delete, protected from destroy).
 * - Access: the server's Kubernetes service account gets `roles/storage.objectUser` on the bucket.
 *   It connects to the private IP with the password over TLS, so it needs no `roles/cloudsql.client`
 *   (that role is for the Cloud SQL Auth Proxy and connectors, which IAM database users need;
 *   IAM users cannot create MLflow's tables on PostgreSQL 15+ without a GRANT that Terraform cannot issue).
 *
 * @see https://cloud.google.com/sql/docs/postgres/configure-private-services-access
 * @example
 * const password = new TerraformVariable(stack, 'mlflow_db_password', { type: 'string', sensitive: true });
 * const store = new MlflowStore(stack, 'Mlflow', {
 *   cluster, projectNumber: '123456789012', bucketName: 'acme-mlflow-artifacts', databasePassword: password.stringValue,
 * });
 */
export class MlflowStore extends Construct {
  /** The Cloud SQL instance. */
  public readonly resource: SqlDatabaseInstance;
  /** The artifact bucket. */
  public readonly bucket: CheckpointBucket;
  /** The private services access connection, when created. */
  public readonly privateServiceAccess?: ServiceNetworkingConnection;
  /** Private IP address of the instance. */
  public readonly databaseAddress: string;
  /** Name of the tracking database (`mlflow`). */
  public readonly databaseName = 'mlflow';
  /** Name of the basic-auth database (`mlflow_auth`). */
  public readonly authDatabaseName = 'mlflow_auth';
  /** Database user (`mlflow`). */
  public readonly databaseUser = 'mlflow';
  /** `gs://<bucket>/artifacts`: the server's `--artifacts-destination`. */
  public readonly artifactsDestination: string;

  constructor(scope: Construct, id: string, props: MlflowStoreProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    const cluster = Validate.object<IGkeCluster>(this, 'cluster', props.cluster);
    const network = cluster.network;
    for (const b of ['highAvailability', 'createPrivateServiceAccess', 'protectFromDestroy'] as const) {
      if (props[b] !== undefined) Validate.boolean(this, b, props[b]);
    }
    const protect = props.protectFromDestroy ?? true;
    const password = Validate.string(this, 'databasePassword', props.databasePassword);
    if (!Token.isUnresolved(password)) {
      throw new ValidationError(
        `'databasePassword' is a literal string: it would be committed with the code. Pass a sensitive TerraformVariable ` +
          `(new TerraformVariable(stack, 'mlflow_db_password', { type: 'string', sensitive: true }).stringValue).`,
        this,
      );
    }
    const passwordVersion = Validate.integer(
      this,
      'databasePasswordVersion',
      props.databasePasswordVersion ?? 1,
      {
        min: 1,
        max: 2147483647,
      },
    );
    const name =
      props.instanceName ?? `mlflow-${createHash('sha256').update(this.node.path).digest('hex').slice(0, 8)}`;
    Validate.string(this, 'instanceName', name);
    if (!Token.isUnresolved(name) && !/^[a-z]([-a-z0-9]{0,76}[a-z0-9])?$/.test(name)) {
      throw new ValidationError(
        `'instanceName' ('${name}') must be lower-case letters, digits and hyphens, start with a letter and end with a letter or digit (at most 78), for example 'mlflow-prod'.`,
        this,
      );
    }
    const tier = Validate.string(this, 'tier', props.tier ?? 'db-custom-2-7680');
    if (!Token.isUnresolved(tier) && !/^db-custom-\d{1,2}-\d{3,6}$/.test(tier)) {
      throw new ValidationError(
        `'tier' ('${tier}') must be an Enterprise edition custom machine 'db-custom-<vCPUs>-<memory MB>', for example 'db-custom-2-7680'.`,
        this,
      );
    }
    const disk = Validate.integer(this, 'diskSizeGiB', props.diskSizeGiB ?? 20, { min: 10, max: 65536 });
    const pitr = Validate.integer(this, 'pointInTimeRecoveryDays', props.pointInTimeRecoveryDays ?? 7, {
      min: 1,
      max: 7,
      reason: 'Enterprise edition keeps transaction logs 1 to 7 days',
    });
    if (props.kmsKeyName !== undefined) {
      Validate.string(this, 'kmsKeyName', props.kmsKeyName);
      if (
        !Token.isUnresolved(props.kmsKeyName) &&
        !/^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/.test(props.kmsKeyName)
      ) {
        throw new ValidationError(
          `'kmsKeyName' ('${props.kmsKeyName}') must be 'projects/<project>/locations/<region>/keyRings/<ring>/cryptoKeys/<key>' (a key in the instance's region).`,
          this,
        );
      }
    }
    const namespace = props.namespace ?? 'mlflow';
    const serviceAccount = props.serviceAccount ?? 'mlflow';
    const principal = GcpPrincipal.kubernetesServiceAccount({
      projectNumber: props.projectNumber,
      project: cluster.project,
      workloadIdentityPool: cluster.workloadIdentityPool,
      namespace,
      serviceAccount,
    });
    const networkId = `projects/${network.project}/global/networks/${network.networkName}`;

    if (props.createPrivateServiceAccess ?? true) {
      const range = new ComputeGlobalAddress(this, 'PrivateServiceRange', {
        project: network.project,
        name: `${name}-psa`,
        purpose: 'VPC_PEERING',
        addressType: 'INTERNAL',
        prefixLength: 20,
        network: networkId,
      });
      this.privateServiceAccess = new ServiceNetworkingConnection(this, 'PrivateServiceAccess', {
        network: networkId,
        service: 'servicenetworking.googleapis.com',
        reservedPeeringRanges: [range.name],
        // Removing the peering fails while any producer service still uses it.
        deletionPolicy: 'ABANDON',
      });
    }

    this.resource = new SqlDatabaseInstance(this, 'Resource', {
      project: network.project,
      name,
      region: network.region,
      databaseVersion: MLFLOW_CLOUD_SQL_VERSION,
      deletionProtection: true,
      ...(props.kmsKeyName ? { encryptionKeyName: props.kmsKeyName } : {}),
      settings: {
        // PostgreSQL 16+ instances default to Enterprise Plus (perf-optimized tiers only).
        edition: 'ENTERPRISE',
        tier,
        availabilityType: props.highAvailability ? 'REGIONAL' : 'ZONAL',
        diskType: 'PD_SSD',
        diskSize: disk,
        diskAutoresize: true,
        deletionProtectionEnabled: true,
        retainBackupsOnDelete: true,
        ipConfiguration: {
          ipv4Enabled: false,
          privateNetwork: networkId,
          sslMode: 'ENCRYPTED_ONLY',
        },
        backupConfiguration: {
          enabled: true,
          pointInTimeRecoveryEnabled: true,
          transactionLogRetentionDays: pitr,
          startTime: '03:00',
          backupRetentionSettings: { retainedBackups: 7, retentionUnit: 'COUNT' },
        },
        maintenanceWindow: { day: 7, hour: 4, updateTrack: 'stable' },
        insightsConfig: { queryInsightsEnabled: true },
      },
      lifecycle: { preventDestroy: protect },
      ...(this.privateServiceAccess ? { dependsOn: [this.privateServiceAccess] } : {}),
    });
    this.node.defaultChild = this.resource;
    addCloudSqlPostgresCost(this.resource, {
      tier,
      highAvailability: props.highAvailability ?? false,
      diskGb: disk,
    });
    this.databaseAddress = this.resource.privateIpAddress;
    for (const [cid, db] of [
      ['TrackingDatabase', this.databaseName],
      ['AuthDatabase', this.authDatabaseName],
    ] as const) {
      new SqlDatabase(this, cid, {
        project: network.project,
        instance: this.resource.name,
        name: db,
        lifecycle: { preventDestroy: protect },
      });
    }
    new SqlUser(this, 'User', {
      project: network.project,
      instance: this.resource.name,
      name: this.databaseUser,
      passwordWo: password,
      passwordWoVersion: passwordVersion,
    });

    this.bucket = new CheckpointBucket(this, 'Artifacts', {
      bucketName: props.bucketName,
      location: network.region,
      project: network.project,
      versioning: true,
      hierarchicalNamespace: false,
      protectFromDestroy: protect,
    });
    this.bucket.grantReadWrite(principal);
    this.artifactsDestination = `${this.bucket.url}/artifacts`;
  }
}
