import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { Lazy, TerraformStack } from 'cdktf';
import { Accelerator, ModelSpec, Quantization, sizeLlamaCpp, TaintEffect } from '../../lib/core';
import { CpuInferenceNodePool } from '../../lib/gcp/cpu-inference-node-pool';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { ArtifactRegistry } from '../../lib/gcp/artifact-registry';
import { BudgetAlarm } from '../../lib/gcp/budget-alarm';
import { CheckpointBucket } from '../../lib/gcp/checkpoint-bucket';
import { GkeCluster } from '../../lib/gcp/cluster';
import { SecondaryBootDiskMode } from '../../lib/gcp/inference-node-pool';
import { MlflowStore } from '../../lib/gcp/mlflow';
import { ComputeClass } from '../../lib/gcp/compute-class';
import { Monitoring } from '../../lib/gcp/monitoring';
import { GkeNetwork } from '../../lib/gcp/network';
import { GcpPrincipal } from '../../lib/gcp/principal';
import { LogManagement } from '../../lib/gcp/log-management';
import { TeamBudgetAlarms } from '../../lib/gcp/team-budget-alarms';
import { TraceExportGrant } from '../../lib/gcp/trace-export';
import { declaredBudgets, probeId, propertyApp, PropertyCase, runCase, stackBuilders } from './harness';

// Hostile values for every prop of every public Google Cloud construct (see harness.ts for the
// values and api-rules.ts for the Google Cloud rules the synthesized values are checked against).

function gcpStack(): TerraformStack {
  const stack = new TerraformStack(propertyApp(), 'test');
  new GoogleProvider(stack, 'google', { project: 'my-proj', region: 'us-central1' });
  return stack;
}

function cluster(stack: TerraformStack): GkeCluster {
  const network = new GkeNetwork(stack, 'Network', { project: 'my-proj', region: 'us-central1' });
  return new GkeCluster(stack, 'Cluster', { network });
}

/** Shared fixture for probes: one network and cluster per test file. */
let shared: { stack: TerraformStack; network: GkeNetwork; cluster: GkeCluster } | undefined;
function fixture(): { stack: TerraformStack; network: GkeNetwork; cluster: GkeCluster } {
  if (!shared) {
    const stack = gcpStack();
    const network = new GkeNetwork(stack, 'Network', { project: 'my-proj', region: 'us-central1' });
    shared = { stack, network, cluster: new GkeCluster(stack, 'Cluster', { network }) };
  }
  return shared;
}

const { inStack, onCluster } = stackBuilders({ stack: gcpStack, cluster, fixture });

/** The required props of a BudgetAlarm. */
const BUDGET = {
  billingAccount: '012345-6789AB-CDEF01',
  project: 'my-proj',
  projectNumber: '123456789012',
  monthlyLimitUsd: 100,
};

/** Alert rule options with the nested values the Monitoring cases try. */
const ALERT_RULES = { servingMatchers: ['namespace="llm"'], overrides: { GPUSaturated: { enabled: false } } };

const cases: PropertyCase<any>[] = [
  {
    name: 'ComputeClass',
    covers: 'gcp.ComputeClass',
    base: () => ({
      accelerator: Accelerator.L4,
      gpusPerNode: 1,
      taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: TaintEffect.NO_SCHEDULE }],
    }),
    props: {
      name: 'string',
      machineType: 'string',
      gpusPerNode: 'int',
      zones: 'strings',
      labels: 'map',
      'taints.0.key': 'string',
      'taints.0.effect': 'string',
      nodePoolAutoCreation: 'bool',
      activeMigration: 'bool',
      whenUnsatisfiable: 'string',
      poolRole: 'string',
      capacity: 'object',
      fallbackCapacity: 'object',
      accelerator: 'object',
      'taints.0.value': 'string',
    },
    probe: (p) => new ComputeClass(fixture().stack, probeId('K'), { cluster: fixture().cluster, ...p }),
    build: (p) => {
      const s = gcpStack();
      new KubernetesProvider(s, 'kubernetes', {});
      new ComputeClass(s, 'Class', { cluster: cluster(s), ...p });
      return [s];
    },
  },
  {
    name: 'GkeNetwork',
    covers: 'gcp.GkeNetwork',
    base: () => ({ project: 'my-proj', region: 'us-central1' }),
    props: {
      project: 'string',
      region: 'string',
      name: 'string',
      cidr: 'string',
      mtu: 'int',
      gpuDirectZone: 'string',
      gpuDirectCidr: 'string',
      gpuDirect: 'object',
      proxyOnlySubnet: 'object',
    },
    ...inStack('Network', (s, id, p) => new GkeNetwork(s, id, p)),
  },
  {
    name: 'GkeCluster',
    covers: 'gcp.GkeCluster',
    base: () => ({
      masterAuthorizedNetworks: [{ cidrBlock: '203.0.113.0/24', displayName: 'ci' }],
      systemNodePool: { machineType: 'e2-standard-4', minNodesPerZone: 1, maxNodesPerZone: 3 },
      nodeAutoProvisioning: {
        gpus: [{ accelerator: Accelerator.L4, maxGpus: 8 }],
        maxCpus: 256,
        maxMemoryGb: 1024,
      },
    }),
    props: {
      name: 'string',
      location: 'string',
      nodeLocations: 'strings',
      kubernetesVersion: 'string',
      deletionProtection: 'bool',
      masterIpv4CidrBlock: 'string',
      controlPlaneToNodePorts: 'ints',
      privateEndpoint: 'bool',
      masterAuthorizedNetworks: 'object',
      'masterAuthorizedNetworks.0.cidrBlock': 'string',
      'masterAuthorizedNetworks.0.displayName': 'string',
      'systemNodePool.machineType': 'string',
      'systemNodePool.minNodesPerZone': 'int',
      'systemNodePool.maxNodesPerZone': 'int',
      nodeAutoProvisioning: 'object',
      'nodeAutoProvisioning.maxCpus': 'int',
      'nodeAutoProvisioning.maxMemoryGb': 'int',
      'nodeAutoProvisioning.gpus': 'object',
      clusterName: 'string',
      releaseChannel: 'string',
      multiNetworking: 'bool',
      dcgmMonitoring: 'bool',
      parallelstoreCsi: 'bool',
      lustreCsi: 'bool',
      gatewayApi: 'string',
    },
    probe: (p) =>
      new GkeCluster(fixture().stack, probeId('C'), { network: fixture().network, name: probeId('c'), ...p }),
    build: (p) => {
      const s = gcpStack();
      const network = new GkeNetwork(s, 'Network', { project: 'my-proj', region: 'us-central1' });
      new GkeCluster(s, 'Cluster', { network, ...p });
      return [s];
    },
  },
  {
    name: 'TrainingNodePool',
    covers: { 'gcp.GkeCluster.addTrainingNodePool': '', 'gcp.TrainingNodePool': '' },
    base: () => ({
      accelerator: Accelerator.H100,
      nodes: 2,
      zone: 'us-central1-a',
      taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: TaintEffect.NO_SCHEDULE }],
    }),
    props: {
      nodes: 'int',
      gpusPerNode: 'int',
      zone: 'string',
      name: 'string',
      machineType: 'string',
      bootDiskSizeGiB: 'int',
      labels: 'map',
      'taints.0.key': 'string',
      'taints.0.effect': 'string',
      compactPlacement: 'bool',
      accelerator: 'object',
      capacity: 'object',
      attachGpuDirectNetworks: 'bool',
      'taints.0.value': 'string',
      gpuDriverVersion: 'string',
      autoRepair: 'bool',
      upgradeStrategy: 'object',
      imageStreaming: 'bool',
    },
    probe: (p) => fixture().cluster.addTrainingNodePool(probeId('T'), p),
    build: (p) => {
      const s = gcpStack();
      cluster(s).addTrainingNodePool('Train', p);
      return [s];
    },
  },
  {
    name: 'InferenceNodePool',
    covers: { 'gcp.GkeCluster.addInferenceNodePool': '', 'gcp.InferenceNodePool': '' },
    base: () => ({
      accelerator: Accelerator.L4,
      minNodes: 0,
      maxNodes: 2,
      taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: TaintEffect.NO_SCHEDULE }],
      secondaryBootDisks: [
        { diskImage: 'global/images/vllm-v0-31-0', mode: SecondaryBootDiskMode.CONTAINER_IMAGE_CACHE },
      ],
    }),
    props: {
      minNodes: 'int',
      maxNodes: 'int',
      gpusPerNode: 'int',
      nodeLocations: 'strings',
      name: 'string',
      labels: 'map',
      'taints.0.key': 'string',
      'taints.0.value': 'string',
      bootDiskSizeGiB: 'int',
      autoRepair: 'bool',
      secondaryBootDisks: 'object',
      'secondaryBootDisks.0.diskImage': 'string',
      'secondaryBootDisks.0.mode': 'string',
      imageStreaming: 'bool',
      compactPlacement: 'bool',
      attachGpuDirectNetworks: 'bool',
      sizing: 'object',
      accelerator: 'object',
      capacity: 'object',
      'taints.0.effect': 'string',
      machineType: 'string',
      gpuDriverVersion: 'string',
      upgradeStrategy: 'object',
    },
    probe: (p) => fixture().cluster.addInferenceNodePool(probeId('S'), p),
    build: (p) => {
      const s = gcpStack();
      cluster(s).addInferenceNodePool('Serve', p);
      return [s];
    },
  },
  {
    name: 'CpuInferenceNodePool',
    covers: 'gcp.CpuInferenceNodePool',
    base: () => ({
      sizing: sizeLlamaCpp({ model: ModelSpec.LLAMA_3_1_8B, quantization: Quantization.GGUF_Q4_K_M }),
      taints: [{ key: 'workload', value: 'llama-cpp', effect: TaintEffect.NO_SCHEDULE }],
    }),
    props: {
      minNodes: 'int',
      maxNodes: 'int',
      machineType: 'string',
      name: 'string',
      diskSizeGb: 'int',
      labels: 'map',
      'taints.0.key': 'string',
      'taints.0.value': 'string',
      capacity: 'object',
      sizing: 'object',
      'taints.0.effect': 'string',
    },
    ...onCluster('CpuServe', (s, id, cluster, p) => new CpuInferenceNodePool(s, id, { cluster, ...p })),
  },
  {
    name: 'CheckpointBucket',
    covers: 'gcp.CheckpointBucket',
    base: () => ({ bucketName: 'acme-ckpt', location: 'US' }),
    props: {
      bucketName: 'string',
      location: 'string',
      project: 'string',
      versioning: 'bool',
      noncurrentVersionRetentionDays: 'int',
      softDeleteRetentionSeconds: 'int',
      deleteObjectsAfterDays: 'int',
      abortIncompleteUploadsAfterDays: 'int',
      labels: 'map',
      readers: 'object',
      hierarchicalNamespace: 'bool',
      lifecycleRules: 'object',
      protectFromDestroy: 'bool',
      readWriters: 'object',
    },
    ...inStack('Bucket', (s, id, p) => new CheckpointBucket(s, id, p)),
  },
  {
    name: 'ArtifactRegistry',
    covers: 'gcp.ArtifactRegistry',
    base: () => ({ location: 'us-central1', modelBucket: { bucketName: 'acme-models' } }),
    props: {
      location: 'string',
      project: 'string',
      repositoryId: 'string',
      deleteUntaggedAfterDays: 'int',
      keepMostRecentVersions: 'int',
      labels: 'map',
      'modelBucket.bucketName': 'string',
      remotes: 'object',
      immutableTags: 'bool',
      cleanupPolicyDryRun: 'bool',
      vulnerabilityScanning: 'bool',
      readers: 'object',
      protectFromDestroy: 'bool',
    },
    ...inStack('Registry', (s, id, p) => new ArtifactRegistry(s, id, p)),
  },
  {
    name: 'BudgetAlarm',
    covers: 'gcp.BudgetAlarm',
    base: () => ({
      ...BUDGET,
      thresholds: [{ fraction: 0.9 }, { fraction: 1, forecasted: true }],
      costAllocationTag: { key: 'team', value: 'ml' },
    }),
    props: {
      billingAccount: 'string',
      project: 'string',
      projectNumber: 'string',
      monthlyLimitUsd: 'number',
      emails: 'strings',
      'thresholds.0.fraction': 'number',
      displayName: 'string',
      'thresholds.0.forecasted': 'bool',
      costAllocationTag: 'object',
      'costAllocationTag.key': 'string',
      'costAllocationTag.value': 'string',
    },
    ...inStack('Budget', (s, id, p) => new BudgetAlarm(s, id, p)),
  },
  {
    // The deprecated name, in a case of its own: set with costAllocationTag it is an error.
    name: 'BudgetAlarm labelFilter',
    covers: 'gcp.BudgetAlarm',
    base: () => ({ ...BUDGET, labelFilter: { key: 'team', value: 'ml' } }),
    props: {
      labelFilter: 'object',
      'labelFilter.key': 'string',
      'labelFilter.value': 'string',
    },
    ...inStack('Budget', (s, id, p) => new BudgetAlarm(s, id, p)),
  },
  {
    name: 'Monitoring',
    covers: 'gcp.Monitoring',
    base: () => ({
      emails: ['oncall@example.com'],
      slack: { channelName: '#ml', authToken: 'slack-token' },
      alertRules: ALERT_RULES,
    }),
    props: {
      project: 'string',
      emails: 'strings',
      pagerDutyServiceKey: 'string',
      'slack.channelName': 'string',
      'slack.authToken': 'string',
      webhookUrl: 'string',
      displayNamePrefix: 'string',
      autoCloseSeconds: 'int',
      alertRules: 'object',
      'alertRules.servingMatchers': 'strings',
      'alertRules.servingPodPattern': 'string',
      'alertRules.overrides': 'object',
      'alertRules.groups': 'object',
      'alertRules.gpuMatchers': 'strings',
      'alertRules.gatewayMatchers': 'strings',
      slos: 'object',
    },
    ...inStack('Monitoring', (s, id, p) => new Monitoring(s, id, p)),
  },
  {
    // The deprecated name, in a case of its own: set with alertRules it is an error.
    name: 'Monitoring rules',
    covers: 'gcp.Monitoring',
    base: () => ({ rules: ALERT_RULES }),
    props: {
      rules: 'object',
      'rules.servingMatchers': 'strings',
      'rules.servingPodPattern': 'string',
      'rules.overrides': 'object',
      'rules.groups': 'object',
      'rules.gpuMatchers': 'strings',
      'rules.gatewayMatchers': 'strings',
    },
    ...inStack('Monitoring', (s, id, p) => new Monitoring(s, id, p)),
  },
  {
    name: 'GcpPrincipal',
    base: () => ({
      projectNumber: '123456789012',
      project: 'my-proj',
      namespace: 'training',
      serviceAccount: 'trainer',
    }),
    props: {
      projectNumber: 'string',
      project: 'string',
      projectId: 'string',
      namespace: 'string',
      serviceAccount: 'string',
      workloadIdentityPool: 'string',
    },
    build: (p) => {
      const s = gcpStack();
      new CheckpointBucket(s, 'Bucket', {
        bucketName: 'acme-ckpt',
        location: 'US',
        readers: [GcpPrincipal.kubernetesServiceAccount(p)],
      });
      return [s];
    },
  },
  {
    name: 'MlflowStore',
    covers: 'gcp.MlflowStore',
    base: () => ({
      projectNumber: '123456789012',
      bucketName: 'acme-mlflow-artifacts',
      databasePassword: Lazy.stringValue({ produce: () => '${var.mlflow_db_password}' }),
    }),
    props: {
      projectNumber: 'string',
      bucketName: 'string',
      databasePasswordVersion: 'int',
      namespace: 'string',
      serviceAccount: 'string',
      instanceName: 'string',
      tier: 'string',
      diskSizeGiB: 'int',
      highAvailability: 'bool',
      pointInTimeRecoveryDays: 'int',
      kmsKeyName: 'string',
      createPrivateServiceAccess: 'bool',
      protectFromDestroy: 'bool',
      databasePassword: 'string',
    },
    ...onCluster('Mlflow', (s, id, cluster, p) => new MlflowStore(s, id, { cluster, ...p })),
  },
  {
    name: 'TeamBudgetAlarms (and TeamBudgets.declare)',
    covers: 'gcp.TeamBudgetAlarms',
    base: () => ({
      budgets: { teams: [{ team: 'search', monthlyLimitUsd: 20000, emails: ['search@example.com'] }] },
      billingAccount: '012345-6789AB-CDEF01',
      project: 'my-proj',
      projectNumber: '123456789012',
    }),
    props: {
      budgets: 'object',
      'budgets.teams': 'object',
      'budgets.teams.0.team': 'string',
      'budgets.teams.0.monthlyLimitUsd': 'number',
      'budgets.teams.0.emails': 'strings',
      'budgets.tagKey': 'string',
      billingAccount: 'string',
      project: 'string',
      projectNumber: 'string',
    },
    ...inStack(
      'TeamBudgets',
      (s, id, p) => new TeamBudgetAlarms(s, id, { ...p, budgets: declaredBudgets(p.budgets) }),
    ),
  },
  {
    name: 'TraceExportGrant',
    covers: 'gcp.TraceExportGrant',
    base: () => ({
      project: 'my-proj',
      principal: GcpPrincipal.kubernetesServiceAccount({
        projectNumber: '123456789012',
        project: 'my-proj',
        namespace: 'observability',
        serviceAccount: 'otel-collector',
      }),
    }),
    props: {
      project: 'string',
      principal: 'object',
    },
    ...inStack('TraceExport', (s, id, p) => new TraceExportGrant(s, id, p)),
  },
  {
    name: 'LogManagement',
    covers: 'gcp.LogManagement',
    base: () => ({ project: 'my-proj', exclusions: [{ name: 'debug', filter: 'severity<INFO' }] }),
    props: {
      project: 'string',
      retentionDays: 'int',
      excludeProbeAccessLogs: 'bool',
      exclusions: 'object',
      'exclusions.0.name': 'string',
      'exclusions.0.filter': 'string',
      'exclusions.0.description': 'string',
      notificationChannelIds: 'strings',
      namespaces: 'strings',
    },
    ...inStack('Logs', (s, id, p) => new LogManagement(s, id, p)),
  },
];

describe('property: every Google Cloud construct and prop, hostile values', () => {
  test.each(cases.map((c) => [c.name, c]))('%s: only ValidationError, no value the API rejects', (_n, c) => {
    expect(runCase(c, 5)).toEqual([]);
  });
});
