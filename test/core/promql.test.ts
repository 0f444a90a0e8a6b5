import { hasBareColonMetric, metricSelector, quoteColonMetricNames } from '../../lib/core';

describe('PromQL colon metric names', () => {
  test('metricSelector quotes colon names only when asked', () => {
    expect(metricSelector('vllm:num_requests_waiting', ['model_name="m"'], true)).toBe(
      '{__name__="vllm:num_requests_waiting", model_name="m"}',
    );
    expect(metricSelector('vllm:num_requests_waiting', ['model_name="m"'], false)).toBe(
      'vllm:num_requests_waiting{model_name="m"}',
    );
    expect(metricSelector('DCGM_FI_DEV_GPU_UTIL', [], true)).toBe('DCGM_FI_DEV_GPU_UTIL');
  });

  test('quoteColonMetricNames rewrites every core alert rule form, leaving quoted strings and ranges', () => {
    expect(quoteColonMetricNames('rate(vllm:x_total{a="b:c"}[5m]) > 0 and vllm:y > 1')).toBe(
      'rate({__name__="vllm:x_total", a="b:c"}[5m]) > 0 and {__name__="vllm:y"} > 1',
    );
    expect(quoteColonMetricNames('DCGM_FI_DEV_GPU_TEMP > 85')).toBe('DCGM_FI_DEV_GPU_TEMP > 85');
  });

  test('hasBareColonMetric', () => {
    expect(hasBareColonMetric('sum(vllm:num_requests_waiting)')).toBe(true);
    expect(hasBareColonMetric('sum({__name__="vllm:x"}[5m:1m])')).toBe(false);
  });
});
