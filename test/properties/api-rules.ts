import { parse as parseYaml } from 'yaml';

/**
 * The rules of the APIs the synthesized values go to, written from the cloud and Kubernetes
 * documentation (each cited), applied to a whole synthesized stack. A property test synthesizes
 * a construct with a hostile prop and asserts that whatever it emits (when it did not throw a
 * ValidationError) passes every rule here.
 *
 * These rules are independent of lib/core/validation.ts on purpose: they are written from the
 * documentation again, so a validator that is too lax is caught here.
 */

interface LezerNode {
  readonly type: { readonly isError: boolean };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require('@prometheus-io/lezer-promql') as {
  parser: { parse(input: string): { iterate(spec: { enter(node: LezerNode): void }): void } };
};

/**
 * Results by input: the suites synthesize thousands of stacks whose alert expressions and Helm
 * values are mostly the same text again; each text is parsed once per test file.
 */
const parsedPromql = new Map<string, boolean>();
const yamlProblems = new Map<string, string[]>();

/** Whether PromQL parses with Prometheus's own grammar (@prometheus-io/lezer-promql). */
export function promqlParses(expr: string): boolean {
  let known = parsedPromql.get(expr);
  if (known === undefined) parsedPromql.set(expr, (known = parsesUncached(expr)));
  return known;
}

function parsesUncached(expr: string): boolean {
  let ok = true;
  parser.parse(expr).iterate({
    enter: (n) => {
      if (n.type.isError) ok = false;
    },
  });
  return ok && expr.trim() !== '';
}

type Json = any;
type Rule = (value: Json) => string | undefined;

// --- Kubernetes: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/ and
// .../labels/#syntax-and-character-set; kubernetes/apimachinery pkg/util/validation.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const k8sLabel: Rule = (v) =>
  typeof v === 'string' && v.length <= 63 && DNS_LABEL.test(v) ? undefined : 'not an RFC 1123 label (63)';
const k8sSubdomain: Rule = (v) =>
  typeof v === 'string' && v.length <= 253 && DNS_SUBDOMAIN.test(v)
    ? undefined
    : 'not an RFC 1123 subdomain (253)';
function k8sLabelKeyOk(k: string): boolean {
  const parts = k.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (name.length > 63 || !/^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/.test(name)) return false;
  return parts.length === 1 || (parts[0].length <= 253 && DNS_SUBDOMAIN.test(parts[0]));
}
function k8sLabelValueOk(v: unknown): boolean {
  return typeof v === 'string' && v.length <= 63 && /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v);
}
const k8sLabels: Rule = (m) => {
  if (m === undefined || m === null) return undefined;
  for (const [k, v] of Object.entries(m as Record<string, unknown>)) {
    if (!k8sLabelKeyOk(k)) return `label key '${k}'`;
    if (!k8sLabelValueOk(v)) return `label value '${String(v)}' of '${k}'`;
  }
  return undefined;
};
// https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/#syntax-and-character-set:
// keys are qualified names like label keys, values any string. Gateway API v1
// GatewayInfrastructure.annotations (sigs.k8s.io/gateway-api apis/v1/gateway_types.go): at most 8
// entries, values at most 4096 characters.
const k8sAnnotations: Rule = (m) => {
  if (m === undefined || m === null) return undefined;
  for (const [k, v] of Object.entries(m as Record<string, unknown>)) {
    if (!k8sLabelKeyOk(k)) return `annotation key '${k}'`;
    if (typeof v !== 'string') return `annotation value of '${k}' is not a string`;
  }
  return undefined;
};
const gatewayInfrastructureAnnotations: Rule = (m) => {
  const base = k8sAnnotations(m);
  if (base) return base;
  const entries = Object.entries((m ?? {}) as Record<string, string>);
  if (entries.length > 8) return `${entries.length} infrastructure annotations (max 8)`;
  const long = entries.find(([, v]) => v.length > 4096);
  return long ? `annotation '${long[0]}' longer than 4096` : undefined;
};
// https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
const QUANTITY = /^[+]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;
const quantity: Rule = (v) =>
  (typeof v === 'string' && QUANTITY.test(v)) || (typeof v === 'number' && Number.isFinite(v) && v >= 0)
    ? undefined
    : `quantity ${JSON.stringify(v)}`;
// Prometheus duration: prometheus/common model/time.go ParseDuration.
const PROM_DURATION = /^((\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?|0)$/;
const promDuration: Rule = (v) =>
  typeof v === 'string' && v !== '' && PROM_DURATION.test(v)
    ? undefined
    : `Prometheus duration ${JSON.stringify(v)}`;

// --- Google Cloud: https://cloud.google.com/resource-manager/docs/labels-overview#requirements
const gcpLabels: Rule = (m) => {
  if (m === undefined || m === null || typeof m !== 'object') return undefined;
  const entries = Object.entries(m as Record<string, unknown>);
  if (entries.length > 64) return `${entries.length} labels (max 64)`;
  for (const [k, v] of entries) {
    if (k.includes('${')) continue;
    if (!/^\p{Ll}[\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u.test(k)) return `GCP label key '${k}'`;
    if (typeof v !== 'string' || (!v.includes('${') && !/^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u.test(v))) {
      return `GCP label value '${String(v)}' of '${k}'`;
    }
  }
  return undefined;
};
// https://cloud.google.com/compute/docs/naming-resources#resource-name-format (RFC 1035, 63).
const gceName =
  (max = 63): Rule =>
  (v) =>
    typeof v === 'string' && v.length <= max && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(v)
      ? undefined
      : `GCE name (max ${max})`;
// https://cloud.google.com/storage/docs/buckets#naming
const gcsBucket: Rule = (v) => {
  if (typeof v !== 'string') return 'bucket name not a string';
  const ok =
    v.length >= 3 &&
    v.length <= (v.includes('.') ? 222 : 63) &&
    /^[a-z0-9][a-z0-9._-]*[a-z0-9]$/.test(v) &&
    !v.startsWith('goog') &&
    !/g[o0][o0]g[l1]e/.test(v) &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(v) &&
    v.split('.').every((p) => p.length > 0 && p.length <= 63);
  return ok ? undefined : 'GCS bucket name';
};
// https://cloud.google.com/iam/docs/service-accounts-create#creating: account id 6-30, [a-z][-a-z0-9]*[a-z0-9].
const gcpServiceAccountId: Rule = (v) =>
  typeof v === 'string' && /^[a-z]([-a-z0-9]{4,28})[a-z0-9]$/.test(v) ? undefined : 'service account id';
// https://cloud.google.com/resource-manager/docs/creating-managing-projects
const gcpProject: Rule = (v) =>
  typeof v === 'string' && /^([a-z0-9.-]+:)?[a-z][-a-z0-9]{4,28}[a-z0-9]$/.test(v) ? undefined : 'project id';

// --- AWS
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
const s3Bucket =
  (max = 63, prefix = false): Rule =>
  (v) => {
    if (typeof v !== 'string') return 'bucket name not a string';
    const ok =
      v.length >= (prefix ? 1 : 3) &&
      v.length <= max &&
      (prefix ? /^[a-z0-9][a-z0-9.-]*$/ : /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/).test(v) &&
      !v.includes('..') &&
      !/^\d+\.\d+\.\d+\.\d+$/.test(v) &&
      !/^(xn--|sthree-|amzn-s3-demo-)/.test(v) &&
      !/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(v);
    return ok ? undefined : `S3 bucket name (max ${max})`;
  };
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html: 1-64 [\w+=,.@-].
const iamName =
  (max: number): Rule =>
  (v) =>
    typeof v === 'string' && v.length >= 1 && v.length <= max && /^[\w+=,.@-]+$/.test(v)
      ? undefined
      : `IAM name (max ${max})`;
// https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html: 1-100, ^[0-9A-Za-z][A-Za-z0-9\-_]*.
const eksName: Rule = (v) =>
  typeof v === 'string' && v.length <= 100 && /^[0-9A-Za-z][A-Za-z0-9\-_]*$/.test(v)
    ? undefined
    : 'EKS cluster name';
// https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html: node group name 1-63.
const nodeGroupName: Rule = (v) =>
  typeof v === 'string' && v.length <= 63 && /^[0-9A-Za-z][A-Za-z0-9\-_]*$/.test(v)
    ? undefined
    : 'node group name';
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
const LOG_RETENTION = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
// https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Spend.html: Amount, a decimal string.
const decimalString: Rule = (v) =>
  typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? undefined : `decimal amount ${JSON.stringify(v)}`;
// https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html: key 1-128, value 0-256.
const awsTags: Rule = (m) => {
  if (!m || typeof m !== 'object') return undefined;
  for (const [k, v] of Object.entries(m as Record<string, unknown>)) {
    if (k.length < 1 || k.length > 128 || k.startsWith('aws:')) return `tag key '${k}'`;
    if (typeof v !== 'string' || v.length > 256) return `tag value of '${k}'`;
  }
  return undefined;
};

/** Per resource type: attribute path (dot-separated, `[]` for each list element) -> rule. */
const RESOURCE_RULES: Record<string, Record<string, Rule>> = {
  aws_s3_bucket: { bucket: s3Bucket(63), bucket_prefix: s3Bucket(37, true), tags: awsTags },
  aws_iam_role: { name: iamName(64), name_prefix: iamName(38), tags: awsTags },
  aws_iam_role_policy: { name: iamName(128) },
  aws_iam_policy: { name: iamName(128) },
  aws_eks_cluster: { name: eksName, tags: awsTags },
  aws_eks_node_group: {
    node_group_name: nodeGroupName,
    labels: k8sLabels,
    tags: awsTags,
    'taint[].key': (v) => (typeof v === 'string' && k8sLabelKeyOk(v) ? undefined : 'taint key'),
    'taint[].value': (v) => (v === undefined || k8sLabelValueOk(v) ? undefined : 'taint value'),
    // API_NodeRepairConfig.html: counts >= 1, percentages 1-100, a count or a percentage (never
    // both); API_NodeRepairConfigOverrides.html: every field set, action Replace|Reboot|NoAction.
    node_repair_config: (v) => {
      if (v === undefined) return undefined;
      const int = (x: unknown, max = 2147483647) =>
        x === undefined || (Number.isSafeInteger(x) && (x as number) >= 1 && (x as number) <= max);
      if (!int(v.max_parallel_nodes_repaired_count) || !int(v.max_unhealthy_node_threshold_count))
        return 'repair count';
      if (
        !int(v.max_parallel_nodes_repaired_percentage, 100) ||
        !int(v.max_unhealthy_node_threshold_percentage, 100)
      )
        return 'repair percentage';
      if (
        v.max_parallel_nodes_repaired_count !== undefined &&
        v.max_parallel_nodes_repaired_percentage !== undefined
      )
        return 'parallel count and percentage';
      if (
        v.max_unhealthy_node_threshold_count !== undefined &&
        v.max_unhealthy_node_threshold_percentage !== undefined
      )
        return 'threshold count and percentage';
      for (const o of v.node_repair_config_overrides ?? []) {
        if (!['Replace', 'Reboot', 'NoAction'].includes(o.repair_action)) return 'repair action';
        if (typeof o.node_monitoring_condition !== 'string' || typeof o.node_unhealthy_reason !== 'string')
          return 'override condition and reason';
        if (!int(o.min_repair_wait_time_mins) || o.min_repair_wait_time_mins === undefined)
          return 'override wait';
      }
      return undefined;
    },
  },
  aws_cloudwatch_log_group: {
    retention_in_days: (v) =>
      v === undefined || LOG_RETENTION.includes(v) ? undefined : 'log retention days',
  },
  aws_budgets_budget: {
    limit_amount: decimalString,
    // Budget name: 1-100, no ':' or '\' (API_budgets_Budget.html).
    name: (v) => (typeof v === 'string' && v.length <= 100 && !/[:\\]/.test(v) ? undefined : 'budget name'),
  },
  google_storage_bucket: { name: gcsBucket, labels: gcpLabels, project: gcpProject },
  google_compute_network: { name: gceName(63), project: gcpProject },
  google_compute_subnetwork: { name: gceName(63), project: gcpProject },
  // https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters#Cluster: name 40.
  google_container_cluster: { name: gceName(40), resource_labels: gcpLabels, project: gcpProject },
  google_container_node_pool: {
    name: gceName(40),
    'node_config.labels': k8sLabels,
    'node_config.resource_labels': gcpLabels,
    'node_config.taint[].key': (v) => (typeof v === 'string' && k8sLabelKeyOk(v) ? undefined : 'taint key'),
    'node_config.taint[].value': (v) => (v === undefined || k8sLabelValueOk(v) ? undefined : 'taint value'),
  },
  google_service_account: { account_id: gcpServiceAccountId, project: gcpProject },
  google_artifact_registry_repository: { labels: gcpLabels, project: gcpProject },
  google_monitoring_alert_policy: { user_labels: gcpLabels },
  google_monitoring_notification_channel: { user_labels: gcpLabels },
  // https://helm.sh/docs/chart_template_guide/getting_started/ : release names are DNS labels of at most 53.
  helm_release: {
    name: (v) =>
      typeof v === 'string' && v.length <= 53 && DNS_LABEL.test(v) ? undefined : 'helm release name (53)',
    namespace: k8sLabel,
  },
  kubernetes_namespace: { 'metadata.name': k8sLabel, 'metadata.labels': k8sLabels },
  kubernetes_namespace_v1: { 'metadata.name': k8sLabel, 'metadata.labels': k8sLabels },
  kubernetes_secret: {
    'metadata.name': k8sSubdomain,
    'metadata.namespace': k8sLabel,
    'metadata.labels': k8sLabels,
  },
  kubernetes_secret_v1: {
    'metadata.name': k8sSubdomain,
    'metadata.namespace': k8sLabel,
    'metadata.labels': k8sLabels,
  },
  kubernetes_config_map: {
    'metadata.name': k8sSubdomain,
    'metadata.namespace': k8sLabel,
    'metadata.labels': k8sLabels,
  },
  kubernetes_config_map_v1: {
    'metadata.name': k8sSubdomain,
    'metadata.namespace': k8sLabel,
    'metadata.labels': k8sLabels,
  },
  kubernetes_service_account: { 'metadata.name': k8sSubdomain, 'metadata.namespace': k8sLabel },
  kubernetes_service_account_v1: { 'metadata.name': k8sSubdomain, 'metadata.namespace': k8sLabel },
};

function unwrap(v: Json): Json {
  return Array.isArray(v) && v.length === 1 && typeof v[0] === 'object' ? v[0] : v;
}

function select(node: Json, path: string[]): Json[] {
  if (path.length === 0) return [node];
  if (node === undefined || node === null) return [];
  const [head, ...rest] = path;
  if (head.endsWith('[]')) {
    const list = node[head.slice(0, -2)];
    return Array.isArray(list) ? list.flatMap((e) => select(e, rest)) : [];
  }
  return select(unwrap(node[head]), rest);
}

function hasToken(v: Json): boolean {
  return typeof v === 'string' && v.includes('${');
}

/** Generic rules on every string and number of a synthesized stack. */
function genericProblems(node: Json, path: string, out: string[]): void {
  if (typeof node === 'number') {
    if (!Number.isFinite(node) || Math.abs(node) > Number.MAX_SAFE_INTEGER)
      out.push(`${path}: number ${node}`);
    return;
  }
  if (typeof node === 'string') {
    if (/user_data$/.test(path)) return;
    // JavaScript number forms that no API reads as a number: NaN, Infinity, 1e+21.
    if (/(^|[^A-Za-z])(NaN|-?Infinity)([^A-Za-z]|$)/.test(node))
      out.push(`${path}: '${node.slice(0, 80)}' has NaN/Infinity`);
    // Only positive exponents: JavaScript writes numbers >= 1e21 as '1e+21'; '1e-9' is valid PromQL.
    if (/(^|[^\w.])\d+(\.\d+)?e\+\d+/.test(node) && !/sha256|base64/.test(path)) {
      out.push(`${path}: '${node.slice(0, 80)}' has an exponent number form`);
    }
    if (/\bundefined\b|\[object Object\]/.test(node))
      out.push(`${path}: '${node.slice(0, 80)}' has undefined/[object Object]`);
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((e, i) => genericProblems(e, `${path}[${i}]`, out));
    return;
  }
  if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) genericProblems(v, `${path}.${k}`, out);
  }
}

/** Rules inside a Kubernetes object (a kubernetes_manifest or a Helm value tree). */
function kubeObjectProblems(obj: Json, path: string, out: string[]): void {
  if (!obj || typeof obj !== 'object') return;
  if (Array.isArray(obj)) {
    obj.forEach((e, i) => kubeObjectProblems(e, `${path}[${i}]`, out));
    return;
  }
  const check = (p: string, r: Rule, v: Json): void => {
    if (v === undefined || hasToken(v)) return;
    const why = r(v);
    if (why) out.push(`${path}.${p}: ${why}: ${JSON.stringify(v)?.slice(0, 100)}`);
  };
  if (obj.metadata && typeof obj.metadata === 'object' && typeof obj.kind === 'string') {
    check(
      'metadata.name',
      obj.kind === 'Namespace' || obj.kind === 'Service' ? k8sLabel : k8sSubdomain,
      obj.metadata.name,
    );
    check('metadata.namespace', k8sLabel, obj.metadata.namespace);
    check('metadata.labels', k8sLabels, obj.metadata.labels);
    check('metadata.annotations', k8sAnnotations, obj.metadata.annotations);
    if (obj.kind === 'Gateway') {
      check(
        'spec.infrastructure.annotations',
        gatewayInfrastructureAnnotations,
        obj.spec?.infrastructure?.annotations,
      );
    }
  }
  for (const key of ['requests', 'limits']) {
    if (obj[key] && typeof obj[key] === 'object' && !Array.isArray(obj[key])) {
      for (const [r, q] of Object.entries(obj[key])) check(`${key}.${r}`, quantity, q);
    }
  }
  if (Array.isArray(obj.env)) {
    obj.env.forEach((e: Json, i: number) =>
      check(
        `env[${i}].name`,
        (n) => (typeof n === 'string' && /^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(n) ? undefined : 'env name'),
        e?.name,
      ),
    );
  }
  if (Array.isArray(obj.tolerations)) {
    obj.tolerations.forEach((t: Json, i: number) => {
      if (t?.operator === 'Exists' && t.value) out.push(`${path}.tolerations[${i}]: Exists with a value`);
      if (t?.key && !k8sLabelKeyOk(t.key)) out.push(`${path}.tolerations[${i}].key: ${t.key}`);
      if (t?.value !== undefined && !k8sLabelValueOk(t.value))
        out.push(`${path}.tolerations[${i}].value: ${t.value}`);
    });
  }
  if (obj.nodeSelector && typeof obj.nodeSelector === 'object')
    check('nodeSelector', k8sLabels, obj.nodeSelector);
  // PrometheusRule / rule groups: prometheus-operator and Prometheus recording/alerting rules.
  if (typeof obj.alert === 'string' || typeof obj.record === 'string') {
    check('for', promDuration, obj.for);
    if (typeof obj.expr === 'string' && !hasToken(obj.expr) && !promqlParses(obj.expr)) {
      out.push(`${path}.expr: does not parse: ${obj.expr.slice(0, 120)}`);
    }
  }
  // KEDA Prometheus trigger query.
  if (
    obj.type === 'prometheus' &&
    obj.metadata &&
    typeof obj.metadata.query === 'string' &&
    !promqlParses(obj.metadata.query)
  ) {
    out.push(`${path}.metadata.query: does not parse`);
  }
  for (const [k, v] of Object.entries(obj)) {
    if (v && typeof v === 'object') kubeObjectProblems(v, `${path}.${k}`, out);
  }
}

/** {@link kubeObjectProblems} of a YAML document (Helm values, rule groups), by text and path. */
function yamlObjectProblems(text: string, path: string): string[] {
  const key = `${path}\n${text}`;
  let known = yamlProblems.get(key);
  if (known === undefined) {
    known = [];
    let tree: Json;
    try {
      tree = parseYaml(text);
    } catch (e) {
      known.push(`${path}: not YAML: ${String(e).slice(0, 80)}`);
    }
    if (!known.length) kubeObjectProblems(tree, path, known);
    yamlProblems.set(key, known);
  }
  return known;
}

/**
 * Every rule broken by a synthesized stack (the parsed JSON of `Testing.synth`), as readable
 * lines; empty when all hold.
 */
export function apiRuleProblems(json: Json): string[] {
  const out: string[] = [];
  genericProblems(json.resource ?? {}, 'resource', out);
  genericProblems(json.output ?? {}, 'output', out);
  for (const [type, byId] of Object.entries((json.resource ?? {}) as Record<string, Record<string, Json>>)) {
    const rules = RESOURCE_RULES[type] ?? {};
    for (const [id, res] of Object.entries(byId)) {
      for (const [attr, rule] of Object.entries(rules)) {
        for (const v of select(res, attr.split('.'))) {
          if (v === undefined || hasToken(v)) continue;
          const why = rule(v);
          if (why) out.push(`${type}.${id}.${attr}: ${why}: ${JSON.stringify(v)?.slice(0, 100)}`);
        }
      }
      if (type === 'kubernetes_manifest') kubeObjectProblems(res.manifest, `${type}.${id}.manifest`, out);
      if (type === 'helm_release') {
        for (const [i, vals] of ((res.values ?? []) as string[]).entries()) {
          out.push(...yamlObjectProblems(vals, `${type}.${id}.values[${i}]`));
        }
      }
      // AMP rule groups and Alertmanager definitions are YAML in a string.
      if (type === 'aws_prometheus_rule_group_namespace' && typeof res.data === 'string') {
        out.push(...yamlObjectProblems(res.data, `${type}.${id}.data`));
      }
      if (type === 'google_monitoring_alert_policy') {
        for (const c of (res.conditions ?? []) as Json[]) {
          const q = unwrap(c.condition_prometheus_query_language);
          if (q?.query && !hasToken(q.query) && !promqlParses(q.query))
            out.push(`${type}.${id}: query does not parse`);
          if (q?.duration && !/^\d+s$/.test(q.duration)) out.push(`${type}.${id}: duration ${q.duration}`);
        }
      }
    }
  }
  return out;
}
