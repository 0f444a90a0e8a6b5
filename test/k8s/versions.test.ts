import {
  HELM_CHARTS,
  IMAGES,
  OPS_HELM_CHARTS,
  OPS_IMAGES,
  SLURM_HELM_CHARTS,
  SLURM_IMAGES,
  REMEDIATION_HELM_CHARTS,
  REMEDIATION_IMAGES,
  imageRef,
} from '../../lib/k8s';

const pins = [
  ...Object.entries(HELM_CHARTS).map(([name, c]) => [`chart ${name}`, c.version, c] as const),
  ...Object.entries(IMAGES).map(([name, i]) => [`image ${name}`, i.tag, i] as const),
  ...Object.entries(OPS_HELM_CHARTS).map(([name, c]) => [`chart ${name}`, c.version, c] as const),
  ...Object.entries(OPS_IMAGES).map(([name, i]) => [`image ${name}`, i.tag, i] as const),
  ...Object.entries(SLURM_HELM_CHARTS).map(([name, c]) => [`chart ${name}`, c.version, c] as const),
  ...Object.entries(SLURM_IMAGES).map(([name, i]) => [`image ${name}`, i.tag, i] as const),
  ...Object.entries(REMEDIATION_HELM_CHARTS).map(([name, c]) => [`chart ${name}`, c.version, c] as const),
  ...Object.entries(REMEDIATION_IMAGES).map(([name, i]) => [`image ${name}`, i.tag, i] as const),
];

describe('pinned versions (lib/k8s/versions.ts)', () => {
  test.each(pins)('%s (%s) names its source release and the day it was checked', (_name, _version, pin) => {
    expect(pin.source).toMatch(/^https:\/\/[^\s]+$/);
    expect(pin.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(new Date(`${pin.checked}T00:00:00Z`).toISOString().slice(0, 10)).toBe(pin.checked);
  });

  test.each(pins)('%s (%s) is one exact version, never latest or a range', (_name, version) => {
    expect(version).not.toMatch(/latest|[~^*x]|[<>=]|\s/i);
  });

  test('chart sources name the pinned version', () => {
    for (const c of [
      ...Object.values(HELM_CHARTS),
      ...Object.values(OPS_HELM_CHARTS),
      ...Object.values(REMEDIATION_HELM_CHARTS),
    ]) {
      const v = c.version.replace(/^v/, '');
      // eks-charts has no per-chart tags: its source is the Chart.yaml at a commit.
      if (!c.source.endsWith('/Chart.yaml')) expect(c.source).toContain(v);
    }
  });

  test('the vLLM pin is v0.31.0 or later: v0.23.0 predates security fixes (reference serving.md §9)', () => {
    const [major, minor] = IMAGES.vllm.tag.replace(/^v/, '').split('.').map(Number);
    expect(major > 0 || minor >= 31).toBe(true);
  });

  test('imageRef joins repository and tag', () => {
    expect(imageRef(IMAGES.vllm)).toBe(`vllm/vllm-openai:${IMAGES.vllm.tag}`);
  });

  test('the Slurm charts are one release and the four daemon images one Slurm version', () => {
    expect(new Set(Object.values(SLURM_HELM_CHARTS).map((c) => c.version)).size).toBe(1);
    expect(new Set(Object.values(SLURM_IMAGES).map((i) => i.tag)).size).toBe(1);
    for (const c of Object.values(SLURM_HELM_CHARTS)) expect(c.source).toContain(`/v${c.version}/`);
  });
});
