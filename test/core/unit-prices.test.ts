import { readFileSync } from 'fs';
import { join } from 'path';
import { Testing, TerraformStack } from 'cdktf';
import { CostEstimate, CostLine, HourlyPrice, PricingModel, ValidationError } from '../../lib/core';
import { formatUnitPrice } from '../../lib/core/price-format';
import { renderCostTables } from '../../lib/report';

// Cost tables show each line's unit price in the unit it is billed in (per hour, per GB-month,
// per GB ingested) and spot lines their spot price, so that a reviewer can check
// quantity x unit price (x hours, for an hourly price) = monthly amount on every row.

const AT = { region: 'us-east-1', asOf: '2026-08-21', source: 'table @ abc12345' };
const hourly = (usd: number): HourlyPrice => ({ ...AT, usd });

const A10G_SPOT: CostLine = {
  constructPath: 'test/Cluster/A10G',
  item: 'g5.2xlarge',
  minQuantity: 0,
  maxQuantity: 8,
  unitPrice: hourly(1.212),
  pricingModel: PricingModel.SPOT,
};
const ROOT_VOLUMES: CostLine = {
  constructPath: 'test/Cluster/A10G',
  item: 'gp3 root volume, 100 GiB',
  minQuantity: 0,
  maxQuantity: 8,
  unitPrice: hourly((0.08 * 100) / 730),
  billedPrice: { usd: 0.08, unit: 'GB-month', perQuantityPerMonth: 100 },
  pricingModel: PricingModel.ON_DEMAND,
};
const KMS_KEY: CostLine = {
  constructPath: 'test/Key',
  item: 'KMS key (checkpoints)',
  minQuantity: 1,
  maxQuantity: 1,
  unitPrice: hourly(1 / 730),
  billedPrice: { usd: 1, unit: 'key-month', perQuantityPerMonth: 1 },
  pricingModel: PricingModel.ON_DEMAND,
};
const LOGS: CostLine = {
  constructPath: 'test/Logs',
  item: 'CloudWatch Logs ingestion (container logs), per 100 GB',
  minQuantity: 0,
  maxQuantity: 0,
  unitPrice: hourly(50 / 730),
  billedPrice: { usd: 0.5, unit: 'GB ingested' },
  pricingModel: PricingModel.ON_DEMAND,
  assumption: 'usage-based, not in the totals',
};

function estimate(lines: CostLine[]): { stack: TerraformStack; e: CostEstimate } {
  const stack = new TerraformStack(Testing.app(), 'test');
  const e = CostEstimate.of(stack);
  lines.forEach((l) => e.add(l));
  return { stack, e };
}

function rows(table: string): string[][] {
  return table
    .split('\n')
    .filter((r) => r.startsWith('| `'))
    .map((r) => r.split(' | ').map((c) => c.replace(/^\| /, '').trim()));
}

describe('formatUnitPrice', () => {
  test.each<[string, CostLine, string]>([
    ['an on-demand hourly line', { ...A10G_SPOT, pricingModel: PricingModel.ON_DEMAND }, '$1.212/h'],
    ['a spot line: its spot price and the on-demand price', A10G_SPOT, '$0.4848/h spot (40% of $1.212/h)'],
    ['storage per GB-month', ROOT_VOLUMES, '$0.08 per GB-month × 100 per unit'],
    ['a key per month', KMS_KEY, '$1 per key-month'],
    ['a usage-based line', LOGS, '$0.50 per GB ingested (usage-based)'],
  ])('%s', (_, line, text) => {
    expect(formatUnitPrice(line, 0.4)).toBe(text);
  });
});

describe('cost tables show unit prices a reviewer can multiply out', () => {
  const { stack, e } = estimate([A10G_SPOT, ROOT_VOLUMES, KMS_KEY, LOGS]);
  const summary = e.summary();
  const table = renderCostTables([{ name: 'test', dependencies: [], terraform: {}, costEstimate: summary }]);
  const [spot, volumes, key, logs] = rows(table);

  test('a spot line: 8 x $0.4848/h x 730 h = $2,831', () => {
    expect(spot[2]).toBe('$0.4848/h spot (40% of $1.212/h) [1]');
    expect(spot[3]).toBe('$0 - $2,831');
    expect(Math.round(8 * 0.4848 * 730)).toBe(2831);
    expect(spot[4]).toMatch(/730 h\/month/);
  });

  test('storage: 8 x $0.08 per GB-month x 100 = $64, with no hours to multiply', () => {
    expect(volumes[2]).toBe('$0.08 per GB-month × 100 per unit [1]');
    expect(volumes[3]).toBe('$0 - $64');
    expect(volumes[4]).not.toMatch(/h\/month/);
  });

  test('a key: 1 x $1 per key-month = $1.00', () => {
    expect(key[2]).toBe('$1 per key-month [1]');
    expect(key[3]).toBe('$1.00');
  });

  test('a usage-based line shows its price per GB ingested, not a prorated hourly price', () => {
    expect(logs[2]).toBe('$0.50 per GB ingested (usage-based) [1]');
    expect(logs[2]).not.toMatch(/\/h/);
    expect(logs[3]).toBe('$0');
  });

  test('CostEstimate.renderTable shows the same unit prices', () => {
    const t = CostEstimate.of(stack).renderTable();
    expect(t).toContain('| $0.4848/h spot (40% of $1.212/h) (us-east-1, 2026-08-21) |');
    expect(t).toContain('| $0.08 per GB-month × 100 per unit (us-east-1, 2026-08-21) |');
    expect(t).toContain('| $0.50 per GB ingested (usage-based) (us-east-1, 2026-08-21) |');
  });
});

describe('CostEstimate.add checks a billed price against the hourly price', () => {
  test('throws when they disagree', () => {
    expect(() =>
      estimate([{ ...ROOT_VOLUMES, billedPrice: { usd: 0.1, unit: 'GB-month', perQuantityPerMonth: 100 } }]),
    ).toThrow(/billedPrice \(\$0.1 per GB-month x 100 = \$10 a month\) disagrees with unitPrice/);
  });

  test('throws for a usage-based billed price on a line with a quantity', () => {
    expect(() => estimate([{ ...LOGS, minQuantity: 1, maxQuantity: 1 }])).toThrow(ValidationError);
    expect(() => estimate([{ ...LOGS, minQuantity: 1, maxQuantity: 1 }])).toThrow(
      /a usage-based billedPrice \(no perQuantityPerMonth\) needs quantity 0, got 1/,
    );
  });

  test('throws for a billed price without a unit', () => {
    expect(() =>
      estimate([{ ...KMS_KEY, billedPrice: { usd: 1, unit: ' ', perQuantityPerMonth: 1 } }]),
    ).toThrow(/needs usd >= 0 \(got 1\) and a unit/);
  });
});

describe('docs/architectures.md: every cost row multiplies out', () => {
  // The generated page (kept equal to the examples' output by test/package/architectures.test.ts).
  const md = readFileSync(join(__dirname, '..', '..', 'docs', 'architectures.md'), 'utf8');
  const costRows = rows(md).filter((r) => r.length >= 5 && /^\$/.test(r[2]));
  const money = (s: string) => Number(s.replace(/[$,]/g, ''));
  const maxOf = (range: string) => range.split(' - ').pop()!;

  test('has cost rows of every kind', () => {
    expect(costRows.length).toBeGreaterThan(50);
    expect(costRows.some((r) => / spot \(/.test(r[2]))).toBe(true);
    expect(costRows.some((r) => /per GB-month ×/.test(r[2]))).toBe(true);
    expect(costRows.some((r) => /\(usage-based\)/.test(r[2]))).toBe(true);
  });

  test('quantity x unit price (x hours) = monthly, at maximum scale', () => {
    const wrong: string[] = [];
    for (const [resource, quantity, unitPrice, monthly, assumptions] of costRows) {
      const q = Number(maxOf(quantity));
      const shown = money(maxOf(monthly));
      let expected: number;
      let m: RegExpMatchArray | null;
      if ((m = unitPrice.match(/^\$([\d.,]+)\/h/))) {
        const hours = Number(assumptions.match(/(\d+(?:\.\d+)?) h\/month/)![1]);
        expected = q * money(m[1]) * hours;
      } else if (
        (m = unitPrice.match(/^\$([\d.,]+) per [^×(]+?(?: × ([\d,]+) per unit)?(?: \(usage-based\))? \[/))
      ) {
        expected = /\(usage-based\)/.test(unitPrice) ? 0 : q * money(m[1]) * (m[2] ? money(m[2]) : 1);
      } else {
        wrong.push(`${resource}: unit price '${unitPrice}' is in no known form`);
        continue;
      }
      // Unit prices keep four significant digits; monthly amounts are whole dollars from $10 up.
      if (Math.abs(expected - shown) > 0.5 + 0.0006 * expected + 0.01) {
        wrong.push(`${resource}: ${q} x ${unitPrice} = ${expected.toFixed(2)}, shown ${monthly}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
