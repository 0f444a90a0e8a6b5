import { parse } from 'yaml';
import { KARPENTER_CHART } from '../../lib/aws/karpenter';
import { AWS_LOAD_BALANCER_CONTROLLER_CHART } from '../../lib/aws/load-balancer-controller';
import {
  ENDPOINT_PICKER_POD_SECURITY_LEVEL,
  GATEWAY_HELM_CHARTS,
  HELM_CHARTS,
  OPS_HELM_CHARTS,
  REMEDIATION_HELM_CHARTS,
  PodSecurityLevel,
  SLURM_HELM_CHARTS,
  podSecurityLabels,
} from '../../lib/k8s';
import { CHART_VALUE_KEYS } from './chart-value-keys';
import { constructStacks, exampleStacks } from './fixtures';

/**
 * Helm values as Helm reads them. Helm parses values files with sigs.k8s.io/yaml, which is
 * go-yaml v2: YAML 1.1, where unquoted `yes`/`no`/`on`/`off`/`y`/`n` are booleans and `0644` is
 * an octal number. The library writes values with the `yaml` package (YAML 1.2), so a string
 * `on` it meant would reach the chart as `true`. Parsing in `version: '1.1'` mode shows what the
 * chart receives; it must be what the library wrote.
 */
function asHelmReadsIt(values: string): unknown {
  return parse(values, { version: '1.1' });
}
function asWritten(values: string): unknown {
  return parse(values);
}

interface Release {
  readonly source: string;
  readonly chart: string;
  readonly version: string;
  readonly values: string[];
}

const releases: Release[] = [...exampleStacks(), ...constructStacks()].flatMap((s) =>
  Object.entries(s.json.resource?.helm_release ?? {}).map(([name, r]: [string, any]) => ({
    source: `${s.name}: helm_release.${name}`,
    chart: r.chart,
    version: r.version,
    values: r.values ?? [],
  })),
);

/** Every dotted key path of a values document (arrays are values: not descended). */
function keyPaths(o: unknown, prefix = ''): string[] {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return [];
  return Object.entries(o).flatMap(([k, v]) => {
    const p = prefix ? `${prefix}.${k}` : k;
    return [p, ...keyPaths(v, p)];
  });
}

/** Key paths the chart at that version does not read (see chart-value-keys.ts). */
function unknownKeys(chart: string, version: string, values: unknown): string[] {
  const keys = CHART_VALUE_KEYS[`${chart}@${version}`];
  if (!keys) return [`(no key list for ${chart}@${version}: check the keys against its values.yaml)`];
  const open = [...keys.freeForm, ...Object.keys(keys.notInDefaults ?? {})];
  return keyPaths(values).filter(
    (p) =>
      !keys.known.includes(p) &&
      !(keys.notInDefaults && p in keys.notInDefaults) &&
      !open.some((f) => p.startsWith(`${f}.`)),
  );
}

describe('Helm values, read as Helm reads them', () => {
  test('YAML 1.1 turns what YAML 1.2 writes as strings into booleans and numbers (why this check exists)', () => {
    const written = 'mode: on\nenabled: yes\nfileMode: 0644\nkept: "on"\n';
    expect(asWritten(written)).toEqual({ mode: 'on', enabled: 'yes', fileMode: 644, kept: 'on' });
    expect(asHelmReadsIt(written)).toEqual({ mode: true, enabled: true, fileMode: 0o644, kept: 'on' });
  });

  test('there are Helm releases with values to check', () => {
    expect(releases.filter((r) => r.values.length > 0).length).toBeGreaterThan(10);
  });

  test.each(releases.filter((r) => r.values.length > 0).map((r) => [r.source, r]))(
    '%s: every value reaches the chart as written',
    (_source, r) => {
      for (const v of r.values) expect(asHelmReadsIt(v)).toEqual(asWritten(v));
    },
  );

  test.each(releases.filter((r) => r.values.length > 0).map((r) => [r.source, r]))(
    '%s: every key is one the pinned chart reads',
    (_source, r) => {
      for (const v of r.values) expect(unknownKeys(r.chart, r.version, asWritten(v))).toEqual([]);
    },
  );

  test('a key the chart does not read is reported', () => {
    expect(
      unknownKeys('keda', HELM_CHARTS.keda.version, {
        serviceAccount: { operator: { name: 'keda-operator', nmae: 'keda-operator' } },
      }),
    ).toEqual(['serviceAccount.operator.nmae']);
  });

  test('istiod reads `env`, not the istioctl form `pilot.env` (regression: the inference extension was never enabled)', () => {
    const { istiod } = GATEWAY_HELM_CHARTS;
    expect(
      unknownKeys(istiod.chart, istiod.version, {
        pilot: { env: { ENABLE_GATEWAY_API_INFERENCE_EXTENSION: 'true' } },
      }),
    ).toEqual(['pilot', 'pilot.env', 'pilot.env.ENABLE_GATEWAY_API_INFERENCE_EXTENSION']);
    expect(
      unknownKeys(istiod.chart, istiod.version, { env: { ENABLE_GATEWAY_API_INFERENCE_EXTENSION: 'true' } }),
    ).toEqual([]);
  });

  test('every pinned chart that gets values has a key list at its pinned version', () => {
    const withValues = new Set(
      releases.filter((r) => r.values.length > 0).map((r) => `${r.chart}@${r.version}`),
    );
    const pinned = new Set(
      [
        ...Object.values(HELM_CHARTS),
        ...Object.values(GATEWAY_HELM_CHARTS),
        AWS_LOAD_BALANCER_CONTROLLER_CHART,
        KARPENTER_CHART,
        ...Object.values(OPS_HELM_CHARTS),
        ...Object.values(SLURM_HELM_CHARTS),
        ...Object.values(REMEDIATION_HELM_CHARTS),
      ].map((c) => `${c.chart}@${c.version}`),
    );
    for (const k of withValues) {
      expect(pinned.has(k) ? k : `${k} (not a pin)`).toBe(k);
      expect(Object.keys(CHART_VALUE_KEYS)).toContain(k);
    }
  });
});

// Pod Security labels of the namespaces Helm releases go to (same synthesized examples).
/** Pod Security levels from least to most strict. */
const ORDER = ['privileged', 'baseline', 'restricted'];
const stacks = exampleStacks();
const namespaces = new Map<string, Record<string, string>>();
for (const s of stacks) {
  for (const ns of Object.values(s.json.resource?.kubernetes_namespace_v1 ?? {}) as any[]) {
    namespaces.set(`${s.name.split(' ')[0]} ${ns.metadata.name}`, ns.metadata.labels ?? {});
  }
}
const examplesReleases = stacks.flatMap((s) =>
  (Object.values(s.json.resource?.helm_release ?? {}) as any[]).map((r) => ({
    example: s.name.split(' ')[0],
    ...r,
  })),
);

describe('namespaces of Helm releases carry Pod Security labels', () => {
  test.each([
    [HELM_CHARTS.keda.chart, 'keda'],
    [HELM_CHARTS.jobSet.chart, 'jobset-system'],
    [HELM_CHARTS.kueue.chart, 'kueue-system'],
  ])(
    '%s: the library creates %s enforcing "restricted" (the level the pinned chart\'s pods meet)',
    (chart, ns) => {
      const found = examplesReleases.filter((r) => r.chart === chart);
      expect(found.length).toBeGreaterThan(0);
      for (const r of found) {
        expect(r.namespace).toBe(ns);
        expect(r.create_namespace).toBe(false);
        expect(r.depends_on.some((d: string) => d.startsWith('kubernetes_namespace_v1.'))).toBe(true);
        expect(namespaces.get(`${r.example} ${ns}`)).toMatchObject(
          podSecurityLabels(PodSecurityLevel.RESTRICTED),
        );
      }
    },
  );

  test('every namespace holding an endpoint picker enforces a level its pods meet (baseline), and audits restricted', () => {
    const pools = examplesReleases.filter((r) => r.chart === 'llm-d-router-gateway');
    expect(pools.length).toBeGreaterThan(3);
    for (const r of pools) {
      const labels = namespaces.get(`${r.example} ${r.namespace}`);
      expect(labels).toBeDefined();
      const enforce = labels!['pod-security.kubernetes.io/enforce'];
      expect(ORDER.indexOf(enforce)).toBeLessThanOrEqual(ORDER.indexOf(ENDPOINT_PICKER_POD_SECURITY_LEVEL));
      expect(labels!['pod-security.kubernetes.io/audit']).toBe('restricted');
    }
  });
});

describe('podSecurityLabels', () => {
  test('defaults the audit and warn level to the enforced one', () => {
    expect(podSecurityLabels(PodSecurityLevel.BASELINE)).toEqual({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/enforce-version': 'v1.33',
      'pod-security.kubernetes.io/audit': 'baseline',
      'pod-security.kubernetes.io/audit-version': 'v1.33',
      'pod-security.kubernetes.io/warn': 'baseline',
      'pod-security.kubernetes.io/warn-version': 'v1.33',
    });
  });

  test('audits and warns at a stricter level than it enforces', () => {
    expect(podSecurityLabels(PodSecurityLevel.BASELINE, PodSecurityLevel.RESTRICTED)).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
  });

  test('the endpoint pickers meet baseline only (the pinned chart sets no securityContext)', () => {
    expect(ENDPOINT_PICKER_POD_SECURITY_LEVEL).toBe(PodSecurityLevel.BASELINE);
  });
});
