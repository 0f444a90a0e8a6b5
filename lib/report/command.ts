import { renderPullRequestComment } from './pull-request';
import { readSynthOutput } from './synth-output';

const USAGE =
  'usage: cdktf-ai-infra-report [outdir (default cdktf.out)] [--stacks a,b] [--no-cost] [--no-diagram] [--title text] [--base base-outdir] [--list]';

/**
 * `cdktf-ai-infra-report [outdir] [--stacks a,b] [--no-cost] [--no-diagram] [--title text]`:
 * writes the pull-request Markdown (cost tables and Mermaid diagram) of a synthesized app.
 * With `--base <outdir>` (the base branch's synth output) it adds the monthly cost change per
 * stack. With `--list` it writes the stack names instead, one per line in deployment order (a stack
 * after the stacks it depends on), for a CI loop of `cdktf diff` or `cdktf deploy`.
 *
 * @param argv the arguments after the command name
 * @param out receives the Markdown
 * @param err receives errors and usage
 * @returns the exit code: 0, or 2 for bad arguments or a missing or unknown output directory or stack
 */
export function runReportCommand(
  argv: readonly string[],
  out: (s: string) => void,
  err: (s: string) => void,
): number {
  let outdir = 'cdktf.out';
  let stacks: string[] | undefined;
  let cost = true;
  let diagram = true;
  let title: string | undefined;
  let list = false;
  let baseOutdir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--stacks' && argv[i + 1]) stacks = argv[++i].split(',').filter(Boolean);
    else if (a === '--title' && argv[i + 1]) title = argv[++i];
    else if (a === '--base' && argv[i + 1]) baseOutdir = argv[++i];
    else if (a === '--no-cost') cost = false;
    else if (a === '--no-diagram') diagram = false;
    else if (a === '--list') list = true;
    else if (a === '--help' || a === '-h') {
      out(`${USAGE}\n`);
      return 0;
    } else if (!a.startsWith('--')) outdir = a;
    else {
      err(`unknown argument '${a}'\n${USAGE}\n`);
      return 2;
    }
  }
  try {
    const synthesized = readSynthOutput(outdir, stacks);
    out(
      list
        ? synthesized.map((s) => `${s.name}\n`).join('')
        : renderPullRequestComment(synthesized, {
            cost,
            diagram,
            title,
            base: baseOutdir === undefined ? undefined : readSynthOutput(baseOutdir),
          }),
    );
    return 0;
  } catch (e) {
    err(`${(e as Error).message}\n`);
    return 2;
  }
}
