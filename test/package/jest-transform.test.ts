import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { Validate } from '../../lib/core/validation';

// test/jest-transform.js strips types with sucrase instead of compiling with ts-jest; a failing
// test must still point at the TypeScript line that threw. (sucrase keeps every line on its line;
// its source map is coarser than tsc's within a line, so a column can point at a later token of
// the same statement.)
describe('jest transform (test/jest-transform.js)', () => {
  const file = join(__dirname, '..', '..', 'lib', 'core', 'validation.ts');
  const lines = readFileSync(file, 'utf8').split('\n');

  test('an error thrown in lib/ has its .ts lines in the stack', () => {
    let stack = '';
    try {
      Validate.string(undefined, 'name', 42);
    } catch (e) {
      stack = (e as Error).stack ?? '';
    }
    const frames = stack.split('\n').filter((l) => l.includes(`${file}:`));
    const lineOf = (frame: string) => Number(/\.ts:(\d+):\d+\)?$/.exec(frame)?.[1]) - 1;
    // `fail` throws; `Validate.string` called it for the non-string value.
    expect(lines[lineOf(frames[0])]).toContain('throw new ValidationError(message, scope, code);');
    expect(frames[1]).toContain('.string (');
    expect(lines[lineOf(frames[1])]).toMatch(/^\s*fail\($/);
  });

  test('the line of a frame in a test file is the .ts line', () => {
    const here = new Error('here').stack ?? '';
    const line = readFileSync(__filename, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes("new Error('here')"));
    expect(here).toContain(`${__filename}:${line + 1}:`);
  });
});

describe('lazy requires of lib/ sources (test/jest-transform.js)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { process: transform, lazyRequires } = require('../jest-transform') as {
    process: (source: string, filename: string) => { code: string };
    lazyRequires: (code: string) => string;
  };
  const lib = join(__dirname, '..', '..', 'lib', 'x', 'm.ts');
  const source = [
    "import { Construct } from 'constructs';",
    "import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';",
    "import { LIST, helper } from './list';",
    "import { passed } from './passed';",
    "import def from './def';",
    "export * from './star';",
    'export const all = [...LIST, helper(1), new SnsTopic(null as any, "t", {}), def];',
    'export const f = (c: unknown) => [c instanceof Construct, passed];',
  ].join('\n');

  test('a named import read only as `_x.Name` (spread and calls too) becomes getters', () => {
    const code = transform(source, lib).code;
    expect(code).toMatch(
      /var _snstopic = \{ get SnsTopic\(\) \{ return \(_snstopic\$lazy \?\?= require\("@cdktf\/provider-aws\/lib\/sns-topic"\)\)\.SnsTopic; \} \};/,
    );
    expect(code).toMatch(/var _list = \{ get LIST\(\) .*, get helper\(\) /);
  });

  test('cdktf/constructs, a binding used as a value, default and `export *` imports stay eager', () => {
    const code = transform(source, lib).code;
    expect(code).toContain("var _constructs = require('constructs');");
    expect(code).toContain("var _def = require('./def');");
    expect(code).toContain("var _star = require('./star'); _createStarExport(_star);");
    // `passed` is read as `_passed.passed`: lazy. A bare use of the binding keeps it eager:
    expect(lazyRequires("var _p = require('./p'); f(_p); _p.x;")).toBe(
      "var _p = require('./p'); f(_p); _p.x;",
    );
  });

  test('line count is unchanged, and files outside lib/ are not rewritten', () => {
    expect(transform(source, lib).code.split('\n')).toHaveLength(source.split('\n').length);
    expect(transform(source, join(__dirname, 'm.ts')).code).toContain(
      "var _snstopic = require('@cdktf/provider-aws/lib/sns-topic');",
    );
  });
});

describe('test sequencer durations (test/durations.json)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const durations = require('../durations.json') as Record<string, number>;
  const root = join(__dirname, '..', '..');

  test('names existing test files with positive durations in ms', () => {
    const entries = Object.entries(durations);
    expect(entries.length).toBeGreaterThan(100);
    for (const [file, ms] of entries) {
      expect([file, existsSync(join(root, file)) && file.endsWith('.test.ts')]).toEqual([file, true]);
      expect(Number.isInteger(ms) && ms > 0).toBe(true);
    }
  });
});
