import { createHash } from 'crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';

/**
 * A synthesis cache shared by the jest workers of one run, so that an expensive synthesis (every
 * example app, the consumer fixtures) happens once per run instead of once per test file.
 *
 * jest's globalSetup (test/jest-global-setup.js) creates a fresh directory for the run and
 * passes it in `CDKTF_AI_INFRA_SYNTH_CACHE`; globalTeardown removes it. Entries are keyed by a
 * hash of every file under lib/ and examples/ plus the files the producer names, so an entry
 * never outlives the sources it was built from (watch mode re-runs in the same directory).
 * Without the variable (a file run outside jest's config) the cache lives in this process only.
 *
 * The producer runs in whichever worker asks first; the others wait on a lock directory for the
 * result (or produce it themselves when the holder died). Results are written to a temporary
 * name and renamed, so a reader never sees half an entry.
 */

const ROOT = join(__dirname, '..');
const RUN_DIR_ENV = 'CDKTF_AI_INFRA_SYNTH_CACHE';
const memory = new Map<string, unknown>();
let processDir: string | undefined;

function filesUnder(dir: string, out: string[]): string[] {
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) filesUnder(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

const hashes = new Map<string, string>();
/** Hash of lib/**, examples/** and `extra` (paths relative to the repository root). */
export function sourceHash(extra: readonly string[] = []): string {
  const key = extra.join('\0');
  const known = hashes.get(key);
  if (known) return known;
  const h = createHash('sha256');
  const files = [
    ...filesUnder(join(ROOT, 'lib'), []),
    ...filesUnder(join(ROOT, 'examples'), []),
    ...extra.map((f) => join(ROOT, f)),
    __filename,
  ];
  for (const f of files) {
    h.update(relative(ROOT, f)).update('\0').update(readFileSync(f)).update('\0');
  }
  const digest = h.digest('hex').slice(0, 16);
  hashes.set(key, digest);
  return digest;
}

function cacheDir(): string {
  const dir = process.env[RUN_DIR_ENV];
  if (dir && existsSync(dir)) return dir;
  return (processDir ??= mkdtempSync(join(tmpdir(), 'cdktf-ai-infra-synth-')));
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

/**
 * Produces a directory once per run: `produce(dir)` fills a fresh directory; every caller (in
 * any worker) gets the path of the finished one.
 */
export function cachedDir(name: string, extra: readonly string[], produce: (dir: string) => void): string {
  const base = join(cacheDir(), `${name}-${sourceHash(extra)}`);
  const done = `${base}.d`;
  const lock = `${base}.lock`;
  for (let waited = 0; ;) {
    if (existsSync(done)) return done;
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') throw e;
    }
    // Another worker is producing it: wait, unless it died or takes far longer than a synth.
    let holder = NaN;
    try {
      holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    } catch {
      // the holder has not written its pid yet
    }
    if ((holder && !alive(holder)) || waited > 300_000) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    sleep(50);
    waited += 50;
  }
  try {
    if (existsSync(done)) return done;
    const tmp = `${base}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    produce(tmp);
    renameSync(tmp, done);
    return done;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** A JSON value produced once per run (see {@link cachedDir}), parsed once per worker. */
export function cachedJson<T>(name: string, extra: readonly string[], produce: () => T): T {
  const key = `${name}\0${extra.join('\0')}`;
  if (memory.has(key)) return memory.get(key) as T;
  const dir = cachedDir(name, extra, (d) => writeFileSync(join(d, 'value.json'), JSON.stringify(produce())));
  const value = JSON.parse(readFileSync(join(dir, 'value.json'), 'utf8')) as T;
  memory.set(key, value);
  return value;
}

/**
 * The cdktf output directory (`manifest.json`, `stacks/<id>/cdk.tf.json`) of one example app
 * (`examples/<name>/main.ts`, synthesized with `Testing.app()`), once per run, with
 * `stacks.json` listing the stack ids in the order `build` returns them.
 */
export function exampleOutdir(name: string): { outdir: string; stackIds: string[] } {
  const outdir = cachedDir(`example-${name}`, [], (dir) => {
    // Loaded only on a miss: a test file that reads the cache does not load the library.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { Testing } = require('cdktf') as typeof import('cdktf');
    const { build } = require(join(ROOT, 'examples', name, 'main')) as {
      build: (app: import('cdktf').App) => import('cdktf').TerraformStack[] | void;
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
    const app = Testing.app({ outdir: dir });
    const stacks = build(app) ?? [];
    app.synth();
    writeFileSync(join(dir, 'stacks.json'), JSON.stringify(stacks.map((s) => s.node.id)));
  });
  return { outdir, stackIds: JSON.parse(readFileSync(join(outdir, 'stacks.json'), 'utf8')) };
}

/**
 * The synthesized JSON of each stack of an example app, in `build` order, with the checkout's
 * absolute path replaced by `<cwd>` (as `synthApp` in test/util.ts does).
 */
export function exampleJson(name: string): Array<{ id: string; json: Record<string, any> }> {
  const { outdir, stackIds } = exampleOutdir(name);
  return stackIds.map((id) => ({
    id,
    json: JSON.parse(
      readFileSync(join(outdir, 'stacks', id, 'cdk.tf.json'), 'utf8')
        .split(process.cwd())
        .join('<cwd>'),
    ),
  }));
}
