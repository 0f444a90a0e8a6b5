import {
  Accelerator,
  COST_ALLOCATION_SERIES,
  HourlyPrice,
  SERVING_POD_PATTERN,
  ServiceLevelObjective,
} from '../../core';

// Dashboards are plain JSON built by the small typed builders below. They write the objects
// the Grafana foundation SDK (@grafana/grafana-foundation-sdk 0.0.21, `DashboardBuilder`,
// `RowBuilder`, timeseries `PanelBuilder`, prometheus `DataqueryBuilder`, `DashboardLinkBuilder`)
// writes for the same calls, key for key, with its defaults and its grid layout: the SDK costs
// about 140 ms of CPU to load, more than every other module of an app with a MonitoringStack
// (issue 11). test/consumers/grafana-dashboards.test.ts rebuilds every dashboard with the SDK
// and compares.

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

/** Grafana's grid: 24 columns; `h` in rows of 30 px. */
interface GridPos {
  h: number;
  w: number;
  x: number;
  y: number;
}

/** A dashboard link (`links`) or a field data link (`fieldConfig.defaults.links`). */
interface Link {
  readonly title: string;
  readonly type: 'link';
  readonly icon: string;
  readonly tooltip: '';
  readonly tags: readonly string[];
  readonly asDropdown: false;
  readonly placement: 'inControlsMenu';
  readonly targetBlank: boolean;
  readonly includeVars: false;
  readonly keepTime: boolean;
  readonly url: string;
}

/** A timeseries panel with Prometheus targets. */
interface TimeseriesPanel {
  readonly type: 'timeseries';
  readonly transparent: false;
  readonly repeatDirection: 'h';
  readonly options: {
    readonly legend: {
      readonly displayMode: 'list';
      readonly placement: 'bottom';
      readonly showLegend: false;
      readonly calcs: readonly string[];
    };
    readonly tooltip: { readonly mode: 'single'; readonly sort: 'asc' };
  };
  readonly fieldConfig: {
    readonly defaults: { readonly custom: object; readonly unit: string; links?: readonly Link[] };
    readonly overrides: readonly object[];
  };
  readonly title: string;
  readonly gridPos: GridPos;
  readonly description?: string;
  readonly targets: ReadonlyArray<{ readonly expr: string; readonly legendFormat: string }>;
}

/** A row: an expanded row with its panels after it (not nested). */
interface RowPanel {
  readonly type: 'row';
  readonly collapsed: false;
  readonly id: 0;
  readonly panels: readonly [];
  readonly title: string;
  readonly gridPos: { readonly x: 0; readonly y: number; readonly h: 1; readonly w: 24 };
}

/** The dashboard JSON model (schemaVersion 42). */
export interface DashboardJson {
  readonly timezone: 'browser';
  readonly editable: true;
  readonly graphTooltip: 0;
  readonly fiscalYearStartMonth: 0;
  readonly schemaVersion: 42;
  readonly templating: object;
  readonly annotations: object;
  readonly title: string;
  readonly uid: string;
  readonly tags: readonly string[];
  readonly refresh: string;
  readonly time: { readonly from: string; readonly to: string };
  readonly links?: readonly Link[];
  readonly panels: ReadonlyArray<RowPanel | TimeseriesPanel>;
}

function link(title: string, url: string, options: { icon?: string; keepTime?: boolean } = {}): Link {
  return {
    title,
    type: 'link',
    icon: options.icon ?? '',
    tooltip: '',
    tags: [],
    asDropdown: false,
    placement: 'inControlsMenu',
    targetBlank: true,
    includeVars: false,
    keepTime: options.keepTime ?? false,
    url,
  };
}

/** A timeseries panel 12 columns wide (`span`) and 8 rows high; the board places it. */
function panel(
  title: string,
  unit: string,
  queries: Query[],
  description?: string,
  options: { span?: number; dataLinks?: readonly Link[] } = {},
): TimeseriesPanel {
  return {
    type: 'timeseries',
    transparent: false,
    repeatDirection: 'h',
    options: {
      legend: { displayMode: 'list', placement: 'bottom', showLegend: false, calcs: [] },
      tooltip: { mode: 'single', sort: 'asc' },
    },
    fieldConfig: {
      defaults: { custom: {}, unit, ...(options.dataLinks ? { links: options.dataLinks } : {}) },
      overrides: [],
    },
    title,
    gridPos: { h: 8, w: options.span ?? 12, x: 0, y: 0 },
    ...(description ? { description } : {}),
    targets: queries.map((q) => ({ expr: q.expr, legendFormat: q.legend })),
  };
}

/**
 * A dashboard under construction. Panels flow left to right and wrap at 24 columns; a row starts
 * below the tallest panel of the line before it (the SDK's `withRow` / `withPanel` layout).
 */
class Board {
  private readonly panels: Array<RowPanel | TimeseriesPanel> = [];
  private readonly links: Link[] = [];
  private time = { from: 'now-6h', to: 'now' };
  private x = 0;
  private y = 0;
  private lastHeight = 0;

  constructor(
    private readonly uid: string,
    private readonly title: string,
    private readonly tags: string[],
  ) {}

  public timeRange(from: string, to: string): this {
    this.time = { from, to };
    return this;
  }

  public link(l: Link): this {
    this.links.push(l);
    return this;
  }

  public row(title: string): this {
    const y = this.y + this.lastHeight;
    this.panels.push({
      type: 'row',
      collapsed: false,
      id: 0,
      panels: [],
      title,
      gridPos: { x: 0, y, h: 1, w: 24 },
    });
    this.x = 0;
    this.y = y + 1;
    this.lastHeight = 0;
    return this;
  }

  public panel(p: TimeseriesPanel): this {
    p.gridPos.x = this.x;
    p.gridPos.y = this.y;
    this.panels.push(p);
    this.x += p.gridPos.w;
    this.lastHeight = Math.max(this.lastHeight, p.gridPos.h);
    if (this.x >= 24) {
      this.x = 0;
      this.y += this.lastHeight;
      this.lastHeight = 0;
    }
    return this;
  }

  public build(): DashboardJson {
    return {
      timezone: 'browser',
      editable: true,
      graphTooltip: 0,
      fiscalYearStartMonth: 0,
      schemaVersion: 42,
      templating: {},
      annotations: {},
      title: this.title,
      uid: this.uid,
      tags: ['cdktf-ai-infra', ...this.tags],
      refresh: '30s',
      time: this.time,
      ...(this.links.length ? { links: this.links } : {}),
      panels: this.panels,
    };
  }
}

function dashboard(uid: string, title: string, tags: string[]): Board {
  return new Board(uid, title, tags);
}

/** GPU health and utilisation from dcgm-exporter (both `Hostname` and `hostname` label spellings). */
export function gpuDashboard(): DashboardJson {
  const host = 'Hostname, hostname, gpu';
  return dashboard('cdktf-ai-gpus', 'GPUs (DCGM)', ['gpu', 'dcgm'])
    .row('Utilisation')
    .panel(
      panel('GPU utilisation', 'percent', [
        { expr: `avg by (${host})(DCGM_FI_DEV_GPU_UTIL)`, legend: '{{Hostname}}{{hostname}} gpu {{gpu}}' },
      ]),
    )
    .panel(
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
    .panel(
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
    .panel(
      panel('GPU utilisation by pod', 'percent', [
        { expr: 'avg by (namespace, pod)(DCGM_FI_DEV_GPU_UTIL{pod!=""})', legend: '{{namespace}}/{{pod}}' },
      ]),
    )
    .row('Health')
    .panel(
      panel('Temperature', 'celsius', [
        { expr: `max by (${host})(DCGM_FI_DEV_GPU_TEMP)`, legend: 'gpu {{Hostname}}{{hostname}} {{gpu}}' },
        {
          expr: `max by (${host})(DCGM_FI_DEV_MEMORY_TEMP < 1000)`,
          legend: 'memory {{Hostname}}{{hostname}} {{gpu}}',
        },
      ]),
    )
    .panel(
      panel('Power', 'watt', [
        { expr: `sum by (${host})(DCGM_FI_DEV_POWER_USAGE)`, legend: '{{Hostname}}{{hostname}} gpu {{gpu}}' },
      ]),
    )
    .panel(
      panel('XID errors (10 min)', 'short', [
        {
          expr: `sum by (${host}, xid)(max_over_time(DCGM_EXP_XID_ERRORS_COUNT[10m]))`,
          legend: '{{Hostname}}{{hostname}} gpu {{gpu}} xid {{xid}}',
        },
      ]),
    )
    .panel(
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
    .panel(
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

export function servingDashboard(options: ServingDashboardOptions = {}): DashboardJson {
  const by = 'namespace, model_name';
  const q = (metric: string, quantile: number) =>
    `histogram_quantile(${quantile}, sum by (le, ${by})(rate(${metric}_bucket[5m])))`;
  const board = dashboard('cdktf-ai-serving', 'LLM serving (vLLM)', ['llm', 'vllm']);
  if (options.traces) {
    // Model servers report `service.name` = the served model name (ModelServer sets OTEL_SERVICE_NAME).
    board.link(link('Traces (Tempo)', tempoExploreUrl('{}'), { icon: 'external link', keepTime: true }));
  }
  const dataLinks = options.traces
    ? [link(`Traces of ${MODEL_VAR}`, tempoExploreUrl(`{resource.service.name="${MODEL_VAR}"}`))]
    : undefined;
  return board
    .row('Latency')
    .panel(
      panel('Time to first token', 's', [
        { expr: q('vllm:time_to_first_token_seconds', 0.5), legend: 'p50 {{model_name}}' },
        { expr: q('vllm:time_to_first_token_seconds', 0.99), legend: 'p99 {{model_name}}' },
      ]),
    )
    .panel(
      panel('Inter-token latency', 's', [
        { expr: q('vllm:inter_token_latency_seconds', 0.5), legend: 'p50 {{model_name}}' },
        { expr: q('vllm:inter_token_latency_seconds', 0.99), legend: 'p99 {{model_name}}' },
      ]),
    )
    .panel(
      panel(
        'End-to-end request latency',
        's',
        [
          { expr: q('vllm:e2e_request_latency_seconds', 0.5), legend: 'p50 {{model_name}}' },
          { expr: q('vllm:e2e_request_latency_seconds', 0.99), legend: 'p99 {{model_name}}' },
        ],
        undefined,
        { dataLinks },
      ),
    )
    .panel(
      panel('Queue time', 's', [
        { expr: q('vllm:request_queue_time_seconds', 0.99), legend: 'p99 {{model_name}}' },
      ]),
    )
    .row('Throughput and load')
    .panel(
      panel('Tokens per second', 'short', [
        {
          expr: `sum by (${by})(rate(vllm:generation_tokens_total[5m]))`,
          legend: 'generated {{model_name}}',
        },
        { expr: `sum by (${by})(rate(vllm:prompt_tokens_total[5m]))`, legend: 'prompt {{model_name}}' },
      ]),
    )
    .panel(
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
    .panel(
      panel('KV cache usage', 'percentunit', [
        { expr: 'max by (namespace, pod, model_name)(vllm:kv_cache_usage_perc)', legend: '{{pod}}' },
      ]),
    )
    .panel(
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
    .row('Inference gateway: pools and variants')
    .panel(
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
    .panel(
      panel('Request rate per pool', 'reqps', [
        {
          expr: `sum by (namespace, model_name, pool)(${EPP_RATE_BY_POOL})`,
          legend: '{{model_name}} {{pool}}',
        },
      ]),
    )
    .panel(
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
    .panel(
      panel('Ready endpoints per pool', 'short', [
        { expr: 'max by (namespace, name)(llm_d_epp_ready_endpoints)', legend: '{{name}}' },
      ]),
    )
    .panel(
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
    .panel(
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
export function trainingDashboard(): DashboardJson {
  const training = `pod!="", pod!~"${SERVING_POD_PATTERN}"`;
  return dashboard('cdktf-ai-training', 'Training (JobSet + Kueue)', ['training', 'kueue', 'jobset'])
    .row('GPUs')
    .panel(
      panel('GPU utilisation by training pod', 'percent', [
        {
          expr: `avg by (namespace, pod)(DCGM_FI_DEV_GPU_UTIL{${training}})`,
          legend: '{{namespace}}/{{pod}}',
        },
      ]),
    )
    .panel(
      panel('NVLink bandwidth', 'Bps', [
        {
          expr: 'sum by (Hostname, hostname)(rate(DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL[5m]))',
          legend: '{{Hostname}}{{hostname}}',
        },
      ]),
    )
    .row('Queues and jobs')
    .panel(
      panel('Pending workloads', 'short', [
        {
          expr: 'sum by (cluster_queue, status)(kueue_pending_workloads)',
          legend: '{{cluster_queue}} {{status}}',
        },
      ]),
    )
    .panel(
      panel('Admission wait p90', 's', [
        {
          expr: 'histogram_quantile(0.9, sum by (le, cluster_queue)(rate(kueue_admission_wait_time_seconds_bucket[15m])))',
          legend: '{{cluster_queue}}',
        },
      ]),
    )
    .panel(
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
    .panel(
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
export function costDashboard(prices: readonly GpuPrice[]): DashboardJson {
  const d = dashboard('cdktf-ai-cost', 'LLM serving cost', ['cost', 'llm']).row(
    'Cost per 1,000 generated tokens',
  );
  for (const { accelerator, price } of prices) {
    const onAccel = `on (namespace, pod) group_left() kube_pod_labels{${KSM_ACCELERATOR_LABEL}="${accelerator.labelValue}"}`;
    const gpus = `sum(kube_pod_container_resource_requests{resource="nvidia_com_gpu", pod=~"${SERVING_POD_PATTERN}"} * ${onAccel})`;
    const tokens = `sum(rate(vllm:generation_tokens_total[5m]) * ${onAccel})`;
    const perSecond = `(${price.usd} / 3600)`;
    d.panel(
      panel(
        `${accelerator.id}: USD per 1,000 generated tokens`,
        'currencyUSD',
        [{ expr: `${perSecond} * ${gpus} / ${tokens} * 1000`, legend: accelerator.id }],
        `At $${price.usd}/GPU-hour (${price.region}, ${price.asOf}; ${price.source}). GPU time of idle replicas counts.`,
      ),
    );
    d.panel(
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
export function costAllocationDashboard(): DashboardJson {
  const S = COST_ALLOCATION_SERIES;
  return dashboard('cdktf-ai-cost-allocation', 'Cost per model and team', ['cost', 'llm'])
    .row('Per model')
    .panel(
      panel(
        'USD per million tokens',
        'currencyUSD',
        [{ expr: S.modelCostPerMillionTokens, legend: '{{namespace}}/{{model_name}}' }],
        'Cost of the model-server pods (GPUs, cores, memory as allocated) over prompt plus generated tokens. Absent while a model serves nothing.',
      ),
    )
    .panel(
      panel('Spend per hour', 'currencyUSD', [{ expr: S.modelCost, legend: '{{namespace}}/{{model_name}}' }]),
    )
    .panel(
      panel('Tokens per second', 'short', [{ expr: S.modelTokens, legend: '{{namespace}}/{{model_name}}' }]),
    )
    .row('Per team and namespace')
    .panel(
      panel('Team: USD per million tokens', 'currencyUSD', [
        { expr: S.teamCostPerMillionTokens, legend: '{{team}}' },
      ]),
    )
    .panel(
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
    .panel(
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
export function sloDashboard(slos: readonly ServiceLevelObjective[]): DashboardJson {
  const board = dashboard('cdktf-ai-slos', 'SLOs and error budgets', ['llm', 'slo']).timeRange(
    'now-7d',
    'now',
  );
  for (const slo of slos) {
    const sel = `{slo="${slo.name}"}`;
    const budget = slo.errorBudget;
    board
      .row(`${slo.name} (${slo.objectivePercent}% over ${slo.windowDays}d)`)
      .panel(
        panel(
          'SLI (good events)',
          'percentunit',
          [
            { expr: `1 - slo:sli_error:ratio_rate1h${sel}`, legend: '1h' },
            { expr: `1 - slo:sli_error:ratio_rate1d${sel}`, legend: '1d' },
          ],
          undefined,
          { span: 8 },
        ),
      )
      .panel(
        panel(
          'Burn rate',
          'none',
          [
            { expr: `slo:sli_error:ratio_rate1h${sel} / ${budget}`, legend: '1h (pages above 14.4 at 30d)' },
            { expr: `slo:sli_error:ratio_rate6h${sel} / ${budget}`, legend: '6h' },
            { expr: `slo:sli_error:ratio_rate3d${sel} / ${budget}`, legend: '3d' },
          ],
          '1 means the budget lasts exactly the window.',
          { span: 8 },
        ),
      )
      .panel(
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
          { span: 8 },
        ),
      );
  }
  return board.build();
}
