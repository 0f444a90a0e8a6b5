/**
 * aws-training: a production EKS training platform for 16 x p5.48xlarge (128 H100) on an EC2
 * Capacity Block, with 32 EFA devices per node, FSx for Lustre in front of an S3 checkpoint
 * bucket, an ECR registry, Amazon Managed Prometheus alerting, an MLflow tracking server (RDS for
 * PostgreSQL, an artifact bucket, basic auth) the training job logs to, and a budget derived from
 * the stack's cost estimate. Pass `Capacity.spot()` to `AwsTrainingStack` for the spot variant.
 *
 * Synthesizes with no credentials: the provider is configured with plain values and no data
 * source is read at synth time.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { PersistentVolumeClaimV1 } from '@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1';
import { PersistentVolumeV1 } from '@cdktf/provider-kubernetes/lib/persistent-volume-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import {
  BudgetAlarm,
  EFA_POD_HUGE_PAGES_MIB,
  EFA_RESOURCE,
  CheckpointStore,
  EksCluster,
  GpuNetwork,
  MlflowStore,
  Monitoring,
  PullThroughCache,
  Registry,
  TrainingNodeGroup,
} from '../../lib/aws';
import { Accelerator, Capacity, CapacityKind, Tags } from '../../lib/core';
import { EksClusterStack, ampRemoteWritingMonitoring } from '../shared/cluster-stacks';
import {
  GpuNodeImage,
  GpuPlatform,
  MlflowDatabase,
  MlflowServer,
  PodSecurityLevel,
  TrainingJob,
  TopologyPlacement,
  TrainingQueues,
  TrainingTopology,
  podSecurityLabels,
} from '../../lib/k8s';

/** Namespace and service account of the trainer pods (the Pod Identity role is bound to them). */
const TRAINER = { namespace: 'training', serviceAccount: 'trainer' };

/** The training platform. */
export class AwsTrainingStack extends TerraformStack {
  public readonly cluster: EksCluster;
  public readonly checkpoints: CheckpointStore;
  public readonly h100: TrainingNodeGroup;
  public readonly registry: Registry;
  public readonly monitoring: Monitoring;
  public readonly mlflow: MlflowStore;

  constructor(
    scope: Construct,
    id: string,
    capacity: Capacity = Capacity.capacityBlock('cr-0123456789abcdef0'),
  ) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'us-east-1' });
    Tags.of(this).add('team', 'ml-platform');
    Tags.of(this).setCostAllocationTag('project', 'llm-pretraining');

    const network = new GpuNetwork(this, 'Network', {
      availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      trainingAvailabilityZone: 'us-east-1a', // the AZ the Capacity Block was bought in
    });
    const cluster = (this.cluster = new EksCluster(this, 'Cluster', {
      network,
      clusterName: 'llm-training',
      adminPrincipalArns: ['arn:aws:iam::111122223333:role/platform-admin'],
      nodeAutoRepair: true, // replace nodes with GPU (XID) or EFA failures
    }));
    const checkpoints = (this.checkpoints = new CheckpointStore(this, 'Checkpoints', {
      cluster,
      lustre: { capacityGiB: 4800, throughputMBpsPerTiB: 500 },
    }));
    const h100 = (this.h100 = cluster.addTrainingNodeGroup('H100', {
      accelerator: Accelerator.H100,
      nodes: 16,
      capacity,
      checkpoints,
      // Checked against the training subnet: a block launches only in the AZ it was bought in.
      ...(capacity.kind === CapacityKind.CAPACITY_BLOCK ? { reservationAvailabilityZone: 'us-east-1a' } : {}),
    }));
    checkpoints.grantReadWrite(cluster.addWorkloadRole('Trainer', TRAINER));

    const registry = (this.registry = new Registry(this, 'Registry', {
      repositories: ['training/pytorch-efa'],
      pullThroughCaches: [PullThroughCache.ecrPublic(), PullThroughCache.kubernetes()],
    }));
    registry.grantPull(cluster.nodeRole);

    const monitoring = (this.monitoring = new Monitoring(this, 'Monitoring', {
      cluster,
      emails: ['ml-oncall@example.com'],
    }));
    monitoring.alarmOnNodeGroupCapacity(h100);
    monitoring.alarmOnFileSystemFreeSpace(checkpoints);

    // Experiment tracking: RDS for PostgreSQL reachable from the cluster only, an artifact bucket
    // and the MLflow server's Pod Identity role (namespace and service account 'mlflow').
    this.mlflow = new MlflowStore(this, 'Mlflow', { cluster, identifier: 'llm-training-mlflow' });

    new BudgetAlarm(this, 'Budget', {
      emails: ['finops@example.com'],
      topic: monitoring.topic,
      anomalyDetection: {},
    });

    new TerraformOutput(this, 'efa_devices_per_node', { value: h100.efaDevicesPerNode });
    new TerraformOutput(this, 'lustre_dns_name', { value: checkpoints.fileSystem!.dnsName });
    new TerraformOutput(this, 'lustre_mount_name', { value: checkpoints.fileSystem!.mountName });
  }
}

/**
 * The in-cluster stacks: operators (platform) and the training job with its queue and the
 * Lustre volume (workloads).
 */
function buildInCluster(app: App, infra: AwsTrainingStack): TerraformStack[] {
  const platform = new EksClusterStack(app, 'aws-training-platform', infra.cluster);
  platform.addDependency(infra);
  const monitoring = ampRemoteWritingMonitoring(platform, infra.monitoring, { prometheusStorageGiB: 100 });

  const gpu = new GpuPlatform(platform, 'Gpu', {
    nodeImage: GpuNodeImage.DRIVER_AND_TOOLKIT, // AL2023 NVIDIA AMI
    efa: true, // the EFA device plugin advertises vpc.amazonaws.com/efa
    monitoring,
    keda: false,
  });

  const workloads = new EksClusterStack(app, 'aws-training-workloads', infra.cluster);
  workloads.addDependency(platform);
  const ns = new NamespaceV1(workloads, 'TrainingNamespace', {
    // EFA pods add IPC_LOCK, which Pod Security "baseline" does not allow: the level is "privileged"
    // (TrainingJob.podSecurityLevel says so); everything else in the pod is restricted.
    metadata: { name: TRAINER.namespace, labels: podSecurityLabels(PodSecurityLevel.PRIVILEGED) },
  });
  new ServiceAccountV1(workloads, 'TrainerAccount', {
    metadata: { name: TRAINER.serviceAccount, namespace: TRAINER.namespace },
    dependsOn: [ns],
  });
  // FSx for Lustre as a static volume: the CSI driver cannot create data repository
  // associations, so the file system is Terraform's and Kubernetes only mounts it.
  const fs = infra.checkpoints.fileSystem!;
  const pv = new PersistentVolumeV1(workloads, 'LustreVolume', {
    metadata: { name: 'checkpoints-lustre' },
    spec: [
      {
        capacity: { storage: `${infra.checkpoints.lustreCapacityGiB}Gi` },
        accessModes: ['ReadWriteMany'],
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: '',
        persistentVolumeSource: {
          csi: {
            driver: 'fsx.csi.aws.com',
            volumeHandle: fs.id,
            volumeAttributes: { dnsname: fs.dnsName, mountname: fs.mountName },
          },
        },
      },
    ],
  });
  const pvc = new PersistentVolumeClaimV1(workloads, 'LustreClaim', {
    metadata: { name: 'checkpoints', namespace: TRAINER.namespace },
    spec: {
      accessModes: ['ReadWriteMany'],
      storageClassName: '',
      volumeName: pv.metadata.name,
      resources: { requests: { storage: `${infra.checkpoints.lustreCapacityGiB}Gi` } },
    },
    waitUntilBound: false,
    dependsOn: [ns],
  });

  const g = infra.h100;
  // Per pod (one per node): every EFA device and the huge pages EFA needs.
  const efa = g.podExtraResources();
  const queues = new TrainingQueues(workloads, 'Training', {
    namespaces: [TRAINER.namespace],
    platform: gpu,
    // EKS labels p5 nodes with their place in the EC2 network hierarchy: Kueue places the gang
    // by it (topology-aware scheduling).
    topology: TrainingTopology.eks(),
    flavors: [
      {
        name: 'p5-capacity-block',
        nodeLabels: g.labels,
        nodeTaints: g.taints,
        gpus: g.nodes * g.instanceType.gpuCount,
        cpus: g.nodes * g.instanceType.vcpus,
        memoryGiB: g.nodes * g.instanceType.memoryGiB,
        extraResources: {
          [EFA_RESOURCE]: g.nodes * g.efaDevicesPerNode,
          'hugepages-2Mi': `${g.nodes * EFA_POD_HUGE_PAGES_MIB}Mi`,
        },
      },
    ],
  });
  // MLflow in its own restricted namespace. Secrets created once by the operator (not by Terraform,
  // so they never enter the state): 'mlflow-admin' (username, password, flask-secret-key) in
  // 'mlflow', and 'mlflow-trainer' (username, password of an MLflow user with EDIT) in 'training'.
  const mlflowNs = new NamespaceV1(workloads, 'MlflowNamespace', {
    metadata: { name: 'mlflow', labels: podSecurityLabels(PodSecurityLevel.RESTRICTED) },
  });
  const mlflow = new MlflowServer(workloads, 'Mlflow', {
    database: MlflowDatabase.awsSecretsManager({
      host: infra.mlflow.databaseAddress,
      secretArn: infra.mlflow.masterUserSecretArn,
      region: 'us-east-1',
    }),
    artifactsDestination: infra.mlflow.artifactsDestination,
    adminSecretName: 'mlflow-admin',
  });
  mlflow.node.addDependency(mlflowNs);

  new TrainingJob(workloads, 'LlamaPretrain', {
    name: 'llama-pretrain',
    namespace: TRAINER.namespace,
    serviceAccountName: TRAINER.serviceAccount,
    image: `${infra.registry.repositories['training/pytorch-efa'].repositoryUrl}:2026.11.1`,
    command: ['torchrun', '/workspace/train.py', '--config', '/workspace/configs/llama-70b.yaml'],
    nodes: g.nodes,
    gpusPerNode: g.instanceType.gpuCount,
    accelerator: Accelerator.H100,
    queueName: queues.queueName,
    // Prefer one bottom-layer network node (fewest hops for NCCL); fall back to a broader layer.
    topology: {
      level: 'topology.k8s.aws/network-node-layer-3',
      placement: TopologyPlacement.PREFERRED,
      levels: queues.topologyLevels,
    },
    checkpoint: { claimName: pvc.metadata.name, uri: `s3://${infra.checkpoints.bucketName}/llama-pretrain/` },
    extraResourcesPerNode: efa,
    env: { FI_PROVIDER: 'efa', FI_EFA_USE_DEVICE_RDMA: '1', NCCL_DEBUG: 'WARN' },
    tracking: { server: mlflow, credentialsSecretName: 'mlflow-trainer' },
    platform: gpu,
  });
  return [platform, workloads];
}

/** Adds this example's stacks to `app`. */
export function build(app: App): TerraformStack[] {
  const infra = new AwsTrainingStack(app, 'aws-training');
  return [infra, ...buildInCluster(app, infra)];
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
