import { Testing } from 'cdktf';
import { parse } from 'yaml';
import { ValidationError } from '../../lib/core';
import {
  GpuManagement,
  GpuNodeImage,
  GpuPlatform,
  GpuPlatformProps,
  MonitoringStack,
  NvSentinel,
  NvSentinelEvictionMode,
  NvSentinelProps,
  REMEDIATION_HELM_CHARTS,
} from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads, warningsOf } from './helpers';

function build(
  props: Partial<NvSentinelProps> = {},
  opts: { monitoring?: boolean; gpu?: Partial<GpuPlatformProps> } = {},
) {
  const { platform, workloads } = platformAndWorkloads();
  const monitoring = opts.monitoring === false ? undefined : new MonitoringStack(platform, 'Monitoring');
  const gpu = new GpuPlatform(platform, 'Gpu', {
    nodeImage: GpuNodeImage.DRIVER_AND_TOOLKIT,
    management: GpuManagement.GPU_OPERATOR,
    standaloneDcgm: true,
    monitoring,
    ...opts.gpu,
  });
  const nvs = new NvSentinel(platform, 'NvSentinel', { platform: gpu, monitoring, ...props });
  const json = synthJson(platform);
  const releases = resourcesOf(json, 'helm_release');
  const release = (name: string) => Object.values(releases).find((r: any) => r.name === name) as any;
  const values = parse(release('nvsentinel').values[0]);
  return { nvs, json, platform, workloads, releases, release, values, gpu };
}

describe('NvSentinel', () => {
  test('installs the pinned chart with quarantine and drain on, remediation off', () => {
    const { release, values } = build();
    const chart = REMEDIATION_HELM_CHARTS.nvSentinel;
    expect(release('nvsentinel')).toMatchObject({
      repository: 'oci://ghcr.io/nvidia',
      chart: 'nvsentinel',
      version: chart.version,
      namespace: 'nvsentinel',
      atomic: true,
    });
    expect(values.global).toMatchObject({
      gpuHealthMonitor: { enabled: true },
      syslogHealthMonitor: { enabled: true },
      faultQuarantine: { enabled: true },
      nodeDrainer: { enabled: true },
      faultRemediation: { enabled: false },
      mongodbStore: { enabled: true },
    });
  });

  test('reads DCGM from the GPU Operator host engine of the platform', () => {
    const { values } = build({}, { gpu: { namespace: 'gpu' } });
    expect(values.global.dcgm).toEqual({
      mode: 'operator-service',
      service: { endpoint: 'nvidia-dcgm.gpu.svc', port: 5555 },
    });
  });

  test('dryRun defaults to false', () => {
    const { nvs, values } = build();
    expect(nvs.dryRun).toBe(false);
    expect(values.global.dryRun).toBe(false);
  });

  test('dryRun: true reaches the chart and warns', () => {
    const { values, platform } = build({ dryRun: true });
    expect(values.global.dryRun).toBe(true);
    expect(warningsOf(platform).join('\n')).toMatch(/k8s-nvsentinel-dry-run/);
  });

  test('the namespace defaults to nvsentinel and enforces privileged (host-level monitors)', () => {
    const { json } = build();
    const ns = Object.values(resourcesOf(json, 'kubernetes_namespace_v1')).find(
      (n: any) => n.metadata.name === 'nvsentinel',
    ) as any;
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  test('installs cert-manager by default, with its CRDs, in a restricted namespace, before NVSentinel', () => {
    const { release, json, nvs } = build();
    const cm = release('cert-manager');
    expect(cm).toMatchObject({
      chart: 'cert-manager',
      repository: 'https://charts.jetstack.io',
      version: REMEDIATION_HELM_CHARTS.certManager.version,
      namespace: 'cert-manager',
    });
    expect(parse(cm.values[0])).toEqual({ crds: { enabled: true, keep: true } });
    const ns = Object.values(resourcesOf(json, 'kubernetes_namespace_v1')).find(
      (n: any) => n.metadata.name === 'cert-manager',
    ) as any;
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(release('nvsentinel').depends_on).toContain(`helm_release.${nvs.certManager!.friendlyUniqueId}`);
  });

  test('installCertManager: false leaves cert-manager to the cluster', () => {
    const { release, nvs } = build({ installCertManager: false });
    expect(release('cert-manager')).toBeUndefined();
    expect(nvs.certManager).toBeUndefined();
  });

  test('waits for the GPU Operator and the monitoring chart in the same stack', () => {
    const { release, gpu } = build();
    const deps: string[] = release('nvsentinel').depends_on;
    expect(deps).toContain(`helm_release.${gpu.releases['gpu-operator']!.friendlyUniqueId}`);
    expect(deps.some((d) => /helm_release\.Monitoring/.test(d))).toBe(true);
  });

  test('the PodMonitor carries the monitoring stack release label', () => {
    const { values } = build();
    expect(values.podMonitor).toEqual({ enabled: true, labels: { release: 'kube-prometheus-stack' } });
  });

  test('without monitoring: no PodMonitor (its CRD may be absent) and a warning', () => {
    const { values, platform } = build({}, { monitoring: false });
    expect(values.podMonitor).toEqual({ enabled: false });
    expect(warningsOf(platform).join('\n')).toMatch(/k8s-nvsentinel-unscraped/);
  });

  test('drains training namespaces at once and everything else as the chart does by default', () => {
    const { values } = build({ trainingNamespaces: ['training', 'research'] });
    expect(values['node-drainer'].userNamespaces).toEqual([
      { name: 'training', mode: 'Immediate' },
      { name: 'research', mode: 'Immediate' },
      { name: '*', mode: 'AllowCompletion' },
    ]);
  });

  test('defaultEvictionMode sets the catch-all', () => {
    const { values } = build({ defaultEvictionMode: NvSentinelEvictionMode.DELETE_AFTER_TIMEOUT });
    expect(values['node-drainer'].userNamespaces).toEqual([{ name: '*', mode: 'DeleteAfterTimeout' }]);
  });

  test('never drains the platform namespaces', () => {
    const { values } = build();
    const re = new RegExp(values['node-drainer'].systemNamespaces);
    for (const ns of [
      'nvsentinel',
      'kube-system',
      'nvidia-gpu',
      'monitoring',
      'cert-manager',
      'gpu-operator',
    ]) {
      expect(re.test(ns)).toBe(true);
    }
    expect(re.test('training')).toBe(false);
    expect(re.test('nvidia-gpu-x')).toBe(false);
  });

  describe('validation', () => {
    test('throws without the GPU Operator', () => {
      expect(() =>
        build({}, { gpu: { management: GpuManagement.DEVICE_PLUGIN, standaloneDcgm: undefined } }),
      ).toThrow(
        /'platform' \(platform\/Gpu\) runs no standalone DCGM host engine \(management 'device-plugin'/,
      );
    });

    test('throws when the GPU Operator runs DCGM embedded in the exporter', () => {
      expect(() => build({}, { gpu: { standaloneDcgm: false } })).toThrow(
        /standaloneDcgm false\): .*standaloneDcgm: true/,
      );
    });

    test('throws when platform is not a GpuPlatform', () => {
      const { platform } = platformAndWorkloads();
      expect(() => new NvSentinel(platform, 'N', { platform: {} as unknown as GpuPlatform })).toThrow(
        ValidationError,
      );
      expect(() => new NvSentinel(platform, 'N2', { platform: 'gpu' as unknown as GpuPlatform })).toThrow(
        /'platform' must be a GpuPlatform or another IGpuPlatform construct, got string/,
      );
    });

    test('throws on a training namespace the drainer treats as a system namespace', () => {
      expect(() => build({ trainingNamespaces: ['kube-system'] })).toThrow(
        /'trainingNamespaces\[0\]' \('kube-system'\) is a system namespace/,
      );
    });

    test('throws on a duplicate training namespace', () => {
      expect(() => build({ trainingNamespaces: ['training', 'training'] })).toThrow(
        /'trainingNamespaces' lists 'training' twice/,
      );
    });

    test('throws on an invalid namespace name', () => {
      expect(() => build({ trainingNamespaces: ['Training'] })).toThrow(/'trainingNamespaces\[0\]'/);
      expect(() => build({ namespace: 'NVS' })).toThrow(/'namespace' \('NVS'\)/);
    });

    test('throws on an unknown eviction mode', () => {
      expect(() => build({ defaultEvictionMode: 'Now' as unknown as NvSentinelEvictionMode })).toThrow(
        /'defaultEvictionMode'/,
      );
    });

    test('throws when dryRun or installCertManager is not a boolean', () => {
      expect(() => build({ dryRun: 'no' as unknown as boolean })).toThrow(/'dryRun' must be true or false/);
      expect(() => build({ installCertManager: 1 as unknown as boolean })).toThrow(
        /'installCertManager' must be true or false/,
      );
    });
  });

  test('synthesizes with validations on', () => {
    const { platform } = build();
    expect(() => Testing.synth(platform, true)).not.toThrow();
  });
});
