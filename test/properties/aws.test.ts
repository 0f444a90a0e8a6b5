import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { TerraformStack } from 'cdktf';
import {
  AlertTopic,
  AutoModeBuiltInNodePool,
  AutoModeGpuNodePool,
  BudgetAlarm,
  CheckpointStore,
  CpuInferenceNodeGroup,
  EbsStorageClass,
  EksCluster,
  EksNodeCondition,
  EksNodeRepairAction,
  GpuNetwork,
  InferenceNodeGroup,
  Karpenter,
  KarpenterGpuNodePool,
  LustreWeightCache,
  MlflowStore,
  Monitoring,
  MountpointS3CsiDriver,
  PlacementGroupReference,
  PullThroughCache,
  Registry,
  SageMakerMlflow,
  AwsLoadBalancerController,
  ContainerLogs,
  TeamBudgetAlarms,
  TraceExportRole,
} from '../../lib/aws';
import { Accelerator, Capacity, ModelSpec, Quantization, sizeLlamaCpp, TaintEffect } from '../../lib/core';
import { declaredBudgets, probeId, propertyApp, PropertyCase, runCase, stackBuilders } from './harness';

// Hostile values for every prop of every public AWS construct (see harness.ts for the values
// and api-rules.ts for the AWS rules the synthesized values are checked against).

function awsStack(): TerraformStack {
  const stack = new TerraformStack(propertyApp(), 'test');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  return stack;
}

function network(stack: TerraformStack): GpuNetwork {
  return new GpuNetwork(stack, 'Network', {
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    trainingAvailabilityZone: 'us-east-1a',
  });
}

/** Shared fixtures for probes: one network, one cluster, built once per test file. */
let shared: { stack: TerraformStack; net: GpuNetwork; cluster: EksCluster } | undefined;
function fixture(): { stack: TerraformStack; net: GpuNetwork; cluster: EksCluster } {
  if (!shared) {
    const stack = awsStack();
    const net = network(stack);
    shared = { stack, net, cluster: new EksCluster(stack, 'Cluster', { network: net }) };
  }
  return shared;
}

/** A cluster stack, a platform stack with Karpenter and a workloads stack, in one fresh app. */
function karpenterStacks(replicas?: number): {
  infra: TerraformStack;
  platform: TerraformStack;
  workloads: TerraformStack;
  karpenter: Karpenter;
} {
  const infra = awsStack();
  const app = infra.node.root as any;
  const cluster = new EksCluster(infra, 'Cluster', { network: network(infra) });
  const platform = new TerraformStack(app, 'platform');
  new HelmProvider(platform, 'helm', {});
  const karpenter = new Karpenter(platform, 'Karpenter', {
    cluster,
    ...(replicas !== undefined ? { replicas } : {}),
  });
  const workloads = new TerraformStack(app, 'workloads');
  new KubernetesProvider(workloads, 'kubernetes', {});
  return { infra, platform, workloads, karpenter };
}

/** An Auto Mode cluster stack and a workloads stack, for AutoModeGpuNodePool probes. */
function autoModeStacks(): { infra: TerraformStack; cluster: EksCluster; workloads: TerraformStack } {
  const infra = awsStack();
  const cluster = new EksCluster(infra, 'Cluster', { network: network(infra), autoMode: {} });
  const workloads = new TerraformStack(infra.node.root as any, 'workloads');
  new KubernetesProvider(workloads, 'kubernetes', {});
  return { infra, cluster, workloads };
}

/**
 * `build` and `probe` of a case whose construct goes into stacks `fresh()` makes: a new set with
 * construct id `id` (build, which synthesizes `stacksOf` them), or one set shared by the case's
 * probes with a fresh id.
 */
function onStacks<F>(
  id: string,
  fresh: () => F,
  stacksOf: (f: F) => TerraformStack[],
  make: (f: F, id: string, p: any) => void,
): Pick<PropertyCase<any>, 'build' | 'probe'> {
  let shared: F | undefined;
  return {
    build: (p) => {
      const f = fresh();
      make(f, id, p);
      return stacksOf(f);
    },
    probe: (p) => make((shared ??= fresh()), probeId(id), p),
  };
}

/** {@link onStacks} on an Auto Mode cluster stack and a workloads stack. */
function onAutoMode(
  id: string,
  make: (a: ReturnType<typeof autoModeStacks>, id: string, p: any) => void,
): Pick<PropertyCase<any>, 'build' | 'probe'> {
  return onStacks(id, autoModeStacks, (a) => [a.infra, a.workloads], make);
}

const { inStack, onCluster } = stackBuilders({
  stack: awsStack,
  cluster: (s) => new EksCluster(s, 'Cluster', { network: network(s) }),
  fixture,
});

const cases: PropertyCase<any>[] = [
  {
    name: 'GpuNetwork',
    covers: 'aws.GpuNetwork',
    base: () => ({ availabilityZones: ['us-east-1a', 'us-east-1b'], trainingAvailabilityZone: 'us-east-1a' }),
    props: {
      cidr: 'string',
      availabilityZones: 'strings',
      'availabilityZones.0': 'string',
      trainingAvailabilityZone: 'string',
      natGatewayPerAz: 'bool',
      interfaceEndpoints: 'strings',
    },
    ...inStack('Network', (s, id, p) => new GpuNetwork(s, id, p)),
  },
  {
    name: 'GpuNetwork.fromNetworkAttributes',
    base: () => ({
      vpcId: 'vpc-0123456789abcdef0',
      vpcCidr: '10.0.0.0/16',
      privateSubnets: [
        { subnetId: 'subnet-0123456789abcdef0', availabilityZone: 'us-east-1a', cidr: '10.0.0.0/20' },
        { subnetId: 'subnet-0123456789abcdef1', availabilityZone: 'us-east-1b', cidr: '10.0.16.0/20' },
      ],
    }),
    props: {
      vpcId: 'string',
      vpcCidr: 'string',
      privateSubnets: 'object',
      'privateSubnets.0.subnetId': 'string',
      'privateSubnets.0.availabilityZone': 'string',
      'privateSubnets.0.cidr': 'string',
      publicSubnets: 'object',
      trainingSubnet: 'object',
    },
    build: (p) => {
      const s = awsStack();
      const net = GpuNetwork.fromNetworkAttributes(s, 'Net', p);
      new EksCluster(s, 'Cluster', { network: net });
      return [s];
    },
  },
  {
    name: 'EksCluster',
    covers: 'aws.EksCluster',
    base: () => ({
      addonVersions: { vpcCni: 'v1.20.4-eksbuild.1', coredns: 'v1.12.1-eksbuild.1' },
      systemNodeGroup: { instanceType: 'm6i.large', minNodes: 2, maxNodes: 4 },
    }),
    props: {
      clusterName: 'string',
      kubernetesVersion: 'string',
      endpointPublicAccess: 'bool',
      publicAccessCidrs: 'strings',
      privateEndpointAccessCidrs: 'strings',
      adminPrincipalArns: 'strings',
      bootstrapCreatorAdmin: 'bool',
      'addonVersions.vpcCni': 'string',
      ebsCsiDriver: 'bool',
      'systemNodeGroup.instanceType': 'string',
      'systemNodeGroup.minNodes': 'int',
      'systemNodeGroup.maxNodes': 'int',
      enabledLogTypes: 'strings',
      controlPlaneLogRetentionDays: 'int',
      outputs: 'bool',
      vpcCniEnv: 'map',
      nodeAutoRepair: 'bool',
      'addonVersions.coredns': 'string',
      'addonVersions.kubeProxy': 'string',
      'addonVersions.podIdentityAgent': 'string',
      'addonVersions.ebsCsiDriver': 'string',
      'addonVersions.fsxCsiDriver': 'string',
    },
    probe: (p) =>
      new EksCluster(fixture().stack, probeId('C'), {
        network: fixture().net,
        clusterName: probeId('c'),
        ...p,
      }),
    build: (p) => {
      const s = awsStack();
      new EksCluster(s, 'Cluster', { network: network(s), ...p });
      return [s];
    },
  },
  {
    name: 'EksCluster nodeRepair',
    covers: 'aws.EksCluster',
    base: () => ({
      nodeAutoRepair: true,
      nodeRepair: {
        maxParallelRepairs: 2,
        maxUnhealthyNodes: 3,
        overrides: [
          {
            condition: EksNodeCondition.ACCELERATED_HARDWARE_READY,
            reason: 'NvidiaXID79Error',
            action: EksNodeRepairAction.REPLACE,
            minRepairWaitMinutes: 5,
          },
        ],
      },
    }),
    props: {
      nodeAutoRepair: 'bool',
      nodeRepair: 'object',
      'nodeRepair.maxParallelRepairs': 'int',
      'nodeRepair.maxParallelRepairPercentage': 'int',
      'nodeRepair.maxUnhealthyNodes': 'int',
      'nodeRepair.maxUnhealthyNodePercentage': 'int',
      'nodeRepair.overrides': 'object',
      'nodeRepair.overrides.0': 'object',
      'nodeRepair.overrides.0.condition': 'string',
      'nodeRepair.overrides.0.reason': 'string',
      'nodeRepair.overrides.0.action': 'string',
      'nodeRepair.overrides.0.minRepairWaitMinutes': 'int',
    },
    probe: (p) =>
      new EksCluster(fixture().stack, probeId('C'), {
        network: fixture().net,
        clusterName: probeId('c'),
        ...p,
      }),
    build: (p) => {
      const s = awsStack();
      new EksCluster(s, 'Cluster', { network: network(s), ...p }).addInferenceNodeGroup('L4', {
        accelerator: Accelerator.L4,
      });
      return [s];
    },
  },
  {
    name: 'EksCluster.addWorkloadRole',
    covers: 'aws.EksCluster.addWorkloadRole',
    base: () => ({ namespace: 'llm', serviceAccount: 'vllm' }),
    props: {
      namespace: 'string',
      serviceAccount: 'string',
      managedPolicies: 'strings',
    },
    probe: (p) => fixture().cluster.addWorkloadRole(probeId('Role'), p),
    build: (p) => {
      const s = awsStack();
      new EksCluster(s, 'Cluster', { network: network(s) }).addWorkloadRole('Role', p);
      return [s];
    },
  },
  {
    name: 'TrainingNodeGroup',
    covers: { 'aws.EksCluster.addTrainingNodeGroup': '', 'aws.TrainingNodeGroup': '' },
    base: () => ({
      accelerator: Accelerator.H100,
      nodes: 2,
      capacity: Capacity.onDemand(),
      taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: TaintEffect.NO_SCHEDULE }],
    }),
    props: {
      nodes: 'int',
      gpusPerNode: 'int',
      instanceType: 'string',
      efa: 'bool',
      placementGroup: 'bool',
      reservationAvailabilityZone: 'string',
      hugePages2MiB: 'int',
      localStorageRaid0: 'bool',
      rootVolumeSizeGiB: 'int',
      imdsHopLimit: 'int',
      labels: 'map',
      taints: 'object',
      'taints.0.key': 'string',
      'taints.0.value': 'string',
      'taints.0.effect': 'string',
      subnet: 'object',
      amiType: 'string',
      nodeRepair: 'object',
      accelerator: 'object',
      capacity: 'object',
    },
    probe: (p) => fixture().cluster.addTrainingNodeGroup(probeId('T'), p),
    build: (p) => {
      const s = awsStack();
      new EksCluster(s, 'Cluster', { network: network(s) }).addTrainingNodeGroup('H100', p);
      return [s];
    },
  },
  {
    name: 'InferenceNodeGroup',
    covers: { 'aws.EksCluster.addInferenceNodeGroup': '', 'aws.InferenceNodeGroup': '' },
    base: () => ({
      accelerator: Accelerator.L40S,
      minNodes: 0,
      maxNodes: 4,
      taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: TaintEffect.NO_SCHEDULE }],
    }),
    props: {
      minNodes: 'int',
      maxNodes: 'int',
      gpusPerNode: 'int',
      instanceType: 'string',
      rootVolumeSizeGiB: 'int',
      imdsHopLimit: 'int',
      localStorageRaid0: 'bool',
      dataVolumeSnapshotId: 'string',
      labels: 'map',
      taints: 'object',
      'taints.0.key': 'string',
      'taints.0.effect': 'string',
      subnets: 'object',
      accelerator: 'object',
      capacity: 'object',
      amiType: 'string',
      nodeRepair: 'object',
      efa: 'bool',
      placementGroup: 'bool',
      sizing: 'object',
      'taints.0.value': 'string',
    },
    probe: (p) => fixture().cluster.addInferenceNodeGroup(probeId('I'), p),
    build: (p) => {
      const s = awsStack();
      new EksCluster(s, 'Cluster', { network: network(s) }).addInferenceNodeGroup('L40S', p);
      return [s];
    },
  },
  {
    name: 'CpuInferenceNodeGroup',
    covers: 'aws.CpuInferenceNodeGroup',
    base: () => ({
      sizing: sizeLlamaCpp({ model: ModelSpec.LLAMA_3_1_8B, quantization: Quantization.GGUF_Q4_K_M }),
      taints: [{ key: 'workload', value: 'llama-cpp', effect: TaintEffect.NO_SCHEDULE }],
    }),
    props: {
      minNodes: 'int',
      maxNodes: 'int',
      instanceType: 'string',
      rootVolumeSizeGiB: 'int',
      labels: 'map',
      taints: 'object',
      'taints.0.key': 'string',
      'taints.0.effect': 'string',
      capacity: 'object',
      sizing: 'object',
      'taints.0.value': 'string',
    },
    ...onCluster('Cpu', (s, id, cluster, p) => new CpuInferenceNodeGroup(s, id, { cluster, ...p })),
  },
  {
    name: 'LustreWeightCache',
    covers: 'aws.LustreWeightCache',
    base: () => ({ bucketName: 'models-123' }),
    props: {
      bucketName: 'string',
      bucketPrefix: 'string',
      fileSystemPath: 'string',
      capacityGiB: 'int',
      throughputMBpsPerTiB: 'int',
      fileSystemTypeVersion: 'string',
      protectFromDestroy: 'bool',
      subnet: 'object',
    },
    ...onCluster('Cache', (s, id, cluster, p) => new LustreWeightCache(s, id, { cluster, ...p })),
  },
  {
    name: 'MountpointS3CsiDriver',
    covers: 'aws.MountpointS3CsiDriver',
    base: () => ({ buckets: [{ bucketName: 'models-123', prefix: 'llama/' }] }),
    props: {
      buckets: 'object',
      'buckets.0.bucketName': 'string',
      'buckets.0.prefix': 'string',
      'buckets.0.kmsKeyArn': 'string',
      addonVersion: 'string',
    },
    ...onCluster('S3Csi', (s, id, cluster, p) => new MountpointS3CsiDriver(s, id, { cluster, ...p })),
  },
  {
    name: 'CheckpointStore',
    covers: 'aws.CheckpointStore',
    base: () => ({
      lustre: {
        capacityGiB: 1200,
        dataRepositories: [{ fileSystemPath: '/checkpoints', bucketPrefix: 'llama/' }],
      },
    }),
    props: {
      bucketName: 'string',
      protectFromDestroy: 'bool',
      infrequentAccessAfterDays: 'int',
      glacierInstantRetrievalAfterDays: 'int',
      noncurrentVersionExpirationDays: 'int',
      lustre: 'object',
      'lustre.capacityGiB': 'int',
      'lustre.throughputMBpsPerTiB': 'int',
      'lustre.fileSystemTypeVersion': 'string',
      'lustre.dataRepositories': 'object',
      'lustre.dataRepositories.0.fileSystemPath': 'string',
      'lustre.dataRepositories.0.bucketPrefix': 'string',
      'lustre.subnet': 'object',
    },
    ...onCluster('Checkpoints', (s, id, cluster, p) => new CheckpointStore(s, id, { cluster, ...p })),
  },
  {
    name: 'Registry',
    covers: 'aws.Registry',
    base: () => ({
      repositories: ['serving'],
      lifecycleRules: [
        {
          rulePriority: 1,
          description: 'expire',
          tagStatus: 'tagged',
          tagPatternList: ['v*'],
          countType: 'imageCountMoreThan',
          countNumber: 10,
        },
      ],
    }),
    props: {
      repositories: 'strings',
      'repositories.0': 'string',
      mutableTagFilters: 'strings',
      modelBucket: 'bool',
      modelBucketName: 'string',
      protectFromDestroy: 'bool',
      lifecycleRules: 'object',
      'lifecycleRules.0.rulePriority': 'int',
      'lifecycleRules.0.countNumber': 'int',
      'lifecycleRules.0.description': 'string',
      'lifecycleRules.0.tagPatternList': 'strings',
      scanning: 'object',
      'lifecycleRules.0.tagStatus': 'string',
      'lifecycleRules.0.tagPrefixList': 'strings',
      'lifecycleRules.0.countType': 'string',
      pullThroughCaches: 'object',
    },
    build: (p) => {
      const s = awsStack();
      const props =
        p.lifecycleRules && Array.isArray(p.lifecycleRules) && p.lifecycleRules.length
          ? {
              ...p,
              lifecycleRules: [
                {
                  rulePriority: 1,
                  description: 'expire',
                  tagStatus: 'tagged',
                  tagPatternList: ['v*'],
                  countType: 'imageCountMoreThan',
                  countNumber: 10,
                  ...p.lifecycleRules[0],
                },
              ],
            }
          : p;
      new Registry(s, 'Registry', props);
      return [s];
    },
  },
  {
    name: 'PullThroughCache',
    base: () => ({
      arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker',
      prefix: 'docker-hub',
    }),
    props: {
      arn: 'string',
      prefix: 'string',
    },
    build: (p) => {
      const s = awsStack();
      new Registry(s, 'Registry', {
        repositories: ['serving'],
        pullThroughCaches: [
          PullThroughCache.dockerHub(p.arn, p.prefix),
          PullThroughCache.quay(p.prefix === 'quay' ? 'q' : 'quay'),
        ],
      });
      return [s];
    },
  },
  {
    name: 'Monitoring',
    covers: 'aws.Monitoring',
    base: () => ({
      emails: ['oncall@example.com'],
      alertRules: { servingMatchers: ['namespace="llm"'], overrides: { GPUSaturated: { enabled: false } } },
      collector: { namespace: 'observability', serviceAccount: 'vmagent' },
      costAllocation: { teamLabel: 'acme.io/team', servingMatchers: ['namespace="llm"'] },
    }),
    props: {
      region: 'string',
      emails: 'strings',
      alias: 'string',
      'alertRules.servingMatchers': 'strings',
      'alertRules.gpuMatchers': 'strings',
      'alertRules.servingPodPattern': 'string',
      'collector.namespace': 'string',
      'collector.serviceAccount': 'string',
      'costAllocation.teamLabel': 'string',
      'costAllocation.servingMatchers': 'strings',
      'alertRules.overrides': 'object',
      'alertRules.groups': 'object',
      'alertRules.gatewayMatchers': 'strings',
      slos: 'object',
    },
    ...onCluster('Monitoring', (s, id, cluster, p) => new Monitoring(s, id, { cluster, ...p })),
  },
  {
    name: 'BudgetAlarm',
    covers: 'aws.BudgetAlarm',
    base: () => ({
      monthlyLimitUsd: 1000,
      emails: ['finops@example.com'],
      costAllocationTag: { key: 'team', value: 'ml' },
      anomalyDetection: { minImpactUsd: 100 },
    }),
    props: {
      monthlyLimitUsd: 'number',
      emails: 'strings',
      'emails.0': 'string',
      actualThresholdsPercent: 'ints',
      forecastedThresholdsPercent: 'ints',
      'costAllocationTag.key': 'string',
      'costAllocationTag.value': 'string',
      activateCostAllocationTag: 'bool',
      'anomalyDetection.minImpactUsd': 'number',
      'anomalyDetection.existingMonitorArn': 'string',
      budgetName: 'string',
      thresholds: 'object',
    },
    ...inStack('Budget', (s, id, p) => new BudgetAlarm(s, id, p)),
  },
  {
    name: 'AlertTopic',
    covers: 'aws.AlertTopic',
    base: () => ({ emails: ['oncall@example.com'] }),
    props: {
      emails: 'strings',
      'emails.0': 'string',
    },
    ...inStack('Topic', (s, id, p) => new AlertTopic(s, id, p)),
  },
  {
    name: 'Karpenter',
    covers: 'aws.Karpenter',
    base: () => ({}),
    props: {
      replicas: 'int',
    },
    build: (p) => {
      const k = karpenterStacks(p.replicas);
      return [k.infra, k.platform];
    },
  },
  {
    name: 'KarpenterGpuNodePool',
    covers: 'aws.KarpenterGpuNodePool',
    base: () => ({
      accelerator: Accelerator.H100,
      maxGpus: 64,
      existingPlacementGroup: PlacementGroupReference.fromPlacementGroupName('h100-odcr'),
    }),
    props: {
      gpusPerNode: 'int',
      maxGpus: 'int',
      monthlyBudgetUsd: 'number',
      name: 'string',
      instanceType: 'string',
      efa: 'bool',
      consolidateAfter: 'string',
      reservationAvailabilityZone: 'string',
      amiVersion: 'string',
      rootVolumeSizeGiB: 'int',
      imdsHopLimit: 'int',
      localStorageRaid0: 'bool',
      hugePages2MiB: 'int',
      labels: 'map',
      placementGroup: 'bool',
      existingPlacementGroup: 'object',
      'existingPlacementGroup.placementGroupName': 'string',
      amiType: 'string',
      fallbackCapacity: 'object',
      subnet: 'object',
      accelerator: 'object',
      capacity: 'object',
      taints: 'object',
    },
    ...onStacks(
      'Pool',
      karpenterStacks,
      (k) => [k.infra, k.platform, k.workloads],
      (k, id, p) => new KarpenterGpuNodePool(k.workloads, id, { karpenter: k.karpenter, ...p }),
    ),
  },
  {
    name: 'MlflowStore',
    covers: 'aws.MlflowStore',
    base: () => ({}),
    props: {
      namespace: 'string',
      serviceAccount: 'string',
      identifier: 'string',
      instanceClass: 'string',
      allocatedStorageGiB: 'int',
      maxAllocatedStorageGiB: 'int',
      multiAz: 'bool',
      backupRetentionDays: 'int',
      iamAuthentication: 'bool',
      protectFromDestroy: 'bool',
      bucketName: 'string',
      noncurrentVersionExpirationDays: 'int',
    },
    ...onCluster('Mlflow', (s, id, cluster, p) => new MlflowStore(s, id, { cluster, ...p })),
  },
  {
    name: 'SageMakerMlflow',
    covers: 'aws.SageMakerMlflow',
    base: () => ({ trackingServerName: 'llm' }),
    props: {
      trackingServerName: 'string',
      size: 'string',
      mlflowVersion: 'string',
      automaticModelRegistration: 'bool',
      weeklyMaintenanceWindowStart: 'string',
      protectFromDestroy: 'bool',
      bucketName: 'string',
    },
    ...inStack('Mlflow', (s, id, p) => new SageMakerMlflow(s, id, p)),
  },
  {
    name: 'EksCluster autoMode',
    covers: 'aws.EksCluster',
    base: () => ({ autoMode: { builtInNodePools: [AutoModeBuiltInNodePool.SYSTEM] } }),
    props: {
      autoMode: 'object',
      'autoMode.builtInNodePools': 'strings',
      'autoMode.builtInNodePools.0': 'string',
      ebsCsiDriver: 'bool',
      nodeAutoRepair: 'bool',
      networkPolicy: 'bool',
    },
    build: (p) => {
      const s = awsStack();
      new EksCluster(s, 'Cluster', { network: network(s), ...p });
      return [s];
    },
  },
  {
    name: 'EksCluster.fromClusterAttributes',
    base: () => ({
      clusterName: 'ml-prod',
      nodeRoleArn: 'arn:aws:iam::111122223333:role/nodes',
      nodeAutoRepair: true,
      nodeRepair: { maxParallelRepairs: 2, maxUnhealthyNodePercentage: 20 },
    }),
    props: {
      clusterName: 'string',
      nodeRoleArn: 'string',
      kubernetesVersion: 'string',
      clusterSecurityGroupId: 'string',
      oidcProviderArn: 'string',
      vpcCniVersion: 'string',
      fsxCsiDriverInstalled: 'bool',
      nodeAutoRepair: 'bool',
      autoMode: 'bool',
      ebsCsiDriverInstalled: 'bool',
      nodeRepair: 'object',
      'nodeRepair.maxParallelRepairs': 'int',
      'nodeRepair.maxUnhealthyNodePercentage': 'int',
    },
    build: (p) => {
      const s = awsStack();
      const cluster = EksCluster.fromClusterAttributes(s, 'Cluster', { network: network(s), ...p });
      if (!cluster.autoMode) {
        new InferenceNodeGroup(s, 'L4', { cluster, accelerator: Accelerator.L4 });
      }
      return [s];
    },
  },
  {
    name: 'AutoModeGpuNodePool',
    covers: 'aws.AutoModeGpuNodePool',
    base: () => ({
      accelerator: Accelerator.H100,
      maxGpus: 64,
      existingPlacementGroup: PlacementGroupReference.fromPlacementGroupName('h100-odcr'),
    }),
    props: {
      gpusPerNode: 'int',
      maxGpus: 'int',
      monthlyBudgetUsd: 'number',
      name: 'string',
      instanceType: 'string',
      efa: 'bool',
      podIpv4Prefixes: 'int',
      consolidateAfter: 'string',
      reservationAvailabilityZone: 'string',
      ephemeralStorageGiB: 'int',
      placementGroup: 'bool',
      existingPlacementGroup: 'object',
      'existingPlacementGroup.placementGroupName': 'string',
      labels: 'map',
      fallbackCapacity: 'object',
      subnet: 'object',
      accelerator: 'object',
      capacity: 'object',
      taints: 'object',
    },
    ...onAutoMode(
      'Pool',
      (a, id, p) => new AutoModeGpuNodePool(a.workloads, id, { cluster: a.cluster, ...p }),
    ),
  },
  {
    name: 'EbsStorageClass',
    covers: 'aws.EbsStorageClass',
    base: () => ({
      kmsKey: { keyArn: 'arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789' },
    }),
    props: {
      name: 'string',
      provisioner: 'string',
      defaultClass: 'bool',
      volumeType: 'string',
      reclaimPolicy: 'string',
      fsType: 'string',
      kmsKey: 'object',
      'kmsKey.keyArn': 'string',
    },
    ...onAutoMode('Gp3', (a, id, p) => new EbsStorageClass(a.workloads, id, { cluster: a.cluster, ...p })),
  },
  {
    name: 'TeamBudgetAlarms (and TeamBudgets.declare)',
    covers: 'aws.TeamBudgetAlarms',
    base: () => ({
      budgets: { teams: [{ team: 'search', monthlyLimitUsd: 20000, emails: ['search@example.com'] }] },
    }),
    props: {
      budgets: 'object',
      'budgets.teams': 'object',
      'budgets.teams.0.team': 'string',
      'budgets.teams.0.monthlyLimitUsd': 'number',
      'budgets.teams.0.emails': 'strings',
      'budgets.tagKey': 'string',
      activateCostAllocationTag: 'bool',
    },
    ...inStack(
      'TeamBudgets',
      (s, id, p) => new TeamBudgetAlarms(s, id, { ...p, budgets: declaredBudgets(p.budgets) }),
    ),
  },
  {
    name: 'AwsLoadBalancerController',
    covers: 'aws.AwsLoadBalancerController',
    base: () => ({}),
    props: {
      replicas: 'int',
    },
    build: (p) => {
      const infra = awsStack();
      const cluster = new EksCluster(infra, 'Cluster', { network: network(infra) });
      const platform = new TerraformStack(infra.node.root as any, 'platform');
      new HelmProvider(platform, 'helm', {});
      new AwsLoadBalancerController(platform, 'Lbc', { cluster, ...p });
      return [infra, platform];
    },
  },
  {
    name: 'TraceExportRole',
    covers: 'aws.TraceExportRole',
    base: () => ({}),
    props: {
      namespace: 'string',
      serviceAccount: 'string',
    },
    ...onCluster('TraceExport', (s, id, cluster, p) => new TraceExportRole(s, id, { cluster, ...p })),
  },
  {
    name: 'ContainerLogs',
    covers: 'aws.ContainerLogs',
    base: () => ({ shipper: { namespace: 'observability', serviceAccount: 'fluent-bit' } }),
    props: {
      retentionDays: 'int',
      shipper: 'object',
      'shipper.namespace': 'string',
      'shipper.serviceAccount': 'string',
      protectFromDestroy: 'bool',
    },
    ...onCluster('Logs', (s, id, cluster, p) => new ContainerLogs(s, id, { cluster, ...p })),
  },
];

describe('property: every AWS construct and prop, hostile values', () => {
  test.each(cases.map((c) => [c.name, c]))('%s: only ValidationError, no value the API rejects', (_n, c) => {
    expect(runCase(c, 5)).toEqual([]);
  });
});
