import { Accelerator, ValidationError } from '../../lib/core';
import {
  GPU_MACHINE_TYPES,
  GpuDirect,
  lookupMachineType,
  machineTypeByName,
} from '../../lib/gcp/machine-types';

describe('GPU_MACHINE_TYPES', () => {
  test('a3-megagpu-8g uses nvidia-h100-mega-80gb, not nvidia-h100-80gb', () => {
    expect(machineTypeByName('a3-megagpu-8g').acceleratorType).toBe('nvidia-h100-mega-80gb');
  });

  test('a2-ultragpu machine types use nvidia-a100-80gb', () => {
    const ultra = GPU_MACHINE_TYPES.filter((m) => m.name.startsWith('a2-ultragpu-'));
    expect(ultra).toHaveLength(4);
    expect(new Set(ultra.map((m) => m.acceleratorType))).toEqual(new Set(['nvidia-a100-80gb']));
  });

  test('accelerator strings of the other families', () => {
    expect(machineTypeByName('a3-ultragpu-8g').acceleratorType).toBe('nvidia-h200-141gb');
    expect(machineTypeByName('a3-highgpu-8g').acceleratorType).toBe('nvidia-h100-80gb');
    expect(machineTypeByName('a2-highgpu-1g').acceleratorType).toBe('nvidia-tesla-a100');
    expect(machineTypeByName('a2-megagpu-16g').gpuCount).toBe(16);
    expect(machineTypeByName('g2-standard-96').acceleratorType).toBe('nvidia-l4');
  });

  test('GPUDirect layout per A3 machine type (reference/gcp.md §5)', () => {
    const a3h = machineTypeByName('a3-highgpu-8g');
    const a3m = machineTypeByName('a3-megagpu-8g');
    const a3u = machineTypeByName('a3-ultragpu-8g');
    expect([a3h.gpuDirect, a3h.additionalNetworks, a3h.gpuDirectMtu]).toEqual([GpuDirect.TCPX, 4, 8244]);
    expect([a3m.gpuDirect, a3m.additionalNetworks, a3m.gpuDirectMtu]).toEqual([GpuDirect.TCPXO, 8, 8244]);
    expect([a3u.gpuDirect, a3u.additionalNetworks, a3u.gpuDirectMtu]).toEqual([GpuDirect.RDMA, 9, 8896]);
    expect(machineTypeByName('a3-highgpu-4g').gpuDirect).toBe(GpuDirect.NONE);
  });

  test('every machine type has a dated, sourced price (rows pinned in verified-prices.test.ts)', () => {
    for (const m of GPU_MACHINE_TYPES) {
      expect(m.onDemandPrice?.usd).toBeGreaterThan(0);
      expect(m.onDemandPrice?.region).toMatch(/^us-(central1|east4)$/);
      expect(m.onDemandPrice?.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(m.onDemandPrice?.source).toContain('cloud.google.com/compute/vm-instance-pricing');
    }
  });

  test('machine type names are unique', () => {
    expect(new Set(GPU_MACHINE_TYPES.map((m) => m.name)).size).toBe(GPU_MACHINE_TYPES.length);
  });
});

describe('lookupMachineType', () => {
  test('defaults to the preferred shape per accelerator and GPU count', () => {
    expect(lookupMachineType(Accelerator.L4, 1).name).toBe('g2-standard-8');
    expect(lookupMachineType(Accelerator.L4, 2).name).toBe('g2-standard-24');
    expect(lookupMachineType(Accelerator.H100, 8).name).toBe('a3-highgpu-8g');
    expect(lookupMachineType(Accelerator.H100, 2).name).toBe('a3-highgpu-2g');
    expect(lookupMachineType(Accelerator.A100_80GB, 1).name).toBe('a2-ultragpu-1g');
    expect(lookupMachineType(Accelerator.H200, 8).name).toBe('a3-ultragpu-8g');
  });

  test('throws for L40S naming the GCP alternatives and why', () => {
    expect(() => lookupMachineType(Accelerator.L40S, 1)).toThrow(ValidationError);
    expect(() => lookupMachineType(Accelerator.L40S, 1)).toThrow(
      /L40S is not offered on Google Cloud.*g2-standard-24.*a2-ultragpu-1g/,
    );
  });

  test('throws for A10G naming L4 as the same memory class', () => {
    expect(() => lookupMachineType(Accelerator.A10G, 1)).toThrow(
      /A10G is not offered on Google Cloud.*L4 \(g2-standard-\*, 24 GB/,
    );
  });

  test('throws for a GPU count with no machine type', () => {
    expect(() => lookupMachineType(Accelerator.L4, 3)).toThrow(
      /'gpusPerNode' \(3\) has no Google Cloud shape.*available GPU counts are 1, 2, 4, 8/,
    );
  });

  test('machineTypeByName throws for unknown names', () => {
    expect(() => machineTypeByName('a4-highgpu-8g')).toThrow(
      /'machineType' \('a4-highgpu-8g'\) is not a Google Cloud GPU shape/,
    );
  });
});
