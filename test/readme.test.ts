import { readFileSync } from 'fs';
import { join } from 'path';

// The README's example is examples/quickstart/main.ts with package import paths: this keeps it
// compiling (the typecheck and the quickstart snapshot test cover the file) and true.
export function readmeQuickstart(): string {
  const src = readFileSync(join(__dirname, '..', 'examples', 'quickstart', 'main.ts'), 'utf8');
  const body = src.slice(src.indexOf('import '), src.indexOf('if (require.main === module)')).trim();
  return body.split("'../../lib/").join("'cdktf-ai-infra/");
}

describe('README', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

  test('shows examples/quickstart verbatim, with package import paths', () => {
    expect(readme).toContain(readmeQuickstart());
  });

  test('gives the two commands, and .ci/run runs the test one', () => {
    expect(readme).toContain('npm ci && npm run synth');
    expect(readme).toContain('npm ci && npm test');
    const ci = readFileSync(join(__dirname, '..', '.ci', 'run'), 'utf8');
    expect(ci).toMatch(/^npm ci && npm test$/m);
  });

  test('lists every example folder', () => {
    const examples = readFileSync(join(__dirname, '..', 'examples', 'app.ts'), 'utf8');
    for (const m of examples.matchAll(/from '\.\/([a-z0-9-]+)\/main'/g)) {
      expect(readme).toContain(`\`${m[1]}\``);
    }
  });
});
