import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { ValidationError } from '../core/errors';
import type { CostEstimateSummary } from '../core/pricing';

/** One synthesized stack, as read from `cdktf.out/`. */
export interface SynthesizedStack {
  /** The stack name (its construct id). */
  readonly name: string;
  /** Names of the stacks this one is deployed after (`addDependency` and cross-stack references). */
  readonly dependencies: readonly string[];
  /** The stack's Terraform JSON (`cdk.tf.json`). */
  readonly terraform: TerraformJson;
  /** The stack's cost estimate, when it has one (see `CostEstimate`). */
  readonly costEstimate?: CostEstimateSummary;
}

/** The parts of a `cdk.tf.json` the report reads. */
export interface TerraformJson {
  /** Resources by type, then by logical name. */
  readonly resource?: Record<string, Record<string, TerraformBlock>>;
  /** Data sources by type, then by logical name. */
  readonly data?: Record<string, Record<string, TerraformBlock>>;
  /** Provider configurations by provider name (each a list of aliases). */
  readonly provider?: Record<string, unknown>;
  /** Outputs by name. */
  readonly output?: Record<string, TerraformOutputBlock>;
  /** The comment key: cdktf and library metadata. */
  readonly '//'?: Record<string, unknown>;
}

/** An output block. */
export interface TerraformOutputBlock {
  /** The output's value expression. */
  readonly value?: unknown;
}

/** cdktf's comment on a block. */
export interface TerraformBlockComment {
  /** Where the block comes from. */
  readonly metadata?: {
    /** The construct path of the block, for example `training/Cluster/H100/Resource`. */
    readonly path?: string;
  };
}

/** A resource or data block with cdktf's metadata. */
export interface TerraformBlock {
  /** cdktf metadata: the construct path of the block. */
  readonly '//'?: TerraformBlockComment;
  /** Any other attribute. */
  readonly [attribute: string]: unknown;
}

/**
 * Reads a cdktf output directory (`cdktf.out/`, written by `cdktf synth`): every stack in
 * `manifest.json` with its dependencies, Terraform JSON and cost estimate, in deployment order
 * (a stack after the stacks it depends on; otherwise by name).
 *
 * @param outdir the output directory, for example `cdktf.out`
 * @param stackNames only these stacks (in this order)
 * @default stackNames - every stack in the manifest
 */
export function readSynthOutput(outdir: string, stackNames?: readonly string[]): SynthesizedStack[] {
  const manifestPath = join(outdir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new ValidationError(
      `'outdir' (${outdir}) has no manifest.json: run \`cdktf synth\` first, or pass the directory it wrote (--output).`,
    );
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    stacks: Record<string, { name: string; dependencies?: string[]; synthesizedStackPath: string }>;
  };
  const names = stackNames ?? deploymentOrder(manifest.stacks);
  return names.map((name) => {
    const entry = manifest.stacks[name];
    if (!entry) {
      throw new ValidationError(
        `'stacks' names '${name}', which ${outdir}/manifest.json does not have; it has: ${Object.keys(manifest.stacks).join(', ')}.`,
      );
    }
    const terraform = JSON.parse(
      readFileSync(join(outdir, entry.synthesizedStackPath), 'utf8'),
    ) as TerraformJson;
    const meta = terraform['//']?.['cdktf-ai-infra'] as { costEstimate?: CostEstimateSummary } | undefined;
    return {
      name,
      dependencies: [...(entry.dependencies ?? [])].sort(),
      terraform,
      costEstimate: meta?.costEstimate,
    };
  });
}

/** Stack names with every stack after its dependencies, ties broken by name. */
export function deploymentOrder(
  stacks: Record<string, { readonly dependencies?: readonly string[] }>,
): string[] {
  const order: string[] = [];
  const pending = new Set(Object.keys(stacks).sort());
  while (pending.size > 0) {
    const ready = [...pending].find((n) => (stacks[n].dependencies ?? []).every((d) => !pending.has(d)));
    // A cycle cannot come out of cdktf (it refuses to synthesize one); keep the rest by name.
    const next = ready ?? [...pending][0];
    order.push(next);
    pending.delete(next);
  }
  return order;
}
