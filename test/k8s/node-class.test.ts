import { Accelerator, INodeClass, ModelSpec, Quantization, TaintEffect } from '../../lib/core';
import { ModelServer, MpiJob, MpiJobProps, TrainingJob, WeightsSource } from '../../lib/k8s';
import { kubernetesSchemaProblems } from '../consumers/k8s-schema';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads } from './helpers';

// A node class as the GCP module's ComputeClass presents it (the k8s module sees only INodeClass).
function nodeClass(over: Partial<INodeClass> = {}): INodeClass {
  return {
    nodeClassName: 'l4-serving',
    nodeSelector: { 'cloud.google.com/compute-class': 'l4-serving' },
    taints: [{ key: 'cloud.google.com/compute-class', value: 'l4-serving', effect: TaintEffect.NO_SCHEDULE }],
    accelerator: Accelerator.L4,
    gpusPerNode: 1,
    ...over,
  };
}

function serve(cls: INodeClass, extra: Record<string, unknown> = {}) {
  const { workloads } = platformAndWorkloads();
  new ModelServer(workloads, 'Llama8B', {
    model: ModelSpec.LLAMA_3_1_8B,
    quantization: Quantization.AWQ,
    accelerator: Accelerator.L4,
    weights: WeightsSource.bucket('s3://models/llama-3.1-8b-awq/'),
    nodeClass: cls,
    ...extra,
  });
  const json = synthJson(workloads);
  const d: any = Object.values(resourcesOf(json, 'kubernetes_deployment_v1'))[0];
  return { json, pod: d.spec.template.spec };
}

describe('nodeClass on ModelServer, TrainingJob and MpiJob', () => {
  test('ModelServer selects the class and tolerates its taint, keeping the accelerator selector', () => {
    const { pod, json } = serve(nodeClass());
    expect(pod.node_selector).toEqual({
      'cdktf-ai-infra/accelerator': 'l4',
      'cloud.google.com/compute-class': 'l4-serving',
    });
    expect(pod.toleration).toContainEqual({
      key: 'cloud.google.com/compute-class',
      operator: 'Equal',
      value: 'l4-serving',
      effect: 'NoSchedule',
    });
    expect(pod.toleration).toContainEqual(expect.objectContaining({ key: 'nvidia.com/gpu' }));
    expect(kubernetesSchemaProblems(json)).toEqual([]);
  });

  test('a user nodeSelector key wins over the class', () => {
    const { pod } = serve(nodeClass(), { nodeSelector: { 'cloud.google.com/compute-class': 'other' } });
    expect(pod.node_selector['cloud.google.com/compute-class']).toBe('other');
  });

  test('a taint without value is tolerated with Exists', () => {
    const { pod } = serve(nodeClass({ taints: [{ key: 'dedicated', effect: TaintEffect.NO_EXECUTE }] }));
    expect(pod.toleration).toContainEqual({ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' });
  });

  test('throws when the class has another GPU model', () => {
    expect(() => serve(nodeClass({ accelerator: Accelerator.H100 }))).toThrow(
      /'nodeClass' \('l4-serving'\) creates H100 nodes but 'accelerator' is L4/,
    );
  });

  test('throws when a pod needs more GPUs than a node of the class has', () => {
    expect(() =>
      serve(nodeClass(), { model: ModelSpec.LLAMA_3_1_70B, quantization: Quantization.AWQ }),
    ).toThrow(/creates nodes with 1 GPUs but each pod requests [2-8]/);
  });

  test('throws for something that is not a node class', () => {
    expect(() => serve({ nodeClassName: 'x' } as any)).toThrow(/'nodeClass' must be a node class/);
  });

  test('TrainingJob selects the class and tolerates its taint', () => {
    const { workloads } = platformAndWorkloads();
    new TrainingJob(workloads, 'Finetune', {
      image: 'pytorch/pytorch:2.13.0-cuda13.0-cudnn9-runtime',
      command: ['torchrun', 'train.py'],
      nodes: 2,
      gpusPerNode: 8,
      accelerator: Accelerator.H100,
      checkpoint: { uri: 'gs://ckpt/llama/' },
      nodeClass: nodeClass({
        nodeClassName: 'h100',
        nodeSelector: { 'cloud.google.com/compute-class': 'h100' },
        taints: [{ key: 'cloud.google.com/compute-class', value: 'h100', effect: TaintEffect.NO_SCHEDULE }],
        accelerator: Accelerator.H100,
        gpusPerNode: 8,
      }),
    });
    const json = synthJson(workloads);
    const js: any = Object.values(resourcesOf(json, 'kubernetes_manifest'))
      .map((m: any) => m.manifest)
      .find((m: any) => m.kind === 'JobSet');
    const pod = js.spec.replicatedJobs[0].template.spec.template.spec;
    expect(pod.nodeSelector['cloud.google.com/compute-class']).toBe('h100');
    expect(pod.tolerations).toContainEqual({
      key: 'cloud.google.com/compute-class',
      operator: 'Equal',
      value: 'h100',
      effect: 'NoSchedule',
    });
  });

  const H100_CLASS = nodeClass({
    nodeClassName: 'h100',
    nodeSelector: { 'cloud.google.com/compute-class': 'h100' },
    taints: [{ key: 'cloud.google.com/compute-class', value: 'h100', effect: TaintEffect.NO_SCHEDULE }],
    accelerator: Accelerator.H100,
    gpusPerNode: 8,
  });

  function mpi(props: Partial<MpiJobProps>) {
    const { workloads } = platformAndWorkloads();
    new MpiJob(workloads, 'DeepSpeed', {
      image: 'registry.example.com/ds-train:2026.12.1',
      command: ['deepspeed', '--hostfile', '/etc/mpi/hostfile', 'train.py'],
      workers: 2,
      gpusPerWorker: 8,
      accelerator: Accelerator.H100,
      ...props,
    });
    const json = synthJson(workloads);
    const m: any = (Object.values(resourcesOf(json, 'kubernetes_manifest'))[0] as any).manifest;
    return {
      json,
      launcher: m.spec.mpiReplicaSpecs.Launcher.template.spec,
      worker: m.spec.mpiReplicaSpecs.Worker.template.spec,
    };
  }

  test('MpiJob workers select the class and tolerate its taint; the launcher (no GPU) is not placed on it', () => {
    const { worker, launcher, json } = mpi({
      nodeClass: H100_CLASS,
      tolerations: [{ key: 'team', operator: 'Exists', effect: 'NoSchedule' }],
    });
    expect(worker.nodeSelector).toEqual({
      'cdktf-ai-infra/accelerator': 'h100',
      'cloud.google.com/compute-class': 'h100',
    });
    expect(worker.tolerations).toContainEqual({
      key: 'cloud.google.com/compute-class',
      operator: 'Equal',
      value: 'h100',
      effect: 'NoSchedule',
    });
    expect(worker.tolerations).toContainEqual({ key: 'team', operator: 'Exists', effect: 'NoSchedule' });
    expect(worker.tolerations).toContainEqual(expect.objectContaining({ key: 'nvidia.com/gpu' }));
    expect(launcher.nodeSelector).toBeUndefined();
    expect(launcher.tolerations).not.toContainEqual(
      expect.objectContaining({ key: 'cloud.google.com/compute-class' }),
    );
    expect(kubernetesSchemaProblems(json)).toEqual([]);
  });

  test('MpiJob: a user nodeSelector key wins over the class', () => {
    const { worker } = mpi({
      nodeClass: H100_CLASS,
      nodeSelector: { 'cloud.google.com/compute-class': 'other' },
    });
    expect(worker.nodeSelector['cloud.google.com/compute-class']).toBe('other');
  });

  test('MpiJob without nodeClass: workers select the accelerator only', () => {
    const { worker } = mpi({});
    expect(worker.nodeSelector).toEqual({ 'cdktf-ai-infra/accelerator': 'h100' });
    expect(worker.tolerations).not.toContainEqual(
      expect.objectContaining({ key: 'cloud.google.com/compute-class' }),
    );
  });

  test.each<[string, Partial<MpiJobProps>, RegExp]>([
    [
      'another GPU model',
      { nodeClass: H100_CLASS, accelerator: Accelerator.L4 },
      /'nodeClass' \('h100'\) creates H100 nodes but 'accelerator' is L4/,
    ],
    [
      'more GPUs per worker than a node has',
      { nodeClass: nodeClass(), accelerator: Accelerator.L4, gpusPerWorker: 2 },
      /'nodeClass' \('l4-serving'\) creates nodes with 1 GPUs but each pod requests 2/,
    ],
    [
      'something that is not a node class',
      { nodeClass: { nodeClassName: 'x' } as any },
      /'nodeClass' must be a node class/,
    ],
  ])('MpiJob throws when nodeClass has %s', (_n, props, message) => {
    expect(() => mpi(props)).toThrow(message);
  });
});
