import { Construct } from 'constructs';
import { TeamBudgets } from '../core';
import { requireTeamBudgets } from '../core/private/team-budgets';
import { BudgetAlarm } from './budget-alarm';
import { IAlertTopic } from './interfaces';

/** Properties of {@link TeamBudgetAlarms}. */
export interface TeamBudgetAlarmsProps {
  /** The declaration (core `TeamBudgets.declare`). */
  readonly budgets: TeamBudgets;
  /**
   * A topic every team budget also notifies: an `AlertTopic` or an imported one
   * (`AlertTopic.fromTopicAttributes`, whose owner must admit AWS Budgets: a warning says how).
   * @default - e-mail only
   */
  readonly topic?: IAlertTopic;
  /**
   * Activate the team tag as a cost-allocation tag (`aws_ce_cost_allocation_tag`, once, in the
   * management account, after AWS has seen the tag): see `BudgetAlarmProps.activateCostAllocationTag`.
   * @default false
   */
  readonly activateCostAllocationTag?: boolean;
}

/**
 * One AWS Budgets cost budget per team of a core {@link TeamBudgets} declaration, each filtered on
 * the team's cost-allocation tag (`user:<tagKey>$<team>`), with the {@link BudgetAlarm} defaults
 * (80% and 100% actual, 100% forecasted). Construct ids derive from the team names
 * (`Team-<team>`), so adding, removing or reordering teams replaces no other budget.
 *
 * Resources reach a team's budget only when they carry the tag (for example
 * `Tags.of(stack).add('team', 'search')` on the team's stacks) and the tag is activated.
 *
 * @example
 * new TeamBudgetAlarms(stack, 'TeamBudgets', { budgets: TeamBudgets.declare({ teams: [
 *   { team: 'search', monthlyLimitUsd: 20_000, emails: ['search-leads@example.com'] },
 * ] }) });
 */
export class TeamBudgetAlarms extends Construct {
  /** The budgets by team. */
  public readonly budgets: Record<string, BudgetAlarm> = {};

  constructor(scope: Construct, id: string, props: TeamBudgetAlarmsProps) {
    super(scope, id);
    const { tagKey, teams } = requireTeamBudgets(this, props?.budgets);
    teams.forEach((t, i) => {
      this.budgets[t.team] = new BudgetAlarm(this, TeamBudgets.constructId(t.team), {
        monthlyLimitUsd: t.monthlyLimitUsd,
        emails: t.emails,
        topic: props.topic,
        costAllocationTag: { key: tagKey, value: t.team },
        // Activation is per tag key: once is enough.
        activateCostAllocationTag: i === 0 ? (props.activateCostAllocationTag ?? false) : false,
        budgetName: `${this.node.path.replace(/\//g, '-')}-${t.team}`.slice(-100),
      });
    });
  }
}
