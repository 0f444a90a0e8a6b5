import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { Validate, ValidationError, Warnings } from '../core';
import { MANAGED_BY, assertDnsLabel } from './private/common';

/** How a GKE device network is attached to pods. */
export enum DeviceNetworkMode {
  /** A network device (gVNIC) in the pod: GPUDirect-TCPX / TCPXO and the extra gVNIC of A3 Ultra / A4. */
  NET_DEVICE = 'NetDevice',
  /** An RDMA device (RoCE, MRDMA NICs of A3 Ultra / A4). */
  RDMA = 'RDMA',
}

/** One extra node network, as attached to the node pool (`additional_node_network_configs`). */
export interface DeviceNetwork {
  /**
   * Name of the `GKENetworkParamSet` and `Network`; pods reference it (for example `vpc1`, `rdma-0`).
   * A DNS label of at most 41 characters (GKE limit for Device networks).
   */
  readonly name: string;
  /** VPC network name. */
  readonly vpc: string;
  /** Subnetwork name. */
  readonly subnet: string;
  /**
   * Device mode.
   * @default DeviceNetworkMode.NET_DEVICE
   */
  readonly deviceMode?: DeviceNetworkMode;
}

/** Properties of {@link GkeDeviceNetworks}. */
export interface GkeDeviceNetworksProps {
  /** The extra networks, one per additional node NIC. */
  readonly networks: DeviceNetwork[];
  /**
   * The GPU machine type, to check the number of networks against GKE's GPUDirect layout
   * (4 for `a3-highgpu-8g`, 8 for `a3-megagpu-8g`, 1 gVNIC + 8 RDMA for `a3-ultragpu-8g` and
   * `a4-highgpu-8g`; reference gcp.md §5).
   * @default - not checked
   */
  readonly machineType?: string;
}

/** GPUDirect network layouts per machine type (reference gcp.md §5): [NetDevice networks, RDMA networks]. */
const LAYOUTS: Record<string, [number, number]> = {
  'a3-highgpu-8g': [4, 0],
  'a3-megagpu-8g': [8, 0],
  'a3-ultragpu-8g': [1, 8],
  'a4-highgpu-8g': [1, 8],
};

/**
 * The in-cluster half of GKE GPUDirect: a `GKENetworkParamSet` and a `Network` (type `Device`)
 * for every extra node NIC, so pods can attach them (GPUDirect-TCPX / TCPXO / RDMA). The VPCs,
 * subnets and the node pool's `additional_node_network_configs` are created by the GCP module;
 * their names arrive here as plain strings.
 *
 * GKE installs these CRDs itself when the cluster has multi-networking enabled, so this
 * construct can go in any stack applied after the cluster. The NCCL plugin installer
 * DaemonSets, the NRI device injector and the RxDM sidecar (TCPX / TCPXO) are not part of it.
 *
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/gpu-bandwidth-gpudirect-tcpx
 * @example
 * new GkeDeviceNetworks(workloads, 'GpuDirect', {
 *   machineType: 'a3-megagpu-8g',
 *   networks: [1, 2, 3, 4, 5, 6, 7, 8].map((i) => ({ name: `vpc${i}`, vpc: `train-gpu-${i}`, subnet: `train-gpu-${i}` })),
 * });
 */
export class GkeDeviceNetworks extends Construct {
  /** The `Network` objects by name. */
  public readonly networks: Record<string, Manifest> = {};
  /** The `GKENetworkParamSet` objects by name. */
  public readonly paramSets: Record<string, Manifest> = {};

  constructor(scope: Construct, id: string, props: GkeDeviceNetworksProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    Validate.array<DeviceNetwork>(this, 'networks', props.networks).forEach((n, i) => {
      Validate.object(this, `networks[${i}]`, n);
      // The VPC and subnet names are Compute Engine names (GKENetworkParamSet spec.vpc / vpcSubnet).
      Validate.gcpResourceName(this, `networks[${i}].vpc`, n.vpc);
      Validate.gcpResourceName(this, `networks[${i}].subnet`, n.subnet);
      if (n.deviceMode !== undefined)
        Validate.oneOf(this, `networks[${i}].deviceMode`, n.deviceMode, Object.values(DeviceNetworkMode));
    });
    if (props.machineType !== undefined) Validate.gcpMachineType(this, 'machineType', props.machineType);
    if (props.networks.length === 0) {
      throw new ValidationError(`'networks' is empty: give one entry per extra node network.`, this);
    }
    const names = new Set<string>();
    for (const n of props.networks) {
      // GKE builds a UNIX domain socket path from a Device network's name and Linux caps those
      // at 107 bytes: Device network names are at most 41 characters (GKE "Set up multi-network
      // support for Pods", limitations).
      assertDnsLabel(this, 'networks[].name', n.name, 41);
      if (names.has(n.name)) {
        throw new ValidationError(`'networks' lists '${n.name}' twice: names must be unique.`, this);
      }
      names.add(n.name);
      for (const [k, v] of [
        ['vpc', n.vpc],
        ['subnet', n.subnet],
      ] as const) {
        if (!Token.isUnresolved(v) && (typeof v !== 'string' || v.trim() === '')) {
          throw new ValidationError(`'networks' '${n.name}': '${k}' must be a non-empty name.`, this);
        }
      }
    }
    if (props.machineType) {
      const layout = LAYOUTS[props.machineType];
      if (!layout) {
        throw new ValidationError(
          `'machineType' ('${props.machineType}') has no known GPUDirect layout. Known: ${Object.keys(LAYOUTS).join(', ')}; omit machineType to skip the check.`,
          this,
        );
      }
      const rdma = props.networks.filter((n) => n.deviceMode === DeviceNetworkMode.RDMA).length;
      const netDevice = props.networks.length - rdma;
      if (netDevice !== layout[0] || rdma !== layout[1]) {
        Warnings.add(
          this,
          'k8s-gpudirect-network-count',
          `${props.machineType} expects ${layout[0]} NetDevice and ${layout[1]} RDMA networks for full GPUDirect bandwidth; ` +
            `got ${netDevice} and ${rdma}.`,
        );
      }
    }

    for (const n of props.networks) {
      const paramSet = new Manifest(this, `ParamSet-${n.name}`, {
        manifest: {
          apiVersion: 'networking.gke.io/v1',
          kind: 'GKENetworkParamSet',
          metadata: { name: n.name, labels: { ...MANAGED_BY } },
          spec: { vpc: n.vpc, vpcSubnet: n.subnet, deviceMode: n.deviceMode ?? DeviceNetworkMode.NET_DEVICE },
        },
      });
      this.paramSets[n.name] = paramSet;
      this.networks[n.name] = new Manifest(this, `Network-${n.name}`, {
        manifest: {
          apiVersion: 'networking.gke.io/v1',
          kind: 'Network',
          metadata: { name: n.name, labels: { ...MANAGED_BY } },
          spec: {
            type: 'Device',
            parametersRef: { group: 'networking.gke.io', kind: 'GKENetworkParamSet', name: n.name },
          },
        },
        dependsOn: [paramSet],
      });
    }
  }
}
