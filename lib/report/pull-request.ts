import { renderCostChange, renderCostTables } from './cost-table';
import { renderDiagram } from './diagram';
import type { SynthesizedStack } from './synth-output';

/** What {@link renderPullRequestComment} includes. */
export interface PullRequestCommentOptions {
  /**
   * Include the cost tables.
   * @default true
   */
  readonly cost?: boolean;
  /**
   * Include the Mermaid diagram.
   * @default true
   */
  readonly diagram?: boolean;
  /**
   * The app before the change (the base branch's synth output): adds the cost change per stack.
   * @default - no comparison
   */
  readonly base?: readonly SynthesizedStack[];
  /**
   * A heading for the comment.
   * @default 'cdktf-ai-infra: cost and architecture'
   */
  readonly title?: string;
}

/**
 * The Markdown a CI job posts on a pull request: a title, the cost tables and the Mermaid
 * diagram (GitHub renders ```mermaid blocks), each in a collapsible section after the first.
 *
 * @param stacks stacks read by {@link readSynthOutput}
 */
export function renderPullRequestComment(
  stacks: readonly SynthesizedStack[],
  options: PullRequestCommentOptions = {},
): string {
  const parts = [`### ${options.title ?? 'cdktf-ai-infra: cost and architecture'}`, ''];
  if (options.cost ?? true) {
    if (options.base) {
      parts.push(renderCostChange(stacks, options.base));
    }
    parts.push(renderCostTables(stacks));
  }
  if (options.diagram ?? true) {
    parts.push(
      '<details><summary>Architecture (generated from the synthesized stacks)</summary>',
      '',
      '```mermaid',
      renderDiagram(stacks).trimEnd(),
      '```',
      '',
      '</details>',
      '',
    );
  }
  return parts.join('\n');
}
