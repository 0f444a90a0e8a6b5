#!/usr/bin/env node
// Benchmark (not a test): synth wall time and peak memory of every example app, as plain node
// on the compiled output in .build/ (run `npm run bench`, which compiles first). One JSON line
// per example on stdout, with its L1 floor and the ratio (scripts/bench-floor.js). Targets
// (docs/benchmarks.md): < 2 s wall and < 600 MB peak each; at most 1.1x the floor.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { compareOutdirs, writeFloorApp } = require('./bench-floor');

const root = path.resolve(__dirname, '..');
const built = path.join(root, '.build', 'examples');
if (!fs.existsSync(built)) {
  console.error('No .build/examples: run `npm run bench` (it compiles first).');
  process.exit(2);
}
const runs = Number(process.env.BENCH_RUNS || 3);
// BENCH_ONLY=aws-inference,quickstart: only these examples (and no scaling scenario).
const only = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : undefined;

/** One run of `script`: wall and CPU time (user + system) and peak memory of the child. */
function runOnce(script, args, outdir, extraEnv) {
  const importsOut = path.join(outdir, 'imports-ms');
  const hook = path.join(__dirname, 'bench-imports.js');
  const t0 = process.hrtime.bigint();
  // /usr/bin/time -f reports the child's peak RSS in KiB and its user and system seconds.
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', '%M %U %S', process.execPath, '--require', hook, script, ...args],
    {
      env: {
        ...process.env,
        CDKTF_OUTDIR: outdir,
        CHECKPOINT_DISABLE: '1',
        BENCH_IMPORTS_OUT: importsOut,
        ...extraEnv,
      },
      encoding: 'utf8',
    },
  );
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) {
    throw new Error(`${script} failed (${r.status}): ${r.stderr}`);
  }
  const lines = r.stderr.trim().split('\n');
  const [kib, user, sys] = lines[lines.length - 1].split(' ').map(Number);
  const imports = fs.existsSync(importsOut) ? JSON.parse(fs.readFileSync(importsOut, 'utf8')) : {};
  return {
    wallMs,
    cpuMs: (user + sys) * 1000,
    peakMiB: kib / 1024,
    frameworkImportMs: imports.ms ?? NaN,
    modules: imports.modules ?? NaN,
    moduleKiB: imports.kib ?? NaN,
  };
}

function summary(samples) {
  const median = (k) => {
    const v = samples.map((s) => s[k]).sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)];
  };
  return {
    wallMs: Math.round(median('wallMs')),
    cpuMs: Math.round(median('cpuMs')),
    peakMiB: Math.round(Math.max(...samples.map((s) => s.peakMiB))),
    // time loading cdktf, constructs and provider bindings: the rest is node start-up and this library
    frameworkImportMs: median('frameworkImportMs'),
    // modules compiled (the app script included) and their source size: the same on every run
    modules: median('modules'),
    moduleKiB: median('moduleKiB'),
  };
}

/**
 * Runs each script `runs` times, interleaved (a, b, a, b, ...) so that a change in machine load
 * affects both alike, and returns the median of each.
 */
function measure(scripts, args = [], extraEnv = {}) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  const samples = scripts.map(() => []);
  try {
    for (let i = 0; i < runs; i++) {
      scripts.forEach((script, k) => samples[k].push(runOnce(script, args, outdir, extraEnv)));
    }
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  return samples.map(summary);
}

const hasTime = fs.existsSync('/usr/bin/time');
if (!hasTime) {
  console.error('/usr/bin/time is missing (Debian package "time"); peak memory cannot be measured.');
  process.exit(2);
}

// Each example against its L1 floor (scripts/bench-floor.js): the same stacks rebuilt from the
// same provider submodule classes with no library logic. The floor is generated from this
// build's own synthesis and must synthesize identical blocks before it is timed.
const floorDir = path.join(root, '.build', 'floor');
fs.mkdirSync(floorDir, { recursive: true });
for (const name of fs.readdirSync(built).sort()) {
  const main = path.join(built, name, 'main.js');
  if (!fs.existsSync(main) || (only && !only.includes(name))) continue;
  const libOut = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${name}-`));
  const floorOut = fs.mkdtempSync(path.join(os.tmpdir(), `bench-floor-${name}-`));
  const floor = path.join(floorDir, `${name}.js`);
  try {
    runOnce(main, [], libOut, {});
    writeFloorApp(libOut, floor);
    runOnce(floor, [], floorOut, {});
    const same = compareOutdirs(libOut, floorOut);
    if (same.same !== same.blocks) {
      throw new Error(
        `the floor of ${name} differs from the library's output: ${same.differ.slice(0, 5).join(', ')}`,
      );
    }
    const [m, f] = measure([main, floor]);
    console.log(
      JSON.stringify({
        example: name,
        runs,
        ...m,
        floor: f,
        blocks: same.blocks,
        wallRatio: +(m.wallMs / f.wallMs).toFixed(2),
        cpuRatio: +(m.cpuMs / f.cpuMs).toFixed(2),
        extraModules: m.modules - f.modules,
        node: process.version,
        date: new Date().toISOString().slice(0, 10),
      }),
    );
  } finally {
    fs.rmSync(libOut, { recursive: true, force: true });
    fs.rmSync(floorOut, { recursive: true, force: true });
  }
}

// Scaling scenarios: scripts in .build/examples/bench/*.js take a count argument.
const scaling = path.join(built, 'bench');
if (fs.existsSync(scaling) && !only) {
  for (const f of fs
    .readdirSync(scaling)
    .filter((f) => f.endsWith('.js'))
    .sort()) {
    const results = {};
    for (const n of [10, 100]) [results[n]] = measure([path.join(scaling, f)], [String(n)]);
    console.log(
      JSON.stringify({
        scenario: f.replace(/\.js$/, ''),
        runs,
        n10: results[10],
        n100: results[100],
        ratio: +(results[100].wallMs / results[10].wallMs).toFixed(2),
      }),
    );
  }
}
