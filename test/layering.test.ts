import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';

// DESIGN.md's layering rules, checked on the import statements of lib/.
const LIB = join(__dirname, '..', 'lib');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function imports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [
    ...src.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|require\(['"]([^'"]+)['"]\)/g),
  ].map((m) => m[1] ?? m[2]);
}

const modules = ['core', 'aws', 'gcp', 'k8s', 'policy'];
const rules: Record<string, { forbidden: RegExp[] }> = {
  core: { forbidden: [/^@cdktf\/provider-/, /^\.\.\/(aws|gcp|k8s)(\/|$)/] },
  aws: { forbidden: [/^@cdktf\/provider-google/, /(^|\/)(gcp|k8s)(\/|$)/] },
  gcp: { forbidden: [/^@cdktf\/provider-aws/, /(^|\/)(aws|k8s)(\/|$)/] },
  k8s: { forbidden: [/^@cdktf\/provider-(aws|google)/, /(^|\/)(aws|gcp)(\/|$)/] },
  // The policy pack inspects synthesized JSON by Terraform type: it loads no provider binding
  // and no cloud module, so it applies to stacks of any provider at no import cost.
  policy: { forbidden: [/^@cdktf\/provider-/, /(^|\/)(aws|gcp|k8s)(\/|$)/] },
};

describe('layering', () => {
  for (const m of modules) {
    test(`lib/${m} imports only what its layer may`, () => {
      const offenders: string[] = [];
      for (const f of tsFiles(join(LIB, m))) {
        for (const i of imports(f)) {
          if (rules[m].forbidden.some((r) => r.test(i))) {
            offenders.push(`${relative(LIB, f)} -> ${i}`);
          }
        }
      }
      expect(offenders).toEqual([]);
    });
  }

  test('no file imports a provider package root or its lib index', () => {
    const offenders = tsFiles(LIB).flatMap((f) =>
      imports(f)
        .filter((i) => /^@cdktf\/provider-[a-z]+(\/lib\/?)?$/.test(i))
        .map((i) => `${relative(LIB, f)} -> ${i}`),
    );
    expect(offenders).toEqual([]);
  });

  test('package.json exports a subpath for every module', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
    for (const m of modules) {
      expect(pkg.exports[`./${m}`]).toEqual({
        types: `./dist/${m}/index.d.ts`,
        default: `./dist/${m}/index.js`,
      });
      expect(statSync(join(LIB, m, 'index.ts')).isFile()).toBe(true);
    }
  });
});
