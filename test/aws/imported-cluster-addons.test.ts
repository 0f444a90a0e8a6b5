import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { TerraformStack } from 'cdktf';
import { AwsLoadBalancerController } from '../../lib/aws/load-balancer-controller';
import { EksClusterAttributes } from '../../lib/aws/cluster';
import { InferenceNodeGroup } from '../../lib/aws/inference-node-group';
import { Karpenter } from '../../lib/aws/karpenter';
import { KarpenterGpuNodePool } from '../../lib/aws/karpenter-node-pool';
import { TrainingNodeGroup } from '../../lib/aws/training-node-group';
import { Accelerator, ValidationError } from '../../lib/core';
import { onlyResource, resourcesOf, synthApp, synthJson } from '../util';
import { awsStack, IMPORTED_NODE_ROLE, importedCluster } from './util';

const NODE_ROLE = IMPORTED_NODE_ROLE;

/** The imported cluster, with the VPC CNI version the add-on tests need. */
const imported = (stack: TerraformStack, attrs: Partial<EksClusterAttributes> = {}) =>
  importedCluster(stack, { vpcCniVersion: 'v1.20.4-eksbuild.1', ...attrs });

function stacks(attrs: Partial<EksClusterAttributes> = {}) {
  const infra = awsStack('infra');
  const app = infra.node.root as any;
  const cluster = imported(infra, attrs);
  const platform = new TerraformStack(app, 'platform');
  new HelmProvider(platform, 'helm', {});
  const workloads = new TerraformStack(app, 'workloads');
  new KubernetesProvider(workloads, 'kubernetes', {});
  let read: ((stack: TerraformStack) => ReturnType<ReturnType<typeof synthApp>>) | undefined;
  const synth = (stack: TerraformStack) => (read ??= synthApp(app))(stack);
  return { app, infra, cluster, platform, workloads, synth };
}

describe('Karpenter on an imported cluster', () => {
  const s = stacks();
  const karpenter = new Karpenter(s.platform, 'Karpenter', { cluster: s.cluster });
  const pool = new KarpenterGpuNodePool(s.workloads, 'H100', {
    karpenter,
    accelerator: Accelerator.H100,
    maxGpus: 32,
  });
  const infra = s.synth(s.infra);

  test('creates the controller role, Pod Identity association and interruption queue under the imported cluster', () => {
    const assoc = onlyResource(infra, 'aws_eks_pod_identity_association');
    expect(assoc).toMatchObject({
      cluster_name: 'ml-prod',
      namespace: 'kube-system',
      service_account: 'karpenter',
    });
    expect(onlyResource(infra, 'aws_sqs_queue').name).toBe('karpenter-ml-prod');
    expect(karpenter.aws.node.path).toBe('infra/Cluster/Karpenter');
  });

  test('lets the controller pass only the imported node role', () => {
    const policy = JSON.parse(onlyResource(infra, 'aws_iam_role_policy').policy);
    const pass = policy.Statement.find((st: any) => st.Sid === 'AllowPassingInstanceRole');
    expect(pass.Resource).toBe(NODE_ROLE);
  });

  test('the EC2NodeClass uses the role name, the data source security group and the EFA group in the VPC', () => {
    const nc = pool.nodeClassManifest as any;
    expect(nc.spec.role).toBe('ml-prod-nodes');
    expect(nc.spec.subnetSelectorTerms).toEqual([{ id: 'subnet-0aaaaaaaaaaaaaaaa' }]);
    const wl = s.synth(s.workloads);
    const manifest = Object.values(resourcesOf(wl, 'kubernetes_manifest'))
      .map((r: any) => r.manifest)
      .find((m: any) => m.kind === 'EC2NodeClass');
    expect(manifest.spec.securityGroupSelectorTerms[0].id).toMatch(/cluster_security_group_id/);
    expect(onlyResource(infra, 'aws_security_group').vpc_id).toBe('vpc-0123456789abcdef0');
  });

  test('an EFA pool checks the imported vpcCniVersion', () => {
    const t = stacks({ vpcCniVersion: 'v1.18.3-eksbuild.1' });
    const k = new Karpenter(t.platform, 'Karpenter', { cluster: t.cluster });
    expect(
      () =>
        new KarpenterGpuNodePool(t.workloads, 'H100', {
          karpenter: k,
          accelerator: Accelerator.H100,
          maxGpus: 8,
        }),
    ).toThrow(/'vpcCniVersion' \(v1\.18\.3-eksbuild\.1\) of cluster ml-prod is older than v1\.18\.5/);
  });

  test('throws a ValidationError for a cluster that is not an object', () => {
    const t = stacks();
    expect(() => new Karpenter(t.platform, 'Karpenter', { cluster: undefined as any })).toThrow(
      /'cluster' must be an EksCluster or the result of EksCluster.fromClusterAttributes/,
    );
  });

  test('throws on an Auto Mode cluster', () => {
    const t = stacks({ autoMode: true });
    expect(() => new Karpenter(t.platform, 'Karpenter', { cluster: t.cluster })).toThrow(ValidationError);
    expect(() => new Karpenter(t.platform, 'Karpenter2', { cluster: t.cluster })).toThrow(
      /runs EKS Auto Mode, whose built-in Karpenter already owns/,
    );
  });
});

describe('AwsLoadBalancerController on an imported cluster', () => {
  test('creates the role and Pod Identity association under the imported cluster and sets its name and VPC', () => {
    const s = stacks();
    const lbc = new AwsLoadBalancerController(s.platform, 'Lbc', { cluster: s.cluster });
    const infra = s.synth(s.infra);
    expect(onlyResource(infra, 'aws_eks_pod_identity_association')).toMatchObject({
      cluster_name: 'ml-prod',
      namespace: 'kube-system',
      service_account: 'aws-load-balancer-controller',
    });
    expect(lbc.identity.node.path).toBe('infra/Cluster/LoadBalancerController');
    expect(lbc.values).toMatchObject({
      clusterName: 'ml-prod',
      region: 'us-east-1',
      vpcId: 'vpc-0123456789abcdef0',
    });
    expect(Object.keys(resourcesOf(s.synth(s.platform), 'helm_release'))).toHaveLength(1);
  });

  test('throws on an Auto Mode cluster', () => {
    const s = stacks({ autoMode: true });
    expect(() => new AwsLoadBalancerController(s.platform, 'Lbc', { cluster: s.cluster })).toThrow(
      /runs EKS Auto Mode, which has its own load balancing/,
    );
  });
});

describe('node repair on an imported cluster', () => {
  test("a GPU group's own nodeRepair applies when the attributes turn auto repair on", () => {
    const stack = awsStack();
    const cluster = imported(stack, { nodeAutoRepair: true });
    new TrainingNodeGroup(stack, 'H100', {
      cluster,
      accelerator: Accelerator.H100,
      nodes: 2,
      nodeRepair: { maxParallelRepairs: 2 },
    });
    const cfg = onlyResource(synthJson(stack), 'aws_eks_node_group').node_repair_config;
    expect(cfg).toMatchObject({ enabled: true, max_parallel_nodes_repaired_count: 2 });
  });

  test('the nodeRepair attribute turns auto repair on and is the default of the GPU groups', () => {
    const stack = awsStack();
    const cluster = imported(stack, { nodeRepair: { maxUnhealthyNodePercentage: 20 } });
    expect(cluster.nodeAutoRepair).toBe(true);
    new InferenceNodeGroup(stack, 'L40S', { cluster, accelerator: Accelerator.L40S, maxNodes: 4 });
    const cfg = onlyResource(synthJson(stack), 'aws_eks_node_group').node_repair_config;
    expect(cfg).toMatchObject({
      enabled: true,
      max_parallel_nodes_repaired_count: 1,
      max_unhealthy_node_threshold_percentage: 20,
    });
  });

  test('defaults to no node repair (nodeAutoRepair false)', () => {
    const stack = awsStack();
    const cluster = imported(stack);
    expect(cluster.nodeAutoRepair).toBe(false);
    expect(cluster.nodeRepair).toBeUndefined();
    new InferenceNodeGroup(stack, 'L40S', { cluster, accelerator: Accelerator.L40S, maxNodes: 4 });
    expect(onlyResource(synthJson(stack), 'aws_eks_node_group').node_repair_config).toBeUndefined();
  });

  test('throws for nodeRepair with nodeAutoRepair false', () => {
    expect(() => imported(awsStack(), { nodeAutoRepair: false, nodeRepair: {} })).toThrow(
      /'nodeRepair' is set but 'nodeAutoRepair' is false/,
    );
  });

  test('validates the nodeRepair attribute like the cluster prop', () => {
    expect(() => imported(awsStack(), { nodeRepair: { maxParallelRepairs: 0 } })).toThrow(
      /'nodeRepair.maxParallelRepairs' \(0\) must be a whole number from 1/,
    );
  });

  test("a group's nodeRepair on an imported cluster without auto repair is an error", () => {
    const stack = awsStack();
    expect(
      () =>
        new TrainingNodeGroup(stack, 'H100', {
          cluster: imported(stack),
          accelerator: Accelerator.H100,
          nodes: 2,
          nodeRepair: { maxParallelRepairs: 2 },
        }),
    ).toThrow(/'nodeRepair' is set but the cluster has 'nodeAutoRepair' off/);
  });
});

describe('managed node groups on an Auto Mode cluster', () => {
  test.each([
    [
      'training',
      (s: TerraformStack, c: any) =>
        new TrainingNodeGroup(s, 'H100', { cluster: c, accelerator: Accelerator.H100, nodes: 2 }),
    ],
    [
      'inference',
      (s: TerraformStack, c: any) =>
        new InferenceNodeGroup(s, 'L40S', { cluster: c, accelerator: Accelerator.L40S }),
    ],
  ])('throws for a %s group', (what, make) => {
    const s = awsStack();
    const c = imported(s, { autoMode: true });
    expect(() => make(s, c)).toThrow(new RegExp(`runs EKS Auto Mode: .*managed ${what} node group`));
  });

  test('autoMode must be a boolean', () => {
    expect(() => imported(awsStack(), { autoMode: 'yes' as any })).toThrow(/'autoMode'/);
  });
});
