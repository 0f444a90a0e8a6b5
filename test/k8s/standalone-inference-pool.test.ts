import { parse } from 'yaml';
import { Accelerator, ModelSpec, Quantization, ValidationError } from '../../lib/core';
import {
  FailureMode,
  GATEWAY_HELM_CHARTS,
  GATEWAY_IMAGES,
  IInferenceBackend,
  InferenceEngineType,
  LoraAdapter,
  ModelServer,
  ModelServerBackend,
  SchedulingProfile,
  ServingEngine,
  StandaloneInferencePool,
  StandaloneInferencePoolProps,
  StandaloneProxyMode,
  WeightsSource,
} from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads, vllmBackend, warningsOf } from './helpers';

/** The hand-written backend most tests use. */
const backend = (overrides: Partial<IInferenceBackend> = {}): IInferenceBackend =>
  vllmBackend('llama8b', overrides);

function router(props: Partial<StandaloneInferencePoolProps> = {}) {
  const { workloads } = platformAndWorkloads();
  const r = new StandaloneInferencePool(workloads, 'Router', { backend: backend(), ...props });
  const json = synthJson(workloads);
  const release = Object.values(resourcesOf(json, 'helm_release'))[0] as any;
  return { router: r, workloads, json, release, values: parse(release.values[0]) };
}

describe('StandaloneInferencePool', () => {
  test('one release of the pinned standalone chart: picker + Envoy sidecar, no InferencePool, pinned picker image', () => {
    const { release, values, router: r } = router();
    expect(release.chart).toBe('llm-d-router-standalone');
    expect(release.version).toBe(GATEWAY_HELM_CHARTS.llmdRouterStandalone.version);
    expect(release.repository).toBe('oci://ghcr.io/llm-d/charts');
    expect(release.name).toBe('llama8b');
    expect(release.namespace).toBe('llm');
    expect(values.router.inferencePool).toEqual({ create: false });
    expect(values.router.modelServers).toEqual({
      matchLabels: { 'app.kubernetes.io/name': 'vllm', 'app.kubernetes.io/instance': 'llama8b' },
      type: 'vllm',
      protocol: 'http',
      targetPorts: [{ number: 8000 }],
    });
    expect(values.router.proxy).toMatchObject({
      enabled: true,
      proxyType: 'envoy',
      mode: 'sidecar',
      failOpen: true,
    });
    expect(values.router.proxy.replicas).toBeUndefined();
    expect(values.router.proxy.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(values.router.epp.image).toEqual({ ...GATEWAY_IMAGES.endpointPicker, pullPolicy: 'IfNotPresent' });
    expect(r.url).toBe('http://llama8b-epp.llm.svc.cluster.local:8081');
  });

  test('defaults: 2 picker replicas with a PodDisruptionBudget on the standalone selector label, chart resources', () => {
    const { values, json } = router();
    expect(values.router.epp.replicas).toBe(2);
    expect(values.router.epp.resources).toEqual({
      requests: { cpu: '8', memory: '8Gi' },
      limits: { memory: '16Gi' },
    });
    const pdb = Object.values(resourcesOf(json, 'kubernetes_pod_disruption_budget_v1'))[0] as any;
    expect(pdb.spec.selector.match_labels).toEqual({ 'llm-d-router-standalone': 'llama8b-epp' });
    expect(pdb.spec.min_available).toBe('1');
  });

  test('the scheduling profile is the typed EndpointPickerConfig; LoRA affinity when the backend serves adapters', () => {
    const plain = router().values.router.epp;
    const config = parse(plain.pluginsCustomConfig[plain.pluginsConfigFile]);
    expect(config.kind).toBe('EndpointPickerConfig');
    expect(config.schedulingProfiles[0].plugins.map((p: any) => p.pluginRef)).toEqual([
      'queue-scorer',
      'kv-cache-utilization-scorer',
      'prefix-cache-scorer',
    ]);
    const lora = router({ backend: backend({ loraAdapterNames: ['support'] }) }).router;
    expect((lora.endpointPickerConfig.schedulingProfiles as any)[0].plugins).toContainEqual({
      pluginRef: 'lora-affinity-scorer',
      weight: 2,
    });
  });

  test('service mode: Envoy as its own Deployment (2 replicas by default) and the URL of its Service', () => {
    const { values, router: r } = router({ proxyMode: StandaloneProxyMode.SERVICE });
    expect(values.router.proxy).toMatchObject({ mode: 'service', replicas: 2 });
    expect(r.url).toBe('http://llama8b-proxy.llm.svc.cluster.local:8081');
    expect(
      router({ proxyMode: StandaloneProxyMode.SERVICE, proxyReplicas: 4 }).values.router.proxy.replicas,
    ).toBe(4);
  });

  test('FailClose turns off Envoy fail-open', () => {
    expect(router({ failureMode: FailureMode.FAIL_CLOSE }).values.router.proxy.failOpen).toBe(false);
  });

  test('flow control defaults on for a backend that may scale to zero', () => {
    const { router: r } = router({ backend: backend({ mayScaleToZero: true }) });
    expect(r.flowControl).toEqual({ requestTtlSeconds: 240 });
    expect(r.endpointPickerConfig.featureGates).toEqual(['flowControl']);
    expect(
      router({ backend: backend({ mayScaleToZero: true }), flowControl: false }).router.flowControl,
    ).toBeUndefined();
  });

  test('throws on an invalid failureMode before warning about one picker replica', () => {
    const { workloads } = platformAndWorkloads();
    expect(
      () =>
        new StandaloneInferencePool(workloads, 'Router', {
          backend: backend(),
          eppReplicas: 1,
          failureMode: 'Maybe' as FailureMode,
        }),
    ).toThrow(/'failureMode' \('Maybe'\) must be one of/);
    expect(warningsOf(workloads).join('\n')).not.toMatch(/k8s-epp-single-replica/);
  });

  test('warns with one picker replica and without monitoring', () => {
    const w = warningsOf(router({ eppReplicas: 1 }).workloads).join('\n');
    expect(w).toMatch(/k8s-epp-single-replica/);
    expect(w).toMatch(/k8s-epp-unmonitored/);
  });

  test('a ModelServer with LoRA adapters behind a standalone router', () => {
    const { workloads } = platformAndWorkloads();
    const server = new ModelServer(workloads, 'Llama8B', {
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L4,
      weights: WeightsSource.bucket('s3://models/llama-3.1-8b-awq/'),
      loraAdapters: [LoraAdapter.fromBucket('support', 's3://acme-models/lora/support/', { rank: 16 })],
    });
    const r = new StandaloneInferencePool(workloads, 'Router', {
      backend: ModelServerBackend.of(server),
      schedulingProfile: SchedulingProfile.of({ loraAffinity: 5 }),
    });
    expect((r.endpointPickerConfig.schedulingProfiles as any)[0].plugins).toContainEqual({
      pluginRef: 'lora-affinity-scorer',
      weight: 5,
    });
    expect(r.url).toBe('http://llama8b-epp.default.svc.cluster.local:8081');
  });

  test.each<[string, Partial<StandaloneInferencePoolProps>, RegExp]>([
    ['a name over 40 characters', { name: 'a'.repeat(41) }, /'name'/],
    ['no pod selector labels', { backend: backend({ podSelectorLabels: {} }) }, /has no pod selector labels/],
    [
      'proxyReplicas with a sidecar',
      { proxyReplicas: 3 },
      /'proxyReplicas' \(3\) applies to StandaloneProxyMode.SERVICE only/,
    ],
    [
      'proxyReplicas 0',
      { proxyMode: StandaloneProxyMode.SERVICE, proxyReplicas: 0 },
      /'proxyReplicas' \(0\)/,
    ],
    [
      'an unknown proxy mode',
      { proxyMode: 'mesh' as StandaloneProxyMode },
      /'proxyMode' \('mesh'\) must be one of/,
    ],
    [
      'an unknown failure mode',
      { failureMode: 'Maybe' as FailureMode },
      /'failureMode' \('Maybe'\) must be one of/,
    ],
    ['eppReplicas 0', { eppReplicas: 0 }, /'eppReplicas' \(0\)/],
    ['a bad target port', { backend: backend({ targetPort: 70000 }) }, /'backend.targetPort' \(70000\)/],
    [
      'a flow-control TTL of 0',
      { flowControl: { requestTtlSeconds: 0 } },
      /'flowControl.requestTtlSeconds' \(0\)/,
    ],
    ['a bad eppCpu', { eppCpu: 'lots' }, /'eppCpu'/],
    ['eppMemoryGiB 0', { eppMemoryGiB: 0 }, /'eppMemoryGiB' \(0\)/],
    [
      'a profile without load scorers',
      {
        schedulingProfile: SchedulingProfile.of({
          queueDepth: 0,
          kvCacheUtilization: 0,
          prefixCacheAffinity: 0,
        }),
      },
      /turns every load scorer off/,
    ],
  ])('throws on %s', (_what, props, message) => {
    expect(() => router(props)).toThrow(ValidationError);
    expect(() => router(props)).toThrow(message);
  });
});

describe("StandaloneInferencePool admits its picker and Envoy where the server's namespace is not admitted", () => {
  const PORTS = (...names: string[]) => names.map((port) => ({ port, protocol: 'TCP' }));
  const pods = (labels: Record<string, string>) => ({ pod_selector: { match_labels: labels } });
  const EPP = pods({ 'llm-d-router-standalone': 'llama8b-epp' });
  const PROXY = pods({ 'llm-d-router-proxy': 'llama8b-proxy' });

  function serve(
    engine: Partial<ConstructorParameters<typeof ModelServer>[2]>,
    props: Partial<StandaloneInferencePoolProps> = {},
  ) {
    const { workloads } = platformAndWorkloads();
    const server = new ModelServer(workloads, 'Llama8B', {
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.BF16,
      accelerator: Accelerator.L40S,
      weights: WeightsSource.bucket('s3://models/llama-3.1-8b/'),
      namespace: 'llm',
      networkPolicy: { allowSameNamespace: false },
      ...engine,
    });
    new StandaloneInferencePool(workloads, 'Router', { backend: ModelServerBackend.of(server), ...props });
    const np = Object.values(resourcesOf(synthJson(workloads), 'kubernetes_network_policy_v1'))[0] as any;
    return np.spec.ingress as any[];
  }

  test('sidecar mode: the picker pods (Envoy inside) reach the HTTP port, where vLLM also serves /metrics', () => {
    expect(serve({})).toContainEqual({ from: [EPP], ports: PORTS('http') });
  });

  test('service mode: the Envoy Deployment is admitted too', () => {
    const rules = serve({}, { proxyMode: StandaloneProxyMode.SERVICE });
    expect(rules).toContainEqual({ from: [EPP, PROXY], ports: PORTS('http') });
  });

  test('service mode: the pool admits the picker with metrics and the Envoy pods without (engines with a metrics port)', () => {
    const calls: Array<[Record<string, string>, unknown]> = [];
    const { workloads } = platformAndWorkloads();
    new StandaloneInferencePool(workloads, 'Router', {
      backend: backend({
        engine: InferenceEngineType.TRITON_TENSORRT_LLM,
        targetPort: 9000,
        metricsPort: 8002,
        allowIngressFromPods: (labels, options) => calls.push([{ ...labels }, options]),
      }),
      proxyMode: StandaloneProxyMode.SERVICE,
    });
    expect(calls).toEqual([
      [{ 'llm-d-router-standalone': 'llama8b-epp' }, undefined],
      [{ 'llm-d-router-proxy': 'llama8b-proxy' }, { metrics: false }],
    ]);
  });

  test("the picker scrapes the backend's metricsPort (8002 here); a bad metricsPort throws", () => {
    const { workloads } = platformAndWorkloads();
    const r = new StandaloneInferencePool(workloads, 'Router', {
      backend: backend({
        engine: InferenceEngineType.TRITON_TENSORRT_LLM,
        targetPort: 9000,
        metricsPort: 8002,
      }),
    });
    const source = (r.endpointPickerConfig.plugins as any[]).find((x) => x.type === 'metrics-data-source');
    expect(source.parameters.port).toBe(8002);
    expect(() => router({ backend: backend({ metricsPort: 70000 }) })).toThrow(
      /'backend.metricsPort' \(70000\)/,
    );
  });

  test('a Triton ModelServer is refused: Envoy would send OpenAI paths to its KServe v2 port', () => {
    const { workloads } = platformAndWorkloads();
    const server = new ModelServer(workloads, 'Llama8B', {
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.BF16,
      accelerator: Accelerator.L40S,
      weights: WeightsSource.bucket('s3://models/llama-3.1-8b/'),
      engine: ServingEngine.TRITON_TENSORRT_LLM,
    });
    expect(
      () => new StandaloneInferencePool(workloads, 'Router', { backend: ModelServerBackend.of(server) }),
    ).toThrow(ValidationError);
  });

  test('the own namespace admits them already by default: no pod rule', () => {
    const rules = serve({ networkPolicy: {} }, { proxyMode: StandaloneProxyMode.SERVICE });
    expect(rules.flatMap((r) => r.from)).not.toContainEqual(PROXY);
    expect(rules.flatMap((r) => r.from)).not.toContainEqual(EPP);
  });
});
