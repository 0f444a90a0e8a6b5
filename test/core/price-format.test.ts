import * as fc from 'fast-check';
import { formatEnUs } from '../../lib/core/price-format';

// formatEnUs is toLocaleString('en-US') without loading Intl for whole numbers; it must print
// exactly what Intl prints for every number.
describe('formatEnUs', () => {
  test.each([
    0,
    7,
    999,
    1000,
    1632,
    12345,
    1234567,
    -1,
    -1000,
    -987654321,
    2 ** 53,
    -0,
    1e21,
    0.5,
    1234.5678,
    NaN,
    Infinity,
  ])('prints %p as toLocaleString("en-US") does', (n) => {
    expect(formatEnUs(n)).toBe(n.toLocaleString('en-US'));
  });

  test('matches toLocaleString("en-US") on any number', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double()), (n) => {
        expect(formatEnUs(n)).toBe(n.toLocaleString('en-US'));
      }),
      { numRuns: 2000 },
    );
  });
});
