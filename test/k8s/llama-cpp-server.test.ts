import {
  Accelerator,
  CPU_INFERENCE_NODE_LABEL,
  LlamaCppCacheType,
  ModelSpec,
  Quantization,
  sizeLlamaCpp,
} from '../../lib/core';
import {
  IMAGES,
  LlamaCppEngine,
  LlamaCppServer,
  LlamaCppServerProps,
  ModelServer,
  PodSecurityLevel,
  WeightsSource,
} from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { FakeMonitoring, platformAndWorkloads, warningsOf } from './helpers';

const FILE = 'Llama-3.1-8B-Instruct-Q4_K_M.gguf';
const PROPS: LlamaCppServerProps = {
  model: ModelSpec.LLAMA_3_1_8B,
  quantization: Quantization.GGUF_Q4_K_M,
  weights: WeightsSource.bucket('s3://models/llama-3.1-8b-gguf/'),
  ggufFile: FILE,
};

function serve(props: Partial<LlamaCppServerProps> = {}, monitored = true) {
  const { platform, workloads } = platformAndWorkloads();
  const monitoring = monitored ? new FakeMonitoring(platform, 'Monitoring') : undefined;
  const server = new LlamaCppServer(workloads, 'Llama8BCpu', { ...PROPS, monitoring, ...props });
  const json = synthJson(workloads);
  const deployment: any = Object.values(resourcesOf(json, 'kubernetes_deployment_v1'))[0];
  const manifests = Object.values(resourcesOf(json, 'kubernetes_manifest')).map((m: any) => m.manifest);
  const service: any = Object.values(resourcesOf(json, 'kubernetes_service_v1'))[0];
  const spec = deployment.spec.template.spec;
  return { server, deployment, spec, container: spec.container[0], manifests, service, workloads };
}

function argValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

describe('LlamaCppEngine defaults', () => {
  const e = new LlamaCppEngine();
  test('id llama-cpp, pinned CPU and CUDA images of one build, port 8080, /health probes', () => {
    expect(e.id).toBe('llama-cpp');
    expect(e.image).toEqual(IMAGES.llamaCppServer);
    expect(e.cudaImage).toEqual(IMAGES.llamaCppServerCuda);
    expect(IMAGES.llamaCppServer.tag).toBe('server-b9994');
    expect(IMAGES.llamaCppServerCuda.tag).toBe('server-cuda-b9994');
    expect(e.ports).toEqual([{ name: 'http', containerPort: 8080 }]);
    expect(e.probes).toEqual({
      port: 'http',
      startupPath: '/health',
      readinessPath: '/health',
      livenessPath: '/health',
    });
  });

  test('queue = requests_deferred, running = requests_processing, no KV-cache gauge, selected by pod', () => {
    expect(e.metrics.queueDepth.name).toBe('llamacpp:requests_deferred');
    expect(e.metrics.runningRequests.name).toBe('llamacpp:requests_processing');
    expect(e.metrics.kvCacheUsage).toBeUndefined();
    expect(e.metrics.scope).toBe('pod');
  });

  test('runs as UID 1000 with a read-only root and /tmp writable; reads local files only', () => {
    expect(e.user).toEqual({ uid: 1000, gid: 1000, name: 'llama', home: '/home/llama' });
    expect(e.readOnlyRootFilesystem).toBe(true);
    expect(e.writablePaths).toEqual([{ volume: 'tmp', path: '/tmp' }]);
    expect(e.weightLoading.downloadsFromHuggingFace).toBe(false);
    expect(e.weightLoading.streamsS3ByDefault).toBe(false);
  });

  test('options replace the images', () => {
    const mirror = { repository: 'registry.example.com/llama.cpp', tag: 'server-b9994' };
    expect(new LlamaCppEngine({ image: mirror }).image).toBe(mirror);
    expect(new LlamaCppEngine({ cudaImage: mirror }).cudaImage).toBe(mirror);
  });

  test('serverArgs: the sizing as llama-server flags', () => {
    const sizing = sizeLlamaCpp({
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.GGUF_Q4_K_M,
      parallel: 2,
    });
    const args = e.serverArgs({ sizing, modelPath: '/models/m.gguf', servedModelName: 'llama' });
    expect(args).toEqual([
      '--model',
      '/models/m.gguf',
      '--alias',
      'llama',
      '--host',
      '0.0.0.0',
      '--port',
      '8080',
      '--ctx-size',
      '16384',
      '--parallel',
      '2',
      '--threads',
      '4',
      '--threads-batch',
      '8',
      '--n-gpu-layers',
      '0',
      '--metrics',
      '--no-webui',
      '--no-slots',
    ]);
  });

  test('a q8_0 cache adds the cache types and flash attention', () => {
    const sizing = sizeLlamaCpp({
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.GGUF_Q4_K_M,
      cacheType: LlamaCppCacheType.Q8_0,
    });
    const args = e.serverArgs({ sizing, modelPath: '/m.gguf', servedModelName: 'x' });
    expect(argValue(args, '--cache-type-k')).toBe('q8_0');
    expect(argValue(args, '--cache-type-v')).toBe('q8_0');
    expect(argValue(args, '--flash-attn')).toBe('on');
  });

  test('ModelServer refuses a GGUF model before the engine (sizing) and the engine refuses safetensors', () => {
    const { workloads } = platformAndWorkloads();
    expect(
      () =>
        new ModelServer(workloads, 'Gguf', {
          model: ModelSpec.LLAMA_3_1_8B,
          quantization: Quantization.GGUF_Q4_K_M,
          accelerator: Accelerator.L4,
          weights: WeightsSource.bucket('s3://models/x/'),
        }),
    ).toThrow(/GGUF file for llama.cpp.*LlamaCppServer/);
    expect(
      () =>
        new ModelServer(workloads, 'Awq', {
          model: ModelSpec.LLAMA_3_1_8B,
          quantization: Quantization.AWQ,
          accelerator: Accelerator.L4,
          engine: e,
          weights: WeightsSource.bucket('s3://models/x/'),
        }),
    ).toThrow(/Awq: 'engine' llama.cpp serves GGUF files, but 'quantization' is AWQ/);
  });
});

describe('LlamaCppServer on CPU (defaults)', () => {
  const { server, deployment, spec, container, manifests, service } = serve();

  test('Deployment and Service <name>-llama-cpp in default, 1 replica, the CPU image', () => {
    expect(deployment.metadata.name).toBe('llama8bcpu-llama-cpp');
    expect(deployment.metadata.namespace).toBe('default');
    expect(deployment.spec.replicas).toBe('1');
    expect(container.image).toBe('ghcr.io/ggml-org/llama.cpp:server-b9994');
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.port).toEqual([{ name: 'http', port: 8080, target_port: 'http', protocol: 'TCP' }]);
    expect(server.url).toBe('http://llama8bcpu-llama-cpp.default.svc.cluster.local:8080');
  });

  test('args: the file in the copied weights directory, the sizing, metrics', () => {
    const args: string[] = container.args;
    expect(argValue(args, '--model')).toMatch(new RegExp(`/${FILE.replace(/\./g, '\\.')}$`));
    expect(argValue(args, '--alias')).toBe('llama-3.1-8b');
    expect(argValue(args, '--ctx-size')).toBe('8192');
    expect(argValue(args, '--parallel')).toBe('1');
    expect(argValue(args, '--threads')).toBe('4');
    expect(argValue(args, '--n-gpu-layers')).toBe('0');
    expect(args).toContain('--metrics');
  });

  test('resources: 8 vCPUs and the sizing memory as request and limit, no GPU, no /dev/shm', () => {
    expect(container.resources.requests).toEqual({ cpu: '8', memory: `${server.sizing.memoryGiB}Gi` });
    expect(container.resources.limits).toEqual({ memory: `${server.sizing.memoryGiB}Gi` });
    expect(server.sizing.memoryGiB).toBe(7);
    expect(spec.volume.map((v: any) => v.name)).not.toContain('dshm');
  });

  test('selects and tolerates the CPU inference nodes, not the GPU taint', () => {
    expect(spec.node_selector).toEqual({ [CPU_INFERENCE_NODE_LABEL]: 'true' });
    expect(spec.toleration).toEqual([
      { key: CPU_INFERENCE_NODE_LABEL, operator: 'Equal', value: 'true', effect: 'NoSchedule' },
    ]);
  });

  test('restricted: UID 1000, non-root, read-only root, all capabilities dropped', () => {
    expect(server.podSecurityLevel).toBe(PodSecurityLevel.RESTRICTED);
    expect(spec.security_context.run_as_user).toBe('1000');
    expect(container.security_context).toEqual({
      allow_privilege_escalation: false,
      capabilities: { drop: ['ALL'] },
      read_only_root_filesystem: true,
      run_as_non_root: true,
    });
  });

  test('the bucket is copied by an init container before llama-server starts', () => {
    expect(spec.init_container.length).toBe(1);
    expect(spec.init_container[0].image).toContain('amazon/aws-cli');
  });

  test('/health probes; the startup probe allows at least 15 minutes', () => {
    expect(container.startup_probe.http_get.path).toBe('/health');
    expect(
      container.startup_probe.period_seconds * container.startup_probe.failure_threshold,
    ).toBeGreaterThanOrEqual(15 * 60);
    expect(container.readiness_probe.http_get.path).toBe('/health');
  });

  test('a ServiceMonitor scrapes /metrics on the http port', () => {
    const sm = manifests.find((m) => m.kind === 'ServiceMonitor');
    expect(sm.spec.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '15s' }]);
    expect(sm.metadata.labels.release).toBe('kps');
  });

  test('the sizing annotation names the memory and threads', () => {
    expect(deployment.metadata.annotations['cdktf-ai-infra/sizing']).toMatch(
      /^CPU; GGUF 4\.6 GiB; .*memory 7 GiB; 8 vCPUs, 4 threads$/,
    );
  });
});

describe('LlamaCppServer options', () => {
  test('with an accelerator: the CUDA image, one GPU, every layer offloaded (layers + 1)', () => {
    const { container, spec } = serve({ accelerator: Accelerator.L4 });
    expect(container.image).toBe('ghcr.io/ggml-org/llama.cpp:server-cuda-b9994');
    expect(container.resources.requests['nvidia.com/gpu']).toBe('1');
    expect(argValue(container.args, '--n-gpu-layers')).toBe('33');
    expect(argValue(container.args, '--threads')).toBe('2');
    expect(spec.node_selector).toEqual({ 'cdktf-ai-infra/accelerator': Accelerator.L4.labelValue });
    expect(spec.toleration[0].key).toBe('nvidia.com/gpu');
  });

  test('a partial offload warns and offloads what fits', () => {
    const { container, workloads } = serve({
      model: ModelSpec.LLAMA_3_1_70B,
      accelerator: Accelerator.L4,
      ggufFile: 'l70.gguf',
    });
    const layers = Number(argValue(container.args, '--n-gpu-layers'));
    expect(layers).toBeGreaterThan(0);
    expect(layers).toBeLessThan(80);
    expect(warningsOf(workloads).join('\n')).toMatch(/of 80 layers of llama-3.1-70b .* fit on L4/);
  });

  test('parallel, maxModelLen, vcpus, memoryGiB, name, namespace, replicas, servedModelName', () => {
    const { deployment, container } = serve({
      parallel: 4,
      maxModelLen: 4096,
      vcpus: 16,
      memoryGiB: 12,
      name: 'chat',
      namespace: 'serving',
      replicas: 2,
      servedModelName: 'chat-small',
    });
    expect(deployment.metadata.name).toBe('chat-llama-cpp');
    expect(deployment.metadata.namespace).toBe('serving');
    expect(deployment.spec.replicas).toBe('2');
    expect(argValue(container.args, '--ctx-size')).toBe('16384');
    expect(argValue(container.args, '--parallel')).toBe('4');
    expect(argValue(container.args, '--threads')).toBe('8');
    expect(argValue(container.args, '--threads-batch')).toBe('16');
    expect(argValue(container.args, '--alias')).toBe('chat-small');
    expect(container.resources.requests).toEqual({ cpu: '16', memory: '12Gi' });
  });

  test('extraArgs are appended', () => {
    const { container } = serve({ extraArgs: ['--jinja'] });
    expect(container.args).toContain('--jinja');
  });

  test('without monitoring: no ServiceMonitor, a warning', () => {
    const { manifests, workloads } = serve({}, false);
    expect(manifests.find((m) => m.kind === 'ServiceMonitor')).toBeUndefined();
    expect(warningsOf(workloads).join('\n')).toMatch(/no 'monitoring' given/);
  });
});

describe('LlamaCppServer validation', () => {
  test.each([
    [{ quantization: Quantization.AWQ }, /Llama8BCpu: 'quantization' AWQ is not a GGUF file/],
    [{ ggufFile: 'models/x.gguf' }, /'ggufFile' \("models\/x.gguf"\) must be the name of a \.gguf file/],
    [{ ggufFile: 'model.safetensors' }, /'ggufFile' \("model.safetensors"\)/],
    [{ memoryGiB: 2 }, /'memoryGiB' \(2\) is below the 4\.6 GiB GGUF file/],
    [{ parallel: 0 }, /'parallel' \(0\)/],
    [{ maxModelLen: 1_000_000 }, /'maxModelLen' \(1000000\)/],
    [{ extraArgs: ['--ctx-size', '4096'] }, /'extraArgs' repeats --ctx-size/],
    [{ extraArgs: ['-ngl', '10'] }, /'extraArgs' repeats --n-gpu-layers/],
    [{ replicas: -1 }, /'replicas'/],
    [{ name: 'Bad_Name' }, /'name'/],
    [
      { weights: WeightsSource.huggingFace('bartowski/Llama-3.1-8B-GGUF') },
      /cannot feed llama\.cpp: it needs a GGUF file/,
    ],
  ] as Array<[Partial<LlamaCppServerProps>, RegExp]>)('throws for %o', (p, message) => {
    expect(() => serve(p)).toThrow(message);
  });
});
