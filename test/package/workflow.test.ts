import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse as parseYaml } from 'yaml';

// docs/ci/github-actions.yml, the workflow users copy, checked by GitHub's own workflow parser
// and schema (@actions/workflow-parser, actions/languageservices; run in a child process because
// the package is ESM-only), and for the properties docs/deploy-from-ci.md promises.
const ROOT = join(__dirname, '..', '..');
const WORKFLOW = join(ROOT, 'docs', 'ci', 'github-actions.yml');
const CHECK = join(__dirname, 'fixtures', 'check-workflow.mjs');

interface Parsed {
  errors: string[];
  jobs: { id: string; steps: { uses?: string; run?: string }[] }[];
}

function parse(file: string): Parsed {
  const r = spawnSync(process.execPath, [CHECK, file], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`check-workflow failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('docs/ci/github-actions.yml', () => {
  const text = readFileSync(WORKFLOW, 'utf8');
  const parsed = parse(WORKFLOW);

  test('passes the GitHub workflow parser and schema with no error', () => {
    expect(parsed.errors).toEqual([]);
    expect(parsed.jobs.map((j) => j.id)).toEqual(['review', 'deploy']);
  });

  test('the check fails on a broken copy (a permission value the schema does not allow)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'workflow-'));
    try {
      const broken = join(dir, 'broken.yml');
      writeFileSync(
        broken,
        text.replace('id-token: write # OIDC token for the deploy roles', 'id-token: wrote'),
      );
      expect(parse(broken).errors.join('\n')).toMatch(/Unexpected value 'wrote'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('pins every action to a commit SHA with its tag in a comment', () => {
    const uses = [...text.matchAll(/uses: (\S+)(.*)$/gm)];
    expect(uses.length).toBeGreaterThanOrEqual(10);
    for (const [, ref, rest] of uses) {
      expect(`${ref}${rest}`).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });

  test('uses OIDC federation and no long-lived credentials', () => {
    expect(text).not.toMatch(/secrets\.|aws-access-key-id|aws-secret-access-key|credentials_json/);
    expect(text.match(/id-token: write/g)).toHaveLength(2);
    expect(text).toContain('role-to-assume: ${{ vars.AWS_PLAN_ROLE_ARN }}');
    expect(text).toContain('role-to-assume: ${{ vars.AWS_DEPLOY_ROLE_ARN }}');
    expect(text).toContain('workload_identity_provider: ${{ vars.GCP_WORKLOAD_IDENTITY_PROVIDER }}');
  });

  test('reviews pull requests (synth, cost table, diagram, plan per stack) and deploys main in stack order', () => {
    const [review, deploy] = parsed.jobs;
    const runs = (j: Parsed['jobs'][number]) => j.steps.map((s) => s.run ?? '').join('\n');
    expect(runs(review)).toContain('npx cdktf synth');
    expect(runs(review)).toContain('npx cdktf-ai-infra-report cdktf.out "${base[@]}"');
    expect(runs(review)).toContain('git worktree add --detach ../base "$BASE_SHA"');
    expect(runs(review)).toMatch(
      /for stack in \$\(npx cdktf-ai-infra-report cdktf.out --list\).*\n.*cdktf diff "\$stack"/,
    );
    expect(review.steps.some((s) => s.uses?.startsWith('actions/github-script@'))).toBe(true);
    expect(review.steps.some((s) => s.uses?.startsWith('actions/upload-artifact@'))).toBe(true);
    expect(text).toContain('cdktf.out/stacks/*/policy-report.json');
    expect(runs(deploy)).toMatch(
      /for stack in \$\(npx cdktf-ai-infra-report cdktf.out --list\); do\n.*\n\s*npx cdktf deploy "\$stack" --skip-synth --auto-approve/,
    );
    expect(text).toMatch(/deploy:\n\s+if: github.event_name == 'push' && github.ref == 'refs\/heads\/main'/);
    expect(text).toContain('environment: production');
  });

  test('installs gke-gcloud-auth-plugin in both jobs, after the Google credentials and before any plan or deploy', () => {
    // GkeCluster.kubernetesProviderConfig() runs the plugin as the Kubernetes and Helm providers'
    // exec command; without it every GKE platform and workloads stack fails to plan in CI.
    const jobs = parseYaml(text).jobs as Record<string, { steps: any[] }>;
    for (const id of ['review', 'deploy']) {
      const steps = jobs[id].steps;
      const auth = steps.findIndex((s) => s.uses?.startsWith('google-github-actions/auth@'));
      const gcloud = steps.findIndex((s) => s.uses?.startsWith('google-github-actions/setup-gcloud@'));
      const terraform = steps.findIndex((s) => /cdktf (diff|deploy) "\$stack"/.test(s.run ?? ''));
      expect([id, auth >= 0 && auth < gcloud && gcloud < terraform]).toEqual([id, true]);
      expect(String(steps[gcloud].with.install_components).split(',')).toContain('gke-gcloud-auth-plugin');
      expect(steps[gcloud].if).toBe(steps[auth].if);
    }
  });

  test('calls the command the package installs', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.bin)).toEqual(['cdktf-ai-infra-report']);
    expect(pkg.files).toContain('docs/ci/*.yml');
  });
});
