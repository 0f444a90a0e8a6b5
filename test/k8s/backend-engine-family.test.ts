import { Accelerator, ModelSpec, Quantization, Warnings } from '../../lib/core';
import {
  EngineMetrics,
  GatewayImplementation,
  IServingEngine,
  InferenceEngineType,
  InferenceGatewayPlatform,
  InferencePool,
  ModelServer,
  ModelServerBackend,
  ServingEngine,
  WeightsSource,
} from '../../lib/k8s';
import { platformAndWorkloads, warningsOf } from './helpers';

// A ModelServer with an engine of the user's own: the endpoint picker reads the metrics of one of
// the engines it knows (vllm, sglang, triton-tensorrt-llm). ModelServerBackend.of takes the family
// from the metric names the engine declares, and warns when they are none the picker reads.

const WARNING = 'k8s-backend-engine-metrics';

/** An engine of the user's own: vLLM's behaviour under another id and, optionally, other metrics. */
function customEngine(id: string, metrics?: Partial<EngineMetrics>): IServingEngine {
  const base = ServingEngine.VLLM;
  return Object.create(base, {
    id: { value: id },
    displayName: { value: `custom ${id}` },
    ...(metrics ? { metrics: { value: { ...base.metrics, ...metrics } } } : {}),
  });
}

function serve(engine: IServingEngine) {
  const { platform, workloads } = platformAndWorkloads();
  const gatewayPlatform = new InferenceGatewayPlatform(platform, 'InferenceGateway', {
    implementation: GatewayImplementation.istio(),
  });
  const server = new ModelServer(workloads, 'Llama8B', {
    model: ModelSpec.LLAMA_3_1_8B,
    quantization: Quantization.BF16,
    accelerator: Accelerator.L40S,
    weights: WeightsSource.bucket('s3://models/llama-3.1-8b/'),
    namespace: 'llm',
    engine,
  });
  return { workloads, gatewayPlatform, server };
}

function engineWarnings(s: ReturnType<typeof serve>): string[] {
  return warningsOf(s.workloads).filter((w) => w.includes(`[cdktf-ai-infra:${WARNING}]`));
}

describe('ModelServerBackend.of with an engine of your own', () => {
  test('vLLM metric names: the picker reads vLLM, no warning', () => {
    const s = serve(customEngine('vllm-nightly'));
    const b = ModelServerBackend.of(s.server);
    expect(b.engine).toBe(InferenceEngineType.VLLM);
    expect(engineWarnings(s)).toEqual([]);
  });

  test('SGLang metric names: the picker reads SGLang, no warning', () => {
    const s = serve(
      customEngine('sglang-fork', {
        queueDepth: { name: 'sglang:num_queue_reqs' },
        runningRequests: { name: 'sglang:num_running_reqs' },
        kvCacheUsage: { name: 'sglang:token_usage' },
      }),
    );
    const b = ModelServerBackend.of(s.server);
    expect(b.engine).toBe(InferenceEngineType.SGLANG);
    const p = new InferencePool(s.workloads, 'Pool', { backend: b, platform: s.gatewayPlatform });
    expect(p.endpointPickerConfig.plugins).toContainEqual({
      type: 'core-metrics-extractor',
      parameters: { defaultEngine: 'sglang' },
    });
    expect(engineWarnings(s)).toEqual([]);
  });

  test('other metric names: taken for vLLM as before, with a warning naming the metrics', () => {
    const s = serve(
      customEngine('acme-llm', {
        queueDepth: { name: 'acme:queue_length' },
        kvCacheUsage: { name: 'acme:kv_usage' },
      }),
    );
    const b = ModelServerBackend.of(s.server);
    expect(b.engine).toBe(InferenceEngineType.VLLM);
    const warnings = engineWarnings(s);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`engine 'acme-llm'`);
    expect(warnings[0]).toContain('acme:queue_length');
    expect(warnings[0]).toMatch(/vllm:num_requests_waiting/);
    expect(warnings[0]).toMatch(/IInferenceBackend/);
    // A second pool over the same server does not repeat it.
    ModelServerBackend.of(s.server);
    expect(engineWarnings(s)).toHaveLength(1);
  });

  test('same vLLM queue metric but another KV-cache gauge is not vLLM: warns', () => {
    const s = serve(customEngine('vllm-patched', { kvCacheUsage: { name: 'patched:kv_cache' } }));
    expect(ModelServerBackend.of(s.server).engine).toBe(InferenceEngineType.VLLM);
    expect(engineWarnings(s)).toHaveLength(1);
  });

  test('the warning can be suppressed on the server', () => {
    const s = serve(customEngine('acme-llm', { queueDepth: { name: 'acme:queue_length' } }));
    Warnings.suppress(s.server, WARNING, 'our engine exports the vLLM metric names too');
    ModelServerBackend.of(s.server);
    expect(engineWarnings(s)).toEqual([]);
  });
});
