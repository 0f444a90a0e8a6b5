import { exampleNames } from '../../scripts/architectures';
import { readSynthOutput } from '../../lib/report';
import { exampleOutdir } from '../synth-cache';

// Every cost line the examples synthesize carries a region, a date and a source (issue 11 §4), and
// only the prices no dated machine-readable source was found for are still marked VERIFY: the
// list below is the one docs/core.md ("Pricing and cost estimates") gives.
const STILL_VERIFY = [
  /^FSx for Lustre /,
  /^Managed Prometheus samples ingested/,
  /^hyperdisk-balanced boot disk/,
  /^a3-ultragpu-8g$/,
  /gke-l7-rilb/,
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
});
