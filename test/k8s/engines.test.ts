import { Testing } from 'cdktf';
import { Construct } from 'constructs';
import { Accelerator, ModelSpec, Quantization, ValidationError } from '../../lib/core';
import {
  BucketLoading,
  EngineContainerContext,
  EngineMetricScope,
  IMAGES,
  IServingEngine,
  MetricsCollection,
  ModelServer,
  ModelServerProps,
  ServingEngine,
  TritonTensorRtLlmEngine,
  VllmEngine,
  WeightsSource,
} from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { clusterStack, FakeMonitoring, platformAndWorkloads } from './helpers';

/** A third engine, written as a user would: one class, no change to ModelServer. */
class EchoEngine extends VllmEngine {
  public readonly id = 'echo';
  public readonly displayName = 'Echo';
  public readonly ports = [
    { name: 'api', containerPort: 30000 },
    { name: 'prom', containerPort: 30001 },
  ];
  public readonly httpPort = 30000;
  public readonly probes = {
    port: 'api',
    startupPath: '/ready',
    readinessPath: '/ready',
    livenessPath: '/live',
  };
  public readonly metrics = {
    port: 'prom',
    path: '/stats',
    scope: EngineMetricScope.POD,
    queueDepth: { name: 'echo_queue' },
    runningRequests: { name: 'echo_running' },
    kvCacheUsage: { name: 'echo_kv' },
  };
  public readonly user = { uid: 4242, gid: 4242, name: 'echo', home: '/srv/echo' };
  public readonly weightLoading = {
    streamsS3ByDefault: false,
    downloadsFromHuggingFace: false,
    localModelDescription: 'an echo model directory',
  };
  public validate(scope: Construct): void {
    if (scope.node.id === 'Refused') {
      throw new ValidationError(`'engine' Echo refuses this server.`, scope);
    }
  }
  public container(c: EngineContainerContext) {
    return { command: ['echo-server'], args: ['--model', c.modelLocation, `--drain=${c.drainSeconds}`] };
  }
}

const PROPS: ModelServerProps = {
  model: ModelSpec.LLAMA_3_1_8B,
  quantization: Quantization.AWQ,
  accelerator: Accelerator.L4,
  weights: WeightsSource.bucket('s3://models/llama-3.1-8b-awq/'),
};

function serve(props: Partial<ModelServerProps>, id = 'Llama8B') {
  const { platform, workloads } = platformAndWorkloads();
  const monitoring = new FakeMonitoring(platform, 'Monitoring');
  const server = new ModelServer(workloads, id, { ...PROPS, monitoring, ...props });
  const json = synthJson(workloads);
  const deployment: any = Object.values(resourcesOf(json, 'kubernetes_deployment_v1'))[0];
  const manifests = Object.values(resourcesOf(json, 'kubernetes_manifest')).map((m: any) => m.manifest);
  return { server, json, deployment, container: deployment.spec.template.spec.container[0], manifests };
}

describe('ServingEngine catalogue', () => {
  test('keeps the enum spelling: VLLM and TRITON_TENSORRT_LLM are engines with ids vllm and triton', () => {
    expect(ServingEngine.VLLM).toBeInstanceOf(VllmEngine);
    expect(ServingEngine.VLLM.id).toBe('vllm');
    expect(ServingEngine.TRITON_TENSORRT_LLM).toBeInstanceOf(TritonTensorRtLlmEngine);
    expect(ServingEngine.TRITON_TENSORRT_LLM.id).toBe('triton');
  });

  test('factories take an image', () => {
    const image = { repository: 'registry.example.com/vllm/vllm-openai', tag: IMAGES.vllm.tag };
    expect(ServingEngine.vllm({ image }).image).toEqual(image);
    expect(ServingEngine.vllm().image).toEqual(IMAGES.vllm);
    expect(ServingEngine.tritonTensorRtLlm({ image }).image).toEqual(image);
    const { container } = serve({ engine: ServingEngine.vllm({ image }) });
    expect(container.image).toBe(`registry.example.com/vllm/vllm-openai:${IMAGES.vllm.tag}`);
  });

  test.each([ServingEngine.VLLM, ServingEngine.TRITON_TENSORRT_LLM])(
    '%p names its signals and a non-root user',
    (e) => {
      expect(e.ports[0].containerPort).toBe(e.httpPort);
      expect(e.ports.map((p) => p.name)).toContain(e.metrics.port);
      expect(e.ports.map((p) => p.name)).toContain(e.probes.port);
      expect(e.metrics.queueDepth.name).toBeTruthy();
      expect(e.metrics.runningRequests.name).toBeTruthy();
      expect(e.metrics.kvCacheUsage?.name).toBeTruthy();
      expect(e.user.uid).toBeGreaterThan(0);
      for (const p of e.ports) {
        expect(p.name).toMatch(/^[a-z0-9-]{1,15}$/);
      }
    },
  );

  test('vLLM metric names are the V1 engine gauges', () => {
    expect(ServingEngine.VLLM.metrics.queueDepth.name).toBe('vllm:num_requests_waiting');
    expect(ServingEngine.VLLM.metrics.runningRequests.name).toBe('vllm:num_requests_running');
    expect(ServingEngine.VLLM.metrics.kvCacheUsage!.name).toBe('vllm:kv_cache_usage_perc');
  });
});

describe('a custom engine (IServingEngine) plugs into ModelServer', () => {
  const engine: IServingEngine = new EchoEngine();

  test('renders its container, ports, probes, user and names', () => {
    const { container, deployment, server } = serve({
      engine,
      weights: WeightsSource.bucket('gs://models/x/'),
    });
    expect(deployment.metadata.name).toBe('llama8b-echo');
    expect(container.name).toBe('echo');
    expect(container.command).toEqual(['echo-server']);
    expect(container.args).toEqual(['--model', '/models/weights', '--drain=120']);
    expect(container.port.map((p: any) => p.container_port)).toEqual([30000, 30001]);
    expect(container.startup_probe.http_get).toEqual({ path: '/ready', port: 'api' });
    expect(container.liveness_probe.http_get).toEqual({ path: '/live', port: 'api' });
    expect(deployment.spec.template.spec.security_context.run_as_user).toBe('4242');
    expect(container.env).toContainEqual({ name: 'HOME', value: '/srv/echo' });
    expect(server.targetPort).toBe(30000);
    expect(server.url).toBe('http://llama8b-echo.default.svc.cluster.local:30000');
    expect(server.selectorLabels).toEqual({
      'app.kubernetes.io/name': 'echo',
      'app.kubernetes.io/instance': 'llama8b',
    });
  });

  test('scrapes its metrics port and path, and scales on its queue metric selected by scrape job', () => {
    const { manifests } = serve({
      engine,
      weights: WeightsSource.bucket('gs://models/x/'),
      autoscaling: { maxReplicas: 2 },
    });
    const sm = manifests.find((m: any) => m.kind === 'ServiceMonitor');
    expect(sm.spec.endpoints).toEqual([{ port: 'prom', path: '/stats', interval: '15s' }]);
    const so = manifests.find((m: any) => m.kind === 'ScaledObject');
    expect(so.spec.triggers[0].metadata.query).toBe(
      'sum(echo_queue{namespace="default", job="llama8b-echo"})',
    );
  });

  test('its own validation runs with the construct path', () => {
    expect(() => serve({ engine, weights: WeightsSource.bucket('gs://models/x/') }, 'Refused')).toThrow(
      /workloads\/Refused: 'engine' Echo refuses this server/,
    );
  });

  test('weights it cannot load are refused by the weights source, naming the engine', () => {
    expect(() => serve({ engine, weights: WeightsSource.huggingFace('org/model') })).toThrow(
      /cannot feed Echo: it needs an echo model directory/,
    );
    expect(() =>
      serve({ engine, weights: WeightsSource.bucket('s3://models/x/', { loading: BucketLoading.STREAM }) }),
    ).toThrow(/BucketLoading.STREAM is not supported by Echo/);
  });
});

test('a Hugging Face revision is refused by an engine that cannot pin one', () => {
  class NoRevisionEngine extends VllmEngine {
    public readonly displayName = 'NoRevision';
    public readonly weightLoading = { ...new VllmEngine().weightLoading, revisionArgs: undefined };
  }
  expect(() =>
    serve({
      engine: new NoRevisionEngine(),
      weights: WeightsSource.huggingFace('org/model', { revision: 'abc123' }),
    }),
  ).toThrow(/'weights' revision 'abc123' cannot be pinned with NoRevision/);
});

describe('ModelServer metric selectors', () => {
  test('both select by namespace and scrape job; Triton adds the request_type matcher', () => {
    const vllm = serve({}).server;
    expect(vllm.metricSelector(vllm.engine.metrics.queueDepth)).toBe(
      'vllm:num_requests_waiting{namespace="default", job="llama8b-vllm"}',
    );
    const triton = serve({ engine: ServingEngine.TRITON_TENSORRT_LLM }).server;
    expect(triton.metricSelector(triton.engine.metrics.queueDepth)).toBe(
      'nv_trt_llm_request_metrics{namespace="default", job="llama8b-triton", request_type="waiting"}',
    );
    expect(triton.metricSelector(triton.engine.metrics.kvCacheUsage!)).toBe(
      'nv_trt_llm_kv_cache_block_metrics{namespace="default", job="llama8b-triton", kv_cache_block_type="fraction"}',
    );
  });

  test('Triton scale to zero keeps the pods alive on running + waiting requests', () => {
    const { manifests } = serve({
      engine: ServingEngine.TRITON_TENSORRT_LLM,
      replicas: 0,
      autoscaling: {
        maxReplicas: 2,
        scaleToZero: true,
        activationQuery: 'sum(rate(ingress_requests_total[1m]))',
      },
    });
    const so = manifests.find((m: any) => m.kind === 'ScaledObject');
    expect(so.spec.triggers[1].metadata.query).toBe(
      'sum(nv_trt_llm_request_metrics{namespace="default", job="llama8b-triton", request_type="scheduled"}) + ' +
        'sum(nv_trt_llm_request_metrics{namespace="default", job="llama8b-triton", request_type="waiting"})',
    );
  });
});

describe('ModelServer NetworkPolicy', () => {
  function policy(props: Partial<ModelServerProps>) {
    const { json } = serve(props);
    return Object.values(resourcesOf(json, 'kubernetes_network_policy_v1'));
  }

  test('by default admits the own namespace on the API ports and the monitoring namespace on the metrics port', () => {
    const [np]: any[] = policy({ namespace: 'llm' });
    expect(np.metadata).toMatchObject({ name: 'llama8b-vllm', namespace: 'llm' });
    expect(np.spec.pod_selector.match_labels).toEqual({
      'app.kubernetes.io/name': 'vllm',
      'app.kubernetes.io/instance': 'llama8b',
    });
    expect(np.spec.policy_types).toEqual(['Ingress']);
    expect(np.spec.ingress).toEqual([
      { from: [{ pod_selector: {} }], ports: [{ port: 'http', protocol: 'TCP' }] },
      {
        from: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
        ports: [{ port: 'http', protocol: 'TCP' }],
      },
    ]);
    expect(np.spec.egress).toBeUndefined();
  });

  test('admits gateway namespaces and can exclude the own namespace', () => {
    const [np]: any[] = policy({
      networkPolicy: { clientNamespaces: ['gateway', 'router'], allowSameNamespace: false },
    });
    expect(np.spec.ingress[0].from).toEqual([
      { namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'gateway' } } },
      { namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'router' } } },
    ]);
  });

  test('Triton: clients reach all three ports, the scraper only the metrics port', () => {
    const [np]: any[] = policy({ engine: ServingEngine.TRITON_TENSORRT_LLM });
    expect(np.spec.ingress[0].ports.map((p: any) => p.port)).toEqual(['http', 'grpc', 'metrics']);
    expect(np.spec.ingress[1].ports).toEqual([{ port: 'metrics', protocol: 'TCP' }]);
  });

  test('with Managed Prometheus the scraper is gmp-system', () => {
    const [np]: any[] = policy({
      metricsCollection: MetricsCollection.managedPrometheus({ project: 'my-project' }),
    });
    expect(np.spec.ingress[1].from[0].namespace_selector.match_labels).toEqual({
      'kubernetes.io/metadata.name': 'gmp-system',
    });
  });

  test('without monitoring and with nobody allowed, the pods accept no connections but from their node', () => {
    const app = Testing.app();
    const stack = clusterStack(app, 'w');
    new ModelServer(stack, 'S', { ...PROPS, networkPolicy: { allowSameNamespace: false } });
    const [np]: any[] = Object.values(resourcesOf(synthJson(stack), 'kubernetes_network_policy_v1'));
    expect(np.spec.ingress).toEqual([]);
    expect(np.spec.policy_types).toEqual(['Ingress']);
  });

  test('can be turned off', () => {
    expect(policy({ networkPolicy: { enabled: false } })).toHaveLength(0);
  });

  test('throws on an invalid or repeated client namespace', () => {
    expect(() => policy({ networkPolicy: { clientNamespaces: ['Gateway'] } })).toThrow(
      /'networkPolicy.clientNamespaces\[0\]' \('Gateway'\) is not valid as a namespace name/,
    );
    expect(() => policy({ networkPolicy: { clientNamespaces: ['gw', 'gw'] } })).toThrow(
      /'networkPolicy.clientNamespaces' lists 'gw' twice/,
    );
    expect(() => policy({ networkPolicy: { clientNamespaces: 'gw' as any } })).toThrow(
      /'networkPolicy.clientNamespaces' must be an array, got a string/,
    );
  });
});
