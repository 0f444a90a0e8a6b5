import { TerraformStack } from 'cdktf';
import * as fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { Accelerator, ModelSpec, Quantization, ValidationError } from '../../lib/core';
import {
  FailureMode,
  GATEWAY_CRD_BUNDLES,
  GATEWAY_HELM_CHARTS,
  GatewayCrdInstall,
  GatewayExposure,
  GatewayImplementation,
  IInferenceBackend,
  InferenceEngineType,
  InferenceGateway,
  InferenceGatewayPlatform,
  InferenceModelOptions,
  InferencePool,
  InferencePoolProps,
  MetricsCollection,
  ModelServer,
  ModelServerBackend,
  MonitoringStack,
  SchedulingProfile,
  ServingEngine,
  WeightsSource,
} from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads, vllmBackend, warningsOf } from './helpers';

/** The hand-written backend most tests use. */
const backend = (overrides: Partial<IInferenceBackend> = {}): IInferenceBackend =>
  vllmBackend('llama-8b', overrides);

function setup(implementation = GatewayImplementation.istio()) {
  const { app, platform, workloads } = platformAndWorkloads();
  const gatewayPlatform = new InferenceGatewayPlatform(platform, 'InferenceGateway', { implementation });
  return { app, platform, workloads, gatewayPlatform };
}

function pool(
  workloads: TerraformStack,
  gp: InferenceGatewayPlatform,
  id: string,
  props: Partial<InferencePoolProps> = {},
) {
  return new InferencePool(workloads, id, { backend: backend(), platform: gp, ...props });
}

/** The helm values of the only llm-d-router release in `stack`, parsed. */
function poolValues(stack: TerraformStack, id?: string): any {
  const releases = Object.entries(resourcesOf(synthJson(stack), 'helm_release')).filter(
    ([k, r]) => r.chart === 'llm-d-router-gateway' && (!id || k.startsWith(id)),
  );
  expect(releases).toHaveLength(1);
  return parseYaml(releases[0][1].values[0]);
}

function manifests(stack: TerraformStack, kind: string): any[] {
  return Object.values(resourcesOf(synthJson(stack), 'kubernetes_manifest'))
    .map((r: any) => r.manifest)
    .filter((m: any) => m.kind === kind);
}

describe('InferenceGatewayPlatform', () => {
  test('with Istio installs the pinned CRD bundles (protected from destroy) and istiod with the inference extension', () => {
    const { platform } = setup();
    const json = synthJson(platform);
    const sources = Object.values(json.data?.http ?? {}).map((d: any) => d.url);
    expect(sources).toEqual([GATEWAY_CRD_BUNDLES.gatewayApi.url, GATEWAY_CRD_BUNDLES.inferenceExtension.url]);
    const crds = Object.values(resourcesOf(json, 'kubernetes_manifest'));
    expect(crds).toHaveLength(2);
    for (const c of crds as any[]) {
      expect(c.lifecycle).toEqual({ prevent_destroy: true });
      expect(c.manifest).toBe('${each.value}');
      expect(c.for_each).toMatch(
        /^\$\{\{ for m in provider::kubernetes::manifest_decode_multi\(data\.http\.\S+\.response_body\)/,
      );
      expect(c.for_each).toContain('if k != "status"');
    }
    expect(json.terraform.required_providers.http).toEqual({ source: 'hashicorp/http', version: '3.5.0' });
    const releases = resourcesOf(json, 'helm_release');
    const base = Object.values(releases).find((r: any) => r.chart === 'base') as any;
    const istiod = Object.values(releases).find((r: any) => r.chart === 'istiod') as any;
    expect(base.version).toBe(GATEWAY_HELM_CHARTS.istioBase.version);
    expect(base.namespace).toBe('istio-system');
    expect(base.depends_on).toHaveLength(2);
    expect(parseYaml(istiod.values[0])).toEqual({
      env: { ENABLE_GATEWAY_API_INFERENCE_EXTENSION: 'true' },
    });
    expect(istiod.depends_on[0]).toMatch(/^helm_release\.InferenceGateway_IstioBase/);
  });

  test('on GKE installs nothing by default (the cluster manages the CRDs and the controller)', () => {
    const { platform, gatewayPlatform } = setup(GatewayImplementation.gke());
    expect(gatewayPlatform.crdInstall).toBe(GatewayCrdInstall.CLUSTER_MANAGED);
    const json = synthJson(platform);
    expect(resourcesOf(json, 'kubernetes_manifest')).toEqual({});
    expect(resourcesOf(json, 'helm_release')).toEqual({});
  });

  test('on GKE can still apply the CRDs (clusters older than 1.34.0-gke.1626000)', () => {
    const { platform } = platformAndWorkloads();
    new InferenceGatewayPlatform(platform, 'Gw', {
      implementation: GatewayImplementation.gke(),
      crds: GatewayCrdInstall.UPSTREAM_RELEASE,
    });
    expect(Object.keys(resourcesOf(synthJson(platform), 'kubernetes_manifest'))).toHaveLength(2);
  });

  test('Istio namespace is validated', () => {
    const { platform } = platformAndWorkloads();
    expect(
      () =>
        new InferenceGatewayPlatform(platform, 'Gw', {
          implementation: GatewayImplementation.istio({ namespace: 'Istio' }),
        }),
    ).toThrow(ValidationError);
  });

  test.each<[string, unknown]>([
    ['missing', {}],
    ['a plain object', { implementation: { kind: 'istio' } }],
    ['a string', { implementation: 'istio' }],
  ])(
    'an implementation that is %s is a ValidationError naming the factories (plain-JS callers)',
    (_name, props) => {
      const { platform } = platformAndWorkloads();
      expect(() => new InferenceGatewayPlatform(platform, 'Gw', props as never)).toThrow(
        /'implementation' must be a GatewayImplementation.*GatewayImplementation\.istio\(\) or GatewayImplementation\.gke\(\)/,
      );
      expect(() => new InferenceGatewayPlatform(platform, 'Gw2', props as never)).toThrow(ValidationError);
    },
  );
});

describe('InferencePool', () => {
  test('defaults: one pinned llm-d-router release, FailOpen, 2 pickers with a PDB, the default scheduling profile', () => {
    const { workloads, gatewayPlatform } = setup();
    const p = pool(workloads, gatewayPlatform, 'Pool');
    const v = poolValues(workloads);
    const release = Object.values(resourcesOf(synthJson(workloads), 'helm_release'))[0] as any;
    expect(release).toMatchObject({
      name: 'llama-8b',
      namespace: 'llm',
      repository: 'oci://ghcr.io/llm-d/charts',
      chart: 'llm-d-router-gateway',
      version: 'v0.10.0',
    });
    expect(v.provider).toEqual({ name: 'istio' });
    expect(v.router.modelServers).toEqual({
      matchLabels: { 'app.kubernetes.io/name': 'vllm', 'app.kubernetes.io/instance': 'llama-8b' },
      type: 'vllm',
      protocol: 'http',
      targetPorts: [{ number: 8000 }],
    });
    expect(v.router.inferencePool).toEqual({ create: true, failureMode: 'FailOpen' });
    expect(v.router.epp.replicas).toBe(2);
    expect(v.router.epp.image).toEqual({
      registry: 'ghcr.io/llm-d',
      repository: 'llm-d-router-endpoint-picker',
      tag: 'v0.10.0',
      pullPolicy: 'IfNotPresent',
    });
    expect(v.router.epp.resources).toEqual({
      requests: { cpu: '8', memory: '8Gi' },
      limits: { memory: '16Gi' },
    });
    const config = parseYaml(v.router.epp.pluginsCustomConfig[v.router.epp.pluginsConfigFile]);
    expect(config).toEqual(p.endpointPickerConfig);
    expect(config.schedulingProfiles).toEqual([
      {
        name: 'default',
        plugins: [
          { pluginRef: 'queue-scorer', weight: 2 },
          { pluginRef: 'kv-cache-utilization-scorer', weight: 2 },
          { pluginRef: 'prefix-cache-scorer', weight: 3 },
        ],
      },
    ]);
    expect(config.featureGates).toBeUndefined();
    expect(config.flowControl).toBeUndefined();
    const pdb = Object.values(
      resourcesOf(synthJson(workloads), 'kubernetes_pod_disruption_budget_v1'),
    )[0] as any;
    expect(pdb.spec).toEqual({
      min_available: '1',
      selector: { match_labels: { 'llm-d-router-gateway': 'llama-8b-epp' } },
    });
    expect(p.failureMode).toBe(FailureMode.FAIL_OPEN);
    expect(p.eppName).toBe('llama-8b-epp');
  });

  test('the EndpointPickerConfig uses only fields of llm-d-router v0.10.0 (apix/config/v1alpha1)', () => {
    const { workloads, gatewayPlatform } = setup();
    const p = pool(workloads, gatewayPlatform, 'Pool', {
      backend: backend({
        mayScaleToZero: true,
        loraAdapterNames: ['a'],
        engine: InferenceEngineType.TRITON_TENSORRT_LLM,
      }),
    });
    const c = p.endpointPickerConfig as any;
    // json tags of EndpointPickerConfig, PluginSpec, SchedulingProfile, SchedulingPlugin, FlowControlConfig.
    const top = [
      'apiVersion',
      'kind',
      'featureGates',
      'plugins',
      'schedulingProfiles',
      'dataLayer',
      'flowControl',
      'requestHandler',
      'saturationDetector',
      'parser',
    ];
    expect(Object.keys(c).every((k) => top.includes(k))).toBe(true);
    expect(c.apiVersion).toBe('llm-d.ai/v1alpha1');
    for (const plugin of c.plugins) {
      expect(Object.keys(plugin).every((k) => ['name', 'type', 'parameters'].includes(k))).toBe(true);
    }
    for (const ref of c.schedulingProfiles[0].plugins) {
      expect(Object.keys(ref).sort()).toEqual(['pluginRef', 'weight']);
      expect(c.plugins.map((x: any) => x.type)).toContain(ref.pluginRef);
    }
    const flowControlTags = [
      'maxBytes',
      'maxRequests',
      'defaultRequestTTL',
      'defaultPriorityBand',
      'defaultNegativePriorityBand',
      'priorityBands',
      'usageLimitPolicyPluginRef',
      'saturationDetector',
      'enableEviction',
    ];
    expect(Object.keys(c.flowControl).every((k) => flowControlTags.includes(k))).toBe(true);
  });

  test("the picker scrapes the backend's metricsPort when it differs, a vLLM server's HTTP port", () => {
    // llm-d-router v0.10.0 pkg/epp/framework/plugins/datalayer/source/metrics/datasource.go: the
    // metrics-data-source scrapes the InferencePool target port unless `port` overrides it (a
    // Triton OpenAI frontend of your own serves /metrics on its port; Triton itself on 8002).
    const { workloads, gatewayPlatform } = setup();
    const source = (p: InferencePool) =>
      (p.endpointPickerConfig.plugins as any[]).find((x) => x.type === 'metrics-data-source').parameters;
    const own = pool(workloads, gatewayPlatform, 'Own', {
      backend: backend({
        engine: InferenceEngineType.TRITON_TENSORRT_LLM,
        targetPort: 9000,
        metricsPort: 8002,
      }),
    });
    expect(source(own)).toEqual({ scheme: 'http', path: '/metrics', insecureSkipVerify: true, port: 8002 });
    const vllm = new ModelServer(workloads, 'Vllm', {
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.BF16,
      accelerator: Accelerator.L40S,
      weights: WeightsSource.bucket('s3://models/llama-3.1-8b/'),
      namespace: 'llm',
    });
    expect(vllm.metricsPort).toBe(8000);
    const vllmPool = new InferencePool(workloads, 'VllmPool', {
      backend: ModelServerBackend.of(vllm),
      platform: gatewayPlatform,
    });
    expect(source(vllmPool)).toEqual({ scheme: 'http', path: '/metrics', insecureSkipVerify: true });
    expect(() =>
      pool(workloads, gatewayPlatform, 'Bad', { name: 'bad', backend: backend({ metricsPort: 0 }) }),
    ).toThrow(/'backend.metricsPort' \(0\)/);
  });

  test('a backend that may scale to zero gets flow control with a 240 s queue TTL', () => {
    const { workloads, gatewayPlatform } = setup();
    const p = pool(workloads, gatewayPlatform, 'Pool', { backend: backend({ mayScaleToZero: true }) });
    expect(p.flowControl).toEqual({ requestTtlSeconds: 240 });
    expect(p.endpointPickerConfig.featureGates).toEqual(['flowControl']);
    expect(p.endpointPickerConfig.flowControl).toEqual({ defaultRequestTTL: '240s' });
  });

  test('flow control can be set or turned off explicitly', () => {
    const { workloads, gatewayPlatform } = setup();
    const on = pool(workloads, gatewayPlatform, 'On', {
      name: 'on',
      flowControl: { requestTtlSeconds: 120 },
    });
    const off = pool(workloads, gatewayPlatform, 'Off', {
      name: 'off',
      backend: backend({ mayScaleToZero: true }),
      flowControl: false,
    });
    expect(on.endpointPickerConfig.flowControl).toEqual({ defaultRequestTTL: '120s' });
    expect(off.flowControl).toBeUndefined();
  });

  test('LoRA adapters add the lora-affinity scorer; custom weights drop a 0-weight scorer', () => {
    const { workloads, gatewayPlatform } = setup();
    const lora = pool(workloads, gatewayPlatform, 'Lora', {
      name: 'lora',
      backend: backend({ loraAdapterNames: ['support'] }),
    });
    expect((lora.endpointPickerConfig.schedulingProfiles as any)[0].plugins).toContainEqual({
      pluginRef: 'lora-affinity-scorer',
      weight: 2,
    });
    const custom = pool(workloads, gatewayPlatform, 'Custom', {
      name: 'custom',
      schedulingProfile: SchedulingProfile.of({ prefixCacheAffinity: 0, queueDepth: 5 }),
    });
    expect((custom.endpointPickerConfig.schedulingProfiles as any)[0].plugins).toEqual([
      { pluginRef: 'queue-scorer', weight: 5 },
      { pluginRef: 'kv-cache-utilization-scorer', weight: 2 },
    ]);
  });

  test('a non-vLLM engine tells the metrics extractor which metrics to read', () => {
    const { workloads, gatewayPlatform } = setup();
    const p = pool(workloads, gatewayPlatform, 'Pool', {
      backend: backend({ engine: InferenceEngineType.TRITON_TENSORRT_LLM }),
    });
    expect(p.endpointPickerConfig.plugins).toContainEqual({
      type: 'core-metrics-extractor',
      parameters: { defaultEngine: 'triton-tensorrt-llm' },
    });
  });

  test('GKE provider values; FailClose when asked; custom picker size', () => {
    const { workloads, gatewayPlatform } = setup(GatewayImplementation.gke());
    pool(workloads, gatewayPlatform, 'Pool', {
      failureMode: FailureMode.FAIL_CLOSE,
      eppCpu: '2',
      eppMemoryGiB: 4,
    });
    const v = poolValues(workloads);
    expect(v.provider).toEqual({ name: 'gke' });
    expect(v.router.inferencePool.failureMode).toBe('FailClose');
    expect(v.router.epp.resources).toEqual({
      requests: { cpu: '2', memory: '4Gi' },
      limits: { memory: '8Gi' },
    });
  });

  test('monitoring: a ServiceMonitor with the stack labels and a per-pool token Secret; Managed Prometheus: PodMonitoring', () => {
    const { platform, workloads, gatewayPlatform } = setup();
    const monitoring = new MonitoringStack(platform, 'Monitoring', {});
    pool(workloads, gatewayPlatform, 'Pool', { monitoring });
    expect(poolValues(workloads).router.monitoring).toEqual({
      interval: '15s',
      provider: { name: 'prometheusoperator' },
      prometheus: {
        enabled: true,
        auth: { enabled: true, secretName: 'llama-8b-epp-metrics-token' },
        extraLabels: monitoring.selectorLabels,
      },
    });
    const { workloads: w2, gatewayPlatform: gp2 } = setup(GatewayImplementation.gke());
    pool(w2, gp2, 'Pool', {
      metricsCollection: MetricsCollection.managedPrometheus({ project: 'acme-ml' }),
    });
    expect(poolValues(w2).router.monitoring.provider).toEqual({ name: 'gmp' });
    expect(poolValues(w2).router.monitoring.interval).toBe('30s');
  });

  test('warns when the picker is not scraped and when it runs one replica (no PDB then)', () => {
    const { workloads, gatewayPlatform } = setup();
    const p = pool(workloads, gatewayPlatform, 'Pool', { eppReplicas: 1 });
    const w = warningsOf(workloads).join('\n');
    expect(w).toMatch(/k8s-epp-unmonitored/);
    expect(w).toMatch(/k8s-epp-single-replica/);
    expect(p.eppDisruptionBudget).toBeUndefined();
  });

  test('the activation query reads the picker’s flow-control queue (plain and Managed Prometheus)', () => {
    const { workloads, gatewayPlatform } = setup();
    const p = pool(workloads, gatewayPlatform, 'Pool');
    expect(p.activationQuery).toBe(
      'sum(llm_d_epp_flow_control_queue_size{namespace="llm", inference_pool="llama-8b"})',
    );
    expect(InferencePool.activationQueryFor('llm', 'x', true)).toBe(
      'sum(llm_d_epp_flow_control_queue_size{namespace="llm", inference_pool="x"})',
    );
  });

  test('ModelServerBackend.of reads a ModelServer', () => {
    const { workloads, gatewayPlatform } = setup();
    const server = new ModelServer(workloads, 'Llama8B', {
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.BF16,
      accelerator: Accelerator.L4,
      weights: WeightsSource.bucket('s3://acme-models/llama/'),
      namespace: 'llm',
    });
    const b = ModelServerBackend.of(server, { loraAdapterNames: ['support'], mayScaleToZero: true });
    expect(b).toEqual({
      name: 'llama8b',
      namespace: 'llm',
      podSelectorLabels: { 'app.kubernetes.io/name': 'vllm', 'app.kubernetes.io/instance': 'llama8b' },
      targetPort: 8000,
      servedModelName: 'llama-3.1-8b',
      engine: InferenceEngineType.VLLM,
      mayScaleToZero: true,
      loraAdapterNames: ['support'],
      // The server has a NetworkPolicy a GKE gateway's pools and an Istio gateway's routes widen.
      allowIngressFromCidrs: expect.any(Function),
      allowIngressFromNamespaces: expect.any(Function),
      allowIngressFromPods: expect.any(Function),
    });
    expect(ModelServerBackend.of(server).mayScaleToZero).toBe(false);
    new InferencePool(workloads, 'Pool', { backend: b, platform: gatewayPlatform });
    expect(poolValues(workloads).router.modelServers.matchLabels).toEqual(b.podSelectorLabels);
  });

  test('ModelServerBackend.of reads scale to zero from the server’s ScaledObject', () => {
    const { platform, workloads } = setup();
    const monitoring = new MonitoringStack(platform, 'Monitoring', {});
    const server = new ModelServer(workloads, 'Llama8B', {
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.BF16,
      accelerator: Accelerator.L4,
      weights: WeightsSource.bucket('s3://acme-models/llama/'),
      namespace: 'llm',
      replicas: 0,
      monitoring,
      autoscaling: {
        maxReplicas: 2,
        scaleToZero: true,
        activationQuery: InferencePool.activationQueryFor('llm', 'llama8b'),
      },
    });
    expect(ModelServerBackend.of(server).mayScaleToZero).toBe(true);
  });

  test('ModelServerBackend.of throws for a server that is not named <name>-vllm / <name>-triton', () => {
    const { workloads } = setup();
    expect(() =>
      ModelServerBackend.of({
        deploymentName: 'custom',
        namespace: 'x',
        servedModelName: 'm',
        node: workloads.node,
      } as any),
    ).toThrow(/implement IInferenceBackend/);
  });

  test('ModelServerBackend.of refuses a Triton server: its port 8000 serves KServe v2, not the OpenAI paths', () => {
    // The routes send /v1/chat/completions and /v1/completions; the picker's default openai-parser
    // (llm-d-router v0.10.0 parsers/openai/openai.go, Claims) takes OpenAI paths only.
    const { workloads } = setup();
    const triton = new ModelServer(workloads, 'Llama8B', {
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.BF16,
      accelerator: Accelerator.L40S,
      weights: WeightsSource.bucket('s3://models/llama-3.1-8b/'),
      namespace: 'llm',
      engine: ServingEngine.TRITON_TENSORRT_LLM,
    });
    let error: unknown;
    try {
      ModelServerBackend.of(triton);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(
      /'llama8b-triton' serves Triton \+ TensorRT-LLM, whose HTTP port 8000 speaks the KServe v2 API/,
    );
    expect((error as Error).message).toMatch(/ServingEngine.VLLM or ServingEngine.SGLANG/);
    expect((error as Error).message).toMatch(/IInferenceBackend with targetPort 9000/);
    // Known by its Deployment name too (a source without `engine`).
    expect(() =>
      ModelServerBackend.of({
        deploymentName: 'llama8b-triton',
        namespace: 'llm',
        servedModelName: 'm',
        node: workloads.node,
      } as any),
    ).toThrow(/KServe v2 API/);
  });

  test("ModelServerBackend.of names an SGLang server's engine, so the picker reads SGLang's metrics", () => {
    const { workloads, gatewayPlatform } = setup();
    const sglang = new ModelServer(workloads, 'Llama8B', {
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.BF16,
      accelerator: Accelerator.L40S,
      weights: WeightsSource.bucket('s3://models/llama-3.1-8b/'),
      namespace: 'llm',
      engine: ServingEngine.SGLANG,
    });
    const b = ModelServerBackend.of(sglang);
    expect(b.engine).toBe(InferenceEngineType.SGLANG);
    // The pool keeps its former default name (the Deployment name).
    expect(b.name).toBe('llama8b-sglang');
    const p = new InferencePool(workloads, 'Pool', { backend: b, platform: gatewayPlatform });
    expect(p.endpointPickerConfig.plugins).toContainEqual({
      type: 'core-metrics-extractor',
      parameters: { defaultEngine: 'sglang' },
    });
    expect(poolValues(workloads).router.modelServers.type).toBe('sglang');
  });

  test("a Triton backend behind GKE's gateway is refused: the chart's health check asks /health", () => {
    // llm-d-router v0.10.0 config/charts/llm-d-router-gateway/templates/gke.yaml: the pool's
    // HealthCheckPolicy has requestPath /health, set by no value; Triton answers /v2/health/ready.
    const { workloads, gatewayPlatform } = setup(GatewayImplementation.gke());
    const triton = backend({ engine: InferenceEngineType.TRITON_TENSORRT_LLM, targetPort: 9000 });
    let error: unknown;
    try {
      pool(workloads, gatewayPlatform, 'Pool', { backend: triton });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(
      /'backend' llama-8b is a Triton \+ TensorRT-LLM server behind GKE's gateway: the HealthCheckPolicy the pinned llm-d-router-gateway chart \(v0.10.0\) renders for the pool asks '\/health' on port 9000/,
    );
    expect((error as Error).message).toMatch(
      /Use GatewayImplementation.istio\(\) or a StandaloneInferencePool/,
    );
    // With Istio the same backend is a pool, reading Triton's TensorRT-LLM metrics.
    const istio = setup();
    const p = pool(istio.workloads, istio.gatewayPlatform, 'Pool', { backend: triton });
    expect(poolValues(istio.workloads).router.modelServers).toEqual({
      matchLabels: triton.podSelectorLabels,
      type: 'triton-tensorrt-llm',
      protocol: 'http',
      targetPorts: [{ number: 9000 }],
    });
    expect(p.endpointPickerConfig.plugins).toContainEqual({
      type: 'core-metrics-extractor',
      parameters: { defaultEngine: 'triton-tensorrt-llm' },
    });
  });

  test.each<[string, Partial<InferencePoolProps>, RegExp]>([
    ['a name longer than 40 characters', { name: 'a'.repeat(41) }, /'name'/],
    [
      'a scheduling weight above 100',
      { schedulingProfile: SchedulingProfile.of({ queueDepth: 101 }) },
      /schedulingProfile.queueDepth/,
    ],
    [
      'every load scorer off',
      {
        schedulingProfile: SchedulingProfile.of({
          queueDepth: 0,
          kvCacheUtilization: 0,
          prefixCacheAffinity: 0,
        }),
      },
      /turns every load scorer off/,
    ],
    ['0 picker replicas', { eppReplicas: 0 }, /'eppReplicas' \(0\)/],
    ['a bad CPU quantity', { eppCpu: 'two' }, /'eppCpu'/],
    ['0 GiB of memory', { eppMemoryGiB: 0 }, /'eppMemoryGiB'/],
    ['a 0 s flow-control TTL', { flowControl: { requestTtlSeconds: 0 } }, /flowControl.requestTtlSeconds/],
    [
      'a backend without pod labels',
      { backend: backend({ podSelectorLabels: {} }) },
      /no pod selector labels/,
    ],
    ['a bad target port', { backend: backend({ targetPort: 70000 }) }, /backend.targetPort/],
  ])('throws on %s', (_name, props, message) => {
    const { workloads, gatewayPlatform } = setup();
    expect(() => pool(workloads, gatewayPlatform, 'Pool', props)).toThrow(ValidationError);
    expect(() => pool(workloads, gatewayPlatform, 'Pool2', props)).toThrow(message);
  });

  test('throws when the pool is in the stack that installs the InferencePool CRD', () => {
    const { platform, gatewayPlatform } = setup();
    expect(() => pool(platform, gatewayPlatform, 'Pool')).toThrow(/InferencePool .* same stack/);
  });

  test('orders the workloads stack after the platform stack', () => {
    const { platform, workloads, gatewayPlatform } = setup();
    pool(workloads, gatewayPlatform, 'Pool');
    expect(workloads.dependencies).toContain(platform);
  });
});

describe('InferenceGateway', () => {
  test('Istio defaults: cluster-internal (ClusterIP), HTTP listener, routes only from the models’ namespaces', () => {
    const { workloads, gatewayPlatform } = setup();
    const gw = new InferenceGateway(workloads, 'LlmGateway', { platform: gatewayPlatform });
    gw.addModel('Llama', { variants: [{ pool: pool(workloads, gatewayPlatform, 'Pool'), weight: 1 }] });
    const [g] = manifests(workloads, 'Gateway');
    expect(g.metadata).toMatchObject({
      name: 'llm-gateway',
      namespace: 'default',
      annotations: { 'networking.istio.io/service-type': 'ClusterIP' },
    });
    expect(g.spec.gatewayClassName).toBe('istio');
    expect(g.spec.infrastructure).toBeUndefined();
    expect(g.spec.listeners).toEqual([
      {
        name: 'http',
        protocol: 'HTTP',
        port: 80,
        allowedRoutes: {
          namespaces: {
            from: 'Selector',
            selector: {
              matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['llm'] }],
            },
          },
        },
      },
    ]);
    expect(warningsOf(workloads).join('\n')).not.toMatch(/k8s-gateway-plaintext/);
  });

  test('GKE defaults to the internal managed class; external uses the regional external class', () => {
    const { workloads, gatewayPlatform } = setup(GatewayImplementation.gke());
    const internal = new InferenceGateway(workloads, 'Internal', {
      platform: gatewayPlatform,
      tls: { secretName: 'llm-tls' },
    });
    const external = new InferenceGateway(workloads, 'External', {
      platform: gatewayPlatform,
      exposure: GatewayExposure.external(),
      tls: { secretName: 'llm-tls' },
    });
    expect(internal.gatewayClassName).toBe('gke-l7-rilb');
    expect(external.gatewayClassName).toBe('gke-l7-regional-external-managed');
    const [g] = manifests(workloads, 'Gateway');
    expect(g.metadata.annotations).toBeUndefined();
    expect(g.spec.listeners[0]).toMatchObject({
      name: 'https',
      protocol: 'HTTPS',
      port: 443,
      tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', group: '', name: 'llm-tls' }] },
    });
  });

  test('an internal NLB on EKS: AWS Load Balancer Controller annotations on the generated Service', () => {
    const { workloads, gatewayPlatform } = setup();
    new InferenceGateway(workloads, 'Gw', {
      platform: gatewayPlatform,
      exposure: GatewayExposure.awsInternalNlb(),
      tls: { secretName: 'llm-tls' },
    });
    const [g] = manifests(workloads, 'Gateway');
    expect(g.spec.infrastructure.annotations).toEqual({
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
    });
    expect(g.metadata.annotations).toBeUndefined();
    expect(GatewayExposure.awsInternalNlb({ awsLoadBalancerController: false }).serviceAnnotations).toEqual({
      'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb',
      'service.beta.kubernetes.io/aws-load-balancer-internal': 'true',
    });
  });

  test('warns on a plain-HTTP load balancer', () => {
    const { workloads, gatewayPlatform } = setup();
    new InferenceGateway(workloads, 'Gw', {
      platform: gatewayPlatform,
      exposure: GatewayExposure.internalLoadBalancer(),
    });
    expect(warningsOf(workloads).join('\n')).toMatch(/k8s-gateway-plaintext/);
  });

  test.each<[string, () => GatewayImplementation, () => GatewayExposure, boolean, RegExp]>([
    [
      'external without TLS',
      () => GatewayImplementation.istio(),
      () => GatewayExposure.external(),
      false,
      /clear text/,
    ],
    [
      'a ClusterIP on GKE',
      () => GatewayImplementation.gke(),
      () => GatewayExposure.cluster(),
      true,
      /not available with GKE/,
    ],
    [
      'Service annotations on GKE',
      () => GatewayImplementation.gke(),
      () => GatewayExposure.awsInternalNlb(),
      true,
      /GKE's managed gateway creates no Service/,
    ],
  ])('throws on %s', (_name, impl, exposure, tls, message) => {
    const { workloads, gatewayPlatform } = setup(impl());
    expect(
      () =>
        new InferenceGateway(workloads, 'Gw', {
          platform: gatewayPlatform,
          exposure: exposure(),
          tls: tls ? { secretName: 'x' } : undefined,
        }),
    ).toThrow(message);
  });

  test('throws when the Gateway is in the stack that installs the Gateway API CRDs', () => {
    const { platform, gatewayPlatform } = setup();
    expect(() => new InferenceGateway(platform, 'Gw', { platform: gatewayPlatform })).toThrow(
      /Gateway .* same stack/,
    );
  });

  test('Istio gateway metrics: a PodMonitor with the stack labels, or a Managed Prometheus PodMonitoring', () => {
    const { platform, workloads, gatewayPlatform } = setup();
    const monitoring = new MonitoringStack(platform, 'Monitoring', {});
    const gw = new InferenceGateway(workloads, 'Gw', { platform: gatewayPlatform, monitoring });
    const [pm] = manifests(workloads, 'PodMonitor');
    expect(pm.metadata.labels).toMatchObject(monitoring.selectorLabels);
    expect(pm.spec).toEqual({
      selector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'gw' } },
      namespaceSelector: { matchNames: ['default'] },
      podMetricsEndpoints: [{ port: 'http-envoy-prom', path: '/stats/prometheus', interval: '15s' }],
    });
    expect(gw.podMonitor).toBeDefined();
    const { workloads: w2, gatewayPlatform: gp2 } = setup();
    new InferenceGateway(w2, 'Gw', {
      platform: gp2,
      metricsCollection: MetricsCollection.managedPrometheus({ project: 'acme-ml' }),
    });
    expect(manifests(w2, 'PodMonitoring')[0].spec.endpoints[0]).toEqual({
      port: 'http-envoy-prom',
      path: '/stats/prometheus',
      interval: '30s',
    });
  });

  test('a canary: one HTTPRoute with integer weights over two InferencePools and a request timeout', () => {
    const { workloads, gatewayPlatform } = setup();
    const gw = new InferenceGateway(workloads, 'Gw', { platform: gatewayPlatform });
    const stable = pool(workloads, gatewayPlatform, 'Stable', { name: 'llama-stable' });
    const canary = pool(workloads, gatewayPlatform, 'Canary', { name: 'llama-canary' });
    const route = gw.addModel('Llama', {
      variants: [
        { pool: stable, weight: 90 },
        { pool: canary, weight: 10 },
      ],
      hostnames: ['llm.internal.example.com'],
    });
    expect(route.modelName).toBe('llama-3.1-8b');
    const [r] = manifests(workloads, 'HTTPRoute');
    expect(r.metadata).toMatchObject({ name: 'gw-llama', namespace: 'llm' });
    expect(r.spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw', namespace: 'default' }],
      hostnames: ['llm.internal.example.com'],
      rules: [
        {
          matches: [
            { path: { type: 'PathPrefix', value: '/v1/chat/completions' } },
            { path: { type: 'PathPrefix', value: '/v1/completions' } },
          ],
          backendRefs: [
            { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'llama-stable', weight: 90 },
            { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'llama-canary', weight: 10 },
          ],
          timeouts: { request: '300s' },
        },
      ],
    });
  });

  test('a rollback keeps the canary warm at weight 0; GKE routes carry no timeouts (GCPBackendPolicy)', () => {
    const { workloads, gatewayPlatform } = setup(GatewayImplementation.gke());
    const gw = new InferenceGateway(workloads, 'Gw', { platform: gatewayPlatform, tls: { secretName: 's' } });
    gw.addModel('Llama', {
      variants: [
        { pool: pool(workloads, gatewayPlatform, 'Stable', { name: 'stable' }), weight: 100 },
        { pool: pool(workloads, gatewayPlatform, 'Canary', { name: 'canary' }), weight: 0 },
      ],
      paths: ['/v1/'],
    });
    const [r] = manifests(workloads, 'HTTPRoute');
    expect(r.spec.rules[0].backendRefs.map((b: any) => b.weight)).toEqual([100, 0]);
    expect(r.spec.rules[0].timeouts).toBeUndefined();
    expect(r.spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/v1/' } }]);
  });

  describe("on GKE the pools time out after the 300 s of the chart's GCPBackendPolicy", () => {
    // llm-d-router v0.10.0 config/charts/llm-d-router-gateway/templates/gke.yaml renders the
    // pool's GCPBackendPolicy with `timeoutSec: 300` (no value sets it), and the chart's own
    // HTTPRoute carries no timeout on GKE: another requestTimeoutSeconds would not be applied.
    const gke = () => {
      const { workloads, gatewayPlatform } = setup(GatewayImplementation.gke());
      const gw = new InferenceGateway(workloads, 'Gw', { platform: gatewayPlatform });
      return { workloads, gatewayPlatform, gw };
    };

    test('throws when requestTimeoutSeconds is not 300, naming the value and the fix', () => {
      const { workloads, gatewayPlatform, gw } = gke();
      const p = pool(workloads, gatewayPlatform, 'P');
      const add = () => gw.addModel('M', { variants: [{ pool: p, weight: 1 }], requestTimeoutSeconds: 600 });
      expect(add).toThrow(ValidationError);
      expect(add).toThrow(
        /'requestTimeoutSeconds' \(600\).*GCPBackendPolicy.*timeoutSec 300.*GatewayImplementation\.istio\(\)/,
      );
    });

    test('300, or unset, is accepted and the route carries no timeout', () => {
      const { workloads, gatewayPlatform, gw } = gke();
      gw.addModel('M', {
        variants: [{ pool: pool(workloads, gatewayPlatform, 'P'), weight: 1 }],
        requestTimeoutSeconds: 300,
      });
      expect(manifests(workloads, 'HTTPRoute')[0].spec.rules[0].timeouts).toBeUndefined();
    });

    test('throws when a pool holds requests (flow control) for 300 s or more', () => {
      const { workloads, gatewayPlatform, gw } = gke();
      const p = pool(workloads, gatewayPlatform, 'P', {
        backend: backend({ mayScaleToZero: true }),
        flowControl: { requestTtlSeconds: 300 },
      });
      expect(() => gw.addModel('M', { variants: [{ pool: p, weight: 1 }] })).toThrow(
        /holds requests up to 300 s.*GKE load balancer times out after 300 s/,
      );
    });
  });

  describe('what the HTTPRoute CRD admits (Gateway API v1.5.1 standard channel)', () => {
    // The schema of test/consumers/crd-schemas.ts: at most 16 hostnames and 16 backendRefs, at
    // most 64 matches per rule, PathPrefix values without '//', '/./', '/../' or a trailing '/.' or
    // '/..', at most 1024 characters.
    const add = (options: Partial<InferenceModelOptions>, variants = 1) => {
      const { workloads, gatewayPlatform } = setup();
      const gw = new InferenceGateway(workloads, 'Gw', { platform: gatewayPlatform });
      const pools = Array.from({ length: variants }, (_, i) =>
        pool(workloads, gatewayPlatform, `P${i}`, { name: `p${i}` }),
      );
      gw.addModel('M', { variants: pools.map((p) => ({ pool: p, weight: 1 })), ...options });
      return workloads;
    };
    const route = (options: Partial<InferenceModelOptions>, variants = 1) =>
      manifests(add(options, variants), 'HTTPRoute')[0];

    test('the limits themselves are accepted', () => {
      // test/consumers/k8s-schema.test.ts runs the same paths through the CRD schema.
      const r = route({
        hostnames: Array.from({ length: 16 }, (_, i) => `m${i}.llm`),
        paths: [
          '/.well-known/x',
          '/v1/..x',
          `/${'a'.repeat(1023)}`,
          ...Array.from({ length: 61 }, (_, i) => `/v${i}/`),
        ],
      });
      expect(r.spec.hostnames).toHaveLength(16);
      expect(r.spec.rules[0].matches).toHaveLength(64);
      expect(() => add({}, 16)).not.toThrow();
    });

    test.each<[string, Partial<InferenceModelOptions>, number, RegExp]>([
      ['17 variants', {}, 17, /'variants' lists 17 pools; an HTTPRoute rule takes at most 16 backends/],
      [
        '17 host names',
        { hostnames: Array.from({ length: 17 }, (_, i) => `m${i}.llm`) },
        1,
        /'hostnames' lists 17; an HTTPRoute takes at most 16/,
      ],
      [
        '65 paths',
        { paths: Array.from({ length: 65 }, (_, i) => `/v${i}`) },
        1,
        /'paths' lists 65; an HTTPRoute rule takes at most 64 matches/,
      ],
      ['a double slash', { paths: ['/v1//chat'] }, 1, /path '\/v1\/\/chat'/],
      ['a dot segment', { paths: ['/v1/./chat'] }, 1, /path '\/v1\/\.\/chat'/],
      ['a trailing dot-dot segment', { paths: ['/v1/..'] }, 1, /path '\/v1\/\.\.'/],
      ['a path over 1024 characters', { paths: [`/${'a'.repeat(1024)}`] }, 1, /1024/],
    ])('throws on %s, which the API server would refuse', (_what, options, variants, message) => {
      expect(() => route(options, variants)).toThrow(ValidationError);
      expect(() => route(options, variants)).toThrow(message);
    });
  });

  test('two models with distinct host names share a gateway', () => {
    const { workloads, gatewayPlatform } = setup();
    const gw = new InferenceGateway(workloads, 'Gw', { platform: gatewayPlatform });
    gw.addModel('A', {
      variants: [{ pool: pool(workloads, gatewayPlatform, 'A', { name: 'a' }), weight: 1 }],
      hostnames: ['a.llm'],
    });
    gw.addModel('B', {
      variants: [
        {
          pool: pool(workloads, gatewayPlatform, 'B', {
            name: 'b',
            backend: backend({ namespace: 'other', servedModelName: 'b' }),
          }),
          weight: 1,
        },
      ],
      hostnames: ['b.llm'],
    });
    expect(manifests(workloads, 'HTTPRoute')).toHaveLength(2);
    const [g] = manifests(workloads, 'Gateway');
    expect(g.spec.listeners[0].allowedRoutes.namespaces.selector.matchExpressions[0].values).toEqual([
      'llm',
      'other',
    ]);
  });

  describe('addModel validation', () => {
    function env() {
      const s = setup();
      const gw = new InferenceGateway(s.workloads, 'Gw', { platform: s.gatewayPlatform });
      return { ...s, gw };
    }

    test.each([1.5, -1, 1_000_001])('throws on weight %p', (weight) => {
      const { workloads, gatewayPlatform, gw } = env();
      expect(() =>
        gw.addModel('M', { variants: [{ pool: pool(workloads, gatewayPlatform, 'P'), weight }] }),
      ).toThrow(/weight .* must be an integer from 0 to 1000000/);
    });

    test('throws when no variant is given', () => {
      const { gw } = env();
      expect(() => gw.addModel('M', { variants: [] })).toThrow(/'variants' is empty/);
    });

    test('throws when every weight is 0', () => {
      const { workloads, gatewayPlatform, gw } = env();
      expect(() =>
        gw.addModel('M', { variants: [{ pool: pool(workloads, gatewayPlatform, 'P'), weight: 0 }] }),
      ).toThrow(/every variant has weight 0/);
    });

    test('throws when a pool is listed twice', () => {
      const { workloads, gatewayPlatform, gw } = env();
      const p = pool(workloads, gatewayPlatform, 'P');
      expect(() =>
        gw.addModel('M', {
          variants: [
            { pool: p, weight: 1 },
            { pool: p, weight: 1 },
          ],
        }),
      ).toThrow(/repeats pool/);
    });

    test('throws when a pool belongs to another gateway platform', () => {
      const { workloads, gw, app } = env();
      const otherPlatform = new InferenceGatewayPlatform(new TerraformStack(app, 'other'), 'Other', {
        implementation: GatewayImplementation.istio(),
      });
      const p = pool(workloads, otherPlatform, 'P');
      expect(() => gw.addModel('M', { variants: [{ pool: p, weight: 1 }] })).toThrow(
        /not to .* of this gateway/,
      );
    });

    test.each<[string, Partial<IInferenceBackend>, RegExp]>([
      ['variants are in different namespaces', { namespace: 'other' }, /in namespace 'other'/],
      [
        'a variant serves another model name',
        { servedModelName: 'llama-awq' },
        /serves 'llama-awq', not 'llama-3.1-8b'/,
      ],
    ])('throws when %s', (_case, second, message) => {
      const { workloads, gatewayPlatform, gw } = env();
      const a = pool(workloads, gatewayPlatform, 'A', { name: 'a' });
      const b = pool(workloads, gatewayPlatform, 'B', { name: 'b', backend: backend(second) });
      expect(() =>
        gw.addModel('M', {
          variants: [
            { pool: a, weight: 1 },
            { pool: b, weight: 1 },
          ],
        }),
      ).toThrow(message);
    });

    test('throws when a weighted pool may scale to zero without flow control', () => {
      const { workloads, gatewayPlatform, gw } = env();
      const p = pool(workloads, gatewayPlatform, 'P', {
        backend: backend({ mayScaleToZero: true }),
        flowControl: false,
      });
      expect(() => gw.addModel('M', { variants: [{ pool: p, weight: 10 }] })).toThrow(/no request buffering/);
    });

    test('a scale-to-zero pool without flow control may stay at weight 0', () => {
      const { workloads, gatewayPlatform, gw } = env();
      const a = pool(workloads, gatewayPlatform, 'A', { name: 'a' });
      const b = pool(workloads, gatewayPlatform, 'B', {
        name: 'b',
        backend: backend({ mayScaleToZero: true }),
        flowControl: false,
      });
      expect(() =>
        gw.addModel('M', {
          variants: [
            { pool: a, weight: 1 },
            { pool: b, weight: 0 },
          ],
        }),
      ).not.toThrow();
    });

    test('throws when weighted pools serve different LoRA adapters', () => {
      const { workloads, gatewayPlatform, gw } = env();
      const a = pool(workloads, gatewayPlatform, 'A', {
        name: 'a',
        backend: backend({ loraAdapterNames: ['x'] }),
      });
      const b = pool(workloads, gatewayPlatform, 'B', { name: 'b' });
      expect(() =>
        gw.addModel('M', {
          variants: [
            { pool: a, weight: 1 },
            { pool: b, weight: 1 },
          ],
        }),
      ).toThrow(/different LoRA adapters/);
    });

    test('throws when the flow-control TTL reaches the route timeout', () => {
      const { workloads, gatewayPlatform, gw } = env();
      const p = pool(workloads, gatewayPlatform, 'P', { backend: backend({ mayScaleToZero: true }) });
      expect(() =>
        gw.addModel('M', { variants: [{ pool: p, weight: 1 }], requestTimeoutSeconds: 240 }),
      ).toThrow(/held requests would time out at the gateway first/);
    });

    test('throws on a bad timeout, host name or path', () => {
      const { workloads, gatewayPlatform, gw } = env();
      const p = pool(workloads, gatewayPlatform, 'P');
      expect(() =>
        gw.addModel('M', { variants: [{ pool: p, weight: 1 }], requestTimeoutSeconds: 0 }),
      ).toThrow(/requestTimeoutSeconds/);
      expect(() =>
        gw.addModel('M', { variants: [{ pool: p, weight: 1 }], hostnames: ['LLM.example.com:443'] }),
      ).toThrow(/hostname/);
      expect(() => gw.addModel('M', { variants: [{ pool: p, weight: 1 }], paths: ['v1'] })).toThrow(
        /absolute path prefix/,
      );
    });

    test('throws when a model id is used twice', () => {
      const { workloads, gatewayPlatform, gw } = env();
      const p = pool(workloads, gatewayPlatform, 'P');
      gw.addModel('M', { variants: [{ pool: p, weight: 1 }], hostnames: ['a.llm'] });
      expect(() => gw.addModel('M', { variants: [{ pool: p, weight: 1 }], hostnames: ['b.llm'] })).toThrow(
        /already on the gateway/,
      );
    });

    test('one pool may serve two models on distinct host names', () => {
      const { workloads, gatewayPlatform, gw } = env();
      const p = pool(workloads, gatewayPlatform, 'P');
      gw.addModel('A', { variants: [{ pool: p, weight: 1 }], hostnames: ['a.llm'] });
      gw.addModel('B', { variants: [{ pool: p, weight: 1 }], hostnames: ['b.llm'] });
      expect(manifests(workloads, 'HTTPRoute').map((r) => r.metadata.name)).toEqual(['gw-a', 'gw-b']);
    });

    test('throws when the route name would exceed 63 characters', () => {
      const { workloads, gatewayPlatform, gw } = env();
      expect(() =>
        gw.addModel('M'.repeat(70), {
          variants: [{ pool: pool(workloads, gatewayPlatform, 'P'), weight: 1 }],
        }),
      ).toThrow(/route name/);
    });

    test('throws when two models match the same host names', () => {
      const { workloads, gatewayPlatform, gw } = env();
      gw.addModel('A', {
        variants: [{ pool: pool(workloads, gatewayPlatform, 'A', { name: 'a' }), weight: 1 }],
      });
      const b = pool(workloads, gatewayPlatform, 'B', {
        name: 'b',
        backend: backend({ servedModelName: 'b' }),
      });
      expect(() => gw.addModel('B', { variants: [{ pool: b, weight: 1 }], hostnames: ['b.llm'] })).toThrow(
        /shadow/,
      );
    });
  });

  describe('weights (property)', () => {
    const { workloads, gatewayPlatform } = setup();
    const a = pool(workloads, gatewayPlatform, 'A', { name: 'a' });
    const b = pool(workloads, gatewayPlatform, 'B', { name: 'b' });
    let n = 0;
    const gateway = () => new InferenceGateway(workloads, `Gw${n++}`, { platform: gatewayPlatform });

    test('any two whole weights from 0 to 1,000,000 with a positive sum are rendered as given', () => {
      const expected: Record<string, number[]> = {};
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 1_000_000 }),
          fc.integer({ min: 1, max: 1_000_000 }),
          (x, y) => {
            const g = gateway();
            g.addModel('M', {
              variants: [
                { pool: a, weight: x },
                { pool: b, weight: y },
              ],
            });
            expected[`${g.gatewayName}-m`] = [x, y];
          },
        ),
        { numRuns: 30 },
      );
      const rendered = Object.fromEntries(
        manifests(workloads, 'HTTPRoute').map((r) => [
          r.metadata.name,
          r.spec.rules[0].backendRefs.map((x: any) => x.weight),
        ]),
      );
      expect(rendered).toEqual(expected);
    });

    test('any weight that is not a whole number in range is a ValidationError', () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.double({ noNaN: false }).filter((d) => !Number.isInteger(d)),
            fc.integer({ max: -1 }),
            fc.integer({ min: 1_000_001 }),
          ),
          (w) => {
            expect(() => gateway().addModel('M', { variants: [{ pool: a, weight: w }] })).toThrow(
              ValidationError,
            );
          },
        ),
        { numRuns: 100 },
      );
    });
  });
});

describe('InferencePool failureMode', () => {
  test('throws when failureMode is not a FailureMode, like StandaloneInferencePool', () => {
    const { workloads, gatewayPlatform } = setup();
    expect(() =>
      pool(workloads, gatewayPlatform, 'Pool', { failureMode: 'Maybe' as FailureMode, backend: backend() }),
    ).toThrow(/'failureMode' \('Maybe'\) must be one of/);
  });

  test('throws on an invalid failureMode before warning about one picker replica', () => {
    const { workloads, gatewayPlatform } = setup();
    expect(() =>
      pool(workloads, gatewayPlatform, 'Pool', {
        eppReplicas: 1,
        failureMode: 'Maybe' as FailureMode,
        backend: backend(),
      }),
    ).toThrow(/'failureMode' \('Maybe'\) must be one of/);
    expect(warningsOf(workloads).join('\n')).not.toMatch(/k8s-epp-single-replica/);
  });
});
