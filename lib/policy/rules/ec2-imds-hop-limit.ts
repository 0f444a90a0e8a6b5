import { PolicyRule } from '../rule';
import { block } from '../private/config';

/** Largest IMDS hop limit the rule accepts (2: pods on the node's network path may reach IMDS). */
export const MAX_IMDS_HOP_LIMIT = 2;

/**
 * `ec2-imds-hop-limit`: the IMDS response hop limit is at most 2.
 */
export const EC2_IMDS_HOP_LIMIT: PolicyRule = {
  id: 'ec2-imds-hop-limit',
  title: `The IMDS response hop limit is at most ${MAX_IMDS_HOP_LIMIT}`,
  rationale:
    'Hop limit 1 keeps pods away from the node role; 2 lets pods that need instance metadata (some exporters) reach it; more only widens who can. ' +
    'https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html',
  resourceTypes: ['aws_launch_template', 'aws_instance'],
  check: (r) => {
    const hops = block(r.config.metadata_options).http_put_response_hop_limit;
    return typeof hops === 'number' && hops > MAX_IMDS_HOP_LIMIT
      ? [`metadata_options.http_put_response_hop_limit is ${hops} (> ${MAX_IMDS_HOP_LIMIT})`]
      : [];
  },
};
