import type { PolicyResource, PolicyStackView } from '../rule';
/**
 * Readers of synthesized Terraform arguments shared by the rules. Values may be literals or
 * Terraform expressions (`${...}`); an expression is "unknown" and never counts as a violation.
 */

/** Whether `v` is a Terraform expression whose value is not known at synth time. */
export function isExpression(v: unknown): boolean {
  return typeof v === 'string' && v.includes('${');
}

/** A nested block as a list (cdktf renders a single block as an object, repeated ones as an array). */
export function blocks(v: unknown): Record<string, unknown>[] {
  if (Array.isArray(v)) {
    return v.filter((b): b is Record<string, unknown> => typeof b === 'object' && b !== null);
  }
  return typeof v === 'object' && v !== null ? [v as Record<string, unknown>] : [];
}

/** The first block of a nested block argument, or an empty object. */
export function block(v: unknown): Record<string, unknown> {
  return blocks(v)[0] ?? {};
}

/** `true` for `true` and `"true"`, `false` for `false` and `"false"`, otherwise undefined (unset or an expression). */
export function bool(v: unknown): boolean | undefined {
  if (v === true || v === 'true') {
    return true;
  }
  if (v === false || v === 'false') {
    return false;
  }
  return undefined;
}

/** A list argument as strings (an unset argument is an empty list). */
export function strings(v: unknown): string[] {
  if (Array.isArray(v)) {
    return v.filter((s): s is string => typeof s === 'string');
  }
  return typeof v === 'string' ? [v] : [];
}

/** Whether the resource has `lifecycle { prevent_destroy = true }`. */
export function preventsDestroy(config: { readonly [key: string]: unknown }): boolean {
  return bool(block(config.lifecycle).prevent_destroy) === true;
}

/** CIDRs meaning "anywhere". */
export const ANYWHERE = ['0.0.0.0/0', '::/0'];

/** A container found in a pod template, with where it sits. */
export interface ContainerRef {
  /** `spec.template.spec.container[0]`-style location, for messages. */
  readonly where: string;
  readonly name: string;
  readonly image: unknown;
  readonly securityContext: Record<string, unknown>;
}

/** A pod spec found in a Kubernetes resource. */
export interface PodSpecRef {
  readonly where: string;
  /** The pod spec object itself. */
  readonly spec: Record<string, unknown>;
  readonly securityContext: Record<string, unknown>;
  readonly containers: ContainerRef[];
}

/**
 * Every pod spec inside a Kubernetes object, found structurally so that workload kinds and CRDs
 * (Deployment, Job, JobSet, LeaderWorkerSet, ...) need no list: in a `kubernetes_manifest` a pod
 * spec is an object with a `containers` array (camelCase), in the typed `kubernetes_*` resources
 * one with a `container` block list (snake_case).
 */
export function podSpecs(root: unknown, typed: boolean): PodSpecRef[] {
  const found: PodSpecRef[] = [];
  const containersKey = typed ? 'container' : 'containers';
  const initKey = typed ? 'init_container' : 'initContainers';
  const scKey = typed ? 'security_context' : 'securityContext';
  const visit = (v: unknown, where: string): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => visit(x, `${where}[${i}]`));
      return;
    }
    if (typeof v !== 'object' || v === null) {
      return;
    }
    const o = v as Record<string, unknown>;
    if (
      Array.isArray(o[containersKey]) ||
      (typed && typeof o[containersKey] === 'object' && o[containersKey])
    ) {
      const containers = [
        ...blocks(o[containersKey]).map((c, i) => ({ c, at: join(where, `${containersKey}[${i}]`) })),
        ...blocks(o[initKey]).map((c, i) => ({ c, at: join(where, `${initKey}[${i}]`) })),
      ].map(({ c, at }) => ({
        where: at,
        name: typeof c.name === 'string' ? c.name : at,
        image: c.image,
        securityContext: block(c[scKey]),
      }));
      found.push({ where: where || '.', spec: o, securityContext: block(o[scKey]), containers });
      return;
    }
    for (const [k, x] of Object.entries(o)) {
      visit(x, join(where, k));
    }
  };
  visit(root, '');
  return found;
}

function join(where: string, key: string): string {
  return where ? `${where}.${key}` : key;
}

/** Kubernetes typed resources (hashicorp/kubernetes) whose arguments hold a pod template or spec. */
export const TYPED_WORKLOADS = [
  'kubernetes_deployment',
  'kubernetes_deployment_v1',
  'kubernetes_stateful_set',
  'kubernetes_stateful_set_v1',
  'kubernetes_daemonset',
  'kubernetes_daemon_set_v1',
  'kubernetes_job',
  'kubernetes_job_v1',
  'kubernetes_cron_job',
  'kubernetes_cron_job_v1',
  'kubernetes_pod',
  'kubernetes_pod_v1',
  'kubernetes_replication_controller',
  'kubernetes_replication_controller_v1',
];

/** The pod specs of a typed Kubernetes resource or a `kubernetes_manifest`. */
export function podSpecsOf(type: string, config: { readonly [key: string]: unknown }): PodSpecRef[] {
  if (type === 'kubernetes_manifest') {
    return podSpecs(config.manifest, false);
  }
  return podSpecs(config.spec, true);
}

/**
 * Whether a bucket sub-resource (its `bucket` argument) points at `bucket`, by reference or by
 * the bucket's literal name.
 */
export function refersToBucket(sub: PolicyResource, bucket: PolicyResource, stack: PolicyStackView): boolean {
  if (stack.refersTo(sub, bucket)) {
    return true;
  }
  const name = bucket.config.bucket;
  return typeof name === 'string' && !isExpression(name) && strings(sub.config.bucket).includes(name);
}
