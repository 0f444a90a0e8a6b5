/**
 * Stacks whose Kubernetes and Helm providers talk to a cluster: the pattern every example's
 * platform and workloads stacks share. Not an example app itself.
 */
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { IEksCluster, Monitoring } from '../../lib/aws';
import { ValidationError } from '../../lib/core';
import { MonitoringStack, MonitoringStackProps } from '../../lib/k8s';

/** A stack deploying into an EKS cluster of another stack (cross-stack outputs, `aws eks get-token`). */
export class EksClusterStack extends TerraformStack {
  constructor(scope: Construct, id: string, cluster: IEksCluster) {
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

/**
 * kube-prometheus-stack for an EKS cluster whose alerting lives in Amazon Managed Prometheus
 * (`aws.Monitoring`): Prometheus runs under the collector service account that
 * `aws.Monitoring` created a Pod Identity role for and remote-writes everything to the
 * workspace, where the core rules alert through SNS; in-cluster it keeps dashboards and the
 * queries KEDA makes, with no rules of its own.
 */
export function ampRemoteWritingMonitoring(
  scope: TerraformStack,
  amp: Monitoring,
  props: Omit<MonitoringStackProps, 'remoteWrite' | 'alertRules' | 'namespace'> = {},
): MonitoringStack {
  if (!amp.collector) {
    throw new ValidationError(
      `'cluster' is required on aws.Monitoring so it creates the collector role Prometheus runs under.`,
      amp,
    );
  }
  return new MonitoringStack(scope, 'Monitoring', {
    ...props,
    namespace: amp.collector.namespace,
    alertRules: { groups: [] },
    grafanaAdminSecret: props.grafanaAdminSecret ?? { name: 'grafana-admin' },
    remoteWrite: {
      url: amp.remoteWriteUrl,
      sigv4Region: amp.region,
      serviceAccountName: amp.collector.serviceAccount,
    },
  });
}
