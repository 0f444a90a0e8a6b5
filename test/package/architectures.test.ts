import { readFileSync } from 'fs';
import { ARCHITECTURES_MD, exampleNames, renderArchitectures } from '../../scripts/architectures';
import { exampleOutdir } from '../synth-cache';

// docs/architectures.md is generated from the synthesized examples; this keeps it true.
describe('docs/architectures.md', () => {
  test('lists every example of examples/app.ts', () => {
    expect(exampleNames()).toEqual(
      expect.arrayContaining([
        'quickstart',
        'aws-training',
        'aws-inference',
        'gcp-training',
        'gcp-inference',
      ]),
    );
    expect(exampleNames().length).toBeGreaterThanOrEqual(8);
  });

  test('is what the examples synthesize today (else run `npm run docs:architectures` and read the diff)', () => {
    // The examples as synthesized once for the whole jest run (test/synth-cache.ts).
    expect(readFileSync(ARCHITECTURES_MD, 'utf8')).toBe(renderArchitectures(exampleOutdir));
  }, 120_000);
});
