import { Accelerator, TaintEffect, ValidationError } from '../../lib/core';
import { TrainingJob, TrainingJobProps, TrainingQueues, TrainingQueuesProps } from '../../lib/k8s';
import { registerCrdInstaller } from '../../lib/k8s/private/common';
import { resourcesOf, synthJson } from '../util';
import { FakePlatform, platformAndWorkloads, warningsOf } from './helpers';

const JOB: TrainingJobProps = {
  image: 'pytorch/pytorch:2.13.0-cuda13.0-cudnn9-runtime',
  command: ['torchrun', 'train.py'],
  nodes: 4,
  gpusPerNode: 8,
  accelerator: Accelerator.H100,
  checkpoint: { uri: 's3://ckpt/llama/' },
};

function manifests(json: any, kind: string): any[] {
  return Object.values(resourcesOf(json, 'kubernetes_manifest'))
    .map((m: any) => m.manifest)
    .filter((m: any) => m.kind === kind);
}

function train(props: Partial<TrainingJobProps> = {}) {
  const { workloads } = platformAndWorkloads();
  const job = new TrainingJob(workloads, 'LlamaFinetune', { ...JOB, ...props });
  const json = synthJson(workloads);
  const [js] = manifests(json, 'JobSet');
  const rj = js.spec.replicatedJobs[0];
  const pod = rj.template.spec.template.spec;
  const c = pod.containers[0];
  const env = Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
  return { job, js, rj, pod, c, env, workloads };
}

describe('TrainingJob', () => {
  test('emits a JobSet v1alpha2 named from the construct id', () => {
    const { js } = train();
    expect(js.apiVersion).toBe('jobset.x-k8s.io/v1alpha2');
    expect(js.metadata.name).toBe('llama-finetune');
  });

  test('one Indexed Job with a pod per node', () => {
    const { rj } = train();
    expect(rj.replicas).toBe(1);
    expect(rj.template.spec).toMatchObject({
      parallelism: 4,
      completions: 4,
      completionMode: 'Indexed',
      backoffLimit: 0,
    });
  });

  test('wires torchrun like Kubeflow Trainer', () => {
    const { env } = train();
    expect(env.PET_NNODES).toBe('4');
    expect(env.PET_NPROC_PER_NODE).toBe('8');
    expect(env.PET_NODE_RANK).toEqual({
      fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" },
    });
    expect(env.PET_MASTER_ADDR).toBe('llama-finetune-node-0-0.llama-finetune');
    expect(env.PET_MASTER_PORT).toBe('29500');
  });

  test('resume contract: the JobSet restart attempt reaches the trainer next to CHECKPOINT_URI', () => {
    const { env } = train();
    expect(env.JOBSET_RESTART_ATTEMPT).toEqual({
      fieldRef: { fieldPath: "metadata.annotations['jobset.sigs.k8s.io/restart-attempt']" },
    });
    expect(env.CHECKPOINT_URI).toBe('s3://ckpt/llama/');
  });

  test('preemptions restart the gang without counting against maxRestarts', () => {
    const { js, rj, pod } = train();
    expect(js.spec.failurePolicy).toEqual({
      maxRestarts: 3,
      rules: [
        {
          name: 'preemption-does-not-count',
          action: 'RestartJobSetAndIgnoreMaxRestarts',
          onJobFailureReasons: ['PodFailurePolicy'],
        },
      ],
    });
    expect(rj.template.spec.podFailurePolicy.rules).toEqual([
      { action: 'FailJob', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
    ]);
    expect(pod.restartPolicy).toBe('Never');
  });

  test('exports the checkpoint location as CHECKPOINT_URI', () => {
    const { env } = train();
    expect(env.CHECKPOINT_URI).toBe('s3://ckpt/llama/');
  });

  test('mounts a checkpoint volume when given', () => {
    const { env, pod, c } = train({ checkpoint: { claimName: 'ckpt-lustre' } });
    expect(pod.volumes).toContainEqual({
      name: 'checkpoints',
      persistentVolumeClaim: { claimName: 'ckpt-lustre' },
    });
    expect(c.volumeMounts).toContainEqual({ name: 'checkpoints', mountPath: '/checkpoints' });
    expect(env.CHECKPOINT_URI).toBe('/checkpoints');
    expect(env.CHECKPOINT_DIR).toBe('/checkpoints');
  });

  test('warns without a checkpoint', () => {
    const { workloads } = train({ checkpoint: undefined });
    expect(warningsOf(workloads).join('\n')).toMatch(/k8s-training-no-checkpoint/);
  });

  test('throws on an empty checkpoint', () => {
    expect(() => train({ checkpoint: {} })).toThrow(/'checkpoint' needs 'uri', 'claimName' or both/);
  });

  test('throws on a checkpoint URI that is not a bucket or a path', () => {
    expect(() => train({ checkpoint: { uri: 'ckpt/llama' } })).toThrow(
      /'checkpoint.uri' \('ckpt\/llama'\) must be/,
    );
  });

  test('mounts /dev/shm, 8 GiB per GPU by default', () => {
    const { pod } = train();
    expect(pod.volumes).toContainEqual({ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '64Gi' } });
  });

  test('requests GPUs and extra resources (EFA and huge pages) per node', () => {
    const { c } = train({
      extraResourcesPerNode: { 'vpc.amazonaws.com/efa': 32, 'hugepages-2Mi': '5120Mi' },
    });
    expect(c.resources.requests).toMatchObject({
      'nvidia.com/gpu': '8',
      'vpc.amazonaws.com/efa': '32',
      'hugepages-2Mi': '5120Mi',
    });
    expect(c.resources.limits).toMatchObject({
      'nvidia.com/gpu': '8',
      'vpc.amazonaws.com/efa': '32',
      'hugepages-2Mi': '5120Mi',
    });
  });

  test('requests RDMA devices on InfiniBand clusters, with IPC_LOCK for verbs', () => {
    const { c } = train({ extraResourcesPerNode: { 'rdma/ib': 8 } });
    expect(c.resources.limits['rdma/ib']).toBe('8');
    expect(c.securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['IPC_LOCK'] });
  });

  test('adds no capabilities without RDMA or EFA', () => {
    const { c } = train();
    expect(c.securityContext.capabilities).toEqual({ drop: ['ALL'] });
  });

  test('throws when extra resources restate the GPU request', () => {
    expect(() => train({ extraResourcesPerNode: { 'nvidia.com/gpu': 8 } })).toThrow(
      /must not set 'nvidia.com\/gpu'/,
    );
  });

  test('adds the Kueue queue label', () => {
    const { js } = train({ queueName: 'training' });
    expect(js.metadata.labels['kueue.x-k8s.io/queue-name']).toBe('training');
  });

  test('is not queued by default', () => {
    const { js } = train();
    expect(js.metadata.labels['kueue.x-k8s.io/queue-name']).toBeUndefined();
  });

  function jobSetResource(workloads: any): any {
    return (Object.values(resourcesOf(synthJson(workloads), 'kubernetes_manifest')) as any[]).find(
      (m) => m.manifest.kind === 'JobSet',
    );
  }

  test('a queued JobSet lets Kueue own the pod template fields it rewrites at admission (no perpetual diff)', () => {
    // Kueue's JobSet integration (RunWithPodSetsInfo -> podset.Merge) writes the flavor's node labels, tolerations
    // and pod labels into spec.replicatedJobs[*].template.spec.template when it admits the workload.
    const { workloads } = train({ queueName: 'training' });
    const pod = 'spec.replicatedJobs[0].template.spec.template';
    expect(jobSetResource(workloads).computed_fields).toEqual([
      'metadata.labels',
      'metadata.annotations',
      `${pod}.metadata.labels`,
      `${pod}.spec.nodeSelector`,
      `${pod}.spec.tolerations`,
    ]);
  });

  test('an unqueued JobSet keeps the provider default computed fields', () => {
    const { workloads } = train();
    expect(jobSetResource(workloads).computed_fields).toBeUndefined();
  });

  test('defaults to a 120 s grace period for a just-in-time checkpoint', () => {
    const { pod } = train();
    expect(pod.terminationGracePeriodSeconds).toBe(120);
  });

  test('tolerates the GPU taint and selects the accelerator', () => {
    const { pod } = train();
    expect(pod.tolerations).toContainEqual({
      key: 'nvidia.com/gpu',
      operator: 'Exists',
      effect: 'NoSchedule',
    });
    expect(pod.nodeSelector).toEqual({ 'cdktf-ai-infra/accelerator': 'h100' });
  });

  test('warns without any node selection', () => {
    const { workloads } = train({ accelerator: undefined });
    expect(warningsOf(workloads).join('\n')).toMatch(/k8s-training-no-node-selector/);
  });

  test('throws on an unpinned image', () => {
    expect(() => train({ image: 'pytorch/pytorch:latest' })).toThrow(/must carry a pinned tag or digest/);
    expect(() => train({ image: 'pytorch/pytorch' })).toThrow(/must carry a pinned tag or digest/);
  });

  test('accepts a registry with a port and a pinned tag', () => {
    expect(() => train({ image: 'registry.local:5000/team/trainer:1.2.3' })).not.toThrow();
  });

  test('throws on zero nodes', () => {
    expect(() => train({ nodes: 0 })).toThrow(/'nodes' \(0\) must be an integer >= 1/);
  });

  test('throws on an empty command', () => {
    expect(() => train({ command: [] })).toThrow(/'command' is empty/);
  });

  test('throws on a name starting with a digit (it names the headless Service, an RFC 1035 label)', () => {
    expect(() => train({ name: '70b-pretrain' })).toThrow(/'name' \('70b-pretrain'\) .*start with a letter/);
  });

  test('throws on a node selector the API server would reject', () => {
    expect(() => train({ nodeSelector: { 'pool/': 'a' } })).toThrow(
      /'nodeSelector' key 'pool\/' is not a valid Kubernetes label key/,
    );
  });

  test('throws on a name too long for pod host names', () => {
    expect(() => train({ name: 'a'.repeat(41) })).toThrow(/'name' .* at most 40/);
  });

  test('throws when the platform has JobSet disabled', () => {
    const { platform, workloads } = platformAndWorkloads();
    const gpu = new FakePlatform(platform, 'Gpu', { jobSetInstalled: false });
    expect(() => new TrainingJob(workloads, 'J', { ...JOB, platform: gpu })).toThrow(/has jobSet disabled/);
  });

  test('throws when queued but the platform has Kueue disabled', () => {
    const { platform, workloads } = platformAndWorkloads();
    const gpu = new FakePlatform(platform, 'Gpu', { kueueInstalled: false });
    expect(() => new TrainingJob(workloads, 'J', { ...JOB, platform: gpu, queueName: 'q' })).toThrow(
      /has kueue disabled/,
    );
  });

  test('throws when placed in the stack that installs the JobSet CRD', () => {
    const { platform } = platformAndWorkloads();
    const gpu = new FakePlatform(platform, 'Gpu');
    registerCrdInstaller(gpu, ['jobset.x-k8s.io']);
    expect(() => new TrainingJob(platform, 'J', JOB)).toThrow(/needs the CRD at plan time/);
  });
});

const QUEUES: TrainingQueuesProps = {
  namespaces: ['research', 'prod-training'],
  flavors: [
    {
      name: 'h100-spot',
      nodeLabels: { 'capacity-type': 'spot' },
      nodeTaints: [{ key: 'spot', value: 'true', effect: TaintEffect.NO_SCHEDULE }],
      gpus: 32,
      cpus: 768,
      memoryGiB: 8192,
    },
    {
      name: 'h100-on-demand',
      nodeLabels: { 'capacity-type': 'on-demand' },
      gpus: 16,
      cpus: 384,
      memoryGiB: 4096,
    },
  ],
};

function queues(props: Partial<TrainingQueuesProps> = {}) {
  const { workloads } = platformAndWorkloads();
  const q = new TrainingQueues(workloads, 'Training', { ...QUEUES, ...props });
  const json = synthJson(workloads);
  return { q, json, workloads };
}

describe('TrainingQueues', () => {
  test('uses the Kueue v1beta2 API', () => {
    const { json } = queues();
    for (const kind of ['ResourceFlavor', 'ClusterQueue', 'LocalQueue']) {
      for (const m of manifests(json, kind)) {
        expect(m.apiVersion).toBe('kueue.x-k8s.io/v1beta2');
      }
    }
  });

  test('a ResourceFlavor per capacity type with labels, taints and tolerations', () => {
    const { json } = queues();
    const flavors = manifests(json, 'ResourceFlavor');
    expect(flavors.map((f) => f.metadata.name).sort()).toEqual(['h100-on-demand', 'h100-spot']);
    const spot = flavors.find((f) => f.metadata.name === 'h100-spot');
    const onDemand = flavors.find((f) => f.metadata.name === 'h100-on-demand');
    expect(spot.spec).toEqual({
      nodeLabels: { 'capacity-type': 'spot' },
      nodeTaints: [{ key: 'spot', value: 'true', effect: 'NoSchedule' }],
      tolerations: [{ key: 'spot', value: 'true', effect: 'NoSchedule', operator: 'Equal' }],
    });
    expect(onDemand.spec).toEqual({ nodeLabels: { 'capacity-type': 'on-demand' } });
  });

  test('a ClusterQueue with GPU, CPU and memory quotas per flavor, in order', () => {
    const { json } = queues();
    const [cq] = manifests(json, 'ClusterQueue');
    expect(cq.metadata.name).toBe('training');
    const rg = cq.spec.resourceGroups[0];
    expect(rg.coveredResources).toEqual(['cpu', 'memory', 'nvidia.com/gpu']);
    expect(rg.flavors[0]).toEqual({
      name: 'h100-spot',
      resources: [
        { name: 'cpu', nominalQuota: '768' },
        { name: 'memory', nominalQuota: '8192Gi' },
        { name: 'nvidia.com/gpu', nominalQuota: '32' },
      ],
    });
    expect(rg.flavors[1].name).toBe('h100-on-demand');
  });

  test('defaults to preempting lower priority within the queue and no cohort', () => {
    const { json } = queues();
    const [cq] = manifests(json, 'ClusterQueue');
    expect(cq.spec.preemption).toEqual({ withinClusterQueue: 'LowerPriority', reclaimWithinCohort: 'Any' });
    expect(cq.spec.cohortName).toBeUndefined();
  });

  test('covers extra resources, with zero quota on flavors that lack them', () => {
    const { json } = queues({
      flavors: [{ ...QUEUES.flavors[0], extraResources: { 'rdma/ib': 32 } }, QUEUES.flavors[1]],
    });
    const [cq] = manifests(json, 'ClusterQueue');
    const rg = cq.spec.resourceGroups[0];
    expect(rg.coveredResources).toEqual(['cpu', 'memory', 'nvidia.com/gpu', 'rdma/ib']);
    expect(rg.flavors[1].resources).toContainEqual({ name: 'rdma/ib', nominalQuota: '0' });
  });

  test('a LocalQueue per namespace pointing at the ClusterQueue', () => {
    const { json } = queues();
    const lqs = manifests(json, 'LocalQueue');
    expect(lqs.map((l) => l.metadata.namespace).sort()).toEqual(['prod-training', 'research']);
    expect(lqs[0]).toMatchObject({ metadata: { name: 'training' }, spec: { clusterQueue: 'training' } });
  });

  test('throws without flavors', () => {
    expect(() => queues({ flavors: [] })).toThrow(/'flavors' is empty/);
  });

  test('throws without namespaces', () => {
    expect(() => queues({ namespaces: [] })).toThrow(/'namespaces' is empty/);
  });

  test('throws on duplicate flavor names', () => {
    expect(() => queues({ flavors: [QUEUES.flavors[0], QUEUES.flavors[0]] })).toThrow(
      /lists 'h100-spot' twice/,
    );
  });

  test('throws on a negative quota', () => {
    expect(() => queues({ flavors: [{ ...QUEUES.flavors[1], gpus: -1 }] })).toThrow(
      /'gpus' \(-1\) must be a number >= 0/,
    );
  });

  test('throws on a flavor without node labels', () => {
    expect(() => queues({ flavors: [{ ...QUEUES.flavors[1], nodeLabels: {} }] })).toThrow(
      /'nodeLabels' is empty/,
    );
  });

  test('throws when extraResources sets a resource that has its own quota field', () => {
    expect(() =>
      queues({ flavors: [{ ...QUEUES.flavors[1], extraResources: { 'nvidia.com/gpu': 8 } }] }),
    ).toThrow(/'extraResources' must not set 'nvidia.com\/gpu': use gpus, cpus or memoryGiB/);
  });

  test('throws on flavor node labels the API server would reject', () => {
    expect(() =>
      queues({ flavors: [{ ...QUEUES.flavors[1], nodeLabels: { 'capacity-type': 'on demand' } }] }),
    ).toThrow(
      /'flavors\[0\].nodeLabels\['capacity-type'\]' \('on demand'\) is not a valid Kubernetes label value/,
    );
  });

  // Kueue v1beta2 CRD limits (apis/kueue/v1beta2/resourceflavor_types.go, clusterqueue_types.go):
  // the API server rejects more at terraform apply.
  test('throws on a flavor with more than 8 node labels', () => {
    const nodeLabels = Object.fromEntries([...Array(9).keys()].map((i) => [`l${i}`, 'x']));
    expect(() => queues({ flavors: [{ ...QUEUES.flavors[1], nodeLabels }] })).toThrow(
      /'flavors' 'h100-on-demand': 'nodeLabels' has 9 entries; Kueue allows at most 8/,
    );
  });

  test('throws on a flavor with more than 8 node taints', () => {
    const nodeTaints = [...Array(9).keys()].map((i) => ({ key: `t${i}`, effect: TaintEffect.NO_SCHEDULE }));
    expect(() => queues({ flavors: [{ ...QUEUES.flavors[1], nodeTaints }] })).toThrow(
      /'flavors' 'h100-on-demand': 'nodeTaints' has 9 entries; Kueue allows at most 8/,
    );
  });

  test('throws on more than 64 flavors', () => {
    const flavors = [...Array(65).keys()].map((i) => ({ ...QUEUES.flavors[1], name: `f${i}` }));
    expect(() => queues({ flavors })).toThrow(/'flavors' has 65 entries; Kueue allows at most 64/);
  });

  test('throws on more than 64 covered resources', () => {
    const extraResources = Object.fromEntries([...Array(62).keys()].map((i) => [`example.com/r${i}`, 1]));
    expect(() => queues({ flavors: [{ ...QUEUES.flavors[1], extraResources }] })).toThrow(
      /65 covered resources \(cpu, memory, nvidia.com\/gpu and 'extraResources'\); Kueue allows at most 64/,
    );
  });

  test('throws on an invalid cohort name', () => {
    expect(() => queues({ cohort: 'ML_Team' })).toThrow(/'cohort' \('ML_Team'\)/);
  });

  test('throws when placed in the stack that installs the Kueue CRDs', () => {
    const { platform } = platformAndWorkloads();
    const gpu = new FakePlatform(platform, 'Gpu');
    registerCrdInstaller(gpu, ['kueue.x-k8s.io']);
    expect(() => new TrainingQueues(platform, 'Q', QUEUES)).toThrow(/needs the CRD at plan time/);
  });

  test('throws when the platform has Kueue disabled', () => {
    const { platform, workloads } = platformAndWorkloads();
    const gpu = new FakePlatform(platform, 'Gpu', { kueueInstalled: false });
    expect(() => new TrainingQueues(workloads, 'Q', { ...QUEUES, platform: gpu })).toThrow(
      /has kueue disabled/,
    );
  });
});

describe('TrainingJob props of the wrong type or form', () => {
  test.each([
    [{ image: 42 as unknown as string }, /'image' must be a string, got a number/],
    [{ image: null as unknown as string }, /'image' must be a string/],
    [{ command: null as unknown as string[] }, /'command' must be an array of strings/],
    [{ command: [42] as unknown as string[] }, /'command\[0\]' must be a string/],
    [{ cpu: '8 cores' }, /'cpu'/],
    [
      { extraResourcesPerNode: { 'vpc.amazonaws.com/efa': '32 devices' } },
      /extraResourcesPerNode\['vpc.amazonaws.com\/efa'\]/,
    ],
    [{ extraResourcesPerNode: { 'bad key!': 1 } }, /extraResourcesPerNode key 'bad key!'/],
  ])('throws a ValidationError for %p', (props, message) => {
    expect(() => train(props)).toThrow(ValidationError);
    expect(() => train(props)).toThrow(message);
  });
});

describe('TrainingJob defaults', () => {
  test('defaults to the default namespace, 8 CPUs and 64 GiB per GPU', () => {
    const { js, c } = train();
    expect(js.metadata.namespace).toBe('default');
    expect(c.resources.requests).toMatchObject({ cpu: '64', memory: '512Gi' });
    // The memory-backed /dev/shm (8 GiB per GPU) is charged to the container: the limit adds it.
    expect(c.resources.limits.memory).toBe('576Gi');
  });

  test('cpu, memory, shm, port and grace period can be overridden', () => {
    const { c, pod, env } = train({
      cpu: '96',
      memoryGiB: 1024,
      sharedMemoryGiB: 128,
      masterPort: 23456,
      terminationGracePeriodSeconds: 30,
    });
    expect(c.resources.requests).toMatchObject({ cpu: '96', memory: '1024Gi' });
    expect(pod.volumes).toContainEqual({ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '128Gi' } });
    expect(env.PET_MASTER_PORT).toBe('23456');
    expect(pod.terminationGracePeriodSeconds).toBe(30);
  });

  test('maxRestarts is configurable', () => {
    const { js } = train({ maxRestarts: 10 });
    expect(js.spec.failurePolicy.maxRestarts).toBe(10);
  });

  test('passes env and the service account', () => {
    const { env, pod } = train({ env: { NCCL_DEBUG: 'WARN' }, serviceAccountName: 'trainer' });
    expect(env.NCCL_DEBUG).toBe('WARN');
    expect(pod.serviceAccountName).toBe('trainer');
  });

  test('merges a node selector over the accelerator selector', () => {
    const { pod } = train({ nodeSelector: { 'capacity-type': 'spot' } });
    expect(pod.nodeSelector).toEqual({ 'cdktf-ai-infra/accelerator': 'h100', 'capacity-type': 'spot' });
  });

  test('throws on too many GPUs per node', () => {
    expect(() => train({ gpusPerNode: 32 })).toThrow(/'gpusPerNode' \(32\) must be an integer from 1 to 16/);
  });
});
