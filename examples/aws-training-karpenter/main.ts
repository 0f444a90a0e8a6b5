/**
 * aws-training-karpenter: the aws-training platform with Karpenter instead of a fixed managed
 * node group. Karpenter (chart 1.14.1, interruption queue, Pod Identity role) runs on the system
 * node group; an H100 NodePool takes an EC2 Capacity Block first and falls back to on-demand,
 * with 32 EFA devices per node, never consolidates busy nodes, and is limited to 128 GPUs.
 * Training pods should carry `karpenter.sh/do-not-disrupt: "true"` (see docs/aws.md).
 *
 * Synthesizes with no credentials: the provider is configured with plain values and no data
 * source is read at synth time.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { EksCluster, GpuNetwork, Karpenter, KarpenterGpuNodePool } from '../../lib/aws';
import { Accelerator, Capacity, Tags } from '../../lib/core';
import { GpuNodeImage, GpuPlatform } from '../../lib/k8s';
import { EksClusterStack } from '../shared/cluster-stacks';

/** Adds this example's stacks to `app`: infrastructure, platform (Karpenter) and workloads (GPU pool). */
export function build(app: App): TerraformStack[] {
  const infra = new TerraformStack(app, 'aws-training-karpenter');
  new AwsProvider(infra, 'aws', { region: 'us-east-1' });
  Tags.of(infra).add('team', 'ml-platform');
  const network = new GpuNetwork(infra, 'Network', {
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    trainingAvailabilityZone: 'us-east-1a', // the Capacity Block's AZ
  });
  const cluster = new EksCluster(infra, 'Cluster', { network });

  const platform = new EksClusterStack(app, 'aws-training-karpenter-platform', cluster);
  platform.addDependency(infra);
  const karpenter = new Karpenter(platform, 'Karpenter', { cluster });
  new GpuPlatform(platform, 'Gpu', {
    nodeImage: GpuNodeImage.DRIVER_AND_TOOLKIT, // AL2023 NVIDIA AMI
    efa: true, // the EFA device plugin advertises vpc.amazonaws.com/efa
    keda: false,
  });

  const workloads = new EksClusterStack(app, 'aws-training-karpenter-workloads', cluster);
  workloads.addDependency(platform);
  const h100 = new KarpenterGpuNodePool(workloads, 'H100', {
    karpenter,
    accelerator: Accelerator.H100,
    capacity: Capacity.capacityBlock('cr-0123456789abcdef0'),
    fallbackCapacity: [Capacity.onDemand()],
    reservationAvailabilityZone: 'us-east-1a',
    maxGpus: 128,
  });
  new TerraformOutput(workloads, 'efa_devices_per_node', { value: h100.efaDevicesPerNode });
  return [infra, platform, workloads];
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
