import { Testing } from 'cdktf';
import { parse } from 'yaml';
import { build } from '../../examples/k8s-serving/main';
import { resourcesOf, synthJson, warningsWithId } from '../util';
import { checkPodsOfStacks } from '../k8s/pod-security-standards';

describe('examples/k8s-serving', () => {
  const app = Testing.app();
  const [platform, workloads] = build(app);
  const platformJson = synthJson(platform);
  const workloadsJson = synthJson(workloads);

  test('raises no deprecated-api warning (the example uses only current names)', () => {
    expect(warningsWithId(platform, 'deprecated-api')).toEqual([]);
  });

  test('synthesizes the platform and workloads stacks (snapshot)', () => {
    expect(platformJson).toMatchSnapshot();
    expect(workloadsJson).toMatchSnapshot();
  });

  test('the workloads stack depends on the platform stack', () => {
    expect(workloads.dependencies).toContain(platform);
  });

  test('custom resources only in the workloads stack, CRD-installing charts only in the platform stack', () => {
    // The platform applies CRDs only (from the pinned upstream bundles, one for_each per bundle).
    const platformManifests = Object.values(resourcesOf(platformJson, 'kubernetes_manifest')) as any[];
    expect(platformManifests.map((m) => m.manifest)).toEqual(['${each.value}', '${each.value}']);
    // The workloads' only charts are the per-pool llm-d-router releases (they render InferencePools).
    const workloadCharts = (Object.values(resourcesOf(workloadsJson, 'helm_release')) as any[]).map(
      (r) => r.chart,
    );
    expect(workloadCharts).toEqual(['llm-d-router-gateway', 'llm-d-router-gateway']);
  });

  test('llama-3.1-8b is split 90/10 between the stable pool and the canary pool behind a cluster-internal gateway', () => {
    const manifests = Object.values(resourcesOf(workloadsJson, 'kubernetes_manifest')).map(
      (m: any) => m.manifest,
    );
    const route = manifests.find(
      (m: any) => m.kind === 'HTTPRoute' && m.metadata.name === 'llm-gateway-llama8b',
    );
    expect(route.spec.rules[0].backendRefs.map((b: any) => [b.name, b.weight])).toEqual([
      ['llama8b', 90],
      ['llama8b-canary', 10],
    ]);
    expect(route.spec.hostnames).toEqual(['llama-8b.llm.internal']);
    const gateway = manifests.find((m: any) => m.kind === 'Gateway');
    expect(gateway.metadata.annotations).toEqual({ 'networking.istio.io/service-type': 'ClusterIP' });
  });

  test('both 8B variants serve the food-review LoRA adapter, downloaded by every pod; their pickers score LoRA affinity', () => {
    const deployments = Object.values(resourcesOf(workloadsJson, 'kubernetes_deployment_v1')) as any[];
    for (const name of ['llama8b-vllm', 'llama8b-canary-vllm']) {
      const spec = deployments.find((d) => d.metadata.name === name).spec.template.spec;
      const args: string[] = spec.container[0].args;
      expect(args.slice(args.indexOf('--enable-lora'))).toEqual([
        '--enable-lora',
        '--max-loras',
        '1',
        '--max-lora-rank',
        '8',
        '--lora-modules',
        'food-review=/models/lora/food-review',
      ]);
      const fetch = spec.init_container.find((c: any) => c.name === 'fetch-lora-0');
      expect(fetch.command.slice(3)).toEqual([
        'Kawon/llama3.1-food-finetune_v14_r8',
        '',
        '/models/lora/food-review',
      ]);
      expect(fetch.env).toContainEqual({
        name: 'HF_TOKEN',
        value_from: { secret_key_ref: { name: 'hf-token', key: 'token' } },
      });
    }
    const llama70b = deployments.find((d) => d.metadata.name === 'llama70b-vllm');
    expect(llama70b.spec.template.spec.container[0].args).not.toContain('--enable-lora');
    const configs = (Object.values(resourcesOf(workloadsJson, 'helm_release')) as any[]).map((r) => {
      const epp = parse(r.values[0]).router.epp;
      return parse(epp.pluginsCustomConfig[epp.pluginsConfigFile]);
    });
    for (const config of configs) {
      expect(config.schedulingProfiles[0].plugins).toContainEqual({
        pluginRef: 'lora-affinity-scorer',
        weight: 2,
      });
    }
  });

  test('Llama-3.1-8B AWQ on one L4, Llama-3.1-70B AWQ on 2 x L40S', () => {
    const deployments = Object.values(resourcesOf(workloadsJson, 'kubernetes_deployment_v1')) as any[];
    const gpus = Object.fromEntries(
      deployments
        .filter((d) => d.metadata.name.endsWith('-vllm'))
        .map((d) => [
          d.metadata.name,
          [
            d.spec.template.spec.node_selector['cdktf-ai-infra/accelerator'],
            d.spec.template.spec.container[0].resources.limits['nvidia.com/gpu'],
          ],
        ]),
    );
    expect(gpus).toEqual({
      'llama8b-vllm': ['l4', '1'],
      'llama8b-canary-vllm': ['l4', '1'],
      'llama70b-vllm': ['l40s', '2'],
    });
  });

  test('Llama-3.1-8B Q4_K_M on CPU nodes in llama.cpp: no GPU, 4 slots, sized memory, the CPU inference nodes', () => {
    const d = (Object.values(resourcesOf(workloadsJson, 'kubernetes_deployment_v1')) as any[]).find(
      (x) => x.metadata.name === 'llama8b-cpu-llama-cpp',
    );
    const spec = d.spec.template.spec;
    const c = spec.container[0];
    expect(c.image).toBe('ghcr.io/ggml-org/llama.cpp:server-b9994');
    expect(c.resources.limits['nvidia.com/gpu']).toBeUndefined();
    expect(c.args).toEqual(
      expect.arrayContaining(['--parallel', '4', '--ctx-size', '32768', '--n-gpu-layers', '0']),
    );
    expect(spec.node_selector).toEqual({ 'cdktf-ai-infra/cpu-inference': 'true' });
    expect(c.resources.requests.memory).toBe('10Gi');
  });

  test('the CPU tier is a plain HTTPRoute to the llama.cpp Service on its own host name (no endpoint picker)', () => {
    const route = Object.values(resourcesOf(workloadsJson, 'kubernetes_manifest'))
      .map((m: any) => m.manifest)
      .find((m: any) => m.kind === 'HTTPRoute' && m.metadata.name === 'llm-gateway-llama8bcpu');
    expect(route.spec.hostnames).toEqual(['llama-8b-cpu.llm.internal']);
    expect(route.spec.rules[0].backendRefs).toEqual([
      { group: '', kind: 'Service', name: 'llama8b-cpu-llama-cpp', port: 8080, weight: 100 },
    ]);
    expect(route.spec.rules[0].timeouts).toEqual({ request: '600s' });
  });

  test('autoscales each server on its own queue (its scrape job), the canary too', () => {
    const queries = Object.values(resourcesOf(workloadsJson, 'kubernetes_manifest'))
      .map((m: any) => m.manifest)
      .filter((m: any) => m.kind === 'ScaledObject')
      .map((m: any) => m.spec.triggers[0].metadata.query)
      .sort();
    expect(queries).toEqual([
      'sum(llamacpp:requests_deferred{namespace="llm", job="llama8b-cpu-llama-cpp"})',
      'sum(vllm:num_requests_waiting{namespace="llm", job="llama70b-vllm"})',
      'sum(vllm:num_requests_waiting{namespace="llm", job="llama8b-canary-vllm"})',
      'sum(vllm:num_requests_waiting{namespace="llm", job="llama8b-vllm"})',
    ]);
  });

  test('the monitoring stack routes critical alerts to PagerDuty from a Secret', () => {
    const release = (Object.values(resourcesOf(platformJson, 'helm_release')) as any[]).find(
      (r) => r.chart === 'kube-prometheus-stack',
    );
    const values = parse(release.values[0]);
    const critical = values.alertmanager.config.receivers.find((r: any) => r.name === 'critical');
    expect(critical.pagerduty_configs[0].routing_key_file).toBe(
      '/etc/alertmanager/secrets/alerting/pagerduty',
    );
  });
  test('every pod the k8s module emits meets Pod Security "restricted" (fabric pods: but IPC_LOCK) and its namespace enforces a level that admits it', () => {
    const { pods, problems } = checkPodsOfStacks([platformJson, workloadsJson]);
    expect(problems).toEqual([]);
    expect(pods).toBe(4);
  });
});
