/**
 * An exec credential plugin of the Kubernetes and Helm providers: the command Terraform runs to
 * get a short-lived token (`aws eks get-token`, `gke-gcloud-auth-plugin`).
 */
export interface KubernetesExecCredential {
  /** `client.authentication.k8s.io/v1beta1`. */
  readonly apiVersion: string;
  /** The command, which must be installed where Terraform runs. */
  readonly command: string;
  /** Its arguments. */
  readonly args: string[];
}

/**
 * Settings a Kubernetes or Helm provider needs to reach a cluster, the same shape for every
 * cloud (`EksCluster.kubernetesProviderConfig()`, `GkeCluster.kubernetesProviderConfig()`). The
 * Kubernetes provider takes `exec` as a list (`exec: [config.exec]`), the Helm provider's
 * `kubernetes` block as an object.
 *
 * @example
 * const k = cluster.kubernetesProviderConfig();
 * new KubernetesProvider(workloads, 'Kubernetes', { ...k, exec: [k.exec] });
 * new HelmProvider(workloads, 'Helm', { kubernetes: k });
 */
export interface KubernetesProviderConfig {
  /** API server URL (`https://...`). */
  readonly host: string;
  /** Decoded cluster CA certificate (PEM). */
  readonly clusterCaCertificate: string;
  /** The exec credential plugin. */
  readonly exec: KubernetesExecCredential;
}
