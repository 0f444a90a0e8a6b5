import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { TerraformStack } from 'cdktf';
import {
  AUTO_MODE_CLUSTER_POLICIES,
  AUTO_MODE_GPU_INSTANCE_FAMILIES,
  AUTO_MODE_MAX_NODE_LIFETIME,
  AUTO_MODE_NODE_POLICIES,
  AUTO_MODE_REFUSED_POOL_PROPS,
  AutoModeBuiltInNodePool,
  AutoModeGpuNodePool,
  AutoModeGpuNodePoolProps,
  EksCluster,
  EksClusterProps,
  GpuNetwork,
  Karpenter,
  PlacementGroupReference,
} from '../../lib/aws';
import { Accelerator, Capacity, CostEstimate, ValidationError } from '../../lib/core';
import { kubernetesSchemaProblems } from '../consumers/k8s-schema';
import { onlyResource, resourcesOf, synthApp, synthJson } from '../util';
import { awsStack, clusterStack, hasWarning, network, warnings } from './util';

const CB = 'cr-0123456789abcdef0';
const ODCR = 'cr-0fedcba9876543210';

function autoCluster(props: Partial<EksClusterProps> = {}) {
  return clusterStack({ autoMode: {}, ...props });
}

describe('EksCluster autoMode', () => {
  const { stack, cluster } = autoCluster();
  const json = synthJson(stack);
  const eks = onlyResource(json, 'aws_eks_cluster');
  const attachments = Object.values(resourcesOf(json, 'aws_iam_role_policy_attachment')) as any[];
  const policiesOf = (role: string) =>
    attachments
      .filter((a) => a.role === `\${aws_iam_role.${role}.name}`)
      .map((a) => a.policy_arn.replace(/^.*:policy\//, ''));

  test('enables compute, block storage and load balancing together, without self-managed add-ons', () => {
    expect(eks.compute_config).toEqual({
      enabled: true,
      node_pools: ['system', 'general-purpose'],
      node_role_arn: '${aws_iam_role.Cluster_NodeRole_D6BFCFE8.arn}',
    });
    expect(eks.storage_config).toEqual({ block_storage: { enabled: true } });
    expect(eks.kubernetes_network_config).toEqual({ elastic_load_balancing: { enabled: true } });
    expect(eks.bootstrap_self_managed_addons).toBe(false);
    expect(cluster.autoMode).toBe(true);
    expect(cluster.autoModeNodePools).toEqual(['system', 'general-purpose']);
  });

  test('gives the cluster role the Auto Mode policies and sts:TagSession', () => {
    expect(policiesOf('Cluster_ClusterRole_3EB5AC19').sort()).toEqual(
      ['AmazonEKSClusterPolicy', ...AUTO_MODE_CLUSTER_POLICIES].sort(),
    );
    const trust = JSON.parse(
      resourcesOf(json, 'aws_iam_role').Cluster_ClusterRole_3EB5AC19.assume_role_policy,
    );
    expect(trust.Statement[0].Action).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    expect(eks.depends_on).toEqual(
      expect.arrayContaining([
        'aws_iam_role_policy_attachment.Cluster_ClusterRoleAmazonEKSComputePolicy_52288A82',
        'aws_iam_role_policy_attachment.Cluster_NodeRoleAmazonEKSWorkerNodeMinimalPolicy_F6E05BE0',
      ]),
    );
  });

  test('gives the node role the minimal worker and ECR pull policies only', () => {
    expect(policiesOf('Cluster_NodeRole_D6BFCFE8').sort()).toEqual([...AUTO_MODE_NODE_POLICIES].sort());
  });

  test('creates no system node group, no add-ons and no VPC CNI role', () => {
    expect(resourcesOf(json, 'aws_eks_node_group')).toEqual({});
    expect(resourcesOf(json, 'aws_eks_addon')).toEqual({});
    expect(Object.keys(resourcesOf(json, 'aws_iam_role'))).toEqual([
      'Cluster_ClusterRole_3EB5AC19',
      'Cluster_NodeRole_D6BFCFE8',
    ]);
    expect(cluster.systemNodeGroup).toBeUndefined();
    expect(cluster.nodeAutoRepair).toBe(false);
  });

  test('keeps the cluster outputs a workloads stack is configured from', () => {
    expect(Object.keys(json.output ?? {}).sort()).toEqual([
      'cluster_certificate_authority_data',
      'cluster_endpoint',
      'cluster_name',
      'cluster_oidc_issuer_url',
    ]);
  });

  test('with built-in pools, leaves the node access entry to EKS', () => {
    expect(resourcesOf(json, 'aws_eks_access_entry')).toEqual({});
  });

  test('without built-in pools, passes no node role and creates its EC2 access entry with AmazonEKSAutoNodePolicy', () => {
    const { stack: s } = autoCluster({ autoMode: { builtInNodePools: [] } });
    const j = synthJson(s);
    expect(onlyResource(j, 'aws_eks_cluster').compute_config).toEqual({ enabled: true, node_pools: [] });
    expect(onlyResource(j, 'aws_eks_access_entry')).toMatchObject({
      principal_arn: '${aws_iam_role.Cluster_NodeRole_D6BFCFE8.arn}',
      type: 'EC2',
    });
    expect(onlyResource(j, 'aws_eks_access_policy_association')).toMatchObject({
      policy_arn:
        'arn:${data.aws_partition.AwsPartition.partition}:eks::aws:cluster-access-policy/AmazonEKSAutoNodePolicy',
      access_scope: { type: 'cluster' },
    });
  });

  test('one built-in pool is passed as given', () => {
    const { stack: s } = autoCluster({
      autoMode: { builtInNodePools: [AutoModeBuiltInNodePool.GENERAL_PURPOSE] },
    });
    expect(onlyResource(synthJson(s), 'aws_eks_cluster').compute_config.node_pools).toEqual([
      'general-purpose',
    ]);
  });

  test('the FSx CSI add-on waits only for its role on Auto Mode', () => {
    const { stack: s, cluster: c } = autoCluster();
    c.enableFsxCsiDriver();
    const addon = onlyResource(synthJson(s), 'aws_eks_addon');
    expect(addon.addon_name).toBe('aws-fsx-csi-driver');
    expect(addon.depends_on).toEqual([
      expect.stringMatching(/^aws_iam_role_policy_attachment\.Cluster_FsxCsiRoleAmazonFSxFullAccess_/),
    ]);
  });

  test('ebsCsiDriver, nodeAutoRepair and networkPolicy may be false', () => {
    expect(() =>
      autoCluster({ ebsCsiDriver: false, nodeAutoRepair: false, networkPolicy: false }),
    ).not.toThrow();
  });

  test('defaults to no Auto Mode', () => {
    const { stack: s, cluster: c } = clusterStack();
    const e = onlyResource(synthJson(s), 'aws_eks_cluster');
    expect(e.compute_config).toBeUndefined();
    expect(e.storage_config).toBeUndefined();
    expect(c.autoMode).toBe(false);
    expect(c.autoModeNodePools).toEqual([]);
    expect(c.systemNodeGroup).toBeDefined();
  });

  test.each<[string, Partial<EksClusterProps>, RegExp]>([
    [
      'systemNodeGroup',
      { systemNodeGroup: {} },
      /'systemNodeGroup' is set with 'autoMode': Auto Mode runs system/,
    ],
    ['vpcCniEnv', { vpcCniEnv: { WARM_IP_TARGET: '5' } }, /'vpcCniEnv' is set with 'autoMode'/],
    ['networkPolicy', { networkPolicy: true }, /'networkPolicy' is set with 'autoMode'/],
    [
      'ebsCsiDriver',
      { ebsCsiDriver: true },
      /'ebsCsiDriver' is set with 'autoMode': Auto Mode has block storage/,
    ],
    ['nodeAutoRepair', { nodeAutoRepair: true }, /'nodeAutoRepair' is set with 'autoMode'/],
    ['nodeRepair', { nodeRepair: {} }, /'nodeRepair' is set with 'autoMode'/],
    [
      'addonVersions.vpcCni',
      { addonVersions: { vpcCni: 'v1.20.4-eksbuild.1' } },
      /'addonVersions.vpcCni' is set/,
    ],
    [
      'addonVersions.coredns',
      { addonVersions: { coredns: 'v1.12.1-eksbuild.1' } },
      /'addonVersions.coredns'/,
    ],
    [
      'builtInNodePools entry',
      { autoMode: { builtInNodePools: ['gpu' as any] } },
      /'autoMode.builtInNodePools\[0\]'/,
    ],
    [
      'builtInNodePools twice',
      { autoMode: { builtInNodePools: [AutoModeBuiltInNodePool.SYSTEM, AutoModeBuiltInNodePool.SYSTEM] } },
      /'autoMode.builtInNodePools' lists 'system' twice/,
    ],
    ['autoMode not an object', { autoMode: true as any }, /'autoMode' must be an object/],
  ])('throws for %s', (_name, props, message) => {
    expect(() => autoCluster(props)).toThrow(ValidationError);
    expect(() => autoCluster(props)).toThrow(message);
  });

  test('refuses managed node groups and Karpenter', () => {
    const { cluster: c } = autoCluster();
    expect(() => c.addTrainingNodeGroup('H100', { accelerator: Accelerator.H100, nodes: 2 })).toThrow(
      /runs EKS Auto Mode: .*managed training node group/,
    );
    expect(() => c.addInferenceNodeGroup('L4', { accelerator: Accelerator.L4 })).toThrow(
      /managed inference node group/,
    );
    const platform = new TerraformStack(c.node.root as any, 'platform');
    expect(() => new Karpenter(platform, 'Karpenter', { cluster: c })).toThrow(/built-in Karpenter/);
  });
});

function setup(autoMode = {}) {
  const infra = awsStack('infra');
  const app = infra.node.root as any;
  const net = network(infra);
  const cluster = new EksCluster(infra, 'Cluster', { network: net, clusterName: 'gpu', autoMode });
  const workloads = new TerraformStack(app, 'workloads');
  new KubernetesProvider(workloads, 'kubernetes', {});
  return { app, infra, cluster, net, workloads };
}

function pool(props: Partial<AutoModeGpuNodePoolProps> = {}, id = 'H100') {
  const s = setup();
  const p = new AutoModeGpuNodePool(s.workloads, id, {
    cluster: s.cluster,
    accelerator: Accelerator.H100,
    maxGpus: 64,
    ...props,
  });
  return { ...s, pool: p };
}

function requirement(np: any, key: string): any {
  return np.spec.template.spec.requirements.find((r: any) => r.key === key);
}

describe('AutoModeGpuNodePool', () => {
  const d = pool();
  const nc = d.pool.nodeClassManifest as any;
  const np = d.pool.nodePoolManifest as any;
  const jsons = synthApp(d.app);

  test('the NodeClass uses the node role, the training subnet and the cluster and EFA security groups', () => {
    expect(nc.apiVersion).toBe('eks.amazonaws.com/v1');
    expect(nc.metadata.name).toBe('h100');
    expect(nc.spec.role).toBe(d.cluster.nodeRole.roleName);
    expect(nc.spec.subnetSelectorTerms).toEqual([{ id: d.net.trainingSubnet!.subnetId }]);
    expect(nc.spec.securityGroupSelectorTerms).toHaveLength(2);
    const infra = jsons(d.infra);
    const sg = resourcesOf(infra, 'aws_security_group');
    expect(Object.keys(sg).some((k) => k.startsWith('Cluster_AutoModeEfaSecurityGroup'))).toBe(true);
    const ingress = Object.values(resourcesOf(infra, 'aws_vpc_security_group_ingress_rule')).find(
      (r: any) => r.description === 'EFA: all traffic from itself',
    ) as any;
    expect(ingress.ip_protocol).toBe('-1');
    expect(ingress.referenced_security_group_id).toBe(ingress.security_group_id);
  });

  test('defaults to 200 GiB ephemeral storage and EFA interfaces with one /28 pod prefix on the primary', () => {
    expect(nc.spec.ephemeralStorage).toEqual({ size: '200Gi' });
    const nics = nc.spec.advancedNetworking.networkInterfaces;
    expect(nics[0]).toEqual({
      networkCardIndex: 0,
      deviceIndex: 0,
      interfaceType: 'interface',
      secondaryIPv4PrefixCount: 1,
    });
    expect(nics.slice(1).every((n: any) => n.interfaceType === 'efa-only')).toBe(true);
    expect(d.pool.efaDevicesPerNode).toBe(32);
    expect(d.pool.efaPodResources()).toEqual({ 'vpc.amazonaws.com/efa': 32 });
    expect(nc.spec.tags).toEqual({ 'cdktf-ai-infra/node-pool': 'h100' });
  });

  test('the NodePool points at the NodeClass, pins the instance type, capacity type and AZ', () => {
    expect(np.spec.template.spec.nodeClassRef).toEqual({
      group: 'eks.amazonaws.com',
      kind: 'NodeClass',
      name: 'h100',
    });
    expect(requirement(np, 'node.kubernetes.io/instance-type').values).toEqual(['p5.48xlarge']);
    expect(requirement(np, 'karpenter.sh/capacity-type').values).toEqual(['on-demand']);
    expect(requirement(np, 'topology.kubernetes.io/zone').values).toEqual(['us-east-1a']);
    expect(np.spec.template.spec.taints[0]).toEqual({
      key: 'nvidia.com/gpu',
      value: 'present',
      effect: 'NoSchedule',
    });
  });

  test('consolidates only when empty after 10m, expires at the 21-day Auto Mode limit and limits GPUs', () => {
    expect(np.spec.disruption).toEqual({ consolidationPolicy: 'WhenEmpty', consolidateAfter: '10m' });
    expect(np.spec.template.spec.expireAfter).toBe(AUTO_MODE_MAX_NODE_LIFETIME);
    expect(AUTO_MODE_MAX_NODE_LIFETIME).toBe('504h');
    expect(np.spec.limits).toEqual({ 'nvidia.com/gpu': 64 });
  });

  test('warns for an instance type outside the GPU families Auto Mode lists', () => {
    expect(hasWarning(d.workloads, 'aws-auto-mode-instance-family')).toBe(false);
    // p4de is not in the list (p4d is).
    const s = pool({ accelerator: Accelerator.A100_80GB, maxGpus: 8 });
    expect(s.pool.instanceTypes).toEqual(['p4de.24xlarge']);
    expect(AUTO_MODE_GPU_INSTANCE_FAMILIES).not.toContain('p4de');
    expect(hasWarning(s.workloads, 'aws-auto-mode-instance-family')).toBe(true);
  });

  test('warns that nodes are replaced within 21 days', () => {
    expect(hasWarning(d.workloads, 'aws-auto-mode-node-lifetime')).toBe(true);
  });

  test('emits both manifests, accepted by the schemas (NodeClass written from the EKS User Guide)', () => {
    const w = jsons(d.workloads);
    expect(Object.keys(resourcesOf(w, 'kubernetes_manifest'))).toHaveLength(2);
    expect(kubernetesSchemaProblems(w)).toEqual([]);
  });

  test('Capacity Blocks and reservations go to capacityReservationSelectorTerms, in Karpenter order', () => {
    const { pool: p } = pool({
      capacity: Capacity.capacityBlock(CB),
      fallbackCapacity: [Capacity.reservation(ODCR), Capacity.spot(), Capacity.onDemand()],
    });
    const c = p.nodeClassManifest as any;
    expect(c.spec.capacityReservationSelectorTerms).toEqual([{ id: CB }, { id: ODCR }]);
    expect(requirement(p.nodePoolManifest, 'karpenter.sh/capacity-type').values).toEqual([
      'reserved',
      'spot',
      'on-demand',
    ]);
  });

  test('placementGroup creates a cluster placement group in the cluster stack and selects it', () => {
    const s = pool({ placementGroup: true });
    const read = synthApp(s.app);
    const pg = onlyResource(read(s.infra), 'aws_placement_group');
    expect(pg).toMatchObject({ name: 'gpu-h100', strategy: 'cluster' });
    expect(pg['//'].metadata.path).toBe('infra/Cluster/PlacementGroup-h100');
    const m = Object.values(resourcesOf(read(s.workloads), 'kubernetes_manifest')).find(
      (r: any) => r.manifest.kind === 'NodeClass',
    ) as any;
    // The name is read across stacks, so the NodeClass waits for the group.
    expect(m.manifest.spec.placementGroupSelector.name).toMatch(/^\$\{data\.terraform_remote_state\./);
    expect(s.cluster.node.tryFindChild('PlacementGroup-h100')).toBeDefined();
  });

  test('existingPlacementGroup selects it by name and creates none', () => {
    const s = pool({ existingPlacementGroup: PlacementGroupReference.fromPlacementGroupName('h100-odcr') });
    expect((s.pool.nodeClassManifest as any).spec.placementGroupSelector).toEqual({ name: 'h100-odcr' });
    expect(resourcesOf(synthApp(s.app)(s.infra), 'aws_placement_group')).toEqual({});
    expect(s.pool.placementGroupName).toBe('h100-odcr');
  });

  test('defaults to no placement group', () => {
    expect(nc.spec.placementGroupSelector).toBeUndefined();
    expect(d.pool.placementGroupName).toBeUndefined();
  });

  test('a placement group with a Capacity Block warns', () => {
    const s = pool({ placementGroup: true, capacity: Capacity.capacityBlock(CB) });
    expect(hasWarning(s.workloads, 'aws-capacity-block-placement-group')).toBe(true);
  });

  test('a pool without EFA has no static interfaces or EFA group, spans the private subnets and diversifies spot', () => {
    const { pool: p, net } = pool({
      accelerator: Accelerator.L40S,
      gpusPerNode: 1,
      efa: false,
      capacity: Capacity.spot(),
      maxGpus: 8,
    });
    const c = p.nodeClassManifest as any;
    expect(c.spec.advancedNetworking).toBeUndefined();
    expect(c.spec.securityGroupSelectorTerms).toHaveLength(1);
    expect(c.spec.subnetSelectorTerms).toHaveLength(net.privateSubnets.length);
    expect(requirement(p.nodePoolManifest, 'topology.kubernetes.io/zone')).toBeUndefined();
    expect(p.instanceTypes.every((t) => t.startsWith('g6e.'))).toBe(true);
    expect(p.efaPodResources()).toEqual({});
  });

  test('podIpv4Prefixes and ephemeralStorageGiB set the NodeClass', () => {
    const { pool: p } = pool({ podIpv4Prefixes: 4, ephemeralStorageGiB: 500 });
    const c = p.nodeClassManifest as any;
    expect(c.spec.advancedNetworking.networkInterfaces[0].secondaryIPv4PrefixCount).toBe(4);
    expect(c.spec.ephemeralStorage.size).toBe('500Gi');
  });

  test('the limit can come from a monthly budget', () => {
    const { pool: p } = pool({ maxGpus: undefined, monthlyBudgetUsd: 200_000 });
    expect(p.maxGpus % 8).toBe(0);
    expect(p.maxGpus).toBeGreaterThan(0);
  });

  test('adds the pool to the cost estimate', () => {
    const s = pool();
    expect(CostEstimate.of(s.workloads).lines.some((l) => l.item === 'p5.48xlarge')).toBe(true);
  });

  test('warns aws-no-price that the Auto Mode management fee is not estimated (no dated source for its rates)', () => {
    const s = pool();
    const w = warnings(s.workloads).filter((x) => x.startsWith('[cdktf-ai-infra:aws-no-price]'));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(
      /EKS Auto Mode bills a management fee per instance-hour of p5\.48xlarge on top of its EC2 price \(rate per instance type: https:\/\/aws\.amazon\.com\/eks\/pricing\/\); no dated source for the rates was found, so the stack's cost estimate leaves the fee out\./,
    );
    // No line carries the fee: the pool's lines are its instances and their volumes.
    expect(CostEstimate.of(s.workloads).lines.map((l) => l.item)).toEqual([
      'p5.48xlarge',
      'gp3 data volume, 200 GiB',
    ]);
  });

  test('adds one gp3 ephemeral storage volume per node (the size written, default 200 GiB), 0 to the node limit', () => {
    const line = CostEstimate.of(pool().workloads).lines.find((l) => l.item === 'gp3 data volume, 200 GiB')!;
    expect(line).toMatchObject({ constructPath: 'workloads/H100', minQuantity: 0, maxQuantity: 8 });
    expect(line.unitPrice.usd * 730).toBeCloseTo(200 * 0.08, 9);
    expect(line.assumption).toMatch(
      /Auto Mode's ephemeral storage volume \(its own default 80Gi; this pool writes the size\)/,
    );
    expect(line.assumption).toMatch(/management fee not included/);
    const sized = CostEstimate.of(pool({ ephemeralStorageGiB: 500 }).workloads).lines;
    expect(sized.some((l) => l.item === 'gp3 data volume, 500 GiB')).toBe(true);
  });

  test('works on an imported Auto Mode cluster', () => {
    const infra = awsStack('infra');
    const net = GpuNetwork.fromNetworkAttributes(infra, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0',
      vpcCidr: '10.0.0.0/16',
      privateSubnets: [
        { subnetId: 'subnet-0aaaaaaaaaaaaaaaa', availabilityZone: 'us-east-1a', cidr: '10.0.0.0/19' },
        { subnetId: 'subnet-0bbbbbbbbbbbbbbbb', availabilityZone: 'us-east-1b', cidr: '10.0.32.0/19' },
      ],
    });
    const cluster = EksCluster.fromClusterAttributes(infra, 'Cluster', {
      clusterName: 'auto',
      network: net,
      nodeRoleArn: 'arn:aws:iam::111122223333:role/auto-nodes',
      autoMode: true,
    });
    const workloads = new TerraformStack(infra.node.root as any, 'workloads');
    const p = new AutoModeGpuNodePool(workloads, 'L4', {
      cluster,
      accelerator: Accelerator.L4,
      gpusPerNode: 1,
      efa: false,
      maxGpus: 4,
    });
    expect((p.nodeClassManifest as any).spec.role).toBe('auto-nodes');
  });

  describe('refuses what Auto Mode cannot do', () => {
    test.each(Object.keys(AUTO_MODE_REFUSED_POOL_PROPS).map((k) => [k]))('%s', (prop) => {
      expect(() => pool({ [prop]: 'x' } as any)).toThrow(ValidationError);
      expect(() => pool({ [prop]: 'x' } as any)).toThrow(
        new RegExp(`'${prop}' is set on an EKS Auto Mode pool: .*Remove it`),
      );
    });

    test.each<[string, Partial<AutoModeGpuNodePoolProps>, RegExp]>([
      [
        'podIpv4Prefixes without EFA',
        { efa: false, podIpv4Prefixes: 2 },
        /'podIpv4Prefixes' is set on a pool without EFA/,
      ],
      ['podIpv4Prefixes 0', { podIpv4Prefixes: 0 }, /'podIpv4Prefixes' \(0\)/],
      ['ephemeralStorageGiB 10', { ephemeralStorageGiB: 10 }, /'ephemeralStorageGiB' \(10\)/],
      [
        'the built-in name default',
        { name: 'default' },
        /'name' \('default'\) is the name of an Auto Mode built-in/,
      ],
      ['a bad name', { name: 'H 100' }, /'name'/],
      ['no limit', { maxGpus: undefined }, /exactly one of 'maxGpus' and 'monthlyBudgetUsd' \(got neither\)/],
      ['both limits', { monthlyBudgetUsd: 1000 }, /\(got both\)/],
      [
        'spot before a reservation',
        { capacity: Capacity.spot(), fallbackCapacity: [Capacity.reservation(ODCR)] },
        /comes after/,
      ],
      [
        'a GKE capacity kind',
        { capacity: Capacity.flexStart() },
        /Google Cloud capacity kind: Auto Mode pools take/,
      ],
      [
        'EFA on a shape without it',
        { accelerator: Accelerator.L4, gpusPerNode: 1 },
        /no EFA network-card layout/,
      ],
      [
        'existing and placementGroup false',
        { placementGroup: false, existingPlacementGroup: { placementGroupName: 'pg' } },
        /'existingPlacementGroup' is set but 'placementGroup' is false/,
      ],
      [
        'a reservation AZ elsewhere',
        { capacity: Capacity.reservation(ODCR), reservationAvailabilityZone: 'us-east-1b' },
        /differs from the subnet's Availability Zone/,
      ],
      ['consolidateAfter', { consolidateAfter: '10 minutes' }, /'consolidateAfter'/],
    ])('%s', (_name, props, message) => {
      expect(() => pool(props)).toThrow(ValidationError);
      expect(() => pool(props)).toThrow(message);
    });

    test('a cluster without Auto Mode', () => {
      const infra = awsStack('infra');
      const cluster = new EksCluster(infra, 'Cluster', { network: network(infra) });
      const workloads = new TerraformStack(infra.node.root as any, 'workloads');
      expect(
        () =>
          new AutoModeGpuNodePool(workloads, 'H100', { cluster, accelerator: Accelerator.H100, maxGpus: 8 }),
      ).toThrow(/does not run EKS Auto Mode/);
    });

    test('the stack of the cluster', () => {
      const s = setup();
      expect(
        () =>
          new AutoModeGpuNodePool(s.infra, 'H100', {
            cluster: s.cluster,
            accelerator: Accelerator.H100,
            maxGpus: 8,
          }),
      ).toThrow(/in the stack of the EKS cluster/);
    });

    test('two pools with one name and a placement group', () => {
      const s = setup();
      new AutoModeGpuNodePool(s.workloads, 'A', {
        cluster: s.cluster,
        name: 'h100',
        accelerator: Accelerator.H100,
        maxGpus: 8,
        placementGroup: true,
      });
      expect(
        () =>
          new AutoModeGpuNodePool(s.workloads, 'B', {
            cluster: s.cluster,
            name: 'h100',
            accelerator: Accelerator.H100,
            maxGpus: 8,
            placementGroup: true,
          }),
      ).toThrow(/a placement group for a pool named 'h100' already exists/);
    });

    test('an EFA and a non-EFA pool sharing an instance type', () => {
      const s = setup();
      new AutoModeGpuNodePool(s.workloads, 'A', {
        cluster: s.cluster,
        accelerator: Accelerator.H100,
        maxGpus: 8,
      });
      expect(
        () =>
          new AutoModeGpuNodePool(s.workloads, 'B', {
            cluster: s.cluster,
            accelerator: Accelerator.H100,
            maxGpus: 8,
            efa: false,
          }),
      ).toThrow(/NCCL would fall back to TCP/);
    });

    test('the NodeClass schema catches secondary prefixes on an efa-only interface', () => {
      const w = synthApp(d.app)(d.workloads);
      const m = Object.values(resourcesOf(w, 'kubernetes_manifest')).find(
        (r: any) => r.manifest.kind === 'NodeClass',
      ) as any;
      m.manifest.spec.advancedNetworking.networkInterfaces[1].secondaryIPv4PrefixCount = 1;
      m.manifest.spec.amiSelectorTerms = [{ alias: 'al2023@latest' }];
      const problems = kubernetesSchemaProblems(w).join('\n');
      expect(problems).toMatch(/efa-only/);
      expect(problems).toMatch(/amiSelectorTerms/);
    });
  });
});
