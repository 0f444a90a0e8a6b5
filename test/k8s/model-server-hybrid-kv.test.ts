import { Accelerator, ModelSpec, Quantization, ValidationError } from '../../lib/core';
import { ModelServer, ModelServerProps, WeightsSource } from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads } from './helpers';

const SCOUT: ModelServerProps = {
  model: ModelSpec.LLAMA_4_SCOUT,
  quantization: Quantization.FP8,
  accelerator: Accelerator.H200,
  maxModelLen: 1_000_000,
  weights: WeightsSource.bucket('s3://models/llama-4-scout-fp8/'),
};

function serve(props: Partial<ModelServerProps> = {}) {
  const { workloads } = platformAndWorkloads();
  const server = new ModelServer(workloads, 'Scout', { ...SCOUT, ...props });
  const json = synthJson(workloads);
  const deployment = Object.values(resourcesOf(json, 'kubernetes_deployment_v1'))[0] as any;
  return { server, args: deployment.spec.template.spec.container[0].args as string[] };
}

describe('ModelServer hybridKvCacheManager', () => {
  test('defaults to true: Llama 4 is sized with chunk-sized KV for its chunked layers and no flag is passed', () => {
    const { server, args } = serve();
    expect(server.sizing.hybridKvCacheManager).toBe(true);
    expect(server.sizing.kvCache.hybrid).toBe(true);
    expect(args).not.toContain('--disable-hybrid-kv-cache-manager');
  });

  test('false sizes every token in every layer and passes --disable-hybrid-kv-cache-manager', () => {
    const on = serve().server.sizing;
    const { server, args } = serve({ hybridKvCacheManager: false });
    expect(server.sizing.kvCache.hybrid).toBe(false);
    expect(server.sizing.kvPerSequencePerGpuGiB).toBeGreaterThan(on.kvPerSequencePerGpuGiB);
    expect(args).toContain('--disable-hybrid-kv-cache-manager');
  });

  test('throws when extraArgs turn the manager off while the sizing assumes it on', () => {
    expect(() => serve({ extraArgs: ['--disable-hybrid-kv-cache-manager'] })).toThrow(
      /'extraArgs' turn vLLM's hybrid KV-cache manager off \(--disable-hybrid-kv-cache-manager in 'extraArgs'\).*'hybridKvCacheManager: false'/,
    );
    expect(() => serve({ extraArgs: ['--disable-hybrid-kv-cache-manager'] })).toThrow(ValidationError);
  });

  test('throws on EAGLE speculative decoding with chunked attention (vLLM turns the manager off)', () => {
    expect(() =>
      serve({
        extraArgs: [
          '--speculative-config',
          '{"method":"eagle3","model":"acme/scout-eagle3","num_speculative_tokens":3}',
        ],
      }),
    ).toThrow(/EAGLE speculative decoding .* on llama-4-scout's chunked attention/);
  });

  test('EAGLE is accepted once the sizing keeps every token (hybridKvCacheManager false)', () => {
    const { args } = serve({
      hybridKvCacheManager: false,
      extraArgs: ['--speculative-config={"method":"eagle","model":"acme/scout-eagle"}'],
    });
    expect(args).toContain('--disable-hybrid-kv-cache-manager');
  });

  test('EAGLE on a sliding-window model keeps the manager on and is accepted', () => {
    const { args } = serve({
      model: ModelSpec.GEMMA_3_27B,
      quantization: Quantization.BF16,
      accelerator: Accelerator.H100,
      maxModelLen: 32768,
      weights: WeightsSource.bucket('s3://models/gemma-3-27b/'),
      extraArgs: ['--speculative-config', '{"method":"eagle","model":"acme/gemma-eagle"}'],
    });
    expect(args).toContain('--speculative-config');
  });
});
