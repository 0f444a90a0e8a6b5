/**
 * Stacks whose Kubernetes and Helm providers talk to a cluster: the pattern every example's
 * platform and workloads stacks share. Not an example app itself.
 */
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { EksCluster } from '../../lib/aws';

/** A stack deploying into an EKS cluster of another stack (cross-stack outputs, `aws eks get-token`). */
export class EksClusterStack extends TerraformStack {
  constructor(scope: Construct, id: string, cluster: EksCluster) {
    super(scope, id);
    const k8s = cluster.kubernetesProviderConfig();
    new KubernetesProvider(this, 'Kubernetes', { ...k8s, exec: [k8s.exec] });
    new HelmProvider(this, 'Helm', { kubernetes: k8s });
  }
}

/** A stack deploying into a cluster reached through a kubeconfig file (bring your own cluster). */
export class KubeconfigStack extends TerraformStack {
  constructor(scope: Construct, id: string, configPath = '~/.kube/config') {
    super(scope, id);
    new KubernetesProvider(this, 'Kubernetes', { configPath });
    new HelmProvider(this, 'Helm', { kubernetes: { configPath } });
  }
}
