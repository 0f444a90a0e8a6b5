// Kubernetes-only app (a cluster reached through a kubeconfig): the package root's `k8s`
// namespace, which must load without the AWS and Google provider packages.
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Accelerator, ModelSpec, Quantization, k8s } from 'cdktf-ai-infra';

export class ClusterStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new KubernetesProvider(this, 'Kubernetes', { configPath: '~/.kube/config' });
    new HelmProvider(this, 'Helm', { kubernetes: { configPath: '~/.kube/config' } });
  }
}

export function build(scope: Construct): { platform: ClusterStack; workloads: ClusterStack } {
  const platform = new ClusterStack(scope, 'consumer-k8s-platform');
  const monitoring: k8s.MonitoringStack = new k8s.MonitoringStack(platform, 'Monitoring', {
    grafanaAdminSecret: { name: 'grafana-admin' },
  });
  const gpu = new k8s.GpuPlatform(platform, 'Gpu', {
    nodeImage: k8s.GpuNodeImage.DRIVER_AND_TOOLKIT,
    monitoring,
  });
  const workloads = new ClusterStack(scope, 'consumer-k8s-workloads');
  new k8s.ModelServer(workloads, 'Llama8B', {
    model: ModelSpec.LLAMA_3_1_8B,
    quantization: Quantization.AWQ,
    accelerator: Accelerator.L4,
    weights: k8s.WeightsSource.huggingFace('hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4'),
    monitoring,
    platform: gpu,
  });
  return { platform, workloads };
}
