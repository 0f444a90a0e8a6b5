import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { Construct } from 'constructs';
import {
  ACCELERATOR_NODE_LABEL,
  Accelerator,
  CPU_INFERENCE_NODE_LABEL,
  CPU_INFERENCE_TAINT,
  LlamaCppCacheType,
  LlamaCppSizing,
  ModelSpec,
  Quantization,
  Validate,
  ValidationError,
  Warnings,
  normalizeKubernetesLabelValue,
  sizeLlamaCpp,
} from '../core';
import { describeValue } from '../core/validation';
import { EngineMetric } from './engines/engine';
import { LlamaCppEngine } from './engines/llama-cpp';
import {
  ApiToleration,
  IGpuPlatform,
  IMonitoringStack,
  IServiceBackend,
  ModelServerAutoscaling,
  ModelServerNetworkPolicy,
  PodIngressOptions,
} from './interfaces';
import { MetricsCollection } from './metrics-collection';
import { startupBudget } from './model-server';
import { PodSecurityLevel } from './pod-security';
import { MANAGED_BY, assertInteger, dependOnStackOf, userImageRef } from './private/common';
import { gpuPod } from './private/gpu-pod';
import { assertModelSpec, assertWeightsSource } from './private/server-inputs';
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
import { ImageVersion } from './versions';
import { WeightsSource } from './weights';

/** Properties of a {@link LlamaCppServer}. */
export interface LlamaCppServerProps {
  /** The model, for sizing (parameters, layers, KV heads, vocabulary). */
  readonly model: ModelSpec;
  /** The GGUF quantization of the file (`Quantization.GGUF_Q4_K_M`, `GGUF_Q5_K_M`, `GGUF_Q8_0`). */
  readonly quantization: Quantization;
  /**
   * Where the GGUF file comes from: `WeightsSource.bucket('s3://...')` / `('gs://...')` (copied
   * by an init container) or `WeightsSource.volume(claim)`. llama.cpp does not download from
   * the Hugging Face Hub here.
   */
  readonly weights: WeightsSource;
  /** File name of the GGUF file inside the weights location, for example `Llama-3.1-8B-Instruct-Q4_K_M.gguf`. */
  readonly ggufFile: string;
  /**
   * An NVIDIA GPU to offload layers to (the CUDA image, one `nvidia.com/gpu`, the GPU nodes'
   * taint tolerated): every layer when the file fits, otherwise as many as fit (a warning).
   * @default - none: CPU nodes (selects and tolerates the CPU inference node group / pool)
   */
  readonly accelerator?: Accelerator;
  /**
   * Longest request (prompt + output) of one slot, tokens.
   * @default - the model's context, capped at 8192
   */
  readonly maxModelLen?: number;
  /**
   * Requests decoded at once (`--parallel`); `--ctx-size` is `maxModelLen` x `parallel`.
   * @default 1
   */
  readonly parallel?: number;
  /**
   * KV-cache element type.
   * @default LlamaCppCacheType.F16
   */
  readonly cacheType?: LlamaCppCacheType;
  /**
   * vCPUs of the container (request); `--threads` is half, `--threads-batch` all of them.
   * @default - 8 on CPU, 4 with an accelerator
   */
  readonly vcpus?: number;
  /**
   * Memory request and limit, GiB.
   * @default - the sizing's memory (file + KV cache + compute buffer + process margin)
   */
  readonly memoryGiB?: number;
  /**
   * The engine (its images and defaults).
   * @default new LlamaCppEngine()
   */
  readonly engine?: LlamaCppEngine;
  /**
   * Image, replacing the engine's CPU or CUDA image.
   * @default - the engine's image for the node kind
   */
  readonly image?: ImageVersion;
  /**
   * Base name of the Kubernetes objects: the Deployment and Service are `<name>-llama-cpp`. At
   * most 48 characters, starting with a letter.
   * @default - the construct id in kebab case
   */
  readonly name?: string;
  /**
   * Namespace.
   * @default 'default'
   */
  readonly namespace?: string;
  /**
   * The model name clients send (`--alias`).
   * @default - the model's name
   */
  readonly servedModelName?: string;
  /**
   * Replicas (the minimum when autoscaling; 0 only with `autoscaling.scaleToZero`).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Node selector, merged over the default (`cdktf-ai-infra/cpu-inference: 'true'` on CPU, the
   * accelerator label with a GPU).
   * @default - the default only
   */
  readonly nodeSelector?: Record<string, string>;
  /**
   * Extra tolerations (the CPU inference taint on CPU, or the `nvidia.com/gpu` taint with a GPU,
   * is always tolerated).
   * @default - none
   */
  readonly tolerations?: ApiToleration[];
  /**
   * Extra `llama-server` arguments. A flag the server already renders from its props is refused.
   * @default - none
   */
  readonly extraArgs?: string[];
  /**
   * Extra environment variables.
   * @default - none
   */
  readonly env?: Record<string, string>;
  /**
   * Minutes the startup probe allows for copying nothing, mapping the file and warming up.
   * @default - from the file size at 50 MiB/s plus the engine's warm-up, at least 15
   */
  readonly startupTimeoutMinutes?: number;
  /**
   * The monitoring stack whose Prometheus scrapes `/metrics` (a ServiceMonitor with its
   * `release` label) and which KEDA queries; installs the ServiceMonitor CRD in another stack.
   * @default - no ServiceMonitor (a warning)
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
   * Autoscaling with KEDA on llama-server's queue: the sum over the server's pods of
   * `llamacpp:requests_deferred` (requests waiting for one of the `parallel` slots), so a replica
   * is added for every `targetQueueDepthPerReplica` waiting requests, which defaults to `parallel`
   * here (about one more round of requests queued per replica). Baseline windows, scale to zero
   * and the fallback work as on ModelServer. Needs KEDA (GpuPlatform) and a Prometheus.
   * @default - a fixed number of replicas
   */
  readonly autoscaling?: ModelServerAutoscaling;
  /**
   * The GPU platform: checked for KEDA with `autoscaling`, and used to order the stacks.
   * @default - not checked
   */
  readonly platform?: IGpuPlatform;
  /**
   * Ingress NetworkPolicy of the server's pods: the server's namespace, `clientNamespaces`,
   * `clientCidrs` and a gateway hooked up with `InferenceGateway.addServiceModel` reach the API
   * port; the metrics scraper's namespace reaches it too, since llama-server serves `/metrics` on
   * the API port. Egress is not restricted (the init container copies the file from a bucket).
   * @default - enabled: the server's namespace, the metrics scraper and nothing else may connect
   */
  readonly networkPolicy?: ModelServerNetworkPolicy;
  /**
   * Create a PodDisruptionBudget (`maxUnavailable: 1`), so a node drain evicts one pod at a time.
   * @default true
   */
  readonly podDisruptionBudget?: boolean;
}

const PRESTOP_SLEEP_SECONDS = 5;
const DRAIN_SECONDS = 30;

/**
 * A llama.cpp `llama-server` for a GGUF file: on CPU nodes (the memory-sized node groups
 * `aws.CpuInferenceNodeGroup` and `gcp.CpuInferenceNodePool` make) or with layers on one small
 * GPU. A Deployment with a restricted pod (UID 1000, read-only root, no capabilities), requests
 * from core `sizeLlamaCpp` (memory = file + KV cache + compute buffer), `/health` probes sized for
 * the file, a ClusterIP Service, a ServiceMonitor (or Managed Prometheus PodMonitoring) for
 * `/metrics`, a PodDisruptionBudget, an ingress NetworkPolicy and an optional KEDA ScaledObject
 * on `llamacpp:requests_deferred` (requests waiting for one of the `parallel` slots) — the same
 * objects, from the same code, as ModelServer's.
 *
 * It is reached through its Service, not through an InferencePool: llama.cpp exports no KV-cache
 * gauge, which the Inference Extension's model server protocol requires and the endpoint
 * picker's scorers read, and the pinned picker knows no llama.cpp metrics. Put it behind a
 * gateway with `InferenceGateway.addServiceModel` (an HTTPRoute to the Service).
 *
 * @example
 * new LlamaCppServer(workloads, 'Llama8BCpu', {
 *   model: ModelSpec.LLAMA_3_1_8B, quantization: Quantization.GGUF_Q4_K_M,
 *   weights: WeightsSource.bucket('s3://models/llama-3.1-8b-gguf/'),
 *   ggufFile: 'Llama-3.1-8B-Instruct-Q4_K_M.gguf', parallel: 4,
 * });
 */
export class LlamaCppServer extends Construct implements IServiceBackend {
  /** The Deployment. */
  public readonly resource: DeploymentV1;
  /** The ClusterIP Service. */
  public readonly service: ServiceV1;
  /** The ServiceMonitor, with `monitoring`. */
  public readonly serviceMonitor?: Manifest;
  /** The Managed Prometheus PodMonitoring, with `MetricsCollection.managedPrometheus(...)`. */
  public readonly podMonitoring?: Manifest;
  /** The KEDA ScaledObject, with `autoscaling`. */
  public readonly scaledObject?: Manifest;
  /** The KEDA TriggerAuthentication (GCP pod identity), with autoscaling on Managed Prometheus. */
  public readonly triggerAuthentication?: Manifest;
  /** The PodDisruptionBudget, unless disabled. */
  public readonly podDisruptionBudget?: PodDisruptionBudgetV1;
  /** The ingress NetworkPolicy, unless disabled. */
  public readonly networkPolicy?: NetworkPolicyV1;
  /** Labels selecting the server's pods. */
  public readonly podLabels: Record<string, string>;
  /** Name of the Service (the Deployment's name). */
  public readonly serviceName: string;
  /** The Service port of the API and `/metrics` (8080). */
  public readonly servicePort: number;
  /** `/health`: 200 once the model is loaded. */
  public readonly healthCheckPath: string;
  /** Whether the autoscaler may take the server to zero replicas. */
  public readonly mayScaleToZero: boolean;
  /** The sizing the server was built from. */
  public readonly sizing: LlamaCppSizing;
  /** The engine. */
  public readonly engine: LlamaCppEngine;
  /** Name of the Deployment and Service (`<name>-llama-cpp`). */
  public readonly deploymentName: string;
  /** Namespace. */
  public readonly namespace: string;
  /** The model name clients send. */
  public readonly servedModelName: string;
  /** In-cluster URL of the OpenAI-compatible API. */
  public readonly url: string;
  /** The Pod Security level the pods meet. */
  public readonly podSecurityLevel: PodSecurityLevel;
  private readonly ingressCidrs: string[] = [];
  private readonly ingressNamespaces: string[] = [];
  private readonly ingressPods: AdmittedPods[] = [];

  constructor(scope: Construct, id: string, props: LlamaCppServerProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    assertModelSpec(this, props.model);
    assertWeightsSource(this, props.weights);
    if (props.engine !== undefined && !(props.engine instanceof LlamaCppEngine)) {
      throw new ValidationError(
        `'engine' (${describeValue(props.engine)}) must be a LlamaCppEngine (new LlamaCppEngine({...})), or left unset.`,
        this,
        'type',
      );
    }
    const engine = (this.engine = props.engine ?? new LlamaCppEngine());
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
    this.serviceName = this.deploymentName;
    this.servicePort = engine.httpPort;
    this.healthCheckPath = engine.probes.readinessPath;
    this.mayScaleToZero = autoscaling?.scaleToZero ?? false;
    const file = Validate.string(this, 'ggufFile', props.ggufFile, { maxLength: 255 });
    if (!/^[A-Za-z0-9][A-Za-z0-9._+-]*\.gguf$/.test(file)) {
      throw new ValidationError(
        `'ggufFile' (${JSON.stringify(file)}) must be the name of a .gguf file in the weights location (letters, digits, '.', '_', '+', '-'; no '/'), ` +
          `for example 'Llama-3.1-8B-Instruct-Q4_K_M.gguf'.`,
        this,
      );
    }

    this.sizing = ValidationError.withScope(this, () =>
      sizeLlamaCpp({
        model: props.model,
        quantization: props.quantization,
        accelerator: props.accelerator,
        maxModelLen: props.maxModelLen,
        parallel: props.parallel,
        cacheType: props.cacheType,
        vcpus: props.vcpus,
      }),
    );
    const s = this.sizing;
    if (props.accelerator && !s.fullyOffloaded) {
      Warnings.add(
        this,
        'k8s-llama-cpp-partial-offload',
        `${s.gpuLayers} of ${props.model.layers} layers of ${props.model.name} (${props.quantization.id}) fit on ${props.accelerator.id}; ` +
          `the rest run on the CPU and set the speed. A larger GPU, a smaller GGUF type or a shorter context puts every layer on the GPU.`,
      );
    }
    const memoryGiB = props.memoryGiB ?? s.memoryGiB;
    assertInteger(this, 'memoryGiB', memoryGiB, 1, 4096);
    if (memoryGiB < Math.ceil(s.fileGiB)) {
      throw new ValidationError(
        `'memoryGiB' (${memoryGiB}) is below the ${s.fileGiB.toFixed(1)} GiB GGUF file llama-server maps: the pages would be evicted and re-read on every token. ` +
          `Omit memoryGiB (the sizing asks for ${s.memoryGiB}) or give at least ${Math.ceil(s.fileGiB)}.`,
        this,
      );
    }
    const weights = props.weights.bind(this, {
      engine,
      weightsGiB: s.fileGiB,
      maxReplicas: autoscaling?.maxReplicas ?? replicas,
      scaleToZero: this.mayScaleToZero || replicas === 0,
      namespace: this.namespace,
    });
    if (autoscaling) {
      validateServerAutoscaling(this, autoscaling, {
        replicas,
        monitoring: props.monitoring,
        metricsCollection: props.metricsCollection,
        platform: props.platform,
        activationExample:
          `sum(rate(istio_requests_total{destination_service_namespace="${this.namespace}", ` +
          `destination_service_name="${this.deploymentName}"}[1m]))`,
      });
      if (autoscaling.scaleToZero) {
        Warnings.add(
          this,
          'k8s-llama-cpp-scale-to-zero-unbuffered',
          `'autoscaling.scaleToZero': requests that arrive while ${this.deploymentName} has no replica fail (503) until the first pod ` +
            `has loaded the file: nothing in front of a llama.cpp Service holds them (the endpoint picker's flow control needs an ` +
            `InferencePool, which llama.cpp cannot use). Keep one replica where clients do not retry.`,
        );
      }
    }
    const sameStack = serverWeightsDependencies(this, weights.dependsOn);
    for (const dependency of [props.platform, props.monitoring]) {
      if (dependency) {
        dependOnStackOf(this, dependency);
      }
    }
    const budget = startupBudget({
      weightsGiB: s.fileGiB,
      warmUpMinutes: engine.warmUpMinutes,
      loadMiBPerSecond: weights.loadMiBPerSecond,
      copiedBeforeStart: weights.copiedBeforeStart,
    });
    const startupMinutes = props.startupTimeoutMinutes ?? budget.probeMinutes;
    assertInteger(this, 'startupTimeoutMinutes', startupMinutes, 1, 24 * 60);
    const rolloutMinutes = budget.rolloutMinutes - budget.probeMinutes + startupMinutes;

    const args = engine.serverArgs({
      sizing: s,
      modelPath: `${weights.modelLocation.replace(/\/+$/, '')}/${file}`,
      servedModelName: this.servedModelName,
    });
    const extra = this.extraArgs(props.extraArgs, args);
    const gpu = props.accelerator !== undefined;
    const pod = gpuPod(this, {
      containerName: engine.id,
      image: userImageRef(this, 'image', props.image ?? (gpu ? engine.cudaImage : engine.image)),
      args: [...args, ...extra, ...weights.engineArgs],
      ports: engine.ports,
      env: weights.env,
      userEnv: props.env,
      volumes: weights.volumes,
      volumeMounts: weights.volumeMounts,
      initContainers: weights.initContainers,
      probes: serverProbes(engine.probes, startupMinutes),
      preStopSleepSeconds: PRESTOP_SLEEP_SECONDS,
      gpus: gpu ? 1 : 0,
      cpu: String(s.vcpus),
      memoryGiB,
      sharedMemoryGiB: 0,
      defaultNodeSelector: gpu
        ? { [ACCELERATOR_NODE_LABEL]: props.accelerator!.labelValue }
        : { [CPU_INFERENCE_NODE_LABEL]: 'true' },
      nodeSelector: props.nodeSelector,
      tolerations: [
        ...(gpu
          ? []
          : [
              {
                key: CPU_INFERENCE_TAINT.key,
                operator: 'Equal' as const,
                value: CPU_INFERENCE_TAINT.value,
                effect: CPU_INFERENCE_TAINT.effect,
              },
            ]),
        ...Validate.array<ApiToleration>(this, 'tolerations', props.tolerations ?? []),
      ],
      terminationGracePeriodSeconds: PRESTOP_SLEEP_SECONDS + DRAIN_SECONDS,
      user: engine.user,
      writablePaths: engine.writablePaths,
      readOnlyRootFilesystem: engine.readOnlyRootFilesystem,
    });
    this.podSecurityLevel = pod.podSecurityLevel;

    const podLabels = { 'app.kubernetes.io/name': engine.id, 'app.kubernetes.io/instance': name };
    this.podLabels = podLabels;
    const labels: Record<string, string> = {
      ...podLabels,
      'app.kubernetes.io/component': 'model-server',
      ...MANAGED_BY,
      ...(gpu ? { [ACCELERATOR_NODE_LABEL]: props.accelerator!.labelValue } : {}),
      'cdktf-ai-infra/model': normalizeKubernetesLabelValue(this.servedModelName),
    };
    const annotation =
      `${gpu ? `${s.gpuLayers}/${props.model.layers} layers on ${props.accelerator!.id}` : 'CPU'}; ` +
      `GGUF ${s.fileGiB.toFixed(1)} GiB; KV cache ${s.kvCacheGiB.toFixed(2)} GiB (${s.parallel} x ${s.maxModelLen} tokens, ${s.cacheType}); ` +
      `memory ${memoryGiB} GiB; ${s.vcpus} vCPUs, ${s.threads} threads`;
    this.resource = addServerDeployment(this, {
      deploymentName: this.deploymentName,
      namespace: this.namespace,
      labels,
      selectorLabels: podLabels,
      sizingAnnotation: annotation,
      replicas,
      rolloutMinutes,
      podAnnotations: weights.podAnnotations,
      pod,
      autoscaled: Boolean(autoscaling),
      dependsOn: sameStack,
    });
    this.node.defaultChild = this.resource;

    this.service = addServerService(this, {
      deploymentName: this.deploymentName,
      namespace: this.namespace,
      labels,
      selectorLabels: podLabels,
      ports: engine.ports,
    });
    this.url = serverUrl(this.deploymentName, this.namespace, engine.httpPort);

    const ops: ServerOpsContext = {
      deploymentName: this.deploymentName,
      namespace: this.namespace,
      labels,
      podLabels,
      selectorLabels: podLabels,
      engine,
    };
    const serverOps = addServerOperations(this, ops, {
      podDisruptionBudget: props.podDisruptionBudget,
      networkPolicy: props.networkPolicy,
      monitoring: props.monitoring,
      collection: props.metricsCollection ?? MetricsCollection.prometheusOperator(),
      autoscaling,
      platform: props.platform,
      scrapeWarnings: {
        unmonitoredId: 'k8s-llama-cpp-unmonitored',
        unmonitoredEffect: 'Prometheus does not scrape /metrics and dashboards and autoscaling see nothing',
        monitoringUnusedId: 'k8s-llama-cpp-monitoring-unused',
      },
      ingress: {
        ingressCidrs: this.ingressCidrs,
        ingressNamespaces: this.ingressNamespaces,
        ingressPods: this.ingressPods,
      },
      scaling: {
        replicas,
        defaultTarget: s.parallel,
        scaleTargetRef: { name: this.deploymentName },
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

  /**
   * A PromQL selector of one of the engine's metrics for this server's own series (its namespace
   * and the scrape job, which the ServiceMonitor and the PodMonitoring both name after the
   * Deployment; llama-server's series carry no model label).
   */
  public metricSelector(metric: EngineMetric, managedPrometheus = false): string {
    return serverMetricSelector(this.namespace, this.deploymentName, metric, managedPrometheus);
  }

  /**
   * Lets connections from IPv4 CIDR blocks reach the server's port through its NetworkPolicy
   * (`ipBlock` sources, deduplicated). Does nothing when the NetworkPolicy is disabled.
   */
  public allowIngressFromCidrs(cidrs: readonly string[]): void {
    admitIngressCidrs(this, this.ingressCidrs, cidrs);
  }

  /**
   * Lets the pods of namespaces reach the server's port through its NetworkPolicy (a gateway's
   * Envoy pods). Does nothing when the NetworkPolicy is disabled.
   */
  public allowIngressFromNamespaces(namespaces: readonly string[]): void {
    admitIngressNamespaces(this, this.ingressNamespaces, namespaces);
  }

  /**
   * Lets the pods of the server's namespace carrying `labels` reach its HTTP port through its
   * NetworkPolicy (a gateway's Envoy pods in the server's own namespace). llama.cpp serves
   * `/metrics` on that port, so `options.metrics` changes nothing here. Only needed, and only
   * rendered, with `networkPolicy.allowSameNamespace: false`; does nothing when the
   * NetworkPolicy is disabled.
   */
  public allowIngressFromPods(
    labels: Readonly<Record<string, string>>,
    options: PodIngressOptions = {},
  ): void {
    admitIngressPods(this, this.ingressPods, labels, this.namespace, options);
  }

  /** The user's extra arguments, refusing a flag the server already renders. */
  private extraArgs(extraArgs: string[] | undefined, rendered: string[]): string[] {
    const extra = Validate.array<string>(this, 'extraArgs', extraArgs ?? []);
    const aliases: Record<string, string> = {
      '-m': '--model',
      '-a': '--alias',
      '-c': '--ctx-size',
      '-np': '--parallel',
      '-t': '--threads',
      '-tb': '--threads-batch',
      '-ngl': '--n-gpu-layers',
      '--gpu-layers': '--n-gpu-layers',
      '-ctk': '--cache-type-k',
      '-ctv': '--cache-type-v',
      '-fa': '--flash-attn',
    };
    const owned = new Set(rendered.filter((a) => a.startsWith('-')));
    extra.forEach((arg, i) => {
      Validate.string(this, `extraArgs[${i}]`, arg, { allowEmpty: false });
      const flag = arg.split('=')[0];
      const canonical = aliases[flag] ?? flag;
      if (owned.has(canonical)) {
        throw new ValidationError(
          `'extraArgs' repeats ${canonical} (${JSON.stringify(arg)}), which LlamaCppServer already passes to llama-server from its props and sizing. ` +
            `Remove it and set the matching prop (maxModelLen, parallel, vcpus, cacheType, accelerator, servedModelName, ggufFile).`,
          this,
        );
      }
    });
    return extra;
  }
}
