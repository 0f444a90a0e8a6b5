import { parse } from 'yaml';
import { ValidationError } from '../../lib/core';
import { GpuManagement, GpuNodeImage, GpuPlatform, GpuPlatformProps, MonitoringStack } from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads, warningsOf } from './helpers';

const GSA = 'keda-operator@acme-ml-serving.iam.gserviceaccount.com';

/** GKE with Google-managed drivers (device plugin included) and GKE-managed DCGM. */
function gke(props: Partial<GpuPlatformProps> = {}) {
  const { platform } = platformAndWorkloads();
  const gpu = new GpuPlatform(platform, 'Gpu', {
    nodeImage: GpuNodeImage.DRIVER_TOOLKIT_AND_DEVICE_PLUGIN,
    dcgmExporter: false,
    kedaServiceAccountAnnotations: { 'iam.gke.io/gcp-service-account': GSA },
    jobSet: false,
    kueue: false,
    ...props,
  });
  const json = synthJson(platform);
  const releases = Object.values(resourcesOf(json, 'helm_release')) as any[];
  return { gpu, json, releases, platform };
}

describe('GpuPlatform on GKE (managed drivers, device plugin and DCGM)', () => {
  test('installs no device plugin and no dcgm-exporter, only KEDA', () => {
    const { releases, gpu, json } = gke();
    expect(releases.map((r) => r.name)).toEqual(['keda']);
    expect(gpu.releases['dcgm-exporter']).toBeUndefined();
    expect(gpu.releases['nvidia-device-plugin']).toBeUndefined();
    expect(gpu.dcgmExporterInstalled).toBe(false);
    expect(gpu.kedaInstalled).toBe(true);
    expect(resourcesOf(json, 'kubernetes_config_map_v1')).toEqual({});
  });

  test('annotates the KEDA operator service account for Workload Identity', () => {
    const { releases } = gke();
    const values = parse(releases[0].values[0]);
    expect(values.serviceAccount.operator).toEqual({
      name: 'keda-operator',
      annotations: { 'iam.gke.io/gcp-service-account': GSA },
    });
  });

  test('names the KEDA operator service account for bindings made outside the cluster', () => {
    expect(GpuPlatform.KEDA_OPERATOR_SERVICE_ACCOUNT).toEqual({ namespace: 'keda', name: 'keda-operator' });
  });

  test('does not warn about an unscraped exporter when there is none', () => {
    const { platform } = gke();
    expect(warningsOf(platform).join('\n')).not.toMatch(/k8s-dcgm-unscraped/);
  });

  test('warns when dcgm-exporter is off but a monitoring stack expects GPU metrics', () => {
    const { platform } = platformAndWorkloads();
    const monitoring = new MonitoringStack(platform, 'Monitoring');
    new GpuPlatform(platform, 'Gpu', {
      nodeImage: GpuNodeImage.DRIVER_TOOLKIT_AND_DEVICE_PLUGIN,
      dcgmExporter: false,
      monitoring,
    });
    expect(warningsOf(platform).join('\n')).toMatch(/k8s-dcgm-exporter-disabled/);
  });

  test('turns the GPU Operator exporter off', () => {
    const { releases, gpu } = gke({
      nodeImage: GpuNodeImage.NO_GPU_SOFTWARE,
      management: GpuManagement.GPU_OPERATOR,
    });
    const op = releases.find((r) => r.name === 'gpu-operator');
    expect(parse(op.values[0]).dcgmExporter).toEqual({ enabled: false });
    expect(gpu.releases['dcgm-exporter']).toBeUndefined();
    expect(op.depends_on).toHaveLength(1);
    expect(op.depends_on[0]).toMatch(/^kubernetes_namespace_v1\./);
  });

  test('defaults to installing dcgm-exporter and leaves the KEDA values empty', () => {
    const { platform } = platformAndWorkloads();
    const gpu = new GpuPlatform(platform, 'Gpu', {
      nodeImage: GpuNodeImage.DRIVER_TOOLKIT_AND_DEVICE_PLUGIN,
    });
    const releases = Object.values(resourcesOf(synthJson(platform), 'helm_release')) as any[];
    expect(gpu.dcgmExporterInstalled).toBe(true);
    expect(releases.find((r) => r.name === 'dcgm-exporter')).toBeDefined();
    expect(releases.find((r) => r.name === 'keda').values).toBeUndefined();
  });

  test('throws when KEDA annotations are given with KEDA disabled', () => {
    const build = () => gke({ keda: false });
    expect(build).toThrow(ValidationError);
    expect(build).toThrow(/'kedaServiceAccountAnnotations' is given but 'keda' is false/);
  });
});
