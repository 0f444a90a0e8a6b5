import { DeploymentV1SpecTemplateSpec } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { IConstruct } from 'constructs';
import { NVIDIA_GPU_RESOURCE, Validate } from '../../core';
import { EngineUser, EngineWritablePath } from '../engines/engine';
import { ApiToleration } from '../interfaces';
import { PodSecurityLevel } from '../pod-security';
import { PodEnvVar, PodInitContainer, PodVolume, PodVolumeMount } from '../pod-spec';
import { assertNodeLabels, gpuToleration } from './common';

/**
 * The one GPU pod template of the module, shared by `ModelServer` (a Deployment) and
 * `TrainingJob` (a JobSet): GPU toleration, memory-backed `/dev/shm`, node selection, env,
 * resources with memory limits, service account, and a Pod Security "restricted" security
 * context (non-root, no privilege escalation, all capabilities dropped but what the fabric
 * needs, RuntimeDefault seccomp, optionally a read-only root filesystem with emptyDirs for
 * `HOME`, `/tmp` and the engine's caches).
 *
 * The spec is built once in Kubernetes API shape (for custom resources) and converted for
 * `kubernetes_deployment_v1`, so both constructs emit the same pod.
 */

/** An HTTP probe in API shape. */
export interface ApiProbe {
  readonly httpGet: { readonly path: string; readonly port: string };
  readonly periodSeconds: number;
  readonly failureThreshold: number;
  readonly timeoutSeconds?: number;
}

/** An exec probe in API shape (a sidecar's start-up check). */
export interface ApiExecProbe {
  readonly exec: { readonly command: string[] };
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly successThreshold: number;
  readonly failureThreshold: number;
}

/**
 * A container security context in API shape. The workload containers set every field (Pod
 * Security "restricted"); a node-software sidecar (the GKE RxDM) sets what its vendor's manifest
 * sets and runs as root.
 */
export interface ApiContainerSecurityContext {
  readonly allowPrivilegeEscalation?: false;
  readonly capabilities: { readonly drop?: string[]; readonly add?: string[] };
  readonly readOnlyRootFilesystem?: boolean;
  readonly runAsNonRoot: boolean;
  readonly runAsUser?: number;
}

/** A container in API shape (the fields this module sets). */
export interface ApiContainer {
  readonly name: string;
  readonly image: string;
  readonly command?: string[];
  readonly args?: string[];
  readonly ports?: Array<{ readonly name: string; readonly containerPort: number; readonly protocol: 'TCP' }>;
  readonly env: PodEnvVar[];
  readonly resources: {
    readonly requests: Record<string, string>;
    readonly limits: Record<string, string>;
  };
  readonly volumeMounts: PodVolumeMount[];
  readonly securityContext: ApiContainerSecurityContext;
  /** `Always` on an init container makes it a native sidecar (Kubernetes 1.29+): it starts first and stops with the pod. */
  readonly restartPolicy?: 'Always';
  readonly startupProbe?: ApiProbe | ApiExecProbe;
  readonly readinessProbe?: ApiProbe;
  readonly livenessProbe?: ApiProbe;
  readonly lifecycle?: { readonly preStop: { readonly exec: { readonly command: string[] } } };
}

/** A pod spec in API shape (the fields this module sets). */
export interface ApiPodSpec {
  readonly restartPolicy?: 'Never';
  readonly serviceAccountName?: string;
  readonly terminationGracePeriodSeconds: number;
  readonly nodeSelector?: Record<string, string>;
  readonly tolerations: ApiToleration[];
  readonly securityContext: {
    readonly runAsNonRoot: boolean;
    readonly runAsUser: number;
    readonly runAsGroup: number;
    readonly seccompProfile: { readonly type: 'RuntimeDefault' };
  };
  readonly initContainers?: ApiContainer[];
  readonly containers: ApiContainer[];
  readonly volumes: PodVolume[];
}

/** Options of {@link gpuPod}. */
export interface GpuPodOptions {
  readonly containerName: string;
  readonly image: string;
  readonly command?: string[];
  readonly args?: string[];
  readonly ports: Array<{ readonly name: string; readonly containerPort: number }>;
  /** Workload env (weights, torchrun); `userEnv` is applied over it. */
  readonly env: PodEnvVar[];
  readonly userEnv?: Record<string, string>;
  readonly volumes: PodVolume[];
  readonly volumeMounts: PodVolumeMount[];
  readonly initContainers?: PodInitContainer[];
  readonly probes?: { readonly startup: ApiProbe; readonly readiness: ApiProbe; readonly liveness: ApiProbe };
  readonly preStopSleepSeconds?: number;
  /** GPUs requested; 0 renders a CPU pod (no `nvidia.com/gpu` resource, no GPU toleration). */
  readonly gpus: number;
  readonly cpu: string;
  readonly memoryGiB: number;
  /** Size of the memory-backed `/dev/shm`; 0 mounts none. */
  readonly sharedMemoryGiB: number;
  /** Extra resources, requested and limited (EFA devices, RDMA, huge pages). */
  readonly extraResources?: Record<string, string>;
  /** The construct's node selector defaults; `nodeSelector` is merged over them. */
  readonly defaultNodeSelector: Record<string, string>;
  readonly nodeSelector?: Record<string, string>;
  readonly tolerations?: ApiToleration[];
  readonly serviceAccountName?: string;
  readonly terminationGracePeriodSeconds: number;
  readonly restartPolicy?: 'Never';
  readonly user: EngineUser;
  readonly writablePaths: EngineWritablePath[];
  readonly readOnlyRootFilesystem: boolean;
  /**
   * Native sidecars (init containers with `restartPolicy: Always`, rendered before any other init
   * container so they run during the preflight checks too), for example the GKE RxDM. Their
   * capabilities and the pod's hostPath volumes count in the pod's Pod Security level.
   */
  readonly sidecars?: ApiContainer[];
  /**
   * Capabilities the main container adds beyond the fabric's, from those Restricted allows
   * (`NET_BIND_SERVICE`): the MPI worker's sshd binary carries it as a file capability.
   */
  readonly restrictedCapabilities?: Array<'NET_BIND_SERVICE'>;
  /** Capabilities the main container adds for a fabric that requests no device (GKE GPUDirect-TCPX: IPC_LOCK). */
  readonly fabricCapabilities?: string[];
}

/** A rendered GPU pod. */
export interface GpuPod {
  /** The pod spec in API shape. */
  readonly spec: ApiPodSpec;
  /** The Pod Security level the pod meets. */
  readonly podSecurityLevel: PodSecurityLevel;
  /** Capabilities added for the fabric. */
  readonly addedCapabilities: string[];
}

/**
 * Capabilities the Baseline profile allows to add (Pod Security Standards, "Capabilities");
 * Restricted allows NET_BIND_SERVICE only.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export const BASELINE_CAPABILITIES = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
];

/**
 * RDMA (InfiniBand / RoCE through `rdma/*` device plugins) and EFA verbs register (pin) memory
 * for zero-copy transfers; pinning beyond `RLIMIT_MEMLOCK` needs CAP_IPC_LOCK.
 */
export function fabricCapabilities(resources: string[]): string[] {
  return resources.some((r) => r.startsWith('rdma/') || r === 'vpc.amazonaws.com/efa') ? ['IPC_LOCK'] : [];
}

/**
 * The Pod Security level a pod whose containers add `capabilities` (and are otherwise
 * restricted) meets; running as root (UID 0) is Baseline at best.
 */
export function podSecurityLevelOf(capabilities: string[], root = false): PodSecurityLevel {
  if (!root && capabilities.every((c) => c === 'NET_BIND_SERVICE')) {
    return PodSecurityLevel.RESTRICTED;
  }
  return capabilities.every((c) => BASELINE_CAPABILITIES.includes(c))
    ? PodSecurityLevel.BASELINE
    : PodSecurityLevel.PRIVILEGED;
}

/** Env vars by name in first-seen order; a later value for the same name wins. */
function mergeEnv(...lists: PodEnvVar[][]): PodEnvVar[] {
  const byName = new Map<string, PodEnvVar>();
  for (const list of lists) {
    for (const e of list) {
      byName.set(e.name, e);
    }
  }
  return [...byName.values()];
}

/** Builds the GPU pod. Validates the merged node selector on `scope`. */
export function gpuPod(scope: IConstruct, o: GpuPodOptions): GpuPod {
  const nodeSelector = { ...o.defaultNodeSelector, ...(o.nodeSelector ?? {}) };
  assertNodeLabels(scope, `'nodeSelector'`, nodeSelector);

  const extra = o.extraResources ?? {};
  // UID 0 only where a construct lets the user ask for it (TrainingJob on fabrics whose
  // RLIMIT_MEMLOCK is limited: added capabilities reach root processes only).
  const root = o.user.uid === 0;
  const caps = [
    ...new Set([
      ...fabricCapabilities(Object.keys(extra)),
      ...(o.fabricCapabilities ?? []),
      ...(o.restrictedCapabilities ?? []),
    ]),
  ];
  const securityContext: ApiContainerSecurityContext = {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'], ...(caps.length ? { add: caps } : {}) },
    readOnlyRootFilesystem: o.readOnlyRootFilesystem,
    runAsNonRoot: !root,
  };
  const identityEnv: PodEnvVar[] = [
    { name: 'HOME', value: o.user.home },
    { name: 'USER', value: o.user.name },
  ];
  // The workload's `env` prop: names the API server accepts (kubernetes/apimachinery IsEnvVarName).
  const userEnv = Object.entries(Validate.stringMap(scope, 'env', o.userEnv ?? {})).map(([name, value]) => ({
    name: Validate.envVarName(scope, `env key ${JSON.stringify(name)}`, name),
    value,
  }));
  const writable = [{ volume: 'home', path: o.user.home }, ...o.writablePaths];
  const writableMounts: PodVolumeMount[] = writable.map((w) => ({ name: w.volume, mountPath: w.path }));

  const gpuResource: Record<string, string> = o.gpus > 0 ? { [NVIDIA_GPU_RESOURCE]: String(o.gpus) } : {};
  const shm = o.sharedMemoryGiB > 0;
  // A memory-backed emptyDir (/dev/shm) is charged to the container's memory cgroup: the limit
  // adds it so a full /dev/shm does not OOM-kill a process within its own request.
  const memoryLimit = `${o.memoryGiB + o.sharedMemoryGiB}Gi`;
  const main: ApiContainer = {
    name: o.containerName,
    image: o.image,
    ...(o.command ? { command: o.command } : {}),
    ...(o.args ? { args: o.args } : {}),
    ...(o.ports.length ? { ports: o.ports.map((p) => ({ ...p, protocol: 'TCP' as const })) } : {}),
    env: mergeEnv(identityEnv, o.env, userEnv),
    resources: {
      requests: { cpu: o.cpu, memory: `${o.memoryGiB}Gi`, ...gpuResource, ...extra },
      limits: { memory: memoryLimit, ...gpuResource, ...extra },
    },
    volumeMounts: [
      ...(shm ? [{ name: 'dshm', mountPath: '/dev/shm' }] : []),
      ...o.volumeMounts,
      ...writableMounts,
    ],
    securityContext,
    ...(o.probes
      ? {
          startupProbe: o.probes.startup,
          readinessProbe: o.probes.readiness,
          livenessProbe: o.probes.liveness,
        }
      : {}),
    ...(o.preStopSleepSeconds !== undefined
      ? { lifecycle: { preStop: { exec: { command: ['sleep', String(o.preStopSleepSeconds)] } } } }
      : {}),
  };
  // Init containers copy files: no GPU, no fabric capability; 4 GiB bounds a CLI's buffers.
  const inits: ApiContainer[] = (o.initContainers ?? []).map((c) => ({
    name: c.name,
    image: c.image,
    command: c.command,
    env: mergeEnv(identityEnv, c.env ?? []),
    resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { memory: '4Gi' } },
    volumeMounts: [...c.volumeMounts, ...writableMounts],
    securityContext: { ...securityContext, capabilities: { drop: ['ALL'] } },
  }));

  const sidecars = o.sidecars ?? [];
  const spec: ApiPodSpec = {
    ...(o.restartPolicy ? { restartPolicy: o.restartPolicy } : {}),
    ...(o.serviceAccountName ? { serviceAccountName: o.serviceAccountName } : {}),
    terminationGracePeriodSeconds: o.terminationGracePeriodSeconds,
    ...(Object.keys(nodeSelector).length ? { nodeSelector } : {}),
    tolerations: [
      ...(o.gpus > 0 ? [gpuToleration()] : []),
      ...Validate.array<ApiToleration>(scope, 'tolerations', o.tolerations ?? []),
    ],
    securityContext: {
      runAsNonRoot: !root,
      runAsUser: o.user.uid,
      runAsGroup: o.user.gid,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    ...(sidecars.length + inits.length ? { initContainers: [...sidecars, ...inits] } : {}),
    containers: [main],
    volumes: [
      ...(shm
        ? [{ name: 'dshm', emptyDir: { medium: 'Memory' as const, sizeLimit: `${o.sharedMemoryGiB}Gi` } }]
        : []),
      ...o.volumes,
      ...writable.map((w) => ({ name: w.volume, emptyDir: {} })),
    ],
  };
  return {
    spec,
    podSecurityLevel: nodeAccessLevel(spec, podSecurityLevelOf(caps, root)),
    addedCapabilities: caps,
  };
}

/**
 * `level`, lowered to "privileged" when the pod mounts a path of the node or a sidecar adds a
 * capability Baseline does not allow (Pod Security Standards, "HostPath Volumes", "Capabilities").
 */
function nodeAccessLevel(spec: ApiPodSpec, level: PodSecurityLevel): PodSecurityLevel {
  const hostPath = spec.volumes.some((v) => v.hostPath !== undefined);
  const sidecarCaps = (spec.initContainers ?? [])
    .filter((c) => c.restartPolicy === 'Always')
    .flatMap((c) => c.securityContext.capabilities.add ?? []);
  if (hostPath || sidecarCaps.some((c) => !BASELINE_CAPABILITIES.includes(c))) {
    return PodSecurityLevel.PRIVILEGED;
  }
  return level;
}

/** A container in the kubernetes provider's `kubernetes_deployment_v1` shape. */
function providerContainer(c: ApiContainer) {
  return {
    name: c.name,
    image: c.image,
    command: c.command,
    args: c.args,
    port: c.ports?.map((p) => ({ ...p })),
    env: c.env.length ? c.env.map((e) => ({ ...e })) : undefined,
    resources: { requests: { ...c.resources.requests }, limits: { ...c.resources.limits } },
    startupProbe: c.startupProbe,
    readinessProbe: c.readinessProbe,
    livenessProbe: c.livenessProbe,
    lifecycle: c.lifecycle ? { preStop: [{ exec: { ...c.lifecycle.preStop.exec } }] } : undefined,
    volumeMount: c.volumeMounts.map((m) => ({ ...m })),
    securityContext: {
      allowPrivilegeEscalation: c.securityContext.allowPrivilegeEscalation,
      capabilities: { ...c.securityContext.capabilities },
      readOnlyRootFilesystem: c.securityContext.readOnlyRootFilesystem,
      runAsNonRoot: c.securityContext.runAsNonRoot,
    },
  };
}

/**
 * The pod spec in the kubernetes provider's `kubernetes_deployment_v1` template shape. Native
 * sidecars have no field there (hashicorp/kubernetes 2.38.0 `init_container` has no
 * `restart_policy`): only custom-resource pods (JobSet, LeaderWorkerSet) carry them.
 */
export function toDeploymentPodSpec(spec: ApiPodSpec): DeploymentV1SpecTemplateSpec {
  return {
    serviceAccountName: spec.serviceAccountName,
    terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
    nodeSelector: spec.nodeSelector,
    toleration: spec.tolerations.map((t) => ({ ...t })),
    securityContext: {
      runAsNonRoot: spec.securityContext.runAsNonRoot,
      runAsUser: String(spec.securityContext.runAsUser),
      runAsGroup: String(spec.securityContext.runAsGroup),
      seccompProfile: { ...spec.securityContext.seccompProfile },
    },
    initContainer: spec.initContainers?.map(providerContainer),
    container: spec.containers.map(providerContainer),
    volume: spec.volumes.map((v) => ({
      name: v.name,
      emptyDir: v.emptyDir ? { ...v.emptyDir } : undefined,
      persistentVolumeClaim: v.persistentVolumeClaim ? { ...v.persistentVolumeClaim } : undefined,
      hostPath: v.hostPath ? { ...v.hostPath } : undefined,
    })),
  };
}
