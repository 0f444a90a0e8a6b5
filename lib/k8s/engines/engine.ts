import { IConstruct } from 'constructs';
import { Accelerator, ModelSpec, Quantization, SizingResult } from '../../core';
import type { LoraAdapter, LoraEngineOptions } from '../lora';
import { ImageVersion } from '../versions';

/** A named container port of an engine. */
export interface EnginePort {
  /** Port name (an IANA service name: at most 15 lower-case letters, digits and '-'), used by probes, Services and scrapers. */
  readonly name: string;
  /** Port number inside the container. */
  readonly containerPort: number;
}

/** The HTTP paths the kubelet probes, on the engine's `probePort`. */
export interface EngineProbes {
  /** Name of the port the probes call. */
  readonly port: string;
  /** Startup probe: succeeds once the weights are loaded and the engine is warm. */
  readonly startupPath: string;
  /** Readiness probe: the engine accepts requests. */
  readonly readinessPath: string;
  /** Liveness probe: the process is healthy (restart when it fails). */
  readonly livenessPath: string;
}

/** One Prometheus metric of an engine, with the fixed label matchers that select the right series. */
export interface EngineMetric {
  /** Metric name, for example `vllm:num_requests_waiting`. */
  readonly name: string;
  /**
   * Fixed label matchers, for example `['request_type="waiting"']`.
   * @default - none
   */
  readonly matchers?: string[];
}

/** How a server's series are told apart from other servers' in PromQL. */
export enum EngineMetricScope {
  /** By the `model_name` label the engine sets to the served model name (vLLM). */
  MODEL_NAME = 'model-name',
  /** By the `pod` label the scraper adds (engines that do not label by model). */
  POD = 'pod',
}

/**
 * The metrics an engine exports: where they are scraped and the names of the signals the
 * autoscaler (KEDA), routing and dashboards read.
 */
export interface EngineMetrics {
  /** Name of the port serving the metrics. */
  readonly port: string;
  /** HTTP path of the metrics. */
  readonly path: string;
  /** How one server's series are selected. */
  readonly scope: EngineMetricScope;
  /** Requests waiting for a slot (queue depth): the scaling signal. */
  readonly queueDepth: EngineMetric;
  /** Requests being processed. */
  readonly runningRequests: EngineMetric;
  /**
   * KV-cache usage, 0 to 1.
   * @default - the engine exports none (llama.cpp's `llama-server` has no KV-cache gauge)
   */
  readonly kvCacheUsage?: EngineMetric;
}

/**
 * The user an engine's image runs as, and its home directory. The pod runs as this UID
 * (non-root), and `HOME` and `USER` are set so that code which looks the user up
 * (`getpass.getuser()` in PyTorch's compile caches, vllm-project/vllm#44548) works even when
 * the UID has no `/etc/passwd` entry.
 */
export interface EngineUser {
  /** UID (never 0). */
  readonly uid: number;
  /** Primary GID. */
  readonly gid: number;
  /** User name, exported as `USER`. */
  readonly name: string;
  /** Home directory, exported as `HOME` and mounted as a writable emptyDir. */
  readonly home: string;
}

/** A directory the engine writes at run time; mounted as an emptyDir so the root filesystem can be read-only. */
export interface EngineWritablePath {
  /** Volume name (a DNS label, unique in the pod). */
  readonly volume: string;
  /** Mount path. */
  readonly path: string;
}

/** What an engine can load weights from, beyond a local directory (which every engine reads). */
export interface EngineWeightLoading {
  /**
   * Arguments that make the engine stream weights straight from an `s3://` / `gs://` URI given
   * as the model location (for vLLM `--load-format runai_streamer`).
   * @default - the engine cannot stream: bucket weights are copied by an init container
   */
  readonly streamFromBucketArgs?: string[];
  /** Whether `s3://` streaming is the default for bucket weights with this engine. */
  readonly streamsS3ByDefault: boolean;
  /**
   * Whether the engine downloads a Hugging Face Hub repository itself when given `org/name`.
   */
  readonly downloadsFromHuggingFace: boolean;
  /**
   * Arguments pinning a Hugging Face revision (for vLLM `['--revision', rev]`).
   * @default - revisions cannot be pinned
   */
  readonly revisionArgs?: (revision: string) => string[];
  /** What a local model directory must hold for this engine, for error messages. */
  readonly localModelDescription: string;
}

/** Everything an engine needs to render its container. */
export interface EngineContainerContext {
  /** The model. */
  readonly model: ModelSpec;
  /** The checkpoint precision. */
  readonly quantization: Quantization;
  /** The GPU. */
  readonly accelerator: Accelerator;
  /** Core sizing (tensor parallelism, context length, memory utilisation, KV-cache dtype). */
  readonly sizing: SizingResult;
  /** The model name clients send. */
  readonly servedModelName: string;
  /** Where the engine reads the model: a local path, a Hub repository id or a bucket URI (from the weights source). */
  readonly modelLocation: string;
  /** Engine arguments the weights source asks for (load format, revision). */
  readonly weightsArgs: string[];
  /** Seconds in-flight requests get when the pod stops. */
  readonly drainSeconds: number;
}

/** The engine's container command. */
export interface EngineContainer {
  /**
   * Command (replaces the image entrypoint).
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /** Arguments. */
  readonly args: string[];
}

/**
 * Everything an engine needs to render the containers of a replica that spans nodes (a
 * LeaderWorkerSet group): the single-node context plus the group's size and the expressions
 * Kubernetes expands to the group's addresses at run time.
 */
export interface MultiNodeContainerContext extends EngineContainerContext {
  /** Pods (one per node) in one replica: the leader and `nodes - 1` workers. */
  readonly nodes: number;
  /**
   * Container-argument expression of the leader's stable DNS name: `$(LWS_LEADER_ADDRESS)`, the
   * variable LeaderWorkerSet injects into every container (`<lws>-<group>.<lws>.<namespace>`).
   */
  readonly leaderAddress: string;
  /** Container-argument expression of the pod's index in its group (0 on the leader): `$(LWS_WORKER_INDEX)`. */
  readonly podIndex: string;
}

/** The containers of a replica spanning nodes. */
export interface MultiNodeContainers {
  /** The leader: runs the engine's API server (probes, Service, metrics point at it). */
  readonly leader: EngineContainer;
  /** A worker: joins the leader, serves no API, has no HTTP probes. */
  readonly worker: EngineContainer;
}

/**
 * How an engine exports OpenTelemetry traces over OTLP. The sampler and the service name reach
 * the engine through the standard `OTEL_*` environment, which {@link ModelServer} sets.
 */
export interface EngineTracing {
  /** Arguments that send the engine's spans to an OTLP/gRPC endpoint (`http://host:4317`). */
  args(otlpGrpcEndpoint: string): string[];
  /** Arguments that add the engine's detailed (per-step, per-module) spans, which cost throughput. */
  readonly detailedArgs: string[];
  /** Where the arguments were read (repository, tag or commit, path), for docs and reviews. */
  readonly source: string;
}

/** What an engine validates at synth time. */
export interface EngineValidationContext {
  /** The model. */
  readonly model: ModelSpec;
  /** The checkpoint precision. */
  readonly quantization: Quantization;
  /** The GPU. */
  readonly accelerator: Accelerator;
  /** Core sizing. */
  readonly sizing: SizingResult;
}

/**
 * How an engine serves LoRA adapters next to its base model. Engines without it refuse
 * `loraAdapters` at synth time.
 */
export interface EngineLoraSupport {
  /** The values the engine accepts as its largest LoRA rank (vLLM `MaxLoRARanks`). */
  readonly maxLoraRanks: readonly number[];
  /** Engine arguments loading `adapters` from their `modulePath`s at start. */
  args(adapters: readonly LoraAdapter[], options: LoraEngineOptions): string[];
}

/**
 * A serving engine as an object: everything `ModelServer` needs from it. Adding an engine is
 * adding one class implementing this interface (see `engines/vllm.ts`); `ModelServer` has no
 * engine-specific branch.
 *
 * An inference gateway reads `ports`/`httpPort` (the InferencePool target port) and
 * `metrics` (the endpoint picker's queue and KV-cache signals).
 */
export interface IServingEngine {
  /**
   * Short, stable id (a DNS label): the `app.kubernetes.io/name` label, the container name and
   * the suffix of the Deployment and Service names (`<name>-<id>`). Changing it renames objects.
   */
  readonly id: string;
  /** Human-readable name for messages, for example `vLLM`. */
  readonly displayName: string;
  /** The pinned default image. */
  readonly image: ImageVersion;
  /** Container ports; the first is the HTTP API port. */
  readonly ports: EnginePort[];
  /** The HTTP API port number (the target port of a Service or InferencePool). */
  readonly httpPort: number;
  /** Probe paths. */
  readonly probes: EngineProbes;
  /** Metrics and the names of its scaling and routing signals. */
  readonly metrics: EngineMetrics;
  /** The non-root user the image knows. */
  readonly user: EngineUser;
  /**
   * Directories written at run time besides `HOME` (always writable), for example `/tmp`.
   */
  readonly writablePaths: EngineWritablePath[];
  /** Whether the engine runs with a read-only root filesystem (its writes all go to `HOME` and `writablePaths`). */
  readonly readOnlyRootFilesystem: boolean;
  /** Minutes of engine start besides loading the weights (process start, compilation, CUDA graphs). */
  readonly warmUpMinutes: number;
  /** What the engine can load weights from. */
  readonly weightLoading: EngineWeightLoading;
  /**
   * LoRA adapter serving.
   * @default - the engine serves no LoRA adapters
   */
  readonly lora?: EngineLoraSupport;
  /**
   * Fails with a `ValidationError` on `scope` when the engine cannot serve this combination
   * (for example a quantization it lacks, or tensor parallelism it cannot launch).
   */
  validate(scope: IConstruct, context: EngineValidationContext): void;
  /** The container command and arguments. */
  container(context: EngineContainerContext): EngineContainer;
  /**
   * Places the user's `extraArgs` (already validated) into the arguments `container()`
   * rendered, for engines whose command line is more than one process (Triton under `mpirun`
   * gives them to every rank).
   * @default - appended at the end
   */
  applyExtraArgs?(args: string[], extraArgs: string[]): string[];
  /**
   * The leader and worker containers of a replica that spans nodes (pipeline parallel across
   * nodes). Engines without it cannot serve a sizing that needs more than one node, and
   * `ModelServer` says so at synth time.
   * @default - the engine serves one node per replica only
   */
  multiNodeContainers?(context: MultiNodeContainerContext): MultiNodeContainers;
  /**
   * How the engine exports traces.
   * @default - the engine exports no traces: a `ModelServer` given a trace collector warns
   */
  readonly tracing?: EngineTracing;
}
