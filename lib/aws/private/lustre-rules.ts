import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';

/**
 * The security-group rules of an FSx for Lustre file system used by EKS nodes, in both
 * directions (FSx LustreGuide, "File system access control with Amazon VPC"): clients reach the
 * file servers, and the servers call back their clients, whose security group is the cluster
 * security group on every node. Construct ids are the callers' Terraform addresses: keep them.
 */
export function addLustreSecurityRules(
  scope: Construct,
  o: {
    readonly fileSystemSecurityGroupId: string;
    readonly clusterSecurityGroupId: string;
    readonly vpcCidr: string;
    readonly ports: ReadonlyArray<readonly [number, number]>;
    /** How the callback rule describes the file system (`from <path>`). */
    readonly serversWhat: string;
  },
): void {
  const sg = o.fileSystemSecurityGroupId;
  const directions = [
    { id: 'LustreSelf', to: sg, from: sg, what: 'between file servers' },
    { id: 'LustreNodes', to: sg, from: o.clusterSecurityGroupId, what: 'from EKS nodes' },
    { id: 'LustreServersToNodes', to: o.clusterSecurityGroupId, from: sg, what: o.serversWhat },
  ];
  for (const [fromPort, toPort] of o.ports) {
    const name = fromPort === toPort ? `${fromPort}` : `${fromPort}-${toPort}`;
    for (const d of directions) {
      new VpcSecurityGroupIngressRule(scope, `${d.id}${name}`, {
        securityGroupId: d.to,
        referencedSecurityGroupId: d.from,
        ipProtocol: 'tcp',
        fromPort,
        toPort,
        description: `Lustre ${name} ${d.what}`,
      });
    }
  }
  new VpcSecurityGroupEgressRule(scope, 'LustreEgress', {
    securityGroupId: sg,
    ipProtocol: '-1',
    cidrIpv4: o.vpcCidr,
    description: 'Lustre replies within the VPC',
  });
}
