// No imports: lib/report (which must not load cdktf) uses it too.

/** Significant digits an hourly unit price is printed with. */
const UNIT_PRICE_SIGNIFICANT_DIGITS = 4;

/**
 * An hourly price for a table, without exponent notation: three decimals from a dollar up, four
 * significant digits below (at least three decimals, trailing zeros beyond the third dropped).
 * Catalogue prices print as listed (`0.0448`, `0.0225`, `0.1008`, `55.040`) and small
 * per-volume or per-GB prices keep their digits (`0.005479`, `0.0001575`, `0.0000011`) instead
 * of rounding to `0.005` or `0.000`.
 */
export function formatHourlyUsd(usd: number): string {
  if (usd === 0 || !Number.isFinite(usd)) return usd === 0 ? '0.000' : String(usd);
  const magnitude = Math.floor(Math.log10(Math.abs(usd)));
  const decimals = Math.min(20, Math.max(3, UNIT_PRICE_SIGNIFICANT_DIGITS - 1 - magnitude));
  // From a dollar up three decimals hold every catalogue price; below, four significant digits.
  const fixed =
    magnitude >= 0
      ? usd.toFixed(3)
      : Number(usd.toPrecision(UNIT_PRICE_SIGNIFICANT_DIGITS)).toFixed(decimals);
  return fixed.replace(/(\.\d{3}\d*?)0+$/, '$1');
}

/**
 * A monthly amount for a table: whole dollars with thousands separators from $10 up (`$1,632`),
 * cents below (`$0.40`, `$7.30`), so small lines (a secret, a key) do not print as `$0`. Zero
 * prints as `$0`.
 */
export function formatMonthlyUsd(usd: number): string {
  if (usd === 0) return '$0';
  const sign = usd < 0 ? '-' : '';
  const abs = Math.abs(usd);
  const cents = abs.toFixed(2);
  if (Number(cents) < 10) {
    return cents === '0.00' ? '$0' : `${sign}$${cents}`;
  }
  return `${sign}$${Math.round(abs).toLocaleString('en-US')}`;
}

/**
 * Whether a price source marks its price as unverified: a best-known public price that was not
 * re-read on the date given, whose source starts with `VERIFY` (see {@link HourlyPrice.source}).
 */
export function isUnverifiedPriceSource(source: string): boolean {
  return source.startsWith('VERIFY');
}
