import { formatMonthlyUsd, formatUnitPrice, isUnverifiedPriceSource } from '../core/price-format';
import type { CostLineSummary } from '../core/pricing';
import type { SynthesizedStack } from './synth-output';

function range(min: number, max: number, fmt: (n: number) => string): string {
  return min === max ? fmt(min) : `${fmt(min)} - ${fmt(max)}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function assumptions(line: CostLineSummary, spotFraction: number): string {
  const parts: string[] = [];
  if (line.pricingModel === 'SPOT') {
    parts.push(`spot at ${Math.round(spotFraction * 100)}% of on-demand (an assumption, not a quote)`);
  } else if (line.pricingModel === 'RESERVED') {
    parts.push('reserved or capacity block: billed whether used or not');
  } else {
    parts.push('on-demand');
  }
  // A price per billing unit (GB-month, key-month, usage) is monthly already: no hours to multiply.
  if (line.billedPrice === undefined) parts.push(`${line.hoursPerMonth} h/month`);
  if (line.minQuantity !== line.maxQuantity) {
    parts.push(`${line.minQuantity} at minimum scale, ${line.maxQuantity} at maximum`);
  }
  parts.push(`${line.unitPrice.region} price of ${line.unitPrice.asOf}`);
  if (line.assumption) parts.push(line.assumption);
  return parts.join('; ');
}

/** A monthly change as {@link formatMonthlyUsd} prints it, signed: `+$0.40`, `-$1,200`, `$0`. */
function signedUsd(n: number): string {
  const abs = formatMonthlyUsd(Math.abs(n));
  return abs === '$0' ? abs : `${n > 0 ? '+' : '-'}${abs}`;
}

/** Whether a change prints as `$0` (less than half a cent). */
function isNoChange(n: number): boolean {
  return signedUsd(n) === '$0';
}

function totals(stacks: readonly SynthesizedStack[]): Map<string, { min: number; max: number }> {
  return new Map(stacks.map((s) => [s.name, s.costEstimate?.monthlyUsd ?? { min: 0, max: 0 }]));
}

/**
 * A Markdown table of the monthly cost change between two synthesized versions of an app (the
 * base branch and a pull request), per stack and in total, at minimum and maximum scale. Stacks
 * only in one version count as zero in the other. Amounts and changes are printed as in
 * {@link renderCostTables}: whole dollars with thousands separators from $10 up, cents below
 * (a $0.40 change prints as `+$0.40`, not `$0`); a stack whose change is under half a cent is
 * left out.
 *
 * @param stacks the changed app, read by {@link readSynthOutput}
 * @param base the app before the change, read by {@link readSynthOutput}
 */
export function renderCostChange(
  stacks: readonly SynthesizedStack[],
  base: readonly SynthesizedStack[],
): string {
  const before = totals(base);
  const after = totals(stacks);
  const names = [...new Set([...base.map((s) => s.name), ...stacks.map((s) => s.name)])];
  const rows: string[] = [];
  const sum = { bMin: 0, bMax: 0, aMin: 0, aMax: 0 };
  for (const name of names) {
    const b = before.get(name) ?? { min: 0, max: 0 };
    const a = after.get(name) ?? { min: 0, max: 0 };
    sum.bMin += b.min;
    sum.bMax += b.max;
    sum.aMin += a.min;
    sum.aMax += a.max;
    if (isNoChange(a.min - b.min) && isNoChange(a.max - b.max)) continue;
    const status = !before.has(name) ? ' (new)' : !after.has(name) ? ' (removed)' : '';
    rows.push(
      `| \`${name}\`${status} | ${range(b.min, b.max, formatMonthlyUsd)} | ${range(a.min, a.max, formatMonthlyUsd)} | ` +
        `${signedUsd(a.min - b.min)} / ${signedUsd(a.max - b.max)} |`,
    );
  }
  if (rows.length === 0) {
    return `**Monthly cost change: none** (${range(sum.aMin, sum.aMax, formatMonthlyUsd)} before and after)\n`;
  }
  return [
    `**Monthly cost change: ${signedUsd(sum.aMin - sum.bMin)} / ${signedUsd(sum.aMax - sum.bMax)}** (minimum / maximum scale)`,
    '',
    '| stack | before | after | change (min / max) |',
    '|---|---|---|---|',
    ...rows,
    `| **total** | ${range(sum.bMin, sum.bMax, formatMonthlyUsd)} | ${range(sum.aMin, sum.aMax, formatMonthlyUsd)} | ` +
      `**${signedUsd(sum.aMin - sum.bMin)} / ${signedUsd(sum.aMax - sum.bMax)}** |`,
    '',
  ].join('\n');
}

/**
 * A Markdown cost table per stack, in the manner of infracost's pull-request comment: one row
 * per cost line (resource, quantity, unit price, monthly total at minimum and maximum scale,
 * assumptions), a total per stack and for all stacks, and the dated price sources as numbered
 * notes. Each unit price is in the unit the line is billed in (per hour, per GB-month, per 100 GB
 * ingested, ...) and spot lines show their spot price, so quantity x unit price (x hours, for an
 * hourly price) = the monthly amount (see `formatUnitPrice`). Stacks without a cost estimate are listed as such. Unit prices below a dollar keep four
 * significant digits and monthly amounts below $10 their cents; a line whose price source is
 * marked `VERIFY` (not re-read on its date) is flagged "(unverified)" and named in a warning line.
 *
 * @param stacks stacks read by {@link readSynthOutput}
 */
export function renderCostTables(stacks: readonly SynthesizedStack[]): string {
  const sources: string[] = [];
  const sourceNo = (s: string): number => {
    const i = sources.indexOf(s);
    if (i >= 0) return i + 1;
    sources.push(s);
    return sources.length;
  };
  const out: string[] = [];
  let totalMin = 0;
  let totalMax = 0;
  const unpriced: string[] = [];
  const unverified: string[] = [];
  for (const stack of stacks) {
    const est = stack.costEstimate;
    if (!est || est.lines.length === 0) {
      unpriced.push(stack.name);
      continue;
    }
    totalMin += est.monthlyUsd.min;
    totalMax += est.monthlyUsd.max;
    out.push(
      `#### ${stack.name}: ${range(est.monthlyUsd.min, est.monthlyUsd.max, formatMonthlyUsd)} per month`,
      '',
      '| resource | quantity | unit price | monthly | assumptions |',
      '|---|---|---|---|---|',
    );
    for (const l of est.lines) {
      const path = l.constructPath.startsWith(`${stack.name}/`)
        ? l.constructPath.slice(stack.name.length + 1)
        : l.constructPath;
      const unchecked = isUnverifiedPriceSource(l.unitPrice.source);
      if (unchecked) unverified.push(`${l.item} (\`${l.constructPath}\`)`);
      out.push(
        `| ${cell(`\`${path}\` ${l.item}`)} | ${range(l.minQuantity, l.maxQuantity, String)} | ` +
          `${cell(formatUnitPrice(l, est.spotFractionOfOnDemand))} [${sourceNo(l.unitPrice.source)}]${unchecked ? ' (unverified)' : ''} | ` +
          `${range(l.monthlyUsd.min, l.monthlyUsd.max, formatMonthlyUsd)} | ${cell(assumptions(l, est.spotFractionOfOnDemand))} |`,
      );
    }
    out.push(
      `| **total** | | | **${range(est.monthlyUsd.min, est.monthlyUsd.max, formatMonthlyUsd)}** | |`,
      '',
    );
  }
  if (unpriced.length === stacks.length) {
    return `No cost estimate: no stack (${stacks.map((s) => `\`${s.name}\``).join(', ')}) defines a priced resource.\n`;
  }
  const head = [
    `**Monthly cost estimate: ${range(totalMin, totalMax, formatMonthlyUsd)}** (minimum - maximum scale of every pool)`,
    '',
  ];
  const notes = [
    'Only what the tables list is priced; anything without a row (data transfer, requests, managed-service fees not listed) is not in the totals.',
    ...(unverified.length > 0
      ? [
          `**Warning: ${unverified.length === 1 ? '1 unit price is' : `${unverified.length} unit prices are`} unverified** ` +
            `(best-known public prices, not re-read on the date given; their sources start with VERIFY): ${unverified.join('; ')}.`,
        ]
      : []),
    ...(unpriced.length > 0 ? [`No cost lines: ${unpriced.map((s) => `\`${s}\``).join(', ')}.`] : []),
    '',
    ...sources.map((s, i) => `[${i + 1}] ${s}`),
  ];
  return [...head, ...out, ...notes].join('\n').trimEnd() + '\n';
}
