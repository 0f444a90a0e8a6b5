import { Construct } from 'constructs';
import {
  Accelerator,
  KvCacheDtype,
  ModelSpec,
  Quantization,
  RopeScalingType,
  sizeModel,
} from '../../../lib/core';
import {
  IMAGES,
  ModelServer,
  ModelServerProps,
  ServingEngine,
  SglangEngine,
  WeightsSource,
  sglangMemFractionStatic,
} from '../../../lib/k8s';
import { resourcesOf, synthJson } from '../../util';
import { FakeMonitoring, platformAndWorkloads } from '../helpers';

const PROPS: ModelServerProps = {
  model: ModelSpec.LLAMA_3_1_8B,
  quantization: Quantization.AWQ,
  accelerator: Accelerator.L4,
  engine: ServingEngine.SGLANG,
  weights: WeightsSource.huggingFace('hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4', {
    revision: 'abc123',
  }),
};

function serve(props: Partial<ModelServerProps> = {}) {
  const { platform, workloads } = platformAndWorkloads();
  const monitoring = new FakeMonitoring(platform, 'Monitoring');
  const server = new ModelServer(workloads, 'Llama8B', { ...PROPS, monitoring, ...props });
  const json = synthJson(workloads);
  const deployment: any = Object.values(resourcesOf(json, 'kubernetes_deployment_v1'))[0];
  const manifests = Object.values(resourcesOf(json, 'kubernetes_manifest')).map((m: any) => m.manifest);
  return { server, deployment, container: deployment.spec.template.spec.container[0], manifests };
}

function argValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

describe('SglangEngine defaults', () => {
  test('is in the catalogue with id sglang, the pinned image and port 30000', () => {
    expect(ServingEngine.SGLANG).toBeInstanceOf(SglangEngine);
    expect(ServingEngine.SGLANG.id).toBe('sglang');
    expect(ServingEngine.SGLANG.image).toEqual(IMAGES.sglang);
    expect(IMAGES.sglang).toMatchObject({ repository: 'lmsysorg/sglang', tag: 'v0.5.20' });
    expect(ServingEngine.SGLANG.httpPort).toBe(30000);
    expect(
      ServingEngine.sglang({ image: { repository: 'r.example/sglang', tag: 'v0.5.20' } }).image.repository,
    ).toBe('r.example/sglang');
  });

  test("metrics are SGLang's scheduler gauges, labelled by model name", () => {
    const m = ServingEngine.SGLANG.metrics;
    expect([m.queueDepth.name, m.runningRequests.name, m.kvCacheUsage!.name]).toEqual([
      'sglang:num_queue_reqs',
      'sglang:num_running_reqs',
      'sglang:token_usage',
    ]);
    expect(m.scope).toBe('model-name');
    expect(m.path).toBe('/metrics');
  });

  test('renders launch_server with the model, sizing flags, revision and metrics on', () => {
    const { container, deployment, server } = serve();
    expect(deployment.metadata.name).toBe('llama8b-sglang');
    expect(container.image).toBe('lmsysorg/sglang:v0.5.20');
    expect(container.command).toEqual(['python3', '-m', 'sglang.launch_server']);
    const args: string[] = container.args;
    expect(argValue(args, '--model-path')).toBe('hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4');
    expect(argValue(args, '--served-model-name')).toBe('llama-3.1-8b');
    expect(argValue(args, '--host')).toBe('0.0.0.0');
    expect(argValue(args, '--port')).toBe('30000');
    expect(argValue(args, '--tp-size')).toBe(String(server.sizing.tensorParallelSize));
    expect(argValue(args, '--context-length')).toBe(String(server.sizing.maxModelLen));
    expect(argValue(args, '--max-running-requests')).toBe(String(server.sizing.maxNumSeqs));
    expect(argValue(args, '--mem-fraction-static')).toBe(String(sglangMemFractionStatic(server.sizing)));
    expect(argValue(args, '--revision')).toBe('abc123');
    expect(args).toContain('--enable-metrics');
    expect(args).not.toContain('--pp-size');
    expect(args).not.toContain('--kv-cache-dtype');
    expect(args).not.toContain('--quantization');
    expect(args).not.toContain('--dtype');
    expect(container.port).toEqual([{ name: 'http', container_port: 30000, protocol: 'TCP' }]);
    expect(container.readiness_probe.http_get).toEqual({ path: '/health', port: 'http' });
    expect(server.url).toBe('http://llama8b-sglang.default.svc.cluster.local:30000');
  });

  test('runs non-root as UID 1000 with HOME and USER set, read-only root, writable /tmp', () => {
    const { container, deployment } = serve();
    expect(deployment.spec.template.spec.security_context).toMatchObject({
      run_as_non_root: true,
      run_as_user: '1000',
    });
    expect(container.security_context.read_only_root_filesystem).toBe(true);
    expect(container.env).toEqual(
      expect.arrayContaining([
        { name: 'HOME', value: '/home/sglang' },
        { name: 'USER', value: 'sglang' },
      ]),
    );
    expect(container.volume_mount.map((v: any) => v.mount_path)).toEqual(
      expect.arrayContaining(['/home/sglang', '/tmp']),
    );
  });

  test('the autoscaler reads sglang:num_queue_reqs', () => {
    const { manifests } = serve({ autoscaling: { maxReplicas: 3 } });
    const so = manifests.find((m: any) => m.kind === 'ScaledObject');
    expect(so.spec.triggers[0].metadata.query).toMatch(/^sum\(sglang:num_queue_reqs\{/);
  });

  test('16-bit checkpoints pass --dtype, an FP8 KV cache passes --kv-cache-dtype fp8_e4m3, TP comes from sizing', () => {
    const { container, server } = serve({
      model: ModelSpec.LLAMA_3_1_70B,
      quantization: Quantization.BF16,
      accelerator: Accelerator.H100,
      kvCacheDtype: KvCacheDtype.FP8,
    });
    expect(server.sizing.tensorParallelSize).toBeGreaterThan(1);
    expect(argValue(container.args, '--tp-size')).toBe(String(server.sizing.tensorParallelSize));
    expect(argValue(container.args, '--dtype')).toBe('bfloat16');
    expect(argValue(container.args, '--kv-cache-dtype')).toBe('fp8_e4m3');
  });

  test('--mem-fraction-static is the share sizing gives weights + KV cache, rounded down', () => {
    const s = sizeModel({
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.BF16,
      accelerator: Accelerator.H100,
    });
    const f = sglangMemFractionStatic(s);
    const exact = (s.weightsPerGpuGiB + s.kvCachePerGpuGiB) / s.cudaMemoryGiB;
    expect(f).toBeLessThanOrEqual(exact + 1e-9);
    expect(f).toBeGreaterThan(exact - 0.01);
    expect(f).toBeLessThan(s.gpuMemoryUtilization);
  });
});

test('a rope scaling the checkpoint lacks goes to --json-model-override-args; none otherwise', () => {
  const model = ModelSpec.QWEN3_8B.withRopeScaling({
    type: RopeScalingType.YARN,
    factor: 4,
    originalMaxPositionEmbeddings: 32768,
    inCheckpointConfig: false,
  });
  const { container } = serve({ model, quantization: Quantization.BF16, accelerator: Accelerator.H100 });
  expect(JSON.parse(argValue(container.args, '--json-model-override-args')!)).toEqual({
    rope_scaling: { rope_type: 'yarn', factor: 4, original_max_position_embeddings: 32768 },
    max_position_embeddings: 131072,
  });
  expect(serve().container.args).not.toContain('--json-model-override-args');
});

describe('SglangEngine validation', () => {
  test('throws for a GGUF file (ModelServer: sizing refuses it first; the engine refuses it too)', () => {
    expect(() => serve({ quantization: Quantization.GGUF_Q4_K_M })).toThrow(
      /Llama8B: 'quantization' GGUF_Q4_K_M/,
    );
    const sizing = sizeModel({
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.BF16,
      accelerator: Accelerator.L4,
    });
    const scope = new Construct(undefined as any, 'Scope');
    expect(() =>
      ServingEngine.SGLANG.validate(scope, {
        model: ModelSpec.LLAMA_3_1_8B,
        quantization: Quantization.GGUF_Q4_K_M,
        accelerator: Accelerator.L4,
        sizing,
      }),
    ).toThrow(
      /'quantization' GGUF_Q4_K_M is a GGUF file for llama.cpp; SGLang serves safetensors checkpoints/,
    );
  });

  test('throws for a quantization that runs only weight-only on the GPU (FP8 on A100)', () => {
    expect(() => serve({ quantization: Quantization.FP8, accelerator: Accelerator.A100_80GB })).toThrow(
      /Llama8B: 'quantization' FP8 runs only weight-only on A100_80GB .*Use engine ServingEngine.VLLM/,
    );
  });
});

test('SglangEngine throws for a replica that spans nodes', () => {
  const sizing = sizeModel({
    model: ModelSpec.LLAMA_3_1_8B,
    quantization: Quantization.BF16,
    accelerator: Accelerator.L4,
  });
  const scope = new Construct(undefined as any, 'Scope');
  expect(() =>
    ServingEngine.SGLANG.validate(scope, {
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.BF16,
      accelerator: Accelerator.L4,
      sizing: { ...sizing, nodesPerReplica: 2 },
    }),
  ).toThrow(/spans 2 nodes per replica; the SGLang engine serves one node per replica/);
});
