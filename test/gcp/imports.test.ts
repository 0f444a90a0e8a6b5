import { TerraformOutput, TerraformStack } from 'cdktf';
import { Accelerator, ModelSpec, Quantization, SizingAdvice, sizeModel } from '../../lib/core';
import { ArtifactRegistry } from '../../lib/gcp/artifact-registry';
import { CheckpointBucket } from '../../lib/gcp/checkpoint-bucket';
import { GkeCluster, GkeClusterAttributes } from '../../lib/gcp/cluster';
import { InferenceNodePool } from '../../lib/gcp/inference-node-pool';
import { GpuDirect } from '../../lib/gcp/machine-types';
import { GkeNetwork, GkeNetworkAttributes } from '../../lib/gcp/network';
import { GcpPrincipal } from '../../lib/gcp/principal';
import { TrainingNodePool } from '../../lib/gcp/training-node-pool';
import { onlyResource, resourcesOf, synthJson, validationErrorOf } from '../util';
import { gcpStack, warningIds } from './helpers';

const NET: GkeNetworkAttributes = {
  project: 'acme-net',
  region: 'us-central1',
  networkName: 'shared',
  subnetworkName: 'gke-nodes',
  podsRangeName: 'pods',
  servicesRangeName: 'services',
};
const TCPXO_SUBNETS = Array.from({ length: 8 }, (_, i) => ({
  vpcName: `gpu-vpc${i + 1}`,
  subnetName: `gpu-vpc${i + 1}-subnet`,
  cidr: `192.168.${i}.0/24`,
}));
const NODES_SA = 'ml-prod-nodes@acme-ml.iam.gserviceaccount.com';

function imported(
  stack: TerraformStack,
  attrs: Partial<GkeClusterAttributes> = {},
  net: Partial<GkeNetworkAttributes> = {},
) {
  const network = GkeNetwork.fromNetworkAttributes(stack, 'Vpc', { ...NET, ...net });
  return GkeCluster.fromClusterAttributes(stack, 'Cluster', {
    network,
    clusterName: 'ml-prod',
    nodeServiceAccountEmail: NODES_SA,
    ...attrs,
  });
}

describe('GkeCluster.fromClusterAttributes', () => {
  const { stack } = gcpStack();
  const cluster = imported(stack);
  new InferenceNodePool(stack, 'L4', { cluster, accelerator: Accelerator.L4, maxNodes: 4 });
  new TerraformOutput(stack, 'host', { value: cluster.kubernetesProviderConfig().host });
  const json = synthJson(stack);

  test('reads the cluster through a google_container_cluster data source and creates none', () => {
    expect(onlyResource({ resource: json.data }, 'google_container_cluster')).toEqual({
      project: 'acme-net',
      location: 'us-central1',
      name: 'ml-prod',
    });
    expect(json.resource?.google_container_cluster).toBeUndefined();
  });

  test('node pools join it by id and run as its node service account', () => {
    const pool = onlyResource(json, 'google_container_node_pool');
    expect(pool.cluster).toBe('projects/acme-net/locations/us-central1/clusters/ml-prod');
    expect(pool.node_config.service_account).toBe(NODES_SA);
  });

  test('gives the provider configuration from the data source with gke-gcloud-auth-plugin', () => {
    expect(json.output!.host.value).toMatch(
      /^https:\/\/\$\{data\.google_container_cluster\.Cluster_[A-F0-9]+\.endpoint\}$/,
    );
    expect(cluster.kubernetesProviderConfig().exec).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'gke-gcloud-auth-plugin',
      args: [],
    });
  });

  test('defaults to the network region, no multi-networking and no DCGM', () => {
    expect(cluster.location).toBe('us-central1');
    expect(cluster.multiNetworking).toBe(false);
    expect(cluster.dcgmMonitoring).toBe(false);
  });

  test('a TCPXO training pool attaches the imported GPUDirect subnets by name, in order', () => {
    const { stack: s } = gcpStack();
    const c = imported(
      s,
      { multiNetworking: true },
      { gpuDirect: GpuDirect.TCPXO, gpuDirectSubnets: TCPXO_SUBNETS },
    );
    new TrainingNodePool(s, 'Train', {
      cluster: c,
      accelerator: Accelerator.H100,
      machineType: 'a3-megagpu-8g',
      nodes: 2,
      zone: 'us-central1-a',
    });
    const cfgs = onlyResource(synthJson(s), 'google_container_node_pool').network_config
      .additional_node_network_configs;
    expect(cfgs).toHaveLength(8);
    expect(cfgs[0]).toEqual({ network: 'gpu-vpc1', subnetwork: 'gpu-vpc1-subnet' });
    expect(cfgs[7]).toEqual({ network: 'gpu-vpc8', subnetwork: 'gpu-vpc8-subnet' });
    expect(c.gpuDirectNetworks.map((n) => n.kubernetesName)).toEqual(
      TCPXO_SUBNETS.map((_, i) => `vpc${i + 1}`),
    );
  });

  test.each<[string, Partial<GkeClusterAttributes>, RegExp]>([
    ['clusterName', { clusterName: 'ML_prod' }, /'clusterName'/],
    ['location', { location: 'europe-west4' }, /'location' \('europe-west4'\) is not the network's region/],
    [
      'nodeServiceAccountEmail',
      { nodeServiceAccountEmail: '123-compute@developer.gserviceaccount.com' },
      /'nodeServiceAccountEmail'/,
    ],
    ['nodeLocations', { nodeLocations: ['us-east1-b'] }, /'nodeLocations\[0\]'/],
    ['kubernetesVersion', { kubernetesVersion: 'latest' }, /'kubernetesVersion' \('latest'\) must look like/],
    ['multiNetworking', { multiNetworking: 'yes' as unknown as boolean }, /'multiNetworking'/],
  ])('throws a ValidationError for a bad %s', (_p, attrs, message) => {
    expect(validationErrorOf(() => imported(gcpStack().stack, attrs)).message).toMatch(message);
  });
});

describe('GkeNetwork.fromNetworkAttributes', () => {
  test('creates nothing and passes names through', () => {
    const { stack } = gcpStack();
    const net = GkeNetwork.fromNetworkAttributes(stack, 'Vpc', NET);
    expect(net.networkName).toBe('shared');
    expect(net.gpuDirect).toBe(GpuDirect.NONE);
    expect(net.gpuDirectNetworks).toEqual([]);
    expect(synthJson(stack).resource).toBeUndefined();
  });

  test('RDMA subnets are named gvnic-1 then rdma-0..7', () => {
    const subnets = Array.from({ length: 9 }, (_, i) => ({
      vpcName: i ? 'roce' : 'gvnic',
      subnetName: `s${i}`,
      cidr: `192.168.${i}.0/24`,
    }));
    const net = GkeNetwork.fromNetworkAttributes(gcpStack().stack, 'Vpc', {
      ...NET,
      gpuDirect: GpuDirect.RDMA,
      gpuDirectZone: 'us-central1-b',
      gpuDirectSubnets: subnets,
    });
    expect(net.gpuDirectNetworks.map((n) => `${n.kubernetesName}:${n.deviceMode}`)).toEqual([
      'gvnic-1:NetDevice',
      ...Array.from({ length: 8 }, (_, i) => `rdma-${i}:RDMA`),
    ]);
  });

  test('a cluster refuses a control-plane range overlapping its ranges', () => {
    const { stack } = gcpStack();
    const network = GkeNetwork.fromNetworkAttributes(stack, 'Vpc', { ...NET, ipv4Ranges: ['172.16.0.0/16'] });
    expect(validationErrorOf(() => new GkeCluster(stack, 'C', { network })).message).toMatch(
      /'masterIpv4CidrBlock' .* overlaps/,
    );
  });

  test.each<[string, Partial<GkeNetworkAttributes>, RegExp]>([
    ['project', { project: 'X' }, /'project'/],
    ['region', { region: 'us-central1-a' }, /'region'/],
    ['subnetworkName', { subnetworkName: 'Nodes!' }, /'subnetworkName'/],
    [
      'gpuDirectSubnets',
      { gpuDirect: GpuDirect.TCPX, gpuDirectSubnets: TCPXO_SUBNETS },
      /'gpuDirectSubnets' has 8 entries but GPUDirect-TCPX attaches 4/,
    ],
    ['gpuDirectZone', { gpuDirect: GpuDirect.RDMA }, /'gpuDirectZone' is required/],
    [
      'gpuDirectSubnets[0].cidr',
      {
        gpuDirect: GpuDirect.TCPX,
        gpuDirectSubnets: TCPXO_SUBNETS.slice(0, 4).map((s, i) => (i ? s : { ...s, cidr: 'x' })),
      },
      /gpuDirectSubnets\[0\]\.cidr/,
    ],
    ['ipv4Ranges', { ipv4Ranges: ['10.0.0.0/33'] }, /ipv4Ranges\[0\]/],
  ])('throws a ValidationError for a bad %s', (_p, attrs, message) => {
    expect(
      validationErrorOf(() => GkeNetwork.fromNetworkAttributes(gcpStack().stack, 'Vpc', { ...NET, ...attrs }))
        .message,
    ).toMatch(message);
  });
});

describe('CheckpointBucket.fromBucketName', () => {
  const principal = GcpPrincipal.serviceAccount('trainer@acme-ml.iam.gserviceaccount.com');

  test('grants bucket IAM members on the existing bucket, once per grant', () => {
    const { stack } = gcpStack();
    const b = CheckpointBucket.fromBucketName(stack, 'Ckpt', 'acme-ckpt');
    b.grantReadWrite(principal);
    b.grantReadWrite(principal);
    b.grantRead(principal);
    const json = synthJson(stack);
    expect(Object.values(resourcesOf(json, 'google_storage_bucket_iam_member'))).toEqual([
      {
        bucket: 'acme-ckpt',
        role: 'roles/storage.objectUser',
        member: 'serviceAccount:trainer@acme-ml.iam.gserviceaccount.com',
      },
      {
        bucket: 'acme-ckpt',
        role: 'roles/storage.objectViewer',
        member: 'serviceAccount:trainer@acme-ml.iam.gserviceaccount.com',
      },
    ]);
    expect(b.url).toBe('gs://acme-ckpt');
    expect(resourcesOf(json, 'google_storage_bucket')).toEqual({});
  });

  test('throws a ValidationError for a bad bucket name', () => {
    expect(
      validationErrorOf(() => CheckpointBucket.fromBucketName(gcpStack().stack, 'C', 'Bad..Name')).message,
    ).toMatch(/'bucketName'/);
  });
});

describe('ArtifactRegistry.fromRepositoryAttributes', () => {
  const principal = GcpPrincipal.serviceAccount(NODES_SA);

  test('grantPull adds a reader on the repository', () => {
    const { stack } = gcpStack();
    const r = ArtifactRegistry.fromRepositoryAttributes(stack, 'Images', {
      project: 'acme-ml',
      location: 'us-central1',
      repositoryId: 'serving',
    });
    r.grantPull(principal);
    expect(r.repositoryUrl).toBe('us-central1-docker.pkg.dev/acme-ml/serving');
    expect(onlyResource(synthJson(stack), 'google_artifact_registry_repository_iam_member')).toEqual({
      project: 'acme-ml',
      location: 'us-central1',
      repository: 'serving',
      role: 'roles/artifactregistry.reader',
      member: `serviceAccount:${NODES_SA}`,
    });
  });

  test.each([
    ['project', { project: 'A' }],
    ['location', { location: 'mars' }],
    ['repositoryId', { repositoryId: 'Serving' }],
  ])('throws a ValidationError for a bad %s', (prop, attrs) => {
    expect(
      validationErrorOf(() =>
        ArtifactRegistry.fromRepositoryAttributes(gcpStack().stack, 'R', {
          project: 'acme-ml',
          location: 'us-central1',
          repositoryId: 'serving',
          ...attrs,
        }),
      ).message,
    ).toContain(`'${prop}'`);
  });
});

describe('deprecated GCP names', () => {
  test("GkeCluster 'name' still names the cluster, with a deprecated-api warning", () => {
    const { stack } = gcpStack();
    const network = GkeNetwork.fromNetworkAttributes(stack, 'Vpc', NET);
    new GkeCluster(stack, 'C', { network, name: 'old-name' });
    expect(onlyResource(synthJson(stack), 'google_container_cluster').name).toBe('old-name');
    expect(warningIds(stack)).toContain('deprecated-api');
  });

  test("GkeCluster 'clusterName' names the cluster without a warning", () => {
    const { stack } = gcpStack();
    const network = GkeNetwork.fromNetworkAttributes(stack, 'Vpc', NET);
    new GkeCluster(stack, 'C', { network, clusterName: 'new-name' });
    expect(onlyResource(synthJson(stack), 'google_container_cluster').name).toBe('new-name');
    expect(warningIds(stack)).not.toContain('deprecated-api');
  });

  test("throws when 'name' and 'clusterName' are both set", () => {
    const { stack } = gcpStack();
    const network = GkeNetwork.fromNetworkAttributes(stack, 'Vpc', NET);
    expect(
      validationErrorOf(() => new GkeCluster(stack, 'C', { network, name: 'a', clusterName: 'b' })).message,
    ).toMatch(/'name' and 'clusterName' are both set/);
  });

  test('ArtifactRegistry.grantRead still grants, with a deprecated-api warning; grantPull does the same without', () => {
    const p = GcpPrincipal.serviceAccount(NODES_SA);
    const a = gcpStack();
    new ArtifactRegistry(a.stack, 'R', { location: 'us-central1', remotes: [] }).grantRead(p);
    const b = gcpStack();
    new ArtifactRegistry(b.stack, 'R', { location: 'us-central1', remotes: [] }).grantPull(p);
    expect(synthJson(a.stack).resource).toEqual(synthJson(b.stack).resource);
    expect(warningIds(a.stack)).toContain('deprecated-api');
    expect(warningIds(b.stack)).not.toContain('deprecated-api');
  });
});

describe('GKE inference pools raise sizing findings as AWS node groups do', () => {
  test('FP8 on A100 warns weight-only-quantization on the pool', () => {
    const { stack } = gcpStack();
    const sizing = sizeModel({
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.FP8,
      accelerator: Accelerator.A100_80GB,
    });
    expect(sizing.findings.map((f) => f.id)).toContain(SizingAdvice.WEIGHT_ONLY_QUANTIZATION);
    new InferenceNodePool(stack, 'A100', {
      cluster: imported(stack),
      accelerator: Accelerator.A100_80GB,
      sizing,
      maxNodes: 2,
    });
    expect(warningIds(stack)).toContain(SizingAdvice.WEIGHT_ONLY_QUANTIZATION);
  });
});

describe('GKE pool labels follow the AWS rule (core mergeNodeLabels)', () => {
  test('a user label may not redefine the pool-role label (it used to win silently)', () => {
    const { stack } = gcpStack();
    expect(
      validationErrorOf(
        () =>
          new InferenceNodePool(stack, 'L4', {
            cluster: imported(stack),
            accelerator: Accelerator.L4,
            labels: { 'cdktf-ai-infra/pool-role': 'custom' },
          }),
      ).message,
    ).toMatch(/'labels' sets 'cdktf-ai-infra\/pool-role', a label the library sets to 'inference'/);
  });

  test('a kubernetes.io label is refused on GKE as on EKS (NodeRestriction)', () => {
    const { stack } = gcpStack();
    expect(
      validationErrorOf(
        () =>
          new InferenceNodePool(stack, 'L4', {
            cluster: imported(stack),
            accelerator: Accelerator.L4,
            labels: { 'node-role.kubernetes.io/gpu': 'true' },
          }),
      ).message,
    ).toMatch(/NodeRestriction/);
  });
});
