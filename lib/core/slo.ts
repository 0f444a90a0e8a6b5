import { AlertGroup, AlertSeverity, PrometheusAlertingRule, ResolvedAlertRule, promDuration } from './alerts';
import { ValidationError } from './errors';
import { Validate } from './validation';

/**
 * What a service-level indicator measures. The latency indicators read vLLM's request histograms
 * (so the threshold must be one of their bucket boundaries); availability reads the HTTP
 * request counter the OpenAI-compatible server exports (`http_requests_total`, status classes).
 */
export enum SloIndicator {
  /** Share of `/v1/*` requests that do not fail with a 5xx status. */
  AVAILABILITY = 'availability',
  /** Share of requests whose time to first token is at most the threshold. */
  TIME_TO_FIRST_TOKEN = 'ttft',
  /** Share of inter-token intervals at most the threshold (streaming smoothness). */
  INTER_TOKEN_LATENCY = 'itl',
  /** Share of requests whose end-to-end latency is at most the threshold. */
  E2E_LATENCY = 'e2e',
}

/**
 * Bucket boundaries of vLLM V1's request histograms (`vllm/v1/metrics/loggers.py`,
 * `PrometheusStatLogger`, vLLM 0.11 and later). A latency SLI counts the requests in the bucket
 * `le=<threshold>`, so a threshold between boundaries cannot be measured.
 */
const VLLM_BUCKETS: Record<
  Exclude<SloIndicator, SloIndicator.AVAILABILITY>,
  { metric: string; buckets: number[] }
> = {
  [SloIndicator.TIME_TO_FIRST_TOKEN]: {
    metric: 'vllm:time_to_first_token_seconds',
    buckets: [
      0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160,
      640, 2560,
    ],
  },
  [SloIndicator.INTER_TOKEN_LATENCY]: {
    metric: 'vllm:inter_token_latency_seconds',
    buckets: [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80],
  },
  [SloIndicator.E2E_LATENCY]: {
    metric: 'vllm:e2e_request_latency_seconds',
    buckets: [0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680],
  },
};

/** The histogram boundaries a latency SLO threshold may take, per indicator (seconds). */
export function sloLatencyBuckets(indicator: SloIndicator): readonly number[] {
  if (indicator === SloIndicator.AVAILABILITY) {
    return [];
  }
  return VLLM_BUCKETS[indicator].buckets;
}

/**
 * One alerting window pair of the multiwindow, multi-burn-rate method (Google SRE workbook,
 * "Alerting on SLOs", table 5-8): alert when the error budget burns at `budgetPercent` of the
 * whole window's budget within `longWindowSeconds`, confirmed over `shortWindowSeconds`.
 */
interface BurnWindow {
  readonly longWindowSeconds: number;
  readonly shortWindowSeconds: number;
  readonly budgetPercent: number;
  readonly severity: AlertSeverity;
}

/** The SRE workbook's recommended windows: two that page, two that open a ticket. */
const BURN_WINDOWS: readonly BurnWindow[] = [
  { longWindowSeconds: 3600, shortWindowSeconds: 300, budgetPercent: 2, severity: AlertSeverity.CRITICAL },
  {
    longWindowSeconds: 6 * 3600,
    shortWindowSeconds: 1800,
    budgetPercent: 5,
    severity: AlertSeverity.CRITICAL,
  },
  {
    longWindowSeconds: 24 * 3600,
    shortWindowSeconds: 2 * 3600,
    budgetPercent: 10,
    severity: AlertSeverity.WARNING,
  },
  {
    longWindowSeconds: 3 * 24 * 3600,
    shortWindowSeconds: 6 * 3600,
    budgetPercent: 10,
    severity: AlertSeverity.WARNING,
  },
];

/** Every window an SLI error ratio is recorded for. */
const RECORDED_WINDOWS: readonly number[] = [
  ...new Set(BURN_WINDOWS.flatMap((w) => [w.shortWindowSeconds, w.longWindowSeconds])),
].sort((a, b) => a - b);

/** Properties of a {@link ServiceLevelObjective}. */
export interface ServiceLevelObjectiveProps {
  /**
   * Name of the SLO, unique in a set: lower-case letters, digits and `-`, at most 63 characters.
   * It is the `slo` label of the recorded series and the alerts.
   */
  readonly name: string;
  /** What is measured. */
  readonly indicator: SloIndicator;
  /**
   * The served model name (vLLM's `model_name` label; `--served-model-name`). The latency
   * indicators select on it; availability carries it as a label.
   */
  readonly model: string;
  /**
   * Target share of good events, in percent: `99.9` means 0.1 % of events may be bad.
   * Between 50 and 99.999.
   */
  readonly objectivePercent: number;
  /**
   * The SLO window in days: the error budget is `100 - objectivePercent` percent of the events
   * in this many days. Burn-rate factors scale with it. An integer from 1 to 90.
   * @default 30
   */
  readonly windowDays?: number;
  /**
   * For latency indicators: the threshold in seconds. It must be one of vLLM's histogram
   * bucket boundaries for the indicator ({@link sloLatencyBuckets}).
   * @default - required for latency indicators; not allowed for availability
   */
  readonly latencyThresholdSeconds?: number;
  /**
   * Label matchers that select this model's series, for example
   * `['namespace="llm"', 'service="llama-8b"']`. Required for availability, because
   * `http_requests_total` carries no model label; optional for latency indicators.
   * @default - none
   */
  readonly matchers?: string[];
}

/** A Prometheus recording rule. */
export interface PrometheusRecordingRule {
  /** Name of the recorded series. */
  readonly record: string;
  /** PromQL expression. */
  readonly expr: string;
  /** Labels added to the recorded series. */
  readonly labels: Record<string, string>;
}

/** A rule group of recording and alerting rules (PrometheusRule `spec.groups[]`, AMP rule files). */
export interface SloRuleGroup {
  /** Group name. */
  readonly name: string;
  /** Evaluation interval. */
  readonly interval: string;
  /** Recording rules first, then alerts. */
  readonly rules: Array<PrometheusRecordingRule | PrometheusAlertingRule>;
}

const NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * A service-level objective for one served model, defined once and rendered by every alerting
 * backend as multiwindow, multi-burn-rate alerts (Google SRE workbook, "Alerting on SLOs";
 * the same scheme Sloth and Pyrra generate): Prometheus and Amazon Managed Prometheus get
 * recording rules per window plus two alerts, Cloud Monitoring gets the same conditions inline.
 *
 * @example
 * const availability = new ServiceLevelObjective({
 *   name: 'llama-8b-availability',
 *   indicator: SloIndicator.AVAILABILITY,
 *   model: 'llama-3.1-8b',
 *   objectivePercent: 99.9,
 *   matchers: ['namespace="llm"', 'service="llama-8b"'],
 * });
 * const ttft = new ServiceLevelObjective({
 *   name: 'llama-8b-ttft',
 *   indicator: SloIndicator.TIME_TO_FIRST_TOKEN,
 *   model: 'llama-3.1-8b',
 *   objectivePercent: 99,
 *   latencyThresholdSeconds: 1,
 * });
 */
export class ServiceLevelObjective {
  /** The SLO's name (`slo` label). */
  public readonly name: string;
  /** What is measured. */
  public readonly indicator: SloIndicator;
  /** The served model name. */
  public readonly model: string;
  /** Target share of good events, percent. */
  public readonly objectivePercent: number;
  /** The window in days. */
  public readonly windowDays: number;
  /** Latency threshold in seconds (latency indicators). */
  public readonly latencyThresholdSeconds?: number;
  /** The selecting matchers. */
  public readonly matchers: readonly string[];

  constructor(props: ServiceLevelObjectiveProps) {
    const where = `SLO '${String(props?.name)}'`;
    if (typeof props?.name !== 'string' || !NAME.test(props.name)) {
      throw new ValidationError(
        `'name' (${JSON.stringify(props?.name)}) must be 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit, for example 'llama-8b-availability'.`,
      );
    }
    if (!Object.values(SloIndicator).includes(props.indicator)) {
      throw new ValidationError(
        `${where}: 'indicator' (${JSON.stringify(props.indicator)}) must be one of SloIndicator.${Object.keys(SloIndicator).join(', SloIndicator.')}.`,
      );
    }
    if (typeof props.model !== 'string' || props.model.trim() === '' || /["\\\n]/.test(props.model)) {
      throw new ValidationError(
        `${where}: 'model' (${JSON.stringify(props.model)}) must be the non-empty served model name (vLLM's --served-model-name) without quotes, backslashes or line breaks.`,
      );
    }
    const objective = props.objectivePercent;
    if (
      typeof objective !== 'number' ||
      !Number.isFinite(objective) ||
      objective < 50 ||
      objective > 99.999
    ) {
      throw new ValidationError(
        `${where}: 'objectivePercent' (${String(objective)}) must be a number from 50 to 99.999, for example 99.9.`,
      );
    }
    const windowDays = props.windowDays ?? 30;
    if (
      typeof windowDays !== 'number' ||
      !Number.isInteger(windowDays) ||
      windowDays < 1 ||
      windowDays > 90
    ) {
      throw new ValidationError(
        `${where}: 'windowDays' (${String(props.windowDays)}) must be an integer from 1 to 90 (28 or 30 are usual).`,
      );
    }
    if (windowDays * 24 * 3600 < BURN_WINDOWS[BURN_WINDOWS.length - 1].longWindowSeconds) {
      throw new ValidationError(
        `${where}: 'windowDays' (${windowDays}) is shorter than the 3-day burn-rate window: use at least 3 days.`,
      );
    }
    const matchers = inSlo(where, () => Validate.array<string>(undefined, 'matchers', props.matchers ?? []));
    matchers.forEach((m, i) => inSlo(where, () => Validate.promqlMatcher(undefined, `matchers[${i}]`, m)));
    if (props.indicator === SloIndicator.AVAILABILITY) {
      if (props.latencyThresholdSeconds !== undefined) {
        throw new ValidationError(
          `${where}: 'latencyThresholdSeconds' applies to latency indicators only; remove it from the availability SLO.`,
        );
      }
      if (matchers.length === 0) {
        throw new ValidationError(
          `${where}: an availability SLO needs 'matchers' that select the model server's series (http_requests_total has no model label), for example ['namespace="llm"', 'service="llama-8b"'].`,
        );
      }
    } else {
      const allowed = VLLM_BUCKETS[props.indicator].buckets;
      const t = props.latencyThresholdSeconds;
      if (t === undefined || !allowed.includes(t)) {
        throw new ValidationError(
          `${where}: 'latencyThresholdSeconds' (${String(t)}) must be one of the bucket boundaries of ${VLLM_BUCKETS[props.indicator].metric}: ${allowed.join(', ')} s. A threshold between boundaries cannot be measured; pick the nearest.`,
        );
      }
    }
    this.name = props.name;
    this.indicator = props.indicator;
    this.model = props.model;
    this.objectivePercent = objective;
    this.windowDays = windowDays;
    this.latencyThresholdSeconds = props.latencyThresholdSeconds;
    this.matchers = matchers;
  }

  /** The error budget as a ratio (`1 - objective`), for example 0.001 for 99.9 %. */
  public get errorBudget(): number {
    return Number((1 - this.objectivePercent / 100).toPrecision(12));
  }

  /** Metrics the SLI reads, so a backend can say what must be collected. */
  public get metrics(): string[] {
    if (this.indicator === SloIndicator.AVAILABILITY) {
      return ['http_requests_total'];
    }
    const m = VLLM_BUCKETS[this.indicator].metric;
    return [`${m}_bucket`, `${m}_count`];
  }

  /**
   * The SLI's error ratio over a window (bad events / all events), as PromQL.
   * @param windowSeconds the range
   */
  public errorRatioExpr(windowSeconds: number): string {
    const metric = (n: string) => n;
    const w = sloDuration(windowSeconds);
    const sel = (...extra: string[]) => `{${[...this.matchers, ...extra].join(', ')}}`;
    if (this.indicator === SloIndicator.AVAILABILITY) {
      const total = metric('http_requests_total');
      return (
        `(sum(rate(${total}${sel('handler=~"/v1/.*"', 'status="5xx"')}[${w}])) or vector(0)) / ` +
        `sum(rate(${total}${sel('handler=~"/v1/.*"')}[${w}]))`
      );
    }
    const base = VLLM_BUCKETS[this.indicator].metric;
    const model = `model_name="${this.model}"`;
    const le = `le="${pythonFloat(this.latencyThresholdSeconds!)}"`;
    return (
      `1 - (sum(rate(${metric(`${base}_bucket`)}${sel(model, le)}[${w}])) / ` +
      `sum(rate(${metric(`${base}_count`)}${sel(model)}[${w}])))`
    );
  }

  /** The labels every recorded series and alert of this SLO carries. */
  public get labels(): Record<string, string> {
    return { slo: this.name, model: this.model, indicator: this.indicator };
  }

  /** Burn-rate factor for a window pair: budget share consumed × SLO window / long window. */
  private burnFactor(w: BurnWindow): number {
    return Number(
      ((w.budgetPercent / 100) * ((this.windowDays * 24 * 3600) / w.longWindowSeconds)).toPrecision(12),
    );
  }

  /** Condition of one severity over the recorded (or inline) error ratios. */
  private burnCondition(severity: AlertSeverity, ratio: (windowSeconds: number) => string): string {
    return BURN_WINDOWS.filter((w) => w.severity === severity)
      .map((w) => {
        const limit = `(${this.burnFactor(w)} * ${this.errorBudget})`;
        return `(${ratio(w.longWindowSeconds)} > ${limit} and ${ratio(w.shortWindowSeconds)} > ${limit})`;
      })
      .join(' or ');
  }

  /** The two alerts (page and ticket) with their summary and runbook. */
  private alertDefinitions(): Array<{
    name: string;
    severity: AlertSeverity;
    summary: string;
    runbook: string;
  }> {
    const what = describe(this);
    return [
      {
        name: 'SLOErrorBudgetBurnFast',
        severity: AlertSeverity.CRITICAL,
        summary: `${this.name}: error budget burning fast (${what}; objective ${this.objectivePercent}% over ${this.windowDays}d)`,
        runbook:
          'At this rate the whole error budget is gone within days (2% in 1 h or 5% in 6 h). Page: check the serving alerts (5xx, TTFT, queue, KV cache, GPU XID) for the cause, roll back a recent change or add capacity.',
      },
      {
        name: 'SLOErrorBudgetBurnSlow',
        severity: AlertSeverity.WARNING,
        summary: `${this.name}: error budget burning (${what}; objective ${this.objectivePercent}% over ${this.windowDays}d)`,
        runbook:
          'The budget burns faster than the window allows (10% in 1 or 3 days). Open a ticket: look at the trend on the error-budget dashboard and plan capacity or a fix before it becomes a page.',
      },
    ];
  }

  /**
   * Recording rules (one error ratio per window) and the two burn-rate alerts, for Prometheus
   * and Amazon Managed Prometheus.
   */
  public toPrometheusRuleGroup(extraLabels: Record<string, string> = {}): SloRuleGroup {
    const record = (windowSeconds: number) => `slo:sli_error:ratio_rate${sloDuration(windowSeconds)}`;
    const recorded = (windowSeconds: number) => `${record(windowSeconds)}{slo="${this.name}"}`;
    return {
      name: `slo-${this.name}`,
      interval: '30s',
      rules: [
        ...RECORDED_WINDOWS.map((w) => ({
          record: record(w),
          expr: this.errorRatioExpr(w),
          labels: this.labels,
        })),
        ...this.alertDefinitions().map((a) => ({
          alert: a.name,
          expr: this.burnCondition(a.severity, recorded),
          labels: { ...this.labels, severity: a.severity, ...extraLabels },
          annotations: { summary: a.summary, runbook: a.runbook },
        })),
      ],
    };
  }

  /**
   * The two burn-rate alerts with the error ratios inline (no recording rules), for backends that
   * evaluate alert conditions only, such as Cloud Monitoring's PromQL alert policies. Names are
   * `SLOErrorBudgetBurnFast_<slo>` and `SLOErrorBudgetBurnSlow_<slo>` (`-` becomes `_`).
   */
  public toAlertRules(): ResolvedAlertRule[] {
    return this.alertDefinitions().map((a) => ({
      name: `${a.name}_${this.name.replace(/-/g, '_')}`,
      group: AlertGroup.LLM_SERVING,
      expr: this.burnCondition(a.severity, (w) => `(${this.errorRatioExpr(w)})`),
      threshold: this.errorBudget,
      unit: 'ratio',
      forSeconds: 0,
      for: '0s',
      severity: a.severity,
      summary: a.summary,
      runbook: a.runbook,
      metrics: this.metrics,
    }));
  }
}

/**
 * Checks the SLO list a backend was given: an array of {@link ServiceLevelObjective} with unique
 * names. Returns a copy (empty when `slos` is undefined).
 * @param slos the list as the user passed it
 * @param prop the prop name, for the message
 */
export function checkSloSet(
  slos: readonly ServiceLevelObjective[] | undefined,
  prop: string,
): ServiceLevelObjective[] {
  if (slos === undefined) {
    return [];
  }
  if (!Array.isArray(slos) || slos.some((s) => !(s instanceof ServiceLevelObjective))) {
    throw new ValidationError(`'${prop}' must be an array of ServiceLevelObjective.`);
  }
  const seen = new Set<string>();
  for (const s of slos) {
    if (seen.has(s.name)) {
      throw new ValidationError(
        `'${prop}' names SLO '${s.name}' twice: SLO names must be unique, they label the recorded series.`,
      );
    }
    seen.add(s.name);
  }
  return [...slos];
}

function describe(s: ServiceLevelObjective): string {
  switch (s.indicator) {
    case SloIndicator.AVAILABILITY:
      return `requests of ${s.model} without 5xx`;
    case SloIndicator.TIME_TO_FIRST_TOKEN:
      return `time to first token of ${s.model} <= ${s.latencyThresholdSeconds}s`;
    case SloIndicator.INTER_TOKEN_LATENCY:
      return `inter-token latency of ${s.model} <= ${s.latencyThresholdSeconds}s`;
    default:
      return `end-to-end latency of ${s.model} <= ${s.latencyThresholdSeconds}s`;
  }
}

/** Runs a core validator and prefixes its message with the SLO, keeping its code. */
function inSlo<T>(where: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ValidationError) {
      throw new ValidationError(`${where}: ${e.detail}`, undefined, e.code);
    }
    throw e;
  }
}

/** A window as a Prometheus duration, whole days as `1d` / `3d` (the names Sloth and Pyrra use). */
function sloDuration(seconds: number): string {
  return seconds % 86400 === 0 ? `${seconds / 86400}d` : promDuration(seconds);
}

/**
 * A bucket boundary as Python's prometheus_client writes the `le` label (`floatToGoString`:
 * `1.0`, `0.5`, `2560.0`); Prometheus 3 normalises integral `le` values to the same form.
 */
function pythonFloat(n: number): string {
  return Number.isInteger(n) ? `${n}.0` : String(n);
}
