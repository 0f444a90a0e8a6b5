import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import {
  ACCELERATOR_NODE_LABEL,
  Accelerator,
  KvCacheDtype,
  ModelSpec,
  Quantization,
  DEPRECATED_WARNING_ID,
  raiseDeferredDeprecations,
  raiseSizingFindings,
  SizingResult,
  Validate,
  ValidationError,
  Warnings,
  normalizeKubernetesLabelValue,
  sizeModel,
  INodeClass,
} from '../core';
import { EngineMetric, IServingEngine } from './engines/engine';
import { ServingEngine } from './engines/serving-engine';
import { ServingFabric, ServingFabricKind } from './fabric';
import {
  ApiToleration,
  IGpuPlatform,
  IMonitoringStack,
  ITraceCollector,
  ModelServerAutoscaling,
  ModelServerNetworkPolicy,
  PodIngressOptions,
} from './interfaces';
import { MetricsCollection } from './metrics-collection';
import { PodSecurityLevel } from './pod-security';
import {
  MANAGED_BY,
  assertCrdInOtherStack,
  assertInteger,
  dependOnStackOf,
  userImageRef,
} from './private/common';
import { withGkeGpuDirect } from './private/gke-gpudirect';
import { GpuPod, GpuPodOptions, gpuPod } from './private/gpu-pod';
import { assertModelSpec, assertWeightsSource } from './private/server-inputs';
import { nodeClassPlacement } from './private/node-class';
import {
  LWS_API_VERSION,
  LWS_LEADER_ADDRESS,
  LWS_NAME_SUFFIX,
  LWS_WORKER_INDEX,
  MAX_STATEFULSET_NAME,
  ROLE_LABEL,
  addLeaderWorkerSet,
} from './private/leader-worker-set';
import {
  ServerOpsContext,
  addServerDeployment,
  addServerService,
  admitIngressCidrs,
  admitIngressNamespaces,
  serverMetricSelector,
  validateServerAutoscaling,
  addServerOperations,
  AdmittedPods,
  admitIngressPods,
  serverIdentity,
  serverProbes,
  serverUrl,
  serverWeightsDependencies,
} from './private/server-ops';
import { LoraAdapter } from './lora';
import { hybridKvCacheConflict } from './private/hybrid-kv-cache';
import { ServerLora, serverLora } from './private/server-lora';
import { engineTracing } from './private/tracing-hook';
import { ImageVersion, imageRef } from './versions';
import { HuggingFaceWeights, WeightsBinding, WeightsSource } from './weights';

/** Properties of a {@link ModelServer}. */
export interface ModelServerProps {
  /** The model, for sizing. */
  readonly model: ModelSpec;
  /** The precision of the checkpoint. Must run on the accelerator (checked at synth). */
  readonly quantization: Quantization;
  /** The GPU the server runs on. */
  readonly accelerator: Accelerator;
  /** Where the weights come from. */
  readonly weights: WeightsSource;
  /**
   * The serving engine: `ServingEngine.VLLM`, `ServingEngine.TRITON_TENSORRT_LLM`, a factory's
   * result (`ServingEngine.vllm({...})`) or your own {@link IServingEngine}.
   * @default ServingEngine.VLLM
   */
  readonly engine?: IServingEngine;
  /**
   * Base name of the Kubernetes objects; the Deployment and Service are `<name>-<engine id>`
   * (`<name>-vllm`, `<name>-triton`). At most 48 characters and, as a Service name, starting
   * with a letter.
   * @default - the construct id in kebab case
   */
  readonly name?: string;
  /**
   * Namespace (must exist).
   * @default 'default'
   */
  readonly namespace?: string;
  /**
   * Model name clients send (`--served-model-name`), also the `model_name` label of the
   * metrics the autoscaler and alerts read.
   * @default - `model.name`, for example `llama-3.1-8b`
   */
  readonly servedModelName?: string;
  /**
   * Longest request in tokens (`--max-model-len`).
   * @default - the model's context, capped at 8192 (core `sizeModel`)
   */
  readonly maxModelLen?: number;
  /**
   * Full-length sequences the KV cache must hold at once; sizing adds GPUs until it fits.
   * @default 1
   */
  readonly concurrentSequences?: number;
  /**
   * `--gpu-memory-utilization`.
   * @default 0.9
   */
  readonly gpuMemoryUtilization?: number;
  /**
   * KV-cache precision (`--kv-cache-dtype fp8` for FP8).
   * @default KvCacheDtype.AUTO
   */
  readonly kvCacheDtype?: KvCacheDtype;
  /**
   * Whether vLLM's hybrid KV-cache manager runs (core `SizingOptions.hybridKvCacheManager`):
   * models with sliding-window or chunked-attention layers (Gemma 3, gpt-oss, Llama 4) then need
   * KV for their window or chunk only. Set false to size and run without it
   * (`--disable-hybrid-kv-cache-manager`); `extraArgs` that turn it off while it is assumed on
   * are refused.
   * @default true
   */
  readonly hybridKvCacheManager?: boolean;
  /**
   * Replicas (the minimum when autoscaling).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Queue-depth autoscaling with KEDA. Needs KEDA (GpuPlatform) and Prometheus.
   * @default - a fixed number of replicas
   */
  readonly autoscaling?: ModelServerAutoscaling;
  /**
   * The GPU platform; checked for KEDA and used to order the stacks.
   * @default - not checked
   */
  readonly platform?: IGpuPlatform;
  /**
   * The monitoring stack: the ServiceMonitor gets its `release` label and KEDA queries its
   * Prometheus.
   * @default - no ServiceMonitor
   */
  readonly monitoring?: IMonitoringStack;
  /**
   * How the server's metrics are collected: a prometheus-operator `ServiceMonitor` (with
   * `monitoring`), or a Managed Service for Prometheus `PodMonitoring` on GKE, which KEDA then
   * queries through the Managed Prometheus API with a `TriggerAuthentication` (GCP pod identity).
   * @default MetricsCollection.prometheusOperator()
   */
  readonly metricsCollection?: MetricsCollection;
  /**
   * Send the engine's OpenTelemetry traces to this collector (vLLM `--otlp-traces-endpoint`,
   * sampled by the collector's `samplingRatio` through `OTEL_TRACES_SAMPLER`). The spans carry
   * `service.name` = the served model name, which the serving dashboard's trace links search.
   * @default - no traces
   */
  readonly tracing?: ITraceCollector;
  /**
   * With `tracing`: also the engine's detailed spans (vLLM `--collect-detailed-traces all`),
   * which cost throughput; for investigations, not for steady state.
   * @default false
   */
  readonly detailedTraces?: boolean;
  /**
   * Seconds in-flight requests get to finish when a pod stops (`--shutdown-timeout`); the
   * pod also sleeps 15 s in preStop so endpoints drop it first, and the grace period covers
   * both.
   * @default 120
   */
  readonly drainSeconds?: number;
  /**
   * Start-up budget in minutes before the startupProbe gives up (weights load + engine warm-up).
   * @default - {@link startupBudget}: the engine's warm-up plus the weights read at `weightsLoadMiBPerSecond`, rounded up to 5 minutes, at least 15
   */
  readonly startupTimeoutMinutes?: number;
  /**
   * The rate the weights are read at start-up (and copied by an init container), MiB/s: the
   * slowest link they cross (hub, bucket, file system, node disk). Measure yours from the
   * engine's "Loading weights took" log line and set it to size the probes tighter.
   * @default - the weights source's rate when it knows one (a cache with provisioned throughput, shared by `maxReplicas`), otherwise 50
   */
  readonly weightsLoadMiBPerSecond?: number;
  /**
   * Node selector, merged over the default `{ 'cdktf-ai-infra/accelerator': accelerator.labelValue }`
   * (the label this library's node pools carry): a key you set replaces that key's default
   * value, other keys are added. `TrainingJob.nodeSelector` merges the same way.
   * @default - the accelerator label only
   */
  readonly nodeSelector?: Record<string, string>;
  /**
   * Extra tolerations (the `nvidia.com/gpu` taint is always tolerated).
   * @default - none
   */
  readonly tolerations?: ApiToleration[];
  /**
   * A node class to run on (a GKE `ComputeClass` of the GCP module): its node selector
   * (`cloud.google.com/compute-class: <name>`) is merged into the pods' and its taints are
   * tolerated. Its GPU model must be 'accelerator' and its nodes must have the GPUs a pod requests.
   * @default - none: the pods select the accelerator label of the library's node pools
   */
  readonly nodeClass?: INodeClass;
  /**
   * Service account (for bucket access through IRSA, Pod Identity or Workload Identity).
   * @default - the namespace's default service account
   */
  readonly serviceAccountName?: string;
  /**
   * CPU request of the server container.
   * @default - 2 per GPU of the pod
   */
  readonly cpu?: string;
  /**
   * Memory request of the server container, GiB.
   * @default - weights (per pod: divided by the nodes of a multi-node replica) + LoRA adapters (the engine's CPU adapter cache) + 8 GiB, at least 16 GiB
   */
  readonly memoryGiB?: number;
  /**
   * `/dev/shm` size (memory-backed emptyDir), GiB. Tensor parallelism uses it for NCCL.
   * @default 16 with tensor parallelism, 2 otherwise
   */
  readonly sharedMemoryGiB?: number;
  /**
   * Extra engine arguments, appended.
   * @default - none
   */
  readonly extraArgs?: string[];
  /**
   * Extra environment variables.
   * @default - none
   */
  readonly env?: Record<string, string>;
  /**
   * Image (overrides the engine's).
   * @default - the engine's pinned image (`IMAGES.vllm`, `IMAGES.tritonTensorRtLlm` from versions.ts)
   */
  readonly image?: ImageVersion;
  /**
   * Run the server with a read-only root filesystem (writable emptyDirs at `HOME`, `/tmp` and
   * the engine's cache paths). Turn it off for an image that writes elsewhere.
   * @default - the engine's choice (true for vLLM and Triton)
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Ingress NetworkPolicy of the server's pods.
   * @default - enabled: the server's namespace, the metrics scraper and nothing else may connect
   */
  readonly networkPolicy?: ModelServerNetworkPolicy;
  /**
   * Create a PodDisruptionBudget (`maxUnavailable: 1`).
   * @default true
   */
  readonly podDisruptionBudget?: boolean;
  /**
   * LoRA adapters served next to the base model (vLLM only; other engines refuse them). Clients
   * select one by sending its name as `model`. Each adapter is downloaded, copied or mounted to
   * `/models/lora/<name>` before the engine starts, on every pod (also those scale-up adds), and
   * loaded with `--lora-modules`; the GPU memory of the LoRA slots is reserved in the sizing
   * (core `loraSlotBytesPerGpu`) and the CPU adapter cache is added to the memory request.
   * @default - none
   */
  readonly loraAdapters?: LoraAdapter[];
  /**
   * Adapters held on the GPU at once (`--max-loras`), from 1 to the number of adapters. Each
   * slot reserves GPU memory at the largest rank, whether an adapter uses it or not.
   * @default - the number of adapters
   */
  readonly maxLoras?: number;
  /**
   * Most nodes one replica may span when the model does not fit one node (core sizing
   * `maxNodesPerReplica`: tensor parallel over the GPUs of a node, pipeline parallel across
   * nodes). A replica that spans nodes is served as a LeaderWorkerSet (installed by
   * `GpuPlatform` with `leaderWorkerSet: true`) and needs `fabric`.
   * @default 1
   */
  readonly maxNodesPerReplica?: number;
  /**
   * The network between the nodes of a multi-node replica: `ServingFabric.efa(...)` (AWS),
   * `ServingFabric.gkeDeviceNetworks(...)` (GKE GPUDirect / RDMA; with `machineType` and
   * `ncclPlugin` the pods get the RxDM sidecar or gIB mounts they need), `ServingFabric.rdma(...)`
   * (on-prem InfiniBand / RoCE) or `ServingFabric.ethernet()` (TCP, with a warning). Required
   * when the sizing spans nodes; unused otherwise.
   * @default - none
   */
  readonly fabric?: ServingFabric;
}

const PRESTOP_SLEEP_SECONDS = 15;
const LOAD_MIB_PER_SECOND = 50;

/** Inputs of {@link startupBudget}. */
export interface StartupBudgetOptions {
  /** Size of the weights, GiB (core sizing). */
  readonly weightsGiB: number;
  /** The engine's warm-up besides loading weights (`IServingEngine.warmUpMinutes`), minutes. */
  readonly warmUpMinutes: number;
  /**
   * Read (and copy) rate of the weights, MiB/s.
   * @default 50
   */
  readonly loadMiBPerSecond?: number;
  /**
   * Whether an init container copies the weights before the server starts (the copy is not in
   * the startup probe's budget, only in the rollout deadline).
   * @default false
   */
  readonly copiedBeforeStart?: boolean;
}

/** The start-up budget of a model server. */
export interface StartupBudget {
  /** Minutes the startup probe allows: warm-up + load, rounded up to 5, at least 15. */
  readonly probeMinutes: number;
  /** Minutes a rollout may take (`progressDeadlineSeconds`, Terraform timeouts): copy + probe budget + 10 for scheduling and the image pull. */
  readonly rolloutMinutes: number;
}

/**
 * The start-up budget formula, from the weights' size, how they are loaded and the engine's
 * warm-up:
 *
 * - load = weightsGiB × 1024 / loadMiBPerSecond / 60 minutes;
 * - probeMinutes = max(15, ⌈(warmUpMinutes + load) / 5⌉ × 5);
 * - rolloutMinutes = probeMinutes + (copiedBeforeStart ? ⌈load⌉ : 0) + 10.
 *
 * For example Llama-3.1-70B AWQ (~37 GiB) on vLLM (10 minutes of warm-up) at 50 MiB/s: load 12.6
 * min, probe 25 min; copied by an init container first, the rollout may take 25 + 13 + 10 = 48 min.
 */
export function startupBudget(o: StartupBudgetOptions): StartupBudget {
  const loadMinutes = (o.weightsGiB * 1024) / (o.loadMiBPerSecond ?? LOAD_MIB_PER_SECOND) / 60;
  const probeMinutes = Math.max(15, Math.ceil((o.warmUpMinutes + loadMinutes) / 5) * 5);
  return {
    probeMinutes,
    rolloutMinutes: probeMinutes + (o.copiedBeforeStart ? Math.ceil(loadMinutes) : 0) + 10,
  };
}

/**
 * A model server on Kubernetes: a serving engine (vLLM, Triton with TensorRT-LLM, or your own
 * {@link IServingEngine}) sized by core `sizeModel`, with GPU requests, probes sized for large
 * models, graceful drain, a Service, a ServiceMonitor (or a Managed Prometheus PodMonitoring, see
 * {@link MetricsCollection}), a PodDisruptionBudget, an ingress NetworkPolicy and an optional
 * KEDA ScaledObject on the engine's queue depth.
 *
 * A model that needs more than one node per replica (`maxNodesPerReplica` above 1, core sizing:
 * tensor parallel within a node, pipeline parallel across nodes) is served as a LeaderWorkerSet
 * instead of the Deployment: one group of `nodesPerReplica` pods per replica, the leader serving
 * the API behind the Service, the workers joining it over `fabric` (EFA, GKE device networks,
 * RDMA or Ethernet).
 *
 * The pods meet the Pod Security "restricted" profile: they run as the engine image's non-root
 * user with `HOME`/`USER` set, no privilege escalation, all capabilities dropped, RuntimeDefault
 * seccomp and a read-only root filesystem with emptyDirs where the engine writes.
 *
 * Synth-time checks: the model must fit (tensor parallelism is chosen for you), the
 * quantization must run on the GPU and the engine, a ReadWriteOnce claim cannot be shared by
 * replicas, and the custom resources (ServiceMonitor, ScaledObject) cannot be in the stack that
 * installs their CRDs.
 *
 * @see https://docs.vllm.ai/en/latest/deployment/k8s.html
 * @example
 * new ModelServer(workloads, 'Llama70B', {
 *   model: ModelSpec.LLAMA_3_1_70B, quantization: Quantization.AWQ, accelerator: Accelerator.L40S,
 *   weights: WeightsSource.bucket('s3://models/llama-3.1-70b-awq/'),
 *   monitoring, platform, autoscaling: { maxReplicas: 4 },
 * });
 */
export class ModelServer extends Construct {
  /**
   * The Deployment, or the LeaderWorkerSet (a `kubernetes_manifest`) when a replica spans nodes.
   * Both have the construct id `Resource`.
   */
  public readonly resource: DeploymentV1 | Manifest;
  /** The LeaderWorkerSet, when a replica spans nodes (`sizing.nodesPerReplica` above 1). */
  public readonly leaderWorkerSet?: Manifest;
  /** The Service (the engine's ports). */
  public readonly service: ServiceV1;
  /** The sizing the server was built from. */
  public readonly sizing: SizingResult;
  /** The serving engine. */
  public readonly engine: IServingEngine;
  /** Name of the Deployment and Service (`<name>-<engine id>`). */
  public readonly deploymentName: string;
  /** Namespace. */
  public readonly namespace: string;
  /** `--served-model-name`. */
  public readonly servedModelName: string;
  /** In-cluster base URL of the server. */
  public readonly url: string;
  /**
   * Labels selecting exactly the pods that serve this server's API (for an InferencePool, the
   * Service and the scrape): all its pods, or only the group leaders when a replica spans nodes.
   */
  public readonly selectorLabels: Record<string, string>;
  /** Labels selecting every pod of this server (leaders and workers alike). */
  public readonly podLabels: Record<string, string>;
  /** The engine's HTTP API port on the pods (the target port of an InferencePool). */
  public readonly targetPort: number;
  /** The container port serving the engine's `/metrics` (vLLM: the HTTP port; Triton: 8002). */
  public readonly metricsPort: number;
  /** The Pod Security level the server's pods meet (label its namespace with `podSecurityLabels(...)`). */
  public readonly podSecurityLevel: PodSecurityLevel;
  /** The ServiceMonitor, when `monitoring` is given. */
  public readonly serviceMonitor?: Manifest;
  /** The Managed Prometheus PodMonitoring, with `MetricsCollection.managedPrometheus(...)`. */
  public readonly podMonitoring?: Manifest;
  /** The KEDA ScaledObject, when `autoscaling` is given. */
  public readonly scaledObject?: Manifest;
  /**
   * The KEDA TriggerAuthentication (GCP pod identity), with autoscaling on Managed Prometheus.
   */
  public readonly triggerAuthentication?: Manifest;
  /** The PodDisruptionBudget, unless disabled. */
  public readonly podDisruptionBudget?: PodDisruptionBudgetV1;
  /** The ingress NetworkPolicy, unless disabled. */
  public readonly networkPolicy?: NetworkPolicyV1;
  /** The LoRA adapters the server loads. */
  public readonly loraAdapters: readonly LoraAdapter[];
  /** Names of the LoRA adapters (model names clients may send besides {@link servedModelName}). */
  public readonly loraAdapterNames: string[];
  private readonly lora: ServerLora;
  private readonly ingressCidrs: string[] = [];
  private readonly ingressNamespaces: string[] = [];
  private readonly ingressPods: AdmittedPods[] = [];
  /** The engine's tracing arguments, rendered once by podOptions (multi-node leaders reuse them). */
  private tracingArgs: string[] = [];

  constructor(scope: Construct, id: string, props: ModelServerProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    assertModelSpec(this, props.model);
    assertWeightsSource(this, props.weights);
    const engine = (this.engine = props.engine ?? ServingEngine.VLLM);
    const { name, namespace, deploymentName, servedModelName, replicas } = serverIdentity(
      this,
      id,
      props,
      engine.id,
    );
    this.namespace = namespace;
    this.deploymentName = deploymentName;
    this.servedModelName = servedModelName;
    const autoscaling = props.autoscaling;

    this.lora = serverLora(this, {
      adapters: props.loraAdapters,
      maxLoras: props.maxLoras,
      engine,
      model: props.model,
      servedModelName: this.servedModelName,
      engineImage: userImageRef(this, 'image', props.image ?? engine.image),
      hfTokenSecret:
        props.weights instanceof HuggingFaceWeights ? props.weights.options.tokenSecret : undefined,
    });
    this.loraAdapters = this.lora.adapters;
    this.loraAdapterNames = this.lora.adapters.map((a) => a.name);
    this.sizing = this.size(props);
    const nodes = this.sizing.nodesPerReplica;
    // Before the engine's own checks: "cannot serve across nodes" is the clearer message.
    const fabric = this.validateMultiNode(props, nodes, autoscaling?.maxReplicas ?? replicas);
    engine.validate(this, { ...props, sizing: this.sizing });
    const weights = props.weights.bind(this, {
      engine,
      weightsGiB: this.sizing.weightsGiB,
      // Every pod of a multi-node group mounts the weights.
      maxReplicas: (autoscaling?.maxReplicas ?? replicas) * nodes,
      scaleToZero: autoscaling?.scaleToZero ?? false,
      namespace: this.namespace,
    });
    if (autoscaling) {
      validateServerAutoscaling(this, autoscaling, {
        replicas,
        monitoring: props.monitoring,
        metricsCollection: props.metricsCollection,
        platform: props.platform,
        activationExample: `sum(rate(vllm:num_incoming_requests_total{model="${this.servedModelName}"}[1m]))`,
      });
    }
    for (const dependency of [props.platform, props.monitoring]) {
      if (dependency) {
        dependOnStackOf(this, dependency);
      }
    }

    this.podLabels = { 'app.kubernetes.io/name': engine.id, 'app.kubernetes.io/instance': name };
    this.selectorLabels = nodes > 1 ? { ...this.podLabels, [ROLE_LABEL]: 'leader' } : this.podLabels;
    const labels = {
      ...this.podLabels,
      'app.kubernetes.io/component': 'model-server',
      ...MANAGED_BY,
      [ACCELERATOR_NODE_LABEL]: props.accelerator.labelValue,
      'cdktf-ai-infra/model': normalizeKubernetesLabelValue(this.servedModelName),
    };
    const loadRate = props.weightsLoadMiBPerSecond ?? weights.loadMiBPerSecond ?? LOAD_MIB_PER_SECOND;
    if (
      !Token.isUnresolved(loadRate) &&
      !(Number.isFinite(loadRate) && loadRate > 0 && loadRate <= 100_000)
    ) {
      throw new ValidationError(
        `'weightsLoadMiBPerSecond' (${loadRate}) must be a number above 0 and at most 100000 (MiB/s).`,
        this,
      );
    }
    const budget = startupBudget({
      weightsGiB: this.sizing.weightsGiB,
      warmUpMinutes: engine.warmUpMinutes,
      loadMiBPerSecond: loadRate,
      copiedBeforeStart: weights.copiedBeforeStart,
    });
    const startupMinutes = props.startupTimeoutMinutes ?? budget.probeMinutes;
    assertInteger(this, 'startupTimeoutMinutes', startupMinutes, 1, 24 * 60);
    const rolloutMinutes = budget.rolloutMinutes - budget.probeMinutes + startupMinutes;
    const sameStack = serverWeightsDependencies(this, weights.dependsOn);
    if (nodes > 1) {
      const group = this.multiNodePods(props, weights, startupMinutes, fabric!);
      this.podSecurityLevel = group.leader.podSecurityLevel;
      this.leaderWorkerSet = addLeaderWorkerSet(this, {
        name: `${this.deploymentName}${LWS_NAME_SUFFIX}`,
        namespace: this.namespace,
        labels,
        annotations: { 'cdktf-ai-infra/sizing': this.sizingAnnotation() },
        size: nodes,
        replicas: autoscaling ? undefined : replicas,
        leader: {
          labels: { ...labels, [ROLE_LABEL]: 'leader' },
          annotations: { ...group.annotations, ...weights.podAnnotations },
          spec: group.leader.spec,
        },
        worker: {
          labels: { ...labels, [ROLE_LABEL]: 'worker' },
          annotations: { ...group.annotations, ...weights.podAnnotations },
          spec: group.worker.spec,
        },
      });
      this.resource = this.leaderWorkerSet;
    } else {
      const pod = this.pod(props, weights, startupMinutes);
      this.podSecurityLevel = pod.podSecurityLevel;
      this.resource = addServerDeployment(this, {
        deploymentName: this.deploymentName,
        namespace: this.namespace,
        labels,
        selectorLabels: this.selectorLabels,
        sizingAnnotation: this.sizingAnnotation(),
        replicas,
        rolloutMinutes,
        podAnnotations: weights.podAnnotations,
        pod,
        autoscaled: Boolean(autoscaling),
        dependsOn: sameStack,
      });
    }
    this.node.defaultChild = this.resource;

    this.service = addServerService(this, {
      deploymentName: this.deploymentName,
      namespace: this.namespace,
      labels: { ...labels, ...this.selectorLabels },
      selectorLabels: this.selectorLabels,
      ports: engine.ports,
    });
    this.targetPort = engine.httpPort;
    this.metricsPort =
      engine.ports.find((p) => p.name === engine.metrics.port)?.containerPort ?? engine.httpPort;
    this.url = serverUrl(this.deploymentName, this.namespace, engine.httpPort);
    const ops: ServerOpsContext = {
      deploymentName: this.deploymentName,
      namespace: this.namespace,
      labels,
      podLabels: this.podLabels,
      selectorLabels: this.selectorLabels,
      engine,
    };
    const collection = props.metricsCollection ?? MetricsCollection.prometheusOperator();
    raiseDeferredDeprecations(this, collection);
    // The PodDisruptionBudget covers all pods: evicting any pod of a multi-node group restarts the group.
    const serverOps = addServerOperations(this, ops, {
      podDisruptionBudget: props.podDisruptionBudget,
      networkPolicy: props.networkPolicy,
      monitoring: props.monitoring,
      collection,
      autoscaling,
      platform: props.platform,
      scrapeWarnings: {
        unmonitoredId: 'k8s-model-server-unmonitored',
        unmonitoredEffect: 'the serving alerts and dashboards see nothing',
        monitoringUnusedId: 'k8s-model-server-monitoring-unused',
      },
      ingress: {
        ingressCidrs: this.ingressCidrs,
        ingressNamespaces: this.ingressNamespaces,
        ingressPods: this.ingressPods,
        // The pods of a group reach each other on every port: the engine's rendezvous (vLLM's
        // master port), NCCL and Gloo pick ports at run time.
        extraRules: () =>
          this.leaderWorkerSet ? [{ from: [{ pod_selector: { match_labels: this.podLabels } }] }] : [],
      },
      scaling: {
        replicas,
        defaultTarget: 5,
        // A LeaderWorkerSet scales by groups through its scale subresource (lws v0.10.0 CRD
        // `subresources.scale`); KEDA needs its API version and kind.
        scaleTargetRef: this.leaderWorkerSet
          ? {
              apiVersion: LWS_API_VERSION,
              kind: 'LeaderWorkerSet',
              name: `${this.deploymentName}${LWS_NAME_SUFFIX}`,
            }
          : { name: this.deploymentName },
        selector: (m, managed) => this.metricSelector(m, managed),
      },
    });
    this.podDisruptionBudget = serverOps.podDisruptionBudget;
    this.serviceMonitor = serverOps.serviceMonitor;
    this.podMonitoring = serverOps.podMonitoring;
    this.networkPolicy = serverOps.networkPolicy;
    this.triggerAuthentication = serverOps.triggerAuthentication;
    this.scaledObject = serverOps.scaledObject;
  }

  /** Core sizing (TP, quantization x GPU); its errors carry this construct's path, its findings become warnings with their own ids. */
  private size(props: ModelServerProps): SizingResult {
    const sizing = ValidationError.withScope(this, () =>
      sizeModel({
        model: props.model,
        quantization: props.quantization,
        accelerator: props.accelerator,
        maxModelLen: props.maxModelLen,
        concurrentSequences: props.concurrentSequences,
        gpuMemoryUtilization: props.gpuMemoryUtilization,
        kvCacheDtype: props.kvCacheDtype,
        hybridKvCacheManager: props.hybridKvCacheManager,
        lora: this.lora.sizing,
        maxNodesPerReplica: props.maxNodesPerReplica,
      }),
    );
    // The finding's own id, as AWS node groups and GKE pools raise it (core raiseSizingFindings).
    // The old `k8s-<id>` ids still silence it for one release.
    const findings = sizing.findings.filter((f) => {
      if (!Warnings.isSuppressed(this, `k8s-${f.id}`)) return true;
      Warnings.add(
        this,
        DEPRECATED_WARNING_ID,
        `warning id 'k8s-${f.id}' is deprecated and will be removed in the next minor release: suppress '${f.id}' (the id it has on every construct).`,
      );
      return false;
    });
    raiseSizingFindings(this, { ...sizing, findings });
    return sizing;
  }

  /** The GPU pod: the engine's container, the weights' volumes, probes sized for the start-up budget, drain. */
  private pod(props: ModelServerProps, weights: WeightsBinding, startupMinutes: number): GpuPod {
    return gpuPod(this, this.podOptions(props, weights, startupMinutes));
  }

  /**
   * The pods of a multi-node group: the leader runs the engine's API server with the probes,
   * the workers join it (no API, no HTTP probes); both request the fabric's devices and carry its
   * annotations. The startup probe's budget covers the whole group forming, since the leader's
   * engine is up only once every worker has loaded its pipeline stage.
   */
  private multiNodePods(
    props: ModelServerProps,
    weights: WeightsBinding,
    startupMinutes: number,
    fabric: ServingFabric,
  ): { leader: GpuPod; worker: GpuPod; annotations: Record<string, string> } {
    const engine = this.engine;
    if (this.loraAdapters.length > 0) {
      throw new ValidationError(
        `'loraAdapters' (${this.loraAdapters.length}) on a model whose sizing spans ${this.sizing.nodesPerReplica} nodes per replica: ` +
          `LoRA is not wired into multi-node (LeaderWorkerSet) serving yet, so the adapters would never load. ` +
          `Serve the adapters on a one-node variant (a larger accelerator or a smaller quantization), or remove 'loraAdapters'.`,
        this,
      );
    }
    const base = this.podOptions(props, weights, startupMinutes);
    const settings = fabric.podSettings(this);
    const containers = engine.multiNodeContainers!({
      ...props,
      sizing: this.sizing,
      servedModelName: this.servedModelName,
      modelLocation: weights.modelLocation,
      weightsArgs: weights.engineArgs,
      drainSeconds: props.drainSeconds ?? 120,
      nodes: this.sizing.nodesPerReplica,
      leaderAddress: LWS_LEADER_ADDRESS,
      podIndex: LWS_WORKER_INDEX,
    });
    const extra = this.extraArgs(props.extraArgs, [...containers.leader.args, ...containers.worker.args]);
    // GKE GPUDirect: the RxDM sidecar, host mounts and NCCL environment of the pool's transport.
    const annotations = { ...settings.annotations };
    const withFabric = (options: GpuPodOptions): GpuPodOptions => {
      if (!settings.gkeGpuDirect) return options;
      const gpuDirect = withGkeGpuDirect(this, settings.gkeGpuDirect, options, 'accelerator (GPUs per node)');
      Object.assign(annotations, gpuDirect.annotations);
      return gpuDirect.options;
    };
    const leader = gpuPod(
      this,
      withFabric({
        ...base,
        command: containers.leader.command,
        // The leader runs the API server and the engine core, where vLLM's spans start.
        args: [...containers.leader.args, ...this.tracingArgs, ...extra],
        extraResources: settings.resources,
      }),
    );
    const worker = gpuPod(
      this,
      withFabric({
        ...base,
        command: containers.worker.command,
        args: [...containers.worker.args, ...extra],
        ports: [],
        probes: undefined,
        preStopSleepSeconds: undefined,
        extraResources: settings.resources,
      }),
    );
    return { leader, worker, annotations };
  }

  /** The options of the server's GPU pod (single node, or the base of a multi-node group's pods). */
  private podOptions(
    props: ModelServerProps,
    weights: WeightsBinding,
    startupMinutes: number,
  ): GpuPodOptions {
    const engine = this.engine;
    const lora = this.lora;
    const drain = props.drainSeconds ?? 120;
    assertInteger(this, 'drainSeconds', drain, 0, 3600);
    const shmGiB = props.sharedMemoryGiB ?? (this.sizing.tensorParallelSize > 1 ? 16 : 2);
    assertInteger(this, 'sharedMemoryGiB', shmGiB, 1);
    // Per pod: a multi-node replica's pods each hold one pipeline stage (weights / nodes).
    const nodes = this.sizing.nodesPerReplica;
    const memoryGiB =
      props.memoryGiB ?? Math.max(16, Math.ceil(this.sizing.weightsGiB / nodes + this.lora.cpuCacheGiB) + 8);
    assertInteger(this, 'memoryGiB', memoryGiB, 1);
    const command = engine.container({
      ...props,
      sizing: this.sizing,
      servedModelName: this.servedModelName,
      modelLocation: weights.modelLocation,
      weightsArgs: weights.engineArgs,
      drainSeconds: drain,
    });
    const tracing = engineTracing(this, engine, props, {
      serviceName: this.servedModelName,
      namespace: this.namespace,
      deploymentName: this.deploymentName,
    });
    this.tracingArgs = tracing.args;
    const args = [...command.args, ...lora.args, ...tracing.args];
    const placement = nodeClassPlacement(this, props.nodeClass, {
      accelerator: props.accelerator,
      gpusPerPod: this.sizing.gpusPerNode,
    });
    return {
      containerName: engine.id,
      image: userImageRef(this, 'image', props.image ?? engine.image),
      command: command.command,
      // LoRA flags join the engine's own (extraArgs may not repeat them); an engine that
      // places extra arguments itself (applyExtraArgs) gets them with its command.
      args: engine.applyExtraArgs
        ? engine.applyExtraArgs(args, this.extraArgs(props.extraArgs, args))
        : [...args, ...this.extraArgs(props.extraArgs, args)],
      ports: engine.ports,
      env: [...weights.env, ...tracing.env],
      userEnv: props.env,
      volumes: [...weights.volumes, ...lora.binding.volumes],
      volumeMounts: [...weights.volumeMounts, ...lora.binding.volumeMounts],
      initContainers: [...weights.initContainers, ...lora.binding.initContainers],
      probes: serverProbes(engine.probes, startupMinutes),
      preStopSleepSeconds: PRESTOP_SLEEP_SECONDS,
      gpus: this.sizing.gpusPerNode,
      cpu:
        props.cpu === undefined
          ? String(2 * this.sizing.gpusPerNode)
          : Validate.k8sQuantity(this, 'cpu', props.cpu),
      memoryGiB,
      sharedMemoryGiB: shmGiB,
      defaultNodeSelector: { [ACCELERATOR_NODE_LABEL]: props.accelerator.labelValue },
      nodeSelector: { ...placement.nodeSelector, ...props.nodeSelector },
      tolerations: [
        ...placement.tolerations,
        ...Validate.array<ApiToleration>(this, 'tolerations', props.tolerations ?? []),
      ],
      serviceAccountName: props.serviceAccountName,
      terminationGracePeriodSeconds: PRESTOP_SLEEP_SECONDS + drain + 15,
      user: engine.user,
      writablePaths: engine.writablePaths,
      readOnlyRootFilesystem: props.readOnlyRootFilesystem ?? engine.readOnlyRootFilesystem,
    };
  }

  /** The `cdktf-ai-infra/sizing` annotation: the layout and memory budget the server was sized for. */
  private sizingAnnotation(): string {
    const s = this.sizing;
    const layout =
      s.nodesPerReplica > 1
        ? `${s.nodesPerReplica} nodes x ${s.gpusPerNode} x ${s.accelerator.id} (tensor parallel ${s.tensorParallelSize}, pipeline parallel ${s.pipelineParallelSize})`
        : `${s.gpusPerReplica} x ${s.accelerator.id} (tensor parallel ${s.tensorParallelSize})`;
    return (
      `${layout}; weights ${s.weightsGiB.toFixed(1)} GiB; KV cache ${s.kvCacheTokens} tokens ` +
      `= ${s.maxConcurrentSequences} x ${s.maxModelLen}` +
      (s.maxLoras
        ? `; LoRA ${s.maxLoras} x rank ${s.maxLoraRank} = ${s.loraSlotsPerGpuGiB.toFixed(2)} GiB per GPU`
        : '')
    );
  }

  /**
   * Checks what a replica spanning nodes needs (an engine that can launch across nodes,
   * LeaderWorkerSet on the platform, a fabric, names short enough for LeaderWorkerSet's
   * StatefulSets) and returns the fabric; warns about a fabric given to a one-node server.
   */
  private validateMultiNode(
    props: ModelServerProps,
    nodes: number,
    maxReplicas: number,
  ): ServingFabric | undefined {
    const fabric = props.fabric;
    if (fabric !== undefined && !(fabric instanceof ServingFabric)) {
      throw new ValidationError(
        `'fabric' must be a ServingFabric (ServingFabric.efa(...), .gkeDeviceNetworks(...), .rdma(...) or .ethernet()), got ${JSON.stringify(fabric)}.`,
        this,
      );
    }
    const s = this.sizing;
    const layout = `${nodes} nodes of ${s.gpusPerNode} x ${s.accelerator.id} (tensor parallel ${s.tensorParallelSize}, pipeline parallel ${s.pipelineParallelSize})`;
    if (nodes === 1) {
      if (fabric !== undefined) {
        Warnings.add(
          this,
          'k8s-fabric-unused',
          `'fabric' is given but one replica of ${props.model.name} fits one node: the fabric is not used. Drop it, or raise 'maxNodesPerReplica' only if the model needs more nodes.`,
        );
      }
      return undefined;
    }
    if (!this.engine.multiNodeContainers) {
      throw new ValidationError(
        `'engine' ${this.engine.displayName} cannot serve a replica across nodes, and ${props.model.name} (${props.quantization.id}) needs ${layout}. ` +
          `Use ServingEngine.VLLM, a larger accelerator or a smaller quantization, or set 'maxNodesPerReplica' to 1 to see what fits one node.`,
        this,
      );
    }
    if (props.platform && props.platform.leaderWorkerSetInstalled === false) {
      throw new ValidationError(
        `${props.model.name} (${props.quantization.id}) needs ${layout} per replica, served as a LeaderWorkerSet, but the GpuPlatform '${props.platform.node.path}' does not install LeaderWorkerSet: set 'leaderWorkerSet: true' on it.`,
        this,
      );
    }
    if (fabric === undefined) {
      throw new ValidationError(
        `'fabric' is required: one replica of ${props.model.name} (${props.quantization.id}) spans ${layout}, and its pipeline stages talk across nodes. ` +
          `Pass ServingFabric.efa({ devicesPerNode }) on AWS, ServingFabric.gkeDeviceNetworks({ networks }) on GKE, ServingFabric.rdma({ 'rdma/ib': 8 }) on InfiniBand / RoCE, or ServingFabric.ethernet() to accept TCP.`,
        this,
      );
    }
    if (fabric.kind === ServingFabricKind.EFA && props.image === undefined) {
      Warnings.add(
        this,
        'k8s-efa-stock-image',
        `'fabric' is EFA but 'image' is the engine's pinned image (${imageRef(this.engine.image)}), which carries no libfabric / aws-ofi-nccl plugin: NCCL would fall back to TCP sockets. ` +
          `Build the image with the EFA installer and aws-ofi-nccl (as aws-ia/terraform-aws-eks-blueprints patterns/multi-node-vllm does) and pass it as 'image'.`,
      );
    }
    if (fabric.kind === ServingFabricKind.ETHERNET) {
      Warnings.add(
        this,
        'k8s-multi-node-ethernet',
        `${props.model.name} spans ${layout} over plain Ethernet (ServingFabric.ethernet()): every token's pipeline activations and NCCL traffic cross the node NIC over TCP, many times slower than EFA, GPUDirect or RDMA.`,
      );
    }
    // LeaderWorkerSet names the workers' StatefulSet of group i `<lws>-<i>`.
    const workers = `${this.deploymentName}${LWS_NAME_SUFFIX}-${Math.max(maxReplicas, 1) - 1}`;
    if (workers.length > MAX_STATEFULSET_NAME) {
      throw new ValidationError(
        `'name' makes the LeaderWorkerSet's StatefulSet names too long ('${workers}', ${workers.length} characters; at most ${MAX_STATEFULSET_NAME} so the pods' controller-revision-hash label fits 63). Shorten 'name' by ${workers.length - MAX_STATEFULSET_NAME} characters.`,
        this,
      );
    }
    assertCrdInOtherStack(this, 'leaderworkerset.x-k8s.io', 'LeaderWorkerSet');
    return fabric;
  }

  /** `extraArgs`, refused where they repeat a flag the library already sets (the engine would see it twice). */
  private extraArgs(extraArgs: string[] | undefined, libraryArgs: string[]): string[] {
    const flagName = (arg: string): string | undefined =>
      !Token.isUnresolved(arg) && arg.startsWith('-') ? arg.split('=')[0] : undefined;
    const libraryFlags = new Set(libraryArgs.map(flagName).filter((f): f is string => f !== undefined));
    if (extraArgs !== undefined && !Array.isArray(extraArgs)) {
      throw new ValidationError(
        `'extraArgs' must be an array of strings, for example ['--enable-prefix-caching'], got ${JSON.stringify(extraArgs)}.`,
        this,
      );
    }
    (extraArgs ?? []).forEach((arg, i) =>
      Validate.string(this, `extraArgs[${i}]`, arg, { allowEmpty: true }),
    );
    const conflict =
      this.engine.id === 'vllm' ? hybridKvCacheConflict(this.sizing, extraArgs ?? []) : undefined;
    if (conflict !== undefined) {
      throw new ValidationError(
        `'extraArgs' turn vLLM's hybrid KV-cache manager off (${conflict}), but the sizing assumed it on and reserved KV for ` +
          `the local-attention layers' window or chunk only. Set 'hybridKvCacheManager: false' so the sizing reserves every ` +
          `token in every layer (and passes --disable-hybrid-kv-cache-manager itself).`,
        this,
      );
    }
    for (const arg of extraArgs ?? []) {
      const flag = flagName(arg);
      if (flag !== undefined && libraryFlags.has(flag)) {
        throw new ValidationError(
          `'extraArgs' repeats ${flag} (${JSON.stringify(arg)}), which ModelServer already passes to ${this.engine.displayName} from its props and sizing. Remove it from extraArgs and set the matching prop instead (e.g. maxModelLen, gpuMemoryUtilization, concurrentSequences, kvCacheDtype, quantization).`,
          this,
        );
      }
    }
    return extraArgs ?? [];
  }

  /**
   * A PromQL selector of one of the engine's metrics for this server's own series: its
   * namespace and the scrape job of its ServiceMonitor or PodMonitoring, so two servers with
   * the same served model name (gateway variants, stable and canary) each see only their pods.
   *
   * Both scrapes set `job` to {@link deploymentName}: prometheus-operator names the job after
   * the scraped Service when the ServiceMonitor has no `jobLabel` (ServiceMonitorSpec.jobLabel,
   * prometheus-operator `Documentation/api-reference/api.md`), and Managed Service for
   * Prometheus names it after the PodMonitoring (GoogleCloudPlatform/prometheus-engine
   * `doc/api.md`, "job"); the Service and the PodMonitoring are both named
   * {@link deploymentName}. The pod name is not used: Kubernetes truncates generated pod names
   * to 58 characters before the random suffix, so a long Deployment name need not prefix them.
   */
  public metricSelector(metric: EngineMetric, managedPrometheus = false): string {
    return serverMetricSelector(this.namespace, this.deploymentName, metric, managedPrometheus);
  }

  /**
   * Lets connections from IPv4 CIDR blocks reach the server's HTTP API port (the one a gateway
   * connects to) through its NetworkPolicy (`ipBlock` sources, deduplicated), for load balancers
   * that connect from addresses outside the pod network (GKE's proxy-only subnet). Does nothing
   * when the NetworkPolicy is disabled.
   */
  public allowIngressFromCidrs(cidrs: readonly string[]): void {
    admitIngressCidrs(this, this.ingressCidrs, cidrs);
  }

  /**
   * Lets the pods of namespaces reach the server's HTTP API port through its NetworkPolicy (a
   * gateway's Envoy pods, which `InferenceGateway.addModel` admits with Istio). Does nothing when
   * the NetworkPolicy is disabled.
   */
  public allowIngressFromNamespaces(namespaces: readonly string[]): void {
    admitIngressNamespaces(this, this.ingressNamespaces, namespaces);
  }

  /**
   * Lets the pods of the server's namespace carrying `labels` reach its HTTP API and metrics
   * ports through its NetworkPolicy (an `InferencePool`'s endpoint picker, which reads the
   * engine's queue and KV-cache metrics from every pod), or with `{ metrics: false }` the HTTP API
   * port only (a gateway's or router's Envoy pods). Only needed, and only rendered, with
   * `networkPolicy.allowSameNamespace: false`; does nothing when the NetworkPolicy is disabled.
   */
  public allowIngressFromPods(
    labels: Readonly<Record<string, string>>,
    options: PodIngressOptions = {},
  ): void {
    admitIngressPods(this, this.ingressPods, labels, this.namespace, options);
  }
}
