import { Testing } from 'cdktf';
import { build } from '../../examples/aws-inference/main';
import { parse } from 'yaml';
import { onlyResource, resourcesOf, synthApp, warningsWithId } from '../util';
import { checkPodsOfStacks } from '../k8s/pod-security-standards';

describe('examples/aws-inference', () => {
  const app = Testing.app();
  const [stack, platform, workloads] = build(app);
  const read = synthApp(app);
  const json = read(stack);
  const platformJson = read(platform);
  const workloadsJson = read(workloads);
  const groups = Object.fromEntries(
    Object.entries(resourcesOf(json, 'aws_eks_node_group')).map(([k, v]) => [k.split('_')[1], v]),
  );

  test('raises no deprecated-api warning (the example uses only current names)', () => {
    expect(warningsWithId(stack, 'deprecated-api')).toEqual([]);
  });

  test('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
    expect(platformJson).toMatchSnapshot('platform');
    expect(workloadsJson).toMatchSnapshot('workloads');
  });

  test('an internal NLB made by the AWS Load Balancer Controller in front of Istio routes each model by host name to its InferencePool', () => {
    const manifests = Object.values(resourcesOf(workloadsJson, 'kubernetes_manifest')).map(
      (m: any) => m.manifest,
    );
    const gateway = manifests.find((m: any) => m.kind === 'Gateway');
    expect(gateway.spec.gatewayClassName).toBe('istio');
    expect(gateway.spec.infrastructure.annotations).toEqual({
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
    });
    expect(gateway.spec.listeners[0]).toMatchObject({ protocol: 'HTTPS', port: 443 });
    const routes = manifests.filter((m: any) => m.kind === 'HTTPRoute');
    expect(routes.map((r: any) => [r.spec.hostnames[0], r.spec.rules[0].backendRefs[0].name]).sort()).toEqual(
      [
        ['llama-3-1-405b.llm.internal.acme-ml.example', 'llama405b'],
        ['llama-3-1-70b.llm.internal.acme-ml.example', 'llama70b'],
        ['llama-3-1-8b.llm.internal.acme-ml.example', 'llama8b'],
      ],
    );
    const platformCharts = (Object.values(resourcesOf(platformJson, 'helm_release')) as any[]).map(
      (r) => r.chart,
    );
    expect(platformCharts).toEqual(
      expect.arrayContaining(['base', 'istiod', 'aws-load-balancer-controller']),
    );
    // Its role is bound to the service account the chart creates, in the infrastructure stack.
    const associations = Object.values(resourcesOf(json, 'aws_eks_pod_identity_association')) as any[];
    expect(associations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          namespace: 'kube-system',
          service_account: 'aws-load-balancer-controller',
        }),
      ]),
    );
    // The private subnets it places the internal NLB in carry the tag it looks for.
    const subnets = Object.values(resourcesOf(json, 'aws_subnet')) as any[];
    expect(subnets.filter((s) => s.tags?.['kubernetes.io/role/internal-elb'] === '1').length).toBe(3);
  });

  test('applies infrastructure, then operators, then workloads', () => {
    expect(platform.dependencies).toContain(stack);
    expect(workloads.dependencies).toContain(platform);
  });

  test('configures the Kubernetes provider from the cluster outputs with aws eks get-token', () => {
    const k8s = workloadsJson.provider!.kubernetes[0];
    expect(k8s.host).toMatch(
      /terraform_remote_state\.cross-stack-reference-input-aws-inference\.outputs\..*endpoint/,
    );
    expect(k8s.exec[0].args).toEqual([
      'eks',
      'get-token',
      '--cluster-name',
      'llm-serving',
      '--region',
      'us-west-2',
    ]);
  });

  test('remote-writes in-cluster Prometheus to the AMP workspace as monitoring/prometheus', () => {
    const release = Object.values(resourcesOf(platformJson, 'helm_release')).find(
      (r: any) => r.chart === 'kube-prometheus-stack',
    ) as any;
    const values = parse(release.values[0]);
    expect(values.prometheus.serviceAccount.name).toBe('prometheus');
    expect(values.prometheus.prometheusSpec.remoteWrite[0].sigv4).toEqual({ region: 'us-west-2' });
    expect(values.prometheus.prometheusSpec.remoteWrite[0].url).toMatch(
      /prometheus_endpoint\}api\/v1\/remote_write$/,
    );
  });

  test('prices the serving dashboard from the catalogue (cost per 1,000 tokens)', () => {
    const boards = Object.values(resourcesOf(platformJson, 'kubernetes_config_map_v1')).map(
      (c: any) => c.metadata.name,
    );
    expect(boards.some((n: string) => /cost/.test(n))).toBe(true);
  });

  test('streams the weights from the model bucket under the Pod Identity service account', () => {
    const deployments = Object.values(resourcesOf(workloadsJson, 'kubernetes_deployment_v1')) as any[];
    expect(deployments).toHaveLength(2);
    for (const d of deployments) {
      expect(d.spec.template.spec.service_account_name).toBe('model-server');
      expect(d.spec.template.spec.container[0].args.join(' ')).toMatch(
        /^s3:\/\/\$\{data\.terraform_remote_state.*ModelBucket.*\}\/llama/,
      );
    }
  });

  test('serves the AWQ 70B on 4 x L40S nodes (2 replicas per node)', () => {
    expect(groups.L40S.instance_types).toEqual(['g6e.12xlarge']);
    expect(groups.L40S.scaling_config).toEqual({ min_size: 1, max_size: 6, desired_size: 1 });
  });

  test('serves the INT8 8B on spot A10G that scales from zero', () => {
    expect(groups.A10G.capacity_type).toBe('SPOT');
    expect(groups.A10G.instance_types[0]).toBe('g5.2xlarge');
    expect(groups.A10G.scaling_config.min_size).toBe(0);
  });

  test('caches public registries in ECR', () => {
    expect(
      Object.values(resourcesOf(json, 'aws_ecr_pull_through_cache_rule')).map((r) => r.upstream_registry_url),
    ).toEqual(['public.ecr.aws', 'registry.k8s.io', 'quay.io']);
  });

  test('has a budget and AMP rule groups', () => {
    expect(Object.keys(resourcesOf(json, 'aws_budgets_budget'))).toHaveLength(1);
    expect(Object.keys(resourcesOf(json, 'aws_prometheus_rule_group_namespace'))).toHaveLength(1);
  });
  test('every pod the k8s module emits meets Pod Security "restricted" (fabric pods: but IPC_LOCK) and its namespace enforces a level that admits it', () => {
    const { pods, problems } = checkPodsOfStacks([platformJson, workloadsJson]);
    expect(problems).toEqual([]);
    // Two Deployments, and the leader and worker templates of the 405B LeaderWorkerSet.
    expect(pods).toBe(4);
  });

  test('serves Llama 3.1 405B BF16 on 2 x p5.48xlarge per replica: EFA, a placement group, from zero nodes', () => {
    expect(groups.H100.instance_types).toEqual(['p5.48xlarge']);
    expect(groups.H100.scaling_config).toEqual({ min_size: 0, max_size: 4, desired_size: 0 });
    expect(groups.H100.subnet_ids).toHaveLength(1);
    expect(Object.values(resourcesOf(json, 'aws_placement_group')).map((p: any) => p.strategy)).toEqual([
      'cluster',
    ]);
    const lt: any = Object.entries(resourcesOf(json, 'aws_launch_template')).find(([k]) =>
      k.startsWith('Cluster_H100'),
    )![1];
    expect(lt.network_interfaces.filter((n: any) => n.interface_type === 'efa-only')).toHaveLength(32);
  });

  test('the 405B server is a LeaderWorkerSet of 2 pods (TP 8 x PP 2) over EFA, from the EFA image, scaled by KEDA', () => {
    const manifests = Object.values(resourcesOf(workloadsJson, 'kubernetes_manifest')).map(
      (m: any) => m.manifest,
    );
    const lws = manifests.find((m: any) => m.kind === 'LeaderWorkerSet');
    expect(lws.metadata.namespace).toBe('llm-multinode');
    expect(lws.spec.leaderWorkerTemplate.size).toBe(2);
    const leader = lws.spec.leaderWorkerTemplate.leaderTemplate.spec.containers[0];
    expect(leader.image).toMatch(/serving\/vllm.*:v0\.31\.0-efa$|:v0\.31\.0-efa$/);
    expect(leader.args.join(' ')).toMatch(/--tensor-parallel-size 8 --pipeline-parallel-size 2 /);
    expect(leader.resources.limits['vpc.amazonaws.com/efa']).toBe('32');
    const so = manifests.find(
      (m: any) => m.kind === 'ScaledObject' && m.spec.scaleTargetRef.kind === 'LeaderWorkerSet',
    );
    expect(so.spec.maxReplicaCount).toBe(2);
    const charts = (Object.values(resourcesOf(platformJson, 'helm_release')) as any[]).map((r) => r.chart);
    expect(charts).toEqual(expect.arrayContaining(['lws', 'aws-efa-k8s-device-plugin']));
  });

  test("traces go to X-Ray through the collector's Pod Identity role, from every model server and endpoint picker", () => {
    const associations = Object.values(resourcesOf(json, 'aws_eks_pod_identity_association')) as any[];
    expect(associations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ namespace: 'observability', service_account: 'otel-collector' }),
        expect.objectContaining({ namespace: 'logging', service_account: 'fluent-bit' }),
      ]),
    );
    const collector = (Object.values(resourcesOf(platformJson, 'helm_release')) as any[]).find(
      (r) => r.chart === 'opentelemetry-collector',
    );
    expect(parse(collector.values[0]).alternateConfig.exporters).toEqual({
      awsxray: { region: 'us-west-2' },
    });
    const deployments = Object.values(resourcesOf(workloadsJson, 'kubernetes_deployment_v1')) as any[];
    const servers = deployments.filter(
      (d) => d.metadata.namespace === 'llm' && /llama/.test(d.metadata.name),
    );
    expect(servers.length).toBe(2);
    for (const d of servers) {
      expect(d.spec.template.spec.container[0].args).toContain('--otlp-traces-endpoint');
    }
  });

  test('container logs go to a KMS-encrypted CloudWatch group with retention and alarms to the on-call topic', () => {
    const group: any = Object.values(resourcesOf(json, 'aws_cloudwatch_log_group')).find((g: any) =>
      String(g.name).endsWith('/containers'),
    );
    expect(group.retention_in_days).toBe(30);
    expect(group.kms_key_id).toBeDefined();
    const alarms = Object.values(resourcesOf(json, 'aws_cloudwatch_metric_alarm')) as any[];
    const topic = Object.keys(resourcesOf(json, 'aws_sns_topic'));
    expect(topic).toHaveLength(1);
    expect(alarms.filter((a) => String(a.alarm_name).includes('NcclError'))[0].alarm_actions[0]).toContain(
      `aws_sns_topic.${topic[0]}.arn`,
    );
    const fluentBit = (Object.values(resourcesOf(platformJson, 'helm_release')) as any[]).find(
      (r) => r.chart === 'fluent-bit',
    );
    expect(parse(fluentBit.values[0]).config.outputs).toContain('Name cloudwatch_logs');
  });

  test('cost per model and team: OpenCost in the cluster, the recording rules in the AMP workspace only', () => {
    const ampRules = parse(onlyResource(json, 'aws_prometheus_rule_group_namespace').data);
    expect(ampRules.groups.map((g: any) => g.name)).toContain('cost-allocation');
    const releases = Object.values(resourcesOf(platformJson, 'helm_release')) as any[];
    expect(releases.map((r) => r.chart)).toContain('opencost');
    const kps = parse(releases.find((r) => r.chart === 'kube-prometheus-stack').values[0]);
    expect(kps.additionalPrometheusRulesMap['cdktf-ai-infra-cost']).toBeUndefined();
    expect(kps['kube-state-metrics'].metricLabelsAllowlist).toContain('namespaces=[team]');
  });
});
