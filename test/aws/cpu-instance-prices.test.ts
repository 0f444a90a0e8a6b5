import { CPU_INSTANCE_PRICE_SOURCE, CPU_INSTANCE_TYPES } from '../../lib/aws';

// The CPU catalogue's prices, pinned row by row to the dated source (Karpenter's table generated
// from the AWS Price List API for us-east-1, Linux on-demand).
describe('CPU_INSTANCE_TYPES prices', () => {
  test.each([
    ['m7i.xlarge', 0.2016],
    ['m7i.2xlarge', 0.4032],
    ['m7i.4xlarge', 0.8064],
    ['m7i.8xlarge', 1.6128],
    ['r7i.xlarge', 0.2646],
    ['r7i.2xlarge', 0.5292],
    ['r7i.4xlarge', 1.0584],
    ['r7i.8xlarge', 2.1168],
    ['r7i.16xlarge', 4.2336],
  ])('%s is $%p an hour on demand in us-east-1', (name, usd) => {
    const shape = CPU_INSTANCE_TYPES.find((s) => s.name === name)!;
    expect(shape.onDemandPrice).toEqual({
      usd,
      region: 'us-east-1',
      asOf: '2026-01-19',
      source: CPU_INSTANCE_PRICE_SOURCE,
    });
  });

  test('every row is pinned above, and the source is cited with its commit and date, not marked VERIFY', () => {
    expect(CPU_INSTANCE_TYPES).toHaveLength(9);
    expect(CPU_INSTANCE_PRICE_SOURCE).toMatch(/karpenter-provider-aws .*@ [0-9a-f]{8} .*2026-01-19/);
    expect(CPU_INSTANCE_PRICE_SOURCE).not.toMatch(/VERIFY/);
  });
});
