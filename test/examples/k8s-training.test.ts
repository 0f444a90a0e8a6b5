import { Testing } from 'cdktf';
import { parse } from 'yaml';
import { build } from '../../examples/k8s-training/main';
import { resourcesOf, synthJson, warningsWithId } from '../util';
import { checkPodsOfStacks } from '../k8s/pod-security-standards';

function manifests(json: any, kind: string): any[] {
  return Object.values(resourcesOf(json, 'kubernetes_manifest'))
    .map((m: any) => m.manifest)
    .filter((m: any) => m.kind === kind);
}

describe('examples/k8s-training', () => {
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

  test('the GPU Operator installs driver and toolkit on the plain on-prem image', () => {
    const charts = (Object.values(resourcesOf(platformJson, 'helm_release')) as any[])
      .map((r) => r.chart)
      .sort();
    expect(charts).toEqual([
      'cert-manager',
      'gpu-operator',
      'jobset',
      'kube-prometheus-stack',
      'kueue',
      'nvsentinel',
    ]);
  });

  test('NVSentinel quarantines GPU faults and evicts the research pods at once; pods run the preflight checks', () => {
    const nvs = (Object.values(resourcesOf(platformJson, 'helm_release')) as any[]).find(
      (r) => r.chart === 'nvsentinel',
    );
    expect(parse(nvs.values[0])['node-drainer'].userNamespaces).toContainEqual({
      name: 'research',
      mode: 'Immediate',
    });
    const [js] = manifests(workloadsJson, 'JobSet');
    const inits = js.spec.replicatedJobs[0].template.spec.template.spec.initContainers.map(
      (c: any) => c.name,
    );
    expect(inits).toEqual(['preflight-dcgm-diag', 'preflight-nccl-init']);
  });

  test('the JobSet requests RDMA devices, joins the Kueue queue and checkpoints to the shared claim', () => {
    const [js] = manifests(workloadsJson, 'JobSet');
    const c = js.spec.replicatedJobs[0].template.spec.template.spec.containers[0];
    expect(c.resources.limits).toMatchObject({ 'nvidia.com/gpu': '8', 'rdma/ib': '8' });
    expect(js.metadata.labels['kueue.x-k8s.io/queue-name']).toBe('training');
    expect(c.env).toContainEqual({ name: 'CHECKPOINT_URI', value: '/checkpoints' });
  });

  test('the cluster queue covers the RDMA devices the job requests', () => {
    const [cq] = manifests(workloadsJson, 'ClusterQueue');
    expect(cq.spec.resourceGroups[0].coveredResources).toContain('rdma/ib');
  });
  test('every pod the k8s module emits meets Pod Security "restricted" (fabric pods: but IPC_LOCK) and its namespace enforces a level that admits it', () => {
    const { pods, problems } = checkPodsOfStacks([platformJson, workloadsJson]);
    expect(problems).toEqual([]);
    expect(pods).toBe(1);
  });
});
