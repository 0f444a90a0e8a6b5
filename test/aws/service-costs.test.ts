import { CheckpointStore, LustreWeightCache } from '../../lib/aws';
import { CostEstimate, CostLine, HOURS_PER_MONTH } from '../../lib/core';
import { renderCostTables } from '../../lib/report';
import { awsStack, clusterStack, network, warnings } from './util';

// Cost lines besides the GPU nodes (issue 11 §4): NAT gateways, the EKS control plane, the
// system node group and its root volumes, FSx for Lustre, and S3 buckets as assumption lines.

const lineOf = (lines: readonly CostLine[], item: string) => lines.find((l) => l.item === item)!;
const monthly = (l: CostLine, at: 'min' | 'max' = 'max') =>
  (at === 'min' ? l.minQuantity : l.maxQuantity) * l.unitPrice.usd * HOURS_PER_MONTH;

describe('AWS cost lines besides the GPU nodes', () => {
  const { stack, cluster } = clusterStack();
  new CheckpointStore(stack, 'Checkpoints', { cluster, lustre: { capacityGiB: 1200 } });
  new LustreWeightCache(stack, 'ModelCache', { cluster, bucketName: 'models-123' });
  const lines = CostEstimate.of(stack).lines;

  test('a NAT gateway and its Elastic IP per availability zone by default', () => {
    expect(lineOf(lines, 'NAT gateway')).toMatchObject({
      constructPath: 'test/Network',
      minQuantity: 2,
      maxQuantity: 2,
      unitPrice: { usd: 0.045, region: 'us-east-1', asOf: '2026-08-21' },
      pricingModel: 'ON_DEMAND',
    });
    expect(lineOf(lines, 'NAT gateway').assumption).toMatch(/data processed .* not included/);
    expect(lineOf(lines, 'public IPv4 address (NAT gateway Elastic IP)')).toMatchObject({
      minQuantity: 2,
      maxQuantity: 2,
      unitPrice: { usd: 0.005 },
    });
  });

  test('one NAT gateway with natGatewayPerAz: false', () => {
    const s = awsStack();
    network(s, { natGatewayPerAz: false });
    expect(lineOf(CostEstimate.of(s).lines, 'NAT gateway')).toMatchObject({ minQuantity: 1, maxQuantity: 1 });
  });

  test('the EKS control plane (standard support)', () => {
    expect(lineOf(lines, 'EKS cluster (standard support)')).toMatchObject({
      constructPath: 'test/Cluster',
      minQuantity: 1,
      maxQuantity: 1,
      unitPrice: { usd: 0.1 },
    });
  });

  test('the system node group (default m6i.large, 2 to 4) and a 50 GiB gp3 root volume per node', () => {
    expect(lineOf(lines, 'm6i.large')).toMatchObject({
      constructPath: 'test/Cluster/SystemNodeGroup',
      minQuantity: 2,
      maxQuantity: 4,
      unitPrice: { usd: 0.096 },
      pricingModel: 'ON_DEMAND',
    });
    const root = lineOf(lines, 'gp3 root volume, 50 GiB');
    expect(root).toMatchObject({ minQuantity: 2, maxQuantity: 4 });
    expect(monthly(root, 'min')).toBeCloseTo(2 * 50 * 0.08, 6);
  });

  test('a system node type without a catalogued price: warning aws-no-price, the volumes still priced', () => {
    const c = clusterStack({ systemNodeGroup: { instanceType: 'c7g.large', minNodes: 3, maxNodes: 3 } });
    const l = CostEstimate.of(c.stack).lines;
    expect(l.find((x) => x.item === 'c7g.large')).toBeUndefined();
    expect(lineOf(l, 'gp3 root volume, 50 GiB')).toMatchObject({ minQuantity: 3, maxQuantity: 3 });
    expect(warnings(c.stack).some((w) => w.includes('aws-no-price') && w.includes('c7g.large'))).toBe(true);
  });

  test('FSx for Lustre by capacity and throughput tier', () => {
    const ckpt = lineOf(lines, 'FSx for Lustre PERSISTENT_2, 1200 GiB at 250 MB/s/TiB');
    expect(ckpt.constructPath).toBe('test/Checkpoints/FileSystem');
    expect(monthly(ckpt)).toBeCloseTo(1200 * 0.21, 6);
    const cache = lineOf(lines, 'FSx for Lustre PERSISTENT_2, 1200 GiB at 500 MB/s/TiB');
    expect(cache.constructPath).toBe('test/ModelCache/Resource');
    expect(monthly(cache)).toBeCloseTo(1200 * 0.34, 6);
  });

  test('the checkpoint bucket as an assumption line that adds nothing to the totals', () => {
    const s3 = lineOf(lines, 'S3 Standard, per 1,000 GB stored');
    expect(s3).toMatchObject({ minQuantity: 0, maxQuantity: 0 });
    expect(monthly(s3)).toBe(0);
    expect(s3.unitPrice.usd * HOURS_PER_MONTH).toBeCloseTo(23, 6);
    expect(s3.assumption).toMatch(/not in the totals: \$23 per month per 1,000 GB stored/);
  });

  test('every line has a dated price with a source', () => {
    for (const l of lines) {
      expect({ item: l.item, asOf: /^\d{4}-\d{2}-\d{2}$/.test(l.unitPrice.asOf) }).toEqual({
        item: l.item,
        asOf: true,
      });
      expect(l.unitPrice.source).toMatch(/https:\/\/(aws\.amazon\.com|cloud\.google\.com)\//);
    }
  });

  test('the cost tables show the lines with their assumptions and storage per GB-month', () => {
    const md = renderCostTables([
      { name: 'test', dependencies: [], terraform: {}, costEstimate: CostEstimate.of(stack).summary() },
    ]);
    expect(md).toContain('`Network` NAT gateway | 2 | $0.045/h');
    // In its billing unit: 2-4 volumes x $0.08 per GB-month x 50 GB = $8 - $16.
    expect(md).toMatch(
      /`Cluster\/SystemNodeGroup` gp3 root volume, 50 GiB \| 2 - 4 \| \$0\.08 per GB-month × 50 per unit \[\d+\] \| \$8\.00 - \$16 \|/,
    );
    expect(md).toContain('usage-based, not in the totals: $23 per month per 1,000 GB stored, plus requests');
  });

  test('renderTable prints storage per GB-month, small monthly amounts with cents', () => {
    const table = CostEstimate.of(stack).renderTable();
    expect(table).toContain('$0.08 per GB-month × 50 per unit (us-east-1');
    // 2-4 volumes x $4.00 a month.
    expect(table).toMatch(
      /gp3 root volume, 50 GiB \| 2-4 \| ON_DEMAND \| \$0\.08 per GB-month × 50 per unit \(us-east-1, [0-9-]+\) \| \$8\.00 - \$16 \|/,
    );
  });
});
