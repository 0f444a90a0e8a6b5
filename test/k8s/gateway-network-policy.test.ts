import { TerraformStack } from 'cdktf';
import { Accelerator, ModelSpec, Quantization, ValidationError } from '../../lib/core';
import {
  GOOGLE_HEALTH_CHECK_RANGES,
  GatewayImplementation,
  InferenceGateway,
  InferenceGatewayPlatform,
  InferencePool,
  ModelServer,
  ModelServerBackend,
  ModelServerProps,
  ServingEngine,
  WeightsSource,
} from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads } from './helpers';

// InferenceGateway.addModel: the servers' NetworkPolicies admit the gateway, for every gateway
// implementation (Istio: the Gateway's namespace, where istiod runs its Envoy pods; GKE: the
// proxy-only subnet and Google's health-check ranges), on the HTTP API port only.

const PROPS: ModelServerProps = {
  model: ModelSpec.LLAMA_3_1_8B,
  quantization: Quantization.BF16,
  accelerator: Accelerator.L4,
  weights: WeightsSource.bucket('gs://acme-models/llama-3.1-8b/'),
  namespace: 'llm',
};

const TRITON: Partial<ModelServerProps> = {
  engine: ServingEngine.TRITON_TENSORRT_LLM,
  accelerator: Accelerator.L40S,
};

const HTTP = [{ port: 'http', protocol: 'TCP' }];
const ALL_TRITON_PORTS = ['http', 'grpc', 'metrics'].map((port) => ({ port, protocol: 'TCP' }));
const ns = (n: string) => ({ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': n } } });
const block = (cidr: string) => ({ ip_block: { cidr } });

function setup(implementation: GatewayImplementation, gatewayNamespace = 'gateway') {
  const { platform, workloads } = platformAndWorkloads();
  const gatewayPlatform = new InferenceGatewayPlatform(platform, 'InferenceGateway', { implementation });
  const gateway = new InferenceGateway(workloads, 'Gateway', {
    platform: gatewayPlatform,
    namespace: gatewayNamespace,
  });
  const serve = (id: string, props: Partial<ModelServerProps> = {}) => {
    const server = new ModelServer(workloads, id, { ...PROPS, ...props });
    const pool = new InferencePool(workloads, `${id}Pool`, {
      backend: ModelServerBackend.of(server),
      platform: gatewayPlatform,
    });
    return { server, pool };
  };
  return { workloads, gateway, serve };
}

/** The ingress rules of each server's NetworkPolicy, by policy name. */
function ingress(stack: TerraformStack): Record<string, any[]> {
  const out: Record<string, any[]> = {};
  for (const np of Object.values(resourcesOf(synthJson(stack), 'kubernetes_network_policy_v1')) as any[]) {
    out[np.metadata.name] = np.spec.ingress;
  }
  return out;
}

describe('InferenceGateway.addModel with Istio admits the gateway namespace', () => {
  test("a gateway in another namespace is admitted to the server's HTTP port", () => {
    const { workloads, gateway, serve } = setup(GatewayImplementation.istio());
    const { pool } = serve('Llama8B');
    gateway.addModel('Llama8B', { variants: [{ pool, weight: 1 }] });
    expect(ingress(workloads)['llama8b-vllm'][0]).toEqual({
      from: [{ pod_selector: {} }, ns('gateway')],
      ports: HTTP,
    });
  });

  test('every variant is admitted, a drained (weight 0) one too, each namespace once', () => {
    const { workloads, gateway, serve } = setup(GatewayImplementation.istio());
    const stable = serve('Stable').pool;
    const canary = serve('Canary').pool;
    gateway.addModel('Llama8B', {
      variants: [
        { pool: stable, weight: 100 },
        { pool: canary, weight: 0 },
      ],
      hostnames: ['llama.example.com'],
    });
    gateway.addModel('Llama8BAgain', {
      variants: [{ pool: stable, weight: 1 }],
      hostnames: ['again.example.com'],
    });
    const rules = ingress(workloads);
    for (const name of ['stable-vllm', 'canary-vllm']) {
      expect(rules[name][0].from).toEqual([{ pod_selector: {} }, ns('gateway')]);
    }
  });

  test("adds nothing when the gateway is in the pools' namespace (already admitted)", () => {
    const { workloads, gateway, serve } = setup(GatewayImplementation.istio(), 'llm');
    const { pool } = serve('Llama8B');
    gateway.addModel('Llama8B', { variants: [{ pool, weight: 1 }] });
    expect(ingress(workloads)['llama8b-vllm'][0].from).toEqual([{ pod_selector: {} }]);
  });

  test("a gateway in the pools' namespace, server not admitting its namespace: the Gateway's Envoy pods are admitted by label", () => {
    const { workloads, gateway, serve } = setup(GatewayImplementation.istio(), 'llm');
    const { pool } = serve('Llama8B', { networkPolicy: { allowSameNamespace: false } });
    gateway.addModel('Llama8B', { variants: [{ pool, weight: 1 }] });
    const selectors = ingress(workloads)['llama8b-vllm'].flatMap((rule) => rule.from);
    expect(selectors).toContainEqual({
      pod_selector: { match_labels: { 'gateway.networking.k8s.io/gateway-name': gateway.gatewayName } },
    });
    expect(selectors).not.toContainEqual({ pod_selector: {} });
  });

  test('admits the gateway namespace even when the server does not admit its own namespace', () => {
    const { workloads, gateway, serve } = setup(GatewayImplementation.istio());
    const { pool } = serve('Llama8B', { networkPolicy: { allowSameNamespace: false } });
    gateway.addModel('Llama8B', { variants: [{ pool, weight: 1 }] });
    expect(ingress(workloads)['llama8b-vllm'][0]).toEqual({ from: [ns('gateway')], ports: HTTP });
  });

  test('a namespace already in clientNamespaces is not repeated', () => {
    const { workloads, gateway, serve } = setup(GatewayImplementation.istio());
    const { pool } = serve('Llama8B', { networkPolicy: { clientNamespaces: ['gateway'] } });
    gateway.addModel('Llama8B', { variants: [{ pool, weight: 1 }] });
    expect(ingress(workloads)['llama8b-vllm'][0].from).toEqual([{ pod_selector: {} }, ns('gateway')]);
  });

  test('Triton: ModelServerBackend.of refuses it (KServe v2 on port 8000); its clients keep all three ports', () => {
    const { workloads } = setup(GatewayImplementation.istio());
    const server = new ModelServer(workloads, 'Llama8B', { ...PROPS, ...TRITON });
    expect(() => ModelServerBackend.of(server)).toThrow(ValidationError);
    expect(ingress(workloads)['llama8b-triton']).toEqual([
      { from: [{ pod_selector: {} }], ports: ALL_TRITON_PORTS },
    ]);
  });
  test('a server without a NetworkPolicy is routed to and nothing is widened', () => {
    const { workloads, gateway, serve } = setup(GatewayImplementation.istio());
    const { server, pool } = serve('Llama8B', { networkPolicy: { enabled: false } });
    gateway.addModel('Llama8B', { variants: [{ pool, weight: 1 }] });
    expect(server.networkPolicy).toBeUndefined();
    expect(ingress(workloads)).toEqual({});
    expect(ModelServerBackend.of(server).allowIngressFromNamespaces).toBeUndefined();
  });
});

describe('InferenceGateway.addModel on GKE admits the load balancer ranges', () => {
  const gke = () => GatewayImplementation.gke({ proxyOnlySubnetCidr: '10.129.0.0/23' });
  const RANGES = ['10.129.0.0/23', ...GOOGLE_HEALTH_CHECK_RANGES];

  test("the proxy-only subnet and health-check ranges, not the gateway's namespace", () => {
    const { workloads, gateway, serve } = setup(gke());
    const { pool } = serve('Llama8B');
    gateway.addModel('Llama8B', { variants: [{ pool, weight: 1 }] });
    expect(ingress(workloads)['llama8b-vllm'][0]).toEqual({
      from: [{ pod_selector: {} }, ...RANGES.map(block)],
      ports: HTTP,
    });
  });
});

describe("InferencePool admits its endpoint picker where the server's namespace is not admitted", () => {
  const epp = { pod_selector: { match_labels: { 'llm-d-router-gateway': 'llama8b-epp' } } };

  test('by default the own namespace admits the picker already: no rule is added', () => {
    const { workloads, serve } = setup(GatewayImplementation.istio());
    serve('Llama8B');
    expect(ingress(workloads)['llama8b-vllm']).toEqual([{ from: [{ pod_selector: {} }], ports: HTTP }]);
  });

  test.each([
    ['Istio', GatewayImplementation.istio()],
    ['GKE', GatewayImplementation.gke({ proxyOnlySubnetCidr: '10.129.0.0/23' })],
  ])(
    '%s, allowSameNamespace false: the picker pods reach the HTTP port (vLLM serves /metrics there)',
    (_n, impl) => {
      const { workloads, serve } = setup(impl);
      serve('Llama8B', { networkPolicy: { allowSameNamespace: false } });
      expect(ingress(workloads)['llama8b-vllm']).toContainEqual({ from: [epp], ports: HTTP });
    },
  );

  test('Triton, allowSameNamespace false: pods admitted with metrics reach HTTP and metrics, others HTTP only', () => {
    // ModelServer.allowIngressFromPods, which a pool's picker (metrics) and a gateway's or router's
    // Envoy pods (metrics: false) call on a backend of their own that delegates to the server.
    const { workloads } = setup(GatewayImplementation.istio());
    const server = new ModelServer(workloads, 'Llama8B', {
      ...PROPS,
      ...TRITON,
      networkPolicy: { allowSameNamespace: false },
    });
    server.allowIngressFromPods({ 'llm-d-router-gateway': 'llama8b-epp' });
    server.allowIngressFromPods({ 'gateway.networking.k8s.io/gateway-name': 'gateway' }, { metrics: false });
    const rules = ingress(workloads)['llama8b-triton'];
    expect(rules).toContainEqual({
      from: [{ pod_selector: { match_labels: { 'llm-d-router-gateway': 'llama8b-epp' } } }],
      ports: [
        { port: 'http', protocol: 'TCP' },
        { port: 'metrics', protocol: 'TCP' },
      ],
    });
    expect(rules).toContainEqual({
      from: [{ pod_selector: { match_labels: { 'gateway.networking.k8s.io/gateway-name': 'gateway' } } }],
      ports: HTTP,
    });
  });
  test('vLLM, allowSameNamespace false: picker and gateway pods share one rule on the HTTP port', () => {
    const { workloads, gateway, serve } = setup(GatewayImplementation.istio(), 'llm');
    const { pool } = serve('Llama8B', { networkPolicy: { allowSameNamespace: false } });
    gateway.addModel('Llama8B', { variants: [{ pool, weight: 1 }] });
    expect(ingress(workloads)['llama8b-vllm']).toContainEqual({
      from: [
        epp,
        { pod_selector: { match_labels: { 'gateway.networking.k8s.io/gateway-name': 'gateway' } } },
      ],
      ports: HTTP,
    });
  });

  test('labels admitted both with and without metrics are listed once, with metrics', () => {
    const { workloads } = setup(GatewayImplementation.istio());
    const server = new ModelServer(workloads, 'Llama8B', {
      ...PROPS,
      ...TRITON,
      networkPolicy: { allowSameNamespace: false },
    });
    server.allowIngressFromPods({ 'llm-d-router-gateway': 'llama8b-epp' });
    server.allowIngressFromPods({ app: 'router' }, { metrics: false });
    server.allowIngressFromPods({ app: 'router' });
    const rules = ingress(workloads)['llama8b-triton'].filter((r) =>
      JSON.stringify(r.from).includes('"router"'),
    );
    expect(rules).toEqual([
      {
        from: [epp, { pod_selector: { match_labels: { app: 'router' } } }],
        ports: [
          { port: 'http', protocol: 'TCP' },
          { port: 'metrics', protocol: 'TCP' },
        ],
      },
    ]);
  });

  test('allowIngressFromPods adds each label set once and refuses an empty or invalid one', () => {
    const { workloads, serve } = setup(GatewayImplementation.istio());
    const { server } = serve('Llama8B', { networkPolicy: { allowSameNamespace: false } });
    server.allowIngressFromPods({ 'llm-d-router-gateway': 'llama8b-epp' });
    server.allowIngressFromPods({ app: 'router' });
    expect(ingress(workloads)['llama8b-vllm']).toContainEqual({
      from: [epp, { pod_selector: { match_labels: { app: 'router' } } }],
      ports: HTTP,
    });
    expect(() => server.allowIngressFromPods({})).toThrow(ValidationError);
    expect(() => server.allowIngressFromPods({})).toThrow(/'allowIngressFromPods' got no labels/);
    expect(() => server.allowIngressFromPods({ 'bad key!': 'x' })).toThrow(/allowIngressFromPods/);
    expect(() => server.allowIngressFromPods({ app: 'router' }, { metrics: 'no' as any })).toThrow(
      /'allowIngressFromPods metrics'/,
    );
  });
});

describe('ModelServer.allowIngressFromNamespaces', () => {
  test('adds namespaces after construction, once each', () => {
    const { workloads, serve } = setup(GatewayImplementation.istio());
    const { server } = serve('Llama8B');
    server.allowIngressFromNamespaces(['a', 'b']);
    server.allowIngressFromNamespaces(['a']);
    expect(ingress(workloads)['llama8b-vllm'][0].from).toEqual([{ pod_selector: {} }, ns('a'), ns('b')]);
  });

  test('throws for a name that is not a namespace, naming the call', () => {
    const { serve } = setup(GatewayImplementation.istio());
    const { server } = serve('Llama8B');
    expect(() => server.allowIngressFromNamespaces(['Not A Namespace'])).toThrow(ValidationError);
    expect(() => server.allowIngressFromNamespaces(['Not A Namespace'])).toThrow(
      /'allowIngressFromNamespaces\[0\]'/,
    );
  });
});
