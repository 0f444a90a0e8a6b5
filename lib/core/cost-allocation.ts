import { ValidationError } from './errors';
import type { PrometheusRecordingRule } from './slo';
import { Validate } from './validation';

/**
 * The metrics the cost-allocation rules read: OpenCost's allocation and node price gauges
 * (`opencost/opencost` `pkg/costmodel/metrics.go`: `container_*_allocation{namespace, pod,
 * container, node}`, `node_*_hourly_cost{node}`, prices per GPU, per CPU core and per GiB of
 * memory), vLLM's V1 token counters and request gauge (labelled `model_name`), and
 * kube-state-metrics' `kube_namespace_labels` (the team label of a namespace, allow-listed by
 * `MonitoringStack`).
 */
export const COST_ALLOCATION_METRICS: readonly string[] = [
  'container_gpu_allocation',
  'container_cpu_allocation',
  'container_memory_allocation_bytes',
  'node_gpu_hourly_cost',
  'node_cpu_hourly_cost',
  'node_ram_hourly_cost',
  'vllm:num_requests_running',
  'vllm:prompt_tokens_total',
  'vllm:generation_tokens_total',
  'kube_namespace_labels',
];

/**
 * The recorded series, by what they mean. `llm_cost_per_million_tokens` reuses the name and labels
 * (`model_name`, `namespace`) of llm-d's "Track Inference Cost" guide so its dashboards read it.
 */
export const COST_ALLOCATION_SERIES = {
  /** USD per hour of each pod, by `resource` (`gpu`, `cpu`, `memory`). */
  podCost: 'cdktf_ai:pod_cost_usd_per_hour',
  /** USD per hour of each namespace. */
  namespaceCost: 'cdktf_ai:namespace_cost_usd_per_hour',
  /** USD per hour of the model-server pods of each model (`namespace`, `model_name`). */
  modelCost: 'cdktf_ai:model_cost_usd_per_hour',
  /** Prompt plus generated tokens per second of each model. */
  modelTokens: 'cdktf_ai:model_tokens_per_second',
  /** USD per million tokens of each model (absent while a model serves no tokens). */
  modelCostPerMillionTokens: 'llm_cost_per_million_tokens',
  /** USD per hour of every pod in the team's namespaces (serving, training, everything). */
  teamCost: 'cdktf_ai:team_cost_usd_per_hour',
  /** USD per hour of the team's model servers. */
  teamServingCost: 'cdktf_ai:team_serving_cost_usd_per_hour',
  /** Tokens per second the team's model servers produce and read. */
  teamTokens: 'cdktf_ai:team_tokens_per_second',
  /** USD per million tokens of the team's model servers. */
  teamCostPerMillionTokens: 'cdktf_ai:team_cost_usd_per_million_tokens',
} as const;

/** Options of {@link costAllocationRuleGroup}. */
export interface CostAllocationRuleOptions {
  /**
   * The namespace label that names the owning team (read from `kube_namespace_labels`, where
   * kube-state-metrics writes it as `label_<key with non-alphanumerics as _>`).
   * @default 'team'
   */
  readonly teamLabel?: string;
  /**
   * Extra label matchers on the vLLM metrics, for example `['namespace="llm"']`.
   * @default - none
   */
  readonly servingMatchers?: string[];
}

/** A group of recording rules (PrometheusRule `spec.groups[]`, AMP rule files). */
export interface PrometheusRecordingRuleGroup {
  /** Group name. */
  readonly name: string;
  /** Evaluation interval. */
  readonly interval: string;
  /** The recording rules, in dependency order. */
  readonly rules: PrometheusRecordingRule[];
}

/** kube-state-metrics' label name for a Kubernetes label key (`team` -> `label_team`). */
export function kubeStateMetricsLabel(key: string): string {
  return `label_${key.replace(/[^a-zA-Z0-9_]/g, '_')}`;
}

/**
 * Recording rules for cost per model, namespace and team, from OpenCost's allocation joined with
 * the engines' token counters:
 *
 * 1. each pod's cost per hour: allocated GPUs, CPU cores and memory (GiB) times its node's prices;
 * 2. per namespace, and per model (the pods that report `vllm:num_requests_running` for a
 *    `model_name`);
 * 3. tokens per second per model; cost per million tokens per model
 *    (`llm_cost_per_million_tokens`);
 * 4. the same per team, through the team label of the namespaces.
 *
 * Allocation is what the pods reserved (whole GPUs while a pod runs), not what they used.
 *
 * @example
 * const group = costAllocationRuleGroup({ teamLabel: 'team', servingMatchers: ['namespace="llm"'] });
 */
export function costAllocationRuleGroup(
  options: CostAllocationRuleOptions = {},
): PrometheusRecordingRuleGroup {
  Validate.object(undefined, 'costAllocation', options);
  const team = options.teamLabel ?? 'team';
  Validate.k8sLabelKey(undefined, 'costAllocation.teamLabel', team);
  const matchers = Validate.array<string>(
    undefined,
    'costAllocation.servingMatchers',
    options.servingMatchers ?? [],
  );
  matchers.forEach((m, i) => Validate.promqlMatcher(undefined, `costAllocation.servingMatchers[${i}]`, m));
  const ksmTeam = kubeStateMetricsLabel(team);
  if (ksmTeam === 'label_') {
    throw new ValidationError(`'costAllocation.teamLabel' ('${team}') has no name part.`);
  }
  const sel = (...extra: string[]) => {
    const all = [...matchers, ...extra];
    return all.length ? `{${all.join(', ')}}` : '';
  };
  const S = COST_ALLOCATION_SERIES;
  const priced = (allocation: string, price: string, resource: string) =>
    `label_replace(${allocation} * on (node) group_left () max by (node) (${price}), "resource", "${resource}", "", "")`;
  const byTeam = (series: string) =>
    `sum by (team) (label_replace(${series} * on (namespace) group_left (${ksmTeam}) max by (namespace, ${ksmTeam}) (kube_namespace_labels{${ksmTeam}!=""}), "team", "$1", "${ksmTeam}", "(.+)"))`;
  const rules: PrometheusRecordingRule[] = [
    {
      record: S.podCost,
      expr:
        `sum by (namespace, pod, resource) (` +
        `${priced('container_gpu_allocation', 'node_gpu_hourly_cost', 'gpu')} or ` +
        `${priced('container_cpu_allocation', 'node_cpu_hourly_cost', 'cpu')} or ` +
        `${priced('container_memory_allocation_bytes / 1073741824', 'node_ram_hourly_cost', 'memory')})`,
      labels: {},
    },
    { record: S.namespaceCost, expr: `sum by (namespace) (${S.podCost})`, labels: {} },
    {
      record: S.modelCost,
      expr:
        `sum by (namespace, model_name) (sum by (namespace, pod) (${S.podCost}) * on (namespace, pod) group_left (model_name) ` +
        `group by (namespace, pod, model_name) (vllm:num_requests_running${sel()}))`,
      labels: {},
    },
    {
      record: S.modelTokens,
      expr:
        `sum by (namespace, model_name) (rate(vllm:prompt_tokens_total${sel()}[5m])) + ` +
        `sum by (namespace, model_name) (rate(vllm:generation_tokens_total${sel()}[5m]))`,
      labels: {},
    },
    {
      record: S.modelCostPerMillionTokens,
      expr: `${S.modelCost} / (${S.modelTokens} * 3600 > 0) * 1e6`,
      labels: {},
    },
    { record: S.teamCost, expr: byTeam(S.namespaceCost), labels: {} },
    { record: S.teamServingCost, expr: byTeam(`sum by (namespace) (${S.modelCost})`), labels: {} },
    { record: S.teamTokens, expr: byTeam(`sum by (namespace) (${S.modelTokens})`), labels: {} },
    {
      record: S.teamCostPerMillionTokens,
      expr: `${S.teamServingCost} / (${S.teamTokens} * 3600 > 0) * 1e6`,
      labels: {},
    },
  ];
  return { name: 'cost-allocation', interval: '1m', rules };
}
