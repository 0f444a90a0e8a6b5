/**
 * gcp-training: a GKE training cluster on Google Cloud for a 4-node A3 Mega (8 x H100 Mega per
 * node) gang with GPUDirect-TCPXO (8 extra VPCs), COMPACT placement in one zone and capacity
 * from a specific reservation, plus a flex-start pool for short experiments; a hierarchical-
 * namespace checkpoint bucket the trainer's Kubernetes service account writes through Workload
 * Identity; Artifact Registry; Cloud Monitoring alert policies; and a billing budget derived
 * from the cost estimate. No credentials are needed to synthesize it.
 */
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { App, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { Accelerator, AlertGroup, Capacity, CostEstimate, Tags } from '../../lib/core';
import {
  ArtifactRegistry,
  CheckpointBucket,
  BudgetAlarm,
  GcpPrincipal,
  Monitoring,
  GkeCluster,
  GkeNetwork,
  GpuDirect,
} from '../../lib/gcp';

const PROJECT = 'acme-ml-training';
const PROJECT_NUMBER = '123456789012';
const REGION = 'us-central1';
const ZONE = 'us-central1-a';

export class GcpTrainingStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new GoogleProvider(this, 'google', {
      project: PROJECT,
      region: REGION,
      ...BudgetAlarm.providerSettings(PROJECT),
    });
    Tags.of(this).setCostAllocationTag('cost-center', 'llm-pretraining');

    const network = new GkeNetwork(this, 'Network', {
      project: PROJECT,
      region: REGION,
      name: 'train',
      gpuDirect: GpuDirect.TCPXO,
    });
    const cluster = new GkeCluster(this, 'Cluster', {
      network,
      clusterName: 'train',
      kubernetesVersion: '1.32.11-gke.1174000',
      masterAuthorizedNetworks: [{ cidrBlock: '203.0.113.0/24', displayName: 'ci-runners' }],
    });

    cluster.addTrainingNodePool('H100Mega', {
      accelerator: Accelerator.H100,
      machineType: 'a3-megagpu-8g',
      nodes: 4,
      zone: ZONE,
      capacity: Capacity.reservation('a3-mega-train', { block: 'block-0001' }),
    });
    cluster.addTrainingNodePool('H100MegaFlex', {
      accelerator: Accelerator.H100,
      machineType: 'a3-megagpu-8g',
      nodes: 2,
      zone: ZONE,
      capacity: Capacity.flexStart({ maxRunDurationSeconds: 86400 }),
    });

    const trainer = GcpPrincipal.kubernetesServiceAccount({
      projectNumber: PROJECT_NUMBER,
      project: PROJECT,
      workloadIdentityPool: cluster.workloadIdentityPool,
      namespace: 'training',
      serviceAccount: 'trainer',
    });
    const checkpoints = new CheckpointBucket(this, 'Checkpoints', {
      bucketName: 'acme-llm-checkpoints',
      location: REGION,
      deleteObjectsAfterDays: 60,
      readWriters: [trainer],
    });
    const registry = new ArtifactRegistry(this, 'Registry', {
      location: REGION,
      repositoryId: 'training',
      modelBucket: { bucketName: 'acme-llm-models' },
    });
    registry.modelBucket!.grantReadWrite(trainer);

    const pagerDuty = new TerraformVariable(this, 'pagerduty_service_key', {
      type: 'string',
      sensitive: true,
      description: 'PagerDuty integration key',
    });
    new Monitoring(this, 'Alerts', {
      project: PROJECT,
      emails: ['ml-oncall@example.com'],
      pagerDutyServiceKey: pagerDuty.stringValue,
      alertRules: { groups: [AlertGroup.GPU, AlertGroup.TRAINING] },
    });
    new BudgetAlarm(this, 'Budget', {
      billingAccount: '012345-6789AB-CDEF01',
      project: PROJECT,
      projectNumber: PROJECT_NUMBER,
      emails: ['ml-oncall@example.com', 'finance@example.com'],
    });

    new TerraformOutput(this, 'checkpoint_url', { value: checkpoints.url });
    new TerraformOutput(this, 'gpudirect_manifests', {
      description:
        'GKENetworkParamSet / Network objects the workloads stack must apply (kubernetes_manifest)',
      value: network.gpuDirectKubernetesManifests(),
    });
    new TerraformOutput(this, 'monthly_cost_estimate', { value: CostEstimate.of(this).renderTable() });
  }
}

/** Adds this example's stacks to `app`. */
export function build(app: App): TerraformStack[] {
  return [new GcpTrainingStack(app, 'gcp-training')];
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
