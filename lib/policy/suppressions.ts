import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { VALIDATION_CODES, ValidationError } from '../core';

/** Construct metadata type under which a suppression is recorded. */
export const POLICY_SUPPRESSION_METADATA = 'cdktf-ai-infra:policy-suppression';

/** Shortest reason a suppression accepts. */
export const MIN_SUPPRESSION_REASON_LENGTH = 10;

/** A recorded suppression: which rule, why, and where it was added. */
export interface PolicySuppression {
  /** The rule id. */
  readonly ruleId: string;
  /** Why the finding does not apply, as the user wrote it. */
  readonly reason: string;
  /** Construct path of the scope the suppression was added to. */
  readonly scopePath: string;
}

/**
 * Suppressions of policy findings, each with a recorded reason, in the manner of cdk-nag's
 * `NagSuppressions`. A suppression on a construct covers every resource below it; one on the
 * stack covers the whole stack. Suppressed findings stay in the report with their reason.
 *
 * @example
 * PolicySuppressions.addResourceSuppression(checkpoints, 'fsx-kms-encryption',
 *   'Scratch data only; the AWS managed key is accepted by the data owner (SEC-1234).');
 * PolicySuppressions.addStackSuppression(stack, 'image-pinned', 'Dev stack tracks nightly images on purpose.');
 */
export class PolicySuppressions {
  /**
   * Suppresses `ruleId` on `scope` and every construct below it.
   * @param ruleId a rule id of this library (`s3-public-access`, ...) or of a custom rule
   * @param reason why the finding does not apply; at least 10 characters, recorded in the report
   */
  public static addResourceSuppression(scope: IConstruct, ruleId: string, reason: string): void {
    PolicySuppressions.check(scope, ruleId, reason);
    scope.node.addMetadata(POLICY_SUPPRESSION_METADATA, { ruleId, reason: reason.trim() });
  }

  /** Suppresses `ruleId` for every resource of `stack`. */
  public static addStackSuppression(stack: TerraformStack, ruleId: string, reason: string): void {
    PolicySuppressions.addResourceSuppression(stack, ruleId, reason);
  }

  /** The suppression of `ruleId` that covers `scope` (the nearest one), if any. */
  public static find(scope: IConstruct, ruleId: string): PolicySuppression | undefined {
    for (const s of [...scope.node.scopes].reverse()) {
      const m = s.node.metadata.find(
        (e) => e.type === POLICY_SUPPRESSION_METADATA && (e.data as { ruleId: string }).ruleId === ruleId,
      );
      if (m) {
        const data = m.data as { ruleId: string; reason: string };
        return { ruleId: data.ruleId, reason: data.reason, scopePath: s.node.path };
      }
    }
    return undefined;
  }

  private static check(scope: IConstruct, ruleId: string, reason: string): void {
    if (typeof ruleId !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(ruleId)) {
      throw new ValidationError(
        `policy suppression rule id '${String(ruleId)}' is not a rule id: use the kebab-case id from the finding, for example 's3-public-access'.`,
        scope,
        VALIDATION_CODES.POLICY_RULE_ID,
      );
    }
    if (typeof reason !== 'string' || reason.trim().length < MIN_SUPPRESSION_REASON_LENGTH) {
      throw new ValidationError(
        `suppression of '${ruleId}' needs a 'reason' of at least ${MIN_SUPPRESSION_REASON_LENGTH} characters, got '${String(reason ?? '')}': say why the rule does not apply here.`,
        scope,
        VALIDATION_CODES.POLICY_SUPPRESSION_REASON,
      );
    }
  }

  private constructor() {}
}
