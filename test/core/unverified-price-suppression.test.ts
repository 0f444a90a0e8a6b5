import { readFileSync } from 'fs';
import { join } from 'path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';
import { CheckpointStore, EksCluster, LustreWeightCache } from '../../lib/aws';
import { CostEstimate, PricingModel, SUPPRESSED_WARNINGS_CONTEXT, Warnings } from '../../lib/core';
import { network } from '../aws/util';
import { synthJson, warningsWithId } from '../util';

// `cost-unverified-price` is added at synth on the construct that owns the cost line, so it can be
// suppressed on that construct after creating it (as on its ancestors, the stack or the context
// key), and only that line's warning goes.

const ID = 'cost-unverified-price';
const CKPT_ITEM = 'FSx for Lustre PERSISTENT_2, 1200 GiB at 250 MB/s/TiB';
const CACHE_ITEM = 'FSx for Lustre PERSISTENT_2, 1200 GiB at 500 MB/s/TiB';

/** A cluster stack with two FSx file systems, both priced with VERIFY sources. */
function twoFileSystems(context: Record<string, unknown> = {}) {
  const app = Testing.app({ context });
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  const cluster = new EksCluster(stack, 'Cluster', { network: network(stack) });
  const checkpoints = new CheckpointStore(stack, 'Checkpoints', { cluster, lustre: { capacityGiB: 1200 } });
  const cache = new LustreWeightCache(stack, 'ModelCache', { cluster, bucketName: 'models-123' });
  return { app, stack, checkpoints, cache };
}

/** Where each `cost-unverified-price` warning is, by the FSx item it names. */
function warnedAt(stack: TerraformStack): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of stack.node.findAll()) {
    for (const m of c.node.metadata) {
      const text = String(m.data);
      if (m.type !== '@cdktf/warn' || !text.startsWith(`[cdktf-ai-infra:${ID}]`)) continue;
      const item = /prices '([^']+)'/.exec(text)![1];
      if (item.startsWith('FSx')) out[item] = c.node.path;
    }
  }
  return out;
}

describe('cost-unverified-price', () => {
  test('the FSx lines are unverified prices (the premise of these tests)', () => {
    const { stack } = twoFileSystems();
    for (const item of [CKPT_ITEM, CACHE_ITEM]) {
      expect(CostEstimate.of(stack).lines.find((l) => l.item === item)?.unitPrice.source).toMatch(/^VERIFY/);
    }
  });

  test('is added at synth, once per line, on the construct that owns the line', () => {
    const { stack } = twoFileSystems();
    expect(warnedAt(stack)).toEqual({});
    synthJson(stack);
    synthJson(stack); // aspects run again: no second copy
    expect(warnedAt(stack)).toEqual({
      [CKPT_ITEM]: 'test/Checkpoints/FileSystem',
      [CACHE_ITEM]: 'test/ModelCache/Resource',
    });
    expect(warningsWithId(stack, ID).filter((w) => w.includes("'FSx"))).toHaveLength(2);
  });

  test('Warnings.suppress on the owning construct, after creating it, silences that line only', () => {
    const { stack, checkpoints } = twoFileSystems();
    Warnings.suppress(checkpoints, ID, 'FSx price checked on the rate card, 2026-12-04');
    synthJson(stack);
    expect(warnedAt(stack)).toEqual({ [CACHE_ITEM]: 'test/ModelCache/Resource' });
  });

  test('on the construct named by the line too (the file system below the cache)', () => {
    const { stack, cache } = twoFileSystems();
    Warnings.suppress(cache.node.findChild('Resource'), ID, 'FSx price checked on the rate card');
    synthJson(stack);
    expect(warnedAt(stack)).toEqual({ [CKPT_ITEM]: 'test/Checkpoints/FileSystem' });
  });

  test('still on the stack (after creating the constructs) and with the context key', () => {
    const after = twoFileSystems();
    Warnings.suppress(after.stack, ID, 'every price checked by hand');
    synthJson(after.stack);
    expect(warnedAt(after.stack)).toEqual({});

    const ctx = twoFileSystems({ [SUPPRESSED_WARNINGS_CONTEXT]: [ID] });
    synthJson(ctx.stack);
    expect(warnedAt(ctx.stack)).toEqual({});
  });

  test('reaches the synth manifest (what `cdktf synth` prints) at the owning construct', () => {
    const { app, checkpoints } = twoFileSystems();
    Warnings.suppress(checkpoints, ID, 'FSx price checked on the rate card');
    (app as App).synth();
    const manifest = JSON.parse(readFileSync(join(app.outdir, 'manifest.json'), 'utf8'));
    const annotations: Array<{ constructPath: string; message: string }> = manifest.stacks.test.annotations;
    expect(
      annotations.filter((a) => a.message.startsWith(`[cdktf-ai-infra:${ID}]`) && a.message.includes("'FSx")),
    ).toEqual([expect.objectContaining({ constructPath: 'test/ModelCache/Resource' })]);
  });

  test('a line whose path names no construct warns on its nearest ancestor in the stack, else the stack', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const e = CostEstimate.of(stack);
    const line = (constructPath: string) => ({
      constructPath,
      item: `item at ${constructPath}`,
      minQuantity: 1,
      maxQuantity: 1,
      unitPrice: {
        usd: 1,
        region: 'us-east-1',
        asOf: '2025-06-01',
        source: 'VERIFY: https://example.com/pricing',
      },
      pricingModel: PricingModel.ON_DEMAND,
    });
    new TerraformStack(stack.node.root, 'other');
    e.add(line('test/Missing/Deeper'));
    e.add(line('other/Thing'));
    e.add(line('test'));
    synthJson(stack);
    const at = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map(() => c.node.path));
    expect(at).toEqual(['test', 'test', 'test']);
  });
});
