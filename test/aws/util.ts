import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { GpuNetwork, GpuNetworkProps } from '../../lib/aws/network';
import { EksCluster, EksClusterProps } from '../../lib/aws/cluster';

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
