import { IConstruct } from 'constructs';
import { ValidationError } from '../errors';
import { TeamBudgets } from '../team-budgets';

/**
 * The `budgets` prop of a cloud's `TeamBudgetAlarms`, checked once for both clouds: a
 * declaration made by `TeamBudgets.declare` (which validated the teams), else a ValidationError
 * with code `type`.
 */
export function requireTeamBudgets(scope: IConstruct, budgets: unknown): TeamBudgets {
  if (!(budgets instanceof TeamBudgets)) {
    throw new ValidationError(`'budgets' must be a TeamBudgets (TeamBudgets.declare({...})).`, scope, 'type');
  }
  return budgets;
}
