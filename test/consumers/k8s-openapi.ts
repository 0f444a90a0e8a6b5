import { dirname, join } from 'path';
import { cachedJson } from '../synth-cache';

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
 * The types whose field sets are built once per jest run (see {@link fieldGraph}): the kinds the
 * library emits and the types CRD schemas embed. Another type is built, the same way, in the test
 * file that asks for it.
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
    // Embedded in the JobSet and LeaderWorkerSet schemas.
    'PodTemplateSpec',
  ].map((name) => ({ module: `kubernetes-models/v1/${name}`, name })),
  ...['Deployment', 'DaemonSet', 'StatefulSet'].map((name) => ({
    module: `kubernetes-models/apps/v1/${name}`,
    name,
  })),
  { module: 'kubernetes-models/batch/v1/Job', name: 'Job' },
  { module: 'kubernetes-models/batch/v1/JobTemplateSpec', name: 'JobTemplateSpec' },
  { module: 'kubernetes-models/policy/v1/PodDisruptionBudget', name: 'PodDisruptionBudget' },
  { module: 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy', name: 'NetworkPolicy' },
  { module: 'kubernetes-models/storage.k8s.io/v1/StorageClass', name: 'StorageClass' },
  OBJECT_META,
  { module: '@kubernetes-models/apimachinery/apis/meta/v1/LabelSelector', name: 'LabelSelector' },
];

/**
 * The declared fields of a type, as the TypeScript checker sees them in the kubernetes-models
 * declarations: `a` is the element type of its array part, `i` the value type of its string
 * index signature, `p` its properties (-1 for a property without a declaration, which is not
 * looked into). A type with neither `i` nor `p` takes any object (a primitive, or a free-form
 * type such as RawExtension); one without `a` takes any array (a type error the OpenAPI
 * validator reports).
 */
interface FieldNode {
  readonly a?: number;
  readonly i?: number;
  readonly p?: Record<string, number>;
}

/** Field nodes of some types and the node of each root type, by {@link refKey}. */
interface FieldGraph {
  readonly nodes: FieldNode[];
  readonly roots: Record<string, number>;
}

function refKey(ref: K8sTypeRef): string {
  return `${ref.module}#${ref.name}`;
}

function declarationFile(ref: K8sTypeRef): string {
  const js = require.resolve(ref.module);
  return join(dirname(js), `${ref.name}.d.ts`);
}

/**
 * Builds the field graph of `refs` with the TypeScript checker over their declarations (a few
 * seconds: TypeScript is loaded only here).
 */
function buildFieldGraph(refs: readonly K8sTypeRef[]): FieldGraph {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  const program = ts.createProgram(refs.map(declarationFile), {
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const ids = new Map<import('typescript').Type, number>();
  const nodes: FieldNode[] = [];
  const visit = (type: import('typescript').Type): number => {
    const known = ids.get(type);
    if (known !== undefined) return known;
    const id = nodes.length;
    ids.set(type, id);
    const node: { a?: number; i?: number; p?: Record<string, number> } = {};
    nodes.push(node);
    // Object members of a (possibly union, possibly optional) type; primitives dropped.
    const t = checker.getNonNullableType(type);
    const parts = (t.isUnion() ? t.types : [t]).filter((x) => (x.flags & ts.TypeFlags.Object) !== 0);
    const arrayType = parts.find((x) => checker.isArrayType(x));
    if (arrayType)
      node.a = visit(checker.getTypeArguments(arrayType as import('typescript').TypeReference)[0]);
    const objectType = parts.find((x) => !checker.isArrayType(x));
    if (objectType) {
      const index = checker.getIndexTypeOfType(objectType, ts.IndexKind.String);
      const props = checker.getPropertiesOfType(objectType);
      if (index) node.i = visit(index);
      else if (props.length > 0) {
        node.p = {};
        for (const prop of props) {
          const decl = prop.valueDeclaration ?? prop.declarations?.[0];
          node.p[prop.name] = decl ? visit(checker.getTypeOfSymbolAtLocation(prop, decl)) : -1;
        }
      }
    }
    return id;
  };
  const roots: Record<string, number> = {};
  for (const ref of refs) {
    const source = program.getSourceFile(declarationFile(ref));
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    const symbol =
      moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((s) => s.name === `I${ref.name}`);
    if (!symbol) throw new Error(`no interface I${ref.name} in ${declarationFile(ref)}`);
    roots[refKey(ref)] = visit(checker.getDeclaredTypeOfSymbol(symbol));
  }
  return { nodes, roots };
}

/** A field graph with its property maps as Maps (no prototype keys such as `constructor`). */
interface LoadedGraph {
  readonly nodes: ReadonlyArray<{ a?: number; i?: number; p?: ReadonlyMap<string, number> }>;
  readonly roots: Record<string, number>;
}

function load(graph: FieldGraph): LoadedGraph {
  return {
    roots: graph.roots,
    nodes: graph.nodes.map((n) => ({ a: n.a, i: n.i, p: n.p && new Map(Object.entries(n.p)) })),
  };
}

let preloaded: LoadedGraph | undefined;
const others = new Map<string, LoadedGraph>();

/**
 * The field graph that has `ref` as a root: the {@link PRELOAD} types are built once per jest run
 * and shared by the workers (test/synth-cache.ts; building them is most of what a TypeScript
 * program over the declarations costs); any other type once per test file.
 */
function fieldGraph(ref: K8sTypeRef): { graph: LoadedGraph; root: number } {
  const key = refKey(ref);
  preloaded ??= load(
    cachedJson('k8s-openapi-fields', ['test/consumers/k8s-openapi.ts'], () => buildFieldGraph(PRELOAD)),
  );
  if (key in preloaded.roots) return { graph: preloaded, root: preloaded.roots[key] };
  let graph = others.get(key);
  if (!graph) {
    graph = load(buildFieldGraph([ref]));
    others.set(key, graph);
  }
  return { graph, root: graph.roots[key] };
}

/** Every field of `value` that the type of node `id` does not declare, at any depth. */
function unknownFields(graph: LoadedGraph, id: number, value: unknown, path: string, out: string[]): void {
  if (value === null || typeof value !== 'object') return;
  const node = graph.nodes[id];
  if (Array.isArray(value)) {
    const element = node.a;
    if (element === undefined) return; // a type error the OpenAPI validator reports
    value.forEach((v, i) => unknownFields(graph, element, v, `${path}/${i}`, out));
    return;
  }
  if (node.i !== undefined) {
    for (const [k, v] of Object.entries(value)) unknownFields(graph, node.i, v, `${path}/${k}`, out);
    return;
  }
  if (!node.p) return; // free-form (RawExtension, JSON), or no object type
  for (const [k, v] of Object.entries(value)) {
    const prop = node.p.get(k);
    if (prop === undefined) {
      out.push(`${path}/${k}: unknown field`);
      continue;
    }
    if (prop < 0) continue;
    unknownFields(graph, prop, v, `${path}/${k}`, out);
  }
}

/**
 * Validates `value` as the built-in type `ref` (Kubernetes v1.33.0 OpenAPI), strictly: types,
 * formats, enums, required fields, and no field the type does not have.
 */
export function validateBuiltIn(ref: K8sTypeRef, value: unknown, path = ''): string[] {
  const { graph, root } = fieldGraph(ref);
  const unknown: string[] = [];
  unknownFields(graph, root, value, '', unknown);
  return [...openApiErrors(ref, value), ...unknown].map((e) => `${path}${e}`);
}
