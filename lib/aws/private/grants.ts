import { createHash } from 'crypto';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct as ConstructClass } from 'constructs';
import { Construct } from 'constructs';
import { DefaultTokenResolver, StringConcat, TerraformStack, Token, Tokenization } from 'cdktf';
import { Validate, ValidationError } from '../../core';
import type { IAwsRole } from '../interfaces';

/** An IAM policy statement. */
export interface PolicyStatement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string[];
  readonly Resource: string | string[];
}

/**
 * The grants one construct gives: one inline policy per role, whose construct id derives from
 * the role (its construct path, or its literal name), never from a counter, so reordering or
 * repeating grant calls never renames (and so replaces) a policy. Statements of several grants
 * to the same role are merged, duplicates dropped.
 */
export class RoleGrants {
  private readonly policies = new Map<
    string,
    { policy: IamRolePolicy; statements: Map<string, PolicyStatement[]> }
  >();

  constructor(private readonly scope: Construct) {}

  /**
   * Adds the statements of grant `method` to the policy of `role` (creating it) and returns the
   * policy; the same grant to the same role twice adds nothing.
   */
  public add(method: string, role: IAwsRole, statements: PolicyStatement[]): IamRolePolicy {
    const r = Validate.object<IAwsRole>(this.scope, `${method} role`, role);
    Validate.string(this.scope, `${method} role.roleName`, r.roleName);
    const key = roleKey(this.scope, r);
    if (key === undefined) {
      throw new ValidationError(
        `${method}: the role has no construct path and its roleName is an unresolved value: pass the role construct ` +
          `(EksCluster.nodeRole, a WorkloadRole) or { roleName: '<literal name>', roleArn } for a role the app does not own.`,
        this.scope,
      );
    }
    const entry = this.policies.get(key);
    if (entry?.statements.has(method)) {
      return entry.policy;
    }
    const merged = entry?.statements ?? new Map<string, PolicyStatement[]>();
    merged.set(method, statements);
    // The document of every grant so far, set again on each new grant (a plain string rather than
    // a Lazy: no token to create and resolve).
    const document = JSON.stringify({ Version: '2012-10-17', Statement: [...merged.values()].flat() });
    if (entry) {
      entry.policy.policy = document;
      return entry.policy;
    }
    const policy = new IamRolePolicy(this.scope, grantPolicyId(key), { role: r.roleName, policy: document });
    this.policies.set(key, { policy, statements: merged });
    return policy;
  }
}

/**
 * What identifies a role across syntheses: its construct path, its literal name, or the
 * Terraform reference its name resolves to (`${aws_iam_role.<logical id>.name}`, stable as long
 * as the role's own address is).
 */
function roleKey(scope: Construct, role: IAwsRole): string | undefined {
  if (ConstructClass.isConstruct(role)) {
    return `construct:${role.node.path}`;
  }
  if (!Token.isUnresolved(role.roleName)) {
    return `name:${role.roleName}`;
  }
  let resolved: unknown;
  try {
    resolved = Tokenization.resolve(role.roleName, {
      scope: TerraformStack.of(scope),
      preparing: false,
      resolver: new DefaultTokenResolver(new StringConcat()),
    });
  } catch {
    return undefined;
  }
  const m = typeof resolved === 'string' ? /^\$\{([A-Za-z0-9_.-]+)\}$/.exec(resolved) : null;
  return m ? `ref:${m[1]}` : undefined;
}

/** `Grant<RoleWord><hash>`: readable, and stable for the same role. */
function grantPolicyId(key: string): string {
  const body = key.replace(/^(construct|name|ref):/, '');
  // A reference `aws_iam_role.Cluster_NodeRole_D6BFCFE8.name` reads as `ClusterNodeRole`.
  const tail = key.startsWith('ref:')
    ? (body.split('.')[1] ?? '').replace(/_[0-9A-F]{8}$/, '')
    : (body.split('/').pop() ?? '');
  const word = tail.replace(/[^A-Za-z0-9]/g, '').slice(0, 40);
  return `Grant${word}${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
}
