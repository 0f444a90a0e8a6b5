import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import type { SynthJson } from '../util';
import { CelRule, CRD_SCHEMAS, Schema } from './crd-schemas';
import { fieldRuleProblems } from './k8s-field-rules';
import { builtInKind, K8sTypeRef, validateBuiltIn } from './k8s-openapi';
import { isTypedKubernetesResource, typedResourceToObject } from './tf-to-k8s';

/**
 * The reusable Kubernetes schema checker: finds every Kubernetes object a synthesized stack
 * sends to the API server and validates it strictly (unknown fields are errors) against the
 * upstream OpenAPI of Kubernetes v1.33.0 (k8s-openapi.ts) or the CRD schema of the pinned
 * chart version (crd-schemas.ts).
 *
 * ```ts
 * expect(kubernetesSchemaProblems(synthJson(stack))).toEqual([]);
 * ```
 */

/** One Kubernetes object of a stack and the Terraform address it comes from. */
export interface KubernetesObject {
  readonly address: string;
  readonly object: Record<string, any>;
}

/** Terraform resource types that are not Kubernetes objects (Helm releases are checked elsewhere). */
const NOT_OBJECTS = new Set(['kubernetes_manifest']);

/**
 * Every Kubernetes object in a stack: `kubernetes_manifest` manifests and converted typed
 * resources. A manifest that is one whole Terraform expression is not an object at synth: it is
 * left out here and listed by {@link unresolvedManifests}.
 */
export function kubernetesObjects(json: SynthJson): KubernetesObject[] {
  const out: KubernetesObject[] = [];
  for (const [type, resources] of Object.entries(json.resource ?? {})) {
    for (const [name, body] of Object.entries(resources)) {
      const address = `${type}.${name}`;
      if (type === 'kubernetes_manifest') {
        if (isUnresolvedExpression(body.manifest)) continue; // listed by unresolvedManifests()
        out.push({ address, object: body.manifest });
      } else if (type.startsWith('kubernetes_') && !NOT_OBJECTS.has(type)) {
        if (!isTypedKubernetesResource(type)) {
          throw new Error(`${address}: no conversion for ${type} in test/consumers/tf-to-k8s.ts`);
        }
        out.push({ address, object: typedResourceToObject(type, body) });
      }
    }
  }
  return out;
}

/** A value that is one whole Terraform expression (`${...}`), known only at plan or apply. */
function isUnresolvedExpression(v: unknown): v is string {
  return typeof v === 'string' && /^\$\{[\s\S]*\}$/.test(v);
}

/** A `kubernetes_manifest` whose manifest Terraform computes, which no check can see at synth. */
export interface UnresolvedManifest {
  readonly address: string;
  /** The Terraform expression the manifest is. */
  readonly expression: string;
}

/**
 * The `kubernetes_manifest` resources whose whole manifest is a Terraform expression (for
 * example a CRD bundle read through the `http` data source and split with `for_each`): their
 * objects exist only at plan time, so the schema check skips them. They are listed here so a
 * test reports the skip explicitly instead of passing them silently.
 */
export function unresolvedManifests(json: SynthJson): UnresolvedManifest[] {
  return Object.entries<any>(json.resource?.kubernetes_manifest ?? {})
    .filter(([, body]) => isUnresolvedExpression(body.manifest))
    .map(([name, body]) => ({ address: `kubernetes_manifest.${name}`, expression: body.manifest }));
}

/** Keys kube-prometheus-stack's templates/prometheus/servicemonitors.yaml reads from an entry. */
const SERVICE_MONITOR_ENTRY_KEYS = [
  'name',
  'additionalLabels',
  'endpoints',
  'jobLabel',
  'namespaceSelector',
  'selector',
  'targetLabels',
  'podTargetLabels',
  'fallbackScrapeProtocol',
  'attachMetadata',
  // templates/_helpers.tpl "servicemonitor.scrapeLimits"
  'sampleLimit',
  'targetLimit',
  'labelLimit',
  'labelNameLengthLimit',
  'labelValueLengthLimit',
];

/**
 * The custom resources kube-prometheus-stack renders from the values this library gives it,
 * built as its templates build them (prometheus-community/helm-charts tag
 * kube-prometheus-stack-88.5.3, charts/kube-prometheus-stack/templates/prometheus/
 * additionalPrometheusRules.yaml and servicemonitors.yaml). A key of an entry the template does
 * not read is reported as an unknown field: the chart would drop it silently.
 */
export function chartRenderedObjects(json: SynthJson): KubernetesObject[] {
  const out: KubernetesObject[] = [];
  for (const [name, r] of Object.entries(json.resource?.helm_release ?? {})) {
    if (r.chart !== 'kube-prometheus-stack') continue;
    (r.values ?? []).forEach((text: string, i: number) => {
      const values = parse(text.split('$${').join('${')) ?? {};
      const address = `helm_release.${name}.values[${i}]`;
      for (const [key, rule] of Object.entries<any>(values.additionalPrometheusRulesMap ?? {})) {
        const { groups, additionalLabels, ...unread } = rule;
        out.push({
          address: `${address} additionalPrometheusRulesMap.${key}`,
          object: {
            apiVersion: 'monitoring.coreos.com/v1',
            kind: 'PrometheusRule',
            metadata: {
              name: `${r.name}-${key}`.slice(0, 63),
              ...(additionalLabels ? { labels: additionalLabels } : {}),
            },
            spec: { groups, ...unread },
          },
        });
      }
      (values.prometheus?.additionalServiceMonitors ?? []).forEach((sm: any, j: number) => {
        const unread = Object.fromEntries(
          Object.entries(sm).filter(([k]) => !SERVICE_MONITOR_ENTRY_KEYS.includes(k)),
        );
        const {
          name: smName,
          additionalLabels,
          ...spec
        } = Object.fromEntries(
          Object.entries(sm).filter(([k]) => SERVICE_MONITOR_ENTRY_KEYS.includes(k)),
        ) as Record<string, any>;
        out.push({
          address: `${address} prometheus.additionalServiceMonitors[${j}]`,
          object: {
            apiVersion: 'monitoring.coreos.com/v1',
            kind: 'ServiceMonitor',
            metadata: { name: smName, ...(additionalLabels ? { labels: additionalLabels } : {}) },
            // Unread keys land in the spec here, where the schema reports them as unknown.
            spec: { ...spec, ...unread },
          },
        });
      });
    });
  }
  return out;
}

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function validator(key: string, schema: Schema): ValidateFunction {
  if (!ajv) {
    ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
    ajv.addKeyword({
      keyword: 'k8s',
      schemaType: 'object',
      errors: true,
      validate: function k8s(ref: K8sTypeRef, data: unknown, _p?: unknown, cxt?: { instancePath: string }) {
        const errs = validateBuiltIn(ref, data);
        (k8s as any).errors = errs.map((m): Partial<ErrorObject> => ({
          keyword: 'k8s',
          message: m,
          params: {},
          instancePath: cxt?.instancePath,
        }));
        return errs.length === 0;
      },
    });
    ajv.addKeyword({
      keyword: 'cel',
      schemaType: 'array',
      errors: true,
      validate: function cel(rules: CelRule[], data: unknown, _p?: unknown, cxt?: { instancePath: string }) {
        const failed = rules.filter((r) => !r.check(data));
        (cel as any).errors = failed.map((r): Partial<ErrorObject> => ({
          keyword: 'cel',
          message: `fails x-kubernetes-validations rule ${r.rule}`,
          params: {},
          instancePath: cxt?.instancePath,
        }));
        return failed.length === 0;
      },
    });
  }
  let v = compiled.get(key);
  if (!v) {
    v = ajv.compile(schema);
    compiled.set(key, v);
  }
  return v;
}

/**
 * Problems of one Kubernetes object, each as `<json pointer>: <message>`; empty when the API
 * server would accept it: its schema (built-in OpenAPI or CRD), then the field rules the API
 * server checks in code (k8s-field-rules.ts). A kind with no schema is a problem.
 */
export function validateKubernetesObject(object: Record<string, any>): string[] {
  const schema = validateAgainstSchema(object);
  return schema.length ? schema : fieldRuleProblems(object);
}

function validateAgainstSchema(object: Record<string, any>): string[] {
  const { apiVersion, kind } = object ?? {};
  if (typeof apiVersion !== 'string' || typeof kind !== 'string')
    return ['/: apiVersion and kind are required'];
  const crd = CRD_SCHEMAS.get(`${apiVersion}/${kind}`);
  if (crd) {
    const v = validator(`${apiVersion}/${kind}`, crd.schema);
    if (v(object)) return [];
    return (v.errors ?? []).map((e) =>
      e.keyword === 'k8s' || e.keyword === 'cel'
        ? `${e.instancePath}${e.message?.startsWith('/') ? e.message : `: ${e.message}`}`
        : `${e.instancePath || '/'}: ${e.message}${e.keyword === 'additionalProperties' ? ` '${(e.params as any).additionalProperty}' (unknown field; crd-schemas.ts is written from ${crd.source})` : ''}${e.keyword === 'enum' ? ` ${JSON.stringify((e.params as any).allowedValues)}` : ''}`,
    );
  }
  const ref = builtInKind(apiVersion, kind);
  if (ref) return validateBuiltIn(ref, object);
  return [
    `/: no schema for ${apiVersion} ${kind}: add one to test/consumers/crd-schemas.ts from the upstream CRD at the pinned version`,
  ];
}

/**
 * Every schema problem of every Kubernetes object in a stack (its manifests, typed resources and
 * the custom resources kube-prometheus-stack renders from its values), as
 * `<address> (<kind> <name>) <pointer>: <message>`.
 */
export function kubernetesSchemaProblems(json: SynthJson): string[] {
  return [...kubernetesObjects(json), ...chartRenderedObjects(json)].flatMap(({ address, object }) =>
    validateKubernetesObject(object).map((p) => `${address} (${object.kind} ${object.metadata?.name}) ${p}`),
  );
}
