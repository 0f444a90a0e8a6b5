/**
 * k8s-training: a multi-node training job on an on-prem InfiniBand cluster with Kueue queues
 * and checkpoints on a shared volume.
 *
 * - `k8s-training-platform`: kube-prometheus-stack, the GPU Operator (the nodes run a plain OS
 *   image, so it installs driver and toolkit; DCGM runs as a standalone host engine), JobSet,
 *   Kueue, NVIDIA NVSentinel (quarantines and drains a node on a fatal GPU fault; `research` pods
 *   are evicted at once so the gang restarts from its checkpoint) with cert-manager, and the
 *   `research` namespace.
 * - `k8s-training-workloads`: Kueue flavors for preemptible and dedicated H100 nodes with GPU,
 *   CPU, memory and RDMA quotas; a LocalQueue in `research`; and a 4 x 8 H100 JobSet wired for
 *   torchrun over InfiniBand (`rdma/ib` from the cluster's RDMA device plugin), resuming from
 *   the `checkpoints` ReadWriteMany claim, its four nodes kept under one leaf switch by Kueue
 *   topology-aware scheduling, each pod checking its GPUs (DCGM level 1) and the gang's NCCL
 *   communicator before training starts.
 */
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { App, TerraformStack } from 'cdktf';
import { ACCELERATOR_NODE_LABEL, Accelerator, TaintEffect } from '../../lib/core';
import {
  GpuNodeImage,
  GpuPlatform,
  HOSTNAME_LABEL,
  MonitoringStack,
  NvSentinel,
  PodSecurityLevel,
  PreflightDcgm,
  TrainingJob,
  TrainingQueues,
  TrainingTopology,
  podSecurityLabels,
} from '../../lib/k8s';
import { KubeconfigStack } from '../shared/cluster-stacks';

/** RDMA devices per node as the cluster's RDMA shared-device plugin advertises them. */
const RDMA_RESOURCE = 'rdma/ib';

/** Adds this example's stacks to `app`. */
export function build(app: App): TerraformStack[] {
  const platform = new KubeconfigStack(app, 'k8s-training-platform');
  const monitoring = new MonitoringStack(platform, 'Monitoring', {
    receivers: {
      email: {
        to: ['ml-oncall@example.com'],
        from: 'alertmanager@example.com',
        smarthost: 'smtp.example.com:587',
        username: 'alertmanager',
        passwordSecret: { name: 'smtp', key: 'password' },
      },
    },
    grafanaAdminSecret: { name: 'grafana-admin' },
    prometheusStorageGiB: 200,
  });
  const gpu = new GpuPlatform(platform, 'Gpu', {
    nodeImage: GpuNodeImage.NO_GPU_SOFTWARE,
    monitoring,
    keda: false,
    standaloneDcgm: true,
  });
  new NvSentinel(platform, 'NvSentinel', { platform: gpu, monitoring, trainingNamespaces: ['research'] });
  new NamespaceV1(platform, 'ResearchNamespace', {
    // RDMA pods add IPC_LOCK, outside Pod Security "baseline": the namespace admits "privileged".
    metadata: { name: 'research', labels: podSecurityLabels(PodSecurityLevel.PRIVILEGED) },
  });

  const workloads = new KubeconfigStack(app, 'k8s-training-workloads');
  const h100 = Accelerator.H100.labelValue;
  const queues = new TrainingQueues(workloads, 'Training', {
    namespaces: ['research'],
    platform: gpu,
    // The InfiniBand fabric as node labels, broadest first: spine (tier 1), leaf switch (tier 0),
    // node. These are the labels NVIDIA Topograph v1.1.0's Kubernetes engine writes
    // (docs.nvidia.com/topograph/v1.1.0, "Node labels and annotations"); label the nodes by hand
    // with the same keys where Topograph does not run.
    topology: TrainingTopology.custom([
      'fabric.topograph.run/tier-1',
      'fabric.topograph.run/tier-0',
      HOSTNAME_LABEL,
    ]),
    flavors: [
      {
        name: 'h100-preemptible',
        nodeLabels: { [ACCELERATOR_NODE_LABEL]: h100, 'cdktf-ai-infra/capacity': 'preemptible' },
        nodeTaints: [{ key: 'cdktf-ai-infra/preemptible', value: 'true', effect: TaintEffect.NO_SCHEDULE }],
        gpus: 32,
        cpus: 768,
        memoryGiB: 8192,
        extraResources: { [RDMA_RESOURCE]: 32 },
      },
      {
        name: 'h100-dedicated',
        nodeLabels: { [ACCELERATOR_NODE_LABEL]: h100, 'cdktf-ai-infra/capacity': 'dedicated' },
        gpus: 32,
        cpus: 768,
        memoryGiB: 8192,
        extraResources: { [RDMA_RESOURCE]: 32 },
      },
    ],
  });
  new TrainingJob(workloads, 'LlamaPretrain', {
    name: 'llama-pretrain-run1',
    namespace: 'research',
    image: 'pytorch/pytorch:2.13.0-cuda13.0-cudnn9-runtime',
    command: ['torchrun', '/workspace/train.py', '--config', '/workspace/configs/llama-8b.yaml'],
    nodes: 4,
    gpusPerNode: 8,
    accelerator: Accelerator.H100,
    queueName: queues.queueName,
    // All four nodes under one leaf switch, or the job waits: cross-leaf all-reduce halves bandwidth.
    topology: { level: 'fabric.topograph.run/tier-0', levels: queues.topologyLevels },
    checkpoint: { claimName: 'checkpoints' },
    extraResourcesPerNode: { [RDMA_RESOURCE]: 8 },
    env: { NCCL_IB_HCA: 'mlx5', NCCL_DEBUG: 'WARN' },
    platform: gpu,
    preflight: { dcgm: PreflightDcgm.hostEngine(gpu) },
  });
  return [platform, workloads];
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
