import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { App, TerraformStack } from 'cdktf';
import { COST_ESTIMATE_METADATA_PATH, CostEstimate, PricingModel, ValidationError } from '../../lib/core';
import {
  SynthesizedStack,
  readSynthOutput,
  renderCostChange,
  renderCostTables,
  renderDiagram,
  renderPullRequestComment,
  roleOf,
  runReportCommand,
} from '../../lib/report';

const PRICE = { usd: 10, region: 'us-east-1', asOf: '2026-11-22', source: 'test catalogue' };

/** Two stacks: `infra` (a bucket, its policy, a priced pool) and `apps` (reads the bucket's ARN). */
function synthesize(): { outdir: string; stacks: SynthesizedStack[] } {
  const outdir = mkdtempSync(join(tmpdir(), 'report-'));
  const app = new App({ outdir });
  const infra = new TerraformStack(app, 'infra');
  new AwsProvider(infra, 'aws', { region: 'us-east-1' });
  const bucket = new S3Bucket(infra, 'Bucket', { bucket: 'b' });
  new S3BucketPolicy(infra, 'Policy', { bucket: bucket.id, policy: '{}' });
  const estimate = CostEstimate.of(infra);
  estimate.add({
    constructPath: 'infra/Pool',
    item: 'g6e.12xlarge',
    minQuantity: 1,
    maxQuantity: 3,
    unitPrice: PRICE,
    pricingModel: PricingModel.ON_DEMAND,
  });
  estimate.add({
    constructPath: 'infra/Spot',
    item: 'g5.2xlarge',
    minQuantity: 0,
    maxQuantity: 2,
    unitPrice: { ...PRICE, usd: 1 },
    pricingModel: PricingModel.SPOT,
  });
  const apps = new TerraformStack(app, 'apps');
  new AwsProvider(apps, 'aws', { region: 'us-east-1' });
  new SnsTopic(apps, 'Topic', { name: bucket.arn });
  app.synth();
  return { outdir, stacks: readSynthOutput(outdir) };
}

describe('report', () => {
  const { outdir, stacks } = synthesize();
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const [infra, apps] = stacks;

  test('a stack carries its cost estimate under the // key of its synthesized JSON', () => {
    const json = JSON.parse(readFileSync(join(outdir, 'stacks', 'infra', 'cdk.tf.json'), 'utf8'));
    const [root, ns, key] = COST_ESTIMATE_METADATA_PATH.split('.');
    expect(json[root][ns][key]).toEqual(infra.costEstimate);
    expect(infra.costEstimate).toMatchObject({
      spotFractionOfOnDemand: 0.4,
      monthlyUsd: { min: 7300, max: 22484 },
      lines: [
        { item: 'g6e.12xlarge', hoursPerMonth: 730, monthlyUsd: { min: 7300, max: 21900 } },
        { item: 'g5.2xlarge', hoursPerMonth: 730, monthlyUsd: { min: 0, max: 584 } },
      ],
    });
    expect(apps.costEstimate).toBeUndefined();
  });

  test('reads stacks in deployment order with their dependencies (cross-stack references included)', () => {
    expect(stacks.map((s) => [s.name, s.dependencies])).toEqual([
      ['infra', []],
      ['apps', ['infra']],
    ]);
    expect(readSynthOutput(outdir, ['apps']).map((s) => s.name)).toEqual(['apps']);
  });

  test('throws a ValidationError for a directory without manifest.json or an unknown stack', () => {
    expect(() => readSynthOutput(join(outdir, 'stacks'))).toThrow(ValidationError);
    expect(() => readSynthOutput(join(outdir, 'stacks'))).toThrow(/run `cdktf synth` first/);
    expect(() => readSynthOutput(outdir, ['nope'])).toThrow(/names 'nope'.*it has: apps, infra/);
  });

  test('cost table: one row per line with quantity, unit price, monthly range and assumptions', () => {
    const md = renderCostTables(stacks);
    expect(md).toContain('**Monthly cost estimate: $7,300 - $22,484**');
    expect(md).toContain('#### infra: $7,300 - $22,484 per month');
    expect(md).toContain(
      '| `Pool` g6e.12xlarge | 1 - 3 | $10.000/h [1] | $7,300 - $21,900 | on-demand; 730 h/month; 1 at minimum scale, 3 at maximum; us-east-1 price of 2026-11-22 |',
    );
    expect(md).toContain('spot at 40% of on-demand (an assumption, not a quote)');
    expect(md).toContain('| **total** | | | **$7,300 - $22,484** | |');
    expect(md).toContain('No cost lines: `apps`.');
    expect(md).toContain('[1] test catalogue');
    expect(renderCostTables([apps])).toBe('No cost estimate: no stack (`apps`) defines a priced resource.\n');
  });

  test('cost change against a base: per stack and total, new and removed stacks, unchanged ones left out', () => {
    const stackOf = (name: string, min: number, max: number): SynthesizedStack => ({
      name,
      dependencies: [],
      terraform: {},
      costEstimate: { spotFractionOfOnDemand: 0.4, lines: [], monthlyUsd: { min, max } },
    });
    const base = [stackOf('infra', 7300, 10000), stackOf('old', 100, 100), { ...apps }];
    const md = renderCostChange(stacks, base);
    expect(md).toContain('**Monthly cost change: -$100 / +$12,384** (minimum / maximum scale)');
    expect(md).toContain('| `infra` | $7,300 - $10,000 | $7,300 - $22,484 | $0 / +$12,484 |');
    expect(md).toContain('| `old` (removed) | $100 | $0 | -$100 / -$100 |');
    expect(md).not.toContain('`apps`');
    expect(md).toContain('| **total** | $7,400 - $10,100 | $7,300 - $22,484 | **-$100 / +$12,384** |');
    expect(renderCostChange(stacks, stacks)).toBe(
      '**Monthly cost change: none** ($7,300 - $22,484 before and after)\n',
    );
    expect(renderPullRequestComment(stacks, { base })).toContain('**Monthly cost change:');
  });

  test("cost change: the cost tables' formatting (cents below $10, thousands separators), no $0 for a small change", () => {
    const stackOf = (name: string, min: number, max: number): SynthesizedStack => ({
      name,
      dependencies: [],
      terraform: {},
      costEstimate: { spotFractionOfOnDemand: 0.4, lines: [], monthlyUsd: { min, max } },
    });
    // a secret added: $0.40 a month; a key: $1.00 -> $1.30; a large stack: +$0.45 on $12,345.60
    const base = [stackOf('keys', 1, 1), stackOf('big', 12345.6, 12345.6)];
    const head = [stackOf('keys', 1.3, 1.3), stackOf('big', 12346.05, 12346.05), stackOf('secret', 0.4, 0.4)];
    const md = renderCostChange(head, base);
    expect(md).toContain('**Monthly cost change: +$1.15 / +$1.15** (minimum / maximum scale)');
    expect(md).toContain('| `keys` | $1.00 | $1.30 | +$0.30 / +$0.30 |');
    expect(md).toContain('| `big` | $12,346 | $12,346 | +$0.45 / +$0.45 |');
    expect(md).toContain('| `secret` (new) | $0 | $0.40 | +$0.40 / +$0.40 |');
    expect(md).toContain('| **total** | $12,347 | $12,348 | **+$1.15 / +$1.15** |');
    // a decrease keeps its sign and cents; less than half a cent is no change
    expect(renderCostChange([stackOf('keys', 0.6, 0.6)], [stackOf('keys', 1, 1)])).toContain(
      '| `keys` | $1.00 | $0.60 | -$0.40 / -$0.40 |',
    );
    expect(renderCostChange([stackOf('keys', 1.004, 1.004)], [stackOf('keys', 1, 1)])).toBe(
      '**Monthly cost change: none** ($1.00 before and after)\n',
    );
  });

  test('diagram: stacks and roles as subgraphs, references and deployment order as arrows', () => {
    const d = renderDiagram(stacks);
    expect(d.split('\n')[0]).toBe('flowchart TB');
    expect(d).toContain('subgraph infra["stack infra"]');
    expect(d).toContain('subgraph infra__storage_and_registries["storage and registries"]');
    expect(d).toContain('infra__storage_and_registries__Bucket["<b>Bucket</b><br/>aws_s3_bucket"]');
    // the policy reads the bucket's id
    expect(d).toContain('infra__storage_and_registries__Policy --> infra__storage_and_registries__Bucket');
    // across stacks, through the cross-stack output and remote state
    expect(d).toContain('apps__observability__Topic --> infra__storage_and_registries__Bucket');
    expect(d).toContain('apps -. deployed after .-> infra');
    expect(d).not.toContain('terraform_remote_state');
  });

  test.each([
    ['aws_eks_node_group', 'compute'],
    ['aws_nat_gateway', 'network'],
    ['aws_iam_role', 'identity and keys'],
    ['google_storage_bucket_iam_member', 'identity and keys'],
    ['aws_caller_identity', 'identity and keys'],
    ['google_container_node_pool', 'compute'],
    ['aws_fsx_lustre_file_system', 'storage and registries'],
    ['google_monitoring_alert_policy', 'observability'],
    ['aws_budgets_budget', 'cost'],
    ['helm_release', 'kubernetes'],
    ['random_id', 'other'],
  ])('roleOf(%s) is %s', (type, role) => {
    expect(roleOf(type)).toBe(role);
  });

  test('pull-request comment: title, cost tables and a mermaid block; each part can be left out', () => {
    const md = renderPullRequestComment(stacks);
    expect(md).toMatch(/^### cdktf-ai-infra: cost and architecture\n/);
    expect(md).toContain('```mermaid\nflowchart TB\n');
    expect(renderPullRequestComment(stacks, { diagram: false })).not.toContain('mermaid');
    expect(renderPullRequestComment(stacks, { cost: false })).not.toContain('Monthly cost estimate');
  });

  test('the cdktf-ai-infra-report command prints the comment; exit 2 without a synth output', () => {
    const cli = (...args: string[]) => {
      const io = { out: '', err: '' };
      const status = runReportCommand(
        args,
        (x) => (io.out += x),
        (x) => (io.err += x),
      );
      return { status, ...io };
    };
    const ok = cli(outdir, '--stacks', 'infra', '--no-diagram', '--title', 'Plan');
    expect(ok.status).toBe(0);
    expect(ok.out).toMatch(/^### Plan\n/);
    expect(ok.out).toContain('#### infra:');
    expect(ok.out).not.toContain('mermaid');
    const missing = cli(join(outdir, 'nothing'));
    expect(missing.status).toBe(2);
    expect(missing.err).toContain('has no manifest.json');
    expect(cli('--bogus')).toMatchObject({ status: 2, err: expect.stringContaining('usage:') });
    expect(cli(outdir, '--base', outdir).out).toContain('**Monthly cost change: none**');
    expect(cli(outdir, '--list')).toMatchObject({ status: 0, out: 'infra\napps\n' });
    expect(cli('--help')).toMatchObject({ status: 0, out: expect.stringContaining('usage:') });
  });
});
