import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Construct } from 'constructs';
import { Accelerator, INodeClass, Validate, ValidationError, Warnings } from '../core';
import { ApiToleration, IGpuPlatform } from './interfaces';
import { PodSecurityLevel } from './pod-security';
import { PreflightChecks } from './preflight';
import { PodEnvVar } from './pod-spec';
import {
  MANAGED_BY,
  assertCrdInOtherStack,
  assertDnsLabel,
  assertInteger,
  assertServiceName,
  gpuToleration,
  nameFromId,
} from './private/common';
import { ApiPodSpec, gpuPod } from './private/gpu-pod';
import { nodeClassPlacement } from './private/node-class';
import { addPreflight } from './private/preflight';
import {
  assertCommand,
  assertPinnedImage,
  checkBatchPlatform,
  extraResources,
  gangPodMemory,
  gangPodResources,
} from './private/training-common';
import { KUEUE_QUEUE_LABEL } from './training-job';

/** The MPI implementation of an {@link MpiJob}'s image (`spec.mpiImplementation`). */
export enum MpiImplementation {
  /** Open MPI (`mpirun` with a hostfile, the operator's default). */
  OPEN_MPI = 'OpenMPI',
  /** Intel MPI (Hydra). */
  INTEL = 'Intel',
  /** MPICH (Hydra). */
  MPICH = 'MPICH',
}

/**
 * The user, sshd configuration and SSH directory of the MPI Operator's base images
 * (`mpioperator/openmpi`, `mpioperator/intel`, `mpioperator/mpich`): user `mpiuser` (UID 1000,
 * `useradd -m`), sshd listening on 2222 with `/home/mpiuser/.sshd_config`.
 * Source: github.com/kubeflow/mpi-operator tag v0.8.0, `build/base/Dockerfile`, `build/base/sshd_config`
 * and `examples/v2beta1/pi/pi.yaml`; checked 2026-12-03.
 */
export const MPI_BASE_IMAGE_USER = {
  /** User name. */
  name: 'mpiuser',
  /** UID (the first `useradd` on Debian). */
  uid: 1000,
  /** Where the operator mounts the job's SSH key pair (`spec.sshAuthMountPath`). */
  sshAuthMountPath: '/home/mpiuser/.ssh',
  /** The worker's command: sshd in the foreground with the non-root configuration. */
  workerCommand: ['/usr/sbin/sshd', '-De', '-f', '/home/mpiuser/.sshd_config'],
} as const;

/** Properties of an {@link MpiJob}. */
export interface MpiJobProps {
  /**
   * Image of the launcher and the workers, with a pinned tag or digest; it must carry the MPI
   * implementation, sshd and the user of {@link MPI_BASE_IMAGE_USER} (build it `FROM
   * mpioperator/openmpi`), or set `runAsUser`, `sshAuthMountPath` and `workerCommand` to match.
   */
  readonly image: string;
  /**
   * The launcher's command, for example
   * `['mpirun', '-np', '16', '-bind-to', 'none', '-x', 'NCCL_DEBUG=INFO', 'python', 'train.py']`
   * or `['deepspeed', '--hostfile', '/etc/mpi/hostfile', 'train.py']`. The operator writes the
   * hostfile to `/etc/mpi/hostfile` (`slots` = `gpusPerWorker`).
   */
  readonly command: string[];
  /** Worker pods (one per node). */
  readonly workers: number;
  /** GPUs per worker (`nvidia.com/gpu` per pod and the MPIJob's `slotsPerWorker`). */
  readonly gpusPerWorker: number;
  /**
   * The GPU: selects worker nodes by the `cdktf-ai-infra/accelerator` label.
   * @default - no accelerator selector (use `nodeSelector`)
   */
  readonly accelerator?: Accelerator;
  /**
   * Name of the MPIJob. The operator names the pods `<name>-launcher` and `<name>-worker-<i>`
   * (host names, RFC 1035 labels of at most 63 characters).
   * @default - the construct id in kebab case
   */
  readonly name?: string;
  /**
   * Namespace (must exist; with Kueue, one that has the LocalQueue).
   * @default 'default'
   */
  readonly namespace?: string;
  /**
   * Kueue LocalQueue name (`kueue.x-k8s.io/queue-name`); Kueue admits launcher and workers as
   * one workload when quota allows.
   * @default - not queued
   */
  readonly queueName?: string;
  /**
   * MPI implementation of the image.
   * @default MpiImplementation.OPEN_MPI
   */
  readonly mpiImplementation?: MpiImplementation;
  /**
   * Launcher retries (`runPolicy.backoffLimit` of the launcher Job).
   * @default 0
   */
  readonly backoffLimit?: number;
  /**
   * Seconds the job may run before it is failed (`runPolicy.activeDeadlineSeconds`).
   * @default - no deadline
   */
  readonly activeDeadlineSeconds?: number;
  /**
   * Extra resources per worker, requested and limited, for example
   * `{ 'vpc.amazonaws.com/efa': 32, 'hugepages-2Mi': '5120Mi' }` or `{ 'rdma/ib': 8 }`; an EFA or
   * RDMA device adds IPC_LOCK to the workers.
   * @default - none
   */
  readonly extraResourcesPerWorker?: Record<string, string | number>;
  /**
   * The workers run on EKS Auto Mode nodes (an `AutoModeGpuNodePool` of the AWS module): huge
   * pages in `extraResourcesPerWorker` are then refused, since Auto Mode nodes reserve none.
   * @default false
   */
  readonly eksAutoMode?: boolean;
  /**
   * Checks each worker runs before it starts (init containers): DCGM diagnostics level 1
   * ({@link PreflightChecks.dcgm}); a failing check fails the worker and the job. The NCCL init
   * check is TrainingJob only.
   * @default - no preflight checks
   */
  readonly preflight?: PreflightChecks;
  /**
   * CPU request per worker.
   * @default - 8 per GPU
   */
  readonly cpu?: string;
  /**
   * Memory request per worker, GiB.
   * @default - 64 per GPU
   */
  readonly memoryGiB?: number;
  /**
   * `/dev/shm` per worker (memory-backed emptyDir), GiB.
   * @default - 8 per GPU
   */
  readonly sharedMemoryGiB?: number;
  /**
   * Node selector of the workers, merged over the accelerator selector.
   * @default - the accelerator selector only
   */
  readonly nodeSelector?: Record<string, string>;
  /**
   * Extra tolerations of the workers (the `nvidia.com/gpu` taint is always tolerated).
   * @default - none
   */
  readonly tolerations?: ApiToleration[];
  /**
   * A node class for the workers (a GKE `ComputeClass` of the GCP module, or another core
   * `INodeClass`): its node selector (`cloud.google.com/compute-class: <name>`) is merged into the
   * workers' (a key set in `nodeSelector` wins) and its taints are tolerated. Its GPU model must be
   * 'accelerator' and its nodes must have `gpusPerWorker` GPUs. The launcher needs no GPU and is
   * not placed on the class, as it gets neither the accelerator selector nor `nodeSelector`.
   * @default - none: the workers select the accelerator label of the library's node pools
   */
  readonly nodeClass?: INodeClass;
  /**
   * Extra environment variables of launcher and workers (Open MPI forwards only those named by
   * `mpirun -x`).
   * @default - none
   */
  readonly env?: Record<string, string>;
  /**
   * Service account of launcher and workers.
   * @default - the namespace's default service account
   */
  readonly serviceAccountName?: string;
  /**
   * The GPU platform; checked for the MPI Operator (and Kueue when queued).
   * @default - not checked
   */
  readonly platform?: IGpuPlatform;
  /**
   * UID (and GID) of launcher and workers: the image's MPI user. Root is refused: the workers'
   * sshd runs unprivileged with the operator's non-root configuration.
   * @default 1000 (`mpiuser` of the operator's base images)
   */
  readonly runAsUser?: number;
  /**
   * Where the operator mounts the SSH key pair (`spec.sshAuthMountPath`): the `.ssh` directory
   * of the image user's home directory.
   * @default '/home/mpiuser/.ssh'
   */
  readonly sshAuthMountPath?: string;
  /**
   * The workers' command: an sshd in the foreground that the launcher connects to.
   * @default ['/usr/sbin/sshd', '-De', '-f', '/home/mpiuser/.sshd_config']
   */
  readonly workerCommand?: string[];
  /**
   * Seconds between SIGTERM and SIGKILL of the workers.
   * @default 30
   */
  readonly terminationGracePeriodSeconds?: number;
}

/**
 * A Kubeflow MPI Operator `MPIJob` (`kubeflow.org/v2beta1`, operator v0.8.0): one launcher pod
 * that runs `command` (`mpirun`, `deepspeed`, an nccl-tests binary) over SSH on `workers` GPU
 * pods. The workers get the same fabric wiring as {@link TrainingJob}: the accelerator node
 * selector, EFA/RDMA devices with IPC_LOCK, a memory-backed `/dev/shm`, non-root users and the
 * restricted securityContext; the launcher needs no GPU and is restricted.
 *
 * Needs `GpuPlatform({ mpiOperator: true })`. The MPIJob is not changed in place by the operator
 * once running: start a new run with a new `name`.
 *
 * @see https://github.com/kubeflow/mpi-operator/tree/v0.8.0
 * @example
 * new MpiJob(workloads, 'DeepSpeed', {
 *   image: 'registry.example.com/ds-train:2026.12.1',
 *   command: ['deepspeed', '--hostfile', '/etc/mpi/hostfile', 'train.py'],
 *   workers: 4, gpusPerWorker: 8, accelerator: Accelerator.H100, queueName: 'training',
 *   extraResourcesPerWorker: { 'vpc.amazonaws.com/efa': 32 },
 * });
 */
export class MpiJob extends Construct {
  /** The MPIJob. */
  public readonly resource: Manifest;
  /** MPIJob name. */
  public readonly jobName: string;
  /** Namespace. */
  public readonly namespace: string;
  /**
   * The Pod Security level the pods meet: restricted (the workers add NET_BIND_SERVICE only,
   * for sshd's file capability), or privileged when the fabric needs IPC_LOCK.
   */
  public readonly podSecurityLevel: PodSecurityLevel;

  constructor(scope: Construct, id: string, props: MpiJobProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    this.jobName = props.name ?? nameFromId(id);
    assertInteger(this, 'workers', props.workers, 1, 9999);
    // The operator refuses a name whose last worker host name is not an RFC 1035 label
    // (pkg/apis/kubeflow/validation/validation.go, validateMPIJobName).
    assertServiceName(this, 'name', this.jobName, 63 - `-worker-${props.workers - 1}`.length);
    this.namespace = props.namespace ?? 'default';
    assertDnsLabel(this, 'namespace', this.namespace);
    assertInteger(this, 'gpusPerWorker', props.gpusPerWorker, 1, 16);
    const backoffLimit = props.backoffLimit ?? 0;
    assertInteger(this, 'backoffLimit', backoffLimit, 0);
    if (props.activeDeadlineSeconds !== undefined) {
      assertInteger(this, 'activeDeadlineSeconds', props.activeDeadlineSeconds, 1);
    }
    const grace = props.terminationGracePeriodSeconds ?? 30;
    assertInteger(this, 'terminationGracePeriodSeconds', grace, 0);
    const memory = gangPodMemory(this, props, props.gpusPerWorker);
    const runAsUser = props.runAsUser ?? MPI_BASE_IMAGE_USER.uid;
    assertInteger(this, 'runAsUser', runAsUser, 1, 2147483647);
    assertPinnedImage(this, 'image', props.image);
    const command = assertCommand(this, 'command', props.command, `['mpirun', 'python', 'train.py']`);
    const workerCommand =
      props.workerCommand === undefined
        ? [...MPI_BASE_IMAGE_USER.workerCommand]
        : assertCommand(this, 'workerCommand', props.workerCommand, `['/usr/sbin/sshd', '-De']`);
    const sshAuthMountPath = props.sshAuthMountPath ?? MPI_BASE_IMAGE_USER.sshAuthMountPath;
    Validate.string(this, 'sshAuthMountPath', sshAuthMountPath);
    if (!sshAuthMountPath.startsWith('/') || !sshAuthMountPath.endsWith('/.ssh')) {
      throw new ValidationError(
        `'sshAuthMountPath' ('${sshAuthMountPath}') must be the absolute path of the image user's '.ssh' directory, ` +
          `for example '/home/mpiuser/.ssh': ssh looks for keys in the passwd home directory, not in $HOME.`,
        this,
      );
    }
    const implementation =
      props.mpiImplementation === undefined
        ? MpiImplementation.OPEN_MPI
        : Validate.oneOf(
            this,
            'mpiImplementation',
            props.mpiImplementation,
            Object.values(MpiImplementation),
          );
    checkBatchPlatform(this, props.platform, props.queueName, {
      construct: 'MpiJob',
      component: 'the MPI Operator',
      prop: 'mpiOperator',
      installed: (p) => p.mpiOperatorInstalled,
    });
    if (props.eksAutoMode !== undefined) Validate.boolean(this, 'eksAutoMode', props.eksAutoMode);
    const extra = extraResources(
      this,
      'extraResourcesPerWorker',
      props.extraResourcesPerWorker,
      'gpusPerWorker, cpu or memoryGiB',
      props.eksAutoMode ?? false,
    );

    const labels: Record<string, string> = {
      'app.kubernetes.io/name': 'mpi-job',
      'app.kubernetes.io/instance': this.jobName,
      ...MANAGED_BY,
    };
    // HOME is an emptyDir outside the image user's home: sshd reads its configuration and host
    // key from there, and ssh finds the mounted keys through the passwd entry.
    const user = { uid: runAsUser, gid: runAsUser, name: MPI_BASE_IMAGE_USER.name, home: '/tmp/home' };
    const env: PodEnvVar[] = [];
    const placement = nodeClassPlacement(this, props.nodeClass, {
      accelerator: props.accelerator,
      gpusPerPod: props.gpusPerWorker,
    });
    const worker = gpuPod(this, {
      containerName: 'worker',
      image: props.image,
      command: workerCommand,
      ports: [],
      env,
      userEnv: props.env,
      volumes: [],
      volumeMounts: [],
      ...gangPodResources(this, props, props.gpusPerWorker, memory, extra),
      nodeSelector: { ...placement.nodeSelector, ...props.nodeSelector },
      tolerations: [
        ...placement.tolerations,
        ...Validate.array<ApiToleration>(this, 'tolerations', props.tolerations ?? []),
      ],
      serviceAccountName: props.serviceAccountName,
      terminationGracePeriodSeconds: grace,
      user,
      writablePaths: [{ volume: 'tmp', path: '/tmp' }],
      readOnlyRootFilesystem: false,
      // The base images' sshd carries CAP_NET_BIND_SERVICE as a file capability (build/base/Dockerfile):
      // exec fails with EPERM when the bounding set lacks it, so the workers keep it (Restricted allows it).
      restrictedCapabilities: ['NET_BIND_SERVICE'],
    });
    const checked = props.preflight
      ? addPreflight(this, props.preflight, worker.spec, worker.podSecurityLevel, { nccl: false })
      : worker;
    this.podSecurityLevel = checked.podSecurityLevel;
    if (!worker.spec.nodeSelector) {
      Warnings.add(
        this,
        'k8s-mpi-no-node-selector',
        `neither 'accelerator' nor 'nodeSelector' is set: workers may land on any GPU node, including another GPU model.`,
      );
    }
    const launcher = launcherPod(props, command, user, props.env);

    assertCrdInOtherStack(this, 'kubeflow.org', 'MPIJob');
    // Kueue suspends the MPIJob on creation and writes the admitted flavor's node labels,
    // tolerations and pod labels into both pod templates: let the cluster own those fields.
    const computedFields = props.queueName
      ? [
          'metadata.labels',
          'metadata.annotations',
          'spec.runPolicy.suspend',
          ...(['Launcher', 'Worker'] as const).flatMap((r) => [
            `spec.mpiReplicaSpecs.${r}.template.metadata.labels`,
            `spec.mpiReplicaSpecs.${r}.template.spec.nodeSelector`,
            `spec.mpiReplicaSpecs.${r}.template.spec.tolerations`,
          ]),
        ]
      : undefined;
    this.resource = new Manifest(this, 'Resource', {
      computedFields,
      manifest: {
        apiVersion: 'kubeflow.org/v2beta1',
        kind: 'MPIJob',
        metadata: {
          name: this.jobName,
          namespace: this.namespace,
          labels: { ...labels, ...(props.queueName ? { [KUEUE_QUEUE_LABEL]: props.queueName } : {}) },
        },
        spec: {
          slotsPerWorker: props.gpusPerWorker,
          mpiImplementation: implementation,
          sshAuthMountPath,
          launcherCreationPolicy: 'WaitForWorkersReady',
          runPolicy: {
            cleanPodPolicy: 'Running',
            backoffLimit,
            ...(props.activeDeadlineSeconds !== undefined
              ? { activeDeadlineSeconds: props.activeDeadlineSeconds }
              : {}),
          },
          mpiReplicaSpecs: {
            Launcher: {
              replicas: 1,
              restartPolicy: 'Never',
              template: {
                metadata: { labels: { ...labels, 'app.kubernetes.io/component': 'launcher' } },
                spec: launcher,
              },
            },
            Worker: {
              replicas: props.workers,
              restartPolicy: 'Never',
              template: {
                metadata: { labels: { ...labels, 'app.kubernetes.io/component': 'worker' } },
                spec: checked.spec,
              },
            },
          },
        },
      },
    });
    this.node.defaultChild = this.resource;
  }
}

/**
 * The launcher: no GPU (the operator hides the node's GPUs from it), restricted, runs `command`.
 * It tolerates the GPU taint so that it also schedules where Kueue's admitted flavor puts it.
 */
function launcherPod(
  props: MpiJobProps,
  command: string[],
  user: { uid: number; gid: number; name: string; home: string },
  userEnv: Record<string, string> | undefined,
): ApiPodSpec {
  const env: PodEnvVar[] = [
    { name: 'HOME', value: user.home },
    { name: 'USER', value: user.name },
    ...Object.entries(userEnv ?? {}).map(([name, value]) => ({ name, value })),
  ];
  // No pod restartPolicy: the operator sets it from the replica spec (and warns on one here).
  return {
    ...(props.serviceAccountName ? { serviceAccountName: props.serviceAccountName } : {}),
    terminationGracePeriodSeconds: 30,
    tolerations: [gpuToleration()],
    securityContext: {
      runAsNonRoot: true,
      runAsUser: user.uid,
      runAsGroup: user.gid,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    containers: [
      {
        name: 'launcher',
        image: props.image,
        command,
        env,
        resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '2Gi' } },
        volumeMounts: [
          { name: 'tmp', mountPath: '/tmp' },
          { name: 'home', mountPath: user.home },
        ],
        securityContext: {
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
          readOnlyRootFilesystem: false,
          runAsNonRoot: true,
        },
      },
    ],
    volumes: [
      { name: 'tmp', emptyDir: {} },
      { name: 'home', emptyDir: {} },
    ],
  };
}
