import { parse } from 'yaml';
import { Accelerator, ModelSpec, Quantization } from '../../lib/core';
import {
  GpuManagement,
  GpuNodeImage,
  GpuPlatform,
  GpuPlatformProps,
  ModelServer,
  MonitoringStack,
  WeightsSource,
} from '../../lib/k8s';
import { HELM_CHARTS } from '../../lib/k8s/versions';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads, warningsOf } from './helpers';

function build(props: Partial<GpuPlatformProps> = {}, withMonitoring = true) {
  const { platform } = platformAndWorkloads();
  const monitoring = withMonitoring ? new MonitoringStack(platform, 'Monitoring') : undefined;
  const gpu = new GpuPlatform(platform, 'Gpu', {
    nodeImage: GpuNodeImage.DRIVER_AND_TOOLKIT,
    monitoring,
    ...props,
  });
  const json = synthJson(platform);
  const releases = Object.values(resourcesOf(json, 'helm_release')) as any[];
  const byName = (name: string) => releases.find((r) => r.name === name);
  const values = (name: string) => parse(byName(name).values[0]);
  return { gpu, json, releases, byName, values, platform };
}

describe('GpuPlatform', () => {
  test('installs the device plugin and standalone dcgm-exporter when the image has driver and toolkit', () => {
    const { byName } = build();
    expect(byName('nvidia-device-plugin')).toMatchObject({
      chart: 'nvidia-device-plugin',
      repository: 'https://nvidia.github.io/k8s-device-plugin',
      version: HELM_CHARTS.nvidiaDevicePlugin.version,
    });
    expect(byName('dcgm-exporter')).toMatchObject({ chart: 'dcgm-exporter', version: '4.8.2' });
    expect(byName('gpu-operator')).toBeUndefined();
  });

  test('device plugin and dcgm-exporter tolerate the GPU taint', () => {
    const { values } = build();
    const t = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };
    expect(values('nvidia-device-plugin').tolerations).toContainEqual(t);
    expect(values('dcgm-exporter').tolerations).toContainEqual(t);
  });

  test('skips the device plugin when the image ships it', () => {
    const { byName } = build({ nodeImage: GpuNodeImage.DRIVER_TOOLKIT_AND_DEVICE_PLUGIN });
    expect(byName('nvidia-device-plugin')).toBeUndefined();
    expect(byName('dcgm-exporter')).toBeDefined();
  });

  test('defaults to the GPU Operator installing driver and toolkit on a plain image', () => {
    const { byName, values, gpu } = build({ nodeImage: GpuNodeImage.NO_GPU_SOFTWARE });
    expect(gpu.management).toBe(GpuManagement.GPU_OPERATOR);
    expect(byName('gpu-operator')).toMatchObject({ chart: 'gpu-operator', version: 'v26.7.0' });
    expect(values('gpu-operator').driver).toEqual({ enabled: true });
    expect(values('gpu-operator').toolkit).toEqual({ enabled: true });
    expect(byName('dcgm-exporter')).toBeUndefined();
  });

  test('GPU Operator on a preinstalled-driver image turns driver and toolkit off', () => {
    const { values } = build({ management: GpuManagement.GPU_OPERATOR });
    const v = values('gpu-operator');
    expect(v.driver).toEqual({ enabled: false });
    expect(v.toolkit).toEqual({ enabled: false });
    expect(v.devicePlugin).toEqual({ enabled: true });
  });

  test('GPU Operator turns its device plugin off when the image ships one', () => {
    const { values } = build({
      management: GpuManagement.GPU_OPERATOR,
      nodeImage: GpuNodeImage.DRIVER_TOOLKIT_AND_DEVICE_PLUGIN,
    });
    expect(values('gpu-operator').devicePlugin).toEqual({ enabled: false });
  });

  test('GPU Operator dcgm-exporter uses the custom counters and the release label', () => {
    const { values } = build({ nodeImage: GpuNodeImage.NO_GPU_SOFTWARE });
    const d = values('gpu-operator').dcgmExporter;
    expect(d.config).toEqual({ name: 'dcgm-exporter-counters' });
    expect(d.env).toContainEqual({
      name: 'DCGM_EXPORTER_COLLECTORS',
      value: '/etc/dcgm-exporter/dcgm-metrics.csv',
    });
    expect(d.env).toContainEqual({ name: 'DCGM_EXPORTER_KUBERNETES', value: 'true' });
    expect(d.serviceMonitor.additionalLabels).toEqual({ release: 'kube-prometheus-stack' });
  });

  test('throws when the device plugin is asked for on a plain image', () => {
    const { platform } = platformAndWorkloads();
    expect(
      () =>
        new GpuPlatform(platform, 'Gpu', {
          nodeImage: GpuNodeImage.NO_GPU_SOFTWARE,
          management: GpuManagement.DEVICE_PLUGIN,
        }),
    ).toThrow(/'management' DEVICE_PLUGIN cannot work with 'nodeImage' NO_GPU_SOFTWARE/);
  });

  test('dcgm-exporter ServiceMonitor carries the release label the monitoring stack selects', () => {
    const { values } = build();
    expect(values('dcgm-exporter').serviceMonitor).toMatchObject({
      enabled: true,
      interval: '15s',
      additionalLabels: { release: 'kube-prometheus-stack' },
    });
  });

  test('dcgm-exporter keeps the pod labels of GPU series (drops the exporter target labels)', () => {
    const { values } = build();
    expect(values('dcgm-exporter').serviceMonitor).toMatchObject({
      honorLabels: true,
      relabelings: [{ action: 'labeldrop', regex: '^(pod|namespace|container)$' }],
    });
  });

  test('dcgm-exporter maps pods and reads the custom counters CSV', () => {
    const { values, json } = build();
    const v = values('dcgm-exporter');
    // The chart's DaemonSet sets DCGM_EXPORTER_KUBERNETES=true itself (templates/daemonset.yaml); repeating
    // it in extraEnv duplicates the env entry, which strategic-merge patches on helm upgrade choke on.
    expect(v.extraEnv ?? []).not.toContainEqual(
      expect.objectContaining({ name: 'DCGM_EXPORTER_KUBERNETES' }),
    );
    expect(v.arguments).toEqual(['-f', '/etc/dcgm-exporter/custom/dcgm-metrics.csv']);
    expect(v.extraConfigMapVolumes).toEqual([
      { name: 'custom-counters', configMap: { name: 'dcgm-exporter-counters' } },
    ]);
    const cm: any = Object.values(resourcesOf(json, 'kubernetes_config_map_v1')).find(
      (c: any) => c.metadata.name === 'dcgm-exporter-counters',
    );
    const csv: string = cm.data['dcgm-metrics.csv'];
    for (const m of [
      'DCGM_EXP_XID_ERRORS_COUNT',
      'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL',
      'DCGM_FI_DEV_THERMAL_VIOLATION',
      'DCGM_FI_DEV_POWER_VIOLATION',
      'DCGM_FI_DEV_ROW_REMAP_FAILURE',
      'DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS',
    ]) {
      expect(csv).toMatch(new RegExp(`^${m}, `, 'm'));
    }
  });

  test('counters CSV covers every DCGM metric the core alert rules read', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ALERT_RULES } = require('../../lib/core');
    const { json } = build();
    const cm: any = Object.values(resourcesOf(json, 'kubernetes_config_map_v1')).find(
      (c: any) => c.metadata.name === 'dcgm-exporter-counters',
    );
    const csv: string = cm.data['dcgm-metrics.csv'];
    const needed = (ALERT_RULES as Array<{ metrics: string[] }>)
      .flatMap((r) => r.metrics)
      .filter((m) => m.startsWith('DCGM_'));
    for (const m of needed) {
      expect(csv).toMatch(new RegExp(`^${m}, `, 'm'));
    }
  });

  test('profiling metrics can be turned off', () => {
    const { json } = build({ profilingMetrics: false });
    const cm: any = Object.values(resourcesOf(json, 'kubernetes_config_map_v1')).find(
      (c: any) => c.metadata.name === 'dcgm-exporter-counters',
    );
    expect(cm.data['dcgm-metrics.csv']).not.toMatch(/DCGM_FI_PROF_/);
  });

  test('installs KEDA, JobSet and Kueue by default with pinned versions', () => {
    const { byName, gpu } = build();
    expect(byName('keda')).toMatchObject({
      repository: 'https://kedacore.github.io/charts',
      version: '2.20.2',
    });
    expect(byName('jobset')).toMatchObject({
      repository: 'oci://registry.k8s.io/jobset/charts',
      version: '0.12.0',
    });
    expect(byName('kueue')).toMatchObject({
      repository: 'oci://registry.k8s.io/kueue/charts',
      version: '0.19.2',
    });
    expect(gpu.kedaInstalled && gpu.jobSetInstalled && gpu.kueueInstalled).toBe(true);
  });

  test('KEDA, JobSet and Kueue can be left out', () => {
    const { byName, gpu } = build({ keda: false, jobSet: false, kueue: false });
    expect(byName('keda')).toBeUndefined();
    expect(byName('jobset')).toBeUndefined();
    expect(byName('kueue')).toBeUndefined();
    expect(gpu.kedaInstalled).toBe(false);
  });

  test('does not install the EFA device plugin by default', () => {
    const { byName } = build();
    expect(byName('aws-efa-k8s-device-plugin')).toBeUndefined();
  });

  test('installs the EFA device plugin in kube-system when asked, tolerating the GPU taint', () => {
    const { byName, values } = build({ efa: true });
    expect(byName('aws-efa-k8s-device-plugin')).toMatchObject({
      repository: 'https://aws.github.io/eks-charts',
      namespace: 'kube-system',
    });
    expect(values('aws-efa-k8s-device-plugin').tolerations).toContainEqual({
      key: 'nvidia.com/gpu',
      operator: 'Exists',
      effect: 'NoSchedule',
    });
  });

  test('charts wait for the monitoring release in the same stack (ServiceMonitor CRD)', () => {
    const { byName } = build();
    expect(byName('dcgm-exporter').depends_on).toContainEqual(
      expect.stringMatching(/^helm_release\.Monitoring/),
    );
  });

  test('warns without a monitoring stack and disables the ServiceMonitor', () => {
    const { values, platform } = build({}, false);
    expect(values('dcgm-exporter').serviceMonitor).toEqual({ enabled: false });
    expect(warningsOf(platform).join('\n')).toMatch(/k8s-dcgm-unscraped/);
  });

  test('creates the NVIDIA namespace, nvidia-gpu by default', () => {
    const { json } = build();
    const ns = Object.values(resourcesOf(json, 'kubernetes_namespace_v1')) as any[];
    expect(ns.map((n) => n.metadata.name)).toContain('nvidia-gpu');
  });

  test('labels the NVIDIA namespace privileged for Pod Security Admission (hostPath, SYS_ADMIN, driver pods)', () => {
    // GPU Operator install guide: "kubectl label --overwrite ns gpu-operator pod-security.kubernetes.io/enforce=privileged";
    // dcgm-exporter's DaemonSet adds SYS_ADMIN and mounts the kubelet pod-resources hostPath.
    const { json } = build();
    const ns = (Object.values(resourcesOf(json, 'kubernetes_namespace_v1')) as any[]).find(
      (n) => n.metadata.name === 'nvidia-gpu',
    );
    expect(ns.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'privileged' });
  });

  test('throws on an invalid namespace', () => {
    expect(() => build({ namespace: 'GPU' })).toThrow(/'namespace' \('GPU'\)/);
  });

  function additionalServiceMonitors(json: any): any[] {
    const kps: any = (Object.values(resourcesOf(json, 'helm_release')) as any[]).find(
      (r) => r.chart === 'kube-prometheus-stack',
    );
    return parse(kps.values[0]).prometheus.additionalServiceMonitors;
  }

  test('asks the monitoring stack to scrape the JobSet controller (jobset_failed_total feeds the JobSetFailed alert)', () => {
    // jobset chart 0.12: Service jobset-metrics-service, labels = controller selector labels, port 'https' 8443,
    // secure controller-runtime metrics; the chart's own ServiceMonitor is off by default (prometheus.enable).
    const sms = additionalServiceMonitors(build().json);
    expect(sms).toContainEqual({
      name: 'jobset-controller-manager',
      selector: {
        matchLabels: {
          'app.kubernetes.io/name': 'jobset',
          'app.kubernetes.io/component': 'controller',
        },
      },
      namespaceSelector: { matchNames: ['jobset-system'] },
      endpoints: [
        {
          port: 'https',
          path: '/metrics',
          interval: '30s',
          scheme: 'https',
          bearerTokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
          tlsConfig: { insecureSkipVerify: true },
        },
      ],
    });
  });

  test('does not scrape JobSet or Kueue when they are not installed', () => {
    const sms = additionalServiceMonitors(build({ jobSet: false, kueue: false }).json);
    expect(sms).toEqual([]);
  });

  test('asks the monitoring stack to scrape the Kueue controller (its ServiceMonitor lacks the release label)', () => {
    const sms = additionalServiceMonitors(build({ jobSet: false }).json);
    expect(sms).toEqual([
      {
        name: 'kueue-controller-manager',
        selector: {
          matchLabels: {
            'app.kubernetes.io/name': 'kueue',
            'app.kubernetes.io/component': 'metrics-service',
          },
        },
        namespaceSelector: { matchNames: ['kueue-system'] },
        endpoints: [
          {
            port: 'https',
            path: '/metrics',
            interval: '30s',
            scheme: 'https',
            bearerTokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
            tlsConfig: { insecureSkipVerify: true },
          },
        ],
      },
    ]);
  });

  test('depends on the monitoring stack when it lives in another stack', () => {
    const { app, platform, workloads } = platformAndWorkloads();
    void app;
    const monitoring = new MonitoringStack(platform, 'Monitoring');
    new GpuPlatform(workloads, 'Gpu', { nodeImage: GpuNodeImage.DRIVER_AND_TOOLKIT, monitoring });
    expect(workloads.dependencies).toContain(platform);
  });

  test('a ScaledObject in the stack that installs KEDA is an error', () => {
    const { platform } = platformAndWorkloads();
    const monitoring = new MonitoringStack(platform, 'Monitoring');
    const gpu = new GpuPlatform(platform, 'Gpu', { nodeImage: GpuNodeImage.DRIVER_AND_TOOLKIT, monitoring });
    expect(
      () =>
        new ModelServer(platform, 'S', {
          model: ModelSpec.LLAMA_3_1_8B,
          quantization: Quantization.AWQ,
          accelerator: Accelerator.L4,
          weights: WeightsSource.bucket('s3://models/x/'),
          platform: gpu,
          autoscaling: { maxReplicas: 2, prometheusUrl: 'http://prometheus:9090' },
        }),
    ).toThrow(/ScaledObject \(keda.sh\) is a kubernetes_manifest in the same stack as 'platform\/Gpu'/);
  });

  describe('standaloneDcgm', () => {
    test('defaults to DCGM embedded in dcgm-exporter: no dcgm value, no host engine address', () => {
      const { gpu, values } = build({ management: GpuManagement.GPU_OPERATOR });
      expect(values('gpu-operator').dcgm).toBeUndefined();
      expect(gpu.dcgmHostEngineAddress).toBeUndefined();
    });

    test('runs the GPU Operator host engine and exposes its Service address', () => {
      const { gpu, values } = build({ management: GpuManagement.GPU_OPERATOR, standaloneDcgm: true });
      expect(values('gpu-operator').dcgm).toEqual({ enabled: true });
      expect(gpu.dcgmHostEngineAddress).toBe('nvidia-dcgm.nvidia-gpu.svc:5555');
    });

    test('the address follows the namespace', () => {
      const { gpu } = build({
        management: GpuManagement.GPU_OPERATOR,
        standaloneDcgm: true,
        namespace: 'gpu',
      });
      expect(gpu.dcgmHostEngineAddress).toBe('nvidia-dcgm.gpu.svc:5555');
    });

    test('throws without the GPU Operator', () => {
      expect(() => build({ standaloneDcgm: true })).toThrow(
        /'standaloneDcgm' needs 'management' GPU_OPERATOR .*got 'device-plugin'/,
      );
    });

    test('throws when not a boolean', () => {
      expect(() =>
        build({ management: GpuManagement.GPU_OPERATOR, standaloneDcgm: 'yes' as unknown as boolean }),
      ).toThrow(/'standaloneDcgm' must be true or false/);
    });
  });
});

describe('GpuPlatform NVIDIA namespace: created only when something is deployed into it', () => {
  const nvidiaNamespace = (json: any) =>
    (Object.values(resourcesOf(json, 'kubernetes_namespace_v1')) as any[]).filter(
      (n) => n.metadata.name === 'nvidia-gpu',
    );

  test.each<[string, Partial<GpuPlatformProps>, string[]]>([
    [
      'the device plugin alone',
      { nodeImage: GpuNodeImage.DRIVER_AND_TOOLKIT, dcgmExporter: false },
      ['nvidia-device-plugin'],
    ],
    [
      'dcgm-exporter alone (the image ships the device plugin)',
      { nodeImage: GpuNodeImage.DRIVER_TOOLKIT_AND_DEVICE_PLUGIN },
      ['dcgm-exporter'],
    ],
    [
      'the GPU Operator (driver, toolkit, GPU feature discovery)',
      { nodeImage: GpuNodeImage.NO_GPU_SOFTWARE, dcgmExporter: false },
      ['gpu-operator'],
    ],
    [
      'the GPU Operator on an image with the device plugin (feature discovery, validator)',
      {
        nodeImage: GpuNodeImage.DRIVER_TOOLKIT_AND_DEVICE_PLUGIN,
        management: GpuManagement.GPU_OPERATOR,
        dcgmExporter: false,
      },
      ['gpu-operator'],
    ],
  ])('created for %s, which depends on it', (_name, props, releases) => {
    const { json, releases: all, gpu } = build(props);
    expect(nvidiaNamespace(json)).toHaveLength(1);
    expect(gpu.resource).toBeDefined();
    expect(gpu.node.defaultChild).toBe(gpu.resource);
    const inNamespace = all.filter((r) => r.namespace === 'nvidia-gpu');
    expect(inNamespace.map((r) => r.name).sort()).toEqual(releases);
    for (const r of inNamespace)
      expect(r.depends_on.join(' ')).toMatch(/kubernetes_namespace_v1\.Gpu_Namespace_/);
  });

  test('not created when neither the device plugin nor dcgm-exporter nor the GPU Operator is deployed', () => {
    const { json, releases, gpu } = build(
      { nodeImage: GpuNodeImage.DRIVER_TOOLKIT_AND_DEVICE_PLUGIN, dcgmExporter: false },
      false,
    );
    expect(nvidiaNamespace(json)).toEqual([]);
    expect(resourcesOf(json, 'kubernetes_config_map_v1')).toEqual({});
    expect(releases.filter((r) => r.namespace === 'nvidia-gpu')).toEqual([]);
    expect(gpu.resource).toBeUndefined();
    // The name is still reported (other constructs list it as a system namespace).
    expect(gpu.namespace).toBe('nvidia-gpu');
  });
});
