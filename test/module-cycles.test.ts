import { readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';

// Issue 11 §1: constructs take the interfaces of their module's interfaces.ts, so no file of a
// cloud module imports (not even type-only) a file that imports it back.
const LIB = join(__dirname, '..', 'lib');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Files of the same module a file imports, type-only imports included. */
function localImports(file: string, files: Set<string>): string[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)]
    .map((m) => resolve(dirname(file), m[1]))
    .flatMap((p) => [`${p}.ts`, join(p, 'index.ts')])
    .filter((p) => files.has(p));
}

/** One import cycle per strongly connected group, as `a -> b -> a`. */
function cycles(dir: string): string[] {
  const files = new Set(tsFiles(dir).filter((f) => !f.endsWith('index.ts')));
  const graph = new Map([...files].map((f) => [f, localImports(f, files)]));
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const g of graph.get(f) ?? []) {
      if (state.get(g) === 'open') {
        found.push([...stack.slice(stack.indexOf(g)), g].map((p) => relative(LIB, p)).join(' -> '));
      } else if (!state.has(g)) {
        visit(g);
      }
    }
    stack.pop();
    state.set(f, 'done');
  };
  [...files].sort().forEach((f) => state.has(f) || visit(f));
  return found;
}

describe('module import graph', () => {
  for (const m of ['aws', 'gcp']) {
    test(`lib/${m} has no import cycles (type-only imports included)`, () => {
      expect(cycles(join(LIB, m))).toEqual([]);
    });

    test(`lib/${m}/interfaces.ts imports no construct file of its module`, () => {
      const files = new Set(tsFiles(join(LIB, m)));
      const own = localImports(join(LIB, m, 'interfaces.ts'), files).map((p) => relative(join(LIB, m), p));
      // Enums, option shapes and value classes it names (GpuDirect, EksNodeRepairOptions,
      // GcpPrincipal) are the only allowed sources; none of them defines a construct.
      const allowed = ['machine-types.ts', 'node-repair.ts', 'principal.ts'];
      expect(own.filter((p) => !allowed.includes(p))).toEqual([]);
    });
  }
});
