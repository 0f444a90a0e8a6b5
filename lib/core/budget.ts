import { IConstruct } from 'constructs';
import { ValidationError } from './errors';
import { Validate } from './validation';

/** A budget threshold: a fraction of the monthly limit, on actual or forecasted spend. */
export interface BudgetThreshold {
  /** Fraction of the budget, for example 0.9 for 90% (up to 10, 1000%). */
  readonly fraction: number;
  /**
   * Month-end forecast (`FORECASTED` / `FORECASTED_SPEND`) instead of actual spend.
   * @default false - actual spend
   */
  readonly forecasted?: boolean;
}

/**
 * The thresholds every budget alarm (AWS and GCP) notifies at unless told otherwise: 50%, 90%
 * and 100% of actual spend and 100% of forecasted spend. Early enough (50%) to act in a month of
 * GPU spend, and a forecast that warns before the limit is reached.
 */
export const DEFAULT_BUDGET_THRESHOLDS: readonly BudgetThreshold[] = [
  { fraction: 0.5 },
  { fraction: 0.9 },
  { fraction: 1.0 },
  { fraction: 1.0, forecasted: true },
];

/**
 * Validates budget thresholds, one implementation for every cloud: a non-empty list of at most
 * `maxCount` distinct thresholds with fractions in (0, 10].
 * @param prop the prop as the user wrote it (`thresholds`)
 * @param maxCount the cloud's documented limit of notifications per budget, if it has one
 * @returns the thresholds ({@link DEFAULT_BUDGET_THRESHOLDS} when undefined)
 */
export function resolveBudgetThresholds(
  scope: IConstruct,
  prop: string,
  thresholds: readonly BudgetThreshold[] | undefined,
  maxCount?: number,
): readonly BudgetThreshold[] {
  if (thresholds === undefined) return DEFAULT_BUDGET_THRESHOLDS;
  const list = Validate.array<BudgetThreshold>(scope, prop, thresholds);
  list.forEach((t, i) => {
    Validate.object(scope, `${prop}[${i}]`, t);
    Validate.number(scope, `${prop}[${i}].fraction`, t.fraction, {
      min: 0,
      exclusiveMin: true,
      max: 10,
      reason: 'a fraction of the limit (0.9 is 90%)',
    });
    if (t.forecasted !== undefined) Validate.boolean(scope, `${prop}[${i}].forecasted`, t.forecasted);
  });
  Validate.unique(
    scope,
    prop,
    list,
    (t) => `${t.fraction}:${t.forecasted ?? false}`,
    'each threshold is one notification',
  );
  if (list.length === 0) {
    throw new ValidationError(`'${prop}' is empty: give at least one, for example { fraction: 0.9 }.`, scope);
  }
  if (maxCount !== undefined && list.length > maxCount) {
    throw new ValidationError(
      `'${prop}' has ${list.length} thresholds; a budget takes at most ${maxCount} notifications: drop some.`,
      scope,
    );
  }
  return list;
}
