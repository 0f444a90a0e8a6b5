import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { Accelerator } from '../../lib/core';
import { GatewayApiChannel, GkeCluster, GkeClusterProps, ReleaseChannel } from '../../lib/gcp/cluster';
import { GpuDirect } from '../../lib/gcp/machine-types';
import { GkeNetwork } from '../../lib/gcp/network';
import { GcpPrincipal } from '../../lib/gcp/principal';
import { onlyResource, resourcesOf, synthJson } from '../util';
import { gcpStack, warningIds } from './helpers';

function make(props: Partial<GkeClusterProps> = {}, gpuDirect = GpuDirect.NONE) {
  const { stack } = gcpStack();
  const network = new GkeNetwork(stack, 'Network', { project: 'my-proj', region: 'us-central1', gpuDirect });
  const cluster = new GkeCluster(stack, 'Cluster', { network, ...props });
  return { stack, cluster, json: () => synthJson(stack) };
}
const clusterOf = (j: any) => onlyResource(j, 'google_container_cluster');

describe('GkeCluster', () => {
  test('defaults to private nodes with a public endpoint restricted to authorized networks', () => {
    const c = clusterOf(make().json());
    expect(c.private_cluster_config).toEqual({
      enable_private_nodes: true,
      enable_private_endpoint: false,
      master_ipv4_cidr_block: '172.16.0.0/28',
    });
    expect(c.master_authorized_networks_config).toEqual({
      gcp_public_cidrs_access_enabled: false,
      cidr_blocks: [],
    });
  });

  test('warns when no authorized networks are given', () => {
    expect(warningIds(make().stack)).toContain('gcp-no-authorized-networks');
  });

  test('renders authorized networks', () => {
    const c = clusterOf(
      make({ masterAuthorizedNetworks: [{ cidrBlock: '203.0.113.0/24', displayName: 'ci' }] }).json(),
    );
    expect(c.master_authorized_networks_config.cidr_blocks).toEqual([
      { cidr_block: '203.0.113.0/24', display_name: 'ci' },
    ]);
  });

  test('defaults to Workload Identity on <project>.svc.id.goog', () => {
    expect(clusterOf(make().json()).workload_identity_config).toEqual({
      workload_pool: 'my-proj.svc.id.goog',
    });
  });

  test('defaults to the REGULAR release channel', () => {
    expect(clusterOf(make().json()).release_channel).toEqual({ channel: 'REGULAR' });
  });

  test('accepts another release channel', () => {
    expect(clusterOf(make({ releaseChannel: ReleaseChannel.STABLE }).json()).release_channel).toEqual({
      channel: 'STABLE',
    });
  });

  test('removes the default node pool and keeps deletion protection by default', () => {
    const c = clusterOf(make().json());
    expect(c).toMatchObject({
      remove_default_node_pool: true,
      initial_node_count: 1,
      deletion_protection: true,
    });
  });

  test('the system pool ignores later changes of its ForceNew initial_node_count', () => {
    const pools = Object.values(resourcesOf(make().json(), 'google_container_node_pool')) as any[];
    expect(pools.find((p) => p.name === 'system').lifecycle).toEqual({
      ignore_changes: ['initial_node_count'],
    });
  });

  test('is VPC-native on the network secondary ranges with Dataplane V2', () => {
    const c = clusterOf(make().json());
    expect(c.networking_mode).toBe('VPC_NATIVE');
    expect(c.ip_allocation_policy).toEqual({
      cluster_secondary_range_name: 'pods',
      services_secondary_range_name: 'services',
    });
    expect(c.datapath_provider).toBe('ADVANCED_DATAPATH');
  });

  test('enables Managed Prometheus and DCGM by default', () => {
    const c = clusterOf(make().json());
    expect(c.monitoring_config.managed_prometheus).toEqual({ enabled: true });
    expect(c.monitoring_config.enable_components).toContain('DCGM');
  });

  test('omits DCGM when dcgmMonitoring is false', () => {
    expect(
      clusterOf(make({ dcgmMonitoring: false }).json()).monitoring_config.enable_components,
    ).not.toContain('DCGM');
  });

  test('enables the GCS FUSE CSI driver, cost allocation and Shielded nodes', () => {
    const c = clusterOf(make().json());
    expect(c.addons_config.gcs_fuse_csi_driver_config).toEqual({ enabled: true });
    expect(c.cost_management_config).toEqual({ enabled: true });
    expect(c.enable_shielded_nodes).toBe(true);
  });

  test('enables the Parallelstore and Lustre CSI drivers on request', () => {
    const c = clusterOf(make({ parallelstoreCsi: true, lustreCsi: true }).json());
    expect(c.addons_config.parallelstore_csi_driver_config).toEqual({ enabled: true });
    expect(c.addons_config.lustre_csi_driver_config).toEqual({ enabled: true });
  });

  test('multi-networking is off without GPUDirect networks', () => {
    expect(clusterOf(make().json()).enable_multi_networking).toBe(false);
  });

  test('multi-networking defaults to on with a GPUDirect network', () => {
    expect(clusterOf(make({}, GpuDirect.TCPXO).json()).enable_multi_networking).toBe(true);
  });

  test('creates a node service account with the minimal roles', () => {
    const j = make().json();
    const roles = Object.values(resourcesOf(j, 'google_project_iam_member')).map((m: any) => m.role);
    expect(roles.sort()).toEqual([
      'roles/artifactregistry.reader',
      'roles/logging.logWriter',
      'roles/monitoring.metricWriter',
      'roles/monitoring.viewer',
      'roles/stackdriver.resourceMetadata.writer',
    ]);
    expect(onlyResource(j, 'google_service_account').account_id).toBe('cluster-nodes');
  });

  test('creates a system node pool of e2-standard-4, 1 to 3 nodes per zone', () => {
    const pool = onlyResource(make().json(), 'google_container_node_pool');
    expect(pool.node_config.machine_type).toBe('e2-standard-4');
    expect(pool.autoscaling).toMatchObject({ min_node_count: 1, max_node_count: 3 });
  });

  test('outputs the endpoint and CA certificate for the Kubernetes provider', () => {
    const j = make().json();
    const outputs = Object.keys(j.output ?? {});
    expect(outputs.some((o) => /Endpoint/.test(o))).toBe(true);
    expect(outputs.some((o) => /CaCertificate/.test(o))).toBe(true);
    const ep = Object.entries(j.output!).find(([k]) => /Endpoint/.test(k))![1];
    expect(ep.value).toMatch(/^https:\/\/\$\{google_container_cluster\.\w+\.endpoint\}$/);
  });

  test('throws for a location outside the network region', () => {
    expect(() => make({ location: 'europe-west4' })).toThrow(
      /'location' \('europe-west4'\) is not the network's region 'us-central1'/,
    );
  });

  test('throws for a node location outside the network region', () => {
    expect(() => make({ nodeLocations: ['us-central1-a', 'us-east1-b'] })).toThrow(
      /'nodeLocations\[1\]' \('us-east1-b'\) is in region 'us-east1', not in 'us-central1'/,
    );
  });

  test("throws when a zonal cluster's nodeLocations repeat its zone", () => {
    expect(() =>
      make({ location: 'us-central1-a', nodeLocations: ['us-central1-a', 'us-central1-b'] }),
    ).toThrow(/'nodeLocations' lists the zonal cluster's own zone 'us-central1-a'/);
  });

  test('accepts a zonal location in the network region', () => {
    expect(clusterOf(make({ location: 'us-central1-a' }).json()).location).toBe('us-central1-a');
  });

  test('throws when the master CIDR overlaps a range of the network', () => {
    const { stack } = gcpStack();
    const network = new GkeNetwork(stack, 'Network', {
      project: 'my-proj',
      region: 'us-central1',
      cidr: '172.16.0.0/12',
    });
    expect(() => new GkeCluster(stack, 'Cluster', { network })).toThrow(
      /'masterIpv4CidrBlock' \('172.16.0.0\/28'\) overlaps the network's range '172.16.0.0\/13'/,
    );
  });

  test('throws when the master CIDR overlaps a GPUDirect subnet', () => {
    expect(() => make({ masterIpv4CidrBlock: '192.168.1.0/28' }, GpuDirect.TCPX)).toThrow(
      /overlaps the network's range '192.168.1.0\/24'/,
    );
  });

  test('defaults to a firewall rule from the control plane to webhook ports on the nodes', () => {
    const fw = Object.values(resourcesOf(make().json(), 'google_compute_firewall')).find((f: any) =>
      f.name.endsWith('control-plane-webhooks'),
    ) as any;
    expect(fw).toMatchObject({
      direction: 'INGRESS',
      source_ranges: ['172.16.0.0/28'],
      allow: [{ protocol: 'tcp', ports: ['6443', '8443', '9443'] }],
    });
    expect(fw.target_service_accounts).toEqual([
      expect.stringContaining('google_service_account.Cluster_NodeServiceAccount'),
    ]);
  });

  test('creates no control-plane firewall rule without ports', () => {
    const fws = Object.values(
      resourcesOf(make({ controlPlaneToNodePorts: [] }).json(), 'google_compute_firewall'),
    ) as any[];
    expect(fws.some((f) => f.name.endsWith('control-plane-webhooks'))).toBe(false);
  });

  test('throws for a control-plane port outside 1-65535', () => {
    expect(() => make({ controlPlaneToNodePorts: [70000] })).toThrow(
      /'controlPlaneToNodePorts\[0\]' \(70000\) must be a whole number from 1 to 65535/,
    );
  });

  test('exposes the Workload Identity pool as a reference to the cluster', () => {
    const { stack, cluster } = make();
    const member = GcpPrincipal.kubernetesServiceAccount({
      projectNumber: '123456789012',
      project: 'my-proj',
      namespace: 'keda',
      serviceAccount: 'keda-operator',
      workloadIdentityPool: cluster.workloadIdentityPool,
    }).member;
    new StorageBucketIamMember(stack, 'Grant', { bucket: 'b', role: 'roles/storage.objectViewer', member });
    const grant = onlyResource(synthJson(stack), 'google_storage_bucket_iam_member');
    // Without the reference the grant may be applied before the pool exists:
    // "Identity Pool does not exist (my-proj.svc.id.goog)".
    expect(grant.member).toMatch(
      /^principal:\/\/iam\.googleapis\.com\/projects\/123456789012\/locations\/global\/workloadIdentityPools\/\$\{google_container_cluster\.Cluster_[A-F0-9]+\.workload_identity_config\[0\]\.workload_pool\}\/subject\/ns\/keda\/sa\/keda-operator$/,
    );
  });

  test('throws for a master CIDR that is not a /28', () => {
    expect(() => make({ masterIpv4CidrBlock: '172.16.0.0/24' })).toThrow(
      /'masterIpv4CidrBlock' \('172.16.0.0\/24'\) must be a \/28/,
    );
  });

  test('throws for a malformed authorized network', () => {
    expect(() => make({ masterAuthorizedNetworks: [{ cidrBlock: 'office' }] })).toThrow(
      /'masterAuthorizedNetworks.cidrBlock' \('office'\)/,
    );
  });

  test('throws for a malformed kubernetesVersion', () => {
    expect(() => make({ kubernetesVersion: 'latest' })).toThrow(
      /'kubernetesVersion' \('latest'\) must look like/,
    );
  });

  test('refuses a catalogued GPU machine type for the system pool, naming its GPUs', () => {
    expect(() => make({ systemNodePool: { machineType: 'a3-highgpu-8g' } })).toThrow(
      /'systemNodePool.machineType' \('a3-highgpu-8g'\) is an accelerator-optimized machine type \(8x .*H100.*\).*'e2-standard-4'/,
    );
  });

  test.each(['g2-standard-4', 'a4-highgpu-8g', 'a2-megagpu-16g'])(
    'refuses the accelerator-optimized family of %s for the system pool',
    (machineType) => {
      expect(() => make({ systemNodePool: { machineType } })).toThrow(
        /is an accelerator-optimized machine type/,
      );
    },
  );

  test('accepts a general-purpose system machine type', () => {
    expect(() => make({ systemNodePool: { machineType: 'n2-standard-8' } })).not.toThrow();
  });

  test('throws for inverted system pool counts', () => {
    expect(() => make({ systemNodePool: { minNodesPerZone: 3, maxNodesPerZone: 1 } })).toThrow(
      /'systemNodePool' counts/,
    );
  });

  test('throws for an invalid cluster name', () => {
    expect(() => make({ name: 'Cluster_1' })).toThrow(/'name' \('Cluster_1'\)/);
  });

  test('addTrainingNodePool and addInferenceNodePool return the pools', () => {
    const { cluster } = make();
    const t = cluster.addTrainingNodePool('Train', {
      accelerator: Accelerator.A100_80GB,
      nodes: 2,
      zone: 'us-central1-a',
    });
    const i = cluster.addInferenceNodePool('Serve', { accelerator: Accelerator.L4 });
    expect(t.machineType.name).toBe('a2-ultragpu-8g');
    expect(i.machineType.name).toBe('g2-standard-8');
  });

  test('defaults to a regional cluster in the network region named after the construct id', () => {
    const c = clusterOf(make().json());
    expect(c).toMatchObject({ location: 'us-central1', name: 'cluster' });
  });

  test('accepts a zonal location', () => {
    expect(clusterOf(make({ location: 'us-central1-a' }).json()).location).toBe('us-central1-a');
  });

  test('privateEndpoint makes the control plane private and silences the authorized-network warning', () => {
    const { stack, json } = make({ privateEndpoint: true });
    expect(clusterOf(json()).private_cluster_config.enable_private_endpoint).toBe(true);
    expect(warningIds(stack)).not.toContain('gcp-no-authorized-networks');
  });

  test('leaves the Parallelstore and Lustre CSI drivers off by default', () => {
    const a = clusterOf(make().json()).addons_config;
    expect(a.parallelstore_csi_driver_config).toBeUndefined();
    expect(a.lustre_csi_driver_config).toBeUndefined();
  });

  test('deletionProtection false for throwaway clusters', () => {
    expect(clusterOf(make({ deletionProtection: false }).json()).deletion_protection).toBe(false);
  });

  test('pins min_master_version when kubernetesVersion is given', () => {
    expect(clusterOf(make({ kubernetesVersion: '1.32.11-gke.1174000' }).json()).min_master_version).toBe(
      '1.32.11-gke.1174000',
    );
  });

  test('sets the network resource as the default child of the network and the cluster', () => {
    const { cluster } = make();
    expect(cluster.node.defaultChild).toBe(cluster.resource);
  });
});

describe('GkeCluster Gateway API', () => {
  test('defaults to no gateway_api_config (GKE: Gateway API off) and Dataplane V2', () => {
    const c = clusterOf(make().json());
    expect(c.gateway_api_config).toBeUndefined();
    // Dataplane V2 enforces NetworkPolicy (the model servers' ingress policies take effect).
    expect(c.datapath_provider).toBe('ADVANCED_DATAPATH');
  });

  test('gatewayApi sets the channel', () => {
    const { stack } = gcpStack();
    const network = new GkeNetwork(stack, 'Network', {
      project: 'my-proj',
      region: 'us-central1',
      proxyOnlySubnet: { cidr: '10.10.0.0/23' },
    });
    const cluster = new GkeCluster(stack, 'Cluster', { network, gatewayApi: GatewayApiChannel.STANDARD });
    expect(clusterOf(synthJson(stack)).gateway_api_config).toEqual({ channel: 'CHANNEL_STANDARD' });
    expect(cluster.gatewayApi).toBe(GatewayApiChannel.STANDARD);
    expect(warningIds(stack)).not.toContain('gcp-gateway-no-proxy-only-subnet');
  });

  test('warns when the Gateway API is on and the network has no proxy-only subnet', () => {
    const { stack } = make({ gatewayApi: GatewayApiChannel.STANDARD });
    expect(warningIds(stack)).toContain('gcp-gateway-no-proxy-only-subnet');
    const off = make({ gatewayApi: GatewayApiChannel.DISABLED });
    expect(warningIds(off.stack)).not.toContain('gcp-gateway-no-proxy-only-subnet');
  });

  test('throws for a channel GKE does not know', () => {
    expect(() => make({ gatewayApi: 'STANDARD' as GatewayApiChannel })).toThrow(/'gatewayApi'/);
  });
});
