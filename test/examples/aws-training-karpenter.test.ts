import { Testing } from 'cdktf';
import { build } from '../../examples/aws-training-karpenter/main';
import { kubernetesSchemaProblems } from '../consumers/k8s-schema';
import { resourcesOf, synthApp, warningsWithId } from '../util';

describe('examples/aws-training-karpenter', () => {
  const app = Testing.app();
  const [infra, platform, workloads] = build(app);
  const read = synthApp(app);
  const infraJson = read(infra);
  const platformJson = read(platform);
  const workloadsJson = read(workloads);

  test('raises no deprecated-api warning (the example uses only current names)', () => {
    expect(warningsWithId(infra, 'deprecated-api')).toEqual([]);
  });

  test('in-cluster stacks match their snapshots', () => {
    expect(platformJson).toMatchSnapshot('platform');
    expect(workloadsJson).toMatchSnapshot('workloads');
  });

  test('installs Karpenter and the EFA device plugin; the queue and role are in the cluster stack', () => {
    const charts = Object.values(resourcesOf(platformJson, 'helm_release')).map((r: any) => r.chart);
    expect(charts).toEqual(expect.arrayContaining(['karpenter', 'aws-efa-k8s-device-plugin']));
    expect(Object.keys(resourcesOf(infraJson, 'aws_sqs_queue'))).toHaveLength(1);
    expect(Object.keys(resourcesOf(infraJson, 'aws_cloudwatch_event_rule'))).toHaveLength(5);
    expect(workloads.dependencies).toContain(platform);
  });

  test('the H100 pool takes the Capacity Block first, then on-demand, and passes the CRD checks', () => {
    const np = Object.values(resourcesOf(workloadsJson, 'kubernetes_manifest')).find(
      (m: any) => m.manifest.kind === 'NodePool',
    ).manifest;
    const ct = np.spec.template.spec.requirements.find((r: any) => r.key === 'karpenter.sh/capacity-type');
    expect(ct.values).toEqual(['reserved', 'on-demand']);
    expect(np.spec.limits).toEqual({ 'nvidia.com/gpu': 128 });
    expect(kubernetesSchemaProblems(workloadsJson)).toEqual([]);
  });
});
