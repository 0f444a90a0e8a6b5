/**
 * gcp-training: GKE training on Google Cloud: a reserved 4-node A3 Mega gang over GPUDirect-TCPXO
 * with checkpoints, a flex-start pool and a Spot-first ComputeClass, and a 4-node TCPXO
 * `TrainingJob` on the gang.
 *
 * Three stacks, applied in order:
 *
 * - `gcp-training` (Google Cloud): a cluster for a 4-node A3 Mega (8 x H100 Mega per node) gang
 *   with GPUDirect-TCPXO (8 extra VPCs), COMPACT placement in one zone and capacity from a
 *   specific reservation, plus a flex-start pool for short multi-node experiments; node
 *   auto-provisioning limits for H100 nodes created on demand; a hierarchical-namespace
 *   checkpoint bucket the trainer's Kubernetes service account writes through Workload Identity;
 *   Artifact Registry; Cloud Monitoring alert policies; and a billing budget derived from the
 *   cost estimate.
 * - `gcp-training-platform` (in-cluster): the GPUDirect `GKENetworkParamSet` / `Network` objects
 *   of the 8 TCPXO networks, Google's TCPXO NCCL plugin installer and NRI device injector
 *   (pinned), and a `ComputeClass` for single-node fine-tuning and evaluation jobs on
 *   a3-highgpu-8g: Spot first, then flex-start for up to a day, in node pools GKE creates and
 *   removes itself. A `TrainingJob` selects it with `nodeClass`. JobSet (through `GpuPlatform`;
 *   GKE's managed drivers bring the device plugin).
 * - `gcp-training-workloads` (in-cluster): the `training` namespace (Pod Security "privileged":
 *   GPUDirect-TCPXO pods mount host paths and run Google's RxDM sidecar as root) and a 4-node
 *   `TrainingJob` on the reserved A3 Mega gang, whose pods get the TCPXO RxDM sidecar, host
 *   mounts, NCCL environment and the 8 GPUDirect networks from `ServingFabric.gkeDeviceNetworks`.
 *
 * No credentials are needed to synthesize it.
 */
import { DataGoogleClientConfig } from '@cdktf/provider-google/lib/data-google-client-config';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { App, Fn, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { Accelerator, AlertGroup, Capacity, CostEstimate, Tags } from '../../lib/core';
import {
  ArtifactRegistry,
  CheckpointBucket,
  BudgetAlarm,
  ComputeClass,
  GcpPrincipal,
  Monitoring,
  GkeCluster,
  GkeNetwork,
  GpuDirect,
} from '../../lib/gcp';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import {
  GkeDeviceNetworks,
  GkeNcclPlugin,
  GpuNodeImage,
  GpuPlatform,
  PodSecurityLevel,
  ServingFabric,
  TrainingJob,
  podSecurityLabels,
} from '../../lib/k8s';

const PROJECT = 'acme-ml-training';
const PROJECT_NUMBER = '123456789012';
const REGION = 'us-central1';
const ZONE = 'us-central1-a';
/** The trainer pods' namespace and Kubernetes service account (Workload Identity to the checkpoints). */
const CHECKPOINT_BUCKET = 'acme-llm-checkpoints';
const TRAINER = { namespace: 'training', serviceAccount: 'trainer' };
/** The gang's node pool: machine type and size. */
const GANG = { machineType: 'a3-megagpu-8g', nodes: 4 };

export class GcpTrainingStack extends TerraformStack {
  /** The network (its GPUDirect networks feed the platform stack). */
  public readonly network: GkeNetwork;
  /** The cluster. */
  public readonly cluster: GkeCluster;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new GoogleProvider(this, 'google', {
      project: PROJECT,
      region: REGION,
      ...BudgetAlarm.providerSettings(PROJECT),
    });
    Tags.of(this).setCostAllocationTag('cost-center', 'llm-pretraining');

    const network = (this.network = new GkeNetwork(this, 'Network', {
      project: PROJECT,
      region: REGION,
      name: 'train',
      gpuDirect: GpuDirect.TCPXO,
    }));
    const cluster = (this.cluster = new GkeCluster(this, 'Cluster', {
      network,
      clusterName: 'train',
      kubernetesVersion: '1.32.11-gke.1174000',
      masterAuthorizedNetworks: [{ cidrBlock: '203.0.113.0/24', displayName: 'ci-runners' }],
      // GKE 1.32 creates a ComputeClass's node pools through node auto-provisioning. The limits
      // cap the whole cluster: the reserved gang (4 x a3-megagpu-8g: 32 GPUs, 832 vCPUs, 7.5 TB),
      // the flex pool (2 more) and up to 2 experiment nodes (a3-highgpu-8g), system pool included.
      nodeAutoProvisioning: {
        gpus: [{ accelerator: Accelerator.H100, maxGpus: 64 }],
        maxCpus: 1700,
        maxMemoryGb: 16000,
      },
    }));

    cluster.addTrainingNodePool('H100Mega', {
      accelerator: Accelerator.H100,
      machineType: GANG.machineType,
      nodes: GANG.nodes,
      zone: ZONE,
      capacity: Capacity.reservation('a3-mega-train', { block: 'block-0001' }),
    });
    cluster.addTrainingNodePool('H100MegaFlex', {
      accelerator: Accelerator.H100,
      machineType: 'a3-megagpu-8g',
      nodes: 2,
      zone: ZONE,
      capacity: Capacity.flexStart({ maxRunDurationSeconds: 86400 }),
    });

    const trainer = GcpPrincipal.kubernetesServiceAccount({
      projectNumber: PROJECT_NUMBER,
      project: PROJECT,
      workloadIdentityPool: cluster.workloadIdentityPool,
      namespace: TRAINER.namespace,
      serviceAccount: TRAINER.serviceAccount,
    });
    const checkpoints = new CheckpointBucket(this, 'Checkpoints', {
      bucketName: CHECKPOINT_BUCKET,
      location: REGION,
      deleteObjectsAfterDays: 60,
      readWriters: [trainer],
    });
    const registry = new ArtifactRegistry(this, 'Registry', {
      location: REGION,
      repositoryId: 'training',
      modelBucket: { bucketName: 'acme-llm-models' },
    });
    registry.modelBucket!.grantReadWrite(trainer);

    const pagerDuty = new TerraformVariable(this, 'pagerduty_service_key', {
      type: 'string',
      sensitive: true,
      description: 'PagerDuty integration key',
    });
    new Monitoring(this, 'Alerts', {
      project: PROJECT,
      emails: ['ml-oncall@example.com'],
      pagerDutyServiceKey: pagerDuty.stringValue,
      alertRules: { groups: [AlertGroup.GPU, AlertGroup.TRAINING] },
    });
    new BudgetAlarm(this, 'Budget', {
      billingAccount: '012345-6789AB-CDEF01',
      project: PROJECT,
      projectNumber: PROJECT_NUMBER,
      emails: ['ml-oncall@example.com', 'finance@example.com'],
    });

    new TerraformOutput(this, 'checkpoint_url', { value: checkpoints.url });
    new TerraformOutput(this, 'monthly_cost_estimate', { value: CostEstimate.of(this).renderTable() });
  }
}

/**
 * Kubernetes and Helm providers pointed at the cluster of `infra` with the access token of the
 * identity running Terraform, which needs no `gke-gcloud-auth-plugin` where Terraform runs (the
 * exec block of `infra.cluster.kubernetesProviderConfig()` does; docs/gcp.md, "Configuring the
 * Kubernetes and Helm providers").
 */
function connectToCluster(stack: TerraformStack, infra: GcpTrainingStack): void {
  new GoogleProvider(stack, 'google', { project: PROJECT, region: REGION });
  const client = new DataGoogleClientConfig(stack, 'ClientConfig');
  const kubernetes = {
    host: infra.cluster.endpoint,
    clusterCaCertificate: Fn.base64decode(infra.cluster.clusterCaCertificate),
    token: client.accessToken,
  };
  new KubernetesProvider(stack, 'Kubernetes', kubernetes);
  new HelmProvider(stack, 'Helm', { kubernetes });
  stack.addDependency(infra);
}

/**
 * The in-cluster platform of the training cluster: the GPUDirect objects, the NCCL plugin
 * installers, JobSet and the experiments compute class.
 */
export class GcpTrainingPlatformStack extends TerraformStack {
  /** The compute class of single-node experiments (a `TrainingJob`'s `nodeClass`). */
  public readonly experiments: ComputeClass;
  /** The TCPXO NCCL plugin installer (a GPUDirect fabric's `ncclPlugin`). */
  public readonly ncclPlugin: GkeNcclPlugin;
  /** JobSet (GKE's managed drivers bring the device plugin; GKE's DCGM package exports GPU metrics). */
  public readonly gpu: GpuPlatform;

  constructor(scope: Construct, id: string, infra: GcpTrainingStack) {
    super(scope, id);
    connectToCluster(this, infra);

    new GkeDeviceNetworks(this, 'GpuDirect', {
      networks: infra.network.deviceNetworks,
      machineType: GANG.machineType,
    });
    this.ncclPlugin = new GkeNcclPlugin(this, 'NcclPlugin', { transport: infra.network.gpuDirect });
    this.gpu = new GpuPlatform(this, 'Gpu', {
      nodeImage: GpuNodeImage.DRIVER_TOOLKIT_AND_DEVICE_PLUGIN,
      dcgmExporter: false,
      keda: false,
      kueue: false,
    });
    this.experiments = new ComputeClass(this, 'Experiments', {
      cluster: infra.cluster,
      name: 'h100-experiments',
      accelerator: Accelerator.H100,
      gpusPerNode: 8,
      poolRole: 'training',
      capacity: Capacity.spot(),
      fallbackCapacity: [Capacity.flexStart({ maxRunDurationSeconds: 86400 })],
      zones: [ZONE],
    });
  }
}

/**
 * The training workloads: the trainer namespace and service account, and the pretraining gang on
 * the reserved A3 Mega pool over GPUDirect-TCPXO.
 */
export class GcpTrainingWorkloadsStack extends TerraformStack {
  /** The pretraining job. */
  public readonly pretrain: TrainingJob;

  constructor(scope: Construct, id: string, infra: GcpTrainingStack, platform: GcpTrainingPlatformStack) {
    super(scope, id);
    connectToCluster(this, infra);
    const ns = new NamespaceV1(this, 'TrainingNamespace', {
      // TCPXO pods mount host paths (the NCCL plugin, sysfs, the aperture devices) and run the
      // RxDM sidecar as root with NET_ADMIN: Pod Security "privileged" (TrainingJob.podSecurityLevel).
      metadata: { name: TRAINER.namespace, labels: podSecurityLabels(PodSecurityLevel.PRIVILEGED) },
    });
    new ServiceAccountV1(this, 'TrainerAccount', {
      metadata: { name: TRAINER.serviceAccount, namespace: TRAINER.namespace },
      dependsOn: [ns],
    });
    this.pretrain = new TrainingJob(this, 'LlamaPretrain', {
      name: 'llama-pretrain',
      namespace: TRAINER.namespace,
      serviceAccountName: TRAINER.serviceAccount,
      image: 'nvcr.io/nvidia/pytorch:25.08-py3',
      command: ['torchrun', '/workspace/train.py', '--config', '/workspace/configs/llama-70b.yaml'],
      nodes: GANG.nodes,
      gpusPerNode: 8,
      accelerator: Accelerator.H100,
      // The reserved gang, not the flex-start pool or the experiments' a3-highgpu-8g nodes.
      nodeSelector: { 'cdktf-ai-infra/node-pool': 'h100-mega' },
      checkpoint: { uri: `gs://${CHECKPOINT_BUCKET}/llama-pretrain/` },
      fabric: ServingFabric.gkeDeviceNetworks({
        networks: infra.network.deviceNetworks.map((n) => n.name),
        machineType: GANG.machineType,
        ncclPlugin: platform.ncclPlugin,
      }),
      preflight: {},
      platform: platform.gpu,
    });
    this.pretrain.node.addDependency(ns);
  }
}

/** Adds this example's stacks to `app`. */
export function build(app: App): TerraformStack[] {
  const infra = new GcpTrainingStack(app, 'gcp-training');
  const platform = new GcpTrainingPlatformStack(app, 'gcp-training-platform', infra);
  return [infra, platform, new GcpTrainingWorkloadsStack(app, 'gcp-training-workloads', infra, platform)];
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
