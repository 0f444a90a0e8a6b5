#!/usr/bin/env node
// How stable is the bench's ratio at a given run count? Runs one example and its L1 floor as
// many pairs as asked (as `npm run bench` does: back to back, alternating which runs first), then
// cuts the pairs, in the order they ran, into consecutive blocks of n pairs and computes each
// block's ratio as the bench would have reported it from an invocation of n pairs: the median of
// the per-pair ratios, and, for comparison, the ratio of the medians (the bench before
// 2026-12-04). The spread of the block ratios is how far two invocations of `npm run bench`
// with BENCH_RUNS=n can disagree on that machine at that time. Compile first
// (`npx projen build:examples`). docs/benchmarks.md, "Bench statistics".
//
// Usage: node scripts/bench-stability.js <example> <pairs> [n ...]   (default n: 3 5 9 15 21)
// BENCH_SAMPLES_OUT=file also writes every pair's walls and CPU times as JSON.
'use strict';
const fs = require('fs');
const os = require('os');
const { measurePairs, pairedRatio, prepareFloor, median, quantile, examples } = require('./bench');

/**
 * Ratios of consecutive blocks of n pairs (a leftover shorter block is dropped): for each block,
 * the median of its per-pair ratios (`paired`) and the ratio of its medians (`ofMedians`).
 */
function blockRatios(lib, floor, n) {
  const out = [];
  for (let start = 0; start + n <= lib.length; start += n) {
    const l = lib.slice(start, start + n);
    const f = floor.slice(start, start + n);
    out.push({ paired: pairedRatio(l, f).median, ofMedians: +(median(l) / median(f)).toFixed(3) });
  }
  return out;
}

/** min, max, max - min and the sample standard deviation of `values`. */
function spread(values) {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd =
    values.length > 1
      ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1))
      : NaN;
  const r = (x) => +x.toFixed(3);
  return {
    min: r(Math.min(...values)),
    max: r(Math.max(...values)),
    range: r(Math.max(...values) - Math.min(...values)),
    sd: r(sd),
    q1: r(quantile(values, 0.25)),
    q3: r(quantile(values, 0.75)),
  };
}

function main() {
  const [name, pairsArg, ...sizes] = process.argv.slice(2);
  const pairs = Number(pairsArg);
  if (!name || !examples().includes(name) || !Number.isInteger(pairs) || pairs < 2) {
    console.error(
      `usage: node scripts/bench-stability.js <example> <pairs, at least 2> [n ...]; examples: ${examples()}`,
    );
    process.exit(2);
  }
  const ns = (sizes.length ? sizes : ['3', '5', '9', '15', '21']).map(Number).filter((n) => n <= pairs);
  const { main: lib, floor } = prepareFloor(name);
  const load0 = os.loadavg()[0];
  const m = measurePairs(lib, floor, pairs);
  const walls = (s) => s.map((x) => x.wallMs);
  const cpus = (s) => s.map((x) => x.cpuMs);
  if (process.env.BENCH_SAMPLES_OUT) {
    fs.writeFileSync(
      process.env.BENCH_SAMPLES_OUT,
      JSON.stringify({ example: name, lib: m.samples.lib, floor: m.samples.floor }),
    );
  }
  console.log(
    JSON.stringify({
      example: name,
      pairs,
      loadavg: [+load0.toFixed(1), +os.loadavg()[0].toFixed(1)],
      lib: m.lib,
      floor: m.floor,
      wallRatio: m.wall,
      cpuRatio: m.cpu,
    }),
  );
  for (const n of ns) {
    const wall = blockRatios(walls(m.samples.lib), walls(m.samples.floor), n);
    const cpu = blockRatios(cpus(m.samples.lib), cpus(m.samples.floor), n);
    console.log(
      JSON.stringify({
        n,
        blocks: wall.length,
        wallPaired: spread(wall.map((b) => b.paired)),
        wallOfMedians: spread(wall.map((b) => b.ofMedians)),
        cpuPaired: spread(cpu.map((b) => b.paired)),
      }),
    );
  }
}

if (require.main === module) main();

module.exports = { blockRatios, spread };
