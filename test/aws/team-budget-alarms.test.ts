import { AlertTopic, TeamBudgetAlarms } from '../../lib/aws';
import { TeamBudgets, ValidationError } from '../../lib/core';
import { resourcesOf, synthJson } from '../util';
import { awsStack, hasWarning } from './util';

const BUDGETS = TeamBudgets.declare({
  teams: [
    { team: 'search', monthlyLimitUsd: 20000, emails: ['search-leads@example.com'] },
    { team: 'research', monthlyLimitUsd: 60000, emails: ['research-leads@example.com'] },
  ],
});

describe('aws TeamBudgetAlarms', () => {
  test('one budget per team, filtered on the team tag, ids from the team names', () => {
    const stack = awsStack();
    new TeamBudgetAlarms(stack, 'TeamBudgets', { budgets: BUDGETS });
    const budgets = resourcesOf(synthJson(stack), 'aws_budgets_budget');
    const byTeam = Object.fromEntries(
      Object.entries(budgets).map(([k, b]: [string, any]) => [
        k.includes('Team-research') ? 'research' : 'search',
        b,
      ]),
    );
    expect(Object.keys(budgets).some((k) => k.includes('Team-search'))).toBe(true);
    expect(byTeam.search).toMatchObject({
      limit_amount: '20000.00',
      cost_filter: [{ name: 'TagKeyValue', values: ['user:team$search'] }],
    });
    expect(byTeam.research.cost_filter[0].values).toEqual(['user:team$research']);
    expect(byTeam.search.notification[0].subscriber_email_addresses).toEqual(['search-leads@example.com']);
  });

  test('activates the tag once when asked (default: not at all)', () => {
    const off = awsStack();
    new TeamBudgetAlarms(off, 'TeamBudgets', { budgets: BUDGETS });
    expect(resourcesOf(synthJson(off), 'aws_ce_cost_allocation_tag')).toEqual({});
    const on = awsStack();
    new TeamBudgetAlarms(on, 'TeamBudgets', { budgets: BUDGETS, activateCostAllocationTag: true });
    expect(Object.values(resourcesOf(synthJson(on), 'aws_ce_cost_allocation_tag'))).toEqual([
      { tag_key: 'team', status: 'Active' },
    ]);
  });

  test('notifies an imported topic (any IAlertTopic) from every team budget', () => {
    const stack = awsStack();
    const topicArn = 'arn:aws:sns:us-east-1:111122223333:ml-alerts';
    const topic = AlertTopic.fromTopicAttributes(stack, 'Alerts', { topicArn });
    new TeamBudgetAlarms(stack, 'TeamBudgets', { budgets: BUDGETS, topic });
    const budgets = Object.values(resourcesOf(synthJson(stack), 'aws_budgets_budget')) as any[];
    expect(budgets).toHaveLength(2);
    for (const b of budgets) {
      expect(b.notification.every((n: any) => n.subscriber_sns_topic_arns[0] === topicArn)).toBe(true);
    }
    // Its policy is not managed here: the owner is told to admit AWS Budgets.
    expect(hasWarning(stack, 'aws-alert-topic-imported')).toBe(true);
  });

  test('throws a ValidationError when budgets is not a TeamBudgets', () => {
    expect(() => new TeamBudgetAlarms(awsStack(), 'T', { budgets: {} as TeamBudgets })).toThrow(
      ValidationError,
    );
  });
});
