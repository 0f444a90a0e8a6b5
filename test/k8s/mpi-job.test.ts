import { Accelerator, ValidationError } from '../../lib/core';
import {
  GpuNodeImage,
  GpuPlatform,
  MPI_BASE_IMAGE_USER,
  MPI_OPERATOR,
  MpiImplementation,
  MpiJob,
  MpiJobProps,
  PodSecurityLevel,
} from '../../lib/k8s';
import { validateKubernetesObject } from '../consumers/k8s-schema';
import { resourcesOf, synthJson } from '../util';
import { FakePlatform, platformAndWorkloads, warningsOf } from './helpers';

const JOB: MpiJobProps = {
  image: 'registry.example.com/ds-train:2026.12.1',
  command: ['deepspeed', '--hostfile', '/etc/mpi/hostfile', 'train.py'],
  workers: 4,
  gpusPerWorker: 8,
  accelerator: Accelerator.H100,
};

function mpi(props: Partial<MpiJobProps> = {}) {
  const { workloads } = platformAndWorkloads();
  const job = new MpiJob(workloads, 'DeepSpeedRun', { ...JOB, ...props });
  const json = synthJson(workloads);
  const [res] = Object.values(resourcesOf(json, 'kubernetes_manifest')) as any[];
  const m = res.manifest;
  const launcher = m.spec.mpiReplicaSpecs.Launcher.template.spec;
  const worker = m.spec.mpiReplicaSpecs.Worker.template.spec;
  return { job, res, m, launcher, worker, w: worker.containers[0], workloads };
}

describe('MpiJob', () => {
  test('emits a kubeflow.org/v2beta1 MPIJob named from the construct id, that the pinned schema accepts', () => {
    const { m } = mpi();
    expect(m.apiVersion).toBe('kubeflow.org/v2beta1');
    expect(m.kind).toBe('MPIJob');
    expect(m.metadata.name).toBe('deep-speed-run');
    expect(validateKubernetesObject(m)).toEqual([]);
  });

  test('defaults: Open MPI, one slot per GPU, base-image SSH path, launcher after workers are ready, no retries', () => {
    const { m } = mpi();
    expect(m.spec).toMatchObject({
      slotsPerWorker: 8,
      mpiImplementation: 'OpenMPI',
      sshAuthMountPath: '/home/mpiuser/.ssh',
      launcherCreationPolicy: 'WaitForWorkersReady',
      runPolicy: { cleanPodPolicy: 'Running', backoffLimit: 0 },
    });
    expect(m.spec.runPolicy.activeDeadlineSeconds).toBeUndefined();
    expect(m.spec.mpiReplicaSpecs.Launcher).toMatchObject({ replicas: 1, restartPolicy: 'Never' });
    expect(m.spec.mpiReplicaSpecs.Worker).toMatchObject({ replicas: 4, restartPolicy: 'Never' });
  });

  test('workers: GPUs, accelerator selector, /dev/shm, sshd as mpiuser with NET_BIND_SERVICE only (restricted)', () => {
    const { job, worker, w } = mpi();
    expect(w.command).toEqual(MPI_BASE_IMAGE_USER.workerCommand);
    expect(w.resources.limits['nvidia.com/gpu']).toBe('8');
    expect(worker.nodeSelector).toEqual({ 'cdktf-ai-infra/accelerator': Accelerator.H100.labelValue });
    expect(worker.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000 });
    expect(w.securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
    expect(worker.volumes).toContainEqual({
      name: 'dshm',
      emptyDir: { medium: 'Memory', sizeLimit: '64Gi' },
    });
    expect(worker.restartPolicy).toBeUndefined();
    expect(job.podSecurityLevel).toBe(PodSecurityLevel.RESTRICTED);
  });

  test('the launcher has no GPU, drops every capability and leaves restartPolicy to the operator', () => {
    const { launcher } = mpi();
    const c = launcher.containers[0];
    expect(c.command).toEqual(JOB.command);
    expect(c.resources.requests['nvidia.com/gpu']).toBeUndefined();
    expect(c.securityContext.capabilities).toEqual({ drop: ['ALL'] });
    expect(launcher.restartPolicy).toBeUndefined();
    expect(launcher.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
  });

  test('EFA workers add IPC_LOCK (privileged) with the devices requested and limited', () => {
    const { job, w } = mpi({ extraResourcesPerWorker: { 'vpc.amazonaws.com/efa': 32 } });
    expect(w.securityContext.capabilities.add).toEqual(['IPC_LOCK', 'NET_BIND_SERVICE']);
    expect(w.resources.requests['vpc.amazonaws.com/efa']).toBe('32');
    expect(w.resources.limits['vpc.amazonaws.com/efa']).toBe('32');
    expect(job.podSecurityLevel).toBe(PodSecurityLevel.PRIVILEGED);
  });

  test('queued: the Kueue label, and the fields Kueue writes are computed', () => {
    const { m, res } = mpi({ queueName: 'training' });
    expect(m.metadata.labels['kueue.x-k8s.io/queue-name']).toBe('training');
    expect(res.computed_fields).toEqual(
      expect.arrayContaining([
        'spec.runPolicy.suspend',
        'spec.mpiReplicaSpecs.Worker.template.spec.nodeSelector',
        'spec.mpiReplicaSpecs.Launcher.template.spec.tolerations',
      ]),
    );
    expect(mpi().res.computed_fields).toBeUndefined();
  });

  test('options: implementation, deadline, retries, SSH path, worker command, UID', () => {
    const { m, w, worker } = mpi({
      mpiImplementation: MpiImplementation.INTEL,
      activeDeadlineSeconds: 3600,
      backoffLimit: 2,
      sshAuthMountPath: '/home/trainer/.ssh',
      workerCommand: ['/usr/sbin/sshd', '-De', '-f', '/home/trainer/.sshd_config'],
      runAsUser: 2000,
    });
    expect(m.spec).toMatchObject({
      mpiImplementation: 'Intel',
      sshAuthMountPath: '/home/trainer/.ssh',
      runPolicy: { activeDeadlineSeconds: 3600, backoffLimit: 2 },
    });
    expect(w.command[3]).toBe('/home/trainer/.sshd_config');
    expect(worker.securityContext.runAsUser).toBe(2000);
  });

  test('the last worker host name must be an RFC 1035 label (the operator refuses the job otherwise)', () => {
    // '-worker-9' leaves 54 characters, '-worker-10' 53.
    expect(() => mpi({ name: 'a'.repeat(55), workers: 10 })).toThrow(ValidationError);
    expect(() => mpi({ name: 'a'.repeat(55), workers: 10 })).toThrow(/'name' .* at most 54/);
    expect(() => mpi({ name: 'a'.repeat(54), workers: 10 })).not.toThrow();
    expect(() => mpi({ name: 'a'.repeat(54), workers: 11 })).toThrow(/at most 53/);
  });

  test.each<[string, Partial<MpiJobProps>, RegExp]>([
    ['unpinned image', { image: 'registry.example.com/ds-train' }, /'image' .* pinned tag or digest/],
    ['latest image', { image: 'registry.example.com/ds-train:latest' }, /pinned tag or digest/],
    ['empty command', { command: [] }, /'command' is empty/],
    ['command not an array', { command: 'mpirun' as any }, /'command' must be an array of strings/],
    ['empty worker command', { workerCommand: [] }, /'workerCommand' is empty/],
    ['zero workers', { workers: 0 }, /'workers'/],
    ['17 GPUs per worker', { gpusPerWorker: 17 }, /'gpusPerWorker'/],
    ['root', { runAsUser: 0 }, /'runAsUser'/],
    ['negative backoff', { backoffLimit: -1 }, /'backoffLimit'/],
    ['zero deadline', { activeDeadlineSeconds: 0 }, /'activeDeadlineSeconds'/],
    [
      'relative SSH path',
      { sshAuthMountPath: 'home/mpiuser/.ssh' },
      /'sshAuthMountPath' .* '\.ssh' directory/,
    ],
    ['SSH path not .ssh', { sshAuthMountPath: '/home/mpiuser/keys' }, /'sshAuthMountPath'/],
    ['unknown implementation', { mpiImplementation: 'LAM' as any }, /'mpiImplementation'/],
    [
      'GPU in extra resources',
      { extraResourcesPerWorker: { 'nvidia.com/gpu': 8 } },
      /must not set 'nvidia.com\/gpu'/,
    ],
    ['bad queue name', { queueName: 'Training' }, /'queueName'/],
    ['env name with a space', { env: { 'A B': 'x' } }, /env key "A B"/],
    ['env not a map', { env: 'x' as any }, /'env'/],
  ])('refuses %s', (_n, props, message) => {
    expect(() => mpi(props)).toThrow(ValidationError);
    expect(() => mpi(props)).toThrow(message);
  });

  test('checks env keys once, in the worker pod, with the construct path and code k8s-env-name', () => {
    let error: unknown;
    try {
      mpi({ env: { 'A B': 'x' } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('k8s-env-name');
    expect((error as ValidationError).constructPath).toBe('workloads/DeepSpeedRun');
    expect((error as ValidationError).detail).toMatch(/^'env key "A B"' /);
  });

  test('passes valid env to launcher and workers', () => {
    const { launcher, worker } = mpi({ env: { NCCL_DEBUG: 'INFO' } });
    for (const pod of [launcher, worker]) {
      expect(pod.containers[0].env).toContainEqual({ name: 'NCCL_DEBUG', value: 'INFO' });
    }
  });

  test('warns without accelerator or node selector', () => {
    const { workloads } = mpi({ accelerator: undefined });
    expect(warningsOf(workloads).join('\n')).toMatch(/neither 'accelerator' nor 'nodeSelector'/);
  });

  test('checks the platform: the MPI Operator, and Kueue when queued', () => {
    const run = (installed: boolean | undefined, kueue = true, queueName?: string) => {
      const { platform, workloads } = platformAndWorkloads();
      const p = new FakePlatform(platform, 'Gpu', { mpiOperatorInstalled: installed, kueueInstalled: kueue });
      new MpiJob(workloads, 'Job', { ...JOB, platform: p, queueName });
    };
    expect(() => run(false)).toThrow(/MpiJob needs the MPI Operator.*'mpiOperator: true'/);
    expect(() => run(undefined)).toThrow(/MpiJob needs the MPI Operator/);
    expect(() => run(true, false, 'training')).toThrow(/'queueName' needs Kueue/);
    expect(() => run(true)).not.toThrow();
  });

  test('the pinned schema refuses what the operator refuses', () => {
    const { m } = mpi();
    const bad = JSON.parse(JSON.stringify(m));
    bad.spec.mpiReplicaSpecs.Launcher.replicas = 2;
    bad.spec.runPolicy.cleanPodPolicy = 'Sometimes';
    const problems = validateKubernetesObject(bad).join('\n');
    expect(problems).toMatch(/Launcher\/replicas/);
    expect(problems).toMatch(/cleanPodPolicy/);
  });
});

describe('GpuPlatform mpiOperator', () => {
  function platformJson(mpiOperator?: boolean) {
    const { platform } = platformAndWorkloads();
    const gpu = new GpuPlatform(platform, 'Gpu', {
      nodeImage: GpuNodeImage.DRIVER_AND_TOOLKIT,
      ...(mpiOperator === undefined ? {} : { mpiOperator }),
    });
    return { gpu, json: synthJson(platform) };
  }

  test('@default false: nothing of the operator is applied', () => {
    const { gpu, json } = platformJson();
    expect(gpu.mpiOperatorInstalled).toBe(false);
    expect(json.data?.http).toBeUndefined();
  });

  test('applies the pinned release manifest: CRDs protected from destroy, the rest after them, Kueue after both', () => {
    const { gpu, json } = platformJson(true);
    expect(gpu.mpiOperatorInstalled).toBe(true);
    const [source] = Object.values(json.data!.http) as any[];
    expect(source.url).toBe(MPI_OPERATOR.url);
    expect(MPI_OPERATOR.url).toContain('/v0.8.0/');
    const manifests = resourcesOf(json, 'kubernetes_manifest');
    const crdsKey = Object.keys(manifests).find((k) => k.startsWith('Gpu_MpiOperatorCrds_'))!;
    const objectsKey = Object.keys(manifests).find((k) => /^Gpu_MpiOperator_[0-9A-F]{8}$/.test(k))!;
    expect(manifests[crdsKey].lifecycle).toEqual({ prevent_destroy: true });
    expect(manifests[crdsKey].for_each).toMatch(/if m.kind == "CustomResourceDefinition"/);
    expect(manifests[objectsKey].for_each).toMatch(/if m.kind != "CustomResourceDefinition"/);
    expect(manifests[objectsKey].depends_on).toEqual([`kubernetes_manifest.${crdsKey}`]);
    expect(manifests[objectsKey].lifecycle).toBeUndefined();
    const kueue = Object.values(resourcesOf(json, 'helm_release')).find(
      (r: any) => r.name === 'kueue',
    ) as any;
    expect(kueue.depends_on).toEqual(expect.arrayContaining([`kubernetes_manifest.${objectsKey}`]));
    expect(json.terraform.required_providers.http).toMatchObject({
      source: 'hashicorp/http',
      version: '3.5.0',
    });
  });

  test('refuses a non-boolean', () => {
    const { platform } = platformAndWorkloads();
    expect(
      () =>
        new GpuPlatform(platform, 'Gpu', {
          nodeImage: GpuNodeImage.DRIVER_AND_TOOLKIT,
          mpiOperator: 'yes' as any,
        }),
    ).toThrow(/'mpiOperator'/);
  });
});
