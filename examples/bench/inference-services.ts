/**
 * Benchmark scenario (not an example app): N model servers in one workloads stack, each with its
 * Deployment, Service, ServiceMonitor, PodDisruptionBudget and KEDA ScaledObject, plus the
 * monitoring stack and GPU platform they reference. `scripts/bench.js` runs it with N = 10 and
 * N = 100 and reports the ratio of synth times: linear growth means about 10x, and the target is
 * at most 12x (DESIGN.md, measures of done).
 *
 * Usage: node .build/examples/bench/inference-services.js <N>
 */
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { Accelerator, ModelSpec, Quantization } from '../../lib/core';
import { GpuNodeImage, GpuPlatform, ModelServer, MonitoringStack, WeightsSource } from '../../lib/k8s';

const n = Number(process.argv[2] ?? '10');
if (!Number.isInteger(n) || n < 1) {
  throw new Error(`usage: inference-services.js <N>, got '${process.argv[2]}'`);
}

const app = new App();
const platform = new TerraformStack(app, 'bench-platform');
new KubernetesProvider(platform, 'Kubernetes', { configPath: '~/.kube/config' });
new HelmProvider(platform, 'Helm', { kubernetes: { configPath: '~/.kube/config' } });
const monitoring = new MonitoringStack(platform, 'Monitoring', {});
const gpu = new GpuPlatform(platform, 'Gpu', { nodeImage: GpuNodeImage.DRIVER_AND_TOOLKIT, monitoring });

const workloads = new TerraformStack(app, 'bench-workloads');
new KubernetesProvider(workloads, 'Kubernetes', { configPath: '~/.kube/config' });
workloads.addDependency(platform);
const models = [
  { model: ModelSpec.LLAMA_3_1_8B, quantization: Quantization.AWQ, accelerator: Accelerator.L4 },
  { model: ModelSpec.QWEN2_5_7B, quantization: Quantization.FP8, accelerator: Accelerator.L40S },
  { model: ModelSpec.LLAMA_3_1_70B, quantization: Quantization.AWQ, accelerator: Accelerator.L40S },
];
for (let i = 0; i < n; i++) {
  const m = models[i % models.length];
  new ModelServer(workloads, `Model${i}`, {
    ...m,
    name: `model-${i}`,
    namespace: `team-${i % 7}`,
    weights: WeightsSource.bucket(`s3://models/${m.model.name}-${m.quantization.id.toLowerCase()}/`),
    autoscaling: { maxReplicas: 4 },
    monitoring,
    platform: gpu,
  });
}
app.synth();
