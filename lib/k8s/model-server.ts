import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import {
  ACCELERATOR_NODE_LABEL,
  Accelerator,
  KvCacheDtype,
  ModelSpec,
  NVIDIA_GPU_RESOURCE,
  Quantization,
  SizingResult,
  ValidationError,
  Warnings,
  normalizeKubernetesLabelValue,
  sizeModel,
} from '../core';
import { ApiToleration, IGpuPlatform, IMonitoringStack } from './interfaces';
import {
  MANAGED_BY,
  assertCrdInOtherStack,
  assertDnsLabel,
  assertInteger,
  assertNodeLabels,
  assertServiceName,
  dependOnStackOf,
  gpuToleration,
  nameFromId,
} from './private/common';
import { GpuPlatform } from './gpu-platform';
import { MetricsCollection } from './metrics-collection';
import {
  addGcpTriggerAuthentication,
  addPodMonitoring,
  hasBareColonMetric,
  promSelector,
} from './private/metrics';
import { IMAGES, ImageVersion, imageRef } from './versions';
import { BucketLoading, VolumeAccessMode, WeightsSource, WeightsSourceKind } from './weights';

/** The serving engine of a {@link ModelServer}. */
export enum ServingEngine {
  /** vLLM's OpenAI-compatible server (`vllm serve`). */
  VLLM = 'vllm',
  /**
   * Triton Inference Server with the TensorRT-LLM backend. The weights must be a Triton model
   * repository with engines built for this GPU and this TensorRT-LLM version.
   */
  TRITON_TENSORRT_LLM = 'triton',
}

/** Queue-depth autoscaling with KEDA. */
export interface ModelServerAutoscaling {
  /**
   * Most replicas.
   */
  readonly maxReplicas: number;
  /**
   * Waiting requests per replica KEDA aims for (`threshold` of the Prometheus trigger on
   * `vllm:num_requests_waiting`).
   * @default 5
   */
  readonly targetQueueDepthPerReplica?: number;
  /**
   * Waiting requests above which the scaler counts as active (`activationThreshold`).
   * @default 0
   */
  readonly activationQueueDepth?: number;
  /**
   * Scale to zero replicas when idle (`idleReplicaCount: 0`). At zero replicas the engine
   * exports no metrics, so waking up needs a request signal from a component that keeps
   * running (router, gateway, ingress): see `activationQuery`.
   * @default false
   */
  readonly scaleToZero?: boolean;
  /**
   * PromQL returning a value > 0 while requests arrive for this model, measured in front of
   * the engine (for example the vLLM production-stack router's
   * `sum(rate(vllm:num_incoming_requests_total{model="..."}[1m]))`, or your ingress controller's
   * request rate). Required with `scaleToZero`.
   * @default - none
   */
  readonly activationQuery?: string;
  /**
   * KEDA `ignoreNullValues` on the engine triggers: whether an empty query result counts as 0.
   * KEDA's own default (true) hides broken queries (llm-d/llm-d#1981); with scale to zero an
   * empty result is expected at zero replicas.
   * @default false, or true with scaleToZero
   */
  readonly ignoreNullValues?: boolean;
  /**
   * Seconds after the last active trigger before scaling to zero (`cooldownPeriod`).
   * @default 360
   */
  readonly cooldownSeconds?: number;
  /**
   * Prometheus URL KEDA queries.
   * @default - `monitoring.prometheusUrl`, or the Managed Prometheus query URL with `MetricsCollection.managedPrometheus(...)`
   */
  readonly prometheusUrl?: string;
}

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
   * The serving engine.
   * @default ServingEngine.VLLM
   */
  readonly engine?: ServingEngine;
  /**
   * Base name of the Kubernetes objects; the Deployment and Service are `<name>-vllm` (or
   * `<name>-triton`). At most 48 characters and, as a Service name, starting with a letter.
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
   * Seconds in-flight requests get to finish when a pod stops (`--shutdown-timeout`); the
   * pod also sleeps 15 s in preStop so endpoints drop it first, and the grace period covers
   * both.
   * @default 120
   */
  readonly drainSeconds?: number;
  /**
   * Start-up budget in minutes before the startupProbe gives up (download + load + CUDA
   * graphs).
   * @default - 10 minutes plus the weights at 50 MiB/s, rounded up to 5 minutes, at least 15
   */
  readonly startupTimeoutMinutes?: number;
  /**
   * Node selector.
   * @default - `{ 'cdktf-ai-infra/accelerator': accelerator.labelValue }` (the label this library's node pools carry)
   */
  readonly nodeSelector?: Record<string, string>;
  /**
   * Extra tolerations (the `nvidia.com/gpu` taint is always tolerated).
   * @default - none
   */
  readonly tolerations?: ApiToleration[];
  /**
   * Service account (for bucket access through IRSA, Pod Identity or Workload Identity).
   * @default - the namespace's default service account
   */
  readonly serviceAccountName?: string;
  /**
   * CPU request of the server container.
   * @default - 2 per GPU
   */
  readonly cpu?: string;
  /**
   * Memory request of the server container, GiB.
   * @default - weights + 8 GiB, at least 16 GiB
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
   * Image.
   * @default - `IMAGES.vllm` or `IMAGES.tritonTensorRtLlm` from versions.ts
   */
  readonly image?: ImageVersion;
  /**
   * Create a PodDisruptionBudget (`maxUnavailable: 1`).
   * @default true
   */
  readonly podDisruptionBudget?: boolean;
}

const HTTP_PORT = 8000;
/** The annotation binding a Kubernetes service account to a Google service account on GKE. */
const GKE_GSA_ANNOTATION = 'iam.gke.io/gcp-service-account';
const PRESTOP_SLEEP_SECONDS = 15;
const PROBE_PERIOD_SECONDS = 10;
const LOAD_MIB_PER_SECOND = 50;

/**
 * A model server on Kubernetes: vLLM (or Triton with TensorRT-LLM) sized by core
 * `sizeModel`, with GPU requests, probes sized for large models, graceful drain, a Service, a
 * ServiceMonitor (or a Managed Prometheus PodMonitoring, see {@link MetricsCollection}), a
 * PodDisruptionBudget and an optional KEDA ScaledObject on queue depth.
 *
 * Synth-time checks: the model must fit (tensor parallelism is chosen for you), the
 * quantization must run on the GPU, a ReadWriteOnce claim cannot be shared by replicas, and the
 * custom resources (ServiceMonitor, ScaledObject) cannot be in the stack that installs their
 * CRDs.
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
  /** The Deployment. */
  public readonly resource: DeploymentV1;
  /** The Service (port 8000). */
  public readonly service: ServiceV1;
  /** The sizing the server was built from. */
  public readonly sizing: SizingResult;
  /** Name of the Deployment and Service (`<name>-vllm` / `<name>-triton`). */
  public readonly deploymentName: string;
  /** Namespace. */
  public readonly namespace: string;
  /** `--served-model-name`. */
  public readonly servedModelName: string;
  /** In-cluster base URL of the server. */
  public readonly url: string;
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

  constructor(scope: Construct, id: string, props: ModelServerProps) {
    super(scope, id);
    const engine = props.engine ?? ServingEngine.VLLM;
    const name = props.name ?? nameFromId(id);
    assertServiceName(this, 'name', name, 48);
    this.namespace = props.namespace ?? 'default';
    assertDnsLabel(this, 'namespace', this.namespace);
    this.deploymentName = `${name}-${engine}`;
    this.servedModelName = props.servedModelName ?? props.model.name;
    const replicas = props.replicas ?? 1;
    assertInteger(this, 'replicas', replicas, 0);
    const autoscaling = props.autoscaling;
    const maxReplicas = autoscaling?.maxReplicas ?? replicas;

    // Sizing: core decides TP and validates quantization x GPU; errors carry this path.
    this.sizing = ValidationError.withScope(this, () =>
      sizeModel({
        model: props.model,
        quantization: props.quantization,
        accelerator: props.accelerator,
        maxModelLen: props.maxModelLen,
        concurrentSequences: props.concurrentSequences,
        gpuMemoryUtilization: props.gpuMemoryUtilization,
        kvCacheDtype: props.kvCacheDtype,
      }),
    );
    for (const f of this.sizing.findings) {
      Warnings.add(this, `k8s-${f.id}`, f.message);
    }
    const tp = this.sizing.tensorParallelSize;
    if (engine === ServingEngine.TRITON_TENSORRT_LLM) {
      this.validateTriton(props, tp);
    }

    // Weights.
    const weights = this.resolveWeights(props, engine, maxReplicas, autoscaling?.scaleToZero ?? false);

    // Autoscaling checks.
    if (autoscaling) {
      this.validateAutoscaling(autoscaling, replicas, props);
    }
    if (props.platform) {
      dependOnStackOf(this, props.platform);
    }
    if (props.monitoring) {
      dependOnStackOf(this, props.monitoring);
    }

    const drain = props.drainSeconds ?? 120;
    assertInteger(this, 'drainSeconds', drain, 0, 3600);
    const startupMinutes = props.startupTimeoutMinutes ?? defaultStartupMinutes(this.sizing.weightsGiB);
    assertInteger(this, 'startupTimeoutMinutes', startupMinutes, 1, 24 * 60);
    const shmGiB = props.sharedMemoryGiB ?? (tp > 1 ? 16 : 2);
    assertInteger(this, 'sharedMemoryGiB', shmGiB, 1);
    const memoryGiB = props.memoryGiB ?? Math.max(16, Math.ceil(this.sizing.weightsGiB) + 8);
    assertInteger(this, 'memoryGiB', memoryGiB, 1);

    const labels = {
      'app.kubernetes.io/name': engine,
      'app.kubernetes.io/instance': name,
      'app.kubernetes.io/component': 'model-server',
      ...MANAGED_BY,
      [ACCELERATOR_NODE_LABEL]: props.accelerator.labelValue,
      'cdktf-ai-infra/model': normalizeKubernetesLabelValue(this.servedModelName),
    };
    const selector = { 'app.kubernetes.io/name': engine, 'app.kubernetes.io/instance': name };
    const image = imageRef(
      props.image ?? (engine === ServingEngine.VLLM ? IMAGES.vllm : IMAGES.tritonTensorRtLlm),
    );
    const tolerations = [gpuToleration(), ...(props.tolerations ?? [])];
    const nodeSelector = props.nodeSelector ?? { [ACCELERATOR_NODE_LABEL]: props.accelerator.labelValue };
    assertNodeLabels(this, `'nodeSelector'`, nodeSelector);

    const args =
      engine === ServingEngine.VLLM
        ? this.vllmArgs(props, weights.modelArg, drain)
        : [
            'tritonserver',
            `--model-repository=${weights.modelArg}`,
            `--http-port=${HTTP_PORT}`,
            '--grpc-port=8001',
            '--metrics-port=8002',
            `--exit-timeout-secs=${drain}`,
          ];
    args.push(...(props.extraArgs ?? []));

    const env = [...weights.env, ...Object.entries(props.env ?? {}).map(([k, v]) => ({ name: k, value: v }))];
    const healthPath = engine === ServingEngine.VLLM ? '/health' : '/v2/health/ready';
    const livePath = engine === ServingEngine.VLLM ? '/health' : '/v2/health/live';
    const ports =
      engine === ServingEngine.VLLM
        ? [{ name: 'http', containerPort: HTTP_PORT, protocol: 'TCP' }]
        : [
            { name: 'http', containerPort: HTTP_PORT, protocol: 'TCP' },
            { name: 'grpc', containerPort: 8001, protocol: 'TCP' },
            { name: 'metrics', containerPort: 8002, protocol: 'TCP' },
          ];
    const gpus = String(this.sizing.gpusPerReplica);
    const startupFailures = Math.ceil((startupMinutes * 60) / PROBE_PERIOD_SECONDS);
    const grace = PRESTOP_SLEEP_SECONDS + drain + 15;
    const rolloutMinutes = startupMinutes + 10;

    this.resource = new DeploymentV1(this, 'Resource', {
      metadata: {
        name: this.deploymentName,
        namespace: this.namespace,
        labels,
        annotations: {
          'cdktf-ai-infra/sizing':
            `${this.sizing.gpusPerReplica} x ${props.accelerator.id} (tensor parallel ${tp}); ` +
            `weights ${this.sizing.weightsGiB.toFixed(1)} GiB; KV cache ${this.sizing.kvCacheTokens} tokens ` +
            `= ${this.sizing.maxConcurrentSequences} x ${this.sizing.maxModelLen}`,
        },
      },
      spec: {
        replicas: String(replicas),
        progressDeadlineSeconds: rolloutMinutes * 60,
        selector: { matchLabels: selector },
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: '1', maxUnavailable: '0' },
        },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: props.serviceAccountName,
            terminationGracePeriodSeconds: grace,
            nodeSelector,
            toleration: tolerations.map((t) => ({ ...t })),
            initContainer: weights.initContainer ? [weights.initContainer] : undefined,
            container: [
              {
                name: engine,
                image,
                command: engine === ServingEngine.TRITON_TENSORRT_LLM ? [args[0]] : undefined,
                args: engine === ServingEngine.TRITON_TENSORRT_LLM ? args.slice(1) : args,
                port: ports,
                env: env.length ? env : undefined,
                resources: {
                  requests: {
                    cpu: props.cpu ?? String(2 * this.sizing.gpusPerReplica),
                    memory: `${memoryGiB}Gi`,
                    [NVIDIA_GPU_RESOURCE]: gpus,
                  },
                  limits: { [NVIDIA_GPU_RESOURCE]: gpus },
                },
                startupProbe: {
                  httpGet: { path: healthPath, port: 'http' },
                  periodSeconds: PROBE_PERIOD_SECONDS,
                  failureThreshold: startupFailures,
                },
                readinessProbe: {
                  httpGet: { path: healthPath, port: 'http' },
                  periodSeconds: 5,
                  failureThreshold: 3,
                },
                livenessProbe: {
                  httpGet: { path: livePath, port: 'http' },
                  periodSeconds: 10,
                  failureThreshold: 3,
                  timeoutSeconds: 5,
                },
                lifecycle: {
                  preStop: [{ exec: { command: ['sleep', String(PRESTOP_SLEEP_SECONDS)] } }],
                },
                volumeMount: [{ name: 'dshm', mountPath: '/dev/shm' }, ...weights.mounts],
              },
            ],
            volume: [
              { name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: `${shmGiB}Gi` } },
              ...weights.volumes,
            ],
          },
        },
      },
      timeouts: { create: `${rolloutMinutes}m`, update: `${rolloutMinutes}m` },
      lifecycle: autoscaling ? { ignoreChanges: ['spec[0].replicas'] } : undefined,
    });
    this.node.defaultChild = this.resource;

    this.service = new ServiceV1(this, 'Service', {
      metadata: { name: this.deploymentName, namespace: this.namespace, labels },
      spec: {
        type: 'ClusterIP',
        selector,
        port: ports.map((p) => ({
          name: p.name,
          port: p.containerPort,
          targetPort: p.name,
          protocol: 'TCP',
        })),
      },
    });
    this.url = `http://${this.deploymentName}.${this.namespace}.svc.cluster.local:${HTTP_PORT}`;

    if (props.podDisruptionBudget ?? true) {
      this.podDisruptionBudget = new PodDisruptionBudgetV1(this, 'DisruptionBudget', {
        metadata: { name: this.deploymentName, namespace: this.namespace, labels },
        spec: { maxUnavailable: '1', selector: { matchLabels: selector } },
      });
    }

    const collection = props.metricsCollection ?? MetricsCollection.prometheusOperator();
    if (collection.managed) {
      this.podMonitoring = addPodMonitoring(this, 'PodMonitoring', {
        name: this.deploymentName,
        namespace: this.namespace,
        labels,
        selector,
        port: engine === ServingEngine.VLLM ? 'http' : 'metrics',
        intervalSeconds: collection.scrapeIntervalSeconds,
      });
      if (props.monitoring) {
        Warnings.add(
          this,
          'k8s-model-server-monitoring-unused',
          `'monitoring' is given but 'metricsCollection' is Managed Prometheus: no ServiceMonitor is created, so the monitoring ` +
            `stack's Prometheus does not scrape ${this.deploymentName} and KEDA queries Managed Prometheus.`,
        );
      }
    } else if (props.monitoring) {
      assertCrdInOtherStack(this, 'monitoring.coreos.com', 'ServiceMonitor');
      this.serviceMonitor = new Manifest(this, 'ServiceMonitor', {
        manifest: {
          apiVersion: 'monitoring.coreos.com/v1',
          kind: 'ServiceMonitor',
          metadata: {
            name: this.deploymentName,
            namespace: this.namespace,
            labels: { ...labels, ...props.monitoring.selectorLabels },
          },
          spec: {
            selector: { matchLabels: selector },
            namespaceSelector: { matchNames: [this.namespace] },
            endpoints: [
              {
                port: engine === ServingEngine.VLLM ? 'http' : 'metrics',
                path: '/metrics',
                interval: '15s',
              },
            ],
          },
        },
      });
    } else {
      Warnings.add(
        this,
        'k8s-model-server-unmonitored',
        `no 'monitoring' given: no ServiceMonitor is created, so the serving alerts and dashboards see nothing from ${this.deploymentName}.`,
      );
    }

    if (autoscaling) {
      // On Managed Prometheus KEDA authenticates with the operator's GCP identity, unless
      // 'autoscaling.prometheusUrl' points it at another Prometheus.
      if (collection.managed && !autoscaling.prometheusUrl) {
        this.triggerAuthentication = addGcpTriggerAuthentication(
          this,
          'TriggerAuthentication',
          gcpTriggerAuthName(this.deploymentName),
          this.namespace,
          labels,
        );
        if (
          props.platform instanceof GpuPlatform &&
          !props.platform.kedaServiceAccountAnnotations[GKE_GSA_ANNOTATION]
        ) {
          Warnings.add(
            this,
            'k8s-keda-without-gcp-identity',
            `autoscaling queries Managed Prometheus with KEDA's GCP identity, but the GpuPlatform '${props.platform.node.path}' ` +
              `does not annotate KEDA's service account with '${GKE_GSA_ANNOTATION}': unless its Kubernetes service account ` +
              `is granted roles/monitoring.viewer directly (Workload Identity Federation), the queries fail with 403. Set ` +
              `'kedaServiceAccountAnnotations' on the GpuPlatform.`,
          );
        }
      }
      this.scaledObject = this.addScaledObject(autoscaling, replicas, engine, labels, props, collection);
    }
  }

  private vllmArgs(props: ModelServerProps, model: string, drain: number): string[] {
    const s = this.sizing;
    // The image's entrypoint is `vllm serve`: the model is its positional argument (`--model`
    // is deprecated there and slated for removal).
    const args = [
      model,
      '--served-model-name',
      this.servedModelName,
      '--host',
      '0.0.0.0',
      '--port',
      String(HTTP_PORT),
      '--tensor-parallel-size',
      String(s.tensorParallelSize),
      '--max-model-len',
      String(s.maxModelLen),
      '--gpu-memory-utilization',
      String(s.gpuMemoryUtilization),
      ...props.quantization.vllmArgs,
    ];
    if (s.kvCacheDtype === KvCacheDtype.FP8) {
      args.push('--kv-cache-dtype', 'fp8');
    }
    if (
      props.weights.kind === WeightsSourceKind.BUCKET &&
      this.bucketLoading(props.weights, ServingEngine.VLLM) === BucketLoading.STREAM
    ) {
      args.push('--load-format', 'runai_streamer');
    }
    if (props.weights.kind === WeightsSourceKind.HUGGING_FACE && props.weights.options.revision) {
      args.push('--revision', props.weights.options.revision);
    }
    args.push('--shutdown-timeout', String(drain));
    return args;
  }

  private validateTriton(props: ModelServerProps, tp: number): void {
    const q = props.quantization;
    if (!q.tensorRtLlmQFormat) {
      throw new ValidationError(
        `'quantization' ${q.id} is not supported by TensorRT-LLM: use engine ServingEngine.VLLM, or AWQ / FP8 / INT8 / BF16 / FP16 with Triton.`,
        this,
      );
    }
    if (props.accelerator.sm + 1e-9 < q.tensorRtLlmMinComputeCapability) {
      throw new ValidationError(
        `'quantization' ${q.id} needs compute capability >= ${q.tensorRtLlmMinComputeCapability.toFixed(1)} with TensorRT-LLM; ` +
          `${props.accelerator.id} is SM ${props.accelerator.smText}. Use engine ServingEngine.VLLM or another quantization.`,
        this,
      );
    }
    if (tp > 1) {
      throw new ValidationError(
        `${props.model.name} in ${q.id} needs tensor parallelism ${tp} on ${props.accelerator.id}; this construct runs ` +
          `Triton + TensorRT-LLM on one GPU per replica only (multi-GPU engines need an MPI launcher). Use engine ServingEngine.VLLM, ` +
          `a smaller quantization or a GPU with more memory.`,
        this,
      );
    }
    if (props.weights.kind === WeightsSourceKind.HUGGING_FACE) {
      throw new ValidationError(
        `'weights' WeightsSource.huggingFace(...) cannot feed Triton: TensorRT-LLM needs a model repository with engines built ` +
          `for ${props.accelerator.id}. Use WeightsSource.bucket(...) or WeightsSource.volume(...) pointing at the model repository.`,
        this,
      );
    }
  }

  /** Streaming is a vLLM feature and `gs://` streaming depends on the vLLM build: copy otherwise. */
  private bucketLoading(w: WeightsSource, engine: ServingEngine): BucketLoading {
    return (
      w.options.loading ??
      (w.location.startsWith('s3://') && engine === ServingEngine.VLLM
        ? BucketLoading.STREAM
        : BucketLoading.INIT_CONTAINER)
    );
  }

  private resolveWeights(
    props: ModelServerProps,
    engine: ServingEngine,
    maxReplicas: number,
    scaleToZero: boolean,
  ) {
    const w = props.weights;
    const env: Array<{
      name: string;
      value?: string;
      valueFrom?: { secretKeyRef: { name: string; key: string } };
    }> = [];
    const volumes: Array<{
      name: string;
      emptyDir?: { sizeLimit: string };
      persistentVolumeClaim?: { claimName: string; readOnly: boolean };
    }> = [];
    const mounts: Array<{ name: string; mountPath: string; readOnly?: boolean }> = [];
    let initContainer:
      | {
          name: string;
          image: string;
          command: string[];
          volumeMount: Array<{ name: string; mountPath: string }>;
        }
      | undefined;
    let modelArg: string;
    const cacheGiB = Math.ceil(this.sizing.weightsGiB * 1.1) + 5;

    switch (w.kind) {
      case WeightsSourceKind.HUGGING_FACE: {
        if (!Token.isUnresolved(w.location) && !/^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(w.location)) {
          throw new ValidationError(
            `'weights' WeightsSource.huggingFace('${w.location}') needs a repository id 'org/name', for example 'hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4'.`,
            this,
          );
        }
        modelArg = w.location;
        env.push({ name: 'HF_HOME', value: '/models/hf' });
        if (w.options.tokenSecret) {
          env.push({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { ...w.options.tokenSecret } } });
        } else {
          Warnings.add(
            this,
            'k8s-hf-no-token',
            `weights come from Hugging Face without 'tokenSecret': gated models (Llama, Mistral) fail to download and anonymous downloads are rate limited.`,
          );
        }
        volumes.push({ name: 'model-cache', emptyDir: { sizeLimit: `${cacheGiB}Gi` } });
        mounts.push({ name: 'model-cache', mountPath: '/models' });
        break;
      }
      case WeightsSourceKind.BUCKET: {
        const m = /^(s3|gs):\/\/[a-z0-9][a-z0-9._-]{1,221}[a-z0-9](\/.*)?$/.exec(w.location);
        if (!Token.isUnresolved(w.location) && !m) {
          throw new ValidationError(
            `'weights' WeightsSource.bucket('${w.location}') must be an 's3://bucket/prefix/' or 'gs://bucket/prefix/' URI.`,
            this,
          );
        }
        const loading = this.bucketLoading(w, engine);
        if (loading === BucketLoading.STREAM) {
          if (engine !== ServingEngine.VLLM) {
            throw new ValidationError(
              `'weights' loading BucketLoading.STREAM is a vLLM feature (--load-format runai_streamer); use BucketLoading.INIT_CONTAINER with Triton.`,
              this,
            );
          }
          modelArg = w.location;
        } else {
          const uri = w.location.endsWith('/') ? w.location : `${w.location}/`;
          const s3 = uri.startsWith('s3://');
          initContainer = {
            name: 'fetch-weights',
            image: imageRef(s3 ? IMAGES.awsCli : IMAGES.googleCloudCli),
            command: s3
              ? ['aws', 's3', 'sync', '--only-show-errors', uri, '/models/weights/']
              : ['gcloud', 'storage', 'rsync', '--recursive', uri, '/models/weights/'],
            volumeMount: [{ name: 'model-weights', mountPath: '/models/weights' }],
          };
          volumes.push({ name: 'model-weights', emptyDir: { sizeLimit: `${cacheGiB}Gi` } });
          mounts.push({ name: 'model-weights', mountPath: '/models/weights', readOnly: true });
          modelArg = '/models/weights';
        }
        break;
      }
      case WeightsSourceKind.VOLUME: {
        assertDnsLabel(this, 'weights (claim name)', w.location, 253);
        const mode = w.options.accessMode;
        if (mode === VolumeAccessMode.READ_WRITE_ONCE && (maxReplicas > 1 || scaleToZero)) {
          throw new ValidationError(
            `'weights' claim '${w.location}' is ReadWriteOnce but the server runs up to ${maxReplicas} replicas: replicas on other ` +
              `nodes cannot mount it and rolling updates stall (vllm-project/production-stack#107). Use a ReadOnlyMany or ` +
              `ReadWriteMany volume (EFS, Filestore, NFS), or WeightsSource.bucket(...).`,
            this,
          );
        }
        if (mode === VolumeAccessMode.READ_WRITE_ONCE) {
          Warnings.add(
            this,
            'k8s-rwo-weights-rollout',
            `'weights' claim '${w.location}' is ReadWriteOnce: a rolling update's new pod can only start on the node that holds it.`,
          );
        }
        volumes.push({
          name: 'model-weights',
          persistentVolumeClaim: { claimName: w.location, readOnly: true },
        });
        mounts.push({ name: 'model-weights', mountPath: '/models/weights', readOnly: true });
        const sub = (w.options.path ?? '').replace(/^\/+|\/+$/g, '');
        modelArg = sub ? `/models/weights/${sub}` : '/models/weights';
        break;
      }
    }
    return { env, volumes, mounts, initContainer, modelArg };
  }

  private validateAutoscaling(a: ModelServerAutoscaling, replicas: number, props: ModelServerProps): void {
    assertInteger(this, 'autoscaling.maxReplicas', a.maxReplicas, 1);
    if (a.maxReplicas < Math.max(replicas, 1)) {
      throw new ValidationError(
        `'autoscaling.maxReplicas' (${a.maxReplicas}) must be >= 'replicas' (${replicas}): raise maxReplicas or lower replicas.`,
        this,
      );
    }
    if (a.scaleToZero && !a.activationQuery) {
      throw new ValidationError(
        `'autoscaling.scaleToZero' needs 'autoscaling.activationQuery': at zero replicas the engine exports no metrics, so ` +
          `nothing would ever wake it. Give a PromQL request rate measured in front of it (router, gateway or ingress), for example ` +
          `'sum(rate(vllm:num_incoming_requests_total{model="${this.servedModelName}"}[1m]))'.`,
        this,
      );
    }
    if (!a.scaleToZero && replicas < 1) {
      throw new ValidationError(
        `'replicas' (0) with autoscaling needs 'autoscaling.scaleToZero: true'; otherwise set replicas >= 1.`,
        this,
      );
    }
    const target = a.targetQueueDepthPerReplica ?? 5;
    if (!Token.isUnresolved(target) && !(target > 0)) {
      throw new ValidationError(`'autoscaling.targetQueueDepthPerReplica' (${target}) must be > 0.`, this);
    }
    if (!a.prometheusUrl && !props.monitoring && !props.metricsCollection?.managed) {
      throw new ValidationError(
        `'autoscaling' needs a Prometheus to query: pass 'monitoring' (a MonitoringStack), ` +
          `'metricsCollection: MetricsCollection.managedPrometheus(...)' or 'autoscaling.prometheusUrl'.`,
        this,
      );
    }
    if (props.platform && !props.platform.kedaInstalled) {
      throw new ValidationError(
        `'autoscaling' needs KEDA, but the GpuPlatform '${props.platform.node.path}' has keda disabled: enable it or drop autoscaling.`,
        this,
      );
    }
    if (a.scaleToZero && a.ignoreNullValues === false) {
      Warnings.add(
        this,
        'k8s-scale-to-zero-null-values',
        `'ignoreNullValues: false' with scale to zero: at zero replicas the engine query is empty, KEDA reports an error ` +
          `instead of 0 and the ScaledObject stays degraded until a request arrives.`,
      );
    }
  }

  private addScaledObject(
    a: ModelServerAutoscaling,
    replicas: number,
    engine: ServingEngine,
    labels: Record<string, string>,
    props: ModelServerProps,
    collection: MetricsCollection,
  ): Manifest {
    assertCrdInOtherStack(this, 'keda.sh', 'ScaledObject');
    const managed = collection.managed;
    const server = a.prometheusUrl ?? (managed ? collection.queryUrl! : props.monitoring!.prometheusUrl);
    const authenticationRef = this.triggerAuthentication
      ? { name: gcpTriggerAuthName(this.deploymentName) }
      : undefined;
    if (managed && a.activationQuery && hasBareColonMetric(a.activationQuery)) {
      Warnings.add(
        this,
        'k8s-gmp-colon-metric-name',
        `'autoscaling.activationQuery' names a metric with a colon ('${a.activationQuery}'): on Managed Prometheus write it as ` +
          `{__name__="vllm:...", ...} (the form the library uses for its own queries), or it may not match the stored metric.`,
      );
    }
    const scaleToZero = a.scaleToZero ?? false;
    const ignoreNull = String(a.ignoreNullValues ?? scaleToZero);
    const vllmMatchers = [`namespace="${this.namespace}"`, `model_name="${this.servedModelName}"`];
    const vllm = (metric: string) => promSelector(metric, vllmMatchers, managed);
    const waiting =
      engine === ServingEngine.VLLM
        ? `sum(${vllm('vllm:num_requests_waiting')})`
        : `sum(nv_trt_llm_request_metrics{namespace="${this.namespace}", pod=~"${this.deploymentName}-.+", request_type="waiting"})`;
    const triggers: Array<Record<string, unknown>> = [
      {
        type: 'prometheus',
        name: 'queue-depth',
        metadata: {
          serverAddress: server,
          query: waiting,
          threshold: String(a.targetQueueDepthPerReplica ?? 5),
          activationThreshold: String(a.activationQueueDepth ?? 0),
          ignoreNullValues: ignoreNull,
        },
      },
    ];
    if (scaleToZero) {
      const inFlight =
        engine === ServingEngine.VLLM
          ? `sum(${vllm('vllm:num_requests_running')}) + sum(${vllm('vllm:num_requests_waiting')})`
          : `sum(nv_trt_llm_request_metrics{namespace="${this.namespace}", pod=~"${this.deploymentName}-.+", request_type=~"waiting|scheduled"})`;
      triggers.push(
        {
          type: 'prometheus',
          name: 'keepalive-in-flight',
          metadata: {
            serverAddress: server,
            query: inFlight,
            threshold: '1000000',
            activationThreshold: '0',
            ignoreNullValues: ignoreNull,
          },
        },
        {
          type: 'prometheus',
          name: 'activation',
          metadata: {
            serverAddress: server,
            query: a.activationQuery!,
            threshold: '1000000',
            activationThreshold: '0',
            ignoreNullValues: 'true',
          },
        },
      );
    }
    if (authenticationRef) {
      for (const t of triggers) {
        t.authenticationRef = authenticationRef;
      }
    }
    const minReplicas = Math.max(replicas, 1);
    return new Manifest(this, 'ScaledObject', {
      manifest: {
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledObject',
        metadata: { name: this.deploymentName, namespace: this.namespace, labels },
        spec: {
          scaleTargetRef: { name: this.deploymentName },
          minReplicaCount: minReplicas,
          maxReplicaCount: a.maxReplicas,
          ...(scaleToZero
            ? { idleReplicaCount: 0 }
            : {
                // When Prometheus cannot be queried, keep what runs (KEDA's default 'static'
                // would drop a loaded server to fallback.replicas, the minimum).
                fallback: { failureThreshold: 3, replicas: minReplicas, behavior: 'currentReplicasIfHigher' },
              }),
          pollingInterval: 15,
          cooldownPeriod: a.cooldownSeconds ?? 360,
          advanced: {
            horizontalPodAutoscalerConfig: {
              behavior: {
                scaleDown: {
                  stabilizationWindowSeconds: 300,
                  policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }],
                },
              },
            },
          },
          triggers,
        },
      },
    });
  }
}

/** Start-up budget: 10 minutes of engine start plus the weights at 50 MiB/s, rounded up to 5, at least 15. */
function defaultStartupMinutes(weightsGiB: number): number {
  const minutes = 10 + (weightsGiB * 1024) / LOAD_MIB_PER_SECOND / 60;
  return Math.max(15, Math.ceil(minutes / 5) * 5);
}

/** Name of a server's KEDA TriggerAuthentication for Managed Prometheus. */
function gcpTriggerAuthName(deploymentName: string): string {
  return `${deploymentName}-gcp`;
}
