import { nestedPathProblems } from './harness';

// The harness's check that every nested prop path of a case has its parent in the base props
// (nestedPathProblems).

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
