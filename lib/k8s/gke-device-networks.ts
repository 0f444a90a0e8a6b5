import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Construct } from 'constructs';
import { DeviceNetworkMode, gkeDeviceNetworkObjects, Validate, validateDeviceNetworks } from '../core';
import type { DeviceNetwork } from '../core';

// The shape and the rendering live in core (one implementation for the GCP and Kubernetes
// modules); re-exported here, where users of this construct look for them.
export { DeviceNetworkMode };
export type { DeviceNetwork };

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

/**
 * The in-cluster half of GKE GPUDirect: a `GKENetworkParamSet` and a `Network` (type `Device`)
 * for every extra node NIC, so pods can attach them (GPUDirect-TCPX / TCPXO / RDMA). The VPCs,
 * subnets and the node pool's `additional_node_network_configs` are created by the GCP module;
 * their names arrive here as plain strings.
 *
 * GKE installs these CRDs itself when the cluster has multi-networking enabled, so this
 * construct can go in any stack applied after the cluster. A `GkeNetwork` of the GCP module
 * gives its networks in this shape (`network.deviceNetworks`). The NCCL plugin installers and the
 * NRI device injector are {@link GkeNcclPlugin}.
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
    const networks = validateDeviceNetworks(this, 'networks', props.networks, props.machineType);
    for (const o of gkeDeviceNetworkObjects(networks)) {
      const paramSet = new Manifest(this, `ParamSet-${o.name}`, { manifest: o.paramSet });
      this.paramSets[o.name] = paramSet;
      this.networks[o.name] = new Manifest(this, `Network-${o.name}`, {
        manifest: o.network,
        dependsOn: [paramSet],
      });
    }
  }
}
