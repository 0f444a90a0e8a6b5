#!/usr/bin/env node
// The consumer test (`npm run test:consumers`; .ci/run runs it after the main suite):
// packs the library with `npm pack`, then for each of an AWS-only, a GCP-only and a
// Kubernetes-only app laid out as `cdktf init --template=typescript` lays one out (package.json,
// cdktf.json, tsconfig.json, jest.config.js, setup.js, main.ts, __tests__/; written here, cdktf
// init is not run) installs the tarball with only that cloud's provider packages, TypeScript
// ~5.9.3, cdktf-cli 0.21.0 and jest/ts-jest, then type-checks, runs `cdktf synth`, writes and
// re-checks a jest snapshot, and runs the report command. Apps live outside the repository so
// nothing resolves from its node_modules; they run one after the other, each deleted when done,
// with npm's default (shared) cache. Each step is a check; reports/consumers.json holds them
// (scripts/ci-summary.js counts them in CI's final line).
//
// Usage: node test/package/consumer/run.js [aws] [gcp] [k8s]   (default: all three)
// Facts about the cdktf init layout: cdktf-cli 0.21.0, bundle/templates/typescript/.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const APPS = path.join(__dirname, 'apps');
const rootPkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/** The version installed in the repository (so the apps install from the warm npm cache). */
function installed(name) {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
}

const PROVIDERS = {
  aws: ['@cdktf/provider-aws'],
  gcp: ['@cdktf/provider-google'],
  k8s: ['@cdktf/provider-kubernetes', '@cdktf/provider-helm'],
};
const STACKS = {
  aws: ['consumer-aws'],
  gcp: ['consumer-gcp'],
  k8s: ['consumer-k8s-platform', 'consumer-k8s-workloads'],
};

const checks = [];
const apps = [];

function run(cwd, cmd, args, extraEnv = {}) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1', CI: 'true', ...extraEnv },
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    ok: r.status === 0,
    seconds: (Date.now() - t0) / 1000,
    stdout: r.stdout,
    out: `${r.stdout}${r.stderr}`,
    status: r.status,
  };
}

function check(app, name, result, detail) {
  const ok = result.ok && (detail === undefined || detail === true);
  checks.push({ app, check: name, ok, seconds: Math.round(result.seconds * 10) / 10 });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${app}: ${name} (${result.seconds.toFixed(1)} s)`);
  if (!ok) {
    console.log(result.out.split('\n').slice(-40).join('\n'));
    if (typeof detail === 'string') console.log(detail);
  }
  return ok;
}

function diskMiB(dir) {
  const r = spawnSync('du', ['-sm', dir], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.split('\t')[0]) : NaN;
}

/** The files `cdktf init --template=typescript` writes, with this app's dependencies. */
function writeLayout(dir, cloud, tarball) {
  fs.cpSync(path.join(APPS, cloud), dir, { recursive: true });
  const deps = {
    'cdktf-ai-infra': `file:${tarball}`,
    cdktf: installed('cdktf'),
    constructs: `^${installed('constructs')}`,
    ...Object.fromEntries(PROVIDERS[cloud].map((p) => [p, installed(p)])),
  };
  const devDeps = {
    typescript: '~5.9.3',
    'cdktf-cli': '0.21.0',
    'ts-node': `^${installed('ts-node')}`,
    jest: `^${installed('jest')}`,
    'ts-jest': `^${installed('ts-jest')}`,
    '@types/jest': `^${installed('@types/jest')}`,
    '@types/node': `^${installed('@types/node')}`,
  };
  const json = (f, o) => fs.writeFileSync(path.join(dir, f), `${JSON.stringify(o, null, 2)}\n`);
  json('package.json', {
    name: `consumer-${cloud}`,
    version: '1.0.0',
    main: 'main.js',
    types: 'main.ts',
    license: 'MPL-2.0',
    private: true,
    scripts: { get: 'cdktf get', build: 'tsc', synth: 'cdktf synth', compile: 'tsc --pretty', test: 'jest' },
    engines: { node: '>=20.9' },
    dependencies: deps,
    devDependencies: devDeps,
  });
  json('cdktf.json', {
    language: 'typescript',
    app: 'npx ts-node main.ts',
    projectId: `consumer-${cloud}`,
    sendCrashReports: 'false',
    terraformProviders: [],
    terraformModules: [],
    context: {},
  });
  // The init template's compiler options: CommonJS and the default (node10) module resolution,
  // under which the package's subpaths resolve through `typesVersions`, not `exports`.
  json('tsconfig.json', {
    compilerOptions: {
      alwaysStrict: true,
      declaration: true,
      experimentalDecorators: true,
      inlineSourceMap: true,
      inlineSources: true,
      lib: ['es2018'],
      module: 'CommonJS',
      noEmitOnError: true,
      noFallthroughCasesInSwitch: true,
      noImplicitAny: true,
      noImplicitReturns: true,
      noImplicitThis: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      resolveJsonModule: true,
      strict: true,
      strictNullChecks: true,
      strictPropertyInitialization: true,
      stripInternal: true,
      target: 'ES2018',
      incremental: true,
      skipLibCheck: true,
    },
    include: ['**/*.ts'],
    exclude: ['node_modules', 'cdktf.out'],
  });
  fs.writeFileSync(
    path.join(dir, 'jest.config.js'),
    `module.exports = ${JSON.stringify(
      {
        clearMocks: true,
        moduleFileExtensions: ['ts', 'js', 'json', 'node'],
        preset: 'ts-jest',
        setupFilesAfterEnv: ['<rootDir>/setup.js'],
        testEnvironment: 'node',
        testMatch: ['**/__tests__/**/*.ts', '**/?(*.)+(spec|test).ts'],
        testPathIgnorePatterns: ['/node_modules/', '.d.ts', '.js'],
      },
      null,
      2,
    )};\n`,
  );
  fs.writeFileSync(
    path.join(dir, 'setup.js'),
    "const cdktf = require('cdktf');\ncdktf.Testing.setupJest();\n",
  );
  fs.writeFileSync(
    path.join(dir, '.gitignore'),
    '*.d.ts\n*.js\nnode_modules\ncdktf.out\n.gen\n!jest.config.js\n!setup.js\n',
  );
}

function testApp(cloud, tarball, work) {
  const dir = path.join(work, `consumer-${cloud}`);
  const t0 = Date.now();
  writeLayout(dir, cloud, tarball);
  const install = run(dir, 'npm', [
    'install',
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
    '--loglevel=error',
  ]);
  if (!check(cloud, 'npm install (tarball, this cloud only, TypeScript ~5.9.3, cdktf-cli 0.21.0)', install)) {
    return;
  }
  const others = Object.entries(PROVIDERS)
    .filter(([c]) => c !== cloud)
    .flatMap(([, p]) => p);
  const absent = others.filter((p) => fs.existsSync(path.join(dir, 'node_modules', p)));
  check(
    cloud,
    `no other cloud's provider package installed`,
    { ok: true, seconds: 0, out: '' },
    absent.length === 0 || `present: ${absent}`,
  );
  const shipped = [
    'README.md',
    'CHANGELOG.md',
    'docs/aws.md',
    'docs/ci/github-actions.yml',
    'dist/root.js',
  ].filter((f) => !fs.existsSync(path.join(dir, 'node_modules', 'cdktf-ai-infra', f)));
  check(
    cloud,
    'the package ships its docs and runtime root',
    { ok: true, seconds: 0, out: '' },
    shipped.length === 0 || `missing: ${shipped}`,
  );
  check(cloud, 'type-check (tsc --noEmit, the init tsconfig)', run(dir, 'npx', ['tsc', '--noEmit']));
  const synth = run(dir, 'npx', ['cdktf', 'synth']);
  let stacks = [];
  try {
    stacks = Object.keys(
      JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out', 'manifest.json'), 'utf8')).stacks,
    ).sort();
  } catch {
    // reported by the check below
  }
  check(
    cloud,
    'cdktf synth',
    synth,
    JSON.stringify(stacks) === JSON.stringify([...STACKS[cloud]].sort()) || `stacks: ${stacks}`,
  );
  const report = run(dir, 'npx', ['cdktf-ai-infra-report', 'cdktf.out']);
  check(
    cloud,
    'cdktf-ai-infra-report cdktf.out',
    report,
    report.out.includes('```mermaid') || 'no mermaid block',
  );
  check(cloud, 'jest (writes the snapshot)', run(dir, 'npx', ['jest', '--ci=false']));
  check(cloud, 'jest --ci (the snapshot matches a second run)', run(dir, 'npx', ['jest', '--ci']));
  if (cloud !== 'gcp') {
    // The root import in an app without the Google provider: gcp fails when used, naming it.
    const probe = run(dir, 'node', [
      '-e',
      "try { require('cdktf-ai-infra').gcp; console.log('loaded') } catch (e) { console.log(e.name + ': ' + e.message) }",
    ]);
    check(
      cloud,
      'root import: gcp without @cdktf/provider-google is a ValidationError naming it',
      probe,
      /^ValidationError: 'gcp' .* needs @cdktf\/provider-google/.test(probe.out.trim()) || probe.out,
    );
  }
  apps.push({ app: cloud, seconds: Math.round((Date.now() - t0) / 1000), diskMiB: diskMiB(dir) });
  fs.rmSync(dir, { recursive: true, force: true });
}

function main() {
  const wanted = process.argv.slice(2).filter((a) => PROVIDERS[a]);
  const clouds = wanted.length > 0 ? wanted : Object.keys(PROVIDERS);
  if (!fs.existsSync(path.join(ROOT, 'dist', 'root.js'))) {
    console.error('dist/root.js is missing: compile first (npm run test:consumers does).');
    process.exit(2);
  }
  const t0 = Date.now();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-ai-infra-consumers-'));
  try {
    const pack = run(ROOT, 'npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work]);
    let tarball = '';
    try {
      tarball = path.join(work, JSON.parse(pack.stdout)[0].filename);
    } catch {
      // reported by the check below
    }
    if (
      check(
        'package',
        `npm pack (${rootPkg.name}@${rootPkg.version})`,
        pack,
        fs.existsSync(tarball) || 'no tarball',
      )
    ) {
      for (const cloud of clouds) testApp(cloud, tarball, work);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const passed = checks.filter((c) => c.ok).length;
  const failed = checks.length - passed;
  const summary = { passed, failed, seconds: Math.round((Date.now() - t0) / 1000), apps, checks };
  fs.mkdirSync(path.join(ROOT, 'reports'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'reports', 'consumers.json'), `${JSON.stringify(summary, null, 2)}\n`);
  for (const a of apps) console.log(`${a.app}: ${a.seconds} s, ${a.diskMiB} MiB on disk`);
  console.log(`consumer checks: ${passed} passed, ${failed} failed in ${summary.seconds} s`);
  process.exit(failed === 0 ? 0 : 1);
}

main();
