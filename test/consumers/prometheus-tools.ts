import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { parse, stringify } from 'yaml';
import type { SynthJson } from '../util';

/**
 * Runs Prometheus's own checkers on what the library renders: `promtool check rules` and
 * `promtool test rules` (Debian package `prometheus`, promtool 2.42 on bookworm) and
 * `amtool check-config` (package `prometheus-alertmanager`, amtool 0.25). `npm test` installs
 * them when it can (scripts/ensure-prometheus-tools.sh).
 */

/** The Debian package that ships each tool. */
export const TOOL_PACKAGES = { promtool: 'prometheus', amtool: 'prometheus-alertmanager' } as const;

/** A tool's name. */
export type PrometheusTool = keyof typeof TOOL_PACKAGES;

function installed(tool: PrometheusTool): boolean {
  return spawnSync(tool, ['--version'], { encoding: 'utf8' }).status === 0;
}

/**
 * `test` when both tools are installed. When one is missing: under CI=true a test that fails
 * with the package names (CI must never pass without running them), otherwise `test.skip` and
 * a warning on the console, so a developer without the packages sees what did not run.
 */
export function testWithPrometheusTools(): jest.It {
  const missing = (Object.keys(TOOL_PACKAGES) as PrometheusTool[]).filter((t) => !installed(t));
  if (missing.length === 0) return test;
  const message =
    `${missing.join(' and ')} not found: install the Debian packages ` +
    `${missing.map((t) => TOOL_PACKAGES[t]).join(' and ')} (apt-get install --no-install-recommends ` +
    `prometheus prometheus-alertmanager; \`npm test\` does it when run as root with apt-get).`;
  if (process.env.CI === 'true' || process.env.CI === '1') {
    const fail = () => {
      throw new Error(message);
    };
    const failing = (name: string) => test(name, fail);
    failing.each = (table: readonly unknown[]) => (name: string) => test.each(table as any[])(name, fail);
    return failing as unknown as jest.It;
  }
  console.warn(`SKIPPING promtool/amtool checks: ${message}`);
  return test.skip;
}

/** What a tool printed and whether it accepted the input. */
export interface ToolResult {
  readonly ok: boolean;
  readonly output: string;
}

function run(tool: PrometheusTool, args: string[], files: Record<string, string>): ToolResult {
  const dir = mkdtempSync(join(tmpdir(), `${tool}-`));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const r = spawnSync(tool, args, { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    if (r.error) throw r.error;
    return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `promtool check rules` on one rule file (YAML with `groups:`). */
export function promtoolCheckRules(rulesYaml: string): ToolResult {
  return run('promtool', ['check', 'rules', 'rules.yaml'], { 'rules.yaml': rulesYaml });
}

/** `promtool test rules` on a unit-test file whose `rule_files` is `[rules.yaml]`. */
export function promtoolTestRules(rulesYaml: string, testYaml: string): ToolResult {
  return run('promtool', ['test', 'rules', 'test.yaml'], { 'rules.yaml': rulesYaml, 'test.yaml': testYaml });
}

/** `amtool check-config` on one Alertmanager configuration. */
export function amtoolCheckConfig(configYaml: string): ToolResult {
  return run('amtool', ['check-config', 'alertmanager.yaml'], { 'alertmanager.yaml': configYaml });
}

/**
 * One `promtool check rules` (or `amtool check-config`, or `promtool test rules`) over many
 * inputs instead of one process per input: each input's section of the output (`Checking <file>`
 * or `Unit Testing: <file>` ... `SUCCESS`) says whether it passed. An input whose section has no
 * SUCCESS is run again on its own, so a failure carries exactly the result of
 * {@link promtoolCheckRules} / {@link amtoolCheckConfig} / {@link promtoolTestRules} for it.
 */
function runBatch<T>(
  tool: PrometheusTool,
  args: string[],
  header: 'Checking' | 'Unit Testing:',
  inputs: readonly T[],
  files: (input: T, i: number) => { arg: string; files: Record<string, string> },
  alone: (input: T) => ToolResult,
): ToolResult[] {
  if (inputs.length === 0) return [];
  const each = inputs.map(files);
  const all = run(tool, [...args, ...each.map((e) => e.arg)], Object.assign({}, ...each.map((e) => e.files)));
  const sections = new Map<string, string>();
  for (const part of all.output.split(new RegExp(`^${header}\\s+`, 'm')).slice(1)) {
    const name = /^'?([\w/.-]+\.yaml)'?/.exec(part)?.[1];
    if (name) sections.set(name, `${header} ${part}`.trim());
  }
  return each.map((e, i) => {
    const section = sections.get(e.arg);
    return section && /\bSUCCESS\b/.test(section) && !/\bFAILED\b/.test(section)
      ? { ok: true, output: section }
      : alone(inputs[i]);
  });
}

/** {@link promtoolCheckRules} on many rule files, in one promtool process when they all pass. */
export function promtoolCheckRulesBatch(rulesYamls: readonly string[]): ToolResult[] {
  return runBatch(
    'promtool',
    ['check', 'rules'],
    'Checking',
    rulesYamls,
    (text, i) => ({ arg: `f${i}.yaml`, files: { [`f${i}.yaml`]: text } }),
    promtoolCheckRules,
  );
}

/** {@link amtoolCheckConfig} on many configurations, in one amtool process when they all pass. */
export function amtoolCheckConfigBatch(configYamls: readonly string[]): ToolResult[] {
  return runBatch(
    'amtool',
    ['check-config'],
    'Checking',
    configYamls,
    (text, i) => ({ arg: `f${i}.yaml`, files: { [`f${i}.yaml`]: text } }),
    amtoolCheckConfig,
  );
}

/**
 * {@link promtoolTestRules} on many (rule file, unit-test file) pairs, in one promtool process
 * when they all pass: each pair in a directory of its own, where its `rule_files: [rules.yaml]`
 * resolves (promtool reads rule files relative to the test file).
 */
export function promtoolTestRulesBatch(
  pairs: ReadonlyArray<{ readonly rulesYaml: string; readonly testYaml: string }>,
): ToolResult[] {
  return runBatch(
    'promtool',
    ['test', 'rules'],
    'Unit Testing:',
    pairs,
    (p, i) => ({
      arg: `c${i}/test.yaml`,
      files: { [`c${i}/rules.yaml`]: p.rulesYaml, [`c${i}/test.yaml`]: p.testYaml },
    }),
    (p) => promtoolTestRules(p.rulesYaml, p.testYaml),
  );
}

/** A rule file or Alertmanager config found in a stack, and where. */
export interface RenderedConfig {
  readonly source: string;
  readonly yaml: string;
}

/** Terraform escapes a literal `${` as `$${`: what the consumer receives is `${`. */
function unescapeTerraform(s: string): string {
  return s.split('$${').join('${');
}

/**
 * Every Prometheus rule file a stack renders: AMP rule group namespaces (`data`) and the
 * PrometheusRules kube-prometheus-stack renders from `additionalPrometheusRulesMap`.
 */
export function ruleFilesOf(json: SynthJson): RenderedConfig[] {
  const out: RenderedConfig[] = [];
  for (const [name, r] of Object.entries(json.resource?.aws_prometheus_rule_group_namespace ?? {})) {
    out.push({ source: `aws_prometheus_rule_group_namespace.${name}`, yaml: unescapeTerraform(r.data) });
  }
  for (const { source, values } of kubePrometheusStackValues(json)) {
    for (const [key, rule] of Object.entries<any>(values.additionalPrometheusRulesMap ?? {})) {
      out.push({
        source: `${source} additionalPrometheusRulesMap.${key}`,
        yaml: stringify({ groups: rule.groups }),
      });
    }
  }
  return out;
}

/**
 * Every Alertmanager configuration a stack renders: the AMP alert manager definition's
 * `alertmanager_config` and kube-prometheus-stack's `alertmanager.config`.
 */
export function alertmanagerConfigsOf(json: SynthJson): RenderedConfig[] {
  const out: RenderedConfig[] = [];
  for (const [name, r] of Object.entries(json.resource?.aws_prometheus_alert_manager_definition ?? {})) {
    const definition = parse(unescapeTerraform(r.definition));
    out.push({
      source: `aws_prometheus_alert_manager_definition.${name}`,
      yaml: definition.alertmanager_config,
    });
  }
  for (const { source, values } of kubePrometheusStackValues(json)) {
    if (values.alertmanager?.config) {
      out.push({ source: `${source} alertmanager.config`, yaml: stringify(values.alertmanager.config) });
    }
  }
  return out;
}

function kubePrometheusStackValues(json: SynthJson): Array<{ source: string; values: any }> {
  return Object.entries(json.resource?.helm_release ?? {})
    .filter(([, r]) => r.chart === 'kube-prometheus-stack')
    .flatMap(([name, r]) =>
      (r.values ?? []).map((v: string, i: number) => ({
        source: `helm_release.${name}.values[${i}]`,
        values: parse(unescapeTerraform(v)) ?? {},
      })),
    );
}
