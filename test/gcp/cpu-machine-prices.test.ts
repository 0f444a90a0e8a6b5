import { CPU_MACHINE_TYPES, N2_ON_DEMAND_RATES } from '../../lib/gcp';

// The CPU catalogue's prices: N2 machine types priced from the N2 vCPU and memory rates of
// us-central1, pinned row by row.
describe('CPU_MACHINE_TYPES prices', () => {
  test('the N2 rates are $0.031611 per vCPU-hour and $0.004237 per GiB-hour in us-central1, with their source', () => {
    expect(N2_ON_DEMAND_RATES.vcpuUsd).toBe(0.031611);
    expect(N2_ON_DEMAND_RATES.memoryGiBUsd).toBe(0.004237);
    expect(N2_ON_DEMAND_RATES.region).toBe('us-central1');
    expect(N2_ON_DEMAND_RATES.source).toMatch(
      /opencost\/opencost configs\/default.json @ [0-9a-f]{8}.*read 2026-12-03/,
    );
    expect(N2_ON_DEMAND_RATES.source).not.toMatch(/VERIFY/);
  });

  test.each([
    ['n2-standard-8', 0.388472],
    ['n2-standard-16', 0.776944],
    ['n2-standard-32', 1.553888],
    ['n2-highmem-8', 0.524056],
    ['n2-highmem-16', 1.048112],
    ['n2-highmem-32', 2.096224],
    ['n2-highmem-64', 4.192448],
  ])('%s is $%p an hour on demand in us-central1', (name, usd) => {
    const shape = CPU_MACHINE_TYPES.find((s) => s.name === name)!;
    expect(shape.onDemandPrice).toEqual({
      usd,
      region: 'us-central1',
      asOf: '2026-12-03',
      source: N2_ON_DEMAND_RATES.source,
    });
  });

  test('every row is pinned above', () => {
    expect(CPU_MACHINE_TYPES).toHaveLength(7);
  });
});
