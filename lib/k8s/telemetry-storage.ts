import { Validate } from '../core';

/** Where a {@link TelemetryStorage} keeps the data. */
export enum TelemetryStorageKind {
  /** An Amazon S3 bucket, reached with the pod's AWS identity (EKS Pod Identity or IRSA). */
  S3 = 's3',
  /** A Google Cloud Storage bucket, reached with the pod's Google identity (Workload Identity). */
  GCS = 'gcs',
  /** The pod's persistent volume only (no object storage). */
  VOLUME = 'volume',
}

/** Options of {@link TelemetryStorage.s3}. */
export interface S3TelemetryStorageOptions {
  /** Bucket name (created beforehand, for example with `aws.CheckpointStore`, which is KMS-encrypted and protected). */
  readonly bucket: string;
  /** AWS region of the bucket, for example `us-west-2`. */
  readonly region: string;
}

/** Options of {@link TelemetryStorage.gcs}. */
export interface GcsTelemetryStorageOptions {
  /** Bucket name (created beforehand, for example with `gcp.CheckpointBucket`). */
  readonly bucket: string;
}

/**
 * The object storage of a {@link Tempo} or {@link Loki}: trace blocks and log chunks go to S3 or
 * GCS, read and written with the pod's cloud identity (no keys in the chart values), or stay on
 * the pod's persistent volume.
 *
 * Identity: on EKS, bind the service account (`Tempo.serviceAccountName`, `Loki.serviceAccountName`)
 * with `cluster.addWorkloadRole(...)` and grant it the bucket (`CheckpointStore.grantReadWrite(role)`);
 * Tempo 2.10 (minio-go 7.1, `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`) and Loki 3.7 (aws-sdk-go-v2
 * default chain) read EKS Pod Identity credentials. On GKE, grant the Kubernetes service account
 * itself (`CheckpointBucket.grantReadWrite(GcpPrincipal.kubernetesServiceAccount(...))`): both read
 * Application Default Credentials.
 */
export class TelemetryStorage {
  /** An S3 bucket. */
  public static s3(options: S3TelemetryStorageOptions): TelemetryStorage {
    Validate.object(undefined, 'TelemetryStorage.s3 options', options);
    const bucket = Validate.s3BucketName(undefined, 'TelemetryStorage.s3 bucket', options.bucket);
    const region = Validate.awsRegion(undefined, 'TelemetryStorage.s3 region', options.region);
    return new TelemetryStorage(TelemetryStorageKind.S3, bucket, region);
  }

  /** A GCS bucket. */
  public static gcs(options: GcsTelemetryStorageOptions): TelemetryStorage {
    Validate.object(undefined, 'TelemetryStorage.gcs options', options);
    const bucket = Validate.gcsBucketName(undefined, 'TelemetryStorage.gcs bucket', options.bucket);
    return new TelemetryStorage(TelemetryStorageKind.GCS, bucket);
  }

  /**
   * The pod's persistent volume only: one replica, data lost with the volume. For a test cluster
   * or an on-premises cluster without object storage.
   */
  public static volume(): TelemetryStorage {
    return new TelemetryStorage(TelemetryStorageKind.VOLUME);
  }

  private constructor(
    /** Which storage. */
    public readonly kind: TelemetryStorageKind,
    /** Bucket name (S3, GCS). */
    public readonly bucket?: string,
    /** AWS region (S3). */
    public readonly region?: string,
  ) {}

  /** The S3 endpoint of the bucket's region (Tempo requires one). */
  public get s3Endpoint(): string | undefined {
    if (this.kind !== TelemetryStorageKind.S3 || this.region === undefined) return undefined;
    const suffix = this.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    return `s3.${this.region}.${suffix}`;
  }
}
