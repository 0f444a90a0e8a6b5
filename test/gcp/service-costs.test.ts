import { CostEstimate, CostLine, HOURS_PER_MONTH } from '../../lib/core';
import { CheckpointBucket } from '../../lib/gcp/checkpoint-bucket';
import { GkeCluster, GkeClusterProps } from '../../lib/gcp/cluster';
import { GkeNetwork } from '../../lib/gcp/network';
import { CLOUD_NAT_VM_CAP, CLOUD_NAT_VM_HOURLY_USD } from '../../lib/gcp/private/service-prices';
import { gcpStack, warningIds } from './helpers';

// Cost lines besides the GPU nodes (issue 11 §4): Cloud NAT and its IP, the GKE cluster fee, the
// system node pool and its boot disks, and Cloud Storage buckets as assumption lines.

function make(props: Partial<GkeClusterProps> = {}) {
  const { stack } = gcpStack();
  const network = new GkeNetwork(stack, 'Network', { project: 'my-proj', region: 'us-central1' });
  new GkeCluster(stack, 'Cluster', { network, ...props });
  return { stack, lines: CostEstimate.of(stack).lines };
}
const lineOf = (lines: readonly CostLine[], item: string) => lines.find((l) => l.item === item)!;
const monthly = (l: CostLine) => l.maxQuantity * l.unitPrice.usd * HOURS_PER_MONTH;

describe('Google Cloud cost lines besides the GPU nodes', () => {
  const { stack, lines } = make();

  test('Cloud NAT at its 32-VM cap ($0.0014 x 32 = $0.0448/h, the generated table) and one external IP', () => {
    const nat = lineOf(lines, 'Cloud NAT gateway');
    expect(nat).toMatchObject({
      constructPath: 'test/Network/Nat',
      minQuantity: 1,
      maxQuantity: 1,
      unitPrice: { usd: 0.0448, region: 'us-central1', asOf: '2026-07-30' },
    });
    expect(nat.unitPrice.usd).toBeCloseTo(CLOUD_NAT_VM_HOURLY_USD * CLOUD_NAT_VM_CAP, 9);
    expect(nat.unitPrice.source).toMatch(
      /pricing\.yml @ fd66b26f.*compute\.network\.nat\.gateway\.cost\.us-central1\.hour/,
    );
    expect(nat.unitPrice.source).toMatch(
      /compute_router_nat_test\.golden .*"Assigned VMs \(first 32\) 23,360 VM-hours \$32\.70"/,
    );
    expect(nat.assumption).toMatch(
      /^assumes the gateway serves 32 or more VMs \(nodes\), where the charge is capped; with fewer it is \$0\.0014 per VM-hour/,
    );
    // infracost's golden output: 32 VMs x 730 h at $0.0014 is $32.70 a month.
    expect(CLOUD_NAT_VM_HOURLY_USD * 32 * HOURS_PER_MONTH).toBeCloseTo(32.704, 6);
    expect(lineOf(lines, 'external IP address (Cloud NAT)')).toMatchObject({ unitPrice: { usd: 0.005 } });
  });

  test('the GKE cluster management fee', () => {
    expect(lineOf(lines, 'GKE cluster management fee')).toMatchObject({
      constructPath: 'test/Cluster/Resource',
      minQuantity: 1,
      maxQuantity: 1,
      unitPrice: { usd: 0.1 },
    });
  });

  test('the system pool of a regional cluster: 1 to 3 e2-standard-4 per zone in 3 assumed zones, 100 GB boot disks', () => {
    expect(lineOf(lines, 'e2-standard-4')).toMatchObject({
      constructPath: 'test/Cluster/SystemPool',
      minQuantity: 3,
      maxQuantity: 9,
      unitPrice: { usd: 0.134023 },
      assumption: '3 zones assumed (the region picks them)',
    });
    const disk = lineOf(lines, 'pd-balanced boot disk, 100 GB');
    expect(disk).toMatchObject({ minQuantity: 3, maxQuantity: 9 });
    expect(monthly(disk)).toBeCloseTo(9 * 100 * 0.1, 6);
  });

  test('node counts follow nodeLocations: a zonal cluster counts its own zone too', () => {
    const regional = make({ nodeLocations: ['us-central1-a', 'us-central1-b'] }).lines;
    expect(lineOf(regional, 'e2-standard-4')).toMatchObject({ minQuantity: 2, maxQuantity: 6 });
    const zonal = make({ location: 'us-central1-a', nodeLocations: ['us-central1-b'] }).lines;
    expect(lineOf(zonal, 'e2-standard-4')).toMatchObject({
      minQuantity: 2,
      maxQuantity: 6,
      assumption: '2 zone(s)',
    });
  });

  test('a system machine type without a catalogued price: warning gcp-no-price, boot disks still priced', () => {
    const { stack: s, lines: l } = make({ systemNodePool: { machineType: 'c3-standard-4' } });
    expect(l.find((x) => x.item === 'c3-standard-4')).toBeUndefined();
    expect(lineOf(l, 'pd-balanced boot disk, 100 GB')).toBeDefined();
    expect(warningIds(s)).toContain('gcp-no-price');
  });

  test('a checkpoint bucket as an assumption line: region and multi-region prices, nothing in the totals', () => {
    const { stack: s } = gcpStack();
    new CheckpointBucket(s, 'Regional', {
      project: 'acme-ml-prod',
      bucketName: 'acme-ckpt-1',
      location: 'us-central1',
    });
    new CheckpointBucket(s, 'Multi', { project: 'acme-ml-prod', bucketName: 'acme-ckpt-2', location: 'US' });
    const [regional, multi] = CostEstimate.of(s).lines;
    expect(regional).toMatchObject({
      item: 'Cloud Storage Standard (region), per 1,000 GB stored',
      minQuantity: 0,
      maxQuantity: 0,
    });
    expect(regional.assumption).toMatch(/not in the totals: \$20 per month per 1,000 GB/);
    expect(multi.item).toBe('Cloud Storage Standard (multi-region), per 1,000 GB stored');
    expect(multi.unitPrice.usd * HOURS_PER_MONTH).toBeCloseTo(26, 6);
    expect(CostEstimate.of(s).monthlyUsd('max')).toBe(0);
  });

  test('every line has a dated price with a source', () => {
    for (const l of CostEstimate.of(stack).lines) {
      expect(l.unitPrice.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(l.unitPrice.source).toMatch(/https:\/\/cloud\.google\.com\//);
    }
  });
});
