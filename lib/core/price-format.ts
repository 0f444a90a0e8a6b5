// No imports: lib/report (which must not load cdktf) uses it too.

/**
 * `n.toLocaleString('en-US')` without Intl for whole numbers: the first Intl number format a
 * process makes loads ICU's formatter, about 12 ms of an app's synth (measured on aws-training).
 * Other numbers (fractions, beyond 1e21) still go through Intl.
 */
export function formatEnUs(n: number): string {
  if (!Number.isInteger(n) || Math.abs(n) >= 1e21 || Object.is(n, -0)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = '';
  for (let end = digits.length; end > 0; end -= 3) {
    const part = digits.slice(Math.max(0, end - 3), end);
    out = out === '' ? part : `${part},${out}`;
  }
  return n < 0 ? `-${out}` : out;
}

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
  return `${sign}$${formatEnUs(Math.round(abs))}`;
}

/**
 * Whether a price source marks its price as unverified: a best-known public price that was not
 * re-read on the date given, whose source starts with `VERIFY` (see {@link HourlyPrice.source}).
 */
export function isUnverifiedPriceSource(source: string): boolean {
  return source.startsWith('VERIFY');
}

/** What {@link formatUnitPrice} reads of a cost line (structural: `CostLine` and its summary). */
export interface UnitPricedLine {
  /** The hourly price: `usd` per hour of one unit. */
  readonly unitPrice: { readonly usd: number };
  /** `ON_DEMAND`, `SPOT` or `RESERVED`. */
  readonly pricingModel: string;
  /** The price in its billing unit, if not an hour of one unit. */
  readonly billedPrice?: {
    readonly usd: number;
    readonly unit: string;
    readonly perQuantityPerMonth?: number;
  };
}

/**
 * A price per billing unit as price lists print it: whole dollars as such (`$1`), others with
 * their digits and at least cents (`$0.08`, `$0.50`, `$0.023`, `$0.115`).
 */
function formatBilledUsd(usd: number): string {
  if (Number.isInteger(usd)) return `$${formatEnUs(usd)}`;
  const plain = String(Number(usd.toPrecision(6)));
  if (plain.includes('e')) return `$${formatHourlyUsd(usd)}`;
  const [whole, frac = ''] = plain.split('.');
  return `$${formatEnUs(Number(whole))}.${frac.padEnd(2, '0')}`;
}

/**
 * A cost line's unit price as a table shows it, in the unit it is billed in, so that quantity x
 * unit price (x hours, for an hourly price) = the monthly amount:
 * - by the hour: `$1.212/h`; a spot line shows its spot price and the on-demand price it assumes
 *   a fraction of: `$0.4848/h spot (40% of $1.212/h)`;
 * - per billing unit: `$0.08 per GB-month × 100 per unit` (`× ...` omitted when 1);
 * - usage-based (quantity 0, not in the totals): `$50 per 100 GB ingested (usage-based)`.
 * @param spotFraction the estimate's spot price as a fraction of on-demand
 */
export function formatUnitPrice(line: UnitPricedLine, spotFraction: number): string {
  const spot = line.pricingModel === 'SPOT';
  const pct = `${Math.round(spotFraction * 100)}%`;
  const b = line.billedPrice;
  if (b === undefined) {
    const onDemand = `$${formatHourlyUsd(line.unitPrice.usd)}/h`;
    return spot
      ? `$${formatHourlyUsd(line.unitPrice.usd * spotFraction)}/h spot (${pct} of ${onDemand})`
      : onDemand;
  }
  const perUnit = `${formatBilledUsd(b.usd)} per ${b.unit}`;
  if (b.perQuantityPerMonth === undefined) return `${perUnit} (usage-based)`;
  const times = b.perQuantityPerMonth === 1 ? '' : ` × ${formatEnUs(b.perQuantityPerMonth)} per unit`;
  return `${perUnit}${times}${spot ? ` × ${spotFraction} spot` : ''}`;
}
