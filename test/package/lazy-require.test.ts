import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as ts from 'typescript';

// scripts/lazy-require.js rewrites the top-level requires of compiled library modules (dist/
// and .build/) into getters that require on first use, so an app loads only the helpers,
// packages and provider submodules the paths it takes need.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lazy = require('../../scripts/lazy-require.js') as {
  transform: (js: string) => { js: string; lazy: string[] };
  rewriteTree: (root: string) => number;
};

const ROOT = join(__dirname, '..', '..');

function compile(src: string): string {
  return ts.transpileModule(src, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  }).outputText;
}

/** Writes TypeScript sources compiled as tsc does for this package into a temporary directory. */
function compiled(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lazy-require-'));
  for (const [name, src] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, `${name}.js`), compile(src));
  }
  return dir;
}

/** Runs `script` in a plain node process (jest's registry would keep what a test loaded). */
function run(script: string): any {
  // The modules live in a temporary directory: 'cdktf' resolves from this package's node_modules.
  const r = spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') },
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

const loads = (m: string) => `(globalThis.loaded ??= []).push('${m}');`;

const SOURCES = {
  a: `${loads('a')}\nexport class A { static n = 1; }\nexport function f() { return 'f'; }\nexport const LIST = [1, 2];`,
  b: `${loads('b')}\nexport const B = 'b';\nexport default function d() { return 'default'; }`,
  c: `${loads('c')}\nexport const C = 'c';`,
  // A cycle: d imports e, e imports d; each uses the other only inside functions.
  d: `${loads('d')}\nimport { e } from './e';\nexport function d() { return 'd' + e(); }\nexport function dd() { return 'dd'; }`,
  e: `${loads('e')}\nimport { dd } from './d';\nexport function e() { return 'e' + dd(); }`,
  main: [
    "import { A, f, LIST } from './a';",
    "import d, { B } from './b';",
    "import * as c from './c';",
    "import { d as dfn } from './d';",
    "import { Token } from 'cdktf';",
    "import { join } from 'path';",
    'export class Sub extends A {}',
    'export function useA() { return [f(), ...LIST, A.n, new Sub() instanceof A]; }',
    'export function useB() { return [B, d()]; }',
    'export function useC() { return c.C; }',
    'export function useD() { return dfn(); }',
    "export const eager = [typeof Token.isUnresolved, join('x', 'y')];",
  ].join('\n'),
};

describe('scripts/lazy-require.js', () => {
  let dir: string;
  beforeEach(() => {
    dir = compiled(SOURCES);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('makes named, default and namespace imports lazy; cdktf and Node built-ins stay eager', () => {
    const before = readFileSync(join(dir, 'main.js'), 'utf8');
    const { js, lazy: made } = lazy.transform(before);
    expect(made.sort()).toEqual(['./a', './b', './c', './d']);
    // './a' is needed at load time (`class Sub extends A`), but still a property read: lazy too.
    expect(js).not.toContain('require("./a");\n');
    expect(js).toContain('const cdktf_1 = require("cdktf");');
    expect(js).toContain('const path_1 = require("path");');
    // Line numbers (stack traces, source maps) do not move.
    expect(js.split('\n').length).toBe(before.split('\n').length);
  });

  test('loads a module only when a value of it is first used, with the same values', () => {
    const probe = (file: string) =>
      [
        `const m = require(${JSON.stringify(file)});`,
        'const seen = [[...globalThis.loaded]];',
        'const a = m.useA();',
        'seen.push([...globalThis.loaded]);',
        'const out = { a, b: m.useB(), c: m.useC(), d: m.useD(), eager: m.eager };',
        'seen.push([...globalThis.loaded]);',
        'console.log(JSON.stringify({ seen, out }));',
      ].join('\n');
    const eager = run(probe(join(dir, 'main.js')));
    expect(lazy.rewriteTree(dir)).toBeGreaterThan(0);
    const after = run(probe(join(dir, 'main.js')));
    expect(after.out).toEqual(eager.out);
    expect(after.out.a).toEqual(['f', 1, 2, 1, true]);
    expect(eager.seen[0]).toEqual(['a', 'b', 'c', 'd', 'e']);
    // `class Sub extends A` needs './a' while main loads; the rest waits for its first use.
    expect(after.seen).toEqual([['a'], ['a'], ['a', 'b', 'c', 'd', 'e']]);
  });

  test('keeps a require eager when the binding is used as a value, written or never read', () => {
    const js = compile(
      [
        "import * as whole from './a';",
        "import { B } from './b';",
        "import './c';",
        "import * as w from './e';",
        'export function g() { return Object.keys(whole).length + B.length; }',
        '(w as any).x = 1;',
      ].join('\n'),
    );
    const out = lazy.transform(js);
    expect(out.lazy).toEqual(['./b']);
    expect(out.js).toContain('require("./a")');
    expect(out.js).toContain('require("./c");');
    expect(out.js).toMatch(/const w = __importStar\(require\("\.\/e"\)\);/);
  });

  test('reads uses with the TypeScript parser: spreads, strings and comments do not mislead it', () => {
    const js = compile(
      [
        "import { LIST, f } from './a';",
        "export const s = 'a_1.notAnExport';",
        '// a_1.alsoNot',
        'export const all = [...LIST, f()];',
      ].join('\n'),
    );
    const out = lazy.transform(js);
    expect(out.lazy).toEqual(['./a']);
    const line = out.js.split('\n').find((l) => l.includes('lazy require'))!;
    expect(line).toContain('get LIST()');
    expect(line).toContain('get f()');
    expect(line).not.toContain('notAnExport');
    expect(line).not.toContain('alsoNot');
  });

  test('is idempotent (a second run over dist/ changes nothing)', () => {
    lazy.rewriteTree(dir);
    const once = readFileSync(join(dir, 'main.js'), 'utf8');
    expect(lazy.rewriteTree(dir)).toBe(0);
    expect(readFileSync(join(dir, 'main.js'), 'utf8')).toBe(once);
  });

  test('the compile task and build:examples run it after the index rewrite', () => {
    const tasks = JSON.parse(readFileSync(join(ROOT, '.projen', 'tasks.json'), 'utf8')).tasks;
    const compileSteps = tasks.compile.steps.map((s: { exec?: string }) => s.exec);
    expect(compileSteps.indexOf('node scripts/lazy-require.js dist')).toBeGreaterThan(
      compileSteps.indexOf('node scripts/lazy-index.js dist'),
    );
    const buildSteps = tasks['build:examples'].steps.map((s: { exec?: string }) => s.exec);
    expect(buildSteps.indexOf('node scripts/lazy-require.js .build/lib')).toBeGreaterThan(
      buildSteps.indexOf('node scripts/lazy-index.js .build/lib'),
    );
  });
});
