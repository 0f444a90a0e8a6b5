import { Accelerator, Capacity, ValidationError } from '../../lib/core';
import { GkeCluster } from '../../lib/gcp/cluster';
import { GpuDirect } from '../../lib/gcp/machine-types';
import { GkeNetwork } from '../../lib/gcp/network';
import * as reservation from '../../lib/gcp/private/reservation';
import { resourcesOf, synthJson } from '../util';
import { gcpStack } from './helpers';

// The GKE pools check their capacity (reservationAffinity → validateGcpReservation) before the
// zone rules, so a pool with both wrong is not fixed one error at a time; createGpuNodePool used
// to run the same check a second time. These tests count the checks and pin the error order.

function cluster() {
  const { stack } = gcpStack();
  const network = new GkeNetwork(stack, 'Network', {
    project: 'my-proj',
    region: 'us-central1',
    gpuDirect: GpuDirect.TCPXO,
  });
  return { stack, cluster: new GkeCluster(stack, 'Cluster', { network }) };
}

function poolOf(kind: 'inference' | 'training', capacity: Capacity, zone: string | null = 'us-central1-a') {
  const s = cluster();
  const pool =
    kind === 'inference'
      ? s.cluster.addInferenceNodePool('Pool', {
          accelerator: Accelerator.L4,
          maxNodes: 2,
          capacity,
          nodeLocations: zone === null ? undefined : [zone],
        })
      : s.cluster.addTrainingNodePool('Pool', {
          accelerator: Accelerator.H100,
          machineType: 'a3-megagpu-8g',
          nodes: 2,
          zone: zone ?? undefined,
          capacity,
        });
  return { ...s, pool };
}

describe('GKE GPU pools check their capacity once', () => {
  let spy: jest.SpyInstance;
  beforeEach(() => {
    spy = jest.spyOn(reservation, 'validateGcpReservation');
  });
  afterEach(() => spy.mockRestore());

  test.each(['inference', 'training'] as const)('%s pool: one reservation check per pool', (kind) => {
    const { stack, pool } = poolOf(kind, Capacity.reservation('gpu-res'));
    const scopes = spy.mock.calls.map((c) => (c[0] as { node: { path: string } }).node.path);
    expect(scopes).toEqual([pool.node.path]);
    // The affinity computed by that one check is the one synthesized.
    const res = Object.values(resourcesOf(synthJson(stack), 'google_container_node_pool'))[0];
    expect(res.node_config.reservation_affinity).toEqual({
      consume_reservation_type: 'SPECIFIC_RESERVATION',
      key: 'compute.googleapis.com/reservation-name',
      values: ['gpu-res'],
    });
  });

  // A zone rule each pool checks after its capacity: the inference pool's nodeLocations outside
  // the region, the training pool's missing zone (null) on a regional cluster.
  const BAD_ZONE = { inference: 'europe-west4-a', training: null };

  test.each(['inference', 'training'] as const)(
    '%s pool: the capacity error still comes before the zone error',
    (kind) => {
      let error: unknown;
      try {
        poolOf(kind, Capacity.reservation('cr-0123456789abcdef0'), BAD_ZONE[kind]);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(/is an AWS EC2 capacity reservation id/);
      expect(spy).toHaveBeenCalledTimes(1);
    },
  );

  test.each(['inference', 'training'] as const)('%s pool: the zone error alone is unchanged', (kind) => {
    expect(() => poolOf(kind, Capacity.onDemand(), BAD_ZONE[kind])).toThrow(
      kind === 'inference'
        ? /'nodeLocations\[0\]' \('europe-west4-a'\) is in region 'europe-west4'/
        : /'zone' is required for a training pool/,
    );
  });

  test.each(['inference', 'training'] as const)(
    '%s pool: a Capacity Block is refused once, before the zone',
    (kind) => {
      expect(() => poolOf(kind, Capacity.capacityBlock('cr-0123456789abcdef0'), BAD_ZONE[kind])).toThrow(
        /CAPACITY_BLOCK\(cr-0123456789abcdef0\) is an AWS EC2 Capacity Block/,
      );
    },
  );
});
