import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Release as HelmRelease } from '@cdktf/provider-helm/lib/release';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { parse } from 'yaml';
import {
  EFA_HUGE_PAGES_2MIB,
  GpuAmiType,
  IEksCluster,
  IKarpenter,
  Karpenter,
  KARPENTER_CHART,
  KARPENTER_INTERRUPTION_EVENTS,
  KarpenterGpuNodePool,
  KarpenterGpuNodePoolProps,
} from '../../lib/aws';
import {
  Accelerator,
  Capacity,
  CostEstimate,
  HOURS_PER_MONTH,
  PricingModel,
  TaintEffect,
  ValidationError,
} from '../../lib/core';
import { kubernetesSchemaProblems } from '../consumers/k8s-schema';
import { resourcesOf, synthApp } from '../util';
import { awsStack, network } from './util';
import { EksCluster } from '../../lib/aws/cluster';

const CB = 'cr-0123456789abcdef0';
const ODCR = 'cr-0fedcba9876543210';

function setup() {
  const infra = awsStack('infra');
  const app = infra.node.root as any;
  const net = network(infra);
  const cluster = new EksCluster(infra, 'Cluster', { network: net, clusterName: 'gpu' });
  const platform = new TerraformStack(app, 'platform');
  new HelmProvider(platform, 'helm', {});
  const karpenter = new Karpenter(platform, 'Karpenter', { cluster });
  const workloads = new TerraformStack(app, 'workloads');
  new KubernetesProvider(workloads, 'kubernetes', {});
  return { app, infra, cluster, platform, karpenter, workloads };
}

function pool(props: Partial<KarpenterGpuNodePoolProps> = {}, id = 'H100') {
  const s = setup();
  const p = new KarpenterGpuNodePool(s.workloads, id, {
    karpenter: s.karpenter,
    accelerator: Accelerator.H100,
    maxGpus: 64,
    ...props,
  });
  return { ...s, pool: p };
}

function manifests(json: any): { nodePool: any; nodeClass: any } {
  const all = Object.values(resourcesOf(json, 'kubernetes_manifest')).map((r: any) => r.manifest);
  return {
    nodePool: all.find((m) => m.kind === 'NodePool'),
    nodeClass: all.find((m) => m.kind === 'EC2NodeClass'),
  };
}

function requirement(np: any, key: string): any {
  return np.spec.template.spec.requirements.find((r: any) => r.key === key);
}

describe('Karpenter', () => {
  test('installs the pinned chart in kube-system with the cluster name and interruption queue', () => {
    const { app, platform } = setup();
    const json = synthApp(app)(platform);
    const rel = Object.values(resourcesOf(json, 'helm_release'))[0] as any;
    expect(rel).toMatchObject({
      name: 'karpenter',
      namespace: 'kube-system',
      repository: 'oci://public.ecr.aws/karpenter',
      chart: 'karpenter',
      version: '1.14.1',
      atomic: true,
    });
    expect(KARPENTER_CHART.source).toMatch(/releases\/tag\/v1\.14\.1$/);
    const values = parse(rel.values[0]);
    expect(values.settings.clusterName).toBe('gpu');
    expect(values.settings.interruptionQueue).toMatch(/\$\{/);
    expect(values.settings.featureGates).toEqual({ reservedCapacity: true });
    expect(values.serviceAccount).toEqual({ create: true, name: 'karpenter' });
    expect(values.replicas).toBe(2);
  });

  test('creates the interruption queue, its five EventBridge rules and a TLS-only policy in the cluster stack', () => {
    const { app, infra } = setup();
    const json = synthApp(app)(infra);
    const queue = Object.values(resourcesOf(json, 'aws_sqs_queue'))[0] as any;
    expect(queue).toMatchObject({
      name: 'karpenter-gpu',
      message_retention_seconds: 300,
      sqs_managed_sse_enabled: true,
    });
    const rules = Object.values(resourcesOf(json, 'aws_cloudwatch_event_rule')).map((r: any) =>
      JSON.parse(r.event_pattern),
    );
    expect(rules.map((r) => r['detail-type'][0]).sort()).toEqual(
      Object.values(KARPENTER_INTERRUPTION_EVENTS)
        .map((e) => e.detailType)
        .sort(),
    );
    expect(rules.map((r) => r['detail-type'][0])).toContain('EC2 Instance State-change Notification');
    expect(Object.keys(resourcesOf(json, 'aws_cloudwatch_event_target'))).toHaveLength(5);
    const policy = JSON.parse((Object.values(resourcesOf(json, 'aws_sqs_queue_policy'))[0] as any).policy);
    expect(policy.Statement[0].Principal).toEqual({ Service: 'events.amazonaws.com' });
    expect(policy.Statement[0].Condition.ArnEquals['aws:SourceArn']).toHaveLength(5);
    expect(policy.Statement[1]).toMatchObject({
      Effect: 'Deny',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
  });

  test('gives the controller a Pod Identity role with its scoped policy', () => {
    const { app, infra } = setup();
    const json = synthApp(app)(infra);
    const assoc = Object.entries(resourcesOf(json, 'aws_eks_pod_identity_association')).find(([k]) =>
      k.includes('Karpenter'),
    )![1] as any;
    expect(assoc).toMatchObject({ namespace: 'kube-system', service_account: 'karpenter' });
    const role = Object.entries(resourcesOf(json, 'aws_iam_role')).find(([k]) =>
      k.includes('Karpenter'),
    )![1] as any;
    expect(JSON.parse(role.assume_role_policy).Statement[0]).toMatchObject({
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
    });
    const doc = JSON.parse(
      (
        Object.entries(resourcesOf(json, 'aws_iam_role_policy')).find(([k]) =>
          k.includes('Karpenter'),
        )![1] as any
      ).policy,
    );
    const sids = doc.Statement.map((s: any) => s.Sid);
    expect(sids).toEqual(
      expect.arrayContaining([
        'AllowScopedEC2InstanceAccessActions',
        'AllowScopedDeletion',
        'AllowPassingInstanceRole',
        'AllowInterruptionQueueActions',
        'AllowAPIServerEndpointDiscovery',
      ]),
    );
    const del = doc.Statement.find((s: any) => s.Sid === 'AllowScopedDeletion');
    expect(del.Condition.StringEquals).toEqual({ 'aws:ResourceTag/kubernetes.io/cluster/gpu': 'owned' });
    const pass = doc.Statement.find((s: any) => s.Sid === 'AllowPassingInstanceRole');
    expect(pass.Resource).toMatch(/aws_iam_role\..*\.arn/);
    // Every ARN is in the stack's partition.
    expect(JSON.stringify(doc)).not.toMatch(/arn:aws:/);
  });

  test('refuses the cluster stack, a foreign cluster and bad replicas', () => {
    const infra = awsStack('infra');
    const cluster = new EksCluster(infra, 'Cluster', { network: network(infra) });
    expect(() => new Karpenter(infra, 'Karpenter', { cluster })).toThrow(/stack of the EKS cluster/);
    const other = new TerraformStack(infra.node.root as any, 'platform');
    expect(() => new Karpenter(other, 'K1', { cluster: {} as any })).toThrow(/must be an EksCluster/);
    expect(() => new Karpenter(other, 'K2', { cluster, replicas: 0 })).toThrow(ValidationError);
    expect(() => new Karpenter(other, 'K3', { cluster, replicas: 0 })).toThrow(/'replicas'/);
  });
});

describe('KarpenterGpuNodePool', () => {
  test('an EFA Capacity Block pool with on-demand fallback: one type, reserved first, 32 EFA interfaces', () => {
    const {
      app,
      workloads,
      pool: p,
    } = pool({
      capacity: Capacity.capacityBlock(CB),
      fallbackCapacity: [Capacity.onDemand()],
      reservationAvailabilityZone: 'us-east-1a',
    });
    const { nodePool, nodeClass } = manifests(synthApp(app)(workloads));
    expect(requirement(nodePool, 'karpenter.sh/capacity-type').values).toEqual(['reserved', 'on-demand']);
    expect(requirement(nodePool, 'node.kubernetes.io/instance-type').values).toEqual(['p5.48xlarge']);
    expect(requirement(nodePool, 'topology.kubernetes.io/zone').values).toEqual(['us-east-1a']);
    expect(nodeClass.spec.capacityReservationSelectorTerms).toEqual([{ id: CB }]);
    expect(nodeClass.spec.networkInterfaces).toHaveLength(33);
    expect(nodeClass.spec.networkInterfaces[0]).toEqual({
      networkCardIndex: 0,
      deviceIndex: 0,
      interfaceType: 'interface',
    });
    expect(p.efaDevicesPerNode).toBe(32);
    expect(nodeClass.spec.securityGroupSelectorTerms).toHaveLength(2);
    expect(nodeClass.spec.subnetSelectorTerms).toHaveLength(1);
    expect(nodePool.spec.template.metadata.labels['vpc.amazonaws.com/efa.present']).toBe('true');
  });

  test('GPU pools consolidate only when empty, never expire, and are limited by GPUs', () => {
    const { app, workloads } = pool();
    const { nodePool } = manifests(synthApp(app)(workloads));
    expect(nodePool.spec.disruption).toEqual({ consolidationPolicy: 'WhenEmpty', consolidateAfter: '10m' });
    expect(nodePool.spec.template.spec.expireAfter).toBe('Never');
    expect(nodePool.spec.limits).toEqual({ 'nvidia.com/gpu': 64 });
    expect(nodePool.spec.template.spec.taints[0]).toEqual({
      key: 'nvidia.com/gpu',
      value: 'present',
      effect: 'NoSchedule',
    });
  });

  test('defaults: on-demand, EFA, AL2023 latest, 200 GiB encrypted gp3, RAID0, huge pages, IMDSv2 hop 2, name from id', () => {
    const { app, workloads, pool: p } = pool({}, 'Train');
    const { nodePool, nodeClass } = manifests(synthApp(app)(workloads));
    expect(nodePool.metadata.name).toBe('train');
    expect(nodeClass.metadata.name).toBe('train');
    expect(nodePool.spec.template.spec.nodeClassRef).toEqual({
      group: 'karpenter.k8s.aws',
      kind: 'EC2NodeClass',
      name: 'train',
    });
    expect(requirement(nodePool, 'karpenter.sh/capacity-type').values).toEqual(['on-demand']);
    expect(nodeClass.spec.amiSelectorTerms).toEqual([{ alias: 'al2023@latest' }]);
    expect(nodeClass.spec.blockDeviceMappings[0]).toEqual({
      deviceName: '/dev/xvda',
      rootVolume: true,
      ebs: { volumeSize: '200Gi', volumeType: 'gp3', encrypted: true, deleteOnTermination: true },
    });
    expect(nodeClass.spec.instanceStorePolicy).toBe('RAID0');
    expect(nodeClass.spec.userData).toContain(`want=${EFA_HUGE_PAGES_2MIB}`);
    expect(nodeClass.spec.metadataOptions).toMatchObject({
      httpTokens: 'required',
      httpPutResponseHopLimit: 2,
    });
    expect(nodeClass.spec.role).toMatch(/\$\{/);
    expect(p.efaDevicesPerNode).toBe(32);
  });

  test('spot pools diversify over compatible types; Bottlerocket, pinned AMI, no RAID0, no huge pages', () => {
    const {
      app,
      workloads,
      pool: p,
    } = pool({
      accelerator: Accelerator.H200,
      capacity: Capacity.spot(),
      fallbackCapacity: [Capacity.onDemand()],
      amiType: GpuAmiType.BOTTLEROCKET_X86_64_NVIDIA,
      amiVersion: 'v1.50.0',
      localStorageRaid0: false,
      hugePages2MiB: 0,
      efa: false,
    });
    const { nodePool, nodeClass } = manifests(synthApp(app)(workloads));
    expect(p.instanceTypes).toEqual(expect.arrayContaining(['p5e.48xlarge', 'p5en.48xlarge']));
    expect(requirement(nodePool, 'karpenter.sh/capacity-type').values).toEqual(['spot', 'on-demand']);
    expect(requirement(nodePool, 'topology.kubernetes.io/zone')).toBeUndefined();
    expect(nodeClass.spec.subnetSelectorTerms).toHaveLength(2);
    expect(nodeClass.spec.amiSelectorTerms).toEqual([{ alias: 'bottlerocket@v1.50.0' }]);
    expect(nodeClass.spec.networkInterfaces).toBeUndefined();
    expect(nodeClass.spec.instanceStorePolicy).toBeUndefined();
    expect(nodeClass.spec.userData).toBeUndefined();
    expect(nodeClass.spec.blockDeviceMappings).toEqual([
      {
        deviceName: '/dev/xvda',
        ebs: { volumeSize: '4Gi', volumeType: 'gp3', encrypted: true, deleteOnTermination: true },
      },
      {
        deviceName: '/dev/xvdb',
        rootVolume: true,
        ebs: { volumeSize: '200Gi', volumeType: 'gp3', encrypted: true, deleteOnTermination: true },
      },
    ]);
  });

  test('a monthly budget becomes a GPU limit of whole nodes at the most expensive type', () => {
    const probe = pool();
    const price = 55.04; // p5.48xlarge on-demand, instance-types.ts
    expect(probe.pool.instanceTypes).toEqual(['p5.48xlarge']);
    const { pool: p } = pool({ maxGpus: undefined, monthlyBudgetUsd: price * HOURS_PER_MONTH * 3.5 });
    expect(p.maxGpus).toBe(24);
    expect(() => pool({ maxGpus: undefined, monthlyBudgetUsd: 1000 })).toThrow(
      /does not pay for one p5\.48xlarge/,
    );
  });

  test('every emitted NodePool and EC2NodeClass passes the CRD schemas and CEL rules', () => {
    for (const props of [
      {},
      {
        capacity: Capacity.capacityBlock(CB),
        fallbackCapacity: [Capacity.reservation(ODCR), Capacity.spot()],
      },
      { efa: false, accelerator: Accelerator.L40S, gpusPerNode: 1, maxGpus: 8, labels: { team: 'ml' } },
      {
        amiType: GpuAmiType.BOTTLEROCKET_X86_64_NVIDIA,
        taints: [{ key: 'team', value: 'a', effect: TaintEffect.NO_SCHEDULE }],
      },
    ] as Partial<KarpenterGpuNodePoolProps>[]) {
      const { app, workloads } = pool(props);
      const json = synthApp(app)(workloads);
      expect(Object.keys(resourcesOf(json, 'kubernetes_manifest'))).toHaveLength(2);
      expect(kubernetesSchemaProblems(json)).toEqual([]);
    }
  });

  test('the schema check catches what the CRD refuses (interfaceType efa, a restricted label)', () => {
    const { app, workloads } = pool();
    const json = synthApp(app)(workloads);
    const res = resourcesOf(json, 'kubernetes_manifest');
    const nc = Object.values(res).find((r: any) => r.manifest.kind === 'EC2NodeClass') as any;
    nc.manifest.spec.networkInterfaces[1].interfaceType = 'efa';
    const np = Object.values(res).find((r: any) => r.manifest.kind === 'NodePool') as any;
    np.manifest.spec.template.metadata.labels['karpenter.sh/nodepool'] = 'x';
    const problems = kubernetesSchemaProblems(json).join('\n');
    expect(problems).toMatch(/interfaceType/);
    expect(problems).toMatch(/karpenter\.sh\/nodepool/);
  });

  test('EFA and non-EFA pools of one cluster may not share an instance type', () => {
    const s = setup();
    new KarpenterGpuNodePool(s.workloads, 'Efa', {
      karpenter: s.karpenter,
      accelerator: Accelerator.H100,
      maxGpus: 64,
    });
    expect(
      () =>
        new KarpenterGpuNodePool(s.workloads, 'Plain', {
          karpenter: s.karpenter,
          accelerator: Accelerator.H100,
          maxGpus: 64,
          efa: false,
        }),
    ).toThrow(/p5\.48xlarge is in the non-EFA pool .* and in the EFA pool/);
    // A non-EFA H100 shape that no EFA pool uses is fine.
    new KarpenterGpuNodePool(s.workloads, 'Small', {
      karpenter: s.karpenter,
      accelerator: Accelerator.H100,
      gpusPerNode: 1,
      maxGpus: 4,
      efa: false,
    });
  });

  test.each<[string, Partial<KarpenterGpuNodePoolProps>, RegExp]>([
    [
      'on-demand before spot',
      { capacity: Capacity.onDemand(), fallbackCapacity: [Capacity.spot()] },
      /'fallbackCapacity\[0\]' \(SPOT\) comes after ON_DEMAND/,
    ],
    ['spot twice', { capacity: Capacity.spot(), fallbackCapacity: [Capacity.spot()] }, /each at most once/],
    [
      'a GCP kind',
      { capacity: Capacity.flexStart() },
      /'capacity' FLEX_START is a Google Cloud capacity kind/,
    ],
    [
      'a non-Capacity fallback',
      { fallbackCapacity: ['spot' as any] },
      /'fallbackCapacity\[0\]' must be a Capacity/,
    ],
    [
      'a reservation twice',
      { capacity: Capacity.reservation(ODCR), fallbackCapacity: [Capacity.reservation(ODCR)] },
      /'capacity'/,
    ],
    ['no limit', { maxGpus: undefined }, /exactly one of 'maxGpus' and 'monthlyBudgetUsd' \(got neither\)/],
    ['two limits', { monthlyBudgetUsd: 1e7 }, /\(got both\)/],
    ['fewer GPUs than a node', { maxGpus: 4 }, /'maxGpus' \(4\)/],
    ['a negative budget', { maxGpus: undefined, monthlyBudgetUsd: -1 }, /'monthlyBudgetUsd'/],
    ['EFA on a shape without it', { gpusPerNode: 1 }, /p5\.4xlarge has no EFA network-card layout/],
    [
      'an instance type of another GPU',
      { instanceType: 'p5e.48xlarge' },
      /'instanceType' p5e\.48xlarge has 8 x H200/,
    ],
    [
      'a reservation AZ without a reservation',
      { reservationAvailabilityZone: 'us-east-1a' },
      /only applies to those/,
    ],
    [
      'a reservation in another AZ',
      { capacity: Capacity.reservation(ODCR), reservationAvailabilityZone: 'us-east-1b' },
      /differs from the subnet's Availability Zone \(us-east-1a\)/,
    ],
    ['a bad AMI version', { amiVersion: 'newest' }, /'amiVersion' \('newest'\)/],
    ['an AL2 AMI', { amiType: 'AL2_x86_64_GPU' as any }, /end of support/],
    ['a bad consolidateAfter', { consolidateAfter: '10 minutes' }, /'consolidateAfter' \('10 minutes'\)/],
    ['a bad name', { name: 'H100_Pool' }, /'name'/],
    ['a small root volume', { rootVolumeSizeGiB: 10 }, /'rootVolumeSizeGiB'/],
    ['a bad hop limit', { imdsHopLimit: 0 }, /'imdsHopLimit'/],
    ['bad huge pages', { hugePages2MiB: -1 }, /'hugePages2MiB'/],
    ['a non-boolean efa', { efa: 'yes' as any }, /'efa'/],
  ])('refuses %s', (_name, props, message) => {
    let error: unknown;
    try {
      pool(props);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(message);
  });

  test('refuses the stack of the Karpenter chart and a non-Karpenter', () => {
    const s = setup();
    expect(
      () =>
        new KarpenterGpuNodePool(s.platform, 'P', {
          karpenter: s.karpenter,
          accelerator: Accelerator.H100,
          maxGpus: 8,
        }),
    ).toThrow(
      /'karpenter' \('platform\/Karpenter'\) installs Karpenter in the pool's stack 'platform' \(helm_release 'platform\/Karpenter\/Resource'\).*the karpenter\.sh CRDs.*hashicorp\/terraform-provider-kubernetes#1985.*addDependency\(<the stack 'platform'>\)/,
    );
    expect(
      () =>
        new KarpenterGpuNodePool(s.workloads, 'Q', {
          karpenter: {} as any,
          accelerator: Accelerator.H100,
          maxGpus: 8,
        }),
    ).toThrow(/'karpenter' must be a Karpenter/);
  });

  test("an IKarpenter installed outside the pool's stack may be declared in it; one installing Karpenter there is refused", () => {
    // A Karpenter installed by other means (a blueprint, another Terraform configuration): its
    // CRDs exist before this stack is planned, so the pool can live next to its IKarpenter.
    class ExistingKarpenter extends Construct implements IKarpenter {
      public readonly efaSecurityGroupId = 'sg-0123456789abcdef0';
      constructor(
        scope: Construct,
        id: string,
        public readonly cluster: IEksCluster,
      ) {
        super(scope, id);
      }
    }
    const s = setup();
    const existing = new ExistingKarpenter(s.workloads, 'Karpenter', s.cluster);
    const p = new KarpenterGpuNodePool(s.workloads, 'H100', {
      karpenter: existing,
      accelerator: Accelerator.H100,
      maxGpus: 64,
    });
    const json = synthApp(s.app)(s.workloads);
    const { nodePool, nodeClass } = manifests(json);
    expect(nodePool.metadata.name).toBe('h100');
    expect(p.nodeClass.terraformResourceType).toBe('kubernetes_manifest');
    expect(nodeClass.spec.securityGroupSelectorTerms).toContainEqual({ id: 'sg-0123456789abcdef0' });
    expect(kubernetesSchemaProblems(json)).toEqual([]);

    // An IKarpenter with its own Helm release in the pool's stack: refused, naming that release.
    class HelmKarpenter extends ExistingKarpenter {
      constructor(scope: Construct, id: string, cluster: IEksCluster) {
        super(scope, id, cluster);
        new HelmRelease(this, 'Chart', { name: 'karpenter', chart: 'karpenter' });
      }
    }
    const t = setup();
    new HelmProvider(t.workloads, 'helm', {});
    const installer = new HelmKarpenter(t.workloads, 'Karpenter', t.cluster);
    let error: unknown;
    try {
      new KarpenterGpuNodePool(t.workloads, 'H100', {
        karpenter: installer,
        accelerator: Accelerator.H100,
        maxGpus: 8,
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).detail).toContain(
      `'karpenter' ('workloads/Karpenter') installs Karpenter in the pool's stack 'workloads' (helm_release 'workloads/Karpenter/Chart')`,
    );
  });

  test('an EFA pool needs a training subnet', () => {
    const infra = awsStack('infra');
    const net = network(infra, { trainingAvailabilityZone: undefined });
    const cluster = new EksCluster(infra, 'Cluster', { network: net });
    const app = infra.node.root as any;
    const karpenter = new Karpenter(new TerraformStack(app, 'platform'), 'Karpenter', { cluster });
    expect(
      () =>
        new KarpenterGpuNodePool(new TerraformStack(app, 'w'), 'P', {
          karpenter,
          accelerator: Accelerator.H100,
          maxGpus: 8,
        }),
    ).toThrow(/needs one single-AZ subnet/);
  });

  test('adds the pool to the cost estimate with its maximum node count', () => {
    const { workloads } = pool({ capacity: Capacity.spot() });
    const line = CostEstimate.of(workloads).lines.find((l) => l.item === 'p5.48xlarge')!;
    expect(line).toMatchObject({ minQuantity: 0, maxQuantity: 8, pricingModel: PricingModel.SPOT });
  });

  test('adds one gp3 root volume per node (default 200 GiB), 0 to the node limit; RAID0 NVMe in the instance price', () => {
    const { workloads } = pool();
    const line = CostEstimate.of(workloads).lines.find((l) => l.item === 'gp3 root volume, 200 GiB')!;
    expect(line).toMatchObject({
      constructPath: 'workloads/H100',
      minQuantity: 0,
      maxQuantity: 8,
      pricingModel: PricingModel.ON_DEMAND,
    });
    expect(line.unitPrice.usd * 730).toBeCloseTo(200 * 0.08, 9);
    expect(line.assumption).toMatch(/RAID0 local NVMe instance store is in the instance price/);
  });

  test('prices the rootVolumeSizeGiB set, as a data volume on Bottlerocket', () => {
    const { workloads } = pool({ rootVolumeSizeGiB: 500, amiType: GpuAmiType.BOTTLEROCKET_X86_64_NVIDIA });
    const line = CostEstimate.of(workloads).lines.find((l) => l.item === 'gp3 data volume, 500 GiB')!;
    expect(line).toMatchObject({ minQuantity: 0, maxQuantity: 8 });
    expect(line.assumption).toMatch(/Bottlerocket's small OS volume not counted/);
  });
});
