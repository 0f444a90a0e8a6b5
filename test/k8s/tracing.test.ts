import { TerraformStack } from 'cdktf';
import { parse } from 'yaml';
import { Accelerator, ModelSpec, Quantization, ValidationError } from '../../lib/core';
import {
  GatewayImplementation,
  ITraceCollector,
  InferenceGatewayPlatform,
  InferencePool,
  ModelServer,
  ModelServerProps,
  MonitoringStack,
  OPS_HELM_CHARTS,
  OPS_IMAGES,
  ServingEngine,
  TEMPO_DATASOURCE_UID,
  TraceBackend,
  TraceCollector,
  TraceCollectorProps,
  TrainingJob,
  WeightsSource,
} from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads, vllmBackend, warningsOf } from './helpers';

const TEMPO = TraceBackend.tempo({ otlpEndpoint: 'tempo-distributor.tracing.svc:4317' });

function collector(props: Partial<TraceCollectorProps> = {}, stack?: TerraformStack) {
  const { platform } = platformAndWorkloads();
  const scope = stack ?? platform;
  const traces = new TraceCollector(scope, 'Traces', { backends: [TEMPO], ...props });
  const json = synthJson(scope as TerraformStack);
  const release: any = Object.values(resourcesOf(json, 'helm_release')).find(
    (r: any) => r.chart === 'opentelemetry-collector',
  );
  // Terraform turns `$${` into `${`: what the chart receives.
  const values = parse(release.values[0].split('$${').join('${'));
  return { traces, json, release, values, platform: scope as TerraformStack };
}

/** Every component a pipeline names is defined in its section (what the collector checks at start). */
function undefinedComponents(config: any): string[] {
  const missing: string[] = [];
  for (const [name, p] of Object.entries<any>(config.service.pipelines)) {
    for (const kind of ['receivers', 'processors', 'exporters']) {
      for (const id of p[kind] ?? []) {
        if (!(id in (config[kind] ?? {}))) missing.push(`${name}.${kind}.${id}`);
      }
    }
  }
  for (const id of config.service.extensions ?? []) {
    if (!(id in (config.extensions ?? {}))) missing.push(`extensions.${id}`);
  }
  return missing;
}

describe('TraceCollector', () => {
  test('installs the pinned opentelemetry-collector chart with the contrib image, in deployment mode', () => {
    const { release, values } = collector();
    expect(release).toMatchObject({
      name: 'otel-collector',
      namespace: 'observability',
      repository: 'https://open-telemetry.github.io/opentelemetry-helm-charts',
      chart: 'opentelemetry-collector',
      version: OPS_HELM_CHARTS.openTelemetryCollector.version,
    });
    expect(values.mode).toBe('deployment');
    expect(values.image).toEqual({
      repository: 'otel/opentelemetry-collector-contrib',
      tag: OPS_IMAGES.openTelemetryCollectorContrib.tag,
    });
  });

  test('defaults to 2 replicas with a PodDisruptionBudget, 1024 MiB and a 0.1 sampling ratio', () => {
    const { values, traces } = collector();
    expect(values.replicaCount).toBe(2);
    expect(values.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
    expect(values.resources.limits.memory).toBe('1024Mi');
    expect(traces.samplingRatio).toBe(0.1);
  });

  test('one replica has no PodDisruptionBudget (it would block every drain)', () => {
    expect(collector({ replicas: 1 }).values.podDisruptionBudget).toEqual({ enabled: false });
  });

  test('pods pass Pod Security restricted and the namespace enforces it', () => {
    const { values, json } = collector();
    expect(values.podSecurityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(values.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    const ns: any = Object.values(resourcesOf(json, 'kubernetes_namespace_v1'))[0];
    expect(ns.metadata.name).toBe('observability');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('turns off the Jaeger and Zipkin ports of the chart defaults', () => {
    const { values } = collector();
    for (const p of ['jaeger-compact', 'jaeger-thrift', 'jaeger-grpc', 'zipkin']) {
      expect(values.ports[p]).toEqual({ enabled: false });
    }
    expect(values.ports.otlp).toEqual({ enabled: true });
  });

  test('writes the whole collector configuration: OTLP in, memory_limiter and batch, the backend out', () => {
    const { values } = collector();
    const config = values.alternateConfig;
    expect(config.receivers).toEqual({
      otlp: {
        protocols: {
          grpc: { endpoint: '${env:MY_POD_IP}:4317' },
          http: { endpoint: '${env:MY_POD_IP}:4318' },
        },
      },
    });
    expect(config.service.pipelines).toEqual({
      traces: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['otlp/tempo'] },
    });
    expect(config.exporters['otlp/tempo']).toEqual({
      endpoint: 'tempo-distributor.tracing.svc:4317',
      tls: { insecure: true },
    });
    // The chart's probes call health_check on 13133.
    expect(config.extensions.health_check.endpoint).toBe('${env:MY_POD_IP}:13133');
    expect(undefinedComponents(config)).toEqual([]);
  });

  test('escapes the collector’s ${env:...} references from Terraform', () => {
    const { release } = collector();
    expect(release.values[0]).toContain('$${env:MY_POD_IP}:4317');
    expect(release.values[0]).not.toMatch(/[^$]\$\{env:/);
  });

  test('the structure check finds a pipeline that names an undefined component', () => {
    expect(
      undefinedComponents({
        receivers: { otlp: {} },
        exporters: {},
        service: {
          extensions: ['health_check'],
          pipelines: { traces: { receivers: ['otlp'], exporters: ['x'] } },
        },
      }),
    ).toEqual(['traces.exporters.x', 'extensions.health_check']);
  });

  test('a Tempo endpoint outside the cluster uses TLS unless told otherwise', () => {
    expect(TraceBackend.tempo({ otlpEndpoint: 'tempo.example.com:443' }).exporterConfig).toEqual({
      endpoint: 'tempo.example.com:443',
      tls: { insecure: false },
    });
    expect(
      TraceBackend.tempo({ otlpEndpoint: 'tempo.svc.cluster.local:4317', insecure: false }).exporterConfig,
    ).toMatchObject({ tls: { insecure: false } });
  });

  test('exports to AWS X-Ray and Google Cloud Trace with the contrib exporters', () => {
    const { values } = collector({
      backends: [
        TraceBackend.awsXRay({ region: 'us-east-1' }),
        TraceBackend.googleCloudTrace({ project: 'acme-ml' }),
      ],
    });
    const config = values.alternateConfig;
    expect(config.exporters).toEqual({
      awsxray: { region: 'us-east-1' },
      googlecloud: { project: 'acme-ml' },
    });
    expect(config.service.pipelines.traces.exporters).toEqual(['awsxray', 'googlecloud']);
    expect(undefinedComponents(config)).toEqual([]);
  });

  test('publishes its endpoints and the service account cloud roles bind to', () => {
    const { traces, values } = collector({ namespace: 'otel', releaseName: 'traces' });
    expect(traces.otlpGrpcEndpoint).toBe('http://traces.otel.svc:4317');
    expect(traces.otlpHttpEndpoint).toBe('http://traces.otel.svc:4318');
    expect(traces.serviceAccountName).toBe('traces');
    expect(values.serviceAccount).toEqual({ create: true, name: 'traces' });
    expect(values.fullnameOverride).toBe('traces');
  });

  test('annotates the service account when asked (IRSA)', () => {
    const { values } = collector({
      serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/x' },
    });
    expect(values.serviceAccount.annotations).toEqual({
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/x',
    });
  });

  test('without monitoring the metrics port and ServiceMonitor stay off', () => {
    const { values } = collector();
    expect(values.ports.metrics).toEqual({ enabled: false });
    expect(values.serviceMonitor).toBeUndefined();
  });

  test('with monitoring: a ServiceMonitor with the stack’s labels, a Tempo data source and trace links', () => {
    const { platform } = platformAndWorkloads();
    const monitoring = new MonitoringStack(platform, 'Monitoring');
    const tempo = TraceBackend.tempo({
      otlpEndpoint: 'tempo-distributor.tracing.svc:4317',
      queryUrl: 'http://tempo-query-frontend.tracing.svc:3200',
    });
    const { values, json } = collector({ monitoring, backends: [tempo] }, platform);
    expect(values.ports.metrics).toEqual({ enabled: true });
    expect(values.serviceMonitor).toEqual({
      enabled: true,
      extraLabels: { release: 'kube-prometheus-stack' },
    });
    const maps = Object.values(resourcesOf(json, 'kubernetes_config_map_v1')) as any[];
    const ds = maps.find((m) => m.metadata.labels?.grafana_datasource === '1');
    expect(ds.metadata.namespace).toBe('monitoring');
    expect(parse(ds.data['tempo-datasource.yaml']).datasources[0]).toMatchObject({
      type: 'tempo',
      uid: TEMPO_DATASOURCE_UID,
      url: 'http://tempo-query-frontend.tracing.svc:3200',
    });
    const serving = maps.find((m) => m.metadata.name === 'cdktf-ai-serving-dashboard');
    const raw: string = serving.data['cdktf-ai-serving.json'];
    const board = JSON.parse(raw.split('$${').join('${'));
    expect(board.links[0]).toMatchObject({ title: 'Traces (Tempo)', type: 'link' });
    expect(board.links[0].url).toMatch(/^\/explore\?schemaVersion=1&panes=/);
    const e2e = board.panels.find((p: any) => p.title === 'End-to-end request latency');
    const link = e2e.fieldConfig.defaults.links[0];
    // Grafana reads the variable unencoded; Terraform gets it escaped.
    expect(link.url).toContain('${__field.labels.model_name}');
    expect(raw).toContain('$${__field.labels.model_name}');
    const panes = JSON.parse(decodeURIComponent(link.url.split('panes=')[1]));
    expect(panes.a.queries[0]).toMatchObject({
      datasource: { type: 'tempo', uid: 'tempo' },
      query: '{resource.service.name="${__field.labels.model_name}"}',
    });
  });

  test('the serving dashboard has no trace links without a trace data source', () => {
    const { platform } = platformAndWorkloads();
    new MonitoringStack(platform, 'Monitoring');
    const maps = Object.values(resourcesOf(synthJson(platform), 'kubernetes_config_map_v1')) as any[];
    const serving = maps.find((m) => m.metadata.name === 'cdktf-ai-serving-dashboard');
    expect(JSON.parse(serving.data['cdktf-ai-serving.json']).links ?? []).toEqual([]);
  });

  test('throws when a second trace data source is added', () => {
    const { platform } = platformAndWorkloads();
    const monitoring = new MonitoringStack(platform, 'Monitoring');
    monitoring.addTraceDataSource({ url: 'http://tempo:3200' });
    expect(() => monitoring.addTraceDataSource({ url: 'http://tempo2:3200' })).toThrow(
      /a trace data source exists already/,
    );
  });

  test.each([
    ['no backend', { backends: [] }, /'backends' is empty/],
    [
      'two backends of one kind',
      { backends: [TEMPO, TraceBackend.tempo({ otlpEndpoint: 'other.tracing.svc:4317' })] },
      /backends/,
    ],
    ['a backend that is not a TraceBackend', { backends: [{} as TraceBackend] }, /must be a TraceBackend/],
    ['a sampling ratio above 1', { samplingRatio: 1.5 }, /samplingRatio/],
    ['a negative sampling ratio', { samplingRatio: -0.1 }, /samplingRatio/],
    ['zero replicas', { replicas: 0 }, /replicas/],
    ['a fractional memory limit', { memoryMiB: 512.5 }, /memoryMiB/],
    ['a memory limit below 128 MiB', { memoryMiB: 64 }, /memoryMiB/],
    ['an invalid namespace', { namespace: 'Observability' }, /namespace/],
    ['an invalid release name', { releaseName: 'otel_collector' }, /releaseName/],
    ['an invalid annotation key', { serviceAccountAnnotations: { 'a b': 'x' } }, /serviceAccountAnnotations/],
  ] as const)('throws a ValidationError on %s', (_name, props, message) => {
    const make = () =>
      new TraceCollector(platformAndWorkloads().platform, 'Traces', {
        backends: [TEMPO],
        ...(props as object),
      });
    expect(make).toThrow(ValidationError);
    expect(make).toThrow(message);
  });

  test.each([
    [
      'a Tempo endpoint with a scheme',
      () => TraceBackend.tempo({ otlpEndpoint: 'http://tempo:4317' }),
      /host:port/,
    ],
    [
      'a Tempo query URL that is not http(s)',
      () => TraceBackend.tempo({ otlpEndpoint: 'tempo:4317', queryUrl: 'ftp://tempo' }),
      /queryUrl/,
    ],
    ['an invalid AWS region', () => TraceBackend.awsXRay({ region: 'us-east' }), /region/],
    [
      'an invalid project id',
      () => TraceBackend.googleCloudTrace({ project: 'Acme' }),
      /googleCloudTrace project/,
    ],
  ])('TraceBackend throws a ValidationError on %s', (_name, make, message) => {
    expect(make).toThrow(ValidationError);
    expect(make).toThrow(message);
  });
});

const SERVER: ModelServerProps = {
  model: ModelSpec.LLAMA_3_1_8B,
  quantization: Quantization.AWQ,
  accelerator: Accelerator.L4,
  namespace: 'llm',
  weights: WeightsSource.bucket('s3://models/llama-3.1-8b-awq/'),
};

function serverContainer(props: Partial<ModelServerProps>) {
  const { platform, workloads } = platformAndWorkloads();
  const traces = new TraceCollector(platform, 'Traces', { backends: [TEMPO], samplingRatio: 0.25 });
  new ModelServer(workloads, 'Llama', { ...SERVER, tracing: traces, ...props });
  const dep: any = Object.values(resourcesOf(synthJson(workloads), 'kubernetes_deployment_v1'))[0];
  const c = dep.spec.template.spec.container[0];
  const env = Object.fromEntries((c.env ?? []).map((e: any) => [e.name, e.value]));
  return { c, env, workloads };
}

describe('tracing from model servers, pickers and training jobs', () => {
  test('vLLM sends its spans to the collector over OTLP/gRPC, sampled by the collector’s ratio', () => {
    const { c, env } = serverContainer({});
    const i = c.args.indexOf('--otlp-traces-endpoint');
    expect(c.args[i + 1]).toBe('http://otel-collector.observability.svc:4317');
    expect(c.args).not.toContain('--collect-detailed-traces');
    expect(env).toMatchObject({
      OTEL_SERVICE_NAME: 'llama-3.1-8b',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_RESOURCE_ATTRIBUTES: 'k8s.namespace.name=llm,k8s.deployment.name=llama-vllm',
    });
  });

  test('detailedTraces adds vLLM’s --collect-detailed-traces all', () => {
    const { c } = serverContainer({ detailedTraces: true });
    const i = c.args.indexOf('--collect-detailed-traces');
    expect(c.args[i + 1]).toBe('all');
  });

  test('without tracing no OTEL environment and no trace flag (default)', () => {
    const { workloads } = platformAndWorkloads();
    new ModelServer(workloads, 'Llama', SERVER);
    const dep: any = Object.values(resourcesOf(synthJson(workloads), 'kubernetes_deployment_v1'))[0];
    const c = dep.spec.template.spec.container[0];
    expect(c.args).not.toContain('--otlp-traces-endpoint');
    expect((c.env ?? []).filter((e: any) => e.name.startsWith('OTEL_'))).toEqual([]);
  });

  test('warns when detailedTraces is set without tracing', () => {
    const { workloads } = platformAndWorkloads();
    new ModelServer(workloads, 'Llama', { ...SERVER, detailedTraces: true });
    expect(warningsOf(workloads).join('\n')).toMatch(/k8s-detailed-traces-without-tracing/);
  });

  test('warns when the engine exports no traces (Triton) and adds nothing', () => {
    const { c, workloads } = serverContainer({
      engine: ServingEngine.TRITON_TENSORRT_LLM,
      weights: WeightsSource.bucket('s3://models/llama-3.1-8b-trtllm-l4/'),
    });
    expect(warningsOf(workloads).join('\n')).toMatch(/k8s-engine-without-tracing/);
    expect(c.args.join(' ')).not.toMatch(/otlp/);
  });

  test('throws when extraArgs repeats --otlp-traces-endpoint', () => {
    expect(() => serverContainer({ extraArgs: ['--otlp-traces-endpoint=http://x:4317'] })).toThrow(
      /repeats --otlp-traces-endpoint/,
    );
  });

  test('throws a ValidationError when detailedTraces is not a boolean', () => {
    expect(() => serverContainer({ detailedTraces: 'yes' as unknown as boolean })).toThrow(ValidationError);
  });

  test('the endpoint picker traces through the chart’s router.tracing', () => {
    const { platform, workloads } = platformAndWorkloads();
    const gp = new InferenceGatewayPlatform(platform, 'Gw', {
      implementation: GatewayImplementation.istio(),
    });
    const traces = new TraceCollector(platform, 'Traces', { backends: [TEMPO], samplingRatio: 0.05 });
    const backend = vllmBackend('llama-8b', {
      podSelectorLabels: { 'app.kubernetes.io/instance': 'llama-8b' },
    });
    new InferencePool(workloads, 'Pool', { backend, platform: gp, tracing: traces });
    const release: any = Object.values(resourcesOf(synthJson(workloads), 'helm_release'))[0];
    expect(parse(release.values[0]).router.tracing).toEqual({
      enabled: true,
      otelExporterEndpoint: 'http://otel-collector.observability.svc:4317',
      sampling: { sampler: 'parentbased_traceidratio', samplerArg: '0.05' },
    });
  });

  test('a training job gets the OpenTelemetry SDK environment', () => {
    const { workloads } = platformAndWorkloads();
    const traces: ITraceCollector = Object.assign(workloads.node.root, {
      otlpGrpcEndpoint: 'http://otel.o.svc:4317',
      otlpHttpEndpoint: 'http://otel.o.svc:4318',
      samplingRatio: 1,
    });
    new TrainingJob(workloads, 'Finetune', {
      image: 'pytorch/pytorch:2.13.0-cuda13.0-cudnn9-runtime',
      command: ['torchrun', 'train.py'],
      nodes: 2,
      gpusPerNode: 8,
      accelerator: Accelerator.H100,
      namespace: 'training',
      checkpoint: { uri: 's3://ckpt/llama/' },
      tracing: traces,
    });
    const js: any = (Object.values(resourcesOf(synthJson(workloads), 'kubernetes_manifest')) as any[])
      .map((m) => m.manifest)
      .find((m) => m.kind === 'JobSet');
    const env = Object.fromEntries(
      js.spec.replicatedJobs[0].template.spec.template.spec.containers[0].env.map((e: any) => [
        e.name,
        e.value,
      ]),
    );
    expect(env).toMatchObject({
      OTEL_SERVICE_NAME: 'finetune',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://otel.o.svc:4317',
      OTEL_TRACES_SAMPLER_ARG: '1',
      OTEL_RESOURCE_ATTRIBUTES: 'k8s.namespace.name=training,k8s.jobset.name=finetune',
    });
  });
});
