import { StorageBucket, StorageBucketLifecycleRule } from '@cdktf/provider-google/lib/storage-bucket';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { Construct } from 'constructs';
import { raiseDeferredDeprecations, Validate, ValidationError } from '../core';
import { ICheckpointBucket } from './interfaces';
import { GcpPrincipal } from './principal';
import { grantId, unresolved, validateStorageLocation } from './private/names';
import { addGcsBucketAssumption } from './private/service-prices';

/** Smallest non-zero soft-delete retention GCS accepts: 7 days. */
export const SOFT_DELETE_MIN_SECONDS = 604800;
/** Largest soft-delete retention GCS accepts: 90 days. */
export const SOFT_DELETE_MAX_SECONDS = 7776000;

/** Properties of {@link CheckpointBucket}. */
export interface CheckpointBucketProps {
  /** Globally unique bucket name. */
  readonly bucketName: string;
  /** Location: the region of the GPUs (co-locate to avoid egress and latency), for example `us-central1`. */
  readonly location: string;
  /**
   * Project id.
   * @default - the provider's project
   */
  readonly project?: string;
  /**
   * Hierarchical namespace (folders with atomic renames; faster checkpoint writes through GCS FUSE,
   * GKE >= 1.31). Creation-time only; needs uniform bucket-level access; excludes versioning.
   * @default - true, unless `versioning` is true
   */
  readonly hierarchicalNamespace?: boolean;
  /**
   * Object versioning (not with a hierarchical namespace).
   * @default false
   */
  readonly versioning?: boolean;
  /**
   * Days a noncurrent version is kept when versioning is on.
   * @default 30
   */
  readonly noncurrentVersionRetentionDays?: number;
  /**
   * Soft-delete retention, seconds: 0 (off) or 604800 (7 days) to 7776000 (90 days). Soft-deleted
   * bytes are billed: high-churn checkpoint buckets keep it short.
   * @default 604800 (7 days)
   */
  readonly softDeleteRetentionSeconds?: number;
  /**
   * Delete objects this many days after creation (old checkpoints).
   * @default - objects are kept
   */
  readonly deleteObjectsAfterDays?: number;
  /**
   * Abort incomplete multipart uploads after this many days.
   * @default 1
   */
  readonly abortIncompleteUploadsAfterDays?: number;
  /**
   * More lifecycle rules, rendered after the library's.
   * @default - none
   */
  readonly lifecycleRules?: StorageBucketLifecycleRule[];
  /**
   * Refuse `terraform destroy` (`lifecycle.prevent_destroy`). `force_destroy` is always false.
   * @default true
   */
  readonly protectFromDestroy?: boolean;
  /**
   * Principals granted `roles/storage.objectUser` (read, write, delete objects).
   * @default - none
   */
  readonly readWriters?: GcpPrincipal[];
  /**
   * Principals granted `roles/storage.objectViewer`.
   * @default - none
   */
  readonly readers?: GcpPrincipal[];
  /**
   * GCE labels.
   * @default - the stack's Tags only
   */
  readonly labels?: Record<string, string>;
}

/** A GCS bucket the app does not own: grants are bucket IAM members on it. */
class ImportedCheckpointBucket extends Construct implements ICheckpointBucket {
  public readonly bucketName: string;
  public readonly url: string;

  constructor(scope: Construct, id: string, bucketName: string) {
    super(scope, id);
    this.bucketName = Validate.gcsBucketName(this, 'bucketName', bucketName);
    this.url = `gs://${this.bucketName}`;
  }

  public grantReadWrite(principal: GcpPrincipal): StorageBucketIamMember {
    return bucketGrant(this, this.bucketName, 'roles/storage.objectUser', principal);
  }

  public grantRead(principal: GcpPrincipal): StorageBucketIamMember {
    return bucketGrant(this, this.bucketName, 'roles/storage.objectViewer', principal);
  }
}

/** One IAM member on a bucket, its construct id derived from the grant (the same grant twice is one binding). */
function bucketGrant(
  scope: Construct,
  bucket: string,
  role: string,
  principal: GcpPrincipal,
): StorageBucketIamMember {
  if (!(principal instanceof GcpPrincipal)) {
    throw new ValidationError(
      `the principal must be a GcpPrincipal (GcpPrincipal.serviceAccount(...) or GcpPrincipal.kubernetesServiceAccount(...)).`,
      scope,
      'type',
    );
  }
  raiseDeferredDeprecations(scope, principal);
  const id = grantId(scope, role, principal.member);
  const existing = scope.node.tryFindChild(id);
  if (existing) return existing as StorageBucketIamMember;
  return new StorageBucketIamMember(scope, id, { bucket, role, member: principal.member });
}

/**
 * A GCS bucket for training checkpoints (also used for model artifacts): uniform bucket-level
 * access, public access prevention enforced, a hierarchical namespace or versioning (never
 * both), soft delete within the allowed range, lifecycle rules, `force_destroy = false` and
 * `prevent_destroy` by default, and object access for workloads through Workload Identity.
 *
 * @see https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/storage_bucket
 * @example
 * const ckpt = new CheckpointBucket(stack, 'Checkpoints', { bucketName: 'acme-llm-ckpt', location: 'us-central1' });
 * ckpt.grantReadWrite(GcpPrincipal.kubernetesServiceAccount({
 *   projectNumber: '123456789012', project: 'acme-ml', namespace: 'training', serviceAccount: 'trainer',
 * }));
 */
export class CheckpointBucket extends Construct implements ICheckpointBucket {
  /**
   * A bucket the app does not own (checkpoints or model weights), for grants through Workload
   * Identity. Nothing is created for the bucket itself; the name is validated.
   * @example
   * CheckpointBucket.fromBucketName(stack, 'Models', 'acme-models').grantRead(servingPrincipal);
   */
  public static fromBucketName(scope: Construct, id: string, bucketName: string): ICheckpointBucket {
    return new ImportedCheckpointBucket(scope, id, bucketName);
  }

  /** The bucket name. */
  public readonly bucketName: string;
  /** `gs://<name>`. */
  public readonly url: string;
  /** The bucket. */
  public readonly resource: StorageBucket;

  constructor(scope: Construct, id: string, props: CheckpointBucketProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    Validate.gcsBucketName(this, 'bucketName', props.bucketName);
    validateStorageLocation(this, 'location', props.location);
    if (props.project !== undefined) Validate.gcpProjectId(this, 'project', props.project);
    if (props.labels !== undefined) Validate.gcpLabels(this, 'labels', props.labels);
    for (const b of ['hierarchicalNamespace', 'versioning', 'protectFromDestroy'] as const) {
      if (props[b] !== undefined) Validate.boolean(this, b, props[b]);
    }
    if (props.lifecycleRules !== undefined) Validate.array(this, 'lifecycleRules', props.lifecycleRules);
    const readWriters = Validate.array<GcpPrincipal>(this, 'readWriters', props.readWriters ?? []);
    const readers = Validate.array<GcpPrincipal>(this, 'readers', props.readers ?? []);
    for (const [prop, list] of [
      ['readWriters', readWriters],
      ['readers', readers],
    ] as const) {
      list.forEach((p, i) => {
        if (!(p instanceof GcpPrincipal)) {
          throw new ValidationError(
            `'${prop}[${i}]' must be a GcpPrincipal (GcpPrincipal.serviceAccount(...) or GcpPrincipal.kubernetesServiceAccount(...)).`,
            this,
            'type',
          );
        }
        raiseDeferredDeprecations(this, p);
      });
    }
    const versioning = props.versioning ?? false;
    const hns = props.hierarchicalNamespace ?? !versioning;
    if (hns && versioning) {
      throw new ValidationError(
        `'hierarchicalNamespace' and 'versioning' are both true: GCS buckets with a hierarchical namespace cannot be versioned. Keep HNS for checkpoints (soft delete protects deletions) or set hierarchicalNamespace: false.`,
        this,
      );
    }
    const soft = Validate.integer(
      this,
      'softDeleteRetentionSeconds',
      props.softDeleteRetentionSeconds ?? SOFT_DELETE_MIN_SECONDS,
      {},
    );
    if (
      !unresolved(soft) &&
      (!Number.isInteger(soft) ||
        (soft !== 0 && (soft < SOFT_DELETE_MIN_SECONDS || soft > SOFT_DELETE_MAX_SECONDS)))
    ) {
      throw new ValidationError(
        `'softDeleteRetentionSeconds' (${soft}) must be 0 (off) or from ${SOFT_DELETE_MIN_SECONDS} (7 days) to ${SOFT_DELETE_MAX_SECONDS} (90 days).`,
        this,
      );
    }
    const days = (prop: string, v: number | undefined) => {
      // Object Lifecycle Management ages are whole days; 36500 (100 years) bounds typos.
      if (v !== undefined) Validate.integer(this, prop, v, { min: 1, max: 36500, reason: 'days' });
    };
    days('deleteObjectsAfterDays', props.deleteObjectsAfterDays);
    days('abortIncompleteUploadsAfterDays', props.abortIncompleteUploadsAfterDays);
    days('noncurrentVersionRetentionDays', props.noncurrentVersionRetentionDays);
    if (props.noncurrentVersionRetentionDays !== undefined && !versioning) {
      throw new ValidationError(
        `'noncurrentVersionRetentionDays' is set but 'versioning' is false: enable versioning or drop it.`,
        this,
      );
    }

    const rules: StorageBucketLifecycleRule[] = [
      {
        action: { type: 'AbortIncompleteMultipartUpload' },
        condition: { age: props.abortIncompleteUploadsAfterDays ?? 1 },
      },
    ];
    if (props.deleteObjectsAfterDays !== undefined) {
      rules.push({
        action: { type: 'Delete' },
        condition: { age: props.deleteObjectsAfterDays, withState: 'ANY' },
      });
    }
    if (versioning) {
      rules.push({
        action: { type: 'Delete' },
        condition: {
          daysSinceNoncurrentTime: props.noncurrentVersionRetentionDays ?? 30,
          withState: 'ARCHIVED',
        },
      });
    }
    rules.push(...(props.lifecycleRules ?? []));

    this.resource = new StorageBucket(this, 'Resource', {
      project: props.project,
      name: props.bucketName,
      location: props.location,
      storageClass: 'STANDARD',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      forceDestroy: false,
      hierarchicalNamespace: { enabled: hns },
      ...(versioning ? { versioning: { enabled: true } } : {}),
      softDeletePolicy: { retentionDurationSeconds: soft },
      lifecycleRule: rules,
      labels: props.labels,
      lifecycle: { preventDestroy: props.protectFromDestroy ?? true },
    });
    this.node.defaultChild = this.resource;
    addGcsBucketAssumption(this.resource, props.location);
    this.bucketName = this.resource.name;
    this.url = `gs://${this.bucketName}`;
    for (const p of readWriters) {
      this.grantReadWrite(p);
    }
    for (const p of readers) {
      this.grantRead(p);
    }
  }

  /** Grants `roles/storage.objectUser` (read, write and delete objects; what GCS FUSE checkpointing needs). */
  public grantReadWrite(principal: GcpPrincipal): StorageBucketIamMember {
    return this.grant('roles/storage.objectUser', principal);
  }

  /** Grants `roles/storage.objectViewer`. */
  public grantRead(principal: GcpPrincipal): StorageBucketIamMember {
    return this.grant('roles/storage.objectViewer', principal);
  }

  private grant(role: string, principal: GcpPrincipal): StorageBucketIamMember {
    return bucketGrant(this, this.bucketName, role, principal);
  }
}
