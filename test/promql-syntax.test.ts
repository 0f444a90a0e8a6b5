import { Testing } from 'cdktf';
import { parse as parseYaml } from 'yaml';
import { AlertRuleSet, ServiceLevelObjective, SloIndicator, quoteColonMetricNames } from '../lib/core';
import { InferencePool } from '../lib/k8s';
import { servingDashboard, sloDashboard } from '../lib/k8s/private/dashboards';
import { exampleJson } from './synth-cache';
import { assertPromqlExpression } from '../lib/k8s/private/promql-expression';

// Every PromQL expression the library emits, parsed with Prometheus's own grammar
// (@prometheus-io/lezer-promql): alert rules, AMP rule groups, Cloud Monitoring conditions,
// KEDA triggers and Grafana panels. A syntax error here would otherwise surface only when a
// backend rejects the rule or a panel stays empty.

interface LezerNode {
  readonly type: { readonly isError: boolean };
  readonly from: number;
  readonly to: number;
}
// The package's CommonJS build (its typings are ESM-only, so they are declared here).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require('@prometheus-io/lezer-promql') as {
  parser: { parse(input: string): { iterate(spec: { enter(node: LezerNode): void }): void } };
};

function syntaxErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter: (n) => {
      if (n.type.isError) {
        errors.push(`at ${n.from}: '${expr.slice(Math.max(0, n.from - 20), n.to + 20)}'`);
      }
    },
  });
  return errors;
}

function expectValid(source: string, expr: string): void {
  expect({ source, expr, errors: syntaxErrors(expr) }).toEqual({ source, expr, errors: [] });
}

/** Collects PromQL strings from synthesized JSON, including Helm values and dashboard JSON inside strings. */
function collect(node: unknown, path: string, out: Array<[string, string]>): void {
  if (typeof node === 'string') {
    const t = node.trim();
    if (t.startsWith('{') && t.includes('"panels"')) {
      collect(JSON.parse(t), `${path}<dashboard>`, out);
    } else if (
      path.endsWith('.values[0]') ||
      path.endsWith('.alertmanager_definition') ||
      path.endsWith('.data')
    ) {
      try {
        collect(parseYaml(node), `${path}<yaml>`, out);
      } catch {
        // not YAML
      }
    }
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((v, i) => collect(v, `${path}[${i}]`, out));
    return;
  }
  if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'expr' || k === 'query') && typeof v === 'string') {
        out.push([`${path}.${k}`, v.split('$${').join('${')]);
      } else {
        collect(v, `${path}.${k}`, out);
      }
    }
  }
}

describe('PromQL syntax', () => {
  test.each(
    AlertRuleSet.defaults({ servingMatchers: ['namespace="llm"'], gpuMatchers: ['cluster="a"'] })
      .rules()
      .map((r) => [r.name, r.expr]),
  )('core rule %s parses, plain and with quoted colon names', (name, expr) => {
    expectValid(name, expr);
    expectValid(`${name} (Managed Prometheus form)`, quoteColonMetricNames(expr));
  });

  const slos = [
    new ServiceLevelObjective({
      name: 'availability',
      indicator: SloIndicator.AVAILABILITY,
      model: 'm',
      objectivePercent: 99.9,
      matchers: ['namespace="llm"'],
    }),
    ...[SloIndicator.TIME_TO_FIRST_TOKEN, SloIndicator.INTER_TOKEN_LATENCY, SloIndicator.E2E_LATENCY].map(
      (indicator) =>
        new ServiceLevelObjective({
          name: indicator,
          indicator,
          model: 'm',
          objectivePercent: 99,
          latencyThresholdSeconds: 10,
        }),
    ),
  ];
  test.each(slos.map((s) => [s.name, s]))(
    'SLO %s: recording rules and alerts parse, inline alerts too',
    (_n, slo) => {
      for (const rule of slo.toPrometheusRuleGroup().rules) {
        expectValid(`${slo.name} ${'record' in rule ? rule.record : rule.alert}`, rule.expr);
      }
      const board: any = sloDashboard([slo]);
      for (const p of board.panels) {
        for (const t of p.targets ?? []) {
          expectValid(`${slo.name} dashboard ${p.title}`, t.expr);
        }
      }
      for (const rule of slo.toAlertRules()) {
        expectValid(rule.name, rule.expr);
        expectValid(`${rule.name} (Managed Prometheus form)`, quoteColonMetricNames(rule.expr, rule.metrics));
      }
    },
  );

  test('the inference pool activation query parses (plain and Managed Prometheus)', () => {
    expectValid('activationQuery', InferencePool.activationQueryFor('llm', 'llama-8b'));
    expectValid('activationQuery (managed)', InferencePool.activationQueryFor('llm', 'llama-8b', true));
  });

  test('every serving-dashboard panel parses, the gateway panels included', () => {
    const found: Array<[string, string]> = [];
    collect(servingDashboard(), 'serving', found);
    expect(found.some(([, e]) => e.includes('llm_d_epp_ready_endpoints'))).toBe(true);
    for (const [source, expr] of found) {
      expectValid(source, expr);
    }
  });

  // The examples as synthesized once for the whole jest run (test/synth-cache.ts).
  const examples = [
    'aws-inference',
    'aws-training',
    'gcp-inference',
    'gcp-training',
    'k8s-serving',
    'k8s-training',
    'k8s-training-slurm',
  ];
  test.each(examples)('every expression in examples/%s parses', (name) => {
    const found: Array<[string, string]> = [];
    for (const s of exampleJson(name)) {
      collect(s.json.resource ?? {}, s.id, found);
    }
    for (const [source, expr] of found) {
      expectValid(source, expr);
    }
    // Each example emits alert rules or dashboards, KEDA or Cloud Monitoring queries.
    expect(found.length).toBeGreaterThan(10);
  });

  // The check of a user's activationQuery (structure, then the grammar) agrees with the grammar on these.
  test.each([
    ['sum(rate(nginx_ingress_controller_requests[1m]))', true],
    ['sum({__name__="vllm:num_requests_waiting", namespace="llm"}) + 1', true],
    ['sum by (pod) (rate(x{a=~"b|c"}[5m] offset 1m)) > bool 0', true],
    ['sum(rate(x[1m])', false],
    ['sum(x{a="b})', false],
    ['sum(x{a=b})', false],
    ['sum(x]', false],
    ['sum(x); drop', false],
    // Found by the property suite: structurally fine, refused by the grammar (now the last check).
    ['A B', false],
    ['../x', false],
    ['a\nb', false],
    ['x +', false],
    ['sum(rate(x[1m])) by', false],
  ])('activationQuery check and the PromQL grammar agree on %p', (expr, valid) => {
    const scope = Testing.app();
    const accepted = (() => {
      try {
        assertPromqlExpression(scope, 'q', expr);
        return true;
      } catch {
        return false;
      }
    })();
    expect({ accepted, parses: syntaxErrors(expr).length === 0 }).toEqual({ accepted: valid, parses: valid });
  });
});

test("the activationQuery error names where Prometheus's grammar stops", () => {
  expect(() =>
    assertPromqlExpression(Testing.app(), 'autoscaling.activationQuery', 'sum(rate(x[1m])) by'),
  ).toThrow(
    /'autoscaling\.activationQuery' \("sum\(rate\(x\[1m\]\)\) by"\) is not a PromQL expression \(Prometheus's PromQL grammar finds an error at character \d+\)/,
  );
});
