import {
  Accelerator,
  GpuArchitecture,
  GpuInterconnect,
  KvCacheDtype,
  ModelSpec,
  Quantization,
  RopeScalingType,
  ValidationError,
  Warnings,
  vllmSizingArgs,
} from '../../lib/core';
import {
  BucketLoading,
  ModelServer,
  ModelServerProps,
  ServingEngine,
  VolumeAccessMode,
  WeightsSource,
} from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { FakeMonitoring, FakePlatform, platformAndWorkloads, warningsOf } from './helpers';
import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';

const LLAMA_8B_AWQ_L4: ModelServerProps = {
  model: ModelSpec.LLAMA_3_1_8B,
  quantization: Quantization.AWQ,
  accelerator: Accelerator.L4,
  weights: WeightsSource.bucket('s3://models/llama-3.1-8b-awq/'),
};

/** A kube-prometheus-stack release named `kube-prometheus-stack` (not the library's MonitoringStack). */
const kubePrometheusStack = (scope: Construct): FakeMonitoring =>
  new FakeMonitoring(
    scope,
    'Monitoring',
    'kube-prometheus-stack',
    'http://kube-prometheus-stack-prometheus.monitoring.svc:9090',
  );

function serve(props: Partial<ModelServerProps> = {}, id = 'Llama8B') {
  const { platform, workloads } = platformAndWorkloads();
  const monitoring = kubePrometheusStack(platform);
  const server = new ModelServer(workloads, id, { ...LLAMA_8B_AWQ_L4, monitoring, ...props });
  return { server, workloads, platform, json: synthJson(workloads) };
}

function deployment(json: ReturnType<typeof synthJson>) {
  return Object.values(resourcesOf(json, 'kubernetes_deployment_v1'))[0];
}
function container(json: ReturnType<typeof synthJson>) {
  return deployment(json).spec.template.spec.container[0];
}
function manifests(json: ReturnType<typeof synthJson>, kind: string) {
  return Object.values(resourcesOf(json, 'kubernetes_manifest'))
    .map((m: any) => m.manifest)
    .filter((m: any) => m.kind === kind);
}
function argValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

describe('ModelServer (vLLM)', () => {
  test('names the Deployment <name>-vllm from the construct id', () => {
    const { json } = serve();
    expect(deployment(json).metadata.name).toBe('llama8b-vllm');
  });

  test('passes the model positionally to the image entrypoint `vllm serve`, not with the deprecated --model', () => {
    // vLLM >= 0.19 warns "With `vllm serve`, you should provide the model as a positional argument ...
    // The `--model` option will be removed" (vllm/entrypoints/utils argparse_utils.py).
    const { json } = serve();
    const args = container(json).args as string[];
    expect(args[0]).toBe('s3://models/llama-3.1-8b-awq/');
    expect(args).not.toContain('--model');
  });

  test('defaults to the pinned vLLM image, never latest', () => {
    const { json } = serve();
    expect(container(json).image).toBe('vllm/vllm-openai:v0.31.0');
  });

  test('passes sizing from core: tensor parallel, max model len, memory utilisation', () => {
    const { json, server } = serve({
      model: ModelSpec.LLAMA_3_1_70B,
      accelerator: Accelerator.L40S,
      weights: WeightsSource.bucket('s3://models/llama-70b/'),
    });
    const args: string[] = container(json).args;
    expect(server.sizing.tensorParallelSize).toBe(2);
    expect(argValue(args, '--tensor-parallel-size')).toBe('2');
    expect(argValue(args, '--max-model-len')).toBe('8192');
    expect(argValue(args, '--gpu-memory-utilization')).toBe('0.9');
    expect(container(json).resources.limits['nvidia.com/gpu']).toBe('2');
    expect(container(json).resources.requests['nvidia.com/gpu']).toBe('2');
  });

  test('renders the sizing flags with vllmSizingArgs: batch token and sequence limits reach vLLM, no flag twice', () => {
    const { json, server } = serve();
    const args: string[] = container(json).args;
    expect(args).toEqual(expect.arrayContaining(vllmSizingArgs(server.sizing)));
    expect(argValue(args, '--max-num-batched-tokens')).toBe(String(server.sizing.maxNumBatchedTokens));
    expect(argValue(args, '--max-num-seqs')).toBe(String(server.sizing.maxNumSeqs));
    const flags = args.filter((a) => a.startsWith('--'));
    expect(new Set(flags).size).toBe(flags.length);
  });

  test('passes --hf-overrides when the checkpoint lacks the rope scaling', () => {
    const model = ModelSpec.QWEN3_8B.withRopeScaling({
      type: RopeScalingType.YARN,
      factor: 4,
      originalMaxPositionEmbeddings: 32768,
      inCheckpointConfig: false,
    });
    const { json } = serve({ model, quantization: Quantization.BF16, accelerator: Accelerator.H100 });
    expect(JSON.parse(argValue(container(json).args, '--hf-overrides')!)).toEqual(model.vllmHfOverrides);
  });

  test('throws a ValidationError on an extraArgs element that is not a string', () => {
    expect(() => serve({ extraArgs: [42 as unknown as string] })).toThrow(
      /'extraArgs\[0\]' must be a string/,
    );
    expect(() => serve({ extraArgs: 'x' as unknown as string[] })).toThrow(
      /'extraArgs' must be an array of strings/,
    );
  });

  test('throws when extraArgs repeat a flag the library sets, in either form', () => {
    expect(() => serve({ extraArgs: ['--max-num-seqs', '8'] })).toThrow(ValidationError);
    expect(() => serve({ extraArgs: ['--max-num-seqs', '8'] })).toThrow(/'extraArgs' repeats --max-num-seqs/);
    expect(() => serve({ extraArgs: ['--max-model-len=4096'] })).toThrow(
      /'extraArgs' repeats --max-model-len/,
    );
  });

  test('does not force a quantization kernel for a pre-quantized AWQ checkpoint', () => {
    const { json } = serve();
    expect(container(json).args).not.toContain('--quantization');
  });

  test('passes --dtype for BF16 from core quantization args', () => {
    const { json } = serve({ quantization: Quantization.BF16, accelerator: Accelerator.L40S });
    expect(argValue(container(json).args, '--dtype')).toBe('bfloat16');
  });

  test('adds --kv-cache-dtype fp8 for an FP8 KV cache', () => {
    const { json } = serve({ kvCacheDtype: KvCacheDtype.FP8 });
    expect(argValue(container(json).args, '--kv-cache-dtype')).toBe('fp8');
  });

  test('defaults the served model name to the model name', () => {
    const { json } = serve();
    expect(argValue(container(json).args, '--served-model-name')).toBe('llama-3.1-8b');
  });

  test('throws when the model does not fit (core sizing) with the construct path', () => {
    expect(() => serve({ model: ModelSpec.LLAMA_3_1_405B, quantization: Quantization.BF16 })).toThrow(
      /workloads\/Llama8B: llama-3.1-405b in BF16 does not fit/,
    );
  });

  test('throws when the quantization cannot run on the GPU', () => {
    // Every catalogued GPU runs FP8 (weight-only on Ampere); a Turing GPU has no FP8 kernel.
    const t4 = Accelerator.of({
      id: 'T4',
      displayName: 'NVIDIA T4',
      memoryMiB: 15360,
      computeCapability: { major: 7, minor: 5 },
      architecture: GpuArchitecture.TURING,
      interconnect: GpuInterconnect.PCIE,
      memoryType: 'GDDR6',
    });
    expect(() => serve({ quantization: Quantization.FP8, accelerator: t4 })).toThrow(ValidationError);
    expect(() => serve({ quantization: Quantization.FP8, accelerator: t4 })).toThrow(
      /FP8 needs compute capability >= 8.0/,
    );
  });

  test('requests GPUs, tolerates the GPU taint and selects the accelerator label', () => {
    const { json } = serve();
    const spec = deployment(json).spec.template.spec;
    expect(spec.toleration).toContainEqual({
      key: 'nvidia.com/gpu',
      operator: 'Exists',
      effect: 'NoSchedule',
    });
    expect(spec.node_selector).toEqual({ 'cdktf-ai-infra/accelerator': 'l4' });
  });

  test('node selector is merged over the accelerator label (a key set replaces its default value)', () => {
    const { json } = serve({ nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-L4' } });
    expect(deployment(json).spec.template.spec.node_selector).toEqual({
      'cdktf-ai-infra/accelerator': 'l4',
      'nvidia.com/gpu.product': 'NVIDIA-L4',
    });
    const { json: json2 } = serve({ nodeSelector: { 'cdktf-ai-infra/accelerator': 'l4-onprem' } });
    expect(deployment(json2).spec.template.spec.node_selector).toEqual({
      'cdktf-ai-infra/accelerator': 'l4-onprem',
    });
  });

  test('mounts a memory-backed /dev/shm of 2Gi without tensor parallelism', () => {
    const { json } = serve();
    expect(deployment(json).spec.template.spec.volume).toContainEqual({
      name: 'dshm',
      empty_dir: { medium: 'Memory', size_limit: '2Gi' },
    });
    expect(container(json).volume_mount).toContainEqual({ name: 'dshm', mount_path: '/dev/shm' });
  });

  test('mounts a 16Gi /dev/shm with tensor parallelism', () => {
    const { json } = serve({ model: ModelSpec.LLAMA_3_1_70B, accelerator: Accelerator.L40S });
    expect(deployment(json).spec.template.spec.volume).toContainEqual({
      name: 'dshm',
      empty_dir: { medium: 'Memory', size_limit: '16Gi' },
    });
  });

  test('startup probe on /health with a budget of at least 15 minutes', () => {
    const { json } = serve();
    const p = container(json).startup_probe;
    expect(p.http_get).toEqual({ path: '/health', port: 'http' });
    expect(p.period_seconds * p.failure_threshold).toBe(15 * 60);
  });

  test('start-up budget grows with the weights (405B FP8 on H100 gets over 2 hours)', () => {
    const { json } = serve({
      model: ModelSpec.LLAMA_3_1_405B,
      quantization: Quantization.FP8,
      accelerator: Accelerator.H100,
      maxModelLen: 4096,
    });
    const p = container(json).startup_probe;
    expect(p.period_seconds * p.failure_threshold).toBeGreaterThan(2 * 3600);
    expect(deployment(json).spec.progress_deadline_seconds).toBeGreaterThan(
      p.period_seconds * p.failure_threshold,
    );
    expect(deployment(json).timeouts.create).toMatch(/^\d+m$/);
  });

  test('readiness and liveness probes on /health', () => {
    const { json } = serve();
    expect(container(json).readiness_probe.http_get.path).toBe('/health');
    expect(container(json).liveness_probe.http_get.path).toBe('/health');
  });

  test('drains gracefully: preStop sleep, --shutdown-timeout and a longer grace period', () => {
    const { json } = serve();
    const c = container(json);
    expect(c.lifecycle.pre_stop[0].exec.command).toEqual(['sleep', '15']);
    expect(argValue(c.args, '--shutdown-timeout')).toBe('120');
    expect(deployment(json).spec.template.spec.termination_grace_period_seconds).toBeGreaterThan(15 + 120);
  });

  test('rolls out with maxUnavailable 0', () => {
    const { json } = serve();
    expect(deployment(json).spec.strategy.rolling_update.max_unavailable).toBe('0');
  });

  test('streams s3:// weights with runai_streamer by default', () => {
    const { json } = serve();
    expect(container(json).args[0]).toBe('s3://models/llama-3.1-8b-awq/');
    expect(argValue(container(json).args, '--load-format')).toBe('runai_streamer');
  });

  test('fetches gs:// weights with an init container by default', () => {
    const { json } = serve({ weights: WeightsSource.bucket('gs://models/llama-8b') });
    const spec = deployment(json).spec.template.spec;
    expect(spec.init_container[0].command).toEqual([
      'gcloud',
      'storage',
      'rsync',
      '--recursive',
      'gs://models/llama-8b/',
      '/models/weights/',
    ]);
    expect(container(json).args[0]).toBe('/models/weights');
    expect(container(json).args).not.toContain('--load-format');
  });

  test('fetches s3:// weights with aws s3 sync when asked', () => {
    const { json } = serve({
      weights: WeightsSource.bucket('s3://models/llama-8b/', { loading: BucketLoading.INIT_CONTAINER }),
    });
    expect(deployment(json).spec.template.spec.init_container[0].command.slice(0, 3)).toEqual([
      'aws',
      's3',
      'sync',
    ]);
  });

  test('throws when the bucket URI is not s3:// or gs://', () => {
    expect(() => serve({ weights: WeightsSource.bucket('https://example.com/model') })).toThrow(
      /'weights' WeightsSource.bucket\('https:\/\/example.com\/model'\) must be an 's3:\/\/bucket\/prefix\/'/,
    );
  });

  test('reads the Hugging Face token from a Secret', () => {
    const { json } = serve({
      weights: WeightsSource.huggingFace('hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4', {
        tokenSecret: { name: 'hf-token', key: 'token' },
      }),
    });
    expect(container(json).env).toContainEqual({
      name: 'HF_TOKEN',
      value_from: { secret_key_ref: { name: 'hf-token', key: 'token' } },
    });
  });

  test('warns when Hugging Face weights have no token', () => {
    const { workloads } = serve({ weights: WeightsSource.huggingFace('org/model') });
    expect(warningsOf(workloads).join('\n')).toMatch(/cdktf-ai-infra:k8s-hf-no-token/);
  });

  test('throws on a malformed Hugging Face repository id', () => {
    expect(() => serve({ weights: WeightsSource.huggingFace('not a repo') })).toThrow(
      /needs a repository id 'org\/name'/,
    );
  });

  test('mounts a read-many claim read-only', () => {
    const { json } = serve({
      replicas: 2,
      weights: WeightsSource.volume('models', {
        accessMode: VolumeAccessMode.READ_ONLY_MANY,
        path: 'llama-8b',
      }),
    });
    expect(deployment(json).spec.template.spec.volume).toContainEqual({
      name: 'model-weights',
      persistent_volume_claim: { claim_name: 'models', read_only: true },
    });
    expect(container(json).args[0]).toBe('/models/weights/llama-8b');
  });

  test('throws when a ReadWriteOnce claim is shared by more than one replica', () => {
    expect(() =>
      serve({
        replicas: 2,
        weights: WeightsSource.volume('models', { accessMode: VolumeAccessMode.READ_WRITE_ONCE }),
      }),
    ).toThrow(/claim 'models' is ReadWriteOnce but the server runs up to 2 replicas/);
  });

  test('creates a Service on port 8000', () => {
    const { json } = serve();
    const svc: any = Object.values(resourcesOf(json, 'kubernetes_service_v1'))[0];
    expect(svc.spec.port).toEqual([{ name: 'http', port: 8000, target_port: 'http', protocol: 'TCP' }]);
    expect(svc.metadata.name).toBe('llama8b-vllm');
  });

  test('creates a ServiceMonitor with the release label of the monitoring stack', () => {
    const { json } = serve();
    const [sm] = manifests(json, 'ServiceMonitor');
    expect(sm.metadata.labels.release).toBe('kube-prometheus-stack');
    expect(sm.spec.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '15s' }]);
  });

  test('warns without monitoring', () => {
    const { platform, workloads } = platformAndWorkloads();
    void platform;
    new ModelServer(workloads, 'Llama8B', LLAMA_8B_AWQ_L4);
    expect(warningsOf(workloads).join('\n')).toMatch(/k8s-model-server-unmonitored/);
  });

  test('creates a PodDisruptionBudget with maxUnavailable 1', () => {
    const { json } = serve();
    const pdb: any = Object.values(resourcesOf(json, 'kubernetes_pod_disruption_budget_v1'))[0];
    expect(pdb.spec.max_unavailable).toBe('1');
  });

  test('makes the workloads stack depend on the monitoring stack', () => {
    const { workloads, platform } = serve();
    expect(workloads.dependencies).toContain(platform);
  });

  test('throws when a ServiceMonitor lands in the stack that installs its CRD', () => {
    const { platform } = platformAndWorkloads();
    const monitoring = kubePrometheusStack(platform);
    // Simulate the monitoring chart registering its CRDs in this stack.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../../lib/k8s/private/common').registerCrdInstaller(monitoring, ['monitoring.coreos.com']);
    expect(() => new ModelServer(platform, 'Llama8B', { ...LLAMA_8B_AWQ_L4, monitoring })).toThrow(
      /kubernetes_manifest needs the CRD at plan time/,
    );
  });

  test('throws when the CRD chart is added to the same stack after the ServiceMonitor', () => {
    const { platform } = platformAndWorkloads();
    const monitoring = kubePrometheusStack(platform);
    new ModelServer(platform, 'Llama8B', { ...LLAMA_8B_AWQ_L4, monitoring });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../../lib/k8s/private/common').registerCrdInstaller(monitoring, ['monitoring.coreos.com']);
    expect(() => synthJson(platform as TerraformStack)).toThrow(/needs the CRD at plan time/);
  });

  test('throws on a name starting with a digit (the Service name must be an RFC 1035 label)', () => {
    expect(() => serve({ name: '8b-chat' })).toThrow(/'name' \('8b-chat'\) .*start with a letter/);
  });

  test('throws when the construct id gives a name starting with a digit', () => {
    expect(() => serve({}, '8B')).toThrow(/'name' \('8b'\) .*start with a letter/);
  });

  test('throws on a node selector the API server would reject', () => {
    expect(() => serve({ nodeSelector: { 'node type': 'gpu' } })).toThrow(
      /'nodeSelector' key 'node type' is not a valid Kubernetes label key/,
    );
    expect(() => serve({ nodeSelector: { 'cdktf-ai-infra/accelerator': 'L4 GPU' } })).toThrow(
      /'nodeSelector' value 'L4 GPU' \(key 'cdktf-ai-infra\/accelerator'\) is not a valid Kubernetes label value/,
    );
  });

  test('throws on an invalid name', () => {
    expect(() => serve({ name: 'Llama_8B' })).toThrow(/'name' \('Llama_8B'\) must be at most 48/);
  });
});

describe('ModelServer autoscaling', () => {
  test('creates a ScaledObject on vllm:num_requests_waiting with the model_name label', () => {
    const { json } = serve({ autoscaling: { maxReplicas: 4 } });
    const [so] = manifests(json, 'ScaledObject');
    expect(so.spec.triggers[0].metadata.query).toBe(
      'sum(vllm:num_requests_waiting{namespace="default", job="llama8b-vllm"})',
    );
    expect(so.spec.triggers[0].metadata.serverAddress).toBe(
      'http://kube-prometheus-stack-prometheus.monitoring.svc:9090',
    );
    expect(so.spec.minReplicaCount).toBe(1);
    expect(so.spec.maxReplicaCount).toBe(4);
  });

  test('defaults to threshold 5, activation 0 and ignoreNullValues false', () => {
    const { json } = serve({ autoscaling: { maxReplicas: 4 } });
    const [so] = manifests(json, 'ScaledObject');
    expect(so.spec.triggers[0].metadata).toMatchObject({
      threshold: '5',
      activationThreshold: '0',
      ignoreNullValues: 'false',
    });
  });

  test('keeps the current replicas when Prometheus fails (fallback never scales a busy server down)', () => {
    // KEDA's default fallback behavior 'static' sets the replicas to fallback.replicas (here the minimum, 1)
    // after 3 failed polls: a Prometheus restart would shrink a loaded server to one replica.
    const { json } = serve({ autoscaling: { maxReplicas: 4 } });
    const [so] = manifests(json, 'ScaledObject');
    expect(so.spec.fallback).toEqual({
      failureThreshold: 3,
      replicas: 1,
      behavior: 'currentReplicasIfHigher',
    });
  });

  test('lets KEDA own the replica count', () => {
    const { json } = serve({ autoscaling: { maxReplicas: 4 } });
    expect(deployment(json).lifecycle.ignore_changes).toEqual(['spec[0].replicas']);
  });

  test('scale to zero sets idleReplicaCount 0 and adds keepalive and activation triggers', () => {
    const { json } = serve({
      replicas: 0,
      autoscaling: {
        maxReplicas: 2,
        scaleToZero: true,
        activationQuery: 'sum(rate(nginx_ingress_controller_requests[1m]))',
      },
    });
    const [so] = manifests(json, 'ScaledObject');
    expect(so.spec.idleReplicaCount).toBe(0);
    expect(so.spec.minReplicaCount).toBe(1);
    expect(so.spec.fallback).toBeUndefined();
    expect(so.spec.triggers.map((t: any) => t.name)).toEqual([
      'queue-depth',
      'keepalive-in-flight',
      'activation',
    ]);
    expect(so.spec.triggers[1].metadata.query).toContain('vllm:num_requests_running');
    expect(so.spec.triggers[0].metadata.ignoreNullValues).toBe('true');
  });

  test.each([
    ['sum(rate(x[1m])', /'\(' at character 4 is not closed/],
    ['sum(x{namespace="llm})', /string starting at character 17 is not closed/],
    ['sum(x{namespace=llm})', /selector "x\{namespace=llm\}" is not valid/],
    ['sum(x]', /unmatched '\]'/],
    ['sum(x); drop', /character ";"/],
    ['  ', /must not be empty or blank/],
    [42, /must be a string, got a number/],
  ])('throws a ValidationError on an activationQuery that is not PromQL: %p', (query, message) => {
    const props = { autoscaling: { maxReplicas: 2, scaleToZero: true, activationQuery: query as string } };
    expect(() => serve(props)).toThrow(ValidationError);
    expect(() => serve(props)).toThrow(message);
  });

  test('throws a ValidationError on a servedModelName that is not a string', () => {
    expect(() => serve({ servedModelName: 42 as unknown as string })).toThrow(ValidationError);
    expect(() => serve({ servedModelName: {} as unknown as string })).toThrow(
      /'servedModelName' must be a string/,
    );
  });

  test('throws a ValidationError on a cpu that is not a Kubernetes quantity', () => {
    expect(() => serve({ cpu: '2 cores' })).toThrow(ValidationError);
    expect(() => serve({ cpu: '2 cores' })).toThrow(/'cpu'/);
  });

  test('throws when scaling to zero without an activation query', () => {
    expect(() => serve({ autoscaling: { maxReplicas: 2, scaleToZero: true } })).toThrow(
      /'autoscaling.scaleToZero' needs 'autoscaling.activationQuery'/,
    );
  });

  test('throws when maxReplicas is below replicas', () => {
    expect(() => serve({ replicas: 3, autoscaling: { maxReplicas: 2 } })).toThrow(
      /'autoscaling.maxReplicas' \(2\) must be >= 'replicas' \(3\)/,
    );
  });

  test('throws when replicas is 0 without scale to zero', () => {
    expect(() => serve({ replicas: 0, autoscaling: { maxReplicas: 2 } })).toThrow(
      /needs 'autoscaling.scaleToZero: true'/,
    );
  });

  test('throws without a Prometheus to query', () => {
    const { workloads } = platformAndWorkloads();
    expect(
      () => new ModelServer(workloads, 'S', { ...LLAMA_8B_AWQ_L4, autoscaling: { maxReplicas: 2 } }),
    ).toThrow(/'autoscaling' needs a Prometheus to query/);
  });

  test('throws when the platform has KEDA disabled', () => {
    const { platform, workloads } = platformAndWorkloads();
    const gpu = new FakePlatform(platform, 'Gpu', { kedaInstalled: false });
    const monitoring = kubePrometheusStack(platform);
    expect(
      () =>
        new ModelServer(workloads, 'S', {
          ...LLAMA_8B_AWQ_L4,
          monitoring,
          platform: gpu,
          autoscaling: { maxReplicas: 2 },
        }),
    ).toThrow(/has keda disabled/);
  });

  test('throws on a non-positive queue target', () => {
    expect(() => serve({ autoscaling: { maxReplicas: 2, targetQueueDepthPerReplica: 0 } })).toThrow(
      /'autoscaling.targetQueueDepthPerReplica' \(0\) must be a finite number > 0/,
    );
  });
});

describe('ModelServer (Triton + TensorRT-LLM)', () => {
  const triton: Partial<ModelServerProps> = {
    engine: ServingEngine.TRITON_TENSORRT_LLM,
    weights: WeightsSource.bucket('s3://models/llama-8b-trtllm-l4/'),
  };

  test('runs the pinned Triton TRT-LLM image on ports 8000/8001/8002 with /v2/health probes', () => {
    const { json } = serve({
      ...triton,
      weights: WeightsSource.bucket('s3://models/repo/', { loading: BucketLoading.INIT_CONTAINER }),
    });
    const c = container(json);
    expect(c.image).toBe('nvcr.io/nvidia/tritonserver:26.03-trtllm-python-py3');
    expect(c.port.map((p: any) => p.container_port)).toEqual([8000, 8001, 8002]);
    expect(c.readiness_probe.http_get.path).toBe('/v2/health/ready');
    expect(c.liveness_probe.http_get.path).toBe('/v2/health/live');
    expect(c.command).toEqual(['tritonserver']);
    expect(deployment(json).metadata.name).toBe('llama8b-triton');
  });

  test('throws for GPTQ, which TensorRT-LLM does not support', () => {
    expect(() => serve({ ...triton, quantization: Quantization.GPTQ })).toThrow(
      /GPTQ is not supported by TensorRT-LLM/,
    );
  });

  test('throws when streaming a bucket into Triton', () => {
    expect(() =>
      serve({
        ...triton,
        weights: WeightsSource.bucket('s3://models/repo/', { loading: BucketLoading.STREAM }),
      }),
    ).toThrow(/BucketLoading.STREAM is not supported by Triton \+ TensorRT-LLM/);
  });

  test('copies an s3:// model repository with an init container by default', () => {
    const { json } = serve(triton);
    expect(deployment(json).spec.template.spec.init_container[0].command.slice(0, 3)).toEqual([
      'aws',
      's3',
      'sync',
    ]);
    expect(container(json).args).toContain('--model-repository=/models/weights');
  });

  test('throws for Hugging Face weights', () => {
    expect(() => serve({ ...triton, weights: WeightsSource.huggingFace('org/model') })).toThrow(
      /cannot feed Triton/,
    );
  });

  test('a model that needs tensor parallelism runs under MPI (test/k8s/engines/triton-tensorrt-llm.test.ts)', () => {
    const { json } = serve({
      ...triton,
      model: ModelSpec.LLAMA_3_1_70B,
      accelerator: Accelerator.L40S,
      weights: WeightsSource.volume('m', { accessMode: VolumeAccessMode.READ_ONLY_MANY }),
    });
    expect(container(json).command).toEqual(['mpirun']);
  });
});

describe('ModelServer defaults', () => {
  test('defaults to one replica in the default namespace', () => {
    const { json, server } = serve();
    expect(deployment(json).spec.replicas).toBe('1');
    expect(deployment(json).metadata.namespace).toBe('default');
    expect(server.url).toBe('http://llama8b-vllm.default.svc.cluster.local:8000');
  });

  test('defaults to 2 CPUs per GPU and weights + 8 GiB of memory, at least 16 GiB', () => {
    const small = serve();
    expect(container(small.json).resources.requests).toMatchObject({ cpu: '2', memory: '16Gi' });
    const big = serve({ model: ModelSpec.LLAMA_3_1_70B, accelerator: Accelerator.L40S });
    expect(container(big.json).resources.requests).toMatchObject({ cpu: '4', memory: '45Gi' });
  });

  test('cpu, memory and shared memory can be overridden', () => {
    const { json } = serve({ cpu: '6', memoryGiB: 40, sharedMemoryGiB: 8 });
    expect(container(json).resources.requests).toMatchObject({ cpu: '6', memory: '40Gi' });
    expect(deployment(json).spec.template.spec.volume).toContainEqual({
      name: 'dshm',
      empty_dir: { medium: 'Memory', size_limit: '8Gi' },
    });
  });

  test('drain time is configurable and keeps the grace period above it', () => {
    const { json } = serve({ drainSeconds: 300 });
    expect(argValue(container(json).args, '--shutdown-timeout')).toBe('300');
    expect(deployment(json).spec.template.spec.termination_grace_period_seconds).toBe(330);
  });

  test('the PodDisruptionBudget can be turned off', () => {
    const { json } = serve({ podDisruptionBudget: false });
    expect(resourcesOf(json, 'kubernetes_pod_disruption_budget_v1')).toEqual({});
  });

  test('the image can be overridden', () => {
    const { json } = serve({ image: { repository: 'registry.local/vllm-openai', tag: 'v0.23.0-patched' } });
    expect(container(json).image).toBe('registry.local/vllm-openai:v0.23.0-patched');
  });

  test('extra args are appended and env is passed', () => {
    const { json } = serve({ extraArgs: ['--enable-prefix-caching'], env: { VLLM_LOGGING_LEVEL: 'INFO' } });
    expect(container(json).args.slice(-1)).toEqual(['--enable-prefix-caching']);
    expect(container(json).env).toContainEqual({ name: 'VLLM_LOGGING_LEVEL', value: 'INFO' });
  });

  test('a served model name sets the arg; the autoscaler selects the server by its scrape job, not the name', () => {
    const { platform, workloads } = platformAndWorkloads();
    const monitoring = kubePrometheusStack(platform);
    const variant = {
      ...LLAMA_8B_AWQ_L4,
      monitoring,
      servedModelName: 'chat',
      autoscaling: { maxReplicas: 2 },
    };
    new ModelServer(workloads, 'Stable', variant);
    new ModelServer(workloads, 'Canary', variant);
    const json = synthJson(workloads);
    expect(argValue(container(json).args, '--served-model-name')).toBe('chat');
    const queries = manifests(json, 'ScaledObject').map((so: any) => so.spec.triggers[0].metadata.query);
    expect(queries.sort()).toEqual([
      'sum(vllm:num_requests_waiting{namespace="default", job="canary-vllm"})',
      'sum(vllm:num_requests_waiting{namespace="default", job="stable-vllm"})',
    ]);
    const jobs = manifests(json, 'ServiceMonitor').map((sm: any) => sm.metadata.name);
    expect(jobs.sort()).toEqual(['canary-vllm', 'stable-vllm']);
    expect(manifests(json, 'ServiceMonitor')[0].spec.jobLabel).toBeUndefined();
  });

  test('throws on an out-of-range drain time', () => {
    expect(() => serve({ drainSeconds: -1 })).toThrow(
      /'drainSeconds' \(-1\) must be an integer from 0 to 3600/,
    );
  });

  test('throws on a non-integer replica count', () => {
    expect(() => serve({ replicas: 1.5 })).toThrow(/'replicas' \(1.5\) must be an integer >= 0/);
  });

  test('throws on an invalid namespace', () => {
    expect(() => serve({ namespace: 'LLM' })).toThrow(/'namespace' \('LLM'\)/);
  });

  test('passes --revision for a pinned Hugging Face revision', () => {
    const { json } = serve({
      weights: WeightsSource.huggingFace('org/model', {
        tokenSecret: { name: 's', key: 'k' },
        revision: 'abc123',
      }),
    });
    expect(argValue(container(json).args, '--revision')).toBe('abc123');
  });

  test('warns about a ReadWriteOnce claim with a single replica', () => {
    const { workloads } = serve({
      weights: WeightsSource.volume('models', { accessMode: VolumeAccessMode.READ_WRITE_ONCE }),
    });
    expect(warningsOf(workloads).join('\n')).toMatch(/k8s-rwo-weights-rollout/);
  });

  test('raises core sizing findings as warnings (TP 4 on PCIe GPUs)', () => {
    const { workloads } = serve({
      model: ModelSpec.LLAMA_3_1_70B,
      quantization: Quantization.BF16,
      accelerator: Accelerator.L40S,
    });
    expect(warningsOf(workloads).join('\n')).toMatch(/\[cdktf-ai-infra:pcie-tensor-parallel\]/);
  });

  test("the old 'k8s-<finding>' id still silences a finding, with a deprecation warning", () => {
    const { workloads } = platformAndWorkloads();
    Warnings.suppress(workloads, 'k8s-pcie-tensor-parallel', 'TP 4 on L40S measured acceptable');
    new ModelServer(workloads, 'Llama70B', {
      ...LLAMA_8B_AWQ_L4,
      model: ModelSpec.LLAMA_3_1_70B,
      quantization: Quantization.BF16,
      accelerator: Accelerator.L40S,
    });
    const all = warningsOf(workloads).join('\n');
    expect(all).not.toMatch(/\[cdktf-ai-infra:pcie-tensor-parallel\]/);
    expect(all).toMatch(
      /\[cdktf-ai-infra:deprecated-api\] warning id 'k8s-pcie-tensor-parallel' is deprecated/,
    );
  });
});
