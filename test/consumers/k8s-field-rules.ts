/**
 * Rules the Kubernetes API server enforces in code rather than in its OpenAPI schema, for the
 * fields the library sets: object names, label keys and values, container, port and volume
 * names, resource quantities and environment variable names. A value breaking one of them is
 * rejected at apply time (HTTP 422) although it passes the schema.
 *
 * Sources (kubernetes/kubernetes v1.33.0):
 * - staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go: `IsDNS1123Label` (63),
 *   `IsDNS1123Subdomain` (253), `IsQualifiedName` (label keys), `IsValidLabelValue` (63),
 *   `IsValidPortName` (IANA_SVC_NAME: 15, lower case, a letter, no `--`), `IsEnvVarName`;
 * - staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go `ValidateObjectMeta`;
 * - pkg/apis/core/validation/validation.go: `ValidateServiceName` and `ValidateNamespaceName`
 *   (DNS-1035/1123 labels), container and volume names (DNS-1123 labels), container port names;
 * - staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go (the quantity grammar).
 *
 * Values that are still Terraform expressions (`${...}`) are resolved only at apply: skipped.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?\d+)?$/;

const unresolved = (v: unknown) => typeof v === 'string' && v.includes('${');

function dns1123Label(v: string): string | undefined {
  return v.length <= 63 && DNS1123_LABEL.test(v)
    ? undefined
    : 'must be a DNS-1123 label (63 lower-case alphanumerics or -)';
}
function dns1123Subdomain(v: string): string | undefined {
  return v.length <= 253 && DNS1123_SUBDOMAIN.test(v) ? undefined : 'must be a DNS-1123 subdomain';
}
function labelKey(k: string): string | undefined {
  const parts = k.split('/');
  if (parts.length > 2) return 'a label key has at most one /';
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (prefix !== undefined && dns1123Subdomain(prefix))
    return 'the prefix of a label key must be a DNS-1123 subdomain';
  return name.length <= 63 && QUALIFIED_NAME.test(name)
    ? undefined
    : 'a label key name must be a qualified name (63)';
}
function labelValue(v: unknown): string | undefined {
  if (typeof v !== 'string') return 'a label value must be a string';
  return v.length <= 63 && LABEL_VALUE.test(v)
    ? undefined
    : 'a label value must be at most 63 alphanumerics, -, _ or .';
}
function portName(v: string): string | undefined {
  const ok =
    v.length <= 15 && /^[a-z0-9-]+$/.test(v) && /[a-z]/.test(v) && !v.includes('--') && !/^-|-$/.test(v);
  return ok
    ? undefined
    : 'a port name must be an IANA_SVC_NAME (15 lower-case alphanumerics or -, a letter, no --)';
}

/** Kinds whose name is a DNS label rather than a subdomain. */
const LABEL_NAMED: Record<string, (v: string) => string | undefined> = {
  Namespace: dns1123Label,
  Service: (v) =>
    v.length <= 63 && DNS1035_LABEL.test(v) ? undefined : 'a Service name must be a DNS-1035 label',
};

/** Problems of one object under the API server's field rules, as `<pointer>: <message>`. */
export function fieldRuleProblems(object: Record<string, any>): string[] {
  const out: string[] = [];
  const check = (path: string, value: unknown, rule: (v: string) => string | undefined) => {
    if (typeof value !== 'string' || unresolved(value)) return;
    const p = rule(value);
    if (p) out.push(`${path}: '${value}' ${p}`);
  };
  const name = object.metadata?.name;
  check('/metadata/name', name, LABEL_NAMED[object.kind] ?? dns1123Subdomain);
  check('/metadata/namespace', object.metadata?.namespace, dns1123Label);
  walk(object, '', (path, key, value, parent) => {
    const isLabelMap =
      (key === 'labels' && path.endsWith('/metadata/labels')) ||
      key === 'matchLabels' ||
      key === 'nodeSelector' ||
      key === 'nodeLabels';
    if (isLabelMap && isMap(value)) {
      for (const [k, v] of Object.entries(value)) {
        if (unresolved(k) || unresolved(v)) continue;
        const pk = labelKey(k);
        if (pk) out.push(`${path}/${k}: ${pk}`);
        const pv = labelValue(v);
        if (pv) out.push(`${path}/${k}: '${String(v)}' ${pv}`);
      }
    }
    if ((key === 'containers' || key === 'initContainers') && Array.isArray(value)) {
      value.forEach((c: any, i: number) => {
        check(`${path}/${i}/name`, c?.name, dns1123Label);
        (c?.ports ?? []).forEach((p: any, j: number) =>
          check(`${path}/${i}/ports/${j}/name`, p?.name, portName),
        );
        (c?.env ?? []).forEach((e: any, j: number) =>
          check(`${path}/${i}/env/${j}/name`, e?.name, (v) =>
            ENV_VAR_NAME.test(v)
              ? undefined
              : 'an environment variable name must match [-._a-zA-Z][-._a-zA-Z0-9]*',
          ),
        );
        for (const kind of ['limits', 'requests'] as const) {
          for (const [r, q] of Object.entries<any>(c?.resources?.[kind] ?? {})) {
            check(`${path}/${i}/resources/${kind}/${r}`, String(q), (v) =>
              QUANTITY.test(v) ? undefined : 'is not a Kubernetes quantity',
            );
          }
        }
      });
    }
    if (
      key === 'volumes' &&
      Array.isArray(value) &&
      parent &&
      ('containers' in parent || 'initContainers' in parent)
    ) {
      value.forEach((v: any, i: number) => check(`${path}/${i}/name`, v?.name, dns1123Label));
    }
    if (
      key === 'ports' &&
      Array.isArray(value) &&
      parent &&
      'selector' in parent &&
      object.kind === 'Service'
    ) {
      value.forEach((p: any, i: number) => check(`${path}/${i}/name`, p?.name, portName));
    }
  });
  return out;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function walk(
  node: unknown,
  path: string,
  visit: (path: string, key: string, value: unknown, parent: Record<string, unknown> | undefined) => void,
): void {
  if (Array.isArray(node)) {
    node.forEach((v, i) => walk(v, `${path}/${i}`, visit));
  } else if (isMap(node)) {
    for (const [k, v] of Object.entries(node)) {
      visit(`${path}/${k}`, k, v, node);
      if (k !== 'annotations' && k !== 'data') walk(v, `${path}/${k}`, visit);
    }
  }
}
