import { IConstruct } from 'constructs';
import { ValidationError, Warnings } from '../../core';
import { PodEnvVar, PodHostPathType, PodVolume, PodVolumeMount } from '../pod-spec';
import { GKE_ACCELERATORS_COMMIT, GKE_GPUDIRECT_IMAGES, imageRef } from '../versions';
import { ApiContainer, ApiExecProbe, GpuPodOptions } from './gpu-pod';

// What every pod of a multi-node group needs on GKE GPUDirect, besides the network annotations
// the fabric adds, written from Google's manifests at the commit the NCCL plugin installers are
// pinned to (GoogleCloudPlatform/container-engine-accelerators @ GKE_ACCELERATORS_COMMIT, 992db812):
//
// - TCPX (a3-highgpu-8g, plugin v3.1.9): `gpudirect-tcpx/nccl-test-latest.yaml` (the RxDM container
//   `tcpx-daemon`, its command, volumes and the `devices.gke.io/container.tcpx-daemon` devices) and
//   `gpudirect-tcpx/nccl-config.yaml` (`run-nccl.sh`: the NCCL environment, "verified GKE 1.34+
//   spec", commit 0e5609b0). Google's workload generator (GoogleCloudPlatform/cluster-toolkit
//   `modules/compute/gke-node-pool/gpu-direct-workload/scripts/enable-tcpx-in-workload.py`) shares
//   the socket directory through an emptyDir, as here.
// - TCPXO (a3-megagpu-8g, plugin v1.0.15): `gpudirect-tcpxo/nccl-test-latest.yaml` (the RxDM
//   container `tcpxo-daemon` v1.0.21 and its volumes), `gpudirect-tcpxo/README.md` (release of Jan 9,
//   2026: the "NCCL configs" of v1.0.15, which the plugin's guest config checker enforces) and
//   `gpudirect-tcpxo/best-practice.md` (the RxDM as a native sidecar, its startup probe).
// - RDMA / gIB (a3-ultragpu-8g, a4-highgpu-8g, plugin v1.1.1): `gpudirect-rdma/nccl-test.yaml` (the
//   host mounts, `LD_LIBRARY_PATH`, and `source /usr/local/gib/scripts/set_nccl_env.sh` before the
//   workload). Google's Compute Engine guide ("Enable NCCL/gIB") says the script holds every NCCL
//   variable gIB needs and changes with gIB releases, so it is sourced, not copied.

/** Where the pins below were read. */
export const GKE_GPUDIRECT_SOURCE = `GoogleCloudPlatform/container-engine-accelerators@${GKE_ACCELERATORS_COMMIT.slice(0, 8)}`;

/** A GKE GPUDirect transport as the fabric reports it. */
export type GkeGpuDirectKind = 'TCPX' | 'TCPXO' | 'RDMA';

/** What the pods of a GKE GPUDirect group get, besides the network annotations. */
export interface GkeGpuDirectPodParts {
  /** Native sidecars (the RxDM for TCPX and TCPXO). */
  readonly sidecars: ApiContainer[];
  /** Pod volumes (host paths of the NCCL plugin, sysfs for the RxDM, the RxDM socket). */
  readonly volumes: PodVolume[];
  /** Mounts of the workload container. */
  readonly volumeMounts: PodVolumeMount[];
  /** Environment of the workload container (NCCL and `LD_LIBRARY_PATH`). */
  readonly env: PodEnvVar[];
  /** Pod annotations (the GPU devices the NRI device injector gives the RxDM). */
  readonly annotations: Record<string, string>;
  /** A script the workload's command must source first (gIB's `set_nccl_env.sh`). */
  readonly envScript?: string;
}

/** Where the installers put the NCCL plugin and NCCL on the node, and where pods mount it. */
const NODE_NVIDIA_LIB = '/home/kubernetes/bin/nvidia/lib64';
const POD_NVIDIA_LIB = '/usr/local/nvidia/lib64';
const LD_LIBRARY_PATH: PodEnvVar = { name: 'LD_LIBRARY_PATH', value: POD_NVIDIA_LIB };

/** The RxDM's Unix socket directory, shared with the workload through an emptyDir. */
const TCPX_SOCKET_DIR = '/run/tcpx';

const nvidiaLib: PodVolume = {
  name: 'gpudirect-nvidia-lib',
  hostPath: { path: NODE_NVIDIA_LIB, type: PodHostPathType.DIRECTORY },
};
const sys: PodVolume = { name: 'gpudirect-sys', hostPath: { path: '/sys', type: PodHostPathType.DIRECTORY } };
const procSys: PodVolume = {
  name: 'gpudirect-proc-sys',
  hostPath: { path: '/proc/sys', type: PodHostPathType.DIRECTORY },
};
/** The RxDM reads the host's sysfs and procfs at these paths (its image's convention). */
const rxdmHostMounts: PodVolumeMount[] = [
  { name: nvidiaLib.name, mountPath: POD_NVIDIA_LIB },
  { name: sys.name, mountPath: '/hostsysfs' },
  { name: procSys.name, mountPath: '/hostprocsysfs' },
];

/** The devices the NRI device injector adds to the RxDM container (`devices.gke.io/container.<name>`). */
function deviceAnnotation(container: string, extra: string[]): Record<string, string> {
  const devices = [
    ...[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `/dev/nvidia${i}`),
    '/dev/nvidiactl',
    '/dev/nvidia-uvm',
    ...extra,
  ];
  return { [`devices.gke.io/container.${container}`]: devices.map((d) => `- path: ${d}\n`).join('') };
}

/** The RxDM container: root (its capabilities act only for root), NET_ADMIN for flow steering, no GPU request. */
function rxdm(
  name: string,
  image: string,
  command: string[],
  args: string[] | undefined,
  capabilities: string[],
  env: PodEnvVar[],
  volumeMounts: PodVolumeMount[],
  startupProbe?: ApiExecProbe,
): ApiContainer {
  return {
    name,
    image,
    command,
    ...(args ? { args } : {}),
    env,
    // Google's manifests give the RxDM no requests or limits: a limit could OOM-kill it mid-job.
    resources: { requests: {}, limits: {} },
    volumeMounts,
    securityContext: { capabilities: { add: capabilities }, runAsNonRoot: false, runAsUser: 0 },
    restartPolicy: 'Always',
    ...(startupProbe ? { startupProbe } : {}),
  };
}

/** NCCL environment of GPUDirect-TCPX with plugin v3.1.9 (`gpudirect-tcpx/nccl-config.yaml`, `run-nccl.sh`). */
export const TCPX_NCCL_ENV: Readonly<Record<string, string>> = {
  NCCL_SOCKET_IFNAME: 'eth0',
  NCCL_ALGO: 'Ring,Tree',
  NCCL_PROTO: 'Simple',
  NCCL_CROSS_NIC: '0',
  NCCL_NET_GDR_LEVEL: 'PIX',
  NCCL_P2P_PXN_LEVEL: '0',
  NCCL_GPUDIRECTTCPX_SOCKET_IFNAME: 'eth1,eth2,eth3,eth4',
  NCCL_GPUDIRECTTCPX_CTRL_DEV: 'eth0',
  NCCL_DYNAMIC_CHUNK_SIZE: '524288',
  NCCL_P2P_NET_CHUNKSIZE: '524288',
  NCCL_P2P_PCI_CHUNKSIZE: '524288',
  NCCL_P2P_NVL_CHUNKSIZE: '1048576',
  NCCL_BUFFSIZE: '4194304',
  NCCL_NSOCKS_PERTHREAD: '4',
  NCCL_SOCKET_NTHREADS: '1',
  NCCL_GPUDIRECTTCPX_TX_BINDINGS: 'eth1:8-21,112-125;eth2:8-21,112-125;eth3:60-73,164-177;eth4:60-73,164-177',
  NCCL_GPUDIRECTTCPX_RX_BINDINGS:
    'eth1:22-35,126-139;eth2:22-35,126-139;eth3:74-87,178-191;eth4:74-87,178-191',
  NCCL_GPUDIRECTTCPX_PROGRAM_FLOW_STEERING_WAIT_MICROS: '500000',
  // The plugin finds the RxDM's sockets under this prefix (its default is /tmp, which the pod
  // keeps as its own writable emptyDir; Cluster Toolkit's A3 High Slurm guide sets the same
  // variable to the RxDM's --uds_path).
  NCCL_GPUDIRECTTCPX_UNIX_CLIENT_PREFIX: TCPX_SOCKET_DIR,
};

/**
 * NCCL environment of GPUDirect-TCPXO with plugin v1.0.15 (`gpudirect-tcpxo/README.md`, "NCCL
 * configs" of the Jan 9, 2026 release, the profile `nccl-env-profile.sh` sets, with the config files
 * at the directory the installer fills, mounted at `/usr/local/nvidia/lib64`).
 */
export const TCPXO_NCCL_ENV: Readonly<Record<string, string>> = {
  NCCL_FASTRAK_CTRL_DEV: 'eth0',
  NCCL_FASTRAK_IFNAME: 'eth1,eth2,eth3,eth4,eth5,eth6,eth7,eth8',
  NCCL_SOCKET_IFNAME: 'eth0',
  NCCL_CROSS_NIC: '0',
  NCCL_PROTO: 'Simple,LL128',
  NCCL_MIN_NCHANNELS: '4',
  NCCL_TUNER_PLUGIN: 'libnccl-tuner.so',
  NCCL_TUNER_CONFIG_PATH: `${POD_NVIDIA_LIB}/a3plus_tuner_config.textproto`,
  NCCL_SHIMNET_GUEST_CONFIG_CHECKER_CONFIG_FILE: `${POD_NVIDIA_LIB}/a3plus_guest_config.textproto`,
  CUDA_VISIBLE_DEVICES: '0,1,2,3,4,5,6,7',
  NCCL_NVLSTREE_MAX_CHUNKSIZE: '131072',
  NCCL_P2P_NET_CHUNKSIZE: '524288',
  NCCL_P2P_PCI_CHUNKSIZE: '524288',
  NCCL_P2P_NVL_CHUNKSIZE: '1048576',
  NCCL_FASTRAK_NUM_FLOWS: '2',
  NCCL_FASTRAK_USE_SNAP: '1',
  NCCL_FASTRAK_PLUGIN_ACCEPT_TIMEOUT_MS: '600000',
  NCCL_FASTRAK_ENABLE_CONTROL_CHANNEL: '0',
  NCCL_BUFFSIZE: '8388608',
  NCCL_NET_GDR_LEVEL: 'PIX',
  NCCL_FASTRAK_ENABLE_HOTPATH_LOGGING: '0',
  NCCL_FASTRAK_USE_LLCM: '1',
  NCCL_NVLS_ENABLE: '1',
  NCCL_DEBUG: 'WARN',
  NCCL_DEBUG_SUBSYS: 'INIT,NET,ENV,COLL,GRAPH',
  // The LLCM aperture devices the installer's pre-installation step bind-mounts on the node.
  NCCL_FASTRAK_LLCM_DEVICE_DIRECTORY: '/dev/aperture_devices',
};

/** The script gIB pods source before NCCL starts (`gpudirect-rdma/nccl-test.yaml`). */
export const GIB_NCCL_ENV_SCRIPT = '/usr/local/gib/scripts/set_nccl_env.sh';

const toEnv = (vars: Readonly<Record<string, string>>): PodEnvVar[] =>
  Object.entries(vars).map(([name, value]) => ({ name, value }));

/** The pod parts of a transport. */
export function gkeGpuDirectPodParts(kind: GkeGpuDirectKind): GkeGpuDirectPodParts {
  if (kind === 'TCPX') {
    const socket: PodVolume = { name: 'gpudirect-tcpx-socket', emptyDir: {} };
    return {
      sidecars: [
        rxdm(
          'tcpx-daemon',
          imageRef(GKE_GPUDIRECT_IMAGES.tcpxRxdm),
          [
            '/tcpgpudmarxd/build/app/tcpgpudmarxd',
            '--gpu_nic_preset',
            'a3vm',
            '--gpu_shmem_type',
            'fd',
            '--uds_path',
            TCPX_SOCKET_DIR,
            '--setup_param',
            // The manifest's plain YAML scalar keeps the backslashes: the RxDM parses this string.
            '\\"--verbose 128 2 0 \\"',
          ],
          undefined,
          ['NET_ADMIN'],
          [LD_LIBRARY_PATH],
          [...rxdmHostMounts, { name: socket.name, mountPath: TCPX_SOCKET_DIR }],
        ),
      ],
      volumes: [nvidiaLib, socket, sys, procSys],
      volumeMounts: [
        { name: nvidiaLib.name, mountPath: POD_NVIDIA_LIB, readOnly: true },
        { name: socket.name, mountPath: TCPX_SOCKET_DIR },
      ],
      env: [LD_LIBRARY_PATH, ...toEnv(TCPX_NCCL_ENV)],
      annotations: deviceAnnotation('tcpx-daemon', []),
    };
  }
  if (kind === 'TCPXO') {
    const aperture: PodVolume = {
      name: 'gpudirect-aperture-devices',
      hostPath: { path: '/dev/aperture_devices', type: PodHostPathType.DIRECTORY },
    };
    const healthFile = '/run/health-check';
    return {
      sidecars: [
        rxdm(
          'tcpxo-daemon',
          imageRef(GKE_GPUDIRECT_IMAGES.tcpxoRxdm),
          ['/bin/sh', '-c'],
          [
            'set -ex\nchmod 755 /fts/entrypoint_rxdm_container.sh\n/fts/entrypoint_rxdm_container.sh --num_hops=2\n',
          ],
          ['NET_ADMIN', 'NET_BIND_SERVICE'],
          // With HEALTH_CHECK_LOG_FILE the RxDM writes the file once its buffers are set up (about
          // 30 s); the startup probe holds the workload back until then and fails the pod on a bad node.
          [LD_LIBRARY_PATH, { name: 'HEALTH_CHECK_LOG_FILE', value: healthFile }],
          rxdmHostMounts,
          {
            exec: { command: ['cat', healthFile] },
            initialDelaySeconds: 1,
            periodSeconds: 5,
            timeoutSeconds: 1,
            successThreshold: 1,
            failureThreshold: 6,
          },
        ),
      ],
      volumes: [nvidiaLib, sys, procSys, aperture],
      volumeMounts: [
        { name: nvidiaLib.name, mountPath: POD_NVIDIA_LIB, readOnly: true },
        { name: aperture.name, mountPath: '/dev/aperture_devices' },
      ],
      env: [LD_LIBRARY_PATH, ...toEnv(TCPXO_NCCL_ENV)],
      annotations: deviceAnnotation('tcpxo-daemon', ['/dev/dmabuf_import_helper']),
    };
  }
  const nvidia: PodVolume = {
    name: 'gpudirect-nvidia',
    hostPath: { path: '/home/kubernetes/bin/nvidia', type: PodHostPathType.DIRECTORY },
  };
  const gib: PodVolume = {
    name: 'gpudirect-gib',
    hostPath: { path: '/home/kubernetes/bin/gib', type: PodHostPathType.DIRECTORY },
  };
  return {
    sidecars: [],
    volumes: [nvidia, gib],
    volumeMounts: [
      { name: nvidia.name, mountPath: '/usr/local/nvidia', readOnly: true },
      { name: gib.name, mountPath: '/usr/local/gib', readOnly: true },
    ],
    env: [LD_LIBRARY_PATH],
    annotations: {},
    envScript: GIB_NCCL_ENV_SCRIPT,
  };
}

/**
 * `command` run after sourcing `script` in bash, with its arguments unchanged (`exec "$@"`), the
 * way Google's gIB manifests source `set_nccl_env.sh` before the workload. Needs `/bin/bash` in the
 * image.
 */
export function sourceEnvScript(script: string, command: string[]): string[] {
  return ['/bin/bash', '-c', `source ${script} && exec "$@"`, 'gpudirect-env', ...command];
}

/** GPUs of every GKE GPUDirect machine (a3-highgpu-8g, a3-megagpu-8g, a3-ultragpu-8g, a4-highgpu-8g). */
const GPUDIRECT_GPUS = 8;

/**
 * `pod` with the transport's parts added: the sidecars first, the volumes, the workload's mounts
 * and environment (before the user's `env`, which still wins), and for gIB the command wrapped to
 * source `set_nccl_env.sh` (a warning when the image's entrypoint runs instead, as `ModelServer`'s
 * engines do). Each pod must take all 8 GPUs of its node: the RxDM gets all 8 devices and TCPXO's
 * environment names them (`gpusProp` is the prop the user set).
 */
export function withGkeGpuDirect(
  scope: IConstruct,
  kind: GkeGpuDirectKind,
  pod: GpuPodOptions,
  gpusProp: string,
): { readonly options: GpuPodOptions; readonly annotations: Record<string, string> } {
  if (pod.gpus !== GPUDIRECT_GPUS) {
    throw new ValidationError(
      `'${gpusProp}' (${pod.gpus}) must be ${GPUDIRECT_GPUS} with GKE GPUDirect-${kind}: each pod takes a whole node ` +
        `(the ${kind === 'RDMA' ? 'gIB NICs are one per GPU' : 'RxDM sidecar serves all 8 GPUs of the node'}). Use 8 GPUs per pod, or drop the GPUDirect fabric.`,
      scope,
    );
  }
  const parts = gkeGpuDirectPodParts(kind);
  let command = pod.command;
  if (parts.envScript) {
    if (command) {
      command = sourceEnvScript(parts.envScript, command);
    } else if (!scope.node.metadata.some((m) => String(m.data).includes('k8s-gib-env-not-sourced'))) {
      Warnings.add(
        scope,
        'k8s-gib-env-not-sourced',
        `GPUDirect-RDMA pods run the image's entrypoint, so ${parts.envScript} (gIB's NCCL settings) is not sourced: NCCL ` +
          `loads the gIB plugin from LD_LIBRARY_PATH but runs untuned. Bake the script's variables into the image or 'env'.`,
      );
    }
  }
  if (kind === 'TCPX' && pod.user.uid !== 0) {
    Warnings.add(
      scope,
      'k8s-gpudirect-tcpx-non-root',
      `Google's GPUDirect-TCPX manifests run the workload as root with IPC_LOCK; this pod runs as UID ${pod.user.uid}, where ` +
        `IPC_LOCK has no effect. If NCCL cannot pin memory or reach the RxDM socket in ${TCPX_SOCKET_DIR}, run as root (TrainingJob 'runAsUser: 0').`,
    );
  }
  return {
    options: {
      ...pod,
      // Google's TCPX workload containers add IPC_LOCK (gpudirect-tcpx/nccl-test-latest.yaml).
      ...(kind === 'TCPX' ? { fabricCapabilities: [...(pod.fabricCapabilities ?? []), 'IPC_LOCK'] } : {}),
      ...(command ? { command } : {}),
      sidecars: [...(pod.sidecars ?? []), ...parts.sidecars],
      volumes: [...pod.volumes, ...parts.volumes],
      volumeMounts: [...pod.volumeMounts, ...parts.volumeMounts],
      env: [...pod.env, ...parts.env],
    },
    annotations: parts.annotations,
  };
}
