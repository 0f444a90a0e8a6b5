import { ModelSpec, Quantization, ValidationError } from '../../lib/core';
import { LlamaCppServer, LlamaCppServerProps, MetricsCollection, WeightsSource } from '../../lib/k8s';
import { validateKubernetesObject } from '../consumers/k8s-schema';
import { resourcesOf, synthJson } from '../util';
import { FakeMonitoring, FakePlatform, platformAndWorkloads, warningsOf } from './helpers';

// LlamaCppServer's operations objects (issue 9 section 3): the same ScaledObject, scrape,
// NetworkPolicy and PodDisruptionBudget code as ModelServer, on llama-server's own signals.

const PROPS: LlamaCppServerProps = {
  model: ModelSpec.LLAMA_3_1_8B,
  quantization: Quantization.GGUF_Q4_K_M,
  weights: WeightsSource.bucket('s3://models/llama-3.1-8b-gguf/'),
  ggufFile: 'Llama-3.1-8B-Instruct-Q4_K_M.gguf',
  namespace: 'llm',
};
const NAME = 'llama8bcpu-llama-cpp';

function serve(props: Partial<LlamaCppServerProps> = {}, monitored = true) {
  const { platform, workloads } = platformAndWorkloads();
  const monitoring = monitored ? new FakeMonitoring(platform, 'Monitoring') : undefined;
  const server = new LlamaCppServer(workloads, 'Llama8BCpu', { ...PROPS, monitoring, ...props });
  return { server, workloads, platform };
}

function synth(workloads: Parameters<typeof synthJson>[0]) {
  const json = synthJson(workloads);
  const manifests = Object.values(resourcesOf(json, 'kubernetes_manifest')).map((m: any) => m.manifest);
  const byKind = (kind: string) => manifests.filter((m: any) => m.kind === kind);
  const [np] = Object.values(resourcesOf(json, 'kubernetes_network_policy_v1')) as any[];
  const [pdb] = Object.values(resourcesOf(json, 'kubernetes_pod_disruption_budget_v1')) as any[];
  const [deployment] = Object.values(resourcesOf(json, 'kubernetes_deployment_v1')) as any[];
  return { json, manifests, byKind, np, pdb, deployment };
}

const AUTOSCALING = { maxReplicas: 4 };

describe('LlamaCppServer operations defaults', () => {
  test('defaults to a PodDisruptionBudget of maxUnavailable 1 over the server pods', () => {
    const { workloads, server } = serve();
    const { pdb } = synth(workloads);
    expect(pdb.metadata).toMatchObject({ name: NAME, namespace: 'llm' });
    expect(pdb.spec).toEqual({ max_unavailable: '1', selector: { match_labels: server.podLabels } });
    expect(server.podDisruptionBudget).toBeDefined();
  });

  test('podDisruptionBudget: false leaves it out', () => {
    const { workloads, server } = serve({ podDisruptionBudget: false });
    expect(synth(workloads).pdb).toBeUndefined();
    expect(server.podDisruptionBudget).toBeUndefined();
  });

  test('defaults to a NetworkPolicy: own namespace on the API port, the monitoring namespace on the metrics port', () => {
    const { workloads, server } = serve();
    const { np } = synth(workloads);
    expect(np.spec.pod_selector).toEqual({ match_labels: server.podLabels });
    expect(np.spec.policy_types).toEqual(['Ingress']);
    expect(np.spec.ingress).toEqual([
      { from: [{ pod_selector: {} }], ports: [{ port: 'http', protocol: 'TCP' }] },
      {
        from: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
        ports: [{ port: 'http', protocol: 'TCP' }],
      },
    ]);
  });

  test('networkPolicy.enabled: false leaves it out', () => {
    const { workloads, server } = serve({ networkPolicy: { enabled: false } });
    expect(synth(workloads).np).toBeUndefined();
    expect(server.networkPolicy).toBeUndefined();
  });

  test('clientNamespaces, clientCidrs and allowIngressFromNamespaces admit their sources to the API port, once each', () => {
    const { workloads, server } = serve({
      networkPolicy: { clientNamespaces: ['apps'], clientCidrs: ['10.20.0.0/16'], allowSameNamespace: false },
    });
    server.allowIngressFromNamespaces(['gateway', 'apps']);
    server.allowIngressFromNamespaces(['gateway']);
    server.allowIngressFromCidrs(['10.30.0.0/23']);
    const ns = (n: string) => ({
      namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': n } },
    });
    expect(synth(workloads).np.spec.ingress[0].from).toEqual([
      ns('apps'),
      ns('gateway'),
      { ip_block: { cidr: '10.20.0.0/16' } },
      { ip_block: { cidr: '10.30.0.0/23' } },
    ]);
  });

  test('defaults to no ScaledObject and leaves the Deployment replicas to Terraform', () => {
    const { workloads, server } = serve();
    const { byKind, deployment } = synth(workloads);
    expect(byKind('ScaledObject')).toEqual([]);
    expect(server.scaledObject).toBeUndefined();
    expect(deployment.lifecycle).toBeUndefined();
  });

  test('is an IServiceBackend: the Service on port 8080, /health, not scaling to zero', () => {
    const { server } = serve();
    expect(server.serviceName).toBe(NAME);
    expect(server.servicePort).toBe(8080);
    expect(server.healthCheckPath).toBe('/health');
    expect(server.mayScaleToZero).toBe(false);
  });
});

describe('LlamaCppServer autoscaling', () => {
  test('scales on the sum of llamacpp:requests_deferred of its own scrape job, target = parallel by default', () => {
    const { workloads } = serve({ parallel: 4, autoscaling: AUTOSCALING });
    const { byKind, deployment } = synth(workloads);
    const [so]: any[] = byKind('ScaledObject');
    expect(so.metadata).toMatchObject({ name: NAME, namespace: 'llm' });
    expect(so.spec.scaleTargetRef).toEqual({ name: NAME });
    expect(so.spec.minReplicaCount).toBe(1);
    expect(so.spec.maxReplicaCount).toBe(4);
    expect(so.spec.fallback).toEqual({
      failureThreshold: 3,
      replicas: 1,
      behavior: 'currentReplicasIfHigher',
    });
    expect(so.spec.triggers).toEqual([
      {
        type: 'prometheus',
        name: 'queue-depth',
        metadata: {
          serverAddress: 'http://prometheus.monitoring.svc:9090',
          query: `sum(llamacpp:requests_deferred{namespace="llm", job="${NAME}"})`,
          threshold: '4',
          activationThreshold: '0',
          ignoreNullValues: 'false',
        },
      },
    ]);
    expect(deployment.lifecycle).toEqual({ ignore_changes: ['spec[0].replicas'] });
    expect(validateKubernetesObject(so)).toEqual([]);
  });

  test('defaults the target to 1 with the default single slot; targetQueueDepthPerReplica overrides it', () => {
    const one = synth(serve({ autoscaling: AUTOSCALING }).workloads).byKind('ScaledObject')[0] as any;
    expect(one.spec.triggers[0].metadata.threshold).toBe('1');
    const three = synth(
      serve({ parallel: 4, autoscaling: { ...AUTOSCALING, targetQueueDepthPerReplica: 3 } }).workloads,
    ).byKind('ScaledObject')[0] as any;
    expect(three.spec.triggers[0].metadata.threshold).toBe('3');
  });

  test('scale to zero: idleReplicaCount 0, in-flight keep-alive on requests_processing, activation query, a warning', () => {
    const activationQuery = `sum(rate(istio_requests_total{destination_service_name="${NAME}"}[1m]))`;
    const { workloads, server } = serve({
      replicas: 0,
      autoscaling: { ...AUTOSCALING, scaleToZero: true, activationQuery },
    });
    const [so]: any = synth(workloads).byKind('ScaledObject');
    expect(so.spec.idleReplicaCount).toBe(0);
    expect(so.spec.triggers.map((t: any) => t.name)).toEqual([
      'queue-depth',
      'keepalive-in-flight',
      'activation',
    ]);
    expect(so.spec.triggers[1].metadata.query).toBe(
      `sum(llamacpp:requests_processing{namespace="llm", job="${NAME}"}) + sum(llamacpp:requests_deferred{namespace="llm", job="${NAME}"})`,
    );
    expect(so.spec.triggers[2].metadata.query).toBe(activationQuery);
    expect(server.mayScaleToZero).toBe(true);
    expect(warningsOf(workloads).join('\n')).toMatch(/k8s-llama-cpp-scale-to-zero-unbuffered/);
    expect(validateKubernetesObject(so)).toEqual([]);
  });

  test('baseline windows become cron triggers', () => {
    const window = { minReplicas: 2, start: '0 8 * * 1-5', end: '0 20 * * 1-5', timeZone: 'Europe/Berlin' };
    const [so]: any = synth(serve({ autoscaling: { ...AUTOSCALING, schedule: [window] } }).workloads).byKind(
      'ScaledObject',
    );
    expect(so.spec.triggers[1]).toEqual({
      type: 'cron',
      name: 'baseline-0',
      metadata: {
        timezone: 'Europe/Berlin',
        start: '0 8 * * 1-5',
        end: '0 20 * * 1-5',
        desiredReplicas: '2',
      },
    });
  });

  test('on Managed Prometheus: PodMonitoring, a TriggerAuthentication, quoted metric names, gmp-system scrapes', () => {
    const { workloads, server } = serve(
      {
        metricsCollection: MetricsCollection.managedPrometheus({ project: 'acme-ml' }),
        autoscaling: AUTOSCALING,
      },
      false,
    );
    const { byKind, np } = synth(workloads);
    const [pm]: any = byKind('PodMonitoring');
    expect(pm.spec).toEqual({
      selector: { matchLabels: server.podLabels },
      endpoints: [{ port: 'http', path: '/metrics', interval: '30s' }],
    });
    expect(byKind('ServiceMonitor')).toEqual([]);
    const [ta]: any = byKind('TriggerAuthentication');
    expect(ta.spec).toEqual({ podIdentity: { provider: 'gcp' } });
    const [so]: any = byKind('ScaledObject');
    expect(so.spec.triggers[0].metadata.query).toBe(
      `sum({__name__="llamacpp:requests_deferred", namespace="llm", job="${NAME}"})`,
    );
    expect(so.spec.triggers[0].authenticationRef).toEqual({ name: `${NAME}-gcp` });
    expect(np.spec.ingress[1].from).toEqual([
      { namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'gmp-system' } } },
    ]);
    for (const m of [pm, ta, so]) expect(validateKubernetesObject(m)).toEqual([]);
  });

  test('warns when monitoring is given but Managed Prometheus collects', () => {
    const { workloads } = serve({
      metricsCollection: MetricsCollection.managedPrometheus({ project: 'acme-ml' }),
    });
    expect(warningsOf(workloads).join('\n')).toMatch(/k8s-llama-cpp-monitoring-unused/);
  });

  test('without monitoring warns that nothing scrapes it', () => {
    const { workloads } = serve({}, false);
    expect(warningsOf(workloads).join('\n')).toMatch(/k8s-llama-cpp-unmonitored/);
  });

  test('a platform with KEDA passes', () => {
    const { platform, workloads } = platformAndWorkloads();
    const keda = new FakePlatform(platform, 'Gpu', { kedaInstalled: true });
    const monitoring = new FakeMonitoring(platform, 'Monitoring');
    new LlamaCppServer(workloads, 'Llama8BCpu', {
      ...PROPS,
      monitoring,
      platform: keda,
      autoscaling: AUTOSCALING,
    });
    expect(synth(workloads).byKind('ScaledObject')).toHaveLength(1);
  });
});

describe('LlamaCppServer operations validation', () => {
  test.each<[string, Partial<LlamaCppServerProps>, RegExp]>([
    [
      'maxReplicas below replicas',
      { replicas: 3, autoscaling: { maxReplicas: 2 } },
      /'autoscaling.maxReplicas' \(2\) must be >= 'replicas' \(3\)/,
    ],
    ['maxReplicas 0', { autoscaling: { maxReplicas: 0 } }, /autoscaling.maxReplicas/],
    [
      'scale to zero without activation',
      { autoscaling: { maxReplicas: 2, scaleToZero: true } },
      /needs 'autoscaling.activationQuery'.*istio_requests_total/,
    ],
    [
      'replicas 0 without scale to zero',
      { replicas: 0, autoscaling: { maxReplicas: 2 } },
      /needs 'autoscaling.scaleToZero: true'/,
    ],
    [
      'a target of 0',
      { autoscaling: { maxReplicas: 2, targetQueueDepthPerReplica: 0 } },
      /targetQueueDepthPerReplica' \(0\) must be a finite number > 0/,
    ],
    [
      'an invalid activation query',
      { autoscaling: { maxReplicas: 2, scaleToZero: true, activationQuery: 'sum(' } },
      /activationQuery/,
    ],
    [
      'a window opening and closing at once',
      {
        autoscaling: {
          maxReplicas: 2,
          schedule: [{ minReplicas: 1, start: '0 8 * * *', end: '0 8 * * *', timeZone: 'UTC' }],
        },
      },
      /opens and closes at the same time/,
    ],
    [
      'a bad client namespace',
      { networkPolicy: { clientNamespaces: ['Bad_NS'] } },
      /networkPolicy.clientNamespaces\[0\]/,
    ],
    ['a bad client CIDR', { networkPolicy: { clientCidrs: ['10.0.0.1/8'] } }, /host bits/],
  ])('throws for %s', (_name, props, message) => {
    expect(() => serve(props)).toThrow(ValidationError);
    expect(() => serve(props)).toThrow(message);
  });

  test('throws when autoscaling has no Prometheus to query', () => {
    expect(() => serve({ autoscaling: AUTOSCALING }, false)).toThrow(/needs a Prometheus to query/);
  });

  test('throws when the platform has KEDA disabled', () => {
    const { platform, workloads } = platformAndWorkloads();
    const noKeda = new FakePlatform(platform, 'Gpu', { kedaInstalled: false });
    const monitoring = new FakeMonitoring(platform, 'Monitoring');
    expect(
      () =>
        new LlamaCppServer(workloads, 'Llama8BCpu', {
          ...PROPS,
          monitoring,
          platform: noKeda,
          autoscaling: AUTOSCALING,
        }),
    ).toThrow(/has keda disabled/);
  });

  test('allowIngressFromNamespaces refuses a name that is not a namespace', () => {
    const { server } = serve();
    expect(() => server.allowIngressFromNamespaces(['Not A Namespace'])).toThrow(ValidationError);
  });
});
