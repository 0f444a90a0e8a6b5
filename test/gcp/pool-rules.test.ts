import { PoolPlan, poolRuleViolation } from '../../lib/gcp/private/pool-rules';

const base: PoolPlan = {
  machineType: 'a3-megagpu-8g',
  spot: false,
  flexStart: false,
  queuedProvisioning: false,
  reservationType: 'NO_RESERVATION',
  reservationValues: [],
  staticNodeCount: 2,
  autoscaling: undefined,
  autoRepair: true,
  compactPlacement: true,
  nodeLocations: ['us-central1-a'],
  upgradeStrategy: 'SURGE',
};
const flex: PoolPlan = {
  ...base,
  flexStart: true,
  staticNodeCount: undefined,
  autoscaling: { totalMin: 0, totalMax: 2 },
  autoRepair: false,
  compactPlacement: false,
};
const queued: PoolPlan = { ...flex, flexStart: false, queuedProvisioning: true };

// One test per row of reference/gcp.md §6.2.
describe('poolRuleViolation (reference/gcp.md §6.2)', () => {
  test('accepts a valid static compact pool', () => {
    expect(poolRuleViolation(base)).toBeUndefined();
  });
  test('accepts valid flex-start and queued pools', () => {
    expect(poolRuleViolation(flex)).toBeUndefined();
    expect(poolRuleViolation(queued)).toBeUndefined();
  });
  test('flex_start + spot', () => {
    expect(poolRuleViolation({ ...flex, spot: true })).toMatch(/flex-start cannot run on Spot/);
  });
  test('flex_start + reservation other than NO_RESERVATION', () => {
    expect(poolRuleViolation({ ...flex, reservationType: 'ANY_RESERVATION' })).toMatch(
      /flex-start requires reservation affinity NO_RESERVATION \(got ANY_RESERVATION\)/,
    );
  });
  test('flex_start + static node_count', () => {
    expect(poolRuleViolation({ ...flex, autoscaling: undefined, staticNodeCount: 2 })).toMatch(
      /flex-start pools must autoscale/,
    );
  });
  test('flex_start + auto_repair', () => {
    expect(poolRuleViolation({ ...flex, autoRepair: true })).toMatch(
      /'autoRepair' \(true\) is not allowed with flex-start/,
    );
  });
  test('queued_provisioning + spot', () => {
    expect(poolRuleViolation({ ...queued, spot: true })).toMatch(/queued provisioning cannot use Spot/);
  });
  test('queued_provisioning + reservation', () => {
    expect(
      poolRuleViolation({ ...queued, reservationType: 'SPECIFIC_RESERVATION', reservationValues: ['r'] }),
    ).toMatch(/queued provisioning requires reservation affinity NO_RESERVATION/);
  });
  test('queued_provisioning + total_min_node_count != 0', () => {
    expect(poolRuleViolation({ ...queued, autoscaling: { totalMin: 1, totalMax: 2 } })).toMatch(
      /total minimum of 0 nodes \(got 1\)/,
    );
  });
  test('queued_provisioning + COMPACT', () => {
    expect(poolRuleViolation({ ...queued, compactPlacement: true })).toMatch(
      /'compactPlacement' \(true\) cannot be combined with queued provisioning/,
    );
  });
  test('spot + reservation', () => {
    expect(poolRuleViolation({ ...base, spot: true, reservationType: 'ANY_RESERVATION' })).toMatch(
      /Spot VMs require reservation affinity NO_RESERVATION/,
    );
  });
  test('COMPACT + multi-zone', () => {
    expect(poolRuleViolation({ ...base, nodeLocations: ['us-central1-a', 'us-central1-b'] })).toMatch(
      /needs exactly one zone, got 2/,
    );
  });
  test('COMPACT + cluster zones', () => {
    expect(poolRuleViolation({ ...base, nodeLocations: undefined })).toMatch(
      /needs exactly one zone, got the cluster's zones/,
    );
  });
  test('COMPACT + BLUE_GREEN', () => {
    expect(poolRuleViolation({ ...base, upgradeStrategy: 'BLUE_GREEN' })).toMatch(
      /BLUE_GREEN cannot be combined with COMPACT/,
    );
  });
  test('flex_start + COMPACT only on a3-ultragpu, a4, h4d', () => {
    expect(poolRuleViolation({ ...flex, compactPlacement: true })).toMatch(
      /only offered on a3-ultragpu-\*, a4-\*, h4d-\*, not a3-megagpu-8g/,
    );
    expect(
      poolRuleViolation({ ...flex, compactPlacement: true, machineType: 'a3-ultragpu-8g' }),
    ).toBeUndefined();
  });
  test('node_count + autoscaling', () => {
    expect(poolRuleViolation({ ...base, autoscaling: { totalMin: 0, totalMax: 2 } })).toMatch(
      /either a static node_count or autoscaling/,
    );
  });
  test('SPECIFIC_RESERVATION with more than one reservation', () => {
    expect(
      poolRuleViolation({ ...base, reservationType: 'SPECIFIC_RESERVATION', reservationValues: ['a', 'b'] }),
    ).toMatch(/exactly one reservation per node pool \(got 2\)/);
  });
  test('SPECIFIC_RESERVATION without explicit zones', () => {
    expect(
      poolRuleViolation({
        ...base,
        compactPlacement: false,
        nodeLocations: undefined,
        reservationType: 'SPECIFIC_RESERVATION',
        reservationValues: ['a'],
      }),
    ).toMatch(/a specific reservation needs explicit zones/);
  });
  test('autoscaling maximum below minimum', () => {
    expect(
      poolRuleViolation({
        ...base,
        staticNodeCount: undefined,
        compactPlacement: false,
        autoscaling: { totalMin: 3, totalMax: 1 },
      }),
    ).toMatch(/total maximum \(1\) is below the minimum \(3\)/);
  });
});
