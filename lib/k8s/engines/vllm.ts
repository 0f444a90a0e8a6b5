import { IConstruct } from 'constructs';
import { vllmSizingArgs } from '../../core';
import { VLLM_MAX_LORA_RANKS, loraEngineArgs } from '../lora';
import { IMAGES, ImageVersion } from '../versions';
import {
  EngineLoraSupport,
  EngineContainer,
  EngineContainerContext,
  EngineMetricScope,
  EngineMetrics,
  EnginePort,
  EngineProbes,
  EngineTracing,
  EngineUser,
  EngineValidationContext,
  EngineWeightLoading,
  EngineWritablePath,
  IServingEngine,
  MultiNodeContainerContext,
  MultiNodeContainers,
} from './engine';

/** Options of {@link VllmEngine}. */
export interface VllmEngineOptions {
  /**
   * Image (`vllm/vllm-openai` or a mirror of it; its entrypoint must be `vllm serve`).
   * @default IMAGES.vllm
   */
  readonly image?: ImageVersion;
}

const HTTP_PORT = 8000;
/** `ParallelConfig.master_port`'s default in vLLM: the port the node-rank-0 process listens on for the other nodes. */
const MASTER_PORT = 29501;

/** The LoRA support of every {@link VllmEngine}, made on first read. */
let vllmLoraSupport: EngineLoraSupport | undefined;

/**
 * vLLM's OpenAI-compatible server (`vllm serve`): one container, API, health and metrics on
 * port 8000.
 *
 * Runs as the image's `vllm` user (UID 2000, GID 0, home `/home/vllm`), which the CUDA
 * `vllm/vllm-openai` image ships since vllm-project/vllm PR #40275 (merged 2026-05-25, before
 * v0.23.0; `docker/Dockerfile`, "Non-root support"). `HOME` and `USER` are set as well, so
 * PyTorch's `getpass.getuser()` never needs the passwd entry (vllm-project/vllm#44548; the user
 * may be dropped again, vllm-project/vllm#50149).
 *
 * Read-only root filesystem: vLLM, Hugging Face, Triton (the kernel compiler), TorchInductor,
 * FlashInfer, Numba and Outlines write their caches under `$HOME/.cache` and `$HOME/.config`
 * (`VLLM_CACHE_ROOT` defaults to `~/.cache/vllm`, `VLLM_CONFIG_ROOT` to `~/.config/vllm`;
 * vLLM `docs/deployment/docker.md`), and TorchInductor and multiprocessing write to `/tmp`:
 * both are emptyDirs.
 *
 * @see https://docs.vllm.ai/en/latest/deployment/docker.html
 */
export class VllmEngine implements IServingEngine {
  /** `vllm`. */
  public readonly id: string = 'vllm';
  /** `vLLM`. */
  public readonly displayName: string = 'vLLM';
  /** The image. */
  public readonly image: ImageVersion;
  /** `http` 8000 (API, `/health`, `/metrics`). */
  public readonly ports: EnginePort[] = [{ name: 'http', containerPort: HTTP_PORT }];
  /** 8000. */
  public readonly httpPort: number = HTTP_PORT;
  /** `/health` for all three probes (200 once the engine is up, 503 on EngineDeadError; reference kubernetes.md §7). */
  public readonly probes: EngineProbes = {
    port: 'http',
    startupPath: '/health',
    readinessPath: '/health',
    livenessPath: '/health',
  };
  /** V1 engine gauges labelled `model_name` (reference kubernetes.md §8). */
  public readonly metrics: EngineMetrics = {
    port: 'http',
    path: '/metrics',
    scope: EngineMetricScope.MODEL_NAME,
    queueDepth: { name: 'vllm:num_requests_waiting' },
    runningRequests: { name: 'vllm:num_requests_running' },
    kvCacheUsage: { name: 'vllm:kv_cache_usage_perc' },
  };
  /** The image's `vllm` user: UID 2000, GID 0, home `/home/vllm`. */
  public readonly user: EngineUser = { uid: 2000, gid: 0, name: 'vllm', home: '/home/vllm' };
  /** `/tmp`. */
  public readonly writablePaths: EngineWritablePath[] = [{ volume: 'tmp', path: '/tmp' }];
  /** true. */
  public readonly readOnlyRootFilesystem: boolean = true;
  /** 10 minutes: process start, `torch.compile` and CUDA-graph capture on a cold cache. */
  public readonly warmUpMinutes: number = 10;
  /** Streams `s3://` (Run:ai model streamer), downloads Hub repositories, pins revisions. */
  public readonly weightLoading: EngineWeightLoading = {
    streamFromBucketArgs: ['--load-format', 'runai_streamer'],
    streamsS3ByDefault: true,
    downloadsFromHuggingFace: true,
    revisionArgs: (revision) => ['--revision', revision],
    localModelDescription: 'a Hugging Face model directory (config.json, safetensors, tokenizer)',
  };

  /**
   * Static LoRA adapters: `--enable-lora`, `--max-loras`, `--max-lora-rank`, `--max-cpu-loras` and
   * `--lora-modules name=path` ({@link loraEngineArgs}); ranks up to 512.
   */
  public get lora(): EngineLoraSupport {
    // Made on first read (one object for every vLLM engine): a server without adapters never
    // reads it, so an app without LoRA does not load lib/k8s/lora.js.
    return (vllmLoraSupport ??= { maxLoraRanks: VLLM_MAX_LORA_RANKS, args: loraEngineArgs });
  }

  /**
   * `--otlp-traces-endpoint` (OTLP/gRPC unless `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` says
   * `http/protobuf`; gRPC without TLS) and `--collect-detailed-traces all`. Which vLLM versions
   * send complete traces: see docs/operations.md (vllm #9952, #56696).
   */
  public readonly tracing: EngineTracing = {
    args: (endpoint) => ['--otlp-traces-endpoint', endpoint],
    detailedArgs: ['--collect-detailed-traces', 'all'],
    source:
      'vllm-project/vllm vllm/tracing/otel.py (commit 40eeb0c5: init_tracer, get_span_exporter) and vllm/config/observability.py',
  };

  constructor(options: VllmEngineOptions = {}) {
    this.image = options.image ?? IMAGES.vllm;
  }

  /** vLLM runs every quantization core knows and any tensor-parallel degree sizing picks. */
  public validate(_scope: IConstruct, _context: EngineValidationContext): void {}

  /**
   * `vllm serve` arguments: the model is the positional argument (the image's entrypoint is
   * `vllm serve`; `--model` is deprecated there), then core's sizing flags
   * ({@link vllmSizingArgs}: parallelism, context length, memory utilisation, batch token and
   * sequence limits, KV-cache dtype, `--hf-overrides`), the quantization's flags, the weights
   * source's flags and `--shutdown-timeout` (v0.18+).
   */
  public container(c: EngineContainerContext): EngineContainer {
    const args = [
      c.modelLocation,
      '--served-model-name',
      c.servedModelName,
      '--host',
      '0.0.0.0',
      '--port',
      String(HTTP_PORT),
      ...vllmSizingArgs(c.sizing),
      ...c.quantization.vllmArgs,
      ...c.weightsArgs,
      '--shutdown-timeout',
      String(c.drainSeconds),
    ];
    return { args };
  }

  /**
   * vLLM's native multi-node launch (no Ray), as vLLM documents it for tensor parallel 8 x
   * pipeline parallel 2 on two nodes (`docs/serving/parallelism_scaling.md` at vllm-project/vllm
   * 096bd6a4, "Running vLLM with MultiProcessing"; `ParallelConfig.nnodes`, `node_rank`,
   * `master_addr`, `master_port` (default 29501) in `vllm/config/parallel.py` at 00193b82: "To
   * use mp you must also set nnodes"). Both were read on vLLM's main branch; the v0.31.0 tag
   * itself could not be opened here (VERIFY the flags against `vllm serve --help` of the pinned
   * image when bumping it). Every node runs `vllm serve` with the same model and parallel
   * flags plus `--nnodes N --node-rank R --master-addr <leader>`; node 0 (the LeaderWorkerSet
   * leader) serves the OpenAI API, the others run `--headless` (engine only, no API server).
   * The Ray-based variant of the LeaderWorkerSet vLLM example (`docs/examples/vllm/GPU/lws.yaml`
   * at lws v0.10.0) needs a shell wrapper and a script shipped inside the image; this one keeps
   * the image's `vllm serve` entrypoint unchanged.
   */
  public multiNodeContainers(c: MultiNodeContainerContext): MultiNodeContainers {
    const base = this.container(c).args;
    const group = (rank: string) => [
      '--nnodes',
      String(c.nodes),
      '--node-rank',
      rank,
      '--master-addr',
      c.leaderAddress,
      '--master-port',
      String(MASTER_PORT),
    ];
    return {
      leader: { args: [...base, ...group('0')] },
      worker: { args: [...base, ...group(c.podIndex), '--headless'] },
    };
  }
}
