// No imports: lib/report (which must not load cdktf) uses it too.

/**
 * An hourly price for a table: three decimals from a cent up (`0.096`), three significant digits
 * below (`0.00548`, `0.005`), so small per-volume prices do not print as `0.005` or `0.000`.
 */
export function formatHourlyUsd(usd: number): string {
  return usd === 0 || usd >= 0.01 ? usd.toFixed(3) : String(Number(usd.toPrecision(3)));
}
