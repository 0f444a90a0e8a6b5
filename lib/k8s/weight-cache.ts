import { JobV1 } from '@cdktf/provider-kubernetes/lib/job-v1';
import { PersistentVolumeClaimV1 } from '@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { PersistentVolumeV1 } from '@cdktf/provider-kubernetes/lib/persistent-volume-v1';
import { StorageClassV1 } from '@cdktf/provider-kubernetes/lib/storage-class-v1';
import { ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { Validate, ValidationError, Warnings } from '../core';
import { BUCKET_URI, MANAGED_BY, nameFromId, assertDnsLabel, assertInteger } from './private/common';
import { PodSecurityLevel } from './pod-security';
import { PodVolume } from './pod-spec';
import { IMAGES, imageRef } from './versions';
import {
  CachedWeightsOptions,
  IWeightCache,
  VolumeAccessMode,
  WeightCacheReadRate,
  WeightsSource,
} from './weights';

/**
 * The read rate the library assumes for a bucket-backed volume whose client throughput is not
 * provisioned (Mountpoint for S3, Cloud Storage FUSE): the same conservative 50 MiB/s
 * `ModelServer` assumes for any source it knows nothing about. Neither project publishes a
 * per-client figure to size from; measure yours (the engine's "Loading weights took" log line)
 * and pass `readMiBPerSecond`.
 */
export const UNMEASURED_READ_MIB_PER_SECOND = 50;

/** MB (10^6 bytes, as FSx and Hyperdisk quote throughput) in MiB. */
const MB_IN_MIB = 1e6 / 2 ** 20;

/** Options of {@link WeightVolumeSource.fsxLustre}. */
export interface FsxLustreVolumeOptions {
  /** File system id, `fs-` and 8 or 17 hex digits (`LustreWeightCache.fileSystemId`). */
  readonly fileSystemId: string;
  /** DNS name of the file system (`LustreWeightCache.dnsName`). */
  readonly dnsName: string;
  /** Lustre mount name (`LustreWeightCache.mountName`). */
  readonly mountName: string;
  /**
   * Directory of the file system linked to the model bucket (the data repository association's
   * `fileSystemPath`), for example `/models`: the server reads below it.
   * @default '/'
   */
  readonly subPath?: string;
  /**
   * Provisioned throughput of the whole file system, MB/s: storage TiB × per-unit throughput
   * (FSx API `LustreFileSystemConfiguration.PerUnitStorageThroughput`, "File system throughput
   * capacity is equal to Storage capacity (TiB) * PerUnitStorageThroughput (MB/s/TiB)").
   * Replicas starting together share it. `LustreWeightCache.throughputMBps` gives it.
   */
  readonly throughputMBps: number;
}

/** Options of {@link WeightVolumeSource.s3Mountpoint}. */
export interface S3MountpointVolumeOptions {
  /** Bucket name (in the cluster's Region for full speed). */
  readonly bucketName: string;
  /** AWS Region of the bucket, for example `us-east-1` (Mountpoint's `region` option). */
  readonly region: string;
  /**
   * Key prefix to mount (Mountpoint's `prefix` option), ending with `/`.
   * @default - the whole bucket
   */
  readonly prefix?: string;
  /**
   * Read rate of one node's Mountpoint client, MiB/s.
   * @default UNMEASURED_READ_MIB_PER_SECOND
   */
  readonly readMiBPerSecond?: number;
}

/** Options of {@link WeightVolumeSource.gcsFuse}. */
export interface GcsFuseVolumeOptions {
  /** Bucket name. */
  readonly bucketName: string;
  /**
   * Directory of the bucket to mount (Cloud Storage FUSE `only-dir`), without leading or
   * trailing `/`.
   * @default - the whole bucket
   */
  readonly onlyDir?: string;
  /**
   * Size of the file cache, GiB: an emptyDir named `gke-gcsfuse-cache` that replaces the
   * sidecar's default cache volume. On nodes whose ephemeral storage is local SSD
   * (`ephemeral_storage_local_ssd_config`) it lives on the local SSD. Set it to at least the
   * weights' size; 0 turns the file cache off.
   * @default 0
   */
  readonly fileCacheGiB?: number;
  /**
   * Read rate of one pod's Cloud Storage FUSE sidecar, MiB/s.
   * @default UNMEASURED_READ_MIB_PER_SECOND
   */
  readonly readMiBPerSecond?: number;
}

/** What a {@link WeightVolumeSource} renders into a PersistentVolume and the reading pods. */
export interface WeightVolumeSpec {
  /** CSI driver name, for example `s3.csi.aws.com`. */
  readonly driver: string;
  /** CSI volume handle (unique per PersistentVolume for drivers that require it). */
  readonly volumeHandle: string;
  /** CSI volume attributes. */
  readonly volumeAttributes: Record<string, string>;
  /** Mount options of the PersistentVolume. */
  readonly mountOptions: string[];
  /** Access mode of the volume and its claim. */
  readonly accessMode: VolumeAccessMode;
  /** How fast replicas read it. */
  readonly readRate: WeightCacheReadRate;
  /** Annotations the reading pods need. */
  readonly podAnnotations: Record<string, string>;
  /** Extra volumes the reading pods need. */
  readonly podVolumes: PodVolume[];
  /** One line describing the storage, for messages. */
  readonly description: string;
}

/**
 * The storage behind a {@link WeightVolume}: a CSI driver and its volume attributes. Each
 * factory validates its options when the volume is created.
 *
 * @example
 * WeightVolumeSource.s3Mountpoint({ bucketName: 'models-123', region: 'us-east-1', prefix: 'llama-3.1-8b/' });
 * WeightVolumeSource.gcsFuse({ bucketName: 'models-123', onlyDir: 'llama-3.1-8b', fileCacheGiB: 40 });
 */
export abstract class WeightVolumeSource {
  /**
   * An FSx for Lustre file system (FSx CSI driver `fsx.csi.aws.com`, static provisioning), for
   * example a `LustreWeightCache` linked to the model bucket.
   * @see https://github.com/kubernetes-sigs/aws-fsx-csi-driver/tree/master/examples/kubernetes/static_provisioning
   */
  public static fsxLustre(options: FsxLustreVolumeOptions): WeightVolumeSource {
    return new FsxLustreSource(options);
  }

  /**
   * An S3 bucket through the Mountpoint for Amazon S3 CSI driver (`s3.csi.aws.com`), read-only.
   * The driver's credentials come from its add-on role (`MountpointS3CsiDriver` in the AWS module).
   * @see https://github.com/awslabs/mountpoint-s3-csi-driver/blob/main/docs/CONFIGURATION.md
   */
  public static s3Mountpoint(options: S3MountpointVolumeOptions): WeightVolumeSource {
    return new S3MountpointSource(options);
  }

  /**
   * A Cloud Storage bucket through GKE's Cloud Storage FUSE CSI driver
   * (`gcsfuse.csi.storage.gke.io`), read-only, with an optional file cache. The reading pods get
   * `gke-gcsfuse/volumes: "true"` (GKE injects the sidecar); their Kubernetes service account
   * needs `roles/storage.objectViewer` on the bucket through Workload Identity.
   * @see https://cloud.google.com/kubernetes-engine/docs/how-to/cloud-storage-fuse-csi-driver-pv
   */
  public static gcsFuse(options: GcsFuseVolumeOptions): WeightVolumeSource {
    return new GcsFuseSource(options);
  }

  /** Validates the options on `scope` and renders the volume; `pvName` is the PersistentVolume's name. */
  public abstract render(scope: Construct, pvName: string): WeightVolumeSpec;
}

function requireRate(scope: Construct, prop: string, value: number): number {
  if (Token.isUnresolved(value)) return value;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 1_000_000) {
    throw new ValidationError(
      `'${prop}' (${String(value)}) must be a number above 0 and at most 1000000 (MiB/s or MB/s).`,
      scope,
    );
  }
  return value;
}

class FsxLustreSource extends WeightVolumeSource {
  constructor(private readonly o: FsxLustreVolumeOptions) {
    super();
  }

  public render(scope: Construct, _pvName: string): WeightVolumeSpec {
    const o = Validate.object<FsxLustreVolumeOptions>(scope, 'source', this.o);
    Validate.ec2ResourceId(scope, 'source.fileSystemId', o.fileSystemId, 'fs');
    Validate.string(scope, 'source.dnsName', o.dnsName);
    Validate.string(scope, 'source.mountName', o.mountName);
    const sub = o.subPath ?? '/';
    if (!Token.isUnresolved(sub) && !/^\/([A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*)?$/.test(sub)) {
      throw new ValidationError(
        `'source.subPath' ('${sub}') must be an absolute directory without a trailing '/', for example '/models'.`,
        scope,
      );
    }
    const mbps = requireRate(scope, 'source.throughputMBps', o.throughputMBps);
    return {
      driver: 'fsx.csi.aws.com',
      volumeHandle: o.fileSystemId,
      volumeAttributes: { dnsname: o.dnsName, mountname: sub === '/' ? o.mountName : `${o.mountName}${sub}` },
      mountOptions: ['flock'],
      // The FSx CSI driver advertises multi-node multi-writer only; pods mount it read-only.
      accessMode: VolumeAccessMode.READ_WRITE_MANY,
      readRate: {
        mibPerSecond: Token.isUnresolved(mbps) ? mbps : Math.floor(mbps * MB_IN_MIB),
        sharedByReplicas: true,
        source: 'FSx for Lustre provisioned throughput (storage TiB x per-unit MB/s/TiB)',
      },
      podAnnotations: {},
      podVolumes: [],
      description: `FSx for Lustre ${o.fileSystemId}`,
    };
  }
}

class S3MountpointSource extends WeightVolumeSource {
  constructor(private readonly o: S3MountpointVolumeOptions) {
    super();
  }

  public render(scope: Construct, pvName: string): WeightVolumeSpec {
    const o = Validate.object<S3MountpointVolumeOptions>(scope, 'source', this.o);
    Validate.s3BucketName(scope, 'source.bucketName', o.bucketName);
    Validate.awsRegion(scope, 'source.region', o.region);
    if (
      o.prefix !== undefined &&
      !Token.isUnresolved(o.prefix) &&
      !/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*\/$/.test(o.prefix)
    ) {
      throw new ValidationError(
        `'source.prefix' ('${o.prefix}') must be a key prefix ending with '/' and not starting with '/', for example 'llama-3.1-8b/'.`,
        scope,
      );
    }
    const rate = requireRate(
      scope,
      'source.readMiBPerSecond',
      o.readMiBPerSecond ?? UNMEASURED_READ_MIB_PER_SECOND,
    );
    return {
      driver: 's3.csi.aws.com',
      volumeHandle: pvName,
      volumeAttributes: { bucketName: o.bucketName },
      // Mountpoint options (awslabs/mountpoint-s3 doc/CONFIGURATION.md): a read-only mount that
      // the non-root server user may read (`allow-other`), of one Region and prefix.
      mountOptions: [
        'read-only',
        'allow-other',
        `region ${o.region}`,
        ...(o.prefix ? [`prefix ${o.prefix}`] : []),
      ],
      accessMode: VolumeAccessMode.READ_ONLY_MANY,
      readRate: {
        mibPerSecond: rate,
        sharedByReplicas: false,
        source: o.readMiBPerSecond === undefined ? 'unmeasured default' : 'measured (readMiBPerSecond)',
      },
      podAnnotations: {},
      podVolumes: [],
      description: `Mountpoint for S3 s3://${o.bucketName}/${o.prefix ?? ''}`,
    };
  }
}

class GcsFuseSource extends WeightVolumeSource {
  constructor(private readonly o: GcsFuseVolumeOptions) {
    super();
  }

  public render(scope: Construct, _pvName: string): WeightVolumeSpec {
    const o = Validate.object<GcsFuseVolumeOptions>(scope, 'source', this.o);
    Validate.gcsBucketName(scope, 'source.bucketName', o.bucketName);
    if (
      o.onlyDir !== undefined &&
      !Token.isUnresolved(o.onlyDir) &&
      !/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(o.onlyDir)
    ) {
      throw new ValidationError(
        `'source.onlyDir' ('${o.onlyDir}') must be a directory of the bucket without leading or trailing '/', for example 'llama-3.1-8b'.`,
        scope,
      );
    }
    const cacheGiB = o.fileCacheGiB ?? 0;
    assertInteger(scope, 'source.fileCacheGiB', cacheGiB, 0, 65536);
    const rate = requireRate(
      scope,
      'source.readMiBPerSecond',
      o.readMiBPerSecond ?? UNMEASURED_READ_MIB_PER_SECOND,
    );
    // Mount options of the Cloud Storage FUSE CSI driver (GKE "Optimize Cloud Storage FUSE CSI
    // driver for GKE performance", mount options): metadata cached for the life of the mount
    // (weights do not change under a running server), the file cache filled in parallel.
    const mountOptions = [
      'implicit-dirs',
      'metadata-cache:ttl-secs:-1',
      'metadata-cache:stat-cache-max-size-mb:-1',
      'metadata-cache:type-cache-max-size-mb:-1',
      ...(o.onlyDir ? [`only-dir=${o.onlyDir}`] : []),
      ...(cacheGiB > 0
        ? [
            `file-cache:max-size-mb:${cacheGiB * 1024}`,
            'file-cache:cache-file-for-range-read:true',
            'file-cache:enable-parallel-downloads:true',
          ]
        : []),
    ];
    return {
      driver: 'gcsfuse.csi.storage.gke.io',
      volumeHandle: o.bucketName,
      volumeAttributes: {},
      mountOptions,
      accessMode: VolumeAccessMode.READ_ONLY_MANY,
      readRate: {
        mibPerSecond: rate,
        sharedByReplicas: false,
        source: o.readMiBPerSecond === undefined ? 'unmeasured default' : 'measured (readMiBPerSecond)',
      },
      podAnnotations: { 'gke-gcsfuse/volumes': 'true' },
      // The sidecar uses a volume of this name for its file cache when the pod declares one
      // (GKE "Configure the Cloud Storage FUSE CSI driver sidecar container", custom read cache volume).
      podVolumes:
        cacheGiB > 0 ? [{ name: 'gke-gcsfuse-cache', emptyDir: { sizeLimit: `${cacheGiB}Gi` } }] : [],
      description: `Cloud Storage FUSE gs://${o.bucketName}/${o.onlyDir ?? ''}`,
    };
  }
}

/** Properties of a {@link WeightVolume}. */
export interface WeightVolumeProps {
  /** The storage: FSx for Lustre, Mountpoint for S3 or Cloud Storage FUSE. */
  readonly source: WeightVolumeSource;
  /** Namespace of the claim (the model servers' namespace; it must exist). */
  readonly namespace: string;
  /**
   * Name of the PersistentVolumeClaim; the PersistentVolume (cluster-scoped) is `<namespace>-<name>`.
   * @default - the construct id in kebab case
   */
  readonly name?: string;
}

/**
 * A statically provisioned PersistentVolume and its claim over storage that is filled outside
 * the cluster (an FSx for Lustre file system linked to the model bucket, or the bucket itself
 * through Mountpoint for S3 or Cloud Storage FUSE). Pass it to `ModelServer` with
 * {@link WeightVolume.weights}.
 *
 * The volume is bound one-to-one to its claim (`claimRef`, empty storage class) and is
 * `Retain`: deleting the claim never deletes the data behind it.
 *
 * @example
 * const models = new WeightVolume(workloads, 'Models', {
 *   namespace: 'llm',
 *   source: WeightVolumeSource.s3Mountpoint({ bucketName: 'models-123', region: 'us-east-1' }),
 * });
 * new ModelServer(workloads, 'Llama8B', { ...props, namespace: 'llm', weights: models.weights({ path: 'llama-3.1-8b' }) });
 */
export class WeightVolume extends Construct implements IWeightCache {
  /** The PersistentVolumeClaim. */
  public readonly resource: PersistentVolumeClaimV1;
  /** The PersistentVolume. */
  public readonly persistentVolume: PersistentVolumeV1;
  /** Claim name. */
  public readonly claimName: string;
  /** Namespace of the claim. */
  public readonly namespace: string;
  /** Access mode of the claim. */
  public readonly accessMode: VolumeAccessMode;
  /** How fast replicas read it. */
  public readonly readRate: WeightCacheReadRate;
  /** Annotations the reading pods get. */
  public readonly podAnnotations: Record<string, string>;
  /** Extra volumes the reading pods get. */
  public readonly podVolumes: PodVolume[];
  /** One line describing the volume. */
  public readonly description: string;

  constructor(scope: Construct, id: string, props: WeightVolumeProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    Validate.object(this, 'source', props.source);
    assertDnsLabel(this, 'namespace', props.namespace);
    this.namespace = props.namespace;
    this.claimName = props.name ?? nameFromId(id);
    assertDnsLabel(this, 'name', this.claimName);
    const pvName = `${this.namespace}-${this.claimName}`;
    const spec = props.source.render(this, pvName);
    this.accessMode = spec.accessMode;
    this.readRate = spec.readRate;
    this.podAnnotations = spec.podAnnotations;
    this.podVolumes = spec.podVolumes;
    this.description = `'${this.node.path}' (${spec.description})`;
    const labels = { ...MANAGED_BY, 'app.kubernetes.io/component': 'model-weights' };
    // Required by the API, ignored by these drivers (bucket- and file-system-backed volumes).
    const capacity = '1Ti';
    this.persistentVolume = new PersistentVolumeV1(this, 'PersistentVolume', {
      metadata: { name: pvName, labels },
      spec: [
        {
          accessModes: [spec.accessMode],
          capacity: { storage: capacity },
          storageClassName: '',
          persistentVolumeReclaimPolicy: 'Retain',
          mountOptions: spec.mountOptions,
          claimRef: { name: this.claimName, namespace: this.namespace },
          persistentVolumeSource: {
            csi: {
              driver: spec.driver,
              volumeHandle: spec.volumeHandle,
              readOnly: spec.accessMode === VolumeAccessMode.READ_ONLY_MANY,
              ...(Object.keys(spec.volumeAttributes).length
                ? { volumeAttributes: spec.volumeAttributes }
                : {}),
            },
          },
        },
      ],
    });
    this.resource = new PersistentVolumeClaimV1(this, 'Resource', {
      metadata: { name: this.claimName, namespace: this.namespace, labels },
      spec: {
        accessModes: [spec.accessMode],
        storageClassName: '',
        volumeName: pvName,
        resources: { requests: { storage: capacity } },
      },
      waitUntilBound: true,
      dependsOn: [this.persistentVolume],
    });
    this.node.defaultChild = this.resource;
  }

  /** The weights source reading this volume (the model directory at `path`). */
  public weights(options: CachedWeightsOptions = {}): WeightsSource {
    return WeightsSource.cache(this, options);
  }
}

/** Properties of a {@link PrefetchedWeightCache}. */
export interface PrefetchedWeightCacheProps {
  /** Namespace of the claim and the Job (the model servers' namespace; it must exist). */
  readonly namespace: string;
  /**
   * Bucket prefix copied into the claim once: `s3://bucket/prefix/` (AWS CLI `aws s3 sync`) or
   * `gs://bucket/prefix/` (`gcloud storage rsync`). The Job's service account must be allowed to
   * read it (IRSA, EKS Pod Identity or GKE Workload Identity).
   */
  readonly source: string;
  /**
   * StorageClass of the claim; it must provision ReadWriteMany volumes (EFS, Filestore, NFS,
   * Azure Files, CephFS). Its volumes must be writable by UID/GID 1000 (the Job sets `fsGroup`;
   * for EFS access points set `uid`/`gid` 1000 in the StorageClass).
   */
  readonly storageClassName: string;
  /** Size of the claim, GiB: the weights plus headroom. */
  readonly sizeGiB: number;
  /**
   * Read throughput of the volume, MiB/s, and whether the replicas share it: a file system's
   * provisioned throughput (Filestore, EFS) is shared. Give your StorageClass's figure.
   * @default { mibPerSecond: UNMEASURED_READ_MIB_PER_SECOND, sharedByReplicas: false, source: 'unmeasured default' } (the per-replica floor every other source gets)
   */
  readonly readRate?: WeightCacheReadRate;
  /**
   * Name of the claim; the Job is `<name>-fill`.
   * @default - the construct id in kebab case
   */
  readonly name?: string;
  /**
   * Service account of the fill Job (its bucket credentials).
   * @default - the namespace's default service account
   */
  readonly serviceAccountName?: string;
  /**
   * Keep `terraform destroy` from deleting the claim (and with a `Delete` reclaim policy, the data).
   * @default true
   */
  readonly protectFromDestroy?: boolean;
}

/**
 * A ReadWriteMany claim filled once by a Job from a bucket prefix, then read by every replica of
 * a model server: replicas start from the claim instead of each copying the weights from the
 * bucket. Portable: it needs only a StorageClass with ReadWriteMany volumes.
 *
 * The Job runs under Pod Security "restricted" (UID 1000, no privilege escalation, all
 * capabilities dropped, RuntimeDefault seccomp, read-only root filesystem) and Terraform waits
 * for it to complete (`wait_for_completion`), so servers created in the same apply start on a
 * full cache. The claim is protected from `terraform destroy` by default. To refresh the
 * weights, taint the Job (`terraform apply -replace=...`): `sync` copies only what changed.
 *
 * @example
 * const cache = new PrefetchedWeightCache(workloads, 'Llama8BCache', {
 *   namespace: 'llm', source: 's3://models-123/llama-3.1-8b/', storageClassName: 'efs-sc', sizeGiB: 40,
 *   serviceAccountName: 'model-reader',
 * });
 * new ModelServer(workloads, 'Llama8B', { ...props, namespace: 'llm', weights: cache.weights() });
 */
export class PrefetchedWeightCache extends Construct implements IWeightCache {
  /** The PersistentVolumeClaim. */
  public readonly resource: PersistentVolumeClaimV1;
  /** The fill Job. */
  public readonly job: JobV1;
  /** The fill Job: servers reading the cache start after it completed. */
  public readonly filledBy: JobV1;
  /** Claim name. */
  public readonly claimName: string;
  /** Namespace of the claim. */
  public readonly namespace: string;
  /** Access mode of the claim (ReadWriteMany). */
  public readonly accessMode = VolumeAccessMode.READ_WRITE_MANY;
  /** How fast replicas read it. */
  public readonly readRate: WeightCacheReadRate;
  /** Annotations the reading pods get (none). */
  public readonly podAnnotations: Record<string, string> = {};
  /** Extra volumes the reading pods get (none). */
  public readonly podVolumes: PodVolume[] = [];
  /** One line describing the cache. */
  public readonly description: string;
  /** The Pod Security level of the fill Job. */
  public readonly podSecurityLevel = PodSecurityLevel.RESTRICTED;

  constructor(scope: Construct, id: string, props: PrefetchedWeightCacheProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    assertDnsLabel(this, 'namespace', props.namespace);
    this.namespace = props.namespace;
    this.claimName = props.name ?? nameFromId(id);
    assertDnsLabel(this, 'name', this.claimName, 58);
    Validate.k8sDnsSubdomain(this, 'storageClassName', props.storageClassName, {
      what: 'a StorageClass name',
    });
    assertInteger(this, 'sizeGiB', props.sizeGiB, 1, 65536);
    validateFillOptions(this, props);
    const uri = Validate.string(this, 'source', props.source);
    if (!Token.isUnresolved(uri) && !BUCKET_URI.test(uri)) {
      throw new ValidationError(
        `'source' ('${uri}') must be an 's3://bucket/prefix/' or 'gs://bucket/prefix/' URI.`,
        this,
      );
    }
    const rate = props.readRate ?? {
      mibPerSecond: UNMEASURED_READ_MIB_PER_SECOND,
      sharedByReplicas: false,
      source: 'unmeasured default',
    };
    Validate.object(this, 'readRate', rate);
    requireRate(this, 'readRate.mibPerSecond', rate.mibPerSecond);
    this.readRate = rate;
    this.description = `'${this.node.path}' (claim filled from ${uri})`;

    const labels = { ...MANAGED_BY, 'app.kubernetes.io/component': 'model-weights' };
    this.resource = new PersistentVolumeClaimV1(this, 'Resource', {
      metadata: { name: this.claimName, namespace: this.namespace, labels },
      spec: {
        accessModes: [VolumeAccessMode.READ_WRITE_MANY],
        storageClassName: props.storageClassName,
        resources: { requests: { storage: `${props.sizeGiB}Gi` } },
      },
      // WaitForFirstConsumer classes bind only once the Job's pod exists, which waits for this.
      waitUntilBound: false,
      lifecycle: { preventDestroy: props.protectFromDestroy ?? true },
    });
    this.node.defaultChild = this.resource;

    this.job = fillJob(this, 'Fill', {
      name: `${this.claimName}-fill`,
      namespace: this.namespace,
      claimName: this.claimName,
      labels,
      source: uri,
      sizeGiB: props.sizeGiB,
      serviceAccountName: props.serviceAccountName,
      dependsOn: [this.resource],
    });
    this.filledBy = this.job;
  }

  /** The weights source reading this cache (the model directory at `path`). */
  public weights(options: CachedWeightsOptions = {}): WeightsSource {
    return WeightsSource.cache(this, options);
  }
}

/** Checks the props a cache filled by a Job takes alike: the Job's `serviceAccountName` and `protectFromDestroy`. */
function validateFillOptions(
  scope: Construct,
  props: { readonly serviceAccountName?: string; readonly protectFromDestroy?: boolean },
): void {
  if (props.serviceAccountName !== undefined) {
    Validate.k8sDnsSubdomain(scope, 'serviceAccountName', props.serviceAccountName, {
      what: 'a service account name',
    });
  }
  if (props.protectFromDestroy !== undefined)
    Validate.boolean(scope, 'protectFromDestroy', props.protectFromDestroy);
}

/** What {@link fillJob} copies where. */
interface FillJobOptions {
  readonly name: string;
  readonly namespace: string;
  readonly claimName: string;
  readonly labels: Record<string, string>;
  /** `s3://` or `gs://` prefix (validated by the caller). */
  readonly source: string;
  readonly sizeGiB: number;
  readonly serviceAccountName?: string;
  readonly dependsOn: ITerraformDependable[];
}

/**
 * The Job that copies a bucket prefix into a claim once (AWS CLI `aws s3 sync` or `gcloud storage
 * rsync`), under Pod Security "restricted"; Terraform waits for it to complete.
 */
function fillJob(scope: Construct, id: string, o: FillJobOptions): JobV1 {
  const src = o.source.endsWith('/') ? o.source : `${o.source}/`;
  const s3 = src.startsWith('s3://');
  const dir = '/cache';
  // The copy at the unmeasured rate, plus 10 minutes for scheduling and the image pull.
  const fillMinutes = Math.ceil((o.sizeGiB * 1024) / UNMEASURED_READ_MIB_PER_SECOND / 60) + 10;
  const uid = '1000';
  return new JobV1(scope, id, {
    metadata: { name: o.name, namespace: o.namespace, labels: o.labels },
    spec: {
      backoffLimit: 3,
      template: {
        metadata: { labels: o.labels },
        spec: {
          restartPolicy: 'Never',
          ...(o.serviceAccountName ? { serviceAccountName: o.serviceAccountName } : {}),
          securityContext: {
            runAsNonRoot: true,
            runAsUser: uid,
            runAsGroup: uid,
            fsGroup: uid,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          container: [
            {
              name: 'fill',
              image: imageRef(s3 ? IMAGES.awsCli : IMAGES.googleCloudCli),
              command: s3
                ? ['aws', 's3', 'sync', '--only-show-errors', src, `${dir}/`]
                : ['gcloud', 'storage', 'rsync', '--recursive', src, `${dir}/`],
              env: [
                { name: 'HOME', value: '/tmp' },
                ...(s3
                  ? []
                  : [
                      { name: 'CLOUDSDK_CONFIG', value: '/tmp/gcloud' },
                      { name: 'CLOUDSDK_STORAGE_PROCESS_COUNT', value: '4' },
                      { name: 'CLOUDSDK_STORAGE_THREAD_COUNT', value: '8' },
                    ]),
              ],
              resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { memory: '4Gi' } },
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'] },
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
              },
              volumeMount: [
                { name: 'cache', mountPath: dir },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            },
          ],
          volume: [
            { name: 'cache', persistentVolumeClaim: { claimName: o.claimName } },
            { name: 'tmp', emptyDir: {} },
          ],
        },
      },
    },
    waitForCompletion: true,
    timeouts: { create: `${fillMinutes}m`, update: `${fillMinutes}m` },
    dependsOn: o.dependsOn,
  });
}

/**
 * The most read throughput one Hyperdisk ML volume serves, MiB/s: "up to 2,500 concurrent nodes
 * at 1.2 TB/s" (GKE, "Accelerate AI/ML data loading with Hyperdisk ML",
 * https://cloud.google.com/kubernetes-engine/docs/how-to/persistent-volumes/hyperdisk-ml, read
 * 2026-12-03), in MiB/s.
 */
export const HYPERDISK_ML_MAX_MIB_PER_SECOND = Math.floor(1.2e12 / 2 ** 20);

/** Properties of a {@link HyperdiskMlWeightCache}. */
export interface HyperdiskMlWeightCacheProps {
  /** Namespace of the claims, the Job and the snapshot (the model servers' namespace; it must exist). */
  readonly namespace: string;
  /**
   * Bucket prefix copied into the cache once: `gs://bucket/prefix/` (`gcloud storage rsync`) or
   * `s3://bucket/prefix/`. The Job's service account must be allowed to read it (Workload Identity).
   */
  readonly source: string;
  /** Size of the volume, GiB: the weights plus headroom. */
  readonly sizeGiB: number;
  /**
   * Provisioned read throughput of the read-only volume, MiB/s (`provisioned-throughput-on-create`),
   * shared by every node that reads it; billed per MiB/s. It sizes the server's start-up budget.
   * @default 2400 (GKE's Hyperdisk ML guide's example StorageClass)
   */
  readonly throughputMiBPerSecond?: number;
  /**
   * Zones the volumes may be created in (the StorageClass's `allowedTopologies`): a Hyperdisk ML
   * volume is zonal, so its readers must run in its zone.
   * @default - the zone of the fill Job's node
   */
  readonly zones?: string[];
  /**
   * Name of the read-only claim the servers mount; the fill claim is `<name>-fill`, the snapshot
   * `<name>`, the StorageClass `<name>-hdml` and the VolumeSnapshotClass `<name>-image`.
   * @default - the construct id in kebab case
   */
  readonly name?: string;
  /**
   * Service account of the fill Job (its bucket credentials).
   * @default - the namespace's default service account
   */
  readonly serviceAccountName?: string;
  /**
   * Keep `terraform destroy` from deleting the read-only claim.
   * @default true
   */
  readonly protectFromDestroy?: boolean;
}

/**
 * A Hyperdisk ML weight cache on GKE, the flow of GKE's "Accelerate AI/ML data loading with
 * Hyperdisk ML" guide: a Job copies the weights from a bucket into a Hyperdisk ML claim once; a
 * `VolumeSnapshot` of it is taken as a disk image (VolumeSnapshotClass `snapshot-type: images`);
 * a ReadOnlyMany claim restored from that image is what every replica mounts, up to 2,500 nodes
 * reading at once. Terraform waits for the Job and for the snapshot to be ready, so servers
 * created in the same apply start on a full cache.
 *
 * The read rate `ModelServer` sizes its start-up probe with is the provisioned throughput,
 * shared by the replicas that start together. Each node also reads at most its machine type's
 * Hyperdisk throughput limit (Compute Engine "Hyperdisk performance limits"), which the budget
 * does not model: set `ModelServer.weightsLoadMiBPerSecond` when yours is lower.
 *
 * Needs the Compute Engine Persistent Disk CSI driver (on by default; `GkeCluster` enables it) and
 * nodes whose machine type supports Hyperdisk ML (A3, A2 Ultra, G2 and others; see Compute
 * Engine's machine type support table). Everything runs under Pod Security "restricted".
 *
 * Refresh the weights: replace the Job, then the snapshot and the read-only claim
 * (`terraform apply -replace=...` on each); servers pick the new claim up on their next rollout.
 *
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/persistent-volumes/hyperdisk-ml
 * @example
 * const cache = new HyperdiskMlWeightCache(workloads, 'Llama70BCache', {
 *   namespace: 'llm', source: 'gs://acme-models/llama-3.1-70b-awq/', sizeGiB: 60,
 *   serviceAccountName: 'model-reader', zones: ['us-central1-a'],
 * });
 * new ModelServer(workloads, 'Llama70B', { ...props, namespace: 'llm', weights: cache.weights() });
 */
export class HyperdiskMlWeightCache extends Construct implements IWeightCache {
  /** The ReadOnlyMany claim the servers mount (restored from the snapshot). */
  public readonly resource: Manifest;
  /** The claim the Job fills (ReadWriteOnce). */
  public readonly fillClaim: PersistentVolumeClaimV1;
  /** The Hyperdisk ML StorageClass. */
  public readonly storageClass: StorageClassV1;
  /** The fill Job. */
  public readonly job: JobV1;
  /** The disk-image snapshot of the filled claim (`snapshot.storage.k8s.io/v1`). */
  public readonly snapshot: Manifest;
  /** The VolumeSnapshotClass that takes disk images. */
  public readonly snapshotClass: Manifest;
  /** The snapshot: servers reading the cache start after it is ready. */
  public readonly filledBy: Manifest;
  /** Name of the read-only claim. */
  public readonly claimName: string;
  /** Namespace of the claims. */
  public readonly namespace: string;
  /** Access mode of the servers' claim (ReadOnlyMany). */
  public readonly accessMode = VolumeAccessMode.READ_ONLY_MANY;
  /** How fast replicas read it: the provisioned throughput, shared. */
  public readonly readRate: WeightCacheReadRate;
  /** Annotations the reading pods get (none). */
  public readonly podAnnotations: Record<string, string> = {};
  /** Extra volumes the reading pods get (none). */
  public readonly podVolumes: PodVolume[] = [];
  /** One line describing the cache. */
  public readonly description: string;
  /** The Pod Security level of the fill Job. */
  public readonly podSecurityLevel = PodSecurityLevel.RESTRICTED;

  constructor(scope: Construct, id: string, props: HyperdiskMlWeightCacheProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    assertDnsLabel(this, 'namespace', props.namespace);
    this.namespace = props.namespace;
    this.claimName = props.name ?? nameFromId(id);
    assertDnsLabel(this, 'name', this.claimName, 57);
    assertInteger(this, 'sizeGiB', props.sizeGiB, 1, 65536);
    const throughput = props.throughputMiBPerSecond ?? 2400;
    assertInteger(this, 'throughputMiBPerSecond', throughput, 1, HYPERDISK_ML_MAX_MIB_PER_SECOND);
    validateFillOptions(this, props);
    const zones = Validate.array<string>(this, 'zones', props.zones ?? []);
    zones.forEach((z, i) => Validate.gcpZone(this, `zones[${i}]`, z));
    Validate.unique(this, 'zones', zones);
    const uri = Validate.string(this, 'source', props.source);
    if (!Token.isUnresolved(uri) && !BUCKET_URI.test(uri)) {
      throw new ValidationError(
        `'source' ('${uri}') must be a 'gs://bucket/prefix/' (or 's3://bucket/prefix/') URI.`,
        this,
      );
    }
    this.readRate = {
      mibPerSecond: throughput,
      sharedByReplicas: true,
      source: `Hyperdisk ML provisioned throughput (${throughput} MiB/s)`,
    };
    this.description = `'${this.node.path}' (Hyperdisk ML image of ${uri})`;

    const labels = { ...MANAGED_BY, 'app.kubernetes.io/component': 'model-weights' };
    const scName = `${this.claimName}-hdml`;
    this.storageClass = new StorageClassV1(this, 'StorageClass', {
      metadata: { name: scName, labels },
      storageProvisioner: 'pd.csi.storage.gke.io',
      parameters: { type: 'hyperdisk-ml', 'provisioned-throughput-on-create': `${throughput}Mi` },
      volumeBindingMode: 'WaitForFirstConsumer',
      reclaimPolicy: 'Delete',
      allowVolumeExpansion: false,
      ...(zones.length
        ? { allowedTopologies: { matchLabelExpressions: [{ key: 'topology.gke.io/zone', values: zones }] } }
        : {}),
    });
    const fillName = `${this.claimName}-fill`;
    this.fillClaim = new PersistentVolumeClaimV1(this, 'FillClaim', {
      metadata: { name: fillName, namespace: this.namespace, labels },
      spec: {
        accessModes: [VolumeAccessMode.READ_WRITE_ONCE],
        storageClassName: scName,
        resources: { requests: { storage: `${props.sizeGiB}Gi` } },
      },
      waitUntilBound: false,
      dependsOn: [this.storageClass],
    });
    this.job = fillJob(this, 'Fill', {
      name: fillName,
      namespace: this.namespace,
      claimName: fillName,
      labels,
      source: uri,
      sizeGiB: props.sizeGiB,
      serviceAccountName: props.serviceAccountName,
      dependsOn: [this.fillClaim],
    });
    this.snapshotClass = new Manifest(this, 'SnapshotClass', {
      manifest: {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshotClass',
        metadata: { name: `${this.claimName}-image`, labels },
        driver: 'pd.csi.storage.gke.io',
        deletionPolicy: 'Delete',
        parameters: { 'snapshot-type': 'images' },
      },
    });
    this.snapshot = new Manifest(this, 'Snapshot', {
      manifest: {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshot',
        metadata: { name: this.claimName, namespace: this.namespace, labels },
        spec: {
          volumeSnapshotClassName: `${this.claimName}-image`,
          source: { persistentVolumeClaimName: fillName },
        },
      },
      wait: { fields: { 'status.readyToUse': 'true' } },
      timeouts: { create: '60m', update: '60m' },
      dependsOn: [this.job, this.snapshotClass],
    });
    this.filledBy = this.snapshot;
    // A kubernetes_manifest: the provider's typed claim has no `dataSource`.
    this.resource = new Manifest(this, 'Resource', {
      manifest: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: this.claimName, namespace: this.namespace, labels },
        spec: {
          accessModes: [VolumeAccessMode.READ_ONLY_MANY],
          storageClassName: scName,
          resources: { requests: { storage: `${props.sizeGiB}Gi` } },
          dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: this.claimName },
        },
      },
      lifecycle: { preventDestroy: props.protectFromDestroy ?? true },
      dependsOn: [this.snapshot],
    });
    this.node.defaultChild = this.resource;
    Warnings.add(
      this,
      'k8s-no-price',
      `The Hyperdisk ML volumes of '${this.claimName}' (the fill volume and the read-only volume, ${props.sizeGiB} GiB at ` +
        `${throughput} MiB/s each, plus the disk image) are created by the GKE CSI driver: no dated Hyperdisk ML capacity or ` +
        `throughput price is catalogued, so the stack's cost estimate leaves them out (https://cloud.google.com/compute/disks-image-pricing).`,
    );
  }

  /** The weights source reading this cache (the model directory at `path`). */
  public weights(options: CachedWeightsOptions = {}): WeightsSource {
    return WeightsSource.cache(this, options);
  }
}
