import { Token } from 'cdktf';
import { Accelerator, ModelSpec, Quantization, ValidationError } from '../../lib/core';
import {
  GpuNodeImage,
  GpuPlatform,
  MetricsCollection,
  MetricsCollectionKind,
  ModelServer,
  ModelServerProps,
  MonitoringStack,
  ServingEngine,
  WeightsSource,
} from '../../lib/k8s';
import { hasBareColonMetric, promSelector } from '../../lib/k8s/private/metrics';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads, warningsOf } from './helpers';

const GMP = MetricsCollection.managedPrometheus({ project: 'acme-ml-serving' });
const GMP_URL = 'https://monitoring.googleapis.com/v1/projects/acme-ml-serving/location/global/prometheus';

const LLAMA_8B_AWQ_L4: ModelServerProps = {
  model: ModelSpec.LLAMA_3_1_8B,
  quantization: Quantization.AWQ,
  accelerator: Accelerator.L4,
  weights: WeightsSource.bucket('gs://acme-models/llama-3.1-8b-awq/'),
  namespace: 'llm',
  metricsCollection: GMP,
};

function serve(props: Partial<ModelServerProps> = {}) {
  const { platform, workloads } = platformAndWorkloads();
  const gpu = new GpuPlatform(platform, 'Gpu', {
    nodeImage: GpuNodeImage.DRIVER_TOOLKIT_AND_DEVICE_PLUGIN,
    dcgmExporter: false,
    jobSet: false,
    kueue: false,
  });
  const server = new ModelServer(workloads, 'Llama8B', { ...LLAMA_8B_AWQ_L4, platform: gpu, ...props });
  return { server, workloads, platform, json: synthJson(workloads) };
}

function manifests(json: ReturnType<typeof synthJson>, kind: string): any[] {
  return Object.values(resourcesOf(json, 'kubernetes_manifest'))
    .map((m: any) => m.manifest)
    .filter((m: any) => m.kind === kind);
}

describe('MetricsCollection', () => {
  test('defaults to prometheus-operator with a 15 s interval', () => {
    const c = MetricsCollection.prometheusOperator();
    expect(c.kind).toBe(MetricsCollectionKind.PROMETHEUS_OPERATOR);
    expect(c.managed).toBe(false);
    expect(c.scrapeIntervalSeconds).toBe(15);
    expect(c.queryUrl).toBeUndefined();
  });

  test('managed Prometheus defaults to a 30 s interval and the global query URL of the project', () => {
    expect(GMP.kind).toBe(MetricsCollectionKind.MANAGED_PROMETHEUS);
    expect(GMP.scrapeIntervalSeconds).toBe(30);
    expect(GMP.queryUrl).toBe(GMP_URL);
  });

  test('throws on a project number instead of a project id', () => {
    expect(() => MetricsCollection.managedPrometheus({ project: '210987654321' })).toThrow(ValidationError);
    expect(() => MetricsCollection.managedPrometheus({ project: '210987654321' })).toThrow(
      /managedPrometheus project' \('210987654321'\) is not a Google Cloud project id/,
    );
  });

  test('throws on a scrape interval outside 5-300 s', () => {
    expect(() =>
      MetricsCollection.managedPrometheus({ project: 'acme-ml', scrapeIntervalSeconds: 1 }),
    ).toThrow(/'scrapeIntervalSeconds' \(1\) must be an integer from 5 to 300/);
    expect(() =>
      MetricsCollection.managedPrometheus({ project: 'acme-ml', scrapeIntervalSeconds: 12.5 }),
    ).toThrow(ValidationError);
  });

  test.each<[string, unknown, string, string]>([
    ['a fraction', 12.5, '12.5', 'number-range'],
    ['above 300', 301, '301', 'number-range'],
    ['NaN', NaN, 'NaN', 'number-range'],
    ['a string', '30', "'30'", 'type'],
    ['a boolean', true, 'true', 'type'],
    ['an object', {}, 'an object', 'type'],
  ])('throws one message for a scrape interval that is %s', (_, value, shown, code) => {
    let error: unknown;
    try {
      MetricsCollection.managedPrometheus({ project: 'acme-ml', scrapeIntervalSeconds: value as number });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe(
      `MetricsCollection.managedPrometheus: 'scrapeIntervalSeconds' (${shown}) must be an integer from 5 to 300.`,
    );
    expect((error as ValidationError).code).toBe(code);
  });

  test('accepts an unresolved number token as the scrape interval', () => {
    const token = Token.asNumber({ Ref: 'interval' });
    expect(
      MetricsCollection.managedPrometheus({ project: 'acme-ml', scrapeIntervalSeconds: token })
        .scrapeIntervalSeconds,
    ).toBe(token);
  });
});

describe('PromQL for Managed Prometheus', () => {
  test('writes colon names as __name__ selectors only for Managed Prometheus', () => {
    expect(promSelector('vllm:num_requests_waiting', ['namespace="llm"'], true)).toBe(
      '{__name__="vllm:num_requests_waiting", namespace="llm"}',
    );
    expect(promSelector('vllm:num_requests_waiting', ['namespace="llm"'], false)).toBe(
      'vllm:num_requests_waiting{namespace="llm"}',
    );
    expect(promSelector('DCGM_FI_DEV_GPU_UTIL', [], true)).toBe('DCGM_FI_DEV_GPU_UTIL');
  });

  test('detects bare colon metric names, ignoring quoted values and ranges', () => {
    expect(hasBareColonMetric('sum(rate(vllm:num_incoming_requests_total[1m]))')).toBe(true);
    expect(hasBareColonMetric('sum(rate({__name__="vllm:x", model="a:b"}[5m:1m]))')).toBe(false);
    expect(hasBareColonMetric('sum(rate(nginx_ingress_controller_requests{host="llm"}[1m]))')).toBe(false);
  });
});

describe('ModelServer on Managed Prometheus', () => {
  test('creates a PodMonitoring on the pod labels and the http port, every 30 s, and no ServiceMonitor', () => {
    const { json, server } = serve();
    const [pm] = manifests(json, 'PodMonitoring');
    expect(pm.apiVersion).toBe('monitoring.googleapis.com/v1');
    expect(pm.metadata).toMatchObject({ name: 'llama8b-vllm', namespace: 'llm' });
    expect(pm.spec.selector).toEqual({
      matchLabels: { 'app.kubernetes.io/name': 'vllm', 'app.kubernetes.io/instance': 'llama8b' },
    });
    expect(pm.spec.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '30s' }]);
    expect(manifests(json, 'ServiceMonitor')).toHaveLength(0);
    expect(server.podMonitoring).toBeDefined();
    expect(server.serviceMonitor).toBeUndefined();
  });

  test('selects exactly the labels the pods carry', () => {
    const { json } = serve();
    const [pm] = manifests(json, 'PodMonitoring');
    const dep: any = Object.values(resourcesOf(json, 'kubernetes_deployment_v1'))[0];
    expect(dep.spec.template.metadata.labels).toMatchObject(pm.spec.selector.matchLabels);
  });

  test('does not warn that the server is unmonitored', () => {
    const { workloads } = serve();
    expect(warningsOf(workloads).join('\n')).not.toMatch(/k8s-model-server-unmonitored/);
  });

  test('scrapes the Triton metrics port', () => {
    const { json } = serve({
      engine: ServingEngine.TRITON_TENSORRT_LLM,
      weights: WeightsSource.bucket('gs://acme-models/llama-3.1-8b-trtllm/'),
      quantization: Quantization.FP8,
      accelerator: Accelerator.L4,
    });
    const [pm] = manifests(json, 'PodMonitoring');
    expect(pm.spec.endpoints[0].port).toBe('metrics');
  });

  test('honours the scrape interval', () => {
    const { json } = serve({
      metricsCollection: MetricsCollection.managedPrometheus({
        project: 'acme-ml',
        scrapeIntervalSeconds: 60,
      }),
    });
    expect(manifests(json, 'PodMonitoring')[0].spec.endpoints[0].interval).toBe('60s');
  });

  test('warns that a monitoring stack given alongside is not used', () => {
    const { platform, workloads } = platformAndWorkloads();
    const monitoring = new MonitoringStack(platform, 'Monitoring');
    new ModelServer(workloads, 'Llama8B', { ...LLAMA_8B_AWQ_L4, monitoring });
    expect(manifests(synthJson(workloads), 'ServiceMonitor')).toHaveLength(0);
    expect(warningsOf(workloads).join('\n')).toMatch(/k8s-model-server-monitoring-unused/);
  });

  test('keeps the ServiceMonitor for prometheus-operator collection', () => {
    const { platform, workloads } = platformAndWorkloads();
    const monitoring = new MonitoringStack(platform, 'Monitoring');
    new ModelServer(workloads, 'Llama8B', {
      ...LLAMA_8B_AWQ_L4,
      monitoring,
      metricsCollection: MetricsCollection.prometheusOperator(),
    });
    const json = synthJson(workloads);
    expect(manifests(json, 'ServiceMonitor')).toHaveLength(1);
    expect(manifests(json, 'PodMonitoring')).toHaveLength(0);
  });
});

describe('ModelServer autoscaling on Managed Prometheus', () => {
  test('queries the Managed Prometheus API of the project without a monitoring stack', () => {
    const { json } = serve({ autoscaling: { maxReplicas: 4 } });
    const [so] = manifests(json, 'ScaledObject');
    expect(so.spec.triggers[0].metadata.serverAddress).toBe(GMP_URL);
  });

  test('writes vLLM metric names as __name__ selectors, as the GCP alert policies do', () => {
    const { json } = serve({ autoscaling: { maxReplicas: 4 } });
    const [so] = manifests(json, 'ScaledObject');
    expect(so.spec.triggers[0].metadata.query).toBe(
      'sum({__name__="vllm:num_requests_waiting", namespace="llm", job="llama8b-vllm"})',
    );
    // Managed Prometheus names the job after the PodMonitoring.
    expect(manifests(json, 'PodMonitoring')[0].metadata.name).toBe('llama8b-vllm');
  });

  test('creates a TriggerAuthentication with GCP pod identity and references it from every trigger', () => {
    const { json, server } = serve({
      autoscaling: {
        maxReplicas: 4,
        scaleToZero: true,
        activationQuery: 'sum(rate({__name__="vllm:num_incoming_requests_total", model="llama-3.1-8b"}[1m]))',
      },
    });
    const [ta] = manifests(json, 'TriggerAuthentication');
    expect(ta).toMatchObject({
      apiVersion: 'keda.sh/v1alpha1',
      metadata: { name: 'llama8b-vllm-gcp', namespace: 'llm' },
      spec: { podIdentity: { provider: 'gcp' } },
    });
    const [so] = manifests(json, 'ScaledObject');
    expect(so.spec.triggers).toHaveLength(3);
    for (const t of so.spec.triggers) {
      expect(t.authenticationRef).toEqual({ name: 'llama8b-vllm-gcp' });
    }
    expect(so.spec.triggers[1].metadata.query).toBe(
      'sum({__name__="vllm:num_requests_running", namespace="llm", job="llama8b-vllm"}) + ' +
        'sum({__name__="vllm:num_requests_waiting", namespace="llm", job="llama8b-vllm"})',
    );
    expect(server.triggerAuthentication).toBeDefined();
  });

  test('warns when the activation query names a colon metric bare', () => {
    const { workloads } = serve({
      autoscaling: {
        maxReplicas: 4,
        scaleToZero: true,
        activationQuery: 'sum(rate(vllm:num_incoming_requests_total{model="llama-3.1-8b"}[1m]))',
      },
    });
    expect(warningsOf(workloads).join('\n')).toMatch(/k8s-gmp-colon-metric-name/);
  });

  test('uses an explicit prometheusUrl without GCP authentication', () => {
    const url = 'http://frontend.gmp-public.svc:9090';
    const { json } = serve({ autoscaling: { maxReplicas: 4, prometheusUrl: url } });
    const [so] = manifests(json, 'ScaledObject');
    expect(so.spec.triggers[0].metadata.serverAddress).toBe(url);
    expect(so.spec.triggers[0].authenticationRef).toBeUndefined();
    expect(manifests(json, 'TriggerAuthentication')).toHaveLength(0);
  });

  test('keeps in-cluster queries and no TriggerAuthentication for prometheus-operator collection', () => {
    const { platform, workloads } = platformAndWorkloads();
    const monitoring = new MonitoringStack(platform, 'Monitoring');
    new ModelServer(workloads, 'Llama8B', {
      ...LLAMA_8B_AWQ_L4,
      metricsCollection: undefined,
      monitoring,
      autoscaling: { maxReplicas: 2 },
    });
    const json = synthJson(workloads);
    const [so] = manifests(json, 'ScaledObject');
    expect(so.spec.triggers[0].metadata.query).toMatch(/^sum\(vllm:num_requests_waiting\{/);
    expect(so.spec.triggers[0].authenticationRef).toBeUndefined();
    expect(manifests(json, 'TriggerAuthentication')).toHaveLength(0);
  });

  test('warns when the GpuPlatform gives KEDA no Google service account', () => {
    const { workloads } = serve({ autoscaling: { maxReplicas: 2 } });
    expect(warningsOf(workloads).join('\n')).toMatch(/k8s-keda-without-gcp-identity/);
  });

  test('does not warn when KEDA is annotated for Workload Identity', () => {
    const { platform, workloads } = platformAndWorkloads();
    const gpu = new GpuPlatform(platform, 'Gpu', {
      nodeImage: GpuNodeImage.DRIVER_TOOLKIT_AND_DEVICE_PLUGIN,
      dcgmExporter: false,
      kedaServiceAccountAnnotations: {
        'iam.gke.io/gcp-service-account': 'keda-operator@acme-ml-serving.iam.gserviceaccount.com',
      },
    });
    new ModelServer(workloads, 'Llama8B', {
      ...LLAMA_8B_AWQ_L4,
      platform: gpu,
      autoscaling: { maxReplicas: 2 },
    });
    expect(warningsOf(workloads).join('\n')).not.toMatch(/k8s-keda-without-gcp-identity/);
  });

  test('throws when the TriggerAuthentication lands in the stack that installs the KEDA CRDs', () => {
    const { platform } = platformAndWorkloads();
    new GpuPlatform(platform, 'Gpu', {
      nodeImage: GpuNodeImage.DRIVER_TOOLKIT_AND_DEVICE_PLUGIN,
      dcgmExporter: false,
    });
    expect(
      () => new ModelServer(platform, 'Llama8B', { ...LLAMA_8B_AWQ_L4, autoscaling: { maxReplicas: 2 } }),
    ).toThrow(/ScaledObject \(keda.sh\) is a kubernetes_manifest in the same stack/);
  });
});
