import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { Testing } from 'cdktf';
import { build } from '../../examples/gcp-inference/main';
import { IMAGES } from '../../lib/k8s';
import { resourcesOf, SynthJson, synthJson, warningsWithId } from '../util';
import { checkPodsOfStacks } from '../k8s/pod-security-standards';

describe('examples/gcp-inference', () => {
  const app = Testing.app();
  const [stack] = build(app);
  const json: any = synthJson(stack);
  const pools = Object.values(resourcesOf(json, 'google_container_node_pool')) as any[];
  const byName = (n: string) => pools.find((p) => p.name === n)!;

  test('raises no deprecated-api warning (the example uses only current names)', () => {
    expect(warningsWithId(stack, 'deprecated-api')).toEqual([]);
  });

  test('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  test('the L4 pools run g2 and scale from zero', () => {
    for (const n of ['l4-awq', 'l4-int8']) {
      expect(byName(n).node_config.guest_accelerator[0].type).toBe('nvidia-l4');
      expect(byName(n).autoscaling.total_min_node_count).toBe(0);
    }
  });

  test('the 70B FP8 pool runs H100 on Spot with location policy ANY', () => {
    const h = byName('h100-fp8');
    expect(h.node_config.machine_type).toMatch(/^a3-highgpu-/);
    expect(h.node_config.spot).toBe(true);
    expect(h.autoscaling.location_policy).toBe('ANY');
  });

  test('the registry mirrors Docker Hub, GHCR and NGC', () => {
    const remotes = (Object.values(resourcesOf(json, 'google_artifact_registry_repository')) as any[]).filter(
      (r) => r.mode === 'REMOTE_REPOSITORY',
    );
    expect(remotes.map((r) => r.repository_id).sort()).toEqual([
      'serving-docker-hub',
      'serving-ghcr',
      'serving-nvcr',
    ]);
  });

  test('alert policies query vLLM metrics with the __name__ selector', () => {
    const queries = (Object.values(resourcesOf(json, 'google_monitoring_alert_policy')) as any[])
      .filter((p) => p.conditions[0].condition_prometheus_query_language)
      .map((p) => p.conditions[0].condition_prometheus_query_language.query as string);
    expect(queries.some((q) => q.includes('{__name__="vllm:num_requests_waiting", namespace="llm"}'))).toBe(
      true,
    );
  });

  test('GKE Inference Gateway prerequisites: the Gateway API on the cluster, a proxy-only subnet and its firewall', () => {
    const cluster = Object.values(resourcesOf(json, 'google_container_cluster'))[0] as any;
    expect(cluster.gateway_api_config).toEqual({ channel: 'CHANNEL_STANDARD' });
    // GkeCluster's gatewayApi and GkeNetwork's proxyOnlySubnet (no overrides in the example).
    const byName = (type: string, name: string) =>
      Object.values(resourcesOf(json, type)).find((r: any) => r.name === name);
    expect(byName('google_compute_subnetwork', 'serve-proxy-only')).toMatchObject({
      purpose: 'REGIONAL_MANAGED_PROXY',
      role: 'ACTIVE',
      ip_cidr_range: '10.10.0.0/23',
    });
    expect(byName('google_compute_firewall', 'serve-allow-proxy-only')).toMatchObject({
      source_ranges: ['10.10.0.0/23'],
      allow: [{ protocol: 'tcp', ports: ['8000', '9002'] }],
    });
  });

  test('outputs the pinned vLLM image through the Docker Hub cache', () => {
    expect(json.output.vllm_image.value).toMatch(new RegExp(`/vllm/vllm-openai:${IMAGES.vllm.tag}$`));
  });

  test('KEDA gets a Google service account with monitoring.viewer, impersonated by its operator', () => {
    expect(resourcesOf(json, 'google_service_account').KedaServiceAccount.account_id).toBe('keda-operator');
    expect(resourcesOf(json, 'google_project_iam_member').KedaMonitoringViewer).toMatchObject({
      role: 'roles/monitoring.viewer',
      member: 'serviceAccount:${google_service_account.KedaServiceAccount.email}',
    });
    expect(resourcesOf(json, 'google_service_account_iam_member').KedaWorkloadIdentity).toMatchObject({
      role: 'roles/iam.workloadIdentityUser',
      // A reference to the cluster, so the binding waits until the pool exists.
      member:
        'serviceAccount:${google_container_cluster.Cluster_EB0386A7.workload_identity_config[0].workload_pool}[keda/keda-operator]',
    });
  });

  test('the serving service account reads the model bucket through Workload Identity', () => {
    const grants = Object.values(resourcesOf(json, 'google_storage_bucket_iam_member')) as any[];
    expect(grants).toContainEqual(
      expect.objectContaining({
        role: 'roles/storage.objectViewer',
        member:
          'principal://iam.googleapis.com/projects/210987654321/locations/global/workloadIdentityPools/${google_container_cluster.Cluster_EB0386A7.workload_identity_config[0].workload_pool}/subject/ns/llm/sa/vllm',
      }),
    );
  });
});

/** The whole app synthesized as `cdktf synth` does (cross-stack references resolved). */
describe('examples/gcp-inference in-cluster stacks', () => {
  const app = Testing.app();
  const [infra, platform, workloads] = build(app);
  app.synth();
  const read = (id: string): SynthJson =>
    JSON.parse(
      readFileSync(join(app.outdir, 'stacks', id, 'cdk.tf.json'), 'utf8')
        .split(process.cwd())
        .join('<cwd>'),
      (k, v) => (k === '//' ? undefined : v),
    );
  const platformJson = read('gcp-inference-platform');
  const workloadsJson = read('gcp-inference-workloads');
  const infraJson = read('gcp-inference');

  test("each model server's NetworkPolicy admits the gateway's proxy-only subnet and Google's health checks", () => {
    const policies = Object.values(resourcesOf(workloadsJson, 'kubernetes_network_policy_v1')) as any[];
    expect(policies).toHaveLength(3);
    for (const p of policies) {
      const blocks = p.spec.ingress.flatMap((r: any) => r.from).filter((f: any) => f.ip_block);
      expect(blocks.map((f: any) => f.ip_block.cidr)).toEqual([
        '10.10.0.0/23',
        '35.191.0.0/16',
        '130.211.0.0/22',
      ]);
    }
  });
  const manifests = (kind: string) =>
    Object.values(resourcesOf(workloadsJson, 'kubernetes_manifest'))
      .map((m: any) => m.manifest)
      .filter((m: any) => m.kind === kind);

  test('builds the infra, platform and workloads stacks in order', () => {
    expect([infra, platform, workloads].map((s) => s.node.id)).toEqual([
      'gcp-inference',
      'gcp-inference-platform',
      'gcp-inference-workloads',
    ]);
    expect(platform.dependencies).toContain(infra);
    expect(workloads.dependencies).toContain(platform);
  });

  test('matches the snapshots', () => {
    expect(platformJson).toMatchSnapshot('platform');
    expect(workloadsJson).toMatchSnapshot('workloads');
  });

  test('configures the Kubernetes and Helm providers from the cluster outputs and a Google access token', () => {
    for (const j of [platformJson, workloadsJson]) {
      const k8s = j.provider!.kubernetes[0];
      expect(k8s.host).toMatch(
        /^https:\/\/\$\{data\.terraform_remote_state\.cross-stack-reference-input-gcp-inference\.outputs\.[^}]*endpoint\}$/,
      );
      expect(k8s.cluster_ca_certificate).toMatch(
        /^\$\{base64decode\(data\.terraform_remote_state\..*cluster_ca_certificate\)\}$/,
      );
      expect(k8s.token).toBe('${data.google_client_config.ClientConfig.access_token}');
      expect(j.provider!.helm[0].kubernetes).toEqual(k8s);
    }
  });

  test('one internal GKE Inference Gateway routes each model by host name to its InferencePool', () => {
    const [gateway] = manifests('Gateway');
    expect(gateway.spec.gatewayClassName).toBe('gke-l7-rilb');
    expect(gateway.spec.listeners[0]).toMatchObject({ protocol: 'HTTPS', port: 443 });
    const routes = manifests('HTTPRoute');
    expect(routes.map((r) => [r.spec.hostnames[0], r.spec.rules[0].backendRefs[0].name]).sort()).toEqual([
      ['llama-3-1-70b-fp8.llm.internal.acme-ml.example', 'llama-3-1-70b-fp8'],
      ['llama-3-1-8b-awq.llm.internal.acme-ml.example', 'llama-3-1-8b-awq'],
      ['llama-3-1-8b-int8.llm.internal.acme-ml.example', 'llama-3-1-8b-int8'],
    ]);
    const pools = (Object.values(resourcesOf(workloadsJson, 'helm_release')) as any[]).map((r) =>
      parse(r.values[0]),
    );
    expect(pools).toHaveLength(3);
    for (const v of pools) {
      expect(v.provider).toEqual({ name: 'gke' });
      expect(v.router.monitoring.provider).toEqual({ name: 'gmp' });
    }
  });

  test('the platform installs only KEDA, annotated with the KEDA Google service account, and the trace collector', () => {
    const releases = Object.values(resourcesOf(platformJson, 'helm_release')) as any[];
    expect(releases.map((r) => r.name)).toEqual(['keda', 'otel-collector']);
    const annotations = parse(releases[0].values[0]).serviceAccount.operator.annotations;
    expect(annotations['iam.gke.io/gcp-service-account']).toMatch(/KedaServiceAccountemail\}$/);
  });

  test('the platform creates the llm namespace and the vllm service account', () => {
    const sa = Object.values(resourcesOf(platformJson, 'kubernetes_service_account_v1'))[0] as any;
    expect(sa.metadata).toEqual({
      name: 'vllm',
      namespace: '${kubernetes_namespace_v1.ServingNamespace.metadata[0].name}',
    });
  });

  test('serves the three models from the model bucket, each on its pool, as the vllm service account', () => {
    const deps = Object.values(resourcesOf(workloadsJson, 'kubernetes_deployment_v1')) as any[];
    expect(deps.map((d) => d.metadata.name).sort()).toEqual([
      'llama-3-1-70b-fp8-vllm',
      'llama-3-1-8b-awq-vllm',
      'llama-3-1-8b-int8-vllm',
    ]);
    for (const d of deps) {
      const pod = d.spec.template.spec;
      expect(d.metadata.namespace).toBe('llm');
      expect(pod.service_account_name).toBe('vllm');
      expect(pod.node_selector.model).toBe(d.metadata.name.replace(/-vllm$/, ''));
      expect(pod.init_container[0].command.join(' ')).toMatch(/gs:\/\/acme-serving-models\/llama-3\.1-/);
      expect(pod.container[0].image).toMatch(
        new RegExp(`docker\\.pkg\\.dev/.*/vllm/vllm-openai:${IMAGES.vllm.tag}$`),
      );
    }
  });

  test('collects metrics with PodMonitorings and no ServiceMonitor', () => {
    expect(manifests('PodMonitoring')).toHaveLength(3);
    expect(manifests('ServiceMonitor')).toHaveLength(0);
  });

  test('KEDA scales on queue depth read from Managed Prometheus with GCP pod identity', () => {
    const scaled = manifests('ScaledObject');
    expect(scaled).toHaveLength(3);
    for (const so of scaled) {
      const t = so.spec.triggers[0];
      expect(t.metadata.serverAddress).toBe(
        'https://monitoring.googleapis.com/v1/projects/acme-ml-serving/location/global/prometheus',
      );
      expect(t.metadata.query).toMatch(/^sum\(\{__name__="vllm:num_requests_waiting", namespace="llm", /);
      expect(t.authenticationRef).toEqual({ name: `${so.metadata.name}-gcp` });
    }
    const jobs = scaled.map((so) => /job="([^"]+)"/.exec(so.spec.triggers[0].metadata.query)![1]);
    expect(jobs).toEqual(scaled.map((so) => so.metadata.name));
    expect(new Set(jobs).size).toBe(3);
    expect(manifests('TriggerAuthentication').map((m) => m.spec)).toEqual(
      Array(3).fill({ podIdentity: { provider: 'gcp' } }),
    );
  });
  test('every pod the k8s module emits meets Pod Security "restricted" (fabric pods: but IPC_LOCK) and its namespace enforces a level that admits it', () => {
    const { pods, problems } = checkPodsOfStacks([platformJson, workloadsJson]);
    expect(problems).toEqual([]);
    expect(pods).toBe(3);
  });

  test("traces go to Cloud Trace: the collector's Kubernetes service account holds the Cloud Trace agent role", () => {
    const grant: any = Object.values(resourcesOf(infraJson, 'google_project_iam_member')).find(
      (m: any) => m.role === 'roles/cloudtrace.agent',
    );
    expect(grant.member).toMatch(/\/subject\/ns\/observability\/sa\/otel-collector$/);
    const collector = (Object.values(resourcesOf(platformJson, 'helm_release')) as any[]).find(
      (r) => r.chart === 'opentelemetry-collector',
    );
    expect(parse(collector.values[0]).alternateConfig.exporters).toEqual({
      googlecloud: { project: 'acme-ml-serving' },
    });
    const deployments = Object.values(resourcesOf(workloadsJson, 'kubernetes_deployment_v1')) as any[];
    const servers = deployments.filter(
      (d) => d.metadata.namespace === 'llm' && d.spec.template.spec.container[0].args,
    );
    expect(servers.length).toBeGreaterThanOrEqual(3);
    expect(
      servers.filter((d) => d.spec.template.spec.container[0].args.includes('--otlp-traces-endpoint')).length,
    ).toBe(3);
  });

  test('logs: 30 days in the _Default bucket, probe lines excluded, log alerts in the serving namespace to the on-call channel', () => {
    const bucket: any = Object.values(resourcesOf(infraJson, 'google_logging_project_bucket_config'))[0];
    expect(bucket).toMatchObject({ bucket_id: '_Default', retention_days: 30 });
    const policies = (
      Object.values(resourcesOf(infraJson, 'google_monitoring_alert_policy')) as any[]
    ).filter((p) => JSON.stringify(p.conditions).includes('logging.googleapis.com/user/'));
    expect(policies.length).toBeGreaterThan(0);
    for (const p of policies) expect(p.notification_channels.length).toBeGreaterThan(0);
  });

  test('cost: a budget per team on the team billing label', () => {
    const budgets = Object.values(resourcesOf(infraJson, 'google_billing_budget')) as any[];
    expect(budgets.filter((b) => JSON.stringify(b.budget_filter).includes('team')).length).toBe(2);
  });
});
