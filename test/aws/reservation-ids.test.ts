import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { TerraformStack } from 'cdktf';
import { AutoModeGpuNodePool, EksCluster, Karpenter, KarpenterGpuNodePool } from '../../lib/aws';
import { Accelerator, Capacity, ValidationError } from '../../lib/core';
import { awsStack, clusterStack, network } from './util';
import { validationErrorOf } from '../util';

// Capacity.reservation() takes an AWS id ('cr-...') or a GCP reservation name: every AWS path
// that renders a reservation id refuses a GCP name at synth instead of writing it to Terraform
// (where EC2 rejects it at apply).

const GCP_NAME = 'xyz';
const ODCR = 'cr-0fedcba9876543210';

function expectReservationIdError(e: ValidationError, prop: string): void {
  expect(e.code).toBe('aws-reservation-id');
  expect(e.detail).toContain(`'${prop}' ('${GCP_NAME}')`);
  expect(e.detail).toMatch(/'cr-' followed by 17 \(or, for old ones, 8\) lower-case hex digits/);
  expect(e.detail).toMatch(/pass the id of the EC2 On-Demand Capacity Reservation/);
}

function elastic(kind: 'karpenter' | 'auto-mode') {
  const infra = awsStack('infra');
  const app = infra.node.root as any;
  const cluster = new EksCluster(infra, 'Cluster', {
    network: network(infra),
    clusterName: 'gpu',
    ...(kind === 'auto-mode' ? { autoMode: {} } : {}),
  });
  const workloads = new TerraformStack(app, 'workloads');
  new KubernetesProvider(workloads, 'kubernetes', {});
  if (kind === 'auto-mode') {
    return (props: object) =>
      new AutoModeGpuNodePool(workloads, 'H100', {
        cluster,
        accelerator: Accelerator.H100,
        maxGpus: 64,
        ...props,
      });
  }
  const platform = new TerraformStack(app, 'platform');
  new HelmProvider(platform, 'helm', {});
  const karpenter = new Karpenter(platform, 'Karpenter', { cluster });
  return (props: object) =>
    new KarpenterGpuNodePool(workloads, 'H100', {
      karpenter,
      accelerator: Accelerator.H100,
      maxGpus: 64,
      ...props,
    });
}

describe('AWS capacity reservation ids', () => {
  test('a training node group refuses a GCP reservation name', () => {
    const { cluster } = clusterStack();
    const e = validationErrorOf(() =>
      cluster.addTrainingNodeGroup('H100', {
        accelerator: Accelerator.H100,
        nodes: 2,
        capacity: Capacity.reservation(GCP_NAME),
        reservationAvailabilityZone: 'us-east-1a',
      }),
    );
    expectReservationIdError(e, 'capacity');
    expect(e.constructPath).toMatch(/H100/);
  });

  test('an inference node group refuses a GCP reservation name', () => {
    const { cluster } = clusterStack();
    const e = validationErrorOf(() =>
      cluster.addInferenceNodeGroup('L40S', {
        accelerator: Accelerator.L40S,
        capacity: Capacity.reservation(GCP_NAME),
        subnets: [cluster.network.privateSubnets[0]],
      }),
    );
    expectReservationIdError(e, 'capacity');
  });

  test('a node group refuses the GCP-only reservation options', () => {
    const { cluster } = clusterStack();
    const e = validationErrorOf(() =>
      cluster.addInferenceNodeGroup('L40S', {
        accelerator: Accelerator.L40S,
        capacity: Capacity.reservation(ODCR, { project: 'shared-project' }),
        subnets: [cluster.network.privateSubnets[0]],
      }),
    );
    expect(e.detail).toMatch(/'capacity' \(Capacity.reservation\('cr-0fedcba9876543210', \{ project \}\)\)/);
    expect(e.detail).toMatch(/GCP shared reservations.*remove/);
  });

  test.each(['karpenter', 'auto-mode'] as const)(
    'a %s pool refuses a GCP reservation name as capacity and as a fallback',
    (kind) => {
      expectReservationIdError(
        validationErrorOf(() => elastic(kind)({ capacity: Capacity.reservation(GCP_NAME) })),
        'capacity',
      );
      expectReservationIdError(
        validationErrorOf(() =>
          elastic(kind)({
            capacity: Capacity.reservation(ODCR),
            fallbackCapacity: [Capacity.reservation(GCP_NAME)],
          }),
        ),
        'fallbackCapacity[0]',
      );
    },
  );

  test('AWS reservation ids are still accepted on every path', () => {
    const { cluster } = clusterStack();
    expect(() =>
      cluster.addInferenceNodeGroup('L40S', {
        accelerator: Accelerator.L40S,
        capacity: Capacity.reservation(ODCR),
        subnets: [cluster.network.privateSubnets[0]],
      }),
    ).not.toThrow();
    expect(() =>
      cluster.addTrainingNodeGroup('H100', {
        accelerator: Accelerator.H100,
        nodes: 2,
        capacity: Capacity.reservation('cr-0abc1234'),
        reservationAvailabilityZone: 'us-east-1a',
      }),
    ).not.toThrow();
    for (const kind of ['karpenter', 'auto-mode'] as const) {
      expect(() => elastic(kind)({ capacity: Capacity.reservation(ODCR) })).not.toThrow();
    }
  });
});
