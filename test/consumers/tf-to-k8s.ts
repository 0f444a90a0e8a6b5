/**
 * The Kubernetes API object that hashicorp/kubernetes (v2.38.0, the provider of
 * `@cdktf/provider-kubernetes` 12.1.1) sends for a typed resource such as
 * `kubernetes_deployment_v1`, built from the resource's synthesized Terraform JSON.
 *
 * The provider expands its schema into the client-go structs field by field
 * (hashicorp/terraform-provider-kubernetes v2.38.0, `kubernetes/structures_container.go`
 * `expandContainers`/`expandProbe`/`expandLifeCycle`, `structures_pod.go` `expandPodSpec`,
 * `structures_deployment.go`, `structures_service.go` `expandServiceSpec`,
 * `structure_persistent_volume_spec.go` `expandPersistentVolumeSpec`,
 * `structures_pod_disruption_budget.go`, `structures.go` `expandMetadata`). What it does,
 * and this file repeats:
 *
 * - snake_case attribute names become the camelCase JSON names of the API
 *   (`termination_grace_period_seconds` → `terminationGracePeriodSeconds`), with the
 *   irregular initialisms of the API (`cluster_ip` → `clusterIP`);
 * - repeated blocks carry the singular name in Terraform and the plural in the API
 *   (`container` → `containers`, `volume_mount` → `volumeMounts`, `toleration` → `tolerations`);
 * - blocks the API holds as one struct are `[0]` of a Terraform list (`pre_stop`, `post_start`,
 *   and `metadata`/`spec` when the app passed a one-element list);
 * - strings become numbers where the API field is numeric: `replicas`, `run_as_user`,
 *   `run_as_group`, `fs_group` (`strconv.Atoi`), file modes `default_mode`/`mode` (octal,
 *   `strconv.ParseInt(v, 8, 32)`), and IntOrString fields (`target_port`, probe `port`,
 *   `max_surge`, `max_unavailable`, `min_available`: `intstr.Parse`, a number when numeric);
 * - map-valued attributes (labels, annotations, data, node_selector, resource lists, a
 *   Service's `selector`) keep their keys as written;
 * - a PersistentVolume's `persistent_volume_source` block is flattened into its spec;
 * - a DaemonSet's `strategy` block is its `updateStrategy` (`structures_daemonset.go`
 *   `expandDaemonSetSpec`);
 * - Terraform meta-arguments and provider-only attributes (`lifecycle`, `timeouts`,
 *   `depends_on`, `wait_for_rollout`, `wait_for_load_balancer`, `wait_for_completion`, ...) are
 *   not sent.
 */

/** A typed resource and the kind the provider creates from it. */
const KINDS: Record<string, { apiVersion: string; kind: string }> = {
  kubernetes_namespace_v1: { apiVersion: 'v1', kind: 'Namespace' },
  kubernetes_config_map_v1: { apiVersion: 'v1', kind: 'ConfigMap' },
  kubernetes_secret_v1: { apiVersion: 'v1', kind: 'Secret' },
  kubernetes_service_v1: { apiVersion: 'v1', kind: 'Service' },
  kubernetes_service_account_v1: { apiVersion: 'v1', kind: 'ServiceAccount' },
  kubernetes_persistent_volume_v1: { apiVersion: 'v1', kind: 'PersistentVolume' },
  kubernetes_persistent_volume_claim_v1: { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
  kubernetes_deployment_v1: { apiVersion: 'apps/v1', kind: 'Deployment' },
  kubernetes_daemon_set_v1: { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  kubernetes_stateful_set_v1: { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  kubernetes_job_v1: { apiVersion: 'batch/v1', kind: 'Job' },
  kubernetes_pod_disruption_budget_v1: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
  kubernetes_network_policy_v1: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  kubernetes_role_v1: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' },
  kubernetes_role_binding_v1: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
  kubernetes_storage_class_v1: { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass' },
};

/** Terraform meta-arguments and provider-side attributes that are not part of the object. */
const NOT_SENT = new Set([
  '//', // cdktf's construct metadata in a full synth
  'lifecycle',
  'depends_on',
  'provider',
  'count',
  'for_each',
  'timeouts',
  'connection',
  'provisioner',
  'wait_for_rollout',
  'wait_for_default_service_account',
  'wait_for_load_balancer',
  'wait_until_bound',
  'wait_for_completion',
]);

/** Terraform names whose API name is not the plain camelCase (repeated blocks, initialisms). */
const RENAMES: Record<string, string> = {
  container: 'containers',
  init_container: 'initContainers',
  volume: 'volumes',
  volume_mount: 'volumeMounts',
  toleration: 'tolerations',
  topology_spread_constraint: 'topologySpreadConstraints',
  node_selector_term: 'nodeSelectorTerms',
  image_pull_secrets: 'imagePullSecrets',
  image_pull_secret: 'imagePullSecrets',
  http_header: 'httpHeaders',
  sysctl: 'sysctls',
  host_aliases: 'hostAliases',
  readiness_gate: 'readinessGates',
  cluster_ip: 'clusterIP',
  cluster_ips: 'clusterIPs',
  external_ips: 'externalIPs',
  load_balancer_ip: 'loadBalancerIP',
  rule: 'rules',
  subject: 'subjects',
};
/** Renamed only when the value is a list of blocks (the same name is a scalar elsewhere). */
const LIST_RENAMES: Record<string, string> = { port: 'ports', secret: 'secrets', env_from: 'envFrom' };

/**
 * Blocks the API holds as one struct that the provider schema declares as a list
 * (`label_selector` of topology spread constraints and affinity terms: `expandLabelSelector`
 * reads element 0 into one `*metav1.LabelSelector`, `structures_pod.go`/`structures.go`).
 */
const SINGLE_IN_API = new Set(['pre_stop', 'post_start', 'label_selector']);

/** Attributes whose value is a map with user keys (never renamed). */
const MAPS = new Set([
  'labels',
  'annotations',
  'data',
  'binary_data',
  'node_selector',
  'match_labels',
  'limits',
  'requests',
  'capacity',
  'volume_attributes',
  'parameters',
]);

const INT_FROM_STRING = new Set(['replicas', 'runAsUser', 'runAsGroup', 'fsGroup']);
const OCTAL = new Set(['defaultMode', 'mode']);
const INT_OR_STRING = new Set(['targetPort', 'maxSurge', 'maxUnavailable', 'minAvailable']);

function camel(s: string): string {
  return s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function intOrString(v: unknown): unknown {
  return typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
}

function convert(value: unknown, parentKey: string): unknown {
  if (Array.isArray(value)) return value.map((v) => convert(v, parentKey));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(value)) {
    let v: unknown = raw;
    if (SINGLE_IN_API.has(k) && Array.isArray(v)) v = v[0];
    const isBlockList = Array.isArray(v) && v.every((x) => x !== null && typeof x === 'object');
    const name = RENAMES[k] ?? ((isBlockList && LIST_RENAMES[k]) || camel(k));
    let converted = MAPS.has(k) ? v : convert(v, k);
    if (INT_FROM_STRING.has(name) && typeof converted === 'string' && /^\d+$/.test(converted)) {
      converted = Number(converted);
    } else if (OCTAL.has(name) && typeof converted === 'string' && /^0?[0-7]+$/.test(converted)) {
      converted = parseInt(converted, 8);
    } else if (
      INT_OR_STRING.has(name) ||
      (name === 'port' && ['http_get', 'tcp_socket'].includes(parentKey))
    ) {
      converted = intOrString(converted);
    }
    out[name] = converted;
  }
  return out;
}

/** True when `type` is a typed Kubernetes resource this module converts. */
export function isTypedKubernetesResource(type: string): boolean {
  return type in KINDS;
}

/** The API object the provider sends for one typed resource (`type`, its Terraform JSON body). */
export function typedResourceToObject(type: string, body: Record<string, any>): Record<string, unknown> {
  const kind = KINDS[type];
  if (!kind) throw new Error(`no conversion for ${type}: add it to KINDS in test/consumers/tf-to-k8s.ts`);
  const obj: Record<string, unknown> = { apiVersion: kind.apiVersion, kind: kind.kind };
  for (const [k, raw] of Object.entries(body)) {
    if (NOT_SENT.has(k)) continue;
    // `metadata` and `spec` are lists of at most one block in the provider schema; cdktf emits
    // an object, or a one-element list when the app passed one.
    const v = (k === 'metadata' || k === 'spec') && Array.isArray(raw) ? raw[0] : raw;
    if (type === 'kubernetes_service_v1' && k === 'spec') {
      // A Service's selector is a plain map (expandServiceSpec), unlike workload selectors.
      const { selector, ...rest } = v as Record<string, unknown>;
      obj.spec = { ...(convert(rest, 'spec') as object), ...(selector ? { selector } : {}) };
    } else if (type === 'kubernetes_daemon_set_v1' && k === 'spec') {
      // expandDaemonSetSpec (structures_daemonset.go) sends the `strategy` block as updateStrategy.
      const { strategy, ...rest } = v as Record<string, unknown>;
      obj.spec = {
        ...(convert(rest, 'spec') as object),
        ...(strategy
          ? { updateStrategy: convert(Array.isArray(strategy) ? strategy[0] : strategy, 'strategy') }
          : {}),
      };
    } else if (type === 'kubernetes_storage_class_v1' && k === 'storage_provisioner') {
      // resource_kubernetes_storage_class_v1.go sends storage_provisioner as `provisioner`.
      obj.provisioner = v;
    } else if (type === 'kubernetes_storage_class_v1' && k === 'allowed_topologies') {
      // expandStorageClassAllowedTopologies: the one block becomes a list of TopologySelectorTerms.
      const term = Array.isArray(v) ? v[0] : v;
      obj.allowedTopologies = [convert(term, 'allowed_topologies')];
    } else if (type === 'kubernetes_persistent_volume_v1' && k === 'spec') {
      // expandPersistentVolumeSpec inlines the source block into the spec.
      const { persistent_volume_source: source, ...rest } = v as Record<string, unknown>;
      const single = Array.isArray(source) ? source[0] : source;
      obj.spec = { ...(convert(rest, 'spec') as object), ...(convert(single ?? {}, 'spec') as object) };
    } else if (type === 'kubernetes_secret_v1' && k === 'data') {
      // The provider takes plain text in `data` and sends it base64-encoded (terraform-provider-kubernetes
      // v2.38.0 kubernetes/resource_kubernetes_secret_v1.go, expandStringMapToByteMap); `binary_data` is
      // already base64.
      obj.data = Object.fromEntries(
        Object.entries(v as Record<string, string>).map(([key, text]) => [
          key,
          Buffer.from(text).toString('base64'),
        ]),
      );
    } else {
      obj[camel(k)] = MAPS.has(k) ? v : convert(v, k);
    }
  }
  return obj;
}
