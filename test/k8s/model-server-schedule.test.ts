import { Accelerator, ModelSpec, Quantization } from '../../lib/core';
import {
  MetricsCollection,
  ModelServer,
  ModelServerAutoscaling,
  ModelServerProps,
  ScalingWindow,
  WeightsSource,
  startupBudget,
} from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { FakeMonitoring, platformAndWorkloads } from './helpers';

const PROPS: ModelServerProps = {
  model: ModelSpec.LLAMA_3_1_8B,
  quantization: Quantization.AWQ,
  accelerator: Accelerator.L4,
  weights: WeightsSource.bucket('s3://models/llama-3.1-8b-awq/'),
};
const BERLIN: ScalingWindow = {
  minReplicas: 4,
  start: '0 8 * * 1-5',
  end: '0 20 * * 1-5',
  timeZone: 'Europe/Berlin',
};

function scaledObject(autoscaling: Partial<ModelServerAutoscaling>, props: Partial<ModelServerProps> = {}) {
  const { platform, workloads } = platformAndWorkloads();
  const monitoring = new FakeMonitoring(platform, 'Monitoring');
  new ModelServer(workloads, 'Llama8B', {
    ...PROPS,
    monitoring,
    autoscaling: { maxReplicas: 8, ...autoscaling },
    ...props,
  });
  return Object.values(resourcesOf(synthJson(workloads), 'kubernetes_manifest'))
    .map((m: any) => m.manifest)
    .find((m: any) => m.kind === 'ScaledObject');
}

describe('ModelServer scaling windows (KEDA cron baseline + queue depth)', () => {
  test('renders one cron trigger per window next to the queue-depth trigger', () => {
    const so = scaledObject({
      schedule: [
        BERLIN,
        { minReplicas: 2, start: '0 9 * * SAT', end: '0 14 * * SAT', timeZone: 'America/New_York' },
      ],
    });
    expect(so.spec.triggers.map((t: any) => [t.type, t.name])).toEqual([
      ['prometheus', 'queue-depth'],
      ['cron', 'baseline-0'],
      ['cron', 'baseline-1'],
    ]);
    expect(so.spec.triggers[1].metadata).toEqual({
      timezone: 'Europe/Berlin',
      start: '0 8 * * 1-5',
      end: '0 20 * * 1-5',
      desiredReplicas: '4',
    });
    expect(so.spec.triggers[2].metadata.desiredReplicas).toBe('2');
    // The fallback stays valid: KEDA requires one AverageValue trigger, which both types are.
    expect(so.spec.fallback).toBeDefined();
  });

  test('no schedule, no cron trigger (default)', () => {
    expect(scaledObject({}).spec.triggers.map((t: any) => t.type)).toEqual(['prometheus']);
  });

  test('windows work with scale to zero (a window wakes the server)', () => {
    const so = scaledObject(
      { scaleToZero: true, activationQuery: 'sum(rate(ingress_requests_total[1m]))', schedule: [BERLIN] },
      { replicas: 0 },
    );
    expect(so.spec.idleReplicaCount).toBe(0);
    expect(so.spec.triggers.map((t: any) => t.name)).toEqual([
      'queue-depth',
      'baseline-0',
      'keepalive-in-flight',
      'activation',
    ]);
  });

  test('on Managed Prometheus only the Prometheus triggers authenticate', () => {
    const so = scaledObject(
      { schedule: [BERLIN] },
      { metricsCollection: MetricsCollection.managedPrometheus({ project: 'my-project' }) },
    );
    const cron = so.spec.triggers.find((t: any) => t.type === 'cron');
    expect(cron.authenticationRef).toBeUndefined();
    expect(so.spec.triggers[0].authenticationRef).toEqual({ name: 'llama8b-vllm-gcp' });
  });

  test.each(['UTC', 'Asia/Kolkata', 'Asia/Calcutta', 'America/Argentina/Buenos_Aires', 'Etc/GMT+1'])(
    'accepts the IANA zone %s',
    (timeZone) => {
      expect(() => scaledObject({ schedule: [{ ...BERLIN, timeZone }] })).not.toThrow();
    },
  );

  test.each<[string, RegExp]>([
    ['europe/berlin', /not an IANA time zone name.*did you mean 'Europe\/Berlin'/],
    [
      'Europe/Atlantis',
      /'autoscaling.schedule\[0\].timeZone' \('Europe\/Atlantis'\) is not an IANA time zone name/,
    ],
    ['+01:00', /not an IANA time zone name/],
    ['CEST', /not an IANA time zone name/],
    ['', /not an IANA time zone name/],
  ])('rejects the time zone %p', (timeZone, message) => {
    expect(() => scaledObject({ schedule: [{ ...BERLIN, timeZone }] })).toThrow(message);
  });

  test.each(['*/15 6-22 * * MON-FRI', '0 8 ? * 1,3,5', '30 7 1-15 JAN-MAR *', '0 0/2 * * *'])(
    'accepts the cron expression %p',
    (start) => {
      expect(() => scaledObject({ schedule: [{ ...BERLIN, start }] })).not.toThrow();
    },
  );

  test.each<[string, RegExp]>([
    ['0 8 * *', /has 4 fields; KEDA takes 5/],
    ['0 0 8 * * 1-5', /has 6 fields/],
    ['60 8 * * *', /minute: '60' is outside 0-59/],
    ['0 24 * * *', /hour: '24' is outside 0-23/],
    ['0 8 0 * *', /day of month: '0' is outside 1-31/],
    ['0 8 * 13 *', /month: '13' is outside 1-12/],
    ['0 8 * * 7', /day of week: '7' is outside 0-6 \(or SUN-SAT\)/],
    ['0 8 * * FRI-MON', /the range 'FRI-MON' runs backwards/],
    ['*/0 8 * * *', /the step in '\*\/0' must be a whole number above 0/],
    ['@daily', /has 1 fields/],
  ])('rejects the cron expression %p', (start, message) => {
    expect(() => scaledObject({ schedule: [{ ...BERLIN, start }] })).toThrow(message);
  });

  test('names the end field in its error', () => {
    expect(() => scaledObject({ schedule: [{ ...BERLIN, end: '0 25 * * *' }] })).toThrow(
      /'autoscaling.schedule\[0\].end' \('0 25 \* \* \*'\) is not a cron expression/,
    );
  });

  test('rejects a schedule that is not an array (JavaScript apps)', () => {
    expect(() => scaledObject({ schedule: BERLIN as any })).toThrow(
      /'autoscaling.schedule' must be an array, got an object/,
    );
  });

  test('rejects a window that opens and closes at the same time', () => {
    expect(() => scaledObject({ schedule: [{ ...BERLIN, end: BERLIN.start }] })).toThrow(
      /opens and closes at the same time/,
    );
  });

  test('rejects the same window twice', () => {
    expect(() => scaledObject({ schedule: [BERLIN, { ...BERLIN, minReplicas: 2 }] })).toThrow(
      /'autoscaling.schedule\[1\]' repeats an earlier window/,
    );
  });

  test.each([0, 9, 2.5])('rejects minReplicas %p (1 to maxReplicas 8)', (minReplicas) => {
    expect(() => scaledObject({ schedule: [{ ...BERLIN, minReplicas }] })).toThrow(
      /'autoscaling.schedule\[0\].minReplicas' \(.*\) must be an integer from 1 to 8/,
    );
  });
});

describe('start-up budget', () => {
  test('formula: warm-up + weights at the load rate, rounded up to 5, at least 15; a pre-start copy only lengthens the rollout', () => {
    expect(startupBudget({ weightsGiB: 39, warmUpMinutes: 10 })).toEqual({
      probeMinutes: 25,
      rolloutMinutes: 35,
    });
    expect(startupBudget({ weightsGiB: 39, warmUpMinutes: 10, copiedBeforeStart: true })).toEqual({
      probeMinutes: 25,
      rolloutMinutes: 49,
    });
    expect(startupBudget({ weightsGiB: 5, warmUpMinutes: 10 })).toEqual({
      probeMinutes: 15,
      rolloutMinutes: 25,
    });
    expect(startupBudget({ weightsGiB: 400, warmUpMinutes: 10, loadMiBPerSecond: 500 }).probeMinutes).toBe(
      25,
    );
  });

  function deployment(props: Partial<ModelServerProps>) {
    const { workloads } = platformAndWorkloads();
    const server = new ModelServer(workloads, 'Llama70B', {
      ...PROPS,
      model: ModelSpec.LLAMA_3_1_70B,
      accelerator: Accelerator.L40S,
      ...props,
    });
    const d = Object.values(resourcesOf(synthJson(workloads), 'kubernetes_deployment_v1'))[0] as any;
    return Object.assign(d, { copyMinutes: Math.ceil((server.sizing.weightsGiB * 1024) / 50 / 60) });
  }

  test('streamed weights: the probe and the rollout cover the load', () => {
    const d = deployment({});
    expect(d.spec.template.spec.container[0].startup_probe.failure_threshold).toBe((25 * 60) / 10);
    expect(d.spec.progress_deadline_seconds).toBe(35 * 60);
    expect(d.timeouts).toEqual({ create: '35m', update: '35m' });
  });

  test('weights copied by an init container: the copy is in the rollout deadline, not in the probe', () => {
    const d = deployment({ weights: WeightsSource.bucket('gs://models/llama-70b-awq/') });
    expect(d.spec.template.spec.container[0].startup_probe.failure_threshold).toBe((25 * 60) / 10);
    expect(d.spec.progress_deadline_seconds).toBe((25 + d.copyMinutes + 10) * 60);
  });

  test('a faster measured load rate shortens the budget', () => {
    const d = deployment({ weightsLoadMiBPerSecond: 1000 });
    expect(d.spec.template.spec.container[0].startup_probe.failure_threshold).toBe((15 * 60) / 10);
  });

  test('an explicit startupTimeoutMinutes keeps the copy time in the rollout deadline', () => {
    const d = deployment({
      weights: WeightsSource.bucket('gs://models/llama-70b-awq/'),
      startupTimeoutMinutes: 60,
    });
    expect(d.spec.template.spec.container[0].startup_probe.failure_threshold).toBe(360);
    expect(d.spec.progress_deadline_seconds).toBe((60 + d.copyMinutes + 10) * 60);
  });

  test.each([0, -5, NaN, Infinity, 1e6])('rejects weightsLoadMiBPerSecond %p', (rate) => {
    expect(() => deployment({ weightsLoadMiBPerSecond: rate })).toThrow(
      /'weightsLoadMiBPerSecond' \(.*\) must be a number above 0 and at most 100000/,
    );
  });
});
