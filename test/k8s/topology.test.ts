import { Accelerator, ValidationError } from '../../lib/core';
import {
  HOSTNAME_LABEL,
  TopologyPlacement,
  TrainingJob,
  TrainingJobProps,
  TrainingQueues,
  TrainingQueuesProps,
  TrainingTopology,
} from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads } from './helpers';

// Kueue v0.19.2 topology-aware scheduling: the Topology CRD (kueue.x-k8s.io_topologies.yaml,
// v1beta2: 1-16 levels, unique, kubernetes.io/hostname only last), ResourceFlavor
// spec.topologyName, and the pod-template annotations of apis/kueue/v1beta2/topology_types.go.

const QUEUES: TrainingQueuesProps = {
  namespaces: ['research'],
  flavors: [
    {
      name: 'h100-reserved',
      nodeLabels: { 'cdktf-ai-infra/accelerator': 'h100' },
      gpus: 64,
      cpus: 1536,
      memoryGiB: 16384,
    },
  ],
};

const JOB: TrainingJobProps = {
  image: 'pytorch/pytorch:2.13.0-cuda13.0-cudnn9-runtime',
  command: ['torchrun', 'train.py'],
  nodes: 4,
  gpusPerNode: 8,
  accelerator: Accelerator.H100,
  checkpoint: { uri: 's3://ckpt/llama/' },
  queueName: 'training',
};

function manifests(json: any, kind: string): any[] {
  return Object.values(resourcesOf(json, 'kubernetes_manifest'))
    .map((m: any) => m.manifest)
    .filter((m: any) => m.kind === kind);
}

function build(queue: Partial<TrainingQueuesProps> = {}, job?: Partial<TrainingJobProps>) {
  const { workloads } = platformAndWorkloads();
  const queues = new TrainingQueues(workloads, 'Training', { ...QUEUES, ...queue });
  const trainer = job ? new TrainingJob(workloads, 'Llama', { ...JOB, ...job }) : undefined;
  const json = synthJson(workloads);
  return { json, queues, trainer };
}

describe('TrainingTopology levels', () => {
  test('EKS: the three network-node layers broadest first, then the node', () => {
    expect(TrainingTopology.eks().levels).toEqual([
      'topology.k8s.aws/network-node-layer-1',
      'topology.k8s.aws/network-node-layer-2',
      'topology.k8s.aws/network-node-layer-3',
      HOSTNAME_LABEL,
    ]);
  });

  test('EKS with layer 4 (four-layer instance types)', () => {
    expect(TrainingTopology.eks({ layer4: true }).levels).toContain('topology.k8s.aws/network-node-layer-4');
    expect(TrainingTopology.eks({ layer4: true }).levels.at(-1)).toBe(HOSTNAME_LABEL);
  });

  test('GKE: block, subblock, host, node', () => {
    expect(TrainingTopology.gke().levels).toEqual([
      'cloud.google.com/gce-topology-block',
      'cloud.google.com/gce-topology-subblock',
      'cloud.google.com/gce-topology-host',
      HOSTNAME_LABEL,
    ]);
  });

  test('custom levels are copied, not shared', () => {
    const levels = ['example.com/block', 'example.com/rack'];
    const t = TrainingTopology.custom(levels);
    levels.push('x');
    expect(t.levels).toEqual(['example.com/block', 'example.com/rack']);
  });
});

describe('TrainingQueues topology', () => {
  test('no topology by default: no Topology object, flavors without topologyName', () => {
    const { json, queues } = build();
    expect(manifests(json, 'Topology')).toHaveLength(0);
    expect(manifests(json, 'ResourceFlavor')[0].spec.topologyName).toBeUndefined();
    expect(queues.topologyLevels).toBeUndefined();
  });

  test('a Topology named like the queue, referenced by every flavor', () => {
    const { json, queues } = build({
      topology: TrainingTopology.eks(),
      flavors: [
        QUEUES.flavors[0],
        { ...QUEUES.flavors[0], name: 'h100-spot', nodeLabels: { 'capacity-type': 'spot' } },
      ],
    });
    const [topo] = manifests(json, 'Topology');
    expect(topo).toEqual({
      apiVersion: 'kueue.x-k8s.io/v1beta2',
      kind: 'Topology',
      metadata: { name: 'training', labels: { 'app.kubernetes.io/managed-by': 'cdktf-ai-infra' } },
      spec: { levels: TrainingTopology.eks().levels.map((nodeLabel) => ({ nodeLabel })) },
    });
    expect(manifests(json, 'ResourceFlavor').map((f) => f.spec.topologyName)).toEqual([
      'training',
      'training',
    ]);
    expect(queues.topologyLevels).toEqual(TrainingTopology.eks().levels);
  });

  test('flavors are created after the Topology', () => {
    const { json } = build({ topology: TrainingTopology.gke() });
    const flavor: any = Object.entries(resourcesOf(json, 'kubernetes_manifest')).find(
      ([, m]: any) => m.manifest.kind === 'ResourceFlavor',
    )![1];
    expect(flavor.depends_on).toEqual([expect.stringMatching(/^kubernetes_manifest\.Training_Topology_/)]);
  });

  const bad: Array<[string, string[], RegExp]> = [
    ['no levels', [], /'topology.levels' has 0 levels; a Kueue Topology takes 1 to 16/],
    ['17 levels', Array.from({ length: 17 }, (_, i) => `example.com/l${i}`), /has 17 levels/],
    [
      'hostname not last',
      [HOSTNAME_LABEL, 'example.com/rack'],
      /'kubernetes.io\/hostname' at level 1 of 2: Kueue allows it only as the lowest/,
    ],
    [
      'a duplicate level',
      ['example.com/rack', 'example.com/rack'],
      /'topology.levels' lists 'example.com\/rack' twice/,
    ],
    ['an invalid label key', ['example.com/rack!'], /'topology.levels\[0\]'/],
  ];
  test.each(bad)('%s is a ValidationError', (_n, levels, message) => {
    expect(() => build({ topology: TrainingTopology.custom(levels) })).toThrow(ValidationError);
    expect(() => build({ topology: TrainingTopology.custom(levels) })).toThrow(message);
  });

  test('a topology that is not a TrainingTopology is a ValidationError', () => {
    expect(() => build({ topology: { levels: ['a'] } as any })).toThrow(
      /'topology' must be a TrainingTopology/,
    );
  });
});

describe('TrainingJob topology', () => {
  function jobSet(job: Partial<TrainingJobProps>) {
    const { json } = build({ topology: TrainingTopology.eks() }, job);
    const js: any = Object.values(resourcesOf(json, 'kubernetes_manifest')).find(
      (m: any) => m.manifest.kind === 'JobSet',
    );
    return { js, template: js.manifest.spec.replicatedJobs[0].template.spec.template };
  }

  test('required by default: the podset-required-topology annotation on the pod template', () => {
    const { template } = jobSet({ topology: { level: 'topology.k8s.aws/network-node-layer-3' } });
    expect(template.metadata.annotations).toEqual({
      'kueue.x-k8s.io/podset-required-topology': 'topology.k8s.aws/network-node-layer-3',
    });
  });

  test('preferred placement uses podset-preferred-topology', () => {
    const { template } = jobSet({
      topology: { level: 'topology.k8s.aws/network-node-layer-2', placement: TopologyPlacement.PREFERRED },
    });
    expect(template.metadata.annotations).toEqual({
      'kueue.x-k8s.io/podset-preferred-topology': 'topology.k8s.aws/network-node-layer-2',
    });
  });

  test('the pod-template annotations are left to the cluster (Kueue adds its workload annotation)', () => {
    const { js } = jobSet({ topology: { level: 'topology.k8s.aws/network-node-layer-3' } });
    expect(js.computed_fields).toContain(
      'spec.replicatedJobs[0].template.spec.template.metadata.annotations',
    );
  });

  test('no topology: no pod-template annotations and no extra computed field', () => {
    const { js, template } = jobSet({});
    expect(template.metadata.annotations).toBeUndefined();
    expect(js.computed_fields).not.toContain(
      'spec.replicatedJobs[0].template.spec.template.metadata.annotations',
    );
  });

  test('level checked against the queue levels when given', () => {
    const { workloads } = platformAndWorkloads();
    const queues = new TrainingQueues(workloads, 'Training', { ...QUEUES, topology: TrainingTopology.eks() });
    expect(
      () =>
        new TrainingJob(workloads, 'Llama', {
          ...JOB,
          topology: { level: 'cloud.google.com/gce-topology-block', levels: queues.topologyLevels },
        }),
    ).toThrow(
      /'topology.level' \('cloud.google.com\/gce-topology-block'\) is not a level of the queue's topology/,
    );
  });

  test('topology without queueName is a ValidationError', () => {
    expect(() => jobSet({ queueName: undefined, topology: { level: HOSTNAME_LABEL } })).toThrow(
      /'topology' needs 'queueName'/,
    );
  });

  test('an invalid level or placement is a ValidationError', () => {
    expect(() => jobSet({ topology: { level: 'bad level' } })).toThrow(/'topology.level'/);
    expect(() =>
      jobSet({ topology: { level: HOSTNAME_LABEL, placement: 'strict' as TopologyPlacement } }),
    ).toThrow(/'topology.placement' \('strict'\) must be one of 'required', 'preferred'/);
  });
});
