import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Construct } from 'constructs';
import { Validate, ValidationError } from '../core';
import { applyManifestBundle } from './private/manifest-bundle';
import { GKE_GPUDIRECT_MANIFESTS, PinnedManifestBundle } from './versions';

/**
 * The GPUDirect transport of a GKE GPU node pool. The values equal the GCP module's `GpuDirect`
 * (`network.gpuDirect` can be passed as is).
 */
export enum GkeGpuDirectTransport {
  /** GPUDirect-TCPX (`a3-highgpu-8g`). */
  TCPX = 'TCPX',
  /** GPUDirect-TCPXO (`a3-megagpu-8g`). */
  TCPXO = 'TCPXO',
  /** GPUDirect RDMA over RoCE with the gIB NCCL plugin (`a3-ultragpu-8g`, `a4-highgpu-8g`). */
  RDMA = 'RDMA',
}

/** Properties of {@link GkeNcclPlugin}. */
export interface GkeNcclPluginProps {
  /**
   * The transport of the cluster's GPUDirect pools: a `GkeGpuDirectTransport`, or the GCP
   * module's `GpuDirect` value of the network (`network.gpuDirect`; NONE is refused).
   */
  readonly transport: GkeGpuDirectTransport | string;
}

/** What each transport installs (reference/gcp.md §1.3, §5). */
const INSTALLS: Record<GkeGpuDirectTransport, { installer: PinnedManifestBundle; nri: boolean }> = {
  [GkeGpuDirectTransport.TCPX]: { installer: GKE_GPUDIRECT_MANIFESTS.ncclTcpxInstaller, nri: true },
  [GkeGpuDirectTransport.TCPXO]: { installer: GKE_GPUDIRECT_MANIFESTS.ncclTcpxoInstaller, nri: true },
  [GkeGpuDirectTransport.RDMA]: { installer: GKE_GPUDIRECT_MANIFESTS.ncclRdmaInstaller, nri: false },
};

/**
 * The node side of GKE GPUDirect for multi-node NCCL: the NCCL plugin installer DaemonSet of
 * the transport (GPUDirect-TCPX on A3 High, TCPXO on A3 Mega, gIB / RDMA on A3 Ultra and A4),
 * which copies the plugin and its NCCL build to `/home/kubernetes/bin` on every node of that
 * GPU type, and for TCPX and TCPXO the NRI device injector that puts GPU devices into the RxDM
 * sidecar of the pods. Google's own manifests are applied as published (never vendored), pinned
 * to one commit of GoogleCloudPlatform/container-engine-accelerators ({@link GKE_GPUDIRECT_MANIFESTS});
 * Terraform's `http` data source reads them at plan time.
 *
 * These DaemonSets are privileged by nature (host network and PID, privileged init containers
 * that write to the host and load a kernel module): they run in `kube-system`, where Google's
 * manifests put them, which must stay at the Pod Security "privileged" level (GKE's default: no
 * enforce label). Workload namespaces keep their own levels.
 *
 * Pair it with {@link GkeDeviceNetworks} (the `Network` objects the pods attach). The pods' side
 * comes with their fabric: pass this construct as `ncclPlugin` to
 * `ServingFabric.gkeDeviceNetworks({ networks, machineType, ncclPlugin })` of a `TrainingJob` or
 * multi-node `ModelServer`, which adds the RxDM sidecar (`tcpgpudmarxd`, TCPX / TCPXO), host mounts
 * and NCCL environment of this plugin's version, or the gIB mounts (RDMA).
 *
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/gpu-bandwidth-gpudirect-tcpx
 * @see https://cloud.google.com/ai-hypercomputer/docs/create/gke-ai-hypercompute-custom
 * @example
 * new GkeNcclPlugin(platform, 'NcclPlugin', { transport: GkeGpuDirectTransport.RDMA });
 */
export class GkeNcclPlugin extends Construct {
  /** The transport. */
  public readonly transport: GkeGpuDirectTransport;
  /** The NCCL plugin installer DaemonSet (one `kubernetes_manifest` per document of the pinned file). */
  public readonly installer: Manifest;
  /** The NRI device injector DaemonSet, for TCPX and TCPXO. */
  public readonly nriDeviceInjector?: Manifest;

  constructor(scope: Construct, id: string, props: GkeNcclPluginProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    Validate.string(this, 'transport', props.transport);
    if (props.transport === 'NONE') {
      throw new ValidationError(
        `'transport' is NONE: the network has no GPUDirect, so there is no NCCL plugin to install. Create the GkeNetwork with gpuDirect TCPX, TCPXO or RDMA, or drop this construct.`,
        this,
      );
    }
    const transport = Validate.oneOf(
      this,
      'transport',
      props.transport,
      Object.values(GkeGpuDirectTransport),
    ) as GkeGpuDirectTransport;
    this.transport = transport;
    const plan = INSTALLS[transport];
    this.installer = applyManifestBundle(this, 'Installer', plan.installer.url).objects;
    if (plan.nri) {
      this.nriDeviceInjector = applyManifestBundle(
        this,
        'NriDeviceInjector',
        GKE_GPUDIRECT_MANIFESTS.nriDeviceInjector.url,
      ).objects;
    }
  }
}
