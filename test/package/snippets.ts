import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { basename, join, relative } from 'path';

/**
 * The TypeScript blocks of README.md and docs/*.md, written as one module each to
 * .build/snippets/ with a tsconfig whose `paths` map `cdktf-ai-infra` and
 * `cdktf-ai-infra/<module>` to lib/, so one `tsc` run type-checks every block as a user's app
 * would compile it.
 *
 * Two markers, both documented in the README (Development):
 * - `<!-- snippet-setup: ... -->`, once per page, first line prose, then TypeScript: imports and
 *   `declare const` lines for the names the page's blocks use without declaring them (`stack`,
 *   `cluster`, ...). It is prepended to every block of the page that has no import of its own;
 *   the block's body goes in a `{ }` scope so it may redeclare a name the setup declares.
 *   A block with imports is a whole program and is checked as written.
 * - ```` ```ts fragment ````: a block that is deliberately not a program (for example a line to
 *   add to an app shown elsewhere) and is not checked. Fragments must be short
 *   (FRAGMENT_MAX_LINES lines), so a whole example cannot hide behind the marker.
 */
export const ROOT = join(__dirname, '..', '..');
export const SNIPPET_DIR = join(ROOT, '.build', 'snippets');
export const FRAGMENT_MAX_LINES = 6;

export interface Snippet {
  /** Markdown file, relative to the repository root. */
  readonly file: string;
  /** Line of the opening fence (1-based). */
  readonly line: number;
  readonly code: string;
  readonly fragment: boolean;
  /** The page's snippet-setup code, if it has one. */
  readonly setup?: string;
}

export function markdownFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f));
  return ['README.md', ...docs.sort()];
}

export function snippets(): Snippet[] {
  const out: Snippet[] = [];
  for (const file of markdownFiles()) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const setupMatch = /^<!-- snippet-setup:[^\n]*\n([\s\S]*?)^-->$/m.exec(text);
    const setup = setupMatch?.[1];
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const open = /^```(ts|typescript)(\s+\S.*)?$/.exec(lines[i]);
      if (!open) continue;
      const end = lines.indexOf('```', i + 1);
      if (end < 0) throw new Error(`${file}:${i + 1}: unterminated code block`);
      out.push({
        file,
        line: i + 1,
        code: lines.slice(i + 1, end).join('\n'),
        fragment: (open[2] ?? '').trim() === 'fragment',
        setup,
      });
      i = end;
    }
  }
  return out;
}

/** Writes every non-fragment block and the tsconfig; returns the tsconfig path and the file map. */
export function writeSnippets(all: readonly Snippet[]): { tsconfig: string; files: Map<string, Snippet> } {
  rmSync(SNIPPET_DIR, { recursive: true, force: true });
  mkdirSync(SNIPPET_DIR, { recursive: true });
  const files = new Map<string, Snippet>();
  for (const s of all.filter((x) => !x.fragment)) {
    const name = `${basename(s.file, '.md')}-L${s.line}.ts`;
    // Each block is its own module, so top-level names of two blocks never collide.
    const whole = /^\s*(import|export)\s/m.test(s.code);
    const code = whole ? s.code : `${s.setup ?? ''}\nexport {};\n// ${s.file}:${s.line}\n{\n${s.code}\n}`;
    writeFileSync(join(SNIPPET_DIR, name), `${code}\n`);
    files.set(name, s);
  }
  const lib = relative(SNIPPET_DIR, join(ROOT, 'lib'));
  const tsconfig = join(SNIPPET_DIR, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify(
      {
        extends: relative(SNIPPET_DIR, join(ROOT, 'tsconfig.json')),
        compilerOptions: {
          noEmit: true,
          rootDir: relative(SNIPPET_DIR, ROOT),
          // A snippet shows one construct; names it declares for the reader may go unused.
          noUnusedLocals: false,
          types: ['node'],
          paths: {
            'cdktf-ai-infra': [`${lib}/index.ts`],
            'cdktf-ai-infra/*': [`${lib}/*/index.ts`],
          },
        },
        include: ['*.ts'],
      },
      null,
      2,
    ),
  );
  return { tsconfig, files };
}
