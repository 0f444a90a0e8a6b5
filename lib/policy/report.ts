import { PolicySeverity } from './rule';

/** One finding: a rule a resource breaks, with its severity or the suppression that silenced it. */
export interface PolicyFinding {
  /** The rule id. */
  readonly ruleId: string;
  /** The severity the pack gives the rule. */
  readonly severity: PolicySeverity;
  /** Terraform resource type. */
  readonly resourceType: string;
  /** Terraform address (`<type>.<logicalId>`). */
  readonly address: string;
  /** Construct path of the resource. */
  readonly constructPath: string;
  /** What is wrong. */
  readonly message: string;
  /** Whether a suppression covers the finding. */
  readonly suppressed: boolean;
  /** The suppression's recorded reason, when suppressed. */
  readonly suppressionReason?: string;
  /** Construct path of the scope the suppression was added to, when suppressed. */
  readonly suppressedAt?: string;
}

/** The result of evaluating a pack on a stack: every finding, suppressed ones included. */
export class PolicyReport {
  /** File name of the report written next to a stack's `cdk.tf.json`. */
  public static readonly FILE_NAME = 'policy-report.json';

  /**
   * @param stackName the stack's id (its directory under `cdktf.out/stacks/`)
   * @param pack the pack's name
   * @param findings every finding, in construct order
   */
  constructor(
    public readonly stackName: string,
    public readonly pack: string,
    public readonly findings: readonly PolicyFinding[],
  ) {}

  /** Unsuppressed findings of error severity. */
  public get errors(): PolicyFinding[] {
    return this.findings.filter((f) => !f.suppressed && f.severity === PolicySeverity.ERROR);
  }

  /** Unsuppressed findings of warning severity. */
  public get warnings(): PolicyFinding[] {
    return this.findings.filter((f) => !f.suppressed && f.severity === PolicySeverity.WARNING);
  }

  /** Suppressed findings. */
  public get suppressed(): PolicyFinding[] {
    return this.findings.filter((f) => f.suppressed);
  }

  /**
   * The report as JSON: the stack, the pack, counts, and one row per finding (suppressed ones
   * with their reason), sorted by rule id and address so it diffs well in review.
   */
  public toJson(): string {
    const rows = [...this.findings].sort(
      (a, b) =>
        a.ruleId.localeCompare(b.ruleId) ||
        a.address.localeCompare(b.address) ||
        a.message.localeCompare(b.message),
    );
    return (
      JSON.stringify(
        {
          stack: this.stackName,
          pack: this.pack,
          summary: {
            errors: this.errors.length,
            warnings: this.warnings.length,
            suppressed: this.suppressed.length,
          },
          findings: rows.map((f) => ({
            ruleId: f.ruleId,
            severity: f.severity,
            status: f.suppressed ? 'suppressed' : f.severity,
            resourceType: f.resourceType,
            address: f.address,
            constructPath: f.constructPath,
            message: f.message,
            ...(f.suppressed ? { suppressionReason: f.suppressionReason, suppressedAt: f.suppressedAt } : {}),
          })),
        },
        null,
        2,
      ) + '\n'
    );
  }
}
