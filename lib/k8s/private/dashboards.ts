import {
  DashboardBuilder,
  DashboardLinkBuilder,
  DashboardLinkType,
  RowBuilder,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import {
  Accelerator,
  COST_ALLOCATION_SERIES,
  HourlyPrice,
  SERVING_POD_PATTERN,
  ServiceLevelObjective,
} from '../../core';

/** Label kube-state-metrics exports for the pods' accelerator label (allow-listed by MonitoringStack). */
export const KSM_ACCELERATOR_LABEL = 'label_cdktf_ai_infra_accelerator';

/** A GPU-hour price for the cost dashboard. */
export interface GpuPrice {
  readonly accelerator: Accelerator;
  readonly price: HourlyPrice;
}

interface Query {
  readonly expr: string;
  readonly legend: string;
}

function panel(title: string, unit: string, queries: Query[], description?: string): PanelBuilder {
  const p = new PanelBuilder().title(title).unit(unit).height(8).span(12);
  if (description) {
    p.description(description);
  }
  for (const q of queries) {
    p.withTarget(new DataqueryBuilder().expr(q.expr).legendFormat(q.legend));
  }
  return p;
}

function dashboard(uid: string, title: string, tags: string[]): DashboardBuilder {
  return new DashboardBuilder(title)
    .uid(uid)
    .tags(['cdktf-ai-infra', ...tags])
    .refresh('30s')
    .time({ from: 'now-6h', to: 'now' })
    .timezone('browser');
}

/** GPU health and utilisation from dcgm-exporter (both `Hostname` and `hostname` label spellings). */
export function gpuDashboard(): object {
  const host = 'Hostname, hostname, gpu';
  return dashboard('cdktf-ai-gpus', 'GPUs (DCGM)', ['gpu', 'dcgm'])
    .withRow(new RowBuilder('Utilisation'))
    .withPanel(
      panel('GPU utilisation', 'percent', [
        { expr: `avg by (${host})(DCGM_FI_DEV_GPU_UTIL)`, legend: '{{Hostname}}{{hostname}} gpu {{gpu}}' },
      ]),
    )
    .withPanel(
      panel(
        'Tensor core active',
        'percentunit',
        [
          {
            expr: `avg by (${host})(DCGM_FI_PROF_PIPE_TENSOR_ACTIVE)`,
            legend: '{{Hostname}}{{hostname}} gpu {{gpu}}',
          },
        ],
        'Needs the DCGM profiling metrics (GpuPlatform profilingMetrics).',
      ),
    )
    .withPanel(
      panel(
        'Framebuffer used',
        'percentunit',
        [
          {
            expr: `sum by (${host})(DCGM_FI_DEV_FB_USED) / sum by (${host})(DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE)`,
            legend: '{{Hostname}}{{hostname}} gpu {{gpu}}',
          },
        ],
        'vLLM pre-allocates gpu-memory-utilization (0.9 by default): high values on serving GPUs are expected.',
      ),
    )
    .withPanel(
      panel('GPU utilisation by pod', 'percent', [
        { expr: 'avg by (namespace, pod)(DCGM_FI_DEV_GPU_UTIL{pod!=""})', legend: '{{namespace}}/{{pod}}' },
      ]),
    )
    .withRow(new RowBuilder('Health'))
    .withPanel(
      panel('Temperature', 'celsius', [
        { expr: `max by (${host})(DCGM_FI_DEV_GPU_TEMP)`, legend: 'gpu {{Hostname}}{{hostname}} {{gpu}}' },
        {
          expr: `max by (${host})(DCGM_FI_DEV_MEMORY_TEMP < 1000)`,
          legend: 'memory {{Hostname}}{{hostname}} {{gpu}}',
        },
      ]),
    )
    .withPanel(
      panel('Power', 'watt', [
        { expr: `sum by (${host})(DCGM_FI_DEV_POWER_USAGE)`, legend: '{{Hostname}}{{hostname}} gpu {{gpu}}' },
      ]),
    )
    .withPanel(
      panel('XID errors (10 min)', 'short', [
        {
          expr: `sum by (${host}, xid)(max_over_time(DCGM_EXP_XID_ERRORS_COUNT[10m]))`,
          legend: '{{Hostname}}{{hostname}} gpu {{gpu}} xid {{xid}}',
        },
      ]),
    )
    .withPanel(
      panel('Throttling (ns/s)', 'ns', [
        {
          expr: `sum by (${host})(rate(DCGM_FI_DEV_THERMAL_VIOLATION[5m]))`,
          legend: 'thermal {{Hostname}}{{hostname}} {{gpu}}',
        },
        {
          expr: `sum by (${host})(rate(DCGM_FI_DEV_POWER_VIOLATION[5m]))`,
          legend: 'power {{Hostname}}{{hostname}} {{gpu}}',
        },
      ]),
    )
    .withPanel(
      panel('ECC double-bit errors and row-remap failures', 'short', [
        {
          expr: `sum by (${host})(increase(DCGM_FI_DEV_ECC_DBE_VOL_TOTAL[1h]))`,
          legend: 'DBE {{Hostname}}{{hostname}} {{gpu}}',
        },
        {
          expr: `max by (${host})(DCGM_FI_DEV_ROW_REMAP_FAILURE)`,
          legend: 'remap failure {{Hostname}}{{hostname}} {{gpu}}',
        },
      ]),
    )
    .build();
}

/** LLM serving: latency, throughput, queue and KV cache (vLLM V1 metric names, reference §8). */
/** Grafana uid of the Tempo data source the monitoring stack provisions. */
const TEMPO_UID = 'tempo';
/** The Grafana data-link variable holding the series' `model_name` label. */
const MODEL_VAR = '$' + '{__field.labels.model_name}';

/**
 * A Grafana Explore URL searching the Tempo data source with a TraceQL query (Explore's
 * `panes` URL state, Grafana 10+).
 */
export function tempoExploreUrl(traceql: string): string {
  const panes = {
    a: {
      datasource: TEMPO_UID,
      queries: [
        {
          refId: 'A',
          datasource: { type: 'tempo', uid: TEMPO_UID },
          queryType: 'traceql',
          query: traceql,
          limit: 20,
        },
      ],
      range: { from: 'now-1h', to: 'now' },
    },
  };
  // Grafana interpolates `${...}` variables in the URL before it opens it: keep them unencoded.
  return `/explore?schemaVersion=1&panes=${encodeURIComponent(JSON.stringify(panes)).replace(
    /%24%7B([A-Za-z0-9_.]+)%7D/g,
    (_m, v: string) => `\${${v}}`,
  )}`;
}

/** Options of {@link servingDashboard}. */
export interface ServingDashboardOptions {
  /** Link the dashboard and its latency panels to the Tempo traces of each model. */
  readonly traces?: boolean;
}

export function servingDashboard(options: ServingDashboardOptions = {}): object {
  const by = 'namespace, model_name';
  const q = (metric: string, quantile: number) =>
    `histogram_quantile(${quantile}, sum by (le, ${by})(rate(${metric}_bucket[5m])))`;
  const board = dashboard('cdktf-ai-serving', 'LLM serving (vLLM)', ['llm', 'vllm']);
  if (options.traces) {
    // Model servers report `service.name` = the served model name (ModelServer sets OTEL_SERVICE_NAME).
    board.link(
      new DashboardLinkBuilder('Traces (Tempo)')
        .type(DashboardLinkType.Link)
        .icon('external link')
        .url(tempoExploreUrl('{}'))
        .keepTime(true)
        .targetBlank(true),
    );
  }
  const traced = (p: PanelBuilder): PanelBuilder =>
    options.traces
      ? p.dataLinks([
          new DashboardLinkBuilder(`Traces of ${MODEL_VAR}`)
            .url(tempoExploreUrl(`{resource.service.name="${MODEL_VAR}"}`))
            .targetBlank(true),
        ])
      : p;
  return board
    .withRow(new RowBuilder('Latency'))
    .withPanel(
      panel('Time to first token', 's', [
        { expr: q('vllm:time_to_first_token_seconds', 0.5), legend: 'p50 {{model_name}}' },
        { expr: q('vllm:time_to_first_token_seconds', 0.99), legend: 'p99 {{model_name}}' },
      ]),
    )
    .withPanel(
      panel('Inter-token latency', 's', [
        { expr: q('vllm:inter_token_latency_seconds', 0.5), legend: 'p50 {{model_name}}' },
        { expr: q('vllm:inter_token_latency_seconds', 0.99), legend: 'p99 {{model_name}}' },
      ]),
    )
    .withPanel(
      traced(
        panel('End-to-end request latency', 's', [
          { expr: q('vllm:e2e_request_latency_seconds', 0.5), legend: 'p50 {{model_name}}' },
          { expr: q('vllm:e2e_request_latency_seconds', 0.99), legend: 'p99 {{model_name}}' },
        ]),
      ),
    )
    .withPanel(
      panel('Queue time', 's', [
        { expr: q('vllm:request_queue_time_seconds', 0.99), legend: 'p99 {{model_name}}' },
      ]),
    )
    .withRow(new RowBuilder('Throughput and load'))
    .withPanel(
      panel('Tokens per second', 'short', [
        {
          expr: `sum by (${by})(rate(vllm:generation_tokens_total[5m]))`,
          legend: 'generated {{model_name}}',
        },
        { expr: `sum by (${by})(rate(vllm:prompt_tokens_total[5m]))`, legend: 'prompt {{model_name}}' },
      ]),
    )
    .withPanel(
      panel(
        'Requests running and waiting',
        'short',
        [
          { expr: `sum by (${by})(vllm:num_requests_running)`, legend: 'running {{model_name}}' },
          { expr: `sum by (${by})(vllm:num_requests_waiting)`, legend: 'waiting {{model_name}}' },
        ],
        'Waiting requests drive the KEDA autoscaler.',
      ),
    )
    .withPanel(
      panel('KV cache usage', 'percentunit', [
        { expr: 'max by (namespace, pod, model_name)(vllm:kv_cache_usage_perc)', legend: '{{pod}}' },
      ]),
    )
    .withPanel(
      panel('Preemptions and HTTP 5xx', 'reqps', [
        {
          expr: `sum by (${by})(rate(vllm:num_preemptions_total[5m]))`,
          legend: 'preemptions {{model_name}}',
        },
        {
          expr: 'sum by (namespace)(rate(http_requests_total{handler=~"/v1/.*", status="5xx"}[5m]))',
          legend: '5xx {{namespace}}',
        },
      ]),
    )
    .withRow(new RowBuilder('Inference gateway: pools and variants'))
    .withPanel(
      panel(
        'Traffic share per variant (effective weight)',
        'percentunit',
        [
          {
            expr:
              `sum by (namespace, model_name, pool)(${EPP_RATE_BY_POOL}) / on (namespace, model_name) group_left ` +
              `sum by (namespace, model_name)(rate(llm_d_epp_request_total[5m]))`,
            legend: '{{model_name}} → {{pool}}',
          },
        ],
        'Share of each model’s requests each pool receives: the HTTPRoute weights as traffic actually splits.',
      ),
    )
    .withPanel(
      panel('Request rate per pool', 'reqps', [
        {
          expr: `sum by (namespace, model_name, pool)(${EPP_RATE_BY_POOL})`,
          legend: '{{model_name}} {{pool}}',
        },
      ]),
    )
    .withPanel(
      panel(
        'Time to first token per pool (p99)',
        's',
        [
          {
            expr:
              'histogram_quantile(0.99, sum by (le, namespace, deployment)(label_replace(' +
              'rate(vllm:time_to_first_token_seconds_bucket[5m]), "deployment", "$1", "pod", "(.+)-[a-z0-9]+-[a-z0-9]+")))',
            legend: '{{deployment}}',
          },
        ],
        'Per model-server Deployment, so a canary and the stable variant of one model name are told apart.',
      ),
    )
    .withPanel(
      panel('Ready endpoints per pool', 'short', [
        { expr: 'max by (namespace, name)(llm_d_epp_ready_endpoints)', legend: '{{name}}' },
      ]),
    )
    .withPanel(
      panel(
        'Requests held by flow control',
        'short',
        [
          {
            expr: 'sum by (namespace, inference_pool)(llm_d_epp_flow_control_queue_size)',
            legend: '{{inference_pool}}',
          },
        ],
        'Requests waiting in the endpoint picker, for example while a pool scales from zero.',
      ),
    )
    .withPanel(
      panel('Picker errors and gateway 5xx', 'reqps', [
        {
          expr: 'sum by (namespace, model_name, error_code)(rate(llm_d_epp_request_error_total[5m]))',
          legend: 'picker {{error_code}} {{model_name}}',
        },
        {
          expr: 'sum by (namespace)(rate(istio_requests_total{container="istio-proxy", response_code=~"5.."}[5m]))',
          legend: 'gateway 5xx {{namespace}}',
        },
      ]),
    )
    .build();
}

/**
 * Request rate per endpoint picker, labelled with its pool: each pool has its own picker, whose
 * scrape job is `<pool>-epp` (ServiceMonitor) or `<pool>` (Managed Prometheus PodMonitoring).
 */
const EPP_RATE_BY_POOL =
  'label_replace(rate(llm_d_epp_request_total[5m]), "pool", "$1", "job", "(.+?)(-epp)?")';

/** Training: GPU use of training pods, Kueue queues and JobSet outcomes. */
export function trainingDashboard(): object {
  const training = `pod!="", pod!~"${SERVING_POD_PATTERN}"`;
  return dashboard('cdktf-ai-training', 'Training (JobSet + Kueue)', ['training', 'kueue', 'jobset'])
    .withRow(new RowBuilder('GPUs'))
    .withPanel(
      panel('GPU utilisation by training pod', 'percent', [
        {
          expr: `avg by (namespace, pod)(DCGM_FI_DEV_GPU_UTIL{${training}})`,
          legend: '{{namespace}}/{{pod}}',
        },
      ]),
    )
    .withPanel(
      panel('NVLink bandwidth', 'Bps', [
        {
          expr: 'sum by (Hostname, hostname)(rate(DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL[5m]))',
          legend: '{{Hostname}}{{hostname}}',
        },
      ]),
    )
    .withRow(new RowBuilder('Queues and jobs'))
    .withPanel(
      panel('Pending workloads', 'short', [
        {
          expr: 'sum by (cluster_queue, status)(kueue_pending_workloads)',
          legend: '{{cluster_queue}} {{status}}',
        },
      ]),
    )
    .withPanel(
      panel('Admission wait p90', 's', [
        {
          expr: 'histogram_quantile(0.9, sum by (le, cluster_queue)(rate(kueue_admission_wait_time_seconds_bucket[15m])))',
          legend: '{{cluster_queue}}',
        },
      ]),
    )
    .withPanel(
      panel('GPU quota used', 'short', [
        {
          expr: 'sum by (cluster_queue, flavor)(kueue_cluster_queue_resource_usage{resource="nvidia.com/gpu"})',
          legend: 'used {{cluster_queue}} {{flavor}}',
        },
        {
          expr: 'sum by (cluster_queue, flavor)(kueue_cluster_queue_nominal_quota{resource="nvidia.com/gpu"})',
          legend: 'quota {{cluster_queue}} {{flavor}}',
        },
      ]),
    )
    .withPanel(
      panel('JobSets completed and failed (1h)', 'short', [
        { expr: 'sum(increase(jobset_completed_total[1h]))', legend: 'completed' },
        { expr: 'sum(increase(jobset_failed_total[1h]))', legend: 'failed' },
        { expr: 'sum(increase(kueue_evicted_workloads_total[1h]))', legend: 'evicted (Kueue)' },
      ]),
    )
    .build();
}

/**
 * Cost per 1,000 generated tokens for each priced accelerator:
 * `price per GPU-hour / 3600 x GPUs requested by serving pods / generated tokens per second x 1000`.
 */
export function costDashboard(prices: readonly GpuPrice[]): object {
  const d = dashboard('cdktf-ai-cost', 'LLM serving cost', ['cost', 'llm']).withRow(
    new RowBuilder('Cost per 1,000 generated tokens'),
  );
  for (const { accelerator, price } of prices) {
    const onAccel = `on (namespace, pod) group_left() kube_pod_labels{${KSM_ACCELERATOR_LABEL}="${accelerator.labelValue}"}`;
    const gpus = `sum(kube_pod_container_resource_requests{resource="nvidia_com_gpu", pod=~"${SERVING_POD_PATTERN}"} * ${onAccel})`;
    const tokens = `sum(rate(vllm:generation_tokens_total[5m]) * ${onAccel})`;
    const perSecond = `(${price.usd} / 3600)`;
    d.withPanel(
      panel(
        `${accelerator.id}: USD per 1,000 generated tokens`,
        'currencyUSD',
        [{ expr: `${perSecond} * ${gpus} / ${tokens} * 1000`, legend: accelerator.id }],
        `At $${price.usd}/GPU-hour (${price.region}, ${price.asOf}; ${price.source}). GPU time of idle replicas counts.`,
      ),
    );
    d.withPanel(
      panel(`${accelerator.id}: serving spend per hour`, 'currencyUSD', [
        { expr: `${price.usd} * ${gpus}`, legend: `${accelerator.id} USD/h` },
      ]),
    );
  }
  return d.build();
}

/**
 * Cost allocation from the recording rules of core `costAllocationRuleGroup` (OpenCost allocation
 * joined with the vLLM token counters): cost per million tokens per model and team, spend per
 * hour per model, namespace and team.
 */
export function costAllocationDashboard(): object {
  const S = COST_ALLOCATION_SERIES;
  return dashboard('cdktf-ai-cost-allocation', 'Cost per model and team', ['cost', 'llm'])
    .withRow(new RowBuilder('Per model'))
    .withPanel(
      panel(
        'USD per million tokens',
        'currencyUSD',
        [{ expr: S.modelCostPerMillionTokens, legend: '{{namespace}}/{{model_name}}' }],
        'Cost of the model-server pods (GPUs, cores, memory as allocated) over prompt plus generated tokens. Absent while a model serves nothing.',
      ),
    )
    .withPanel(
      panel('Spend per hour', 'currencyUSD', [{ expr: S.modelCost, legend: '{{namespace}}/{{model_name}}' }]),
    )
    .withPanel(
      panel('Tokens per second', 'short', [{ expr: S.modelTokens, legend: '{{namespace}}/{{model_name}}' }]),
    )
    .withRow(new RowBuilder('Per team and namespace'))
    .withPanel(
      panel('Team: USD per million tokens', 'currencyUSD', [
        { expr: S.teamCostPerMillionTokens, legend: '{{team}}' },
      ]),
    )
    .withPanel(
      panel(
        'Team: spend per hour',
        'currencyUSD',
        [
          { expr: S.teamCost, legend: '{{team}} all' },
          { expr: S.teamServingCost, legend: '{{team}} serving' },
        ],
        'All pods of the team’s namespaces (by the namespace label), and its model servers alone.',
      ),
    )
    .withPanel(
      panel('Namespace: spend per hour', 'currencyUSD', [
        { expr: `sort_desc(${S.namespaceCost})`, legend: '{{namespace}}' },
      ]),
    )
    .build();
}

/**
 * Error budgets of the SLOs (recording rules `slo:sli_error:ratio_rate*` of
 * `ServiceLevelObjective.toPrometheusRuleGroup`): a row per SLO with the SLI, the burn rates the
 * alerts compare, and the budget left over the SLO window. The budget left is the window's mean
 * of the 5-minute error ratios (the approximation Sloth uses: it weighs quiet and busy periods
 * alike).
 */
export function sloDashboard(slos: readonly ServiceLevelObjective[]): object {
  const board = dashboard('cdktf-ai-slos', 'SLOs and error budgets', ['llm', 'slo']).time({
    from: 'now-7d',
    to: 'now',
  });
  for (const slo of slos) {
    const sel = `{slo="${slo.name}"}`;
    const budget = slo.errorBudget;
    board
      .withRow(new RowBuilder(`${slo.name} (${slo.objectivePercent}% over ${slo.windowDays}d)`))
      .withPanel(
        panel('SLI (good events)', 'percentunit', [
          { expr: `1 - slo:sli_error:ratio_rate1h${sel}`, legend: '1h' },
          { expr: `1 - slo:sli_error:ratio_rate1d${sel}`, legend: '1d' },
        ]).span(8),
      )
      .withPanel(
        panel(
          'Burn rate',
          'none',
          [
            { expr: `slo:sli_error:ratio_rate1h${sel} / ${budget}`, legend: '1h (pages above 14.4 at 30d)' },
            { expr: `slo:sli_error:ratio_rate6h${sel} / ${budget}`, legend: '6h' },
            { expr: `slo:sli_error:ratio_rate3d${sel} / ${budget}`, legend: '3d' },
          ],
          '1 means the budget lasts exactly the window.',
        ).span(8),
      )
      .withPanel(
        panel(
          'Error budget left',
          'percentunit',
          [
            {
              expr: `1 - avg_over_time(slo:sli_error:ratio_rate5m${sel}[${slo.windowDays}d]) / ${budget}`,
              legend: 'left',
            },
          ],
          `Needs ${slo.windowDays} days of Prometheus retention.`,
        ).span(8),
      );
  }
  return board.build();
}
