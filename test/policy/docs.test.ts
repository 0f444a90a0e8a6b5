import { readFileSync } from 'fs';
import { join } from 'path';
import { Testing } from 'cdktf';
import { AI_INFRA_SEVERITIES, PolicyReport, RULES } from '../../lib/policy';
import { build } from './docs-example';

// docs/policy.md: the rule table, the minimal example and the sample report stay true.
describe('docs/policy.md', () => {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'policy.md'), 'utf8');

  test.each(RULES.map((r) => [r.id]))('lists %s with its default severity', (id) => {
    expect(doc).toMatch(new RegExp(`^\\| \`${id}\` +\\| ${AI_INFRA_SEVERITIES[id]} +\\|`, 'm'));
  });

  test('shows test/policy/docs-example.ts verbatim, with package import paths', () => {
    const src = readFileSync(join(__dirname, 'docs-example.ts'), 'utf8');
    expect(doc).toContain(src.split("'../../lib/").join("'cdktf-ai-infra/"));
  });

  test('the example synthesizes and writes the report the page shows', () => {
    const app = Testing.app();
    build(app);
    app.synth();
    const report = JSON.parse(
      readFileSync(join(app.outdir, 'stacks', 'training', PolicyReport.FILE_NAME), 'utf8'),
    );
    const shown = JSON.parse(/```json\n([\s\S]*?)```/.exec(doc)![1]);
    expect(report.summary).toEqual(shown.summary);
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        ...shown.findings[0],
        address: expect.stringMatching(/^aws_s3_bucket\.Scratch/),
      }),
    );
  });
});
