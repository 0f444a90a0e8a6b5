#!/usr/bin/env node
// Benchmark (not a test): synth wall time and peak memory of every example app, as plain node
// on the compiled output in .build/ (run `npm run bench`, which compiles first). One JSON line
// per example on stdout. Targets (docs/benchmarks.md): < 2 s wall and < 600 MB peak each.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const built = path.join(root, '.build', 'examples');
if (!fs.existsSync(built)) {
  console.error('No .build/examples: run `npm run bench` (it compiles first).');
  process.exit(2);
}
const runs = Number(process.env.BENCH_RUNS || 3);

function measure(script, args = [], extraEnv = {}) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    // /usr/bin/time -f reports the child's peak RSS in KiB.
    const importsOut = path.join(outdir, 'imports-ms');
    const hook = path.join(__dirname, 'bench-imports.js');
    const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, '--require', hook, script, ...args], {
      env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1', BENCH_IMPORTS_OUT: importsOut, ...extraEnv },
      encoding: 'utf8',
    });
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) {
      throw new Error(`${script} failed (${r.status}): ${r.stderr}`);
    }
    const lines = r.stderr.trim().split('\n');
    const frameworkImportMs = fs.existsSync(importsOut) ? Number(fs.readFileSync(importsOut, 'utf8')) : NaN;
    samples.push({ wallMs, peakMiB: Number(lines[lines.length - 1]) / 1024, frameworkImportMs });
  }
  fs.rmSync(outdir, { recursive: true, force: true });
  samples.sort((a, b) => a.wallMs - b.wallMs);
  const median = samples[Math.floor(samples.length / 2)];
  return {
    wallMs: Math.round(median.wallMs),
    peakMiB: Math.round(Math.max(...samples.map((s) => s.peakMiB))),
    // time loading cdktf, constructs and provider bindings: the rest is node start-up and this library
    frameworkImportMs: median.frameworkImportMs,
  };
}

const hasTime = fs.existsSync('/usr/bin/time');
if (!hasTime) {
  console.error('/usr/bin/time is missing (Debian package "time"); peak memory cannot be measured.');
  process.exit(2);
}

for (const name of fs.readdirSync(built).sort()) {
  const main = path.join(built, name, 'main.js');
  if (!fs.existsSync(main)) continue;
  const m = measure(main);
  console.log(JSON.stringify({ example: name, runs, ...m, node: process.version, date: new Date().toISOString().slice(0, 10) }));
}

// Scaling scenarios: scripts in .build/examples/bench/*.js take a count argument.
const scaling = path.join(built, 'bench');
if (fs.existsSync(scaling)) {
  for (const f of fs.readdirSync(scaling).filter((f) => f.endsWith('.js')).sort()) {
    const results = {};
    for (const n of [10, 100]) results[n] = measure(path.join(scaling, f), [String(n)]);
    console.log(
      JSON.stringify({ scenario: f.replace(/\.js$/, ''), runs, n10: results[10], n100: results[100], ratio: +(results[100].wallMs / results[10].wallMs).toFixed(2) }),
    );
  }
}
