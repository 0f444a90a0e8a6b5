/**
 * aws-training: a production EKS training platform for 16 x p5.48xlarge (128 H100) on an EC2
 * Capacity Block, with 32 EFA devices per node, FSx for Lustre in front of an S3 checkpoint
 * bucket, an ECR registry, Amazon Managed Prometheus alerting and a budget derived from the
 * stack's cost estimate. Pass `Capacity.spot()` to `AwsTrainingStack` for the spot variant.
 *
 * Synthesizes with no credentials: the provider is configured with plain values and no data
 * source is read at synth time.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import {
  BudgetAlarm,
  CheckpointStore,
  EksCluster,
  GpuNetwork,
  Monitoring,
  PullThroughCache,
  Registry,
} from '../../lib/aws';
import { Accelerator, Capacity, CapacityKind, Tags } from '../../lib/core';

/** The training platform. */
export class AwsTrainingStack extends TerraformStack {
  constructor(
    scope: Construct,
    id: string,
    capacity: Capacity = Capacity.capacityBlock('cr-0123456789abcdef0'),
  ) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'us-east-1' });
    Tags.of(this).add('team', 'ml-platform');
    Tags.of(this).setCostAllocationTag('project', 'llm-pretraining');

    const network = new GpuNetwork(this, 'Network', {
      availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      trainingAvailabilityZone: 'us-east-1a', // the AZ the Capacity Block was bought in
    });
    const cluster = new EksCluster(this, 'Cluster', {
      network,
      clusterName: 'llm-training',
      adminPrincipalArns: ['arn:aws:iam::111122223333:role/platform-admin'],
      nodeAutoRepair: true, // replace nodes with GPU (XID) or EFA failures
    });
    const checkpoints = new CheckpointStore(this, 'Checkpoints', {
      cluster,
      lustre: { capacityGiB: 4800, throughputMBpsPerTiB: 500 },
    });
    const h100 = cluster.addTrainingNodeGroup('H100', {
      accelerator: Accelerator.H100,
      nodes: 16,
      capacity,
      checkpoints,
      // Checked against the training subnet: a block launches only in the AZ it was bought in.
      ...(capacity.kind === CapacityKind.CAPACITY_BLOCK ? { reservationAvailabilityZone: 'us-east-1a' } : {}),
    });
    checkpoints.grantReadWrite(
      cluster.addWorkloadRole('Trainer', { namespace: 'training', serviceAccount: 'trainer' }),
    );

    const registry = new Registry(this, 'Registry', {
      repositories: ['training/pytorch-efa'],
      pullThroughCaches: [PullThroughCache.ecrPublic(), PullThroughCache.kubernetes()],
    });
    registry.grantPull(cluster.nodeRole);

    const monitoring = new Monitoring(this, 'Monitoring', { cluster, emails: ['ml-oncall@example.com'] });
    monitoring.alarmOnNodeGroupCapacity(h100);
    monitoring.alarmOnFileSystemFreeSpace(checkpoints);

    new BudgetAlarm(this, 'Budget', {
      emails: ['finops@example.com'],
      topic: monitoring.topic,
      anomalyDetection: {},
    });

    new TerraformOutput(this, 'efa_devices_per_node', { value: h100.efaDevicesPerNode });
    new TerraformOutput(this, 'lustre_dns_name', { value: checkpoints.fileSystem!.dnsName });
    new TerraformOutput(this, 'lustre_mount_name', { value: checkpoints.fileSystem!.mountName });
  }
}

/** Adds this example's stacks to `app`. */
export function build(app: App): TerraformStack[] {
  return [new AwsTrainingStack(app, 'aws-training')];
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
