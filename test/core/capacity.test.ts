import {
  Accelerator,
  Capacity,
  CapacityKind,
  GPU_TAINT,
  ModelSpec,
  Quantization,
  TaintEffect,
  gpuPoolTaints,
  resolveInferenceGpusPerNode,
  resolveInferenceNodeCounts,
  resolveTrainingNodes,
  sizeModel,
} from '../../lib/core';

describe('Capacity', () => {
  test('factories set the kind and ids', () => {
    expect(Capacity.onDemand().kind).toBe(CapacityKind.ON_DEMAND);
    expect(Capacity.spot().isPreemptible).toBe(true);
    expect(Capacity.reservation('cr-0abc1234', { project: 'p' }).reservationOptions.project).toBe('p');
    expect(Capacity.capacityBlock('cr-0123456789abcdef0').reservationId).toBe('cr-0123456789abcdef0');
    expect(Capacity.queuedProvisioning().kind).toBe(CapacityKind.QUEUED_PROVISIONING);
  });

  test('flex-start defaults to the 7-day maximum run', () => {
    expect(Capacity.flexStart().maxRunDurationSeconds).toBe(604800);
  });

  test('throws when flex-start runs longer than 7 days', () => {
    expect(() => Capacity.flexStart({ maxRunDurationSeconds: 700000 })).toThrow(
      /'maxRunDurationSeconds' \(700000\) must be an integer from 600 to 604800/,
    );
  });

  test('throws when a capacity block id is not a capacity reservation id', () => {
    expect(() => Capacity.capacityBlock('cb-123')).toThrow(/'cr-' followed by 8 or 17 hex digits/);
  });

  test('throws when a reservation id is empty', () => {
    expect(() => Capacity.reservation('  ')).toThrow(/non-empty string/);
  });
});

describe('node pool options', () => {
  test('inference pools default to 0..4 nodes', () => {
    expect(resolveInferenceNodeCounts({ accelerator: Accelerator.L4 })).toEqual({ minNodes: 0, maxNodes: 4 });
    expect(resolveInferenceNodeCounts({ accelerator: Accelerator.L4, minNodes: 6 })).toEqual({
      minNodes: 6,
      maxNodes: 6,
    });
  });

  test('throws when maxNodes < minNodes', () => {
    expect(() =>
      resolveInferenceNodeCounts({ accelerator: Accelerator.L4, minNodes: 3, maxNodes: 2 }),
    ).toThrow("'maxNodes' (2) must be >= 'minNodes' (3): raise maxNodes or lower minNodes.");
  });

  test('throws when minNodes is negative or fractional', () => {
    expect(() => resolveInferenceNodeCounts({ accelerator: Accelerator.L4, minNodes: -1 })).toThrow(
      /'minNodes' \(-1\)/,
    );
    expect(() => resolveInferenceNodeCounts({ accelerator: Accelerator.L4, minNodes: 1.5 })).toThrow(
      /'minNodes' \(1.5\)/,
    );
  });

  test('throws when maxNodes is zero', () => {
    expect(() => resolveInferenceNodeCounts({ accelerator: Accelerator.L4, maxNodes: 0 })).toThrow(
      /'maxNodes' \(0\) must be an integer >= 1/,
    );
  });

  test('throws when a training pool has no nodes', () => {
    expect(() => resolveTrainingNodes({ accelerator: Accelerator.H100, nodes: 0 })).toThrow(
      /'nodes' \(0\) must be a positive integer/,
    );
    expect(resolveTrainingNodes({ accelerator: Accelerator.H100, nodes: 16 })).toBe(16);
  });

  test('GPUs per node default to the sizing, else 1', () => {
    const sizing = sizeModel({
      model: ModelSpec.LLAMA_3_1_70B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L40S,
    });
    expect(resolveInferenceGpusPerNode({ accelerator: Accelerator.L40S, sizing })).toBe(2);
    expect(resolveInferenceGpusPerNode({ accelerator: Accelerator.L40S })).toBe(1);
  });

  test('throws when the sizing is for another GPU', () => {
    const sizing = sizeModel({
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L4,
    });
    expect(() => resolveInferenceGpusPerNode({ accelerator: Accelerator.A10G, sizing })).toThrow(
      /'sizing' is for L4 but 'accelerator' is A10G/,
    );
  });

  test('throws when gpusPerNode is below what one replica needs', () => {
    const sizing = sizeModel({
      model: ModelSpec.LLAMA_3_1_70B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L40S,
    });
    expect(() =>
      resolveInferenceGpusPerNode({ accelerator: Accelerator.L40S, sizing, gpusPerNode: 1 }),
    ).toThrow(
      /'gpusPerNode' \(1\) is less than the 2 GPUs one replica of llama-3.1-70b \(AWQ\) needs on L40S/,
    );
  });

  test('throws when gpusPerNode is not a positive integer', () => {
    expect(() => resolveInferenceGpusPerNode({ accelerator: Accelerator.L4, gpusPerNode: 0 })).toThrow(
      /'gpusPerNode' \(0\)/,
    );
  });

  test('GPU pools always carry the nvidia.com/gpu taint, once', () => {
    expect(gpuPoolTaints()).toEqual([GPU_TAINT]);
    const extra = { key: 'team', value: 'ml', effect: TaintEffect.NO_SCHEDULE };
    expect(gpuPoolTaints([extra])).toEqual([GPU_TAINT, extra]);
    const own = { key: 'nvidia.com/gpu', value: 'true', effect: TaintEffect.NO_SCHEDULE };
    expect(gpuPoolTaints([own])).toEqual([own]);
  });
});
