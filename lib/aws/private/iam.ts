import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct, IConstruct } from 'constructs';
import { awsPartition } from './partition';

/** ARN of an AWS managed policy, in the stack's partition. */
export function managedPolicyArn(scope: IConstruct, name: string): string {
  return `arn:${awsPartition(scope)}:iam::aws:policy/${name}`;
}

/** A trust policy letting an AWS service assume a role. */
export function serviceTrustPolicy(service: string, actions: string[] = ['sts:AssumeRole']): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: actions }],
  });
}

/**
 * A role for an AWS service with managed policies attached; returns the role, its name (read
 * once: every attribute read creates a cdktf token) and the attachments.
 */
export function serviceRole(
  scope: Construct,
  id: string,
  service: string,
  managedPolicies: string[],
  actions?: string[],
): { role: IamRole; name: string; attachments: IamRolePolicyAttachment[] } {
  const role = new IamRole(scope, id, {
    assumeRolePolicy: serviceTrustPolicy(service, actions),
    description: `${scope.node.path}/${id}`.slice(0, 1000),
  });
  const name = role.name;
  const attachments = managedPolicies.map(
    (p) =>
      new IamRolePolicyAttachment(scope, `${id}${p.replace(/[^A-Za-z0-9]/g, '')}`, {
        role: name,
        policyArn: managedPolicyArn(scope, p),
      }),
  );
  return { role, name, attachments };
}
