import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { TerraformStack, TerraformVariable } from 'cdktf';
import { Accelerator, Capacity, ValidationError } from '../../lib/core';
import { ComputeClass, GkeCluster, GkeNetwork } from '../../lib/gcp';
import { onlyResource, resourcesOf, synthApp, synthJson, validationErrorOf } from '../util';
import { gcpStack } from './helpers';

// Capacity.reservation() takes a GCP reservation name or an AWS id ('cr-...'). Every GKE path that
// consumes a reservation (training and inference node pools, ComputeClass priorities) refuses an
// AWS id at synth instead of writing it to reservation_affinity, where GKE would find no such
// reservation at apply.

const ODCR = 'cr-0123456789abcdef0';

function expectAwsIdError(e: ValidationError, prop: string): void {
  expect(e.code).toBe('gcp-resource-name');
  expect(e.detail).toContain(
    `'${prop}' (Capacity.reservation('${ODCR}')) is an AWS EC2 capacity reservation id`,
  );
  expect(e.detail).toMatch(/1-63 lower-case letters, digits and '-', starting with a letter/);
  expect(e.detail).toMatch(/gcloud compute reservations list/);
}

function cluster() {
  const { app, stack } = gcpStack('infra');
  const network = new GkeNetwork(stack, 'Network', { project: 'my-proj', region: 'us-central1' });
  return { app, stack, cluster: new GkeCluster(stack, 'Cluster', { network, deletionProtection: false }) };
}

function computeClass(props: { capacity?: Capacity; fallbackCapacity?: Capacity[] }) {
  const s = cluster();
  const workloads = new TerraformStack(s.app, 'workloads');
  new KubernetesProvider(workloads, 'kubernetes', {});
  const cc = new ComputeClass(workloads, 'H100Train', {
    cluster: s.cluster,
    accelerator: Accelerator.H100,
    gpusPerNode: 8,
    poolRole: 'training',
    ...props,
  });
  return { ...s, workloads, cc };
}

describe('GCP reservation names', () => {
  test('a training node pool refuses an AWS capacity reservation id', () => {
    const { cluster: c } = cluster();
    const e = validationErrorOf(() =>
      c.addTrainingNodePool('Train', {
        accelerator: Accelerator.H100,
        machineType: 'a3-megagpu-8g',
        nodes: 2,
        zone: 'us-central1-a',
        capacity: Capacity.reservation(ODCR),
      }),
    );
    expectAwsIdError(e, 'capacity');
    expect(e.constructPath).toMatch(/Train/);
  });

  test('an inference node pool refuses an AWS capacity reservation id', () => {
    const { cluster: c } = cluster();
    const e = validationErrorOf(() =>
      c.addInferenceNodePool('Serve', {
        accelerator: Accelerator.L4,
        nodeLocations: ['us-central1-a'],
        capacity: Capacity.reservation(ODCR),
      }),
    );
    expectAwsIdError(e, 'capacity');
    expect(e.constructPath).toMatch(/Serve/);
  });

  test('the capacity is checked before the zone requirement, so both errors are not fixed one at a time', () => {
    // Without nodeLocations, COMPACT placement (explicit, or for a multi-node replica) and a
    // training pool on a regional cluster need a zone; an AWS id or an AWS Capacity Block is
    // reported first, and only a valid GCP reservation reaches the zone error.
    const inference = (capacity: Capacity) => () =>
      cluster().cluster.addInferenceNodePool('Serve', {
        accelerator: Accelerator.H100,
        machineType: 'a3-megagpu-8g',
        compactPlacement: true,
        capacity,
      });
    const training = (capacity: Capacity) => () =>
      cluster().cluster.addTrainingNodePool('Train', {
        accelerator: Accelerator.H100,
        machineType: 'a3-megagpu-8g',
        nodes: 2,
        capacity,
      });
    expectAwsIdError(validationErrorOf(inference(Capacity.reservation(ODCR))), 'capacity');
    expectAwsIdError(validationErrorOf(training(Capacity.reservation(ODCR))), 'capacity');
    for (const make of [inference, training]) {
      expect(validationErrorOf(make(Capacity.capacityBlock(ODCR))).detail).toMatch(
        /CAPACITY_BLOCK\(cr-0123456789abcdef0\) is an AWS EC2 Capacity Block/,
      );
    }
    expect(validationErrorOf(inference(Capacity.reservation('a3-mega-res'))).detail).toMatch(
      /'compactPlacement' \(true\) needs exactly one zone: set 'nodeLocations'/,
    );
    expect(validationErrorOf(training(Capacity.reservation('a3-mega-res'))).detail).toMatch(
      /'zone' is required for a training pool on the regional cluster/,
    );
    // a single-node pool: the reservation's zone requirement comes after the name check too
    expectAwsIdError(
      validationErrorOf(() =>
        cluster().cluster.addInferenceNodePool('Serve', {
          accelerator: Accelerator.L4,
          capacity: Capacity.reservation(ODCR),
        }),
      ),
      'capacity',
    );
    expect(
      validationErrorOf(() =>
        cluster().cluster.addInferenceNodePool('Serve', {
          accelerator: Accelerator.L4,
          capacity: Capacity.reservation('l4-res'),
        }),
      ).detail,
    ).toMatch(/a specific reservation needs explicit zones/);
  });

  test('a ComputeClass refuses an AWS id as capacity and as a fallback', () => {
    expectAwsIdError(
      validationErrorOf(() => computeClass({ capacity: Capacity.reservation(ODCR) })),
      'capacity',
    );
    expectAwsIdError(
      validationErrorOf(() =>
        computeClass({
          capacity: Capacity.reservation('a3-res'),
          fallbackCapacity: [Capacity.spot(), Capacity.reservation(ODCR)],
        }),
      ),
      'fallbackCapacity[1]',
    );
  });

  test('malformed names and the projects/... form are refused where the capacity is made, naming the fix', () => {
    expect(() => Capacity.reservation('A3_Res')).toThrow(/must be 1-63 lower-case letters/);
    expect(() => Capacity.reservation('a3-res-')).toThrow(/not ending with '-'/);
    expect(() => Capacity.reservation(`r${'x'.repeat(63)}`)).toThrow(/must be 1-63/);
    const e = validationErrorOf(() =>
      Capacity.reservation('projects/shared-proj/reservations/a3-res/reservationBlocks/block-1'),
    );
    expect(e.code).toBe('gcp-resource-name');
    expect(e.detail).toContain(
      `Capacity.reservation('a3-res', { project: 'shared-proj', block: 'block-1' })`,
    );
    expect(
      validationErrorOf(() => Capacity.reservation('projects/shared-proj/reservations/a3-res')).detail,
    ).toContain(`Capacity.reservation('a3-res', { project: 'shared-proj' })`);
  });

  test('GCP names still reach every GKE path; a token name is left to GKE', () => {
    const s = cluster();
    s.cluster.addTrainingNodePool('Train', {
      accelerator: Accelerator.H100,
      machineType: 'a3-megagpu-8g',
      nodes: 2,
      zone: 'us-central1-a',
      capacity: Capacity.reservation('a3-mega-res', { project: 'shared-proj' }),
    });
    const name = new TerraformVariable(s.stack, 'reservation', { type: 'string' });
    s.cluster.addInferenceNodePool('Serve', {
      accelerator: Accelerator.L4,
      nodeLocations: ['us-central1-a'],
      capacity: Capacity.reservation(name.stringValue),
    });
    const pools = resourcesOf(synthJson(s.stack), 'google_container_node_pool') as Record<string, any>;
    const values = ['Train', 'Serve'].map(
      (id) => Object.entries(pools).find(([k]) => k.includes(id))![1].node_config.reservation_affinity.values,
    );
    expect(values).toEqual([['projects/shared-proj/reservations/a3-mega-res'], ['${var.reservation}']]);
    const c = computeClass({ capacity: Capacity.reservation('a3-res') });
    const manifest = onlyResource(synthApp(c.app)(c.workloads), 'kubernetes_manifest').manifest;
    expect(manifest.spec.priorities[0].reservations.specific).toEqual([{ name: 'a3-res' }]);
  });
});
