import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { App, Testing, TerraformStack } from 'cdktf';

/** A stack with the Kubernetes and Helm providers configured from a kubeconfig path. */
export function clusterStack(app: App, id: string): TerraformStack {
  const stack = new TerraformStack(app, id);
  new KubernetesProvider(stack, 'Kubernetes', { configPath: '~/.kube/config' });
  new HelmProvider(stack, 'Helm', { kubernetes: { configPath: '~/.kube/config' } });
  return stack;
}

/** An app with a platform stack and a workloads stack. */
export function platformAndWorkloads(): { app: App; platform: TerraformStack; workloads: TerraformStack } {
  const app = Testing.app();
  return { app, platform: clusterStack(app, 'platform'), workloads: clusterStack(app, 'workloads') };
}

/** Warnings annotated on the constructs of `stack`. */
export function warningsOf(stack: TerraformStack): string[] {
  return stack.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((m) => m.type === '@cdktf/warn')
    .map((m) => String(m.data));
}
