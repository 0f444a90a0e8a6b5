import { PolicyRule } from '../rule';
import { ANYWHERE, block, bool, strings } from '../private/config';

/**
 * `eks-public-endpoint`: an EKS API endpoint is private, or public only to listed CIDRs.
 */
export const EKS_PUBLIC_ENDPOINT: PolicyRule = {
  id: 'eks-public-endpoint',
  title: 'EKS API endpoints are private, or public only to listed CIDRs',
  rationale:
    'EKS makes the endpoint public to 0.0.0.0/0 unless endpoint_public_access is false or public_access_cidrs is narrowed. ' +
    'https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html',
  resourceTypes: ['aws_eks_cluster'],
  check: (cluster) => {
    const vpc = block(cluster.config.vpc_config);
    if (bool(vpc.endpoint_public_access) === false) {
      return [];
    }
    const cidrs = strings(vpc.public_access_cidrs);
    if (cidrs.length === 0) {
      return [
        'the API endpoint is public (endpoint_public_access defaults to true) with no public_access_cidrs: open to 0.0.0.0/0',
      ];
    }
    const open = cidrs.filter((c) => ANYWHERE.includes(c));
    return open.length ? [`public_access_cidrs includes ${open.join(', ')}`] : [];
  },
};
