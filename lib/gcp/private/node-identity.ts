/**
 * The identity and hardening every GKE node of the library gets, in the cluster's default node
 * config, the system pool, the GPU pools and the CPU inference pools: the cluster's node service
 * account with the `cloud-platform` scope (IAM roles, not scopes, limit it), the GKE metadata
 * server (Workload Identity: pods do not see the node's credentials), and Shielded VM secure boot
 * and integrity monitoring. Spread into a `nodeConfig`.
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster
 */
export function gkeNodeIdentity(serviceAccountEmail: string): {
  serviceAccount: string;
  oauthScopes: string[];
  workloadMetadataConfig: { mode: string };
  shieldedInstanceConfig: { enableSecureBoot: boolean; enableIntegrityMonitoring: boolean };
} {
  return {
    serviceAccount: serviceAccountEmail,
    oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
    workloadMetadataConfig: { mode: 'GKE_METADATA' },
    shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
  };
}
