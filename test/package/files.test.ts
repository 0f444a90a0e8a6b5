import { spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { dirname, join, normalize } from 'path';
import { markdownFiles } from './snippets';

// What `npm pack` ships: a whitelist (package.json `files`), with the docs the README links to.
const ROOT = join(__dirname, '..', '..');
const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^CHANGELOG\.md$/,
  /^dist\/.+\.(js|js\.map|d\.ts)$/,
  /^docs\/.+\.md$/,
  /^docs\/ci\/[^/]+\.yml$/,
];

function packList(): string[] {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`npm pack --dry-run failed: ${r.stderr}`);
  return (JSON.parse(r.stdout)[0].files as { path: string }[]).map((f) => f.path);
}

/** Relative links of a Markdown file, resolved against the repository root. */
function relativeLinks(file: string): { link: string; target: string }[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/\]\(([^)\s#]+)(#[^)]*)?\)/g)]
    .map((m) => m[1])
    .filter((l) => !/^[a-z]+:/.test(l))
    .map((link) => ({ link, target: normalize(join(dirname(file), link)) }));
}

describe('npm package contents', () => {
  const files = packList();

  test('ships only whitelisted paths (no cdktf.out, tests, examples, configs)', () => {
    expect(files.filter((f) => !ALLOWED.some((r) => r.test(f)))).toEqual([]);
    for (const f of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'docs/ci/github-actions.yml']) {
      expect(files).toContain(f);
    }
  });

  test('ships every docs page, so README links resolve in node_modules/cdktf-ai-infra', () => {
    for (const f of markdownFiles()) expect(files).toContain(f);
  });

  test('every relative link to a Markdown page or the workflow in README.md and docs/*.md is shipped', () => {
    const broken = markdownFiles().flatMap((f) =>
      relativeLinks(f)
        .filter(({ target }) => /\.(md|yml)$/.test(target))
        .filter(({ target }) => !files.includes(target) || !existsSync(join(ROOT, target)))
        .map(({ link }) => `${f} -> ${link}`),
    );
    expect(broken).toEqual([]);
  });

  test('package.json points the registry page at the repository (README links resolve there too)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.repository).toEqual({
      type: 'git',
      url: 'git+https://github.com/cdktf-ai-infra/cdktf-ai-infra.git',
    });
    expect(pkg.homepage).toBe('https://github.com/cdktf-ai-infra/cdktf-ai-infra#readme');
    expect(pkg.bugs).toEqual({ url: 'https://github.com/cdktf-ai-infra/cdktf-ai-infra/issues' });
  });

  test('the version is the newest released section of CHANGELOG.md', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const changelog = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8');
    const released = [...changelog.matchAll(/^## (\d+\.\d+\.\d+) - (\d{4}-\d{2}-\d{2})$/gm)];
    expect(released.length).toBeGreaterThan(0);
    expect(pkg.version).toBe(released[0][1]);
    expect(changelog.indexOf('## Unreleased')).toBeLessThan(released[0].index!);
  });
});
