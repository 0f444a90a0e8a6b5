import { ComputeFirewall } from '@cdktf/provider-google/lib/compute-firewall';
import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network';
import { ComputeRouter } from '@cdktf/provider-google/lib/compute-router';
import { ComputeRouterNat } from '@cdktf/provider-google/lib/compute-router-nat';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork';
import { Construct } from 'constructs';
import {
  DeviceNetwork,
  DeviceNetworkMode,
  GkeNetworkObject,
  gkeDeviceNetworkObjects,
  DEPRECATED_WARNING_ID,
  Validate,
  ValidationError,
  Warnings,
} from '../core';
import { GPUDIRECT_MTU, GpuDirect } from './machine-types';
import { isPrivate, overlaps, parseCidr, prefixOf, subBlock } from './private/cidr';
import { GpuDirectNetwork, IGkeNetwork } from './interfaces';
import { defaultName, unresolved, validateGceName } from './private/names';
import { addCloudNatCost } from './private/service-prices';

/**
 * A plain Kubernetes manifest (`GKENetworkParamSet` or `Network`) for the workloads stack.
 * @deprecated the objects are rendered by the Kubernetes module's `GkeDeviceNetworks` from
 * {@link GkeNetwork.deviceNetworks}; removed in the next minor release
 */
export type GpuDirectManifest = GkeNetworkObject;

/**
 * The region's proxy-only subnet: the addresses the Envoy proxies of regional internal and
 * external Application Load Balancers connect to backends from. GKE's regional gateway classes
 * need one in the cluster's region.
 * @see https://cloud.google.com/load-balancing/docs/proxy-only-subnets
 */
export interface ProxyOnlySubnetOptions {
  /**
   * The subnet's range: a private block of /26 or larger (Google's minimum; /23 recommended),
   * disjoint from the node, pod, service and GPUDirect ranges.
   */
  readonly cidr: string;
  /**
   * TCP ports on the VPC's instances the proxies may connect to (a firewall rule from the
   * subnet's range): the model servers' HTTP port 8000 and the endpoint pickers' ext_proc port
   * 9002 of the Kubernetes module. An empty list creates no rule.
   * @default [8000, 9002]
   */
  readonly allowedPorts?: number[];
}

/** Properties of {@link GkeNetwork}. */
export interface GkeNetworkProps {
  /** Project id. Used for the RoCE network profile and by the cluster's Workload Identity pool. */
  readonly project: string;
  /** Region, for example `us-central1`. */
  readonly region: string;
  /**
   * Name of the VPC; subnets, router, NAT and firewall rules are named after it (at most 48
   * characters, 46 with RDMA GPUDirect, so that `<name>-allow-internal` and
   * `<name>-gvnic-1-internal` stay within GCE's 63).
   * @default - the construct id in kebab case, for example `network`
   */
  readonly name?: string;
  /**
   * Private IPv4 block the cluster's node, pod and service ranges are carved from, /8 to /20:
   * pods get the first half, nodes the /(n+4) after it, services the next /(n+4).
   * For `10.0.0.0/12`: pods `10.0.0.0/13`, nodes `10.8.0.0/16`, services `10.9.0.0/16`.
   * @default '10.0.0.0/12'
   */
  readonly cidr?: string;
  /**
   * MTU of the cluster VPC, bytes.
   * @default 1460 (the GCE default)
   */
  readonly mtu?: number;
  /**
   * The GPUDirect VPCs to create for A3 training: TCPX (a3-highgpu-8g, 4 VPCs), TCPXO
   * (a3-megagpu-8g, 8 VPCs) or RDMA (a3-ultragpu-8g, 1 gVNIC VPC + 1 RoCE VPC with 8 subnets).
   * @default GpuDirect.NONE
   */
  readonly gpuDirect?: GpuDirect;
  /**
   * Private IPv4 block the GPUDirect subnets are carved from, one /24 each; must not overlap
   * `cidr` and must be /20 or larger.
   * @default '192.168.0.0/16'
   */
  readonly gpuDirectCidr?: string;
  /**
   * Zone of the RoCE network profile (`projects/<p>/global/networkProfiles/<zone>-vpc-roce`).
   * Required when `gpuDirect` is RDMA; the A3 Ultra node pool must run in this zone.
   * @default - none
   */
  readonly gpuDirectZone?: string;
  /**
   * A proxy-only subnet (`purpose: REGIONAL_MANAGED_PROXY`, `role: ACTIVE`) in the region, for
   * GKE Inference Gateway's regional load balancers, and a firewall rule letting its proxies
   * reach the serving ports. One per region and VPC: leave it out when the VPC already has one.
   * @default - none
   */
  readonly proxyOnlySubnet?: ProxyOnlySubnetOptions;
}

/** One GPUDirect subnet of a network the app does not own, in NIC order. */
export interface GpuDirectSubnetAttributes {
  /** VPC name. */
  readonly vpcName: string;
  /** Subnetwork name. */
  readonly subnetName: string;
  /** Subnet IPv4 CIDR. */
  readonly cidr: string;
}

/** Attributes of a VPC the app does not own, for {@link GkeNetwork.fromNetworkAttributes}. */
export interface GkeNetworkAttributes {
  /** Project id of the VPC (a Shared VPC host project works too). */
  readonly project: string;
  /** Region of the node subnet. */
  readonly region: string;
  /** VPC name. */
  readonly networkName: string;
  /** Node subnet name. */
  readonly subnetworkName: string;
  /** Name of the node subnet's secondary range for pods. */
  readonly podsRangeName: string;
  /** Name of the node subnet's secondary range for services. */
  readonly servicesRangeName: string;
  /**
   * Every IPv4 range of the VPC (node, pod, service, GPUDirect), so clusters refuse a control-plane
   * range that overlaps them.
   * @default - the GPUDirect subnet CIDRs only
   */
  readonly ipv4Ranges?: string[];
  /**
   * The GPUDirect technology the VPC set provides.
   * @default GpuDirect.NONE
   */
  readonly gpuDirect?: GpuDirect;
  /**
   * The GPUDirect subnets in NIC order: 4 for TCPX (`vpc1`..`vpc4`), 8 for TCPXO, 9 for RDMA
   * (the gVNIC subnet, then the 8 RoCE subnets `rdma-0`..`rdma-7`).
   * @default - none (required with `gpuDirect`)
   */
  readonly gpuDirectSubnets?: GpuDirectSubnetAttributes[];
  /**
   * Zone of the RoCE network profile; required with RDMA.
   * @default - none
   */
  readonly gpuDirectZone?: string;
}

/** A GKE network the app does not own. */
class ImportedGkeNetwork extends Construct implements IGkeNetwork {
  public readonly project: string;
  public readonly region: string;
  public readonly networkName: string;
  public readonly subnetworkName: string;
  public readonly podsRangeName: string;
  public readonly servicesRangeName: string;
  public readonly gpuDirect: GpuDirect;
  public readonly gpuDirectNetworks: readonly GpuDirectNetwork[];
  public readonly gpuDirectZone?: string;
  public readonly ipv4Ranges: readonly string[];

  constructor(scope: Construct, id: string, attrs: GkeNetworkAttributes) {
    super(scope, id);
    Validate.object(this, 'attrs', attrs);
    this.project = Validate.gcpProjectId(this, 'project', attrs.project);
    this.region = Validate.gcpRegion(this, 'region', attrs.region);
    for (const prop of ['networkName', 'subnetworkName'] as const) {
      validateGceName(prop, attrs[prop], 63, this);
    }
    for (const prop of ['podsRangeName', 'servicesRangeName'] as const) {
      validateGceName(prop, attrs[prop], 63, this);
    }
    this.networkName = attrs.networkName;
    this.subnetworkName = attrs.subnetworkName;
    this.podsRangeName = attrs.podsRangeName;
    this.servicesRangeName = attrs.servicesRangeName;
    if (attrs.gpuDirect !== undefined)
      Validate.oneOf(this, 'gpuDirect', attrs.gpuDirect, Object.values(GpuDirect));
    this.gpuDirect = attrs.gpuDirect ?? GpuDirect.NONE;
    if (attrs.gpuDirectZone !== undefined)
      Validate.gcpZone(this, 'gpuDirectZone', attrs.gpuDirectZone, attrs.region);
    this.gpuDirectZone = attrs.gpuDirectZone;
    if (this.gpuDirect === GpuDirect.RDMA && attrs.gpuDirectZone === undefined) {
      throw new ValidationError(
        `'gpuDirectZone' is required when 'gpuDirect' is RDMA: A3 Ultra pools must run in the zone of the RoCE network profile.`,
        this,
      );
    }
    const subnets = Validate.array<GpuDirectSubnetAttributes>(
      this,
      'gpuDirectSubnets',
      attrs.gpuDirectSubnets ?? [],
    );
    const names = gpuDirectNicNames(this.gpuDirect);
    if (subnets.length !== names.length) {
      throw new ValidationError(
        `'gpuDirectSubnets' has ${subnets.length} entries but GPUDirect-${this.gpuDirect} attaches ${names.length} extra networks: list them in NIC order.`,
        this,
      );
    }
    this.gpuDirectNetworks = subnets.map((sn, i) => {
      Validate.object(this, `gpuDirectSubnets[${i}]`, sn);
      validateGceName(`gpuDirectSubnets[${i}].vpcName`, sn.vpcName, 63, this);
      validateGceName(`gpuDirectSubnets[${i}].subnetName`, sn.subnetName, 63, this);
      if (!unresolved(sn.cidr)) {
        ValidationError.withScope(this, () => parseCidr(`gpuDirectSubnets[${i}].cidr`, sn.cidr));
      }
      return { ...names[i], vpcName: sn.vpcName, subnetName: sn.subnetName, cidr: sn.cidr };
    });
    const ranges = Validate.array<string>(this, 'ipv4Ranges', attrs.ipv4Ranges ?? []);
    ranges.forEach((r, i) => {
      if (!unresolved(r)) ValidationError.withScope(this, () => parseCidr(`ipv4Ranges[${i}]`, r));
    });
    this.ipv4Ranges = [
      ...ranges,
      ...this.gpuDirectNetworks.map((n) => n.cidr).filter((c) => !ranges.includes(c)),
    ];
  }
}

/** Kubernetes names and device modes of the extra NICs of a GPUDirect technology, in NIC order. */
function gpuDirectNicNames(g: GpuDirect): Array<Pick<GpuDirectNetwork, 'kubernetesName' | 'deviceMode'>> {
  switch (g) {
    case GpuDirect.TCPX:
    case GpuDirect.TCPXO:
      return Array.from({ length: g === GpuDirect.TCPX ? 4 : 8 }, (_, i) => ({
        kubernetesName: `vpc${i + 1}`,
        deviceMode: 'NetDevice' as const,
      }));
    case GpuDirect.RDMA:
      return [
        { kubernetesName: 'gvnic-1', deviceMode: 'NetDevice' },
        ...Array.from({ length: 8 }, (_, i) => ({
          kubernetesName: `rdma-${i}`,
          deviceMode: 'RDMA' as const,
        })),
      ];
    default:
      return [];
  }
}

/**
 * The VPC of a GKE GPU cluster: a custom-mode VPC with a node subnet and secondary ranges for
 * pods and services, private Google access, Cloud Router + Cloud NAT for egress from private
 * nodes, a firewall rule for internal traffic, and, for A3 training, the GPUDirect VPCs and
 * subnets the machine type needs (reference/gcp.md §5).
 *
 * The GPUDirect networks also need in-cluster objects: one `GKENetworkParamSet`
 * (`networking.gke.io/v1`, spec `{ vpc, vpcSubnet, deviceMode }`) and one `Network`
 * (`networking.gke.io/v1`, spec `{ type: Device, parametersRef: { group: networking.gke.io,
 * kind: GKENetworkParamSet, name } }`) per entry of {@link gpuDirectNetworks}; see docs/gcp.md.
 *
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/gpu-bandwidth-gpudirect-tcpx
 * @example
 * const net = new GkeNetwork(stack, 'Network', {
 *   project: 'my-project', region: 'us-central1', gpuDirect: GpuDirect.TCPXO,
 * });
 */
export class GkeNetwork extends Construct implements IGkeNetwork {
  /**
   * A VPC the app does not own (for example a Shared VPC), with its node subnet, secondary ranges
   * and, for A3 training, its GPUDirect subnets. Nothing is created; names and ranges are validated.
   * @example
   * const net = GkeNetwork.fromNetworkAttributes(stack, 'Vpc', {
   *   project: 'acme-net', region: 'us-central1', networkName: 'shared', subnetworkName: 'gke-nodes',
   *   podsRangeName: 'pods', servicesRangeName: 'services',
   * });
   */
  public static fromNetworkAttributes(
    scope: Construct,
    id: string,
    attrs: GkeNetworkAttributes,
  ): IGkeNetwork {
    return new ImportedGkeNetwork(scope, id, attrs);
  }

  /** Project id. */
  public readonly project: string;
  /** Region of the node subnet. */
  public readonly region: string;
  /** The VPC name. */
  public readonly networkName: string;
  /** The node subnet name. */
  public readonly subnetworkName: string;
  /** Secondary range name for pods. */
  public readonly podsRangeName = 'pods';
  /** Secondary range name for services. */
  public readonly servicesRangeName = 'services';
  /** The GPUDirect technology of the cluster's network. */
  public readonly gpuDirect: GpuDirect;
  /** The GPUDirect networks GPU pools can attach. */
  public readonly gpuDirectNetworks: readonly GpuDirectNetwork[];
  /** Zone of the RoCE network profile, when `gpuDirect` is RDMA. */
  public readonly gpuDirectZone?: string;
  /** Node subnet CIDR. */
  public readonly nodesCidr: string;
  /** Pod secondary range CIDR. */
  public readonly podsCidr: string;
  /** Service secondary range CIDR. */
  public readonly servicesCidr: string;
  /** Node, pod, service, GPUDirect and proxy-only subnet ranges. */
  public readonly ipv4Ranges: readonly string[];
  /** The proxy-only subnet's range, when one is created. */
  public readonly proxyOnlySubnetCidr?: string;
  /** The proxy-only subnet, when created. */
  public readonly proxyOnlySubnet?: ComputeSubnetwork;
  /** The firewall rule admitting the proxy-only subnet to the serving ports, when created. */
  public readonly proxyOnlyFirewall?: ComputeFirewall;
  /** The cluster VPC. */
  public readonly resource: ComputeNetwork;
  /** The node subnet. */
  public readonly subnetwork: ComputeSubnetwork;
  /** The Cloud Router carrying the NAT. */
  public readonly router: ComputeRouter;
  /** Cloud NAT for egress from private nodes. */
  public readonly nat: ComputeRouterNat;
  /** `resource.id`, read once: each attribute read creates a cdktf token. */
  private readonly networkId: string;

  constructor(scope: Construct, id: string, props: GkeNetworkProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    this.project = Validate.gcpProjectId(this, 'project', props.project);
    this.region = Validate.gcpRegion(this, 'region', props.region);
    if (props.gpuDirect !== undefined)
      Validate.oneOf(this, 'gpuDirect', props.gpuDirect, Object.values(GpuDirect));
    if (props.gpuDirectZone !== undefined)
      Validate.gcpZone(this, 'gpuDirectZone', props.gpuDirectZone, props.region);
    if (props.mtu !== undefined)
      Validate.integer(this, 'mtu', props.mtu, { min: 1300, max: 8896, reason: 'bytes' });
    const name = props.name ?? defaultName(id);
    this.gpuDirect = props.gpuDirect ?? GpuDirect.NONE;
    // Every resource name is `<name><suffix>` and at most 63 characters: the longest suffixes
    // are '-allow-internal' (15) and, for RDMA, '-gvnic-1-internal' (17).
    // '-allow-proxy-only' (17) with a proxy-only subnet.
    ValidationError.withScope(this, () =>
      validateGceName(
        'name',
        name,
        this.gpuDirect === GpuDirect.RDMA || props.proxyOnlySubnet !== undefined ? 46 : 48,
      ),
    );
    this.gpuDirectZone = props.gpuDirectZone;
    const mtu = props.mtu ?? 1460;

    const cidr = props.cidr ?? '10.0.0.0/12';
    const range = ValidationError.withScope(this, () => parseCidr('cidr', cidr));
    const p = prefixOf(range);
    if (p < 8 || p > 20) {
      throw new ValidationError(
        `'cidr' ('${cidr}') must be /8 to /20: pods take half of it and a /21 of pod addresses serves only 8 nodes. Use a /12 such as '10.0.0.0/12'.`,
        this,
      );
    }
    if (!isPrivate(range)) {
      throw new ValidationError(
        `'cidr' ('${cidr}') is not a private range: use a block inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10.`,
        this,
      );
    }
    this.podsCidr = subBlock(range, p + 1, 0);
    this.nodesCidr = subBlock(range, p + 4, 8);
    this.servicesCidr = subBlock(range, p + 4, 9);

    this.resource = new ComputeNetwork(this, 'Resource', {
      project: props.project,
      name,
      autoCreateSubnetworks: false,
      routingMode: 'REGIONAL',
      mtu,
    });
    this.networkId = this.resource.id;
    this.subnetwork = new ComputeSubnetwork(this, 'Nodes', {
      project: props.project,
      name: `${name}-nodes`,
      region: props.region,
      network: this.networkId,
      ipCidrRange: this.nodesCidr,
      privateIpGoogleAccess: true,
      secondaryIpRange: [
        { rangeName: this.podsRangeName, ipCidrRange: this.podsCidr },
        { rangeName: this.servicesRangeName, ipCidrRange: this.servicesCidr },
      ],
    });
    this.node.defaultChild = this.resource;
    this.networkName = this.resource.name;
    this.subnetworkName = this.subnetwork.name;

    this.router = new ComputeRouter(this, 'Router', {
      project: props.project,
      name: `${name}-router`,
      region: props.region,
      network: this.networkId,
    });
    this.nat = new ComputeRouterNat(this, 'Nat', {
      project: props.project,
      name: `${name}-nat`,
      region: props.region,
      router: this.router.name,
      natIpAllocateOption: 'AUTO_ONLY',
      sourceSubnetworkIpRangesToNat: 'ALL_SUBNETWORKS_ALL_IP_RANGES',
      logConfig: { enable: true, filter: 'ERRORS_ONLY' },
    });
    addCloudNatCost(this.nat);
    new ComputeFirewall(this, 'AllowInternal', {
      project: props.project,
      name: `${name}-allow-internal`,
      network: this.networkId,
      direction: 'INGRESS',
      sourceRanges: [this.nodesCidr, this.podsCidr, this.servicesCidr],
      allow: [{ protocol: 'tcp' }, { protocol: 'udp' }, { protocol: 'icmp' }],
    });

    this.gpuDirectNetworks = this.createGpuDirect(name, cidr, props);
    const ranges = [
      this.nodesCidr,
      this.podsCidr,
      this.servicesCidr,
      ...this.gpuDirectNetworks.map((n) => n.cidr),
    ];
    if (props.proxyOnlySubnet !== undefined) {
      const proxy = this.createProxyOnlySubnet(name, props, ranges);
      this.proxyOnlySubnetCidr = proxy.cidr;
      this.proxyOnlySubnet = proxy.subnet;
      this.proxyOnlyFirewall = proxy.firewall;
      ranges.push(proxy.cidr);
    }
    this.ipv4Ranges = ranges;
  }

  private createProxyOnlySubnet(
    name: string,
    props: GkeNetworkProps,
    taken: string[],
  ): { cidr: string; subnet: ComputeSubnetwork; firewall?: ComputeFirewall } {
    const opts = Validate.object<ProxyOnlySubnetOptions>(this, 'proxyOnlySubnet', props.proxyOnlySubnet);
    const cidr = Validate.string(this, 'proxyOnlySubnet.cidr', opts.cidr);
    const range = ValidationError.withScope(this, () => parseCidr('proxyOnlySubnet.cidr', cidr));
    if (prefixOf(range) > 26 || prefixOf(range) < 8) {
      throw new ValidationError(
        `'proxyOnlySubnet.cidr' ('${cidr}') must be /8 to /26: Google requires at least 64 addresses for the proxies ` +
          `(a /26) and recommends a /23.`,
        this,
        'number-range',
      );
    }
    if (!isPrivate(range)) {
      throw new ValidationError(
        `'proxyOnlySubnet.cidr' ('${cidr}') is not a private range: use a block inside 10.0.0.0/8, 172.16.0.0/12, ` +
          `192.168.0.0/16 or 100.64.0.0/10.`,
        this,
      );
    }
    for (const r of taken) {
      if (overlaps(cidr, r)) {
        throw new ValidationError(
          `'proxyOnlySubnet.cidr' ('${cidr}') overlaps the network's range '${r}' (nodes ${this.nodesCidr}, pods ` +
            `${this.podsCidr}, services ${this.servicesCidr}${this.gpuDirectNetworks.length ? ', GPUDirect subnets' : ''}): ` +
            `subnets of one VPC cannot overlap. Pick a free block, for example the /23 after the services range.`,
          this,
        );
      }
    }
    const ports = Validate.array<number>(
      this,
      'proxyOnlySubnet.allowedPorts',
      opts.allowedPorts ?? [8000, 9002],
    );
    ports.forEach((port, i) =>
      Validate.integer(this, `proxyOnlySubnet.allowedPorts[${i}]`, port, { min: 1, max: 65535 }),
    );
    Validate.unique(this, 'proxyOnlySubnet.allowedPorts', ports);
    const subnet = new ComputeSubnetwork(this, 'ProxyOnlySubnet', {
      project: props.project,
      name: `${name}-proxy-only`,
      region: props.region,
      network: this.networkId,
      ipCidrRange: cidr,
      purpose: 'REGIONAL_MANAGED_PROXY',
      role: 'ACTIVE',
    });
    const firewall = ports.length
      ? new ComputeFirewall(this, 'AllowProxyOnly', {
          project: props.project,
          name: `${name}-allow-proxy-only`,
          network: this.networkId,
          direction: 'INGRESS',
          sourceRanges: [cidr],
          allow: [{ protocol: 'tcp', ports: ports.map(String) }],
        })
      : undefined;
    return { cidr, subnet, firewall };
  }

  /**
   * The GPUDirect networks in the shape the Kubernetes module's `GkeDeviceNetworks` takes (its
   * `networks` prop): per network the Kubernetes name pods request (`vpc1`.., `gvnic-1`,
   * `rdma-0`..), the VPC, the subnet and the device mode. Empty without GPUDirect.
   * @example
   * new k8s.GkeDeviceNetworks(workloads, 'GpuDirect', { networks: network.deviceNetworks, machineType: 'a3-megagpu-8g' });
   */
  public get deviceNetworks(): DeviceNetwork[] {
    return this.gpuDirectNetworks.map((n) => ({
      name: n.kubernetesName,
      vpc: n.vpcName,
      subnet: n.subnetName,
      deviceMode: n.deviceMode === 'RDMA' ? DeviceNetworkMode.RDMA : DeviceNetworkMode.NET_DEVICE,
    }));
  }

  /**
   * The in-cluster objects the GPUDirect networks need, as plain manifests: per network a
   * `GKENetworkParamSet` and a `Network` of the same name. Empty without GPUDirect.
   * @deprecated apply them with the Kubernetes module's `GkeDeviceNetworks` and
   * {@link GkeNetwork.deviceNetworks} (the same objects, rendered once); warns `deprecated-api`,
   * removed in the next minor release
   */
  public gpuDirectKubernetesManifests(): GpuDirectManifest[] {
    Warnings.add(
      this,
      DEPRECATED_WARNING_ID,
      `gpuDirectKubernetesManifests() is deprecated and will be removed in the next minor release: apply the objects with ` +
        `new k8s.GkeDeviceNetworks(workloads, 'GpuDirect', { networks: network.deviceNetworks }) in the workloads stack.`,
    );
    return gkeDeviceNetworkObjects(this.deviceNetworks).flatMap((o) => [o.paramSet, o.network]);
  }

  private createGpuDirect(name: string, mainCidr: string, props: GkeNetworkProps): GpuDirectNetwork[] {
    if (this.gpuDirect === GpuDirect.NONE) {
      if (props.gpuDirectZone !== undefined || props.gpuDirectCidr !== undefined) {
        Warnings.add(
          this,
          'gcp-gpudirect-props-unused',
          `'gpuDirectZone' / 'gpuDirectCidr' are set but 'gpuDirect' is NONE: no GPUDirect networks are created.`,
        );
      }
      return [];
    }
    const gdCidr = props.gpuDirectCidr ?? '192.168.0.0/16';
    const gdRange = ValidationError.withScope(this, () => parseCidr('gpuDirectCidr', gdCidr));
    if (prefixOf(gdRange) > 20) {
      throw new ValidationError(
        `'gpuDirectCidr' ('${gdCidr}') must be /20 or larger: it holds up to 9 /24 subnets.`,
        this,
      );
    }
    if (overlaps(gdCidr, mainCidr)) {
      throw new ValidationError(
        `'gpuDirectCidr' ('${gdCidr}') overlaps 'cidr' ('${mainCidr}'): pick disjoint blocks.`,
        this,
      );
    }
    const mtu = GPUDIRECT_MTU[this.gpuDirect];
    const out: GpuDirectNetwork[] = [];
    const addNet = (
      idSuffix: string,
      kubernetesName: string,
      index: number,
      deviceMode: 'NetDevice' | 'RDMA',
    ) => {
      const vpcName = `${name}-${kubernetesName}`;
      const network = new ComputeNetwork(this, `GpuDirectVpc${idSuffix}`, {
        project: props.project,
        name: vpcName,
        autoCreateSubnetworks: false,
        routingMode: 'REGIONAL',
        mtu,
      });
      const networkId = network.id;
      const cidr = subBlock(gdRange, 24, index);
      const subnetName = `${vpcName}-subnet`;
      const subnetwork = new ComputeSubnetwork(this, `GpuDirectSubnet${idSuffix}`, {
        project: props.project,
        name: subnetName,
        region: props.region,
        network: networkId,
        ipCidrRange: cidr,
      });
      new ComputeFirewall(this, `GpuDirectAllowInternal${idSuffix}`, {
        project: props.project,
        name: `${vpcName}-internal`,
        network: networkId,
        direction: 'INGRESS',
        sourceRanges: [cidr],
        allow: [{ protocol: 'tcp' }, { protocol: 'udp' }, { protocol: 'icmp' }],
      });
      out.push({ kubernetesName, vpcName, subnetName, deviceMode, cidr, network, subnetwork });
    };

    if (this.gpuDirect === GpuDirect.TCPX || this.gpuDirect === GpuDirect.TCPXO) {
      const n = this.gpuDirect === GpuDirect.TCPX ? 4 : 8;
      for (let i = 1; i <= n; i++) {
        addNet(`${i}`, `vpc${i}`, i - 1, 'NetDevice');
      }
      return out;
    }

    // RDMA (A3 Ultra): 1 extra gVNIC VPC and 1 RoCE VPC with 8 subnets.
    const zone = props.gpuDirectZone;
    if (!zone) {
      throw new ValidationError(
        `'gpuDirectZone' is required when 'gpuDirect' is RDMA: the RoCE VPC uses the zonal network profile 'projects/${props.project}/global/networkProfiles/<zone>-vpc-roce'. Set it to the zone of your A3 Ultra capacity, for example 'us-central1-b'.`,
        this,
      );
    }
    if (!unresolved(zone) && !zone.startsWith(`${props.region}-`)) {
      throw new ValidationError(`'gpuDirectZone' ('${zone}') is not in 'region' ('${props.region}').`, this);
    }
    addNet('Gvnic', 'gvnic-1', 0, 'NetDevice');
    const rdmaVpcName = `${name}-rdma`;
    const rdma = new ComputeNetwork(this, 'RdmaVpc', {
      project: props.project,
      name: rdmaVpcName,
      autoCreateSubnetworks: false,
      routingMode: 'REGIONAL',
      mtu,
      networkProfile: `projects/${props.project}/global/networkProfiles/${zone}-vpc-roce`,
    });
    for (let i = 0; i < 8; i++) {
      const cidr = subBlock(gdRange, 24, i + 1);
      const subnetName = `${rdmaVpcName}-subnet-${i}`;
      const subnetwork = new ComputeSubnetwork(this, `RdmaSubnet${i}`, {
        project: props.project,
        name: subnetName,
        region: props.region,
        network: rdma.id,
        ipCidrRange: cidr,
      });
      out.push({
        kubernetesName: `rdma-${i}`,
        vpcName: rdmaVpcName,
        subnetName,
        deviceMode: 'RDMA',
        cidr,
        network: rdma,
        subnetwork,
      });
    }
    return out;
  }
}
