import { TeamBudgets, ValidationError } from '../../lib/core';
import { TeamBudgetAlarms } from '../../lib/gcp';
import { resourcesOf, synthJson } from '../util';
import { gcpStack, warningIds } from './helpers';

const ACCOUNT = { billingAccount: '012345-6789AB-CDEF01', project: 'acme-ml', projectNumber: '123456789012' };
const SEARCH = { team: 'search', monthlyLimitUsd: 20000, emails: ['search-leads@example.com'] };

describe('gcp TeamBudgetAlarms', () => {
  test('one budget per team, filtered on the team label', () => {
    const { stack } = gcpStack();
    new TeamBudgetAlarms(stack, 'TeamBudgets', {
      ...ACCOUNT,
      budgets: TeamBudgets.declare({ teams: [SEARCH, { ...SEARCH, team: 'research' }] }),
    });
    const budgets = Object.values(resourcesOf(synthJson(stack), 'google_billing_budget')) as any[];
    expect(budgets).toHaveLength(2);
    const search = budgets.find((b) => b.display_name.startsWith('search'));
    expect(search.budget_filter.labels).toEqual({ team: 'search' });
    expect(search.amount.specified_amount.units).toBe('20000');
  });

  test('raises no deprecated-api warning (it uses costAllocationTag, not the deprecated labelFilter)', () => {
    const { stack } = gcpStack();
    new TeamBudgetAlarms(stack, 'TeamBudgets', {
      ...ACCOUNT,
      budgets: TeamBudgets.declare({ teams: [SEARCH] }),
    });
    synthJson(stack);
    expect(warningIds(stack)).not.toContain('deprecated-api');
  });

  test('throws when two teams differ only by _ and - (their topics would collide)', () => {
    const { stack } = gcpStack();
    expect(
      () =>
        new TeamBudgetAlarms(stack, 'TeamBudgets', {
          ...ACCOUNT,
          budgets: TeamBudgets.declare({
            teams: [
              { ...SEARCH, team: 'a_b' },
              { ...SEARCH, team: 'a-b' },
            ],
          }),
        }),
    ).toThrow(ValidationError);
  });

  test('throws a ValidationError when budgets is not a TeamBudgets', () => {
    const { stack } = gcpStack();
    expect(() => new TeamBudgetAlarms(stack, 'T', { ...ACCOUNT, budgets: {} as TeamBudgets })).toThrow(
      ValidationError,
    );
  });
});
