import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import {
  ACCELERATOR_NODE_LABEL,
  Accelerator,
  Validate,
  KARPENTER_DO_NOT_DISRUPT_ANNOTATION,
  ValidationError,
  Warnings,
  INodeClass,
} from '../core';
import { ApiToleration, IGpuPlatform, ITraceCollector } from './interfaces';
import { PodSecurityLevel } from './pod-security';
import { PodEnvVar, PodVolume, PodVolumeMount } from './pod-spec';
import {
  MANAGED_BY,
  assertCrdInOtherStack,
  assertDnsLabel,
  assertInteger,
  assertServiceName,
  nameFromId,
} from './private/common';
import { MlflowTracking, mlflowClientEnv } from './mlflow';
import { PreflightChecks } from './preflight';
import { ServingFabric } from './fabric';
import { GIB_NCCL_ENV_SCRIPT, withGkeGpuDirect } from './private/gke-gpudirect';
import { GpuPodOptions, gpuPod } from './private/gpu-pod';
import { addPreflight } from './private/preflight';
import { nodeClassPlacement } from './private/node-class';
import { otelEnv } from './tracing';
import {
  assertCommand,
  assertPinnedImage,
  checkBatchPlatform,
  extraResources,
  gangPodMemory,
  gangPodResources,
} from './private/training-common';

/** The Kueue label a workload uses to join a LocalQueue. */
export const KUEUE_QUEUE_LABEL = 'kueue.x-k8s.io/queue-name';

/** Where a training job writes and resumes checkpoints. */
export interface TrainingCheckpoint {
  /**
   * Checkpoint location the training code reads from `CHECKPOINT_URI`, for example
   * `s3://ckpt/llama-ft/` or `gs://ckpt/llama-ft/`.
   * @default - the volume's mount path
   */
  readonly uri?: string;
  /**
   * A read-write-many PersistentVolumeClaim (FSx for Lustre, Filestore, NFS) mounted on every node.
   * @default - no volume
   */
  readonly claimName?: string;
  /**
   * Mount path of the claim, also exported as `CHECKPOINT_DIR`.
   * @default '/checkpoints'
   */
  readonly mountPath?: string;
}

/** How strictly a TrainingJob's pods must share a topology domain. */
export enum TopologyPlacement {
  /** All pods in one domain of the level, or the job waits (`podset-required-topology`). */
  REQUIRED = 'required',
  /**
   * One domain of the level if it fits, else the next level up, else spread
   * (`podset-preferred-topology`).
   */
  PREFERRED = 'preferred',
}

/** A TrainingJob's topology request to Kueue. */
export interface TrainingJobTopology {
  /** The level: one of the queue's TrainingTopology levels (a node label). */
  readonly level: string;
  /**
   * Required or preferred.
   * @default TopologyPlacement.REQUIRED
   */
  readonly placement?: TopologyPlacement;
  /**
   * The queue's topology levels, to check `level` against at synth time (pass
   * `queues.topologyLevels`).
   * @default - `level` is checked as a label key only
   */
  readonly levels?: readonly string[];
}

/** Kueue's pod-template annotations for a topology request (kueue v0.19.2 `apis/kueue/v1beta2/topology_types.go`). */
const TOPOLOGY_ANNOTATION: Record<TopologyPlacement, string> = {
  [TopologyPlacement.REQUIRED]: 'kueue.x-k8s.io/podset-required-topology',
  [TopologyPlacement.PREFERRED]: 'kueue.x-k8s.io/podset-preferred-topology',
};

/** Properties of a {@link TrainingJob}. */
export interface TrainingJobProps {
  /** Training image with a pinned tag or digest, for example `pytorch/pytorch:2.13.0-cuda13.0-cudnn9-runtime`. */
  readonly image: string;
  /**
   * Command. torchrun reads its rendezvous arguments from the `PET_*` environment this
   * construct sets, so `['torchrun', 'train.py', '--config', 'cfg.yaml']` is enough.
   */
  readonly command: string[];
  /** Nodes (pods, one per node). */
  readonly nodes: number;
  /** GPUs per node (`nvidia.com/gpu` per pod, `PET_NPROC_PER_NODE`). */
  readonly gpusPerNode: number;
  /**
   * The GPU: selects nodes by the `cdktf-ai-infra/accelerator` label.
   * @default - no accelerator selector (use `nodeSelector`)
   */
  readonly accelerator?: Accelerator;
  /**
   * Name of the JobSet (and its headless Service). At most 40 characters so pod host names fit,
   * starting with a letter (a Service name is an RFC 1035 label).
   * @default - the construct id in kebab case
   */
  readonly name?: string;
  /**
   * Namespace (must exist; with Kueue, one that has the LocalQueue).
   * @default 'default'
   */
  readonly namespace?: string;
  /**
   * Kueue LocalQueue name (`kueue.x-k8s.io/queue-name`); Kueue admits the job when quota allows.
   * @default - not queued: the pods are created at once
   */
  readonly queueName?: string;
  /**
   * Topology-aware placement of the gang by Kueue: all pods in one domain of `level` (a node
   * label of the queue's TrainingTopology, for example `topology.k8s.aws/network-node-layer-3`).
   * Needs `queueName` of a TrainingQueues with a `topology`.
   * @default - no topology request (the queue's TAS flavors still place pods, unconstrained)
   */
  readonly topology?: TrainingJobTopology;
  /**
   * Annotate the pods `karpenter.sh/do-not-disrupt: "true"`, so Karpenter (and EKS Auto Mode)
   * never drains their nodes for consolidation, drift or expiry while the job runs: one
   * replaced node stops the whole gang. Harmless on nodes Karpenter does not manage.
   * @default false
   * @see https://karpenter.sh/docs/concepts/disruption/
   */
  readonly doNotDisrupt?: boolean;
  /**
   * Checkpoint location (`CHECKPOINT_URI`) and optional shared volume.
   * @default - none (a warning is raised: every restart starts from scratch)
   */
  readonly checkpoint?: TrainingCheckpoint;
  /**
   * Whole-gang restarts allowed for real failures (`failurePolicy.maxRestarts`). Preemptions
   * and node disruptions restart the gang without counting.
   * @default 3
   */
  readonly maxRestarts?: number;
  /**
   * Seconds between SIGTERM and SIGKILL: time for a just-in-time checkpoint on preemption
   * (AWS gives 2 minutes' notice, Google Cloud 30 seconds).
   * @default 120
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Extra resources per node, requested and limited, for example
   * `{ 'vpc.amazonaws.com/efa': 32, 'hugepages-2Mi': '5120Mi' }` on EFA nodes or
   * `{ 'rdma/ib': 8 }` on InfiniBand clusters.
   * @default - none
   */
  readonly extraResourcesPerNode?: Record<string, string | number>;
  /**
   * The network between the nodes, the same objects a multi-node `ModelServer` takes: on GKE
   * `ServingFabric.gkeDeviceNetworks({ networks, machineType, ncclPlugin })` attaches the GPUDirect
   * networks and adds what the machine type needs (A3 High / Mega: the RxDM sidecar, its host
   * mounts and the TCPX / TCPXO NCCL environment; A3 Ultra / A4: the gIB mounts, and the command
   * run after sourcing `set_nccl_env.sh`); `ServingFabric.efa(...)` and `ServingFabric.rdma(...)`
   * request their devices (as `extraResourcesPerNode` does). Pods with the GKE GPUDirect parts are
   * Pod Security "privileged" (host paths, a root sidecar with NET_ADMIN).
   * @default - no fabric: the pod network, plus `extraResourcesPerNode`
   */
  readonly fabric?: ServingFabric;
  /**
   * The pods run on EKS Auto Mode nodes (an `AutoModeGpuNodePool` of the AWS module): huge pages
   * in `extraResourcesPerNode` are then refused, since Auto Mode nodes reserve none.
   * @default false
   */
  readonly eksAutoMode?: boolean;
  /**
   * CPU request per node.
   * @default - 8 per GPU
   */
  readonly cpu?: string;
  /**
   * Memory request per node, GiB.
   * @default - 64 per GPU
   */
  readonly memoryGiB?: number;
  /**
   * `/dev/shm` per node (memory-backed emptyDir), GiB: NCCL and data loaders use it.
   * @default - 8 per GPU
   */
  readonly sharedMemoryGiB?: number;
  /**
   * torchrun rendezvous port (`PET_MASTER_PORT`).
   * @default 29500
   */
  readonly masterPort?: number;
  /**
   * Node selector, merged over the default `{ 'cdktf-ai-infra/accelerator': accelerator.labelValue }`
   * (when `accelerator` is set): a key you set replaces that key's default value, other keys are
   * added. `ModelServer.nodeSelector` merges the same way.
   * @default - the accelerator selector only
   */
  readonly nodeSelector?: Record<string, string>;
  /**
   * Extra tolerations (the `nvidia.com/gpu` taint is always tolerated).
   * @default - none
   */
  readonly tolerations?: ApiToleration[];
  /**
   * A node class to run on (a GKE `ComputeClass` of the GCP module): its node selector
   * (`cloud.google.com/compute-class: <name>`) is merged into the pods' and its taints are
   * tolerated. Its GPU model must be 'accelerator' and its nodes must have the GPUs a pod requests.
   * @default - none: the pods select the accelerator label of the library's node pools
   */
  readonly nodeClass?: INodeClass;
  /**
   * Extra environment variables.
   * @default - none
   */
  readonly env?: Record<string, string>;
  /**
   * Give the trainer the OpenTelemetry SDK environment of this collector (`OTEL_SERVICE_NAME` =
   * the JobSet name, the OTLP/gRPC traces endpoint, the collector's sampler and resource
   * attributes). Spans exist only where the training code is instrumented (an OpenTelemetry SDK
   * with the OTLP exporter, or `opentelemetry-instrument`): PyTorch emits none by itself.
   * @default - no OpenTelemetry environment
   */
  readonly tracing?: ITraceCollector;
  /**
   * Log runs to MLflow: the trainer gets `MLFLOW_TRACKING_URI`, `MLFLOW_EXPERIMENT_NAME` (default
   * the JobSet name) and the basic-auth credentials from a Secret.
   * @default - no MLflow environment
   */
  readonly tracking?: MlflowTracking;
  /**
   * Service account (for bucket access through IRSA, Pod Identity or Workload Identity).
   * @default - the namespace's default service account
   */
  readonly serviceAccountName?: string;
  /**
   * The GPU platform; checked for JobSet (and Kueue when queued) and used to order the stacks.
   * @default - not checked
   */
  readonly platform?: IGpuPlatform;
  /**
   * UID (and GID) the training container runs as; use the user your image defines.
   * `HOME` (`/home/trainer`, an emptyDir) and `USER` (`trainer`) are set, so Python's
   * `getpass.getuser()` (PyTorch's compile caches) works even when the UID has no
   * `/etc/passwd` entry. The image's code must be readable by this UID.
   *
   * `0` (root) is accepted only with an RDMA or EFA fabric, for nodes whose container runtime
   * limits locked memory: Kubernetes grants added capabilities such as IPC_LOCK to root
   * processes only (no ambient capabilities, kubernetes/kubernetes#56374), so a non-root
   * process pins memory up to the runtime's `RLIMIT_MEMLOCK` and no further.
   * @default 1000
   */
  readonly runAsUser?: number;
  /**
   * Run with a read-only root filesystem (writable emptyDirs at `HOME` and `/tmp`, plus the
   * checkpoint volume). Off by default because training code commonly writes next to itself.
   * @default false
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Health checks every pod runs before the trainer starts (init containers, see
   * {@link PreflightChecks}): DCGM diagnostics level 1 and an NCCL init check across the gang.
   * A failing check fails its pod, so the JobSet restarts the gang (counted in `maxRestarts`)
   * instead of training on a broken GPU or fabric.
   * @default - no preflight checks
   */
  readonly preflight?: PreflightChecks;
}

const REPLICATED_JOB = 'node';

const COMPLETION_INDEX = "metadata.annotations['batch.kubernetes.io/job-completion-index']";

/**
 * The annotation (and label) JobSet puts on every pod with the gang's restart attempt, 0 on the
 * first run (`RestartsKey`, kubernetes-sigs/jobset tag v0.12.0, `pkg/constants/constants.go`;
 * checked 2026-12-03). Exported to the trainer as `JOBSET_RESTART_ATTEMPT`.
 */
const RESTART_ATTEMPT = "metadata.annotations['jobset.sigs.k8s.io/restart-attempt']";

/**
 * A multi-node PyTorch training job as a JobSet: one Indexed Job of `nodes` pods wired for
 * torchrun like Kubeflow Trainer (`PET_NNODES`, `PET_NPROC_PER_NODE`, `PET_NODE_RANK` from the
 * completion index, `PET_MASTER_ADDR` = the first pod's stable DNS name, `PET_MASTER_PORT`).
 *
 * Resume contract: the trainer reads `CHECKPOINT_URI` (and `CHECKPOINT_DIR` when a volume is
 * mounted), resumes from the newest complete checkpoint there and starts from step 0 only when
 * there is none; `JOBSET_RESTART_ATTEMPT` (0 on the first run) tells a restart from a first run.
 *
 * Restarts: a pod disrupted by preemption, eviction or node loss (`DisruptionTarget`) fails its
 * Job through `podFailurePolicy`, and the JobSet restarts the whole gang with
 * `RestartJobSetAndIgnoreMaxRestarts`, so spot preemptions do not burn `maxRestarts`; real
 * failures still do (reference §3).
 *
 * A JobSet's spec cannot be changed once created: start a new run with a new `name`.
 *
 * @see https://jobset.sigs.k8s.io/docs/tasks/
 * @example
 * new TrainingJob(workloads, 'LlamaFinetune', {
 *   image: 'nvcr.io/nvidia/pytorch:25.08-py3', command: ['torchrun', 'train.py'],
 *   nodes: 4, gpusPerNode: 8, accelerator: Accelerator.H100, queueName: 'training',
 *   checkpoint: { uri: 's3://ckpt/llama-ft/' },
 *   extraResourcesPerNode: { 'vpc.amazonaws.com/efa': 32, 'hugepages-2Mi': '5120Mi' },
 * });
 */
export class TrainingJob extends Construct {
  /** The JobSet. */
  public readonly resource: Manifest;
  /** JobSet name. */
  public readonly jobSetName: string;
  /** Namespace. */
  public readonly namespace: string;
  /** torchrun master address (`<name>-node-0-0.<name>`). */
  public readonly masterAddress: string;
  /**
   * The Pod Security level the pods meet: restricted, or privileged when the fabric needs
   * IPC_LOCK (not among the capabilities Baseline allows) or GKE GPUDirect (host paths, the root
   * RxDM sidecar). Label the namespace with `podSecurityLabels(job.podSecurityLevel)`.
   */
  public readonly podSecurityLevel: PodSecurityLevel;

  constructor(scope: Construct, id: string, props: TrainingJobProps) {
    super(scope, id);
    this.jobSetName = props.name ?? nameFromId(id);
    assertServiceName(this, 'name', this.jobSetName, 40);
    this.namespace = props.namespace ?? 'default';
    assertDnsLabel(this, 'namespace', this.namespace);
    assertInteger(this, 'nodes', props.nodes, 1);
    assertInteger(this, 'gpusPerNode', props.gpusPerNode, 1, 16);
    const maxRestarts = props.maxRestarts ?? 3;
    assertInteger(this, 'maxRestarts', maxRestarts, 0);
    const grace = props.terminationGracePeriodSeconds ?? 120;
    assertInteger(this, 'terminationGracePeriodSeconds', grace, 0);
    const port = props.masterPort ?? 29500;
    assertInteger(this, 'masterPort', port, 1, 65535);
    const memory = gangPodMemory(this, props, props.gpusPerNode);
    Validate.string(this, 'image', props.image);
    assertCommand(this, 'command', props.command, `['torchrun', 'train.py']`);
    assertPinnedImage(this, 'image', props.image);
    checkBatchPlatform(this, props.platform, props.queueName, {
      construct: 'TrainingJob',
      component: 'JobSet',
      prop: 'jobSet',
      installed: (p) => p.jobSetInstalled,
    });
    const topologyAnnotations: Record<string, string> = {};
    if (props.doNotDisrupt !== undefined) Validate.boolean(this, 'doNotDisrupt', props.doNotDisrupt);
    if (props.topology !== undefined) {
      const t = Validate.object<TrainingJobTopology>(this, 'topology', props.topology);
      if (!props.queueName) {
        throw new ValidationError(
          `'topology' needs 'queueName': Kueue places the gang by topology only for jobs it admits. Set queueName to a TrainingQueues with a topology, or remove 'topology'.`,
          this,
        );
      }
      Validate.k8sLabelKey(this, 'topology.level', t.level);
      const placement =
        t.placement === undefined
          ? TopologyPlacement.REQUIRED
          : Validate.oneOf(this, 'topology.placement', t.placement, Object.values(TopologyPlacement));
      if (t.levels !== undefined) {
        const levels = Validate.array<string>(this, 'topology.levels', t.levels as string[]);
        if (!levels.includes(t.level)) {
          throw new ValidationError(
            `'topology.level' ('${t.level}') is not a level of the queue's topology (${levels.map((l) => `'${l}'`).join(', ')}): pick one of those.`,
            this,
          );
        }
      }
      topologyAnnotations[TOPOLOGY_ANNOTATION[placement]] = t.level;
    }
    const podAnnotations: Record<string, string> = {
      ...topologyAnnotations,
      ...(props.doNotDisrupt ? { [KARPENTER_DO_NOT_DISRUPT_ANNOTATION]: 'true' } : {}),
    };
    this.masterAddress = `${this.jobSetName}-${REPLICATED_JOB}-0-0.${this.jobSetName}`;

    const runAsUser = props.runAsUser ?? 1000;
    assertInteger(this, 'runAsUser', runAsUser, 0, 2147483647);
    const env: PodEnvVar[] = [
      { name: 'PET_NNODES', value: String(props.nodes) },
      { name: 'PET_NPROC_PER_NODE', value: String(props.gpusPerNode) },
      { name: 'PET_NODE_RANK', valueFrom: { fieldRef: { fieldPath: COMPLETION_INDEX } } },
      { name: 'PET_MASTER_ADDR', value: this.masterAddress },
      { name: 'PET_MASTER_PORT', value: String(port) },
      { name: 'JOBSET_RESTART_ATTEMPT', valueFrom: { fieldRef: { fieldPath: RESTART_ATTEMPT } } },
    ];
    if (props.tracing !== undefined) {
      env.push(
        ...otelEnv(this, props.tracing, {
          serviceName: this.jobSetName,
          protocol: 'grpc',
          resourceAttributes: { 'k8s.namespace.name': this.namespace, 'k8s.jobset.name': this.jobSetName },
        }),
      );
    }
    if (props.tracking !== undefined) {
      env.push(...mlflowClientEnv(this, 'tracking', props.tracking, this.jobSetName, this.namespace));
    }
    const volumes: PodVolume[] = [];
    const mounts: PodVolumeMount[] = [];
    const ckpt = props.checkpoint;
    if (ckpt) {
      if (!ckpt.uri && !ckpt.claimName) {
        throw new ValidationError(`'checkpoint' needs 'uri', 'claimName' or both.`, this);
      }
      if (ckpt.uri && !Token.isUnresolved(ckpt.uri) && !/^(s3|gs):\/\/[^/]+|^\//.test(ckpt.uri)) {
        throw new ValidationError(
          `'checkpoint.uri' ('${ckpt.uri}') must be an s3:// or gs:// URI or an absolute path.`,
          this,
        );
      }
      const mountPath = ckpt.mountPath ?? '/checkpoints';
      if (ckpt.claimName) {
        assertDnsLabel(this, 'checkpoint.claimName', ckpt.claimName, 253);
        volumes.push({ name: 'checkpoints', persistentVolumeClaim: { claimName: ckpt.claimName } });
        mounts.push({ name: 'checkpoints', mountPath });
        env.push({ name: 'CHECKPOINT_DIR', value: mountPath });
      }
      env.push({ name: 'CHECKPOINT_URI', value: ckpt.uri ?? mountPath });
    } else {
      Warnings.add(
        this,
        'k8s-training-no-checkpoint',
        `no 'checkpoint': after a preemption or failure the gang restarts from step 0. Give checkpoint.uri or checkpoint.claimName.`,
      );
    }

    if (props.eksAutoMode !== undefined) Validate.boolean(this, 'eksAutoMode', props.eksAutoMode);
    const extra = extraResources(
      this,
      'extraResourcesPerNode',
      props.extraResourcesPerNode,
      'gpusPerNode, cpu or memoryGiB',
      props.eksAutoMode ?? false,
    );
    const labels: Record<string, string> = {
      'app.kubernetes.io/name': 'training',
      'app.kubernetes.io/instance': this.jobSetName,
      ...MANAGED_BY,
      ...(props.accelerator ? { [ACCELERATOR_NODE_LABEL]: props.accelerator.labelValue } : {}),
    };
    const placement = nodeClassPlacement(this, props.nodeClass, {
      accelerator: props.accelerator,
      gpusPerPod: props.gpusPerNode,
    });
    const fabric = this.fabricSettings(props.fabric, extra);
    Object.assign(extra, fabric?.resources);
    Object.assign(podAnnotations, fabric?.annotations);
    let podOptions: GpuPodOptions = {
      containerName: 'trainer',
      image: props.image,
      command: props.command,
      ports: [{ name: 'rendezvous', containerPort: port }],
      env,
      userEnv: props.env,
      volumes,
      volumeMounts: mounts,
      ...gangPodResources(this, props, props.gpusPerNode, memory, extra),
      nodeSelector: { ...placement.nodeSelector, ...props.nodeSelector },
      tolerations: [
        ...placement.tolerations,
        ...Validate.array<ApiToleration>(this, 'tolerations', props.tolerations ?? []),
      ],
      serviceAccountName: props.serviceAccountName,
      terminationGracePeriodSeconds: grace,
      restartPolicy: 'Never',
      user: { uid: runAsUser, gid: runAsUser, name: 'trainer', home: '/home/trainer' },
      writablePaths: [{ volume: 'tmp', path: '/tmp' }],
      readOnlyRootFilesystem: props.readOnlyRootFilesystem ?? false,
    };
    if (fabric?.gkeGpuDirect) {
      const gpuDirect = withGkeGpuDirect(this, fabric.gkeGpuDirect, podOptions, 'gpusPerNode');
      podOptions = gpuDirect.options;
      Object.assign(podAnnotations, gpuDirect.annotations);
    }
    const pod = gpuPod(this, podOptions);
    const checked = props.preflight
      ? addPreflight(this, props.preflight, pod.spec, pod.podSecurityLevel, {
          rendezvousPort: port,
          nccl: true,
          envScript: fabric?.gkeGpuDirect === 'RDMA' ? GIB_NCCL_ENV_SCRIPT : undefined,
        })
      : pod;
    this.podSecurityLevel = checked.podSecurityLevel;
    if (runAsUser === 0) {
      if (pod.addedCapabilities.length === 0) {
        throw new ValidationError(
          `'runAsUser' 0 (root) is only for RDMA or EFA pods whose fabric needs IPC_LOCK: without 'extraResourcesPerNode' ` +
            `devices, run as your image's non-root user (for example 1000).`,
          this,
        );
      }
      Warnings.add(
        this,
        'k8s-training-runs-as-root',
        `'runAsUser' 0: the trainer runs as root so that IPC_LOCK takes effect. Prefer a non-root UID on nodes whose ` +
          `container runtime sets RLIMIT_MEMLOCK unlimited.`,
      );
    }
    const podSpec = checked.spec;
    if (!podSpec.nodeSelector) {
      Warnings.add(
        this,
        'k8s-training-no-node-selector',
        `neither 'accelerator' nor 'nodeSelector' is set: pods may land on any GPU node, including another GPU model.`,
      );
    }

    assertCrdInOtherStack(this, 'jobset.x-k8s.io', 'JobSet');
    // Kueue writes the admitted flavor's node labels and tolerations (and pod labels) into the
    // JobSet's pod template (RunWithPodSetsInfo): let the cluster own those fields, or every
    // plan after admission shows a diff the JobSet webhook refuses to apply to a running job.
    const podTemplate = `spec.replicatedJobs[0].template.spec.template`;
    const computedFields = props.queueName
      ? [
          'metadata.labels',
          'metadata.annotations',
          `${podTemplate}.metadata.labels`,
          ...(props.topology ? [`${podTemplate}.metadata.annotations`] : []),
          ...(podSpec.nodeSelector ? [`${podTemplate}.spec.nodeSelector`] : []),
          `${podTemplate}.spec.tolerations`,
        ]
      : undefined;
    this.resource = new Manifest(this, 'Resource', {
      computedFields,
      manifest: {
        apiVersion: 'jobset.x-k8s.io/v1alpha2',
        kind: 'JobSet',
        metadata: {
          name: this.jobSetName,
          namespace: this.namespace,
          labels: { ...labels, ...(props.queueName ? { [KUEUE_QUEUE_LABEL]: props.queueName } : {}) },
        },
        spec: {
          network: { enableDNSHostnames: true },
          failurePolicy: {
            maxRestarts,
            rules: [
              {
                name: 'preemption-does-not-count',
                action: 'RestartJobSetAndIgnoreMaxRestarts',
                onJobFailureReasons: ['PodFailurePolicy'],
              },
            ],
          },
          replicatedJobs: [
            {
              name: REPLICATED_JOB,
              replicas: 1,
              template: {
                spec: {
                  parallelism: props.nodes,
                  completions: props.nodes,
                  completionMode: 'Indexed',
                  backoffLimit: 0,
                  podFailurePolicy: {
                    rules: [
                      { action: 'FailJob', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
                    ],
                  },
                  template: {
                    metadata: {
                      labels,
                      ...(Object.keys(podAnnotations).length ? { annotations: podAnnotations } : {}),
                    },
                    spec: podSpec,
                  },
                },
              },
            },
          ],
        },
      },
    });
    this.node.defaultChild = this.resource;
  }

  /** The fabric's pod settings; its devices may not repeat a key of `extraResourcesPerNode`. */
  private fabricSettings(fabric: ServingFabric | undefined, extra: Record<string, string>) {
    if (fabric === undefined) return undefined;
    if (!(fabric instanceof ServingFabric)) {
      throw new ValidationError(
        `'fabric' must be a ServingFabric (ServingFabric.gkeDeviceNetworks(...), .efa(...), .rdma(...) or .ethernet()), got ${JSON.stringify(fabric)}.`,
        this,
        'type',
      );
    }
    const settings = fabric.podSettings(this);
    for (const key of Object.keys(settings.resources)) {
      if (key in extra) {
        throw new ValidationError(
          `'extraResourcesPerNode' sets '${key}', which 'fabric' (${fabric.kind}) already requests: drop it from extraResourcesPerNode.`,
          this,
        );
      }
    }
    return settings;
  }
}
