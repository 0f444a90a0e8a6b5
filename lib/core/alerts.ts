import { ValidationError } from './errors';
import { Validate } from './validation';

/** Alert severity, rendered as the `severity` label. */
export enum AlertSeverity {
  /** Page someone. */
  CRITICAL = 'critical',
  /** Look at it during working hours. */
  WARNING = 'warning',
  /** Cost or efficiency signal; no action needed now. */
  INFO = 'info',
}

/** The rule groups. */
export enum AlertGroup {
  /** vLLM serving: latency, errors, queue, KV cache, throughput. */
  LLM_SERVING = 'llm-serving',
  /** GPU health and efficiency from DCGM. */
  GPU = 'gpu',
  /** Kueue admission and JobSet failures. */
  TRAINING = 'training',
  /**
   * The inference gateway: endpoint pickers (llm-d-router EPP metrics, `llm_d_epp_*`), pools
   * and the gateway's Envoy (`istio_requests_total`).
   */
  INFERENCE_GATEWAY = 'inference-gateway',
  /**
   * GPU failure remediation: nodes NVIDIA NVSentinel quarantined (its `fault_quarantine_*`
   * metrics) and the fatal-fault node conditions it sets (kube-state-metrics
   * `kube_node_status_condition`).
   */
  GPU_REMEDIATION = 'gpu-remediation',
}

/** What an expression template receives when a backend renders it. */
export interface AlertExpressionContext {
  /** The rule's threshold after overrides. */
  readonly threshold: number;
  /**
   * Label matchers for the rule's metrics, with braces, for example `{namespace="llm"}`, or
   * `''` when there are none. `extra` matchers are added inside the braces.
   */
  sel(...extra: string[]): string;
  /** The metric name as the backend stores it (Managed Prometheus and AMP keep Prometheus names). */
  metric(name: string): string;
}

/** An alert rule defined once, rendered by each backend. */
export interface AlertRuleDefinition {
  /** Alert name, PascalCase, stable: it is the `alert` of the rendered rule. */
  readonly name: string;
  /** Group. */
  readonly group: AlertGroup;
  /** Default threshold. */
  readonly threshold: number;
  /** Unit of the threshold, for docs (`s`, `ratio`, `%`, `requests`, `°C`, ...). */
  readonly unit: string;
  /** How long the condition must hold before the alert fires, seconds (0: at once). */
  readonly forSeconds: number;
  /** Default severity. */
  readonly severity: AlertSeverity;
  /** One line, shown in notifications. May use `{{ $labels.x }}` and `{{ $value }}`. */
  readonly summary: string;
  /** What it means and what to do first. */
  readonly runbook: string;
  /** Metrics the rule reads, so a backend can say what must be collected. */
  readonly metrics: string[];
  /** PromQL expression template. */
  readonly expr: (ctx: AlertExpressionContext) => string;
}

/** An override of one rule. */
export interface AlertRuleOverride {
  /**
   * New threshold.
   * @default - the rule's default
   */
  readonly threshold?: number;
  /**
   * New `for` duration, seconds.
   * @default - the rule's default
   */
  readonly forSeconds?: number;
  /**
   * New severity.
   * @default - the rule's default
   */
  readonly severity?: AlertSeverity;
  /**
   * Set false to drop the rule.
   * @default true
   */
  readonly enabled?: boolean;
}

/** Options of {@link AlertRuleSet.defaults}. */
export interface AlertRuleSetOptions {
  /**
   * Per-rule overrides, keyed by alert name.
   * @default - none
   */
  readonly overrides?: Record<string, AlertRuleOverride>;
  /**
   * Groups to include.
   * @default - all groups
   */
  readonly groups?: AlertGroup[];
  /**
   * Extra label matchers on the LLM-serving metrics, for example `['namespace="llm"']`, so the
   * rules read only the engine's metrics (not a router's re-exported ones).
   * @default - none
   */
  readonly servingMatchers?: string[];
  /**
   * Extra label matchers on the DCGM metrics.
   * @default - none
   */
  readonly gpuMatchers?: string[];
  /**
   * Extra label matchers on the inference-gateway metrics (endpoint picker and gateway), for
   * example `['namespace="llm"']`.
   * @default - none
   */
  readonly gatewayMatchers?: string[];
  /**
   * Regular expression matching the pod names of model servers. GPUs used by vLLM are
   * pre-allocated to `gpu_memory_utilization` (0.9 by default) by design, so the GPU-memory
   * rule uses a separate, higher threshold for them.
   * @default SERVING_POD_PATTERN
   */
  readonly servingPodPattern?: string;
}

/**
 * Pod names of model servers created by this library's Kubernetes layer
 * (`<name>-vllm-...` and `<name>-triton-...`).
 */
export const SERVING_POD_PATTERN = '.+-(vllm|triton)-.+';

/** A rule after overrides: what backends render. */
export interface ResolvedAlertRule {
  /** Alert name. */
  readonly name: string;
  /** Group. */
  readonly group: AlertGroup;
  /** The rendered PromQL expression. */
  readonly expr: string;
  /** Threshold after overrides. */
  readonly threshold: number;
  /** Unit of the threshold. */
  readonly unit: string;
  /** `for` duration after overrides, seconds. */
  readonly forSeconds: number;
  /** `for` as a Prometheus duration, for example `10m` (`0s` when immediate). */
  readonly for: string;
  /** Severity after overrides. */
  readonly severity: AlertSeverity;
  /** Notification summary (Prometheus template syntax). */
  readonly summary: string;
  /** What it means and what to do first. */
  readonly runbook: string;
  /** Metrics the expression reads. */
  readonly metrics: string[];
}

/** A Prometheus rule group, the shape of PrometheusRule `spec.groups[]` and AMP rule files. */
export interface PrometheusRuleGroup {
  /** Group name. */
  readonly name: string;
  /** The alerting rules. */
  readonly rules: PrometheusAlertingRule[];
}

/** A Prometheus alerting rule. */
export interface PrometheusAlertingRule {
  /** Alert name. */
  readonly alert: string;
  /** PromQL expression. */
  readonly expr: string;
  /** How long the condition must hold; absent fires at once. */
  readonly for?: string;
  /** Labels (`severity` and any extra labels). */
  readonly labels: Record<string, string>;
  /** `summary` and `runbook`. */
  readonly annotations: Record<string, string>;
}

/**
 * The node conditions NVSentinel's platform connector sets on a fatal fault, as a regular
 * expression over the condition type. The type is the health check's name (kernel-log checks
 * `SysLogsXIDError`, `SysLogsSXIDError`, `SysLogsGPUFallenOff`; DCGM watches `GpuMemWatch`,
 * `GpuNvlinkWatch`, `GpuThermalWatch`, `GpuPowerWatch`, `GpuInforomWatch`, ...), and only fatal
 * events become conditions, non-fatal ones Kubernetes events
 * (`platform-connectors/pkg/connectors/kubernetes/process_node_events.go` at NVSentinel 26d39eb).
 */
export const NVSENTINEL_FATAL_CONDITION_PATTERN = 'SysLogs.+|Gpu.+Watch';

const XID_CRITICAL = ['48', '63', '64', '74', '79', '94', '95', '119', '120'];
const HOST = 'Hostname, hostname, gpu';

/**
 * The library's alert rules: LLM serving (vLLM V1 metric names) and GPU health (DCGM), with
 * default thresholds from `reference/kubernetes.md` §11. Defined once here; the Kubernetes
 * monitoring stack renders them as PrometheusRules, AWS as Amazon Managed Prometheus rule
 * groups and Google Cloud as Cloud Monitoring PromQL alert policies.
 *
 * Thresholds are starting points, not SLOs: override them per rule.
 */
export const ALERT_RULES: readonly AlertRuleDefinition[] = [
  {
    name: 'LLMTTFTp99High',
    group: AlertGroup.LLM_SERVING,
    threshold: 2,
    unit: 's',
    forSeconds: 600,
    severity: AlertSeverity.WARNING,
    summary: 'p99 time to first token of {{ $labels.model_name }} is {{ $value | humanizeDuration }}',
    runbook:
      'Requests wait for prefill. Check queue depth (vllm:num_requests_waiting) and KV-cache usage; scale out, or lower max-num-seqs. Batch workloads may accept 10-30 s: raise the threshold.',
    metrics: ['vllm:time_to_first_token_seconds_bucket'],
    expr: (c) =>
      `histogram_quantile(0.99, sum by (le, namespace, model_name) (rate(${c.metric('vllm:time_to_first_token_seconds_bucket')}${c.sel()}[5m]))) > ${c.threshold}`,
  },
  {
    name: 'LLMTTFTp50High',
    group: AlertGroup.LLM_SERVING,
    threshold: 0.5,
    unit: 's',
    forSeconds: 900,
    severity: AlertSeverity.INFO,
    summary: 'median time to first token of {{ $labels.model_name }} is {{ $value | humanizeDuration }}',
    runbook:
      'The typical request is slow to start, not only the tail: the service is under-provisioned or prompts grew. Compare with queue depth.',
    metrics: ['vllm:time_to_first_token_seconds_bucket'],
    expr: (c) =>
      `histogram_quantile(0.5, sum by (le, namespace, model_name) (rate(${c.metric('vllm:time_to_first_token_seconds_bucket')}${c.sel()}[5m]))) > ${c.threshold}`,
  },
  {
    name: 'LLMITLp99High',
    group: AlertGroup.LLM_SERVING,
    threshold: 0.15,
    unit: 's',
    forSeconds: 600,
    severity: AlertSeverity.WARNING,
    summary: 'p99 inter-token latency of {{ $labels.model_name }} is {{ $value | humanizeDuration }}',
    runbook:
      'Streaming is choppy: decode batches are too large or GPUs are throttling. Check GPU temperature and utilisation, and max-num-seqs.',
    metrics: ['vllm:inter_token_latency_seconds_bucket'],
    expr: (c) =>
      `histogram_quantile(0.99, sum by (le, namespace, model_name) (rate(${c.metric('vllm:inter_token_latency_seconds_bucket')}${c.sel()}[5m]))) > ${c.threshold}`,
  },
  {
    name: 'LLME2ELatencyp99High',
    group: AlertGroup.LLM_SERVING,
    threshold: 60,
    unit: 's',
    forSeconds: 600,
    severity: AlertSeverity.WARNING,
    summary: 'p99 end-to-end latency of {{ $labels.model_name }} is {{ $value | humanizeDuration }}',
    runbook:
      'Whole requests are slow: look at TTFT (queueing) versus inter-token latency (decode) to tell which.',
    metrics: ['vllm:e2e_request_latency_seconds_bucket'],
    expr: (c) =>
      `histogram_quantile(0.99, sum by (le, namespace, model_name) (rate(${c.metric('vllm:e2e_request_latency_seconds_bucket')}${c.sel()}[5m]))) > ${c.threshold}`,
  },
  {
    name: 'LLME2ELatencyp50High',
    group: AlertGroup.LLM_SERVING,
    threshold: 20,
    unit: 's',
    forSeconds: 900,
    severity: AlertSeverity.INFO,
    summary: 'median end-to-end latency of {{ $labels.model_name }} is {{ $value | humanizeDuration }}',
    runbook:
      'The typical request takes long. Output lengths may have grown (vllm:request_generation_tokens) or the service is saturated.',
    metrics: ['vllm:e2e_request_latency_seconds_bucket'],
    expr: (c) =>
      `histogram_quantile(0.5, sum by (le, namespace, model_name) (rate(${c.metric('vllm:e2e_request_latency_seconds_bucket')}${c.sel()}[5m]))) > ${c.threshold}`,
  },
  {
    name: 'LLMHTTP5xxRatioHigh',
    group: AlertGroup.LLM_SERVING,
    threshold: 0.01,
    unit: 'ratio',
    forSeconds: 300,
    severity: AlertSeverity.CRITICAL,
    summary: '{{ $value | humanizePercentage }} of requests in {{ $labels.namespace }} fail with 5xx',
    runbook:
      'The engine is failing requests. Check pod logs for EngineDeadError / CUDA OOM and the GPU XID alerts; roll back a recent model or image change.',
    metrics: ['http_requests_total'],
    expr: (c) =>
      `sum by (namespace) (rate(${c.metric('http_requests_total')}${c.sel('handler=~"/v1/.*"', 'status="5xx"')}[5m])) / ` +
      `clamp_min(sum by (namespace) (rate(${c.metric('http_requests_total')}${c.sel('handler=~"/v1/.*"')}[5m])), 1e-9) > ${c.threshold}`,
  },
  {
    name: 'LLMQueueBacklog',
    group: AlertGroup.LLM_SERVING,
    threshold: 10,
    unit: 'requests',
    forSeconds: 600,
    severity: AlertSeverity.WARNING,
    summary: '{{ $value }} requests waiting per replica of {{ $labels.model_name }}',
    runbook:
      'Set above the autoscaler target: it fires when scaling cannot keep up (max replicas reached, or no GPU capacity). Check pending pods and node-pool limits.',
    metrics: ['vllm:num_requests_waiting'],
    expr: (c) =>
      `avg by (namespace, model_name) (${c.metric('vllm:num_requests_waiting')}${c.sel()}) > ${c.threshold}`,
  },
  {
    name: 'LLMKVCacheSaturated',
    group: AlertGroup.LLM_SERVING,
    threshold: 0.95,
    unit: 'ratio',
    forSeconds: 600,
    severity: AlertSeverity.WARNING,
    summary: 'KV cache of {{ $labels.pod }} is {{ $value | humanizePercentage }} full',
    runbook:
      'Requests are being preempted or queued for KV space. Scale out, lower max-model-len, or use an FP8 KV cache.',
    metrics: ['vllm:kv_cache_usage_perc'],
    expr: (c) =>
      `max by (namespace, pod, model_name) (${c.metric('vllm:kv_cache_usage_perc')}${c.sel()}) > ${c.threshold}`,
  },
  {
    name: 'LLMPreemptions',
    group: AlertGroup.LLM_SERVING,
    threshold: 0.1,
    unit: 'per second',
    forSeconds: 600,
    severity: AlertSeverity.WARNING,
    summary: '{{ $labels.pod }} preempts {{ $value }} sequences per second',
    runbook:
      'The KV cache is too small for the concurrency: sequences are evicted and recomputed. Scale out or reduce max-num-seqs.',
    metrics: ['vllm:num_preemptions_total'],
    expr: (c) =>
      `sum by (namespace, pod) (rate(${c.metric('vllm:num_preemptions_total')}${c.sel()}[5m])) > ${c.threshold}`,
  },
  {
    name: 'LLMGenerationStalled',
    group: AlertGroup.LLM_SERVING,
    threshold: 0,
    unit: 'tokens per second',
    forSeconds: 300,
    severity: AlertSeverity.CRITICAL,
    summary: '{{ $labels.pod }} has running requests but produces no tokens',
    runbook:
      'The engine is hung (NCCL deadlock, dead GPU). Check XID alerts and pod logs; delete the pod to recover.',
    metrics: ['vllm:generation_tokens_total', 'vllm:num_requests_running'],
    expr: (c) =>
      `sum by (namespace, pod) (rate(${c.metric('vllm:generation_tokens_total')}${c.sel()}[5m])) <= ${c.threshold} ` +
      `and sum by (namespace, pod) (${c.metric('vllm:num_requests_running')}${c.sel()}) > 0`,
  },
  {
    name: 'LLMThroughputDrop',
    group: AlertGroup.LLM_SERVING,
    threshold: 0.5,
    unit: 'ratio to a day ago',
    forSeconds: 1800,
    severity: AlertSeverity.INFO,
    summary: 'tokens per second of {{ $labels.model_name }} fell below half of the same time yesterday',
    runbook:
      'Traffic or efficiency changed. Compare request rate with tokens per request; check for GPU throttling.',
    metrics: ['vllm:generation_tokens_total'],
    expr: (c) =>
      `sum by (namespace, model_name) (rate(${c.metric('vllm:generation_tokens_total')}${c.sel()}[15m])) < ${c.threshold} * ` +
      `sum by (namespace, model_name) (rate(${c.metric('vllm:generation_tokens_total')}${c.sel()}[15m] offset 1d))`,
  },
  {
    name: 'LLMTargetDown',
    group: AlertGroup.LLM_SERVING,
    threshold: 0,
    unit: 'targets up',
    forSeconds: 180,
    severity: AlertSeverity.CRITICAL,
    summary: 'model server target {{ $labels.instance }} ({{ $labels.job }}) is down',
    runbook:
      'Prometheus cannot scrape a model server: the pod is crash-looping, still loading weights past its start-up budget, or the node is gone. Check the pod events and logs.',
    metrics: ['up'],
    expr: (c) => `${c.metric('up')}${c.sel('job=~".*(vllm|triton).*"')} == ${c.threshold}`,
  },
  {
    name: 'GPUIdleWhileAllocated',
    group: AlertGroup.GPU,
    threshold: 5,
    unit: '%',
    forSeconds: 3600,
    severity: AlertSeverity.INFO,
    summary: 'GPU {{ $labels.gpu }} of pod {{ $labels.pod }} is {{ $value }}% busy',
    runbook:
      'An expensive GPU is allocated to a pod that does not use it. Scale the workload down or let the pool scale to zero.',
    metrics: ['DCGM_FI_DEV_GPU_UTIL'],
    expr: (c) =>
      `avg_over_time(${c.metric('DCGM_FI_DEV_GPU_UTIL')}${c.sel('pod!=""')}[30m]) < ${c.threshold}`,
  },
  {
    name: 'GPUSaturated',
    group: AlertGroup.GPU,
    threshold: 95,
    unit: '%',
    forSeconds: 1800,
    severity: AlertSeverity.INFO,
    summary: 'GPU {{ $labels.gpu }} on {{ $labels.Hostname }}{{ $labels.hostname }} is {{ $value }}% busy',
    runbook:
      'Sustained full utilisation: fine for training, a capacity signal for serving (add replicas before latency suffers).',
    metrics: ['DCGM_FI_DEV_GPU_UTIL'],
    expr: (c) => `avg_over_time(${c.metric('DCGM_FI_DEV_GPU_UTIL')}${c.sel()}[15m]) > ${c.threshold}`,
  },
  {
    name: 'GPUMemoryHigh',
    group: AlertGroup.GPU,
    threshold: 0.85,
    unit: 'ratio',
    forSeconds: 900,
    severity: AlertSeverity.WARNING,
    summary: 'GPU {{ $labels.gpu }} framebuffer is {{ $value | humanizePercentage }} used',
    runbook:
      'A non-serving workload is close to CUDA OOM. Reduce batch size or enable activation checkpointing. Model-server GPUs are excluded (see GPUMemoryHighServing).',
    metrics: ['DCGM_FI_DEV_FB_USED', 'DCGM_FI_DEV_FB_FREE'],
    expr: (c) => {
      const s = c.sel('pod!~"__SERVING__"');
      return `${c.metric('DCGM_FI_DEV_FB_USED')}${s} / (${c.metric('DCGM_FI_DEV_FB_USED')}${s} + ${c.metric('DCGM_FI_DEV_FB_FREE')}${s}) > ${c.threshold}`;
    },
  },
  {
    name: 'GPUMemoryHighServing',
    group: AlertGroup.GPU,
    threshold: 0.97,
    unit: 'ratio',
    forSeconds: 900,
    severity: AlertSeverity.WARNING,
    summary:
      'model-server GPU {{ $labels.gpu }} of {{ $labels.pod }} is {{ $value | humanizePercentage }} used',
    runbook:
      'vLLM pre-allocates gpu_memory_utilization (0.9 by default) of every GPU by design; above that threshold something else shares the GPU or memory leaks. Restart the pod; do not share model-server GPUs.',
    metrics: ['DCGM_FI_DEV_FB_USED', 'DCGM_FI_DEV_FB_FREE'],
    expr: (c) => {
      const s = c.sel('pod=~"__SERVING__"');
      return `${c.metric('DCGM_FI_DEV_FB_USED')}${s} / (${c.metric('DCGM_FI_DEV_FB_USED')}${s} + ${c.metric('DCGM_FI_DEV_FB_FREE')}${s}) > ${c.threshold}`;
    },
  },
  {
    name: 'GPUXidError',
    group: AlertGroup.GPU,
    threshold: 0,
    unit: 'errors',
    forSeconds: 0,
    severity: AlertSeverity.WARNING,
    summary: 'GPU {{ $labels.gpu }} on {{ $labels.Hostname }}{{ $labels.hostname }} reported an XID error',
    runbook:
      "Look up the XID in NVIDIA's XID catalogue. Counts come from DCGM_EXP_XID_ERRORS_COUNT (enable it in the dcgm-exporter CSV); DCGM_FI_DEV_XID_ERRORS only holds the last XID, so its changes are the fallback.",
    metrics: ['DCGM_EXP_XID_ERRORS_COUNT', 'DCGM_FI_DEV_XID_ERRORS'],
    expr: (c) =>
      `(sum by (${HOST}) (max_over_time(${c.metric('DCGM_EXP_XID_ERRORS_COUNT')}${c.sel()}[10m])) > ${c.threshold}) ` +
      `or (max by (${HOST}) (changes(${c.metric('DCGM_FI_DEV_XID_ERRORS')}${c.sel()}[10m])) > ${c.threshold})`,
  },
  {
    name: 'GPUXidCritical',
    group: AlertGroup.GPU,
    threshold: 0,
    unit: 'errors',
    forSeconds: 0,
    severity: AlertSeverity.CRITICAL,
    summary: 'GPU {{ $labels.gpu }} on {{ $labels.Hostname }}{{ $labels.hostname }} reported a critical XID',
    runbook: `XIDs ${XID_CRITICAL.join(', ')} usually mean a hardware fault (double-bit ECC, row remapping, NVLink, GPU fell off the bus, GSP); the list is unverified against NVIDIA's catalogue. Cordon and drain the node, then replace it.`,
    metrics: ['DCGM_EXP_XID_ERRORS_COUNT', 'DCGM_FI_DEV_XID_ERRORS'],
    expr: (c) =>
      `(sum by (${HOST}, xid) (max_over_time(${c.metric('DCGM_EXP_XID_ERRORS_COUNT')}${c.sel(`xid=~"${XID_CRITICAL.join('|')}"`)}[10m])) > ${c.threshold})` +
      XID_CRITICAL.map((x) => ` or (${c.metric('DCGM_FI_DEV_XID_ERRORS')}${c.sel()} == ${x})`).join(''),
  },
  {
    name: 'GPURowRemapFailure',
    group: AlertGroup.GPU,
    threshold: 0,
    unit: 'failures',
    forSeconds: 0,
    severity: AlertSeverity.CRITICAL,
    summary:
      'GPU {{ $labels.gpu }} on {{ $labels.Hostname }}{{ $labels.hostname }} failed to remap memory rows',
    runbook:
      'The GPU has uncorrectable memory errors it cannot remap. Drain the node and have the GPU replaced.',
    metrics: ['DCGM_FI_DEV_ROW_REMAP_FAILURE', 'DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS'],
    expr: (c) =>
      `${c.metric('DCGM_FI_DEV_ROW_REMAP_FAILURE')}${c.sel()} > ${c.threshold} or increase(${c.metric('DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS')}${c.sel()}[1h]) > ${c.threshold}`,
  },
  {
    name: 'GPUTemperatureHigh',
    group: AlertGroup.GPU,
    threshold: 85,
    unit: '°C',
    forSeconds: 300,
    severity: AlertSeverity.WARNING,
    summary: 'GPU {{ $labels.gpu }} on {{ $labels.Hostname }}{{ $labels.hostname }} is at {{ $value }} °C',
    runbook:
      "The GPU will throttle. Limits are SKU-dependent; check the node's cooling and power, and GPUThrottling.",
    metrics: ['DCGM_FI_DEV_GPU_TEMP'],
    expr: (c) => `${c.metric('DCGM_FI_DEV_GPU_TEMP')}${c.sel()} > ${c.threshold}`,
  },
  {
    name: 'GPUTemperatureCritical',
    group: AlertGroup.GPU,
    threshold: 90,
    unit: '°C',
    forSeconds: 300,
    severity: AlertSeverity.CRITICAL,
    summary: 'GPU {{ $labels.gpu }} on {{ $labels.Hostname }}{{ $labels.hostname }} is at {{ $value }} °C',
    runbook: 'Risk of thermal shutdown. Drain the node.',
    metrics: ['DCGM_FI_DEV_GPU_TEMP'],
    expr: (c) => `${c.metric('DCGM_FI_DEV_GPU_TEMP')}${c.sel()} > ${c.threshold}`,
  },
  {
    name: 'GPUMemoryTemperatureHigh',
    group: AlertGroup.GPU,
    threshold: 95,
    unit: '°C',
    forSeconds: 300,
    severity: AlertSeverity.WARNING,
    summary: 'HBM of GPU {{ $labels.gpu }} is at {{ $value }} °C',
    runbook: 'HBM GPUs only (H100, H200, A100); GDDR GPUs report a sentinel value that the rule filters out.',
    metrics: ['DCGM_FI_DEV_MEMORY_TEMP'],
    expr: (c) => `(${c.metric('DCGM_FI_DEV_MEMORY_TEMP')}${c.sel()} < 1000) > ${c.threshold}`,
  },
  {
    name: 'GPUThrottling',
    group: AlertGroup.GPU,
    threshold: 0,
    unit: 'ns/s',
    forSeconds: 600,
    severity: AlertSeverity.WARNING,
    summary: 'GPU {{ $labels.gpu }} on {{ $labels.Hostname }}{{ $labels.hostname }} is thermally throttled',
    runbook:
      'Needs the *_VIOLATION counters in the dcgm-exporter CSV. Throttling lowers throughput across a whole training gang.',
    metrics: ['DCGM_FI_DEV_THERMAL_VIOLATION'],
    expr: (c) => `rate(${c.metric('DCGM_FI_DEV_THERMAL_VIOLATION')}${c.sel()}[5m]) > ${c.threshold}`,
  },
  {
    name: 'DCGMExporterDown',
    group: AlertGroup.GPU,
    threshold: 0,
    unit: 'targets up',
    forSeconds: 300,
    severity: AlertSeverity.WARNING,
    summary: 'dcgm-exporter target {{ $labels.instance }} is down',
    runbook:
      'No GPU metrics from this node: every GPU alert is blind there. Check the exporter pod and its ServiceMonitor.',
    metrics: ['up'],
    expr: (c) => `${c.metric('up')}{job=~".*dcgm.*"} == ${c.threshold}`,
  },
  {
    name: 'KueueWorkloadsPendingLong',
    group: AlertGroup.TRAINING,
    threshold: 0,
    unit: 'workloads',
    forSeconds: 1800,
    severity: AlertSeverity.WARNING,
    summary: '{{ $value }} inadmissible workloads in cluster queue {{ $labels.cluster_queue }}',
    runbook:
      'Jobs cannot be admitted: the quota or the flavor does not fit them. Check the ClusterQueue status and the GPU quota.',
    metrics: ['kueue_pending_workloads'],
    expr: (c) =>
      `sum by (cluster_queue) (${c.metric('kueue_pending_workloads')}{status="inadmissible"}) > ${c.threshold}`,
  },
  {
    name: 'JobSetFailed',
    group: AlertGroup.TRAINING,
    threshold: 0,
    unit: 'failures',
    forSeconds: 0,
    severity: AlertSeverity.WARNING,
    summary: 'a JobSet failed',
    runbook:
      'A training run exhausted its restarts. Check the JobSet status and the last pod logs; preemptions do not count against the budget.',
    metrics: ['jobset_failed_total'],
    expr: (c) => `increase(${c.metric('jobset_failed_total')}[15m]) > ${c.threshold}`,
  },
  {
    name: 'InferenceEndpointPickerDown',
    group: AlertGroup.INFERENCE_GATEWAY,
    threshold: 0,
    unit: 'targets up',
    forSeconds: 120,
    severity: AlertSeverity.CRITICAL,
    summary: 'endpoint picker {{ $labels.pod }} in {{ $labels.namespace }} is down',
    runbook:
      'The gateway cannot ask this picker where to send requests: with FailOpen the pool is routed without load awareness, with FailClose its requests fail. Check the picker pods (kubectl get pods -l llm-d-router-gateway), their logs and the leader lease; the other replica should take over.',
    metrics: ['up'],
    expr: (c) => `${c.metric('up')}${c.sel('container="epp"')} == ${c.threshold}`,
  },
  {
    name: 'InferencePoolNoReadyEndpoints',
    group: AlertGroup.INFERENCE_GATEWAY,
    threshold: 1,
    unit: 'ready endpoints',
    forSeconds: 600,
    severity: AlertSeverity.CRITICAL,
    summary: 'inference pool {{ $labels.name }} in {{ $labels.namespace }} has no ready endpoint',
    runbook:
      'No model-server pod of the pool is ready, so its share of the traffic fails or waits. Idle scale-to-zero pools are excluded while their flow-control queue is empty (until the picker has seen a request since it started). Check the Deployment, pending pods (GPU capacity) and the start-up probe budget.',
    metrics: ['llm_d_epp_ready_endpoints', 'llm_d_epp_flow_control_queue_size'],
    expr: (c) =>
      `(max by (namespace, name) (${c.metric('llm_d_epp_ready_endpoints')}${c.sel()}) < ${c.threshold}) ` +
      `unless on (namespace, name) (max by (namespace, name) (label_replace(${c.metric('llm_d_epp_flow_control_queue_size')}${c.sel()}, "name", "$1", "inference_pool", "(.+)")) == 0)`,
  },
  {
    name: 'InferenceGateway5xxRatioHigh',
    group: AlertGroup.INFERENCE_GATEWAY,
    threshold: 0.01,
    unit: 'ratio',
    forSeconds: 300,
    severity: AlertSeverity.CRITICAL,
    summary: '{{ $value | humanizePercentage }} of gateway responses in {{ $labels.namespace }} are 5xx',
    runbook:
      "Clients get server errors from the gateway's Envoy (Istio). 503 with no healthy upstream: the pool has no ready pods; 504: the route timeout is shorter than the model's answer or a scale-from-zero; 500 from the picker: see InferenceEndpointPickerDown. Compare with the engines' own 5xx (LLMHTTP5xxRatioHigh).",
    metrics: ['istio_requests_total'],
    expr: (c) =>
      `sum by (namespace) (rate(${c.metric('istio_requests_total')}${c.sel('container="istio-proxy"', 'response_code=~"5.."')}[5m])) / ` +
      `clamp_min(sum by (namespace) (rate(${c.metric('istio_requests_total')}${c.sel('container="istio-proxy"')}[5m])), 1e-9) > ${c.threshold}`,
  },
  {
    name: 'InferenceRequestErrorRatioHigh',
    group: AlertGroup.INFERENCE_GATEWAY,
    threshold: 0.01,
    unit: 'ratio',
    forSeconds: 300,
    severity: AlertSeverity.WARNING,
    summary:
      '{{ $value | humanizePercentage }} of requests for {{ $labels.model_name }} fail in the endpoint picker',
    runbook:
      'The picker rejects or cannot schedule requests (error_code tells why: no capacity, queue TTL exceeded, unknown model). Works on every gateway implementation, GKE included.',
    metrics: ['llm_d_epp_request_error_total', 'llm_d_epp_request_total'],
    expr: (c) =>
      `sum by (namespace, model_name) (rate(${c.metric('llm_d_epp_request_error_total')}${c.sel()}[5m])) / ` +
      `clamp_min(sum by (namespace, model_name) (rate(${c.metric('llm_d_epp_request_total')}${c.sel()}[5m])), 1e-9) > ${c.threshold}`,
  },
  {
    name: 'InferenceRequestQueueTimeHigh',
    group: AlertGroup.INFERENCE_GATEWAY,
    threshold: 30,
    unit: 's',
    forSeconds: 600,
    severity: AlertSeverity.WARNING,
    summary:
      'p99 time requests wait in the picker for pool {{ $labels.inference_pool }} is {{ $value | humanizeDuration }}',
    runbook:
      'Flow control holds requests because the pool is saturated or scaling from zero. Long waits for minutes mean scale-up is not keeping up: check the ScaledObject, pending pods and maxReplicas. Requests waiting longer than the flow-control TTL are shed.',
    metrics: ['llm_d_epp_flow_control_request_queue_duration_seconds_bucket'],
    expr: (c) =>
      `histogram_quantile(0.99, sum by (le, namespace, inference_pool) (rate(${c.metric('llm_d_epp_flow_control_request_queue_duration_seconds_bucket')}${c.sel()}[5m]))) > ${c.threshold}`,
  },
  {
    name: 'GPUNodeQuarantined',
    group: AlertGroup.GPU_REMEDIATION,
    threshold: 0,
    unit: 'nodes',
    forSeconds: 0,
    severity: AlertSeverity.WARNING,
    summary: 'NVSentinel quarantined node {{ $labels.node }} after a fatal GPU fault',
    runbook:
      'The node is cordoned and its pods are being drained; training gangs restart from their newest checkpoint elsewhere. ' +
      'Read the fault from the node conditions (kubectl describe node) and let the cloud repair or replace the node; ' +
      'uncordon it only after a passing DCGM diagnostic (dcgmi diag -r 3).',
    // NVSentinel fault-quarantine `pkg/metrics/metrics.go` at 26d39eb (`node` label, 1 while quarantined).
    metrics: ['fault_quarantine_current_quarantined_nodes'],
    expr: (c) =>
      `max by (node) (${c.metric('fault_quarantine_current_quarantined_nodes')}${c.sel()}) > ${c.threshold}`,
  },
  {
    name: 'NVSentinelQuarantineBreakerTripped',
    group: AlertGroup.GPU_REMEDIATION,
    threshold: 0,
    unit: 'tripped',
    forSeconds: 0,
    severity: AlertSeverity.CRITICAL,
    summary: 'NVSentinel stopped quarantining nodes: its circuit breaker tripped',
    runbook:
      'Too many nodes were cordoned in a short time (by default half of them within five minutes), so fault quarantine ' +
      'stops acting. That is a cluster-wide cause (driver or firmware rollout, fabric outage) or a false-positive storm: ' +
      'find it before resetting the breaker (NVSentinel circuit-breaker runbook).',
    // NVSentinel fault-quarantine `pkg/breaker/breaker.go` at 26d39eb: state CLOSED or TRIPPED, set to 1.
    metrics: ['fault_quarantine_breaker_state'],
    expr: (c) =>
      `max(${c.metric('fault_quarantine_breaker_state')}${c.sel('state="TRIPPED"')}) > ${c.threshold}`,
  },
  {
    name: 'GPUNodeFaultCondition',
    group: AlertGroup.GPU_REMEDIATION,
    threshold: 0,
    unit: 'conditions',
    forSeconds: 0,
    severity: AlertSeverity.WARNING,
    summary: 'node {{ $labels.node }} reports the fatal GPU fault {{ $labels.condition }}',
    runbook:
      'NVSentinel set a fatal-fault node condition (XID or SXID from the kernel log, or a DCGM memory, NVLink, thermal, power ' +
      'or InfoROM watch). Unless dry-run is on, the node is quarantined too; the condition message names the GPU and the ' +
      'recommended action.',
    metrics: ['kube_node_status_condition'],
    expr: (c) =>
      `max by (node, condition) (${c.metric('kube_node_status_condition')}${c.sel(`condition=~"${NVSENTINEL_FATAL_CONDITION_PATTERN}"`, 'status="true"')}) > ${c.threshold}`,
  },
];

/**
 * The alert rules with overrides applied, ready for a backend to render.
 *
 * @example
 * const rules = AlertRuleSet.defaults({
 *   overrides: { LLMTTFTp99High: { threshold: 5 }, GPUSaturated: { enabled: false } },
 *   servingMatchers: ['namespace="llm"'],
 * });
 * rules.toPrometheusRuleGroups();
 */
export class AlertRuleSet {
  /** The library's rules with `options` applied. */
  public static defaults(options: AlertRuleSetOptions = {}): AlertRuleSet {
    return new AlertRuleSet(options);
  }

  /** The options this set was made with. */
  public readonly options: AlertRuleSetOptions;
  private readonly definitions: AlertRuleDefinition[];

  private constructor(options: AlertRuleSetOptions) {
    options = options ?? {};
    Validate.object(undefined, 'alertRules', options);
    this.options = options;
    const known = new Set(ALERT_RULES.map((r) => r.name));
    for (const [prop, list] of [
      ['servingMatchers', options.servingMatchers],
      ['gpuMatchers', options.gpuMatchers],
      ['gatewayMatchers', options.gatewayMatchers],
    ] as const) {
      if (list === undefined) continue;
      // Each becomes one element of a PromQL selector `{a="b", ...}`: it must be a whole matcher.
      Validate.array<string>(undefined, prop, list).forEach((m, i) =>
        Validate.promqlMatcher(undefined, `${prop}[${i}]`, m),
      );
    }
    if (options.servingPodPattern !== undefined) {
      Validate.string(undefined, 'servingPodPattern', options.servingPodPattern);
      // It is written into `pod=~"<pattern>"`: that matcher must parse, with an RE2-valid regex.
      Validate.promqlMatcher(undefined, 'servingPodPattern', `pod=~"${options.servingPodPattern}"`);
    }
    if (options.groups !== undefined) {
      Validate.array<string>(undefined, 'groups', options.groups).forEach((g, i) =>
        Validate.oneOf(undefined, `groups[${i}]`, g, Object.values(AlertGroup)),
      );
    }
    if (options.overrides !== undefined) Validate.object(undefined, 'overrides', options.overrides);
    for (const [name, o] of Object.entries(options.overrides ?? {})) {
      Validate.object(undefined, `overrides.${name}`, o);
      if (o.threshold !== undefined) {
        // Written into PromQL and Cloud Monitoring as a plain decimal: bounded so it never
        // takes an exponent form.
        Validate.number(undefined, `overrides.${name}.threshold`, o.threshold, { min: -1e15, max: 1e15 });
      }
      if (o.forSeconds !== undefined) {
        Validate.integer(undefined, `overrides.${name}.forSeconds`, o.forSeconds, {
          min: 0,
          max: 31536000,
          reason: 'at most a year',
        });
      }
      if (o.severity !== undefined) {
        Validate.oneOf(undefined, `overrides.${name}.severity`, o.severity, Object.values(AlertSeverity));
      }
      if (o.enabled !== undefined) Validate.boolean(undefined, `overrides.${name}.enabled`, o.enabled);
      if (!known.has(name)) {
        throw new ValidationError(
          `'overrides' names unknown alert '${name}'. Known alerts: ${[...known].join(', ')}.`,
        );
      }
      if (o.threshold !== undefined && !Number.isFinite(o.threshold)) {
        throw new ValidationError(`'overrides.${name}.threshold' (${o.threshold}) must be a finite number.`);
      }
      if (o.forSeconds !== undefined && (!Number.isInteger(o.forSeconds) || o.forSeconds < 0)) {
        throw new ValidationError(
          `'overrides.${name}.forSeconds' (${o.forSeconds}) must be an integer >= 0.`,
        );
      }
    }
    const groups = options.groups ?? Object.values(AlertGroup);
    this.definitions = ALERT_RULES.filter(
      (r) => groups.includes(r.group) && options.overrides?.[r.name]?.enabled !== false,
    );
  }

  /**
   * The resolved rules.
   * @param metric how the backend names a Prometheus metric (identity by default)
   */
  public rules(metric: (name: string) => string = (n) => n): ResolvedAlertRule[] {
    const servingPod = this.options.servingPodPattern ?? SERVING_POD_PATTERN;
    return this.definitions.map((d) => {
      const o = this.options.overrides?.[d.name] ?? {};
      const threshold = o.threshold ?? d.threshold;
      const forSeconds = o.forSeconds ?? d.forSeconds;
      const base =
        d.group === AlertGroup.LLM_SERVING
          ? (this.options.servingMatchers ?? [])
          : d.group === AlertGroup.GPU
            ? (this.options.gpuMatchers ?? [])
            : d.group === AlertGroup.INFERENCE_GATEWAY
              ? (this.options.gatewayMatchers ?? [])
              : [];
      const ctx: AlertExpressionContext = {
        threshold,
        metric,
        sel: (...extra: string[]) => {
          const all = [...base, ...extra];
          return all.length ? `{${all.join(', ')}}` : '';
        },
      };
      return {
        name: d.name,
        group: d.group,
        expr: d.expr(ctx).split('__SERVING__').join(servingPod),
        threshold,
        unit: d.unit,
        forSeconds,
        for: promDuration(forSeconds),
        severity: o.severity ?? d.severity,
        summary: d.summary,
        runbook: d.runbook,
        metrics: d.metrics,
      };
    });
  }

  /**
   * Prometheus rule groups (PrometheusRule `spec.groups`, AMP rule-group files).
   * @param extraLabels labels added to every alert, for example `{ team: 'ml-platform' }`
   */
  public toPrometheusRuleGroups(extraLabels: Record<string, string> = {}): PrometheusRuleGroup[] {
    const byGroup = new Map<string, PrometheusAlertingRule[]>();
    for (const r of this.rules()) {
      const list = byGroup.get(r.group) ?? [];
      list.push({
        alert: r.name,
        expr: r.expr,
        ...(r.forSeconds > 0 ? { for: r.for } : {}),
        labels: { severity: r.severity, ...extraLabels },
        annotations: { summary: r.summary, runbook: r.runbook },
      });
      byGroup.set(r.group, list);
    }
    return [...byGroup.entries()].map(([name, rules]) => ({ name, rules }));
  }
}

/** Seconds as a Prometheus duration: `90` -> `90s`, `600` -> `10m`, `3600` -> `1h`. */
export function promDuration(seconds: number): string {
  if (seconds === 0) {
    return '0s';
  }
  if (seconds % 3600 === 0) {
    return `${seconds / 3600}h`;
  }
  if (seconds % 60 === 0) {
    return `${seconds / 60}m`;
  }
  return `${seconds}s`;
}
