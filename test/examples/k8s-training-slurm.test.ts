import { Testing } from 'cdktf';
import { build } from '../../examples/k8s-training-slurm/main';
import { kubernetesSchemaProblems } from '../consumers/k8s-schema';
import { checkPodsOfStacks } from '../k8s/pod-security-standards';
import { resourcesOf, synthApp, warningsWithId } from '../util';

function manifest(json: any, kind: string): any {
  return (Object.values(resourcesOf(json, 'kubernetes_manifest')) as any[])
    .map((m) => m.manifest)
    .find((m) => m.kind === kind);
}

describe('examples/k8s-training-slurm', () => {
  const app = Testing.app();
  const [platform, workloads] = build(app);
  const read = synthApp(app);
  const platformJson = read(platform);
  const workloadsJson = read(workloads);

  test('raises no deprecated-api warning (the example uses only current names)', () => {
    expect(warningsWithId(platform, 'deprecated-api')).toEqual([]);
  });

  test('synthesizes the platform and workloads stacks (snapshot)', () => {
    expect(platformJson).toMatchSnapshot('platform');
    expect(workloadsJson).toMatchSnapshot('workloads');
  });

  test('the platform installs the GPU Operator and the slurm-operator, not JobSet, Kueue or KEDA', () => {
    const charts = (Object.values(resourcesOf(platformJson, 'helm_release')) as any[])
      .map((r) => r.chart)
      .sort();
    expect(charts).toEqual([
      'gpu-operator',
      'kube-prometheus-stack',
      'slurm-operator',
      'slurm-operator-crds',
    ]);
    expect(workloads.dependencies).toContain(platform);
  });

  test('the H100 NodeSet registers its GPUs, requests RDMA and mounts the checkpoints claim', () => {
    const ns = manifest(workloadsJson, 'NodeSet');
    expect(ns.spec.extraConf).toBe('Gres=gpu:h100:8');
    expect(ns.spec.slurmd.resources.limits).toMatchObject({ 'nvidia.com/gpu': '8', 'rdma/ib': '8' });
    expect(ns.spec.slurmd.volumeMounts).toContainEqual({ name: 'shared', mountPath: '/checkpoints' });
    const c = manifest(workloadsJson, 'Controller');
    expect(c.spec.extraConf).toContain('GresTypes=gpu');
    expect(c.spec.accountingRef).toEqual({ name: 'research' });
  });

  test('keys come from existing Secrets: nothing secret is generated into the state', () => {
    expect(resourcesOf(workloadsJson, 'random_password')).toEqual({});
    expect(resourcesOf(workloadsJson, 'kubernetes_secret_v1')).toEqual({});
  });

  test('every custom resource passes the pinned CRD schemas', () => {
    expect(kubernetesSchemaProblems(workloadsJson)).toEqual([]);
    expect(kubernetesSchemaProblems(platformJson)).toEqual([]);
  });

  test('the research namespace admits the privileged slurmd pods; the library-rendered pods still pass', () => {
    const ns = Object.values(resourcesOf(workloadsJson, 'kubernetes_namespace_v1'))[0] as any;
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(checkPodsOfStacks([platformJson, workloadsJson]).problems).toEqual([]);
  });
});
