import { PolicyRule, PolicyStackView } from '../rule';
import { ANYWHERE, blocks, strings } from '../private/config';

const EFA_TYPES = ['efa', 'efa-only'];

/**
 * The security groups on EFA interfaces of the stack's launch templates, as written there
 * (`${aws_security_group.x.id}`, the cluster security group expression, or a literal id).
 */
function efaSecurityGroups(stack: PolicyStackView): Set<string> {
  const groups = new Set<string>();
  for (const lt of stack.ofType('aws_launch_template')) {
    for (const nic of blocks(lt.config.network_interfaces)) {
      if (EFA_TYPES.includes(String(nic.interface_type))) {
        strings(nic.security_groups).forEach((g) => groups.add(g));
      }
    }
  }
  return groups;
}

function open(cidrs: unknown[]): string[] {
  return cidrs.flatMap((c) => strings(c)).filter((c) => ANYWHERE.includes(c));
}

/**
 * `efa-open-ingress`: security groups on EFA interfaces admit no ingress from 0.0.0.0/0 or ::/0,
 * whether written inline (`ingress` blocks), as `aws_security_group_rule` or as
 * `aws_vpc_security_group_ingress_rule`, including rules added to the EKS cluster security group
 * when it is attached to EFA interfaces.
 */
export const EFA_OPEN_INGRESS: PolicyRule = {
  id: 'efa-open-ingress',
  title: 'Security groups of EFA interfaces admit no ingress from 0.0.0.0/0 or ::/0',
  rationale:
    'EFA needs all traffic between members of one self-referencing security group and nothing else; GPU training nodes open to the internet expose NCCL ports and node services. ' +
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa-start.html#efa-start-security',
  resourceTypes: ['aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'],
  check: (r, stack) => {
    const efa = efaSecurityGroups(stack);
    if (efa.size === 0) {
      return [];
    }
    if (r.type === 'aws_security_group') {
      const attached = [...efa].some((g) => g.includes(`\${${r.address}.`));
      return attached
        ? blocks(r.config.ingress)
            .map((i) => ({ i, cidrs: open([i.cidr_blocks, i.ipv6_cidr_blocks]) }))
            .filter(({ cidrs }) => cidrs.length > 0)
            .map(
              ({ i, cidrs }) =>
                `inline ingress ${String(i.from_port)}-${String(i.to_port)} admits ${cidrs.join(', ')}`,
            )
        : [];
    }
    if (r.type === 'aws_security_group_rule' && r.config.type !== 'ingress') {
      return [];
    }
    const group = r.config.security_group_id;
    if (typeof group !== 'string' || !efa.has(group)) {
      return [];
    }
    const cidrs =
      r.type === 'aws_security_group_rule'
        ? open([r.config.cidr_blocks, r.config.ipv6_cidr_blocks])
        : open([r.config.cidr_ipv4, r.config.cidr_ipv6]);
    return cidrs.length ? [`admits ${cidrs.join(', ')} to the EFA security group ${group}`] : [];
  },
};
