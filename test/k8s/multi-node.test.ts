import { TerraformStack, Testing } from 'cdktf';
import { Accelerator, ModelSpec, Quantization, ValidationError } from '../../lib/core';
import { parse as parseYaml } from 'yaml';
import {
  GatewayImplementation,
  GpuNodeImage,
  GpuPlatform,
  HELM_CHARTS,
  InferenceGatewayPlatform,
  InferencePool,
  ModelServerBackend,
  ModelServer,
  ModelServerProps,
  PodSecurityLevel,
  ServingEngine,
  ServingFabric,
  ServingFabricKind,
  LoraAdapter,
  MonitoringStack,
  TraceBackend,
  TraceCollector,
  WeightsSource,
} from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { clusterStack, FakePlatform, platformAndWorkloads, warningsOf } from './helpers';

/** Llama 3.1 405B in BF16 on H100: 2 nodes of 8 GPUs (TP 8 x PP 2), the vLLM Llama 3.1 blog layout. */
const LLAMA_405B: ModelServerProps = {
  model: ModelSpec.LLAMA_3_1_405B,
  quantization: Quantization.BF16,
  accelerator: Accelerator.H100,
  weights: WeightsSource.bucket('s3://models/llama-3.1-405b/'),
  maxNodesPerReplica: 2,
  fabric: ServingFabric.efa({ devicesPerNode: 32 }),
};

function serve(props: Partial<ModelServerProps> = {}, id = 'Llama405B') {
  const { platform, workloads } = platformAndWorkloads();
  const server = new ModelServer(workloads, id, { ...LLAMA_405B, ...props });
  return { server, workloads, platform, json: synthJson(workloads) };
}
type Json = ReturnType<typeof synthJson>;
function manifests(json: Json, kind: string): any[] {
  return Object.values(resourcesOf(json, 'kubernetes_manifest'))
    .map((m: any) => m.manifest)
    .filter((m: any) => m.kind === kind);
}
const lws = (json: Json) => manifests(json, 'LeaderWorkerSet')[0];
const leader = (json: Json) => lws(json).spec.leaderWorkerTemplate.leaderTemplate;
const worker = (json: Json) => lws(json).spec.leaderWorkerTemplate.workerTemplate;
function argValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

describe('ModelServer across nodes (LeaderWorkerSet)', () => {
  test('serves a sizing that spans 2 nodes as one LeaderWorkerSet group of 2 pods, no Deployment', () => {
    const { server, json } = serve();
    expect(server.sizing.nodesPerReplica).toBe(2);
    expect(resourcesOf(json, 'kubernetes_deployment_v1')).toEqual({});
    const set = lws(json);
    expect(set.apiVersion).toBe('leaderworkerset.x-k8s.io/v1');
    expect(set.metadata.name).toBe('llama405b-vllm-lws');
    expect(set.spec.leaderWorkerTemplate.size).toBe(2);
    expect(set.spec.replicas).toBe(1);
    expect(server.resource).toBe(server.leaderWorkerSet);
    expect(server.node.defaultChild).toBe(server.leaderWorkerSet);
  });

  test('restarts a group only after all its pods started, creates workers with the leader, surges a group in rollouts', () => {
    const spec = lws(serve().json).spec;
    expect(spec.leaderWorkerTemplate.restartPolicy).toBe('RecreateGroupAfterStart');
    expect(spec.startupPolicy).toBe('LeaderCreated');
    expect(spec.rolloutStrategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdateConfiguration: { maxSurge: 1, maxUnavailable: 0 },
    });
    expect(spec.networkConfig).toEqual({ subdomainPolicy: 'Shared' });
  });

  test('launches vLLM natively across nodes: leader node-rank 0 with the API, workers headless at their LWS index', () => {
    const json = serve().json;
    const l = leader(json).spec.containers[0].args as string[];
    const w = worker(json).spec.containers[0].args as string[];
    for (const args of [l, w]) {
      expect(argValue(args, '--tensor-parallel-size')).toBe('8');
      expect(argValue(args, '--pipeline-parallel-size')).toBe('2');
      expect(argValue(args, '--nnodes')).toBe('2');
      expect(argValue(args, '--master-addr')).toBe('$(LWS_LEADER_ADDRESS)');
      expect(argValue(args, '--master-port')).toBe('29501');
    }
    expect(argValue(l, '--node-rank')).toBe('0');
    expect(l).not.toContain('--headless');
    expect(argValue(w, '--node-rank')).toBe('$(LWS_WORKER_INDEX)');
    expect(w[w.length - 1]).toBe('--headless');
  });

  test('each pod requests one node: 8 GPUs, 2 CPUs per GPU, its pipeline stage of the weights in memory', () => {
    const { server, json } = serve();
    for (const t of [leader(json), worker(json)]) {
      const r = t.spec.containers[0].resources;
      expect(r.requests['nvidia.com/gpu']).toBe('8');
      expect(r.limits['nvidia.com/gpu']).toBe('8');
      expect(r.requests.cpu).toBe('16');
      // 756 GiB of BF16 weights over 2 nodes, rounded up, + 8 GiB.
      expect(server.sizing.weightsGiB).toBeCloseTo(756, 0);
      expect(r.requests.memory).toBe(`${Math.ceil(server.sizing.weightsGiB / 2) + 8}Gi`);
      expect(r.requests.memory).toBe('387Gi');
    }
  });

  test('probes, ports and drain on the leader only; workers serve no API', () => {
    const json = serve().json;
    const l = leader(json).spec.containers[0];
    const w = worker(json).spec.containers[0];
    expect(l.startupProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(l.readinessProbe).toBeDefined();
    expect(l.ports).toEqual([{ name: 'http', containerPort: 8000, protocol: 'TCP' }]);
    expect(l.lifecycle.preStop.exec.command).toEqual(['sleep', '15']);
    for (const k of ['startupProbe', 'readinessProbe', 'livenessProbe', 'ports', 'lifecycle']) {
      expect(w[k]).toBeUndefined();
    }
  });

  test('the Service, its scrape and the InferencePool labels select the leaders; PDB and NetworkPolicy cover every pod', () => {
    const { server, json } = serve();
    expect(server.selectorLabels).toEqual({
      'app.kubernetes.io/name': 'vllm',
      'app.kubernetes.io/instance': 'llama405b',
      'cdktf-ai-infra/role': 'leader',
    });
    expect(leader(json).metadata.labels['cdktf-ai-infra/role']).toBe('leader');
    expect(worker(json).metadata.labels['cdktf-ai-infra/role']).toBe('worker');
    const svc: any = Object.values(resourcesOf(json, 'kubernetes_service_v1'))[0];
    expect(svc.spec.selector).toEqual(server.selectorLabels);
    expect(svc.metadata.name).toBe('llama405b-vllm');
    const pdb: any = Object.values(resourcesOf(json, 'kubernetes_pod_disruption_budget_v1'))[0];
    expect(pdb.spec.selector.match_labels).toEqual(server.podLabels);
    const np: any = Object.values(resourcesOf(json, 'kubernetes_network_policy_v1'))[0];
    expect(np.spec.pod_selector.match_labels).toEqual(server.podLabels);
    // Group members reach each other on any port (vLLM's master port, NCCL, Gloo).
    expect(np.spec.ingress).toContainEqual({ from: [{ pod_selector: { match_labels: server.podLabels } }] });
  });

  test('KEDA scales the LeaderWorkerSet by groups through its scale subresource; Terraform leaves spec.replicas to it', () => {
    const json = serve({
      autoscaling: { maxReplicas: 3, prometheusUrl: 'http://prometheus.monitoring:9090' },
    }).json;
    const so = manifests(json, 'ScaledObject')[0];
    expect(so.spec.scaleTargetRef).toEqual({
      apiVersion: 'leaderworkerset.x-k8s.io/v1',
      kind: 'LeaderWorkerSet',
      name: 'llama405b-vllm-lws',
    });
    expect(lws(json).spec.replicas).toBeUndefined();
  });

  test('annotates the set with the multi-node sizing', () => {
    expect(lws(serve().json).metadata.annotations['cdktf-ai-infra/sizing']).toMatch(
      /^2 nodes x 8 x H100 \(tensor parallel 8, pipeline parallel 2\); weights 756\.0 GiB; KV cache \d+ tokens/,
    );
  });

  test('EFA: every device and the driver huge pages per pod; IPC_LOCK makes the pods privileged in Pod Security terms', () => {
    const { server, json } = serve();
    for (const t of [leader(json), worker(json)]) {
      const c = t.spec.containers[0];
      expect(c.resources.requests['vpc.amazonaws.com/efa']).toBe('32');
      expect(c.resources.limits['hugepages-2Mi']).toBe('5210Mi');
      expect(c.securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['IPC_LOCK'] });
      expect(c.securityContext.runAsNonRoot).toBe(true);
    }
    expect(server.podSecurityLevel).toBe(PodSecurityLevel.PRIVILEGED);
  });

  test('warns that the stock vLLM image has no aws-ofi-nccl for EFA, not when an image is given', () => {
    expect(warningsOf(serve().workloads).join('\n')).toMatch(/k8s-efa-stock-image.*aws-ofi-nccl/);
    const custom = serve({ image: { repository: 'acme/vllm-efa', tag: 'v0.31.0-efa1' } });
    expect(warningsOf(custom.workloads).join('\n')).not.toMatch(/k8s-efa-stock-image/);
  });

  test('GKE: attaches the device networks to every pod (eth0 default, then one NIC per network), stays restricted', () => {
    const { server, json } = serve({
      fabric: ServingFabric.gkeDeviceNetworks({ networks: ['vpc1', 'vpc2', 'vpc3', 'vpc4'] }),
    });
    for (const t of [leader(json), worker(json)]) {
      expect(t.metadata.annotations['networking.gke.io/default-interface']).toBe('eth0');
      expect(JSON.parse(t.metadata.annotations['networking.gke.io/interfaces'])).toEqual([
        { interfaceName: 'eth0', network: 'default' },
        { interfaceName: 'eth1', network: 'vpc1' },
        { interfaceName: 'eth2', network: 'vpc2' },
        { interfaceName: 'eth3', network: 'vpc3' },
        { interfaceName: 'eth4', network: 'vpc4' },
      ]);
      expect(t.spec.containers[0].securityContext.capabilities).toEqual({ drop: ['ALL'] });
    }
    expect(server.podSecurityLevel).toBe(PodSecurityLevel.RESTRICTED);
  });

  test('on-prem InfiniBand: the RDMA device-plugin resources per pod', () => {
    const json = serve({ fabric: ServingFabric.rdma({ 'rdma/ib': 8 }) }).json;
    expect(worker(json).spec.containers[0].resources.limits['rdma/ib']).toBe('8');
  });

  test('plain Ethernet is accepted with a warning', () => {
    const { workloads, json } = serve({ fabric: ServingFabric.ethernet() });
    expect(lws(json)).toBeDefined();
    expect(warningsOf(workloads).join('\n')).toMatch(/k8s-multi-node-ethernet/);
    expect(ServingFabric.ethernet().kind).toBe(ServingFabricKind.ETHERNET);
  });

  test('defaults to one node per replica: a model that needs two nodes fails with the hint to allow them', () => {
    expect(() => serve({ maxNodesPerReplica: undefined })).toThrow(ValidationError);
    expect(() => serve({ maxNodesPerReplica: undefined })).toThrow(/set maxNodesPerReplica to 2/);
  });

  test('a model that fits one node stays a Deployment and warns that the fabric is unused', () => {
    const { workloads, json } = serve({ model: ModelSpec.LLAMA_3_1_70B });
    expect(Object.keys(resourcesOf(json, 'kubernetes_deployment_v1'))).toHaveLength(1);
    expect(manifests(json, 'LeaderWorkerSet')).toEqual([]);
    expect(warningsOf(workloads).join('\n')).toMatch(/k8s-fabric-unused/);
  });
});

describe('ModelServer across nodes behind the inference gateway', () => {
  test('the InferencePool selects the group leaders only (workers serve no API)', () => {
    const { platform, workloads } = platformAndWorkloads();
    const gatewayPlatform = new InferenceGatewayPlatform(platform, 'InferenceGateway', {
      implementation: GatewayImplementation.istio(),
    });
    const server = new ModelServer(workloads, 'Llama405B', { ...LLAMA_405B, namespace: 'llm' });
    new InferencePool(workloads, 'Pool', {
      backend: ModelServerBackend.of(server),
      platform: gatewayPlatform,
    });
    const release: any = Object.values(resourcesOf(synthJson(workloads), 'helm_release')).find(
      (r: any) => r.chart === 'llm-d-router-gateway',
    );
    const values = parseYaml(release.values[0]);
    expect(JSON.stringify(values)).toContain('"cdktf-ai-infra/role":"leader"');
    expect(ModelServerBackend.of(server).podSelectorLabels).toEqual(server.selectorLabels);
  });
});

describe('ModelServer across nodes: validation', () => {
  test('throws when the sizing spans nodes and no fabric is given', () => {
    expect(() => serve({ fabric: undefined })).toThrow(ValidationError);
    expect(() => serve({ fabric: undefined })).toThrow(
      /'fabric' is required: one replica of llama-3.1-405b \(BF16\) spans 2 nodes of 8 x H100/,
    );
  });

  test('throws when the platform does not install LeaderWorkerSet', () => {
    const { platform, workloads } = platformAndWorkloads();
    const gpu = new GpuPlatform(platform, 'Gpu', { nodeImage: GpuNodeImage.DRIVER_AND_TOOLKIT });
    expect(gpu.leaderWorkerSetInstalled).toBe(false);
    expect(() => new ModelServer(workloads, 'Llama405B', { ...LLAMA_405B, platform: gpu })).toThrow(
      /does not install LeaderWorkerSet: set 'leaderWorkerSet: true'/,
    );
  });

  test('accepts a platform with LeaderWorkerSet, or one that does not say', () => {
    const { platform, workloads } = platformAndWorkloads();
    expect(
      () =>
        new ModelServer(workloads, 'A', {
          ...LLAMA_405B,
          platform: new FakePlatform(platform, 'P1', { leaderWorkerSetInstalled: true }),
        }),
    ).not.toThrow();
    expect(
      () => new ModelServer(workloads, 'B', { ...LLAMA_405B, platform: new FakePlatform(platform, 'P2') }),
    ).not.toThrow();
  });

  test('throws for an engine that cannot serve across nodes (Triton + TensorRT-LLM)', () => {
    expect(() => serve({ engine: ServingEngine.TRITON_TENSORRT_LLM })).toThrow(
      /'engine' Triton \+ TensorRT-LLM cannot serve a replica across nodes/,
    );
  });

  test('throws when the name makes the StatefulSet names exceed 52 characters', () => {
    const name = 'a'.repeat(42);
    expect(() => serve({ name })).toThrow(/'name' makes the LeaderWorkerSet's StatefulSet names too long/);
    expect(() => serve({ name: 'a'.repeat(40) })).not.toThrow();
  });

  test('throws when the LeaderWorkerSet is in the stack that installs its CRD', () => {
    const app = Testing.app();
    const stack = clusterStack(app, 'one');
    new GpuPlatform(stack, 'Gpu', { nodeImage: GpuNodeImage.DRIVER_AND_TOOLKIT, leaderWorkerSet: true });
    expect(() => new ModelServer(stack, 'Llama405B', LLAMA_405B)).toThrow(
      /LeaderWorkerSet \(leaderworkerset.x-k8s.io\)/,
    );
  });

  test('throws for a fabric that is not a ServingFabric', () => {
    expect(() => serve({ fabric: { kind: 'efa' } as unknown as ServingFabric })).toThrow(
      /'fabric' must be a ServingFabric/,
    );
  });

  test.each([
    ['EFA devices 0', () => ServingFabric.efa({ devicesPerNode: 0 }), /'fabric.devicesPerNode'/],
    [
      'EFA huge pages -1',
      () => ServingFabric.efa({ devicesPerNode: 32, hugePages2MiB: -1 }),
      /'fabric.hugePages2MiB'/,
    ],
    [
      'GKE no network',
      () => ServingFabric.gkeDeviceNetworks({ networks: [] }),
      /'fabric.networks' has 0 entries/,
    ],
    [
      'GKE bad name',
      () => ServingFabric.gkeDeviceNetworks({ networks: ['VPC_1'] }),
      /'fabric.networks\[0\]'/,
    ],
    ['GKE twice', () => ServingFabric.gkeDeviceNetworks({ networks: ['vpc1', 'vpc1'] }), /'fabric.networks'/],
    ['RDMA none', () => ServingFabric.rdma({}), /names no resource/],
    [
      'RDMA not rdma/',
      () => ServingFabric.rdma({ 'nvidia.com/gpu': 8 }),
      /is not an RDMA device-plugin resource/,
    ],
    ['RDMA count 0', () => ServingFabric.rdma({ 'rdma/ib': 0 }), /fabric\['rdma\/ib'\]/],
  ])('throws for a bad fabric: %s', (_name, fabric, message) => {
    expect(() => serve({ fabric: fabric() })).toThrow(ValidationError);
    expect(() => serve({ fabric: fabric() })).toThrow(message);
  });
});

describe('GpuPlatform installs LeaderWorkerSet', () => {
  const platformJson = (props: { leaderWorkerSet?: boolean }) => {
    const app = Testing.app();
    const stack: TerraformStack = clusterStack(app, 'platform');
    const gpu = new GpuPlatform(stack, 'Gpu', { nodeImage: GpuNodeImage.DRIVER_AND_TOOLKIT, ...props });
    return { gpu, json: synthJson(stack) };
  };

  test('defaults to not installing it', () => {
    const { gpu, json } = platformJson({});
    expect(gpu.releases.lws).toBeUndefined();
    expect(Object.values(resourcesOf(json, 'helm_release')).map((r: any) => r.chart)).not.toContain('lws');
  });

  test('installs the pinned chart from the Kubernetes registry into lws-system', () => {
    const { gpu, json } = platformJson({ leaderWorkerSet: true });
    expect(gpu.leaderWorkerSetInstalled).toBe(true);
    const release: any = Object.values(resourcesOf(json, 'helm_release')).find((r: any) => r.chart === 'lws');
    expect(release).toMatchObject({
      name: 'lws',
      namespace: 'lws-system',
      create_namespace: true,
      repository: 'oci://registry.k8s.io/lws/charts',
      version: HELM_CHARTS.leaderWorkerSet.version,
      atomic: true,
    });
    expect(HELM_CHARTS.leaderWorkerSet.version).toBe('0.10.0');
  });
});

describe('ModelServer across nodes: LoRA and tracing', () => {
  test('LoRA adapters on a multi-node sizing are refused (they would never load)', () => {
    expect(() =>
      serve({ loraAdapters: [LoraAdapter.fromBucket('support', 's3://acme/lora/support/', { rank: 16 })] }),
    ).toThrow(/'loraAdapters' \(1\) on a model whose sizing spans 2 nodes per replica/);
  });

  test('the leader, not the workers, gets the OTLP trace flags', () => {
    const { platform, workloads } = platformAndWorkloads();
    const monitoring = new MonitoringStack(platform, 'Monitoring');
    const traces = new TraceCollector(platform, 'Traces', {
      monitoring,
      backends: [
        TraceBackend.tempo({
          otlpEndpoint: 'tempo-distributor.tracing.svc:4317',
          queryUrl: 'http://tempo-query-frontend.tracing.svc:3200',
        }),
      ],
    });
    new ModelServer(workloads, 'Llama405B', { ...LLAMA_405B, tracing: traces });
    const json = synthJson(workloads);
    expect(argValue(leader(json).spec.containers[0].args, '--otlp-traces-endpoint')).toMatch(
      /^http:\/\/.+:4317$/,
    );
    expect(worker(json).spec.containers[0].args).not.toContain('--otlp-traces-endpoint');
  });
});
