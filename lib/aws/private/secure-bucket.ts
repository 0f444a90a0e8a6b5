import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import {
  S3BucketLifecycleConfiguration,
  S3BucketLifecycleConfigurationRule,
} from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import { Validate } from '../../core';
import type { PolicyStatement } from './grants';
import { awsPartition } from './partition';
import { addKmsKeyCost } from './service-prices';

/** Options of {@link SecureBucket}. */
export interface SecureBucketOptions {
  readonly bucketName?: string;
  /** The prop the user set the bucket name with, for messages. */
  readonly bucketNameProp: string;
  readonly bucketPrefix: string;
  readonly protectFromDestroy: boolean;
  readonly lifecycleRules: S3BucketLifecycleConfigurationRule[];
  readonly keyDescription: string;
}

/**
 * The lifecycle rule of a versioned artifact bucket (`old-versions`, every object): noncurrent
 * versions expire after `noncurrentDays`, incomplete multipart uploads are aborted after 7 days.
 */
export function oldVersionsRule(noncurrentDays: number): S3BucketLifecycleConfigurationRule {
  return {
    id: 'old-versions',
    status: 'Enabled',
    filter: [{ prefix: '' }],
    noncurrentVersionExpiration: [{ noncurrentDays }],
    abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
  };
}

/**
 * A private, versioned, KMS-encrypted, TLS-only S3 bucket with public access blocked and a
 * KMS key whose policy lets principals of the account use it through S3 (so the FSx
 * service-linked role of a data repository association can read and write the bucket).
 */
export class SecureBucket extends Construct {
  public readonly bucket: S3Bucket;
  public readonly key: KmsKey;
  // The attributes read more than once, each read once (every read creates a cdktf token).
  /** `bucket.id`. */
  public readonly bucketId: string;
  /** `bucket.arn`. */
  public readonly bucketArn: string;
  /** `key.arn`. */
  public readonly keyArn: string;

  constructor(scope: Construct, id: string, o: SecureBucketOptions) {
    super(scope, id);
    if (o.bucketName !== undefined) {
      Validate.s3BucketName(scope, o.bucketNameProp, o.bucketName);
    }
    const accountId = new DataAwsCallerIdentity(this, 'Account').accountId;
    this.key = new KmsKey(this, 'Key', {
      description: o.keyDescription,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      // Objects encrypted with the key are unreadable once it is deleted: protect it like the bucket.
      lifecycle: { preventDestroy: o.protectFromDestroy },
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AccountAdmin',
            Effect: 'Allow',
            Principal: { AWS: `arn:${awsPartition(this)}:iam::${accountId}:root` },
            Action: 'kms:*',
            Resource: '*',
          },
          {
            Sid: 'AccountPrincipalsThroughS3',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: [
              'kms:Encrypt',
              'kms:Decrypt',
              'kms:ReEncrypt*',
              'kms:GenerateDataKey*',
              'kms:DescribeKey',
            ],
            Resource: '*',
            Condition: {
              StringEquals: { 'kms:CallerAccount': accountId },
              StringLike: { 'kms:ViaService': 's3.*.amazonaws.com' },
            },
          },
        ],
      }),
    });
    addKmsKeyCost(this.key, 'S3 objects');
    this.bucket = new S3Bucket(this, 'Resource', {
      ...(o.bucketName ? { bucket: o.bucketName } : { bucketPrefix: o.bucketPrefix }),
      forceDestroy: false,
      lifecycle: { preventDestroy: o.protectFromDestroy },
    });
    this.bucketId = this.bucket.id;
    this.bucketArn = this.bucket.arn;
    this.keyArn = this.key.arn;
    new S3BucketOwnershipControls(this, 'Ownership', {
      bucket: this.bucketId,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    new S3BucketPublicAccessBlock(this, 'PublicAccessBlock', {
      bucket: this.bucketId,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const versioning = new S3BucketVersioningA(this, 'Versioning', {
      bucket: this.bucketId,
      versioningConfiguration: { status: 'Enabled' },
      lifecycle: { preventDestroy: o.protectFromDestroy },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'Encryption', {
      bucket: this.bucketId,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: this.keyArn },
          bucketKeyEnabled: true,
        },
      ],
    });
    new S3BucketPolicy(this, 'Policy', {
      bucket: this.bucketId,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [this.bucketArn, `${this.bucketArn}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      }),
    });
    if (o.lifecycleRules.length) {
      new S3BucketLifecycleConfiguration(this, 'Lifecycle', {
        bucket: this.bucketId,
        rule: o.lifecycleRules,
        dependsOn: [versioning],
      });
    }
  }

  /** The statements that grant read (and optionally write) on the bucket and its key. */
  public grantStatements(write: boolean): PolicyStatement[] {
    return bucketGrantStatements(this.bucketArn, this.keyArn, write);
  }
}

/**
 * The statements of a read (or read-write) grant on a bucket and, when given, its KMS key: one
 * implementation for the buckets the library owns and the ones it imports.
 */
export function bucketGrantStatements(
  bucketArn: string,
  keyArn: string | undefined,
  write: boolean,
): PolicyStatement[] {
  const s3Actions = ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:GetBucketLocation'];
  if (write) {
    s3Actions.push(
      's3:PutObject',
      's3:DeleteObject',
      's3:AbortMultipartUpload',
      's3:ListMultipartUploadParts',
    );
  }
  const kmsActions = write ? ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:Encrypt'] : ['kms:Decrypt'];
  return [
    { Effect: 'Allow', Action: s3Actions, Resource: [bucketArn, `${bucketArn}/*`] },
    ...(keyArn !== undefined ? [{ Effect: 'Allow' as const, Action: kmsActions, Resource: [keyArn] }] : []),
  ];
}
