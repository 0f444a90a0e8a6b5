import { TerraformVariable } from 'cdktf';
import {
  Accelerator,
  ACCELERATOR_NODE_LABEL,
  Capacity,
  CostEstimate,
  PricingModel,
  TaintEffect,
} from '../../lib/core';
import { GkeCluster, GkeClusterProps } from '../../lib/gcp/cluster';
import { GpuDirect } from '../../lib/gcp/machine-types';
import { GkeNetwork, GkeNetworkProps } from '../../lib/gcp/network';
import { GpuDriverVersion, UpgradeStrategy } from '../../lib/gcp/node-pool-options';
import { TrainingNodePoolOptions } from '../../lib/gcp/training-node-pool';
import { resourcesOf, synthJson } from '../util';
import { gcpStack, warningIds } from './helpers';

function setup(net: Partial<GkeNetworkProps> = {}, cl: Partial<GkeClusterProps> = {}) {
  const { stack } = gcpStack();
  const network = new GkeNetwork(stack, 'Network', { project: 'my-proj', region: 'us-central1', ...net });
  const cluster = new GkeCluster(stack, 'Cluster', { network, ...cl });
  return { stack, cluster };
}
const MEGA: TrainingNodePoolOptions = {
  accelerator: Accelerator.H100,
  machineType: 'a3-megagpu-8g',
  nodes: 4,
  zone: 'us-central1-a',
};

function pool(
  opts: Partial<TrainingNodePoolOptions> = {},
  net: Partial<GkeNetworkProps> = { gpuDirect: GpuDirect.TCPXO },
  cl: Partial<GkeClusterProps> = {},
) {
  const s = setup(net, cl);
  const p = s.cluster.addTrainingNodePool('Train', { ...MEGA, ...opts });
  const json = synthJson(s.stack);
  const res = Object.entries(resourcesOf(json, 'google_container_node_pool')).find(([k]) =>
    k.includes('Train'),
  )![1];
  return { ...s, p, res };
}

/** `pool()` with no options, built once for the tests that only read it (none changes it). */
let defaults: ReturnType<typeof pool> | undefined;
function defaultPool(): ReturnType<typeof pool> {
  return (defaults ??= pool());
}

describe('TrainingNodePool', () => {
  test('uses the exact accelerator string of a3-megagpu-8g', () => {
    expect(defaultPool().res.node_config.guest_accelerator).toEqual([
      {
        type: 'nvidia-h100-mega-80gb',
        count: 8,
        gpu_driver_installation_config: { gpu_driver_version: 'DEFAULT' },
      },
    ]);
  });

  test('defaults to a3-highgpu-8g for 8 x H100', () => {
    const { res } = pool({ machineType: undefined }, { gpuDirect: GpuDirect.TCPX });
    expect(res.node_config.machine_type).toBe('a3-highgpu-8g');
    expect(res.node_config.guest_accelerator[0].type).toBe('nvidia-h100-80gb');
  });

  test('installs the LATEST driver on request', () => {
    expect(
      pool({ gpuDriverVersion: GpuDriverVersion.LATEST }).res.node_config.guest_accelerator[0]
        .gpu_driver_installation_config,
    ).toEqual({
      gpu_driver_version: 'LATEST',
    });
  });

  test('throws for INSTALLATION_DISABLED on a DCGM cluster', () => {
    expect(() => pool({ gpuDriverVersion: GpuDriverVersion.INSTALLATION_DISABLED })).toThrow(
      /GKE's DCGM metrics need Google-managed drivers/,
    );
  });

  test('allows INSTALLATION_DISABLED without DCGM', () => {
    expect(
      pool(
        { gpuDriverVersion: GpuDriverVersion.INSTALLATION_DISABLED },
        { gpuDirect: GpuDirect.TCPXO },
        { dcgmMonitoring: false },
      ).res.node_config.guest_accelerator[0].gpu_driver_installation_config,
    ).toEqual({ gpu_driver_version: 'INSTALLATION_DISABLED' });
  });

  test('attaches the 8 TCPXO networks in order', () => {
    const cfgs = defaultPool().res.network_config.additional_node_network_configs;
    expect(cfgs).toHaveLength(8);
    expect(cfgs[0].network).toMatch(/google_compute_network\.Network_GpuDirectVpc1_\w+\.name/);
    expect(cfgs[7].subnetwork).toMatch(/google_compute_subnetwork\.Network_GpuDirectSubnet8_\w+\.name/);
  });

  test('attaches 4 TCPX networks to a3-highgpu-8g', () => {
    const { res } = pool({ machineType: 'a3-highgpu-8g' }, { gpuDirect: GpuDirect.TCPX });
    expect(res.network_config.additional_node_network_configs).toHaveLength(4);
  });

  test('attaches 9 networks to a3-ultragpu-8g in the RDMA zone', () => {
    const { res } = pool(
      {
        accelerator: Accelerator.H200,
        machineType: 'a3-ultragpu-8g',
        zone: undefined,
        capacity: Capacity.reservation('ultra'),
      },
      { gpuDirect: GpuDirect.RDMA, gpuDirectZone: 'us-central1-b' },
    );
    expect(res.network_config.additional_node_network_configs).toHaveLength(9);
    expect(res.node_locations).toEqual(['us-central1-b']);
  });

  test('throws when an RDMA pool is in another zone than the RoCE profile', () => {
    expect(() =>
      pool(
        { accelerator: Accelerator.H200, machineType: 'a3-ultragpu-8g', zone: 'us-central1-a' },
        { gpuDirect: GpuDirect.RDMA, gpuDirectZone: 'us-central1-b' },
      ),
    ).toThrow(/differs from the network's gpuDirectZone \('us-central1-b'\)/);
  });

  test('throws when the network provides another GPUDirect type', () => {
    expect(() => pool({}, { gpuDirect: GpuDirect.TCPX })).toThrow(
      /a3-megagpu-8g needs GPUDirect-TCPXO \(8 extra networks\) but the cluster's network provides GPUDirect-TCPX \(4\)/,
    );
  });

  test('throws when GPUDirect networks join a cluster without multi-networking', () => {
    expect(() => pool({}, { gpuDirect: GpuDirect.TCPXO }, { multiNetworking: false })).toThrow(
      /created without multi-networking/,
    );
  });

  test('warns when the network has no GPUDirect VPCs', () => {
    const { stack, res } = pool({}, {});
    expect(res.network_config).toBeUndefined();
    expect(warningIds(stack)).toContain('gcp-gpudirect-missing');
  });

  test('skips the GPUDirect networks with attachGpuDirectNetworks false', () => {
    expect(pool({ attachGpuDirectNetworks: false }).res.network_config).toBeUndefined();
  });

  test('defaults to COMPACT placement in one zone with a static size', () => {
    const { res } = defaultPool();
    expect(res.placement_policy).toEqual({ type: 'COMPACT' });
    expect(res.node_locations).toEqual(['us-central1-a']);
    expect(res.node_count).toBe(4);
    expect(res.autoscaling).toBeUndefined();
  });

  test('carries the GPU taint and the accelerator label', () => {
    const nc = defaultPool().res.node_config;
    expect(nc.taint).toEqual([{ key: 'nvidia.com/gpu', value: 'present', effect: 'NO_SCHEDULE' }]);
    expect(nc.labels[ACCELERATOR_NODE_LABEL]).toBe('h100');
  });

  test('adds user taints and labels', () => {
    const nc = pool({
      taints: [{ key: 'team', value: 'llm', effect: TaintEffect.NO_EXECUTE }],
      labels: { team: 'llm' },
    }).res.node_config;
    expect(nc.taint).toContainEqual({ key: 'team', value: 'llm', effect: 'NO_EXECUTE' });
    expect(nc.labels.team).toBe('llm');
  });

  test('defaults to gVNIC, GKE_METADATA, image streaming and Shielded nodes', () => {
    const nc = defaultPool().res.node_config;
    expect(nc.gvnic).toEqual({ enabled: true });
    expect(nc.workload_metadata_config).toEqual({ mode: 'GKE_METADATA' });
    expect(nc.gcfs_config).toEqual({ enabled: true });
    expect(nc.shielded_instance_config).toEqual({
      enable_secure_boot: true,
      enable_integrity_monitoring: true,
    });
  });

  test('defaults to on-demand consuming any matching reservation', () => {
    const nc = defaultPool().res.node_config;
    expect(nc.reservation_affinity).toEqual({ consume_reservation_type: 'ANY_RESERVATION' });
    expect(nc.spot).toBeUndefined();
  });

  test('defaults to surge upgrades without extra GPU nodes', () => {
    expect(defaultPool().res.upgrade_settings).toEqual({
      strategy: 'SURGE',
      max_surge: 0,
      max_unavailable: 1,
    });
  });

  test('spot sets spot and NO_RESERVATION and warns about the gang', () => {
    const { res, stack } = pool({ capacity: Capacity.spot() });
    expect(res.node_config.spot).toBe(true);
    expect(res.node_config.reservation_affinity).toEqual({ consume_reservation_type: 'NO_RESERVATION' });
    expect(warningIds(stack)).toContain('gcp-spot-training-gang');
  });

  test('a specific reservation uses the reservation-name key', () => {
    expect(pool({ capacity: Capacity.reservation('mega-res') }).res.node_config.reservation_affinity).toEqual(
      {
        consume_reservation_type: 'SPECIFIC_RESERVATION',
        key: 'compute.googleapis.com/reservation-name',
        values: ['mega-res'],
      },
    );
  });

  test('throws for a block of a reservation shared from another project', () => {
    expect(() =>
      pool({ capacity: Capacity.reservation('mega-res', { project: 'shared', block: 'block-1' }) }),
    ).toThrow(/GKE does not consume blocks of a reservation shared from another project/);
  });

  test('a shared reservation renders the project path', () => {
    const ra = pool({ capacity: Capacity.reservation('mega-res', { project: 'shared' }) }).res.node_config
      .reservation_affinity;
    expect(ra.values).toEqual(['projects/shared/reservations/mega-res']);
  });

  test('a block with the cluster project named explicitly renders the block path', () => {
    const ra = pool({ capacity: Capacity.reservation('mega-res', { project: 'my-proj', block: 'b1' }) }).res
      .node_config.reservation_affinity;
    expect(ra.values).toEqual(['projects/my-proj/reservations/mega-res/reservationBlocks/b1']);
  });

  test('a reservation block defaults to the cluster project', () => {
    const ra = pool({ capacity: Capacity.reservation('mega-res', { block: 'b2' }) }).res.node_config
      .reservation_affinity;
    expect(ra.values).toEqual(['projects/my-proj/reservations/mega-res/reservationBlocks/b2']);
  });

  test('throws for a reservation name GCE would reject', () => {
    expect(() => pool({ capacity: Capacity.reservation('cr-0123456789abcdef0'.toUpperCase()) })).toThrow(
      /must be 1-63 lower-case letters, digits and '-'/,
    );
  });

  test('flex-start autoscales from 0 with max_run_duration, no auto-repair and no compact placement on A3 Mega', () => {
    const { res, stack } = pool({ capacity: Capacity.flexStart({ maxRunDurationSeconds: 86400 }) });
    expect(res.node_config).toMatchObject({ flex_start: true, max_run_duration: '86400s' });
    expect(res.node_config.reservation_affinity).toEqual({ consume_reservation_type: 'NO_RESERVATION' });
    expect(res.autoscaling).toEqual({
      total_min_node_count: 0,
      total_max_node_count: 4,
      location_policy: 'ANY',
    });
    expect(res.node_count).toBeUndefined();
    expect(res.management).toEqual({ auto_repair: false, auto_upgrade: true });
    expect(res.placement_policy).toBeUndefined();
    expect(warningIds(stack)).toContain('gcp-training-no-compact-placement');
  });

  test('flex-start keeps COMPACT placement on a3-ultragpu-8g', () => {
    const { res } = pool(
      {
        accelerator: Accelerator.H200,
        machineType: 'a3-ultragpu-8g',
        zone: 'us-central1-b',
        capacity: Capacity.flexStart(),
      },
      { gpuDirect: GpuDirect.RDMA, gpuDirectZone: 'us-central1-b' },
    );
    expect(res.placement_policy).toEqual({ type: 'COMPACT' });
  });

  test('throws for flex-start with compactPlacement true on A3 Mega', () => {
    expect(() => pool({ capacity: Capacity.flexStart(), compactPlacement: true })).toThrow(
      /flex-start with COMPACT placement is only offered on a3-ultragpu-\*/,
    );
  });

  test('throws for flex-start with autoRepair true', () => {
    expect(() => pool({ capacity: Capacity.flexStart(), autoRepair: true })).toThrow(
      /'autoRepair' \(true\) is not allowed with flex-start/,
    );
  });

  test('queued provisioning autoscales from 0 with the gke-queued label and no compact placement', () => {
    const { res } = pool({ capacity: Capacity.queuedProvisioning() });
    expect(res.queued_provisioning).toEqual({ enabled: true });
    expect(res.autoscaling.total_min_node_count).toBe(0);
    expect(res.node_config.labels['cloud.google.com/gke-queued']).toBe('true');
    expect(res.node_config.reservation_affinity).toEqual({ consume_reservation_type: 'NO_RESERVATION' });
    expect(res.placement_policy).toBeUndefined();
  });

  test('throws for queued provisioning with compactPlacement true', () => {
    expect(() => pool({ capacity: Capacity.queuedProvisioning(), compactPlacement: true })).toThrow(
      /cannot be combined with queued provisioning/,
    );
  });

  test('throws for COMPACT placement with BLUE_GREEN upgrades', () => {
    expect(() => pool({ upgradeStrategy: UpgradeStrategy.BLUE_GREEN })).toThrow(
      /BLUE_GREEN cannot be combined with COMPACT/,
    );
  });

  test('allows BLUE_GREEN without compact placement', () => {
    expect(
      pool({ upgradeStrategy: UpgradeStrategy.BLUE_GREEN, compactPlacement: false }).res.upgrade_settings
        .strategy,
    ).toBe('BLUE_GREEN');
  });

  test('throws for an AWS capacity block naming the GCP alternatives', () => {
    expect(() => pool({ capacity: Capacity.capacityBlock('cr-0123456789abcdef0') })).toThrow(
      /AWS EC2 Capacity Block; Google Cloud has no such capacity.*Capacity\.reservation.*Capacity\.flexStart\(\).*Capacity\.queuedProvisioning\(\)/,
    );
  });

  test('throws without a zone on a regional cluster', () => {
    expect(() => pool({ zone: undefined })).toThrow(
      /'zone' is required for a training pool on the regional cluster 'us-central1'/,
    );
  });

  test('uses the cluster zone of a zonal cluster', () => {
    expect(
      pool({ zone: undefined }, { gpuDirect: GpuDirect.TCPXO }, { location: 'us-central1-c' }).res
        .node_locations,
    ).toEqual(['us-central1-c']);
  });

  test('throws for a zone outside the region', () => {
    expect(() => pool({ zone: 'europe-west4-a' })).toThrow(
      /'zone' \('europe-west4-a'\) is in region 'europe-west4', not in 'us-central1'/,
    );
  });

  test('throws for a machine type with another accelerator', () => {
    expect(() => pool({ accelerator: Accelerator.A100_80GB })).toThrow(
      /'machineType' \(a3-megagpu-8g\) carries H100, not 'accelerator' A100_80GB/,
    );
  });

  test('throws for a machine type with another GPU count', () => {
    expect(() => pool({ gpusPerNode: 4 })).toThrow(
      /'machineType' \(a3-megagpu-8g\) has 8 GPUs but 'gpusPerNode' is 4/,
    );
  });

  test('throws for nodes below 1', () => {
    expect(() => pool({ nodes: 0 })).toThrow(/'nodes' \(0\) must be a whole number from 1/);
  });

  test('throws for L40S with GCP alternatives', () => {
    expect(() => pool({ accelerator: Accelerator.L40S, machineType: undefined })).toThrow(
      /Cluster\/Train: 'accelerator' L40S is not offered on Google Cloud/,
    );
  });

  test('throws for an invalid boot disk size', () => {
    expect(() => pool({ bootDiskSizeGiB: 10 })).toThrow(
      /'bootDiskSizeGiB' \(10\) must be a whole number from 50 to 65536/,
    );
  });

  test('warns for on-demand on a machine not sold on-demand', () => {
    const { stack } = pool({ machineType: 'a3-highgpu-4g', gpusPerNode: 4 }, {});
    expect(warningIds(stack)).toContain('gcp-consumption-option');
  });

  test('warns when the cluster version is below the GPUDirect floor', () => {
    const { stack } = pool({}, { gpuDirect: GpuDirect.TCPXO }, { kubernetesVersion: '1.30.5-gke.1000' });
    expect(warningIds(stack)).toContain('gcp-gpudirect-version-floor');
  });

  test('does not warn for a version above the floor', () => {
    const { stack } = pool({}, { gpuDirect: GpuDirect.TCPXO }, { kubernetesVersion: '1.32.11-gke.1174000' });
    expect(warningIds(stack)).not.toContain('gcp-gpudirect-version-floor');
  });

  test('adds an on-demand line to the cost estimate', () => {
    const { stack } = defaultPool();
    const line = CostEstimate.of(stack).lines.find((l) => l.item === 'a3-megagpu-8g')!;
    expect(line).toMatchObject({ minQuantity: 4, maxQuantity: 4, pricingModel: PricingModel.ON_DEMAND });
  });

  test('prices spot lines as SPOT and reservations as RESERVED', () => {
    expect(
      CostEstimate.of(pool({ capacity: Capacity.spot() }).stack).lines.find(
        (l) => l.item === 'a3-megagpu-8g',
      )!.pricingModel,
    ).toBe(PricingModel.SPOT);
    expect(
      CostEstimate.of(pool({ capacity: Capacity.reservation('r') }).stack).lines.find(
        (l) => l.item === 'a3-megagpu-8g',
      )!.pricingModel,
    ).toBe(PricingModel.RESERVED);
  });

  test('sets the pool as the default child', () => {
    const { p } = defaultPool();
    expect(p.node.defaultChild).toBe(p.resource);
  });

  test('defaults the pool name to the construct id in kebab case', () => {
    expect(defaultPool().res.name).toBe('train');
  });

  test('defaults to a 200 GiB pd-ssd boot disk on COS', () => {
    expect(defaultPool().res.node_config).toMatchObject({
      disk_size_gb: 200,
      disk_type: 'pd-ssd',
      image_type: 'COS_CONTAINERD',
    });
  });

  test('defaults to auto-repair and auto-upgrade on', () => {
    expect(defaultPool().res.management).toEqual({ auto_repair: true, auto_upgrade: true });
  });

  test('runs as the cluster node service account with the cloud-platform scope', () => {
    const nc = defaultPool().res.node_config;
    expect(nc.service_account).toMatch(/google_service_account\.\w+\.email/);
    expect(nc.oauth_scopes).toEqual(['https://www.googleapis.com/auth/cloud-platform']);
  });
});

describe('TrainingNodePool boot disk', () => {
  test('uses hyperdisk-balanced on a3-ultragpu-8g', () => {
    const { res } = pool(
      {
        accelerator: Accelerator.H200,
        machineType: 'a3-ultragpu-8g',
        zone: 'us-central1-b',
        capacity: Capacity.reservation('ultra'),
      },
      { gpuDirect: GpuDirect.RDMA, gpuDirectZone: 'us-central1-b' },
    );
    expect(res.node_config.disk_type).toBe('hyperdisk-balanced');
  });
});

describe('TrainingNodePool tokens', () => {
  test('accepts a reservation name from a Terraform variable', () => {
    const { stack, cluster } = setup({ gpuDirect: GpuDirect.TCPXO });
    const v = new TerraformVariable(stack, 'reservation', { type: 'string' });
    cluster.addTrainingNodePool('Train', { ...MEGA, capacity: Capacity.reservation(v.stringValue) });
    const res = Object.values(resourcesOf(synthJson(stack), 'google_container_node_pool')).find(
      (p: any) => p.name === 'train',
    ) as any;
    expect(res.node_config.reservation_affinity.values).toEqual(['${var.reservation}']);
  });
});
