import { readFileSync } from 'fs';
import { join } from 'path';
import { ALERT_RULES, promDuration } from '../../lib/core';

// docs/core.md lists every alert rule with its default threshold; this keeps the table true.
describe('docs/core.md', () => {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'core.md'), 'utf8');

  test.each(ALERT_RULES.map((r) => [r.name, r]))('lists %s with its defaults', (_name, r) => {
    expect(doc).toContain(
      `| ${r.name} | ${r.group} | ${r.threshold} ${r.unit} | ${promDuration(r.forSeconds)} | ${r.severity} |`,
    );
  });
});
