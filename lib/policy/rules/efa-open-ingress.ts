import { PolicyResource, PolicyRule, PolicyStackView } from '../rule';
import { ANYWHERE, blocks, strings } from '../private/config';

const EFA_TYPES = ['efa', 'efa-only'];

/** The security groups attached to EFA interfaces of the stack's launch templates. */
function efaSecurityGroups(stack: PolicyStackView): Set<PolicyResource> {
  const groups = stack.ofType('aws_security_group');
  const attached = new Set<PolicyResource>();
  for (const lt of stack.ofType('aws_launch_template')) {
    for (const nic of blocks(lt.config.network_interfaces)) {
      if (!EFA_TYPES.includes(String(nic.interface_type))) {
        continue;
      }
      const refs = JSON.stringify(strings(nic.security_groups));
      for (const g of groups) {
        if (refs.includes(`\${${g.address}.`)) {
          attached.add(g);
        }
      }
    }
  }
  return attached;
}

/**
 * `efa-open-ingress`: security groups on EFA interfaces admit no ingress from 0.0.0.0/0 or ::/0
 * (inline `ingress`, `aws_security_group_rule` or `aws_vpc_security_group_ingress_rule`).
 */
export const EFA_OPEN_INGRESS: PolicyRule = {
  id: 'efa-open-ingress',
  title: 'Security groups of EFA interfaces admit no ingress from 0.0.0.0/0 or ::/0',
  rationale:
    'EFA needs all traffic between members of one self-referencing security group and nothing else; GPU training nodes exposed to the internet leak NCCL ports and node services. ' +
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa-start.html#efa-start-security',
  resourceTypes: ['aws_security_group'],
  check: (sg, stack) => {
    if (!efaSecurityGroups(stack).has(sg)) {
      return [];
    }
    const problems: string[] = [];
    for (const i of blocks(sg.config.ingress)) {
      const open = [...strings(i.cidr_blocks), ...strings(i.ipv6_cidr_blocks)].filter((c) =>
        ANYWHERE.includes(c),
      );
      if (open.length) {
        problems.push(`inline ingress ${String(i.from_port)}-${String(i.to_port)} admits ${open.join(', ')}`);
      }
    }
    for (const r of stack.ofType('aws_security_group_rule')) {
      if (r.config.type === 'ingress' && stack.refersTo(r, sg)) {
        const open = [...strings(r.config.cidr_blocks), ...strings(r.config.ipv6_cidr_blocks)].filter((c) =>
          ANYWHERE.includes(c),
        );
        if (open.length) {
          problems.push(`${r.address} admits ${open.join(', ')}`);
        }
      }
    }
    for (const r of stack.ofType('aws_vpc_security_group_ingress_rule')) {
      if (String(r.config.security_group_id).includes(`\${${sg.address}.`)) {
        const open = [r.config.cidr_ipv4, r.config.cidr_ipv6].filter((c) => ANYWHERE.includes(String(c)));
        if (open.length) {
          problems.push(`${r.address} admits ${open.join(', ')}`);
        }
      }
    }
    return problems;
  },
};
