import { IConstruct } from 'constructs';

/**
 * The in-cluster GPU platform (operators, device plugins and the CRD-installing charts) as the
 * workload constructs see it. Implemented by {@link GpuPlatform}.
 */
export interface IGpuPlatform extends IConstruct {
  /** Whether KEDA is installed (ScaledObjects work). */
  readonly kedaInstalled: boolean;
  /** Whether JobSet is installed (training jobs work). */
  readonly jobSetInstalled: boolean;
  /** Whether Kueue is installed (queues work). */
  readonly kueueInstalled: boolean;
  /**
   * Whether LeaderWorkerSet is installed (multi-node model servers work).
   * @default - unknown: not checked
   */
  readonly leaderWorkerSetInstalled?: boolean;
  /** Whether the MPI Operator is installed (MpiJob works); absent means not installed. */
  readonly mpiOperatorInstalled?: boolean;
  /**
   * `host:port` of a standalone DCGM host engine reachable from pods on every GPU node (the GPU
   * Operator's `nvidia-dcgm` Service); absent when there is none.
   * @default - no standalone host engine
   */
  readonly dcgmHostEngineAddress?: string;
  /**
   * Namespace of the platform's NVIDIA components (NVSentinel's node drainer never drains it).
   * @default - unknown
   */
  readonly namespace?: string;
}

/**
 * The monitoring stack (Prometheus operator, Prometheus, Alertmanager, Grafana) as the
 * workload constructs see it. Implemented by {@link MonitoringStack}.
 */
export interface IMonitoringStack extends IConstruct {
  /** Helm release name; the value of the `release` label Prometheus selects on. */
  readonly releaseName: string;
  /** Namespace of the monitoring stack. */
  readonly namespace: string;
  /** In-cluster URL of Prometheus, for KEDA's Prometheus scaler. */
  readonly prometheusUrl: string;
  /** Labels a ServiceMonitor or PrometheusRule needs to be selected by this Prometheus. */
  readonly selectorLabels: Record<string, string>;
  /**
   * Scrapes a Service whose chart cannot label its own ServiceMonitor for this Prometheus
   * (the ServiceMonitor is rendered by the monitoring chart itself, so it needs no CRD at plan time).
   */
  addScrapeTarget(target: ScrapeTarget): void;
}

/**
 * A monitoring stack with Grafana (and usually Alertmanager), as the tracing and logging
 * constructs see it: `TraceCollector` and `Loki` add their Grafana data sources to it, and Loki's
 * ruler sends log alerts to its Alertmanager. Implemented by {@link MonitoringStack}; implement it
 * for a Prometheus / Grafana installed by other means.
 */
export interface IGrafanaMonitoringStack extends IMonitoringStack {
  /**
   * In-cluster URL of Alertmanager.
   * @default - none: Loki's log alerts are not routed unless `alertmanagerUrl` is given (a warning)
   */
  readonly alertmanagerUrl?: string;
  /** Provisions a Grafana Tempo data source (called by `TraceCollector` for a Tempo backend with a `queryUrl`). */
  addTraceDataSource(options: TraceDataSourceOptions): IConstruct;
  /** Provisions a Grafana Loki data source (called by `Loki`). */
  addLogDataSource(options: LogDataSourceOptions): IConstruct;
}

/** A Grafana Tempo data source (see {@link IGrafanaMonitoringStack.addTraceDataSource}). */
export interface TraceDataSourceOptions {
  /** Tempo's HTTP query URL, for example `http://tempo-query-frontend.tracing.svc:3200`. */
  readonly url: string;
  /**
   * Data source name shown in Grafana.
   * @default 'Tempo'
   */
  readonly name?: string;
}

/** A Grafana Loki data source (see {@link IGrafanaMonitoringStack.addLogDataSource}). */
export interface LogDataSourceOptions {
  /** Loki's HTTP URL, for example `http://loki.loki.svc:3100`. */
  readonly url: string;
  /**
   * Data source name shown in Grafana.
   * @default 'Loki'
   */
  readonly name?: string;
}

/** A Service for the monitoring stack to scrape. */
export interface ScrapeTarget {
  /** Unique name of the generated ServiceMonitor. */
  readonly name: string;
  /** Namespace of the Service. */
  readonly namespace: string;
  /** Labels of the Service. */
  readonly matchLabels: Record<string, string>;
  /** Name of the Service port. */
  readonly port: string;
  /**
   * `http` or `https`.
   * @default 'http'
   */
  readonly scheme?: 'http' | 'https';
  /**
   * Authenticate with Prometheus' service-account token and skip TLS verification (the
   * controller-runtime secure metrics endpoint of Kueue and JobSet).
   * @default false
   */
  readonly serviceAccountAuth?: boolean;
}

/** A pod toleration in Kubernetes API shape (as in manifests and Helm values). */
export interface ApiToleration {
  /** Taint key. */
  readonly key: string;
  /** `Exists` (any value) or `Equal` (the given value). */
  readonly operator: 'Exists' | 'Equal';
  /**
   * Taint value, with `Equal`.
   * @default - none
   */
  readonly value?: string;
  /**
   * Taint effect (`NoSchedule`, `PreferNoSchedule`, `NoExecute`).
   * @default - all effects
   */
  readonly effect?: string;
}

/**
 * What the inference gateway needs to know about a model server to route to it: its pods, its
 * port, the model name clients send and the engine the endpoint picker scrapes. Implemented by
 * {@link ModelServerBackend.of} for a {@link ModelServer}; implement it for pods this library
 * does not create.
 */
export interface IInferenceBackend {
  /** Namespace of the pods (the InferencePool and its endpoint picker go there too). */
  readonly namespace: string;
  /** Labels selecting exactly the server's pods (the InferencePool `spec.selector.matchLabels`). */
  readonly podSelectorLabels: Readonly<Record<string, string>>;
  /** Container port serving the OpenAI-compatible API and `/metrics` (InferencePool `targetPorts`). */
  readonly targetPort: number;
  /**
   * Container port serving `/metrics` when it is not {@link targetPort} (Triton: `metrics`
   * 8002): the endpoint picker scrapes it instead (its `metrics-data-source` `port`).
   * @default - targetPort
   */
  readonly metricsPort?: number;
  /** The model name the server answers to (vLLM `--served-model-name`). */
  readonly servedModelName: string;
  /**
   * The engine, as the endpoint picker names it (llm-d-router chart `router.modelServers.type`):
   * it decides which queue-depth and KV-cache metrics the picker reads (for vLLM
   * `vllm:num_requests_waiting` and `vllm:kv_cache_usage_perc`).
   */
  readonly engine: InferenceEngineType;
  /** Whether the server's autoscaler may take it to zero replicas. */
  readonly mayScaleToZero: boolean;
  /** LoRA adapter names the server loads (requests may name them as `model`). */
  readonly loraAdapterNames: readonly string[];
  /** A name for messages and default object names (the Deployment name). */
  readonly name: string;
  /**
   * Admits IPv4 CIDR blocks to the server's HTTP API port in its NetworkPolicy, for a gateway
   * whose load balancer connects from outside the pod network (GKE's proxy-only subnet). Absent
   * when the server has no NetworkPolicy to widen.
   */
  allowIngressFromCidrs?(cidrs: readonly string[]): void;
  /**
   * Admits the pods of namespaces to the server's HTTP API port in its NetworkPolicy (the
   * gateway's Envoy pods with Istio, admitted by `InferenceGateway.addModel`). Absent when the
   * server has no NetworkPolicy to widen.
   */
  allowIngressFromNamespaces?(namespaces: readonly string[]): void;
  /**
   * Admits pods of the server's namespace with these labels to the server's HTTP API and metrics
   * ports (an endpoint picker, which scrapes the engine's metrics), or with `metrics: false` to
   * the HTTP API port only (a gateway's or router's Envoy pods), where the policy does not admit
   * the whole namespace. Absent when the server has no NetworkPolicy.
   */
  allowIngressFromPods?(labels: Readonly<Record<string, string>>, options?: PodIngressOptions): void;
}

/** Options of `allowIngressFromPods` ({@link IInferenceBackend}, {@link IServiceBackend}). */
export interface PodIngressOptions {
  /**
   * Admit the pods to the engine's metrics port as well as its HTTP API port: an endpoint picker
   * reads the engine's queue and KV-cache gauges from every pod. Pods that only forward requests
   * (a gateway's or a router's Envoy) need the HTTP API port alone. The two differ only for an
   * engine with its own metrics port (Triton: `metrics` 8002).
   * @default true
   */
  readonly metrics?: boolean;
}

/**
 * A model server a gateway reaches through its Service, with no endpoint picker in between: for
 * engines the picker cannot score (llama.cpp exports no KV-cache gauge, which the Inference
 * Extension's model server protocol requires). Implemented by {@link LlamaCppServer}; see
 * `InferenceGateway.addServiceModel`.
 */
export interface IServiceBackend {
  /** Namespace of the Service (the HTTPRoute goes there too). */
  readonly namespace: string;
  /** Name of the Service. */
  readonly serviceName: string;
  /** The Service port serving the OpenAI-compatible API. */
  readonly servicePort: number;
  /** The model name the server answers to. */
  readonly servedModelName: string;
  /** An HTTP path answering 200 once the server serves (a load balancer's health check). */
  readonly healthCheckPath: string;
  /** Whether the server's autoscaler may take it to zero replicas. */
  readonly mayScaleToZero: boolean;
  /**
   * Admits IPv4 CIDR blocks to the server's API port in its NetworkPolicy (GKE's proxy-only
   * subnet and health-check ranges). Absent when the server has no NetworkPolicy.
   */
  allowIngressFromCidrs?(cidrs: readonly string[]): void;
  /**
   * Admits the pods of namespaces to the server's API port in its NetworkPolicy (the gateway's
   * Envoy pods with Istio). Absent when the server has no NetworkPolicy.
   */
  allowIngressFromNamespaces?(namespaces: readonly string[]): void;
  /**
   * Admits pods of the server's namespace with these labels to its API port where the policy does
   * not admit the whole namespace (the gateway's Envoy pods with Istio, in the server's
   * namespace). Absent when the server cannot do so.
   */
  allowIngressFromPods?(labels: Readonly<Record<string, string>>, options?: PodIngressOptions): void;
}

/** Model-server engines the pinned endpoint picker knows (llm-d-router v0.10.0 `router.modelServers.type`). */
export enum InferenceEngineType {
  /** vLLM. */
  VLLM = 'vllm',
  /** Triton Inference Server with the TensorRT-LLM backend. */
  TRITON_TENSORRT_LLM = 'triton-tensorrt-llm',
  /** SGLang. */
  SGLANG = 'sglang',
}

/**
 * An OpenTelemetry trace collector workloads send spans to (implemented by `TraceCollector`).
 * Model servers, endpoint pickers and training jobs read it as plain values, so the cluster's
 * backend (Tempo, AWS X-Ray, Cloud Trace) stays the collector's concern.
 */
export interface ITraceCollector extends IConstruct {
  /** OTLP/gRPC endpoint, `http://<service>.<namespace>.svc:4317`. */
  readonly otlpGrpcEndpoint: string;
  /** OTLP/HTTP base endpoint, `http://<service>.<namespace>.svc:4318`. */
  readonly otlpHttpEndpoint: string;
  /**
   * Fraction of new traces the workloads sample (`parentbased_traceidratio`): a request that
   * arrives with a sampled `traceparent` is always traced.
   */
  readonly samplingRatio: number;
}

/**
 * The Slinky slurm-operator (CRDs, operator and admission webhook) as a Slurm cluster sees it.
 * Implemented by {@link SlurmOperator}.
 */
export interface ISlurmOperator extends IConstruct {
  /** The `slinky.slurm.net` API version the installed CRDs serve, for example `v1beta1`. */
  readonly apiVersion: string;
  /**
   * Namespaces the operator reconciles; empty means every namespace.
   * @default - every namespace
   */
  readonly watchedNamespaces?: readonly string[];
}

/**
 * A window of predictable load: KEDA's cron scaler holds at least `minReplicas` from `start` to
 * `end` (https://keda.sh/docs/2.20/scalers/cron/). The windows and the queue-depth trigger live in
 * one ScaledObject, and KEDA scales to the highest of them: the baseline is there before the peak,
 * queue depth adds replicas above it.
 *
 * @example
 * // At least 4 replicas 08:00-20:00 Berlin time on weekdays.
 * { minReplicas: 4, start: '0 8 * * 1-5', end: '0 20 * * 1-5', timeZone: 'Europe/Berlin' }
 */
export interface ScalingWindow {
  /** Replicas to hold at least while the window is open (`desiredReplicas`), at most `maxReplicas`. */
  readonly minReplicas: number;
  /** Cron expression (minute hour day-of-month month day-of-week) opening the window, for example `0 8 * * 1-5`. */
  readonly start: string;
  /** Cron expression closing the window, for example `0 20 * * 1-5`; not the same as `start`. */
  readonly end: string;
  /** IANA time zone of `start` and `end`, for example `Europe/Berlin` (daylight saving applies). */
  readonly timeZone: string;
}

/** Queue-depth autoscaling with KEDA. */
export interface ModelServerAutoscaling {
  /**
   * Most replicas.
   */
  readonly maxReplicas: number;
  /**
   * Waiting requests per replica KEDA aims for (`threshold` of the Prometheus trigger on the
   * engine's queue gauge: `vllm:num_requests_waiting`, `llamacpp:requests_deferred`).
   * @default 5 on a ModelServer; on a LlamaCppServer its `parallel` slots
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
   * Baseline windows (cron triggers) for load that comes at known times. Start replicas early
   * enough for the start-up budget: a window opening at 08:00 with a 25-minute model load serves
   * from about 08:25, so open it at `35 7 * * 1-5`.
   * @default - no baseline: queue depth only
   */
  readonly schedule?: ScalingWindow[];
  /**
   * Prometheus URL KEDA queries.
   * @default - `monitoring.prometheusUrl`, or the Managed Prometheus query URL with `MetricsCollection.managedPrometheus(...)`
   */
  readonly prometheusUrl?: string;
}

/**
 * Who may connect to a model server's pods. With the policy, the pods accept connections only
 * from the pods of their own namespace (a router or gateway deployed next to them), the
 * namespaces in `clientNamespaces` (a gateway, a router, callers), and, on the metrics port
 * only, the scraper: the monitoring stack's namespace (prometheus-operator) or `gmp-system`
 * (GKE Managed Prometheus). Kubelet probes are not affected: traffic from the pod's own node
 * is always allowed (Kubernetes "Network Policies"). Egress is not restricted: the pods
 * download weights from hubs and buckets and resolve DNS, whose addresses are not known at
 * synth time. A NetworkPolicy only takes effect with a network plugin that enforces it (EKS
 * VPC CNI with network policy enabled, GKE Dataplane V2, Calico, Cilium).
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export interface ModelServerNetworkPolicy {
  /**
   * Create the NetworkPolicy.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Namespaces whose pods may call the server's ports (gateway, router, clients).
   * @default - none besides the server's own namespace
   */
  readonly clientNamespaces?: string[];
  /**
   * Whether pods of the server's own namespace may call it.
   * @default true
   */
  readonly allowSameNamespace?: boolean;
  /**
   * IPv4 CIDR blocks whose connections may reach the server's API ports (`ipBlock` sources):
   * callers outside the cluster's pod network, such as the client addresses an NLB preserves.
   * An `InferencePool` behind GKE's managed gateway adds the region's proxy-only subnet and
   * Google's health-check ranges itself (see {@link ModelServer.allowIngressFromCidrs}).
   * @default - none
   */
  readonly clientCidrs?: string[];
}
