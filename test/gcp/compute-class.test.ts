import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { TerraformStack } from 'cdktf';
import { Accelerator, Capacity, ModelSpec, Quantization, TaintEffect } from '../../lib/core';
import {
  ComputeClass,
  ComputeClassProps,
  GkeCluster,
  GkeClusterProps,
  GkeNetwork,
  WhenUnsatisfiable,
} from '../../lib/gcp';
import { ModelServer, WeightsSource } from '../../lib/k8s';
import { kubernetesSchemaProblems } from '../consumers/k8s-schema';
import { onlyResource, resourcesOf, synthApp, synthJson } from '../util';
import { gcpStack, warningIds } from './helpers';

function setup(clusterProps: Partial<GkeClusterProps> = {}) {
  const { app, stack: infra } = gcpStack('infra');
  const network = new GkeNetwork(infra, 'Network', { project: 'my-proj', region: 'us-central1' });
  const cluster = new GkeCluster(infra, 'Cluster', { network, deletionProtection: false, ...clusterProps });
  const workloads = new TerraformStack(app, 'workloads');
  new KubernetesProvider(workloads, 'kubernetes', {});
  return { app, infra, cluster, workloads };
}

function cls(props: Partial<ComputeClassProps> = {}, clusterProps: Partial<GkeClusterProps> = {}) {
  const s = setup(clusterProps);
  const cc = new ComputeClass(s.workloads, 'H100Train', {
    cluster: s.cluster,
    accelerator: Accelerator.H100,
    gpusPerNode: 8,
    poolRole: 'training',
    ...props,
  });
  return { ...s, cc };
}

function manifestOf(s: ReturnType<typeof cls>): any {
  return onlyResource(synthApp(s.app)(s.workloads), 'kubernetes_manifest').manifest;
}

describe('ComputeClass', () => {
  test('reservation, then Spot, then on-demand: one priority each, in that order', () => {
    const s = cls({
      capacity: Capacity.reservation('a3-res'),
      fallbackCapacity: [Capacity.spot(), Capacity.onDemand()],
      zones: ['us-central1-a', 'us-central1-b'],
    });
    const m = manifestOf(s);
    expect(m.apiVersion).toBe('cloud.google.com/v1');
    expect(m.kind).toBe('ComputeClass');
    expect(m.metadata.name).toBe('h100-train');
    const gpu = { type: 'nvidia-h100-80gb', count: 8, driverVersion: 'default' };
    expect(m.spec.priorities).toEqual([
      {
        machineType: 'a3-highgpu-8g',
        gpu,
        reservations: { affinity: 'Specific', specific: [{ name: 'a3-res' }] },
      },
      {
        machineType: 'a3-highgpu-8g',
        gpu,
        spot: true,
        location: { zones: ['us-central1-a', 'us-central1-b'] },
      },
      {
        machineType: 'a3-highgpu-8g',
        gpu,
        spot: false,
        location: { zones: ['us-central1-a', 'us-central1-b'] },
      },
    ]);
    expect(kubernetesSchemaProblems(synthApp(s.app)(s.workloads))).toEqual([]);
  });

  test('defaults: node pool auto-creation, DoNotScaleUp, no active migration, on-demand only, cluster node SA and library labels', () => {
    const s = cls();
    const m = manifestOf(s);
    expect(m.spec.nodePoolAutoCreation).toEqual({ enabled: true });
    expect(m.spec.whenUnsatisfiable).toBe('DoNotScaleUp');
    expect(m.spec.activeMigration).toEqual({ optimizeRulePriority: false });
    expect(m.spec.priorities).toHaveLength(1);
    expect(m.spec.priorities[0].spot).toBe(false);
    expect(m.spec.nodePoolConfig.imageType).toBe('cos_containerd');
    expect(m.spec.nodePoolConfig.serviceAccount).toMatch(/NodeServiceAccount.*email/);
    expect(m.spec.nodePoolConfig.nodeLabels).toEqual({
      'cdktf-ai-infra/accelerator': 'h100',
      'cdktf-ai-infra/node-pool': 'h100-train',
      'cdktf-ai-infra/pool-role': 'training',
    });
    expect(m.spec.nodePoolConfig.taints).toBeUndefined();
  });

  test('an inference class defaults to one GPU per node', () => {
    const s = cls({ accelerator: Accelerator.L4, gpusPerNode: undefined, poolRole: undefined });
    const m = manifestOf(s);
    expect(m.spec.priorities[0]).toMatchObject({
      machineType: 'g2-standard-8',
      gpu: { type: 'nvidia-l4', count: 1 },
    });
    expect(m.spec.nodePoolConfig.nodeLabels['cdktf-ai-infra/pool-role']).toBe('inference');
  });

  test('flex-start carries its maximum run duration; a reservation block and shared project are rendered', () => {
    const s = cls({
      capacity: Capacity.reservation('mega-res', { block: 'block-0001' }),
      fallbackCapacity: [Capacity.flexStart({ maxRunDurationSeconds: 86400 })],
      machineType: 'a3-megagpu-8g',
    });
    const [res, flex] = manifestOf(s).spec.priorities;
    expect(res.reservations.specific).toEqual([
      { name: 'mega-res', reservationBlock: { name: 'block-0001' } },
    ]);
    expect(flex).toMatchObject({
      machineType: 'a3-megagpu-8g',
      gpu: { type: 'nvidia-h100-mega-80gb', count: 8 },
      flexStart: { enabled: true },
      maxRunDurationSeconds: 86400,
    });
  });

  test('exposes the selector and taints workloads need', () => {
    const { cc } = cls({
      name: 'gpu-a',
      taints: [{ key: 'team', value: 'ml', effect: TaintEffect.NO_SCHEDULE }],
    });
    expect(cc.nodeSelector).toEqual({ 'cloud.google.com/compute-class': 'gpu-a' });
    expect(cc.taints).toEqual([
      { key: 'cloud.google.com/compute-class', value: 'gpu-a', effect: 'NoSchedule' },
      { key: 'team', value: 'ml', effect: 'NoSchedule' },
    ]);
    expect(cc.gpusPerNode).toBe(8);
  });

  test('user taints go to the auto-created pools', () => {
    const s = cls({ taints: [{ key: 'team', value: 'ml', effect: TaintEffect.NO_SCHEDULE }] });
    expect(manifestOf(s).spec.nodePoolConfig.taints).toEqual([
      { key: 'team', value: 'ml', effect: 'NoSchedule' },
    ]);
  });

  test('a ModelServer given the class selects it and tolerates its taint', () => {
    const s = cls({ name: 'l4', accelerator: Accelerator.L4, gpusPerNode: 1, poolRole: 'inference' });
    new ModelServer(s.workloads, 'Llama8B', {
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L4,
      weights: WeightsSource.bucket('gs://models/llama-3.1-8b-awq/'),
      nodeClass: s.cc,
    });
    const d: any = Object.values(resourcesOf(synthApp(s.app)(s.workloads), 'kubernetes_deployment_v1'))[0];
    expect(d.spec.template.spec.node_selector['cloud.google.com/compute-class']).toBe('l4');
  });

  test.each([
    [
      { capacity: Capacity.capacityBlock('cr-0123456789abcdef0') },
      /AWS EC2 Capacity Block; a GKE ComputeClass cannot express it/,
    ],
    [{ capacity: Capacity.queuedProvisioning() }, /cannot be a ComputeClass priority/],
    [{ capacity: Capacity.reservation('cr-0123456789abcdef0') }, /AWS EC2 capacity reservation id/],
    [
      { capacity: Capacity.reservation('r', { project: 'other-proj', block: 'b1' }) },
      /does not consume blocks of a reservation shared from another project/,
    ],
    [{ capacity: Capacity.spot(), fallbackCapacity: [Capacity.spot()] }, /lists 'SPOT' twice/],
    [{ fallbackCapacity: ['spot' as any] }, /'fallbackCapacity\[0\]' must be a Capacity/],
    [{ zones: ['europe-west4-a'] }, /zones\[0\]/],
    [{ machineType: 'g2-standard-4' }, /carries L4, not 'accelerator' H100/],
    [{ name: 'Bad_Name' }, /'name' \('Bad_Name'\) is not valid as a ComputeClass name/],
    [{ whenUnsatisfiable: 'Never' as any }, /whenUnsatisfiable/],
  ])('throws for %o', (props, re) => {
    expect(() => cls(props as Partial<ComputeClassProps>)).toThrow(re);
  });

  test('throws on GKE below 1.33.3-gke.1136000 without node auto-provisioning', () => {
    expect(() => cls({}, { kubernetesVersion: '1.32.11-gke.1174000' })).toThrow(
      /compute classes create node pools themselves from 1\.33\.3-gke\.1136000.*Set the cluster's 'nodeAutoProvisioning'/,
    );
    expect(() => cls({}, { kubernetesVersion: '1.29.15-gke.2467000' })).toThrow(
      /need 1\.30\.3-gke\.1451000 or later/,
    );
    expect(() =>
      cls({ nodePoolAutoCreation: false }, { kubernetesVersion: '1.32.11-gke.1174000' }),
    ).not.toThrow();
    expect(() => cls({}, { kubernetesVersion: '1.34' })).not.toThrow();
  });

  test('throws when the cluster auto-provisions other GPU types only', () => {
    const nap = { gpus: [{ accelerator: Accelerator.L4, maxGpus: 8 }], maxCpus: 512, maxMemoryGb: 2048 };
    expect(() => cls({}, { nodeAutoProvisioning: nap, kubernetesVersion: '1.32.11-gke.1174000' })).toThrow(
      /without a 'nvidia-h100-80gb' resource limit/,
    );
    const withH100 = { ...nap, gpus: [{ accelerator: Accelerator.H100, maxGpus: 64 }] };
    expect(() =>
      cls({}, { nodeAutoProvisioning: withH100, kubernetesVersion: '1.32.11-gke.1174000' }),
    ).not.toThrow();
  });

  test('warns when on-demand comes before cheaper capacity, and on ScaleUpAnyway', () => {
    const { workloads } = cls({
      capacity: Capacity.onDemand(),
      fallbackCapacity: [Capacity.spot()],
      whenUnsatisfiable: WhenUnsatisfiable.SCALE_UP_ANYWAY,
    });
    expect(warningIds(workloads)).toEqual(
      expect.arrayContaining(['gcp-compute-class-order', 'gcp-compute-class-scale-up-anyway']),
    );
  });

  test('warns for an on-demand priority on a machine not sold on demand', () => {
    const { workloads } = cls({ gpusPerNode: 4 });
    expect(warningIds(workloads)).toContain('gcp-consumption-option');
  });
});

describe('GkeCluster nodeAutoProvisioning', () => {
  const clusterJson = (nap: any) => {
    const { stack } = gcpStack();
    const network = new GkeNetwork(stack, 'Network', { project: 'my-proj', region: 'us-central1' });
    const cluster = new GkeCluster(stack, 'Cluster', { network, nodeAutoProvisioning: nap });
    return { cluster, c: onlyResource(synthJson(stack), 'google_container_cluster') };
  };

  test('is off by default', () => {
    expect(clusterJson(undefined).c.cluster_autoscaling).toBeUndefined();
  });

  test('renders limits for every accelerator type of each GPU model and secure defaults', () => {
    const { c, cluster } = clusterJson({
      gpus: [{ accelerator: Accelerator.H100, maxGpus: 64 }],
      maxCpus: 2000,
      maxMemoryGb: 20000,
    });
    expect(c.cluster_autoscaling.enabled).toBe(true);
    expect(c.cluster_autoscaling.resource_limits).toEqual([
      { resource_type: 'cpu', minimum: 0, maximum: 2000 },
      { resource_type: 'memory', minimum: 0, maximum: 20000 },
      { resource_type: 'nvidia-h100-80gb', minimum: 0, maximum: 64 },
      { resource_type: 'nvidia-h100-mega-80gb', minimum: 0, maximum: 64 },
    ]);
    const d = c.cluster_autoscaling.auto_provisioning_defaults;
    expect(d.service_account).toMatch(/NodeServiceAccount/);
    expect(d.management).toEqual({ auto_repair: true, auto_upgrade: true });
    expect(d.shielded_instance_config).toEqual({
      enable_secure_boot: true,
      enable_integrity_monitoring: true,
    });
    expect(cluster.nodeAutoProvisioning?.gpuLimits['nvidia-h100-mega-80gb']).toBe(64);
  });

  test.each([
    [{ gpus: [], maxCpus: 10, maxMemoryGb: 10 }, /'nodeAutoProvisioning.gpus' is empty/],
    [
      { gpus: [{ accelerator: Accelerator.H200, maxGpus: 4 }], maxCpus: 1000, maxMemoryGb: 10000 },
      /below the 8 GPUs of the smallest H200 machine/,
    ],
    [
      { gpus: [{ accelerator: Accelerator.L4, maxGpus: 8 }], maxCpus: 2, maxMemoryGb: 1000 },
      /cannot hold one g2-standard-4/,
    ],
    [
      {
        gpus: [
          { accelerator: Accelerator.L4, maxGpus: 8 },
          { accelerator: Accelerator.L4, maxGpus: 4 },
        ],
        maxCpus: 100,
        maxMemoryGb: 1000,
      },
      /names L4 \(nvidia-l4\) twice/,
    ],
    [
      { gpus: [{ accelerator: Accelerator.L40S, maxGpus: 8 }], maxCpus: 100, maxMemoryGb: 1000 },
      /has no Google Cloud machine type/,
    ],
    [
      { gpus: [{ accelerator: 'H100', maxGpus: 8 }], maxCpus: 100, maxMemoryGb: 1000 },
      /must be an Accelerator/,
    ],
    [{ gpus: [{ accelerator: Accelerator.L4, maxGpus: 8 }], maxCpus: 0, maxMemoryGb: 1000 }, /maxCpus/],
  ])('throws for %o', (nap, re) => {
    expect(() => clusterJson(nap)).toThrow(re);
  });
});
