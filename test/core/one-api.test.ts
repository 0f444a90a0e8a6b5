// Issue 11 §2: one name, one type, one implementation per concept across aws, gcp and k8s.
import { EksCluster } from '../../lib/aws/cluster';
import {
  Accelerator,
  AlertRuleSet,
  ModelSpec,
  Quantization,
  NODE_POOL_LABEL,
  POOL_ROLE_LABEL,
  ValidationError,
  deferDeprecation,
  poolNodeLabels,
  raiseDeferredDeprecations,
  renamedOption,
} from '../../lib/core';
import { CheckpointBucket } from '../../lib/gcp/checkpoint-bucket';
import { GkeCluster } from '../../lib/gcp/cluster';
import { GkeNetwork } from '../../lib/gcp/network';
import { GcpPrincipal } from '../../lib/gcp/principal';
import { TraceExportGrant } from '../../lib/gcp/trace-export';
import {
  MetricsCollection,
  ModelServer,
  MonitoringStack,
  TraceBackend,
  TraceCollector,
  WeightsSource,
} from '../../lib/k8s';
import { resourcesOf, synthJson, testStack, validationErrorOf } from '../util';
import { awsStack, network } from '../aws/util';
import { gcpStack, warningIds } from '../gcp/helpers';
import { platformAndWorkloads } from '../k8s/helpers';

describe('pool labels: the same two keys on every cloud', () => {
  test('the keys live once, in core', () => {
    expect(NODE_POOL_LABEL).toBe('cdktf-ai-infra/node-pool');
    expect(POOL_ROLE_LABEL).toBe('cdktf-ai-infra/pool-role');
  });

  test('EKS node groups carry the pool name and role; the system group is system/system', () => {
    const stack = awsStack();
    const cluster = new EksCluster(stack, 'Cluster', { network: network(stack) });
    cluster.addTrainingNodeGroup('H100', { accelerator: Accelerator.H100, nodes: 2 });
    cluster.addInferenceNodeGroup('L4', { accelerator: Accelerator.L4, maxNodes: 2 });
    const groups = Object.values(resourcesOf(synthJson(stack), 'aws_eks_node_group')) as any[];
    const labelsOf = (pool: string) => groups.find((g) => g.labels[NODE_POOL_LABEL] === pool)?.labels;
    expect(labelsOf('H100')).toMatchObject({ [NODE_POOL_LABEL]: 'H100', [POOL_ROLE_LABEL]: 'training' });
    expect(labelsOf('L4')).toMatchObject({ [NODE_POOL_LABEL]: 'L4', [POOL_ROLE_LABEL]: 'inference' });
    expect(labelsOf('system')).toEqual({ [NODE_POOL_LABEL]: 'system', [POOL_ROLE_LABEL]: 'system' });
  });

  test('GKE node pools carry the pool name and role; the system pool is system/system', () => {
    const { stack } = gcpStack();
    const net = new GkeNetwork(stack, 'Network', { project: 'my-proj', region: 'us-central1' });
    const cluster = new GkeCluster(stack, 'Cluster', { network: net });
    cluster.addInferenceNodePool('Serve', { accelerator: Accelerator.L4, name: 'serve-l4' });
    const pools = Object.values(resourcesOf(synthJson(stack), 'google_container_node_pool')) as any[];
    const labelsOf = (name: string) => pools.find((p) => p.name === name)?.node_config.labels;
    expect(labelsOf('serve-l4')).toMatchObject({
      [NODE_POOL_LABEL]: 'serve-l4',
      [POOL_ROLE_LABEL]: 'inference',
    });
    expect(labelsOf('system')).toEqual({ [NODE_POOL_LABEL]: 'system', [POOL_ROLE_LABEL]: 'system' });
  });

  test('an EKS construct id that is not a label value is refused, naming it and a fix', () => {
    const stack = awsStack();
    const cluster = new EksCluster(stack, 'Cluster', { network: network(stack) });
    const e = validationErrorOf(() =>
      cluster.addInferenceNodeGroup('L4 pool', { accelerator: Accelerator.L4 }),
    );
    expect(e.message).toMatch(
      /construct id 'L4 pool' names the pool in the node label cdktf-ai-infra\/node-pool/,
    );
    expect(e.message).toMatch(/for example 'L4-pool'/);
  });

  test('a user label may not redefine the role label on EKS either', () => {
    const stack = awsStack();
    const cluster = new EksCluster(stack, 'Cluster', { network: network(stack) });
    expect(
      validationErrorOf(() =>
        cluster.addInferenceNodeGroup('L4', {
          accelerator: Accelerator.L4,
          labels: { [POOL_ROLE_LABEL]: 'x' },
        }),
      ).message,
    ).toMatch(/'labels' sets 'cdktf-ai-infra\/pool-role', a label the library sets to 'inference'/);
  });

  test.each([
    ['', /'' names the pool/],
    ['-a', /'-a' names the pool/],
    ['a'.repeat(64), /1-63 characters/],
  ])('poolNodeLabels refuses %j', (name, re) => {
    expect(
      validationErrorOf(() => poolNodeLabels(testStack().stack, "'name'", name, undefined)).message,
    ).toMatch(re);
  });

  test('poolNodeLabels without a role sets only the pool label (Karpenter pools)', () => {
    expect(poolNodeLabels(testStack().stack, "'name'", 'h100', undefined)).toEqual({
      [NODE_POOL_LABEL]: 'h100',
    });
  });
});

describe("'project' in every module; 'projectId' deprecated where a factory took it", () => {
  test('renamedOption: new name wins silently, old name carries a message, both is an error', () => {
    expect(renamedOption('F', 'old', undefined, 'new', 'n')).toEqual({ value: 'n' });
    expect(renamedOption('F', 'old', 'o', 'new', undefined)).toEqual({
      value: 'o',
      deprecation: expect.stringMatching(/^F: 'old' is deprecated .*rename it to 'new'/),
    });
    expect(validationErrorOf(() => renamedOption('F', 'old', 'o', 'new', 'n')).message).toMatch(
      /F: 'old' and 'new' are both set/,
    );
  });

  test('raiseDeferredDeprecations ignores objects without deprecations and non-objects', () => {
    const { stack } = gcpStack();
    const o = {};
    raiseDeferredDeprecations(stack, o);
    raiseDeferredDeprecations(stack, undefined);
    raiseDeferredDeprecations(stack, 'x');
    expect(warningIds(stack)).toEqual([]);
    deferDeprecation(o, 'gone');
    deferDeprecation(o, undefined);
    raiseDeferredDeprecations(stack, o);
    expect(warningIds(stack)).toEqual(['deprecated-api']);
  });

  test('MetricsCollection.managedPrometheus: project and projectId give the same query URL', () => {
    const a = MetricsCollection.managedPrometheus({ project: 'acme-ml' });
    const b = MetricsCollection.managedPrometheus({ projectId: 'acme-ml' });
    expect(a.queryUrl).toBe(
      'https://monitoring.googleapis.com/v1/projects/acme-ml/location/global/prometheus',
    );
    expect(b.queryUrl).toBe(a.queryUrl);
    expect(a.project).toBe('acme-ml');
    expect(a.projectId).toBe('acme-ml');
    expect(() => MetricsCollection.managedPrometheus({ project: 'acme-ml', projectId: 'acme-ml' })).toThrow(
      /'projectId' and 'project' are both set/,
    );
    expect(() => MetricsCollection.managedPrometheus({})).toThrow(ValidationError);
  });

  test('a ModelServer using a projectId collection warns deprecated-api; with project it does not', () => {
    const warn = (collection: MetricsCollection) => {
      const { workloads } = platformAndWorkloads();
      new ModelServer(workloads, 'S', {
        model: ModelSpec.LLAMA_3_1_8B,
        quantization: Quantization.BF16,
        accelerator: Accelerator.L4,
        weights: WeightsSource.huggingFace('meta-llama/Llama-3.1-8B-Instruct'),
        metricsCollection: collection,
      });
      return warningIds(workloads);
    };
    expect(warn(MetricsCollection.managedPrometheus({ projectId: 'acme-ml' }))).toContain('deprecated-api');
    expect(warn(MetricsCollection.managedPrometheus({ project: 'acme-ml' }))).not.toContain('deprecated-api');
  });

  test('TraceBackend.googleCloudTrace: projectId still works and the collector warns', () => {
    const run = (backend: TraceBackend) => {
      const { platform } = platformAndWorkloads();
      const c = new TraceCollector(platform, 'Traces', { backends: [backend] });
      return { ids: warningIds(platform), config: JSON.stringify(c.collectorConfig) };
    };
    const old = run(TraceBackend.googleCloudTrace({ projectId: 'acme-ml' }));
    const now = run(TraceBackend.googleCloudTrace({ project: 'acme-ml' }));
    expect(old.config).toBe(now.config);
    expect(old.config).toContain('"project":"acme-ml"');
    expect(old.ids).toContain('deprecated-api');
    expect(now.ids).not.toContain('deprecated-api');
  });

  test('GcpPrincipal.kubernetesServiceAccount: projectId still works; the granting construct warns', () => {
    const opts = { projectNumber: '123456789012', namespace: 'training', serviceAccount: 'trainer' };
    const grant = (p: GcpPrincipal) => {
      const { stack } = gcpStack();
      const bucket = new CheckpointBucket(stack, 'Ckpt', { bucketName: 'acme-ckpt', location: 'US' });
      bucket.grantReadWrite(p);
      new TraceExportGrant(stack, 'Trace', { project: 'acme-ml', principal: p });
      return { ids: warningIds(stack), member: p.member };
    };
    const old = grant(GcpPrincipal.kubernetesServiceAccount({ ...opts, projectId: 'acme-ml' }));
    const now = grant(GcpPrincipal.kubernetesServiceAccount({ ...opts, project: 'acme-ml' }));
    expect(old.member).toBe(now.member);
    expect(now.member).toContain('/workloadIdentityPools/acme-ml.svc.id.goog/subject/ns/training/sa/trainer');
    expect(old.ids.filter((i) => i === 'deprecated-api')).toHaveLength(2);
    expect(now.ids).not.toContain('deprecated-api');
  });
});

test('a ModelServer without weights is a ValidationError, not a TypeError', () => {
  const { workloads } = platformAndWorkloads();
  const props: any = {
    model: ModelSpec.LLAMA_3_1_8B,
    quantization: Quantization.BF16,
    accelerator: Accelerator.L4,
  };
  expect(validationErrorOf(() => new ModelServer(workloads, 'S', props)).message).toMatch(
    /'weights' \(not set\) must be a WeightsSource/,
  );
});

describe("MonitoringStack 'alertRules' takes AlertRuleSetOptions, as aws and gcp monitoring do", () => {
  const rulesOf = (platform: any) => {
    const release: any = Object.values(resourcesOf(synthJson(platform), 'helm_release'))[0];
    return release.values[0] as string;
  };

  test('options and the deprecated AlertRuleSet render the same rules; only the latter warns', () => {
    const a = platformAndWorkloads();
    new MonitoringStack(a.platform, 'M', { alertRules: { overrides: { GPUSaturated: { enabled: false } } } });
    const b = platformAndWorkloads();
    new MonitoringStack(b.platform, 'M', {
      alertRules: AlertRuleSet.defaults({ overrides: { GPUSaturated: { enabled: false } } }),
    });
    expect(rulesOf(a.platform)).toBe(rulesOf(b.platform));
    expect(rulesOf(a.platform)).not.toContain('GPUSaturated');
    expect(warningIds(a.platform)).not.toContain('deprecated-api');
    expect(warningIds(b.platform)).toContain('deprecated-api');
  });

  test('invalid options raise the rule-set error with the construct path', () => {
    const { platform } = platformAndWorkloads();
    const e = validationErrorOf(
      () => new MonitoringStack(platform, 'M', { alertRules: { groups: ['nope' as any] } }),
    );
    expect(e.message).toMatch(/^platform\/M: 'groups\[0\]'/);
  });

  test('a non-object alertRules is a type error', () => {
    const { platform } = platformAndWorkloads();
    expect(() => new MonitoringStack(platform, 'M', { alertRules: 'all' as any })).toThrow(ValidationError);
  });
});
