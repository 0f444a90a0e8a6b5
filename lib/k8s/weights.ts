import { TerraformResource, Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { ValidationError, Warnings } from '../core';
import { IServingEngine } from './engines/engine';
import { MlflowTracking, mlflowClientEnv } from './mlflow';
import { BUCKET_URI, HF_REPO_ID, assertDnsLabel } from './private/common';
import { PodEnvVar, PodInitContainer, PodVolume, PodVolumeMount } from './pod-spec';
import { IMAGES, imageRef } from './versions';

/** A reference to one key of a Kubernetes Secret. */
export interface SecretKeyRef {
  /** Secret name (in the workload's namespace). */
  readonly name: string;
  /** Key inside the Secret. */
  readonly key: string;
}

/** How a model server gets weights from an object-store bucket. */
export enum BucketLoading {
  /**
   * The engine streams the safetensors straight from the bucket (vLLM
   * `--load-format runai_streamer`), no local copy. Credentials come from the pod's identity
   * (IRSA / EKS Pod Identity / GKE Workload Identity through `serviceAccountName`).
   */
  STREAM = 'stream',
  /**
   * An init container copies the bucket prefix into a node-local `emptyDir` before the server
   * starts (`aws s3 sync` / `gcloud storage rsync`).
   */
  INIT_CONTAINER = 'init-container',
}

/** Access mode of a PersistentVolumeClaim holding model weights. */
export enum VolumeAccessMode {
  /** One node only: cannot be shared by replicas on different nodes, blocks rolling surges. */
  READ_WRITE_ONCE = 'ReadWriteOnce',
  /** Many nodes, read-only (for example a pre-populated EFS, Filestore or NFS volume). */
  READ_ONLY_MANY = 'ReadOnlyMany',
  /** Many nodes, read-write. */
  READ_WRITE_MANY = 'ReadWriteMany',
}

/** Options of {@link WeightsSource.huggingFace}. */
export interface HuggingFaceWeightsOptions {
  /**
   * Secret key holding a Hugging Face token, passed as `HF_TOKEN` (gated models such as Llama
   * need one).
   * @default - no token: only public repositories can be downloaded
   */
  readonly tokenSecret?: SecretKeyRef;
  /**
   * Git revision (branch, tag or commit) to pin, `--revision`.
   * @default - the repository's default branch
   */
  readonly revision?: string;
}

/** Options of {@link WeightsSource.bucket}. */
export interface BucketWeightsOptions {
  /**
   * How the weights are read.
   * @default BucketLoading.STREAM for `s3://` with an engine that streams by default (vLLM), otherwise BucketLoading.INIT_CONTAINER
   */
  readonly loading?: BucketLoading;
}

/** Options of {@link WeightsSource.volume}. */
export interface VolumeWeightsOptions {
  /** Access mode of the claim, as created. Decides how many replicas can share it. */
  readonly accessMode: VolumeAccessMode;
  /**
   * Directory of the model inside the volume: a relative path of letters, digits, `.`, `_`, `-` and
   * `/`, without `..`.
   * @default - the volume root
   */
  readonly path?: string;
}

/** The kind of a {@link WeightsSource}. */
export enum WeightsSourceKind {
  /** A Hugging Face Hub repository. */
  HUGGING_FACE = 'hugging-face',
  /** An `s3://` or `gs://` prefix. */
  BUCKET = 'bucket',
  /** A PersistentVolumeClaim. */
  VOLUME = 'volume',
  /** A weight cache ({@link IWeightCache}). */
  CACHE = 'cache',
  /** A model version in an MLflow Model Registry (`models:/<name>/<version>`). */
  MLFLOW_MODEL = 'mlflow-model',
}

/** Options of {@link WeightsSource.mlflowModel}. */
export interface MlflowModelWeightsOptions {
  /**
   * The registry's tracking server and the credentials of a user with READ on the model
   * (`credentialsSecretName`; `experimentName` is not used).
   */
  readonly tracking: MlflowTracking;
  /**
   * Directory inside the model version's artifacts that holds the weights as the engine reads
   * them (config, safetensors, tokenizer): for a model logged with `mlflow.transformers.log_model`
   * that is `model`; for weights logged as plain artifacts, where they were logged.
   * @default - the root of the model version's artifacts
   */
  readonly path?: string;
}

/** How a {@link IWeightCache} serves reads: its throughput and whether replicas share it. */
export interface WeightCacheReadRate {
  /** Read throughput, MiB/s: per client, or for the whole volume when `sharedByReplicas`. */
  readonly mibPerSecond: number;
  /**
   * Whether replicas starting together divide `mibPerSecond` between them (a file system's
   * provisioned throughput) rather than each getting it (a per-node client of a bucket).
   */
  readonly sharedByReplicas: boolean;
  /** Where the figure comes from, for docs and the sizing annotation. */
  readonly source: string;
}

/**
 * A volume of model weights filled once and read by many replicas: the contract between a
 * cache construct (`WeightVolume`, `PrefetchedWeightCache`) and `ModelServer`
 * ({@link WeightsSource.cache}).
 */
export interface IWeightCache {
  /** The PersistentVolumeClaim holding the weights. */
  readonly claimName: string;
  /** Namespace of the claim (the server must run there). */
  readonly namespace: string;
  /** Access mode of the claim, as created. */
  readonly accessMode: VolumeAccessMode;
  /** How fast replicas read it. */
  readonly readRate: WeightCacheReadRate;
  /** Annotations the reading pods need (for example the GCS FUSE sidecar's). */
  readonly podAnnotations: Record<string, string>;
  /** Extra pod volumes the reading pods need (for example the GCS FUSE file cache). */
  readonly podVolumes: PodVolume[];
  /** One line describing the cache, for messages. */
  readonly description: string;
  /**
   * The resource that fills the cache (a Job Terraform waits for): servers start after it.
   * @default - the cache is filled outside Terraform's order
   */
  readonly filledBy?: TerraformResource;
}

/** Options of {@link WeightsSource.cache}. */
export interface CachedWeightsOptions {
  /**
   * Directory of the model inside the cache: a relative path of letters, digits, `.`, `_`, `-` and
   * `/`, without `..`.
   * @default - the cache root
   */
  readonly path?: string;
}

/** What a weights source is bound to: the server's engine and sizing. */
export interface WeightsBindContext {
  /** The serving engine. */
  readonly engine: IServingEngine;
  /** Size of the weights (core sizing), for cache volume sizes. */
  readonly weightsGiB: number;
  /** Most replicas the server runs (after autoscaling). */
  readonly maxReplicas: number;
  /** Whether the server may scale to zero. */
  readonly scaleToZero: boolean;
  /**
   * Namespace of the server's pods (a claim must be in the same namespace).
   * @default - not checked
   */
  readonly namespace?: string;
}

/** What a weights source contributes to a model server's pod. */
export interface WeightsBinding {
  /** Where the engine reads the model: a local path, a Hub repository id or a bucket URI. */
  readonly modelLocation: string;
  /** Engine arguments (load format, revision). */
  readonly engineArgs: string[];
  /** Environment of the server container. */
  readonly env: PodEnvVar[];
  /** Pod volumes. */
  readonly volumes: PodVolume[];
  /** Mounts of the server container. */
  readonly volumeMounts: PodVolumeMount[];
  /** Init containers that run before the server. */
  readonly initContainers: PodInitContainer[];
  /**
   * Whether the init containers copy the weights before the server starts: the copy then
   * counts in the rollout deadline, not in the startup probe's budget.
   * @default false
   */
  readonly copiedBeforeStart?: boolean;
  /**
   * The rate one replica reads the weights at start-up from this source, MiB/s, when the source
   * knows it (a cache with provisioned throughput); `ModelServerProps.weightsLoadMiBPerSecond`
   * overrides it.
   * @default - the server's default rate (50 MiB/s)
   */
  readonly loadMiBPerSecond?: number;
  /**
   * Annotations of the server's pods (for example `gke-gcsfuse/volumes: "true"`, which makes GKE
   * inject the Cloud Storage FUSE sidecar).
   * @default - none
   */
  readonly podAnnotations?: Record<string, string>;
  /**
   * Resources the server's Deployment must wait for (a cache's fill Job): a dependency in the
   * server's stack, or an order between the stacks.
   * @default - none
   */
  readonly dependsOn?: TerraformResource[];
}

/** Directory weights are copied or mounted to. */
const WEIGHTS_DIR = '/models/weights';

/**
 * Where a model server reads its weights: a Hugging Face repository, an `s3://` / `gs://`
 * prefix, or an existing read-many PersistentVolumeClaim. Each source renders its own volumes,
 * mounts, environment, init containers and engine arguments ({@link WeightsSource.bind});
 * subclass it for another source.
 *
 * @example
 * WeightsSource.bucket('s3://models/llama-3.1-70b-awq/');
 * WeightsSource.huggingFace('hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4', {
 *   tokenSecret: { name: 'hf-token', key: 'token' },
 * });
 * WeightsSource.volume('models-rwx', { accessMode: VolumeAccessMode.READ_ONLY_MANY, path: 'llama-8b-awq' });
 */
export abstract class WeightsSource {
  /** A Hugging Face Hub repository id such as `org/model`; downloaded at start-up into an emptyDir cache. */
  public static huggingFace(repoId: string, options: HuggingFaceWeightsOptions = {}): WeightsSource {
    return new HuggingFaceWeights(repoId, options);
  }

  /** An `s3://bucket/prefix/` or `gs://bucket/prefix/` holding safetensors and tokenizer files. */
  public static bucket(uri: string, options: BucketWeightsOptions = {}): WeightsSource {
    return new BucketWeights(uri, options);
  }

  /** An existing PersistentVolumeClaim (in the server's namespace) holding the model directory. */
  public static volume(claimName: string, options: VolumeWeightsOptions): WeightsSource {
    return new VolumeWeights(claimName, options);
  }

  /**
   * A weight cache filled once (a prefetched read-many claim, an FSx for Lustre, Mountpoint for
   * S3 or Cloud Storage FUSE volume: see `WeightVolume` and `PrefetchedWeightCache`), mounted
   * read-only. Its access mode is checked against the server's replicas and its read rate sizes
   * the start-up budget.
   */
  public static cache(cache: IWeightCache, options: CachedWeightsOptions = {}): WeightsSource {
    return new CachedWeights(cache, options);
  }

  /**
   * A model version in an MLflow Model Registry, `models:/<name>/<version>`: an init container
   * of the pinned MLflow image resolves the version through the registry and downloads its
   * artifacts through the tracking server (`mlflow.artifacts.download_artifacts`; with
   * `--serve-artifacts` the pod needs no bucket credentials) into a node-local `emptyDir` before
   * the server starts. The registry is read when the pod starts, not at synth time: the library
   * cannot reach it, and the artifact location of a version is known only to the registry.
   * `models:/<name>@<alias>` is accepted with a warning: each new pod reads whatever the alias
   * points to then.
   */
  public static mlflowModel(modelUri: string, options: MlflowModelWeightsOptions): WeightsSource {
    return new MlflowModelWeights(modelUri, options);
  }

  protected constructor(
    /** The kind of source. */
    public readonly kind: WeightsSourceKind,
    /** Repository id, bucket URI or claim name. */
    public readonly location: string,
  ) {}

  /**
   * Validates the source for this server (errors on `scope`) and renders what it adds to the pod.
   */
  public abstract bind(scope: IConstruct, context: WeightsBindContext): WeightsBinding;
}

/**
 * The model directory `path` inside the weights directory a source mounts or downloads to
 * (`what`: `volume`, `cache`, `mlflowModel`): a relative directory of letters, digits, '.', '_',
 * '-' and '/' that does not climb out with '..'. Returns it without leading and trailing slashes
 * (`sub`) and the model location under `/models/weights`.
 */
function weightsSubdirectory(
  scope: IConstruct,
  what: string,
  path: string,
  example: string,
): { sub: string; modelLocation: string } {
  if (!Token.isUnresolved(path) && (path.includes('..') || !/^[A-Za-z0-9._/-]*$/.test(path))) {
    throw new ValidationError(
      `'weights' ${what} path '${path}' must be a relative directory of letters, digits, '.', '_', '-' and '/', without '..', ` +
        `for example '${example}'.`,
      scope,
    );
  }
  const sub = path.replace(/^\/+|\/+$/g, '');
  return { sub, modelLocation: sub ? `${WEIGHTS_DIR}/${sub}` : WEIGHTS_DIR };
}

/** Emptydir size for a copy or cache of the weights: 10% and 5 GiB of headroom. */
function cacheSizeLimit(weightsGiB: number): string {
  return `${Math.ceil(weightsGiB * 1.1) + 5}Gi`;
}

/**
 * Weights an init container `fetch-weights` copies into an emptyDir at `/models/weights` before
 * the engine starts (the engine mounts it read-only): the binding of a bucket copy and of an
 * MLflow download.
 */
function copiedWeights(
  weightsGiB: number,
  modelLocation: string,
  fetch: { readonly image: string; readonly command: string[]; readonly env?: PodEnvVar[] },
): WeightsBinding {
  return {
    modelLocation,
    engineArgs: [],
    env: [],
    volumes: [{ name: 'model-weights', emptyDir: { sizeLimit: cacheSizeLimit(weightsGiB) } }],
    volumeMounts: [{ name: 'model-weights', mountPath: WEIGHTS_DIR, readOnly: true }],
    copiedBeforeStart: true,
    initContainers: [
      {
        name: 'fetch-weights',
        image: fetch.image,
        command: fetch.command,
        ...(fetch.env ? { env: fetch.env } : {}),
        volumeMounts: [{ name: 'model-weights', mountPath: WEIGHTS_DIR }],
      },
    ],
  };
}

/** A Hugging Face Hub repository, downloaded by the engine into an emptyDir cache. */
export class HuggingFaceWeights extends WeightsSource {
  /** The options given. */
  public readonly options: HuggingFaceWeightsOptions;

  constructor(repoId: string, options: HuggingFaceWeightsOptions = {}) {
    super(WeightsSourceKind.HUGGING_FACE, repoId);
    this.options = options;
  }

  /** `HF_HOME` on a cache emptyDir, `HF_TOKEN` from the Secret, `--revision` when pinned. */
  public bind(scope: IConstruct, c: WeightsBindContext): WeightsBinding {
    if (!Token.isUnresolved(this.location) && !HF_REPO_ID.test(this.location)) {
      throw new ValidationError(
        `'weights' WeightsSource.huggingFace('${this.location}') needs a repository id 'org/name', for example 'hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4'.`,
        scope,
      );
    }
    const loading = c.engine.weightLoading;
    if (!loading.downloadsFromHuggingFace) {
      throw new ValidationError(
        `'weights' WeightsSource.huggingFace(...) cannot feed ${c.engine.displayName}: it needs ${loading.localModelDescription}. ` +
          `Use WeightsSource.bucket(...) or WeightsSource.volume(...) pointing at it.`,
        scope,
      );
    }
    const env: PodEnvVar[] = [{ name: 'HF_HOME', value: '/models/hf' }];
    if (this.options.tokenSecret) {
      env.push({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { ...this.options.tokenSecret } } });
    } else {
      Warnings.add(
        scope,
        'k8s-hf-no-token',
        `weights come from Hugging Face without 'tokenSecret': gated models (Llama, Mistral) fail to download and anonymous downloads are rate limited.`,
      );
    }
    const engineArgs: string[] = [];
    if (this.options.revision) {
      if (!loading.revisionArgs) {
        throw new ValidationError(
          `'weights' revision '${this.options.revision}' cannot be pinned with ${c.engine.displayName}.`,
          scope,
        );
      }
      engineArgs.push(...loading.revisionArgs(this.options.revision));
    }
    return {
      modelLocation: this.location,
      engineArgs,
      env,
      volumes: [{ name: 'model-cache', emptyDir: { sizeLimit: cacheSizeLimit(c.weightsGiB) } }],
      volumeMounts: [{ name: 'model-cache', mountPath: '/models' }],
      initContainers: [],
    };
  }
}

/** An `s3://` or `gs://` prefix, streamed by the engine or copied by an init container. */
export class BucketWeights extends WeightsSource {
  /** The options given. */
  public readonly options: BucketWeightsOptions;

  constructor(uri: string, options: BucketWeightsOptions = {}) {
    super(WeightsSourceKind.BUCKET, uri);
    this.options = options;
  }

  /** Streaming flags, or an `aws s3 sync` / `gcloud storage rsync` init container and an emptyDir. */
  public bind(scope: IConstruct, c: WeightsBindContext): WeightsBinding {
    const uriOk = BUCKET_URI.test(this.location);
    if (!Token.isUnresolved(this.location) && !uriOk) {
      throw new ValidationError(
        `'weights' WeightsSource.bucket('${this.location}') must be an 's3://bucket/prefix/' or 'gs://bucket/prefix/' URI.`,
        scope,
      );
    }
    const engineLoading = c.engine.weightLoading;
    const loading =
      this.options.loading ??
      (this.location.startsWith('s3://') &&
      engineLoading.streamsS3ByDefault &&
      engineLoading.streamFromBucketArgs
        ? BucketLoading.STREAM
        : BucketLoading.INIT_CONTAINER);
    if (loading === BucketLoading.STREAM) {
      if (!engineLoading.streamFromBucketArgs) {
        throw new ValidationError(
          `'weights' loading BucketLoading.STREAM is not supported by ${c.engine.displayName}; use BucketLoading.INIT_CONTAINER.`,
          scope,
        );
      }
      return {
        modelLocation: this.location,
        engineArgs: [...engineLoading.streamFromBucketArgs],
        env: [],
        volumes: [],
        volumeMounts: [],
        initContainers: [],
      };
    }
    const uri = this.location.endsWith('/') ? this.location : `${this.location}/`;
    const s3 = uri.startsWith('s3://');
    return copiedWeights(c.weightsGiB, WEIGHTS_DIR, {
      image: imageRef(s3 ? IMAGES.awsCli : IMAGES.googleCloudCli),
      command: s3
        ? ['aws', 's3', 'sync', '--only-show-errors', uri, `${WEIGHTS_DIR}/`]
        : ['gcloud', 'storage', 'rsync', '--recursive', uri, `${WEIGHTS_DIR}/`],
      // gcloud sizes its parallelism from the node's vCPUs (up to 96 processes on large GPU
      // machines), which the init container's 4 GiB memory limit cannot hold: 4 processes x 8
      // threads (properties storage/process_count, storage/thread_count) keep 32 transfers.
      env: s3
        ? undefined
        : [
            { name: 'CLOUDSDK_STORAGE_PROCESS_COUNT', value: '4' },
            { name: 'CLOUDSDK_STORAGE_THREAD_COUNT', value: '8' },
          ],
    });
  }
}

/** An existing PersistentVolumeClaim holding the model directory, mounted read-only. */
export class VolumeWeights extends WeightsSource {
  /** The options given. */
  public readonly options: VolumeWeightsOptions;

  constructor(claimName: string, options: VolumeWeightsOptions) {
    super(WeightsSourceKind.VOLUME, claimName);
    this.options = options;
  }

  /** The claim mounted read-only at `/models/weights`; a ReadWriteOnce claim cannot serve several replicas. */
  public bind(scope: IConstruct, c: WeightsBindContext): WeightsBinding {
    assertDnsLabel(scope, 'weights (claim name)', this.location, 253);
    const mode = this.options.accessMode;
    if (mode === VolumeAccessMode.READ_WRITE_ONCE && (c.maxReplicas > 1 || c.scaleToZero)) {
      throw new ValidationError(
        `'weights' claim '${this.location}' is ReadWriteOnce but the server runs up to ${c.maxReplicas} replicas: replicas on other ` +
          `nodes cannot mount it and rolling updates stall (vllm-project/production-stack#107). Use a ReadOnlyMany or ` +
          `ReadWriteMany volume (EFS, Filestore, NFS), or WeightsSource.bucket(...).`,
        scope,
      );
    }
    if (mode === VolumeAccessMode.READ_WRITE_ONCE) {
      Warnings.add(
        scope,
        'k8s-rwo-weights-rollout',
        `'weights' claim '${this.location}' is ReadWriteOnce: a rolling update's new pod can only start on the node that holds it.`,
      );
    }
    const { modelLocation } = weightsSubdirectory(scope, 'volume', this.options.path ?? '', 'llama-8b-awq');
    return {
      modelLocation,
      engineArgs: [],
      env: [],
      volumes: [
        { name: 'model-weights', persistentVolumeClaim: { claimName: this.location, readOnly: true } },
      ],
      volumeMounts: [{ name: 'model-weights', mountPath: WEIGHTS_DIR, readOnly: true }],
      initContainers: [],
    };
  }
}

/** A weight cache filled once ({@link IWeightCache}), mounted read-only. */
export class CachedWeights extends WeightsSource {
  /** The cache. */
  public readonly cache: IWeightCache;
  /** The options given. */
  public readonly options: CachedWeightsOptions;

  constructor(cache: IWeightCache, options: CachedWeightsOptions = {}) {
    super(WeightsSourceKind.CACHE, cache.claimName);
    this.cache = cache;
    this.options = options;
  }

  /**
   * The cache's claim mounted read-only at `/models/weights`, its pod annotations and volumes,
   * and the per-replica read rate: the cache's throughput, divided by the replicas that may start
   * together when they share it.
   */
  public bind(scope: IConstruct, c: WeightsBindContext): WeightsBinding {
    const cache = this.cache;
    if (c.namespace !== undefined && !Token.isUnresolved(c.namespace) && c.namespace !== cache.namespace) {
      throw new ValidationError(
        `'weights' cache ${cache.description} holds claim '${cache.claimName}' in namespace '${cache.namespace}', but the server runs in ` +
          `'${c.namespace}': a pod can only mount claims of its own namespace. Create the cache with namespace '${c.namespace}'.`,
        scope,
      );
    }
    if (cache.accessMode === VolumeAccessMode.READ_WRITE_ONCE && (c.maxReplicas > 1 || c.scaleToZero)) {
      throw new ValidationError(
        `'weights' cache ${cache.description} is ReadWriteOnce but the server runs up to ${c.maxReplicas} replicas: replicas on ` +
          `other nodes cannot mount it. Use a ReadOnlyMany or ReadWriteMany cache.`,
        scope,
      );
    }
    const { modelLocation } = weightsSubdirectory(scope, 'cache', this.options.path ?? '', 'llama-3.1-8b');
    const rate = cache.readRate;
    const replicasReading = Math.max(1, c.maxReplicas);
    return {
      modelLocation,
      engineArgs: [],
      env: [],
      volumes: [
        { name: 'model-weights', persistentVolumeClaim: { claimName: cache.claimName, readOnly: true } },
        ...cache.podVolumes,
      ],
      volumeMounts: [{ name: 'model-weights', mountPath: WEIGHTS_DIR, readOnly: true }],
      initContainers: [],
      loadMiBPerSecond: rate.sharedByReplicas ? rate.mibPerSecond / replicasReading : rate.mibPerSecond,
      podAnnotations: { ...cache.podAnnotations },
      ...(cache.filledBy ? { dependsOn: [cache.filledBy] } : {}),
    };
  }
}

/** A model version in an MLflow Model Registry, downloaded by an init container. */
export class MlflowModelWeights extends WeightsSource {
  /** The options given. */
  public readonly options: MlflowModelWeightsOptions;

  constructor(modelUri: string, options: MlflowModelWeightsOptions) {
    super(WeightsSourceKind.MLFLOW_MODEL, modelUri);
    this.options = options;
  }

  /** An init container downloading the version's artifacts (or `path` of them) into an emptyDir. */
  public bind(scope: IConstruct, c: WeightsBindContext): WeightsBinding {
    const uri = this.location;
    // Registered model names: MLflow refuses '/' and ':' in them (mlflow/utils/validation.py).
    const pinned = /^models:\/[^/:@\s]+\/\d+$/;
    const aliased = /^models:\/[^/:@\s]+@[A-Za-z0-9_-]+$/;
    if (!Token.isUnresolved(uri) && !pinned.test(uri) && !aliased.test(uri)) {
      throw new ValidationError(
        `'weights' WeightsSource.mlflowModel('${uri}') must be 'models:/<name>/<version>' (for example 'models:/llama-3.1-8b-sft/3') ` +
          `or 'models:/<name>@<alias>'.`,
        scope,
      );
    }
    if (!Token.isUnresolved(uri) && aliased.test(uri)) {
      Warnings.add(
        scope,
        'k8s-mlflow-model-alias',
        `'weights' ${uri} is an alias: each pod downloads the version the alias points to when it starts, so replicas can serve ` +
          `different versions after the alias moves. Pin 'models:/<name>/<version>' and roll out a new version deliberately.`,
      );
    }
    const { sub, modelLocation } = weightsSubdirectory(
      scope,
      'mlflowModel',
      this.options.path ?? '',
      'model',
    );
    const env = mlflowClientEnv(
      scope,
      'weights tracking',
      this.options.tracking,
      'unused',
      c.namespace,
    ).filter((e) => e.name !== 'MLFLOW_EXPERIMENT_NAME');
    // `models:/<name>/<version>/<path>` splits into the version root and `<path>`, which the
    // repository downloads to `<dst>/<path>` (`_get_root_uri_and_artifact_path`,
    // mlflow/tracking/artifact_utils.py); the root itself lands in `<dst>`.
    const artifactUri = sub ? `${uri}/${sub}` : uri;
    return copiedWeights(c.weightsGiB, modelLocation, {
      image: imageRef(IMAGES.mlflow),
      command: [
        'python3',
        '-c',
        'import sys, mlflow.artifacts; mlflow.artifacts.download_artifacts(artifact_uri=sys.argv[1], dst_path=sys.argv[2])',
        artifactUri,
        `${WEIGHTS_DIR}/`,
      ],
      env: [...env, { name: 'MLFLOW_DISABLE_TELEMETRY', value: 'true' }],
    });
  }
}
