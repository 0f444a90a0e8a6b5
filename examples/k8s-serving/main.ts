/**
 * k8s-serving: LLM serving on a bring-your-own Kubernetes cluster reached through a kubeconfig.
 *
 * Two stacks, applied in order (the second depends on the first):
 * - `k8s-serving-platform`: kube-prometheus-stack (rules, dashboards, receivers), the GPU
 *   platform (device plugin, dcgm-exporter, KEDA), the inference-gateway platform (Gateway API
 *   and Inference Extension CRDs, Istio with the inference extension) and the serving
 *   namespace. These install CRDs.
 * - `k8s-serving-workloads`: Llama-3.1-8B AWQ on one L4 and Llama-3.1-70B AWQ on 2 x L40S,
 *   each with a Service, ServiceMonitor, PodDisruptionBudget and a KEDA ScaledObject on
 *   queue depth (custom resources, so they need the CRDs from the first stack at plan time);
 *   a cluster-internal inference gateway (Service `llm-gateway-istio.llm`, port 80) in front of
 *   `llama-3.1-8b`, split 90/10 between the stable server and a canary on a newer vLLM
 *   release, each pool with its endpoint picker (llm-d-router). Both 8B variants serve the LoRA
 *   adapter `food-review` next to the base model: clients send `"model": "food-review"` to the
 *   same gateway, the pickers prefer pods with the adapter loaded (LoRA affinity), and the
 *   adapter follows the same 90/10 split. Llama-3.1-70B is reached at its own Service.
 *   Llama-3.1-8B also runs on CPU nodes as a GGUF file (Q4_K_M) in llama.cpp's `llama-server`,
 *   4 slots, for the low-cost internal tier (Service `llama8b-cpu-llama-cpp.llm`, port 8080).
 *   It reads the file from the read-many claim `gguf-models` (filled once, outside this stack)
 *   and runs on nodes labelled and tainted `cdktf-ai-infra/cpu-inference=true` (label and taint
 *   the cluster's CPU inference nodes so; on EKS / GKE `CpuInferenceNodeGroup` /
 *   `CpuInferenceNodePool` do it).
 *
 * Secrets it expects (created outside Terraform so they never land in state): `hf-token`
 * (key `token`) in `llm`; `alerting` (keys `pagerduty`, `slack-url`) and `grafana-admin` in
 * `monitoring`.
 */
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { App, TerraformStack } from 'cdktf';
import { Accelerator, ModelSpec, Quantization } from '../../lib/core';
import {
  GatewayImplementation,
  GpuNodeImage,
  GpuPlatform,
  InferenceGateway,
  InferenceGatewayPlatform,
  InferencePool,
  LlamaCppServer,
  LoraAdapter,
  ModelServer,
  ModelServerBackend,
  MonitoringStack,
  PodSecurityLevel,
  ENDPOINT_PICKER_POD_SECURITY_LEVEL,
  VolumeAccessMode,
  WeightsSource,
  podSecurityLabels,
} from '../../lib/k8s';
import { KubeconfigStack } from '../shared/cluster-stacks';

/** Adds this example's stacks to `app`. */
export function build(app: App): TerraformStack[] {
  const platform = new KubeconfigStack(app, 'k8s-serving-platform');
  const monitoring = new MonitoringStack(platform, 'Monitoring', {
    receivers: {
      pagerDuty: { routingKeySecret: { name: 'alerting', key: 'pagerduty' } },
      slack: { webhookUrlSecret: { name: 'alerting', key: 'slack-url' }, channel: '#llm-alerts' },
    },
    grafanaAdminSecret: { name: 'grafana-admin' },
    prometheusStorageGiB: 100,
  });
  const gpu = new GpuPlatform(platform, 'Gpu', {
    nodeImage: GpuNodeImage.DRIVER_AND_TOOLKIT,
    monitoring,
    jobSet: false,
    kueue: false,
  });
  new NamespaceV1(platform, 'ServingNamespace', {
    // The model servers meet "restricted", the endpoint pickers (chart without securityContext
    // values) "baseline": enforce baseline, audit and warn at restricted.
    metadata: {
      name: 'llm',
      labels: podSecurityLabels(ENDPOINT_PICKER_POD_SECURITY_LEVEL, PodSecurityLevel.RESTRICTED),
    },
  });
  const gatewayPlatform = new InferenceGatewayPlatform(platform, 'InferenceGateway', {
    implementation: GatewayImplementation.istio(),
  });

  const workloads = new KubeconfigStack(app, 'k8s-serving-workloads');
  const hfToken = { name: 'hf-token', key: 'token' };
  // A public rank-8 LoRA adapter for meta-llama/Llama-3.1-8B-Instruct, the one the Gateway API
  // Inference Extension's guides serve as `food-review` (kubernetes-sigs/gateway-api-inference-extension
  // v0.3-v1.0, config/manifests/vllm/gpu-deployment.yaml: --max-lora-rank 8 --lora-modules
  // food-review-1=Kawon/llama3.1-food-finetune_v14_r8). Downloaded by an init container of every
  // pod with the weights' token. Pin `revision` to a commit of the repository before production.
  const foodReview = LoraAdapter.fromHuggingFace('food-review', 'Kawon/llama3.1-food-finetune_v14_r8', {
    rank: 8,
    baseModel: ModelSpec.LLAMA_3_1_8B,
  });
  const llama8b = new ModelServer(workloads, 'Llama8B', {
    model: ModelSpec.LLAMA_3_1_8B,
    quantization: Quantization.AWQ,
    accelerator: Accelerator.L4,
    weights: WeightsSource.huggingFace('hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4', {
      tokenSecret: hfToken,
    }),
    namespace: 'llm',
    loraAdapters: [foodReview],
    autoscaling: {
      maxReplicas: 4,
      // A baseline before the weekday peak (opens 15 minutes early for the model load), queue depth above it.
      schedule: [{ minReplicas: 2, start: '45 7 * * 1-5', end: '0 20 * * 1-5', timeZone: 'Europe/Berlin' }],
    },
    monitoring,
    platform: gpu,
  });
  new ModelServer(workloads, 'Llama70B', {
    model: ModelSpec.LLAMA_3_1_70B,
    quantization: Quantization.AWQ,
    accelerator: Accelerator.L40S,
    weights: WeightsSource.huggingFace('hugging-quants/Meta-Llama-3.1-70B-Instruct-AWQ-INT4', {
      tokenSecret: hfToken,
    }),
    namespace: 'llm',
    autoscaling: { maxReplicas: 3 },
    monitoring,
    platform: gpu,
  });
  // The canary: the same weights and served name on a newer vLLM release (reference/serving.md
  // §9). Each server's autoscaler reads only its own pods' queue (its scrape job), so the
  // canary scales on the share of traffic the gateway sends it. It serves the same adapter:
  // both pools carry traffic for every model name the route answers (addModel checks it), so
  // an adapter only on the stable pool would fail 10% of its requests.
  const llama8bCanary = new ModelServer(workloads, 'Llama8BCanary', {
    model: ModelSpec.LLAMA_3_1_8B,
    quantization: Quantization.AWQ,
    accelerator: Accelerator.L4,
    weights: WeightsSource.huggingFace('hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4', {
      tokenSecret: hfToken,
    }),
    name: 'llama8b-canary',
    namespace: 'llm',
    loraAdapters: [foodReview],
    image: { repository: 'vllm/vllm-openai', tag: 'v0.31.0' },
    autoscaling: { maxReplicas: 2 },
    monitoring,
    platform: gpu,
  });

  // The CPU tier: a GGUF file in llama.cpp, sized from the file (memory = file + KV cache of 4
  // slots x 8192 tokens + compute buffer), no GPU.
  // Two replicas at least, up to 6 on llama-server's queue (requests waiting for one of the 4
  // slots); reached through the gateway on its own host name, an HTTPRoute to its Service.
  const llama8bCpu = new LlamaCppServer(workloads, 'Llama8BCpu', {
    model: ModelSpec.LLAMA_3_1_8B,
    quantization: Quantization.GGUF_Q4_K_M,
    weights: WeightsSource.volume('gguf-models', { accessMode: VolumeAccessMode.READ_ONLY_MANY }),
    ggufFile: 'Llama-3.1-8B-Instruct-Q4_K_M.gguf',
    name: 'llama8b-cpu',
    namespace: 'llm',
    parallel: 4,
    replicas: 2,
    autoscaling: { maxReplicas: 6 },
    platform: gpu,
    monitoring,
  });

  const pool = (id: string, server: ModelServer) =>
    new InferencePool(workloads, id, {
      backend: ModelServerBackend.of(server),
      platform: gatewayPlatform,
      monitoring,
    });
  const gateway = new InferenceGateway(workloads, 'Gateway', {
    platform: gatewayPlatform,
    namespace: 'llm',
    name: 'llm-gateway',
    monitoring,
  });
  // Two models on one gateway answer distinct host names (the OpenAI paths are the same).
  gateway.addModel('Llama8B', {
    variants: [
      { pool: pool('Llama8BPool', llama8b), weight: 90 },
      { pool: pool('Llama8BCanaryPool', llama8bCanary), weight: 10 },
    ],
    hostnames: ['llama-8b.llm.internal'],
  });
  gateway.addServiceModel('Llama8BCpu', {
    variants: [{ backend: llama8bCpu, weight: 100 }],
    hostnames: ['llama-8b-cpu.llm.internal'],
    requestTimeoutSeconds: 600,
  });
  return [platform, workloads];
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
