import { App, TerraformStack, Testing } from 'cdktf';
import { Accelerator, KvCacheDtype, ModelSpec, Quantization, TaintEffect } from '../../lib/core';
import {
  GpuManagement,
  GpuNodeImage,
  GpuPlatform,
  MetricsCollection,
  ModelServer,
  LogDestination,
  LogShipper,
  ModelServerProps,
  MonitoringStack,
  OpenCost,
  ServingEngine,
  TraceBackend,
  TraceCollector,
  TrainingQueues,
  VolumeAccessMode,
  WeightsSource,
} from '../../lib/k8s';
import { platformAndWorkloads } from '../k8s/helpers';
import { SynthJson, synthApp } from '../util';
import { build as awsInference } from '../../examples/aws-inference/main';
import { build as awsTraining } from '../../examples/aws-training/main';
import { build as gcpInference } from '../../examples/gcp-inference/main';
import { build as gcpTraining } from '../../examples/gcp-training/main';
import { build as k8sServing } from '../../examples/k8s-serving/main';
import { build as k8sTraining } from '../../examples/k8s-training/main';
import { build as quickstart } from '../../examples/quickstart/main';
import { build as servingPlan } from '../../examples/serving-plan/main';

/** A synthesized stack: a readable name and its Terraform JSON. */
export interface SynthesizedStack {
  readonly name: string;
  readonly json: SynthJson;
}

const EXAMPLES: Array<[string, (app: App) => TerraformStack[] | void]> = [
  ['aws-inference', awsInference],
  ['aws-training', awsTraining],
  ['gcp-inference', gcpInference],
  ['gcp-training', gcpTraining],
  ['k8s-serving', k8sServing],
  ['k8s-training', k8sTraining],
  ['quickstart', quickstart],
  ['serving-plan', servingPlan],
];

/** Every stack of every example app (examples/*), synthesized once per test file. */
export function exampleStacks(): SynthesizedStack[] {
  return (cachedExamples ??= EXAMPLES.flatMap(([name, build]) => {
    const app = Testing.app();
    const stacks = build(app) ?? [];
    const read = synthApp(app);
    return stacks.map((s) => ({ name: `examples/${name} ${s.node.id}`, json: read(s) }));
  }));
}
let cachedExamples: SynthesizedStack[] | undefined;

/**
 * Configurations the examples do not cover, built through the public API: every GPU management
 * mode, the Triton engine, every weights source, scale to zero, Managed Prometheus collection,
 * queues with a cohort and two flavors, a monitoring stack with every receiver.
 */
export function constructStacks(): SynthesizedStack[] {
  return (cachedConstructs ??= buildConstructStacks());
}
let cachedConstructs: SynthesizedStack[] | undefined;

function buildConstructStacks(): SynthesizedStack[] {
  const out: SynthesizedStack[] = [];
  const synth = (name: string, stack: TerraformStack) =>
    out.push({ name, json: JSON.parse(Testing.synth(stack, true)) as SynthJson });

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
        metricsCollection: MetricsCollection.managedPrometheus({ projectId: 'my-project' }),
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
        TraceBackend.googleCloudTrace({ projectId: 'acme-ml' }),
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
  return out;
}
