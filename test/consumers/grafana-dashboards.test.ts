import {
  DashboardBuilder,
  DashboardLinkBuilder,
  DashboardLinkType,
  RowBuilder,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { Accelerator, ServiceLevelObjective, SloIndicator } from '../../lib/core';
import {
  DashboardJson,
  costAllocationDashboard,
  costDashboard,
  gpuDashboard,
  servingDashboard,
  sloDashboard,
  trainingDashboard,
} from '../../lib/k8s/private/dashboards';

// Consumer check of the dashboards' JSON (lib/k8s/private/dashboards.ts builds it without the
// Grafana foundation SDK, which costs ~140 ms to load at synth time). Each dashboard is rebuilt
// here with the SDK (@grafana/grafana-foundation-sdk 0.0.21, a dev dependency) from its content
// alone (titles, units, sizes, queries, links): the SDK supplies every default, the key order
// and the grid layout. The two must serialise to the same bytes.

type Link = NonNullable<DashboardJson['links']>[number];

function sdkLink(l: Link): DashboardLinkBuilder {
  return new DashboardLinkBuilder(l.title)
    .type(DashboardLinkType.Link)
    .icon(l.icon)
    .url(l.url)
    .keepTime(l.keepTime)
    .targetBlank(l.targetBlank);
}

function rebuiltWithSdk(d: DashboardJson): string {
  const b = new DashboardBuilder(d.title)
    .uid(d.uid)
    .tags([...d.tags])
    .refresh(d.refresh)
    .time({ ...d.time })
    .timezone('browser');
  for (const l of d.links ?? []) b.link(sdkLink(l));
  for (const p of d.panels) {
    if (p.type === 'row') {
      b.withRow(new RowBuilder(p.title));
      continue;
    }
    const pb = new PanelBuilder()
      .title(p.title)
      .unit(p.fieldConfig.defaults.unit)
      .height(p.gridPos.h)
      .span(p.gridPos.w);
    if (p.description) pb.description(p.description);
    for (const t of p.targets)
      pb.withTarget(new DataqueryBuilder().expr(t.expr).legendFormat(t.legendFormat));
    if (p.fieldConfig.defaults.links) pb.dataLinks(p.fieldConfig.defaults.links.map(sdkLink));
    b.withPanel(pb);
  }
  return JSON.stringify(b.build());
}

const PRICE = { usd: 2.5, region: 'us-east-1', asOf: '2026-08-01', source: 'test price list' };
const slo = (name: string, objectivePercent: number) =>
  new ServiceLevelObjective({
    name,
    indicator: SloIndicator.AVAILABILITY,
    model: 'llama-3.1-8b',
    objectivePercent,
    matchers: ['namespace="llm"', 'service="llama-8b"'],
  });

const DASHBOARDS: Array<[string, DashboardJson]> = [
  ['gpus', gpuDashboard()],
  ['serving', servingDashboard()],
  ['serving with traces', servingDashboard({ traces: true })],
  ['training', trainingDashboard()],
  [
    'cost, two accelerators',
    costDashboard([
      { accelerator: Accelerator.H100, price: PRICE },
      { accelerator: Accelerator.A100_80GB, price: { ...PRICE, usd: 1.5 } },
    ]),
  ],
  ['cost allocation', costAllocationDashboard()],
  ['SLOs, three rows of three panels', sloDashboard([slo('a', 99.9), slo('b', 99), slo('c', 95)])],
];

describe('Grafana dashboards against the Grafana foundation SDK', () => {
  test.each(DASHBOARDS)('%s: same JSON as the SDK builds', (_name, d) => {
    expect(JSON.stringify(d)).toBe(rebuiltWithSdk(d));
  });

  test('the SLO dashboard spans the last 7 days, the others 6 hours', () => {
    const times = Object.fromEntries(DASHBOARDS.map(([n, d]) => [n, d.time.from]));
    expect(times).toEqual({
      gpus: 'now-6h',
      serving: 'now-6h',
      'serving with traces': 'now-6h',
      training: 'now-6h',
      'cost, two accelerators': 'now-6h',
      'cost allocation': 'now-6h',
      'SLOs, three rows of three panels': 'now-7d',
    });
  });

  test('panels never overlap and stay inside the 24-column grid', () => {
    const problems: string[] = [];
    for (const [name, d] of DASHBOARDS) {
      const cells = new Set<string>();
      for (const p of d.panels) {
        const { x, y, w, h } = p.gridPos;
        if (x < 0 || x + w > 24) problems.push(`${name}: '${p.title}' leaves the grid`);
        for (let i = x; i < x + w; i++) {
          for (let j = y; j < y + h; j++) {
            if (cells.has(`${i},${j}`)) problems.push(`${name}: '${p.title}' overlaps at ${i},${j}`);
            cells.add(`${i},${j}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
