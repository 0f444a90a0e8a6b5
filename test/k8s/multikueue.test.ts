import { MULTIKUEUE_CONTROLLER_NAME, TrainingQueues, TrainingQueuesProps } from '../../lib/k8s';
import { resourcesOf, synthJson, validationErrorOf } from '../util';
import { platformAndWorkloads } from './helpers';
import { validateKubernetesObject } from '../consumers/k8s-schema';

// Kueue v0.19.2 MultiKueue: apis/kueue/v1beta2/multikueue_types.go, admissioncheck_types.go and
// the ClusterQueue's spec.admissionChecksStrategy (config/components/crd/bases).

const QUEUES: TrainingQueuesProps = {
  namespaces: ['research'],
  flavors: [
    {
      name: 'h100',
      nodeLabels: { 'cdktf-ai-infra/accelerator': 'h100' },
      gpus: 64,
      cpus: 1536,
      memoryGiB: 16384,
    },
  ],
};

const WORKERS = [
  { name: 'us-east-1-h100', kubeconfigSecretName: 'worker-us-east-1' },
  { name: 'europe-west4-h100', kubeconfigSecretName: 'worker-europe-west4' },
];

function build(props: Partial<TrainingQueuesProps> = {}, id = 'Training') {
  const { workloads } = platformAndWorkloads();
  const queues = new TrainingQueues(workloads, id, { ...QUEUES, ...props });
  const json = synthJson(workloads);
  const all = Object.entries(resourcesOf(json, 'kubernetes_manifest')).map(([k, m]: [string, any]) => ({
    key: k,
    ...m,
  }));
  const of = (kind: string) => all.filter((m) => m.manifest.kind === kind);
  return { queues, all, of };
}

describe('TrainingQueues multiKueue', () => {
  test('without multiKueue there is no admission check and the ClusterQueue has no strategy', () => {
    const { of, queues } = build();
    expect(of('AdmissionCheck')).toHaveLength(0);
    expect(of('MultiKueueCluster')).toHaveLength(0);
    expect(of('ClusterQueue')[0].manifest.spec.admissionChecksStrategy).toBeUndefined();
    expect(queues.admissionCheck).toBeUndefined();
  });

  test('renders a MultiKueueCluster per worker, the config in preference order, the check, and the queue strategy', () => {
    const { of, queues } = build({ multiKueue: { workers: WORKERS } });
    const byName = (a: any, b: any) =>
      WORKERS.findIndex((w) => w.name === a.metadata.name) -
      WORKERS.findIndex((w) => w.name === b.metadata.name);
    expect(
      of('MultiKueueCluster')
        .map((m) => m.manifest)
        .sort(byName),
    ).toEqual([
      expect.objectContaining({
        metadata: expect.objectContaining({ name: 'us-east-1-h100' }),
        spec: { clusterSource: { kubeConfig: { locationType: 'Secret', location: 'worker-us-east-1' } } },
      }),
      expect.objectContaining({
        metadata: expect.objectContaining({ name: 'europe-west4-h100' }),
        spec: { clusterSource: { kubeConfig: { locationType: 'Secret', location: 'worker-europe-west4' } } },
      }),
    ]);
    expect(of('MultiKueueConfig')[0].manifest).toMatchObject({
      metadata: { name: 'training-multikueue' },
      spec: { clusters: ['us-east-1-h100', 'europe-west4-h100'] },
    });
    expect(of('AdmissionCheck')[0].manifest).toMatchObject({
      metadata: { name: 'training-multikueue' },
      spec: {
        controllerName: MULTIKUEUE_CONTROLLER_NAME,
        parameters: { apiGroup: 'kueue.x-k8s.io', kind: 'MultiKueueConfig', name: 'training-multikueue' },
      },
    });
    expect(MULTIKUEUE_CONTROLLER_NAME).toBe('kueue.x-k8s.io/multikueue');
    expect(of('ClusterQueue')[0].manifest.spec.admissionChecksStrategy).toEqual({
      admissionChecks: [{ name: 'training-multikueue' }],
    });
    expect(Object.keys(queues.multiKueueClusters)).toEqual(['us-east-1-h100', 'europe-west4-h100']);
  });

  test('the ClusterQueue is created after the check, the check after its config, the config after the clusters', () => {
    const { of } = build({ multiKueue: { workers: WORKERS } });
    const deps = (kind: string) => of(kind)[0].depends_on as string[];
    expect(deps('ClusterQueue').some((d) => d.includes('AdmissionCheck'))).toBe(true);
    expect(deps('AdmissionCheck').some((d) => d.includes('MultiKueueConfig'))).toBe(true);
    expect(deps('MultiKueueConfig').filter((d) => d.includes('MultiKueueCluster'))).toHaveLength(2);
  });

  test('every rendered object passes the Kueue v0.19.2 schemas', () => {
    const { all } = build({ multiKueue: { workers: WORKERS } });
    expect(all.map((m) => m.manifest.kind).sort()).toEqual([
      'AdmissionCheck',
      'ClusterQueue',
      'LocalQueue',
      'MultiKueueCluster',
      'MultiKueueCluster',
      'MultiKueueConfig',
      'ResourceFlavor',
    ]);
    for (const m of all) expect(validateKubernetesObject(m.manifest)).toEqual([]);
  });

  test.each([
    [{ workers: [] }, /'multiKueue.workers' has 0 clusters; a MultiKueueConfig takes 1 to 20/],
    [
      {
        workers: Array.from({ length: 21 }, (_, i) => ({ name: `w${i}`, kubeconfigSecretName: `w${i}` })),
      },
      /has 21 clusters/,
    ],
    [{ workers: [{ name: 'Bad_Name', kubeconfigSecretName: 's' }] }, /multiKueue.workers\[0\].name/],
    [
      { workers: [{ name: 'ok', kubeconfigSecretName: 'has space' }] },
      /multiKueue.workers\[0\].kubeconfigSecretName/,
    ],
    [{ workers: [WORKERS[0], WORKERS[0]] }, /multiKueue.workers\[\].name/],
    [{ workers: 'x' as any }, /multiKueue.workers/],
  ])('refuses %j', (multiKueue, re) => {
    expect(validationErrorOf(() => build({ multiKueue: multiKueue as any })).message).toMatch(re);
  });

  test('refuses a queue name whose config name would exceed the 63 characters the check allows', () => {
    const name = 'q'.repeat(53);
    expect(validationErrorOf(() => build({ name, multiKueue: { workers: WORKERS } })).message).toMatch(
      /is too long for MultiKueue: .*at most 52 characters/,
    );
    expect(() => build({ name: 'q'.repeat(52), multiKueue: { workers: WORKERS } })).not.toThrow();
  });

  test('the consumer schema refuses a broken check (negative test)', () => {
    const { of } = build({ multiKueue: { workers: WORKERS } });
    const check = structuredClone(of('AdmissionCheck')[0].manifest);
    check.spec.parameters.name = 'x'.repeat(64);
    expect(validateKubernetesObject(check).length).toBeGreaterThan(0);
    const config = structuredClone(of('MultiKueueConfig')[0].manifest);
    config.spec.clusters = ['a', 'a'];
    expect(validateKubernetesObject(config).length).toBeGreaterThan(0);
  });
});
