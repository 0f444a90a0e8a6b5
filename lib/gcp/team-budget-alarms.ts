import { Construct } from 'constructs';
import { TeamBudgets, ValidationError } from '../core';
import { requireTeamBudgets } from '../core/private/team-budgets';
import { BudgetAlarm } from './budget-alarm';

/** Properties of {@link TeamBudgetAlarms}. */
export interface TeamBudgetAlarmsProps {
  /** The declaration (core `TeamBudgets.declare`). */
  readonly budgets: TeamBudgets;
  /** Billing account id, for example `012345-6789AB-CDEF01`. */
  readonly billingAccount: string;
  /** Project id (for the Pub/Sub topics and the e-mail channels). */
  readonly project: string;
  /** Project number the budgets are scoped to. */
  readonly projectNumber: string;
}

/**
 * One Cloud Billing budget per team of a core {@link TeamBudgets} declaration, each scoped to the
 * project and filtered on the team's billing label (`<tagKey>: <team>`), with the
 * {@link BudgetAlarm} thresholds, Pub/Sub topic and e-mail channels. Construct ids derive from the
 * team names (`Team-<team>`).
 *
 * Costs reach a team's budget only through resources labelled with the team (for GKE workloads,
 * GKE cost allocation exports namespace and pod labels to billing).
 *
 * @example
 * new TeamBudgetAlarms(stack, 'TeamBudgets', {
 *   budgets: TeamBudgets.declare({ teams: [{ team: 'search', monthlyLimitUsd: 20_000, emails: ['search-leads@example.com'] }] }),
 *   billingAccount: '012345-6789AB-CDEF01', project: 'acme-ml', projectNumber: '123456789012',
 * });
 */
export class TeamBudgetAlarms extends Construct {
  /** The budgets by team. */
  public readonly budgets: Record<string, BudgetAlarm> = {};

  constructor(scope: Construct, id: string, props: TeamBudgetAlarmsProps) {
    super(scope, id);
    const { tagKey, teams } = requireTeamBudgets(this, props?.budgets);
    // Each budget's Pub/Sub topic is named from its construct id, where '_' becomes '-'.
    const byTopic = new Map<string, string>();
    for (const t of teams) {
      const k = t.team.replace(/_/g, '-');
      const other = byTopic.get(k);
      if (other !== undefined) {
        throw new ValidationError(
          `'budgets' has teams '${other}' and '${t.team}': their budgets' Pub/Sub topics would get the same name ('_' and '-' are alike there). Rename one.`,
          this,
          'duplicate',
        );
      }
      byTopic.set(k, t.team);
    }
    for (const t of teams) {
      this.budgets[t.team] = new BudgetAlarm(this, TeamBudgets.constructId(t.team), {
        billingAccount: props.billingAccount,
        project: props.project,
        projectNumber: props.projectNumber,
        monthlyLimitUsd: t.monthlyLimitUsd,
        emails: t.emails,
        costAllocationTag: { key: tagKey, value: t.team },
        displayName: `${t.team} monthly budget`.slice(0, 60),
      });
    }
  }
}
