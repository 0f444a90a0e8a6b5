import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as ts from 'typescript';

// scripts/lazy-index.js rewrites the compiled aws, gcp and k8s index files (dist/ and .build/)
// into lazy getters, so an app loads only the constructs and provider submodules it uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lazy = require('../../scripts/lazy-index.js') as {
  rewrite: (file: string) => number;
  INDEXES: string[];
  MARKER: string;
};

const ROOT = join(__dirname, '..', '..');

/** Compiles TypeScript sources as tsc does for this package (CommonJS) into a temporary directory. */
function compiled(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lazy-index-'));
  for (const [name, src] of Object.entries(files)) {
    const js = ts.transpileModule(src, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, `${name}.js`), js);
  }
  return dir;
}

const SOURCES = {
  // Each module records that it was loaded.
  a: "(globalThis as any).lazyLoaded.push('a');\nexport class A {}\nexport const SHARED = 'a';\nexport enum E { X = 'x' }",
  b: "(globalThis as any).lazyLoaded.push('b');\nexport function b() { return 'b'; }\nexport const SHARED = 'b';",
  'private/c':
    "(globalThis as any).lazyLoaded.push('c');\nexport const C1 = 1;\nexport const C2 = 2;\nexport const HIDDEN = 3;",
  index:
    "// Re-exports only.\nexport * from './a';\nexport * from './b';\nexport { C1, C2 } from './private/c';",
};

describe('scripts/lazy-index.js', () => {
  let dir: string;
  beforeEach(() => {
    dir = compiled(SOURCES);
    (globalThis as any).lazyLoaded = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Requires `index.js` and its modules in a fresh module registry. */
  function load(): { index: any; modules: Record<string, any> } {
    let out: { index: any; modules: Record<string, any> } | undefined;
    jest.isolateModules(() => {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const index = require(join(dir, 'index.js'));
      const modules = Object.fromEntries(['a', 'b', 'private/c'].map((m) => [m, require(join(dir, m))]));
      /* eslint-enable @typescript-eslint/no-require-imports */
      out = { index, modules };
    });
    return out!;
  }

  test('keeps every name and value of the eager index, the first `export *` winning a clash', () => {
    const eager = load().index;
    const names = Object.keys(eager).sort();
    expect(names).toEqual(['A', 'C1', 'C2', 'E', 'SHARED', 'b']);
    expect(lazy.rewrite(join(dir, 'index.js'))).toBe(6);
    expect(readFileSync(join(dir, 'index.js'), 'utf8')).toContain(lazy.MARKER);
    const { index, modules } = load();
    expect(Object.keys(index).sort()).toEqual(names);
    const owner: Record<string, string> = {
      A: 'a',
      E: 'a',
      SHARED: 'a',
      b: 'b',
      C1: 'private/c',
      C2: 'private/c',
    };
    for (const n of names) {
      expect(index[n]).toBe(modules[owner[n]][n]);
    }
    expect(index.SHARED).toBe(eager.SHARED);
    expect(index.E).toEqual(eager.E);
    expect(index.__esModule).toBe(true);
  });

  test('loads a module only when one of its exports is used', () => {
    lazy.rewrite(join(dir, 'index.js'));
    // In a plain node process: jest's module registry keeps what rewrite() loaded.
    const probe = [
      'globalThis.lazyLoaded = [];',
      `const m = require(${JSON.stringify(join(dir, 'index.js'))});`,
      'const seen = [[...globalThis.lazyLoaded]];',
      'm.b();',
      'seen.push([...globalThis.lazyLoaded]);',
      'seen.push([m.C2, m.HIDDEN === undefined]);',
      'seen.push([...globalThis.lazyLoaded]);',
      'console.log(JSON.stringify(seen));',
    ].join('\n');
    const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([[], ['b'], [2, true], ['b', 'c']]);
  });

  test('still fails at import time when a provider package its modules require is missing', () => {
    writeFileSync(
      join(dir, 'd.js'),
      compiledIndex("import { X } from '@cdktf/provider-notinstalled/lib/x';\nexport const D = X;"),
    );
    writeFileSync(join(dir, 'index.js'), compiledIndex("export * from './a';\nexport * from './d';"));
    // rewrite() checks names against the eager index, which cannot load either: write by spec.
    expect(() => lazy.rewrite(join(dir, 'index.js'))).toThrow(
      /Cannot find module '@cdktf\/provider-notinstalled/,
    );
    writeFileSync(join(dir, 'index.js'), compiledIndex("export * from './a';"));
    lazy.rewrite(join(dir, 'index.js'));
    expect(readFileSync(join(dir, 'index.js'), 'utf8')).toContain(
      'for (const p of ["@cdktf/provider-notinstalled/lib/x"]) require.resolve(p);',
    );
    const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(join(dir, 'index.js'))})`], {
      encoding: 'utf8',
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("code: 'MODULE_NOT_FOUND'");
  });

  test('is idempotent (a second run over dist/ changes nothing)', () => {
    lazy.rewrite(join(dir, 'index.js'));
    const once = readFileSync(join(dir, 'index.js'), 'utf8');
    lazy.rewrite(join(dir, 'index.js'));
    expect(readFileSync(join(dir, 'index.js'), 'utf8')).toBe(once);
  });

  test("removes the eager index's external source map (tsconfig.json emits one per file)", () => {
    const out = ts.transpileModule(SOURCES.index, {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        sourceMap: true,
        inlineSources: true,
      },
      fileName: 'index.ts',
    });
    expect(out.outputText).toContain('//# sourceMappingURL=index.js.map');
    writeFileSync(join(dir, 'index.js'), out.outputText);
    writeFileSync(join(dir, 'index.js.map'), out.sourceMapText!);
    writeFileSync(join(dir, 'a.js.map'), '{}');
    expect(lazy.rewrite(join(dir, 'index.js'))).toBe(6);
    expect(readFileSync(join(dir, 'index.js'), 'utf8')).not.toContain('sourceMappingURL');
    expect(existsSync(join(dir, 'index.js.map'))).toBe(false);
    // The modules' own maps still describe them (lazy-require.js keeps their lines).
    expect(existsSync(join(dir, 'a.js.map'))).toBe(true);
    expect(Object.keys(load().index).sort()).toEqual(['A', 'C1', 'C2', 'E', 'SHARED', 'b']);
  });

  test('refuses an index with anything but re-exports (it would be lost)', () => {
    writeFileSync(
      join(dir, 'index.js'),
      compiledIndex("export * from './a';\nexport const LOCAL = 1;\nconsole.log('side effect');"),
    );
    expect(() => lazy.rewrite(join(dir, 'index.js'))).toThrow(/not only re-exports/);
  });

  test.each(lazy.INDEXES.map((f) => f.replace(/\.js$/, '.ts')))(
    'lib/%s holds only re-exports (the compile step rewrites it)',
    (file) => {
      const src = readFileSync(join(ROOT, 'lib', file), 'utf8');
      const statements = src
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('//'));
      const joined = statements.join(' ');
      const rest = joined
        .replace(/export \*(?: as \w+)? from '[^']+';|export \{[^}]*\} from '[^']+';/g, '')
        .trim();
      expect(rest).toBe('');
    },
  );

  test('the compile task and build:examples rewrite the index files', () => {
    const tasks = JSON.parse(readFileSync(join(ROOT, '.projen', 'tasks.json'), 'utf8')).tasks;
    expect(JSON.stringify(tasks.compile.steps)).toContain('node scripts/lazy-index.js dist');
    expect(JSON.stringify(tasks['build:examples'].steps)).toContain('node scripts/lazy-index.js .build/lib');
  });
});

function compiledIndex(src: string): string {
  return ts.transpileModule(src, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
}
