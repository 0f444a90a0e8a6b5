import { readFileSync } from 'fs';
import { javascript, typescript } from 'projen';

/**
 * cdktf-ai-infra is defined here. Edit this file and run `npx projen` to regenerate
 * package.json, tsconfig*.json, .projen/tasks.json and the other generated files.
 */
const CDKTF = '0.21.0';
// The version is the newest released section of CHANGELOG.md (`## 0.1.0 - 2026-12-03`), so the two
// cannot disagree; `npm run release -- minor` writes a new section, then this file rewrites package.json.
const VERSION = /^## (\d+\.\d+\.\d+) - \d{4}-\d{2}-\d{2}$/m.exec(readFileSync('CHANGELOG.md', 'utf8'))?.[1];
if (!VERSION) {
  throw new Error('CHANGELOG.md has no released section "## x.y.z - YYYY-MM-DD"');
}
// The public repository. The lead confirms the URL before the first publish (see CHANGELOG.md).
const REPOSITORY = 'https://github.com/cdktf-ai-infra/cdktf-ai-infra';
const PROVIDERS = {
  '@cdktf/provider-aws': '^21.22.1',
  '@cdktf/provider-google': '^16.12.1',
  '@cdktf/provider-kubernetes': '^12.1.1',
  '@cdktf/provider-helm': '^12.1.2',
};
const peers = [
  `cdktf@${CDKTF}`,
  'constructs@^10.4.2',
  ...Object.entries(PROVIDERS).map(([n, v]) => `${n}@${v}`),
];

const project = new typescript.TypeScriptProject({
  name: 'cdktf-ai-infra',
  description:
    'CDK for Terraform constructs for production AI infrastructure on AWS, Google Cloud and Kubernetes: GPU training clusters, inference pools, registries, monitoring and budgets.',
  keywords: ['cdktf', 'terraform', 'gpu', 'llm', 'vllm', 'eks', 'gke', 'kubernetes', 'mlops'],
  license: 'Apache-2.0',
  repository: `git+${REPOSITORY}.git`,
  homepage: `${REPOSITORY}#readme`,
  bugsUrl: `${REPOSITORY}/issues`,
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  typescriptVersion: '~5.9.3',
  minNodeVersion: '20.19.0',
  srcdir: 'lib',
  libdir: 'dist',
  testdir: 'test',
  // The runtime entry loads the aws, gcp and k8s namespaces on first use (lib/root.ts); the types
  // entry declares them as namespaces (lib/index.ts). test/package/root-import.test.ts keeps the two equal.
  entrypoint: 'dist/root.js',
  entrypointTypes: 'dist/index.d.ts',
  // No GitHub workflows, release machinery or generated eslint config: CI is `.ci/run`,
  // and eslint is configured in eslint.config.mjs (projen's config pulls in
  // eslint-import-resolver-typescript, whose platform packages break `npm ci` here).
  github: false,
  release: false,
  depsUpgrade: false,
  buildWorkflow: false,
  pullRequestTemplate: false,
  eslint: false,
  prettier: true,
  prettierOptions: {
    settings: { singleQuote: true, printWidth: 110, trailingComma: javascript.TrailingComma.ALL },
  },
  sampleCode: false,
  peerDeps: peers,
  devDeps: [
    ...peers,
    `cdktf-cli@${CDKTF}`,
    'fast-check@^4',
    'eslint@^9',
    'typescript-eslint@^8',
    '@types/node@^20',
    'typedoc@^0.28',
    'typedoc-plugin-markdown@^4',
    // Grafana's LogQL grammar: checks the Loki ruler rules the library renders. 0.3.0, not 0.4.x:
    // 0.4.x declares Node >= 24 and peer-pins @lezer/lr to exactly 1.4.10.
    '@grafana/lezer-logql@0.3.0',
    // Consumer checks (test/consumers): Kubernetes 1.33.0 OpenAPI validators (the last CommonJS
    // release; 5.x is ESM-only and needs Node 22) and a JSON Schema validator for CRD schemas.
    'kubernetes-models@4.5.1',
    'ajv@^8',
    // GitHub's own workflow parser and schema (actions/languageservices): checks docs/ci/github-actions.yml.
    '@actions/workflow-parser@0.3.61',
    // Grafana's dashboard builders: test/consumers/grafana-dashboards.test.ts checks the library's
    // dashboard JSON against them (the library writes it without the SDK, ~140 ms to load).
    '@grafana/grafana-foundation-sdk@0.0.21',
    // IPv4 CIDR notation and arithmetic: test/core/ipv4.test.ts checks the library's own
    // (lib/core/private/ipv4.ts, which saves loading ip-num at synth time) against it.
    'ip-num@^1.6.2',
    // jest's transform (test/jest-transform.js): strips types about 7x faster than TypeScript's transpile, pure JS.
    'sucrase@^3.35.1',
    // jest's default sequencer, extended by test/jest-sequencer.js (committed durations).
    '@jest/test-sequencer@^29',
  ],
  deps: [
    'yaml@^2.8.0',
    // Prometheus's own PromQL grammar (and its lezer peers, pure JS): user PromQL such as
    // autoscaling.activationQuery is parsed at synth, loaded only when a query is given.
    '@prometheus-io/lezer-promql@^0.315.0',
    '@lezer/lr@^1.4.2',
    '@lezer/highlight@^1.2.1',
  ],
  jestOptions: {
    // jest 30's haste map pulls @parcel/watcher platform packages (npm ci trap); 29 does not.
    jestVersion: '^29',
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    junitReporting: false,
    coverageText: false,
    passWithNoTests: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testEnvironment: 'node',
      collectCoverage: false,
      // Jest's default is one worker fewer than the CPUs: one worker on a 2-CPU machine. Measured
      // on an idle 2-CPU machine (2026-12-03): 221 s with 1 worker, 145 s with 2 (4,077 tests).
      maxWorkers: '100%',
    },
  },
  // node16 resolution honours package "exports" (subpath-only packages such as the Grafana
  // foundation SDK); files still compile to CommonJS because package.json has no "type".
  tsconfig: {
    compilerOptions: {
      // External source maps (dist/**/*.js.map, the TypeScript sources inlined into each map, a
      // `//# sourceMappingURL=` comment in each file) instead of projen's default inline maps:
      // every user's synth parses dist/**/*.js, and inline maps with inline sources made that
      // 6.1 MB instead of 1.9 MB (docs/benchmarks.md, "External source maps in dist/").
      // `node --enable-source-maps` and debuggers still map stack traces to lib/**/*.ts.
      inlineSourceMap: false,
      sourceMap: true,
      inlineSources: true,
      lib: ['es2022'],
      target: 'ES2022',
      skipLibCheck: true,
      module: 'node16',
      moduleResolution: javascript.TypeScriptModuleResolution.NODE16,
    },
  },
  tsconfigDevFile: 'tsconfig.dev.json',
  tsconfigDev: {
    include: ['lib/**/*.ts', 'test/**/*.ts', 'examples/**/*.ts', 'scripts/**/*.ts'],
    // The consumer apps compile in their own install against the packed tarball (test:consumers).
    exclude: ['node_modules', 'dist', '.build', 'cdktf.out', 'test/package/consumer/apps'],
    compilerOptions: {
      // Each file compiles alone (jest's sucrase transform needs that); the typecheck task type-checks everything.
      isolatedModules: true,
      lib: ['es2022'],
      target: 'ES2022',
      skipLibCheck: true,
      module: 'node16',
      moduleResolution: javascript.TypeScriptModuleResolution.NODE16,
    },
  },
  gitignore: ['cdktf.out/', '.build/', 'reports/', '.gen/', 'terraform.*.tfstate*', '.terraform/'],
  // The tarball is a whitelist (`files` below), not a blacklist: nothing else can slip in.
  npmignoreEnabled: false,
});

// What `npm pack` ships: the compiled library, its source maps, its types, the docs the README links to (so the
// links resolve in node_modules/cdktf-ai-infra) and the copyable CI workflow. npm adds
// package.json, README.md and LICENSE itself. test/package/files.test.ts checks `npm pack --dry-run`.
project.package.addField('files', [
  'dist/**/*.js',
  'dist/**/*.js.map',
  'dist/**/*.d.ts',
  'docs/**/*.md',
  'docs/ci/*.yml',
  'CHANGELOG.md',
]);
project.package.addField('version', VERSION);
project.addBins({ 'cdktf-ai-infra-report': 'dist/report/cli.js' });

// Markdown is written for readers (aligned tables and comments); its ```ts blocks are checked
// by a type-check instead (test/package/docs-snippets.test.ts). docs/api is generated.
project.prettier?.addIgnorePattern('*.md');
project.prettier?.addIgnorePattern('docs/api/');
// Files projen writes (its own JSON layout).
for (const generated of ['.projen/', 'tsconfig.json', 'tsconfig.dev.json', 'projenrc/tsconfig.json']) {
  project.prettier?.addIgnorePattern(generated);
}

// Subpath exports so that an AWS-only user never loads the Google or Kubernetes bindings; the
// policy pack and the review report (no provider import) are their own subpaths.
const SUBPATHS = ['core', 'aws', 'gcp', 'k8s', 'policy', 'report'];
project.package.addField('exports', {
  '.': { types: './dist/index.d.ts', default: './dist/root.js' },
  ...Object.fromEntries(
    SUBPATHS.map((s) => [`./${s}`, { types: `./dist/${s}/index.d.ts`, default: `./dist/${s}/index.js` }]),
  ),
  './package.json': './package.json',
});
project.package.addField('typesVersions', {
  '*': Object.fromEntries(SUBPATHS.map((s) => [s, [`dist/${s}/index.d.ts`]])),
});
project.package.addField('peerDependenciesMeta', {
  '@cdktf/provider-aws': { optional: true },
  '@cdktf/provider-google': { optional: true },
  '@cdktf/provider-kubernetes': { optional: true },
  '@cdktf/provider-helm': { optional: true },
});

// TypeScript in tests is type-stripped by sucrase (test/jest-transform.js), not compiled by ts-jest:
// a cold jest cache transforms every test, lib and example file once per run, and ts-jest spent
// about a third of a cold run's CPU doing it (docs/benchmarks.md, "Test suite"). The typecheck
// task type-checks tests, as before.
const pkg = project.tryFindObjectFile('package.json')!;
pkg.addOverride('jest.transform', {
  '^.+\\.[t]sx?$': '<rootDir>/test/jest-transform.js',
});
pkg.addOverride('jest.testMatch', ['<rootDir>/test/**/*.test.ts']);
// cdktf requires `archiver` (about 200 modules) when it loads, and jest loads modules afresh in
// every test file; the stand-in loads the real package on first use (test/lazy-archiver.js).
pkg.addOverride('jest.moduleNameMapper', { '^archiver$': '<rootDir>/test/lazy-archiver.js' });
// Longest test files first on a fresh clone too (test/durations.json, `test:durations`).
pkg.addOverride('jest.testSequencer', '<rootDir>/test/jest-sequencer.js');
pkg.addOverride('jest.setupFilesAfterEnv', ['<rootDir>/test/setup.ts']);
// One synthesis cache per run, shared by the workers (test/synth-cache.ts): every example app
// is synthesized once per run, not once per test file that reads it.
pkg.addOverride('jest.globalSetup', '<rootDir>/test/jest-global-setup.js');
pkg.addOverride('jest.globalTeardown', '<rootDir>/test/jest-global-teardown.js');

// --- tasks -------------------------------------------------------------------------------
// The compiled core, aws, gcp and k8s index files load each construct on first use
// (scripts/lazy-index.js), and each compiled module requires its imports on first use
// (scripts/lazy-require.js): an app pays only for the constructs, helpers and provider submodules
// it uses (issue 11 section 5).
project.compileTask.exec('node scripts/lazy-index.js dist');
project.compileTask.exec('node scripts/lazy-require.js dist');
// Type-check of lib, test and examples (jest's transform strips types and does not type-check).
const typecheck = project.addTask('typecheck', {
  description: 'Type-check lib, test, examples and scripts',
  exec: 'tsc --noEmit -p tsconfig.dev.json',
});
const ENTRY_POINTS =
  'lib/index.ts lib/core/index.ts lib/aws/index.ts lib/gcp/index.ts lib/k8s/index.ts lib/policy/index.ts lib/report/index.ts';
const doccheck = project.addTask('doccheck', {
  description: 'Fail when an exported symbol has no TSDoc (typedoc validation, nothing emitted)',
  exec: `typedoc --emit none --validation.notDocumented --treatValidationWarningsAsErrors --disableSources ${ENTRY_POINTS}`,
});
project.addTask('lint', {
  description: 'eslint (bans root imports of provider packages), prettier --check, TSDoc coverage',
  steps: [
    { spawn: doccheck.name },
    { exec: 'eslint lib test examples' },
    { exec: 'prettier --check "lib/**/*.ts" "test/**/*.ts" "examples/**/*.ts"' },
  ],
});
project.addTask('format', {
  exec: 'prettier --write "lib/**/*.ts" "test/**/*.ts" "examples/**/*.ts"',
});

// The test task: Prometheus tools, jest writing a JSON report that .ci/run summarises,
// type-check, lint (the checks of the `typecheck` and `lint` tasks).
project.testTask.reset();
// promtool and amtool for the consumer checks (Debian packages prometheus and
// prometheus-alertmanager): installed when missing and running as root with apt-get.
project.testTask.exec('bash scripts/ensure-prometheus-tools.sh');
project.testTask.exec('mkdir -p reports');
project.testTask.exec('jest --ci --json --outputFile=reports/jest.json', { receiveArgs: true });
// Then the type-check, the TSDoc check, eslint and prettier side by side (scripts/parallel.js),
// one per CPU: each is a single-threaded process of 10-20 CPU s, so on 2 CPUs this halves their
// wall time against running them one after another (docs/benchmarks.md, "Test suite").
project.testTask.exec(
  [
    'node scripts/parallel.js',
    `'${typecheck.steps[0].exec}'`,
    `'${doccheck.steps[0].exec}'`,
    "'eslint lib test examples'",
    `'prettier --check "lib/**/*.ts" "test/**/*.ts" "examples/**/*.ts"'`,
  ].join(' '),
);

// Refreshes test/durations.json from the last jest run's report (reports/jest.json).
project.addTask('test:durations', {
  description: "Write test/durations.json from reports/jest.json (the sequencer's durations)",
  exec: 'node scripts/test-durations.js reports/jest.json',
});

// Compile the examples (and the library they import) to .build/ for `cdktf synth` and the benchmark.
const buildExamples = project.addTask('build:examples', {
  description: 'Compile lib and examples to .build/ (plain node, no ts-node at synth time)',
  steps: [
    { exec: 'tsc -p tsconfig.examples.json' },
    { exec: 'node scripts/lazy-index.js .build/lib' },
    { exec: 'node scripts/lazy-require.js .build/lib' },
  ],
});
// cdktf.json's app compiles first (`npx projen build:examples && node .build/examples/app.js`), so
// plain `npx cdktf synth` works in a fresh clone too.
project.addTask('synth', {
  description: 'Synthesize every example app with the real cdktf CLI',
  steps: [{ exec: 'cdktf synth --output cdktf.out' }],
  env: { CHECKPOINT_DISABLE: '1', CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1' },
});
project.addTask('bench', {
  description: 'Synth time and peak memory of every example app, one JSON line each',
  steps: [{ spawn: buildExamples.name }, { exec: 'node scripts/bench.js' }],
});
project.addTask('docgen', {
  description: 'Generate API.md from the TSDoc comments',
  exec: `typedoc --plugin typedoc-plugin-markdown --disableSources --out docs/api --readme none ${ENTRY_POINTS}`,
});

// Reviews: Mermaid diagrams and cost tables of the synthesized stacks (lib/report).
project.addTask('report', {
  description: 'Markdown for a pull request: cost table per stack and a Mermaid diagram of cdktf.out/',
  exec: 'node dist/report/cli.js cdktf.out',
  receiveArgs: true,
});
project.addTask('docs:architectures', {
  description: 'Regenerate docs/architectures.md (diagrams and cost tables of every example)',
  exec: 'ts-node --transpile-only --project tsconfig.dev.json scripts/architectures.ts --write',
});

// The consumer test: npm pack, then AWS-, GCP- and Kubernetes-only apps laid out as `cdktf init`
// lays them out, each installed, type-checked, synthesized and tested (.ci/run runs it).
project.addTask('test:consumers', {
  description: 'Pack the library and install, type-check, synth and test three fresh cdktf apps',
  steps: [{ spawn: 'compile' }, { exec: 'node test/package/consumer/run.js' }],
  receiveArgs: true,
});

// Releases: semantic versions from CHANGELOG.md (scripts/release.js; docs in CHANGELOG.md).
project.addTask('release', {
  description: 'Turn the Unreleased section of CHANGELOG.md into a version (major|minor|patch), tag it',
  exec: 'node scripts/release.js',
  receiveArgs: true,
});

project.synth();
