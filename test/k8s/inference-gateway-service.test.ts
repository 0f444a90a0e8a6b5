import { TerraformStack } from 'cdktf';
import { ModelSpec, Quantization, ValidationError } from '../../lib/core';
import {
  GOOGLE_HEALTH_CHECK_RANGES,
  GatewayExposure,
  GatewayImplementation,
  IServiceBackend,
  InferenceGateway,
  InferenceGatewayPlatform,
  InferencePool,
  LlamaCppServer,
  ServiceModelOptions,
  WeightsSource,
} from '../../lib/k8s';
import { validateKubernetesObject } from '../consumers/k8s-schema';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads, vllmBackend, warningsOf } from './helpers';

// InferenceGateway.addServiceModel (issue 9 section 3): llama.cpp behind a gateway without an
// endpoint picker, an HTTPRoute to its Service.

function setup(implementation = GatewayImplementation.istio()) {
  const { platform, workloads } = platformAndWorkloads();
  const gatewayPlatform = new InferenceGatewayPlatform(platform, 'InferenceGateway', { implementation });
  const gateway = new InferenceGateway(workloads, 'Gateway', {
    platform: gatewayPlatform,
    namespace: 'gateway',
  });
  return { workloads, gateway, gatewayPlatform };
}

function llama(workloads: TerraformStack, id = 'Llama8BCpu', namespace = 'llm') {
  return new LlamaCppServer(workloads, id, {
    model: ModelSpec.LLAMA_3_1_8B,
    quantization: Quantization.GGUF_Q4_K_M,
    weights: WeightsSource.bucket('s3://models/llama-3.1-8b-gguf/'),
    ggufFile: 'Llama-3.1-8B-Instruct-Q4_K_M.gguf',
    namespace,
  });
}

function backend(overrides: Partial<IServiceBackend> = {}): IServiceBackend {
  return {
    namespace: 'llm',
    serviceName: 'other-llama-cpp',
    servicePort: 8080,
    servedModelName: 'llama-3.1-8b',
    healthCheckPath: '/health',
    mayScaleToZero: false,
    ...overrides,
  };
}

function manifests(stack: TerraformStack, kind: string): any[] {
  return Object.values(resourcesOf(synthJson(stack), 'kubernetes_manifest'))
    .map((m: any) => m.manifest)
    .filter((m: any) => m.kind === kind);
}

function ingressFrom(stack: TerraformStack): any[] {
  const [np]: any[] = Object.values(resourcesOf(synthJson(stack), 'kubernetes_network_policy_v1'));
  return np.spec.ingress[0].from;
}

describe('InferenceGateway.addServiceModel with Istio', () => {
  test('routes the OpenAI paths to the Service port with a weight and the default 300 s timeout', () => {
    const { workloads, gateway } = setup();
    const server = llama(workloads);
    const route = gateway.addServiceModel('Llama8BCpu', { variants: [{ backend: server, weight: 100 }] });
    const [r] = manifests(workloads, 'HTTPRoute');
    expect(r.metadata).toMatchObject({ name: 'gateway-llama8bcpu', namespace: 'llm' });
    expect(r.spec.parentRefs).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gateway', namespace: 'gateway' },
    ]);
    expect(r.spec.rules).toEqual([
      {
        matches: [
          { path: { type: 'PathPrefix', value: '/v1/chat/completions' } },
          { path: { type: 'PathPrefix', value: '/v1/completions' } },
        ],
        backendRefs: [{ group: '', kind: 'Service', name: server.serviceName, port: 8080, weight: 100 }],
        timeouts: { request: '300s' },
      },
    ]);
    expect(route.modelName).toBe('llama-3.1-8b');
    expect(validateKubernetesObject(r)).toEqual([]);
    expect(manifests(workloads, 'HealthCheckPolicy')).toEqual([]);
    expect(manifests(workloads, 'GCPBackendPolicy')).toEqual([]);
  });

  test("admits the gateway's namespace (its Envoy pods) to the server's NetworkPolicy and the route's namespace to the listener", () => {
    const { workloads, gateway } = setup();
    const server = llama(workloads);
    gateway.addServiceModel('Llama8BCpu', { variants: [{ backend: server, weight: 1 }] });
    expect(ingressFrom(workloads)).toEqual([
      { pod_selector: {} },
      { namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'gateway' } } },
    ]);
    const [g] = manifests(workloads, 'Gateway');
    expect(g.spec.listeners[0].allowedRoutes.namespaces.selector.matchExpressions[0].values).toEqual(['llm']);
  });

  test('requestTimeoutSeconds, hostnames and paths are rendered', () => {
    const { workloads, gateway } = setup();
    gateway.addServiceModel('Llama8BCpu', {
      variants: [{ backend: llama(workloads), weight: 1 }],
      requestTimeoutSeconds: 900,
      hostnames: ['llama.example.com'],
      paths: ['/v1/chat/completions'],
    });
    const [r] = manifests(workloads, 'HTTPRoute');
    expect(r.spec.hostnames).toEqual(['llama.example.com']);
    expect(r.spec.rules[0].timeouts).toEqual({ request: '900s' });
    expect(r.spec.rules[0].matches).toEqual([
      { path: { type: 'PathPrefix', value: '/v1/chat/completions' } },
    ]);
  });

  test('two servers of one model split the traffic by weight', () => {
    const { workloads, gateway } = setup();
    const a = llama(workloads, 'A');
    const b = llama(workloads, 'B');
    gateway.addServiceModel('Llama8BCpu', {
      variants: [
        { backend: a, weight: 90 },
        { backend: b, weight: 10 },
      ],
    });
    const [r] = manifests(workloads, 'HTTPRoute');
    expect(r.spec.rules[0].backendRefs.map((x: any) => [x.name, x.weight])).toEqual([
      ['a-llama-cpp', 90],
      ['b-llama-cpp', 10],
    ]);
  });
});

describe('InferenceGateway.addServiceModel on GKE', () => {
  test('a HealthCheckPolicy on /health and a GCPBackendPolicy with the timeout per Service; no route timeout', () => {
    const { workloads, gateway } = setup(GatewayImplementation.gke({ proxyOnlySubnetCidr: '10.129.0.0/23' }));
    const server = llama(workloads);
    const route = gateway.addServiceModel('Llama8BCpu', { variants: [{ backend: server, weight: 1 }] });
    const [r] = manifests(workloads, 'HTTPRoute');
    expect(r.spec.rules[0].timeouts).toBeUndefined();
    const targetRef = { group: '', kind: 'Service', name: server.serviceName };
    const [hc] = manifests(workloads, 'HealthCheckPolicy');
    expect(hc.metadata).toMatchObject({ name: server.serviceName, namespace: 'llm' });
    expect(hc.spec).toEqual({
      targetRef,
      default: { config: { type: 'HTTP', httpHealthCheck: { requestPath: '/health' } } },
    });
    const [bp] = manifests(workloads, 'GCPBackendPolicy');
    expect(bp.spec).toEqual({ targetRef, default: { timeoutSec: 300 } });
    expect(route.healthCheckPolicies).toHaveLength(1);
    expect(route.backendPolicies).toHaveLength(1);
    for (const m of [r, hc, bp]) expect(validateKubernetesObject(m)).toEqual([]);
  });

  test("admits the proxy-only subnet and Google's health-check ranges to the server's NetworkPolicy", () => {
    const { workloads, gateway } = setup(GatewayImplementation.gke({ proxyOnlySubnetCidr: '10.129.0.0/23' }));
    gateway.addServiceModel('Llama8BCpu', { variants: [{ backend: llama(workloads), weight: 1 }] });
    expect(ingressFrom(workloads)).toEqual([
      { pod_selector: {} },
      ...['10.129.0.0/23', ...GOOGLE_HEALTH_CHECK_RANGES].map((cidr) => ({ ip_block: { cidr } })),
    ]);
  });

  test('warns when the proxy-only subnet is unknown', () => {
    const { workloads, gateway } = setup(GatewayImplementation.gke());
    gateway.addServiceModel('Llama8BCpu', { variants: [{ backend: llama(workloads), weight: 1 }] });
    expect(warningsOf(workloads).join('\n')).toMatch(/k8s-gke-gateway-network-policy/);
  });
});

describe('InferenceGateway.addServiceModel validation', () => {
  const cases: Array<[string, (w: TerraformStack) => ServiceModelOptions, RegExp]> = [
    ['no variants', () => ({ variants: [] }), /'variants' is empty/],
    [
      'a fractional weight',
      () => ({ variants: [{ backend: backend(), weight: 0.5 }] }),
      /must be an integer from 0 to 1000000/,
    ],
    [
      'weights that sum to 0',
      () => ({ variants: [{ backend: backend(), weight: 0 }] }),
      /every variant has weight 0/,
    ],
    [
      'Services in two namespaces',
      () => ({
        variants: [
          { backend: backend(), weight: 1 },
          { backend: backend({ namespace: 'other', serviceName: 'b' }), weight: 1 },
        ],
      }),
      /an HTTPRoute reaches Services in its own namespace only/,
    ],
    [
      'a server answering to another model name',
      () => ({ modelName: 'llama-3.1-70b', variants: [{ backend: backend(), weight: 1 }] }),
      /serves 'llama-3.1-8b', not 'llama-3.1-70b'/,
    ],
    [
      'a server that may scale to zero carrying traffic',
      () => ({ variants: [{ backend: backend({ mayScaleToZero: true }), weight: 1 }] }),
      /may scale to zero, but nothing buffers requests/,
    ],
    [
      'one Service listed twice',
      () => ({
        variants: [
          { backend: backend(), weight: 1 },
          { backend: backend(), weight: 1 },
        ],
      }),
      /already a backend of this model/,
    ],
    [
      'a timeout above an hour',
      () => ({ variants: [{ backend: backend(), weight: 1 }], requestTimeoutSeconds: 7200 }),
      /requestTimeoutSeconds/,
    ],
    [
      'a relative path',
      () => ({ variants: [{ backend: backend(), weight: 1 }], paths: ['v1/chat'] }),
      /absolute path prefix/,
    ],
    [
      'an upper-case host name',
      () => ({ variants: [{ backend: backend(), weight: 1 }], hostnames: ['Llama.example.com'] }),
      /lower-case DNS name/,
    ],
    [
      '17 servers (an HTTPRoute rule takes 16 backends)',
      () => ({
        variants: Array.from({ length: 17 }, (_, i) => ({
          backend: backend({ serviceName: `cpu-${i}` }),
          weight: 1,
        })),
      }),
      /'variants' lists 17 servers; an HTTPRoute rule takes at most 16 backends/,
    ],
    [
      'a path with a dot segment (the HTTPRoute API refuses it)',
      () => ({ variants: [{ backend: backend(), weight: 1 }], paths: ['/v1/../admin'] }),
      /path '\/v1\/\.\.\/admin'/,
    ],
  ];
  test.each(cases)('throws for %s', (_name, options, message) => {
    const { workloads, gateway } = setup();
    expect(() => gateway.addServiceModel('Llama8BCpu', options(workloads))).toThrow(ValidationError);
    expect(() => setup().gateway.addServiceModel('Llama8BCpu', options(workloads))).toThrow(message);
  });

  test('throws when a Service is already on another model of the gateway', () => {
    const { gateway } = setup();
    gateway.addServiceModel('A', {
      variants: [{ backend: backend(), weight: 1 }],
      hostnames: ['a.example.com'],
    });
    expect(() =>
      gateway.addServiceModel('B', {
        variants: [{ backend: backend(), weight: 1 }],
        hostnames: ['b.example.com'],
      }),
    ).toThrow(/already a backend of another model on this gateway/);
  });

  test('on GKE, throws when a Service is already a backend of another gateway (one policy of each kind per Service)', () => {
    // Both gateways would write HealthCheckPolicy and GCPBackendPolicy '<service>' in the
    // Service's namespace: the second create fails with AlreadyExists.
    const { workloads, gateway, gatewayPlatform } = setup(GatewayImplementation.gke());
    const external = new InferenceGateway(workloads, 'External', {
      platform: gatewayPlatform,
      namespace: 'gateway',
      exposure: GatewayExposure.external(),
      tls: { secretName: 'tls' },
    });
    gateway.addServiceModel('A', { variants: [{ backend: backend(), weight: 1 }] });
    expect(() => external.addServiceModel('A', { variants: [{ backend: backend(), weight: 1 }] })).toThrow(
      /Service 'llm\/other-llama-cpp' is already a backend of gateway 'gateway\/gateway' on GKE/,
    );
    // With Istio no policy is written: two gateways may share a Service.
    const istio = setup();
    const second = new InferenceGateway(istio.workloads, 'Second', {
      platform: istio.gatewayPlatform,
      namespace: 'gateway',
    });
    istio.gateway.addServiceModel('A', { variants: [{ backend: backend(), weight: 1 }] });
    expect(() =>
      second.addServiceModel('A', { variants: [{ backend: backend(), weight: 1 }] }),
    ).not.toThrow();
  });

  test('throws when a Service route and a pool route match the same host names', () => {
    const { workloads, gateway, gatewayPlatform } = setup();
    const pool = new InferencePool(workloads, 'Pool', {
      platform: gatewayPlatform,
      backend: vllmBackend('llama-8b', { podSelectorLabels: { 'app.kubernetes.io/name': 'vllm' } }),
    });
    gateway.addModel('Gpu', { variants: [{ pool, weight: 1 }] });
    expect(() => gateway.addServiceModel('Cpu', { variants: [{ backend: backend(), weight: 1 }] })).toThrow(
      /match the same host names on this gateway/,
    );
  });

  test('throws when the id is taken', () => {
    const { gateway } = setup();
    gateway.addServiceModel('A', {
      variants: [{ backend: backend(), weight: 1 }],
      hostnames: ['a.example.com'],
    });
    expect(() =>
      gateway.addServiceModel('A', {
        variants: [{ backend: backend({ serviceName: 'b' }), weight: 1 }],
        hostnames: ['b.example.com'],
      }),
    ).toThrow(/already on the gateway/);
  });
});

describe('InferenceGateway.addServiceModel with Istio, gateway and server in one namespace', () => {
  function sameNamespace(allowSameNamespace: boolean) {
    const { workloads, gateway } = setup();
    const server = new LlamaCppServer(workloads, 'Llama8BCpu', {
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.GGUF_Q4_K_M,
      weights: WeightsSource.bucket('s3://models/llama-3.1-8b-gguf/'),
      ggufFile: 'Llama-3.1-8B-Instruct-Q4_K_M.gguf',
      namespace: 'gateway',
      networkPolicy: { allowSameNamespace },
    });
    gateway.addServiceModel('Llama8BCpu', { variants: [{ backend: server, weight: 1 }] });
    const [np]: any[] = Object.values(resourcesOf(synthJson(workloads), 'kubernetes_network_policy_v1'));
    return { gateway, rules: np.spec.ingress as any[] };
  }

  test("allowSameNamespace false: the Gateway's Envoy pods are admitted by Istio's gateway-name label", () => {
    const { gateway, rules } = sameNamespace(false);
    const from = rules.flatMap((r) => r.from);
    expect(from).toContainEqual({
      pod_selector: { match_labels: { 'gateway.networking.k8s.io/gateway-name': gateway.gatewayName } },
    });
    expect(from).not.toContainEqual({ pod_selector: {} });
  });

  test('allowSameNamespace true (the default): the namespace is admitted and nothing is added', () => {
    const { rules } = sameNamespace(true);
    expect(rules.flatMap((r) => r.from)).toEqual([{ pod_selector: {} }]);
  });

  test('LlamaCppServer.allowIngressFromPods refuses an empty selector', () => {
    const { workloads } = setup();
    const server = llama(workloads);
    expect(() => server.allowIngressFromPods({})).toThrow(/'allowIngressFromPods' got no labels/);
  });
});
