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
   * vLLM streams the safetensors straight from the bucket (`--load-format runai_streamer`),
   * no local copy. Credentials come from the pod's identity (IRSA / EKS Pod Identity / GKE
   * Workload Identity through `serviceAccountName`).
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
   * @default BucketLoading.STREAM for `s3://` with vLLM, otherwise BucketLoading.INIT_CONTAINER
   */
  readonly loading?: BucketLoading;
}

/** Options of {@link WeightsSource.volume}. */
export interface VolumeWeightsOptions {
  /** Access mode of the claim, as created. Decides how many replicas can share it. */
  readonly accessMode: VolumeAccessMode;
  /**
   * Directory of the model inside the volume.
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
}

/**
 * Where a model server reads its weights: a Hugging Face repository, an `s3://` / `gs://`
 * prefix, or an existing read-many PersistentVolumeClaim.
 *
 * @example
 * WeightsSource.bucket('s3://models/llama-3.1-70b-awq/');
 * WeightsSource.huggingFace('hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4', {
 *   tokenSecret: { name: 'hf-token', key: 'token' },
 * });
 * WeightsSource.volume('models-rwx', { accessMode: VolumeAccessMode.READ_ONLY_MANY, path: 'llama-8b-awq' });
 */
export class WeightsSource {
  /** A Hugging Face Hub repository id such as `org/model`; downloaded at start-up into an emptyDir cache. */
  public static huggingFace(repoId: string, options: HuggingFaceWeightsOptions = {}): WeightsSource {
    return new WeightsSource(WeightsSourceKind.HUGGING_FACE, repoId, options);
  }

  /** An `s3://bucket/prefix/` or `gs://bucket/prefix/` holding safetensors and tokenizer files. */
  public static bucket(uri: string, options: BucketWeightsOptions = {}): WeightsSource {
    return new WeightsSource(WeightsSourceKind.BUCKET, uri, options);
  }

  /** An existing PersistentVolumeClaim (in the server's namespace) holding the model directory. */
  public static volume(claimName: string, options: VolumeWeightsOptions): WeightsSource {
    return new WeightsSource(WeightsSourceKind.VOLUME, claimName, options);
  }

  private constructor(
    /** The kind of source. */
    public readonly kind: WeightsSourceKind,
    /** Repository id, bucket URI or claim name. */
    public readonly location: string,
    /** The options given. */
    public readonly options: HuggingFaceWeightsOptions & BucketWeightsOptions & Partial<VolumeWeightsOptions>,
  ) {}
}
