import { readFileSync } from 'fs';
import { join } from 'path';
import * as ts from 'typescript';

// What ships is what is measured: dist/ (tsconfig.json) has external source maps with the sources
// inlined into each map, and .build/ (tsconfig.examples.json, what `npm run bench` and
// `npm run synth` run) compiles the library with the same emit settings, so the bench times the
// JavaScript users load. docs/benchmarks.md, "What ships is what is measured".
const ROOT = join(__dirname, '..', '..');

function options(file: string): ts.CompilerOptions {
  const read = ts.readConfigFile(join(ROOT, file), ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  return ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT, undefined, join(ROOT, file)).options;
}

/** Options that only say where files go or which files exist, not what the JavaScript is. */
const LAYOUT = ['rootDir', 'outDir', 'declaration', 'noEmit', 'configFilePath'];

describe('emit settings', () => {
  const dist = options('tsconfig.json');
  const build = options('tsconfig.examples.json');

  test('dist/ has external source maps with their sources inlined (no inline maps in the JS)', () => {
    expect(dist.sourceMap).toBe(true);
    expect(dist.inlineSources).toBe(true);
    expect(dist.inlineSourceMap).toBeFalsy();
    // .d.ts files keep the TSDoc comments (the API docs and editors read them).
    expect(dist.declaration).toBe(true);
    expect(dist.removeComments).toBeFalsy();
  });

  test('.build/ compiles the library with the emit settings of dist/', () => {
    const emit = (o: ts.CompilerOptions) =>
      Object.fromEntries(Object.entries(o).filter(([k]) => !LAYOUT.includes(k)));
    expect(emit(build)).toEqual(emit(dist));
  });

  test('the package ships the maps next to the JS', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.files).toEqual(expect.arrayContaining(['dist/**/*.js', 'dist/**/*.js.map', 'dist/**/*.d.ts']));
  });

  test('.build/ and dist/ run the same post-processing (lazy index files, lazy requires)', () => {
    const tasks = JSON.parse(readFileSync(join(ROOT, '.projen', 'tasks.json'), 'utf8')).tasks;
    const steps = (name: string, dir: string) =>
      (tasks[name].steps as { exec?: string }[])
        .map((s) => s.exec)
        .filter((e): e is string => !!e && e.startsWith('node scripts/'))
        .map((e) => e.replace(` ${dir}`, ' <root>'));
    expect(steps('build:examples', '.build/lib')).toEqual(steps('compile', 'dist'));
    expect(steps('compile', 'dist')).toEqual([
      'node scripts/lazy-index.js <root>',
      'node scripts/lazy-require.js <root>',
    ]);
  });
});
