import { Accelerator, ModelSpec, Quantization, ValidationError } from '../../lib/core';
import {
  GOOGLE_HEALTH_CHECK_RANGES,
  GatewayImplementation,
  InferenceGatewayPlatform,
  InferencePool,
  ModelServer,
  ModelServerBackend,
  ModelServerProps,
  WeightsSource,
} from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads, warningsOf } from './helpers';

const PROPS: ModelServerProps = {
  model: ModelSpec.LLAMA_3_1_8B,
  quantization: Quantization.AWQ,
  accelerator: Accelerator.L4,
  weights: WeightsSource.bucket('gs://models/llama-3.1-8b-awq/'),
  namespace: 'llm',
};

function setup(props: Partial<ModelServerProps> = {}) {
  const { platform, workloads } = platformAndWorkloads();
  const server = new ModelServer(workloads, 'Llama8B', { ...PROPS, ...props });
  return { platform, workloads, server };
}

/** The ipBlock CIDRs of the server's NetworkPolicy, per ingress rule. */
function ipBlocks(json: any): string[][] {
  const [np]: any[] = Object.values(resourcesOf(json, 'kubernetes_network_policy_v1'));
  return np.spec.ingress.map((r: any) =>
    r.from.filter((f: any) => f.ip_block).map((f: any) => f.ip_block.cidr),
  );
}

describe('ModelServer NetworkPolicy ipBlock sources', () => {
  test('defaults to no ipBlock source', () => {
    const { workloads } = setup();
    expect(ipBlocks(synthJson(workloads)).flat()).toEqual([]);
  });

  test('networkPolicy.clientCidrs admits the blocks on the API ports, next to the own namespace', () => {
    const { workloads } = setup({ networkPolicy: { clientCidrs: ['10.20.0.0/16', '192.168.4.0/24'] } });
    const [np]: any[] = Object.values(resourcesOf(synthJson(workloads), 'kubernetes_network_policy_v1'));
    expect(np.spec.ingress[0]).toEqual({
      from: [
        { pod_selector: {} },
        { ip_block: { cidr: '10.20.0.0/16' } },
        { ip_block: { cidr: '192.168.4.0/24' } },
      ],
      ports: [{ port: 'http', protocol: 'TCP' }],
    });
  });

  test('allowIngressFromCidrs adds blocks after construction, once each', () => {
    const { workloads, server } = setup({ networkPolicy: { clientCidrs: ['10.20.0.0/16'] } });
    server.allowIngressFromCidrs(['10.30.0.0/23', '10.20.0.0/16']);
    server.allowIngressFromCidrs(['10.30.0.0/23']);
    expect(ipBlocks(synthJson(workloads))[0]).toEqual(['10.20.0.0/16', '10.30.0.0/23']);
  });

  test('an ipBlock alone still makes an ingress rule when the own namespace is not admitted', () => {
    const { workloads } = setup({
      networkPolicy: { allowSameNamespace: false, clientCidrs: ['10.20.0.0/16'] },
    });
    const [np]: any[] = Object.values(resourcesOf(synthJson(workloads), 'kubernetes_network_policy_v1'));
    expect(np.spec.ingress[0].from).toEqual([{ ip_block: { cidr: '10.20.0.0/16' } }]);
  });

  test.each([
    [['10.20.0.1/16'], /host bits/],
    [['fd00::/8'], /not an IPv4 CIDR/],
    [['10.20.0.0/16', '10.20.0.0/16'], /twice/],
    ['10.20.0.0/16', /clientCidrs/],
  ])('throws for clientCidrs %p', (clientCidrs, message) => {
    expect(() => setup({ networkPolicy: { clientCidrs: clientCidrs as string[] } })).toThrow(ValidationError);
    expect(() => setup({ networkPolicy: { clientCidrs: clientCidrs as string[] } })).toThrow(message);
  });

  test('allowIngressFromCidrs throws for a value that is not a CIDR, naming the call', () => {
    const { server } = setup();
    expect(() => server.allowIngressFromCidrs(['10.0.0.0'])).toThrow(/'allowIngressFromCidrs\[0\]'/);
  });
});

describe('InferencePool behind GKE wires the load balancer sources into the NetworkPolicy', () => {
  function gke(implementation: GatewayImplementation, props: Partial<ModelServerProps> = {}) {
    const { platform, workloads, server } = setup(props);
    const gatewayPlatform = new InferenceGatewayPlatform(platform, 'InferenceGateway', { implementation });
    const pool = new InferencePool(workloads, 'Pool', {
      backend: ModelServerBackend.of(server),
      platform: gatewayPlatform,
    });
    return { workloads, pool };
  }

  test("admits the proxy-only subnet and Google's health-check ranges", () => {
    const { workloads } = gke(GatewayImplementation.gke({ proxyOnlySubnetCidr: '10.10.0.0/23' }));
    expect(ipBlocks(synthJson(workloads))[0]).toEqual(['10.10.0.0/23', ...GOOGLE_HEALTH_CHECK_RANGES]);
    expect(GOOGLE_HEALTH_CHECK_RANGES).toEqual(['35.191.0.0/16', '130.211.0.0/22']);
  });

  test('warns and leaves the policy as it is when the proxy-only subnet is unknown', () => {
    const { workloads } = gke(GatewayImplementation.gke());
    expect(ipBlocks(synthJson(workloads)).flat()).toEqual([]);
    expect(warningsOf(workloads).join('\n')).toContain('k8s-gke-gateway-network-policy');
  });

  test('does nothing, and does not warn, for a server without a NetworkPolicy', () => {
    const { workloads } = gke(GatewayImplementation.gke(), { networkPolicy: { enabled: false } });
    expect(resourcesOf(synthJson(workloads), 'kubernetes_network_policy_v1')).toEqual({});
    expect(warningsOf(workloads).join('\n')).not.toContain('k8s-gke-gateway-network-policy');
  });

  test('Istio adds nothing (its Envoy pods are in the cluster)', () => {
    const { workloads } = gke(GatewayImplementation.istio());
    expect(ipBlocks(synthJson(workloads)).flat()).toEqual([]);
    expect(GatewayImplementation.istio().loadBalancerSourceCidrs()).toEqual([]);
  });

  test('GatewayImplementation.gke throws for a proxy-only subnet that is not a CIDR of /26 or larger', () => {
    expect(() => GatewayImplementation.gke({ proxyOnlySubnetCidr: '10.10.0.0/27' })).toThrow(ValidationError);
    expect(() => GatewayImplementation.gke({ proxyOnlySubnetCidr: 'subnet' })).toThrow(/proxyOnlySubnetCidr/);
  });
});
