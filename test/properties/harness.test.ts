import { ValidationError } from '../../lib/core';
import { nestedPathProblems, PropertyCase, runCase } from './harness';

// The harness's check that every nested prop path of a case has its parent in the base props
// (nestedPathProblems, run first by runCase).

interface Toleration {
  key?: unknown;
  operator?: unknown;
}

/**
 * A function under test that rejects a toleration without a key before it looks at the operator,
 * and crashes (a plain Error, which the harness reports) on an operator that is not a string.
 */
function tolerate(p: { tolerations?: Toleration[] }): void {
  for (const t of p.tolerations ?? []) {
    if (typeof t.key !== 'string')
      throw new ValidationError(`tolerations.key: ${String(t.key)} is not a string`);
    (t.operator as string | undefined)?.toUpperCase();
  }
}

function tolerationCase(
  base: () => { tolerations?: Toleration[] },
): PropertyCase<{ tolerations?: Toleration[] }> {
  return {
    name: 'tolerate',
    base,
    props: { 'tolerations.0.operator': 'string' },
    build: (p) => {
      tolerate(p);
      return [];
    },
  };
}

test('a nested path whose parent is not in the base props fails the case, naming the path and the fix', () => {
  // Without tolerations in the base props every operator value lands in `[{ operator }]`, which
  // tolerate rejects for its missing key: without the check the case would pass untried.
  expect(
    runCase(
      tolerationCase(() => ({})),
      0,
    ),
  ).toEqual([
    "tolerations.0.operator: its parent 'tolerations' is not in the base props: give the case's base props a valid 'tolerations'",
  ]);
});

test('with a valid parent in the base props the nested value is tried (and the crash found)', () => {
  const found = runCase(
    tolerationCase(() => ({ tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists' }] })),
    0,
  );
  expect(found.length).toBeGreaterThan(0);
  expect(found.every((f) => /^tolerations\.0\.operator=.*: threw TypeError/.test(f))).toBe(true);
});

test.each([
  ['an empty array', { tolerations: [] }, "its parent 'tolerations.0' is not in the base props"],
  ['null', { tolerations: null }, "its parent 'tolerations' is not in the base props"],
  [
    'an object, not an array',
    { tolerations: { key: 'k' } },
    'its parent \'tolerations\' in the base props is {"key":"k"}, not an array',
  ],
  [
    'a string, not an object',
    { tolerations: ['k'] },
    'its parent \'tolerations.0\' in the base props is "k", not an object',
  ],
])('a parent that is %s is reported', (_n, base, message) => {
  const problems = nestedPathProblems({ base: () => base, props: { 'tolerations.0.operator': 'string' } });
  expect(problems).toEqual([
    `tolerations.0.operator: ${message}: give the case's base props a valid '${message.split("'")[1]}'`,
  ]);
});

test('top-level paths and nested paths with their parents are fine', () => {
  expect(
    nestedPathProblems({
      base: () => ({ a: 1, b: { c: [{ d: 1 }] }, m: {} }),
      props: {
        a: 'int',
        x: 'string',
        'b.c': 'object',
        'b.c.0': 'object',
        'b.c.0.d': 'int',
        'b.c.0.e': 'int',
        'm.k': 'string',
      },
    }),
  ).toEqual([]);
});

test('a nested value in an instance of a class is tried in an instance of that class', () => {
  class Source {
    public constructor(public readonly uri: unknown) {}
  }
  const c: PropertyCase<{ source: Source }> = {
    name: 'source',
    base: () => ({ source: new Source('s3://models/llama/') }),
    props: { 'source.uri': 'string' },
    build: (p) => {
      if (!(p.source instanceof Source)) throw new Error('source is not a Source');
      return [];
    },
  };
  expect(runCase(c, 0)).toEqual([]);
});
