import { IConstruct } from 'constructs';
import { KvCacheDtype, SizingResult, ValidationError } from '../../core';
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

/** Options of {@link SglangEngine}. */
export interface SglangEngineOptions {
  /**
   * Image (`lmsysorg/sglang` or a mirror of it, with `python3 -m sglang.launch_server`).
   * @default IMAGES.sglang
   */
  readonly image?: ImageVersion;
}

/** SGLang's default HTTP port (`ServerArgs.port`). */
const HTTP_PORT = 30000;

/**
 * `--mem-fraction-static`: the share of the GPU SGLang gives to weights and the KV-cache pool
 * (`ServerArgs.mem_fraction_static`, "model weights and KV cache memory pool"); activations and
 * CUDA graphs live in the rest. From core sizing: (usable - overhead) / CUDA total, which is
 * the weights plus the KV cache the sizing budgeted, rounded down to 0.01 so the runtime never
 * takes more than the sizing planned.
 */
export function sglangMemFractionStatic(sizing: SizingResult): number {
  const staticGiB = sizing.usablePerGpuGiB - sizing.overheadPerGpuGiB;
  return Math.floor((staticGiB / sizing.cudaMemoryGiB) * 100) / 100;
}

/**
 * SGLang's OpenAI-compatible server (`python3 -m sglang.launch_server`): API, `/health` and
 * `/metrics` on port 30000 (the command, port and `/health` probe of SGLang's own Kubernetes
 * example, `docker/k8s-sglang-service.yaml`; its `hostIPC: true` is not needed: tensor
 * parallelism gets a memory-backed `/dev/shm` instead, which Pod Security "restricted" allows).
 *
 * Flags are SGLang's own (`python/sglang/srt/server_args.py`, the `ServerArgs` dataclass whose
 * fields become `--kebab-case` options; checked in test/consumers/engine-flags.ts): `--model-path`,
 * `--served-model-name`, `--host`, `--port`, `--tp-size`, `--context-length`, `--mem-fraction-static`,
 * `--max-running-requests`, `--kv-cache-dtype`, `--dtype`, `--revision`, `--enable-metrics`,
 * and `--json-model-override-args` (merged into the checkpoint's `config.json`) for a rope
 * scaling the checkpoint's config lacks (`ModelSpec.vllmHfOverrides`, the same JSON vLLM gets
 * as `--hf-overrides`; Qwen's documented way to serve Qwen3 at 131072 tokens with SGLang).
 * A pre-quantized checkpoint (FP8, AWQ, GPTQ, compressed-tensors, ModelOpt FP4, MXFP4) is
 * recognised from its `config.json`, so no `--quantization` is passed.
 *
 * Metrics (enabled with `--enable-metrics`) are the scheduler gauges of
 * `python/sglang/srt/metrics/collector.py`, labelled `model_name`: `sglang:num_queue_reqs`
 * (waiting), `sglang:num_running_reqs` and `sglang:token_usage` (KV-cache pool in use, 0-1).
 *
 * Runs as UID 1000, GID 0: the image defines no non-root user (its `docker/Dockerfile` has no
 * `USER` and installs into system site-packages, readable by any UID). `HOME` (an emptyDir,
 * where FlashInfer, Triton and Hugging Face keep their caches) and `USER` are set, so Python's
 * `getpass.getuser()` never needs a passwd entry; `/tmp` is writable for the ZeroMQ IPC sockets
 * between the tokenizer, scheduler and detokenizer processes.
 *
 * @see https://docs.sglang.ai/advanced_features/server_arguments.html
 */
export class SglangEngine implements IServingEngine {
  /** `sglang`. */
  public readonly id: string = 'sglang';
  /** `SGLang`. */
  public readonly displayName: string = 'SGLang';
  /** The image. */
  public readonly image: ImageVersion;
  /** `http` 30000 (API, `/health`, `/metrics`). */
  public readonly ports: EnginePort[] = [{ name: 'http', containerPort: HTTP_PORT }];
  /** 30000. */
  public readonly httpPort: number = HTTP_PORT;
  /**
   * `/health` for all three probes (200 once the scheduler answers). `/health_generate` runs a
   * one-token generation and is left out of the kubelet's probes on purpose: under load it
   * queues behind user requests and would restart a busy pod.
   */
  public readonly probes: EngineProbes = {
    port: 'http',
    startupPath: '/health',
    readinessPath: '/health',
    livenessPath: '/health',
  };
  /** Scheduler gauges labelled `model_name` (`--enable-metrics`). */
  public readonly metrics: EngineMetrics = {
    port: 'http',
    path: '/metrics',
    scope: EngineMetricScope.MODEL_NAME,
    queueDepth: { name: 'sglang:num_queue_reqs' },
    runningRequests: { name: 'sglang:num_running_reqs' },
    kvCacheUsage: { name: 'sglang:token_usage' },
  };
  /** UID 1000, GID 0, home `/home/sglang` (an emptyDir; the image has no such user, `USER` is set). */
  public readonly user: EngineUser = { uid: 1000, gid: 0, name: 'sglang', home: '/home/sglang' };
  /** `/tmp` (IPC sockets, Triton and TorchInductor scratch). */
  public readonly writablePaths: EngineWritablePath[] = [{ volume: 'tmp', path: '/tmp' }];
  /** true. */
  public readonly readOnlyRootFilesystem: boolean = true;
  /** 10 minutes: process start, FlashInfer JIT and CUDA-graph capture on a cold cache. */
  public readonly warmUpMinutes: number = 10;
  /** Downloads Hub repositories and pins revisions; bucket weights are copied first. */
  public readonly weightLoading: EngineWeightLoading = {
    streamsS3ByDefault: false,
    downloadsFromHuggingFace: true,
    revisionArgs: (revision) => ['--revision', revision],
    localModelDescription: 'a Hugging Face model directory (config.json, safetensors, tokenizer)',
  };

  constructor(options: SglangEngineOptions = {}) {
    this.image = options.image ?? IMAGES.sglang;
  }

  /**
   * Refuses GGUF files (serve them with llama.cpp), quantizations that would only run through a
   * weight-only fallback kernel on this GPU (this library runs those with vLLM only), and
   * replicas that span nodes.
   */
  public validate(scope: IConstruct, c: EngineValidationContext): void {
    const q = c.quantization;
    if (q.isGguf) {
      throw new ValidationError(
        `'quantization' ${q.id} is a GGUF file for llama.cpp; SGLang serves safetensors checkpoints here. ` +
          `Serve GGUF files with llama.cpp, or use a safetensors quantization (BF16, FP8, AWQ, GPTQ, W4A16) with SGLang.`,
        scope,
      );
    }
    if (q.runsWeightOnlyOn(c.accelerator)) {
      throw new ValidationError(
        `'quantization' ${q.id} runs only weight-only on ${c.accelerator.id} (SM ${c.accelerator.smText}; native from SM ` +
          `${q.nativeMinComputeCapability.toFixed(1)}), which this library serves with vLLM only. Use engine ServingEngine.VLLM, ` +
          `a GPU with SM >= ${q.nativeMinComputeCapability.toFixed(1)}, or another quantization (AWQ, GPTQ, BF16).`,
        scope,
      );
    }
    if (c.sizing.nodesPerReplica > 1) {
      throw new ValidationError(
        `${c.model.name} in ${q.id} on ${c.accelerator.id} spans ${c.sizing.nodesPerReplica} nodes per replica; the SGLang engine ` +
          `serves one node per replica. Use a larger accelerator, a smaller 'quantization' or a shorter 'maxModelLen'.`,
        scope,
      );
    }
  }

  /**
   * `python3 -m sglang.launch_server` with the model, the served name, the sizing's tensor
   * parallel degree (a replica is one node, and sizing splits into pipeline stages only across
   * nodes, so there is no `--pp-size`), context length, static memory share ({@link sglangMemFractionStatic}) and
   * concurrent-sequence limit, the KV-cache dtype, the checkpoint dtype for 16-bit weights,
   * config overrides for rope scaling, the weights source's flags and `--enable-metrics`.
   */
  public container(c: EngineContainerContext): EngineContainer {
    const s = c.sizing;
    const dtype: Record<string, string> = { BF16: 'bfloat16', FP16: 'float16' };
    const args = [
      '--model-path',
      c.modelLocation,
      '--served-model-name',
      c.servedModelName,
      '--host',
      '0.0.0.0',
      '--port',
      String(HTTP_PORT),
      '--tp-size',
      String(s.tensorParallelSize),
      '--context-length',
      String(s.maxModelLen),
      '--mem-fraction-static',
      String(sglangMemFractionStatic(s)),
      '--max-running-requests',
      String(s.maxNumSeqs),
      ...(s.kvCacheDtype === KvCacheDtype.FP8 ? ['--kv-cache-dtype', 'fp8_e4m3'] : []),
      ...(dtype[c.quantization.id] ? ['--dtype', dtype[c.quantization.id]] : []),
      ...(c.model.vllmHfOverrides
        ? ['--json-model-override-args', JSON.stringify(c.model.vllmHfOverrides)]
        : []),
      ...c.weightsArgs,
      '--enable-metrics',
    ];
    return { command: ['python3', '-m', 'sglang.launch_server'], args };
  }
}
