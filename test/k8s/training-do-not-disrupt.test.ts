import { Accelerator, KARPENTER_DO_NOT_DISRUPT_ANNOTATION, ValidationError } from '../../lib/core';
import { TrainingJob, TrainingJobProps } from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads } from './helpers';

const JOB: TrainingJobProps = {
  image: 'pytorch/pytorch:2.13.0-cuda13.0-cudnn9-runtime',
  command: ['torchrun', 'train.py'],
  nodes: 2,
  gpusPerNode: 8,
  accelerator: Accelerator.H100,
  checkpoint: { uri: 's3://ckpt/llama/' },
};

function podMetadata(job: Partial<TrainingJobProps>): any {
  const { workloads } = platformAndWorkloads();
  new TrainingJob(workloads, 'Llama', { ...JOB, ...job });
  const jobSet = Object.values(resourcesOf(synthJson(workloads), 'kubernetes_manifest'))
    .map((m: any) => m.manifest)
    .find((m: any) => m.kind === 'JobSet');
  return jobSet.spec.replicatedJobs[0].template.spec.template.metadata;
}

describe('TrainingJob doNotDisrupt', () => {
  test('annotates the pods karpenter.sh/do-not-disrupt: "true"', () => {
    expect(KARPENTER_DO_NOT_DISRUPT_ANNOTATION).toBe('karpenter.sh/do-not-disrupt');
    expect(podMetadata({ doNotDisrupt: true }).annotations).toEqual({
      'karpenter.sh/do-not-disrupt': 'true',
    });
  });

  test('defaults to false: no annotation', () => {
    expect(podMetadata({}).annotations).toBeUndefined();
    expect(podMetadata({ doNotDisrupt: false }).annotations).toBeUndefined();
  });

  test('refuses a non-boolean', () => {
    expect(() => podMetadata({ doNotDisrupt: 'yes' as any })).toThrow(ValidationError);
    expect(() => podMetadata({ doNotDisrupt: 'yes' as any })).toThrow(/'doNotDisrupt'/);
  });
});
