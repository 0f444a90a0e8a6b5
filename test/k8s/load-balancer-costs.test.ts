import { Testing, TerraformStack } from 'cdktf';
import { invokeAspects } from 'cdktf/lib/synthesize/synthesizer';
import { Construct } from 'constructs';
import { CostEstimate, CostLine, HOURS_PER_MONTH } from '../../lib/core';
import {
  addDerivedLoadBalancerCost,
  DerivedLoadBalancerKind,
  loadBalancerOfService,
} from '../../lib/core/private/derived-prices';
import {
  GatewayExposure,
  GatewayImplementation,
  InferenceGateway,
  InferenceGatewayPlatform,
  SlurmCluster,
  SlurmLoginServiceType,
  SlurmOperator,
} from '../../lib/k8s';
import { renderCostTables } from '../../lib/report';
import { platformAndWorkloads, warningsOf } from './helpers';

// Load balancers that controllers in the cluster create from what the library synthesizes
// (issue 11 §4): derived cost lines in the workloads stack's estimate.

function gateway(implementation: GatewayImplementation, exposure?: GatewayExposure, tls = true) {
  const { platform, workloads } = platformAndWorkloads();
  const gp = new InferenceGatewayPlatform(platform, 'InferenceGateway', { implementation });
  new InferenceGateway(workloads, 'Gateway', {
    platform: gp,
    ...(exposure ? { exposure } : {}),
    ...(tls ? { tls: { secretName: 'llm-tls' } } : {}),
  });
  return { workloads, lines: CostEstimate.of(workloads).lines };
}

const only = (lines: readonly CostLine[]) => {
  expect(lines).toHaveLength(1);
  return lines[0];
};

describe('load balancers of inference gateways', () => {
  test('GKE default (internal, gke-l7-rilb): one derived line, one proxy instance at $0.025/h (infracost), data processing left out', () => {
    const { workloads, lines } = gateway(GatewayImplementation.gke());
    const l = only(lines);
    expect(l).toMatchObject({
      constructPath: 'workloads/Gateway',
      item: 'regional internal Application Load Balancer, gke-l7-rilb (derived)',
      minQuantity: 1,
      maxQuantity: 1,
      pricingModel: 'ON_DEMAND',
      unitPrice: { usd: 0.025, region: 'us-central1', asOf: '2026-08-21' },
    });
    expect(l.unitPrice.source).toMatch(
      /^infracost\/infracost @ 95ba4f49 \(2026-08-21\) internal\/providers\/terraform\/google\/testdata\/compute_target_grpc_proxy_test\//,
    );
    expect(l.unitPrice.source).toMatch(/"Proxy instance \.\.\. \$0\.025 per hours"/);
    expect(l.unitPrice.source).toContain('https://cloud.google.com/load-balancing/pricing');
    expect(l.unitPrice.source).not.toMatch(/VERIFY/);
    expect(l.assumption).toMatch(
      /^derived: created by a controller in the cluster for Gateway 'default\/gateway' \(gke-l7-rilb\), not by Terraform/,
    );
    expect(l.assumption).toMatch(
      /one proxy instance counted \(\$0\.025\/h each; Google adds proxy instances as traffic grows/,
    );
    expect(l.assumption).toMatch(/no forwarding-rule charge/);
    expect(l.assumption).toMatch(/data processed \(\$0\.008\/GiB\) is usage-based and not included/);
    // quantity x unit price x 730 h: $18.25 a month; no unverified-price warning.
    expect(CostEstimate.of(workloads).summary().lines[0].monthlyUsd).toEqual({ min: 18.25, max: 18.25 });
    // cost-unverified-price is added at synth, by the stack's aspects.
    invokeAspects(workloads);
    expect(warningsOf(workloads).filter((w) => w.includes('cost-unverified-price'))).toEqual([]);
  });

  test('GKE external (gke-l7-regional-external-managed): one forwarding rule at $0.025/h, read on the pricing page', () => {
    const l = only(gateway(GatewayImplementation.gke(), GatewayExposure.external()).lines);
    expect(l.item).toBe(
      'regional external Application Load Balancer forwarding rule, gke-l7-regional-external-managed (derived)',
    );
    expect(l.unitPrice).toMatchObject({ usd: 0.025, asOf: '2026-12-03' });
    expect(l.unitPrice.source).toMatch(/^https:\/\/cloud\.google\.com\/load-balancing\/pricing/);
    expect(l.unitPrice.usd * HOURS_PER_MONTH).toBeCloseTo(18.25, 6);
  });

  test.each([
    ['through the AWS Load Balancer Controller', GatewayExposure.awsInternalNlb()],
    ['through the in-tree controller', GatewayExposure.awsInternalNlb({ awsLoadBalancerController: false })],
  ])('Istio with an internal NLB %s: an NLB line with NLCUs as the usage assumption', (_, exposure) => {
    const l = only(gateway(GatewayImplementation.istio(), exposure).lines);
    expect(l).toMatchObject({
      item: 'Network Load Balancer (derived)',
      unitPrice: { usd: 0.0225, region: 'us-east-1', asOf: '2026-08-21' },
    });
    expect(l.assumption).toMatch(/NLCU-hours \(\$0\.006 each/);
    expect(l.assumption).toMatch(/\(istio\)/);
  });

  test('Istio inside the cluster (ClusterIP, the default): no load balancer, no line', () => {
    const { lines, workloads } = gateway(GatewayImplementation.istio(), undefined, false);
    expect(lines).toHaveLength(0);
    expect(warningsOf(workloads).some((w) => w.includes('k8s-no-price'))).toBe(false);
  });

  test('Istio with a load balancer whose annotations name no cloud: warning k8s-no-price, no line', () => {
    const { lines, workloads } = gateway(
      GatewayImplementation.istio(),
      GatewayExposure.internalLoadBalancer(),
    );
    expect(lines).toHaveLength(0);
    expect(warningsOf(workloads).some((w) => w.includes('[cdktf-ai-infra:k8s-no-price]'))).toBe(true);
  });

  test('the workloads stack gets a cost table with the derived line', () => {
    const { workloads } = gateway(GatewayImplementation.gke());
    const md = renderCostTables([
      {
        name: 'workloads',
        dependencies: [],
        terraform: {},
        costEstimate: CostEstimate.of(workloads).summary(),
      },
    ]);
    expect(md).toContain(
      '`Gateway` regional internal Application Load Balancer, gke-l7-rilb (derived) | 1 | $0.025/h',
    );
    expect(md).toContain('#### workloads: $18 per month');
  });
});

describe('load balancer of the Slurm login Service', () => {
  function slurm(serviceType: SlurmLoginServiceType, serviceAnnotations?: Record<string, string>) {
    const { platform, workloads } = platformAndWorkloads();
    const operator = new SlurmOperator(platform, 'Slurm');
    new SlurmCluster(workloads, 'Research', {
      operator,
      login: {
        rootAuthorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ2x3kq alice@example.com'],
        serviceType,
        serviceAnnotations,
      },
    });
    return { workloads, lines: CostEstimate.of(workloads).lines };
  }

  test('LoadBalancer with the AWS Load Balancer Controller scheme annotation: an NLB', () => {
    const l = only(
      slurm(SlurmLoginServiceType.LOAD_BALANCER, {
        'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
      }).lines,
    );
    expect(l.constructPath).toBe('workloads/Research');
    expect(l.item).toBe('Network Load Balancer (derived)');
    expect(l.assumption).toMatch(/the Slurm login Service 'research-login'/);
  });

  test('LoadBalancer with GKE internal annotation: a passthrough NLB forwarding rule', () => {
    const l = only(
      slurm(SlurmLoginServiceType.LOAD_BALANCER, { 'networking.gke.io/load-balancer-type': 'Internal' })
        .lines,
    );
    expect(l.item).toBe('passthrough Network Load Balancer forwarding rule (derived)');
    expect(l.unitPrice.usd).toBe(0.025);
  });

  test('ClusterIP (the default) and NodePort: no line', () => {
    expect(slurm(SlurmLoginServiceType.CLUSTER_IP).lines).toHaveLength(0);
    expect(slurm(SlurmLoginServiceType.NODE_PORT).lines).toHaveLength(0);
  });
});

describe('loadBalancerOfService', () => {
  test.each<[Record<string, string>, DerivedLoadBalancerKind | undefined]>([
    [{ 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' }, DerivedLoadBalancerKind.AWS_NLB],
    [{ 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb-ip' }, DerivedLoadBalancerKind.AWS_NLB],
    [{ 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' }, DerivedLoadBalancerKind.AWS_NLB],
    [
      { 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip' },
      DerivedLoadBalancerKind.AWS_NLB,
    ],
    [{ 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' }, DerivedLoadBalancerKind.AWS_CLB],
    [{ 'networking.gke.io/load-balancer-type': 'Internal' }, DerivedLoadBalancerKind.GCP_PASSTHROUGH_NLB],
    [{ 'cloud.google.com/l4-rbs': 'enabled' }, DerivedLoadBalancerKind.GCP_PASSTHROUGH_NLB],
    [{}, undefined],
    [{ 'example.com/owner': 'ml' }, undefined],
  ])('%j -> %s', (annotations, kind) => {
    expect(loadBalancerOfService(annotations)).toBe(kind);
  });
});

describe('Google Cloud forwarding rules of a stack (first five as one block, then $0.01/h each)', () => {
  function rules(n: number, others: DerivedLoadBalancerKind[] = []) {
    const stack = new TerraformStack(Testing.app(), 'workloads');
    for (const kind of others) addDerivedLoadBalancerCost(new Construct(stack, `Other${kind}`), kind, kind);
    for (let i = 1; i <= n; i++) {
      const kind =
        i % 2 ? DerivedLoadBalancerKind.GCP_PASSTHROUGH_NLB : DerivedLoadBalancerKind.GCP_EXTERNAL_ALB;
      addDerivedLoadBalancerCost(new Construct(stack, `Lb${i}`), kind, `Service ${i}`);
    }
    const estimate = CostEstimate.of(stack);
    return { estimate, lines: estimate.lines.filter((l) => l.constructPath.startsWith('workloads/Lb')) };
  }

  test.each([
    [1, [0.025], 18.25],
    [5, [0.025, 0, 0, 0, 0], 18.25],
    [7, [0.025, 0, 0, 0, 0, 0.01, 0.01], 32.85],
  ])('%i rules: hourly prices %j, $%d a month', (n, prices, monthly) => {
    const { estimate, lines } = rules(n);
    expect(lines.map((l) => l.unitPrice.usd)).toEqual(prices);
    expect(estimate.monthlyUsd('max')).toBeCloseTo(monthly, 6);
    expect(lines[0].assumption).toMatch(
      /forwarding rule 1 of the stack: the block of a project and region's first 5 rules \(\$0\.025\/h together\)/,
    );
    for (const l of lines) {
      expect(l.unitPrice).toMatchObject({ region: 'us-central1', asOf: '2026-12-03' });
      expect(l.unitPrice.source).toMatch(/^https:\/\/cloud\.google\.com\/load-balancing\/pricing/);
      expect(l.unitPrice.source).toMatch(/compute_forwarding_rule_test\.golden/);
      expect(l.assumption).toMatch(/only ones in their project and region/);
    }
    if (n >= 2)
      expect(lines[1].assumption).toMatch(
        /forwarding rule 2 of the stack: in the first-5 block priced on workloads\/Lb1's line/,
      );
    if (n >= 6)
      expect(lines[5].assumption).toMatch(/forwarding rule 6 of the stack: beyond the first 5, \$0\.01\/h/);
  });

  test('AWS load balancers and the internal Application Load Balancer (billed apart) do not count', () => {
    const { lines } = rules(1, [
      DerivedLoadBalancerKind.GCP_INTERNAL_ALB,
      DerivedLoadBalancerKind.AWS_NLB,
      DerivedLoadBalancerKind.AWS_CLB,
    ]);
    expect(lines.map((l) => l.unitPrice.usd)).toEqual([0.025]);
  });

  test('each stack counts its own rules', () => {
    const app = Testing.app();
    const a = new TerraformStack(app, 'a');
    const b = new TerraformStack(app, 'b');
    addDerivedLoadBalancerCost(a, DerivedLoadBalancerKind.GCP_PASSTHROUGH_NLB, 'a');
    addDerivedLoadBalancerCost(b, DerivedLoadBalancerKind.GCP_PASSTHROUGH_NLB, 'b');
    expect(CostEstimate.of(b).lines[0].unitPrice.usd).toBe(0.025);
  });
});
