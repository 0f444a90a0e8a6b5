import { Testing } from 'cdktf';
import { build } from '../../examples/gcp-training/main';
import { resourcesOf } from '../util';

describe('examples/gcp-training', () => {
  const app = Testing.app();
  const [stack] = build(app);
  const json = JSON.parse(Testing.synth(stack, true));
  const pools = Object.values(resourcesOf(json, 'google_container_node_pool')) as any[];
  const mega = pools.find((p) => p.name === 'h100-mega')!;

  test('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
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

  test('outputs the GKENetworkParamSet / Network manifests for the workloads stack', () => {
    const manifests = json.output.gpudirect_manifests.value;
    expect(manifests).toHaveLength(16);
    expect(manifests[0]).toMatchObject({
      kind: 'GKENetworkParamSet',
      spec: { vpc: 'train-vpc1', deviceMode: 'NetDevice' },
    });
  });
});
