import { readFileSync } from 'fs';
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
