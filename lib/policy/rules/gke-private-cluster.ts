import { PolicyRule } from '../rule';
import { ANYWHERE, block, blocks, bool } from '../private/config';

/**
 * `gke-private-cluster`: GKE clusters have private nodes, and a control plane that is private or
 * restricted to authorized networks.
 */
export const GKE_PRIVATE_CLUSTER: PolicyRule = {
  id: 'gke-private-cluster',
  title: 'GKE clusters have private nodes and a private or authorized-networks-only control plane',
  rationale:
    'Nodes with external IPs are reachable from the internet; a public control plane without authorized networks accepts connections from any address. ' +
    'https://cloud.google.com/kubernetes-engine/docs/concepts/network-isolation',
  resourceTypes: ['google_container_cluster'],
  check: (cluster) => {
    const problems: string[] = [];
    const priv = block(cluster.config.private_cluster_config);
    const nodesPrivate =
      bool(priv.enable_private_nodes) === true ||
      bool(block(cluster.config.default_node_pool_config).enable_private_nodes) === true ||
      bool(block(block(cluster.config.node_pool_defaults).node_config_defaults).enable_private_nodes) ===
        true;
    if (!nodesPrivate) {
      problems.push('nodes are not private (private_cluster_config.enable_private_nodes is not true)');
    }
    if (bool(priv.enable_private_endpoint) !== true) {
      const man = cluster.config.master_authorized_networks_config;
      if (man === undefined) {
        problems.push('the control plane endpoint is public and has no master_authorized_networks_config');
      } else {
        const m = block(man);
        const open = blocks(m.cidr_blocks)
          .map((b) => String(b.cidr_block))
          .filter((c) => ANYWHERE.includes(c));
        if (open.length) {
          problems.push(`master_authorized_networks_config admits ${open.join(', ')}`);
        }
        if (bool(m.gcp_public_cidrs_access_enabled) === true) {
          problems.push(
            'master_authorized_networks_config admits all Google Cloud public IPs (gcp_public_cidrs_access_enabled)',
          );
        }
      }
    }
    return problems;
  },
};
