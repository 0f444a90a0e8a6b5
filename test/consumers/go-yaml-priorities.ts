import { isAlias, isMap, isScalar, isSeq, parseDocument, Scalar, visit, YAMLMap } from 'yaml';

/**
 * cluster-autoscaler's priority expander reads the `priorities` key of its ConfigMap as
 * `map[int][]string` and compiles every string with Go's `regexp.Compile`
 * (kubernetes/autoscaler `cluster-autoscaler/expander/priority/priority.go`,
 * `parsePrioritiesYAMLString`). The YAML decoder changed between the releases the library's
 * clusters run (Kubernetes 1.33 and later, one cluster-autoscaler minor per Kubernetes minor):
 *
 * - up to 1.34 (tag cluster-autoscaler-1.33.6, be4b5a18): `gopkg.in/yaml.v2` v2.4.0
 *   `yaml.Unmarshal` straight into the map;
 * - 1.35.2 and 1.36 (tags cluster-autoscaler-1.35.2, 2d425888; -1.36.1, 35e8a280; autoscaler
 *   commit 045eee72, "Replace the archived package gopkg.in/yaml with sigs.k8s.io/yaml"):
 *   `sigs.k8s.io/yaml` v1.6.0 (048d724a): YAML decoded by go.yaml.in/yaml/v2 into `interface{}`,
 *   converted to JSON (`convertToJSONableObject`: keys to strings, numbers and booleans to
 *   strings where the target is a string), then `encoding/json` into the map, whose int keys
 *   are parsed with `strconv.ParseInt(key, 10, 64)`.
 *
 * Go is not installed here, so both decoders are re-stated for this one target type, from
 * go-yaml v2.4.0 `resolve.go` (`resolve`, `resolveTable`, `resolveMap`, `parseTimestamp`) and
 * `decode.go` (`decoder.scalar`: a quoted scalar is `!!str` and does not decode into an int; a
 * plain one is resolved first; a null item of a `[]string` is ""), and sigs.k8s.io/yaml v1.6.0
 * `yaml.go` (`convertToJSONableObject`). The YAML syntax itself is parsed by the `yaml` package
 * with the failsafe schema (every scalar a string, with its style), and the resolution is done
 * here as go-yaml does it. What is not ported (anchors and aliases, merge keys, `!!binary`,
 * timestamps beyond go-yaml's four layouts, 32-bit `int`) is reported as unsupported rather
 * than guessed: the library emits none of it.
 */

/** The decoded configuration, or why the expander rejects it ("Wrong configuration ..."). */
export type PrioritiesResult =
  | { readonly ok: true; readonly priorities: ReadonlyMap<number, readonly string[]> }
  | { readonly ok: false; readonly error: string };

type Resolved =
  | { tag: '!!null' }
  | { tag: '!!bool'; value: boolean }
  | { tag: '!!int'; value: bigint }
  | { tag: '!!float'; value: number }
  | { tag: '!!timestamp' }
  | { tag: '!!str' }
  | { tag: '!!merge' };

const BOOLS: Record<string, boolean> = {};
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) BOOLS[s] = true;
for (const s of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'])
  BOOLS[s] = false;
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL_FLOATS: Record<string, number> = {
  '.nan': NaN,
  '.NaN': NaN,
  '.NAN': NaN,
  '.inf': Infinity,
  '.Inf': Infinity,
  '.INF': Infinity,
  '+.inf': Infinity,
  '+.Inf': Infinity,
  '+.INF': Infinity,
  '-.inf': -Infinity,
  '-.Inf': -Infinity,
  '-.INF': -Infinity,
};
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;
/** go-yaml's `yamlStyleFloat`. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/**
 * Go's `strconv.ParseInt(s, 0, 64)` / `ParseUint`: optional sign (ParseInt only), then a base
 * prefix `0x`, `0o`, `0b` or a leading `0` (octal), digits with `_` only after a prefix.
 */
function goParseInt(s: string, signed: boolean): bigint | undefined {
  const m = /^([+-]?)(.*)$/s.exec(s)!;
  if (m[1] && !signed) return undefined;
  let body = m[2];
  let base = 10;
  let prefixed = false;
  if (/^0[xX]/.test(body)) [base, body, prefixed] = [16, body.slice(2), true];
  else if (/^0[oO]/.test(body)) [base, body, prefixed] = [8, body.slice(2), true];
  else if (/^0[bB]/.test(body)) [base, body, prefixed] = [2, body.slice(2), true];
  else if (/^0./.test(body)) [base, body, prefixed] = [8, body.slice(1), true];
  if (body.includes('_')) {
    // underscoreOK: only with a base prefix, never doubled, leading or trailing.
    if (!prefixed || /__|^_|_$/.test(body)) return undefined;
    body = body.replace(/_/g, '');
  }
  const digits = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[base]!;
  if (!digits.test(body)) return undefined;
  const prefix = { 2: '0b', 8: '0o', 10: '', 16: '0x' }[base]!;
  const v = BigInt(`${prefix}${body}`) * (m[1] === '-' ? -1n : 1n);
  if (signed ? v < INT64_MIN || v > INT64_MAX : v > UINT64_MAX) return undefined;
  return v;
}

/** go-yaml's `parseTimestamp`: the four layouts it tries (short date fields allowed). */
function isTimestamp(s: string): boolean {
  if (!/^[0-9]{4}-/.test(s)) return false;
  return (
    /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$/.test(s) ||
    /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[Tt][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$/.test(
      s,
    ) ||
    /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2} [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]+)?$/.test(s)
  );
}

/** go-yaml v2.4.0 `resolve("", in)` for a plain scalar. */
export function resolvePlain(input: string): Resolved {
  const c = input === '' ? 'N' : input[0];
  const hint = /[+-]/.test(c)
    ? 'S'
    : /[0-9]/.test(c)
      ? 'D'
      : /[yYnNtTfFoO~]/.test(c) || c === 'N'
        ? 'M'
        : c === '.'
          ? '.'
          : '';
  if (hint === '' && input !== '') return { tag: '!!str' };
  if (NULLS.has(input)) return { tag: '!!null' };
  if (input in BOOLS) return { tag: '!!bool', value: BOOLS[input] };
  if (input in SPECIAL_FLOATS) return { tag: '!!float', value: SPECIAL_FLOATS[input] };
  if (input === '<<') return { tag: '!!merge' };
  if (hint === '.') {
    const f = Number(input);
    if (/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(input) && !Number.isNaN(f)) return { tag: '!!float', value: f };
  }
  if (hint === 'D' || hint === 'S') {
    if (isTimestamp(input)) return { tag: '!!timestamp' };
    const plain = input.replace(/_/g, '');
    const i = goParseInt(plain, true) ?? goParseInt(plain, false);
    if (i !== undefined) return { tag: '!!int', value: i };
    if (YAML_STYLE_FLOAT.test(plain)) return { tag: '!!float', value: Number(plain) };
    if (/^-?0b[01]+$/.test(plain)) {
      const v = BigInt(plain.replace('-', '')) * (plain.startsWith('-') ? -1n : 1n);
      if (v >= INT64_MIN && v <= UINT64_MAX) return { tag: '!!int', value: v };
    }
  }
  return { tag: '!!str' };
}

/** A scalar as go-yaml v2 sees it: quoted and block scalars (and `!!str`) are strings. */
function resolveScalar(s: Scalar): Resolved | { unsupported: string } {
  const text = String(s.value);
  if (s.tag !== undefined && s.tag !== null) {
    if (s.tag === 'tag:yaml.org,2002:str') return { tag: '!!str' };
    return { unsupported: `explicit tag ${s.tag}` };
  }
  return s.type === 'PLAIN' ? resolvePlain(text) : { tag: '!!str' };
}

function parse(text: string): { root: unknown; error?: string } {
  const doc = parseDocument(text, { schema: 'failsafe', uniqueKeys: false });
  if (doc.errors.length) return { root: undefined, error: `yaml: ${doc.errors[0].message}` };
  let anchors = false;
  visit(doc, {
    Node(_, n) {
      if (isAlias(n) || (n as { anchor?: string }).anchor) anchors = true;
    },
  });
  if (anchors) return { root: undefined, error: 'unsupported: anchors or aliases' };
  return { root: doc.contents };
}

/** `[]string` items the way both decoders fill them; an error names the item. */
function stringItems(value: unknown, where: string, sigs: boolean): string[] | string {
  if (value === null || value === undefined || (isScalar(value) && isNullScalar(value))) return [];
  if (!isSeq(value)) return `${where}: cannot unmarshal ${describe(value)} into []string`;
  const out: string[] = [];
  for (const [j, item] of value.items.entries()) {
    if (!isScalar(item)) return `${where}[${j}]: cannot unmarshal ${describe(item)} into string`;
    const r = resolveScalar(item);
    if ('unsupported' in r) return `${where}[${j}]: unsupported: ${r.unsupported}`;
    if (r.tag === '!!null') out.push('');
    else if (r.tag === '!!merge') return `${where}[${j}]: unsupported: merge key`;
    else if (sigs && r.tag === '!!bool') out.push(String(r.value));
    else if (sigs && r.tag === '!!int') out.push(r.value.toString());
    else if (sigs && r.tag === '!!float')
      return `${where}[${j}]: unsupported: float converted to a string by FormatFloat`;
    else out.push(String(item.value));
  }
  return out;
}

function isNullScalar(s: Scalar): boolean {
  const r = resolveScalar(s);
  return !('unsupported' in r) && r.tag === '!!null';
}

function describe(node: unknown): string {
  return isMap(node)
    ? '!!map'
    : isSeq(node)
      ? '!!seq'
      : isScalar(node)
        ? `\`${String(node.value)}\``
        : String(node);
}

/**
 * What both decoders do first: the document's root mapping, or their result for a document that
 * does not parse (its error), is empty or null (no priorities) or is not a mapping (`errorPrefix`
 * and Go's unmarshal message).
 */
function rootMap(text: string, errorPrefix: string): YAMLMap | PrioritiesResult {
  const { root, error } = parse(text);
  if (error) return { ok: false, error };
  if (root === null || (isScalar(root) && isNullScalar(root as Scalar)))
    return { ok: true, priorities: new Map() };
  if (!isMap(root))
    return { ok: false, error: `${errorPrefix} cannot unmarshal ${describe(root)} into map[int][]string` };
  return root;
}

/**
 * gopkg.in/yaml.v2 v2.4.0 `yaml.Unmarshal(text, &map[int][]string{})`, as cluster-autoscaler up
 * to 1.34 decodes the priorities.
 */
export function decodeWithYamlV2(text: string): PrioritiesResult {
  const root = rootMap(text, 'yaml: unmarshal errors:');
  if (!isMap(root)) return root;
  const priorities = new Map<number, string[]>();
  for (const pair of root.items) {
    const key = pair.key;
    if (!isScalar(key))
      return { ok: false, error: `yaml: unmarshal errors: cannot unmarshal ${describe(key)} into int` };
    const r = resolveScalar(key as Scalar);
    if ('unsupported' in r) return { ok: false, error: `unsupported: ${r.unsupported}` };
    let prio: number;
    if (r.tag === '!!null') prio = 0;
    else if (r.tag === '!!int' && r.value >= INT64_MIN && r.value <= INT64_MAX) prio = Number(r.value);
    else if (r.tag === '!!float' && Number.isFinite(r.value) && Math.abs(r.value) < 2 ** 63)
      prio = Math.trunc(r.value);
    else
      return {
        ok: false,
        error: `yaml: unmarshal errors: cannot unmarshal ${r.tag} \`${String(key.value)}\` into int`,
      };
    const items = stringItems(pair.value, `priority ${prio}`, false);
    if (typeof items === 'string') return { ok: false, error: `yaml: unmarshal errors: ${items}` };
    priorities.set(prio, items); // a repeated key: the later one wins (yaml.v2 does not refuse it)
  }
  return { ok: true, priorities };
}

/**
 * sigs.k8s.io/yaml v1.6.0 `yaml.Unmarshal(text, &map[int][]string{})`, as cluster-autoscaler
 * 1.35.2 and later decode the priorities: keys become JSON strings and `encoding/json` parses
 * them in base 10.
 */
export function decodeWithSigsYaml(text: string): PrioritiesResult {
  const root = rootMap(text, 'error unmarshaling JSON:');
  if (!isMap(root)) return root;
  const byKey = new Map<string, string[]>();
  for (const pair of root.items) {
    const key = pair.key;
    if (!isScalar(key))
      return { ok: false, error: `error converting YAML to JSON: unsupported map key ${describe(key)}` };
    const r = resolveScalar(key as Scalar);
    if ('unsupported' in r) return { ok: false, error: `unsupported: ${r.unsupported}` };
    let keyString: string;
    if (r.tag === '!!str' || r.tag === '!!timestamp') keyString = String(key.value);
    else if (r.tag === '!!int') keyString = r.value.toString();
    else if (r.tag === '!!bool') keyString = String(r.value);
    else if (r.tag === '!!float')
      return { ok: false, error: `unsupported: float key \`${String(key.value)}\`` };
    else return { ok: false, error: `error converting YAML to JSON: unsupported map key of type <nil>` };
    const items = stringItems(pair.value, `key ${keyString}`, true);
    if (typeof items === 'string') return { ok: false, error: `error converting YAML to JSON: ${items}` };
    byKey.set(keyString, items);
  }
  const priorities = new Map<number, string[]>();
  for (const [k, v] of byKey) {
    // encoding/json: strconv.ParseInt(key, 10, 64) for an int-keyed map.
    if (!/^[+-]?[0-9]+$/.test(k) || BigInt(k) < INT64_MIN || BigInt(k) > INT64_MAX) {
      return {
        ok: false,
        error: `error unmarshaling JSON: json: cannot unmarshal number ${k} into Go value of type int`,
      };
    }
    priorities.set(Number(k), v);
  }
  return { ok: true, priorities };
}

/** Go's `regexp.QuoteMeta`: a backslash before each of `\.+*?()|[]{}^$`. */
export function goQuoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/**
 * The literal an anchored pattern `^<QuoteMeta(literal)>$` matches exactly, or undefined when the
 * pattern is not of that form. Go guarantees QuoteMeta's output is a regular expression matching
 * the literal text, so such a pattern compiles and matches one name only; any other pattern would
 * need Go's RE2 parser, which is not here.
 */
export function anchoredLiteral(pattern: string): string | undefined {
  const m = /^\^(.*)\$$/s.exec(pattern);
  if (!m) return undefined;
  const literal = m[1].replace(/\\(.)/gs, '$1');
  return goQuoteMeta(literal) === m[1] ? literal : undefined;
}
