import { IConstruct } from 'constructs';
import {
  GKE_GPUDIRECT_MACHINE_TRANSPORTS,
  GKE_GPUDIRECT_NETWORK_LAYOUTS,
  Validate,
  ValidationError,
  Warnings,
} from '../core';
import type { GkeNcclPlugin } from './gke-nccl-plugin';
import { refuseHugePagesOnEksAutoMode } from './private/training-common';

/** The kind of network a multi-node model server's replicas talk over. */
export enum ServingFabricKind {
  /** AWS Elastic Fabric Adapter (`vpc.amazonaws.com/efa` devices from the EFA device plugin). */
  EFA = 'efa',
  /** GKE multi-networking: the GPUDirect (TCPX, TCPXO) or RDMA node networks attached to the pods. */
  GKE_DEVICE_NETWORKS = 'gke-device-networks',
  /** RDMA devices advertised by a device plugin (InfiniBand or RoCE on-prem, for example `rdma/ib`). */
  RDMA = 'rdma',
  /** The pod network only (TCP over Ethernet): works, many times slower across nodes. */
  ETHERNET = 'ethernet',
}

/** Options of {@link ServingFabric.efa}. */
export interface EfaServingFabricOptions {
  /**
   * EFA devices per node: all of them (32 on p5 / p5e, 16 on p5en, 4 on p4d); an EKS training or
   * multi-node inference node group reports it as `efaDevicesPerNode`.
   */
  readonly devicesPerNode: number;
  /**
   * `hugepages-2Mi` each pod requests, MiB: the EFA driver pre-allocates 5128 x 2 MiB pages on
   * the node, and AWS's EKS NCCL tests request 5210 MiB per pod (EKS User Guide `node-efa`).
   * @default 5210, or 0 with `eksAutoMode`
   */
  readonly hugePages2MiB?: number;
  /**
   * The pods run on EKS Auto Mode nodes (an `AutoModeGpuNodePool` of the AWS module), which
   * reserve no huge pages: none are requested, and `hugePages2MiB` above 0 is refused.
   * @default false
   */
  readonly eksAutoMode?: boolean;
}

/** Options of {@link ServingFabric.gkeDeviceNetworks}. */
export interface GkeDeviceNetworksFabricOptions {
  /**
   * Names of the GKE `Network` objects (type `Device`) to attach, in NIC order: the names given
   * to {@link GkeDeviceNetworks} (for example `vpc1` ... `vpc8` on A3 Mega, `gvnic-1` and
   * `rdma-0` ... `rdma-7` on A3 Ultra).
   */
  readonly networks: string[];
  /**
   * The GPU machine type of the node pool the pods run on (`a3-highgpu-8g`, `a3-megagpu-8g`,
   * `a3-ultragpu-8g`, `a4-highgpu-8g`). It decides what each pod needs for GPUDirect: the RxDM
   * sidecar, host mounts and NCCL environment of TCPX (A3 High) or TCPXO (A3 Mega), or the gIB
   * mounts and environment (A3 Ultra, A4); `ncclPlugin` must then be the matching installer.
   * @default - the transport of `ncclPlugin`; with neither, only the networks are attached
   */
  readonly machineType?: string;
  /**
   * The NCCL plugin installer of the cluster ({@link GkeNcclPlugin}): its transport must be the
   * machine type's. Required with a GPUDirect `machineType`.
   * @default - none: with `machineType` an error, without it only the networks are attached
   */
  readonly ncclPlugin?: GkeNcclPlugin;
}

/** What a fabric adds to each pod of a multi-node group. */
export interface ServingFabricPodSettings {
  /** Extended resources requested and limited per pod (EFA devices, huge pages, RDMA devices). */
  readonly resources: Record<string, string>;
  /** Pod annotations (GKE multi-networking). */
  readonly annotations: Record<string, string>;
  /**
   * The GKE GPUDirect transport whose pod parts the group gets on top (TCPX or TCPXO: the RxDM
   * sidecar, host mounts and NCCL environment; RDMA: the gIB mounts and environment).
   * @default - none
   */
  readonly gkeGpuDirect?: 'TCPX' | 'TCPXO' | 'RDMA';
}

const GKE_DEFAULT_INTERFACE = 'networking.gke.io/default-interface';
const GKE_INTERFACES = 'networking.gke.io/interfaces';
const EFA_RESOURCE = 'vpc.amazonaws.com/efa';
const EFA_POD_HUGE_PAGES_MIB = 5210;

/**
 * The fast network a model server whose replica spans nodes (tensor parallel inside a node,
 * pipeline parallel across nodes) uses between its leader and worker pods, the same fabric a
 * `TrainingJob` uses: EFA on AWS, the GPUDirect / RDMA device networks on GKE, RDMA devices on
 * prem, or plain Ethernet (accepted, with a warning).
 *
 * The fabric decides what each pod requests; the NCCL transport that uses it must be in the
 * image: the aws-ofi-nccl plugin for EFA (the stock `vllm/vllm-openai` image does not carry it:
 * aws-ia/terraform-aws-eks-blueprints `patterns/multi-node-vllm/Dockerfile` builds one), the
 * GPUDirect-TCPX/TCPXO or gIB plugins for GKE (installed by their DaemonSets, reference gcp.md §5).
 *
 * RDMA and EFA pin memory and need `IPC_LOCK`, which the Pod Security "restricted" and
 * "baseline" levels refuse: the pods of such a server are "privileged" in the Pod Security
 * sense ({@link ModelServer.podSecurityLevel}); everything else stays restricted. So are GKE
 * GPUDirect pods (`gkeDeviceNetworks` with `machineType`): they mount the NCCL plugin's host paths
 * and, on A3 High / Mega, run Google's RxDM sidecar as root with NET_ADMIN.
 *
 * @example
 * ServingFabric.efa({ devicesPerNode: 32 })                  // 2 x p5.48xlarge
 * ServingFabric.gkeDeviceNetworks({ networks: ['vpc1', 'vpc2', 'vpc3', 'vpc4'] })
 * ServingFabric.rdma({ 'rdma/ib': 8 })                        // on-prem InfiniBand
 */
export class ServingFabric {
  /**
   * AWS EFA: every EFA device of the node and the huge pages the EFA driver needs.
   * @see https://docs.aws.amazon.com/eks/latest/userguide/node-efa.html
   */
  public static efa(options: EfaServingFabricOptions): ServingFabric {
    return new ServingFabric(ServingFabricKind.EFA, (scope) => {
      Validate.object(scope, 'fabric (efa options)', options);
      const devices = Validate.integer(scope, 'fabric.devicesPerNode', options.devicesPerNode, {
        min: 1,
        max: 32,
        reason: '32 on p5 / p5e, 16 on p5en, 4 on p4d',
      });
      if (options.eksAutoMode !== undefined)
        Validate.boolean(scope, 'fabric.eksAutoMode', options.eksAutoMode);
      const autoMode = options.eksAutoMode ?? false;
      const hugePages = Validate.integer(
        scope,
        'fabric.hugePages2MiB',
        options.hugePages2MiB ?? (autoMode ? 0 : EFA_POD_HUGE_PAGES_MIB),
        { min: 0, max: 1_048_576 },
      );
      if (autoMode && hugePages > 0) {
        refuseHugePagesOnEksAutoMode(scope, 'fabric.hugePages2MiB', ['hugepages-2Mi']);
      }
      return {
        resources: {
          [EFA_RESOURCE]: String(devices),
          ...(hugePages > 0 ? { 'hugepages-2Mi': `${hugePages}Mi` } : {}),
        },
        annotations: {},
      };
    });
  }

  /**
   * GKE multi-networking: attaches the node pool's extra networks to every pod of the group
   * (`networking.gke.io/interfaces`, eth0 on the default network, then one interface per network
   * in order), as GKE's GPUDirect-TCPX / TCPXO / RDMA guides do. The `Network` objects come from
   * {@link GkeDeviceNetworks}; the NCCL plugin installers are {@link GkeNcclPlugin}. With
   * `machineType` (and the matching `ncclPlugin`) the pods also get what that machine's GPUDirect
   * needs: the RxDM sidecar, host mounts and NCCL environment of TCPX (a3-highgpu-8g) or TCPXO
   * (a3-megagpu-8g), or the gIB mounts (a3-ultragpu-8g, a4-highgpu-8g), from Google's manifests at
   * the pinned container-engine-accelerators commit; each pod must take all 8 GPUs of its node.
   * @see https://cloud.google.com/kubernetes-engine/docs/how-to/gpu-bandwidth-gpudirect-tcpx
   */
  public static gkeDeviceNetworks(options: GkeDeviceNetworksFabricOptions): ServingFabric {
    return new ServingFabric(ServingFabricKind.GKE_DEVICE_NETWORKS, (scope) => {
      Validate.object(scope, 'fabric (GKE device network options)', options);
      const networks = Validate.array<string>(scope, 'fabric.networks', options.networks);
      if (networks.length === 0 || networks.length > 9) {
        throw new ValidationError(
          `'fabric.networks' has ${networks.length} entries: give the 1 to 9 device networks of the node pool (4 on a3-highgpu-8g, 8 on a3-megagpu-8g, 9 on a3-ultragpu-8g and a4-highgpu-8g).`,
          scope,
        );
      }
      // GKE caps Device network names at 41 characters (GkeDeviceNetworks checks the same).
      networks.forEach((n, i) =>
        Validate.k8sDnsLabel(scope, `fabric.networks[${i}]`, n, {
          maxLength: 41,
          what: 'a GKE Network name',
        }),
      );
      Validate.unique(scope, 'fabric.networks', networks);
      const gkeGpuDirect = gpuDirectTransport(scope, options, networks.length);
      const interfaces = [
        { interfaceName: 'eth0', network: 'default' },
        ...networks.map((network, i) => ({ interfaceName: `eth${i + 1}`, network })),
      ];
      return {
        resources: {},
        annotations: { [GKE_DEFAULT_INTERFACE]: 'eth0', [GKE_INTERFACES]: JSON.stringify(interfaces) },
        ...(gkeGpuDirect ? { gkeGpuDirect } : {}),
      };
    });
  }

  /**
   * RDMA devices from a device plugin, for example `{ 'rdma/ib': 8 }` (NVIDIA Network Operator's
   * RDMA shared device plugin) or `{ 'rdma/rdma_shared_device_a': 1 }`.
   */
  public static rdma(resourcesPerPod: Record<string, number>): ServingFabric {
    return new ServingFabric(ServingFabricKind.RDMA, (scope) => {
      const entries = Object.entries(
        Validate.object<Record<string, number>>(scope, 'fabric (RDMA resources)', resourcesPerPod),
      );
      if (entries.length === 0) {
        throw new ValidationError(
          `'fabric' ServingFabric.rdma({}) names no resource: give the device plugin's resource and count, for example { 'rdma/ib': 8 }.`,
          scope,
        );
      }
      const resources: Record<string, string> = {};
      for (const [key, count] of entries) {
        if (!/^rdma\/[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/.test(key)) {
          throw new ValidationError(
            `'fabric' resource '${key}' is not an RDMA device-plugin resource: use 'rdma/<name>', for example 'rdma/ib'.`,
            scope,
          );
        }
        resources[key] = String(Validate.integer(scope, `fabric['${key}']`, count, { min: 1, max: 64 }));
      }
      return { resources, annotations: {} };
    });
  }

  /**
   * No fast fabric: the group talks TCP over the pod network. Legal, and a synth-time warning
   * says what it costs (pipeline-parallel activations and NCCL all-reduces cross the node NIC).
   */
  public static ethernet(): ServingFabric {
    return new ServingFabric(ServingFabricKind.ETHERNET, () => ({ resources: {}, annotations: {} }));
  }

  private constructor(
    /** The fabric kind. */
    public readonly kind: ServingFabricKind,
    private readonly render: (scope: IConstruct) => ServingFabricPodSettings,
  ) {}

  /** What each pod of the group requests and carries; validates the options on `scope`. */
  public podSettings(scope: IConstruct): ServingFabricPodSettings {
    return this.render(scope);
  }
}

/**
 * The GPUDirect transport a GKE device-network fabric's pods need: the machine type's (which
 * requires the matching `ncclPlugin`), else the plugin's; none when neither is given (warned).
 * The NCCL environment names the interfaces eth1..ethN, so the network count must be the machine's.
 */
function gpuDirectTransport(
  scope: IConstruct,
  options: GkeDeviceNetworksFabricOptions,
  networkCount: number,
): 'TCPX' | 'TCPXO' | 'RDMA' | undefined {
  const kinds = ['TCPX', 'TCPXO', 'RDMA'] as const;
  let required: 'TCPX' | 'TCPXO' | 'RDMA' | undefined;
  if (options.machineType !== undefined) {
    const machine = Validate.gcpMachineType(scope, 'fabric.machineType', options.machineType);
    required = GKE_GPUDIRECT_MACHINE_TRANSPORTS[machine];
    if (!required) {
      throw new ValidationError(
        `'fabric.machineType' ('${machine}') has no GKE GPUDirect transport: use one of ${Object.keys(GKE_GPUDIRECT_MACHINE_TRANSPORTS).join(', ')}, or omit machineType to attach the networks only.`,
        scope,
      );
    }
  }
  const plugin = options.ncclPlugin;
  let installed: 'TCPX' | 'TCPXO' | 'RDMA' | undefined;
  if (plugin !== undefined) {
    const transport = (plugin as { transport?: unknown } | null)?.transport;
    if (!kinds.includes(transport as (typeof kinds)[number])) {
      throw new ValidationError(
        `'fabric.ncclPlugin' must be a GkeNcclPlugin (new GkeNcclPlugin(platform, 'NcclPlugin', { transport })), got ${typeof plugin === 'object' ? JSON.stringify(transport) : typeof plugin}.`,
        scope,
        'type',
      );
    }
    installed = transport as 'TCPX' | 'TCPXO' | 'RDMA';
  }
  if (required && installed === undefined) {
    throw new ValidationError(
      `'fabric.ncclPlugin' is missing: '${options.machineType}' pods reach each other over GPUDirect-${required} only with the NCCL plugin ` +
        `GkeNcclPlugin installs on the nodes. Create new GkeNcclPlugin(platform, 'NcclPlugin', { transport: GkeGpuDirectTransport.${required} }) ` +
        `in the platform stack and pass it as 'fabric.ncclPlugin'.`,
      scope,
    );
  }
  if (required && installed !== required) {
    throw new ValidationError(
      `'fabric.ncclPlugin' installs the ${installed} plugin, but '${options.machineType}' uses GPUDirect-${required}: ` +
        `create the GkeNcclPlugin with transport GkeGpuDirectTransport.${required} (the GkeNetwork's gpuDirect), or fix 'fabric.machineType'.`,
      scope,
    );
  }
  const kind = required ?? installed;
  if (kind === undefined) {
    Warnings.add(
      scope,
      'k8s-gpudirect-networks-only',
      `'fabric' attaches ${networkCount} GKE device networks but names neither 'machineType' nor 'ncclPlugin': the pods get the ` +
        `interfaces only, no RxDM sidecar (TCPX, TCPXO) or gIB environment, so NCCL does not use GPUDirect. Give both.`,
    );
    return undefined;
  }
  const machine =
    options.machineType ??
    Object.keys(GKE_GPUDIRECT_MACHINE_TRANSPORTS).find((m) => GKE_GPUDIRECT_MACHINE_TRANSPORTS[m] === kind)!;
  const layout = GKE_GPUDIRECT_NETWORK_LAYOUTS[machine];
  const expected = layout[0] + layout[1];
  if (networkCount !== expected) {
    throw new ValidationError(
      `'fabric.networks' has ${networkCount} entries, but GPUDirect-${kind} pods use ${expected} (${layout[0]} NetDevice` +
        `${layout[1] ? ` + ${layout[1]} RDMA` : ''} networks, eth1..eth${expected} in the NCCL environment): give every device network of the node pool, in NIC order.`,
      scope,
    );
  }
  return kind;
}
