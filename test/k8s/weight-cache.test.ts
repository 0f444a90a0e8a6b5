import { TerraformStack } from 'cdktf';
import { Accelerator, ModelSpec, Quantization, ValidationError } from '../../lib/core';
import {
  IMAGES,
  IWeightCache,
  ImagePrePuller,
  ModelServer,
  ModelServerProps,
  PrefetchedWeightCache,
  ServingEngine,
  UNMEASURED_READ_MIB_PER_SECOND,
  VolumeAccessMode,
  WeightVolume,
  WeightVolumeSource,
  WeightsSource,
  imageRef,
  startupBudget,
} from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads } from './helpers';
import { podSpecsOf, restrictedViolations } from './pod-security-standards';

const SERVER: Omit<ModelServerProps, 'weights'> = {
  model: ModelSpec.LLAMA_3_1_8B,
  quantization: Quantization.AWQ,
  accelerator: Accelerator.L4,
  namespace: 'llm',
};

const FSX = {
  fileSystemId: 'fs-0123456789abcdef0',
  dnsName: 'fs-0123456789abcdef0.fsx.us-east-1.amazonaws.com',
  mountName: 'abcdefgh',
  subPath: '/models',
  throughputMBps: 600,
};

function only(json: ReturnType<typeof synthJson>, type: string): any {
  const all = Object.values(resourcesOf(json, type));
  expect(all).toHaveLength(1);
  return all[0];
}

function deploymentOf(json: ReturnType<typeof synthJson>): any {
  return only(json, 'kubernetes_deployment_v1');
}

/** The startup budget of `server`'s weights under vLLM, loaded at `loadMiBPerSecond`. */
function vllmStartupBudget(server: ModelServer, loadMiBPerSecond: number) {
  return startupBudget({
    weightsGiB: server.sizing.weightsGiB,
    warmUpMinutes: ServingEngine.VLLM.warmUpMinutes,
    loadMiBPerSecond,
  });
}

describe('WeightVolume', () => {
  test('Mountpoint for S3: a static, read-only, Retain volume bound one-to-one to its claim', () => {
    const { workloads } = platformAndWorkloads();
    const v = new WeightVolume(workloads, 'Models', {
      namespace: 'llm',
      source: WeightVolumeSource.s3Mountpoint({
        bucketName: 'models-123',
        region: 'us-east-1',
        prefix: 'llama/',
      }),
    });
    const json = synthJson(workloads);
    const pv = only(json, 'kubernetes_persistent_volume_v1');
    expect(pv.metadata.name).toBe('llm-models');
    expect(pv.spec[0]).toMatchObject({
      access_modes: ['ReadOnlyMany'],
      storage_class_name: '',
      persistent_volume_reclaim_policy: 'Retain',
      mount_options: ['read-only', 'allow-other', 'region us-east-1', 'prefix llama/'],
      claim_ref: { name: 'models', namespace: 'llm' },
      persistent_volume_source: {
        csi: {
          driver: 's3.csi.aws.com',
          volume_handle: 'llm-models',
          read_only: true,
          volume_attributes: { bucketName: 'models-123' },
        },
      },
    });
    const pvc = only(json, 'kubernetes_persistent_volume_claim_v1');
    expect(pvc.spec).toMatchObject({
      access_modes: ['ReadOnlyMany'],
      storage_class_name: '',
      volume_name: 'llm-models',
    });
    expect(v.readRate).toEqual({
      mibPerSecond: UNMEASURED_READ_MIB_PER_SECOND,
      sharedByReplicas: false,
      source: 'unmeasured default',
    });
  });

  test('FSx for Lustre: the linked directory as mount name, read-write-many claim, shared provisioned throughput in MiB/s', () => {
    const { workloads } = platformAndWorkloads();
    const v = new WeightVolume(workloads, 'Lustre', {
      namespace: 'llm',
      source: WeightVolumeSource.fsxLustre(FSX),
    });
    const pv = only(synthJson(workloads), 'kubernetes_persistent_volume_v1');
    expect(pv.spec[0].persistent_volume_source.csi).toEqual({
      driver: 'fsx.csi.aws.com',
      volume_handle: 'fs-0123456789abcdef0',
      read_only: false,
      volume_attributes: { dnsname: FSX.dnsName, mountname: 'abcdefgh/models' },
    });
    expect(pv.spec[0].access_modes).toEqual(['ReadWriteMany']);
    // 600 MB/s = 572.2 MiB/s
    expect(v.readRate).toMatchObject({ mibPerSecond: 572, sharedByReplicas: true });
  });

  test('Cloud Storage FUSE: sidecar annotation, file cache volume and mount options', () => {
    const { workloads } = platformAndWorkloads();
    const v = new WeightVolume(workloads, 'Gcs', {
      namespace: 'llm',
      source: WeightVolumeSource.gcsFuse({ bucketName: 'models-123', onlyDir: 'llama', fileCacheGiB: 40 }),
    });
    const pv = only(synthJson(workloads), 'kubernetes_persistent_volume_v1');
    expect(pv.spec[0].persistent_volume_source.csi).toEqual({
      driver: 'gcsfuse.csi.storage.gke.io',
      volume_handle: 'models-123',
      read_only: true,
    });
    expect(pv.spec[0].mount_options).toEqual(
      expect.arrayContaining([
        'only-dir=llama',
        'file-cache:max-size-mb:40960',
        'file-cache:enable-parallel-downloads:true',
      ]),
    );
    expect(v.podAnnotations).toEqual({ 'gke-gcsfuse/volumes': 'true' });
    expect(v.podVolumes).toEqual([{ name: 'gke-gcsfuse-cache', emptyDir: { sizeLimit: '40Gi' } }]);
  });

  test('Cloud Storage FUSE defaults to no file cache', () => {
    const { workloads } = platformAndWorkloads();
    const v = new WeightVolume(workloads, 'Gcs', {
      namespace: 'llm',
      source: WeightVolumeSource.gcsFuse({ bucketName: 'models-123' }),
    });
    expect(v.podVolumes).toEqual([]);
    expect(
      only(synthJson(workloads), 'kubernetes_persistent_volume_v1').spec[0].mount_options.join(' '),
    ).not.toMatch(/file-cache/);
  });

  test.each<[string, () => WeightVolumeSource, RegExp]>([
    [
      'fsx id',
      () => WeightVolumeSource.fsxLustre({ ...FSX, fileSystemId: 'fsx-123' }),
      /'source.fileSystemId'.*'fs-'/,
    ],
    [
      'fsx subPath',
      () => WeightVolumeSource.fsxLustre({ ...FSX, subPath: 'models/' }),
      /'source.subPath' \('models\/'\)/,
    ],
    [
      'fsx throughput',
      () => WeightVolumeSource.fsxLustre({ ...FSX, throughputMBps: 0 }),
      /'source.throughputMBps' \(0\)/,
    ],
    [
      's3 bucket',
      () => WeightVolumeSource.s3Mountpoint({ bucketName: 'Models', region: 'us-east-1' }),
      /'source.bucketName'/,
    ],
    [
      's3 region',
      () => WeightVolumeSource.s3Mountpoint({ bucketName: 'models', region: 'mars-1' }),
      /'source.region'/,
    ],
    [
      's3 prefix',
      () => WeightVolumeSource.s3Mountpoint({ bucketName: 'models', region: 'us-east-1', prefix: 'llama' }),
      /'source.prefix' \('llama'\)/,
    ],
    [
      's3 rate',
      () =>
        WeightVolumeSource.s3Mountpoint({ bucketName: 'models', region: 'us-east-1', readMiBPerSecond: -1 }),
      /'source.readMiBPerSecond' \(-1\)/,
    ],
    ['gcs bucket', () => WeightVolumeSource.gcsFuse({ bucketName: 'x' }), /'source.bucketName'/],
    [
      'gcs onlyDir',
      () => WeightVolumeSource.gcsFuse({ bucketName: 'models', onlyDir: '/llama/' }),
      /'source.onlyDir' \('\/llama\/'\)/,
    ],
    [
      'gcs cache',
      () => WeightVolumeSource.gcsFuse({ bucketName: 'models', fileCacheGiB: 1.5 }),
      /'source.fileCacheGiB'/,
    ],
  ])('throws when the %s is invalid', (_what, source, message) => {
    const { workloads } = platformAndWorkloads();
    expect(() => new WeightVolume(workloads, 'V', { namespace: 'llm', source: source() })).toThrow(message);
    expect(() => new WeightVolume(workloads, 'W', { namespace: 'llm', source: source() })).toThrow(
      ValidationError,
    );
  });

  test('throws when the namespace or name is not a DNS label', () => {
    const { workloads } = platformAndWorkloads();
    const source = WeightVolumeSource.gcsFuse({ bucketName: 'models-123' });
    expect(() => new WeightVolume(workloads, 'A', { namespace: 'LLM', source })).toThrow(/'namespace'/);
    expect(() => new WeightVolume(workloads, 'B', { namespace: 'llm', name: 'a_b', source })).toThrow(
      /'name'/,
    );
  });
});

describe('ModelServer with a weight cache', () => {
  test("mounts the claim read-only with the cache's pod annotations and volumes", () => {
    const { workloads } = platformAndWorkloads();
    const cache = new WeightVolume(workloads, 'Gcs', {
      namespace: 'llm',
      source: WeightVolumeSource.gcsFuse({ bucketName: 'models-123', fileCacheGiB: 20 }),
    });
    new ModelServer(workloads, 'Llama', { ...SERVER, weights: cache.weights({ path: 'llama-8b' }) });
    const d = deploymentOf(synthJson(workloads));
    const tpl = d.spec.template;
    expect(tpl.metadata.annotations).toEqual({ 'gke-gcsfuse/volumes': 'true' });
    expect(tpl.spec.volume).toEqual(
      expect.arrayContaining([
        { name: 'model-weights', persistent_volume_claim: { claim_name: 'gcs', read_only: true } },
        { name: 'gke-gcsfuse-cache', empty_dir: { size_limit: '20Gi' } },
      ]),
    );
    expect(tpl.spec.container[0].args).toEqual(expect.arrayContaining(['/models/weights/llama-8b']));
    expect(tpl.spec.container[0].volume_mount).toEqual(
      expect.arrayContaining([{ name: 'model-weights', mount_path: '/models/weights', read_only: true }]),
    );
  });

  test("sizes the startup probe from the cache's throughput shared by maxReplicas", () => {
    const { workloads } = platformAndWorkloads();
    const cache = new WeightVolume(workloads, 'Lustre', {
      namespace: 'llm',
      source: WeightVolumeSource.fsxLustre(FSX),
    });
    const server = new ModelServer(workloads, 'Llama', {
      ...SERVER,
      model: ModelSpec.LLAMA_3_1_70B,
      accelerator: Accelerator.L40S,
      replicas: 4,
      weights: cache.weights(),
    });
    const expected = vllmStartupBudget(server, 572 / 4);
    const probe = deploymentOf(synthJson(workloads)).spec.template.spec.container[0].startup_probe;
    expect(probe.failure_threshold).toBe((expected.probeMinutes * 60) / 10);
    // An uncached bucket copy needs the copy before start: the cache's rollout is shorter.
    const copied = startupBudget({
      weightsGiB: server.sizing.weightsGiB,
      warmUpMinutes: ServingEngine.VLLM.warmUpMinutes,
      copiedBeforeStart: true,
    });
    expect(expected.rolloutMinutes).toBeLessThan(copied.rolloutMinutes);
  });

  test("weightsLoadMiBPerSecond overrides the cache's rate", () => {
    const { workloads } = platformAndWorkloads();
    const cache = new WeightVolume(workloads, 'Lustre', {
      namespace: 'llm',
      source: WeightVolumeSource.fsxLustre(FSX),
    });
    const server = new ModelServer(workloads, 'Llama', {
      ...SERVER,
      weights: cache.weights(),
      weightsLoadMiBPerSecond: 1,
    });
    const expected = vllmStartupBudget(server, 1);
    expect(
      deploymentOf(synthJson(workloads)).spec.template.spec.container[0].startup_probe.failure_threshold,
    ).toBe((expected.probeMinutes * 60) / 10);
  });

  test('throws when the cache is in another namespace', () => {
    const { workloads } = platformAndWorkloads();
    const cache = new WeightVolume(workloads, 'Models', {
      namespace: 'models',
      source: WeightVolumeSource.gcsFuse({ bucketName: 'models-123' }),
    });
    expect(() => new ModelServer(workloads, 'Llama', { ...SERVER, weights: cache.weights() })).toThrow(
      /claim 'models' in namespace 'models', but the server runs in 'llm'/,
    );
  });

  test('throws when a ReadWriteOnce cache would be shared by several replicas', () => {
    const { workloads } = platformAndWorkloads();
    const rwo: IWeightCache = {
      claimName: 'local',
      namespace: 'llm',
      accessMode: VolumeAccessMode.READ_WRITE_ONCE,
      readRate: { mibPerSecond: 100, sharedByReplicas: false, source: 'test' },
      podAnnotations: {},
      podVolumes: [],
      description: 'a local disk',
    };
    expect(
      () =>
        new ModelServer(workloads, 'Llama', { ...SERVER, replicas: 2, weights: WeightsSource.cache(rwo) }),
    ).toThrow(/is ReadWriteOnce but the server runs up to 2 replicas/);
    expect(
      () => new ModelServer(workloads, 'One', { ...SERVER, weights: WeightsSource.cache(rwo) }),
    ).not.toThrow();
  });

  test('throws when the path climbs out of the cache', () => {
    const { workloads } = platformAndWorkloads();
    const cache = new WeightVolume(workloads, 'Models', {
      namespace: 'llm',
      source: WeightVolumeSource.gcsFuse({ bucketName: 'models-123' }),
    });
    expect(
      () => new ModelServer(workloads, 'Llama', { ...SERVER, weights: cache.weights({ path: '../etc' }) }),
    ).toThrow(/'weights' cache path '..\/etc'/);
  });
});

describe('PrefetchedWeightCache', () => {
  const props = {
    namespace: 'llm',
    source: 's3://models-123/llama-8b/',
    storageClassName: 'efs-sc',
    sizeGiB: 40,
  };

  test('a protected ReadWriteMany claim filled by a restricted Job that Terraform waits for', () => {
    const { workloads } = platformAndWorkloads();
    const cache = new PrefetchedWeightCache(workloads, 'Llama8B', {
      ...props,
      serviceAccountName: 'model-reader',
    });
    const json = synthJson(workloads);
    const pvc = only(json, 'kubernetes_persistent_volume_claim_v1');
    expect(pvc).toMatchObject({
      metadata: { name: 'llama8b', namespace: 'llm' },
      spec: {
        access_modes: ['ReadWriteMany'],
        storage_class_name: 'efs-sc',
        resources: { requests: { storage: '40Gi' } },
      },
      wait_until_bound: false,
      lifecycle: { prevent_destroy: true },
    });
    const job = only(json, 'kubernetes_job_v1');
    expect(job.wait_for_completion).toBe(true);
    expect(job.timeouts).toEqual({ create: `${Math.ceil((40 * 1024) / 50 / 60) + 10}m`, update: '24m' });
    const pod = job.spec.template.spec;
    expect(pod.security_context).toEqual({
      run_as_non_root: true,
      run_as_user: '1000',
      run_as_group: '1000',
      fs_group: '1000',
      seccomp_profile: { type: 'RuntimeDefault' },
    });
    expect(pod.service_account_name).toBe('model-reader');
    expect(pod.container[0]).toMatchObject({
      image: imageRef(IMAGES.awsCli),
      command: ['aws', 's3', 'sync', '--only-show-errors', 's3://models-123/llama-8b/', '/cache/'],
      security_context: {
        allow_privilege_escalation: false,
        capabilities: { drop: ['ALL'] },
        read_only_root_filesystem: true,
        run_as_non_root: true,
      },
    });
    expect(cache.accessMode).toBe(VolumeAccessMode.READ_WRITE_MANY);
    expect(cache.readRate).toEqual({
      mibPerSecond: 50,
      sharedByReplicas: false,
      source: 'unmeasured default',
    });
  });

  test('a server in the same stack starts after the fill Job; in another stack, after that stack', () => {
    const { app, platform, workloads } = platformAndWorkloads();
    const cache = new PrefetchedWeightCache(workloads, 'C', props);
    new ModelServer(workloads, 'Llama', { ...SERVER, weights: cache.weights() });
    const d = deploymentOf(synthJson(workloads));
    expect(d.depends_on).toEqual([expect.stringMatching(/^kubernetes_job_v1\.C_Fill_/)]);
    const other = new PrefetchedWeightCache(platform, 'P', props);
    const third = new TerraformStack(app, 'third');
    new ModelServer(third, 'Other', { ...SERVER, weights: other.weights() });
    expect(third.dependencies).toContain(platform);
  });

  test('copies gs:// prefixes with gcloud storage rsync and a writable config directory', () => {
    const { workloads } = platformAndWorkloads();
    new PrefetchedWeightCache(workloads, 'Llama8B', { ...props, source: 'gs://models-123/llama-8b' });
    const c = only(synthJson(workloads), 'kubernetes_job_v1').spec.template.spec.container[0];
    expect(c.command).toEqual([
      'gcloud',
      'storage',
      'rsync',
      '--recursive',
      'gs://models-123/llama-8b/',
      '/cache/',
    ]);
    expect(c.env).toEqual(expect.arrayContaining([{ name: 'CLOUDSDK_CONFIG', value: '/tmp/gcloud' }]));
  });

  test('protectFromDestroy: false lets terraform destroy the claim', () => {
    const { workloads } = platformAndWorkloads();
    new PrefetchedWeightCache(workloads, 'C', { ...props, protectFromDestroy: false });
    expect(only(synthJson(workloads), 'kubernetes_persistent_volume_claim_v1').lifecycle).toEqual({
      prevent_destroy: false,
    });
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['source', { source: 'https://example.com/x' }, /'source' \('https:\/\/example.com\/x'\)/],
    ['storageClassName', { storageClassName: 'EFS' }, /'storageClassName'/],
    ['sizeGiB', { sizeGiB: 0 }, /'sizeGiB'/],
    ['namespace', { namespace: 'a_b' }, /'namespace'/],
    ['serviceAccountName', { serviceAccountName: 'A' }, /'serviceAccountName'/],
    [
      'readRate',
      { readRate: { mibPerSecond: 0, sharedByReplicas: true, source: 'x' } },
      /'readRate.mibPerSecond' \(0\)/,
    ],
  ])('throws when %s is invalid', (_prop, bad, message) => {
    const { workloads } = platformAndWorkloads();
    expect(() => new PrefetchedWeightCache(workloads, 'C', { ...props, ...bad } as any)).toThrow(message);
  });

  test("feeds a ModelServer with the cache's shared rate", () => {
    const { workloads } = platformAndWorkloads();
    const cache = new PrefetchedWeightCache(workloads, 'C', {
      ...props,
      readRate: { mibPerSecond: 400, sharedByReplicas: true, source: 'Filestore' },
    });
    const server = new ModelServer(workloads, 'Llama', { ...SERVER, replicas: 2, weights: cache.weights() });
    const expected = vllmStartupBudget(server, 200);
    expect(
      deploymentOf(synthJson(workloads)).spec.template.spec.container[0].startup_probe.failure_threshold,
    ).toBe((expected.probeMinutes * 60) / 10);
  });
});

describe('ImagePrePuller', () => {
  test("a restricted DaemonSet on the accelerator's nodes: init containers pull, pause keeps it running", () => {
    const { workloads } = platformAndWorkloads();
    new ImagePrePuller(workloads, 'PrePull', {
      images: [IMAGES.vllm],
      accelerator: Accelerator.L40S,
      namespace: 'llm',
    });
    const ds = only(synthJson(workloads), 'kubernetes_daemon_set_v1');
    const pod = ds.spec.template.spec;
    expect(ds.metadata).toMatchObject({ name: 'pre-pull', namespace: 'llm' });
    expect(pod.node_selector).toEqual({ 'cdktf-ai-infra/accelerator': Accelerator.L40S.labelValue });
    expect(pod.toleration[0]).toMatchObject({ key: 'nvidia.com/gpu' });
    expect(pod.init_container).toEqual([
      expect.objectContaining({
        image: imageRef(IMAGES.vllm),
        command: ['sh', '-c', 'true'],
        image_pull_policy: 'IfNotPresent',
      }),
    ]);
    expect(pod.container[0].image).toBe('registry.k8s.io/pause:3.10');
    expect(pod.security_context).toMatchObject({
      run_as_non_root: true,
      run_as_user: '65535',
      seccomp_profile: { type: 'RuntimeDefault' },
    });
    expect(ds.wait_for_rollout).toBe(false);
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['no images', { images: [] }, /'images' is empty/],
    [
      'a latest tag',
      { images: [{ repository: 'vllm/vllm-openai', tag: 'latest' }] },
      /'images\[0\]' \(vllm\/vllm-openai:latest\) must be pinned/,
    ],
    ['a duplicate', { images: [IMAGES.vllm, IMAGES.vllm] }, /'images'/],
    ['no node selection', { accelerator: undefined }, /'accelerator' or 'nodeSelector' is required/],
    ['a bad node label', { nodeSelector: { 'bad key!': 'x' } }, /nodeSelector/],
  ])('throws with %s', (_what, bad, message) => {
    const { workloads } = platformAndWorkloads();
    expect(
      () =>
        new ImagePrePuller(workloads, 'P', {
          images: [IMAGES.vllm],
          accelerator: Accelerator.L4,
          ...bad,
        } as any),
    ).toThrow(message);
  });
});

describe('cache and pre-pull pods meet Pod Security "restricted"', () => {
  test('the fill Job, the pre-puller and a server reading a cache', () => {
    const { workloads } = platformAndWorkloads();
    const cache = new PrefetchedWeightCache(workloads, 'C', {
      namespace: 'llm',
      source: 'gs://models-123/llama-8b/',
      storageClassName: 'filestore',
      sizeGiB: 40,
    });
    new ModelServer(workloads, 'Llama', { ...SERVER, weights: cache.weights() });
    new ImagePrePuller(workloads, 'PrePull', {
      images: [IMAGES.vllm],
      accelerator: Accelerator.L4,
      namespace: 'llm',
    });
    const pods = podSpecsOf(synthJson(workloads));
    expect(pods.map((p) => p.address.split('.')[0]).sort()).toEqual([
      'kubernetes_daemon_set_v1',
      'kubernetes_deployment_v1',
      'kubernetes_job_v1',
    ]);
    for (const pod of pods) {
      expect([pod.address, restrictedViolations(pod.spec)]).toEqual([pod.address, []]);
    }
  });
});
