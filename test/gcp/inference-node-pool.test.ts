import {
  Accelerator,
  Capacity,
  CostEstimate,
  ModelSpec,
  PricingModel,
  Quantization,
  sizeModel,
} from '../../lib/core';
import { GkeCluster } from '../../lib/gcp/cluster';
import { InferenceNodePoolOptions } from '../../lib/gcp/inference-node-pool';
import { GkeNetwork } from '../../lib/gcp/network';
import { resourcesOf, synthJson } from '../util';
import { gcpStack, warningIds } from './helpers';

function pool(opts: Partial<InferenceNodePoolOptions> = {}) {
  const { stack } = gcpStack();
  const network = new GkeNetwork(stack, 'Network', { project: 'my-proj', region: 'us-central1' });
  const cluster = new GkeCluster(stack, 'Cluster', { network });
  const p = cluster.addInferenceNodePool('Serve', { accelerator: Accelerator.L4, ...opts });
  const json = synthJson(stack);
  const res = Object.entries(resourcesOf(json, 'google_container_node_pool')).find(([k]) =>
    k.includes('Serve'),
  )![1];
  return { stack, p, res };
}

describe('InferenceNodePool', () => {
  test('defaults to g2-standard-8 with one L4', () => {
    const { res } = pool();
    expect(res.node_config.machine_type).toBe('g2-standard-8');
    expect(res.node_config.guest_accelerator).toEqual([
      { type: 'nvidia-l4', count: 1, gpu_driver_installation_config: { gpu_driver_version: 'DEFAULT' } },
    ]);
  });

  test('defaults to autoscaling from 0 to 4 nodes with BALANCED location policy', () => {
    expect(pool().res.autoscaling).toEqual({
      total_min_node_count: 0,
      total_max_node_count: 4,
      location_policy: 'BALANCED',
    });
  });

  test('spot uses location policy ANY and NO_RESERVATION', () => {
    const { res } = pool({ capacity: Capacity.spot(), maxNodes: 6 });
    expect(res.autoscaling.location_policy).toBe('ANY');
    expect(res.node_config.spot).toBe(true);
    expect(res.node_config.reservation_affinity).toEqual({ consume_reservation_type: 'NO_RESERVATION' });
  });

  test('warns for spot with a single node', () => {
    expect(warningIds(pool({ capacity: Capacity.spot(), maxNodes: 1 }).stack)).toContain(
      'gcp-spot-single-node-inference',
    );
  });

  test('picks a2-ultragpu for A100 80GB and a3-highgpu-2g for 2 x H100', () => {
    expect(pool({ accelerator: Accelerator.A100_80GB }).res.node_config.guest_accelerator[0].type).toBe(
      'nvidia-a100-80gb',
    );
    const h = pool({ accelerator: Accelerator.H100, gpusPerNode: 2, capacity: Capacity.spot() }).res;
    expect(h.node_config.machine_type).toBe('a3-highgpu-2g');
  });

  test('takes GPUs per node from a sizing result', () => {
    const sizing = sizeModel({
      model: ModelSpec.LLAMA_3_1_70B,
      quantization: Quantization.FP8,
      accelerator: Accelerator.H100,
    });
    const { res } = pool({ accelerator: Accelerator.H100, sizing });
    expect(res.node_config.guest_accelerator[0].count).toBe(sizing.gpusPerReplica);
  });

  test('throws when the sizing is for another accelerator', () => {
    const sizing = sizeModel({
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L4,
    });
    expect(() => pool({ accelerator: Accelerator.H100, sizing })).toThrow(
      /'sizing' is for L4 but 'accelerator' is H100/,
    );
  });

  test('throws for L40S naming the nearest GCP alternatives', () => {
    expect(() => pool({ accelerator: Accelerator.L40S })).toThrow(
      /Cluster\/Serve: 'accelerator' L40S is not offered on Google Cloud. Nearest alternatives: Accelerator.L4 with gpusPerNode: 2/,
    );
  });

  test('throws for A10G naming L4', () => {
    expect(() => pool({ accelerator: Accelerator.A10G })).toThrow(
      /A10G is not offered on Google Cloud. Nearest alternatives: Accelerator.L4/,
    );
  });

  test('throws for inverted node counts', () => {
    expect(() => pool({ minNodes: 3, maxNodes: 2 })).toThrow(/'maxNodes' \(2\) must be >= 'minNodes' \(3\)/);
  });

  test('enables image streaming and Workload Identity metadata by default', () => {
    const nc = pool().res.node_config;
    expect(nc.gcfs_config).toEqual({ enabled: true });
    expect(nc.workload_metadata_config).toEqual({ mode: 'GKE_METADATA' });
  });

  test('disables image streaming on request', () => {
    expect(pool({ imageStreaming: false }).res.node_config.gcfs_config).toEqual({ enabled: false });
  });

  test('defaults to surge upgrades with one extra node', () => {
    expect(pool().res.upgrade_settings).toEqual({ strategy: 'SURGE', max_surge: 1, max_unavailable: 0 });
  });

  test('throws for queued provisioning with minNodes above 0', () => {
    expect(() => pool({ capacity: Capacity.queuedProvisioning(), minNodes: 1 })).toThrow(
      /total minimum of 0 nodes \(got 1\)/,
    );
  });

  test('throws for a specific reservation without nodeLocations', () => {
    expect(() => pool({ capacity: Capacity.reservation('l4-res') })).toThrow(
      /a specific reservation needs explicit zones/,
    );
  });

  test('a specific reservation with nodeLocations', () => {
    const { res } = pool({ capacity: Capacity.reservation('l4-res'), nodeLocations: ['us-central1-a'] });
    expect(res.node_locations).toEqual(['us-central1-a']);
    expect(res.node_config.reservation_affinity.values).toEqual(['l4-res']);
  });

  test('throws for nodeLocations outside the region', () => {
    expect(() => pool({ nodeLocations: ['us-east1-b'] })).toThrow(
      /'nodeLocations\[0\]' \('us-east1-b'\) is in region 'us-east1', not in 'us-central1'/,
    );
  });

  test('flex-start disables auto-repair by default', () => {
    const { res } = pool({ capacity: Capacity.flexStart() });
    expect(res.management.auto_repair).toBe(false);
    expect(res.node_config.flex_start).toBe(true);
  });

  test('adds a cost line from minNodes to maxNodes', () => {
    const { stack } = pool({ minNodes: 1, maxNodes: 3, capacity: Capacity.spot() });
    expect(CostEstimate.of(stack).lines.find((l) => l.item === 'g2-standard-8')).toMatchObject({
      minQuantity: 1,
      maxQuantity: 3,
      pricingModel: PricingModel.SPOT,
    });
  });
});

describe('InferenceNodePool initial size', () => {
  test('spreads the total minimum over explicit zones, rounded up', () => {
    expect(
      pool({ minNodes: 3, maxNodes: 6, nodeLocations: ['us-central1-a', 'us-central1-b'] }).res
        .initial_node_count,
    ).toBe(2);
  });

  test('ignores later changes of initial_node_count, which would replace the pool', () => {
    // initial_node_count is ForceNew in google_container_node_pool and follows minNodes.
    expect(
      pool({ minNodes: 3, maxNodes: 6, nodeLocations: ['us-central1-a', 'us-central1-b'] }).res.lifecycle,
    ).toEqual({ ignore_changes: ['initial_node_count'] });
  });

  test('starts at 0 when the zones are GKE-chosen', () => {
    expect(pool({ minNodes: 2 }).res.initial_node_count).toBe(0);
  });
});

describe('InferenceNodePool capacity', () => {
  test('throws for an AWS capacity block naming the GCP alternatives', () => {
    expect(() => pool({ capacity: Capacity.capacityBlock('cr-0123456789abcdef0') })).toThrow(
      /Google Cloud has no such capacity.*Capacity\.flexStart\(\)/,
    );
  });

  test('throws for a machine type with another accelerator', () => {
    expect(() => pool({ machineType: 'a2-highgpu-1g' })).toThrow(
      /'machineType' \(a2-highgpu-1g\) carries A100_40GB, not 'accelerator' L4/,
    );
  });

  test('accepts a non-preferred machine type with the same GPU', () => {
    expect(pool({ machineType: 'g2-standard-4' }).res.node_config.machine_type).toBe('g2-standard-4');
  });

  test('refuses a label value Kubernetes rejects instead of changing it silently', () => {
    expect(() => pool({ labels: { model: 'Llama 3.1 8B' } })).toThrow(
      /'labels\['model'\]' \('Llama 3.1 8B'\) is not a valid Kubernetes label value/,
    );
  });

  test('refuses two label keys instead of merging them', () => {
    // normalizeKubernetesLabels turned both into 'team_a'; now neither is a valid key.
    expect(() => pool({ labels: { 'team a': 'x', 'team_a ': 'y' } })).toThrow(
      /is not a valid Kubernetes label key/,
    );
  });
});
