#!/usr/bin/env node
// Benchmark (not a test): synth wall time and peak memory of every example app, as plain node
// on the compiled output in .build/ (run `npm run bench`, which compiles first; .build/ compiles
// the library with the emit settings of the shipped dist/). One JSON line per example on stdout,
// with its L1 floor (scripts/bench-floor.js) and the library / floor ratio. Targets
// (docs/benchmarks.md): < 2 s wall and < 600 MB peak each; at most 1.1x the floor.
//
// Statistics (docs/benchmarks.md, "Bench statistics"): the example and its floor run in
// pairs, back to back, the order alternating (library first, then floor first), so machine load
// that changes over seconds hits both runs of a pair alike. The ratio is the median of the
// per-pair ratios (library_i / floor_i), reported with their interquartile range; the min and
// median walls are reported too. BENCH_RUNS pairs (default DEFAULT_RUNS below).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { compareOutdirs, writeFloorApp, writeRefFloorApp } = require('./bench-floor');

const root = path.resolve(__dirname, '..');
const built = path.join(root, '.build', 'examples');
const floorDir = path.join(root, '.build', 'floor');
// Pairs per example (docs/benchmarks.md, "Bench statistics", for how it was chosen).
const DEFAULT_RUNS = 15;

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

/**
 * The q-quantile (0..1) of `values`, interpolated linearly between the two nearest ranks (the
 * usual definition: R's type 7, numpy's default). quantile(v, 0.5) is the median.
 */
function quantile(values, q) {
  if (values.length === 0) return NaN;
  const v = [...values].sort((a, b) => a - b);
  const pos = (v.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

const median = (values) => quantile(values, 0.5);

/** Median, min and peak of one script's samples. */
function summary(samples) {
  const med = (k) => median(samples.map((s) => s[k]));
  return {
    wallMs: Math.round(med('wallMs')),
    minWallMs: Math.round(Math.min(...samples.map((s) => s.wallMs))),
    cpuMs: Math.round(med('cpuMs')),
    peakMiB: Math.round(Math.max(...samples.map((s) => s.peakMiB))),
    // time loading cdktf, constructs and provider bindings: the rest is node start-up and this library
    frameworkImportMs: med('frameworkImportMs'),
    // modules compiled (the app script included) and their source size: the same on every run
    modules: med('modules'),
    moduleKiB: med('moduleKiB'),
  };
}

/**
 * The ratios a_i / b_i of paired samples (run back to back): their median and interquartile
 * range [q1, q3]. A pair shares the machine's load of its moment, which the ratio cancels; the
 * median of the ratios is not moved by a pair that a burst of load hit.
 */
function pairedRatio(a, b) {
  if (a.length !== b.length || a.length === 0) {
    throw new Error(`paired samples must be as many and not none: ${a.length} and ${b.length}`);
  }
  const ratios = a.map((x, i) => x / b[i]);
  const r = (x) => +x.toFixed(3);
  return { median: r(median(ratios)), iqr: [r(quantile(ratios, 0.25)), r(quantile(ratios, 0.75))] };
}

/** Which script runs first in pair i: the library in even pairs, the floor in odd ones. */
const pairOrder = (i) => (i % 2 === 0 ? [0, 1] : [1, 0]);

// The six orders of three scripts, in turn: over six rounds each script runs first, second and
// last twice.
const TRIPLE_ORDERS = [
  [0, 1, 2],
  [2, 1, 0],
  [1, 2, 0],
  [0, 2, 1],
  [2, 0, 1],
  [1, 0, 2],
];
/** The order of round i of two scripts (pairOrder) or three (TRIPLE_ORDERS in turn). */
const roundOrder = (i, n) => (n === 2 ? pairOrder(i) : TRIPLE_ORDERS[i % TRIPLE_ORDERS.length]);

/** The paired wall and CPU ratios a_i / b_i of two scripts' samples from the same rounds. */
function pairedWallCpu(a, b) {
  return {
    wall: pairedRatio(
      a.map((s) => s.wallMs),
      b.map((s) => s.wallMs),
    ),
    cpu: pairedRatio(
      a.map((s) => s.cpuMs),
      b.map((s) => s.cpuMs),
    ),
  };
}

/**
 * Runs `lib` and `floor` as `runs` pairs, back to back, alternating which runs first (so a
 * steady rise or fall of the machine's load does not favour one), and returns each one's
 * summary and the paired wall and CPU ratios (library / floor). With `refFloor` (the reference
 * floor, scripts/bench-floor.js), each round runs the three back to back, the order going
 * through the six orders in turn, and the result adds its summary and the paired ratios
 * reference floor / floor (`refFloorRatio`) and library / reference floor (`libToRefFloor`).
 */
function measurePairs(lib, floor, runs, refFloor) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  const scripts = refFloor ? [lib, floor, refFloor] : [lib, floor];
  const samples = scripts.map(() => []);
  try {
    for (let i = 0; i < runs; i++) {
      for (const k of roundOrder(i, scripts.length)) samples[k].push(runOnce(scripts[k], [], outdir, {}));
    }
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  const [l, f, rf] = samples;
  const result = {
    lib: summary(l),
    floor: summary(f),
    ...pairedWallCpu(l, f),
    samples: { lib: l, floor: f },
  };
  if (!refFloor) return result;
  return {
    ...result,
    refFloor: summary(rf),
    refFloorRatio: pairedWallCpu(rf, f),
    libToRefFloor: pairedWallCpu(l, rf),
    samples: { ...result.samples, refFloor: rf },
  };
}

/** Runs each of `scripts` `runs` times, interleaved (a, b, a, b, ...); the summary of each. */
function measure(scripts, runs, args = [], extraEnv = {}) {
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

/**
 * Writes the L1 floor of an example (scripts/bench-floor.js): the same stacks rebuilt from the
 * same provider submodule classes with no library logic, generated from this build's own
 * synthesis, and its reference floor (the floor with same-stack references as tokens,
 * `.ref.js`). Each must synthesize identical blocks, or this throws. Each script has run once
 * when this returns (a warm-up: file cache, compile cache). Returns the floors' paths, the
 * number of blocks and the reference floor's counts (references converted and left literal).
 */
function prepareFloor(name) {
  const main = path.join(built, name, 'main.js');
  const libOut = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${name}-`));
  const floorOut = fs.mkdtempSync(path.join(os.tmpdir(), `bench-floor-${name}-`));
  const refFloorOut = fs.mkdtempSync(path.join(os.tmpdir(), `bench-reffloor-${name}-`));
  const floor = path.join(floorDir, `${name}.js`);
  const refFloor = path.join(floorDir, `${name}.ref.js`);
  fs.mkdirSync(floorDir, { recursive: true });
  try {
    runOnce(main, [], libOut, {});
    writeFloorApp(libOut, floor);
    const refs = writeRefFloorApp(libOut, refFloor);
    for (const [what, script, out] of [
      ['floor', floor, floorOut],
      ['reference floor', refFloor, refFloorOut],
    ]) {
      runOnce(script, [], out, {});
      const same = compareOutdirs(libOut, out);
      if (same.same !== same.blocks) {
        throw new Error(
          `the ${what} of ${name} differs from the library's output: ${same.differ.slice(0, 5).join(', ')}`,
        );
      }
    }
    return { main, floor, refFloor, refs, blocks: compareOutdirs(libOut, floorOut).blocks };
  } finally {
    for (const d of [libOut, floorOut, refFloorOut]) fs.rmSync(d, { recursive: true, force: true });
  }
}

/** The examples compiled to .build/examples (each a directory with a main.js). */
function examples() {
  return fs
    .readdirSync(built)
    .sort()
    .filter((name) => fs.existsSync(path.join(built, name, 'main.js')));
}

/** `{ wall, wallIqr, cpu, cpuIqr }` of paired wall and CPU ratios. */
const ratioFields = (r) => ({
  wall: r.wall.median,
  wallIqr: r.wall.iqr,
  cpu: r.cpu.median,
  cpuIqr: r.cpu.iqr,
});

/**
 * The JSON line of one example against its floor, and (when measured) its reference floor: a
 * diagnostic, the share of the library's overhead that cdktf's reference tokens account for.
 */
function floorLine(name, blocks, m, runs, refs) {
  return {
    example: name,
    runs,
    ...m.lib,
    floor: m.floor,
    blocks,
    // the median of the per-pair ratios, and their interquartile range
    wallRatio: m.wall.median,
    wallRatioIqr: m.wall.iqr,
    cpuRatio: m.cpu.median,
    cpuRatioIqr: m.cpu.iqr,
    // the ratio of the medians (how this bench reported wallRatio before 2026-12-04)
    wallRatioOfMedians: +(m.lib.wallMs / m.floor.wallMs).toFixed(3),
    ...(m.refFloor
      ? {
          // the floor with same-stack references as tokens, and how many it converted / left literal
          refFloor: { ...m.refFloor, refs },
          refFloorRatio: ratioFields(m.refFloorRatio),
          libToRefFloorRatio: ratioFields(m.libToRefFloor),
        }
      : {}),
    extraModules: m.lib.modules - m.floor.modules,
    node: process.version,
    loadavg: +os.loadavg()[0].toFixed(1),
    date: new Date().toISOString().slice(0, 10),
  };
}

function main() {
  if (!fs.existsSync(built)) {
    console.error('No .build/examples: run `npm run bench` (it compiles first).');
    process.exit(2);
  }
  if (!fs.existsSync('/usr/bin/time')) {
    console.error('/usr/bin/time is missing (Debian package "time"); peak memory cannot be measured.');
    process.exit(2);
  }
  const runs = Number(process.env.BENCH_RUNS || DEFAULT_RUNS);
  if (!Number.isInteger(runs) || runs < 1) {
    console.error(`BENCH_RUNS must be a whole number of pairs, at least 1; got ${process.env.BENCH_RUNS}.`);
    process.exit(2);
  }
  // BENCH_ONLY=aws-inference,quickstart: only these examples (and no scaling scenario).
  const only = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : undefined;
  const unknown = (only ?? []).filter((n) => !examples().includes(n));
  if (unknown.length) {
    console.error(`BENCH_ONLY names no compiled example: ${unknown} (examples: ${examples()}).`);
    process.exit(2);
  }

  // Each example against its L1 floor, in pairs.
  for (const name of examples()) {
    if (only && !only.includes(name)) continue;
    const { main: lib, floor, refFloor, refs, blocks } = prepareFloor(name);
    // BENCH_REFFLOOR=0: without the reference floor (pairs of library and floor only).
    const withRef = process.env.BENCH_REFFLOOR !== '0';
    const m = measurePairs(lib, floor, runs, withRef ? refFloor : undefined);
    console.log(JSON.stringify(floorLine(name, blocks, m, runs, refs)));
  }

  // Scaling scenarios: scripts in .build/examples/bench/*.js take a count argument.
  const scaling = path.join(built, 'bench');
  if (fs.existsSync(scaling) && !only) {
    for (const f of fs
      .readdirSync(scaling)
      .filter((f) => f.endsWith('.js'))
      .sort()) {
      const results = {};
      for (const n of [10, 100]) [results[n]] = measure([path.join(scaling, f)], runs, [String(n)]);
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
}

if (require.main === module) main();

module.exports = {
  DEFAULT_RUNS,
  quantile,
  median,
  pairedRatio,
  pairOrder,
  roundOrder,
  summary,
  measurePairs,
  prepareFloor,
  examples,
  runOnce,
};
