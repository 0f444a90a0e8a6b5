import { GpuAmiType } from '../../lib/aws';
import { TrainingNodeGroupOptions } from '../../lib/aws/training-node-group';
import {
  ACCELERATOR_NODE_LABEL,
  Accelerator,
  Capacity,
  CostEstimate,
  PricingModel,
  TaintEffect,
} from '../../lib/core';
import { resourcesOf, synthJson } from '../util';
import { awsStack, clusterStack, hasWarning } from './util';
import { EksCluster } from '../../lib/aws/cluster';
import { GpuNetwork } from '../../lib/aws/network';
import { CheckpointStore } from '../../lib/aws/checkpoint-store';

const CB = 'cr-0123456789abcdef0';

function build(options: Partial<TrainingNodeGroupOptions> = {}) {
  const { stack, cluster } = clusterStack();
  const group = cluster.addTrainingNodeGroup('H100', { accelerator: Accelerator.H100, nodes: 4, ...options });
  const json = synthJson(stack);
  const ng = Object.entries(resourcesOf(json, 'aws_eks_node_group')).find(([k]) =>
    k.startsWith('Cluster_H100'),
  )![1];
  const lt = Object.entries(resourcesOf(json, 'aws_launch_template')).find(([k]) =>
    k.startsWith('Cluster_H100'),
  )![1];
  return { stack, cluster, group, json, ng, lt };
}

/** `defaultGroup()` with no options, built once for the tests that only read it (none changes it). */
let defaults: ReturnType<typeof build> | undefined;
function defaultGroup(): ReturnType<typeof build> {
  return (defaults ??= build());
}

function userData(lt: any): string {
  return Buffer.from(lt.user_data, 'base64').toString('utf8');
}

describe('TrainingNodeGroup', () => {
  test('defaults to p5.48xlarge for 8 x H100', () => {
    const { ng, group } = defaultGroup();
    expect(ng.instance_types).toEqual(['p5.48xlarge']);
    expect(group.instanceType.name).toBe('p5.48xlarge');
  });

  test('is a fixed gang: min = max = desired = nodes', () => {
    expect(defaultGroup().ng.scaling_config).toEqual({ min_size: 4, max_size: 4, desired_size: 4 });
  });

  test('ignores desired_size drift', () => {
    expect(defaultGroup().ng.lifecycle).toEqual({ ignore_changes: ['scaling_config[0].desired_size'] });
  });

  test('defaults to the AL2023 NVIDIA AMI', () => {
    expect(defaultGroup().ng.ami_type).toBe('AL2023_x86_64_NVIDIA');
  });

  test('supports the Bottlerocket NVIDIA AMI with TOML settings on the data volume', () => {
    const { ng, lt } = build({ amiType: GpuAmiType.BOTTLEROCKET_X86_64_NVIDIA });
    expect(ng.ami_type).toBe('BOTTLEROCKET_x86_64_NVIDIA');
    expect(lt.block_device_mappings[0].device_name).toBe('/dev/xvdb');
    const ud = userData(lt);
    expect(ud).toContain('"vm.nr_hugepages" = "5128"');
    expect(ud).toContain('apiclient", "ephemeral-storage", "init"');
  });

  test('refuses the AL2 GPU AMI', () => {
    expect(() => build({ amiType: 'AL2_x86_64_GPU' as GpuAmiType })).toThrow(
      /AL2 AMIs reached end of support/,
    );
  });

  test('uses one single-AZ subnet, the network training subnet', () => {
    const { ng } = defaultGroup();
    expect(ng.subnet_ids).toEqual([expect.stringContaining('Network_TrainingSubnet')]);
  });

  test('throws without a training subnet', () => {
    const stack = awsStack();
    const net = new GpuNetwork(stack, 'N', { availabilityZones: ['us-east-1a', 'us-east-1b'] });
    const cluster = new EksCluster(stack, 'C', { network: net });
    expect(() => cluster.addTrainingNodeGroup('T', { accelerator: Accelerator.H100, nodes: 2 })).toThrow(
      /need one single-AZ subnet/,
    );
  });

  test('labels nodes with the accelerator, pool, role, GPU and EFA', () => {
    expect(build({ labels: { team: 'llm' } }).ng.labels).toEqual({
      team: 'llm',
      [ACCELERATOR_NODE_LABEL]: 'h100',
      'cdktf-ai-infra/node-pool': 'H100',
      'cdktf-ai-infra/pool-role': 'training',
      'nvidia.com/gpu.present': 'true',
      'vpc.amazonaws.com/efa.present': 'true',
    });
  });

  test('throws for an invalid taint', () => {
    expect(() => build({ taints: [{ key: 'bad key', effect: TaintEffect.NO_SCHEDULE }] })).toThrow(
      /'taints\[0\].key' key 'bad key' is not a valid Kubernetes label key/,
    );
  });

  test('throws for a label in a namespace the kubelet may not set', () => {
    expect(() => build({ labels: { 'node-role.kubernetes.io/gpu': 'true' } })).toThrow(
      /which the kubelet may not set on its own node/,
    );
  });

  test('accepts node.kubernetes.io labels', () => {
    expect(build({ labels: { 'node.kubernetes.io/pool': 'gpu' } }).ng.labels['node.kubernetes.io/pool']).toBe(
      'gpu',
    );
  });

  test('throws for an invalid label key', () => {
    expect(() => build({ labels: { 'bad key': 'x' } })).toThrow(/'labels' key 'bad key'/);
  });

  test('taints nodes with nvidia.com/gpu and extra taints', () => {
    expect(
      build({ taints: [{ key: 'training', value: 'true', effect: TaintEffect.NO_EXECUTE }] }).ng.taint,
    ).toEqual([
      { key: 'nvidia.com/gpu', value: 'present', effect: 'NO_SCHEDULE' },
      { key: 'training', value: 'true', effect: 'NO_EXECUTE' },
    ]);
  });

  describe('launch template', () => {
    test('requires IMDSv2 with hop limit 2 by default', () => {
      expect(defaultGroup().lt.metadata_options).toEqual({
        http_endpoint: 'enabled',
        http_tokens: 'required',
        http_put_response_hop_limit: 2,
      });
    });

    test('imdsHopLimit sets the hop limit', () => {
      expect(build({ imdsHopLimit: 1 }).lt.metadata_options.http_put_response_hop_limit).toBe(1);
    });

    test('throws for a hop limit of 0', () => {
      expect(() => build({ imdsHopLimit: 0 })).toThrow(
        /'imdsHopLimit' \(0\) must be a whole number from 1 to 64/,
      );
    });

    test('has 32 EFA devices on p5.48xlarge: interface + efa-only on card 0, efa-only elsewhere', () => {
      const nics = defaultGroup().lt.network_interfaces;
      expect(nics).toHaveLength(33);
      expect(nics[0]).toMatchObject({ network_card_index: 0, device_index: 0, interface_type: 'interface' });
      expect(nics[1]).toMatchObject({ network_card_index: 0, device_index: 1, interface_type: 'efa-only' });
      expect(nics.slice(2).every((n: any) => n.device_index === 0 && n.interface_type === 'efa-only')).toBe(
        true,
      );
    });

    test('p5en gets 16 EFA devices', () => {
      const { lt, group } = build({ accelerator: Accelerator.H200, instanceType: 'p5en.48xlarge' });
      expect(lt.network_interfaces).toHaveLength(17);
      expect(group.efaDevicesPerNode).toBe(16);
    });

    test('p4d gets 4 EFA devices', () => {
      expect(build({ accelerator: Accelerator.A100_40GB }).lt.network_interfaces).toHaveLength(5);
    });

    test('puts the node SG and the cluster SG on every interface and none at the top level', () => {
      const { lt } = defaultGroup();
      for (const n of lt.network_interfaces) {
        expect(n.security_groups).toEqual([
          expect.stringContaining('aws_security_group.Cluster_H100_SecurityGroup'),
          expect.stringContaining('vpc_config[0].cluster_security_group_id'),
        ]);
        expect(n.delete_on_termination).toBe('true');
      }
      expect(lt.vpc_security_group_ids).toBeUndefined();
      expect(lt.subnet_id).toBeUndefined();
    });

    test('the node SG allows all traffic to and from itself', () => {
      const { json } = defaultGroup();
      const sgRef = expect.stringContaining('aws_security_group.Cluster_H100_SecurityGroup');
      const ingress = Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule'));
      const egress = Object.values(resourcesOf(json, 'aws_vpc_security_group_egress_rule'));
      expect(ingress).toContainEqual(
        expect.objectContaining({
          ip_protocol: '-1',
          security_group_id: sgRef,
          referenced_security_group_id: sgRef,
        }),
      );
      expect(egress).toContainEqual(
        expect.objectContaining({
          ip_protocol: '-1',
          security_group_id: sgRef,
          referenced_security_group_id: sgRef,
        }),
      );
    });

    test('efa: false uses top-level security groups and no interfaces', () => {
      const { lt, stack } = build({ efa: false });
      expect(lt.network_interfaces).toBeUndefined();
      expect(lt.vpc_security_group_ids).toHaveLength(2);
      expect(hasWarning(stack, 'aws-training-without-efa')).toBe(true);
    });

    test('AL2023 user data is a MIME multipart NodeConfig with RAID0 and huge pages', () => {
      const ud = userData(defaultGroup().lt);
      expect(ud).toContain('Content-Type: multipart/mixed; boundary=');
      expect(ud).toContain('Content-Type: application/node.eks.aws');
      expect(ud).toContain('kind: NodeConfig');
      expect(ud).toMatch(/localStorage:\n\s+strategy: RAID0/);
      expect(ud).toContain('want=5128');
    });

    test('localStorageRaid0: false and hugePages2MiB: 0 leave user data out', () => {
      expect(build({ localStorageRaid0: false, hugePages2MiB: 0 }).lt.user_data).toBeUndefined();
    });

    test('throws for negative huge pages', () => {
      expect(() => build({ hugePages2MiB: -1 })).toThrow(/'hugePages2MiB' \(-1\)/);
    });

    test('defaults to an encrypted 200 GiB gp3 root volume', () => {
      expect(defaultGroup().lt.block_device_mappings).toEqual([
        {
          device_name: '/dev/xvda',
          ebs: { volume_size: 200, volume_type: 'gp3', encrypted: 'true', delete_on_termination: 'true' },
        },
      ]);
    });

    test('throws for a root volume below 50 GiB', () => {
      expect(() => build({ rootVolumeSizeGiB: 20 })).toThrow(
        /'rootVolumeSizeGiB' \(20\) must be a whole number from 50/,
      );
    });
  });

  describe('placement group', () => {
    test('on-demand groups launch in a cluster placement group', () => {
      const { json, lt } = defaultGroup();
      const pg = Object.values(resourcesOf(json, 'aws_placement_group'))[0];
      expect(pg).toMatchObject({ strategy: 'cluster', name: 'test-Cluster-H100' });
      expect(lt.placement).toEqual({ group_name: expect.stringContaining('aws_placement_group.') });
    });

    test('Capacity Blocks get no placement group by default', () => {
      const { json, lt, stack } = build({ capacity: Capacity.capacityBlock(CB) });
      expect(resourcesOf(json, 'aws_placement_group')).toEqual({});
      expect(lt.placement).toBeUndefined();
      expect(hasWarning(stack, 'aws-capacity-block-placement-group')).toBe(false);
    });

    test('warns when a placement group is forced on a Capacity Block', () => {
      const { stack } = build({ capacity: Capacity.capacityBlock(CB), placementGroup: true });
      expect(hasWarning(stack, 'aws-capacity-block-placement-group')).toBe(true);
    });

    test('reservations get no placement group by default; forcing one warns', () => {
      expect(
        resourcesOf(build({ capacity: Capacity.reservation('cr-0abc1234') }).json, 'aws_placement_group'),
      ).toEqual({});
      expect(
        hasWarning(
          build({ capacity: Capacity.reservation('cr-0abc1234'), placementGroup: true }).stack,
          'aws-reservation-placement-group',
        ),
      ).toBe(true);
    });
  });

  describe('capacity', () => {
    test('defaults to ON_DEMAND', () => {
      expect(defaultGroup().ng.capacity_type).toBe('ON_DEMAND');
    });

    test('a Capacity Block sets every rule EKS requires', () => {
      const { ng, lt } = build({ capacity: Capacity.capacityBlock(CB) });
      expect(ng.capacity_type).toBe('CAPACITY_BLOCK');
      expect(ng.instance_types).toBeUndefined();
      expect(lt.instance_type).toBe('p5.48xlarge');
      expect(lt.instance_market_options).toEqual({ market_type: 'capacity-block' });
      expect(lt.capacity_reservation_specification).toEqual({
        capacity_reservation_target: { capacity_reservation_id: CB },
      });
      expect(ng.subnet_ids).toHaveLength(1);
    });

    test('a Capacity Block group may scale to zero (EKS scales it down before the block ends)', () => {
      expect(build({ capacity: Capacity.capacityBlock(CB) }).ng.scaling_config).toEqual({
        min_size: 0,
        max_size: 4,
        desired_size: 4,
      });
    });

    test('throws when the block AZ differs from the subnet AZ', () => {
      expect(() =>
        build({ capacity: Capacity.capacityBlock(CB), reservationAvailabilityZone: 'us-east-1b' }),
      ).toThrow(
        /'reservationAvailabilityZone' \(us-east-1b\) differs from the subnet's Availability Zone \(us-east-1a\)/,
      );
    });

    test('accepts a block AZ equal to the subnet AZ', () => {
      expect(() =>
        build({ capacity: Capacity.capacityBlock(CB), reservationAvailabilityZone: 'us-east-1a' }),
      ).not.toThrow();
    });

    test('throws for reservationAvailabilityZone with on-demand capacity', () => {
      expect(() => build({ reservationAvailabilityZone: 'us-east-1a' })).toThrow(
        /only applies to Capacity.reservation\(\) and Capacity.capacityBlock\(\)/,
      );
    });

    test('a reservation targets the ODCR from the launch template, on-demand', () => {
      const { ng, lt } = build({ capacity: Capacity.reservation('cr-0abc1234') });
      expect(ng.capacity_type).toBe('ON_DEMAND');
      expect(ng.instance_types).toEqual(['p5.48xlarge']);
      expect(lt.capacity_reservation_specification).toEqual({
        capacity_reservation_target: { capacity_reservation_id: 'cr-0abc1234' },
      });
      expect(lt.instance_market_options).toBeUndefined();
    });

    test('spot sets SPOT and warns about interruptions and a single type', () => {
      const { ng, stack } = build({ capacity: Capacity.spot() });
      expect(ng.capacity_type).toBe('SPOT');
      expect(ng.instance_types).toEqual(['p5.48xlarge']);
      expect(hasWarning(stack, 'aws-spot-training')).toBe(true);
      expect(hasWarning(stack, 'aws-spot-single-instance-type')).toBe(true);
    });

    test('spot without EFA diversifies H200 across p5e and p5en', () => {
      const { ng, stack } = build({ accelerator: Accelerator.H200, capacity: Capacity.spot(), efa: false });
      expect(ng.instance_types).toEqual(['p5e.48xlarge', 'p5en.48xlarge']);
      expect(hasWarning(stack, 'aws-spot-single-instance-type')).toBe(false);
    });

    test('throws for flex-start, naming AWS alternatives', () => {
      expect(() => build({ capacity: Capacity.flexStart() })).toThrow(
        /FLEX_START is a Google Cloud \(GKE\) capacity kind. On AWS use Capacity.capacityBlock/,
      );
    });

    test('throws for queued provisioning', () => {
      expect(() => build({ capacity: Capacity.queuedProvisioning() })).toThrow(
        /QUEUED_PROVISIONING is a Google Cloud/,
      );
    });
  });

  describe('shape', () => {
    test('throws when instanceType disagrees with the accelerator', () => {
      expect(() => build({ instanceType: 'p4d.24xlarge' })).toThrow(
        /'instanceType' p4d.24xlarge has 8 x A100_40GB, not 8 x H100/,
      );
    });

    test('throws for a GPU count AWS does not offer', () => {
      expect(() => build({ gpusPerNode: 4 })).toThrow(/'gpusPerNode' \(4\) has no AWS shape with H100/);
    });

    test('throws for an EFA group on a G instance', () => {
      expect(() => build({ accelerator: Accelerator.L40S })).toThrow(/has no EFA network-card layout/);
    });

    test('throws for a non-positive node count', () => {
      expect(() => build({ nodes: 0 })).toThrow(
        /Cluster\/H100: 'nodes' \(0\) must be a whole number from 1 to 1000/,
      );
    });

    test('throws when the pinned VPC CNI is too old for efa-only', () => {
      const { cluster } = clusterStack({ addonVersions: { vpcCni: 'v1.18.3-eksbuild.1' } });
      expect(() => cluster.addTrainingNodeGroup('H', { accelerator: Accelerator.H100, nodes: 2 })).toThrow(
        /older than v1.18.5/,
      );
    });
  });

  describe('cost', () => {
    test('adds an on-demand line for every node', () => {
      const { stack } = defaultGroup();
      const line = CostEstimate.of(stack).lines.find((l) => l.item === 'p5.48xlarge')!;
      expect(line).toMatchObject({ minQuantity: 4, maxQuantity: 4, pricingModel: PricingModel.ON_DEMAND });
    });

    test('prices a Capacity Block as reserved', () => {
      const { stack } = build({ capacity: Capacity.capacityBlock(CB) });
      expect(CostEstimate.of(stack).lines.find((l) => l.item === 'p5.48xlarge')!.pricingModel).toBe(
        PricingModel.RESERVED,
      );
    });

    test('warns when the type has no catalogued price', () => {
      const { stack } = build({ accelerator: Accelerator.H200 });
      expect(hasWarning(stack, 'aws-no-price')).toBe(true);
    });
  });
});

describe('TrainingNodeGroup checkpoints', () => {
  test('grants the node role read-write once', () => {
    const { stack, cluster } = clusterStack();
    const store = new CheckpointStore(stack, 'Ckpt', { cluster, lustre: { capacityGiB: 1200 } });
    cluster.addTrainingNodeGroup('H100', { accelerator: Accelerator.H100, nodes: 2, checkpoints: store });
    const policies = Object.keys(resourcesOf(synthJson(stack), 'aws_iam_role_policy')).filter((k) =>
      k.startsWith('Ckpt_'),
    );
    expect(policies).toHaveLength(1);
  });

  test('warns when the Lustre file system is in another AZ', () => {
    const { stack, cluster, net } = clusterStack();
    const store = new CheckpointStore(stack, 'Ckpt', {
      cluster,
      lustre: { capacityGiB: 1200, subnet: net.privateSubnets[1] },
    });
    cluster.addTrainingNodeGroup('H100', { accelerator: Accelerator.H100, nodes: 2, checkpoints: store });
    expect(hasWarning(stack, 'aws-lustre-cross-az')).toBe(true);
  });

  test('does not warn when both are in the training AZ', () => {
    const { stack, cluster } = clusterStack();
    const store = new CheckpointStore(stack, 'Ckpt', { cluster, lustre: { capacityGiB: 1200 } });
    cluster.addTrainingNodeGroup('H100', { accelerator: Accelerator.H100, nodes: 2, checkpoints: store });
    expect(hasWarning(stack, 'aws-lustre-cross-az')).toBe(false);
  });
});

describe('TrainingNodeGroup pod hints', () => {
  test('exposes EFA devices and huge pages per node for pod requests', () => {
    const { group } = defaultGroup();
    expect(group.efaDevicesPerNode).toBe(32);
    expect(group.hugePages2MiB).toBe(5128);
  });

  test('defaults huge pages to 0 without EFA', () => {
    expect(build({ efa: false }).group.hugePages2MiB).toBe(0);
  });

  test('gives the extended resources one EFA pod per node requests', () => {
    expect(defaultGroup().group.podExtraResources()).toEqual({
      'vpc.amazonaws.com/efa': 32,
      'hugepages-2Mi': '5210Mi',
    });
    expect(build({ efa: false }).group.podExtraResources()).toEqual({});
  });
});

describe('TrainingNodeGroup selectors', () => {
  test('exposes the node labels and taints for workloads', () => {
    const { group, ng } = defaultGroup();
    expect(group.labels).toEqual(ng.labels);
    expect(group.taints[0]).toEqual({
      key: 'nvidia.com/gpu',
      value: 'present',
      effect: TaintEffect.NO_SCHEDULE,
    });
  });
});
