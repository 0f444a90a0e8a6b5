import {
  ALERT_RULES,
  AlertGroup,
  AlertRuleSet,
  AlertSeverity,
  SERVING_POD_PATTERN,
  promDuration,
} from '../../lib/core';

const byName = (set: AlertRuleSet) => Object.fromEntries(set.rules().map((r) => [r.name, r]));

describe('alert rules', () => {
  test('cover the signals the issue lists', () => {
    const names = ALERT_RULES.map((r) => r.name);
    for (const n of [
      'LLMTTFTp99High',
      'LLMTTFTp50High',
      'LLME2ELatencyp99High',
      'LLME2ELatencyp50High',
      'LLMHTTP5xxRatioHigh',
      'GPUIdleWhileAllocated',
      'GPUSaturated',
      'GPUMemoryHigh',
      'GPUMemoryHighServing',
      'LLMThroughputDrop',
      'LLMQueueBacklog',
      'GPUXidError',
      'GPUXidCritical',
      'GPUTemperatureHigh',
    ]) {
      expect(names).toContain(n);
    }
    expect(new Set(names).size).toBe(names.length);
  });

  test('default thresholds come from reference/kubernetes.md §11', () => {
    const r = byName(AlertRuleSet.defaults());
    expect(r.LLMTTFTp99High.expr).toBe(
      'histogram_quantile(0.99, sum by (le, namespace, model_name) (rate(vllm:time_to_first_token_seconds_bucket[5m]))) > 2',
    );
    expect(r.LLMTTFTp99High.for).toBe('10m');
    expect(r.LLMHTTP5xxRatioHigh.severity).toBe(AlertSeverity.CRITICAL);
    expect(r.LLMKVCacheSaturated.expr).toContain('vllm:kv_cache_usage_perc');
    expect(r.GPUIdleWhileAllocated.expr).toBe('avg_over_time(DCGM_FI_DEV_GPU_UTIL{pod!=""}[30m]) < 5');
    expect(r.GPUIdleWhileAllocated.for).toBe('1h');
    expect(r.GPUTemperatureHigh.threshold).toBe(85);
  });

  test('uses V1 metric names only (no renamed gpu_cache_usage_perc, counters with _total)', () => {
    const all = AlertRuleSet.defaults()
      .rules()
      .map((r) => r.expr)
      .join('\n');
    expect(all).not.toContain('gpu_cache_usage_perc');
    expect(all).not.toMatch(/vllm:num_preemptions\[/);
    expect(all).toContain('vllm:num_preemptions_total');
  });

  test('GPU memory: vLLM pods get a separate, higher threshold (pre-allocation)', () => {
    const r = byName(AlertRuleSet.defaults());
    expect(r.GPUMemoryHigh.expr).toContain(`pod!~"${SERVING_POD_PATTERN}"`);
    expect(r.GPUMemoryHigh.threshold).toBe(0.85);
    expect(r.GPUMemoryHighServing.expr).toContain(`pod=~"${SERVING_POD_PATTERN}"`);
    expect(r.GPUMemoryHighServing.threshold).toBe(0.97);
  });

  test('XID rules tolerate Hostname and hostname and prefer the XID counter', () => {
    const r = byName(AlertRuleSet.defaults());
    expect(r.GPUXidError.expr).toContain('by (Hostname, hostname, gpu)');
    expect(r.GPUXidError.expr).toContain('max_over_time(DCGM_EXP_XID_ERRORS_COUNT[10m])'); // a windowed gauge
    expect(r.GPUXidError.expr).not.toContain('increase(DCGM_EXP');
    expect(r.GPUXidCritical.expr).toContain('xid=~"48|63|64|74|79|94|95|119|120"');
  });

  test('a model server that cannot be scraped pages (vLLM and Triton jobs)', () => {
    const r = byName(AlertRuleSet.defaults({ servingMatchers: ['namespace="llm"'] }));
    expect(r.LLMTargetDown.expr).toBe('up{namespace="llm", job=~".*(vllm|triton).*"} == 0');
    expect(r.LLMTargetDown.severity).toBe(AlertSeverity.CRITICAL);
    expect(r.LLMTargetDown.for).toBe('3m');
  });

  test('every threshold can be overridden, and rules can be dropped', () => {
    const set = AlertRuleSet.defaults({
      overrides: {
        LLMTTFTp99High: { threshold: 5, forSeconds: 90, severity: AlertSeverity.CRITICAL },
        GPUSaturated: { enabled: false },
      },
    });
    const r = byName(set);
    expect(r.LLMTTFTp99High.expr).toMatch(/> 5$/);
    expect(r.LLMTTFTp99High.for).toBe('90s');
    expect(r.LLMTTFTp99High.severity).toBe(AlertSeverity.CRITICAL);
    expect(r.GPUSaturated).toBeUndefined();
  });

  test('matchers scope serving and GPU rules', () => {
    const r = byName(
      AlertRuleSet.defaults({ servingMatchers: ['namespace="llm"'], gpuMatchers: ['cluster="a"'] }),
    );
    expect(r.LLMQueueBacklog.expr).toBe(
      'avg by (namespace, model_name) (vllm:num_requests_waiting{namespace="llm"}) > 10',
    );
    expect(r.LLMHTTP5xxRatioHigh.expr).toContain('{namespace="llm", handler=~"/v1/.*", status="5xx"}');
    expect(r.GPUTemperatureHigh.expr).toBe('DCGM_FI_DEV_GPU_TEMP{cluster="a"} > 85');
  });

  test('a backend can rename metrics', () => {
    const r = AlertRuleSet.defaults({ groups: [AlertGroup.GPU] }).rules((m) => `gmp_${m}`);
    expect(r.every((x) => x.group === AlertGroup.GPU)).toBe(true);
    expect(r.find((x) => x.name === 'GPUTemperatureHigh')!.expr).toBe('gmp_DCGM_FI_DEV_GPU_TEMP > 85');
  });

  test('renders Prometheus rule groups with severity labels and runbooks', () => {
    const groups = AlertRuleSet.defaults().toPrometheusRuleGroups({ team: 'ml' });
    expect(groups.map((g) => g.name)).toEqual([
      'llm-serving',
      'gpu',
      'training',
      'inference-gateway',
      'gpu-remediation',
    ]);
    const ttft = groups[0].rules.find((x) => x.alert === 'LLMTTFTp99High')!;
    expect(ttft.labels).toEqual({ severity: 'warning', team: 'ml' });
    expect(ttft.annotations.runbook).toMatch(/queue depth/);
    const xid = groups[1].rules.find((x) => x.alert === 'GPUXidError')!;
    expect(xid.for).toBeUndefined();
  });

  test('throws when an override names an unknown alert', () => {
    expect(() => AlertRuleSet.defaults({ overrides: { NoSuchAlert: { threshold: 1 } } })).toThrow(
      /'overrides' names unknown alert 'NoSuchAlert'/,
    );
  });

  test('throws when an override threshold is not finite or forSeconds negative', () => {
    expect(() => AlertRuleSet.defaults({ overrides: { GPUSaturated: { threshold: NaN } } })).toThrow(
      /'overrides.GPUSaturated.threshold' \(NaN\)/,
    );
    expect(() => AlertRuleSet.defaults({ overrides: { GPUSaturated: { forSeconds: -1 } } })).toThrow(
      /'overrides.GPUSaturated.forSeconds' \(-1\)/,
    );
  });

  test('promDuration', () => {
    expect(promDuration(0)).toBe('0s');
    expect(promDuration(90)).toBe('90s');
    expect(promDuration(600)).toBe('10m');
    expect(promDuration(7200)).toBe('2h');
  });

  test('inference gateway rules read the llm-d-router EPP metrics and take gatewayMatchers', () => {
    const r = byName(AlertRuleSet.defaults({ gatewayMatchers: ['namespace="llm"'] }));
    expect(r.InferenceEndpointPickerDown.expr).toBe('up{namespace="llm", container="epp"} == 0');
    expect(r.InferenceEndpointPickerDown.severity).toBe(AlertSeverity.CRITICAL);
    expect(r.InferencePoolNoReadyEndpoints.expr).toContain(
      'max by (namespace, name) (llm_d_epp_ready_endpoints{namespace="llm"}) < 1',
    );
    expect(r.InferencePoolNoReadyEndpoints.expr).toContain('unless on (namespace, name)');
    expect(r.InferenceGateway5xxRatioHigh.expr).toContain(
      'istio_requests_total{namespace="llm", container="istio-proxy", response_code=~"5.."}',
    );
    expect(r.InferenceRequestErrorRatioHigh.expr).toContain('llm_d_epp_request_error_total{namespace="llm"}');
    expect(r.InferenceRequestQueueTimeHigh.expr).toBe(
      'histogram_quantile(0.99, sum by (le, namespace, inference_pool) (rate(llm_d_epp_flow_control_request_queue_duration_seconds_bucket{namespace="llm"}[5m]))) > 30',
    );
    const gatewayOnly = AlertRuleSet.defaults({ groups: [AlertGroup.INFERENCE_GATEWAY] }).rules();
    expect(gatewayOnly.map((x) => x.name)).toEqual([
      'InferenceEndpointPickerDown',
      'InferencePoolNoReadyEndpoints',
      'InferenceGateway5xxRatioHigh',
      'InferenceRequestErrorRatioHigh',
      'InferenceRequestQueueTimeHigh',
    ]);
  });

  test.each(['servingMatchers', 'gpuMatchers', 'gatewayMatchers'])(
    'throws on a %s entry that is not a PromQL matcher',
    (prop) => {
      expect(() => AlertRuleSet.defaults({ [prop]: ['namespace=llm'] })).toThrow(
        new RegExp(`'${prop}\\[0\\]' .* is not a PromQL label matcher`),
      );
    },
  );
});
