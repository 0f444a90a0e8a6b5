import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';

/** What {@link addEfaSecurityGroup} creates. */
export interface EfaSecurityGroupOptions {
  /** Construct id of the security group. */
  readonly id: string;
  /** Prefix of the rules' construct ids (`<prefix>SelfIngress`, `<prefix>SelfEgress`). */
  readonly rulePrefix: string;
  /** The VPC. */
  readonly vpcId: string;
  /** The security group's description. */
  readonly description: string;
  /** Its `Name` tag. */
  readonly name: string;
}

/** The security group {@link addEfaSecurityGroup} created, and its id. */
export interface EfaSecurityGroup {
  /** The security group. */
  readonly securityGroup: SecurityGroup;
  /** `securityGroup.id`, read once: each attribute read creates a cdktf token. */
  readonly id: string;
}

/**
 * The security group EFA needs: all inbound and outbound traffic to and from the group itself, as
 * the EFA guide requires, with the ingress and egress rules as separate resources.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa-start.html
 */
export function addEfaSecurityGroup(scope: Construct, o: EfaSecurityGroupOptions): EfaSecurityGroup {
  const sg = new SecurityGroup(scope, o.id, {
    vpcId: o.vpcId,
    description: o.description,
    tags: { Name: o.name },
  });
  const id = sg.id; // read once: each read creates a cdktf token
  new VpcSecurityGroupIngressRule(scope, `${o.rulePrefix}SelfIngress`, {
    securityGroupId: id,
    referencedSecurityGroupId: id,
    ipProtocol: '-1',
    description: 'EFA: all traffic from itself',
  });
  new VpcSecurityGroupEgressRule(scope, `${o.rulePrefix}SelfEgress`, {
    securityGroupId: id,
    referencedSecurityGroupId: id,
    ipProtocol: '-1',
    description: 'EFA: all traffic to itself',
  });
  return { securityGroup: sg, id };
}
