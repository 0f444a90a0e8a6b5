import {
  Accelerator,
  Capacity,
  CostEstimate,
  ModelSpec,
  Quantization,
  TaintEffect,
  allocatable,
  sizeLlamaCpp,
} from '../../lib/core';
import { CPU_MACHINE_TYPES, CpuInferenceNodePool, CpuInferenceNodePoolProps } from '../../lib/gcp';
import { GkeCluster } from '../../lib/gcp/cluster';
import { GkeNetwork } from '../../lib/gcp/network';
import { resourcesOf, synthJson } from '../util';
import { gcpStack } from './helpers';

const SIZING = sizeLlamaCpp({ model: ModelSpec.LLAMA_3_1_8B, quantization: Quantization.GGUF_Q4_K_M });

function pool(props: Partial<CpuInferenceNodePoolProps> = {}) {
  const { stack } = gcpStack();
  const network = new GkeNetwork(stack, 'Network', { project: 'my-proj', region: 'us-central1' });
  const cluster = new GkeCluster(stack, 'Cluster', { network });
  const p = new CpuInferenceNodePool(stack, 'CpuServe', { cluster, sizing: SIZING, ...props });
  const json = synthJson(stack);
  const res: any = Object.entries(resourcesOf(json, 'google_container_node_pool')).find(([k]) =>
    k.includes('CpuServe'),
  )![1];
  return { stack, p, res };
}

describe('CpuInferenceNodePool defaults', () => {
  const { p, res, stack } = pool();

  test('the cheapest catalogued type holding one replica (7 GiB, 8 vCPUs): n2-standard-16', () => {
    expect(p.machineType.name).toBe('n2-standard-16');
    expect(res.node_config.machine_type).toBe('n2-standard-16');
    expect(res.node_config.guest_accelerator).toBeUndefined();
    expect(allocatable(p.machineType).memoryGiB).toBeGreaterThanOrEqual(SIZING.memoryGiB);
  });

  test('name from the id, autoscaling 0-2, BALANCED, auto repair and upgrade, surge 1', () => {
    expect(res.name).toBe('cpu-serve');
    expect(res.autoscaling).toEqual({
      total_min_node_count: 0,
      total_max_node_count: 2,
      location_policy: 'BALANCED',
    });
    expect(res.management).toEqual({ auto_repair: true, auto_upgrade: true });
    expect(res.upgrade_settings).toEqual({ strategy: 'SURGE', max_surge: 1, max_unavailable: 0 });
  });

  test('COS, Workload Identity metadata, Shielded VM, gVNIC, a disk for the image and the file', () => {
    const n = res.node_config;
    expect(n.image_type).toBe('COS_CONTAINERD');
    expect(n.workload_metadata_config).toEqual({ mode: 'GKE_METADATA' });
    expect(n.shielded_instance_config).toEqual({
      enable_secure_boot: true,
      enable_integrity_monitoring: true,
    });
    expect(n.gvnic).toEqual({ enabled: true });
    expect(n.disk_size_gb).toBe(Math.max(50, 30 + Math.ceil(1.2 * SIZING.fileGiB * p.replicasPerNode)));
  });

  test('the CPU inference label and taint', () => {
    expect(res.node_config.labels).toEqual({
      'cdktf-ai-infra/cpu-inference': 'true',
      'cdktf-ai-infra/node-pool': 'cpu-serve',
      'cdktf-ai-infra/pool-role': 'inference',
    });
    expect(res.node_config.taint).toEqual([
      { key: 'cdktf-ai-infra/cpu-inference', value: 'true', effect: 'NO_SCHEDULE' },
    ]);
  });

  test("a taint on the CPU inference key is dropped (LlamaCppServer tolerates only the library's), others kept", () => {
    const { res: r } = pool({
      taints: [
        { key: 'cdktf-ai-infra/cpu-inference', value: 'false', effect: TaintEffect.NO_EXECUTE },
        { key: 'cdktf-ai-infra/cpu-inference', value: 'true', effect: TaintEffect.NO_SCHEDULE },
        { key: 'dedicated', value: 'llm', effect: TaintEffect.NO_SCHEDULE },
      ],
    });
    expect(r.node_config.taint).toEqual([
      { key: 'cdktf-ai-infra/cpu-inference', value: 'true', effect: 'NO_SCHEDULE' },
      { key: 'dedicated', value: 'llm', effect: 'NO_SCHEDULE' },
    ]);
  });

  test('a cost line at the on-demand price', () => {
    const line = CostEstimate.of(stack).lines.find((l) => l.constructPath.endsWith('CpuServe'))!;
    expect(line.item).toBe('n2-standard-16');
    expect(line.unitPrice.usd).toBe(
      CPU_MACHINE_TYPES.find((t) => t.name === 'n2-standard-16')!.onDemandPrice.usd,
    );
  });
});

describe('CpuInferenceNodePool options', () => {
  test('machineType, spot (ANY), min/max, name', () => {
    const { res } = pool({
      machineType: 'n2-highmem-16',
      capacity: Capacity.spot(),
      minNodes: 1,
      maxNodes: 3,
      name: 'gguf',
    });
    expect(res.name).toBe('gguf');
    expect(res.node_config.machine_type).toBe('n2-highmem-16');
    expect(res.node_config.spot).toBe(true);
    expect(res.autoscaling).toEqual({
      total_min_node_count: 1,
      total_max_node_count: 3,
      location_policy: 'ANY',
    });
  });

  test('a 70 GiB file picks a high-memory type', () => {
    const sizing = sizeLlamaCpp({ model: ModelSpec.LLAMA_3_1_70B, quantization: Quantization.GGUF_Q8_0 });
    expect(pool({ sizing }).p.machineType.name).toBe('n2-highmem-16');
  });
});

describe('CpuInferenceNodePool validation', () => {
  test.each([
    [{ sizing: undefined }, /Give 'sizing'/],
    [{ machineType: 'n2-standard-8' }, /'machineType' n2-standard-8 leaves .* less than one replica/],
    [
      { machineType: 'g2-standard-8' },
      /'machineType' \(g2-standard-8\) is not a catalogued CPU inference machine type/,
    ],
    [{ minNodes: 3, maxNodes: 2 }, /'maxNodes' \(2\) must be >= 'minNodes' \(3\)/],
    [{ capacity: Capacity.flexStart() }, /'capacity' FLEX_START is not offered/],
    [{ diskSizeGb: 10 }, /'diskSizeGb' \(10\)/],
    [{ name: 'Bad_Name' }, /'name'/],
    [
      {
        sizing: sizeLlamaCpp({
          model: ModelSpec.LLAMA_3_1_8B,
          quantization: Quantization.GGUF_Q4_K_M,
          accelerator: Accelerator.L4,
        }),
      },
      /offloads layers to L4: that replica needs a GPU node pool/,
    ],
  ] as Array<[Partial<CpuInferenceNodePoolProps>, RegExp]>)('throws for %o', (p, message) => {
    expect(() => pool(p)).toThrow(message);
  });
});
