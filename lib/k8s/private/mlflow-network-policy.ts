import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { Validate, ValidationError } from '../../core';

/**
 * Link-local addresses a pod fetches its cloud credentials from over HTTP (port 80):
 * - `169.254.170.23`: the EKS Pod Identity Agent (hostNetwork, port 80), the
 *   `AWS_CONTAINER_CREDENTIALS_FULL_URI` host (EKS User Guide `pod-id-how-it-works`, in
 *   awsdocs/amazon-eks-user-guide `latest/ug/manage-access/aws-access/service-accounts.adoc`);
 * - `169.254.169.254`: the metadata server (the GKE metadata server with Workload Identity
 *   Federation for GKE, which answers on the Compute Engine metadata address).
 */
export const CREDENTIAL_ENDPOINT_CIDRS: readonly string[] = ['169.254.170.23/32', '169.254.169.254/32'];

/** A peer allowed by a NetworkPolicy rule, as the user gave it. */
export interface NetworkPolicyPeerInput {
  readonly namespace: string;
  readonly podLabels?: Record<string, string>;
}

/** An egress destination, as the user gave it. */
export interface NetworkPolicyEgressInput {
  readonly cidr: string;
  readonly port: number;
}

/** What the MLflow server's NetworkPolicy is built from (validated here). */
export interface MlflowPolicyInputs {
  readonly clients: readonly NetworkPolicyPeerInput[];
  readonly allowSameNamespace: boolean;
  readonly clientCidrs: readonly string[];
  readonly gatewayNamespace?: string;
  readonly databaseHost: string;
  readonly databasePort: number;
  readonly databaseCidrs?: readonly string[];
  readonly extraEgress: readonly NetworkPolicyEgressInput[];
}

/**
 * The ingress sources of the port (Terraform block names: they go into a lazy value) and the
 * `spec.egress` list (provider binding names).
 */
export interface MlflowPolicyRules {
  readonly ingressFrom: Array<Record<string, unknown>>;
  readonly egress: Array<Record<string, unknown>>;
}

const IPV4_LITERAL = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * Validates the inputs (errors name `networkPolicy.*` props) and renders the rules:
 * ingress sources of the HTTP port: the same namespace, the named namespaces / pods, the gateway's
 * namespace and CIDRs; egress to DNS, the database, HTTPS (object store, Secrets Manager, STS)
 * and the credential endpoints.
 */
export function mlflowPolicyRules(scope: IConstruct, inputs: MlflowPolicyInputs): MlflowPolicyRules {
  const peers: Array<Record<string, unknown>> = [];
  if (inputs.allowSameNamespace) peers.push({ pod_selector: {} });
  const seen = new Set<string>();
  inputs.clients.forEach((c, i) => {
    const prop = `networkPolicy.clients[${i}]`;
    Validate.object(scope, prop, c);
    const ns = Validate.k8sDnsLabel(scope, `${prop}.namespace`, c.namespace, { what: 'a namespace name' });
    const labels =
      c.podLabels === undefined ? undefined : Validate.k8sLabels(scope, `${prop}.podLabels`, c.podLabels);
    const key = JSON.stringify([ns, labels ?? null]);
    if (seen.has(key)) {
      throw new ValidationError(
        `'${prop}' repeats an earlier client (namespace '${ns}'): remove the duplicate.`,
        scope,
      );
    }
    seen.add(key);
    peers.push({
      namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': ns } },
      ...(labels && Object.keys(labels).length ? { pod_selector: { match_labels: labels } } : {}),
    });
  });
  if (inputs.gatewayNamespace !== undefined) {
    peers.push({
      namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': inputs.gatewayNamespace } },
    });
  }
  Validate.unique(scope, 'networkPolicy.clientCidrs', [...inputs.clientCidrs]);
  inputs.clientCidrs.forEach((c, i) => {
    Validate.cidr(scope, `networkPolicy.clientCidrs[${i}]`, c);
    peers.push({ ip_block: { cidr: c } });
  });

  let dbCidrs: string[];
  if (inputs.databaseCidrs !== undefined) {
    dbCidrs = Validate.array<string>(scope, 'networkPolicy.databaseCidrs', inputs.databaseCidrs as string[]);
    if (dbCidrs.length === 0) {
      throw new ValidationError(
        `'networkPolicy.databaseCidrs' is empty: the server could not reach its database. Give the database subnets' CIDR ` +
          `blocks (for example ['10.0.64.0/20']) or leave it unset.`,
        scope,
      );
    }
    dbCidrs.forEach((c, i) => Validate.cidr(scope, `networkPolicy.databaseCidrs[${i}]`, c));
    Validate.unique(scope, 'networkPolicy.databaseCidrs', dbCidrs);
  } else if (!Token.isUnresolved(inputs.databaseHost) && IPV4_LITERAL.test(inputs.databaseHost)) {
    dbCidrs = [`${inputs.databaseHost}/32`];
  } else {
    // A host name (RDS, Cloud SQL DNS) resolves at run time: the port is the only constraint.
    dbCidrs = ['0.0.0.0/0'];
  }
  const extra = Validate.array<NetworkPolicyEgressInput>(scope, 'networkPolicy.extraEgress', [
    ...inputs.extraEgress,
  ]);
  const extraRules = extra.map((e, i) => {
    Validate.object(scope, `networkPolicy.extraEgress[${i}]`, e);
    const cidr = Validate.cidr(scope, `networkPolicy.extraEgress[${i}].cidr`, e.cidr);
    const p = Validate.integer(scope, `networkPolicy.extraEgress[${i}].port`, e.port, { min: 1, max: 65535 });
    return { to: [{ ipBlock: { cidr } }], ports: [{ port: String(p), protocol: 'TCP' }] };
  });
  const egress: Array<Record<string, unknown>> = [
    // DNS: CoreDNS pods or a node-local cache on a link-local address, so any destination.
    {
      ports: [
        { port: '53', protocol: 'UDP' },
        { port: '53', protocol: 'TCP' },
      ],
    },
    {
      to: dbCidrs.map((cidr) => ({ ipBlock: { cidr } })),
      ports: [{ port: String(inputs.databasePort), protocol: 'TCP' }],
    },
    // The artifact bucket, Secrets Manager and STS (AWS), GCS and the token endpoints (GCP):
    // public endpoints whose addresses change, so HTTPS to any address.
    { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: '443', protocol: 'TCP' }] },
    {
      to: CREDENTIAL_ENDPOINT_CIDRS.map((cidr) => ({ ipBlock: { cidr } })),
      ports: [{ port: '80', protocol: 'TCP' }],
    },
    ...extraRules,
  ];
  return { ingressFrom: peers, egress };
}
