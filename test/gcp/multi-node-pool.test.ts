import { Accelerator, Capacity, ModelSpec, Quantization, ValidationError, sizeModel } from '../../lib/core';
import { GkeCluster } from '../../lib/gcp/cluster';
import { InferenceNodePoolOptions } from '../../lib/gcp/inference-node-pool';
import { GpuDirect } from '../../lib/gcp/machine-types';
import { GkeNetwork, GkeNetworkProps } from '../../lib/gcp/network';
import { resourcesOf, synthJson } from '../util';
import { gcpStack, warningIds } from './helpers';

/** Llama 3.1 405B BF16 on 2 nodes of 8 x H100 (TP 8 x PP 2). */
const SIZING = sizeModel({
  model: ModelSpec.LLAMA_3_1_405B,
  quantization: Quantization.BF16,
  accelerator: Accelerator.H100,
  maxNodesPerReplica: 2,
});

function pool(
  opts: Partial<InferenceNodePoolOptions> = {},
  net: Partial<GkeNetworkProps> = { gpuDirect: GpuDirect.TCPX },
) {
  const { stack } = gcpStack();
  const network = new GkeNetwork(stack, 'Network', { project: 'my-proj', region: 'us-central1', ...net });
  const cluster = new GkeCluster(stack, 'Cluster', { network });
  const p = cluster.addInferenceNodePool('Serve405B', {
    accelerator: Accelerator.H100,
    sizing: SIZING,
    maxNodes: 4,
    nodeLocations: ['us-central1-a'],
    ...opts,
  });
  const json = synthJson(stack);
  const res = Object.entries(resourcesOf(json, 'google_container_node_pool')).find(([k]) =>
    k.includes('Serve405B'),
  )![1];
  return { stack, p, res };
}

describe('InferenceNodePool for a multi-node sizing', () => {
  test('nodes carry 8 GPUs each (the sizing per node, not the 16 per replica)', () => {
    const { p, res } = pool();
    expect(SIZING.nodesPerReplica).toBe(2);
    expect(p.nodesPerReplica).toBe(2);
    expect(res.node_config.machine_type).toBe('a3-highgpu-8g');
    expect(res.node_config.guest_accelerator[0].count).toBe(8);
  });

  test('defaults to COMPACT placement and the GPUDirect networks of the cluster', () => {
    const { res } = pool();
    expect(res.placement_policy).toEqual({ type: 'COMPACT' });
    expect(res.network_config.additional_node_network_configs).toHaveLength(4);
  });

  test('a one-node sizing keeps the pool as before: no placement policy, no extra networks', () => {
    const { res } = pool({
      sizing: sizeModel({
        model: ModelSpec.LLAMA_3_1_70B,
        quantization: Quantization.FP8,
        accelerator: Accelerator.H100,
      }),
      nodeLocations: undefined,
    });
    expect(res.placement_policy).toBeUndefined();
    expect(res.network_config?.additional_node_network_configs).toBeUndefined();
  });

  test('throws when maxNodes cannot hold one replica', () => {
    expect(() => pool({ maxNodes: 1 })).toThrow(ValidationError);
    expect(() => pool({ maxNodes: 1 })).toThrow(
      /'maxNodes' \(1\) is less than the 2 nodes one replica of llama-3.1-405b/,
    );
  });

  test('throws when COMPACT placement has no single zone', () => {
    expect(() => pool({ nodeLocations: undefined })).toThrow(
      /spans 2 nodes, so the pool uses COMPACT placement, which needs exactly one zone: set 'nodeLocations'/,
    );
  });

  test('compactPlacement and attachGpuDirectNetworks can be turned off', () => {
    const { res } = pool({
      compactPlacement: false,
      attachGpuDirectNetworks: false,
      nodeLocations: undefined,
    });
    expect(res.placement_policy).toBeUndefined();
    expect(res.network_config?.additional_node_network_configs).toBeUndefined();
  });

  test('warns when GKE refuses COMPACT placement for the capacity (queued provisioning)', () => {
    const { p } = pool({ capacity: Capacity.queuedProvisioning(), nodeLocations: undefined });
    expect(warningIds(p)).toContain('gcp-multi-node-no-compact-placement');
  });
});
