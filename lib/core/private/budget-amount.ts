import { Lazy } from 'cdktf';
import { IConstruct } from 'constructs';
import { ValidationError } from '../errors';

/** How a cloud writes a budget's amount: what {@link budgetAmount} needs. */
export interface BudgetAmountOptions {
  /** Writes USD as the cloud's API takes them (`'1234.50'` on AWS, whole units on Google Cloud). */
  readonly format: (usd: number) => string;
  /** The stack's monthly cost estimate at maximum scale, read at synth. */
  readonly maxMonthlyUsd: () => number;
  /** The end of the error when nothing is priced, after "...the stack's cost estimate is empty". */
  readonly whenEmpty: string;
}

/**
 * The amount of a monthly budget, one implementation for every cloud: `monthlyLimitUsd` when
 * given, else the stack's cost estimate at maximum scale, resolved at synth so node pools added
 * after the budget count; a ValidationError then when the estimate is empty.
 */
export function budgetAmount(
  scope: IConstruct,
  monthlyLimitUsd: number | undefined,
  o: BudgetAmountOptions,
): string {
  if (monthlyLimitUsd !== undefined) return o.format(monthlyLimitUsd);
  return Lazy.stringValue({
    produce: () => {
      const usd = o.maxMonthlyUsd();
      if (!(usd > 0)) {
        throw new ValidationError(
          `'monthlyLimitUsd' is not set and the stack's cost estimate is empty${o.whenEmpty}`,
          scope,
        );
      }
      return o.format(usd);
    },
  });
}
