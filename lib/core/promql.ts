/**
 * PromQL helpers for metric names that contain a colon (vLLM's `vllm:num_requests_waiting`),
 * defined once for every backend that needs them.
 *
 * Google Cloud Managed Service for Prometheus: Cloud Monitoring's PromQL maps a bare name's
 * first colon to the `domain/path` separator of Cloud Monitoring metric names
 * (https://cloud.google.com/monitoring/promql/promql-mapping), so a bare `vllm:x` risks being
 * read as the Cloud Monitoring metric `vllm/x`. The `{__name__="vllm:x"}` matcher names the
 * stored metric literally and is valid PromQL everywhere. VERIFY against a live workspace: this
 * is the conservative form, not a confirmed requirement. Plain Prometheus and Amazon Managed
 * Prometheus accept bare colon names.
 */

/**
 * A PromQL instant-vector selector of `metric` with `matchers` (for example `namespace="llm"`).
 * With `quoteColonNames`, a name with a colon is written `{__name__="vllm:...", ...}`.
 */
export function metricSelector(
  metric: string,
  matchers: readonly string[],
  quoteColonNames: boolean,
): string {
  if (quoteColonNames && metric.includes(':')) {
    return `{${[`__name__="${metric}"`, ...matchers].join(', ')}}`;
  }
  return matchers.length ? `${metric}{${matchers.join(', ')}}` : metric;
}

/**
 * Rewrites every metric name with a colon in a PromQL expression into the `{__name__="..."}`
 * form, merging existing matchers. `metrics` lists names to rewrite even where the scan of the
 * expression would not find them.
 */
export function quoteColonMetricNames(expr: string, metrics: readonly string[] = []): string {
  let out = expr;
  const unquoted = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const found = unquoted.match(/[A-Za-z_][A-Za-z0-9_]*:[A-Za-z0-9_:]*/g) ?? [];
  const colonNames = [...new Set([...metrics, ...found].filter((m) => m.includes(':')))].sort(
    (a, b) => b.length - a.length,
  );
  for (const name of colonNames) {
    const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out
      .replace(new RegExp(`(?<![A-Za-z0-9_:"])${esc}\\{`, 'g'), `{__name__="${name}", `)
      .replace(new RegExp(`(?<![A-Za-z0-9_:"])${esc}(?![A-Za-z0-9_:"])`, 'g'), `{__name__="${name}"}`);
  }
  return out;
}

/**
 * Whether a PromQL expression names a metric with a colon outside quotes and outside a
 * `__name__` matcher (a bare `vllm:x`).
 */
export function hasBareColonMetric(expr: string): boolean {
  const unquoted = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\[[^\]]*\]/g, '[]');
  return /(?<![A-Za-z0-9_:])[A-Za-z_][A-Za-z0-9_]*:[A-Za-z0-9_:]*/.test(unquoted);
}
