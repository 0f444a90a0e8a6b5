import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { App, TerraformOutput, TerraformStack } from 'cdktf';

// scripts/bench.js: the statistics of `npm run bench` (paired runs, the median of the per-pair
// ratios, quartiles) and scripts/bench-stability.js, which measures how stable that ratio is.
/* eslint-disable @typescript-eslint/no-require-imports */
const bench = require('../../scripts/bench.js') as {
  DEFAULT_RUNS: number;
  quantile: (values: number[], q: number) => number;
  median: (values: number[]) => number;
  pairedRatio: (a: number[], b: number[]) => { median: number; iqr: [number, number] };
  pairOrder: (i: number) => number[];
  roundOrder: (i: number, n: number) => number[];
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
interface RefCounts {
  converted: number;
  literal: number;
  literalCrossStack: number;
  literalIndexed: number;
  dependsOnConverted: number;
  dependsOnLiteral: number;
}
const floorGen = require('../../scripts/bench-floor.js') as {
  writeFloorApp: (outdir: string, file: string) => void;
  writeRefFloorApp: (outdir: string, file: string) => RefCounts;
  compareOutdirs: (a: string, b: string) => { blocks: number; same: number; differ: string[] };
  interpolations: (s: string) => { start: number; end: number; body: string }[] | undefined;
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

  test('rounds of three scripts go through the six orders in turn', () => {
    const orders = [0, 1, 2, 3, 4, 5].map((i) => bench.roundOrder(i, 3));
    expect(new Set(orders.map((o) => o.join(''))).size).toBe(6);
    for (const k of [0, 1, 2]) {
      // each script runs first, second and last twice in six rounds
      expect([0, 1, 2].map((pos) => orders.filter((o) => o[pos] === k).length)).toEqual([2, 2, 2]);
    }
    expect(bench.roundOrder(6, 3)).toEqual(orders[0]);
    expect([0, 1].map((i) => bench.roundOrder(i, 2))).toEqual([
      [0, 1],
      [1, 0],
    ]);
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

describe('scripts/bench-floor.js reference floor', () => {
  const ROOT = join(__dirname, '..', '..');

  /** Synthesizes the small two-stack app the floors are generated from into `outdir`. */
  function synthLibrary(outdir: string) {
    const app = new App({ outdir });
    const a = new TerraformStack(app, 'a');
    new AwsProvider(a, 'aws', { region: 'us-east-1' });
    // A role (cdktf writes blocks sorted by type, then name) referring to a bucket written after
    // it: the reference floor must create the bucket first.
    new IamRole(a, 'a0', { name: '${aws_s3_bucket.z.bucket}', assumeRolePolicy: '{}' });
    new S3Bucket(a, 'z', { bucket: 'z' });
    new IamRolePolicyAttachment(a, 'att', {
      role: '${aws_iam_role.r.name}',
      policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
    });
    const role = new IamRole(a, 'r', { name: 'r', assumeRolePolicy: '{}' });
    const me = new DataAwsCallerIdentity(a, 'me');
    new S3Bucket(a, 'b', {
      bucket: `logs-${me.accountId}`,
      dependsOn: [role],
      tags: {
        // an index and a function: left literal
        first: '${aws_iam_role.r.inline_policy[0].name}',
        upper: '${upper(data.aws_caller_identity.me.account_id)}',
      },
    });
    new TerraformOutput(a, 'arn', { value: role.arn });
    const b = new TerraformStack(app, 'b');
    new AwsProvider(b, 'aws', { region: 'us-east-1' });
    // a cross-stack reference: remote state in b (literal), an output in a (converted)
    new S3Bucket(b, 'c', { bucket: 'c', tags: { role: role.arn } });
    app.synth();
  }

  /** Runs a generated floor app, its output in `outdir`. */
  function runFloor(file: string, outdir: string) {
    const r = spawnSync(process.execPath, [file], {
      env: { ...process.env, CDKTF_OUTDIR: outdir, NODE_PATH: join(ROOT, 'node_modules') },
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  }

  test('converts same-stack references and dependsOn to tokens, in dependency order, with identical output', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-reffloor-'));
    try {
      const lib = join(dir, 'lib');
      synthLibrary(lib);
      const floorFile = join(dir, 'floor.js');
      const refFile = join(dir, 'floor.ref.js');
      floorGen.writeFloorApp(lib, floorFile);
      const counts = floorGen.writeRefFloorApp(lib, refFile);
      // a: role a0 name, attachment role, bucket name (embedded, a data source), output arn,
      // cross-stack output; left literal: the index, the function, the remote state reference in b.
      expect(counts).toEqual({
        converted: 5,
        literal: 3,
        literalCrossStack: 1,
        literalIndexed: 1,
        dependsOnConverted: 1,
        dependsOnLiteral: 0,
      });
      const src = readFileSync(refFile, 'utf8');
      const line = (needle: string) => src.split('\n').find((l) => l.includes(needle)) ?? '';
      const variable = (needle: string) => /^const (\w+) =/.exec(line(needle))?.[1];
      const role = variable('new IamRole(s0, "r"');
      const me = variable('new DataAwsCallerIdentity(s0, "me"');
      expect(role).toBeDefined();
      expect(me).toBeDefined();
      // topological: the bucket before the role that refers to it (the JSON has it after), and
      // the role r before the attachment and the output
      const at = (text: string, needle: string) => text.indexOf(needle);
      const floorSrc = readFileSync(floorFile, 'utf8');
      expect(at(floorSrc, 'new IamRole(s0, "a0"')).toBeLessThan(at(floorSrc, 'new S3Bucket(s0, "z"'));
      expect(at(src, 'new S3Bucket(s0, "z"')).toBeLessThan(at(src, 'new IamRole(s0, "a0"'));
      expect(at(src, 'new IamRole(s0, "r"')).toBeLessThan(at(src, 'new IamRolePolicyAttachment('));
      expect(at(src, 'new IamRole(s0, "r"')).toBeLessThan(at(src, 'new TerraformOutput(s0, "arn"'));
      expect(line('new IamRole(s0, "a0"')).toContain(
        `"name":${variable('new S3Bucket(s0, "z"')}.getStringAttribute("bucket")`,
      );
      expect(line('new IamRolePolicyAttachment(')).toContain(`"role":${role}.getStringAttribute("name")`);
      expect(line('new S3Bucket(s0, "b"')).toContain(`("logs-" + ${me}.getStringAttribute("account_id"))`);
      expect(line('new S3Bucket(s0, "b"')).toContain(`dependsOn: [${role}]`);
      expect(line('new S3Bucket(s0, "b"')).toContain('"${aws_iam_role.r.inline_policy[0].name}"');
      expect(line('new TerraformOutput(s0, "arn"')).toContain(`"value":${role}.getStringAttribute("arn")`);
      expect(floorSrc).not.toContain('getStringAttribute');
      for (const [file, out] of [
        [floorFile, join(dir, 'floor')],
        [refFile, join(dir, 'ref')],
      ]) {
        runFloor(file, out);
        const same = floorGen.compareOutdirs(lib, out);
        expect(same.differ).toEqual([]);
        // a: provider, 5 resources, 1 data source, 2 outputs; b: provider, bucket, remote state
        expect(same.blocks).toBe(12);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('interpolations: nested braces and quoted strings; an escaped or unclosed one is not parsed', () => {
    expect(floorGen.interpolations('a${x.y.z}b${f({k = "}"})}')).toEqual([
      { start: 1, end: 9, body: 'x.y.z' },
      { start: 10, end: 25, body: 'f({k = "}"})' },
    ]);
    expect(floorGen.interpolations('plain')).toEqual([]);
    expect(floorGen.interpolations('$${x.y.z}')).toBeUndefined();
    expect(floorGen.interpolations('${x.y')).toBeUndefined();
  });
});
