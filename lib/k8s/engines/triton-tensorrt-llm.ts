import { IConstruct } from 'constructs';
import { SizingResult, ValidationError } from '../../core';
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

/** Options of {@link TritonTensorRtLlmEngine}. */
export interface TritonTensorRtLlmEngineOptions {
  /**
   * Image (`nvcr.io/nvidia/tritonserver:<yy.mm>-trtllm-python-py3` or a mirror); the engines in
   * the model repository must be built with its TensorRT-LLM version.
   * @default IMAGES.tritonTensorRtLlm
   */
  readonly image?: ImageVersion;
  /**
   * Tensor-parallel size the TensorRT-LLM engines were built with (`--tp_size` of
   * `trtllm-build`, `mapping.tp_size` in the engine's `config.json`).
   * @default - the sizing's tensor-parallel size (the GPUs of one replica)
   */
  readonly tensorParallelSize?: number;
  /**
   * Pipeline-parallel size the engines were built with (`--pp_size`, `mapping.pp_size`).
   * @default 1
   */
  readonly pipelineParallelSize?: number;
}

const HTTP_PORT = 8000;
const GRPC_PORT = 8001;
const METRICS_PORT = 8002;
/** Name of the TensorRT-LLM model in the repository the worker ranks load (the launcher's default). */
const TRT_LLM_MODEL = 'tensorrt_llm';

/**
 * Triton Inference Server with the TensorRT-LLM backend: HTTP 8000, gRPC 8001, metrics 8002,
 * KServe v2 health paths (reference kubernetes.md §2). The weights must be a Triton model
 * repository with engines built for this GPU and this TensorRT-LLM version.
 *
 * Runs as the image's `triton-server` user, UID 1000 / GID 1000: Triton's `build.py` creates
 * it and asserts both ids (triton-inference-server/server `build.py`, "Create a user that can
 * be used to run triton as non-root"). `useradd` there makes no home directory, so `HOME` is an
 * emptyDir.
 *
 * More than one GPU: engines built for a world size of tensor parallel x pipeline parallel
 * ranks run one `tritonserver` process per rank under MPI in leader mode, as the backend's
 * launcher builds the command line (triton-inference-server/tensorrtllm_backend tag v0.19.0,
 * `scripts/launch_triton_server.py`, `get_cmd`; the launcher moved into the TensorRT-LLM
 * repository at v1.0.0, README "Serving with Triton"): `mpirun -n 1 tritonserver ... : -n 1
 * tritonserver ...`, every rank with the model repository, the three ports,
 * `--disable-auto-complete-config` and its own Python-backend shared-memory prefix
 * (`--backend-config=python,shm-region-prefix-name=prefix<rank>_`); ranks after the first
 * load only the `tensorrt_llm` model (`--model-control-mode=explicit --load-model=tensorrt_llm`).
 * The launcher's `--allow-run-as-root` is left out: the pod runs as UID 1000. The world size
 * must equal the GPUs of the replica (validated).
 *
 * Port 8000 serves the KServe v2 API, not the OpenAI paths: `ModelServerBackend.of` refuses a
 * Triton server behind an InferencePool or a StandaloneInferencePool (their routes and endpoint
 * picker speak OpenAI), and an InferencePool on GKE refuses any Triton backend (the pinned chart's
 * health check asks `/health`). Clients call the Service with the KServe v2 API; docs/serving.md
 * "Triton + TensorRT-LLM behind a pool" lists the alternatives.
 */
export class TritonTensorRtLlmEngine implements IServingEngine {
  /** `triton`. */
  public readonly id: string = 'triton';
  /** `Triton + TensorRT-LLM`. */
  public readonly displayName: string = 'Triton + TensorRT-LLM';
  /** The image. */
  public readonly image: ImageVersion;
  /** `http` 8000, `grpc` 8001, `metrics` 8002. */
  public readonly ports: EnginePort[] = [
    { name: 'http', containerPort: HTTP_PORT },
    { name: 'grpc', containerPort: GRPC_PORT },
    { name: 'metrics', containerPort: METRICS_PORT },
  ];
  /** 8000. */
  public readonly httpPort: number = HTTP_PORT;
  /** `/v2/health/ready` (startup, readiness) and `/v2/health/live` (liveness). */
  public readonly probes: EngineProbes = {
    port: 'http',
    startupPath: '/v2/health/ready',
    readinessPath: '/v2/health/ready',
    livenessPath: '/v2/health/live',
  };
  /**
   * `nv_trt_llm_request_metrics` by `request_type` and `nv_trt_llm_kv_cache_block_metrics` by
   * `kv_cache_block_type` (reference kubernetes.md §8); not labelled by model, so selected by pod.
   */
  public readonly metrics: EngineMetrics = {
    port: 'metrics',
    path: '/metrics',
    scope: EngineMetricScope.POD,
    queueDepth: { name: 'nv_trt_llm_request_metrics', matchers: ['request_type="waiting"'] },
    runningRequests: { name: 'nv_trt_llm_request_metrics', matchers: ['request_type="scheduled"'] },
    kvCacheUsage: { name: 'nv_trt_llm_kv_cache_block_metrics', matchers: ['kv_cache_block_type="fraction"'] },
  };
  /** The image's `triton-server` user: UID 1000, GID 1000. */
  public readonly user: EngineUser = {
    uid: 1000,
    gid: 1000,
    name: 'triton-server',
    home: '/home/triton-server',
  };
  /** `/tmp` (the Python backend's stubs and TensorRT-LLM's temporary files). */
  public readonly writablePaths: EngineWritablePath[] = [{ volume: 'tmp', path: '/tmp' }];
  /** true. */
  public readonly readOnlyRootFilesystem: boolean = true;
  /** 10 minutes: server start and engine deserialisation besides reading the files. */
  public readonly warmUpMinutes: number = 10;
  /** Reads a local model repository only. */
  public readonly weightLoading: EngineWeightLoading = {
    streamsS3ByDefault: false,
    downloadsFromHuggingFace: false,
    localModelDescription: 'a Triton model repository with TensorRT-LLM engines built for this GPU',
  };

  private readonly tensorParallelSize?: number;
  private readonly pipelineParallelSize?: number;

  constructor(options: TritonTensorRtLlmEngineOptions = {}) {
    this.image = options.image ?? IMAGES.tritonTensorRtLlm;
    this.tensorParallelSize = options.tensorParallelSize;
    this.pipelineParallelSize = options.pipelineParallelSize;
  }

  /**
   * The MPI world size: tensor parallel x pipeline parallel of the engines (the options, or
   * the sizing's tensor-parallel size and 1).
   */
  public worldSize(sizing: SizingResult): number {
    return (this.tensorParallelSize ?? sizing.tensorParallelSize) * (this.pipelineParallelSize ?? 1);
  }

  /**
   * TensorRT-LLM's quantization formats and compute capabilities; the engines' world size
   * (TP x PP) must equal the replica's GPUs, on one node.
   */
  public validate(scope: IConstruct, c: EngineValidationContext): void {
    const q = c.quantization;
    if (!q.tensorRtLlmQFormat) {
      throw new ValidationError(
        `'quantization' ${q.id} is not supported by TensorRT-LLM: use engine ServingEngine.VLLM, or AWQ / FP8 / INT8 / BF16 / FP16 with Triton.`,
        scope,
      );
    }
    if (
      q.tensorRtLlmMinComputeCapability !== undefined &&
      c.accelerator.sm + 1e-9 < q.tensorRtLlmMinComputeCapability
    ) {
      throw new ValidationError(
        `'quantization' ${q.id} needs compute capability >= ${q.tensorRtLlmMinComputeCapability.toFixed(1)} with TensorRT-LLM; ` +
          `${c.accelerator.id} is SM ${c.accelerator.smText}. Use engine ServingEngine.VLLM or another quantization.`,
        scope,
      );
    }
    for (const [prop, value] of [
      ['tensorParallelSize', this.tensorParallelSize],
      ['pipelineParallelSize', this.pipelineParallelSize],
    ] as const) {
      if (value !== undefined && !(Number.isInteger(value) && value >= 1 && value <= 64)) {
        throw new ValidationError(
          `'engine' ServingEngine.tritonTensorRtLlm({ ${prop}: ${JSON.stringify(value)} }): must be an integer from 1 to 64, ` +
            `the ${prop === 'tensorParallelSize' ? 'tp_size' : 'pp_size'} the TensorRT-LLM engines were built with.`,
          scope,
        );
      }
    }
    const s = c.sizing;
    if (s.nodesPerReplica > 1) {
      throw new ValidationError(
        `${c.model.name} in ${q.id} on ${c.accelerator.id} spans ${s.nodesPerReplica} nodes per replica; this construct runs ` +
          `Triton + TensorRT-LLM with MPI inside one pod. Use a larger accelerator, a smaller 'quantization' or a shorter 'maxModelLen'.`,
        scope,
      );
    }
    const world = this.worldSize(s);
    if (world !== s.gpusPerReplica) {
      throw new ValidationError(
        `'engine' TensorRT-LLM engines built for tensor parallel ${this.tensorParallelSize ?? s.tensorParallelSize} x pipeline ` +
          `parallel ${this.pipelineParallelSize ?? 1} = ${world} GPUs, but the sizing of ${c.model.name} in ${q.id} on ` +
          `${c.accelerator.id} gives each replica ${s.gpusPerReplica} GPU(s) (tensor parallel ${s.tensorParallelSize}): the MPI ` +
          `world size must equal the GPUs. Rebuild the engines with tp_size x pp_size = ${s.gpusPerReplica}, or change ` +
          `tensorParallelSize / pipelineParallelSize to match.`,
        scope,
      );
    }
  }

  /**
   * One GPU: `tritonserver --model-repository=<dir>` with the three ports and
   * `--exit-timeout-secs`. More GPUs: `mpirun` with one `tritonserver` per rank (see the class
   * documentation).
   */
  public container(c: EngineContainerContext): EngineContainer {
    const world = this.worldSize(c.sizing);
    const common = [
      `--model-repository=${c.modelLocation}`,
      `--http-port=${HTTP_PORT}`,
      `--grpc-port=${GRPC_PORT}`,
      `--metrics-port=${METRICS_PORT}`,
      `--exit-timeout-secs=${c.drainSeconds}`,
      ...c.weightsArgs,
    ];
    if (world === 1) {
      return { command: ['tritonserver'], args: common };
    }
    const args: string[] = [];
    for (let rank = 0; rank < world; rank++) {
      args.push(
        ...(rank > 0 ? [':'] : []),
        '-n',
        '1',
        'tritonserver',
        ...common,
        ...(rank > 0 ? ['--model-control-mode=explicit', `--load-model=${TRT_LLM_MODEL}`] : []),
        '--disable-auto-complete-config',
        `--backend-config=python,shm-region-prefix-name=prefix${rank}_`,
      );
    }
    return { command: ['mpirun'], args };
  }

  /**
   * `extraArgs` go to every `tritonserver`: at the end of each rank's segment under `mpirun`
   * (`:` separates the ranks), at the end of the one command line otherwise.
   */
  public applyExtraArgs(args: string[], extraArgs: string[]): string[] {
    if (extraArgs.length === 0 || !args.includes(':')) {
      return [...args, ...extraArgs];
    }
    return [...args.flatMap((a) => (a === ':' ? [...extraArgs, ':'] : [a])), ...extraArgs];
  }
}
