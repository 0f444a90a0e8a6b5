import { Testing, TerraformStack } from 'cdktf';
import { invokeAspects } from 'cdktf/lib/synthesize/synthesizer';
import { CostEstimate, HourlyPrice, PricingModel, Warnings } from '../../lib/core';
import { formatHourlyUsd, formatMonthlyUsd, isUnverifiedPriceSource } from '../../lib/core/price-format';
import { renderCostTables } from '../../lib/report';

// Unit prices and monthly amounts in cost tables, and how an unverified price (source marked
// VERIFY: not re-read on its date) is reported: a synth warning per line, a flag on its row and a
// warning line under the table.

function stack(): TerraformStack {
  return new TerraformStack(Testing.app(), 'test');
}

function warningsOf(s: TerraformStack): string[] {
  return s.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
}

const verified: HourlyPrice = {
  usd: 0.0448,
  region: 'us-central1',
  asOf: '2026-07-30',
  source: 'table @ abc12345',
};
const unverified: HourlyPrice = {
  usd: (0.34 * 4800) / 730,
  region: 'us-east-1',
  asOf: '2025-06-01',
  source: 'VERIFY: https://aws.amazon.com/fsx/lustre/pricing/ (best-known public price)',
};

/** One on-demand unit of `unitPrice` at `constructPath`. */
function oneOnDemand(constructPath: string, item: string, unitPrice: HourlyPrice) {
  return {
    constructPath,
    item,
    minQuantity: 1,
    maxQuantity: 1,
    unitPrice,
    pricingModel: PricingModel.ON_DEMAND,
  };
}

describe('formatHourlyUsd', () => {
  test.each([
    [0, '0.000'],
    [0.096, '0.096'],
    [0.1, '0.100'],
    // catalogue prices print as listed, not rounded to three decimals
    [0.1008, '0.1008'],
    [0.0448, '0.0448'],
    [0.0225, '0.0225'],
    [0.0014, '0.0014'],
    // from a dollar up: three decimals
    [55.04, '55.040'],
    [84.81, '84.810'],
    [12345.678, '12345.678'],
    // per-volume and per-GB hourly prices keep four significant digits
    [(0.08 * 50) / 730, '0.005479'],
    [0.115 / 730, '0.0001575'],
    [1 / 730, '0.00137'],
    // tiny per-GB prices neither print as 0.000 nor in exponent notation
    [0.0000011, '0.0000011'],
    [1.1e-7, '0.00000011'],
  ])('%p prints as %p', (usd, text) => {
    expect(formatHourlyUsd(usd)).toBe(text);
    expect(formatHourlyUsd(usd)).not.toMatch(/e/);
  });
});

describe('formatMonthlyUsd', () => {
  test.each([
    [0, '$0'],
    [0.001, '$0'],
    [0.4, '$0.40'],
    [1, '$1.00'],
    [7.3, '$7.30'],
    [9.999, '$10'],
    [18.25, '$18'],
    [1632.4, '$1,632'],
    [642867.2, '$642,867'],
    [-3.2, '-$3.20'],
  ])('%p prints as %p', (usd, text) => {
    expect(formatMonthlyUsd(usd)).toBe(text);
  });
});

describe('an unverified price', () => {
  test('is one whose source starts with VERIFY', () => {
    expect(isUnverifiedPriceSource(unverified.source)).toBe(true);
    expect(isUnverifiedPriceSource(verified.source)).toBe(false);
    expect(isUnverifiedPriceSource('infracost ... (VERIFY in passing)')).toBe(false);
  });

  test('adds the warning cost-unverified-price to the stack, naming the line, its price, date and where to check it', () => {
    const s = stack();
    const e = CostEstimate.of(s);
    e.add(oneOnDemand('test/Nat', 'Cloud NAT gateway', verified));
    expect(warningsOf(s)).toEqual([]);
    e.add(
      oneOnDemand(
        'test/Checkpoints/FileSystem',
        'FSx for Lustre PERSISTENT_2, 4800 GiB at 500 MB/s/TiB',
        unverified,
      ),
    );
    // Added at synth (the stack's aspects), on the line's construct: here none, so the stack.
    invokeAspects(s);
    expect(warningsOf(s)).toEqual([
      "[cdktf-ai-infra:cost-unverified-price] The cost estimate prices 'FSx for Lustre PERSISTENT_2, 4800 GiB at 500 MB/s/TiB' " +
        '(test/Checkpoints/FileSystem) at $2.236/h, a best-known public price not re-read on 2025-06-01: check it against ' +
        'https://aws.amazon.com/fsx/lustre/pricing/ (best-known public price) before relying on the total.',
    ]);
    // The line is still in the totals: 1 x $2.236/h x 730 h = 4800 GiB x $0.34.
    expect(e.monthlyUsd('max')).toBeCloseTo(0.0448 * 730 + 4800 * 0.34, 6);
  });

  test('the warning can be suppressed like any other', () => {
    const s = stack();
    Warnings.suppress(s, 'cost-unverified-price', 'the FSx price was checked on the rate card by hand');
    CostEstimate.of(s).add(oneOnDemand('test/Fs', 'FSx', unverified));
    invokeAspects(s);
    expect(warningsOf(s)).toEqual([]);
  });

  test('renderTable flags its row and names it in a warning line under the table', () => {
    const s = stack();
    const e = CostEstimate.of(s);
    e.add(oneOnDemand('test/Nat', 'Cloud NAT gateway', verified));
    const before = e.renderTable();
    expect(before).not.toMatch(/unverified/);
    expect(before).toContain(
      '| test/Nat | Cloud NAT gateway | 1-1 | ON_DEMAND | $0.0448/h (us-central1, 2026-07-30) | $33 - $33 |',
    );
    e.add(oneOnDemand('test/Fs', 'FSx for Lustre', unverified));
    const table = e.renderTable();
    expect(table).toContain(
      '| test/Fs | FSx for Lustre | 1-1 | ON_DEMAND | $2.236/h (us-east-1, 2025-06-01, unverified) | $1,632 - $1,632 |',
    );
    expect(table.split('\n').pop()).toBe(
      'Warning: 1 unit price is unverified (best-known public prices, not re-read on the date given; their sources start with VERIFY): FSx for Lustre.',
    );
  });

  test('renderCostTables flags its row "(unverified)" and adds a warning line to the notes', () => {
    const s = stack();
    const e = CostEstimate.of(s);
    for (const [path, price] of [
      ['test/Nat', verified],
      ['test/Fs', unverified],
    ] as const) {
      e.add({
        constructPath: path,
        item: path.slice(5),
        minQuantity: 1,
        maxQuantity: 2,
        unitPrice: price,
        pricingModel: PricingModel.ON_DEMAND,
      });
    }
    const md = renderCostTables([
      { name: 'test', dependencies: [], terraform: {}, costEstimate: e.summary() },
    ]);
    expect(md).toMatch(/\| `Nat` Nat \| 1 - 2 \| \$0\.0448\/h \[1\] \| \$33 - \$65 \|/);
    expect(md).toMatch(/\| `Fs` Fs \| 1 - 2 \| \$2\.236\/h \[2\] \(unverified\) \| \$1,632 - \$3,264 \|/);
    expect(md).toContain(
      '**Warning: 1 unit price is unverified** (best-known public prices, not re-read on the date given; their sources start with VERIFY): Fs (`test/Fs`).',
    );
    expect(md).toContain('[2] VERIFY: https://aws.amazon.com/fsx/lustre/pricing/');
  });

  test('a table without unverified prices has no warning line', () => {
    const s = stack();
    const e = CostEstimate.of(s);
    e.add(oneOnDemand('test/Nat', 'Nat', verified));
    const md = renderCostTables([
      { name: 'test', dependencies: [], terraform: {}, costEstimate: e.summary() },
    ]);
    expect(md).not.toMatch(/unverified|Warning/);
  });
});
