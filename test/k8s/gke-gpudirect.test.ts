import { Accelerator, ModelSpec, Quantization, ValidationError } from '../../lib/core';
import {
  GKE_ACCELERATORS_COMMIT,
  GKE_GPUDIRECT_IMAGES,
  GkeGpuDirectTransport,
  GkeNcclPlugin,
  ModelServer,
  PodSecurityLevel,
  PreflightDcgm,
  ServingFabric,
  TrainingJob,
  TrainingJobProps,
  WeightsSource,
} from '../../lib/k8s';
import { TCPXO_NCCL_ENV, TCPX_NCCL_ENV } from '../../lib/k8s/private/gke-gpudirect';
import { validateKubernetesObject } from '../consumers/k8s-schema';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads, warningsOf } from './helpers';
import { restrictedViolations } from './pod-security-standards';

const MACHINES = {
  TCPX: { machineType: 'a3-highgpu-8g', networks: ['vpc1', 'vpc2', 'vpc3', 'vpc4'] },
  TCPXO: { machineType: 'a3-megagpu-8g', networks: [1, 2, 3, 4, 5, 6, 7, 8].map((i) => `vpc${i}`) },
  RDMA: {
    machineType: 'a3-ultragpu-8g',
    networks: ['gvnic-1', ...[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `rdma-${i}`)],
  },
} as const;

const JOB: TrainingJobProps = {
  image: 'pytorch/pytorch:2.13.0-cuda13.0-cudnn9-runtime',
  command: ['torchrun', 'train.py'],
  nodes: 4,
  gpusPerNode: 8,
  accelerator: Accelerator.H100,
  checkpoint: { uri: 'gs://ckpt/llama/' },
};

type Kind = keyof typeof MACHINES;

function manifests(json: any, kind: string): any[] {
  return Object.values(resourcesOf(json, 'kubernetes_manifest'))
    .map((m: any) => m.manifest)
    .filter((m: any) => m.kind === kind);
}

function train(kind: Kind, props: Partial<TrainingJobProps> = {}, plugin: Kind | 'none' = kind) {
  const { platform, workloads } = platformAndWorkloads();
  const ncclPlugin =
    plugin === 'none'
      ? undefined
      : new GkeNcclPlugin(platform, 'NcclPlugin', { transport: GkeGpuDirectTransport[plugin] });
  const job = new TrainingJob(workloads, 'Pretrain', {
    ...JOB,
    fabric: ServingFabric.gkeDeviceNetworks({
      ...MACHINES[kind],
      networks: [...MACHINES[kind].networks],
      ncclPlugin,
    }),
    ...props,
  });
  const json = synthJson(workloads);
  const [jobSet] = manifests(json, 'JobSet');
  const template = jobSet.spec.replicatedJobs[0].template.spec.template;
  const pod = template.spec;
  const trainer = pod.containers[0];
  const env = Object.fromEntries(trainer.env.map((e: any) => [e.name, e.value]));
  return { job, jobSet, template, pod, trainer, env, workloads };
}

describe('GKE GPUDirect pods: TrainingJob', () => {
  test('A3 Mega (TCPXO): the pinned RxDM v1.0.21 as a native sidecar before every other init container', () => {
    const { pod } = train('TCPXO', { preflight: {} });
    const [rxdm, ...rest] = pod.initContainers;
    expect(rxdm.name).toBe('tcpxo-daemon');
    expect(rxdm.image).toBe('us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpxo/tcpgpudmarxd-dev:v1.0.21');
    expect(rxdm.restartPolicy).toBe('Always');
    expect(rxdm.command).toEqual(['/bin/sh', '-c']);
    expect(rxdm.args[0]).toContain('/fts/entrypoint_rxdm_container.sh --num_hops=2');
    expect(rxdm.args[0]).not.toContain('--num_nics');
    expect(rxdm.securityContext).toEqual({
      capabilities: { add: ['NET_ADMIN', 'NET_BIND_SERVICE'] },
      runAsNonRoot: false,
      runAsUser: 0,
    });
    expect(rxdm.startupProbe).toEqual({
      exec: { command: ['cat', '/run/health-check'] },
      initialDelaySeconds: 1,
      periodSeconds: 5,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 6,
    });
    expect(rxdm.env).toEqual(
      expect.arrayContaining([{ name: 'HEALTH_CHECK_LOG_FILE', value: '/run/health-check' }]),
    );
    expect(rxdm.resources).toEqual({ requests: {}, limits: {} });
    expect(rxdm.volumeMounts).toEqual([
      { name: 'gpudirect-nvidia-lib', mountPath: '/usr/local/nvidia/lib64' },
      { name: 'gpudirect-sys', mountPath: '/hostsysfs' },
      { name: 'gpudirect-proc-sys', mountPath: '/hostprocsysfs' },
    ]);
    expect(rest.map((c: any) => c.name)).toEqual(['preflight-nccl-init']);
  });

  test('A3 Mega (TCPXO): host mounts, the aperture devices and the v1.0.15 NCCL environment on the trainer', () => {
    const { pod, trainer, env } = train('TCPXO');
    expect(pod.volumes).toEqual(
      expect.arrayContaining([
        {
          name: 'gpudirect-nvidia-lib',
          hostPath: { path: '/home/kubernetes/bin/nvidia/lib64', type: 'Directory' },
        },
        { name: 'gpudirect-sys', hostPath: { path: '/sys', type: 'Directory' } },
        { name: 'gpudirect-proc-sys', hostPath: { path: '/proc/sys', type: 'Directory' } },
        {
          name: 'gpudirect-aperture-devices',
          hostPath: { path: '/dev/aperture_devices', type: 'Directory' },
        },
      ]),
    );
    expect(trainer.volumeMounts).toEqual(
      expect.arrayContaining([
        { name: 'gpudirect-nvidia-lib', mountPath: '/usr/local/nvidia/lib64', readOnly: true },
        { name: 'gpudirect-aperture-devices', mountPath: '/dev/aperture_devices' },
      ]),
    );
    expect(env).toMatchObject({ ...TCPXO_NCCL_ENV, LD_LIBRARY_PATH: '/usr/local/nvidia/lib64' });
    // The guest config checker aborts a workload whose NVLSTree chunk size is not this value.
    expect(env.NCCL_NVLSTREE_MAX_CHUNKSIZE).toBe('131072');
    expect(env.NCCL_FASTRAK_IFNAME).toBe('eth1,eth2,eth3,eth4,eth5,eth6,eth7,eth8');
    expect(env.NCCL_FASTRAK_LLCM_DEVICE_DIRECTORY).toBe('/dev/aperture_devices');
    expect(trainer.securityContext.capabilities).toEqual({ drop: ['ALL'] });
  });

  test('A3 Mega (TCPXO): the RxDM gets the 8 GPUs, NVIDIA control devices and the dma-buf helper from the NRI injector', () => {
    const { template } = train('TCPXO');
    expect(template.metadata.annotations['devices.gke.io/container.tcpxo-daemon']).toBe(
      [0, 1, 2, 3, 4, 5, 6, 7]
        .map((i) => `/dev/nvidia${i}`)
        .concat(['/dev/nvidiactl', '/dev/nvidia-uvm', '/dev/dmabuf_import_helper'])
        .map((d) => `- path: ${d}\n`)
        .join(''),
    );
    expect(JSON.parse(template.metadata.annotations['networking.gke.io/interfaces'])).toHaveLength(9);
  });

  test('A3 High (TCPX): RxDM v2.0.12 with its socket directory shared with the trainer, IPC_LOCK, the TCPX NCCL environment', () => {
    const { pod, trainer, env, template, workloads } = train('TCPX');
    const [rxdm] = pod.initContainers;
    expect(rxdm.name).toBe('tcpx-daemon');
    expect(rxdm.image).toBe(`us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpx/tcpgpudmarxd-dev:v2.0.12`);
    expect(rxdm.command).toEqual([
      '/tcpgpudmarxd/build/app/tcpgpudmarxd',
      '--gpu_nic_preset',
      'a3vm',
      '--gpu_shmem_type',
      'fd',
      '--uds_path',
      '/run/tcpx',
      '--setup_param',
      '\\"--verbose 128 2 0 \\"',
    ]);
    expect(rxdm.securityContext.capabilities).toEqual({ add: ['NET_ADMIN'] });
    expect(rxdm.startupProbe).toBeUndefined();
    expect(pod.volumes).toContainEqual({ name: 'gpudirect-tcpx-socket', emptyDir: {} });
    expect(rxdm.volumeMounts).toContainEqual({ name: 'gpudirect-tcpx-socket', mountPath: '/run/tcpx' });
    expect(trainer.volumeMounts).toContainEqual({ name: 'gpudirect-tcpx-socket', mountPath: '/run/tcpx' });
    expect(env).toMatchObject({ ...TCPX_NCCL_ENV, LD_LIBRARY_PATH: '/usr/local/nvidia/lib64' });
    expect(env.NCCL_GPUDIRECTTCPX_UNIX_CLIENT_PREFIX).toBe('/run/tcpx');
    expect(trainer.securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['IPC_LOCK'] });
    expect(template.metadata.annotations['devices.gke.io/container.tcpx-daemon']).not.toContain('dmabuf');
    expect(warningsOf(workloads).join('\n')).toMatch(/k8s-gpudirect-tcpx-non-root/);
  });

  test('A3 High (TCPX) as root: IPC_LOCK takes effect, no non-root warning', () => {
    const { workloads, pod } = train('TCPX', { runAsUser: 0 });
    expect(pod.securityContext.runAsUser).toBe(0);
    expect(warningsOf(workloads).join('\n')).not.toMatch(/k8s-gpudirect-tcpx-non-root/);
  });

  test('A3 Ultra (RDMA, gIB): no sidecar; gIB mounts and the command run after sourcing set_nccl_env.sh', () => {
    const { pod, trainer, env } = train('RDMA', { accelerator: Accelerator.H200 });
    expect(pod.initContainers).toBeUndefined();
    expect(pod.volumes).toEqual(
      expect.arrayContaining([
        { name: 'gpudirect-nvidia', hostPath: { path: '/home/kubernetes/bin/nvidia', type: 'Directory' } },
        { name: 'gpudirect-gib', hostPath: { path: '/home/kubernetes/bin/gib', type: 'Directory' } },
      ]),
    );
    expect(trainer.volumeMounts).toEqual(
      expect.arrayContaining([
        { name: 'gpudirect-nvidia', mountPath: '/usr/local/nvidia', readOnly: true },
        { name: 'gpudirect-gib', mountPath: '/usr/local/gib', readOnly: true },
      ]),
    );
    expect(trainer.command).toEqual([
      '/bin/bash',
      '-c',
      'source /usr/local/gib/scripts/set_nccl_env.sh && exec "$@"',
      'gpudirect-env',
      'torchrun',
      'train.py',
    ]);
    expect(env.LD_LIBRARY_PATH).toBe('/usr/local/nvidia/lib64');
    expect(Object.keys(env).filter((k) => k.startsWith('NCCL_'))).toEqual([]);
  });

  test('A3 Ultra (RDMA): the preflight NCCL check sources set_nccl_env.sh too', () => {
    const { pod } = train('RDMA', { accelerator: Accelerator.H200, preflight: {} });
    const check = pod.initContainers.find((c: any) => c.name === 'preflight-nccl-init');
    expect(check.command.slice(0, 5)).toEqual([
      '/bin/bash',
      '-c',
      'source /usr/local/gib/scripts/set_nccl_env.sh && exec "$@"',
      'gpudirect-env',
      'torchrun',
    ]);
  });

  test('A3 Mega (TCPXO): the preflight NCCL check runs with the sidecar up and the trainer NCCL environment', () => {
    const { pod } = train('TCPXO', { preflight: { dcgm: PreflightDcgm.inPod() } });
    expect(pod.initContainers.map((c: any) => c.name)).toEqual([
      'tcpxo-daemon',
      'preflight-dcgm-diag',
      'preflight-nccl-init',
    ]);
    const check = pod.initContainers[2];
    expect(check.env).toEqual(expect.arrayContaining([{ name: 'NCCL_FASTRAK_USE_LLCM', value: '1' }]));
    expect(check.command[0]).toBe('torchrun');
  });

  test.each(['TCPX', 'TCPXO', 'RDMA'] as const)(
    '%s pods are Pod Security "privileged" (host paths), as the Pod Security checker finds, and the JobSet passes its schema',
    (kind) => {
      const { job, pod, jobSet } = train(kind, kind === 'RDMA' ? { accelerator: Accelerator.H200 } : {});
      expect(job.podSecurityLevel).toBe(PodSecurityLevel.PRIVILEGED);
      expect(restrictedViolations(pod).join('\n')).toMatch(/B5 volume gpudirect-[a-z-]+: hostPath/);
      expect(validateKubernetesObject(jobSet)).toEqual([]);
    },
  );

  test('the plugin alone decides the transport when machineType is omitted', () => {
    const { platform, workloads } = platformAndWorkloads();
    const ncclPlugin = new GkeNcclPlugin(platform, 'NcclPlugin', { transport: GkeGpuDirectTransport.TCPXO });
    new TrainingJob(workloads, 'Pretrain', {
      ...JOB,
      fabric: ServingFabric.gkeDeviceNetworks({ networks: [...MACHINES.TCPXO.networks], ncclPlugin }),
    });
    const [jobSet] = manifests(synthJson(workloads), 'JobSet');
    expect(jobSet.spec.replicatedJobs[0].template.spec.template.spec.initContainers[0].name).toBe(
      'tcpxo-daemon',
    );
  });

  test('defaults to the networks only, with a warning, when neither machineType nor ncclPlugin is given', () => {
    const { workloads } = platformAndWorkloads();
    const job = new TrainingJob(workloads, 'Pretrain', {
      ...JOB,
      fabric: ServingFabric.gkeDeviceNetworks({ networks: [...MACHINES.TCPXO.networks] }),
    });
    const [jobSet] = manifests(synthJson(workloads), 'JobSet');
    const template = jobSet.spec.replicatedJobs[0].template.spec.template;
    expect(template.spec.initContainers).toBeUndefined();
    expect(template.metadata.annotations['networking.gke.io/default-interface']).toBe('eth0');
    expect(job.podSecurityLevel).toBe(PodSecurityLevel.RESTRICTED);
    expect(warningsOf(workloads).join('\n')).toMatch(/k8s-gpudirect-networks-only/);
  });

  test('no fabric by default: no GPUDirect parts', () => {
    const { workloads } = platformAndWorkloads();
    new TrainingJob(workloads, 'Pretrain', JOB);
    const [jobSet] = manifests(synthJson(workloads), 'JobSet');
    const template = jobSet.spec.replicatedJobs[0].template.spec.template;
    expect(template.spec.initContainers).toBeUndefined();
    expect(template.metadata.annotations).toBeUndefined();
  });

  test('EFA through fabric requests the devices and huge pages like extraResourcesPerNode', () => {
    const { workloads } = platformAndWorkloads();
    new TrainingJob(workloads, 'Pretrain', { ...JOB, fabric: ServingFabric.efa({ devicesPerNode: 32 }) });
    const [jobSet] = manifests(synthJson(workloads), 'JobSet');
    const trainer = jobSet.spec.replicatedJobs[0].template.spec.template.spec.containers[0];
    expect(trainer.resources.limits).toMatchObject({
      'vpc.amazonaws.com/efa': '32',
      'hugepages-2Mi': '5210Mi',
    });
    expect(trainer.securityContext.capabilities.add).toEqual(['IPC_LOCK']);
  });
});

describe('GKE GPUDirect validation', () => {
  const build =
    (kind: Kind, props: Partial<TrainingJobProps> = {}, plugin: Kind | 'none' = kind) =>
    () =>
      train(kind, props, plugin);

  test('throws when an A3 Mega job has no NCCL plugin, naming fabric.ncclPlugin and the fix', () => {
    expect(build('TCPXO', {}, 'none')).toThrow(ValidationError);
    expect(build('TCPXO', {}, 'none')).toThrow(
      /'fabric.ncclPlugin' is missing: 'a3-megagpu-8g' pods .* GPUDirect-TCPXO .*GkeGpuDirectTransport.TCPXO/,
    );
  });

  test('throws when an A3 High job has no NCCL plugin', () => {
    expect(build('TCPX', {}, 'none')).toThrow(/'fabric.ncclPlugin' is missing: 'a3-highgpu-8g'/);
  });

  test('throws when the plugin is of another transport', () => {
    expect(build('TCPXO', {}, 'TCPX')).toThrow(
      /'fabric.ncclPlugin' installs the TCPX plugin, but 'a3-megagpu-8g' uses GPUDirect-TCPXO/,
    );
    expect(build('TCPX', {}, 'RDMA')).toThrow(
      /installs the RDMA plugin, but 'a3-highgpu-8g' uses GPUDirect-TCPX/,
    );
  });

  test('throws when the network count is not the machine type layout', () => {
    const { platform, workloads } = platformAndWorkloads();
    const ncclPlugin = new GkeNcclPlugin(platform, 'NcclPlugin', { transport: GkeGpuDirectTransport.TCPXO });
    expect(
      () =>
        new TrainingJob(workloads, 'Pretrain', {
          ...JOB,
          fabric: ServingFabric.gkeDeviceNetworks({
            networks: ['vpc1', 'vpc2', 'vpc3', 'vpc4'],
            machineType: 'a3-megagpu-8g',
            ncclPlugin,
          }),
        }),
    ).toThrow(/'fabric.networks' has 4 entries, but GPUDirect-TCPXO pods use 8/);
  });

  test('throws for a machine type without GPUDirect', () => {
    const { workloads } = platformAndWorkloads();
    expect(
      () =>
        new TrainingJob(workloads, 'Pretrain', {
          ...JOB,
          fabric: ServingFabric.gkeDeviceNetworks({ networks: ['vpc1'], machineType: 'a2-ultragpu-8g' }),
        }),
    ).toThrow(/'fabric.machineType' \('a2-ultragpu-8g'\) has no GKE GPUDirect transport/);
  });

  test('throws for an ncclPlugin that is not a GkeNcclPlugin', () => {
    const { workloads } = platformAndWorkloads();
    expect(
      () =>
        new TrainingJob(workloads, 'Pretrain', {
          ...JOB,
          fabric: ServingFabric.gkeDeviceNetworks({
            networks: [...MACHINES.TCPXO.networks],
            ncclPlugin: { transport: 'TCPXZ' } as any,
          }),
        }),
    ).toThrow(/'fabric.ncclPlugin' must be a GkeNcclPlugin/);
  });

  test('throws when a GPUDirect pod takes fewer than the node 8 GPUs', () => {
    expect(build('TCPXO', { gpusPerNode: 4 })).toThrow(
      /'gpusPerNode' \(4\) must be 8 with GKE GPUDirect-TCPXO: each pod takes a whole node/,
    );
  });

  test('throws for a fabric that is not a ServingFabric, and for devices requested twice', () => {
    const { workloads } = platformAndWorkloads();
    expect(() => new TrainingJob(workloads, 'A', { ...JOB, fabric: { kind: 'efa' } as any })).toThrow(
      /'fabric' must be a ServingFabric/,
    );
    expect(
      () =>
        new TrainingJob(workloads, 'B', {
          ...JOB,
          fabric: ServingFabric.efa({ devicesPerNode: 32 }),
          extraResourcesPerNode: { 'vpc.amazonaws.com/efa': 32 },
        }),
    ).toThrow(
      /'extraResourcesPerNode' sets 'vpc.amazonaws.com\/efa', which 'fabric' \(efa\) already requests/,
    );
  });
});

describe('GKE GPUDirect pods: multi-node ModelServer (LeaderWorkerSet)', () => {
  function serve(kind: Kind) {
    const { platform, workloads } = platformAndWorkloads();
    const ncclPlugin = new GkeNcclPlugin(platform, 'NcclPlugin', { transport: GkeGpuDirectTransport[kind] });
    const server = new ModelServer(workloads, 'Llama405B', {
      // Llama 3.1 405B in BF16 spans 2 x 8 H100; DeepSeek-V3 in BF16 (1.3 TB) spans 2 x 8 H200.
      model: kind === 'RDMA' ? ModelSpec.DEEPSEEK_V3 : ModelSpec.LLAMA_3_1_405B,
      quantization: Quantization.BF16,
      accelerator: kind === 'RDMA' ? Accelerator.H200 : Accelerator.H100,
      weights: WeightsSource.bucket('gs://models/big/'),
      maxNodesPerReplica: 2,
      fabric: ServingFabric.gkeDeviceNetworks({
        ...MACHINES[kind],
        networks: [...MACHINES[kind].networks],
        ncclPlugin,
      }),
    });
    const json = synthJson(workloads);
    const [lws] = manifests(json, 'LeaderWorkerSet');
    return { server, lws, workloads };
  }

  test('leader and workers both run the TCPXO RxDM sidecar with the NCCL environment; the LeaderWorkerSet passes its schema', () => {
    const { server, lws } = serve('TCPXO');
    const { leaderTemplate, workerTemplate } = lws.spec.leaderWorkerTemplate;
    for (const t of [leaderTemplate, workerTemplate]) {
      expect(t.spec.initContainers[0].name).toBe('tcpxo-daemon');
      expect(t.metadata.annotations['devices.gke.io/container.tcpxo-daemon']).toContain('/dev/nvidia7');
      const env = Object.fromEntries(t.spec.containers[0].env.map((e: any) => [e.name, e.value]));
      expect(env.NCCL_FASTRAK_CTRL_DEV).toBe('eth0');
    }
    expect(server.podSecurityLevel).toBe(PodSecurityLevel.PRIVILEGED);
    expect(validateKubernetesObject(lws)).toEqual([]);
  });

  test('gIB keeps the engine image entrypoint and warns once that set_nccl_env.sh is not sourced', () => {
    const { lws, workloads } = serve('RDMA');
    const leader = lws.spec.leaderWorkerTemplate.leaderTemplate.spec;
    expect(leader.containers[0].command).toBeUndefined();
    expect(leader.containers[0].volumeMounts).toContainEqual({
      name: 'gpudirect-gib',
      mountPath: '/usr/local/gib',
      readOnly: true,
    });
    const warnings = warningsOf(workloads).filter((w) => w.includes('k8s-gib-env-not-sourced'));
    expect(warnings).toHaveLength(1);
  });
});

describe('GKE GPUDirect pins', () => {
  test('the RxDM images are pinned to exact tags and cite the pinned container-engine-accelerators commit', () => {
    for (const image of Object.values(GKE_GPUDIRECT_IMAGES)) {
      expect(image.tag).toMatch(/^v\d+\.\d+\.\d+$/);
      expect(image.source).toContain(`/${GKE_ACCELERATORS_COMMIT}/`);
    }
  });
});
