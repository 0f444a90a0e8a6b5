import { Eip } from '@cdktf/provider-aws/lib/eip';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { Validate, ValidationError } from '../core';
import { INetwork, NetworkSubnet } from './interfaces';
import { addInterfaceEndpointsCost, addNatGatewayCost } from './private/service-prices';
import { AWS_CIDR_RANGE, assertCidrInside, validateSubnet } from './private/subnets';
import { Ipv4Block, cidrString, nthSubBlock, parseIpv4Cidr } from '../core/private/ipv4';

/** Interface VPC endpoints {@link GpuNetwork} creates by default. */
export const DEFAULT_INTERFACE_ENDPOINTS: readonly string[] = [
  'ecr.api',
  'ecr.dkr',
  'sts',
  'logs',
  'ec2',
  'elasticloadbalancing',
  'eks-auth',
];

/** Properties of a {@link GpuNetwork}. */
export interface GpuNetworkProps {
  /**
   * VPC IPv4 CIDR, a /16 to /20. Subnets are carved from it at synth time: eight equal blocks
   * (/19 of a /16); one private subnet per AZ from the first blocks, the single-AZ training
   * subnet from the next, and public /24s (of a /16) from the last block.
   * @default '10.0.0.0/16'
   */
  readonly cidr?: string;
  /**
   * Availability Zone names, at least two (EKS requires subnets in two AZs), at most six.
   * Names, not ids, so the network synthesizes without an AWS data source.
   */
  readonly availabilityZones: string[];
  /**
   * Availability Zone of the dedicated single-AZ subnet for EFA training node groups (the AZ
   * of your Capacity Block or capacity reservation). Must be one of `availabilityZones`.
   * @default - no training subnet
   */
  readonly trainingAvailabilityZone?: string;
  /**
   * One NAT gateway per AZ (resilient to an AZ outage) or a single one (cheaper, about
   * $33/month each plus data processing).
   * @default true
   */
  readonly natGatewayPerAz?: boolean;
  /**
   * Interface VPC endpoint services (the part after `com.amazonaws.<region>.`), so image pulls
   * and AWS API calls stay off the NAT. The S3 gateway endpoint is always created.
   * @default DEFAULT_INTERFACE_ENDPOINTS
   */
  readonly interfaceEndpoints?: string[];
}

/** An Availability Zone (not a Local or Wavelength Zone): the region and one letter. */
const AZ_PATTERN = /^([a-z]{2}(?:-[a-z]+)?-[a-z]+-\d+)[a-z]$/;

/** Attributes of a VPC the app does not own, for {@link GpuNetwork.fromNetworkAttributes}. */
export interface NetworkAttributes {
  /** VPC id. */
  readonly vpcId: string;
  /** VPC IPv4 CIDR. */
  readonly vpcCidr: string;
  /** Private node subnets, in at least two Availability Zones. */
  readonly privateSubnets: NetworkSubnet[];
  /**
   * Public subnets.
   * @default - none
   */
  readonly publicSubnets?: NetworkSubnet[];
  /**
   * The single-AZ training subnet.
   * @default - none; training node groups then need an explicit subnet
   */
  readonly trainingSubnet?: NetworkSubnet;
}

class ImportedNetwork extends Construct implements INetwork {
  public readonly vpcId: string;
  public readonly vpcCidr: string;
  public readonly region: string;
  public readonly privateSubnets: NetworkSubnet[];
  public readonly publicSubnets: NetworkSubnet[];
  public readonly trainingSubnet?: NetworkSubnet;

  constructor(scope: Construct, id: string, attrs: NetworkAttributes) {
    super(scope, id);
    Validate.object(this, 'attrs', attrs);
    this.vpcId = Validate.ec2ResourceId(this, 'vpcId', attrs.vpcId, 'vpc');
    this.vpcCidr = Validate.cidr(this, 'vpcCidr', attrs.vpcCidr, AWS_CIDR_RANGE);
    this.privateSubnets = Validate.array<NetworkSubnet>(this, 'privateSubnets', attrs.privateSubnets);
    this.publicSubnets =
      attrs.publicSubnets === undefined
        ? []
        : Validate.array<NetworkSubnet>(this, 'publicSubnets', attrs.publicSubnets);
    this.trainingSubnet = attrs.trainingSubnet;
    const named: Array<[string, NetworkSubnet]> = [
      ...this.privateSubnets.map((sn, i): [string, NetworkSubnet] => [`privateSubnets[${i}]`, sn]),
      ...this.publicSubnets.map((sn, i): [string, NetworkSubnet] => [`publicSubnets[${i}]`, sn]),
      ...(attrs.trainingSubnet !== undefined
        ? [['trainingSubnet', attrs.trainingSubnet] as [string, NetworkSubnet]]
        : []),
    ];
    const regions = new Set<string>();
    for (const [prop, sn] of named) {
      validateSubnet(this, prop, sn);
      assertCidrInside(this, `${prop}.cidr`, sn.cidr, 'vpcCidr', this.vpcCidr);
      if (!Token.isUnresolved(sn.availabilityZone)) regions.add(sn.availabilityZone.slice(0, -1));
    }
    Validate.unique(
      this,
      'privateSubnets and publicSubnets',
      [...this.privateSubnets, ...this.publicSubnets],
      (sn) => sn.subnetId,
      'a subnet is either private or public, once',
    );
    if (new Set(this.privateSubnets.map((sn) => sn.availabilityZone)).size < 2) {
      throw new ValidationError(
        `'privateSubnets' must cover at least two Availability Zones: EKS needs subnets in two.`,
        this,
      );
    }
    if (regions.size !== 1) {
      throw new ValidationError(
        `the subnets span regions ${[...regions].join(', ')}: use the subnets of one region.`,
        this,
      );
    }
    this.region = [...regions][0];
  }

  /** Subnets the app does not own are not tagged: tag them `kubernetes.io/cluster/<name>: shared` where they are defined. */
  public tagForCluster(_clusterName: string): void {}
}

/**
 * A VPC for GPU clusters: private node subnets in two or more AZs (tagged for internal load
 * balancers), public subnets for internet-facing load balancers, NAT, an S3 gateway endpoint
 * and interface endpoints for ECR, STS, CloudWatch Logs, EC2, ELB and EKS Pod Identity, so
 * images and weights do not cross the NAT; optionally a single-AZ subnet for EFA training.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html
 * @example
 * const net = new GpuNetwork(stack, 'Network', {
 *   availabilityZones: ['us-east-1a', 'us-east-1b'],
 *   trainingAvailabilityZone: 'us-east-1a',
 * });
 */
export class GpuNetwork extends Construct implements INetwork {
  /**
   * A network the app does not own (an existing VPC). Its subnets are not tagged: tag private
   * subnets `kubernetes.io/role/internal-elb: 1` and public ones `kubernetes.io/role/elb: 1`
   * where they are defined.
   * @throws ValidationError when the private subnets cover fewer than two AZs or the subnets span regions
   */
  public static fromNetworkAttributes(scope: Construct, id: string, attrs: NetworkAttributes): INetwork {
    return new ImportedNetwork(scope, id, attrs);
  }

  /** The VPC. */
  public readonly resource: Vpc;
  /** VPC id. */
  public readonly vpcId: string;
  /** VPC IPv4 CIDR. */
  public readonly vpcCidr: string;
  /** AWS region, from the Availability Zone names. */
  public readonly region: string;
  /** Private subnets, one per AZ. */
  public readonly privateSubnets: NetworkSubnet[] = [];
  /** Public subnets, one per AZ. */
  public readonly publicSubnets: NetworkSubnet[] = [];
  /** The single-AZ training subnet, when `trainingAvailabilityZone` is set. */
  public readonly trainingSubnet?: NetworkSubnet;
  /** Security group of the interface endpoints (HTTPS from the VPC). */
  public readonly endpointSecurityGroup: SecurityGroup;
  private readonly subnetResources: Subnet[] = [];

  constructor(scope: Construct, id: string, props: GpuNetworkProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    const cidr = props.cidr ?? '10.0.0.0/16';
    const range = this.parseCidr(cidr);
    const azs = Validate.array<string>(this, 'availabilityZones', props.availabilityZones ?? []);
    this.region = this.validateAzs(azs);
    if (props.natGatewayPerAz !== undefined) Validate.boolean(this, 'natGatewayPerAz', props.natGatewayPerAz);
    if (props.trainingAvailabilityZone !== undefined) {
      Validate.awsAvailabilityZone(
        this,
        'trainingAvailabilityZone',
        props.trainingAvailabilityZone,
        this.region,
      );
    }
    if (props.trainingAvailabilityZone !== undefined && !azs.includes(props.trainingAvailabilityZone)) {
      throw new ValidationError(
        `'trainingAvailabilityZone' ('${props.trainingAvailabilityZone}') must be one of 'availabilityZones' (${azs.join(', ')}): add it there or pick one of them.`,
        this,
      );
    }

    // Eight equal blocks (/prefix+3): one private subnet per AZ from the first six, the training
    // subnet from the seventh, and the last cut into /prefix+8 public subnets.
    const prefix = range.prefix;
    const block = (i: number): string => cidrString(nthSubBlock(range, prefix + 3, i));
    const publicBlock = (i: number): string =>
      cidrString(nthSubBlock(nthSubBlock(range, prefix + 3, 7), prefix + 8, i));

    this.resource = new Vpc(this, 'Resource', {
      cidrBlock: cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: this.node.path },
    });
    this.node.defaultChild = this.resource;
    this.vpcId = this.resource.id;
    this.vpcCidr = cidr;

    const igw = new InternetGateway(this, 'InternetGateway', { vpcId: this.vpcId });
    // Each attribute read below is read once: every read creates a cdktf token.
    const publicRtId = new RouteTable(this, 'PublicRouteTable', { vpcId: this.vpcId }).id;
    new Route(this, 'PublicDefaultRoute', {
      routeTableId: publicRtId,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: igw.id,
    });

    const perAz = props.natGatewayPerAz ?? true;
    const nats: NatGateway[] = [];
    const privateRtIds: string[] = [];
    azs.forEach((az, i) => {
      const suffix = azSuffix(az);
      const pub = this.subnet(`PublicSubnet${suffix}`, az, publicBlock(i), true, {
        'kubernetes.io/role/elb': '1',
      });
      this.publicSubnets.push(pub);
      new RouteTableAssociation(this, `PublicSubnet${suffix}RouteTable`, {
        subnetId: pub.subnetId,
        routeTableId: publicRtId,
      });
      if (perAz || i === 0) {
        const eip = new Eip(this, `NatEip${suffix}`, { domain: 'vpc', dependsOn: [igw] });
        nats.push(
          new NatGateway(this, `NatGateway${suffix}`, {
            allocationId: eip.allocationId,
            subnetId: pub.subnetId,
            dependsOn: [igw],
          }),
        );
      }
      const rtId = new RouteTable(this, `PrivateRouteTable${suffix}`, { vpcId: this.vpcId }).id;
      new Route(this, `PrivateDefaultRoute${suffix}`, {
        routeTableId: rtId,
        destinationCidrBlock: '0.0.0.0/0',
        natGatewayId: nats[perAz ? i : 0].id,
      });
      privateRtIds.push(rtId);
      const priv = this.subnet(`PrivateSubnet${suffix}`, az, block(i), false, {
        'kubernetes.io/role/internal-elb': '1',
      });
      this.privateSubnets.push(priv);
      new RouteTableAssociation(this, `PrivateSubnet${suffix}RouteTable`, {
        subnetId: priv.subnetId,
        routeTableId: rtId,
      });
    });
    addNatGatewayCost(this, nats.length);

    if (props.trainingAvailabilityZone !== undefined) {
      const az = props.trainingAvailabilityZone;
      const i = azs.indexOf(az);
      this.trainingSubnet = this.subnet('TrainingSubnet', az, block(6), false, {});
      new RouteTableAssociation(this, 'TrainingSubnetRouteTable', {
        subnetId: this.trainingSubnet.subnetId,
        routeTableId: privateRtIds[i],
      });
    }

    new VpcEndpoint(this, 'S3Endpoint', {
      vpcId: this.vpcId,
      serviceName: `com.amazonaws.${this.region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: privateRtIds,
      tags: { Name: `${this.node.path}/s3` },
    });

    this.endpointSecurityGroup = new SecurityGroup(this, 'EndpointSecurityGroup', {
      vpcId: this.vpcId,
      description: 'HTTPS from the VPC to interface VPC endpoints',
      tags: { Name: `${this.node.path}/endpoints` },
    });
    const endpointSgId = this.endpointSecurityGroup.id;
    new VpcSecurityGroupIngressRule(this, 'EndpointHttpsIngress', {
      securityGroupId: endpointSgId,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: cidr,
      description: 'HTTPS from the VPC',
    });
    new VpcSecurityGroupEgressRule(this, 'EndpointEgress', {
      securityGroupId: endpointSgId,
      ipProtocol: '-1',
      cidrIpv4: cidr,
      description: 'Responses within the VPC',
    });
    const services = Validate.array<string>(
      this,
      'interfaceEndpoints',
      props.interfaceEndpoints ?? [...DEFAULT_INTERFACE_ENDPOINTS],
    );
    const seen = new Set<string>();
    for (const svc of services) {
      Validate.string(this, 'interfaceEndpoints entry', svc);
      if (!/^[a-z0-9][a-z0-9.-]*$/.test(svc) || seen.has(svc)) {
        throw new ValidationError(
          `'interfaceEndpoints' entry '${svc}' must be a unique service suffix such as 'ecr.api' (the part after 'com.amazonaws.<region>.').`,
          this,
        );
      }
      seen.add(svc);
      new VpcEndpoint(this, `Endpoint-${svc}`, {
        vpcId: this.vpcId,
        serviceName: `com.amazonaws.${this.region}.${svc}`,
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds: this.privateSubnets.map((s) => s.subnetId),
        securityGroupIds: [endpointSgId],
        tags: { Name: `${this.node.path}/${svc}` },
      });
    }
    addInterfaceEndpointsCost(this, services.length, this.privateSubnets.length);
  }

  public tagForCluster(clusterName: string): void {
    for (const s of this.subnetResources) {
      s.tags = { ...(s.tagsInput ?? {}), [`kubernetes.io/cluster/${clusterName}`]: 'shared' };
    }
  }

  private subnet(
    id: string,
    az: string,
    cidr: string,
    isPublic: boolean,
    tags: Record<string, string>,
  ): NetworkSubnet {
    const s = new Subnet(this, id, {
      vpcId: this.vpcId,
      availabilityZone: az,
      cidrBlock: cidr,
      mapPublicIpOnLaunch: isPublic,
      tags: { Name: `${this.node.path}/${id}`, ...tags },
    });
    this.subnetResources.push(s);
    return { subnetId: s.id, availabilityZone: az, cidr };
  }

  private parseCidr(cidr: string): Ipv4Block {
    Validate.cidr(this, 'cidr', cidr, {
      minPrefix: 16,
      maxPrefix: 20,
      reason: 'GPU nodes and pods take one VPC IP each, and the subnets are carved from it',
    });
    const range = parseIpv4Cidr(cidr);
    if (!range) {
      throw new ValidationError(`'cidr' ('${cidr}') is not an IPv4 CIDR: use the form '10.0.0.0/16'.`, this);
    }
    const prefix = range.prefix;
    if (prefix < 16 || prefix > 20) {
      throw new ValidationError(
        `'cidr' ('${cidr}') must be a /16 to /20: GPU nodes and pods take one VPC IP each, and the subnets are carved from it. Use for example '10.0.0.0/16'.`,
        this,
      );
    }
    if (range.address !== range.first) {
      throw new ValidationError(
        `'cidr' ('${cidr}') has host bits set: use the network address '${cidrString(range)}'.`,
        this,
      );
    }
    return { first: range.first, prefix };
  }

  private validateAzs(azs: string[]): string {
    if (azs.length < 2 || azs.length > 6) {
      throw new ValidationError(
        `'availabilityZones' (${azs.length}: ${azs.join(', ')}) must list 2 to 6 Availability Zones: EKS needs subnets in at least two.`,
        this,
      );
    }
    if (new Set(azs).size !== azs.length) {
      throw new ValidationError(
        `'availabilityZones' (${azs.join(', ')}) lists an Availability Zone twice.`,
        this,
      );
    }
    const regions = new Set<string>();
    for (const [i, az] of azs.entries()) {
      Validate.awsAvailabilityZone(this, `availabilityZones[${i}]`, az);
      const m = AZ_PATTERN.exec(az);
      if (!m) {
        throw new ValidationError(
          `'availabilityZones' entry '${az}' is not an Availability Zone name such as 'us-east-1a' (Local and Wavelength Zones are not supported).`,
          this,
        );
      }
      regions.add(m[1]);
    }
    if (regions.size > 1) {
      throw new ValidationError(
        `'availabilityZones' (${azs.join(', ')}) span regions ${[...regions].join(', ')}: use the zones of one region.`,
        this,
      );
    }
    return [...regions][0];
  }
}

function azSuffix(az: string): string {
  return az.slice(-1).toUpperCase();
}
