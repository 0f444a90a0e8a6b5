import { spawnSync } from 'child_process';
import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import * as index from '../../lib';
import { NAMESPACE_PROVIDERS } from '../../lib/namespaces';
import * as rootModule from '../../lib/root';

// lib/root.ts defines the namespaces as getters; its declared type is lib/index.ts's.
const root = rootModule as unknown as typeof index;

// The package's runtime root (lib/root.ts, `main` and `exports["."].default`) loads aws, gcp and
// k8s on first use; its types are lib/index.ts's. A namespace whose provider packages are
// missing fails when used, naming them.
const LIB = join(__dirname, '..', '..', 'lib');
const FIXTURE = join(__dirname, 'fixtures', 'missing-providers.js');

function providerImports(dir: string): Set<string> {
  const found = new Set<string>();
  const walk = (d: string): void => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts')) {
        for (const m of readFileSync(p, 'utf8').matchAll(/from '(@cdktf\/provider-[a-z]+)\//g))
          found.add(m[1]);
      }
    }
  };
  walk(dir);
  return found;
}

/** Installs without some packages: the blocked packages and the namespaces touched, in order. */
const INSTALLS = {
  awsOnly: {
    blocked: ['@cdktf/provider-google', '@cdktf/provider-kubernetes', '@cdktf/provider-helm'],
    namespaces: ['aws', 'gcp', 'k8s'],
  },
  withoutHelm: { blocked: ['@cdktf/provider-helm'], namespaces: ['k8s', 'gcp'] },
};

type Install = keyof typeof INSTALLS;
let installs: Record<Install, Record<string, any>> | undefined;
/** What each namespace did in `install`; every install runs in one child process, on first use. */
function runWithout(install: Install): Record<string, any> {
  if (!installs) {
    const names = Object.keys(INSTALLS) as Install[];
    const r = spawnSync(process.execPath, [FIXTURE, JSON.stringify(names.map((n) => INSTALLS[n]))], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`fixture failed (${r.status}): ${r.stderr}`);
    const out = JSON.parse(r.stdout) as Array<Record<string, any>>;
    installs = Object.fromEntries(names.map((n, i) => [n, out[i]])) as Record<Install, Record<string, any>>;
  }
  return installs[install];
}

describe('package root', () => {
  test('exports the same names as lib/index.ts (its types), and the same modules', () => {
    expect(Object.keys(root).sort()).toEqual(Object.keys(index).sort());
    expect(root.aws.EksCluster).toBe(index.aws.EksCluster);
    expect(root.gcp.GkeCluster).toBe(index.gcp.GkeCluster);
    expect(root.k8s.ModelServer).toBe(index.k8s.ModelServer);
  });

  test('package.json: main and exports["."] load lib/root, types come from lib/index', () => {
    const pkg = JSON.parse(readFileSync(join(LIB, '..', 'package.json'), 'utf8'));
    expect(pkg.main).toBe('dist/root.js');
    expect(pkg.types).toBe('dist/index.d.ts');
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/root.js' });
  });

  test.each(Object.entries(NAMESPACE_PROVIDERS))(
    'knows every provider package lib/%s imports',
    (ns, pkgs) => {
      expect([...providerImports(join(LIB, ns))].sort()).toEqual([...pkgs].sort());
    },
  );

  test('an AWS-only install: aws and core load, gcp and k8s fail with a ValidationError naming their packages', () => {
    const out = runWithout('awsOnly');
    expect(out.core).toBe(true);
    expect(out.aws).toEqual({ loaded: true, exports: Object.keys(index.aws).length });
    expect(out.gcp).toMatchObject({ loaded: false, name: 'ValidationError', validationError: true });
    expect(out.gcp.message).toContain("'gcp' (imported from 'cdktf-ai-infra') needs @cdktf/provider-google,");
    expect(out.gcp.message).toContain('npm install @cdktf/provider-google@^16.12.1');
    expect(out.k8s.message).toContain(
      'needs @cdktf/provider-kubernetes and @cdktf/provider-helm, which are not installed',
    );
    expect(out.k8s.message).toContain(
      'npm install @cdktf/provider-kubernetes@^12.1.1 @cdktf/provider-helm@^12.1.2',
    );
  }, 60_000);

  test('names only the missing package (helm) when the other one of a namespace is installed', () => {
    const out = runWithout('withoutHelm');
    expect(out.gcp.loaded).toBe(true);
    expect(out.k8s.validationError).toBe(true);
    expect(out.k8s.message).toContain(
      "'k8s' (imported from 'cdktf-ai-infra') needs @cdktf/provider-helm, which is not installed",
    );
    expect(out.k8s.message).not.toContain('provider-kubernetes');
  }, 60_000);
});
