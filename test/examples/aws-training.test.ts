import { Testing } from 'cdktf';
import { build } from '../../examples/aws-training/main';
import { AwsTrainingStack } from '../../examples/aws-training/main';
import { Capacity, CostEstimate } from '../../lib/core';
import { resourcesOf, synthApp, synthJson, warningsWithId } from '../util';
import { checkPodsOfStacks } from '../k8s/pod-security-standards';

function synth(stack: AwsTrainingStack) {
  return synthJson(stack);
}

describe('examples/aws-training', () => {
  const app = Testing.app();
  const [stack, platform, workloads] = build(app);
  const json = synth(stack as AwsTrainingStack);
  const read = synthApp(app);
  const platformJson = read(platform);
  const workloadsJson = read(workloads);
  const jobSet = Object.values(resourcesOf(workloadsJson, 'kubernetes_manifest')).find(
    (m: any) => m.manifest.kind === 'JobSet',
  ).manifest;
  const trainer = jobSet.spec.replicatedJobs[0].template.spec.template.spec;

  test('raises no deprecated-api warning (the example uses only current names)', () => {
    expect(warningsWithId(stack, 'deprecated-api')).toEqual([]);
  });

  test('in-cluster stacks match their snapshots', () => {
    expect(platformJson).toMatchSnapshot('platform');
    expect(workloadsJson).toMatchSnapshot('workloads');
  });

  test('runs a 16-node JobSet requesting every EFA device and the EFA huge pages', () => {
    expect(jobSet.spec.replicatedJobs[0].template.spec.parallelism).toBe(16);
    expect(jobSet.spec.replicatedJobs[0].template.spec.completions).toBe(16);
    expect(trainer.containers[0].resources.limits).toMatchObject({
      'nvidia.com/gpu': '8',
      'vpc.amazonaws.com/efa': '32',
      'hugepages-2Mi': '5210Mi',
    });
    expect(trainer.serviceAccountName).toBe('trainer');
  });

  test('runs an MLflow server on the RDS store and gives the trainer its tracking URI', () => {
    const env = Object.fromEntries(
      trainer.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]),
    );
    expect(env.MLFLOW_TRACKING_URI).toBe('http://mlflow.mlflow.svc.cluster.local:5000');
    expect(env.MLFLOW_TRACKING_USERNAME).toEqual({
      secretKeyRef: { name: 'mlflow-trainer', key: 'username' },
    });
    const server: any = Object.values(resourcesOf(workloadsJson, 'kubernetes_deployment_v1')).find(
      (d: any) => d.metadata.name === 'mlflow',
    );
    const mlflowEnv = Object.fromEntries(
      server.spec.template.spec.container[0].env.map((e: any) => [e.name, e.value ?? e.value_from]),
    );
    expect(mlflowEnv.MLFLOW_DB_CREDENTIALS).toBe('aws-secrets-manager');
    expect(mlflowEnv.MLFLOW_DB_HOST).toMatch(/remote_state|aws_db_instance/);
    const db: any = Object.values(resourcesOf(json, 'aws_db_instance'))[0];
    expect(db).toMatchObject({
      identifier: 'llm-training-mlflow',
      deletion_protection: true,
      publicly_accessible: false,
    });
  });

  test('mounts FSx for Lustre as a static ReadWriteMany volume', () => {
    const pv: any = Object.values(resourcesOf(workloadsJson, 'kubernetes_persistent_volume_v1'))[0];
    expect(pv.spec[0].persistent_volume_source.csi.driver).toBe('fsx.csi.aws.com');
    expect(pv.spec[0].capacity.storage).toBe('4800Gi');
    expect(trainer.volumes.map((v: any) => v.persistentVolumeClaim?.claimName).filter(Boolean)).toEqual([
      '${kubernetes_persistent_volume_claim_v1.LustreClaim.metadata[0].name}',
    ]);
  });

  test('installs the EFA device plugin and JobSet/Kueue before the workloads', () => {
    const charts = Object.values(resourcesOf(platformJson, 'helm_release')).map((r: any) => r.chart);
    expect(charts).toEqual(expect.arrayContaining(['aws-efa-k8s-device-plugin', 'jobset', 'kueue']));
    expect(workloads.dependencies).toContain(platform);
    expect(platform.dependencies).toContain(stack);
  });
  const gpuGroup = Object.entries(resourcesOf(json, 'aws_eks_node_group')).find(([k]) =>
    k.startsWith('Cluster_H100'),
  )![1];
  const gpuLt = Object.entries(resourcesOf(json, 'aws_launch_template')).find(([k]) =>
    k.startsWith('Cluster_H100'),
  )![1];

  test('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  test('runs 16 p5.48xlarge on a Capacity Block', () => {
    expect(gpuGroup.capacity_type).toBe('CAPACITY_BLOCK');
    expect(gpuGroup.scaling_config.max_size).toBe(16);
    expect(gpuLt.instance_type).toBe('p5.48xlarge');
    expect(gpuLt.instance_market_options).toEqual({ market_type: 'capacity-block' });
  });

  test('has 32 EFA devices per node and no placement group', () => {
    expect(gpuLt.network_interfaces.filter((n: any) => n.interface_type === 'efa-only')).toHaveLength(32);
    expect(resourcesOf(json, 'aws_placement_group')).toEqual({});
  });

  test('has FSx for Lustre with a DRA to the checkpoint bucket', () => {
    expect(Object.values(resourcesOf(json, 'aws_fsx_lustre_file_system'))[0]).toMatchObject({
      storage_capacity: 4800,
      per_unit_storage_throughput: 500,
    });
    expect(Object.keys(resourcesOf(json, 'aws_fsx_data_repository_association'))).toHaveLength(1);
  });

  test('derives the budget from 16 p5.48xlarge at the catalogue price', () => {
    const budget = Object.values(resourcesOf(json, 'aws_budgets_budget'))[0];
    // plus the network's, the cluster's, the system nodes' and FSx's lines: the whole estimate
    const estimate = CostEstimate.of(stack);
    const gpu = estimate.lines.find((l) => l.item === 'p5.48xlarge')!;
    expect(estimate.lineMonthlyUsd(gpu, 'max')).toBeCloseTo(16 * 55.04 * 730, 6);
    expect(Number(budget.limit_amount)).toBeCloseTo(estimate.monthlyUsd('max'), 0);
  });

  test('the spot variant uses SPOT with a placement group', () => {
    const spot = synth(new AwsTrainingStack(Testing.app(), 'aws-training-spot', Capacity.spot()));
    const ng = Object.entries(resourcesOf(spot, 'aws_eks_node_group')).find(([k]) =>
      k.startsWith('Cluster_H100'),
    )![1];
    expect(ng.capacity_type).toBe('SPOT');
    expect(Object.keys(resourcesOf(spot, 'aws_placement_group'))).toHaveLength(1);
  });
  test('every pod the k8s module emits meets Pod Security "restricted" (fabric pods: but IPC_LOCK) and its namespace enforces a level that admits it', () => {
    const { pods, problems } = checkPodsOfStacks([platformJson, workloadsJson]);
    expect(problems).toEqual([]);
    expect(pods).toBe(2); // the trainer and the MLflow server
  });
});
