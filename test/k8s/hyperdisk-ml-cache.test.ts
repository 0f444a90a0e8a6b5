import { Accelerator, CostEstimate, ModelSpec, Quantization } from '../../lib/core';
import {
  HYPERDISK_ML_MAX_MIB_PER_SECOND,
  HyperdiskMlWeightCache,
  HyperdiskMlWeightCacheProps,
  ModelServer,
  ServingEngine,
  VolumeAccessMode,
  startupBudget,
} from '../../lib/k8s';
import { kubernetesSchemaProblems } from '../consumers/k8s-schema';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads, warningsOf } from './helpers';
import { podSpecsOf, restrictedViolations } from './pod-security-standards';

const PROPS: HyperdiskMlWeightCacheProps = {
  namespace: 'llm',
  source: 'gs://acme-models/llama-3.1-70b-awq/',
  sizeGiB: 60,
  serviceAccountName: 'model-reader',
  zones: ['us-central1-a'],
};

function build(props: Partial<HyperdiskMlWeightCacheProps> = {}) {
  const { workloads } = platformAndWorkloads();
  const cache = new HyperdiskMlWeightCache(workloads, 'Llama70BCache', { ...PROPS, ...props });
  return { workloads, cache };
}

function manifests(json: any): Record<string, any> {
  return Object.fromEntries(
    Object.values(resourcesOf(json, 'kubernetes_manifest')).map((r: any) => [r.manifest.kind, r]),
  );
}

describe('HyperdiskMlWeightCache', () => {
  test('a Hyperdisk ML StorageClass with the provisioned throughput in the given zones', () => {
    const json = synthJson(build().workloads);
    const sc: any = Object.values(resourcesOf(json, 'kubernetes_storage_class_v1'))[0];
    expect(sc).toMatchObject({
      metadata: { name: 'llama70bcache-hdml' },
      storage_provisioner: 'pd.csi.storage.gke.io',
      parameters: { type: 'hyperdisk-ml', 'provisioned-throughput-on-create': '2400Mi' },
      volume_binding_mode: 'WaitForFirstConsumer',
      allowed_topologies: {
        match_label_expressions: [{ key: 'topology.gke.io/zone', values: ['us-central1-a'] }],
      },
    });
  });

  test('fill claim, restricted fill Job, disk-image snapshot, then a protected ReadOnlyMany claim restored from it', () => {
    const json = synthJson(build().workloads);
    const fill: any = Object.values(resourcesOf(json, 'kubernetes_persistent_volume_claim_v1'))[0];
    expect(fill.metadata.name).toBe('llama70bcache-fill');
    expect(fill.spec.access_modes).toEqual(['ReadWriteOnce']);
    const job: any = Object.values(resourcesOf(json, 'kubernetes_job_v1'))[0];
    expect(job.wait_for_completion).toBe(true);
    expect(job.spec.template.spec.container[0].command).toEqual([
      'gcloud',
      'storage',
      'rsync',
      '--recursive',
      'gs://acme-models/llama-3.1-70b-awq/',
      '/cache/',
    ]);
    expect(job.spec.template.spec.volume[0].persistent_volume_claim.claim_name).toBe('llama70bcache-fill');
    const m = manifests(json);
    expect(m.VolumeSnapshotClass.manifest).toMatchObject({
      driver: 'pd.csi.storage.gke.io',
      parameters: { 'snapshot-type': 'images' },
    });
    expect(m.VolumeSnapshot.manifest.spec).toEqual({
      volumeSnapshotClassName: 'llama70bcache-image',
      source: { persistentVolumeClaimName: 'llama70bcache-fill' },
    });
    expect(m.VolumeSnapshot.wait).toEqual({ fields: { 'status.readyToUse': 'true' } });
    expect(m.VolumeSnapshot.depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/^kubernetes_job_v1\./)]),
    );
    const rox = m.PersistentVolumeClaim;
    expect(rox.manifest.spec).toMatchObject({
      accessModes: ['ReadOnlyMany'],
      storageClassName: 'llama70bcache-hdml',
      resources: { requests: { storage: '60Gi' } },
      dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'llama70bcache' },
    });
    expect(rox.lifecycle).toEqual({ prevent_destroy: true });
    expect(kubernetesSchemaProblems(json)).toEqual([]);
    const pods = podSpecsOf(json);
    expect(pods).toHaveLength(1);
    expect(restrictedViolations(pods[0].spec)).toEqual([]);
  });

  test('reads at the provisioned throughput shared by the replicas, ReadOnlyMany', () => {
    const { cache } = build({ throughputMiBPerSecond: 4800 });
    expect(cache.accessMode).toBe(VolumeAccessMode.READ_ONLY_MANY);
    expect(cache.readRate).toMatchObject({ mibPerSecond: 4800, sharedByReplicas: true });
  });

  test('ModelServer mounts the read-only claim after the snapshot and sizes its start-up from the throughput', () => {
    const { workloads, cache } = build();
    const server = new ModelServer(workloads, 'Llama70B', {
      model: ModelSpec.LLAMA_3_1_70B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.H100,
      namespace: 'llm',
      replicas: 3,
      weights: cache.weights(),
    });
    const json = synthJson(workloads);
    const d: any = Object.values(resourcesOf(json, 'kubernetes_deployment_v1'))[0];
    expect(d.spec.template.spec.volume).toEqual(
      expect.arrayContaining([
        { name: 'model-weights', persistent_volume_claim: { claim_name: 'llama70bcache', read_only: true } },
      ]),
    );
    expect(d.depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/^kubernetes_manifest\..*Snapshot/)]),
    );
    const expected = startupBudget({
      weightsGiB: server.sizing.weightsGiB,
      warmUpMinutes: ServingEngine.VLLM.warmUpMinutes,
      loadMiBPerSecond: 2400 / 3,
    });
    expect(d.spec.template.spec.container[0].startup_probe.failure_threshold).toBe(
      (expected.probeMinutes * 60) / 10,
    );
  });

  test.each([
    [
      { source: 'https://example.com/model' },
      /'source' \('https:\/\/example.com\/model'\) must be a 'gs:\/\/bucket\/prefix\/'/,
    ],
    [{ throughputMiBPerSecond: HYPERDISK_ML_MAX_MIB_PER_SECOND + 1 }, /throughputMiBPerSecond/],
    [{ throughputMiBPerSecond: 0 }, /throughputMiBPerSecond/],
    [{ sizeGiB: 0 }, /sizeGiB/],
    [{ zones: ['us-central1'] }, /zones\[0\]/],
    [{ zones: ['us-central1-a', 'us-central1-a'] }, /zones/],
    [{ name: 'x'.repeat(58) }, /'name'/],
    [{ namespace: 'LLM' }, /'namespace'/],
    [{ serviceAccountName: 'Bad Name' }, /serviceAccountName/],
  ])('throws for %o', (props, re) => {
    expect(() => build(props as Partial<HyperdiskMlWeightCacheProps>)).toThrow(re);
  });

  test('defaults: 2400 MiB/s, any zone, claim protected from destroy', () => {
    const json = synthJson(build({ zones: undefined, throughputMiBPerSecond: undefined }).workloads);
    const sc: any = Object.values(resourcesOf(json, 'kubernetes_storage_class_v1'))[0];
    expect(sc.parameters['provisioned-throughput-on-create']).toBe('2400Mi');
    expect(sc.allowed_topologies).toBeUndefined();
  });

  test('warns k8s-no-price: no Hyperdisk ML price is catalogued, so the estimate leaves the volumes out', () => {
    const { workloads } = build({ throughputMiBPerSecond: 4800 });
    const w = warningsOf(workloads).filter((m) => m.includes('k8s-no-price'));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(
      /Hyperdisk ML volumes of 'llama70bcache' .*60 GiB at 4800 MiB\/s each.* leaves them out/,
    );
    expect(CostEstimate.of(workloads).lines.filter((l) => l.constructPath.includes('Llama70BCache'))).toEqual(
      [],
    );
  });
});
