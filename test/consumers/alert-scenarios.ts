import type { ResolvedAlertRule } from '../../lib/core';

/**
 * Input series for `promtool test rules`, per core alert rule, as functions of the value the
 * rule compares with its threshold. The test (prometheus-tools.test.ts) reads each rule's
 * threshold, `for` and expression from the core rule table and asserts, with promtool's own
 * rule engine, that the alert fires for a value just past the threshold (after `for`, not
 * before) and stays quiet for a value just short of it.
 */

/** One input series of a promtool unit test. */
export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

/** How to drive one rule across its threshold. */
export interface AlertScenario {
  /** Input series where the rule's compared value is `v`. */
  readonly series: (v: number, rule: ResolvedAlertRule) => InputSeries[];
  /** A value just past the threshold, on the firing side. */
  readonly fire: (threshold: number) => number;
  /** A value just short of the threshold, on the quiet side. */
  readonly quiet: (threshold: number) => number;
  /** Labels of the resulting alert besides `alertname` and the rule's own labels. */
  readonly labels: Record<string, string>;
  /** Sample interval. @default '1m' */
  readonly interval?: string;
  /** Minutes from 0 to the evaluation (after ranges fill and `for` passes). @default for + 30 */
  readonly evalMinutes?: (rule: ResolvedAlertRule) => number;
}

/** Enough samples for every evaluation (minutes at a 1m interval). */
const N = 300;
const fmt = (x: number) => Number(x.toPrecision(12)).toString();
/** A gauge held at `v`. */
const gauge = (series: string, v: number): InputSeries => ({ series, values: `${fmt(v)}+0x${N}` });
/** A counter growing by `perSecond` (at a 1m interval). */
const counter = (series: string, perSecond: number): InputSeries => ({
  series,
  values: `0+${fmt(perSecond * 60)}x${N}`,
});

const above = (t: number) => (t === 0 ? 1 : t * 1.02);
const below = (t: number) => t * 0.98;
const plusOne = (t: number) => t + 1;
const same = (t: number) => t;

const SERVING = { namespace: 'llm', model_name: 'llama-3.1-8b' };
const GPU = 'gpu="0", Hostname="gpu-node-1", UUID="GPU-0"';

/** Series of a histogram whose `q`-quantile (read from the expression) is `v`. */
function histogram(metric: string) {
  return (v: number, rule: ResolvedAlertRule): InputSeries[] => {
    const q = Number(/histogram_quantile\((0\.\d+)/.exec(rule.expr)?.[1]);
    // All observations in the first bucket (0, le]: the q-quantile interpolates to le * q.
    const le = fmt(v / q);
    const labels = `namespace="llm", model_name="llama-3.1-8b", pod="llama-vllm-0"`;
    return [counter(`${metric}{${labels}, le="${le}"}`, 1), counter(`${metric}{${labels}, le="+Inf"}`, 1)];
  };
}

/** GPU framebuffer series with a used ratio of `v` for a pod named `pod`. */
function framebuffer(pod: string) {
  return (v: number): InputSeries[] => {
    const used = Math.round(v * 10000);
    return [
      gauge(`DCGM_FI_DEV_FB_USED{${GPU}, pod="${pod}"}`, used),
      gauge(`DCGM_FI_DEV_FB_FREE{${GPU}, pod="${pod}"}`, 10000 - used),
    ];
  };
}

/** The scenario of every core alert rule, by alert name. */
export const ALERT_SCENARIOS: Record<string, AlertScenario> = {
  LLMTTFTp99High: {
    series: histogram('vllm:time_to_first_token_seconds_bucket'),
    fire: above,
    quiet: below,
    labels: SERVING,
  },
  LLMTTFTp50High: {
    series: histogram('vllm:time_to_first_token_seconds_bucket'),
    fire: above,
    quiet: below,
    labels: SERVING,
  },
  LLMITLp99High: {
    series: histogram('vllm:inter_token_latency_seconds_bucket'),
    fire: above,
    quiet: below,
    labels: SERVING,
  },
  LLME2ELatencyp99High: {
    series: histogram('vllm:e2e_request_latency_seconds_bucket'),
    fire: above,
    quiet: below,
    labels: SERVING,
  },
  LLME2ELatencyp50High: {
    series: histogram('vllm:e2e_request_latency_seconds_bucket'),
    fire: above,
    quiet: below,
    labels: SERVING,
  },
  LLMHTTP5xxRatioHigh: {
    series: (v) => [
      counter('http_requests_total{namespace="llm", handler="/v1/chat/completions", status="5xx"}', v * 100),
      counter(
        'http_requests_total{namespace="llm", handler="/v1/chat/completions", status="2xx"}',
        (1 - v) * 100,
      ),
      // Not an API request: excluded from both sides of the ratio.
      counter('http_requests_total{namespace="llm", handler="/metrics", status="5xx"}', 100),
    ],
    fire: (t) => t * 1.1,
    quiet: (t) => t * 0.9,
    labels: { namespace: 'llm' },
  },
  LLMQueueBacklog: {
    series: (v) => [
      gauge('vllm:num_requests_waiting{namespace="llm", model_name="llama-3.1-8b", pod="llama-vllm-0"}', v),
      gauge('vllm:num_requests_waiting{namespace="llm", model_name="llama-3.1-8b", pod="llama-vllm-1"}', v),
    ],
    fire: plusOne,
    quiet: same,
    labels: SERVING,
  },
  LLMKVCacheSaturated: {
    series: (v) => [
      gauge('vllm:kv_cache_usage_perc{namespace="llm", model_name="llama-3.1-8b", pod="llama-vllm-0"}', v),
    ],
    fire: (t) => t + 0.01,
    quiet: same,
    labels: { ...SERVING, pod: 'llama-vllm-0' },
  },
  LLMPreemptions: {
    series: (v) => [counter('vllm:num_preemptions_total{namespace="llm", pod="llama-vllm-0"}', v)],
    fire: (t) => t * 1.1,
    quiet: (t) => t * 0.9,
    labels: { namespace: 'llm', pod: 'llama-vllm-0' },
  },
  LLMGenerationStalled: {
    // v: generated tokens per second while requests are running.
    series: (v) => [
      counter('vllm:generation_tokens_total{namespace="llm", pod="llama-vllm-0"}', v),
      gauge('vllm:num_requests_running{namespace="llm", pod="llama-vllm-0"}', 3),
    ],
    fire: same,
    quiet: (t) => t + 1,
    labels: { namespace: 'llm', pod: 'llama-vllm-0' },
  },
  LLMThroughputDrop: {
    // v: today's token rate as a ratio of the same time yesterday (5m samples, one day and 2h).
    series: (v) => [
      {
        series:
          'vllm:generation_tokens_total{namespace="llm", model_name="llama-3.1-8b", pod="llama-vllm-0"}',
        values: `0+3000x288 864000+${fmt(3000 * v)}x40`,
      },
    ],
    fire: (t) => t * 0.98,
    quiet: (t) => t * 1.02,
    labels: SERVING,
    interval: '5m',
    evalMinutes: (r) => 24 * 60 + 15 + r.forSeconds / 60 + 30,
  },
  LLMTargetDown: {
    series: (v) => [gauge('up{job="llm/llama-vllm", instance="10.0.0.1:8000"}', v)],
    fire: same,
    quiet: plusOne,
    labels: { job: 'llm/llama-vllm', instance: '10.0.0.1:8000' },
  },
  GPUIdleWhileAllocated: {
    series: (v) => [gauge(`DCGM_FI_DEV_GPU_UTIL{${GPU}, pod="trainer-0"}`, v)],
    fire: (t) => t - 1,
    quiet: same,
    labels: { gpu: '0', Hostname: 'gpu-node-1', UUID: 'GPU-0', pod: 'trainer-0' },
  },
  GPUSaturated: {
    series: (v) => [gauge(`DCGM_FI_DEV_GPU_UTIL{${GPU}}`, v)],
    fire: plusOne,
    quiet: same,
    labels: { gpu: '0', Hostname: 'gpu-node-1', UUID: 'GPU-0' },
  },
  GPUMemoryHigh: {
    series: framebuffer('trainer-0'),
    fire: (t) => t + 0.01,
    quiet: (t) => t - 0.01,
    labels: { gpu: '0', Hostname: 'gpu-node-1', UUID: 'GPU-0', pod: 'trainer-0' },
  },
  GPUMemoryHighServing: {
    series: framebuffer('llama-vllm-6d4f9-abcde'),
    fire: (t) => t + 0.01,
    quiet: (t) => t - 0.01,
    labels: { gpu: '0', Hostname: 'gpu-node-1', UUID: 'GPU-0', pod: 'llama-vllm-6d4f9-abcde' },
  },
  GPUXidError: {
    series: (v) => [gauge(`DCGM_EXP_XID_ERRORS_COUNT{${GPU}, xid="13"}`, v)],
    fire: above,
    quiet: same,
    labels: { gpu: '0', Hostname: 'gpu-node-1' },
  },
  GPUXidCritical: {
    // v > 0: a critical XID (79, fell off the bus) was counted; otherwise only XID 13 (an application error).
    series: (v) => [
      gauge(`DCGM_EXP_XID_ERRORS_COUNT{${GPU}, xid="13"}`, 1),
      gauge(`DCGM_EXP_XID_ERRORS_COUNT{${GPU}, xid="79"}`, v),
    ],
    fire: above,
    quiet: same,
    labels: { gpu: '0', Hostname: 'gpu-node-1', xid: '79' },
  },
  GPURowRemapFailure: {
    series: (v) => [gauge(`DCGM_FI_DEV_ROW_REMAP_FAILURE{${GPU}}`, v)],
    fire: above,
    quiet: same,
    labels: { gpu: '0', Hostname: 'gpu-node-1', UUID: 'GPU-0' },
  },
  GPUTemperatureHigh: {
    series: (v) => [gauge(`DCGM_FI_DEV_GPU_TEMP{${GPU}}`, v)],
    fire: plusOne,
    quiet: same,
    labels: { gpu: '0', Hostname: 'gpu-node-1', UUID: 'GPU-0' },
  },
  GPUTemperatureCritical: {
    series: (v) => [gauge(`DCGM_FI_DEV_GPU_TEMP{${GPU}}`, v)],
    fire: plusOne,
    quiet: same,
    labels: { gpu: '0', Hostname: 'gpu-node-1', UUID: 'GPU-0' },
  },
  GPUMemoryTemperatureHigh: {
    series: (v) => [
      gauge(`DCGM_FI_DEV_MEMORY_TEMP{${GPU}}`, v),
      // A GPU without HBM reports the sentinel: never an alert.
      gauge('DCGM_FI_DEV_MEMORY_TEMP{gpu="1", Hostname="gpu-node-1", UUID="GPU-1"}', 65535),
    ],
    fire: plusOne,
    quiet: same,
    labels: { gpu: '0', Hostname: 'gpu-node-1', UUID: 'GPU-0' },
  },
  GPUThrottling: {
    // v: throttled nanoseconds per second.
    series: (v) => [counter(`DCGM_FI_DEV_THERMAL_VIOLATION{${GPU}}`, v)],
    fire: (t) => t + 1000,
    quiet: same,
    labels: { gpu: '0', Hostname: 'gpu-node-1', UUID: 'GPU-0' },
  },
  DCGMExporterDown: {
    series: (v) => [gauge('up{job="gpu-monitoring/dcgm-exporter", instance="10.0.0.2:9400"}', v)],
    fire: same,
    quiet: plusOne,
    labels: { job: 'gpu-monitoring/dcgm-exporter', instance: '10.0.0.2:9400' },
  },
  KueueWorkloadsPendingLong: {
    series: (v) => [
      gauge('kueue_pending_workloads{cluster_queue="training", status="inadmissible"}', v),
      gauge('kueue_pending_workloads{cluster_queue="training", status="active"}', 5),
    ],
    fire: plusOne,
    quiet: same,
    labels: { cluster_queue: 'training' },
  },
  JobSetFailed: {
    // v: JobSets failed at minute 3.
    series: (v) => [
      {
        series: 'jobset_failed_total{namespace="training", jobset_name="llama"}',
        values: `0 0 0 ${fmt(v)}x${N}`,
      },
    ],
    fire: above,
    quiet: same,
    labels: { namespace: 'training', jobset_name: 'llama' },
    evalMinutes: () => 10,
  },
  InferenceEndpointPickerDown: {
    series: (v) => [
      gauge('up{container="epp", namespace="llm", pod="llama8b-epp-0", job="llm/llama8b-epp"}', v),
    ],
    fire: same,
    quiet: plusOne,
    labels: { container: 'epp', namespace: 'llm', pod: 'llama8b-epp-0', job: 'llm/llama8b-epp' },
  },
  InferencePoolNoReadyEndpoints: {
    series: (v) => [
      gauge('llm_d_epp_ready_endpoints{namespace="llm", name="llama8b"}', v),
      // Requests are waiting for this pool: no ready endpoint is an outage.
      gauge('llm_d_epp_flow_control_queue_size{namespace="llm", inference_pool="llama8b"}', 3),
      // An idle scale-to-zero pool with an empty queue: never an alert.
      gauge('llm_d_epp_ready_endpoints{namespace="llm", name="idle"}', 0),
      gauge('llm_d_epp_flow_control_queue_size{namespace="llm", inference_pool="idle"}', 0),
    ],
    fire: (t) => t - 1,
    quiet: same,
    labels: { namespace: 'llm', name: 'llama8b' },
  },
  InferenceGateway5xxRatioHigh: {
    // v: the share of 5xx responses among 10 requests/s.
    series: (v) => [
      counter('istio_requests_total{container="istio-proxy", namespace="llm", response_code="503"}', 10 * v),
      counter(
        'istio_requests_total{container="istio-proxy", namespace="llm", response_code="200"}',
        10 * (1 - v),
      ),
    ],
    fire: above,
    quiet: below,
    labels: { namespace: 'llm' },
  },
  InferenceRequestErrorRatioHigh: {
    // v: the share of failed requests among 10 requests/s.
    series: (v) => [
      counter(
        'llm_d_epp_request_error_total{namespace="llm", model_name="llama-3.1-8b", error_code="InferencePoolResourceExhausted"}',
        10 * v,
      ),
      counter('llm_d_epp_request_total{namespace="llm", model_name="llama-3.1-8b"}', 10),
    ],
    fire: above,
    quiet: below,
    labels: { namespace: 'llm', model_name: 'llama-3.1-8b' },
  },
  InferenceRequestQueueTimeHigh: {
    series: (v, rule) => {
      const q = Number(/histogram_quantile\((0\.\d+)/.exec(rule.expr)?.[1]);
      // All waits in the first bucket (0, le]: the q-quantile interpolates to le * q.
      const metric = 'llm_d_epp_flow_control_request_queue_duration_seconds_bucket';
      const labels = 'namespace="llm", inference_pool="llama8b", pod="llama8b-epp-0"';
      return [
        counter(`${metric}{${labels}, le="${fmt(v / q)}"}`, 1),
        counter(`${metric}{${labels}, le="+Inf"}`, 1),
      ];
    },
    fire: above,
    quiet: below,
    labels: { namespace: 'llm', inference_pool: 'llama8b' },
  },
  GPUNodeQuarantined: {
    series: (v) => [
      gauge(
        'fault_quarantine_current_quarantined_nodes{node="gpu-node-1", namespace="nvsentinel", pod="fault-quarantine-0"}',
        v,
      ),
      gauge(
        'fault_quarantine_current_quarantined_nodes{node="gpu-node-2", namespace="nvsentinel", pod="fault-quarantine-0"}',
        0,
      ),
    ],
    fire: above,
    quiet: same,
    labels: { node: 'gpu-node-1' },
  },
  NVSentinelQuarantineBreakerTripped: {
    // v: the TRIPPED state gauge; the CLOSED one is held at 1 and never fires.
    series: (v) => [
      gauge(
        'fault_quarantine_breaker_state{state="TRIPPED", namespace="nvsentinel", pod="fault-quarantine-0"}',
        v,
      ),
      gauge(
        'fault_quarantine_breaker_state{state="CLOSED", namespace="nvsentinel", pod="fault-quarantine-0"}',
        1,
      ),
    ],
    fire: above,
    quiet: same,
    labels: {},
  },
  GPUNodeFaultCondition: {
    // v: the `status="true"` series of an NVSentinel condition; a healthy condition and a
    // non-NVSentinel condition (Ready) are held at 1 and never fire.
    series: (v) => [
      gauge('kube_node_status_condition{node="gpu-node-1", condition="SysLogsXIDError", status="true"}', v),
      gauge('kube_node_status_condition{node="gpu-node-1", condition="GpuMemWatch", status="false"}', 1),
      gauge('kube_node_status_condition{node="gpu-node-1", condition="Ready", status="true"}', 1),
    ],
    fire: above,
    quiet: same,
    labels: { node: 'gpu-node-1', condition: 'SysLogsXIDError' },
  },
};
