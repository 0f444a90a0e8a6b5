import { TerraformStack } from 'cdktf';
import { Accelerator, ModelSpec, Quantization, TaintEffect } from '../../lib/core';
import {
  GatewayImplementation,
  GkeDeviceNetworks,
  GpuManagement,
  GkeNcclPlugin,
  HyperdiskMlWeightCache,
  GpuNodeImage,
  GpuPlatform,
  NvSentinel,
  PreflightDcgm,
  InferenceGateway,
  InferenceGatewayPlatform,
  InferencePool,
  LlamaCppServer,
  LoraAdapter,
  MetricsCollection,
  MlflowDatabase,
  MlflowServer,
  ModelServer,
  ModelServerBackend,
  MonitoringStack,
  ServingEngine,
  ServingFabric,
  StandaloneInferencePool,
  TopologyPlacement,
  TrainingJob,
  TrainingQueues,
  TrainingTopology,
  MpiJob,
  NcclTest,
  SlurmCluster,
  SlurmOperator,
  VolumeAccessMode,
  IMAGES,
  ImagePrePuller,
  PrefetchedWeightCache,
  WeightVolume,
  WeightVolumeSource,
  WeightsSource,
  Loki,
  TelemetryStorage,
  Tempo,
  LogDestination,
  LogShipper,
  OpenCost,
  TraceBackend,
  TraceCollector,
} from '../../lib/k8s';
import { PropertyCase, runCase } from './harness';
import { inPlatform, inWorkloads, onGateway, stacks, withMonitoring } from './k8s-fixtures';

// Hostile values for every prop of every public Kubernetes construct. The Kubernetes rules the
// synthesized objects are checked against (names, labels, quantities, env names, tolerations,
// rule durations and PromQL) are in api-rules.ts.

/** Llama 3.1 405B BF16 on 2 nodes of 8 x H100, over EFA. */
const MULTI_NODE = {
  model: ModelSpec.LLAMA_3_1_405B,
  quantization: Quantization.BF16,
  accelerator: Accelerator.H100,
  weights: WeightsSource.bucket('s3://models/llama-3.1-405b/'),
  maxNodesPerReplica: 2,
  fabric: ServingFabric.efa({ devicesPerNode: 32 }),
};

const FLAVOR = {
  name: 'h100',
  nodeLabels: { 'cdktf-ai-infra/accelerator': 'h100' },
  gpus: 16,
  cpus: 180,
  memoryGiB: 1800,
};

const LORA_SERVER = {
  model: ModelSpec.LLAMA_3_1_8B,
  quantization: Quantization.AWQ,
  accelerator: Accelerator.L4,
  weights: WeightsSource.bucket('s3://models/llama-3.1-8b-awq/'),
};

/** A model server with one adapter built by `adapter` from hostile options. */
function loraServer(adapter: () => LoraAdapter): TerraformStack[] {
  const { workloads } = stacks();
  new ModelServer(workloads, 'Llama8B', { ...LORA_SERVER, loraAdapters: [adapter()] });
  return [workloads];
}

/** Queue-depth autoscaling with scale to zero, so that `replicas: 0` stays valid next to it. */
const AUTOSCALING = {
  maxReplicas: 4,
  prometheusUrl: 'http://prometheus-operated.monitoring.svc:9090',
  scaleToZero: true,
  activationQuery: 'sum(rate(ingress_requests_total[1m]))',
};

/** A toleration of the GPU taint, with every field the cases try. */
const GPU_TOLERATION = { key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' };

const cases: PropertyCase<any>[] = [
  {
    name: 'ModelServer across nodes',
    covers: 'k8s.ModelServer',
    base: () => ({
      ...MULTI_NODE,
      autoscaling: { maxReplicas: 2, prometheusUrl: AUTOSCALING.prometheusUrl },
    }),
    props: {
      name: 'string',
      maxNodesPerReplica: 'int',
      fabric: 'object',
      replicas: 'int',
      'autoscaling.maxReplicas': 'int',
      'autoscaling.prometheusUrl': 'string',
    },
    ...inWorkloads((s, p) => new ModelServer(s, 'Llama405B', p)),
  },
  {
    name: 'ServingFabric.efa',
    base: () => ({ devicesPerNode: 32 }),
    props: {
      devicesPerNode: 'int',
      hugePages2MiB: 'int',
    },
    ...inWorkloads(
      (s, p) => new ModelServer(s, 'Llama405B', { ...MULTI_NODE, fabric: ServingFabric.efa(p) }),
    ),
  },
  {
    name: 'ServingFabric.gkeDeviceNetworks',
    base: () => ({ networks: ['vpc1', 'vpc2'] }),
    props: {
      networks: 'strings',
    },
    ...inWorkloads(
      (s, p) =>
        new ModelServer(s, 'Llama405B', { ...MULTI_NODE, fabric: ServingFabric.gkeDeviceNetworks(p) }),
    ),
  },
  {
    name: 'ServingFabric.rdma',
    base: () => ({ resources: { 'rdma/ib': 8 } }),
    props: {
      resources: 'map',
    },
    ...inWorkloads(
      (s, p) => new ModelServer(s, 'Llama405B', { ...MULTI_NODE, fabric: ServingFabric.rdma(p.resources) }),
    ),
  },
  {
    name: 'TrainingJob over GKE GPUDirect (ServingFabric.gkeDeviceNetworks machineType / ncclPlugin)',
    base: () => ({
      networks: [1, 2, 3, 4, 5, 6, 7, 8].map((i) => `vpc${i}`),
      machineType: 'a3-megagpu-8g',
      ncclPlugin: 'installed',
      gpusPerNode: 8,
    }),
    props: {
      networks: 'strings',
      machineType: 'string',
      ncclPlugin: 'object',
      gpusPerNode: 'int',
    },
    build: (p) => {
      const { platform, workloads } = stacks();
      const ncclPlugin =
        p.ncclPlugin === 'installed'
          ? new GkeNcclPlugin(platform, 'NcclPlugin', { transport: 'TCPXO' })
          : p.ncclPlugin;
      new TrainingJob(workloads, 'Train', {
        image: 'pytorch/pytorch:2.13.0-cuda13.0-cudnn9-runtime',
        command: ['torchrun', 'train.py'],
        nodes: 2,
        gpusPerNode: p.gpusPerNode,
        accelerator: Accelerator.H100,
        checkpoint: { uri: 'gs://ckpt/llama/' },
        fabric: ServingFabric.gkeDeviceNetworks({
          networks: p.networks,
          machineType: p.machineType,
          ncclPlugin,
        }),
      });
      return [workloads];
    },
  },
  {
    name: 'WeightVolume (Mountpoint for S3)',
    covers: 'k8s.WeightVolume',
    base: () => ({
      namespace: 'llm',
      source: { bucketName: 'models-123', region: 'us-east-1', prefix: 'llama/' },
    }),
    props: {
      namespace: 'string',
      name: 'string',
      'source.bucketName': 'string',
      'source.region': 'string',
      'source.prefix': 'string',
      'source.readMiBPerSecond': 'number',
    },
    ...inWorkloads(
      (s, p) => new WeightVolume(s, 'Models', { ...p, source: WeightVolumeSource.s3Mountpoint(p.source) }),
    ),
  },
  {
    name: 'WeightVolume (Cloud Storage FUSE)',
    covers: 'k8s.WeightVolume',
    base: () => ({
      namespace: 'llm',
      source: { bucketName: 'models-123', onlyDir: 'llama', fileCacheGiB: 10 },
    }),
    props: {
      'source.bucketName': 'string',
      'source.onlyDir': 'string',
      'source.fileCacheGiB': 'int',
      'source.readMiBPerSecond': 'number',
    },
    ...inWorkloads((s, p) => {
      const v = new WeightVolume(s, 'Models', { ...p, source: WeightVolumeSource.gcsFuse(p.source) });
      new ModelServer(s, 'Server', {
        model: ModelSpec.LLAMA_3_1_8B,
        quantization: Quantization.AWQ,
        accelerator: Accelerator.L4,
        namespace: 'llm',
        weights: v.weights({ path: 'llama' }),
      });
    }),
  },
  {
    name: 'WeightVolume (FSx for Lustre)',
    covers: 'k8s.WeightVolume',
    base: () => ({
      namespace: 'llm',
      source: {
        fileSystemId: 'fs-0123456789abcdef0',
        dnsName: 'fs-0123456789abcdef0.fsx.us-east-1.amazonaws.com',
        mountName: 'abcdefgh',
        subPath: '/models',
        throughputMBps: 600,
      },
    }),
    props: {
      'source.fileSystemId': 'string',
      'source.dnsName': 'string',
      'source.mountName': 'string',
      'source.subPath': 'string',
      'source.throughputMBps': 'number',
    },
    ...inWorkloads(
      (s, p) => new WeightVolume(s, 'Models', { ...p, source: WeightVolumeSource.fsxLustre(p.source) }),
    ),
  },
  {
    name: 'HyperdiskMlWeightCache',
    covers: 'k8s.HyperdiskMlWeightCache',
    base: () => ({ namespace: 'llm', source: 'gs://models-123/llama/', sizeGiB: 40 }),
    props: {
      namespace: 'string',
      name: 'string',
      source: 'string',
      sizeGiB: 'int',
      throughputMiBPerSecond: 'int',
      zones: 'strings',
      serviceAccountName: 'string',
      protectFromDestroy: 'bool',
    },
    ...inWorkloads((s, p) => new HyperdiskMlWeightCache(s, 'Cache', p)),
  },
  {
    name: 'PrefetchedWeightCache',
    covers: 'k8s.PrefetchedWeightCache',
    base: () => ({
      namespace: 'llm',
      source: 's3://models-123/llama/',
      storageClassName: 'efs-sc',
      sizeGiB: 40,
      readRate: { mibPerSecond: 500, sharedByReplicas: true, source: 'EFS elastic throughput' },
    }),
    props: {
      namespace: 'string',
      name: 'string',
      source: 'string',
      storageClassName: 'string',
      sizeGiB: 'int',
      serviceAccountName: 'string',
      protectFromDestroy: 'bool',
      readRate: 'object',
      'readRate.mibPerSecond': 'number',
      'readRate.sharedByReplicas': 'bool',
      'readRate.source': 'string',
    },
    ...inWorkloads((s, p) => new PrefetchedWeightCache(s, 'Cache', p)),
  },
  {
    name: 'ImagePrePuller',
    covers: 'k8s.ImagePrePuller',
    base: () => ({
      images: [IMAGES.vllm],
      accelerator: Accelerator.L4,
      namespace: 'llm',
      tolerations: [GPU_TOLERATION],
    }),
    props: {
      images: 'object',
      'images.0.repository': 'string',
      'images.0.tag': 'string',
      namespace: 'string',
      name: 'string',
      nodeSelector: 'map',
      tolerations: 'object',
      'tolerations.0.key': 'string',
      accelerator: 'object',
      'tolerations.0.operator': 'string',
      'tolerations.0.value': 'string',
      'tolerations.0.effect': 'string',
    },
    ...inWorkloads((s, p) => new ImagePrePuller(s, 'PrePull', p)),
  },
  {
    name: 'ModelServer loraAdapters and maxLoras',
    covers: 'k8s.ModelServer',
    base: () => ({
      loraAdapters: [
        LoraAdapter.fromBucket('support', 's3://acme-models/lora/support/', { rank: 16 }),
        LoraAdapter.fromBucket('sql', 'gs://acme-models/lora/sql/', { rank: 8 }),
      ],
    }),
    props: {
      loraAdapters: 'object',
      maxLoras: 'int',
      'loraAdapters.0': 'object',
    },
    ...inWorkloads((s, p) => new ModelServer(s, 'Llama8B', { ...LORA_SERVER, ...p })),
  },
  {
    name: 'LoraAdapter.fromHuggingFace',
    base: () => ({
      name: 'sql',
      repo: 'acme/llama-sql-lora',
      options: { rank: 8, tokenSecret: { name: 'hf-token', key: 'token' } },
    }),
    props: {
      name: 'string',
      repo: 'string',
      'options.rank': 'int',
      'options.revision': 'string',
      'options.tokenSecret.name': 'string',
      'options.tokenSecret.key': 'string',
      options: 'object',
    },
    build: (p) => loraServer(() => LoraAdapter.fromHuggingFace(p.name, p.repo, p.options)),
  },
  {
    name: 'LoraAdapter.fromBucket',
    base: () => ({ name: 'support', uri: 's3://acme-models/lora/support/', options: { rank: 16 } }),
    props: {
      name: 'string',
      uri: 'string',
      'options.rank': 'int',
      'options.baseModel': 'object',
      options: 'object',
    },
    build: (p) => loraServer(() => LoraAdapter.fromBucket(p.name, p.uri, p.options)),
  },
  {
    name: 'LoraAdapter.fromVolume',
    base: () => ({ name: 'legal', claim: 'lora-claim', options: { rank: 32, path: 'legal/v2' } }),
    props: {
      name: 'string',
      claim: 'string',
      'options.rank': 'int',
      'options.path': 'string',
      options: 'object',
    },
    build: (p) => loraServer(() => LoraAdapter.fromVolume(p.name, p.claim, p.options)),
  },
  {
    name: 'StandaloneInferencePool',
    covers: 'k8s.StandaloneInferencePool',
    base: () => ({ flowControl: { requestTtlSeconds: 240 } }),
    props: {
      name: 'string',
      eppReplicas: 'int',
      eppCpu: 'string',
      eppMemoryGiB: 'number',
      proxyMode: 'string',
      proxyReplicas: 'int',
      failureMode: 'string',
      'flowControl.requestTtlSeconds': 'int',
      schedulingProfile: 'object',
      metricsCollection: 'object',
    },
    ...onGateway(
      (g, s, p) =>
        new StandaloneInferencePool(s, 'Router', { ...p, backend: ModelServerBackend.of(g.server) }),
      false,
    ),
  },
  {
    name: 'InferencePool',
    covers: 'k8s.InferencePool',
    base: () => ({}),
    props: {
      name: 'string',
      eppReplicas: 'int',
      eppCpu: 'string',
      eppMemoryGiB: 'number',
      failureMode: 'string',
      schedulingProfile: 'object',
      flowControl: 'object',
      metricsCollection: 'object',
    },
    ...onGateway(
      (g, s, p) =>
        new InferencePool(s, 'Pool', {
          ...p,
          backend: ModelServerBackend.of(g.server),
          platform: g.gatewayPlatform,
        }),
    ),
  },
  {
    name: 'InferenceGateway and addModel',
    covers: { 'k8s.InferenceGateway': '', 'k8s.InferenceGateway.addModel': 'model' },
    base: () => ({ namespace: 'llm', model: { variants: [{ weight: 100 }] } }),
    props: {
      name: 'string',
      namespace: 'string',
      'model.modelName': 'string',
      'model.variants.0.weight': 'int',
      'model.hostnames': 'strings',
      'model.requestTimeoutSeconds': 'int',
      'model.paths': 'strings',
      exposure: 'object',
      tls: 'object',
      metricsCollection: 'object',
    },
    ...onGateway((g, s, p) => {
      const { model, ...gatewayProps } = p;
      const pool = new InferencePool(s, 'Pool', {
        backend: ModelServerBackend.of(g.server),
        platform: g.gatewayPlatform,
      });
      const { variants, ...modelOptions } = model ?? {};
      new InferenceGateway(s, 'Gateway', { ...gatewayProps, platform: g.gatewayPlatform }).addModel(
        'Llama8B',
        {
          ...modelOptions,
          variants: [{ pool, weight: variants?.[0]?.weight }],
        },
      );
    }),
  },
  {
    name: 'InferenceGateway and addServiceModel (a llama.cpp server)',
    covers: 'k8s.InferenceGateway.addServiceModel',
    base: () => ({ variants: [{ weight: 100 }] }),
    props: {
      modelName: 'string',
      'variants.0.weight': 'int',
      hostnames: 'strings',
      requestTimeoutSeconds: 'int',
      paths: 'strings',
    },
    ...onGateway((g, s, p) => {
      const { variants, ...modelOptions } = p;
      const backend = new LlamaCppServer(s, 'Llama8BCpu', {
        model: ModelSpec.LLAMA_3_1_8B,
        quantization: Quantization.GGUF_Q4_K_M,
        weights: WeightsSource.bucket('s3://models/llama-3.1-8b-gguf/'),
        ggufFile: 'Llama-3.1-8B-Instruct-Q4_K_M.gguf',
        namespace: 'llm',
      });
      new InferenceGateway(s, 'Gateway', {
        namespace: 'llm',
        platform: g.gatewayPlatform,
      }).addServiceModel('Llama8BCpu', {
        ...modelOptions,
        variants: [{ backend, weight: variants?.[0]?.weight }],
      });
    }),
  },
  {
    name: 'GpuPlatform',
    covers: 'k8s.GpuPlatform',
    base: () => ({ nodeImage: GpuNodeImage.DRIVER_TOOLKIT_AND_DEVICE_PLUGIN }),
    props: {
      nodeImage: 'string',
      management: 'string',
      namespace: 'string',
      efa: 'bool',
      keda: 'bool',
      leaderWorkerSet: 'bool',
      kedaServiceAccountAnnotations: 'map',
      profilingMetrics: 'bool',
      standaloneDcgm: 'bool',
      dcgmExporter: 'bool',
      jobSet: 'bool',
      kueue: 'bool',
      mpiOperator: 'bool',
    },
    ...inPlatform((s, p) => new GpuPlatform(s, 'Gpu', p)),
  },
  {
    name: 'MonitoringStack',
    covers: 'k8s.MonitoringStack',
    base: () => ({
      grafanaAdminSecret: { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' },
      remoteWrite: { url: 'https://aps.example.com/api/v1/remote_write', sigv4Region: 'us-east-1' },
      receivers: {
        slack: { channel: '#alerts', webhookUrlSecret: { name: 'slack', key: 'url' } },
        email: {
          to: ['oncall@example.com'],
          from: 'alertmanager@example.com',
          smarthost: 'smtp.example.com:587',
        },
      },
    }),
    props: {
      releaseName: 'string',
      namespace: 'string',
      alertLabels: 'map',
      retentionDays: 'int',
      prometheusStorageGiB: 'int',
      'grafanaAdminSecret.name': 'string',
      'grafanaAdminSecret.passwordKey': 'string',
      'remoteWrite.url': 'string',
      'remoteWrite.sigv4Region': 'string',
      'receivers.slack.channel': 'string',
      'receivers.slack.webhookUrlSecret.name': 'string',
      'receivers.slack.webhookUrlSecret.key': 'string',
      'receivers.email.to': 'strings',
      'receivers.email.smarthost': 'string',
      gpuHourlyPrices: 'object',
      alertRules: 'object',
      slos: 'object',
      costAllocation: 'object',
      'receivers.pagerDuty': 'object',
      'receivers.opsgenie': 'object',
      'grafanaAdminSecret.userKey': 'string',
      'remoteWrite.serviceAccountName': 'string',
      'remoteWrite.serviceAccountAnnotations': 'map',
    },
    ...inPlatform((s, p) => new MonitoringStack(s, 'Monitoring', p)),
  },
  {
    name: 'TrainingQueues',
    covers: 'k8s.TrainingQueues',
    base: () => ({ flavors: [FLAVOR], namespaces: ['research'] }),
    props: {
      name: 'string',
      cohort: 'string',
      namespaces: 'strings',
      'namespaces.0': 'string',
      'flavors.0.name': 'string',
      'flavors.0.nodeLabels': 'map',
      'flavors.0.gpus': 'number',
      'flavors.0.memoryGiB': 'number',
      'flavors.0.nodeTaints': 'object',
      'flavors.0.extraResources': 'map',
      'flavors.0.cpus': 'number',
      preemptLowerPriority: 'bool',
      topology: 'object',
    },
    ...inWorkloads((s, p) => new TrainingQueues(s, 'Queues', p)),
  },
  {
    name: 'TrainingQueues multiKueue',
    covers: 'k8s.TrainingQueues',
    base: () => ({
      multiKueue: { workers: [{ name: 'us-east-1-h100', kubeconfigSecretName: 'worker-us-east-1' }] },
    }),
    props: {
      name: 'string',
      multiKueue: 'object',
      'multiKueue.workers': 'object',
      'multiKueue.workers.0.name': 'string',
      'multiKueue.workers.0.kubeconfigSecretName': 'string',
    },
    ...inWorkloads(
      (s, p) => new TrainingQueues(s, 'Queues', { flavors: [FLAVOR], namespaces: ['research'], ...p }),
    ),
  },
  {
    name: 'TrainingQueues topology levels (TrainingTopology.custom)',
    base: () => ({ levels: ['example.com/block', 'example.com/rack', 'kubernetes.io/hostname'] }),
    props: {
      levels: 'strings',
      'levels.0': 'string',
      'levels.2': 'string',
    },
    ...inWorkloads((s, p) => {
      new TrainingQueues(s, 'Queues', {
        flavors: [FLAVOR],
        namespaces: ['research'],
        topology: TrainingTopology.custom(p.levels),
      });
    }),
  },
  {
    name: 'TrainingJob topology',
    covers: 'k8s.TrainingJob',
    base: () => ({
      image: 'pytorch/pytorch:2.13.0-cuda13.0-cudnn9-runtime',
      command: ['torchrun', 'train.py'],
      nodes: 2,
      gpusPerNode: 8,
      accelerator: Accelerator.H100,
      checkpoint: { uri: 's3://ckpt/llama/' },
      queueName: 'training',
      topology: {
        level: 'example.com/rack',
        placement: TopologyPlacement.PREFERRED,
        levels: ['example.com/block', 'example.com/rack'],
      },
    }),
    props: {
      topology: 'object',
      'topology.level': 'string',
      'topology.placement': 'string',
      'topology.levels': 'strings',
      queueName: 'string',
    },
    ...inWorkloads((s, p) => new TrainingJob(s, 'Train', p)),
  },
  {
    name: 'MpiJob',
    covers: 'k8s.MpiJob',
    base: () => ({
      image: 'registry.example.com/ds-train:2026.12.1',
      command: ['deepspeed', '--hostfile', '/etc/mpi/hostfile', 'train.py'],
      workers: 2,
      gpusPerWorker: 8,
      accelerator: Accelerator.H100,
      queueName: 'training',
      extraResourcesPerWorker: { 'vpc.amazonaws.com/efa': 32 },
    }),
    props: {
      image: 'string',
      command: 'strings',
      workers: 'int',
      gpusPerWorker: 'int',
      name: 'string',
      namespace: 'string',
      queueName: 'string',
      mpiImplementation: 'string',
      backoffLimit: 'int',
      activeDeadlineSeconds: 'int',
      extraResourcesPerWorker: 'map',
      cpu: 'string',
      memoryGiB: 'number',
      sharedMemoryGiB: 'int',
      nodeSelector: 'map',
      env: 'map',
      runAsUser: 'int',
      sshAuthMountPath: 'string',
      workerCommand: 'strings',
      terminationGracePeriodSeconds: 'int',
      accelerator: 'object',
      eksAutoMode: 'bool',
      preflight: 'object',
      tolerations: 'object',
      serviceAccountName: 'string',
    },
    ...inWorkloads((s, p) => new MpiJob(s, 'Mpi', p)),
  },
  {
    name: 'NcclTest',
    covers: 'k8s.NcclTest',
    base: () => ({
      image: 'registry.example.com/nccl-tests:2.27.7-efa',
      workers: 2,
      gpusPerWorker: 8,
      accelerator: Accelerator.H100,
      minBusBandwidthGBps: 300,
    }),
    props: {
      image: 'string',
      workers: 'int',
      gpusPerWorker: 'int',
      minBusBandwidthGBps: 'number',
      binary: 'string',
      minBytes: 'string',
      maxBytes: 'string',
      iterations: 'int',
      timeoutSeconds: 'int',
      env: 'map',
      name: 'string',
      accelerator: 'object',
      namespace: 'string',
      queueName: 'string',
      mpiImplementation: 'string',
      extraResourcesPerWorker: 'map',
      eksAutoMode: 'bool',
      preflight: 'object',
      cpu: 'string',
      memoryGiB: 'number',
      sharedMemoryGiB: 'number',
      nodeSelector: 'map',
      tolerations: 'object',
      serviceAccountName: 'string',
      runAsUser: 'int',
      sshAuthMountPath: 'string',
      workerCommand: 'strings',
      terminationGracePeriodSeconds: 'int',
    },
    ...inWorkloads((s, p) => new NcclTest(s, 'Nccl', p)),
  },
  {
    name: 'SlurmOperator',
    covers: 'k8s.SlurmOperator',
    base: () => ({ watchNamespaces: ['slurm'] }),
    props: {
      namespace: 'string',
      watchNamespaces: 'strings',
      certManager: 'bool',
    },
    ...inPlatform((s, p) => new SlurmOperator(s, 'Slurm', p)),
  },
  {
    name: 'GkeNcclPlugin',
    covers: 'k8s.GkeNcclPlugin',
    base: () => ({ transport: 'RDMA' }),
    props: {
      transport: 'string',
    },
    ...inPlatform((s, p) => new GkeNcclPlugin(s, 'Nccl', p)),
  },
  {
    name: 'SlurmCluster',
    covers: 'k8s.SlurmCluster',
    base: () => ({
      login: { rootAuthorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ2x3kq alice@example.com'] },
      accounting: {
        host: 'slurm-db.example.internal',
        username: 'slurm',
        passwordSecret: { name: 'db', key: 'pw' },
      },
      sharedVolume: { claimName: 'checkpoints' },
      slurmConf: { SchedulerParameters: 'bf_continue' },
      stateStorage: { sizeGiB: 8 },
      authKeys: { slurmKey: { name: 'auth', key: 'slurm.key' }, jwtKey: { name: 'auth', key: 'jwt.key' } },
    }),
    props: {
      name: 'string',
      clusterName: 'string',
      namespace: 'string',
      createNamespace: 'bool',
      'stateStorage.sizeGiB': 'int',
      'stateStorage.storageClassName': 'string',
      'stateStorage.protectFromDestroy': 'bool',
      'login.rootAuthorizedKeys': 'strings',
      'login.replicas': 'int',
      'login.serviceType': 'string',
      'login.serviceAnnotations': 'map',
      'accounting.host': 'string',
      'accounting.port': 'int',
      'accounting.database': 'string',
      'accounting.username': 'string',
      'accounting.passwordSecret.name': 'string',
      'accounting.passwordSecret.key': 'string',
      'sharedVolume.claimName': 'string',
      'sharedVolume.mountPath': 'string',
      slurmConf: 'map',
      'authKeys.slurmKey.name': 'string',
      'authKeys.jwtKey.key': 'string',
      'login.sssdConf': 'object',
    },
    ...inWorkloads((s, p) => {
      new SlurmCluster(s, 'Slurm', p).addNodeSet('H100', {
        accelerator: Accelerator.H100,
        replicas: 2,
        gpusPerNode: 8,
      });
    }, false),
  },
  {
    name: 'SlurmCluster.addNodeSet',
    covers: 'k8s.SlurmCluster.addNodeSet',
    base: () => ({
      accelerator: Accelerator.H100,
      replicas: 2,
      gpusPerNode: 8,
      extraResourcesPerNode: { 'vpc.amazonaws.com/efa': 32 },
    }),
    props: {
      replicas: 'int',
      gpusPerNode: 'int',
      name: 'string',
      partition: 'bool',
      defaultPartition: 'bool',
      cpu: 'string',
      memoryGiB: 'int',
      sharedMemoryGiB: 'int',
      extraResourcesPerNode: 'map',
      nodeSelector: 'map',
      gresType: 'string',
      accelerator: 'object',
      tolerations: 'object',
    },
    ...inWorkloads((s, p) => new SlurmCluster(s, 'Slurm').addNodeSet('H100', p), false),
  },
  {
    name: 'GkeDeviceNetworks',
    covers: 'k8s.GkeDeviceNetworks',
    base: () => ({ networks: [{ name: 'gpu-1', vpc: 'gpu-net-1', subnet: 'gpu-subnet-1' }] }),
    props: {
      'networks.0.name': 'string',
      'networks.0.vpc': 'string',
      'networks.0.subnet': 'string',
      machineType: 'string',
      networks: 'object',
      'networks.0.deviceMode': 'string',
    },
    ...inPlatform((s, p) => new GkeDeviceNetworks(s, 'Nets', p)),
  },
  {
    name: 'ModelServer with ServingEngine.SGLANG',
    covers: 'k8s.ModelServer',
    base: () => ({
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L4,
      engine: ServingEngine.SGLANG,
      weights: WeightsSource.huggingFace('hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4'),
      autoscaling: { maxReplicas: 2, prometheusUrl: AUTOSCALING.prometheusUrl },
    }),
    props: {
      servedModelName: 'string',
      maxModelLen: 'int',
      gpuMemoryUtilization: 'number',
      concurrentSequences: 'int',
      kvCacheDtype: 'string',
      extraArgs: 'strings',
      'autoscaling.maxReplicas': 'int',
    },
    ...inWorkloads((s, p) => new ModelServer(s, 'Llama8B', p)),
  },
  {
    name: 'ServingEngine.tritonTensorRtLlm (multi-GPU options)',
    base: () => ({ tensorParallelSize: 4 }),
    props: {
      tensorParallelSize: 'int',
      pipelineParallelSize: 'int',
    },
    ...inWorkloads((s, p) => {
      new ModelServer(s, 'Llama70B', {
        model: ModelSpec.LLAMA_3_1_70B,
        quantization: Quantization.FP8,
        accelerator: Accelerator.L40S,
        engine: ServingEngine.tritonTensorRtLlm(p),
        weights: WeightsSource.volume('trtllm', { accessMode: VolumeAccessMode.READ_ONLY_MANY }),
      });
    }),
  },
  {
    name: 'MetricsCollection.managedPrometheus',
    base: () => ({ project: 'my-proj' }),
    props: {
      project: 'string',
      projectId: 'string',
      scrapeIntervalSeconds: 'int',
    },
    build: (p) => {
      MetricsCollection.managedPrometheus(p);
      return [];
    },
  },
  {
    name: 'TelemetryStorage.s3 and .gcs',
    base: () => ({ bucket: 'acme-telemetry', region: 'us-west-2' }),
    props: {
      bucket: 'string',
      region: 'string',
    },
    build: (p) => {
      TelemetryStorage.s3(p);
      TelemetryStorage.gcs({ bucket: p.bucket });
      return [];
    },
  },
  {
    name: 'Tempo',
    covers: 'k8s.Tempo',
    base: () => ({ storage: TelemetryStorage.s3({ bucket: 'acme-traces', region: 'us-west-2' }) }),
    props: {
      storage: 'object',
      retentionDays: 'int',
      namespace: 'string',
      releaseName: 'string',
      volumeSizeGiB: 'int',
      storageClassName: 'string',
      memoryMiB: 'int',
      serviceAccountAnnotations: 'map',
    },
    ...inPlatform((s, p) => new Tempo(s, 'Tempo', p)),
  },
  {
    name: 'InferenceGatewayPlatform',
    covers: 'k8s.InferenceGatewayPlatform',
    base: () => ({ implementation: GatewayImplementation.istio() }),
    props: {
      implementation: 'object',
      crds: 'string',
    },
    ...inPlatform((s, p) => new InferenceGatewayPlatform(s, 'InferenceGateway', p)),
  },
  {
    name: 'NvSentinel',
    covers: 'k8s.NvSentinel',
    base: () => ({ trainingNamespaces: ['training'] }),
    props: {
      namespace: 'string',
      dryRun: 'bool',
      installCertManager: 'bool',
      trainingNamespaces: 'strings',
      defaultEvictionMode: 'string',
    },
    ...inPlatform((s, p) => {
      const gpu = new GpuPlatform(s, 'Gpu', {
        nodeImage: GpuNodeImage.DRIVER_AND_TOOLKIT,
        management: GpuManagement.GPU_OPERATOR,
        standaloneDcgm: true,
      });
      new NvSentinel(s, 'NvSentinel', { ...p, platform: gpu });
    }),
  },
  {
    name: 'Loki',
    covers: 'k8s.Loki',
    base: () => ({
      storage: TelemetryStorage.gcs({ bucket: 'acme-logs' }),
      logAlerts: { matchers: ['namespace="llm"'], windowMinutes: 5 },
    }),
    props: {
      storage: 'object',
      retentionDays: 'int',
      replicas: 'int',
      namespace: 'string',
      releaseName: 'string',
      volumeSizeGiB: 'int',
      storageClassName: 'string',
      memoryMiB: 'int',
      alertmanagerUrl: 'string',
      'logAlerts.matchers': 'strings',
      'logAlerts.windowMinutes': 'int',
      serviceAccountAnnotations: 'map',
    },
    ...inPlatform((s, p) => new Loki(s, 'Loki', p)),
  },
  {
    name: 'TrainingJob.preflight (DCGM host engine)',
    covers: 'k8s.TrainingJob:preflight',
    base: () => ({ ncclInit: true, timeoutSeconds: 300 }),
    props: {
      ncclInit: 'bool',
      timeoutSeconds: 'int',
    },
    build: (p) => {
      const { platform, workloads } = stacks();
      const gpu = new GpuPlatform(platform, 'Gpu', {
        nodeImage: GpuNodeImage.DRIVER_AND_TOOLKIT,
        management: GpuManagement.GPU_OPERATOR,
        standaloneDcgm: true,
      });
      new TrainingJob(workloads, 'Train', {
        image: 'pytorch/pytorch:2.13.0-cuda13.0-cudnn9-runtime',
        command: ['torchrun', 'train.py'],
        nodes: 2,
        gpusPerNode: 8,
        accelerator: Accelerator.H100,
        checkpoint: { uri: 's3://ckpt/llama/' },
        platform: gpu,
        preflight: { ...p, dcgm: PreflightDcgm.hostEngine(gpu) },
      });
      return [workloads];
    },
  },
  {
    name: 'TraceCollector',
    covers: 'k8s.TraceCollector',
    base: () => ({ backends: [TraceBackend.tempo({ otlpEndpoint: 'tempo-distributor.tracing.svc:4317' })] }),
    props: {
      backends: 'object',
      'backends.0': 'object',
      samplingRatio: 'number',
      namespace: 'string',
      releaseName: 'string',
      replicas: 'int',
      memoryMiB: 'int',
      serviceAccountAnnotations: 'map',
    },
    ...inPlatform((s, p) => new TraceCollector(s, 'Traces', p)),
  },
  {
    name: 'TraceBackend.tempo / awsXRay / googleCloudTrace on a TraceCollector',
    base: () => ({
      tempo: {
        otlpEndpoint: 'tempo-distributor.tracing.svc:4317',
        insecure: true,
        queryUrl: 'http://tempo-query-frontend.tracing.svc:3200',
      },
      xray: { region: 'us-west-2' },
      cloudTrace: { project: 'my-proj' },
    }),
    props: {
      'tempo.otlpEndpoint': 'string',
      'tempo.insecure': 'bool',
      'tempo.queryUrl': 'string',
      'xray.region': 'string',
      'cloudTrace.project': 'string',
      'cloudTrace.projectId': 'string',
    },
    ...inPlatform((s, p) => {
      // One Tempo data source per monitoring stack: a new one for each value.
      const monitoring = new MonitoringStack(s, 'Monitoring');
      new TraceCollector(s, 'Traces', {
        backends: [
          TraceBackend.tempo(p.tempo),
          TraceBackend.awsXRay(p.xray),
          TraceBackend.googleCloudTrace(p.cloudTrace),
        ],
        monitoring,
      });
    }),
  },
  {
    name: 'LogShipper',
    covers: 'k8s.LogShipper',
    base: () => ({ destinations: [LogDestination.loki({ host: 'loki-gateway.loki.svc' })] }),
    props: {
      destinations: 'object',
      'destinations.0': 'object',
      namespace: 'string',
      releaseName: 'string',
    },
    ...inPlatform((s, p) => new LogShipper(s, 'Logs', p)),
  },
  {
    name: 'LogDestination.cloudWatch / loki on a LogShipper',
    base: () => ({
      cloudWatch: { region: 'us-west-2', logGroupName: '/eks/ml/containers' },
      loki: { host: 'loki-gateway.loki.svc', port: 80, tls: false, tenantId: 'ml' },
    }),
    props: {
      'cloudWatch.region': 'string',
      'cloudWatch.logGroupName': 'string',
      'loki.host': 'string',
      'loki.port': 'int',
      'loki.tls': 'bool',
      'loki.tenantId': 'string',
    },
    ...inPlatform((s, p) => {
      new LogShipper(s, 'Logs', {
        destinations: [LogDestination.cloudWatch(p.cloudWatch), LogDestination.loki(p.loki)],
      });
    }),
  },
  {
    name: 'OpenCost',
    covers: 'k8s.OpenCost',
    base: () => ({
      gpuHourlyPrices: [
        {
          accelerator: Accelerator.L4,
          price: { usd: 0.8, region: 'us-east-1', asOf: '2026-08-01', source: 'list price' },
        },
      ],
    }),
    props: {
      gpuHourlyPrices: 'object',
      'gpuHourlyPrices.0.accelerator': 'object',
      'gpuHourlyPrices.0.price': 'object',
      'gpuHourlyPrices.0.price.usd': 'number',
      'gpuHourlyPrices.0.price.region': 'string',
      'gpuHourlyPrices.0.price.asOf': 'string',
      cpuCoreHourlyUsd: 'number',
      memoryGiBHourlyUsd: 'number',
      billingExportSecret: 'string',
      namespace: 'string',
      releaseName: 'string',
      clusterId: 'string',
    },
    ...withMonitoring((s, monitoring, p) => new OpenCost(s, 'OpenCost', { monitoring, ...p })),
  },
  {
    name: 'MonitoringStack.addScrapeTarget / addTraceDataSource / addLogDataSource',
    covers: {
      'k8s.MonitoringStack.addScrapeTarget': 'target',
      'k8s.MonitoringStack.addTraceDataSource': 'trace',
      'k8s.MonitoringStack.addLogDataSource': 'log',
    },
    base: () => ({
      target: { name: 'vllm', namespace: 'llm', matchLabels: { app: 'vllm' }, port: 'metrics' },
      trace: { url: 'http://tempo-query-frontend.tracing.svc:3200' },
      log: { url: 'http://loki.loki.svc:3100' },
    }),
    props: {
      'target.name': 'string',
      'target.namespace': 'string',
      'target.matchLabels': 'map',
      'target.port': 'string',
      'target.scheme': 'string',
      'target.serviceAccountAuth': 'bool',
      'trace.url': 'string',
      'trace.name': 'string',
      'log.url': 'string',
      'log.name': 'string',
    },
    ...inPlatform((s, p) => {
      const m = new MonitoringStack(s, 'Monitoring');
      m.addScrapeTarget(p.target);
      m.addTraceDataSource(p.trace);
      m.addLogDataSource(p.log);
    }),
  },
];

/**
 * Constructs other engineers own (engine and sizing refactors in progress): covered through
 * their public props only. What the suite found there is reported to their owners and listed
 * here so a new finding still fails; remove an entry when its owner fixes it.
 */
const OWNED_ELSEWHERE: Array<PropertyCase<any> & { known: RegExp[] }> = [
  {
    name: 'LlamaCppServer',
    covers: 'k8s.LlamaCppServer',
    base: () => ({
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.GGUF_Q4_K_M,
      weights: WeightsSource.bucket('s3://models/llama-3.1-8b-gguf/'),
      ggufFile: 'Llama-3.1-8B-Instruct-Q4_K_M.gguf',
      autoscaling: AUTOSCALING,
      networkPolicy: { enabled: true, clientNamespaces: ['gateway'], allowSameNamespace: true },
    }),
    props: {
      ggufFile: 'string',
      name: 'string',
      namespace: 'string',
      servedModelName: 'string',
      maxModelLen: 'int',
      parallel: 'int',
      vcpus: 'int',
      memoryGiB: 'int',
      replicas: 'int',
      startupTimeoutMinutes: 'int',
      extraArgs: 'strings',
      env: 'map',
      nodeSelector: 'map',
      accelerator: 'object',
      cacheType: 'string',
      quantization: 'object',
      'autoscaling.maxReplicas': 'int',
      'autoscaling.prometheusUrl': 'string',
      'networkPolicy.enabled': 'bool',
      'networkPolicy.clientNamespaces': 'strings',
      'networkPolicy.allowSameNamespace': 'bool',
      'networkPolicy.clientCidrs': 'strings',
      podDisruptionBudget: 'bool',
      model: 'object',
      weights: 'object',
      engine: 'object',
      image: 'object',
      tolerations: 'object',
      metricsCollection: 'object',
      'autoscaling.targetQueueDepthPerReplica': 'int',
      'autoscaling.activationQueueDepth': 'int',
      'autoscaling.scaleToZero': 'bool',
      'autoscaling.activationQuery': 'string',
      'autoscaling.ignoreNullValues': 'bool',
      'autoscaling.cooldownSeconds': 'int',
      'autoscaling.schedule': 'object',
    },
    known: [],
    ...inWorkloads((s, p) => new LlamaCppServer(s, 'Llama8BCpu', p)),
  },
  {
    name: 'ModelServer',
    covers: 'k8s.ModelServer',
    base: () => ({
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L4,
      weights: WeightsSource.bucket('s3://models/llama-3.1-8b-awq/'),
      tolerations: [GPU_TOLERATION],
      autoscaling: AUTOSCALING,
    }),
    props: {
      name: 'string',
      namespace: 'string',
      servedModelName: 'string',
      maxModelLen: 'int',
      gpuMemoryUtilization: 'number',
      replicas: 'int',
      drainSeconds: 'int',
      nodeSelector: 'map',
      'tolerations.0.key': 'string',
      serviceAccountName: 'string',
      cpu: 'string',
      memoryGiB: 'number',
      extraArgs: 'strings',
      env: 'map',
      'autoscaling.maxReplicas': 'int',
      'autoscaling.activationQuery': 'string',
      'autoscaling.prometheusUrl': 'string',
      maxNodesPerReplica: 'int',
      fabric: 'object',
      hybridKvCacheManager: 'bool',
      model: 'object',
      quantization: 'object',
      accelerator: 'object',
      weights: 'object',
      'autoscaling.targetQueueDepthPerReplica': 'int',
      'autoscaling.activationQueueDepth': 'int',
      'autoscaling.scaleToZero': 'bool',
      'autoscaling.ignoreNullValues': 'bool',
      'autoscaling.cooldownSeconds': 'int',
      'autoscaling.schedule': 'object',
      metricsCollection: 'object',
      detailedTraces: 'bool',
      startupTimeoutMinutes: 'int',
      weightsLoadMiBPerSecond: 'number',
      'tolerations.0.operator': 'string',
      'tolerations.0.value': 'string',
      'tolerations.0.effect': 'string',
      sharedMemoryGiB: 'number',
      image: 'object',
      readOnlyRootFilesystem: 'bool',
      networkPolicy: 'object',
      podDisruptionBudget: 'bool',
    },
    known: [],
    ...inWorkloads((s, p) => new ModelServer(s, 'Llama8B', p)),
  },
  {
    name: 'TrainingJob',
    covers: 'k8s.TrainingJob',
    base: () => ({
      image: 'pytorch/pytorch:2.13.0-cuda13.0-cudnn9-runtime',
      command: ['torchrun', 'train.py'],
      nodes: 2,
      gpusPerNode: 8,
      accelerator: Accelerator.H100,
      checkpoint: { uri: 's3://ckpt/llama/' },
      preflight: { ncclInit: true, timeoutSeconds: 600 },
    }),
    props: {
      image: 'string',
      command: 'strings',
      nodes: 'int',
      gpusPerNode: 'int',
      name: 'string',
      namespace: 'string',
      queueName: 'string',
      'checkpoint.uri': 'string',
      maxRestarts: 'int',
      extraResourcesPerNode: 'map',
      cpu: 'string',
      memoryGiB: 'number',
      masterPort: 'int',
      'preflight.ncclInit': 'bool',
      'preflight.timeoutSeconds': 'int',
      fabric: 'object',
      accelerator: 'object',
      doNotDisrupt: 'bool',
      'checkpoint.claimName': 'string',
      'checkpoint.mountPath': 'string',
      terminationGracePeriodSeconds: 'int',
      sharedMemoryGiB: 'number',
      nodeSelector: 'map',
      tolerations: 'object',
      env: 'map',
      serviceAccountName: 'string',
      runAsUser: 'int',
      readOnlyRootFilesystem: 'bool',
      'preflight.dcgm': 'object',
    },
    known: [],
    ...inWorkloads((s, p) => new TrainingJob(s, 'Train', p)),
  },
  {
    name: 'MlflowServer',
    covers: 'k8s.MlflowServer',
    base: () => ({
      database: MlflowDatabase.awsSecretsManager({
        host: 'mlflow.abc123.us-east-1.rds.amazonaws.com',
        secretArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:rds!db-0a1b2c3d-AbCdEf',
        region: 'us-east-1',
      }),
      artifactsDestination: 's3://acme-mlflow/artifacts',
      adminSecretName: 'mlflow-admin',
      route: { gatewayName: 'internal', gatewayNamespace: 'gateway', hostnames: ['mlflow.example.com'] },
    }),
    props: {
      artifactsDestination: 'string',
      adminSecretName: 'string',
      defaultPermission: 'string',
      namespace: 'string',
      name: 'string',
      replicas: 'int',
      workers: 'int',
      cpu: 'string',
      memory: 'string',
      'route.gatewayName': 'string',
      'route.gatewayNamespace': 'string',
      'route.hostnames': 'strings',
      database: 'object',
      image: 'object',
    },
    known: [],
    ...inWorkloads((s, p) => new MlflowServer(s, 'Mlflow', p)),
  },
  {
    name: 'MlflowDatabase.kubernetesSecret',
    base: () => ({ host: '10.20.0.3', secretName: 'mlflow-db' }),
    props: {
      host: 'string',
      port: 'int',
      database: 'string',
      authDatabase: 'string',
      secretName: 'string',
    },
    known: [],
    ...inWorkloads((s, p) => {
      new MlflowServer(s, 'Mlflow', {
        database: MlflowDatabase.kubernetesSecret(p),
        artifactsDestination: 'gs://acme-mlflow/artifacts',
        adminSecretName: 'mlflow-admin',
      });
    }),
  },
  {
    name: 'TrainingJob tracking',
    covers: 'k8s.TrainingJob:tracking',
    base: () => ({
      server: { trackingUri: 'http://mlflow.mlflow.svc.cluster.local:5000' },
      credentialsSecretName: 'mlflow-trainer',
    }),
    props: {
      'server.trackingUri': 'string',
      credentialsSecretName: 'string',
      experimentName: 'string',
    },
    known: [],
    ...inWorkloads((s, p) => {
      new TrainingJob(s, 'Train', {
        image: 'pytorch/pytorch:2.13.0-cuda13.0-cudnn9-runtime',
        command: ['torchrun', 'train.py'],
        nodes: 1,
        gpusPerNode: 8,
        checkpoint: { uri: 's3://ckpt/llama/' },
        tracking: p,
      });
    }),
  },
  {
    name: 'MlflowServer networkPolicy',
    covers: 'k8s.MlflowServer:networkPolicy',
    base: () => ({
      clients: [{ namespace: 'training', podLabels: { app: 'trainer' } }],
      clientCidrs: ['10.1.0.0/24'],
      databaseCidrs: ['10.0.64.0/20'],
      extraEgress: [{ cidr: '10.2.0.0/16', port: 8443 }],
    }),
    props: {
      enabled: 'bool',
      allowSameNamespace: 'bool',
      clients: 'object',
      'clients.0.namespace': 'string',
      'clients.0.podLabels': 'map',
      clientCidrs: 'strings',
      databaseCidrs: 'strings',
      extraEgress: 'object',
      'extraEgress.0.cidr': 'string',
      'extraEgress.0.port': 'int',
    },
    known: [],
    ...inWorkloads((s, p) => {
      new MlflowServer(s, 'Mlflow', {
        database: MlflowDatabase.kubernetesSecret({ host: '10.20.0.3', secretName: 'mlflow-db' }),
        artifactsDestination: 'gs://acme-mlflow/artifacts',
        adminSecretName: 'mlflow-admin',
        networkPolicy: p,
      });
    }),
  },
  {
    name: 'TrainingJob on EKS Auto Mode',
    covers: 'k8s.TrainingJob',
    base: () => ({ eksAutoMode: true, extraResourcesPerNode: { 'vpc.amazonaws.com/efa': 32 } }),
    props: {
      eksAutoMode: 'bool',
      extraResourcesPerNode: 'map',
    },
    known: [],
    ...inWorkloads((s, p) => {
      new TrainingJob(s, 'Train', {
        image: 'pytorch/pytorch:2.13.0-cuda13.0-cudnn9-runtime',
        command: ['torchrun', 'train.py'],
        nodes: 2,
        gpusPerNode: 8,
        checkpoint: { uri: 's3://ckpt/llama/' },
        ...p,
      });
    }),
  },
];

describe('property: every Kubernetes construct and prop, hostile values', () => {
  test.each(cases.map((c) => [c.name, c]))(
    '%s: only ValidationError, no value the API server rejects',
    (_n, c) => {
      expect(runCase(c, 10)).toEqual([]);
    },
  );
  test.each(OWNED_ELSEWHERE.map((c) => [c.name, c]))('%s: no finding beyond the reported ones', (_n, c) => {
    const found = runCase(c, 10);
    expect(found.filter((f) => !c.known.some((k) => k.test(f)))).toEqual([]);
  });
});

test('taint effects in the fixtures are the core enum', () => {
  expect(TaintEffect.NO_SCHEDULE).toBe('NoSchedule');
});
