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
  validateGpuNodePoolOptions,
  ValidationError,
} from '../../lib/core';

describe('Capacity', () => {
  test('factories set the kind and ids', () => {
    expect(Capacity.onDemand().kind).toBe(CapacityKind.ON_DEMAND);
    expect(Capacity.spot().isPreemptible).toBe(true);
    expect(
      Capacity.reservation('cr-0abc1234', { project: 'shared-res-proj' }).reservationOptions.project,
    ).toBe('shared-res-proj');
    expect(Capacity.capacityBlock('cr-0123456789abcdef0').reservationId).toBe('cr-0123456789abcdef0');
    expect(Capacity.queuedProvisioning().kind).toBe(CapacityKind.QUEUED_PROVISIONING);
  });

  test('flex-start defaults to the 7-day maximum run', () => {
    expect(Capacity.flexStart().maxRunDurationSeconds).toBe(604800);
  });

  test('throws when flex-start runs longer than 7 days', () => {
    expect(() => Capacity.flexStart({ maxRunDurationSeconds: 700000 })).toThrow(
      /'Capacity.flexStart maxRunDurationSeconds' \(700000\) must be a whole number from 600 to 604800/,
    );
  });

  test('throws when a capacity block id is not a capacity reservation id', () => {
    expect(() => Capacity.capacityBlock('cb-123')).toThrow(
      /is not an EC2 capacity reservation id: 'cr-' followed by 17/,
    );
  });

  test('throws when a reservation id is empty', () => {
    expect(() => Capacity.reservation('  ')).toThrow(/'Capacity.reservation id' must not be empty or blank/);
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
      /'maxNodes' \(0\) must be a whole number from 1 to 1000/,
    );
  });

  test('throws when a training pool has no nodes', () => {
    expect(() => resolveTrainingNodes({ accelerator: Accelerator.H100, nodes: 0 })).toThrow(
      /'nodes' \(0\) must be a whole number from 1 to 1000/,
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

describe('Capacity ids and shared pool options are validated', () => {
  test('an AWS reservation id must be a capacity reservation id', () => {
    expect(() => Capacity.reservation('cr-0abc123')).toThrow(/is not an EC2 capacity reservation id/);
  });
  test('a GCP reservation must be a Compute Engine name, its project a project id', () => {
    expect(() => Capacity.reservation('My_Res')).toThrow(/must be 1-63 lower-case letters/);
    expect(() => Capacity.reservation('mega-res', { project: 'Bad Project' })).toThrow(
      /is not a Google Cloud project id/,
    );
  });
  test('flex-start rejects NaN and strings with a ValidationError', () => {
    expect(() => Capacity.flexStart({ maxRunDurationSeconds: NaN })).toThrow(ValidationError);
    expect(() => Capacity.flexStart({ maxRunDurationSeconds: '3600' as any })).toThrow(ValidationError);
  });
  test.each([
    [{ accelerator: 'H100' }, 'type'],
    [{ accelerator: Accelerator.H100, capacity: 'spot' }, 'type'],
    [{ accelerator: Accelerator.H100, labels: { 'a b': 'x' } }, 'k8s-label-key'],
    [{ accelerator: Accelerator.H100, labels: { pool: null } }, 'type'],
    [{ accelerator: Accelerator.H100, taints: [{ key: 'a', effect: 'Never' }] }, 'k8s-taint'],
    [{ accelerator: Accelerator.H100, taints: [{ key: 'a', effect: 'NO_SCHEDULE' }] }, 'k8s-taint'],
    [
      {
        accelerator: Accelerator.H100,
        taints: [
          { key: 'a', effect: TaintEffect.NO_SCHEDULE },
          { key: 'a', value: 'x', effect: TaintEffect.NO_SCHEDULE },
        ],
      },
      'duplicate',
    ],
    [{ accelerator: Accelerator.H100, gpusPerNode: 2 ** 31 }, 'number-range'],
  ])('validateGpuNodePoolOptions refuses %p', (o, code) => {
    try {
      validateGpuNodePoolOptions(undefined, o as any);
      throw new Error('nothing thrown');
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).code).toBe(code);
    }
  });
  test('node counts reject 1e21, Infinity and null', () => {
    expect(() => resolveTrainingNodes({ accelerator: Accelerator.H100, nodes: 1e21 })).toThrow(
      ValidationError,
    );
    expect(() => resolveInferenceNodeCounts({ accelerator: Accelerator.H100, maxNodes: Infinity })).toThrow(
      ValidationError,
    );
    expect(() => resolveTrainingNodes({ accelerator: Accelerator.H100, nodes: null as any })).toThrow(
      ValidationError,
    );
  });
});
