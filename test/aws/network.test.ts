import { GpuNetwork } from '../../lib/aws/network';
import { EksCluster } from '../../lib/aws/cluster';
import { Accelerator } from '../../lib/core';
import { onlyResource, resourcesOf, synthJson } from '../util';
import { awsStack, network } from './util';

function subnets(json: ReturnType<typeof synthJson>) {
  return Object.values(resourcesOf(json, 'aws_subnet'));
}

describe('GpuNetwork', () => {
  test('defaults to 10.0.0.0/16 with DNS support', () => {
    const stack = awsStack();
    network(stack);
    expect(synthJson(stack).resource?.aws_vpc).toBeDefined();
    const vpc = Object.values(resourcesOf(synthJson(stack), 'aws_vpc'))[0];
    expect(vpc).toMatchObject({
      cidr_block: '10.0.0.0/16',
      enable_dns_hostnames: true,
      enable_dns_support: true,
    });
  });

  test('carves private /19s, a training /19 and public /24s', () => {
    const stack = awsStack();
    network(stack);
    const cidrs = subnets(synthJson(stack)).map(
      (s) => `${s.availability_zone} ${s.cidr_block} ${s.map_public_ip_on_launch}`,
    );
    expect(cidrs.sort()).toEqual(
      [
        'us-east-1a 10.0.0.0/19 false',
        'us-east-1b 10.0.32.0/19 false',
        'us-east-1a 10.0.192.0/19 false',
        'us-east-1a 10.0.224.0/24 true',
        'us-east-1b 10.0.225.0/24 true',
      ].sort(),
    );
  });

  test('scales the split to a /20 VPC', () => {
    const stack = awsStack();
    network(stack, { cidr: '10.1.0.0/20' });
    const cidrs = subnets(synthJson(stack)).map((s) => s.cidr_block);
    expect(cidrs).toContain('10.1.0.0/23');
    expect(cidrs).toContain('10.1.14.0/28');
  });

  test('tags private subnets for internal and public subnets for internet-facing load balancers', () => {
    const stack = awsStack();
    network(stack);
    const all = subnets(synthJson(stack));
    expect(all.filter((s) => s.tags['kubernetes.io/role/internal-elb'] === '1')).toHaveLength(2);
    expect(all.filter((s) => s.tags['kubernetes.io/role/elb'] === '1')).toHaveLength(2);
  });

  test('tagForCluster adds the shared cluster tag to every subnet', () => {
    const stack = awsStack();
    network(stack).tagForCluster('gpu');
    expect(subnets(synthJson(stack)).every((s) => s.tags['kubernetes.io/cluster/gpu'] === 'shared')).toBe(
      true,
    );
  });

  test('defaults to one NAT gateway per AZ', () => {
    const stack = awsStack();
    network(stack);
    expect(Object.keys(resourcesOf(synthJson(stack), 'aws_nat_gateway'))).toHaveLength(2);
  });

  test('natGatewayPerAz: false creates one NAT gateway', () => {
    const stack = awsStack();
    network(stack, { natGatewayPerAz: false });
    const json = synthJson(stack);
    expect(Object.keys(resourcesOf(json, 'aws_nat_gateway'))).toHaveLength(1);
    const routes = Object.values(resourcesOf(json, 'aws_route')).filter((r) => r.nat_gateway_id);
    expect(new Set(routes.map((r) => r.nat_gateway_id)).size).toBe(1);
  });

  test('creates an S3 gateway endpoint on the private route tables', () => {
    const stack = awsStack();
    network(stack);
    const eps = Object.values(resourcesOf(synthJson(stack), 'aws_vpc_endpoint'));
    const s3 = eps.find((e) => e.service_name === 'com.amazonaws.us-east-1.s3');
    expect(s3).toMatchObject({ vpc_endpoint_type: 'Gateway' });
    expect(s3.route_table_ids).toHaveLength(2);
  });

  test('defaults to interface endpoints for ECR, STS, logs, EC2, ELB and EKS auth with private DNS', () => {
    const stack = awsStack();
    network(stack);
    const eps = Object.values(resourcesOf(synthJson(stack), 'aws_vpc_endpoint')).filter(
      (e) => e.vpc_endpoint_type === 'Interface',
    );
    expect(eps.map((e) => e.service_name).sort()).toEqual(
      ['ec2', 'ecr.api', 'ecr.dkr', 'eks-auth', 'elasticloadbalancing', 'logs', 'sts']
        .map((s) => `com.amazonaws.us-east-1.${s}`)
        .sort(),
    );
    expect(eps.every((e) => e.private_dns_enabled === true && e.security_group_ids.length === 1)).toBe(true);
  });

  test('the endpoint security group allows HTTPS from the VPC', () => {
    const stack = awsStack();
    network(stack);
    expect(synthJson(stack)).toBeDefined();
    const rules = Object.values(resourcesOf(synthJson(stack), 'aws_vpc_security_group_ingress_rule'));
    expect(rules).toContainEqual(
      expect.objectContaining({ from_port: 443, to_port: 443, ip_protocol: 'tcp', cidr_ipv4: '10.0.0.0/16' }),
    );
  });

  test('derives the region from the Availability Zones', () => {
    const stack = awsStack();
    expect(new GpuNetwork(stack, 'N', { availabilityZones: ['eu-west-1a', 'eu-west-1c'] }).region).toBe(
      'eu-west-1',
    );
  });

  test('has no training subnet unless asked', () => {
    const stack = awsStack();
    expect(
      new GpuNetwork(stack, 'N', { availabilityZones: ['us-east-1a', 'us-east-1b'] }).trainingSubnet,
    ).toBeUndefined();
  });

  test('the training subnet is in the training AZ', () => {
    const stack = awsStack();
    expect(network(stack, { trainingAvailabilityZone: 'us-east-1b' }).trainingSubnet?.availabilityZone).toBe(
      'us-east-1b',
    );
  });

  test('throws for a CIDR that does not parse', () => {
    expect(() => network(awsStack(), { cidr: '10.0.0/16' })).toThrow(
      /'cidr' \('10.0.0\/16'\) is not an IPv4 CIDR/,
    );
  });

  test('throws for a CIDR larger than /16 or smaller than /20', () => {
    expect(() => network(awsStack(), { cidr: '10.0.0.0/8' })).toThrow(/must be from \/16 to \/20/);
    expect(() => network(awsStack(), { cidr: '10.0.0.0/24' })).toThrow(/must be from \/16 to \/20/);
  });

  test('throws for a CIDR with host bits', () => {
    expect(() => network(awsStack(), { cidr: '10.0.1.0/16' })).toThrow(
      /has host bits set: the network address of that block is '10.0.0.0\/16'/,
    );
  });

  test('throws for fewer than two AZs', () => {
    expect(() => new GpuNetwork(awsStack(), 'N', { availabilityZones: ['us-east-1a'] })).toThrow(
      /must list 2 to 6 Availability Zones/,
    );
  });

  test('throws for more than six AZs', () => {
    const azs = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((l) => `us-east-1${l}`);
    expect(() => new GpuNetwork(awsStack(), 'N', { availabilityZones: azs })).toThrow(/must list 2 to 6/);
  });

  test('throws for a repeated AZ', () => {
    expect(
      () => new GpuNetwork(awsStack(), 'N', { availabilityZones: ['us-east-1a', 'us-east-1a'] }),
    ).toThrow(/lists an Availability Zone twice/);
  });

  test('throws for something that is not an AZ name', () => {
    expect(() => new GpuNetwork(awsStack(), 'N', { availabilityZones: ['use1-az1', 'us-east-1a'] })).toThrow(
      /'availabilityZones\[0\]' \('use1-az1'\) is not an AWS Availability Zone name/,
    );
  });

  test('throws for AZs of two regions', () => {
    expect(
      () => new GpuNetwork(awsStack(), 'N', { availabilityZones: ['us-east-1a', 'us-west-2a'] }),
    ).toThrow(/span regions us-east-1, us-west-2/);
  });

  test('throws when the training AZ is not a network AZ', () => {
    expect(() => network(awsStack(), { trainingAvailabilityZone: 'us-east-1c' })).toThrow(
      /'trainingAvailabilityZone' \('us-east-1c'\) must be one of/,
    );
  });

  test('throws for a malformed or repeated interface endpoint', () => {
    expect(() => network(awsStack(), { interfaceEndpoints: ['sts', 'sts'] })).toThrow(
      /'interfaceEndpoints' entry 'sts'/,
    );
    expect(() => network(awsStack(), { interfaceEndpoints: ['com.amazonaws.us-east-1.sts '] })).toThrow(
      /'interfaceEndpoints entry' \('com.amazonaws.us-east-1.sts '\) has leading or trailing whitespace/,
    );
  });
});

describe('GpuNetwork.fromNetworkAttributes', () => {
  const priv = [
    { subnetId: 'subnet-0aaaaaaaaaaaaaaaa', availabilityZone: 'eu-west-1a', cidr: '10.0.0.0/19' },
    { subnetId: 'subnet-0bbbbbbbbbbbbbbbb', availabilityZone: 'eu-west-1b', cidr: '10.0.32.0/19' },
  ];

  test('takes the region from the subnets and creates no resources', () => {
    const stack = awsStack();
    const net = GpuNetwork.fromNetworkAttributes(stack, 'Existing', {
      vpcId: 'vpc-0123456789abcdef0',
      vpcCidr: '10.0.0.0/16',
      privateSubnets: priv,
    });
    expect(net.region).toBe('eu-west-1');
    net.tagForCluster('gpu');
    expect(synthJson(stack).resource?.aws_subnet).toBeUndefined();
  });

  test('a cluster can use it', () => {
    const stack = awsStack();
    const net = GpuNetwork.fromNetworkAttributes(stack, 'Existing', {
      vpcId: 'vpc-0123456789abcdef0',
      vpcCidr: '10.0.0.0/16',
      privateSubnets: priv,
      trainingSubnet: priv[0],
    });
    const cluster = new EksCluster(stack, 'C', { network: net });
    const group = cluster.addTrainingNodeGroup('H', { accelerator: Accelerator.H100, nodes: 2 });
    expect(group.node.path).toBe('test/C/H');
    expect(onlyResource(synthJson(stack), 'aws_eks_cluster').vpc_config.subnet_ids).toEqual([
      'subnet-0aaaaaaaaaaaaaaaa',
      'subnet-0bbbbbbbbbbbbbbbb',
    ]);
  });

  test('throws for private subnets in one AZ', () => {
    expect(() =>
      GpuNetwork.fromNetworkAttributes(awsStack(), 'E', {
        vpcId: 'vpc-0123456789abcdef0',
        vpcCidr: '10.0.0.0/16',
        privateSubnets: [priv[0]],
      }),
    ).toThrow(/'privateSubnets' must cover at least two Availability Zones/);
  });

  test('throws for a subnet with an AZ id instead of a name', () => {
    expect(() =>
      GpuNetwork.fromNetworkAttributes(awsStack(), 'E', {
        vpcId: 'vpc-0123456789abcdef0',
        vpcCidr: '10.0.0.0/16',
        privateSubnets: [
          priv[0],
          { subnetId: 'subnet-0cccccccccccccccc', availabilityZone: 'euw1-az3', cidr: '10.0.64.0/19' },
        ],
      }),
    ).toThrow(/'privateSubnets\[1\].availabilityZone' \('euw1-az3'\) is not an AWS Availability Zone name/);
  });

  test('throws for subnets of two regions', () => {
    expect(() =>
      GpuNetwork.fromNetworkAttributes(awsStack(), 'E', {
        vpcId: 'vpc-0123456789abcdef0',
        vpcCidr: '10.0.0.0/16',
        privateSubnets: [
          priv[0],
          { subnetId: 'subnet-0cccccccccccccccc', availabilityZone: 'us-east-1a', cidr: '10.0.64.0/19' },
        ],
      }),
    ).toThrow(/span regions/);
  });
});
