import { IConstruct } from 'constructs';
import {
  LoraSizingOptions,
  ModelSpec,
  Validate,
  ValidationError,
  Warnings,
  loraAdapterBytes,
} from '../../core';
import { IServingEngine } from '../engines/engine';
import { LoraAdapter, LoraBinding, loraAdapterBinding, validateLoraAdapters } from '../lora';
import { SecretKeyRef } from '../weights';

/** What a model server's LoRA adapters add to it. */
export interface ServerLora {
  /** The adapters (validated). */
  readonly adapters: readonly LoraAdapter[];
  /** The LoRA slots core sizing reserves; undefined without adapters. */
  readonly sizing?: LoraSizingOptions;
  /** Engine arguments. */
  readonly args: string[];
  /** Volumes, mounts and init containers. */
  readonly binding: LoraBinding;
  /** Host memory of the engine's CPU adapter cache (every adapter), GiB. */
  readonly cpuCacheGiB: number;
}

/** Inputs of {@link serverLora}. */
export interface ServerLoraOptions {
  readonly adapters?: LoraAdapter[];
  readonly maxLoras?: number;
  readonly engine: IServingEngine;
  readonly model: ModelSpec;
  readonly servedModelName: string;
  readonly engineImage: string;
  readonly hfTokenSecret?: SecretKeyRef;
}

const NONE: ServerLora = {
  adapters: [],
  args: [],
  binding: { volumes: [], volumeMounts: [], initContainers: [] },
  cpuCacheGiB: 0,
};

/**
 * Validates a model server's `loraAdapters` and `maxLoras` (errors name those props) and
 * renders what they add: the sizing's LoRA slots, the engine's flags and the pod parts that put
 * each adapter at `/models/lora/<name>` on every pod.
 */
export function serverLora(scope: IConstruct, o: ServerLoraOptions): ServerLora {
  const adapters = Validate.array<LoraAdapter>(scope, 'loraAdapters', o.adapters ?? []);
  if (adapters.length === 0) {
    if (o.maxLoras !== undefined) {
      throw new ValidationError(
        `'maxLoras' (${o.maxLoras}) is set but 'loraAdapters' is empty: LoRA slots would take GPU memory no adapter uses. ` +
          `Give 'loraAdapters' or drop 'maxLoras'.`,
        scope,
      );
    }
    return NONE;
  }
  const support = o.engine.lora;
  if (!support) {
    throw new ValidationError(
      `'loraAdapters' (${adapters.length}) cannot be served by ${o.engine.displayName}: it has no LoRA support in this ` +
        `library. Use engine ServingEngine.VLLM, or merge the adapter into the weights.`,
      scope,
    );
  }
  if (o.model.isMoe || o.model.mla) {
    throw new ValidationError(
      `'loraAdapters' on ${o.model.name}: the GPU memory vLLM reserves for LoRA on ${o.model.isMoe ? 'mixture-of-experts' : 'latent-attention'} ` +
        `layers is not modelled by this library's sizing, so the KV-cache budget could not be trusted. Serve the adapters ` +
        `on a dense model, or merge the adapter into the weights.`,
      scope,
    );
  }
  validateLoraAdapters(scope, 'loraAdapters', adapters, o.servedModelName, o.model);
  const largestAccepted = Math.max(...support.maxLoraRanks);
  for (const a of adapters) {
    if (a.rank > largestAccepted) {
      throw new ValidationError(
        `'loraAdapters': adapter '${a.name}' has rank ${a.rank}; ${o.engine.displayName} serves ranks up to ${largestAccepted}.`,
        scope,
      );
    }
  }
  const maxLoras = o.maxLoras ?? adapters.length;
  Validate.integer(scope, 'maxLoras', maxLoras, {
    min: 1,
    max: adapters.length,
    reason: `GPU slots for the ${adapters.length} adapter(s) of 'loraAdapters' (vLLM --max-loras); more slots than adapters reserve memory nothing uses`,
  });
  if (maxLoras < adapters.length) {
    Warnings.add(
      scope,
      'k8s-lora-slots-shared',
      `'maxLoras' (${maxLoras}) is below the number of 'loraAdapters' (${adapters.length}): a batch holds at most ${maxLoras} ` +
        `adapter(s) and the others wait to be swapped in from CPU, which thrashes under mixed traffic (llm-d-router #709).`,
    );
  }
  const largest = Math.max(...adapters.map((a) => a.rank));
  const maxLoraRank =
    [...support.maxLoraRanks].sort((x, y) => x - y).find((r) => r >= largest) ?? largestAccepted;
  const cpuBytes = adapters.reduce((sum, a) => sum + loraAdapterBytes(o.model, a.rank), 0);
  return {
    adapters,
    sizing: { maxLoras, maxLoraRank },
    args: support.args(adapters, { maxLoras }),
    binding: loraAdapterBinding(adapters, {
      model: o.model,
      engineImage: o.engineImage,
      hfTokenSecret: o.hfTokenSecret,
    }),
    cpuCacheGiB: cpuBytes / 1024 ** 3,
  };
}
