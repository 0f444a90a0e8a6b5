import * as fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { fastYaml, toYaml, yamlStringify } from '../../lib/core/private/yaml';
import { exampleJson } from '../synth-cache';

/**
 * What the library falls back to: yaml's stringify, except for blank multi-line strings (below,
 * "blank multi-line strings"), which yaml 2.9.1 writes in a form that reads back without spaces.
 */
const reference = (v: unknown): string => yamlStringify(v);
/** A generated value holds a multi-line string of blanks with a space (written double-quoted). */
const hasBlankLines = (v: unknown): boolean =>
  typeof v === 'string'
    ? /^[\n\t ]*$/.test(v) && v.includes('\n') && v.includes(' ')
    : v !== null && typeof v === 'object' && Object.values(v).some(hasBlankLines);

/** Characters that decide between plain, quoted and block styles, plus escapes and non-ASCII. */
const CHARS = [
  ...'ab Z09.-:#?|>%@`\'"!&*,[]{}~+eExo\n\t',
  '\n\n',
  '  ',
  'é',
  '≥',
  '\u0085',
  '\u00a0',
  '\r',
  '\u0007',
  '\u2028',
  '\ud800',
  '😀',
];
const WORDS = [
  '',
  'true',
  'True',
  'FALSE',
  'null',
  'Null',
  '~',
  'yes',
  'on',
  '0755',
  '0o17',
  '0x1F',
  '12',
  '-3',
  '+4',
  '1.5',
  '.5',
  '1e3',
  '.inf',
  '-.Inf',
  '.nan',
  '---',
  '...',
  '%YAML',
  '- a',
  'a: b',
  'a #b',
  'a#b',
  'a:',
  '${aws_iam_role.x.arn}',
  '{{ $value }}',
];
const text = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...CHARS), { maxLength: 12 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: fc.constantFrom(...WORDS) },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.oneof(fc.constantFrom(...WORDS), fc.constantFrom(...CHARS)), { maxLength: 6 })
      .map((a) => a.join('')),
  },
);
const scalar = fc.oneof(
  text,
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, 1e21, 1.5e-7, Number.MAX_SAFE_INTEGER),
  fc.constant(null),
);
const { value: data } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(
    fc.oneof(text, fc.constantFrom('app.kubernetes.io/name', 'nvidia.com/gpu', 'a_b', 'x-y')),
    fc.oneof(tie('value'), fc.constant(undefined)),
    { maxKeys: 4 },
  ),
}));
const trees = fc.oneof(fc.array(data, { maxLength: 4 }), fc.dictionary(text, data, { maxKeys: 5 }));
/** A deep copy of generated data (plain objects and arrays, in this realm). */
const copy = <T>(v: T): T =>
  (v === null || typeof v !== 'object'
    ? v
    : Array.isArray(v)
      ? v.map(copy)
      : Object.fromEntries(Object.entries(v).map(([k, c]) => [k, copy(c)]))) as T;
/** A tree in which some slots are set to objects of a small pool, so objects recur (anchors). */
const documents = fc
  .tuple(trees, fc.array(trees, { minLength: 1, maxLength: 3 }), fc.array(fc.nat(), { maxLength: 4 }))
  .map(([source, sourcePool, picks]) => {
    // Copies: fast-check may call this mapper again on the same generated values, and mutating
    // them would then put pool objects inside each other (a cycle, and a stack overflow here).
    const tree = copy(source);
    const pool = copy(sourcePool);
    const slots: Array<[Record<string, unknown>, string]> = [];
    const collect = (v: unknown): void => {
      if (v === null || typeof v !== 'object') return;
      for (const [k, c] of Object.entries(v)) {
        slots.push([v as Record<string, unknown>, k]);
        collect(c);
      }
    };
    collect(tree);
    if (slots.length > 0) {
      for (const p of picks) {
        const [container, key] = slots[p % slots.length];
        container[key] = pool[p % pool.length];
      }
    }
    return tree;
  });

describe('toYaml', () => {
  test('the fast path writes what yaml writes, or defers', () => {
    let taken = 0;
    let runs = 0;
    let aliased = 0;
    fc.assert(
      fc.property(documents, (doc) => {
        runs++;
        const expected = reference(doc);
        const fast = fastYaml(doc);
        if (fast !== undefined) {
          taken++;
          if (/\*a1/.test(fast)) aliased++;
          expect(fast).toBe(expected);
        }
        expect(toYaml(doc)).toBe(expected);
      }),
      { numRuns: 1500 },
    );
    // The generator is built to hit the corners; about 40% of the documents take the fast path, one in ten of those with an alias.
    expect(taken / runs).toBeGreaterThan(0.25);
    expect(aliased).toBeGreaterThan(20);
  });

  test('what it writes parses back to the input', () => {
    fc.assert(
      fc.property(documents, (doc) => {
        expect(JSON.stringify(parse(toYaml(doc)))).toBe(JSON.stringify(doc));
      }),
      { numRuns: 500 },
    );
  });

  test.each<[string, unknown, string]>([
    [
      'plain keys and values',
      { 'app.kubernetes.io/name': 'vllm', replicas: 2, on: true },
      'app.kubernetes.io/name: vllm\nreplicas: 2\non: true\n',
    ],
    [
      'strings the core schema reads otherwise',
      { a: 'true', b: '8', c: '', d: '0.1', e: 'null' },
      'a: "true"\nb: "8"\nc: ""\nd: "0.1"\ne: "null"\n',
    ],
    [
      'a colon-space or a leading indicator quotes',
      { a: 'x: y', b: '*', c: '#c', d: 'say "hi"', e: '"hi": x' },
      'a: "x: y"\nb: "*"\nc: "#c"\nd: say "hi"\ne: \'"hi": x\'\n',
    ],
    [
      'block literals: strip, clip and keep',
      { a: 'x\ny', b: ['x\ny\n'], c: { d: 'x\n\n' } },
      'a: |-\n  x\n  y\nb:\n  - |\n    x\n    y\nc:\n  d: |+\n    x\n\n',
    ],
    ['a leading space sets the indentation indicator', { a: ' x\ny' }, 'a: |2-\n   x\n  y\n'],
    [
      'sequences of maps and empty collections',
      [{ a: 1, b: [] }, [], {}, [1]],
      '- a: 1\n  b: []\n- []\n- {}\n- - 1\n',
    ],
    [
      'an object used twice: an anchor, then an alias',
      (() => {
        const shared = [{ to: 'a@example.com' }];
        const empty: unknown[] = [];
        return { x: shared, y: [shared, empty], z: { e: empty } };
      })(),
      'x: &a1\n  - to: a@example.com\ny:\n  - *a1\n  - &a2 []\nz:\n  e: *a2\n',
    ],
    ['undefined map values are left out', { a: undefined, b: { c: undefined } }, 'b: {}\n'],
  ])('%s', (_name, doc, expected) => {
    expect(reference(doc)).toBe(expected);
    expect(fastYaml(doc)).toBe(expected);
  });

  test.each<[string, unknown]>([
    [
      'a circular structure',
      (() => {
        const loop: Record<string, unknown> = { a: 1 };
        loop.self = loop;
        return { x: loop };
      })(),
    ],
    ['a class instance', { when: new Date(0) }],
    ['a control character', { a: 'x\u0007' }],
    ['a carriage return', { a: 'x\r\ny' }],
    ['a multi-line key', { 'a\nb': 1 }],
    ['a block whose last line is blank with spaces', { a: 'x\n  ' }],
    ['a scalar document', 'text'],
    ['a bigint', { a: 1n }],
  ])('defers to yaml: %s', (_name, doc) => {
    expect(fastYaml(doc)).toBeUndefined();
    expect(toYaml(doc)).toBe(reference(doc));
  });
});

describe('blank multi-line strings', () => {
  // yaml 2.9.1 writes ' \n\n' as `|+` with no indentation indicator; a reader takes the spaces
  // for indentation and gets '\n\n' (found by the parse-back property test, 2026-12-04).
  test.each([' \n\n', ' \n', '\n \n', '  \n  \n', '\t \n'])('%j is double-quoted and reads back', (s) => {
    for (const doc of [{ k: s }, [s], { a: { b: [s] } }]) {
      expect(fastYaml(doc)).toBeUndefined();
      const text = toYaml(doc);
      expect(text).not.toContain('|');
      expect(parse(text)).toEqual(doc);
      expect(parse(toYaml(doc, { version: '1.1' }), { version: '1.1' })).toEqual(doc);
    }
  });

  test('yaml itself loses them (the reason for the exception)', () => {
    expect(parse(stringify({ k: ' \n\n' }, { lineWidth: 0 }))).toEqual({ k: '\n\n' });
  });

  test('every other document is written exactly as yaml writes it', () => {
    fc.assert(
      fc.property(documents, (doc) => {
        fc.pre(!hasBlankLines(doc));
        expect(yamlStringify(doc)).toBe(stringify(doc, { lineWidth: 0 }));
        expect(yamlStringify(doc, { version: '1.1' })).toBe(stringify(doc, { lineWidth: 0, version: '1.1' }));
      }),
      { numRuns: 300 },
    );
  });
});

describe("toYaml({ version: '1.1' }) (Helm values read as YAML 1.1)", () => {
  const reference11 = (v: unknown): string => yamlStringify(v, { version: '1.1' });
  /** Strings only YAML 1.1 reads as something else, and 1.2-only ones it reads as strings. */
  const WORDS_1_1 = [
    ...WORDS,
    '2024-04-01',
    '2024-4-1 12:00:00',
    '2024-04-01T10:20:30.5Z',
    '1:20',
    '-1:20.5',
    '190:20:30',
    '0b101',
    '0755',
    '1_000',
    'Yes',
    'y',
    'N',
    'OFF',
    'On',
    '.',
    '+.5e3',
    '<<',
  ];
  const text11 = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...WORDS_1_1) },
    { weight: 1, arbitrary: text },
  );
  const { value: data11 } = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.oneof(text11, scalar), tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 4 }),
    object: fc.dictionary(text11, tie('value'), { maxKeys: 4 }),
  }));
  const trees11 = fc.oneof(fc.array(data11, { maxLength: 4 }), fc.dictionary(text11, data11, { maxKeys: 5 }));

  test('the fast path writes what yaml writes with version 1.1, or defers', () => {
    let taken = 0;
    let runs = 0;
    fc.assert(
      fc.property(trees11, (doc) => {
        runs++;
        const fast = fastYaml(doc, { version: '1.1' });
        if (fast !== undefined) {
          taken++;
          expect(fast).toBe(reference11(doc));
        }
        expect(toYaml(doc, { version: '1.1' })).toBe(reference11(doc));
      }),
      { numRuns: 1500 },
    );
    expect(taken / runs).toBeGreaterThan(0.25);
  });

  test('what it writes parses back, as YAML 1.1, to the input', () => {
    fc.assert(
      fc.property(trees11, (doc) => {
        // yaml itself writes a '<<' key plain, which YAML 1.1 then reads as a merge.
        fc.pre(!JSON.stringify(doc).includes('"<<"'));
        expect(JSON.stringify(parse(toYaml(doc, { version: '1.1' }), { version: '1.1' }))).toBe(
          JSON.stringify(doc),
        );
      }),
      { numRuns: 500 },
    );
  });

  test.each<[string, unknown, string]>([
    [
      'dates, yes/no, sexagesimals and leading-zero octals are quoted; 0o17 is not',
      { from: '2024-04-01', a: 'yes', b: 'off', c: '1:20', d: '0755', e: '0o17', f: 'v13' },
      'from: "2024-04-01"\na: "yes"\nb: "off"\nc: "1:20"\nd: "0755"\ne: 0o17\nf: v13\n',
    ],
  ])('%s', (_name, doc, expected) => {
    expect(reference11(doc)).toBe(expected);
    expect(fastYaml(doc, { version: '1.1' })).toBe(expected);
  });

  test("defers to yaml on '<<' (a merge key in YAML 1.1)", () => {
    expect(fastYaml({ '<<': 1 }, { version: '1.1' })).toBeUndefined();
    expect(fastYaml({ a: '<<' }, { version: '1.1' })).toBeUndefined();
    expect(fastYaml({ a: '<<' })).toBe('a: <<\n');
  });
});

/** Every YAML document (and YAML nested in its strings) in a synthesized stack. */
function yamlDocuments(value: unknown, out: string[]): string[] {
  if (typeof value === 'string') {
    if (!value.includes('\n')) return out;
    let doc: unknown;
    try {
      doc = parse(value);
    } catch {
      return out;
    }
    if (doc !== null && typeof doc === 'object' && reference(doc) === value) {
      out.push(value);
      yamlDocuments(doc, out);
    }
  } else if (Array.isArray(value)) {
    for (const v of value) yamlDocuments(v, out);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) yamlDocuments(v, out);
  }
  return out;
}

describe('every YAML document the examples emit', () => {
  const EXAMPLES = [
    'aws-inference',
    'aws-training',
    'aws-training-karpenter',
    'gcp-inference',
    'k8s-serving',
    'k8s-training',
    'k8s-training-slurm',
  ];
  const docs = EXAMPLES.flatMap((name) =>
    exampleJson(name).flatMap(({ id, json }) =>
      yamlDocuments(json, []).map((d, i) => [`${name}/${id} #${i}`, d] as [string, string]),
    ),
  );

  test('are found', () => {
    // 57 yaml.stringify calls across these examples (the alert manager definition nests one).
    expect(docs.length).toBeGreaterThanOrEqual(50);
  });

  test.each(docs)('%s is written by the fast path, byte for byte', (_where, emitted) => {
    expect(fastYaml(parse(emitted))).toBe(emitted);
  });
});
