import { App, TerraformStack, Testing } from 'cdktf';
import {
  Accelerator,
  Capacity,
  KvCacheDtype,
  LlamaCppCacheType,
  ModelSpec,
  Quantization,
  RopeScalingType,
  TaintEffect,
} from '../../lib/core';
import {
  GpuManagement,
  GpuNodeImage,
  GpuPlatform,
  IMAGES,
  ImagePrePuller,
  GatewayImplementation,
  InferenceGateway,
  InferenceGatewayPlatform,
  LlamaCppServer,
  LlamaCppServerProps,
  LoraAdapter,
  MetricsCollection,
  ModelServer,
  ModelServerBackend,
  ModelServerProps,
  MonitoringStack,
  MpiJob,
  PrefetchedWeightCache,
  HyperdiskMlWeightCache,
  ServingEngine,
  ServingFabric,
  StandaloneInferencePool,
  StandaloneProxyMode,
  TrainingQueues,
  VolumeAccessMode,
  WeightVolume,
  WeightVolumeSource,
  LogDestination,
  LogShipper,
  MlflowDatabase,
  MlflowServer,
  OpenCost,
  SlurmCluster,
  SlurmLoginServiceType,
  SlurmOperator,
  TraceBackend,
  TraceCollector,
  WeightsSource,
  Loki,
  TelemetryStorage,
  Tempo,
  NvSentinel,
  PreflightDcgm,
  TrainingJob,
  GkeGpuDirectTransport,
  GkeNcclPlugin,
} from '../../lib/k8s';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { AutoModeGpuNodePool } from '../../lib/aws/auto-mode-node-pool';
import { EksCluster } from '../../lib/aws/cluster';
import { GpuNetwork } from '../../lib/aws/network';
import { EbsStorageClass, VolumeReclaimPolicy } from '../../lib/aws/ebs-storage-class';
import { platformAndWorkloads } from '../k8s/helpers';
import { synthApp, synthJson } from '../util';
import type { SynthesizedStack } from './fixtures';

/** Builds and synthesizes the configurations of `constructStacks()` (test/consumers/fixtures.ts). */
/** An `infra` stack in us-east-1 with a two-zone GpuNetwork (training zone us-east-1a). */
function awsInfra(app: App): { infra: TerraformStack; network: GpuNetwork } {
  const infra = new TerraformStack(app, 'infra');
  new AwsProvider(infra, 'aws', { region: 'us-east-1' });
  const network = new GpuNetwork(infra, 'Network', {
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    trainingAvailabilityZone: 'us-east-1a',
  });
  return { infra, network };
}

export function buildConstructStacks(): SynthesizedStack[] {
  const out: SynthesizedStack[] = [];
  const synth = (name: string, stack: TerraformStack) => out.push({ name, json: synthJson(stack) });

  for (const [mode, nodeImage, management] of [
    ['drivers preinstalled', GpuNodeImage.DRIVER_AND_TOOLKIT, undefined],
    ['GPU Operator', GpuNodeImage.NO_GPU_SOFTWARE, GpuManagement.GPU_OPERATOR],
  ] as const) {
    const { platform, workloads } = platformAndWorkloads();
    const monitoring = new MonitoringStack(platform, 'Monitoring', {
      receivers: {
        slack: { webhookUrlSecret: { name: 'alerting', key: 'slack-url' }, channel: '#ml-alerts' },
        pagerDuty: { routingKeySecret: { name: 'alerting', key: 'pagerduty' } },
        opsgenie: { apiKeySecret: { name: 'alerting', key: 'opsgenie' } },
        email: {
          to: ['oncall@example.com'],
          from: 'alerts@example.com',
          smarthost: 'smtp.example.com:587',
          username: 'alerts',
          passwordSecret: { name: 'alerting', key: 'smtp-password' },
        },
      },
    });
    const gpu = new GpuPlatform(platform, 'Gpu', {
      nodeImage,
      ...(management ? { management } : {}),
      monitoring,
      leaderWorkerSet: true,
      mpiOperator: management !== undefined,
    });
    new TrainingQueues(workloads, 'Queues', {
      platform: gpu,
      cohort: 'research',
      namespaces: ['training', 'research'],
      flavors: [
        {
          name: 'h100-spot',
          nodeLabels: { 'cdktf-ai-infra/accelerator': 'h100', 'cdktf-ai-infra/capacity': 'spot' },
          nodeTaints: [{ key: 'spot', value: 'true', effect: TaintEffect.NO_SCHEDULE }],
          gpus: 64,
          cpus: 1536,
          memoryGiB: 16384,
        },
        {
          name: 'h100-on-demand',
          nodeLabels: { 'cdktf-ai-infra/accelerator': 'h100' },
          gpus: 16,
          cpus: 384,
          memoryGiB: 4096,
        },
      ],
    });
    if (gpu.mpiOperatorInstalled) {
      new MpiJob(workloads, 'DeepSpeed', {
        platform: gpu,
        image: 'registry.example.com/ds-train:2026.12.1',
        command: ['deepspeed', '--hostfile', '/etc/mpi/hostfile', 'train.py'],
        workers: 2,
        gpusPerWorker: 8,
        accelerator: Accelerator.H100,
        namespace: 'training',
        queueName: 'training',
        activeDeadlineSeconds: 86400,
        extraResourcesPerWorker: { 'vpc.amazonaws.com/efa': 32, 'hugepages-2Mi': '5120Mi' },
      });
    }
    synth(`GpuPlatform + MonitoringStack (${mode})`, platform);
    synth(`TrainingQueues (${mode})`, workloads);
  }

  const servers: Array<[string, Partial<ModelServerProps>]> = [
    [
      'vLLM, Hugging Face weights, scale to zero',
      {
        weights: WeightsSource.huggingFace('meta-llama/Llama-3.1-8B-Instruct', { revision: 'main' }),
        quantization: Quantization.BF16,
        accelerator: Accelerator.L40S,
        autoscaling: {
          maxReplicas: 4,
          scaleToZero: true,
          activationQuery: 'sum(rate(envoy_cluster_upstream_rq_total{envoy_cluster_name="llm"}[1m]))',
        },
      },
    ],
    [
      'vLLM, streamed bucket weights, FP8 on H100',
      {
        weights: WeightsSource.bucket('gs://models/llama-3.1-70b-fp8/'),
        model: ModelSpec.LLAMA_3_1_70B,
        quantization: Quantization.FP8,
        accelerator: Accelerator.H100,
        metricsCollection: MetricsCollection.managedPrometheus({ project: 'my-project' }),
        autoscaling: { maxReplicas: 2 },
      },
    ],
    [
      'vLLM, shared volume weights',
      {
        weights: WeightsSource.volume('model-cache', {
          accessMode: VolumeAccessMode.READ_WRITE_MANY,
          path: 'llama-3.1-8b',
        }),
      },
    ],
    [
      'vLLM, FP8 KV cache, YaRN rope scaling the checkpoint lacks',
      {
        model: ModelSpec.QWEN3_8B.withRopeScaling({
          type: RopeScalingType.YARN,
          factor: 4,
          originalMaxPositionEmbeddings: 32768,
          inCheckpointConfig: false,
        }),
        weights: WeightsSource.huggingFace('Qwen/Qwen3-8B', { revision: 'main' }),
        quantization: Quantization.BF16,
        accelerator: Accelerator.H100,
        kvCacheDtype: KvCacheDtype.FP8,
      },
    ],
    [
      'vLLM, LoRA adapters from a bucket, Hugging Face and a volume',
      {
        loraAdapters: [
          LoraAdapter.fromBucket('support', 's3://acme-models/lora/support/', { rank: 16 }),
          LoraAdapter.fromHuggingFace('sql', 'acme/llama-sql-lora', { rank: 8, revision: 'main' }),
          LoraAdapter.fromVolume('legal', 'lora-adapters', { rank: 32, path: 'legal/v2' }),
        ],
        maxLoras: 2,
      },
    ],
    [
      'Triton + TensorRT-LLM',
      {
        engine: ServingEngine.TRITON_TENSORRT_LLM,
        weights: WeightsSource.bucket('s3://models/llama-3.1-8b-trtllm-l40s/'),
        accelerator: Accelerator.L40S,
      },
    ],
    [
      'Triton + TensorRT-LLM on 4 GPUs (MPI)',
      {
        engine: ServingEngine.TRITON_TENSORRT_LLM,
        weights: WeightsSource.bucket('s3://models/llama-3.1-70b-fp8-trtllm-tp4-l40s/'),
        model: ModelSpec.LLAMA_3_1_70B,
        quantization: Quantization.FP8,
        accelerator: Accelerator.L40S,
      },
    ],
    [
      'SGLang, Hugging Face weights, FP8 KV cache, autoscaling',
      {
        engine: ServingEngine.SGLANG,
        weights: WeightsSource.huggingFace('meta-llama/Llama-3.1-8B-Instruct', { revision: 'main' }),
        quantization: Quantization.BF16,
        accelerator: Accelerator.L40S,
        kvCacheDtype: KvCacheDtype.FP8,
        autoscaling: { maxReplicas: 3 },
      },
    ],
    ...(
      [
        ['EFA, autoscaled', ServingFabric.efa({ devicesPerNode: 32 }), { maxReplicas: 2 }],
        ['GKE device networks', ServingFabric.gkeDeviceNetworks({ networks: ['vpc1', 'vpc2'] }), undefined],
        ['on-prem RDMA', ServingFabric.rdma({ 'rdma/ib': 8 }), undefined],
      ] as const
    ).map(([fabricName, fabric, autoscaling]): [string, Partial<ModelServerProps>] => [
      `vLLM across 2 nodes (LeaderWorkerSet), ${fabricName}`,
      {
        model: ModelSpec.LLAMA_3_1_405B,
        quantization: Quantization.BF16,
        accelerator: Accelerator.H100,
        weights: WeightsSource.bucket('s3://models/llama-3.1-405b/'),
        maxNodesPerReplica: 2,
        fabric,
        ...(autoscaling ? { autoscaling } : {}),
      },
    ]),
    [
      'SGLang, YaRN rope scaling the checkpoint lacks (--json-model-override-args)',
      {
        engine: ServingEngine.SGLANG,
        model: ModelSpec.QWEN3_8B.withRopeScaling({
          type: RopeScalingType.YARN,
          factor: 4,
          originalMaxPositionEmbeddings: 32768,
          inCheckpointConfig: false,
        }),
        weights: WeightsSource.huggingFace('Qwen/Qwen3-8B', { revision: 'main' }),
        quantization: Quantization.BF16,
        accelerator: Accelerator.H100,
      },
    ],
    [
      'vLLM, Llama 4 Scout with the hybrid KV-cache manager off (--disable-hybrid-kv-cache-manager)',
      {
        model: ModelSpec.LLAMA_4_SCOUT,
        quantization: Quantization.FP8,
        accelerator: Accelerator.H200,
        weights: WeightsSource.bucket('s3://models/llama-4-scout-fp8/'),
        hybridKvCacheManager: false,
      },
    ],
  ];
  for (const [name, props] of servers) {
    const { platform, workloads } = platformAndWorkloads();
    const monitoring = new MonitoringStack(platform, 'Monitoring');
    new ModelServer(workloads, 'Server', {
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L4,
      monitoring,
      namespace: 'llm',
      weights: WeightsSource.huggingFace('hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4'),
      ...props,
    });
    synth(`ModelServer: ${name}`, workloads);
  }
  // llama.cpp (issue 9 section 3): GGUF on CPU nodes, on a small GPU (all layers and part of
  // them), with a q8_0 KV cache and several slots.
  for (const [name, props] of [
    ['CPU, defaults', {}],
    [
      'CPU, 4 slots, q8_0 KV cache, from a volume',
      {
        parallel: 4,
        cacheType: LlamaCppCacheType.Q8_0,
        weights: WeightsSource.volume('gguf-models', { accessMode: VolumeAccessMode.READ_ONLY_MANY }),
      },
    ],
    ['L4, every layer offloaded', { accelerator: Accelerator.L4 }],
    [
      'L4, 70B partly offloaded',
      {
        model: ModelSpec.LLAMA_3_1_70B,
        accelerator: Accelerator.L4,
        ggufFile: 'Llama-3.1-70B-Instruct-Q4_K_M.gguf',
      },
    ],
  ] as Array<[string, Partial<LlamaCppServerProps>]>) {
    const { platform, workloads } = platformAndWorkloads();
    const monitoring = new MonitoringStack(platform, 'Monitoring');
    new LlamaCppServer(workloads, 'Server', {
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.GGUF_Q4_K_M,
      weights: WeightsSource.bucket('s3://models/llama-3.1-8b-gguf/'),
      ggufFile: 'Llama-3.1-8B-Instruct-Q4_K_M.gguf',
      namespace: 'llm',
      monitoring,
      ...props,
    });
    synth(`LlamaCppServer: ${name}`, workloads);
  }
  // llama.cpp with the operations objects (autoscaling, NetworkPolicy, PDB) behind a gateway's
  // plain HTTPRoute: Istio with a ServiceMonitor, GKE with Managed Prometheus and the GKE policies.
  for (const gke of [false, true]) {
    const { platform, workloads } = platformAndWorkloads();
    const monitoring = gke ? undefined : new MonitoringStack(platform, 'Monitoring');
    const gpu = new GpuPlatform(platform, 'Gpu', { nodeImage: GpuNodeImage.DRIVER_AND_TOOLKIT, monitoring });
    const gatewayPlatform = new InferenceGatewayPlatform(platform, 'InferenceGateway', {
      implementation: gke
        ? GatewayImplementation.gke({ proxyOnlySubnetCidr: '10.129.0.0/23' })
        : GatewayImplementation.istio(),
    });
    const server = new LlamaCppServer(workloads, 'Server', {
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.GGUF_Q4_K_M,
      weights: WeightsSource.bucket(
        gke ? 'gs://models/llama-3.1-8b-gguf/' : 's3://models/llama-3.1-8b-gguf/',
      ),
      ggufFile: 'Llama-3.1-8B-Instruct-Q4_K_M.gguf',
      namespace: 'llm',
      parallel: 4,
      monitoring,
      platform: gpu,
      ...(gke ? { metricsCollection: MetricsCollection.managedPrometheus({ project: 'acme-ml' }) } : {}),
      autoscaling: {
        maxReplicas: 6,
        schedule: [{ minReplicas: 2, start: '0 8 * * 1-5', end: '0 20 * * 1-5', timeZone: 'Europe/Berlin' }],
      },
      networkPolicy: { clientNamespaces: ['apps'] },
    });
    const gateway = new InferenceGateway(workloads, 'Gateway', {
      platform: gatewayPlatform,
      namespace: 'gateway',
      ...(gke ? {} : { monitoring }),
    });
    gateway.addServiceModel('Llama8BCpu', { variants: [{ backend: server, weight: 100 }] });
    synth(`LlamaCppServer behind ${gke ? 'a GKE' : 'an Istio'} gateway, autoscaled`, workloads);
  }
  for (const proxyMode of [StandaloneProxyMode.SIDECAR, StandaloneProxyMode.SERVICE]) {
    const { platform, workloads } = platformAndWorkloads();
    const monitoring = new MonitoringStack(platform, 'Monitoring');
    const server = new ModelServer(workloads, 'Server', {
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L4,
      monitoring,
      namespace: 'llm',
      weights: WeightsSource.bucket('s3://models/llama-3.1-8b-awq/'),
      loraAdapters: [LoraAdapter.fromBucket('support', 's3://acme-models/lora/support/', { rank: 16 })],
    });
    new StandaloneInferencePool(workloads, 'Router', {
      backend: ModelServerBackend.of(server),
      monitoring,
      proxyMode,
    });
    synth(`StandaloneInferencePool (${proxyMode})`, workloads);
  }

  // Weight caches and the image pre-puller (issue 9 section 4): every volume source, a prefetched
  // claim, and a server reading a Cloud Storage FUSE volume with a file cache.
  {
    const { workloads } = platformAndWorkloads();
    const gcs = new WeightVolume(workloads, 'GcsModels', {
      namespace: 'llm',
      source: WeightVolumeSource.gcsFuse({ bucketName: 'models-123', onlyDir: 'llama', fileCacheGiB: 40 }),
    });
    new WeightVolume(workloads, 'S3Models', {
      namespace: 'llm',
      source: WeightVolumeSource.s3Mountpoint({
        bucketName: 'models-123',
        region: 'us-east-1',
        prefix: 'llama/',
      }),
    });
    new WeightVolume(workloads, 'LustreModels', {
      namespace: 'llm',
      source: WeightVolumeSource.fsxLustre({
        fileSystemId: 'fs-0123456789abcdef0',
        dnsName: 'fs-0123456789abcdef0.fsx.us-east-1.amazonaws.com',
        mountName: 'abcdefgh',
        subPath: '/models',
        throughputMBps: 600,
      }),
    });
    new PrefetchedWeightCache(workloads, 'Prefetched', {
      namespace: 'llm',
      source: 's3://models-123/llama-8b/',
      storageClassName: 'efs-sc',
      sizeGiB: 40,
      serviceAccountName: 'model-reader',
    });
    new HyperdiskMlWeightCache(workloads, 'HyperdiskMl', {
      namespace: 'llm',
      source: 'gs://models-123/llama-8b/',
      sizeGiB: 40,
      zones: ['us-central1-a'],
      serviceAccountName: 'model-reader',
    });
    new ImagePrePuller(workloads, 'PrePull', {
      images: [IMAGES.vllm],
      accelerator: Accelerator.L4,
      namespace: 'llm',
    });
    new ModelServer(workloads, 'Server', {
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L4,
      namespace: 'llm',
      weights: gcs.weights({ path: 'llama-3.1-8b' }),
    });
    synth('Weight caches + ImagePrePuller', workloads);
  }

  {
    // Traces: a collector exporting to every backend, scraped, with a Tempo data source, and a
    // traced model server.
    const { platform, workloads } = platformAndWorkloads();
    const monitoring = new MonitoringStack(platform, 'Monitoring', { costAllocation: { teamLabel: 'team' } });
    new OpenCost(platform, 'OpenCost', {
      monitoring,
      gpuHourlyPrices: [
        {
          accelerator: Accelerator.L4,
          price: { usd: 0.8, region: 'us-east-1', asOf: '2026-08-01', source: 'fixture' },
        },
      ],
      billingExportSecret: 'opencost-cloud-integration',
    });
    new LogShipper(platform, 'Logs', {
      monitoring,
      destinations: [
        LogDestination.cloudWatch({ region: 'us-east-1', logGroupName: '/aws/eks/gpu/containers' }),
        LogDestination.loki({ host: 'loki-gateway.loki.svc' }),
      ],
    });
    const traces = new TraceCollector(platform, 'Traces', {
      monitoring,
      backends: [
        TraceBackend.tempo({
          otlpEndpoint: 'tempo-distributor.tracing.svc:4317',
          queryUrl: 'http://tempo-query-frontend.tracing.svc:3200',
        }),
        TraceBackend.awsXRay({ region: 'us-east-1' }),
        TraceBackend.googleCloudTrace({ project: 'acme-ml' }),
      ],
    });
    new ModelServer(workloads, 'Server', {
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L4,
      monitoring,
      namespace: 'llm',
      weights: WeightsSource.huggingFace('hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4'),
      tracing: traces,
      detailedTraces: true,
    });
    synth('TraceCollector + OpenCost + LogShipper + MonitoringStack with cost allocation', platform);
    synth('ModelServer: vLLM, traced', workloads);
  }
  {
    const { workloads } = platformAndWorkloads();
    const mlflow = new MlflowServer(workloads, 'Mlflow', {
      database: MlflowDatabase.kubernetesSecret({ host: '10.20.0.3', secretName: 'mlflow-db' }),
      artifactsDestination: 'gs://acme-mlflow-artifacts/artifacts',
      adminSecretName: 'mlflow-admin',
      route: {
        gatewayName: 'internal',
        gatewayNamespace: 'gateway',
        hostnames: ['mlflow.internal.example.com'],
      },
    });
    new ModelServer(workloads, 'Registered', {
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L4,
      namespace: 'llm',
      weights: WeightsSource.mlflowModel('models:/llama-3.1-8b-awq/2', {
        tracking: { server: mlflow, credentialsSecretName: 'mlflow-reader' },
        path: 'model',
      }),
    });
    synth('MlflowServer with an HTTPRoute + ModelServer from a registered model', workloads);
  }

  {
    // EKS Auto Mode: an EFA H100 pool on a Capacity Block with on-demand fallback in a placement
    // group, and an L40S pool without EFA (NodeClass eks.amazonaws.com/v1 + NodePool).
    const app = Testing.app();
    const { infra, network } = awsInfra(app);
    const cluster = new EksCluster(infra, 'Cluster', { network, autoMode: {} });
    const workloads = new TerraformStack(app, 'workloads');
    new KubernetesProvider(workloads, 'kubernetes', {});
    new AutoModeGpuNodePool(workloads, 'H100', {
      cluster,
      accelerator: Accelerator.H100,
      capacity: Capacity.capacityBlock('cr-0123456789abcdef0'),
      fallbackCapacity: [Capacity.onDemand()],
      placementGroup: true,
      maxGpus: 64,
    });
    new AutoModeGpuNodePool(workloads, 'L40S', {
      cluster,
      accelerator: Accelerator.L40S,
      gpusPerNode: 1,
      efa: false,
      capacity: Capacity.spot(),
      fallbackCapacity: [Capacity.onDemand()],
      maxGpus: 8,
    });
    out.push({ name: 'AutoModeGpuNodePool (EKS Auto Mode)', json: synthApp(app)(workloads) });
  }
  {
    // Slurm on Kubernetes: the operator, and a cluster with every option (login, accounting, two NodeSets).
    const { platform, workloads } = platformAndWorkloads();
    const operator = new SlurmOperator(platform, 'Slurm', { watchNamespaces: ['slurm'] });
    const slurm = new SlurmCluster(workloads, 'Research', {
      operator,
      login: {
        rootAuthorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ2x3kq alice@example.com'],
        serviceType: SlurmLoginServiceType.LOAD_BALANCER,
        serviceAnnotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' },
      },
      accounting: {
        host: 'slurm-db.example.internal',
        username: 'slurm',
        passwordSecret: { name: 'slurm-db', key: 'password' },
      },
      sharedVolume: { claimName: 'checkpoints' },
      slurmConf: { SchedulerParameters: 'bf_continue' },
    });
    slurm.addNodeSet('H100', {
      accelerator: Accelerator.H100,
      replicas: 2,
      gpusPerNode: 8,
      defaultPartition: true,
      extraResourcesPerNode: { 'vpc.amazonaws.com/efa': 32 },
    });
    slurm.addNodeSet('L40S', {
      accelerator: Accelerator.L40S,
      replicas: 1,
      gpusPerNode: 4,
      partition: false,
    });
    synth('SlurmOperator', platform);
    synth('SlurmCluster: login, accounting, two NodeSets', workloads);
  }

  {
    // Tempo and Loki installed by the library: object storage (S3, GCS) and volume-only.
    const { platform, workloads } = platformAndWorkloads();
    const monitoring = new MonitoringStack(platform, 'Monitoring');
    const tempo = new Tempo(platform, 'Tempo', {
      storage: TelemetryStorage.s3({ bucket: 'acme-traces', region: 'us-west-2' }),
      monitoring,
    });
    const loki = new Loki(platform, 'Loki', {
      storage: TelemetryStorage.gcs({ bucket: 'acme-logs' }),
      replicas: 3,
      monitoring,
      logAlerts: { matchers: ['namespace=~"llm|training"'] },
    });
    new TraceCollector(platform, 'Traces', { monitoring, backends: [tempo.traceBackend()] });
    new LogShipper(platform, 'Logs', { monitoring, destinations: [loki.logDestination()] });
    synth('Tempo (S3) + Loki (GCS, 3 replicas) + TraceCollector + LogShipper + MonitoringStack', platform);
    new Tempo(workloads, 'Tempo', { storage: TelemetryStorage.volume(), storageClassName: 'gp3' });
    new Loki(workloads, 'Loki', {
      storage: TelemetryStorage.volume(),
      storageClassName: 'gp3',
      alertmanagerUrl: 'http://alertmanager.ops.svc:9093',
      serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/loki' },
    });
    synth('Tempo + Loki on volumes', workloads);
  }
  {
    // GPU failure remediation: the GPU Operator with its standalone DCGM host engine, NVSentinel
    // (cert-manager installed with it) and its PodMonitor on the monitoring stack.
    const { platform, workloads } = platformAndWorkloads();
    const monitoring = new MonitoringStack(platform, 'Monitoring');
    const gpu = new GpuPlatform(platform, 'Gpu', {
      nodeImage: GpuNodeImage.DRIVER_AND_TOOLKIT,
      management: GpuManagement.GPU_OPERATOR,
      standaloneDcgm: true,
      monitoring,
    });
    new NvSentinel(platform, 'NvSentinel', { platform: gpu, monitoring, trainingNamespaces: ['training'] });
    synth('NvSentinel + GpuPlatform (standalone DCGM)', platform);
    // Preflight checks: DCGM level 1 through the host engine, then the NCCL init check; and the
    // privileged in-pod DCGM variant.
    for (const [name, dcgm] of [
      ['host engine', PreflightDcgm.hostEngine(gpu)],
      ['in pod', PreflightDcgm.inPod()],
    ] as const) {
      new TrainingJob(workloads, `Preflight${name === 'in pod' ? 'InPod' : 'HostEngine'}`, {
        image: 'nvcr.io/nvidia/pytorch:25.08-py3',
        command: ['torchrun', 'train.py'],
        nodes: 2,
        gpusPerNode: 8,
        accelerator: Accelerator.H100,
        namespace: 'training',
        platform: gpu,
        checkpoint: { uri: 's3://ckpt/llama/' },
        extraResourcesPerNode: { 'vpc.amazonaws.com/efa': 32 },
        preflight: { dcgm },
      });
    }
    synth('TrainingJob with preflight checks', workloads);
  }
  {
    // GKE GPUDirect (issue 9 section 2): a TrainingJob per transport (TCPX RxDM, TCPXO RxDM with
    // the preflight NCCL check, gIB sourcing set_nccl_env.sh) and a LeaderWorkerSet on A3 Mega.
    const gkeGpuDirect = [
      ['TCPX', 'a3-highgpu-8g', 4, Accelerator.H100],
      ['TCPXO', 'a3-megagpu-8g', 8, Accelerator.H100],
      ['RDMA', 'a3-ultragpu-8g', 9, Accelerator.H200],
    ] as const;
    for (const [transport, machineType, nics, accelerator] of gkeGpuDirect) {
      const { platform, workloads } = platformAndWorkloads();
      const ncclPlugin = new GkeNcclPlugin(platform, 'NcclPlugin', {
        transport: GkeGpuDirectTransport[transport],
      });
      const networks = Array.from({ length: nics }, (_, i) => `vpc${i + 1}`);
      const fabric = ServingFabric.gkeDeviceNetworks({ networks, machineType, ncclPlugin });
      new TrainingJob(workloads, 'Pretrain', {
        image: 'nvcr.io/nvidia/pytorch:25.08-py3',
        command: ['torchrun', 'train.py'],
        nodes: 4,
        gpusPerNode: 8,
        accelerator,
        namespace: 'training',
        checkpoint: { uri: 'gs://ckpt/llama/' },
        fabric,
        ...(transport === 'TCPXO' ? { preflight: {} } : {}),
      });
      if (transport === 'TCPXO') {
        new ModelServer(workloads, 'Llama405B', {
          model: ModelSpec.LLAMA_3_1_405B,
          quantization: Quantization.BF16,
          accelerator: Accelerator.H100,
          weights: WeightsSource.bucket('gs://models/llama-3.1-405b/'),
          maxNodesPerReplica: 2,
          namespace: 'llm-multinode',
          fabric,
        });
      }
      synth(
        `GKE GPUDirect-${transport}: TrainingJob${transport === 'TCPXO' ? ' + multi-node ModelServer' : ''}`,
        workloads,
      );
    }
  }
  {
    // MultiKueue: a manager queue dispatching to two worker clusters.
    const { workloads } = platformAndWorkloads();
    new TrainingQueues(workloads, 'Global', {
      namespaces: ['research'],
      flavors: [
        {
          name: 'h100',
          nodeLabels: { 'cdktf-ai-infra/accelerator': 'h100' },
          gpus: 128,
          cpus: 3072,
          memoryGiB: 32768,
        },
      ],
      multiKueue: {
        workers: [
          { name: 'us-east-1-h100', kubeconfigSecretName: 'worker-us-east-1' },
          { name: 'europe-west4-h100', kubeconfigSecretName: 'worker-europe-west4' },
        ],
      },
    });
    synth('TrainingQueues with MultiKueue', workloads);
  }
  {
    // EBS StorageClasses: Auto Mode's provisioner and the EBS CSI driver add-on's.
    const app = Testing.app();
    const { infra, network } = awsInfra(app);
    const auto = new EksCluster(infra, 'Auto', { network, autoMode: {} });
    const managed = new EksCluster(infra, 'Managed', { network });
    const platform = new TerraformStack(app, 'platform');
    new KubernetesProvider(platform, 'kubernetes', {});
    new EbsStorageClass(platform, 'AutoGp3', { cluster: auto, name: 'auto-gp3' });
    new EbsStorageClass(platform, 'ManagedGp3', {
      cluster: managed,
      defaultClass: false,
      reclaimPolicy: VolumeReclaimPolicy.DELETE,
      kmsKey: { keyArn: 'arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789' },
    });
    out.push({ name: 'EbsStorageClass (Auto Mode and EBS CSI driver)', json: synthApp(app)(platform) });
  }
  {
    // MlflowServer NetworkPolicy with every option, and a training job that adds its namespace.
    const { workloads } = platformAndWorkloads();
    const server = new MlflowServer(workloads, 'Mlflow', {
      database: MlflowDatabase.kubernetesSecret({ host: '10.20.0.3', secretName: 'mlflow-db' }),
      artifactsDestination: 's3://acme-mlflow-artifacts/artifacts',
      adminSecretName: 'mlflow-admin',
      networkPolicy: {
        clients: [{ namespace: 'llm', podLabels: { 'app.kubernetes.io/name': 'loader' } }],
        clientCidrs: ['10.1.0.0/24'],
        databaseCidrs: ['10.0.64.0/20'],
        extraEgress: [{ cidr: '169.254.169.252/32', port: 988 }],
      },
    });
    server.allowClientNamespace('training');
    synth('MlflowServer NetworkPolicy', workloads);
  }
  return out;
}
