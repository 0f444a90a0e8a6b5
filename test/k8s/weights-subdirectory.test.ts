import { Accelerator, ModelSpec, Quantization } from '../../lib/core';
import { ModelServer, ModelServerProps, VolumeAccessMode, WeightsSource } from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads } from './helpers';

const SERVER: Omit<ModelServerProps, 'weights'> = {
  model: ModelSpec.LLAMA_3_1_8B,
  quantization: Quantization.AWQ,
  accelerator: Accelerator.L4,
  namespace: 'llm',
};

function serve(path: string) {
  const { workloads } = platformAndWorkloads();
  new ModelServer(workloads, 'Llama', {
    ...SERVER,
    weights: WeightsSource.volume('models-rox', { accessMode: VolumeAccessMode.READ_ONLY_MANY, path }),
  });
  const deployment: any = Object.values(resourcesOf(synthJson(workloads), 'kubernetes_deployment_v1'))[0];
  return deployment.spec.template.spec.container[0].args as string[];
}

// The directory of the model inside a mounted volume: WeightsSource.cache(...) and
// WeightsSource.mlflowModel(...) always refused a path climbing out of it; WeightsSource.volume(...)
// passed any string through to the engine's model path.
describe('WeightsSource.volume path', () => {
  test.each(['../other-team/llama', 'llama/../../etc', 'llama 8b', 'llama;rm'])('throws for %j', (path) => {
    expect(() => serve(path)).toThrow(
      `'weights' volume path '${path}' must be a relative directory of letters, digits, '.', '_', '-' and '/', without '..', for example 'llama-8b-awq'.`,
    );
  });

  test('a relative directory (slashes trimmed) is the model location under /models/weights', () => {
    expect(serve('/teams/llama-8b-awq/')[0]).toBe('/models/weights/teams/llama-8b-awq');
  });
});
