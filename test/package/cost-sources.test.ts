import { exampleNames } from '../../scripts/architectures';
import { HOURS_PER_MONTH } from '../../lib/core';
import { formatHourlyUsd, formatUnitPrice } from '../../lib/core/price-format';
import { readSynthOutput, renderCostTables } from '../../lib/report';
import { exampleOutdir } from '../synth-cache';

// Every cost line the examples synthesize carries a region, a date and a source (issue 11 §4), and
// only the prices no dated machine-readable source was found for are still marked VERIFY: the
// list below is the one docs/core.md ("Pricing and cost estimates") gives. Of these, the examples
// synthesize FSx for Lustre (aws-training) and Managed Prometheus (aws-inference, aws-training);
// hyperdisk-balanced and a3-ultragpu-8g are tested in test/gcp/verified-prices.test.ts.
const STILL_VERIFY = [
  /^FSx for Lustre /,
  /^Managed Prometheus samples ingested/,
  /^hyperdisk-balanced boot disk/,
  /^a3-ultragpu-8g$/,
];

describe('cost lines of every example', () => {
  const lines = exampleNames().flatMap((name) =>
    readSynthOutput(exampleOutdir(name).outdir).flatMap((s) =>
      (s.costEstimate?.lines ?? []).map((l) => ({ example: name, ...l })),
    ),
  );

  test('there are lines from every cloud', () => {
    expect(lines.length).toBeGreaterThan(50);
    expect(new Set(lines.map((l) => l.unitPrice.region))).toEqual(
      new Set(['us-east-1', 'us-central1', 'us-east4']),
    );
  });

  test('each has a region, an ISO date no later than the release and a source', () => {
    for (const l of lines) {
      expect(l.unitPrice.region).toMatch(/^[a-z]+-[a-z]+-?[0-9]+$/);
      expect(l.unitPrice.asOf).toMatch(/^20\d\d-\d\d-\d\d$/);
      expect(l.unitPrice.asOf <= '2026-12-03').toBe(true);
      expect(l.unitPrice.source).toMatch(/https:\/\/|@ [0-9a-f]{8}/);
    }
  });

  test('only the documented prices are still marked VERIFY', () => {
    const verify = lines.filter((l) => l.unitPrice.source.startsWith('VERIFY'));
    expect(verify.length).toBeGreaterThan(0);
    for (const l of verify) {
      expect({ item: l.item, matched: STILL_VERIFY.some((re) => re.test(l.item)) }).toEqual({
        item: l.item,
        matched: true,
      });
    }
    for (const l of lines.filter((x) => !x.unitPrice.source.startsWith('VERIFY'))) {
      expect(l.unitPrice.source).not.toMatch(/VERIFY/);
    }
  });

  test('the examples synthesize the unverified prices the list names, and no other', () => {
    const items = lines.filter((l) => l.unitPrice.source.startsWith('VERIFY')).map((l) => l.item);
    expect(items.some((i) => STILL_VERIFY[0].test(i))).toBe(true);
    expect(items.some((i) => STILL_VERIFY[1].test(i))).toBe(true);
  });

  test('gke-l7-rilb is verified: one proxy instance at $0.025/h from infracost @ 95ba4f49, 730 h = $18.25 a month', () => {
    const rilb = lines.filter((l) => /gke-l7-rilb/.test(l.item));
    expect(rilb.length).toBeGreaterThan(0);
    for (const l of rilb) {
      expect(l.unitPrice).toMatchObject({ usd: 0.025, region: 'us-central1', asOf: '2026-08-21' });
      expect(l.unitPrice.source).toMatch(
        /^infracost\/infracost @ 95ba4f49 .*compute_target_grpc_proxy_test\.golden/,
      );
      expect(l.monthlyUsd).toEqual({ min: 18.25, max: 18.25 });
    }
  });

  test('each line is quantity x unit price x hours (x the spot fraction on spot lines), rounded to cents', () => {
    const spot = new Map(
      exampleNames().flatMap((name) =>
        readSynthOutput(exampleOutdir(name).outdir).map((s) => [
          s.name,
          s.costEstimate?.spotFractionOfOnDemand,
        ]),
      ),
    );
    expect(lines.some((l) => l.pricingModel === 'SPOT')).toBe(true);
    for (const l of lines) {
      const stackName = l.constructPath.split('/')[0];
      const factor = l.pricingModel === 'SPOT' ? spot.get(stackName)! : 1;
      expect(l.hoursPerMonth).toBe(HOURS_PER_MONTH);
      for (const at of ['min', 'max'] as const) {
        const qty = at === 'min' ? l.minQuantity : l.maxQuantity;
        expect({ item: l.item, at, usd: l.monthlyUsd[at] }).toEqual({
          item: l.item,
          at,
          usd: Math.round(qty * l.unitPrice.usd * factor * l.hoursPerMonth * 100) / 100,
        });
      }
    }
  });

  test('the cost tables of the examples flag the unverified prices and print no unit price as 0.000 or in exponent notation', () => {
    for (const name of exampleNames()) {
      const stacks = readSynthOutput(exampleOutdir(name).outdir);
      const md = renderCostTables(stacks);
      const verify = stacks
        .flatMap((s) => s.costEstimate?.lines ?? [])
        .filter((l) => l.unitPrice.source.startsWith('VERIFY'));
      expect({ name, warns: /\*\*Warning: \d+ unit prices? (is|are) unverified\*\*/.test(md) }).toEqual({
        name,
        warns: verify.length > 0,
      });
      expect(md.match(/\(unverified\)/g)?.length ?? 0).toBe(verify.length);
      for (const st of stacks) {
        for (const l of st.costEstimate?.lines ?? []) {
          // Each line in its billing unit (docs/architectures.md rows multiply out: test/core/unit-prices.test.ts).
          expect(md).toContain(`${formatUnitPrice(l, st.costEstimate!.spotFractionOfOnDemand)} [`);
        }
      }
      for (const l of stacks.flatMap((st) => st.costEstimate?.lines ?? [])) {
        const text = formatHourlyUsd(l.unitPrice.usd);
        expect(text).toMatch(/^\d+\.\d{3,}$/);
        // A price above zero never prints as zero, and keeps at least three significant digits.
        if (l.unitPrice.usd > 0) {
          expect({ item: l.item, ratio: Number(text) / l.unitPrice.usd }).toEqual({
            item: l.item,
            ratio: expect.closeTo(1, 2),
          });
        }
      }
    }
  });
});
