/**
 * The shapes of the policy module: a rule is a pure function of one synthesized Terraform
 * resource and a read-only view of its stack.
 */

/** How a pack treats a rule's findings. */
export enum PolicySeverity {
  /** An error annotation; `cdktf synth` and `Testing.synth(stack, true)` fail. */
  ERROR = 'error',
  /** A warning annotation; synthesis continues. */
  WARNING = 'warning',
}

/** One Terraform resource as it will be synthesized (tokens resolved to Terraform expressions). */
export interface PolicyResource {
  /** Terraform resource type, for example `aws_s3_bucket`. */
  readonly type: string;
  /** Logical id in the stack's JSON (`resource.<type>.<logicalId>`). */
  readonly logicalId: string;
  /** Terraform address, `<type>.<logicalId>`. */
  readonly address: string;
  /** Construct path of the resource. */
  readonly path: string;
  /**
   * The resource's synthesized arguments: snake_case keys as in `cdk.tf.json`, overrides and
   * meta-arguments (`lifecycle`, `depends_on`) included, references as `${type.id.attr}` strings.
   */
  readonly config: { readonly [key: string]: unknown };
}

/**
 * A rule: a stable id, a one-line title, the rationale shown in the docs, the Terraform resource
 * types it inspects and a pure check.
 *
 * @example
 * const noPublicIp: PolicyRule = {
 *   id: 'ec2-no-public-ip',
 *   title: 'Instances have no public IP address',
 *   rationale: 'GPU nodes sit in private subnets behind NAT.',
 *   resourceTypes: ['aws_instance'],
 *   check: (r) => (r.config.associate_public_ip_address === true ? ['associate_public_ip_address is true'] : []),
 * };
 */
export interface PolicyRule {
  /** Stable, kebab-case id used in annotations, suppressions and the report. */
  readonly id: string;
  /** What a compliant resource looks like, in one line. */
  readonly title: string;
  /** Why the rule exists, with the source of the fact. */
  readonly rationale: string;
  /** Terraform resource types the check is called for. */
  readonly resourceTypes: readonly string[];
  /**
   * Returns one message per violation found on `resource` (an empty list when it complies).
   * Must not modify anything.
   */
  readonly check: (resource: PolicyResource, stack: PolicyStackView) => readonly string[];
}

/** A read-only index of every resource of one stack, for rules that look across resources. */
export class PolicyStackView {
  private readonly byType = new Map<string, PolicyResource[]>();
  private readonly json = new Map<PolicyResource, string>();

  /** @param resources every resource of the stack */
  constructor(public readonly resources: readonly PolicyResource[]) {
    for (const r of resources) {
      const list = this.byType.get(r.type) ?? [];
      list.push(r);
      this.byType.set(r.type, list);
    }
  }

  /** Resources of the given Terraform types, in construct order. */
  public ofType(...types: string[]): PolicyResource[] {
    return types.flatMap((t) => this.byType.get(t) ?? []);
  }

  /** Whether any argument of `from` refers to an attribute of `to` (`${<to.address>.<attr>}`). */
  public refersTo(from: PolicyResource, to: PolicyResource): boolean {
    let text = this.json.get(from);
    if (text === undefined) {
      text = JSON.stringify(from.config);
      this.json.set(from, text);
    }
    return text.includes(`\${${to.address}.`) || text.includes(`\${${to.address}[`);
  }
}
