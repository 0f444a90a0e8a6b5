/**
 * docs/architectures.md: a Mermaid diagram and the cost tables of every example app, generated
 * from its synthesized stacks by lib/report. `npm run docs:architectures` writes the file;
 * test/package/architectures.test.ts regenerates it and fails when the file differs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, TerraformStack } from 'cdktf';
import { readSynthOutput, renderCostTables, renderDiagram } from '../lib/report';

const ROOT = join(__dirname, '..');
export const ARCHITECTURES_MD = join(ROOT, 'docs', 'architectures.md');

/** The example folders, in the order examples/app.ts synthesizes them. */
export function exampleNames(): string[] {
  const app = readFileSync(join(ROOT, 'examples', 'app.ts'), 'utf8');
  const imported = new Map(
    [...app.matchAll(/import \{ build as (\w+) \} from '\.\/([a-z0-9-]+)\/main'/g)].map((m) => [m[1], m[2]]),
  );
  return [...app.matchAll(/^(\w+)\(app\);$/gm)].map((m) => imported.get(m[1])!).filter(Boolean);
}

function firstParagraph(name: string): string {
  const src = readFileSync(join(ROOT, 'examples', name, 'main.ts'), 'utf8');
  const doc = /\/\*\*([\s\S]*?)\*\//.exec(src)?.[1] ?? '';
  const text = doc
    .split('\n')
    .map((l) => l.replace(/^\s*\*\s?/, ''))
    .join('\n')
    .trim()
    .split(/\n\s*\n/)[0];
  const sentence = text.replace(/\s*\n\s*/g, ' ').replace(new RegExp(`^${name}: `), '');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/** Where an example was synthesized: its cdktf output directory and its stack ids in `build` order. */
export interface SynthesizedExample {
  readonly outdir: string;
  readonly stackIds: string[];
}

/** Synthesizes one example into a temporary directory, calls `use` with it, then removes it. */
function synthesizeExample<T>(name: string, use: (s: SynthesizedExample) => T): T {
  const outdir = mkdtempSync(join(tmpdir(), `arch-${name}-`));
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { build } = require(join(ROOT, 'examples', name, 'main')) as {
      build: (app: App) => TerraformStack[];
    };
    const app = new App({ outdir });
    const stacks = build(app);
    app.synth();
    return use({ outdir, stackIds: stacks.map((s) => s.node.id) });
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Renders the section of one example. `synthesized` is where it was synthesized; by default it
 * is synthesized into a temporary directory (the test passes the jest run's shared synthesis).
 */
export function renderExample(name: string, synthesized?: SynthesizedExample): string {
  if (!synthesized) return synthesizeExample(name, (s) => renderExample(name, s));
  const stacks = readSynthOutput(synthesized.outdir, synthesized.stackIds);
  return [
    `## ${name}`,
    '',
    firstParagraph(name),
    '',
    `Stacks: ${stacks.map((s) => `\`${s.name}\``).join(', ')}. Source: \`examples/${name}/main.ts\`.`,
    '',
    '```mermaid',
    renderDiagram(stacks).trimEnd(),
    '```',
    '',
    renderCostTables(stacks).trimEnd(),
    '',
  ].join('\n');
}

/**
 * The whole of docs/architectures.md. `synthesize` returns where an example was synthesized
 * (default: a fresh synthesis into a temporary directory per example).
 */
export function renderArchitectures(synthesize?: (name: string) => SynthesizedExample): string {
  const names = exampleNames();
  return [
    '# Reference architectures',
    '',
    'Generated from the synthesized stacks of every example app by `npm run docs:architectures`',
    '(do not edit by hand: `test/package/architectures.test.ts` regenerates this page and fails',
    'when it differs). The same diagram and cost tables of your own app are printed by',
    '`npx cdktf-ai-infra-report cdktf.out` after `cdktf synth` (see [deploy-from-ci.md](deploy-from-ci.md)).',
    '',
    'How to read a diagram: one box per stack, inside it one box per role (network, compute,',
    'identity and keys, storage and registries, observability, cost, kubernetes, providers) and',
    'one node per top-level construct with the Terraform types it defines (`x2`: two of them).',
    'A solid arrow `A --> B` is a reference: a resource of A reads an attribute of B (across',
    'stacks through cdktf cross-stack outputs). A dotted arrow between stacks is the deployment',
    'order: the first stack is deployed after the second.',
    '',
    "Cost tables come from each stack's cost estimate (`CostEstimate`, `lib/core/pricing.ts`):",
    'dated, sourced on-demand prices; spot lines at an assumed fraction of on-demand.',
    '',
    ...names.map((n) => `- [${n}](#${n})`),
    '',
    ...names.map((n) => renderExample(n, synthesize?.(n))),
  ].join('\n');
}

if (require.main === module) {
  const text = renderArchitectures();
  if (process.argv.includes('--write')) {
    writeFileSync(ARCHITECTURES_MD, text);
    console.log(`wrote ${ARCHITECTURES_MD}`);
  } else {
    process.stdout.write(text);
  }
}
