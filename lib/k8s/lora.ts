import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { Validate, ValidationError } from '../core';

/** Where a LoRA adapter's weights come from. */
export enum LoraAdapterSourceKind {
  /** A Hugging Face repository, downloaded by vLLM itself. */
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
}

/** Options of {@link LoraAdapter.fromHuggingFace}. */
export interface HuggingFaceLoraOptions extends LoraAdapterOptions {
  /**
   * Git revision (branch, tag or commit) to pin.
   * @default - the repository's default branch
   */
  readonly revision?: string;
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
const HF_REPO = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;
const BUCKET_URI = /^(s3|gs):\/\/[a-z0-9][a-z0-9._-]{1,221}[a-z0-9](\/.*)?$/;

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
    return new LoraAdapter(
      name,
      LoraAdapterSourceKind.HUGGING_FACE,
      repository,
      options.rank,
      options.revision,
    );
  }

  /** An adapter under an `s3://` or `gs://` prefix, copied to `/models/lora/<name>` before the engine starts. */
  public static fromBucket(name: string, uri: string, options: LoraAdapterOptions): LoraAdapter {
    return new LoraAdapter(name, LoraAdapterSourceKind.BUCKET, uri, options.rank);
  }

  /** An adapter on a PersistentVolumeClaim (ReadOnlyMany or ReadWriteMany for several replicas). */
  public static fromVolume(name: string, claimName: string, options: VolumeLoraOptions): LoraAdapter {
    return new LoraAdapter(
      name,
      LoraAdapterSourceKind.VOLUME,
      claimName,
      options.rank,
      undefined,
      options.path,
    );
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

  private constructor(
    name: string,
    kind: LoraAdapterSourceKind,
    location: string,
    rank: number,
    revision?: string,
    subPath?: string,
  ) {
    this.name = name;
    this.kind = kind;
    this.location = location;
    this.rank = rank;
    this.revision = revision;
    this.subPath = subPath;
  }

  /**
   * The path vLLM loads the adapter from, the right-hand side of `--lora-modules name=path`:
   * the repository id for Hugging Face, `/models/lora/<name>` for bucket and volume adapters
   * (the server copies or mounts them there).
   */
  public get modulePath(): string {
    return this.kind === LoraAdapterSourceKind.HUGGING_FACE
      ? this.location
      : `${LORA_MOUNT_ROOT}/${this.name}`;
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
): void {
  const seen = new Set<string>();
  const maxRank = VLLM_MAX_LORA_RANKS[VLLM_MAX_LORA_RANKS.length - 1];
  for (const a of adapters) {
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
    if (!Token.isUnresolved(a.rank) && (!Number.isInteger(a.rank) || a.rank < 1 || a.rank > maxRank)) {
      throw new ValidationError(
        `${prop}: adapter '${a.name}' has rank ${a.rank}; vLLM serves LoRA ranks from 1 to ${maxRank} (--max-lora-rank ` +
          `takes ${VLLM_MAX_LORA_RANKS.join(', ')}). Use the 'r' of the adapter's adapter_config.json.`,
        scope,
      );
    }
    if (Token.isUnresolved(a.location)) {
      continue;
    }
    if (a.kind === LoraAdapterSourceKind.HUGGING_FACE && !HF_REPO.test(a.location)) {
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

/**
 * The vLLM flags serving `adapters`: `--enable-lora`, `--max-loras`, `--max-lora-rank` (the
 * smallest value vLLM accepts that covers the largest adapter rank) and one `--lora-modules`
 * per adapter. Empty when there are no adapters.
 */
export function loraEngineArgs(adapters: readonly LoraAdapter[], options: LoraEngineOptions = {}): string[] {
  if (adapters.length === 0) {
    return [];
  }
  const maxLoras = options.maxLoras ?? adapters.length;
  Validate.integer(undefined, 'maxLoras', maxLoras, { min: 1, reason: 'vLLM --max-loras' });
  const largest = Math.max(...adapters.map((a) => a.rank));
  const maxRank =
    VLLM_MAX_LORA_RANKS.find((r) => r >= largest) ?? VLLM_MAX_LORA_RANKS[VLLM_MAX_LORA_RANKS.length - 1];
  return [
    '--enable-lora',
    '--max-loras',
    String(maxLoras),
    '--max-lora-rank',
    String(maxRank),
    '--lora-modules',
    ...adapters.map((a) => `${a.name}=${a.modulePath}`),
  ];
}
