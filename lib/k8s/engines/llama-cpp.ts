import { IConstruct } from 'constructs';
import { LlamaCppCacheType, LlamaCppSizing, ValidationError, sizeLlamaCpp } from '../../core';
import { IMAGES, ImageVersion } from '../versions';
import {
  EngineContainer,
  EngineContainerContext,
  EngineMetricScope,
  EngineMetrics,
  EnginePort,
  EngineProbes,
  EngineUser,
  EngineValidationContext,
  EngineWeightLoading,
  EngineWritablePath,
  IServingEngine,
} from './engine';

/** Options of {@link LlamaCppEngine}. */
export interface LlamaCppEngineOptions {
  /**
   * Image for CPU nodes (`ghcr.io/ggml-org/llama.cpp:server-*` or a mirror; its entrypoint must
   * be `llama-server`).
   * @default IMAGES.llamaCppServer
   */
  readonly image?: ImageVersion;
  /**
   * Image for layers offloaded to an NVIDIA GPU (`server-cuda-*` or a mirror).
   * @default IMAGES.llamaCppServerCuda
   */
  readonly cudaImage?: ImageVersion;
}

/** What {@link LlamaCppEngine.serverArgs} renders from. */
export interface LlamaCppServerArgsContext {
  /** Core sizing (context, slots, cache type, threads, layers on the GPU). */
  readonly sizing: LlamaCppSizing;
  /** Path of the GGUF file inside the container. */
  readonly modelPath: string;
  /** The model name clients send (`--alias`). */
  readonly servedModelName: string;
}

const HTTP_PORT = 8080;

/**
 * llama.cpp's OpenAI-compatible server (`llama-server`) for GGUF files: on CPU nodes, or with
 * some or all layers on a small GPU (`--n-gpu-layers`, the CUDA image). API, `/health` and
 * `/metrics` on port 8080.
 *
 * The flags it renders were read from llama.cpp's own argument parser (`common/arg.cpp`,
 * `common_params_parser_init`, as stored at ggml-org/llama.cpp commit 145b6280; every flag
 * used has existed unchanged since long before build b9994) and are checked by the consumer
 * test against `LLAMA_SERVER_FLAGS`. `/metrics` needs `--metrics`; its gauges are
 * `llamacpp:requests_processing` (busy slots) and `llamacpp:requests_deferred` (requests waiting
 * for a free slot, the queue and the autoscaling signal) (`tools/server`'s metrics handler).
 * There is no KV-cache usage gauge, so routing that needs one (the inference gateway's
 * KV-cache scorer) does not apply.
 *
 * The image defines no user and runs as root; the pod runs it as UID 1000 with a read-only root
 * filesystem (`llama-server` writes nothing but `/tmp` when it reads a local GGUF file), which
 * meets the Restricted Pod Security profile.
 *
 * @see https://github.com/ggml-org/llama.cpp/tree/master/tools/server
 */
export class LlamaCppEngine implements IServingEngine {
  /** `llama-cpp`. */
  public readonly id: string = 'llama-cpp';
  /** `llama.cpp`. */
  public readonly displayName: string = 'llama.cpp';
  /** The CPU image. */
  public readonly image: ImageVersion;
  /** The CUDA image, for layers on a GPU. */
  public readonly cudaImage: ImageVersion;
  /** `http` 8080 (API, `/health`, `/metrics`). */
  public readonly ports: EnginePort[] = [{ name: 'http', containerPort: HTTP_PORT }];
  /** 8080. */
  public readonly httpPort: number = HTTP_PORT;
  /** `/health`: 503 while the model loads, 200 once it serves. */
  public readonly probes: EngineProbes = {
    port: 'http',
    startupPath: '/health',
    readinessPath: '/health',
    livenessPath: '/health',
  };
  /**
   * `llamacpp:requests_deferred` as the queue (requests waiting for a slot) and
   * `llamacpp:requests_processing` as the running requests; no KV-cache usage gauge. The series
   * carry no model label: they are selected by pod.
   */
  public readonly metrics: EngineMetrics = {
    port: 'http',
    path: '/metrics',
    scope: EngineMetricScope.POD,
    queueDepth: { name: 'llamacpp:requests_deferred' },
    runningRequests: { name: 'llamacpp:requests_processing' },
  };
  /** UID / GID 1000, home `/home/llama` (the image defines no user). */
  public readonly user: EngineUser = { uid: 1000, gid: 1000, name: 'llama', home: '/home/llama' };
  /** `/tmp`. */
  public readonly writablePaths: EngineWritablePath[] = [{ volume: 'tmp', path: '/tmp' }];
  /** true. */
  public readonly readOnlyRootFilesystem: boolean = true;
  /** 2 minutes: llama-server maps the file and warms up with one empty decode; no compilation. */
  public readonly warmUpMinutes: number = 2;
  /** Reads a local GGUF file: bucket weights are copied by an init container; no Hub download, no streaming. */
  public readonly weightLoading: EngineWeightLoading = {
    streamsS3ByDefault: false,
    downloadsFromHuggingFace: false,
    localModelDescription: 'a GGUF file in a local directory',
  };

  constructor(options: LlamaCppEngineOptions = {}) {
    this.image = options.image ?? IMAGES.llamaCppServer;
    this.cudaImage = options.cudaImage ?? IMAGES.llamaCppServerCuda;
  }

  /**
   * Refuses what is not a GGUF file. A GGUF model is served by `LlamaCppServer`; `ModelServer`
   * sizes vLLM-style GPU replicas and refuses GGUF files before it reaches the engine.
   */
  public validate(scope: IConstruct, context: EngineValidationContext): void {
    const q = context.quantization;
    if (!q.isGguf) {
      throw new ValidationError(
        `'engine' llama.cpp serves GGUF files, but 'quantization' is ${q.id}. Serve a GGUF file (Quantization.GGUF_Q4_K_M, GGUF_Q5_K_M, GGUF_Q8_0) ` +
          `with LlamaCppServer, or ${q.id} with ServingEngine.VLLM or ServingEngine.SGLANG.`,
        scope,
      );
    }
  }

  /**
   * The container of a GPU replica sized by core `sizeModel` (what `ModelServer` passes): the
   * arguments of {@link serverArgs} for the same model, context and sequences, sized for
   * llama.cpp on the replica's GPU.
   */
  public container(c: EngineContainerContext): EngineContainer {
    const sizing = sizeLlamaCpp({
      model: c.model,
      quantization: c.quantization,
      accelerator: c.accelerator,
      maxModelLen: c.sizing.maxModelLen,
      parallel: c.sizing.concurrentSequences,
    });
    return {
      args: this.serverArgs({ sizing, modelPath: c.modelLocation, servedModelName: c.servedModelName }),
    };
  }

  /**
   * `llama-server` arguments: the GGUF file (`--model`), the served name (`--alias`), listen
   * address and port, `--ctx-size` (slot context x slots) and `--parallel`, `--threads` /
   * `--threads-batch`, `--n-gpu-layers` (0 on CPU; layers + 1, the output layer included, when
   * the whole model is offloaded), the KV-cache type (with `--flash-attn on`, which a quantized
   * V cache needs), `--metrics`, `--no-webui` and `--no-slots` (the per-slot endpoint shows
   * prompts).
   */
  public serverArgs(c: LlamaCppServerArgsContext): string[] {
    const s = c.sizing;
    const gpuLayers = s.fullyOffloaded ? s.model.layers + 1 : s.gpuLayers;
    return [
      '--model',
      c.modelPath,
      '--alias',
      c.servedModelName,
      '--host',
      '0.0.0.0',
      '--port',
      String(HTTP_PORT),
      '--ctx-size',
      String(s.ctxSize),
      '--parallel',
      String(s.parallel),
      '--threads',
      String(s.threads),
      '--threads-batch',
      String(s.threadsBatch),
      '--n-gpu-layers',
      String(gpuLayers),
      ...(s.cacheType === LlamaCppCacheType.F16
        ? []
        : ['--cache-type-k', s.cacheType, '--cache-type-v', s.cacheType, '--flash-attn', 'on']),
      '--metrics',
      '--no-webui',
      '--no-slots',
    ];
  }
}
