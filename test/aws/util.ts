import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { GpuNetwork, GpuNetworkProps } from '../../lib/aws/network';
import { EksCluster, EksClusterAttributes, EksClusterProps } from '../../lib/aws/cluster';
import { IEksCluster } from '../../lib/aws/interfaces';

/** A stack with an AWS provider (us-east-1). */
export function awsStack(id = 'test'): TerraformStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, id);
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  return stack;
}

/** A network in us-east-1a/b with a training subnet in us-east-1a. */
export function network(stack: TerraformStack, props: Partial<GpuNetworkProps> = {}): GpuNetwork {
  return new GpuNetwork(stack, 'Network', {
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    trainingAvailabilityZone: 'us-east-1a',
    ...props,
  });
}

/** A stack with a network and a cluster. */
export function clusterStack(props: Partial<EksClusterProps> = {}): {
  stack: TerraformStack;
  cluster: EksCluster;
  net: GpuNetwork;
} {
  const stack = awsStack();
  const net = network(stack);
  const cluster = new EksCluster(stack, 'Cluster', { network: net, ...props });
  return { stack, cluster, net };
}

/** Warning messages on the construct tree of a stack. */
export function warnings(stack: TerraformStack): string[] {
  return stack.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((m) => m.type === '@cdktf/warn')
    .map((m) => String(m.data));
}

/** Whether a warning with the stable id was added. */
export function hasWarning(stack: TerraformStack, id: string): boolean {
  return warnings(stack).some((w) => w.startsWith(`[cdktf-ai-infra:${id}]`));
}

/** The two private subnets of the VPC {@link importedCluster} imports. */
export const IMPORTED_PRIVATE_SUBNETS = [
  { subnetId: 'subnet-0aaaaaaaaaaaaaaaa', availabilityZone: 'us-east-1a', cidr: '10.0.0.0/19' },
  { subnetId: 'subnet-0bbbbbbbbbbbbbbbb', availabilityZone: 'us-east-1b', cidr: '10.0.32.0/19' },
];
/** The node role of the cluster {@link importedCluster} imports (an IAM path, name `ml-prod-nodes`). */
export const IMPORTED_NODE_ROLE = 'arn:aws:iam::111122223333:role/platform/ml-prod-nodes';

/**
 * An existing VPC (id `Vpc`, 10.0.0.0/16, training subnet the first private one) and EKS cluster
 * `ml-prod` (id `Cluster`) imported by attributes; `attrs` replace or add cluster attributes.
 */
export function importedCluster(
  stack: TerraformStack,
  attrs: Partial<EksClusterAttributes> = {},
): IEksCluster {
  const network = GpuNetwork.fromNetworkAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0',
    vpcCidr: '10.0.0.0/16',
    privateSubnets: IMPORTED_PRIVATE_SUBNETS,
    trainingSubnet: IMPORTED_PRIVATE_SUBNETS[0],
  });
  return EksCluster.fromClusterAttributes(stack, 'Cluster', {
    clusterName: 'ml-prod',
    network,
    nodeRoleArn: IMPORTED_NODE_ROLE,
    ...attrs,
  });
}
