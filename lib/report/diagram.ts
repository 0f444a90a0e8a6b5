import type { SynthesizedStack, TerraformBlock } from './synth-output';

/**
 * The role a Terraform type plays in a diagram, matched in order against the type name (the
 * provider prefix included). The last role catches everything else.
 */
const ROLES: ReadonlyArray<{ readonly role: string; readonly match: RegExp }> = [
  { role: 'cost', match: /^(aws_budgets_|aws_ce_|google_billing_)/ },
  {
    role: 'observability',
    match: /^(aws_prometheus_|aws_cloudwatch_|aws_sns_|google_monitoring_|google_logging_|google_pubsub_)/,
  },
  {
    role: 'identity and keys',
    match:
      /^(aws_iam_|aws_kms_|aws_eks_access_|aws_eks_pod_identity_|aws_caller_identity$|aws_partition$|aws_region$|google_service_account|google_project_iam_|google_kms_|google_client_config$|.*_iam_member$|.*_iam_binding$)/,
  },
  {
    role: 'network',
    match:
      /^(aws_vpc|aws_subnet|aws_route|aws_internet_gateway|aws_nat_gateway|aws_eip|aws_security_group|aws_placement_group|google_compute_(network|subnetwork|router|firewall|address|global_address|resource_policy))/,
  },
  {
    role: 'compute',
    match: /^(aws_eks_|aws_launch_template|aws_ec2_|google_container_|google_compute_reservation)/,
  },
  {
    role: 'storage and registries',
    match: /^(aws_s3_|aws_fsx_|aws_ecr_|google_storage_|google_artifact_registry_)/,
  },
  { role: 'kubernetes', match: /^(kubernetes_|helm_)/ },
];
const OTHER = 'other';

/** The diagram role of a Terraform resource or data type. */
export function roleOf(terraformType: string): string {
  return ROLES.find((r) => r.match.test(terraformType))?.role ?? OTHER;
}

function mermaidId(...parts: string[]): string {
  return parts.join('__').replace(/[^A-Za-z0-9_]/g, '_');
}

function label(text: string): string {
  return text.replace(/"/g, '#quot;');
}

interface DiagramNode {
  readonly id: string;
  readonly stack: string;
  readonly role: string;
  readonly construct: string;
  readonly types: Map<string, number>;
}

interface Address {
  readonly address: string; // `aws_vpc.Network_Resource_1234` or `data.aws_caller_identity.X`
  readonly node: DiagramNode;
  readonly body: unknown;
}

const REF = /\b(data\.[a-z0-9_]+\.[A-Za-z0-9_-]+|[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z0-9_-]+)/g;

function references(body: unknown): string[] {
  const found: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const expr of v.match(/\$\{[^}]*\}/g) ?? []) {
        for (const m of expr.matchAll(REF)) found.push(m[1]);
      }
    } else if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) if (k !== '//') walk(x);
    }
  };
  walk(body);
  return found;
}

/**
 * A Mermaid flowchart of synthesized stacks: one box per stack, inside it one box per role
 * (network, compute, identity and keys, storage and registries, observability, cost,
 * kubernetes, providers), inside those one node per top-level construct with the Terraform
 * types it defines. Solid arrows are references (`A --> B`: A reads an attribute of B, across
 * stacks too, through cdktf's cross-stack outputs); dotted arrows between stacks are the
 * deployment order (`A -.-> B`: A is deployed after B).
 *
 * @param stacks stacks read by {@link readSynthOutput}
 */
export function renderDiagram(stacks: readonly SynthesizedStack[]): string {
  const nodes = new Map<string, DiagramNode>();
  const addresses = new Map<string, Address>(); // key: `${stack}|${address}`
  const outputsOf = new Map<string, Map<string, unknown>>(); // stack -> output name -> value

  const nodeFor = (stack: string, construct: string, role: string): DiagramNode => {
    const id = mermaidId(stack, role, construct);
    let n = nodes.get(id);
    if (!n) {
      n = { id, stack, role, construct, types: new Map() };
      nodes.set(id, n);
    }
    return n;
  };

  for (const s of stacks) {
    outputsOf.set(s.name, new Map(Object.entries(s.terraform.output ?? {}).map(([k, v]) => [k, v.value])));
    for (const kind of ['resource', 'data'] as const) {
      for (const [type, blocks] of Object.entries(s.terraform[kind] ?? {})) {
        if (type === 'terraform_remote_state') continue; // drawn as cross-stack arrows
        for (const [name, block] of Object.entries(blocks as Record<string, TerraformBlock>)) {
          const path = block['//']?.metadata?.path ?? `${s.name}/${name}`;
          const construct = path.split('/')[1] ?? name;
          const node = nodeFor(s.name, construct, roleOf(type));
          const shown = kind === 'data' ? `data.${type}` : type;
          node.types.set(shown, (node.types.get(shown) ?? 0) + 1);
          const address = kind === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
          addresses.set(`${s.name}|${address}`, { address, node, body: block });
        }
      }
    }
    for (const [provider, configs] of Object.entries(s.terraform.provider ?? {})) {
      const node = nodeFor(s.name, 'providers', 'providers');
      node.types.set(`provider ${provider}`, 1);
      addresses.set(`${s.name}|provider.${provider}`, {
        address: `provider.${provider}`,
        node,
        body: configs,
      });
    }
  }

  // Cross-stack: `data.terraform_remote_state.<input>.outputs.<output>` resolves to the producing
  // stack's output, whose value references the producing resource.
  const remoteStateProducer = (input: string): string | undefined =>
    stacks.find((p) => input === `cross-stack-reference-input-${p.name}`)?.name;

  const edges = new Set<string>();
  for (const s of stacks) {
    for (const [key, a] of addresses) {
      if (!key.startsWith(`${s.name}|`)) continue;
      const raw = JSON.stringify(a.body);
      for (const m of raw.matchAll(
        /data\.terraform_remote_state\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g,
      )) {
        const producer = remoteStateProducer(m[1]);
        const value = producer ? outputsOf.get(producer)?.get(m[2]) : undefined;
        for (const ref of references(value)) {
          const target = addresses.get(`${producer}|${ref}`);
          if (target) edges.add(`${a.node.id} --> ${target.node.id}`);
        }
      }
      for (const ref of references(a.body)) {
        const target = addresses.get(`${s.name}|${ref}`);
        if (target && target.node !== a.node) edges.add(`${a.node.id} --> ${target.node.id}`);
      }
    }
  }

  const lines = ['flowchart TB'];
  for (const s of stacks) {
    const sid = mermaidId(s.name);
    lines.push(`  subgraph ${sid}["stack ${label(s.name)}"]`);
    const stackNodes = [...nodes.values()].filter((n) => n.stack === s.name);
    const roles = [...ROLES.map((r) => r.role), 'providers', OTHER].filter((r) =>
      stackNodes.some((n) => n.role === r),
    );
    for (const role of roles) {
      lines.push(`    subgraph ${mermaidId(s.name, role)}["${label(role)}"]`);
      for (const n of stackNodes
        .filter((x) => x.role === role)
        .sort((x, y) => x.construct.localeCompare(y.construct))) {
        const types = [...n.types.entries()]
          .sort(([x], [y]) => x.localeCompare(y))
          .map(([t, c]) => (c > 1 ? `${t} x${c}` : t));
        const shown = types.length > 4 ? [...types.slice(0, 4), `+${types.length - 4} more`] : types;
        const title = n.role === 'providers' ? 'providers' : n.construct;
        lines.push(`      ${n.id}["<b>${label(title)}</b><br/>${label(shown.join('<br/>'))}"]`);
      }
      lines.push('    end');
    }
    lines.push('  end');
  }
  lines.push(...[...edges].sort().map((e) => `  ${e}`));
  for (const s of stacks) {
    for (const d of s.dependencies) {
      if (stacks.some((x) => x.name === d))
        lines.push(`  ${mermaidId(s.name)} -. deployed after .-> ${mermaidId(d)}`);
    }
  }
  return lines.join('\n') + '\n';
}
