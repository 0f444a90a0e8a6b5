import { spawnSync } from 'child_process';
import { join } from 'path';
import { FRAGMENT_MAX_LINES, ROOT, SNIPPET_DIR, snippets, writeSnippets } from './snippets';

// Every ```ts block of README.md and docs/*.md type-checks against lib/ as a user's app would
// (package import paths mapped to lib/ by tsconfig paths), in one TypeScript program over all
// blocks (fixtures/typecheck-snippets.js: the blocks' diagnostics, as `tsc -p` reports them).
describe('TypeScript blocks in README.md and docs/*.md', () => {
  const all = snippets();

  test('are found on every page that has them, and fragments are rare and short', () => {
    expect(all.length).toBeGreaterThanOrEqual(30);
    for (const f of ['README.md', 'docs/aws.md', 'docs/gcp.md', 'docs/kubernetes.md', 'docs/core.md']) {
      expect(all.some((s) => s.file === f && !s.fragment)).toBe(true);
    }
    const long = all.filter((s) => s.fragment && s.code.split('\n').length > FRAGMENT_MAX_LINES);
    expect(long.map((s) => `${s.file}:${s.line}`)).toEqual([]);
  });

  test('type-check (every block that is not a fragment)', () => {
    const { tsconfig, files } = writeSnippets(all);
    const check = join(__dirname, 'fixtures', 'typecheck-snippets.js');
    const r = spawnSync(process.execPath, [check, tsconfig], { cwd: ROOT, encoding: 'utf8' });
    // Map ".build/snippets/aws-L26.ts(12,17): error ..." back to the Markdown file and line.
    const errors = `${r.stdout}${r.stderr}`
      .split('\n')
      .filter((l) => /error TS\d+/.test(l))
      .map((l) => {
        const m = /([\w.-]+\.ts)\((\d+),\d+\)/.exec(l);
        const s = m ? files.get(m[1]) : undefined;
        return s ? `${s.file} (block at line ${s.line}): ${l.replace(SNIPPET_DIR, '')}` : l;
      });
    expect(errors).toEqual([]);
    expect(r.status).toBe(0);
  }, 180_000);
});
