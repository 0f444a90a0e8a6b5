import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { ValidationError, Warnings } from './errors';
import { Validate, VALIDATION_CODES } from './validation';

// The GPUDirect in-cluster objects of GKE multi-networking, defined once: the GCP module's
// `GkeNetwork` describes its GPUDirect networks in this shape and the Kubernetes module's
// `GkeDeviceNetworks` validates and renders them (reference/gcp.md §1.3, §5). Plain data and pure
// functions: core loads no provider package.

/** How a GKE device network is attached to pods (`GKENetworkParamSet.spec.deviceMode`). */
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

/** Metadata of a cluster-scoped GKE networking object. */
export interface GkeNetworkObjectMetadata {
  /** Object name (the device network's name). */
  readonly name: string;
  /** Labels: the library's `app.kubernetes.io/managed-by`. */
  readonly labels: Record<string, string>;
}

/** A cluster-scoped GKE networking object (`GKENetworkParamSet` or `Network`) as a plain manifest. */
export interface GkeNetworkObject {
  /** `networking.gke.io/v1`. */
  readonly apiVersion: string;
  /** `GKENetworkParamSet` or `Network`. */
  readonly kind: string;
  /** Object metadata: the name and the library's `app.kubernetes.io/managed-by` label. */
  readonly metadata: GkeNetworkObjectMetadata;
  /** The object's spec. */
  readonly spec: Record<string, unknown>;
}

/** The two objects of one device network. */
export interface GkeDeviceNetworkObjects {
  /** The network's name (both objects carry it). */
  readonly name: string;
  /** The `GKENetworkParamSet` (VPC, subnet, device mode). */
  readonly paramSet: GkeNetworkObject;
  /** The `Network` of type `Device` that references the param set; apply it after the param set. */
  readonly network: GkeNetworkObject;
}

/**
 * GPUDirect network layouts per machine type, `[NetDevice networks, RDMA networks]`
 * (reference/gcp.md §5; Cluster Toolkit `gpu_direct.tf`).
 */
export const GKE_GPUDIRECT_NETWORK_LAYOUTS: Readonly<Record<string, readonly [number, number]>> = {
  'a3-highgpu-8g': [4, 0],
  'a3-megagpu-8g': [8, 0],
  'a3-ultragpu-8g': [1, 8],
  'a4-highgpu-8g': [1, 8],
};

/**
 * Most characters of a Device network's name: GKE builds a UNIX domain socket path from it and
 * Linux caps those at 107 bytes (GKE "Set up multi-network support for Pods", limitations).
 */
export const GKE_DEVICE_NETWORK_NAME_MAX = 41;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Validates device networks (non-empty; names DNS labels of at most 41 characters, unique; VPC and
 * subnet Compute Engine names; a known device mode) and, when `machineType` is given, warns
 * (`k8s-gpudirect-network-count`) when the count differs from the machine's GPUDirect layout.
 * @param prop the prop the user set, for messages
 * @throws ValidationError naming `prop`
 */
export function validateDeviceNetworks(
  scope: IConstruct | undefined,
  prop: string,
  networks: unknown,
  machineType?: string,
): DeviceNetwork[] {
  const list = Validate.array<DeviceNetwork>(scope, prop, networks);
  list.forEach((n, i) => {
    Validate.object(scope, `${prop}[${i}]`, n);
    // The VPC and subnet names are Compute Engine names (GKENetworkParamSet spec.vpc / vpcSubnet).
    Validate.gcpResourceName(scope, `${prop}[${i}].vpc`, n.vpc);
    Validate.gcpResourceName(scope, `${prop}[${i}].subnet`, n.subnet);
    if (n.deviceMode !== undefined)
      Validate.oneOf(scope, `${prop}[${i}].deviceMode`, n.deviceMode, Object.values(DeviceNetworkMode));
    Validate.string(scope, `${prop}[].name`, n.name);
    if (
      !Token.isUnresolved(n.name) &&
      (!DNS_LABEL.test(n.name) || n.name.length > GKE_DEVICE_NETWORK_NAME_MAX)
    ) {
      throw new ValidationError(
        `'${prop}[].name' ('${n.name}') must be at most ${GKE_DEVICE_NETWORK_NAME_MAX} lower-case letters, digits or '-', starting and ending ` +
          `with a letter or digit (a Kubernetes DNS label; GKE caps Device network names at ${GKE_DEVICE_NETWORK_NAME_MAX}), for example 'vpc1'.`,
        scope,
        VALIDATION_CODES.K8S_DNS_LABEL,
      );
    }
  });
  if (machineType !== undefined) Validate.gcpMachineType(scope, 'machineType', machineType);
  if (list.length === 0) {
    throw new ValidationError(`'${prop}' is empty: give one entry per extra node network.`, scope);
  }
  const names = new Set<string>();
  for (const n of list) {
    if (names.has(n.name)) {
      throw new ValidationError(`'${prop}' lists '${n.name}' twice: names must be unique.`, scope);
    }
    names.add(n.name);
  }
  if (machineType) {
    const layout = GKE_GPUDIRECT_NETWORK_LAYOUTS[machineType];
    if (!layout) {
      throw new ValidationError(
        `'machineType' ('${machineType}') has no known GPUDirect layout. Known: ${Object.keys(GKE_GPUDIRECT_NETWORK_LAYOUTS).join(', ')}; omit machineType to skip the check.`,
        scope,
      );
    }
    const rdma = list.filter((n) => n.deviceMode === DeviceNetworkMode.RDMA).length;
    const netDevice = list.length - rdma;
    if (scope && (netDevice !== layout[0] || rdma !== layout[1])) {
      Warnings.add(
        scope,
        'k8s-gpudirect-network-count',
        `${machineType} expects ${layout[0]} NetDevice and ${layout[1]} RDMA networks for full GPUDirect bandwidth; ` +
          `got ${netDevice} and ${rdma}.`,
      );
    }
  }
  return list;
}

/**
 * The `GKENetworkParamSet` and `Network` (type `Device`) of each device network, in order: the one
 * rendering of these objects in the library.
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/setup-multinetwork-support-for-pods
 */
export function gkeDeviceNetworkObjects(networks: readonly DeviceNetwork[]): GkeDeviceNetworkObjects[] {
  const labels = { 'app.kubernetes.io/managed-by': 'cdktf-ai-infra' };
  return networks.map((n) => ({
    name: n.name,
    paramSet: {
      apiVersion: 'networking.gke.io/v1',
      kind: 'GKENetworkParamSet',
      metadata: { name: n.name, labels: { ...labels } },
      spec: { vpc: n.vpc, vpcSubnet: n.subnet, deviceMode: n.deviceMode ?? DeviceNetworkMode.NET_DEVICE },
    },
    network: {
      apiVersion: 'networking.gke.io/v1',
      kind: 'Network',
      metadata: { name: n.name, labels: { ...labels } },
      spec: {
        type: 'Device',
        parametersRef: { group: 'networking.gke.io', kind: 'GKENetworkParamSet', name: n.name },
      },
    },
  }));
}

/**
 * The GPUDirect transport each GKE GPU machine type's pods use across nodes (reference/gcp.md §5):
 * GPUDirect-TCPX on A3 High, GPUDirect-TCPXO on A3 Mega (both need the RxDM sidecar in every pod),
 * GPUDirect RDMA with the gIB NCCL plugin on A3 Ultra and A4. The values equal the Kubernetes
 * module's `GkeGpuDirectTransport` and the GCP module's `GpuDirect`.
 */
export const GKE_GPUDIRECT_MACHINE_TRANSPORTS: Readonly<Record<string, 'TCPX' | 'TCPXO' | 'RDMA'>> = {
  'a3-highgpu-8g': 'TCPX',
  'a3-megagpu-8g': 'TCPXO',
  'a3-ultragpu-8g': 'RDMA',
  'a4-highgpu-8g': 'RDMA',
};
