import { MAX_TEAM_BUDGET_EMAILS, TeamBudgets, ValidationError } from '../../lib/core';

const SEARCH = { team: 'search', monthlyLimitUsd: 20000, emails: ['search-leads@example.com'] };

describe('TeamBudgets', () => {
  test('defaults the tag key to `team` and keeps the teams in order', () => {
    const b = TeamBudgets.declare({ teams: [SEARCH, { ...SEARCH, team: 'research' }] });
    expect(b.tagKey).toBe('team');
    expect(b.teams.map((t) => t.team)).toEqual(['search', 'research']);
  });

  test('construct ids derive from the team name', () => {
    expect(TeamBudgets.constructId('search')).toBe('Team-search');
  });

  test.each([
    ['no team', { teams: [] }],
    ['a team name with upper case', { teams: [{ ...SEARCH, team: 'Search' }] }],
    ['a team name longer than 63', { teams: [{ ...SEARCH, team: 'a'.repeat(64) }] }],
    ['a team twice', { teams: [SEARCH, SEARCH] }],
    ['a zero limit', { teams: [{ ...SEARCH, monthlyLimitUsd: 0 }] }],
    ['no e-mail', { teams: [{ ...SEARCH, emails: [] }] }],
    [
      'too many e-mails',
      {
        teams: [
          {
            ...SEARCH,
            emails: Array.from({ length: MAX_TEAM_BUDGET_EMAILS + 1 }, (_, i) => `a${i}@example.com`),
          },
        ],
      },
    ],
    ['an invalid e-mail', { teams: [{ ...SEARCH, emails: ['not-an-address'] }] }],
    ['a tag key with upper case', { teams: [SEARCH], tagKey: 'Team' }],
    ['a tag key with a slash', { teams: [SEARCH], tagKey: 'example.com/team' }],
  ])('throws a ValidationError on %s', (_name, options) => {
    expect(() => TeamBudgets.declare(options)).toThrow(ValidationError);
  });
});
