import { Aspects, IAspect, Lazy, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { ValidationError, Warnings } from './errors';
import { formatMonthlyUsd, formatUnitPrice, isUnverifiedPriceSource } from './price-format';

/** Hours in an average month (8760 / 12), the convention of the AWS and GCP calculators. */
export const HOURS_PER_MONTH = 730;

/**
 * The spot-price assumption of every cost estimate: spot capacity is priced at this fraction
 * of on-demand. Real spot prices move hourly and differ by region and zone; this is a planning
 * number, not a quote. GPU spot discounts seen on both clouds range from about 40% to 90%; 0.4
 * (a 60% discount) is deliberately on the cautious side. Override per estimate with
 * `CostEstimate.of(stack).spotFractionOfOnDemand = ...`.
 */
export const ASSUMED_SPOT_FRACTION_OF_ON_DEMAND = 0.4;

/** A dated, sourced hourly price. */
export interface HourlyPrice {
  /** US dollars per hour. */
  readonly usd: number;
  /** Region the price applies to, for example `us-east-1`. */
  readonly region: string;
  /** Date the price was read, ISO `YYYY-MM-DD`. */
  readonly asOf: string;
  /**
   * Where it was read (URL or document). A source that starts with `VERIFY` marks a best-known
   * public price that was not re-read on the date given: the estimate warns
   * `cost-unverified-price` for each such line (on the construct that owns the line, at synth)
   * and cost tables flag it.
   */
  readonly source: string;
}

/** How a cost line is billed. */
export enum PricingModel {
  /** Priced at the catalogue's on-demand price. */
  ON_DEMAND = 'ON_DEMAND',
  /** Priced at {@link ASSUMED_SPOT_FRACTION_OF_ON_DEMAND} of on-demand. */
  SPOT = 'SPOT',
  /** Pre-paid reservations and capacity blocks: the GPUs cost the same whether used or not. */
  RESERVED = 'RESERVED',
}

/**
 * A price in the unit the provider bills it in, for a cost line that is not billed by the hour of
 * one unit (storage per GB-month, a key per month, usage per 100 GB ingested). Cost tables show
 * it instead of the prorated hourly price, so quantity x price x `perQuantityPerMonth` = the
 * monthly amount can be checked against the price list.
 */
export interface BilledPrice {
  /** US dollars per `unit`, as the price list states it (for example `0.08` per `GB-month`). */
  readonly usd: number;
  /** The billing unit: `GB-month`, `key-month`, `100 GB ingested`, `billion samples`, ... */
  readonly unit: string;
  /**
   * How many `unit`s one unit of the line's quantity is billed a month (100 for a 100 GiB volume
   * priced per GB-month, 1 for a key priced per key-month). The line's hourly `unitPrice` must
   * be `usd` x `perQuantityPerMonth` / hours per month.
   * @default - a usage-based line: the usage is not known at synth time, so its quantity is 0
   */
  readonly perQuantityPerMonth?: number;
}

/** One contribution to a stack's cost estimate. */
export interface CostLine {
  /** Construct path of the contributing construct. */
  readonly constructPath: string;
  /** What is billed, for example `p5.48xlarge`. */
  readonly item: string;
  /** Fewest units running (nodes at minimum scale). */
  readonly minQuantity: number;
  /** Most units running (nodes at maximum scale). */
  readonly maxQuantity: number;
  /** On-demand hourly price of one unit. */
  readonly unitPrice: HourlyPrice;
  /** How it is billed. */
  readonly pricingModel: PricingModel;
  /**
   * Hours per month the units run.
   * @default HOURS_PER_MONTH
   */
  readonly hoursPerMonth?: number;
  /**
   * What the line assumes or leaves out, shown with it in cost tables (for example a usage-based
   * charge that is not estimated).
   * @default - none
   */
  readonly assumption?: string;
  /**
   * The price in the unit it is billed in, when that is not an hour of one unit; cost tables show
   * it instead of `unitPrice` per hour.
   * @default - billed by the hour of one unit (`unitPrice`)
   */
  readonly billedPrice?: BilledPrice;
}

/** Monthly US dollars at minimum and maximum scale. */
export interface MonthlyUsdRange {
  /** Every pool at its minimum size. */
  readonly min: number;
  /** Every pool at its maximum size. */
  readonly max: number;
}

/** One line of a {@link CostEstimateSummary}: the line as added, with its monthly cost. */
export interface CostLineSummary extends CostLine {
  /** Hours per month the units run (the line's value or {@link HOURS_PER_MONTH}). */
  readonly hoursPerMonth: number;
  /** Monthly USD at minimum and maximum scale, after the spot assumption, rounded to cents. */
  readonly monthlyUsd: MonthlyUsdRange;
}

/**
 * A stack's cost estimate as plain data. Every stack with an estimate writes it into its
 * synthesized `cdk.tf.json` under the comment key `//` (which Terraform ignores), at
 * {@link COST_ESTIMATE_METADATA_PATH}, so tools such as `cdktf-ai-infra-report` read it from
 * `cdktf.out/` without running the app.
 */
export interface CostEstimateSummary {
  /** Spot price as a fraction of on-demand assumed by the spot lines. */
  readonly spotFractionOfOnDemand: number;
  /** The lines, in the order they were added. */
  readonly lines: readonly CostLineSummary[];
  /** Monthly USD of the whole stack at minimum and maximum scale, rounded to cents. */
  readonly monthlyUsd: MonthlyUsdRange;
}

/** Where a stack's {@link CostEstimateSummary} is in its synthesized JSON (dot-separated keys). */
export const COST_ESTIMATE_METADATA_PATH = '//.cdktf-ai-infra.costEstimate';

/** The warning line cost tables print under a table with unverified prices. */
function unverifiedPricesWarning(items: readonly string[]): string {
  const names = [...new Set(items)];
  return (
    `Warning: ${names.length === 1 ? '1 unit price is' : `${names.length} unit prices are`} unverified ` +
    `(best-known public prices, not re-read on the date given; their sources start with VERIFY): ${names.join('; ')}.`
  );
}

/** A line's billed price must state the same price as its hourly `unitPrice`. */
function checkBilledPrice(line: CostLine): void {
  const b = line.billedPrice!;
  const where = `Cost line for '${line.item}' at ${line.constructPath}`;
  if (!(b.usd >= 0) || typeof b.unit !== 'string' || b.unit.trim() === '') {
    throw new ValidationError(
      `${where}: billedPrice needs usd >= 0 (got ${b.usd}) and a unit (got '${b.unit}').`,
    );
  }
  if (b.perQuantityPerMonth === undefined) {
    if (line.maxQuantity !== 0) {
      throw new ValidationError(
        `${where}: a usage-based billedPrice (no perQuantityPerMonth) needs quantity 0, got ${line.maxQuantity}: give perQuantityPerMonth, or quantity 0.`,
      );
    }
    return;
  }
  const monthlyFromHourly = line.unitPrice.usd * (line.hoursPerMonth ?? HOURS_PER_MONTH);
  const monthlyBilled = b.usd * b.perQuantityPerMonth;
  if (!(Math.abs(monthlyFromHourly - monthlyBilled) <= 1e-6 * Math.max(1, monthlyBilled))) {
    throw new ValidationError(
      `${where}: billedPrice ($${b.usd} per ${b.unit} x ${b.perQuantityPerMonth} = $${monthlyBilled} a month) disagrees with unitPrice ` +
        `($${line.unitPrice.usd}/h x ${line.hoursPerMonth ?? HOURS_PER_MONTH} h = $${monthlyFromHourly}): derive one from the other.`,
    );
  }
}

function cents(usd: number): number {
  return Math.round(usd * 100) / 100;
}

const ESTIMATES = new WeakMap<TerraformStack, CostEstimate>();

/**
 * The construct that owns a cost line: the one at `constructPath`, else its nearest existing
 * ancestor inside `stack`, else `stack` (a path outside the stack, or one no construct has).
 */
function ownerOf(stack: TerraformStack, constructPath: string): IConstruct {
  const stackPath = stack.node.path;
  if (constructPath !== stackPath && !constructPath.startsWith(`${stackPath}/`)) return stack;
  let owner: IConstruct = stack;
  for (const id of constructPath.slice(stackPath.length + 1).split('/')) {
    const child = id === '' ? undefined : owner.node.tryFindChild(id);
    if (!child) break;
    owner = child;
  }
  return owner;
}

/**
 * The stack aspect that adds the `cost-unverified-price` warnings at synth (once each, however
 * often the aspects run). It acts on its first visit, the stack itself.
 */
class UnverifiedPriceWarnings implements IAspect {
  constructor(private readonly estimate: CostEstimate) {}

  public visit(node: IConstruct): void {
    if (node instanceof TerraformStack) this.estimate._warnUnverified();
  }
}

/**
 * The monthly cost estimate of what one stack defines. Node pools and stores contribute lines;
 * budget alarms read the total when no limit is given.
 *
 * Estimates cover what a stack provisions at a fixed hourly price, from the catalogues' dated
 * on-demand prices: GPU and system nodes, their root volumes, NAT gateways, cluster fees and
 * file systems. Usage-based charges (data processed and transferred, requests, bytes stored in
 * buckets) are not in the totals: buckets appear as assumption lines with quantity 0.
 *
 * @example
 * const estimate = CostEstimate.of(stack);
 * estimate.monthlyUsd('max'); // every pool at maxNodes, all month
 * console.log(estimate.renderTable());
 */
export class CostEstimate {
  /** The estimate of the stack that contains `scope`. */
  public static of(scope: IConstruct): CostEstimate {
    const stack = TerraformStack.of(scope);
    let e = ESTIMATES.get(stack);
    if (!e) {
      e = new CostEstimate(stack);
      ESTIMATES.set(stack, e);
      const estimate = e;
      stack.addOverride(COST_ESTIMATE_METADATA_PATH, Lazy.anyValue({ produce: () => estimate.summary() }));
    }
    return e;
  }

  /** Spot price as a fraction of on-demand used by this estimate. */
  public spotFractionOfOnDemand = ASSUMED_SPOT_FRACTION_OF_ON_DEMAND;
  private readonly _lines: CostLine[] = [];
  /** The lines with an unverified price, in the order added, and how many of them were warned. */
  private readonly unverified: CostLine[] = [];
  private warnedUnverified = 0;

  private constructor(private readonly stack: TerraformStack) {}

  /**
   * Adds a line. A line whose price source is marked `VERIFY` (not re-read on its date) warns
   * `cost-unverified-price` at synth, on the construct at the line's `constructPath` (the nearest
   * existing one of its ancestors in the stack, else the stack). The warning is added when the
   * stack synthesizes (its aspects run), not here, so `Warnings.suppress(owner,
   * 'cost-unverified-price', reason)` silences it after the owner is created, as
   * `Warnings.suppress(stack, ...)` or the `cdktf-ai-infra:suppressedWarnings` context key do.
   */
  public add(line: CostLine): void {
    if (!(line.unitPrice.usd >= 0) || !(line.minQuantity >= 0) || !(line.maxQuantity >= line.minQuantity)) {
      throw new ValidationError(
        `Cost line for '${line.item}' at ${line.constructPath}: price (${line.unitPrice.usd}) must be >= 0 and 0 <= minQuantity (${line.minQuantity}) <= maxQuantity (${line.maxQuantity}).`,
      );
    }
    if (line.billedPrice !== undefined) checkBilledPrice(line);
    this._lines.push(line);
    if (isUnverifiedPriceSource(line.unitPrice.source)) {
      if (this.unverified.length === 0) Aspects.of(this.stack).add(new UnverifiedPriceWarnings(this));
      this.unverified.push(line);
    }
  }

  /**
   * Warns `cost-unverified-price` for each unverified line not warned yet, on the construct that
   * owns it, unless suppressed there (or above). Run by the stack's aspect at synth: a
   * suppression added after the owner was created counts.
   * @internal
   */
  public _warnUnverified(): void {
    for (; this.warnedUnverified < this.unverified.length; this.warnedUnverified++) {
      const line = this.unverified[this.warnedUnverified];
      Warnings.add(
        ownerOf(this.stack, line.constructPath),
        'cost-unverified-price',
        `The cost estimate prices '${line.item}' (${line.constructPath}) at ${formatUnitPrice(line, this.spotFractionOfOnDemand)}, ` +
          `a best-known public price not re-read on ${line.unitPrice.asOf}: check it against ${line.unitPrice.source.replace(/^VERIFY:\s*/, '')} before relying on the total.`,
      );
    }
  }

  /** The lines, in the order they were added. */
  public get lines(): readonly CostLine[] {
    return this._lines;
  }

  /** Monthly USD of one line at minimum or maximum scale. */
  public lineMonthlyUsd(line: CostLine, at: 'min' | 'max'): number {
    const qty = at === 'min' ? line.minQuantity : line.maxQuantity;
    const factor = line.pricingModel === PricingModel.SPOT ? this.spotFractionOfOnDemand : 1;
    return qty * line.unitPrice.usd * factor * (line.hoursPerMonth ?? HOURS_PER_MONTH);
  }

  /** Total monthly USD with every pool at its minimum (`'min'`) or maximum (`'max'`) size. */
  public monthlyUsd(at: 'min' | 'max' = 'max'): number {
    return this._lines.reduce((sum, l) => sum + this.lineMonthlyUsd(l, at), 0);
  }

  /** The estimate as plain data (what the synthesized stack carries). */
  public summary(): CostEstimateSummary {
    return {
      spotFractionOfOnDemand: this.spotFractionOfOnDemand,
      lines: this._lines.map((l) => ({
        ...l,
        hoursPerMonth: l.hoursPerMonth ?? HOURS_PER_MONTH,
        monthlyUsd: { min: cents(this.lineMonthlyUsd(l, 'min')), max: cents(this.lineMonthlyUsd(l, 'max')) },
      })),
      monthlyUsd: { min: cents(this.monthlyUsd('min')), max: cents(this.monthlyUsd('max')) },
    };
  }

  /**
   * A Markdown table of the estimate, with price sources and dates. Unit prices below a dollar
   * keep four significant digits, monthly amounts below $10 their cents; a line whose price is
   * unverified (source marked `VERIFY`) is flagged, and a warning line after the table names them.
   */
  public renderTable(): string {
    const unverified = this._lines.filter((l) => isUnverifiedPriceSource(l.unitPrice.source));
    const rows = this._lines.map(
      (l) =>
        `| ${l.constructPath} | ${l.item} | ${l.minQuantity}-${l.maxQuantity} | ${l.pricingModel} | ${formatUnitPrice(l, this.spotFractionOfOnDemand)} (${l.unitPrice.region}, ${l.unitPrice.asOf}${isUnverifiedPriceSource(l.unitPrice.source) ? ', unverified' : ''}) | ` +
        `${formatMonthlyUsd(this.lineMonthlyUsd(l, 'min'))} - ${formatMonthlyUsd(this.lineMonthlyUsd(l, 'max'))} |`,
    );
    return [
      '| construct | item | units | pricing | unit price | monthly USD (min - max) |',
      '|---|---|---|---|---|---|',
      ...rows,
      `| total | | | | | ${formatMonthlyUsd(this.monthlyUsd('min'))} - ${formatMonthlyUsd(this.monthlyUsd('max'))} |`,
      '',
      `Spot lines assume ${Math.round(this.spotFractionOfOnDemand * 100)}% of the on-demand price (an assumption, not a quote). Usage-based charges (data processed and transferred, requests, bytes stored in buckets) are not included.`,
      ...(unverified.length > 0 ? ['', unverifiedPricesWarning(unverified.map((l) => l.item))] : []),
    ].join('\n');
  }
}
