import { Accelerator, ValidationError } from '../../lib/core';
import { GkeCluster } from '../../lib/gcp/cluster';
import { ComputeClass } from '../../lib/gcp/compute-class';
import { GPU_MACHINE_TYPES } from '../../lib/gcp/machine-types';
import { GkeNetwork } from '../../lib/gcp/network';
import { resolveMachine } from '../../lib/gcp/private/node-pool';
import { gcpStack } from './helpers';

// A GKE pool's 'machineType' decides the GPU its nodes carry (reference/gcp.md §3): an
// 'accelerator' or 'gpusPerNode' that disagrees with the catalogue is refused by every GKE GPU
// pool construct, naming both props and what is allowed.

/** Every accelerator of the catalogue, and one Google Cloud does not offer. */
const ACCELERATORS = [
  ...new Map(GPU_MACHINE_TYPES.map((m) => [m.accelerator.id, m.accelerator])).values(),
  Accelerator.L40S,
];

describe('resolveMachine over the whole catalogue', () => {
  test.each(GPU_MACHINE_TYPES.map((m) => [m.name, m] as const))(
    '%s is accepted with its own accelerator and GPU count only',
    (name, m) => {
      for (const acc of ACCELERATORS) {
        const resolve = () => resolveMachine(acc, m.gpuCount, name, undefined);
        if (acc.equals(m.accelerator)) expect(resolve()).toBe(m);
        else
          expect(resolve).toThrow(
            `'machineType' (${name}) carries ${m.accelerator.id}, not 'accelerator' ${acc.id}`,
          );
      }
      for (const gpus of [1, 2, 4, 8, 16]) {
        const resolve = () => resolveMachine(m.accelerator, gpus, name, gpus);
        if (gpus === m.gpuCount) expect(resolve()).toBe(m);
        else
          expect(resolve).toThrow(
            `'machineType' (${name}) has ${m.gpuCount} GPUs but 'gpusPerNode' is ${gpus}`,
          );
      }
    },
  );
});

function cluster() {
  const { stack } = gcpStack();
  const network = new GkeNetwork(stack, 'Network', { project: 'my-proj', region: 'us-central1' });
  return { stack, cluster: new GkeCluster(stack, 'Cluster', { network }) };
}

type Pool = (accelerator: Accelerator, machineType: string, gpusPerNode?: number) => unknown;
const POOLS: Array<[string, Pool]> = [
  [
    'TrainingNodePool',
    (accelerator, machineType, gpusPerNode) =>
      cluster().cluster.addTrainingNodePool('Train', {
        accelerator,
        machineType,
        gpusPerNode,
        nodes: 2,
        zone: 'us-central1-a',
      }),
  ],
  [
    'InferenceNodePool',
    (accelerator, machineType, gpusPerNode) =>
      cluster().cluster.addInferenceNodePool('Serve', { accelerator, machineType, gpusPerNode, maxNodes: 2 }),
  ],
  [
    'ComputeClass',
    (accelerator, machineType, gpusPerNode) => {
      const s = cluster();
      return new ComputeClass(s.stack, 'Class', {
        cluster: s.cluster,
        accelerator,
        machineType,
        gpusPerNode,
      });
    },
  ],
];

describe.each(POOLS)('%s refuses a machine type that does not carry its accelerator', (_name, pool) => {
  test('H100 on a3-ultragpu-8g (an H200 machine): names both props, the allowed accelerator and the H100 shapes', () => {
    expect(() => pool(Accelerator.H100, 'a3-ultragpu-8g')).toThrow(ValidationError);
    expect(() => pool(Accelerator.H100, 'a3-ultragpu-8g')).toThrow(
      "'machineType' (a3-ultragpu-8g) carries H200, not 'accelerator' H100: the allowed accelerator for " +
        "a3-ultragpu-8g is H200. Set 'accelerator' to H200, or pick one of the H100 machine types: a3-highgpu-8g (8 GPUs), " +
        'a3-highgpu-1g (1 GPU), a3-highgpu-2g (2 GPUs), a3-highgpu-4g (4 GPUs), a3-megagpu-8g (8 GPUs).',
    );
  });

  test('A100 40GB on a2-ultragpu-1g (an A100 80GB machine)', () => {
    expect(() => pool(Accelerator.A100_40GB, 'a2-ultragpu-1g')).toThrow(
      /carries A100_80GB, not 'accelerator' A100_40GB: .* Set 'accelerator' to A100_80GB, or pick one of the A100_40GB machine types: a2-highgpu-1g \(1 GPU\)/,
    );
  });

  test('an accelerator Google Cloud does not offer says so', () => {
    expect(() => pool(Accelerator.L40S, 'g2-standard-8')).toThrow(
      /Set 'accelerator' to L4: no Google Cloud machine type in the catalogue carries L40S\./,
    );
  });

  test('a GPU count the machine type does not have names the machine types with that count', () => {
    expect(() => pool(Accelerator.L4, 'g2-standard-24', 1)).toThrow(
      "'machineType' (g2-standard-24) has 2 GPUs but 'gpusPerNode' is 1: drop gpusPerNode (the machine type " +
        'sets it) or pick one of the L4 machine types with 1 GPU: g2-standard-8 (1 GPU), g2-standard-4 (1 GPU), ' +
        'g2-standard-12 (1 GPU), g2-standard-16 (1 GPU), g2-standard-32 (1 GPU).',
    );
  });

  test('a GPU count no machine type of the accelerator has lists the counts there are', () => {
    expect(() => pool(Accelerator.H200, 'a3-ultragpu-8g', 4)).toThrow(
      /'gpusPerNode' is 4: .* another count: H200 machine types are a3-ultragpu-8g \(8 GPUs\)\./,
    );
  });
});
