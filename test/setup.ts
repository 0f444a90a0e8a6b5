// A module (its names stay local), with no imports: see the require of cdktf at the end.
export {};

// cdktf and constructs record where every token was created: each Intrinsic and Lazy (every
// attribute reference) and each metadata entry captures a stack trace into a plain object
// (`{ stack: '' }`) with `Error.stackTraceLimit` raised to Number.MAX_SAFE_INTEGER, and reads its
// `stack`. Collecting and formatting those frames was the largest single CPU cost of the
// property suites (`node --cpu-prof` of properties/aws.test.ts, 2026-12-03: V8's capture plus
// the formatting about 30% of the file's CPU; properties/gcp.test.ts 10.4-11.1 CPU s with every
// frame, 7.2-9.6 without). The traces are only shown when a token fails to resolve, so in tests:
// - a capture into a plain object keeps no frames (CDKTF_AI_INFRA_TOKEN_STACKS=<n> keeps the n
//   innermost, for debugging such a failure; `all` keeps every frame, as cdktf does);
// - frames that are kept are formatted by V8 unmapped (JavaScript positions), not through jest's
//   source-map-support, which maps every frame through the source maps.
// Real errors (an Error instance: a failing test, a thrown ValidationError) keep the usual
// stack depth and the source mapping.
const kept = process.env.CDKTF_AI_INFRA_TOKEN_STACKS;
const CREATION_FRAMES = kept === 'all' ? Infinity : Number(kept) >= 0 ? Number(kept) : 0;
const capture = Error.captureStackTrace;
Error.captureStackTrace = function captureStackTrace(...[target, below]: Parameters<typeof capture>): void {
  if (target instanceof Error) return capture(target, below);
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Math.min(limit, CREATION_FRAMES);
  try {
    capture(target, below);
  } finally {
    Error.stackTraceLimit = limit;
  }
};
const mapped = Error.prepareStackTrace;
if (mapped) {
  Error.prepareStackTrace = (error: unknown, frames: NodeJS.CallSite[]) =>
    error instanceof Error
      ? mapped(error, frames)
      : ['Error', ...frames.map((f) => `    at ${f}`)].join('\n');
}

// cdktf is loaded after the patches above: its modules create tokens while they load
// (tfExpression.js), and those captures would otherwise format every frame through the source
// maps once per test file (about 50 ms each, `node --cpu-prof`, 2026-12-03).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Testing, Manifest } = require('cdktf') as typeof import('cdktf');
// cdktf's jest matchers: toHaveResource, toHaveResourceWithProperties, toHaveDataSource, ...
Testing.setupJest();

// Testing.app() without an outdir makes a new directory under os.tmpdir() (and its `stacks`
// folder) for every app, although only an app that is synthesized to disk (`app.synth()`) writes
// there: about 10,000 empty pairs per run, made one by one and removed one by one by the global
// teardown (test/jest-global-teardown.js), which ran alone after the last test file. Here such
// an app starts in one directory shared by the apps of this test file, which nothing writes to,
// and gets a fresh directory of its own (and manifest) when `app.synth()` runs, as before. An
// app given an outdir, Testing.fullSynth and Testing.synth(stack) are unchanged.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { mkdtempSync } = require('fs') as typeof import('fs');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { join } = require('path') as typeof import('path');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { tmpdir } = require('os') as typeof import('os');
const newTestingApp = Testing.app.bind(Testing);
let unwritten: string | undefined;
Testing.app = (options = {}) => {
  if (options.outdir) return newTestingApp(options);
  unwritten ??= mkdtempSync(join(tmpdir(), 'cdktf.outdir.'));
  const app = newTestingApp({ ...options, outdir: unwritten });
  const synth = app.synth;
  app.synth = function synthToOwnDirectory(): void {
    if (this.outdir === unwritten) {
      const outdir = mkdtempSync(join(tmpdir(), 'cdktf.outdir.'));
      const writable = this as { -readonly [K in 'outdir' | 'manifest']: (typeof this)[K] };
      writable.outdir = outdir;
      writable.manifest = new Manifest(this.manifest.version, outdir, this.hclOutput);
    }
    synth.call(this);
  };
  return app;
};
