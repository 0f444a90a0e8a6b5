import { Accelerator, ValidationError } from '../../lib/core';
import {
  MpiJob,
  PodSecurityLevel,
  PreflightDcgm,
  PreflightDcgmMode,
  REMEDIATION_IMAGES,
  TrainingJob,
  TrainingJobProps,
  imageRef,
} from '../../lib/k8s';
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

function train(props: Partial<TrainingJobProps> = {}, hostEngine = 'nvidia-dcgm.nvidia-gpu.svc:5555') {
  const { platform, workloads } = platformAndWorkloads();
  const gpu = new FakePlatform(platform, 'Gpu', { dcgmHostEngineAddress: hostEngine || undefined });
  const job = new TrainingJob(workloads, 'LlamaFinetune', { ...JOB, platform: gpu, ...props });
  const json = synthJson(workloads);
  const js = (Object.values(resourcesOf(json, 'kubernetes_manifest')) as any[])
    .map((m) => m.manifest)
    .find((m) => m.kind === 'JobSet');
  const pod = js.spec.replicatedJobs[0].template.spec.template.spec;
  const init = (name: string) => (pod.initContainers ?? []).find((c: any) => c.name === name);
  return { job, pod, init, gpu, workloads };
}

describe('TrainingJob preflight', () => {
  test('defaults to no preflight init containers', () => {
    const { pod } = train();
    expect(pod.initContainers).toBeUndefined();
  });

  describe('NCCL init check', () => {
    test('is on by default: torchrun over the whole gang with the trainer image, GPUs, mounts and security context', () => {
      const { pod, init } = train({ preflight: {} });
      const c = init('preflight-nccl-init');
      const trainer = pod.containers[0];
      expect(c.image).toBe(JOB.image);
      expect(c.command.slice(0, 5)).toEqual(['torchrun', '--no-python', 'python3', '-c', expect.any(String)]);
      expect(c.resources).toEqual(trainer.resources);
      expect(c.volumeMounts).toEqual(trainer.volumeMounts);
      expect(c.securityContext).toEqual(trainer.securityContext);
      expect(c.ports).toBeUndefined();
      // torchrun reads the gang's shape from the trainer's PET_* variables.
      const env = Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
      expect(env.PET_NNODES).toBe('4');
      expect(env.PET_NPROC_PER_NODE).toBe('8');
      expect(env.PET_MASTER_ADDR).toBe(trainer.env.find((e: any) => e.name === 'PET_MASTER_ADDR').value);
    });

    test('rendezvous one port above the trainer so the trainer port is free when it starts', () => {
      const { init } = train({ preflight: {}, masterPort: 23456 });
      const env = init('preflight-nccl-init').env.filter((e: any) => e.name === 'PET_MASTER_PORT');
      expect(env).toEqual([{ name: 'PET_MASTER_PORT', value: '23457' }]);
    });

    test('creates the NCCL communicator and checks one all-reduce, with the default 600 s timeout', () => {
      const program = train({ preflight: {} }).init('preflight-nccl-init').command[4];
      expect(program).toContain('dist.init_process_group("nccl", timeout=datetime.timedelta(seconds=600))');
      expect(program).toContain('dist.all_reduce(t)');
      expect(program).toContain('assert int(t.item()) == dist.get_world_size()');
      expect(program).toContain('torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))');
    });

    test('timeoutSeconds reaches the process group', () => {
      const program = train({ preflight: { timeoutSeconds: 120 } }).init('preflight-nccl-init').command[4];
      expect(program).toContain('timedelta(seconds=120)');
    });

    test('keeps the pod restricted', () => {
      expect(train({ preflight: {} }).job.podSecurityLevel).toBe(PodSecurityLevel.RESTRICTED);
    });
  });

  describe('DCGM diagnostics through the host engine', () => {
    function withHostEngine(props: Partial<TrainingJobProps> = {}) {
      const { platform, workloads } = platformAndWorkloads();
      const gpu = new FakePlatform(platform, 'Gpu', { dcgmHostEngineAddress: 'nvidia-dcgm.gpu.svc:5555' });
      const job = new TrainingJob(workloads, 'LlamaFinetune', {
        ...JOB,
        platform: gpu,
        ...props,
        preflight: { dcgm: PreflightDcgm.hostEngine(gpu), ...props.preflight },
      });
      const json = synthJson(workloads);
      const js = (Object.values(resourcesOf(json, 'kubernetes_manifest')) as any[])
        .map((m) => m.manifest)
        .find((m) => m.kind === 'JobSet');
      return { job, pod: js.spec.replicatedJobs[0].template.spec.template.spec, workloads };
    }

    test('runs dcgmi diag level 1 on the node host engine before the NCCL check', () => {
      const { pod } = withHostEngine();
      expect(pod.initContainers.map((c: any) => c.name)).toEqual([
        'preflight-dcgm-diag',
        'preflight-nccl-init',
      ]);
      const c = pod.initContainers[0];
      expect(c.image).toBe(imageRef(REMEDIATION_IMAGES.dcgm));
      expect(c.command).toEqual([
        'dcgmi',
        'diag',
        '--run',
        '1',
        '--timeout',
        '600',
        '--host',
        'nvidia-dcgm.gpu.svc',
      ]);
    });

    test('the client container is unprivileged and asks for no GPU', () => {
      const { pod, job } = withHostEngine();
      const c = pod.initContainers[0];
      expect(c.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
      });
      expect(c.resources.requests['nvidia.com/gpu']).toBeUndefined();
      expect(job.podSecurityLevel).toBe(PodSecurityLevel.RESTRICTED);
    });

    test('ncclInit: false leaves only the DCGM check', () => {
      const { pod } = withHostEngine({ preflight: { ncclInit: false } });
      expect(pod.initContainers.map((c: any) => c.name)).toEqual(['preflight-dcgm-diag']);
    });

    test('the platform mode is recorded', () => {
      const { platform } = platformAndWorkloads();
      const gpu = new FakePlatform(platform, 'Gpu', { dcgmHostEngineAddress: 'nvidia-dcgm.gpu.svc:5555' });
      expect(PreflightDcgm.hostEngine(gpu).mode).toBe(PreflightDcgmMode.HOST_ENGINE);
    });

    test('throws when the platform runs no standalone host engine', () => {
      const { platform, workloads } = platformAndWorkloads();
      const gpu = new FakePlatform(platform, 'Gpu', { dcgmHostEngineAddress: undefined });
      expect(
        () =>
          new TrainingJob(workloads, 'J', {
            ...JOB,
            platform: gpu,
            preflight: { dcgm: PreflightDcgm.hostEngine(gpu) },
          }),
      ).toThrow(
        /'preflight.dcgm' uses the host engine of 'platform\/Gpu', which runs none: .*standaloneDcgm: true/,
      );
    });
  });

  describe('DCGM diagnostics in the pod (explicit privileged opt-in)', () => {
    test('runs its own host engine as root with SYS_ADMIN on the pod GPUs, and only that container', () => {
      const { init, pod, job, workloads } = train({ preflight: { dcgm: PreflightDcgm.inPod() } });
      const c = init('preflight-dcgm-diag');
      expect(c.command).toEqual([
        'sh',
        '-c',
        'nv-hostengine && dcgmi diag --run 1 --timeout 600; rc=$?; nv-hostengine --term; exit $rc',
      ]);
      expect(c.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] },
        readOnlyRootFilesystem: false,
        runAsNonRoot: false,
        runAsUser: 0,
      });
      expect(c.resources.limits['nvidia.com/gpu']).toBe('8');
      expect(pod.containers[0].securityContext.runAsNonRoot).toBe(true);
      expect(init('preflight-nccl-init').securityContext.capabilities).toEqual({ drop: ['ALL'] });
      expect(job.podSecurityLevel).toBe(PodSecurityLevel.PRIVILEGED);
      expect(warningsOf(workloads).join('\n')).toMatch(/k8s-preflight-dcgm-privileged/);
    });
  });

  describe('validation', () => {
    test('throws when nothing would run', () => {
      expect(() => train({ preflight: { ncclInit: false } })).toThrow(/'preflight' runs nothing/);
    });

    test('throws when dcgm is not a PreflightDcgm', () => {
      expect(() => train({ preflight: { dcgm: {} as unknown as PreflightDcgm } })).toThrow(ValidationError);
      expect(() => train({ preflight: { dcgm: 'in-pod' as unknown as PreflightDcgm } })).toThrow(
        /'preflight.dcgm' must be PreflightDcgm.hostEngine\(platform\) or PreflightDcgm.inPod\(\)/,
      );
    });

    test('throws on a timeout outside 30 s to a day', () => {
      expect(() => train({ preflight: { timeoutSeconds: 5 } })).toThrow(/'preflight.timeoutSeconds'/);
      expect(() => train({ preflight: { timeoutSeconds: 1.5 } })).toThrow(/'preflight.timeoutSeconds'/);
    });

    test('throws when ncclInit is not a boolean', () => {
      expect(() => train({ preflight: { ncclInit: 'yes' as unknown as boolean } })).toThrow(
        /'preflight.ncclInit' must be true or false/,
      );
    });

    test('throws when the NCCL rendezvous port would leave the port range', () => {
      expect(() => train({ preflight: {}, masterPort: 65535 })).toThrow(/'masterPort' is 65535/);
    });

    test('throws when preflight is not an object', () => {
      expect(() => train({ preflight: 'yes' as unknown as object })).toThrow(/'preflight' must be an object/);
    });
  });
});

describe('MpiJob preflight', () => {
  function mpi(preflight: (gpu: FakePlatform) => any) {
    const { platform, workloads } = platformAndWorkloads();
    const gpu = new FakePlatform(platform, 'Gpu', {
      dcgmHostEngineAddress: 'nvidia-dcgm.nvidia-gpu.svc:5555',
    });
    const job = new MpiJob(workloads, 'Ds', {
      image: 'registry.example.com/ds-train:2026.12.1',
      command: ['deepspeed', 'train.py'],
      workers: 2,
      gpusPerWorker: 8,
      accelerator: Accelerator.H100,
      preflight: preflight(gpu),
    });
    const json = synthJson(workloads);
    const m = (Object.values(resourcesOf(json, 'kubernetes_manifest')) as any[])
      .map((r) => r.manifest)
      .find((r) => r.kind === 'MPIJob');
    return { job, m, workloads };
  }

  test('workers run the DCGM diagnostic only (no NCCL init check by default), the launcher nothing', () => {
    const { m, job } = mpi((gpu) => ({ dcgm: PreflightDcgm.hostEngine(gpu) }));
    const worker = m.spec.mpiReplicaSpecs.Worker.template.spec;
    expect(worker.initContainers.map((c: any) => c.name)).toEqual(['preflight-dcgm-diag']);
    expect(worker.initContainers[0].command).toContain('nvidia-dcgm.nvidia-gpu.svc');
    expect(m.spec.mpiReplicaSpecs.Launcher.template.spec.initContainers).toBeUndefined();
    expect(job.podSecurityLevel).toBe(PodSecurityLevel.RESTRICTED);
  });

  test('the in-pod diagnostic makes the workers privileged', () => {
    const { job, workloads } = mpi(() => ({ dcgm: PreflightDcgm.inPod() }));
    expect(job.podSecurityLevel).toBe(PodSecurityLevel.PRIVILEGED);
    expect(warningsOf(workloads).join('\n')).toMatch(/k8s-preflight-dcgm-privileged/);
  });

  test('throws on ncclInit: the NCCL init check is TrainingJob only', () => {
    expect(() => mpi((gpu) => ({ dcgm: PreflightDcgm.hostEngine(gpu), ncclInit: true }))).toThrow(
      /'preflight.ncclInit' is not available in an MpiJob/,
    );
  });

  test('throws when nothing would run', () => {
    expect(() => mpi(() => ({}))).toThrow(/'preflight' runs nothing/);
  });
});
