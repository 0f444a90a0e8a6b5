import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { EksCluster, IEksCluster, IKarpenter, KarpenterGpuNodePool } from '../../lib/aws';
import { Accelerator, ValidationError } from '../../lib/core';
import { awsStack, network } from './util';

// Issue 11: KarpenterGpuNodePool takes IKarpenter, so a Karpenter installed by other means (its
// own Helm release, an EKS blueprint) can host GPU pools. The fake implements only the interface.

class ExternalKarpenter extends Construct implements IKarpenter {
  constructor(
    scope: Construct,
    id: string,
    public readonly cluster: IEksCluster,
    public readonly efaSecurityGroupId: string,
  ) {
    super(scope, id);
  }
}

function setup(autoMode = false) {
  const infra = awsStack('infra');
  const app = infra.node.root as any;
  const cluster = new EksCluster(infra, 'Cluster', {
    network: network(infra),
    clusterName: 'gpu',
    ...(autoMode ? { autoMode: {} } : {}),
  });
  const platform = new TerraformStack(app, 'platform');
  new HelmProvider(platform, 'helm', {});
  const workloads = new TerraformStack(app, 'workloads');
  new KubernetesProvider(workloads, 'kubernetes', {});
  return { cluster, platform, workloads };
}

describe('KarpenterGpuNodePool with an IKarpenter', () => {
  test('an external Karpenter: its cluster and EFA security group reach the EC2NodeClass', () => {
    const { cluster, platform, workloads } = setup();
    const karpenter = new ExternalKarpenter(platform, 'Karpenter', cluster, 'sg-0123456789abcdef0');
    const pool = new KarpenterGpuNodePool(workloads, 'H100', {
      karpenter,
      accelerator: Accelerator.H100,
      maxGpus: 64,
    });
    const nodeClass = pool.nodeClassManifest as any;
    expect(nodeClass.spec.role).toBe(cluster.nodeRole.roleName);
    expect(nodeClass.spec.securityGroupSelectorTerms).toEqual([
      { id: cluster.clusterSecurityGroupId },
      { id: 'sg-0123456789abcdef0' },
    ]);
  });

  test('throws a ValidationError when karpenter is not an IKarpenter', () => {
    const { workloads } = setup();
    expect(
      () =>
        new KarpenterGpuNodePool(workloads, 'H100', {
          karpenter: {} as IKarpenter,
          accelerator: Accelerator.H100,
          maxGpus: 64,
        }),
    ).toThrow(ValidationError);
  });

  test('refuses an IKarpenter of an EKS Auto Mode cluster, owned or imported', () => {
    const { cluster, platform, workloads } = setup(true);
    const imported = EksCluster.fromClusterAttributes(platform, 'Imported', {
      clusterName: 'gpu-auto',
      network: cluster.network,
      nodeRoleArn: 'arn:aws:iam::123456789012:role/gpu-auto-nodes',
      autoMode: true,
    });
    for (const [id, c] of [
      ['Owned', cluster],
      ['Imported', imported],
    ] as const) {
      const karpenter = new ExternalKarpenter(platform, `Karpenter${id}`, c, 'sg-0123456789abcdef0');
      let error: unknown;
      try {
        new KarpenterGpuNodePool(workloads, `H100${id}`, {
          karpenter,
          accelerator: Accelerator.H100,
          maxGpus: 64,
        });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ValidationError);
      const detail = (error as ValidationError).detail;
      expect(detail).toContain(`'karpenter.cluster' (${c.clusterName}) runs EKS Auto Mode`);
      expect(detail).toMatch(/built-in Karpenter/);
      expect(detail).toMatch(/Use AutoModeGpuNodePool/);
    }
  });
});
