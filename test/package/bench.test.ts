import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

// scripts/bench.js: the statistics of `npm run bench` (paired runs, the median of the per-pair
// ratios, quartiles) and scripts/bench-stability.js, which measures how stable that ratio is.
/* eslint-disable @typescript-eslint/no-require-imports */
const bench = require('../../scripts/bench.js') as {
  DEFAULT_RUNS: number;
  quantile: (values: number[], q: number) => number;
  median: (values: number[]) => number;
  pairedRatio: (a: number[], b: number[]) => { median: number; iqr: [number, number] };
  pairOrder: (i: number) => number[];
  summary: (samples: Record<string, number>[]) => Record<string, number>;
  measurePairs: (
    lib: string,
    floor: string,
    runs: number,
  ) => {
    lib: Record<string, number>;
    floor: Record<string, number>;
    wall: { median: number; iqr: [number, number] };
    samples: { lib: unknown[]; floor: unknown[] };
  };
};
const stability = require('../../scripts/bench-stability.js') as {
  blockRatios: (lib: number[], floor: number[], n: number) => { paired: number; ofMedians: number }[];
  spread: (values: number[]) => { min: number; max: number; range: number; sd: number };
};
/* eslint-enable @typescript-eslint/no-require-imports */

describe('scripts/bench.js statistics', () => {
  test('quantile interpolates between ranks (R type 7, numpy default) and leaves its input alone', () => {
    const v = [4, 1, 3, 2];
    expect(bench.quantile(v, 0.5)).toBe(2.5);
    expect(bench.quantile(v, 0.25)).toBe(1.75);
    expect(bench.quantile(v, 0.75)).toBe(3.25);
    expect(bench.quantile(v, 0)).toBe(1);
    expect(bench.quantile(v, 1)).toBe(4);
    expect(bench.quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(bench.median([7])).toBe(7);
    expect(bench.quantile([], 0.5)).toBeNaN();
    expect(v).toEqual([4, 1, 3, 2]);
  });

  test('the ratio is the median of the per-pair ratios, not the ratio of the medians', () => {
    // Pair 2 ran during a burst of load that slowed the library's run only.
    const lib = [110, 300, 120, 100, 105];
    const floor = [100, 100, 100, 90, 100];
    const r = bench.pairedRatio(lib, floor);
    // Ratios 1.1, 3, 1.2, 1.111, 1.05: the burst moves neither the median nor the quartiles.
    expect(r.median).toBe(1.111);
    expect(r.iqr).toEqual([1.1, 1.2]);
    // The two methods differ when the pairs' levels differ: a slow floor pair halves one ratio.
    expect(bench.pairedRatio([100, 200, 300], [50, 250, 150])).toEqual({ median: 2, iqr: [1.4, 2] });
    expect(bench.median([100, 200, 300]) / bench.median([50, 250, 150])).toBeCloseTo(1.333, 3);
  });

  test('paired samples must be as many as each other and not none', () => {
    expect(() => bench.pairedRatio([1, 2], [1])).toThrow(/as many/);
    expect(() => bench.pairedRatio([], [])).toThrow(/not none/);
  });

  test('the summary reports the min and the median wall and the peak memory', () => {
    const s = (wallMs: number, peakMiB: number) => ({
      wallMs,
      cpuMs: wallMs,
      peakMiB,
      frameworkImportMs: 1,
      modules: 10,
      moduleKiB: 20,
    });
    expect(bench.summary([s(500, 100), s(700, 120), s(450, 90), s(900, 110)])).toEqual({
      wallMs: 600,
      minWallMs: 450,
      cpuMs: 600,
      peakMiB: 120,
      frameworkImportMs: 1,
      modules: 10,
      moduleKiB: 20,
    });
  });

  test('pairs alternate which script runs first', () => {
    expect([0, 1, 2, 3].map(bench.pairOrder)).toEqual([
      [0, 1],
      [1, 0],
      [0, 1],
      [1, 0],
    ]);
  });

  test('measurePairs runs both scripts back to back in alternating order and pairs their samples', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-pairs-'));
    const log = join(dir, 'order.log');
    const script = (name: string) => {
      const file = join(dir, `${name}.js`);
      writeFileSync(file, `require('fs').appendFileSync(${JSON.stringify(log)}, '${name} ');`);
      return file;
    };
    try {
      const m = bench.measurePairs(script('lib'), script('floor'), 4);
      expect(readFileSync(log, 'utf8').trim().split(' ')).toEqual([
        'lib',
        'floor',
        'floor',
        'lib',
        'lib',
        'floor',
        'floor',
        'lib',
      ]);
      expect(m.samples.lib).toHaveLength(4);
      expect(m.samples.floor).toHaveLength(4);
      expect(m.lib.minWallMs).toBeLessThanOrEqual(m.lib.wallMs);
      expect(m.wall.iqr[0]).toBeLessThanOrEqual(m.wall.median);
      expect(m.wall.iqr[1]).toBeGreaterThanOrEqual(m.wall.median);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the default run count is a whole, odd number of pairs (the median is one pair)', () => {
    expect(Number.isInteger(bench.DEFAULT_RUNS)).toBe(true);
    expect(bench.DEFAULT_RUNS % 2).toBe(1);
  });
});

describe('scripts/bench-stability.js', () => {
  test('cuts the pairs into consecutive blocks of n, as separate invocations would have measured', () => {
    const lib = [110, 120, 130, 200, 210, 220, 999];
    const floor = [100, 100, 100, 100, 100, 200, 1];
    expect(stability.blockRatios(lib, floor, 3)).toEqual([
      { paired: 1.2, ofMedians: 1.2 },
      { paired: 2, ofMedians: 2.1 },
    ]);
    expect(stability.blockRatios(lib, floor, 7)).toHaveLength(1);
    expect(stability.blockRatios(lib, floor, 8)).toEqual([]);
  });

  test('spread: min, max, range and sample standard deviation', () => {
    expect(stability.spread([1, 2, 3, 4])).toMatchObject({ min: 1, max: 4, range: 3, sd: 1.291 });
  });
});
