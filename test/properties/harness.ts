import { createHash } from 'crypto';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Testing, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { TeamBudgets, ValidationError } from '../../lib/core';
import { synthJson } from '../util';
import { apiRuleProblems } from './api-rules';

/** What kind of value a prop takes: picks the hostile values it is tried with. */
export type Kind = 'string' | 'int' | 'number' | 'bool' | 'strings' | 'map' | 'ints' | 'object';

/**
 * Hostile values per kind: empty, whitespace, unicode, very long, special characters, NaN,
 * Infinity, negatives, 1e21, 2^31, null and the wrong JavaScript type (apps written in
 * JavaScript get no type check).
 */
export const HOSTILE: Record<Kind, unknown[]> = {
  string: [
    '',
    ' ',
    ' x ',
    'é',
    'A B',
    'a/b',
    'a_b',
    '../x',
    'x'.repeat(300),
    '"\'`',
    'a\nb',
    '${}',
    null,
    42,
    {},
  ],
  int: [NaN, Infinity, -Infinity, -1, 1e21, 2 ** 31, 0.5, 0, null, '3', {}],
  number: [NaN, Infinity, -Infinity, -1, 1e21, 2 ** 31, 0, null, '1'],
  bool: [null, 'true', 1],
  strings: [null, 'x', [], [''], [' '], ['é'], ['x'.repeat(300)], ['a', 'a'], ['a/b', 'a_b'], [null], [42]],
  ints: [null, 5, [NaN], [Infinity], [-1], [1e21], [0.5], ['3'], [50, 50]],
  map: [
    null,
    'x',
    { '': 'v' },
    { 'A B': 'x' },
    { k: ' ' },
    { k: 'x'.repeat(100) },
    { k: null },
    { K: 'v', k: 'v' },
    { 'a/b/c': 'v' },
  ],
  object: [null, 'x', 42, {}],
};

/** Random values per kind from fast-check, on top of the fixed list. */
export const ARBITRARY: Record<Kind, fc.Arbitrary<unknown>> = {
  string: fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.constantFrom('-', '.', '..'),
  ),
  int: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(2 ** 31 - 1, 2 ** 53, -(2 ** 31))),
  number: fc.double(),
  bool: fc.anything(),
  strings: fc.array(fc.string({ maxLength: 30 }), { maxLength: 4 }),
  ints: fc.array(fc.double(), { maxLength: 3 }),
  map: fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 70 }), { maxKeys: 3 }),
  object: fc.anything(),
};

/** One construct (or function) under test. */
export interface PropertyCase<P> {
  /** A name for the report. */
  readonly name: string;
  /**
   * What the case's props are props of, for the coverage test (coverage.test.ts reads it from
   * the source, so it is a literal): `'<module>.<Class>'` (constructor props) or
   * `'<module>.<Class>.<addMethod>'` (the method's options), optionally with `:<prop>` when the
   * case's props are the nested props of that prop; or an object of such targets, each with the
   * prefix of the case's paths that belongs to it (`''` for all). A case of a factory or a
   * function that no construct target lists has none.
   */
  readonly covers?: string | Record<string, string>;
  /** Props that synthesize cleanly. */
  readonly base: () => P;
  /** Each prop path (dot-separated, numeric parts index arrays) with its kind. */
  readonly props: Record<string, Kind>;
  /**
   * Builds the construct with `props` in a fresh stack and returns every stack to synthesize
   * (an empty list for a pure function).
   */
  readonly build: (props: P) => TerraformStack[];
  /**
   * A cheap first try: builds the construct into a shared fixture without synthesizing. A
   * ValidationError there settles the value (most hostile values end here); only a value it
   * accepts is built again with `build` in a fresh app and synthesized.
   * @default - every value goes through `build`
   */
  readonly probe?: (props: P) => void;
}

let outdir: string | undefined;
/**
 * A fresh app (`Testing.app()`) for one tried value. Every app of the process shares one output
 * directory: the harness synthesizes with `synthJson` (test/util.ts), which writes nothing there, and
 * `Testing.app()` without one makes (and leaves) a new directory under the system temp
 * directory for each of the thousands of values a suite tries, about a millisecond of file
 * system work each in a temp directory that holds many.
 */
export function propertyApp(): App {
  outdir ??= mkdtempSync(join(tmpdir(), 'cdktf-ai-infra-properties-'));
  return Testing.app({ outdir });
}

/**
 * `TeamBudgets.declare(options)` when `v` looks like its options, else `v` itself: the
 * TeamBudgetAlarms cases try hostile declarations and hostile `budgets` values both.
 */
export function declaredBudgets(v: any): any {
  return v && typeof v === 'object' && 'teams' in v ? TeamBudgets.declare(v) : v;
}

/** How many values each way took, for measuring the suites' cost (PROPERTY_COUNTS=<file>). */
export const COUNTS = { probes: 0, builds: 0, synths: 0, checks: 0 };
if (process.env.PROPERTY_COUNTS) {
  afterAll(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('fs').appendFileSync(
      process.env.PROPERTY_COUNTS!,
      `${expect.getState().testPath} ${JSON.stringify(COUNTS)}\n`,
    );
  });
}

/**
 * The API rule problems of a synthesized stack, checked once per distinct JSON: many tried values
 * synthesize what an earlier one did (null or a default for an optional prop, the base props), and
 * the rules (YAML and PromQL parsing) cost about as much as the synthesis.
 */
const problemsByJson = new Map<string, string[]>();
function synthProblems(stack: TerraformStack): string[] {
  const json = synthJson(stack);
  const key = createHash('sha1').update(JSON.stringify(json)).digest('base64');
  let problems = problemsByJson.get(key);
  if (problems === undefined) {
    COUNTS.checks++;
    problemsByJson.set(key, (problems = apiRuleProblems(json)));
  }
  return problems;
}

/**
 * Case builders for a cloud's constructs: `inStack(id, make)` gives the `build` and `probe` of a
 * case whose construct goes into one stack, `make` building it with construct id `id` into a
 * fresh stack (build) or with a fresh id into the shared fixture's stack (probe); `onCluster` the
 * same for a construct on a cluster (a new one, or the fixture's).
 */
export function stackBuilders<C>(cloud: {
  /** A fresh stack with the cloud's provider. */
  stack: () => TerraformStack;
  /** A cluster in a fresh stack. */
  cluster: (s: TerraformStack) => C;
  /** The shared fixture (built on first use). */
  fixture: () => { stack: TerraformStack; cluster: C };
}) {
  type Builders = Pick<PropertyCase<any>, 'build' | 'probe'>;
  return {
    inStack(id: string, make: (s: Construct, id: string, p: any) => void): Builders {
      return {
        build: (p) => {
          const s = cloud.stack();
          make(s, id, p);
          return [s];
        },
        probe: (p) => make(cloud.fixture().stack, probeId(id), p),
      };
    },
    onCluster(id: string, make: (s: Construct, id: string, cluster: C, p: any) => void): Builders {
      return {
        build: (p) => {
          const s = cloud.stack();
          make(s, id, cloud.cluster(s), p);
          return [s];
        },
        probe: (p) => make(cloud.fixture().stack, probeId(id), cloud.fixture().cluster, p),
      };
    },
  };
}

let probeCount = 0;
/** A fresh construct id for each probe in a shared fixture. */
export function probeId(prefix: string): string {
  return `${prefix}${probeCount++}`;
}

function setPath(obj: any, path: string, value: unknown): any {
  const parts = path.split('.');
  const root = Array.isArray(obj) ? [...obj] : { ...obj };
  let cur: any = root;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = cur[parts[i]];
    const empty = /^\d+$/.test(parts[i + 1]) ? [] : {};
    // A copy that keeps the prototype: a nested value in an instance of a class (a `WeightsSource`)
    // is tried in an instance of that class, not in a plain object with its fields.
    cur[parts[i]] = Array.isArray(next)
      ? [...next]
      : next && typeof next === 'object'
        ? Object.assign(Object.create(Object.getPrototypeOf(next)), next)
        : empty;
    cur = cur[parts[i]];
  }
  cur[parts[parts.length - 1]] = value;
  return root;
}

/**
 * The problems of a case's nested prop paths (`a.b.c`, `taints.0.key`). A value tried at a nested
 * path goes into its parent in the base props (`a.b`, `taints.0`); when the base props have no such
 * parent, the tried props hold a parent made from nothing (`{ c: value }`, `[{ key: value }]`)
 * that the construct may reject, for another prop missing from it, or ignore, before the value
 * is looked at: the case then passes without trying what it names. Each nested path's parent must
 * be in the base props: an array where the path's next part is an index, an object where it is
 * a name.
 */
export function nestedPathProblems<P>(c: Pick<PropertyCase<P>, 'base' | 'props'>): string[] {
  const base: unknown = c.base();
  const problems: string[] = [];
  for (const path of Object.keys(c.props)) {
    const parts = path.split('.');
    let cur: any = base;
    for (let i = 0; i < parts.length - 1; i++) {
      const parent = parts.slice(0, i + 1).join('.');
      const index = /^\d+$/.test(parts[i + 1]);
      const next = cur?.[parts[i]];
      const fix = `give the case's base props a valid '${parent}'`;
      if (next === undefined || next === null) {
        problems.push(`${path}: its parent '${parent}' is not in the base props: ${fix}`);
        break;
      }
      if (typeof next !== 'object' || Array.isArray(next) !== index) {
        problems.push(
          `${path}: its parent '${parent}' in the base props is ${show(next)}, not ${index ? 'an array' : 'an object'}: ${fix}`,
        );
        break;
      }
      cur = next;
    }
  }
  return problems;
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 20)}...(${v.length})` : v);
  if (typeof v === 'number') return String(v);
  try {
    return (
      JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x))?.slice(
        0,
        60,
      ) ?? String(v)
    );
  } catch {
    return String(v);
  }
}

/**
 * Tries one value: the outcome is fine when building throws a ValidationError (with a code and
 * a message naming the prop), or when it builds and every synthesized value passes the API
 * rules. Returns a problem line otherwise.
 */
export function tryValue<P>(c: PropertyCase<P>, path: string, value: unknown): string | undefined {
  const props = setPath(c.base(), path, value);
  let stacks: TerraformStack[];
  if (c.probe) {
    try {
      COUNTS.probes++;
      c.probe(props);
    } catch (e) {
      if (e instanceof ValidationError) {
        return e.code ? undefined : `${path}=${show(value)}: ValidationError without a code`;
      }
      const msg = e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e);
      return `${path}=${show(value)}: threw ${msg.split('\n')[0].slice(0, 200)}`;
    }
  }
  try {
    COUNTS.builds++;
    stacks = c.build(props);
    for (const s of stacks) {
      COUNTS.synths++;
      const problems = synthProblems(s);
      if (problems.length) return `${path}=${show(value)}: synthesized ${problems.slice(0, 3).join('; ')}`;
    }
  } catch (e) {
    if (e instanceof ValidationError) {
      if (!e.code) return `${path}=${show(value)}: ValidationError without a code`;
      return undefined;
    }
    const msg = e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e);
    // cdktf node validations (synthJson, as Testing.synth(stack, true)) report as plain Errors; the library's
    // own synth-time validations are written `<path>: <message>` and are accepted.
    if (/Validation failed with the following errors/.test(msg)) return undefined;
    return `${path}=${show(value)}: threw ${msg.split('\n')[0].slice(0, 200)}`;
  }
  return undefined;
}

/**
 * Runs every fixed hostile value of every prop, then `numRuns` random (prop, value) pairs from
 * fast-check, and returns every problem found.
 */
export function runCase<P>(c: PropertyCase<P>, numRuns = 25): string[] {
  const problems = nestedPathProblems(c);
  try {
    COUNTS.builds++;
    for (const s of c.build(c.base())) {
      COUNTS.synths++;
      const base = synthProblems(s);
      if (base.length) problems.push(`base props: ${base.slice(0, 3).join('; ')}`);
    }
  } catch (e) {
    problems.push(`base props threw ${String(e).slice(0, 200)}`);
  }
  if (c.probe) {
    // A probe shares its fixture with every other value: one that rejects the base props (or
    // rejects them the second time, a clash in the shared fixture) would settle values wrongly.
    for (let i = 0; i < 2; i++) {
      try {
        COUNTS.probes++;
        c.probe(c.base());
      } catch (e) {
        problems.push(`probe of the base props threw ${String(e).slice(0, 200)}`);
      }
    }
  }
  for (const [path, kind] of Object.entries(c.props)) {
    for (const v of HOSTILE[kind]) {
      const p = tryValue(c, path, v);
      if (p) problems.push(p);
    }
  }
  const entries = Object.entries(c.props);
  if (entries.length && numRuns > 0) {
    fc.assert(
      fc.property(
        fc.constantFrom(...entries).chain(([path, kind]) => fc.tuple(fc.constant(path), ARBITRARY[kind])),
        ([path, value]) => {
          const p = tryValue(c, path, value);
          if (p) problems.push(p);
          return true;
        },
      ),
      { numRuns, seed: 20261203 },
    );
  }
  return [...new Set(problems)];
}
