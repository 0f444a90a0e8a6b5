import { Document, Scalar, visit } from 'yaml';

/**
 * YAML text of plain data exactly as `yaml`'s `stringify(value, { lineWidth: 0 })` writes it (except
 * for blank multi-line strings: {@link yamlStringify}),
 * without loading `yaml` (about 70 modules) for the documents this library emits: Helm values,
 * rule groups and Alertmanager configurations made of plain objects, arrays, strings, finite
 * numbers, booleans and null.
 *
 * The fast path covers that data, including an object used twice (an anchor and an alias, as
 * yaml writes them), and gives up on anything whose rendering it does not reproduce: objects that
 * are not plain, circular references, control characters, multi-line strings that must be
 * double-quoted, keys that would need an explicit `?` form, and so on; those documents go to
 * `yaml` itself. The rules followed are
 * those of yaml 2.9.1 (github.com/eemeli/yaml, tag v2.9.1: src/stringify/stringifyString.ts,
 * stringifyPair.ts, stringifyCollection.ts, stringifyNumber.ts, src/schema/core/*.ts, and
 * src/schema/yaml-1.1/*.ts for `version: '1.1'`).
 * `test/core/yaml.test.ts` compares both over every document the examples emit and over random
 * data (fast-check), and parses the output back.
 */
export function toYaml(value: unknown, options: YamlOptions = {}): string {
  return fastYaml(value, options) ?? yamlStringify(value, options);
}

/**
 * `yaml`'s `stringify(value, { lineWidth: 0 })` (with `version: '1.1'` if asked), except for
 * multi-line strings made only of spaces, tabs and line breaks with at least one space (`' \n'`,
 * `'\n \n'`): yaml 2.9.1 writes those as a `|+` block without an indentation indicator, which reads
 * back without the spaces (`' \n\n'` becomes `'\n\n'`); they are double-quoted instead.
 */
export function yamlStringify(value: unknown, options: YamlOptions = {}): string {
  const doc = new Document(value, options.version === '1.1' ? { version: '1.1' } : {});
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && blankLines(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString({ lineWidth: 0 });
}

/** A multi-line string of spaces, tabs and line breaks with a space: yaml's block form loses it. */
function blankLines(s: string): boolean {
  return BLANK.test(s) && s.includes('\n') && s.includes(' ');
}
const BLANK = /^[\n\t ]*$/;

/** Options of {@link toYaml}. */
export interface YamlOptions {
  /**
   * The YAML version the reader applies: with '1.1' (Helm reads values as YAML 1.1) a string that
   * YAML 1.1 reads as something else (`yes`, `on`, `2024-04-01`, `0755`, `1:20`) is quoted, as
   * `yaml`'s `stringify(value, { lineWidth: 0, version: '1.1' })` does.
   * @default '1.2'
   */
  readonly version?: '1.1' | '1.2';
}

/** The fast path of {@link toYaml} alone: `undefined` where it defers to `yaml`. */
export function fastYaml(value: unknown, options: YamlOptions = {}): string | undefined {
  if (!isPlainObject(value) && !Array.isArray(value)) return undefined;
  const anchors = anchorsOf(value);
  if (anchors === undefined) return undefined;
  const yaml11 = options.version === '1.1';
  const body = collection(value, '', {
    anchors,
    written: new Set(),
    notAString: yaml11 ? NOT_A_STRING_1_1 : NOT_A_STRING,
    yaml11,
  });
  return body === undefined ? undefined : `${body}\n`;
}

interface Refs {
  /** The tag tests of the schema, as one expression: a string matching it is quoted. */
  readonly notAString: RegExp;
  /** YAML 1.1: defer on `<<` (a merge key there). */
  readonly yaml11: boolean;
  /** Objects met more than once, with the anchor yaml gives them (a1, a2, ... in order of the second meeting). */
  readonly anchors: Map<object, string>;
  /** Objects already written (a later meeting is an alias). */
  readonly written: Set<object>;
}

/**
 * The anchors yaml's createNode assigns (aliasDuplicateObjects): a depth-first walk in key order,
 * skipping undefined map values; `undefined` for a circular structure.
 */
function anchorsOf(root: object): Map<object, string> | undefined {
  const anchors = new Map<object, string>();
  const seen = new Set<object>();
  const open = new Set<object>();
  const walk = (v: unknown): boolean => {
    if (v === null || typeof v !== 'object') return true;
    if (open.has(v)) return false;
    if (seen.has(v)) {
      if (!anchors.has(v)) anchors.set(v, `a${anchors.size + 1}`);
      return true;
    }
    seen.add(v);
    open.add(v);
    const children = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    const ok = children.every((c) => c === undefined || walk(c));
    open.delete(v);
    return ok;
  };
  return walk(root) ? anchors : undefined;
}

/** One regular expression matching a whole string that matches any of `res`: one test per scalar. */
function oneOf(res: readonly RegExp[]): RegExp {
  return new RegExp(`^(?:${res.map((re) => `(?:${re.source.slice(1, -1)})`).join('|')})$`);
}
/** Strings the YAML 1.2 core schema reads as something other than a string (yaml's tag tests). */
const NOT_A_STRING = oneOf([
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^0o[0-7]+$/,
  /^[-+]?[0-9]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
]);
/**
 * Strings the YAML 1.1 schema reads as something other than a string (the tag tests of yaml
 * 2.9.1's `yaml-1.1` schema: null, bool, int in four bases, float, sexagesimal, timestamp).
 */
const NOT_A_STRING_1_1 = oneOf([
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
  /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
  /^[-+]?0b[0-1_]+$/,
  /^[-+]?0[0-7_]+$/,
  /^[-+]?[0-9][0-9_]*$/,
  /^[-+]?0x[0-9a-fA-F_]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:t|T|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:[ \t]*(?:Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$/,
]);
/** Characters yaml writes only double-quoted with escapes (control characters, lone surrogates). */
const NEEDS_ESCAPES = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
/** What a plain scalar must not contain or start or end with (yaml's plainString). */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
const BLOCK_END_NEWLINES = /(^|(?<!\n))\n+(?!\n|$)/g;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A non-empty-or-empty map or sequence at `indent` (yaml's ctx.indent of the collection). */
function collection(v: unknown[] | Record<string, unknown>, indent: string, refs: Refs): string | undefined {
  refs.written.add(v);
  const lines: string[] = [];
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) return undefined;
    const itemIndent = indent + '  ';
    for (let i = 0; i < v.length; i++) {
      if (!(i in v) || v[i] === undefined) return undefined;
      const item = node(v[i], itemIndent, refs);
      if (item === undefined) return undefined;
      lines.push(`- ${item.text}`);
    }
    if (lines.length === 0) return '[]';
  } else {
    const keys = Object.keys(v);
    if (Object.getOwnPropertySymbols(v).length > 0) return undefined;
    const pairIndent = indent + '  ';
    for (const k of keys) {
      const value = v[k];
      if (value === undefined) continue;
      const key = scalarString(k, pairIndent, true, refs);
      if (key === undefined || key.length > 1024) return undefined;
      const item = node(value, pairIndent, refs);
      if (item === undefined) return undefined;
      let ws = ' ';
      if (item.collection && !item.anchored) {
        if (item.text.includes('\n') || !item.empty) ws = `\n${pairIndent}`;
      } else if (item.text === '' || item.text[0] === '\n') {
        ws = '';
      }
      lines.push(`${key}:${ws}${item.text}`);
    }
    if (lines.length === 0) return '{}';
  }
  return lines.join(`\n${indent}`);
}

interface Rendered {
  readonly text: string;
  readonly collection: boolean;
  readonly empty: boolean;
  /** Starts with an anchor (`&a1`): stays on the key's line. */
  readonly anchored?: boolean;
}

/** A value inside a collection; `indent` is yaml's ctx.indent for it. */
function node(v: unknown, indent: string, refs: Refs): Rendered | undefined {
  if (v === null) return { text: 'null', collection: false, empty: false };
  switch (typeof v) {
    case 'boolean':
      return { text: v ? 'true' : 'false', collection: false, empty: false };
    case 'number':
      return { text: number(v), collection: false, empty: false };
    case 'string': {
      const text = scalarString(v, indent, false, refs);
      return text === undefined ? undefined : { text, collection: false, empty: false };
    }
    case 'object': {
      if (!Array.isArray(v) && !isPlainObject(v)) return undefined;
      if (!Array.isArray(v) && 'toJSON' in v) return undefined;
      const anchor = refs.anchors.get(v);
      if (anchor !== undefined && refs.written.has(v)) {
        return { text: `*${anchor}`, collection: false, empty: false };
      }
      const text = collection(v, indent, refs);
      if (text === undefined) return undefined;
      const empty = text === '[]' || text === '{}';
      if (anchor === undefined) return { text, collection: true, empty };
      return {
        text: empty ? `&${anchor} ${text}` : `&${anchor}\n${indent}${text}`,
        collection: true,
        empty,
        anchored: true,
      };
    }
    default:
      return undefined;
  }
}

/** yaml's stringifyNumber for a number without a format. */
function number(n: number): string {
  if (!isFinite(n)) return isNaN(n) ? '.nan' : n < 0 ? '-.inf' : '.inf';
  return Object.is(n, -0) ? '-0' : JSON.stringify(n);
}

/** A string scalar: plain, quoted or a block literal, as yaml chooses; `undefined` to defer. */
function scalarString(s: string, indent: string, implicitKey: boolean, refs: Refs): string | undefined {
  if (NEEDS_ESCAPES.test(s) || (refs.yaml11 && s === '<<')) return undefined;
  if (s.includes('\n')) {
    // Written double-quoted by yamlStringify (yaml's block form of these loses the spaces).
    if (blankLines(s)) return undefined;
    return implicitKey ? undefined : blockLiteral(s, indent);
  }
  if (implicitKey && DOCUMENT_MARKER.test(s)) return undefined;
  if (NOT_PLAIN.test(s) || refs.notAString.test(s)) return quoted(s);
  return s;
}

/** yaml's quotedString for a single-line string without escapes. */
function quoted(s: string): string {
  const hasDouble = s.includes('"');
  const hasSingle = s.includes("'");
  if (hasDouble && !hasSingle) return `'${s}'`;
  return JSON.stringify(s);
}

/** yaml's blockString for a multi-line string (always literal with lineWidth 0). */
function blockLiteral(s: string, indent: string): string | undefined {
  if (indent === '' || /\n[\t ]+$/.test(s)) return undefined;
  let value = s;
  let endStart: number;
  for (endStart = value.length; endStart > 0; --endStart) {
    const ch = value[endStart - 1];
    if (ch !== '\n' && ch !== '\t' && ch !== ' ') break;
  }
  let end = value.substring(endStart);
  const endNlPos = end.indexOf('\n');
  let chomp: string;
  if (endNlPos === -1) chomp = '-';
  else if (value === end || endNlPos !== end.length - 1) chomp = '+';
  else chomp = '';
  if (end) {
    value = value.slice(0, -end.length);
    if (end[end.length - 1] === '\n') end = end.slice(0, -1);
    end = end.replace(BLOCK_END_NEWLINES, `$&${indent}`);
  }
  let startWithSpace = false;
  let startEnd: number;
  let startNlPos = -1;
  for (startEnd = 0; startEnd < value.length; ++startEnd) {
    const ch = value[startEnd];
    if (ch === ' ') startWithSpace = true;
    else if (ch === '\n') startNlPos = startEnd;
    else break;
  }
  let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  const header = (startWithSpace ? '2' : '') + chomp;
  value = value.replace(/\n+/g, `$&${indent}`);
  return `|${header}\n${indent}${start}${value}${end}`;
}
