import { parse as parseYaml } from 'yaml';
import { LOG_ALERT_RULES, LogAlertSource } from '../lib/core';
import { lokiLogAlertRuleGroup } from '../lib/k8s';
import { constructStacks } from './consumers/fixtures';

// Every LogQL expression the library emits (the Loki ruler's alerting rules), parsed with
// Grafana's own LogQL grammar (@grafana/lezer-logql, the parser of Grafana's Loki query editor).
// A syntax error would otherwise surface only as a ruler that logs an error and never alerts.

interface LezerNode {
  readonly type: { readonly isError: boolean; readonly name: string };
  readonly from: number;
  readonly to: number;
}
// The package's CommonJS build (its typings are ESM-only, so they are declared here).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require('@grafana/lezer-logql') as {
  parser: { parse(input: string): { iterate(spec: { enter(node: LezerNode): void }): void } };
};

/** Syntax errors, and the node names of the tree (to tell a metric query from a log query). */
function analyse(expr: string): { errors: string[]; nodes: string[] } {
  const errors: string[] = [];
  const nodes: string[] = [];
  parser.parse(expr).iterate({
    enter: (n) => {
      nodes.push(n.type.name);
      if (n.type.isError) errors.push(`at ${n.from}: '${expr.slice(Math.max(0, n.from - 20), n.to + 20)}'`);
    },
  });
  return { errors, nodes };
}

/** An alerting rule's expression must parse and be a metric query (a log query returns lines, not samples). */
function expectAlertable(source: string, expr: string): void {
  const { errors, nodes } = analyse(expr);
  expect({ source, expr, errors }).toEqual({ source, expr, errors: [] });
  expect({ source, metric: nodes.includes('MetricExpr') }).toEqual({ source, metric: true });
}

/** The Loki rule files in the synthesized ConfigMaps of the construct fixtures. */
function lokiRuleFiles(): Array<[string, any]> {
  return constructStacks().flatMap((s) =>
    Object.entries((s.json.resource?.kubernetes_config_map_v1 ?? {}) as Record<string, any>).flatMap(
      ([name, cm]) =>
        Object.entries((cm.data ?? {}) as Record<string, string>)
          .filter(([file]) => file.endsWith('log-alerts.yaml'))
          .map(([file, text]) => [`${s.name}: ${name} ${file}`, parseYaml(text)] as [string, any]),
    ),
  );
}

describe("LogQL the library emits parses with Grafana's LogQL grammar", () => {
  test('the grammar reports errors and tells metric queries from log queries (why this check exists)', () => {
    expect(analyse('sum(count_over_time({job="x"} |= [5m]))').errors.length).toBeGreaterThan(0);
    expect(analyse('count_over_time({job="x"} |~ "a" [5m]) > 0').nodes).toContain('MetricExpr');
    expect(analyse('{job="x"} |~ "a"').nodes).not.toContain('MetricExpr');
  });

  const variants: Array<[string, Parameters<typeof lokiLogAlertRuleGroup>[0]]> = [
    ['defaults', {}],
    ['a namespace matcher', { matchers: ['namespace="llm"'] }],
    [
      'a regex matcher and a 15-minute window',
      { matchers: ['namespace=~"llm|training"', 'pod!=""'], windowMinutes: 15 },
    ],
  ];
  test.each(variants)('lokiLogAlertRuleGroup with %s', (_name, options) => {
    const group = lokiLogAlertRuleGroup(options);
    expect(group.rules.length).toBe(
      LOG_ALERT_RULES.filter((r) => r.source === LogAlertSource.CONTAINER).length,
    );
    for (const r of group.rules) expectAlertable(r.alert, r.expr);
  });

  test('every Loki rule file the constructs write is a ruler file of alerting rules in LogQL', () => {
    const files = lokiRuleFiles();
    expect(files.length).toBeGreaterThan(0);
    for (const [source, file] of files) {
      expect(Object.keys(file)).toEqual(['groups']);
      for (const g of file.groups) {
        expect(typeof g.name).toBe('string');
        expect(g.rules.length).toBeGreaterThan(0);
        for (const r of g.rules) {
          expect(Object.keys(r).sort()).toEqual(['alert', 'annotations', 'expr', 'labels']);
          expect(['critical', 'warning', 'info']).toContain(r.labels.severity);
          expectAlertable(`${source} ${r.alert}`, r.expr);
        }
      }
    }
  });

  test('each pattern reaches Loki as the core RE2 pattern, unescaped (a raw string)', () => {
    for (const r of lokiLogAlertRuleGroup().rules) {
      const core = LOG_ALERT_RULES.find((c) => c.name === r.alert)!;
      expect(r.expr).toContain(`|~ \`${core.pattern}\``);
      expect(() => new RegExp(core.pattern)).not.toThrow();
    }
  });
});
