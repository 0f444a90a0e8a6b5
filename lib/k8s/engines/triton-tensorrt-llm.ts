import { IConstruct } from 'constructs';
import { ValidationError } from '../../core';
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
}

const HTTP_PORT = 8000;
const GRPC_PORT = 8001;
const METRICS_PORT = 8002;

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
 * One GPU per replica: multi-GPU TensorRT-LLM engines need an MPI launcher this engine does
 * not render yet (validated).
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

  constructor(options: TritonTensorRtLlmEngineOptions = {}) {
    this.image = options.image ?? IMAGES.tritonTensorRtLlm;
  }

  /** TensorRT-LLM's quantization formats and compute capabilities; one GPU per replica. */
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
    const tp = c.sizing.tensorParallelSize;
    if (tp > 1) {
      throw new ValidationError(
        `${c.model.name} in ${q.id} needs tensor parallelism ${tp} on ${c.accelerator.id}; this construct runs ` +
          `Triton + TensorRT-LLM on one GPU per replica only (multi-GPU engines need an MPI launcher). Use engine ServingEngine.VLLM, ` +
          `a smaller quantization or a GPU with more memory.`,
        scope,
      );
    }
  }

  /** `tritonserver --model-repository=<dir>` with the three ports and `--exit-timeout-secs`. */
  public container(c: EngineContainerContext): EngineContainer {
    return {
      command: ['tritonserver'],
      args: [
        `--model-repository=${c.modelLocation}`,
        `--http-port=${HTTP_PORT}`,
        `--grpc-port=${GRPC_PORT}`,
        `--metrics-port=${METRICS_PORT}`,
        `--exit-timeout-secs=${c.drainSeconds}`,
        ...c.weightsArgs,
      ],
    };
  }
}
