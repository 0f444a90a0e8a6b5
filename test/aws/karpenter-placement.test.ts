import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { TerraformStack } from 'cdktf';
import {
  Karpenter,
  KarpenterGpuNodePool,
  KarpenterGpuNodePoolProps,
  PlacementGroupReference,
} from '../../lib/aws';
import { EksCluster } from '../../lib/aws/cluster';
import { Accelerator, Capacity, ValidationError } from '../../lib/core';
import { kubernetesSchemaProblems } from '../consumers/k8s-schema';
import { onlyResource, resourcesOf, synthApp } from '../util';
import { awsStack, hasWarning, network } from './util';

// Karpenter v1.14.1 supports placement groups: EC2NodeClass `spec.placementGroupSelector`
// (`name` or `id`, pkg/apis/crds/karpenter.k8s.aws_ec2nodeclasses.yaml at tag v1.14.1; docs
// website/content/en/docs/concepts/nodeclasses.md "spec.placementGroupSelector").

function pool(props: Partial<KarpenterGpuNodePoolProps> = {}) {
  const infra = awsStack('infra');
  const app = infra.node.root as any;
  const cluster = new EksCluster(infra, 'Cluster', { network: network(infra), clusterName: 'gpu' });
  const platform = new TerraformStack(app, 'platform');
  new HelmProvider(platform, 'helm', {});
  const karpenter = new Karpenter(platform, 'Karpenter', { cluster });
  const workloads = new TerraformStack(app, 'workloads');
  new KubernetesProvider(workloads, 'kubernetes', {});
  const p = new KarpenterGpuNodePool(workloads, 'H100', {
    karpenter,
    accelerator: Accelerator.H100,
    maxGpus: 64,
    ...props,
  });
  return { app, infra, workloads, cluster, pool: p };
}

function nodeClass(json: any): any {
  return (Object.values(resourcesOf(json, 'kubernetes_manifest')) as any[]).find(
    (r) => r.manifest.kind === 'EC2NodeClass',
  ).manifest;
}

describe('KarpenterGpuNodePool placement groups', () => {
  test('defaults to no placement group', () => {
    const s = pool();
    expect((s.pool.nodeClassManifest as any).spec.placementGroupSelector).toBeUndefined();
    expect(s.pool.placementGroupName).toBeUndefined();
    expect(resourcesOf(synthApp(s.app)(s.infra), 'aws_placement_group')).toEqual({});
  });

  test('placementGroup creates a cluster placement group in the cluster stack and selects it by name', () => {
    const s = pool({ placementGroup: true });
    const read = synthApp(s.app);
    const pg = onlyResource(read(s.infra), 'aws_placement_group');
    expect(pg).toMatchObject({ name: 'gpu-h100', strategy: 'cluster' });
    expect(pg['//'].metadata.path).toBe('infra/Cluster/PlacementGroup-h100');
    const wl = read(s.workloads);
    expect(nodeClass(wl).spec.placementGroupSelector.name).toMatch(/^\$\{data\.terraform_remote_state\./);
    expect(kubernetesSchemaProblems(wl)).toEqual([]);
  });

  test('a non-EFA pool in a placement group stays in the training AZ', () => {
    const s = pool({
      placementGroup: true,
      efa: false,
      accelerator: Accelerator.L40S,
      gpusPerNode: 1,
      maxGpus: 8,
    });
    const np = s.pool.nodePoolManifest as any;
    const zone = np.spec.template.spec.requirements.find((r: any) => r.key === 'topology.kubernetes.io/zone');
    expect(zone.values).toEqual(['us-east-1a']);
    expect((s.pool.nodeClassManifest as any).spec.subnetSelectorTerms).toHaveLength(1);
  });

  test('existingPlacementGroup selects the group an ODCR was created in and creates none', () => {
    const s = pool({
      capacity: Capacity.reservation('cr-0123456789abcdef0'),
      existingPlacementGroup: PlacementGroupReference.fromPlacementGroupName('h100-odcr'),
    });
    expect((s.pool.nodeClassManifest as any).spec.placementGroupSelector).toEqual({ name: 'h100-odcr' });
    expect(resourcesOf(synthApp(s.app)(s.infra), 'aws_placement_group')).toEqual({});
    expect(hasWarning(s.workloads, 'aws-reservation-placement-group')).toBe(false);
  });

  test('warns for a placement group with a Capacity Block or a reservation it was not created in', () => {
    expect(
      hasWarning(
        pool({ placementGroup: true, capacity: Capacity.capacityBlock('cr-0123456789abcdef0') }).workloads,
        'aws-capacity-block-placement-group',
      ),
    ).toBe(true);
    expect(
      hasWarning(
        pool({ placementGroup: true, capacity: Capacity.reservation('cr-0123456789abcdef0') }).workloads,
        'aws-reservation-placement-group',
      ),
    ).toBe(true);
  });

  test.each<[string, Partial<KarpenterGpuNodePoolProps>, RegExp]>([
    [
      'placementGroup false with an existing group',
      { placementGroup: false, existingPlacementGroup: { placementGroupName: 'pg' } },
      /'existingPlacementGroup' is set but 'placementGroup' is false/,
    ],
    ['placementGroup not a boolean', { placementGroup: 'yes' as any }, /'placementGroup'/],
    [
      'existingPlacementGroup without a name',
      { existingPlacementGroup: {} as any },
      /'existingPlacementGroup.placementGroupName'/,
    ],
  ])('throws for %s', (_name, props, message) => {
    expect(() => pool(props)).toThrow(ValidationError);
    expect(() => pool(props)).toThrow(message);
  });
});
