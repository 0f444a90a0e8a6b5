import { Testing } from 'cdktf';
import { build } from '../../examples/gcp-training/main';
import { GKE_GPUDIRECT_IMAGES, GKE_GPUDIRECT_MANIFESTS, PodSecurityLevel, imageRef } from '../../lib/k8s';
import { checkPodsOfStacks, restrictedViolations } from '../k8s/pod-security-standards';
import { kubernetesSchemaProblems } from '../consumers/k8s-schema';
import { resourcesOf, synthJson, warningsWithId } from '../util';

describe('examples/gcp-training', () => {
  const app = Testing.app();
  const [stack, platform] = build(app);
  const json = synthJson(stack);
  const platformJson: any = synthJson(platform);
  const platformManifests = Object.values(resourcesOf(platformJson, 'kubernetes_manifest')).map(
    (r: any) => r.manifest,
  );
  const pools = Object.values(resourcesOf(json, 'google_container_node_pool')) as any[];
  const mega = pools.find((p) => p.name === 'h100-mega')!;

  test('raises no deprecated-api warning (the example uses only current names)', () => {
    expect(warningsWithId(stack, 'deprecated-api')).toEqual([]);
  });

  test('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  test('the platform stack matches the snapshot', () => {
    expect(platformJson).toMatchSnapshot();
  });

  test('a3-megagpu-8g gang uses the mega accelerator string, 8 TCPXO networks and compact placement', () => {
    expect(mega.node_config.guest_accelerator[0].type).toBe('nvidia-h100-mega-80gb');
    expect(mega.network_config.additional_node_network_configs).toHaveLength(8);
    expect(mega.placement_policy).toEqual({ type: 'COMPACT' });
    expect(mega.node_locations).toEqual(['us-central1-a']);
  });

  test('the gang consumes the specific reservation block', () => {
    expect(mega.node_config.reservation_affinity).toEqual({
      consume_reservation_type: 'SPECIFIC_RESERVATION',
      key: 'compute.googleapis.com/reservation-name',
      values: ['projects/acme-ml-training/reservations/a3-mega-train/reservationBlocks/block-0001'],
    });
  });

  test('the flex-start pool autoscales from zero without auto-repair', () => {
    const flex = pools.find((p) => p.name === 'h100-mega-flex')!;
    expect(flex.node_config.flex_start).toBe(true);
    expect(flex.management.auto_repair).toBe(false);
    expect(flex.autoscaling.total_min_node_count).toBe(0);
  });

  test('the cluster has multi-networking and the 8 GPUDirect VPCs use MTU 8244', () => {
    const cluster = Object.values(resourcesOf(json, 'google_container_cluster'))[0] as any;
    expect(cluster.enable_multi_networking).toBe(true);
    const vpcs = Object.values(resourcesOf(json, 'google_compute_network')) as any[];
    expect(vpcs.filter((v) => v.mtu === 8244)).toHaveLength(8);
  });

  test('the checkpoint bucket is HNS, protected and writable by the trainer KSA', () => {
    const b = (Object.values(resourcesOf(json, 'google_storage_bucket')) as any[]).find(
      (x) => x.name === 'acme-llm-checkpoints',
    );
    expect(b).toMatchObject({
      hierarchical_namespace: { enabled: true },
      lifecycle: { prevent_destroy: true },
    });
    const members = (Object.values(resourcesOf(json, 'google_storage_bucket_iam_member')) as any[]).map(
      (m) => m.member,
    );
    expect(members).toContain(
      'principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/${google_container_cluster.Cluster_EB0386A7.workload_identity_config[0].workload_pool}/subject/ns/training/sa/trainer',
    );
  });

  test('the budget amount comes from the cost estimate', () => {
    const budget = Object.values(resourcesOf(json, 'google_billing_budget'))[0] as any;
    expect(Number(budget.amount.specified_amount.units)).toBeGreaterThan(100000);
    expect(budget.budget_filter.labels).toEqual({ 'cost-center': 'llm-pretraining' });
  });

  test('the platform stack applies a GKENetworkParamSet and a Network per TCPXO network', () => {
    const sets = platformManifests.filter((m) => m.kind === 'GKENetworkParamSet');
    expect(sets).toHaveLength(8);
    expect(sets[0]).toMatchObject({
      metadata: { name: 'vpc1' },
      spec: { vpc: 'train-vpc1', deviceMode: 'NetDevice' },
    });
    expect(platformManifests.filter((m) => m.kind === 'Network')).toHaveLength(8);
  });

  test('the platform stack installs the pinned TCPXO NCCL plugin and the NRI device injector', () => {
    const urls = Object.values(platformJson.data.http).map((d: any) => d.url);
    expect(urls.sort()).toEqual(
      [GKE_GPUDIRECT_MANIFESTS.ncclTcpxoInstaller.url, GKE_GPUDIRECT_MANIFESTS.nriDeviceInjector.url].sort(),
    );
  });

  test('the experiments compute class tries Spot, then flex-start for a day, on a3-highgpu-8g', () => {
    const cc = platformManifests.find((m) => m.kind === 'ComputeClass');
    expect(cc.metadata.name).toBe('h100-experiments');
    expect(
      cc.spec.priorities.map((p: any) => [
        p.machineType,
        p.spot,
        p.flexStart?.enabled,
        p.maxRunDurationSeconds,
      ]),
    ).toEqual([
      ['a3-highgpu-8g', true, undefined, undefined],
      ['a3-highgpu-8g', undefined, true, 86400],
    ]);
    expect(cc.spec.nodePoolAutoCreation).toEqual({ enabled: true });
  });

  test('node auto-provisioning lets GKE 1.32 create the class nodes within H100 limits', () => {
    const cluster = Object.values(resourcesOf(json, 'google_container_cluster'))[0] as any;
    expect(cluster.cluster_autoscaling.resource_limits).toContainEqual({
      resource_type: 'nvidia-h100-80gb',
      minimum: 0,
      maximum: 64,
    });
  });

  test('every in-cluster object passes its schema', () => {
    expect(kubernetesSchemaProblems(platformJson)).toEqual([]);
  });
});

describe('examples/gcp-training: the workloads stack (GPUDirect-TCPXO training)', () => {
  const app = Testing.app();
  const stacks = build(app);
  const workloads = stacks[2];
  const json = synthJson(workloads);
  const jobSet = (Object.values(resourcesOf(json, 'kubernetes_manifest')) as any[])
    .map((r) => r.manifest)
    .find((m) => m.kind === 'JobSet');
  const template = jobSet.spec.replicatedJobs[0].template.spec.template;

  test('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  test('the gang runs on the reserved A3 Mega pool with the TCPXO RxDM sidecar, 8 networks and the NCCL environment', () => {
    expect(template.spec.nodeSelector['cdktf-ai-infra/node-pool']).toBe('h100-mega');
    expect(template.spec.initContainers.map((c: any) => c.name)).toEqual([
      'tcpxo-daemon',
      'preflight-nccl-init',
    ]);
    expect(template.spec.initContainers[0].image).toBe(imageRef(GKE_GPUDIRECT_IMAGES.tcpxoRxdm));
    expect(JSON.parse(template.metadata.annotations['networking.gke.io/interfaces'])).toHaveLength(9);
    const env = Object.fromEntries(template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env.NCCL_FASTRAK_IFNAME).toBe('eth1,eth2,eth3,eth4,eth5,eth6,eth7,eth8');
    expect(env.CHECKPOINT_URI).toBe('gs://acme-llm-checkpoints/llama-pretrain/');
  });

  test('the pods break Pod Security "restricted" only where GPUDirect needs it, in a namespace enforcing privileged', () => {
    const ns = Object.values(resourcesOf(json, 'kubernetes_namespace_v1'))[0] as any;
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe(PodSecurityLevel.PRIVILEGED);
    expect(restrictedViolations(template.spec).length).toBeGreaterThan(0);
    // The generic check, with the named GKE GPUDirect exceptions (host paths, the RxDM sidecar).
    const { pods, problems } = checkPodsOfStacks([json]);
    expect(pods).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  test('every in-cluster object passes its schema', () => {
    expect(kubernetesSchemaProblems(json)).toEqual([]);
  });
});
