import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { ModelSpec, Validate, ValidationError, loraAdapterBytes } from '../core';
import type { PodEnvVar, PodInitContainer, PodVolume, PodVolumeMount } from './pod-spec';
import { BUCKET_URI, HF_REPO_ID } from './private/common';
import { IMAGES, imageRef } from './versions';
import type { SecretKeyRef } from './weights';

/** Where a LoRA adapter's weights come from. */
export enum LoraAdapterSourceKind {
  /** A Hugging Face repository, downloaded to `/models/lora/<name>` before the engine starts. */
  HUGGING_FACE = 'hugging-face',
  /** An `s3://` or `gs://` prefix, copied into the pod before the engine starts. */
  BUCKET = 'bucket',
  /** A PersistentVolumeClaim holding the adapter directory. */
  VOLUME = 'volume',
}

/** Options shared by every {@link LoraAdapter} source. */
export interface LoraAdapterOptions {
  /**
   * LoRA rank `r` of the adapter (its `adapter_config.json`). vLLM refuses to load an adapter
   * whose rank exceeds `--max-lora-rank`, so the server's flag is derived from the largest rank.
   */
  readonly rank: number;
  /**
   * The model the adapter was trained on (`base_model_name_or_path` of its
   * `adapter_config.json`). A server of another model refuses the adapter at synth time: vLLM
   * would fail to load it at start (shape mismatch) and the pod would crash-loop. A quantized
   * checkpoint of the same model (AWQ, FP8) is the same model.
   * @default - not checked
   */
  readonly baseModel?: ModelSpec;
}

/** Options of {@link LoraAdapter.fromHuggingFace}. */
export interface HuggingFaceLoraOptions extends LoraAdapterOptions {
  /**
   * Git revision (branch, tag or commit) to pin. Pin a commit: a branch moves, and replicas
   * started later would load another adapter than the first ones.
   * @default - the repository's default branch
   */
  readonly revision?: string;
  /**
   * Secret key holding a Hugging Face token, passed as `HF_TOKEN` to the download (private or
   * gated adapter repositories).
   * @default - the weights' `tokenSecret` when the weights come from Hugging Face, else none
   */
  readonly tokenSecret?: SecretKeyRef;
}

/** Options of {@link LoraAdapter.fromVolume}. */
export interface VolumeLoraOptions extends LoraAdapterOptions {
  /**
   * Directory of the adapter inside the claim.
   * @default - the claim's root
   */
  readonly path?: string;
}

/**
 * The largest LoRA ranks vLLM accepts for `--max-lora-rank` (`MaxLoRARanks` in
 * `vllm/config/lora.py`, vllm-project/vllm v0.26.0; the same literal since v0.11).
 */
export const VLLM_MAX_LORA_RANKS: readonly number[] = [1, 8, 16, 32, 64, 128, 256, 320, 512];

const ADAPTER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** Where adapters copied from a bucket or mounted from a volume live inside the server pod. */
export const LORA_MOUNT_ROOT = '/models/lora';

/**
 * A LoRA adapter served next to its base model by vLLM. Clients select it by sending its
 * `name` as the request's `model`. The adapters are static engine flags
 * (`--lora-modules name=path`), so every pod the autoscaler adds loads them at start, not only
 * the first ones (runtime loading through `/v1/load_lora_adapter` is lost on scale-up,
 * aibrix #1095).
 *
 * @see https://docs.vllm.ai/en/latest/features/lora.html
 * @example
 * const support = LoraAdapter.fromBucket('llama-support', 's3://acme-models/lora/support/', { rank: 16 });
 */
export class LoraAdapter {
  /** An adapter in a Hugging Face repository (`org/name`), downloaded by vLLM. */
  public static fromHuggingFace(
    name: string,
    repository: string,
    options: HuggingFaceLoraOptions,
  ): LoraAdapter {
    Validate.object(undefined, `LoraAdapter.fromHuggingFace('${name}') options`, options);
    return new LoraAdapter(name, LoraAdapterSourceKind.HUGGING_FACE, repository, options, options.revision);
  }

  /**
   * An adapter under an `s3://` or `gs://` prefix, copied to `/models/lora/<name>` before the
   * engine starts with the pod's identity (IRSA / EKS Pod Identity / GKE Workload Identity
   * through the server's `serviceAccountName`, as bucket weights are).
   */
  public static fromBucket(name: string, uri: string, options: LoraAdapterOptions): LoraAdapter {
    Validate.object(undefined, `LoraAdapter.fromBucket('${name}') options`, options);
    return new LoraAdapter(name, LoraAdapterSourceKind.BUCKET, uri, options);
  }

  /**
   * An adapter on a PersistentVolumeClaim, mounted read-only at `/models/lora/<name>` (ReadOnlyMany
   * or ReadWriteMany for several replicas).
   */
  public static fromVolume(name: string, claimName: string, options: VolumeLoraOptions): LoraAdapter {
    Validate.object(undefined, `LoraAdapter.fromVolume('${name}') options`, options);
    return new LoraAdapter(name, LoraAdapterSourceKind.VOLUME, claimName, options, undefined, options.path);
  }

  /** Adapter name clients send as `model`. */
  public readonly name: string;
  /** The source kind. */
  public readonly kind: LoraAdapterSourceKind;
  /** Repository id, bucket URI or claim name. */
  public readonly location: string;
  /** LoRA rank. */
  public readonly rank: number;
  /** Hugging Face revision, if pinned. */
  public readonly revision?: string;
  /** Directory inside a volume claim. */
  public readonly subPath?: string;
  /** The base model the adapter was trained on, if given. */
  public readonly baseModel?: ModelSpec;
  /** Hugging Face token Secret key, if given. */
  public readonly tokenSecret?: SecretKeyRef;

  private constructor(
    name: string,
    kind: LoraAdapterSourceKind,
    location: string,
    options: LoraAdapterOptions & { readonly tokenSecret?: SecretKeyRef },
    revision?: string,
    subPath?: string,
  ) {
    this.name = name;
    this.kind = kind;
    this.location = location;
    this.rank = options.rank;
    this.baseModel = options.baseModel;
    this.tokenSecret = options.tokenSecret;
    this.revision = revision;
    this.subPath = subPath;
  }

  /**
   * The path vLLM loads the adapter from, the right-hand side of `--lora-modules name=path`:
   * `/models/lora/<name>`, where the server downloads, copies or mounts it before the engine
   * starts. A local path (not a Hub id that vLLM would resolve at start) means every pod, also
   * those scale-up adds, has the files before vLLM reads its flags.
   */
  public get modulePath(): string {
    return `${LORA_MOUNT_ROOT}/${this.name}`;
  }
}

/**
 * Validates the adapters a server loads: names valid and unique and different from the base
 * model name, sources well formed, ranks whole numbers within what vLLM accepts.
 * `prop` is the prop name the user set, for messages.
 */
export function validateLoraAdapters(
  scope: IConstruct,
  prop: string,
  adapters: readonly LoraAdapter[],
  servedModelName: string,
  model?: ModelSpec,
): void {
  const seen = new Set<string>();
  const maxRank = VLLM_MAX_LORA_RANKS[VLLM_MAX_LORA_RANKS.length - 1];
  Validate.array<LoraAdapter>(scope, prop, adapters as LoraAdapter[]).forEach((a, i) => {
    if (!(a instanceof LoraAdapter)) {
      throw new ValidationError(
        `${prop}[${i}] must be a LoraAdapter, for example LoraAdapter.fromBucket('support', 's3://acme-models/lora/support/', { rank: 16 }).`,
        scope,
      );
    }
  });
  for (const a of adapters) {
    if (typeof a.name !== 'string') {
      throw new ValidationError(
        `${prop}: an adapter name must be a string, got ${JSON.stringify(a.name)}.`,
        scope,
      );
    }
    if (!Token.isUnresolved(a.name) && !ADAPTER_NAME.test(a.name)) {
      throw new ValidationError(
        `${prop}: adapter name '${a.name}' must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit ` +
          `(clients send it as 'model'; vLLM's --lora-modules splits on '='). For example 'llama-support-v2'.`,
        scope,
      );
    }
    if (seen.has(a.name)) {
      throw new ValidationError(
        `${prop}: adapter name '${a.name}' is used twice: each adapter needs its own name (it is the model clients request).`,
        scope,
      );
    }
    seen.add(a.name);
    if (a.name === servedModelName) {
      throw new ValidationError(
        `${prop}: adapter name '${a.name}' equals the base model's served name: requests for it would be ambiguous. Rename the adapter.`,
        scope,
      );
    }
    if (
      !Token.isUnresolved(a.rank) &&
      (typeof a.rank !== 'number' || !Number.isInteger(a.rank) || a.rank < 1 || a.rank > maxRank)
    ) {
      throw new ValidationError(
        `${prop}: adapter '${a.name}' has rank ${a.rank}; vLLM serves LoRA ranks from 1 to ${maxRank} (--max-lora-rank ` +
          `takes ${VLLM_MAX_LORA_RANKS.join(', ')}). Use the 'r' of the adapter's adapter_config.json.`,
        scope,
      );
    }
    if (a.baseModel !== undefined && !(a.baseModel instanceof ModelSpec)) {
      throw new ValidationError(
        `${prop}: adapter '${a.name}' baseModel must be a ModelSpec, for example ModelSpec.LLAMA_3_1_8B.`,
        scope,
      );
    }
    if (model && a.baseModel && a.baseModel.name !== model.name) {
      throw new ValidationError(
        `${prop}: adapter '${a.name}' was trained on ${a.baseModel.name} (baseModel), but the server serves ${model.name}: ` +
          `vLLM cannot load it (its A/B matrices have the other model's shapes). Serve it on a ${a.baseModel.name} server.`,
        scope,
      );
    }
    if (typeof a.location !== 'string') {
      throw new ValidationError(
        `${prop}: adapter '${a.name}' source must be a string, got ${JSON.stringify(a.location)}.`,
        scope,
      );
    }
    if (a.revision !== undefined) {
      Validate.string(scope, `${prop} adapter '${a.name}' revision`, a.revision, { maxLength: 255 });
    }
    if (a.tokenSecret !== undefined) {
      Validate.k8sDnsSubdomain(scope, `${prop} adapter '${a.name}' tokenSecret.name`, a.tokenSecret?.name, {
        what: 'a Secret name',
      });
      Validate.string(scope, `${prop} adapter '${a.name}' tokenSecret.key`, a.tokenSecret.key, {
        maxLength: 253,
      });
    }
    if (a.subPath !== undefined) {
      Validate.string(scope, `${prop} adapter '${a.name}' path`, a.subPath, { maxLength: 1024 });
      if (a.subPath.split('/').includes('..')) {
        throw new ValidationError(
          `${prop}: adapter '${a.name}' path '${a.subPath}' must stay inside the claim (no '..').`,
          scope,
        );
      }
    }
    if (Token.isUnresolved(a.location)) {
      continue;
    }
    if (a.kind === LoraAdapterSourceKind.HUGGING_FACE && !HF_REPO_ID.test(a.location)) {
      throw new ValidationError(
        `${prop}: adapter '${a.name}' LoraAdapter.fromHuggingFace('${a.location}') needs a repository id 'org/name'.`,
        scope,
      );
    }
    if (a.kind === LoraAdapterSourceKind.BUCKET && !BUCKET_URI.test(a.location)) {
      throw new ValidationError(
        `${prop}: adapter '${a.name}' LoraAdapter.fromBucket('${a.location}') must be an 's3://bucket/prefix/' or 'gs://bucket/prefix/' URI.`,
        scope,
      );
    }
    if (a.kind === LoraAdapterSourceKind.VOLUME) {
      Validate.k8sDnsSubdomain(scope, `${prop} adapter '${a.name}' claim`, a.location, {
        what: 'a PersistentVolumeClaim name',
      });
    }
  }
}

/** Options of {@link loraEngineArgs}. */
export interface LoraEngineOptions {
  /**
   * Adapters held on the GPU at once per pod (`--max-loras`). More adapters than slots are
   * swapped in from CPU per batch, which thrashes under mixed traffic (llm-d-router #709).
   * @default - the number of adapters
   */
  readonly maxLoras?: number;
}

/** The smallest `--max-lora-rank` vLLM accepts ({@link VLLM_MAX_LORA_RANKS}) that covers every adapter's rank. */
export function vllmMaxLoraRank(adapters: readonly LoraAdapter[]): number {
  const largest = Math.max(...adapters.map((a) => a.rank));
  return VLLM_MAX_LORA_RANKS.find((r) => r >= largest) ?? VLLM_MAX_LORA_RANKS[VLLM_MAX_LORA_RANKS.length - 1];
}

/**
 * The vLLM flags serving `adapters`: `--enable-lora`, `--max-loras`, `--max-lora-rank` (the
 * smallest value vLLM accepts that covers the largest adapter rank), `--max-cpu-loras` with the
 * number of adapters when there are more adapters than GPU slots (vLLM's CPU cache defaults to
 * `max_loras` entries, `vllm/config/lora.py`; a smaller cache re-reads evicted adapters from
 * disk), and one `--lora-modules name=path` per adapter. Empty when there are no adapters.
 */
export function loraEngineArgs(adapters: readonly LoraAdapter[], options: LoraEngineOptions = {}): string[] {
  if (adapters.length === 0) {
    return [];
  }
  const maxLoras = options.maxLoras ?? adapters.length;
  Validate.integer(undefined, 'maxLoras', maxLoras, { min: 1, reason: 'vLLM --max-loras' });
  return [
    '--enable-lora',
    '--max-loras',
    String(maxLoras),
    '--max-lora-rank',
    String(vllmMaxLoraRank(adapters)),
    ...(adapters.length > maxLoras ? ['--max-cpu-loras', String(adapters.length)] : []),
    '--lora-modules',
    ...adapters.map((a) => `${a.name}=${a.modulePath}`),
  ];
}

/** What {@link loraAdapterBinding} needs from the server. */
export interface LoraBindContext {
  /** The served model, for the size of the adapters' scratch volume. */
  readonly model: ModelSpec;
  /** The engine image (the Hugging Face download runs `huggingface_hub` from it: no extra image to pull). */
  readonly engineImage: string;
  /**
   * Hugging Face token of the weights, used for adapters without their own `tokenSecret`.
   * @default - none
   */
  readonly hfTokenSecret?: SecretKeyRef;
}

/** What the adapters add to the server's pod. */
export interface LoraBinding {
  /** Pod volumes: the adapters' emptyDir and the claims of volume adapters. */
  readonly volumes: PodVolume[];
  /** Mounts of the server container: each adapter read-only at `/models/lora/<name>`. */
  readonly volumeMounts: PodVolumeMount[];
  /** One init container per downloaded or copied adapter. */
  readonly initContainers: PodInitContainer[];
}

/** Name of the emptyDir adapters are downloaded or copied into. */
const LORA_VOLUME = 'lora-adapters';

/**
 * A Python one-liner for `huggingface_hub.snapshot_download(repo_id, revision, local_dir)`, the
 * API every huggingface_hub release since 0.14 has (the `hf` / `huggingface-cli` command names
 * changed across releases, the function did not).
 */
const HF_DOWNLOAD =
  'import sys; from huggingface_hub import snapshot_download; ' +
  'snapshot_download(repo_id=sys.argv[1], revision=sys.argv[2] or None, local_dir=sys.argv[3])';

/**
 * The pod parts that put every adapter at `/models/lora/<name>` before the engine starts, on
 * every pod the Deployment creates (the first ones and those scale-up adds: aibrix #1095):
 *
 * - Hugging Face: an init container running `huggingface_hub.snapshot_download` from the engine
 *   image, at the pinned revision, with `HF_TOKEN` from the adapter's or the weights' Secret;
 * - bucket: an init container running `aws s3 sync` or `gcloud storage rsync` (the pinned CLI
 *   images the weights use) with the pod's identity, as bucket weights are fetched;
 * - volume: the claim mounted read-only at `/models/lora/<name>` (its `path` as subPath).
 *
 * Downloads and copies go to one emptyDir (`lora-adapters`, sized at twice the adapters' 16-bit
 * size plus 1 GiB, for adapters saved in float32) that the server mounts read-only, one subPath per adapter.
 */
export function loraAdapterBinding(adapters: readonly LoraAdapter[], context: LoraBindContext): LoraBinding {
  const volumes: PodVolume[] = [];
  const volumeMounts: PodVolumeMount[] = [];
  const initContainers: PodInitContainer[] = [];
  const copied = adapters.filter((a) => a.kind !== LoraAdapterSourceKind.VOLUME);
  if (copied.length) {
    const bytes = copied.reduce((sum, a) => sum + loraAdapterBytes(context.model, a.rank), 0);
    volumes.push({
      name: LORA_VOLUME,
      emptyDir: { sizeLimit: `${Math.ceil((2 * bytes) / 1024 ** 3) + 1}Gi` },
    });
  }
  adapters.forEach((a, i) => {
    const dir = a.modulePath;
    if (a.kind === LoraAdapterSourceKind.VOLUME) {
      const volume = `lora-claim-${i}`;
      volumes.push({ name: volume, persistentVolumeClaim: { claimName: a.location, readOnly: true } });
      const sub = (a.subPath ?? '').replace(/^\/+|\/+$/g, '');
      volumeMounts.push({ name: volume, mountPath: dir, readOnly: true, ...(sub ? { subPath: sub } : {}) });
      return;
    }
    volumeMounts.push({ name: LORA_VOLUME, mountPath: dir, readOnly: true, subPath: a.name });
    const mounts: PodVolumeMount[] = [{ name: LORA_VOLUME, mountPath: LORA_MOUNT_ROOT }];
    const name = `fetch-lora-${i}`;
    if (a.kind === LoraAdapterSourceKind.HUGGING_FACE) {
      const token = a.tokenSecret ?? context.hfTokenSecret;
      const env: PodEnvVar[] = [{ name: 'HF_HUB_DISABLE_TELEMETRY', value: '1' }];
      if (token) {
        env.push({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { ...token } } });
      }
      initContainers.push({
        name,
        image: context.engineImage,
        command: ['python3', '-c', HF_DOWNLOAD, a.location, a.revision ?? '', dir],
        env,
        volumeMounts: mounts,
      });
      return;
    }
    const uri = a.location.endsWith('/') ? a.location : `${a.location}/`;
    if (uri.startsWith('s3://')) {
      initContainers.push({
        name,
        image: imageRef(IMAGES.awsCli),
        command: ['aws', 's3', 'sync', '--only-show-errors', uri, `${dir}/`],
        volumeMounts: mounts,
      });
    } else {
      initContainers.push({
        name,
        image: imageRef(IMAGES.googleCloudCli),
        command: ['gcloud', 'storage', 'rsync', '--recursive', uri, `${dir}/`],
        // As for bucket weights: bound gcloud's parallelism to the init container's memory limit.
        env: [
          { name: 'CLOUDSDK_STORAGE_PROCESS_COUNT', value: '4' },
          { name: 'CLOUDSDK_STORAGE_THREAD_COUNT', value: '8' },
        ],
        volumeMounts: mounts,
      });
    }
  });
  return { volumes, volumeMounts, initContainers };
}
