import { PolicyRule } from '../rule';

/**
 * `helm-chart-version`: every `helm_release` from a repository pins the chart `version`.
 */
export const HELM_CHART_VERSION: PolicyRule = {
  id: 'helm-chart-version',
  title: 'Helm releases pin the chart version',
  rationale:
    'Without version the provider installs the newest chart on every apply that recreates the release, so two applies of the same commit can differ. ' +
    'https://registry.terraform.io/providers/hashicorp/helm/latest/docs/resources/release#version-1',
  resourceTypes: ['helm_release'],
  check: (r) => {
    const chart = String(r.config.chart ?? '');
    // A chart from a local path or a packaged archive carries its own version.
    if (chart.startsWith('.') || chart.startsWith('/') || chart.endsWith('.tgz')) {
      return [];
    }
    const v = r.config.version;
    return typeof v === 'string' && v.trim() !== '' ? [] : [`chart '${chart}' has no version`];
  },
};
