import { Accelerator, ModelSpec, Quantization, ValidationError } from '../../lib/core';
import { LlamaCppServer, ModelServer, WeightsSource } from '../../lib/k8s';
import { FakeMonitoring, platformAndWorkloads } from './helpers';

// KEDA reads the Prometheus trigger's thresholds as decimal numbers and cooldownPeriod as an int32:
// NaN, Infinity, 1e21 (written '1e+21') or an object must be a ValidationError naming the prop,
// never text in the ScaledObject (found by the property suite's autoscaling cases).
const servers = {
  ModelServer: (props: Record<string, unknown>) => {
    const { platform, workloads } = platformAndWorkloads();
    const monitoring = new FakeMonitoring(
      platform,
      'Monitoring',
      'kps',
      'http://kps-prometheus.monitoring.svc:9090',
    );
    new ModelServer(workloads, 'S', {
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L4,
      weights: WeightsSource.bucket('s3://models/llama-3.1-8b-awq/'),
      monitoring,
      autoscaling: { maxReplicas: 4, ...props } as never,
    });
  },
  LlamaCppServer: (props: Record<string, unknown>) => {
    const { platform, workloads } = platformAndWorkloads();
    const monitoring = new FakeMonitoring(
      platform,
      'Monitoring',
      'kps',
      'http://kps-prometheus.monitoring.svc:9090',
    );
    new LlamaCppServer(workloads, 'S', {
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.GGUF_Q4_K_M,
      weights: WeightsSource.bucket('s3://models/llama-3.1-8b-gguf/'),
      ggufFile: 'Llama-3.1-8B-Instruct-Q4_K_M.gguf',
      monitoring,
      autoscaling: { maxReplicas: 4, ...props } as never,
    });
  },
};

const errorOf = (fn: () => void): ValidationError => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError');
};

describe.each(Object.entries(servers))('%s autoscaling numbers', (_name, build) => {
  test.each([
    [
      'targetQueueDepthPerReplica',
      NaN,
      /'autoscaling\.targetQueueDepthPerReplica' \(NaN\) must be a finite number > 0 and <= 1000000/,
    ],
    [
      'targetQueueDepthPerReplica',
      Infinity,
      /'autoscaling\.targetQueueDepthPerReplica' \(Infinity\) must be a finite number/,
    ],
    [
      'targetQueueDepthPerReplica',
      1e21,
      /'autoscaling\.targetQueueDepthPerReplica' \(1e\+21\) must be a finite number > 0 and <= 1000000/,
    ],
    [
      'targetQueueDepthPerReplica',
      {},
      /'autoscaling\.targetQueueDepthPerReplica' must be a number, got an object/,
    ],
    [
      'activationQueueDepth',
      -1,
      /'autoscaling\.activationQueueDepth' \(-1\) must be a finite number >= 0 and <= 1000000/,
    ],
    ['activationQueueDepth', NaN, /'autoscaling\.activationQueueDepth' \(NaN\) must be a finite number/],
    ['activationQueueDepth', '3', /'autoscaling\.activationQueueDepth' must be a number, got a string/],
    ['cooldownSeconds', 1e21, /'autoscaling\.cooldownSeconds'/],
    ['cooldownSeconds', 0.5, /'autoscaling\.cooldownSeconds'/],
    ['cooldownSeconds', -1, /'autoscaling\.cooldownSeconds'/],
    ['cooldownSeconds', 2 ** 31, /'autoscaling\.cooldownSeconds'/],
  ])('%s = %p is refused', (prop, value, message) => {
    expect(errorOf(() => build({ [prop]: value })).message).toMatch(message);
  });

  test('fractional targets, 0 activation and an int32 cooldown are accepted', () => {
    expect(() =>
      build({ targetQueueDepthPerReplica: 2.5, activationQueueDepth: 0, cooldownSeconds: 2 ** 31 - 1 }),
    ).not.toThrow();
  });
});
