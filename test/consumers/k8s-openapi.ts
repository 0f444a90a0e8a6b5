import { dirname, join } from 'path';
import * as ts from 'typescript';

/**
 * Kubernetes built-in types checked against the upstream OpenAPI schema of Kubernetes v1.33.0,
 * the oldest version the library supports (`DEFAULT_KUBERNETES_VERSION` and the 1.33 floor in
 * lib/aws/cluster.ts): npm `kubernetes-models@4.5.1` ("Update schema version to v1.33.0",
 * tommy351/kubernetes-models-ts first-party/kubernetes-models/CHANGELOG.md) ships two views of
 * that schema, and both are used:
 *
 * - its precompiled ajv validators (`Model.validate()`): types, formats, enums, required fields;
 * - its TypeScript declarations, generated from the same OpenAPI definitions: the set of fields
 *   each type has. The validators do not reject unknown fields (the OpenAPI has no
 *   `additionalProperties: false`), but the API server does (`kubectl --validate=strict`,
 *   server-side field validation `Strict`), so every field of every object is looked up here.
 *
 * A field added after 1.33 is an error: what we emit must work on every supported version.
 */

/** A built-in type: its module in kubernetes-models and its class name, e.g. `apps/v1`, `Deployment`. */
export interface K8sTypeRef {
  /** Module specifier, e.g. `kubernetes-models/apps/v1/Deployment`. */
  readonly module: string;
  /** Class name exported by the module, e.g. `Deployment`. */
  readonly name: string;
}

/** The type of a top-level object by its apiVersion and kind (`apps/v1`, `Deployment`). */
export function builtInKind(apiVersion: string, kind: string): K8sTypeRef | undefined {
  if (apiVersion.includes('.') && !apiVersion.includes('.k8s.io/')) return undefined; // a CRD group
  const module = `kubernetes-models/${apiVersion}/${kind}`;
  try {
    require.resolve(module);
  } catch {
    return undefined;
  }
  return { module, name: kind };
}

/** The type of ObjectMeta, for CRD schemas. */
export const OBJECT_META: K8sTypeRef = {
  module: '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta',
  name: 'ObjectMeta',
};

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/** Runs the precompiled OpenAPI validator of `ref` on `value`: one message per violation. */
function openApiErrors(ref: K8sTypeRef, value: unknown): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cls = (require(ref.module) as Record<string, ModelClass>)[ref.name];
  try {
    // The model constructor copies the data and adds apiVersion/kind for top-level kinds.
    new cls(value).validate();
    return [];
  } catch (e) {
    const errors = (e as { errors?: Array<{ instancePath: string; message?: string; params?: unknown }> })
      .errors;
    if (!errors) throw e;
    return errors.map(
      (x) => `${x.instancePath || '/'}: ${x.message ?? 'invalid'} ${JSON.stringify(x.params ?? {})}`,
    );
  }
}

/**
 * Declarations loaded into the first program, so that it is built once: the kinds the library
 * emits and the types CRD schemas embed. Other types are added on first use (a second build).
 */
const PRELOAD: K8sTypeRef[] = [
  ...[
    'Namespace',
    'ConfigMap',
    'Secret',
    'Service',
    'ServiceAccount',
    'PersistentVolume',
    'PersistentVolumeClaim',
    // Embedded in the Slinky schemas (crd-schemas.ts).
    'Toleration',
    'Volume',
    'VolumeMount',
    'ResourceRequirements',
    'SecurityContext',
    'PodSecurityContext',
    'EnvVar',
  ].map((name) => ({ module: `kubernetes-models/v1/${name}`, name })),
  ...['Deployment', 'DaemonSet', 'StatefulSet'].map((name) => ({
    module: `kubernetes-models/apps/v1/${name}`,
    name,
  })),
  { module: 'kubernetes-models/batch/v1/Job', name: 'Job' },
  { module: 'kubernetes-models/batch/v1/JobTemplateSpec', name: 'JobTemplateSpec' },
  { module: 'kubernetes-models/policy/v1/PodDisruptionBudget', name: 'PodDisruptionBudget' },
  { module: 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy', name: 'NetworkPolicy' },
  OBJECT_META,
  { module: '@kubernetes-models/apimachinery/apis/meta/v1/LabelSelector', name: 'LabelSelector' },
];

let program: ts.Program | undefined;
const programFiles = new Set<string>();

function declarationFile(ref: K8sTypeRef): string {
  const js = require.resolve(ref.module);
  return join(dirname(js), `${ref.name}.d.ts`);
}

/** The declared interface `I<name>` of a type, from a program over the declarations asked for so far. */
function interfaceType(ref: K8sTypeRef): { checker: ts.TypeChecker; type: ts.Type } {
  const file = declarationFile(ref);
  if (!program) PRELOAD.forEach((r) => programFiles.add(declarationFile(r)));
  if (!program || !programFiles.has(file)) {
    programFiles.add(file);
    program = ts.createProgram(
      [...programFiles],
      { noEmit: true, skipLibCheck: true, types: [] },
      undefined,
      program,
    );
  }
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  const symbol =
    moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((s) => s.name === `I${ref.name}`);
  if (!symbol) throw new Error(`no interface I${ref.name} in ${file}`);
  return { checker, type: checker.getDeclaredTypeOfSymbol(symbol) };
}

/** Object members of a (possibly union, possibly optional) type; primitives dropped. */
function objectParts(checker: ts.TypeChecker, type: ts.Type): ts.Type[] {
  const t = checker.getNonNullableType(type);
  const parts = t.isUnion() ? t.types : [t];
  return parts.filter((p) => (p.flags & ts.TypeFlags.Object) !== 0);
}

/** Every field of `value` that `type` does not declare, at any depth. */
function unknownFields(
  checker: ts.TypeChecker,
  type: ts.Type,
  value: unknown,
  path: string,
  out: string[],
): void {
  if (value === null || typeof value !== 'object') return;
  const parts = objectParts(checker, type);
  if (parts.length === 0) return;
  if (Array.isArray(value)) {
    const arrayType = parts.find((p) => checker.isArrayType(p));
    if (!arrayType) return; // a type error the OpenAPI validator reports
    const element = checker.getTypeArguments(arrayType as ts.TypeReference)[0];
    value.forEach((v, i) => unknownFields(checker, element, v, `${path}/${i}`, out));
    return;
  }
  const objectType = parts.find((p) => !checker.isArrayType(p));
  if (!objectType) return;
  const index = checker.getIndexTypeOfType(objectType, ts.IndexKind.String);
  const props = checker.getPropertiesOfType(objectType);
  if (index) {
    for (const [k, v] of Object.entries(value)) unknownFields(checker, index, v, `${path}/${k}`, out);
    return;
  }
  if (props.length === 0) return; // free-form (RawExtension, JSON)
  const byName = new Map(props.map((p) => [p.name, p]));
  for (const [k, v] of Object.entries(value)) {
    const prop = byName.get(k);
    if (!prop) {
      out.push(`${path}/${k}: unknown field`);
      continue;
    }
    const decl = prop.valueDeclaration ?? prop.declarations?.[0];
    if (!decl) continue;
    unknownFields(checker, checker.getTypeOfSymbolAtLocation(prop, decl), v, `${path}/${k}`, out);
  }
}

/**
 * Validates `value` as the built-in type `ref` (Kubernetes v1.33.0 OpenAPI), strictly: types,
 * formats, enums, required fields, and no field the type does not have.
 */
export function validateBuiltIn(ref: K8sTypeRef, value: unknown, path = ''): string[] {
  const { checker, type } = interfaceType(ref);
  const unknown: string[] = [];
  unknownFields(checker, type, value, '', unknown);
  return [...openApiErrors(ref, value), ...unknown].map((e) => `${path}${e}`);
}
