import { ValidationError } from './errors';
import { Validate } from './validation';

/** One team's monthly budget. */
export interface TeamBudget {
  /**
   * The team: the value of the team tag (AWS) or label (Google Cloud) its resources carry.
   * Lower-case letters, digits, `-` and `_`, at most 63 characters (valid on both clouds).
   */
  readonly team: string;
  /** Monthly limit, USD. */
  readonly monthlyLimitUsd: number;
  /** Who is notified (at most 5: the stricter of the two clouds' limits). */
  readonly emails: string[];
}

/** Options of {@link TeamBudgets.declare}. */
export interface TeamBudgetsOptions {
  /** The teams. */
  readonly teams: TeamBudget[];
  /**
   * The tag (AWS cost-allocation tag) or label (Google Cloud billing label) key that names the
   * team on every resource, and the namespace label of `MonitoringStackProps.costAllocation`.
   * @default 'team'
   */
  readonly tagKey?: string;
}

/** Most e-mail recipients per team: Google Cloud budgets notify at most 5 channels, AWS 10. */
export const MAX_TEAM_BUDGET_EMAILS = 5;

const TEAM = /^[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?$/;

/**
 * Budgets per team, declared once and rendered by each cloud: `aws.TeamBudgetAlarms` (AWS
 * Budgets filtered by the team tag) and `gcp.TeamBudgetAlarms` (Cloud Billing budgets filtered by
 * the team label). The team names are valid tag and label values on both clouds, so one
 * declaration serves both.
 *
 * @example
 * const budgets = TeamBudgets.declare({
 *   teams: [
 *     { team: 'search', monthlyLimitUsd: 20_000, emails: ['search-leads@example.com'] },
 *     { team: 'research', monthlyLimitUsd: 60_000, emails: ['research-leads@example.com'] },
 *   ],
 * });
 */
export class TeamBudgets {
  /** Validates and returns the declaration. */
  public static declare(options: TeamBudgetsOptions): TeamBudgets {
    return new TeamBudgets(options);
  }

  /** The tag or label key. */
  public readonly tagKey: string;
  /** The teams, in the order declared. */
  public readonly teams: readonly TeamBudget[];

  private constructor(options: TeamBudgetsOptions) {
    Validate.object(undefined, 'TeamBudgets', options);
    this.tagKey = options.tagKey ?? 'team';
    Validate.string(undefined, 'tagKey', this.tagKey);
    // A Google Cloud label key (the stricter rule): lower-case letter first, then lower-case
    // letters, digits, '_' and '-', at most 63 characters.
    if (!/^[a-z][a-z0-9_-]{0,62}$/.test(this.tagKey)) {
      throw new ValidationError(
        `'tagKey' ('${this.tagKey}') must be a valid Google Cloud label key and AWS tag key: a lower-case letter, then up to 62 lower-case letters, digits, '_' or '-', for example 'team'.`,
      );
    }
    const teams = Validate.array<TeamBudget>(undefined, 'teams', options.teams);
    if (teams.length === 0) {
      throw new ValidationError(`'teams' is empty: declare at least one team budget.`);
    }
    teams.forEach((t, i) => {
      Validate.object(undefined, `teams[${i}]`, t);
      Validate.string(undefined, `teams[${i}].team`, t.team);
      if (!TEAM.test(t.team)) {
        throw new ValidationError(
          `'teams[${i}].team' ('${t.team}') must be 1-63 lower-case letters, digits, '-' or '_', starting and ending with a letter or digit (a tag and label value on both clouds), for example 'search'.`,
        );
      }
      Validate.number(undefined, `teams[${i}].monthlyLimitUsd`, t.monthlyLimitUsd, {
        min: 0,
        exclusiveMin: true,
        max: 1e12,
        reason: 'USD per month',
      });
      const emails = Validate.array<string>(undefined, `teams[${i}].emails`, t.emails);
      emails.forEach((e, j) => Validate.email(undefined, `teams[${i}].emails[${j}]`, e));
      if (emails.length === 0 || emails.length > MAX_TEAM_BUDGET_EMAILS) {
        throw new ValidationError(
          `'teams[${i}].emails' has ${emails.length} addresses: give 1 to ${MAX_TEAM_BUDGET_EMAILS} (Google Cloud budgets notify at most 5 channels); use a group address for more.`,
        );
      }
      Validate.unique(
        undefined,
        `teams[${i}].emails`,
        emails,
        (e) => e.toLowerCase(),
        'e-mail addresses are case-insensitive',
      );
    });
    Validate.unique(undefined, 'teams', teams, (t) => t.team, 'each team has one budget');
    this.teams = teams;
  }

  /** A construct id for a team's budget, derived from its name (so reordering replaces nothing). */
  public static constructId(team: string): string {
    return `Team-${team}`;
  }
}
