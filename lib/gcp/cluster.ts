import { ComputeFirewall } from '@cdktf/provider-google/lib/compute-firewall';
import { ContainerCluster } from '@cdktf/provider-google/lib/container-cluster';
import { DataGoogleContainerCluster } from '@cdktf/provider-google/lib/data-google-container-cluster';
import { ContainerNodePool } from '@cdktf/provider-google/lib/container-node-pool';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { Fn, TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import {
  Accelerator,
  KubernetesProviderConfig,
  poolNodeLabels,
  renamedProp,
  Validate,
  ValidationError,
  Warnings,
} from '../core';
import { readOnce } from '../core/private/read-once';
import { InferenceNodePool, InferenceNodePoolOptions } from './inference-node-pool';
import { GPU_MACHINE_TYPES, GpuDirect } from './machine-types';
import { GpuDirectNetwork, IGkeCluster, IGkeNetwork, NodeAutoProvisioningLimits } from './interfaces';
import { overlaps, parseCidr, prefixOf } from './private/cidr';
import { defaultName, unresolved, validateGceName } from './private/names';
import { gkeNodeIdentity } from './private/node-identity';
import { addGkeClusterCost, addSystemNodesCost } from './private/service-prices';
import { TrainingNodePool, TrainingNodePoolOptions } from './training-node-pool';

/** GKE release channel. */
export enum ReleaseChannel {
  /** Newest versions, weeks after upstream release. */
  RAPID = 'RAPID',
  /** The default: versions qualified in RAPID for a few months. */
  REGULAR = 'REGULAR',
  /** Versions qualified in REGULAR; slowest upgrades. */
  STABLE = 'STABLE',
  /** A minor version kept beyond standard support (extra cost). */
  EXTENDED = 'EXTENDED',
}

/**
 * Gateway API channel of a GKE cluster (`gateway_api_config.channel`): GKE installs the Gateway
 * API CRDs of the channel and runs its managed Gateway controller (the GatewayClasses
 * `gke-l7-rilb`, `gke-l7-regional-external-managed`, ...). GKE Inference Gateway needs STANDARD
 * and, from 1.34.0-gke.1626000, GKE also installs the InferencePool CRD.
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/deploying-gateways#enable-gateway
 */
export enum GatewayApiChannel {
  /** The GA Gateway API resources. */
  STANDARD = 'CHANNEL_STANDARD',
  /** Standard plus experimental resources (deprecated by GKE for new clusters). */
  EXPERIMENTAL = 'CHANNEL_EXPERIMENTAL',
  /** Gateway API off. */
  DISABLED = 'CHANNEL_DISABLED',
}

/** A CIDR block allowed to reach the control plane. */
export interface AuthorizedNetwork {
  /** CIDR block, for example `203.0.113.0/24`. */
  readonly cidrBlock: string;
  /**
   * Display name.
   * @default - the CIDR block
   */
  readonly displayName?: string;
}

/** The small non-GPU pool that runs system pods (DNS, metrics, operators). */
export interface SystemNodePoolOptions {
  /**
   * Machine type: a general-purpose one (accelerator-optimized A2, A3, A4, A4X, G2 and G4 types are
   * refused: the system pool cannot use their GPUs).
   * @default 'e2-standard-4'
   */
  readonly machineType?: string;
  /**
   * Fewest nodes per zone.
   * @default 1
   */
  readonly minNodesPerZone?: number;
  /**
   * Most nodes per zone.
   * @default 3
   */
  readonly maxNodesPerZone?: number;
}

/** A GPU model node auto-provisioning may create nodes with, and how many GPUs at most. */
export interface AutoProvisionedGpuLimit {
  /** The GPU model: every GCE accelerator type of it is allowed (H100: `nvidia-h100-80gb` and `nvidia-h100-mega-80gb`). */
  readonly accelerator: Accelerator;
  /** Most GPUs of this model in the cluster (1 to 100,000). */
  readonly maxGpus: number;
}

/**
 * Cluster-level node auto-provisioning (`cluster_autoscaling`): GKE creates node pools for
 * pending pods within these limits, as the cluster's node service account (never the Compute
 * Engine default one), with auto-repair, auto-upgrade and Shielded nodes. GKE clusters before
 * 1.33.3-gke.1136000 need it for a ComputeClass to create node pools; later ones do not.
 * The limits cap the whole cluster, the system pool and every manual pool included.
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/node-auto-provisioning
 */
export interface NodeAutoProvisioningOptions {
  /** The GPU models auto-provisioned nodes may carry; at least one. */
  readonly gpus: AutoProvisionedGpuLimit[];
  /** Most vCPUs of all nodes of the cluster (`resource_limits` `cpu`). */
  readonly maxCpus: number;
  /** Most memory of all nodes of the cluster, GB (`resource_limits` `memory`). */
  readonly maxMemoryGb: number;
}

/** Properties of {@link GkeCluster}. */
export interface GkeClusterProps {
  /** The VPC (a {@link GkeNetwork}). */
  readonly network: IGkeNetwork;
  /**
   * Cluster name (1-40 characters: lower-case letters, digits and `-`).
   * @default - the construct id in kebab case
   */
  readonly clusterName?: string;
  /**
   * Cluster name.
   * @deprecated renamed `clusterName` (its name in every module); warns `deprecated-api`, removed in the next minor release
   * @default - the construct id in kebab case
   */
  readonly name?: string;
  /**
   * Region (regional cluster) or zone (zonal cluster).
   * @default - the network's region
   */
  readonly location?: string;
  /**
   * Zones of a regional cluster's nodes.
   * @default - GKE picks the region's zones
   */
  readonly nodeLocations?: string[];
  /**
   * Release channel.
   * @default ReleaseChannel.REGULAR
   */
  readonly releaseChannel?: ReleaseChannel;
  /**
   * Minimum control-plane version (`min_master_version`), for example `1.32.11-gke.1174000`.
   * GPUDirect pools warn when it is below the floors of reference/gcp.md §5.
   * @default - the release channel's default version
   */
  readonly kubernetesVersion?: string;
  /**
   * Refuse `terraform destroy` of the cluster.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * The /28 of the control plane's private endpoint.
   * @default '172.16.0.0/28'
   */
  readonly masterIpv4CidrBlock?: string;
  /**
   * TCP ports on the nodes the control plane may reach besides the 443 and 10250 GKE opens
   * itself: admission webhooks and aggregated API servers (KEDA's metrics server on 6443 and
   * webhooks on 9443, Kueue / JobSet / LeaderWorkerSet webhooks on 9443, 8443). Without this
   * rule a private cluster's API server times out calling them.
   * @default [6443, 8443, 9443]
   * @see https://cloud.google.com/kubernetes-engine/docs/how-to/private-clusters#add_firewall_rules
   */
  readonly controlPlaneToNodePorts?: number[];
  /**
   * Make the control plane reachable only on its private endpoint.
   * @default false - a public endpoint restricted to `masterAuthorizedNetworks`
   */
  readonly privateEndpoint?: boolean;
  /**
   * Networks allowed to reach the control plane (CI runners, VPN). Nodes and the VPC always can.
   * @default - none: only the VPC can reach the control plane
   */
  readonly masterAuthorizedNetworks?: AuthorizedNetwork[];
  /**
   * Multi-networking + ADVANCED_DATAPATH, needed by GPUDirect pools. Immutable: set at creation.
   * @default - true when the network has GPUDirect VPCs
   */
  readonly multiNetworking?: boolean;
  /**
   * GKE-managed DCGM GPU metrics into Managed Prometheus (needs Google-managed drivers).
   * @default true
   */
  readonly dcgmMonitoring?: boolean;
  /**
   * The system node pool.
   * @default - e2-standard-4, 1 to 3 nodes per zone
   */
  readonly systemNodePool?: SystemNodePoolOptions;
  /**
   * Parallelstore CSI driver add-on.
   * @default false
   */
  readonly parallelstoreCsi?: boolean;
  /**
   * Managed Lustre CSI driver add-on.
   * @default false
   */
  readonly lustreCsi?: boolean;
  /**
   * The Gateway API channel (GKE's managed Gateway controller and CRDs), for GKE Inference
   * Gateway (`GatewayImplementation.gke()` of the Kubernetes module). Its regional gateway
   * classes also need a proxy-only subnet in the region (`GkeNetworkProps.proxyOnlySubnet`).
   * @default - not set: GKE's default, Gateway API off
   */
  readonly gatewayApi?: GatewayApiChannel;
  /**
   * Node auto-provisioning with its resource limits, for ComputeClasses on GKE before
   * 1.33.3-gke.1136000 or for pods that name a GPU model without a class.
   * @default - off: GPU nodes come from node pools and ComputeClasses
   */
  readonly nodeAutoProvisioning?: NodeAutoProvisioningOptions;
}

/** Roles of the node service account (least privilege for GKE nodes + image pulls). */
export const NODE_SERVICE_ACCOUNT_ROLES = [
  'roles/logging.logWriter',
  'roles/monitoring.metricWriter',
  'roles/monitoring.viewer',
  'roles/stackdriver.resourceMetadata.writer',
  'roles/artifactregistry.reader',
];

/** Cluster monitoring components: the GKE defaults CT uses plus DCGM (reference/gcp.md §2.4, §7). */
export const MONITORING_COMPONENTS = [
  'SYSTEM_COMPONENTS',
  'POD',
  'DAEMONSET',
  'DEPLOYMENT',
  'STATEFULSET',
  'STORAGE',
  'HPA',
  'CADVISOR',
  'KUBELET',
];

/**
 * Attributes of a GKE cluster the app does not own, for {@link GkeCluster.fromClusterAttributes}.
 * Endpoint, CA certificate and Workload Identity pool are read at plan time from a
 * `google_container_cluster` data source.
 */
export interface GkeClusterAttributes {
  /** The cluster's network (`GkeNetwork.fromNetworkAttributes` for one the app does not own). */
  readonly network: IGkeNetwork;
  /** Cluster name. */
  readonly clusterName: string;
  /**
   * Region or zone of the cluster.
   * @default - the network's region
   */
  readonly location?: string;
  /** Email of the service account new GPU node pools run as (`<name>@<project>.iam.gserviceaccount.com`). */
  readonly nodeServiceAccountEmail: string;
  /**
   * Whether the cluster has multi-networking (+ ADVANCED_DATAPATH) on: GPUDirect pools need it.
   * @default false
   */
  readonly multiNetworking?: boolean;
  /**
   * Whether GKE's DCGM metrics are on (GPU pools then need Google-managed drivers).
   * @default false
   */
  readonly dcgmMonitoring?: boolean;
  /**
   * Zones of a regional cluster's nodes.
   * @default - not known; node pools name their own zones
   */
  readonly nodeLocations?: string[];
  /**
   * The cluster's minimum GKE version, for GPUDirect version floors (`1.32` or `1.32.11-gke.1174000`).
   * @default - not known; the floors are not checked
   */
  readonly kubernetesVersion?: string;
}

/** A GKE cluster the app does not own. */
class ImportedGkeCluster extends Construct implements IGkeCluster {
  public readonly network: IGkeNetwork;
  public readonly clusterName: string;
  public readonly clusterId: string;
  public readonly location: string;
  public readonly project: string;
  public readonly nodeServiceAccountEmail: string;
  public readonly multiNetworking: boolean;
  public readonly dcgmMonitoring: boolean;
  public readonly gpuDirect: GpuDirect;
  public readonly gpuDirectNetworks: readonly GpuDirectNetwork[];
  public readonly nodeLocations?: readonly string[];
  public readonly kubernetesVersion?: string;
  public readonly endpoint: string;
  public readonly clusterCaCertificate: string;
  public readonly workloadIdentityPool: string;
  /** The `google_container_cluster` data source. */
  public readonly resource: DataGoogleContainerCluster;

  constructor(scope: Construct, id: string, attrs: GkeClusterAttributes) {
    super(scope, id);
    Validate.object(this, 'attrs', attrs);
    const net = Validate.object<IGkeNetwork>(this, 'network', attrs.network);
    validateGceName('clusterName', attrs.clusterName, 40, this);
    this.location = attrs.location ?? net.region;
    if (attrs.location !== undefined) {
      Validate.gcpLocation(this, 'location', attrs.location);
      checkLocationInRegion(this, attrs.location, net.region);
    }
    Validate.email(this, 'nodeServiceAccountEmail', attrs.nodeServiceAccountEmail);
    if (
      !unresolved(attrs.nodeServiceAccountEmail) &&
      !/^[^@\s]+@[^@\s]+\.iam\.gserviceaccount\.com$/.test(attrs.nodeServiceAccountEmail)
    ) {
      throw new ValidationError(
        `'nodeServiceAccountEmail' ('${attrs.nodeServiceAccountEmail}') is not a service account email (<name>@<project>.iam.gserviceaccount.com): GPU node pools run as a dedicated service account, not the Compute Engine default one.`,
        this,
      );
    }
    for (const b of ['multiNetworking', 'dcgmMonitoring'] as const) {
      if (attrs[b] !== undefined) Validate.boolean(this, b, attrs[b]);
    }
    const zones = Validate.array<string>(this, 'nodeLocations', attrs.nodeLocations ?? []);
    zones.forEach((z, i) => Validate.gcpZone(this, `nodeLocations[${i}]`, z, net.region));
    Validate.unique(this, 'nodeLocations', zones);
    if (attrs.kubernetesVersion !== undefined) checkGkeVersion(this, attrs.kubernetesVersion);
    this.network = net;
    this.project = net.project;
    this.clusterName = attrs.clusterName;
    this.nodeServiceAccountEmail = attrs.nodeServiceAccountEmail;
    this.multiNetworking = attrs.multiNetworking ?? false;
    this.dcgmMonitoring = attrs.dcgmMonitoring ?? false;
    this.gpuDirect = net.gpuDirect;
    this.gpuDirectNetworks = net.gpuDirectNetworks;
    this.nodeLocations = attrs.nodeLocations;
    this.kubernetesVersion = attrs.kubernetesVersion;
    this.clusterId = `projects/${net.project}/locations/${this.location}/clusters/${attrs.clusterName}`;
    this.resource = new DataGoogleContainerCluster(this, 'Resource', {
      project: net.project,
      location: this.location,
      name: attrs.clusterName,
    });
    this.node.defaultChild = this.resource;
    this.endpoint = `https://${this.resource.endpoint}`;
    this.clusterCaCertificate = this.resource.masterAuth.get(0).clusterCaCertificate;
    this.workloadIdentityPool = this.resource.workloadIdentityConfig.get(0).workloadPool;
  }

  public kubernetesProviderConfig(): KubernetesProviderConfig {
    return gkeProviderConfig(this);
  }
}

/** Throws unless `location` is `region` or one of its zones. */
function checkLocationInRegion(scope: Construct, location: string, region: string): void {
  if (unresolved(region) || unresolved(location)) return;
  if (location !== region && !location.startsWith(`${region}-`)) {
    throw new ValidationError(
      `'location' ('${location}') is not the network's region '${region}' or a zone of it: a GKE cluster runs in the region of its subnet. Use '${region}' or a zone such as '${region}-a'.`,
      scope,
    );
  }
}

/** Throws unless `v` looks like a GKE version. */
function checkGkeVersion(scope: Construct, v: string): void {
  Validate.string(scope, 'kubernetesVersion', v);
  if (!unresolved(v) && !/^\d+\.\d+(\.\d+(-gke\.\d+)?)?$/.test(v)) {
    throw new ValidationError(
      `'kubernetesVersion' ('${v}') must look like '1.32' or '1.32.11-gke.1174000'.`,
      scope,
    );
  }
}

/**
 * A GKE Standard cluster for GPU workloads: private nodes, Workload Identity, a release
 * channel, the default node pool removed in favour of a small system pool, Dataplane V2,
 * Managed Prometheus with GKE's DCGM metrics, the GCS FUSE CSI driver, GKE cost allocation,
 * Shielded nodes and a least-privilege node service account. With a GPUDirect network it
 * enables multi-networking (immutable) so A3 training pools can attach their extra NICs.
 *
 * Outputs (`endpoint`, `cluster_ca_certificate`, `cluster_name`, `location`) configure the
 * Kubernetes and Helm providers of a workloads stack together with a `google_client_config`
 * access token there (docs/gcp.md).
 *
 * @see https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/container_cluster
 * @example
 * const cluster = new GkeCluster(stack, 'Cluster', { network: net });
 * cluster.addTrainingNodePool('H100', { accelerator: Accelerator.H100, nodes: 4, zone: 'us-central1-a' });
 */
export class GkeCluster extends Construct implements IGkeCluster {
  /**
   * A GKE cluster the app does not own, for node pools, buckets and the provider configuration of
   * a workloads stack. Endpoint, CA and Workload Identity pool come from a
   * `google_container_cluster` data source; the attributes are validated like owned props.
   * @example
   * const cluster = GkeCluster.fromClusterAttributes(stack, 'Cluster', {
   *   network: net, clusterName: 'ml-prod', nodeServiceAccountEmail: 'ml-prod-nodes@acme-ml.iam.gserviceaccount.com',
   * });
   * new InferenceNodePool(stack, 'L4', { cluster, accelerator: Accelerator.L4, maxNodes: 8 });
   */
  public static fromClusterAttributes(
    scope: Construct,
    id: string,
    attrs: GkeClusterAttributes,
  ): IGkeCluster {
    return new ImportedGkeCluster(scope, id, attrs);
  }

  /** The network the cluster runs in. */
  public readonly network: IGkeNetwork;
  /** Cluster name. */
  public readonly clusterName: string;
  /** Cluster id (`projects/<p>/locations/<l>/clusters/<name>`). */
  public readonly clusterId: string;
  /** Region or zone. */
  public readonly location: string;
  /** Project id. */
  public readonly project: string;
  /** Email of the node service account. */
  public readonly nodeServiceAccountEmail: string;
  /** Whether multi-networking (+ ADVANCED_DATAPATH) is on. */
  public readonly multiNetworking: boolean;
  /** Whether GKE's DCGM metrics are on. */
  public readonly dcgmMonitoring: boolean;
  /** The GPUDirect technology of the cluster's network. */
  public readonly gpuDirect: GpuDirect;
  /** The GPUDirect networks GPU pools can attach. */
  public readonly gpuDirectNetworks: readonly GpuDirectNetwork[];
  /** Zones of a regional cluster's nodes, when given. */
  public readonly nodeLocations?: readonly string[];
  /** The pinned minimum GKE version, when given. */
  public readonly kubernetesVersion?: string;
  /** `https://<endpoint>` of the control plane. */
  public readonly endpoint: string;
  /** Base64 PEM of the cluster CA. */
  public readonly clusterCaCertificate: string;
  /**
   * The Workload Identity pool, `<project>.svc.id.goog`, as a reference to the cluster: IAM
   * members built from it (`serviceAccount:<pool>[ns/ksa]`, or
   * `GcpPrincipal.kubernetesServiceAccount({ workloadIdentityPool })`) are created after the
   * cluster, when the pool exists.
   */
  public readonly workloadIdentityPool: string;
  /** The cluster. */
  public readonly resource: ContainerCluster;
  /** The node service account. */
  public readonly nodeServiceAccount: ServiceAccount;
  /** The system node pool. */
  public readonly systemNodePool: ContainerNodePool;
  /** The Gateway API channel, when set. */
  public readonly gatewayApi?: GatewayApiChannel;
  /** The firewall rule letting the control plane reach webhooks on the nodes, when any port is given. */
  public readonly controlPlaneFirewall?: ComputeFirewall;
  /** The node auto-provisioning limits, when on. */
  public readonly nodeAutoProvisioning?: NodeAutoProvisioningLimits;

  constructor(scope: Construct, id: string, props: GkeClusterProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    const net = Validate.object<IGkeNetwork>(this, 'network', props.network);
    if (props.location !== undefined) Validate.gcpLocation(this, 'location', props.location);
    if (props.releaseChannel !== undefined) {
      Validate.oneOf(this, 'releaseChannel', props.releaseChannel, Object.values(ReleaseChannel));
    }
    for (const b of [
      'deletionProtection',
      'privateEndpoint',
      'multiNetworking',
      'dcgmMonitoring',
      'parallelstoreCsi',
      'lustreCsi',
    ] as const) {
      if (props[b] !== undefined) Validate.boolean(this, b, props[b]);
    }
    if (props.kubernetesVersion !== undefined)
      Validate.string(this, 'kubernetesVersion', props.kubernetesVersion);
    if (props.gatewayApi !== undefined) {
      Validate.oneOf(this, 'gatewayApi', props.gatewayApi, Object.values(GatewayApiChannel));
    }
    this.gatewayApi = props.gatewayApi;
    if (
      props.gatewayApi !== undefined &&
      props.gatewayApi !== GatewayApiChannel.DISABLED &&
      !net.proxyOnlySubnetCidr
    ) {
      Warnings.add(
        this,
        'gcp-gateway-no-proxy-only-subnet',
        `'gatewayApi' is on but the network has no proxy-only subnet: GKE's regional gateway classes (gke-l7-rilb, ` +
          `gke-l7-regional-external-managed) stay unprogrammed without one in the region. Set 'proxyOnlySubnet' on the ` +
          `GkeNetwork, unless the VPC already has one.`,
      );
    }
    this.nodeAutoProvisioning =
      props.nodeAutoProvisioning !== undefined ? napLimits(this, props.nodeAutoProvisioning) : undefined;
    const given = renamedProp(this, 'name', props.name, 'clusterName', props.clusterName);
    const name = given ?? defaultName(id);
    validateGceName(props.name !== undefined ? 'name' : 'clusterName', name, 40, this);
    this.network = net;
    this.project = net.project;
    this.location = props.location ?? net.region;
    this.gpuDirect = net.gpuDirect;
    this.gpuDirectNetworks = net.gpuDirectNetworks;
    this.nodeLocations = props.nodeLocations;
    this.kubernetesVersion = props.kubernetesVersion;
    this.multiNetworking = props.multiNetworking ?? net.gpuDirect !== GpuDirect.NONE;
    this.dcgmMonitoring = props.dcgmMonitoring ?? true;
    const workloadPool = `${net.project}.svc.id.goog`;

    const region = net.region;
    if (!unresolved(region) && !unresolved(this.location)) {
      checkLocationInRegion(this, this.location, region);
      const zones = Validate.array<string>(this, 'nodeLocations', props.nodeLocations ?? []);
      Validate.unique(this, 'nodeLocations', zones);
      for (const [i, z] of zones.entries()) {
        Validate.gcpZone(this, `nodeLocations[${i}]`, z, region);
        if (z === this.location) {
          throw new ValidationError(
            `'nodeLocations' lists the zonal cluster's own zone '${z}': for a zonal cluster node_locations are the additional zones (provider docs: "omit the cluster's zone"). Remove '${z}' from nodeLocations.`,
            this,
          );
        }
      }
    }
    const masterCidr = props.masterIpv4CidrBlock ?? '172.16.0.0/28';
    const master = ValidationError.withScope(this, () => parseCidr('masterIpv4CidrBlock', masterCidr));
    if (prefixOf(master) !== 28) {
      throw new ValidationError(
        `'masterIpv4CidrBlock' ('${masterCidr}') must be a /28, for example '172.16.0.0/28'.`,
        this,
      );
    }
    for (const r of net.ipv4Ranges ?? []) {
      if (!unresolved(r) && overlaps(masterCidr, r)) {
        throw new ValidationError(
          `'masterIpv4CidrBlock' ('${masterCidr}') overlaps the network's range '${r}': GKE rejects a control-plane range that overlaps a subnet or secondary range of the VPC. Pick a free /28 outside ${(net.ipv4Ranges ?? []).join(', ')}.`,
          this,
        );
      }
    }
    const webhookPorts = Validate.array<number>(
      this,
      'controlPlaneToNodePorts',
      props.controlPlaneToNodePorts ?? [6443, 8443, 9443],
    );
    webhookPorts.forEach((port, i) =>
      Validate.integer(this, `controlPlaneToNodePorts[${i}]`, port, { min: 1, max: 65535 }),
    );
    Validate.unique(this, 'controlPlaneToNodePorts', webhookPorts);
    for (const port of webhookPorts) {
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new ValidationError(
          `'controlPlaneToNodePorts' entry (${port}) must be a TCP port from 1 to 65535.`,
          this,
        );
      }
    }
    const authorized = Validate.array<AuthorizedNetwork>(
      this,
      'masterAuthorizedNetworks',
      props.masterAuthorizedNetworks ?? [],
    );
    for (const [i, n] of authorized.entries()) {
      Validate.object(this, `masterAuthorizedNetworks[${i}]`, n);
      if (n.displayName !== undefined)
        Validate.string(this, `masterAuthorizedNetworks[${i}].displayName`, n.displayName, {
          maxLength: 100,
        });
      if (!unresolved(n.cidrBlock)) {
        ValidationError.withScope(this, () => parseCidr('masterAuthorizedNetworks.cidrBlock', n.cidrBlock));
      }
    }
    if (!props.masterAuthorizedNetworks?.length && !props.privateEndpoint) {
      Warnings.add(
        this,
        'gcp-no-authorized-networks',
        `No 'masterAuthorizedNetworks': the control plane accepts connections only from the VPC. Add your CI runners' or VPN's CIDR blocks, or terraform/kubectl from outside the VPC cannot reach the cluster.`,
      );
    }
    if (props.kubernetesVersion !== undefined) checkGkeVersion(this, props.kubernetesVersion);
    const sys = Validate.object<SystemNodePoolOptions>(this, 'systemNodePool', props.systemNodePool ?? {});
    if (sys.machineType !== undefined) {
      Validate.gcpMachineType(this, 'systemNodePool.machineType', sys.machineType);
      // Accelerator-optimized families always attach GPUs (A2, A3, A4, A4X, G2, G4).
      const gpu = GPU_MACHINE_TYPES.find((m) => m.name === sys.machineType);
      if (gpu || /^(a2|a3|a4|a4x|g2|g4)-/.test(sys.machineType)) {
        throw new ValidationError(
          `'systemNodePool.machineType' ('${sys.machineType}') is an accelerator-optimized machine type${gpu ? ` (${gpu.gpuCount}x ${gpu.accelerator.displayName})` : ''}: the system pool runs DNS, metrics and operators and would pay for GPUs it cannot use. Use a general-purpose type such as 'e2-standard-4' (the default) and put GPUs in addTrainingNodePool() or addInferenceNodePool().`,
          this,
        );
      }
    }
    const sysMin = Validate.integer(this, 'systemNodePool.minNodesPerZone', sys.minNodesPerZone ?? 1, {
      max: 1000,
    });
    const sysMax = Validate.integer(this, 'systemNodePool.maxNodesPerZone', sys.maxNodesPerZone ?? 3, {
      max: 1000,
    });
    if (
      !Number.isInteger(sysMin) ||
      sysMin < 0 ||
      !Number.isInteger(sysMax) ||
      sysMax < Math.max(1, sysMin)
    ) {
      throw new ValidationError(
        `'systemNodePool' counts (min ${sysMin}, max ${sysMax}) must be integers with 0 <= minNodesPerZone <= maxNodesPerZone and maxNodesPerZone >= 1.`,
        this,
      );
    }

    this.nodeServiceAccount = new ServiceAccount(this, 'NodeServiceAccount', {
      project: net.project,
      accountId: `${name.slice(0, 23).replace(/-+$/, '')}-nodes`,
      displayName: `GKE nodes of ${name}`,
    });
    // Attributes are read once (each read creates a cdktf token): the email through nodeServiceAccountEmail.
    this.nodeServiceAccountEmail = this.nodeServiceAccount.email;
    const member = this.nodeServiceAccount.member;
    NODE_SERVICE_ACCOUNT_ROLES.forEach((role) => {
      new ProjectIamMember(
        this,
        `NodeRole${role.split('/')[1].replace(/(^|\.)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())}`,
        {
          project: net.project,
          role,
          member,
        },
      );
    });

    this.resource = new ContainerCluster(this, 'Resource', {
      project: net.project,
      name,
      location: this.location,
      nodeLocations: props.nodeLocations,
      network: net.networkName,
      subnetwork: net.subnetworkName,
      networkingMode: 'VPC_NATIVE',
      ipAllocationPolicy: {
        clusterSecondaryRangeName: net.podsRangeName,
        servicesSecondaryRangeName: net.servicesRangeName,
      },
      datapathProvider: 'ADVANCED_DATAPATH',
      enableMultiNetworking: this.multiNetworking,
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      deletionProtection: props.deletionProtection ?? true,
      minMasterVersion: props.kubernetesVersion,
      releaseChannel: { channel: props.releaseChannel ?? ReleaseChannel.REGULAR },
      privateClusterConfig: {
        enablePrivateNodes: true,
        enablePrivateEndpoint: props.privateEndpoint ?? false,
        masterIpv4CidrBlock: masterCidr,
      },
      masterAuthorizedNetworksConfig: {
        gcpPublicCidrsAccessEnabled: false,
        cidrBlocks: (props.masterAuthorizedNetworks ?? []).map((n) => ({
          cidrBlock: n.cidrBlock,
          displayName: n.displayName ?? n.cidrBlock,
        })),
      },
      workloadIdentityConfig: { workloadPool },
      enableShieldedNodes: true,
      addonsConfig: {
        gcsFuseCsiDriverConfig: { enabled: true },
        gcePersistentDiskCsiDriverConfig: { enabled: true },
        ...(props.parallelstoreCsi ? { parallelstoreCsiDriverConfig: { enabled: true } } : {}),
        ...(props.lustreCsi ? { lustreCsiDriverConfig: { enabled: true } } : {}),
      },
      monitoringConfig: {
        enableComponents: [...MONITORING_COMPONENTS, ...(this.dcgmMonitoring ? ['DCGM'] : [])],
        managedPrometheus: { enabled: true },
      },
      costManagementConfig: { enabled: true },
      ...(this.nodeAutoProvisioning
        ? {
            clusterAutoscaling: {
              enabled: true,
              resourceLimits: [
                { resourceType: 'cpu', minimum: 0, maximum: this.nodeAutoProvisioning.maxCpus },
                { resourceType: 'memory', minimum: 0, maximum: this.nodeAutoProvisioning.maxMemoryGb },
                ...Object.entries(this.nodeAutoProvisioning.gpuLimits).map(([resourceType, maximum]) => ({
                  resourceType,
                  minimum: 0,
                  maximum,
                })),
              ],
              autoProvisioningDefaults: {
                serviceAccount: this.nodeServiceAccountEmail,
                oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
                imageType: 'COS_CONTAINERD',
                diskType: 'pd-balanced',
                management: { autoRepair: true, autoUpgrade: true },
                shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
              },
            },
          }
        : {}),
      ...(props.gatewayApi !== undefined ? { gatewayApiConfig: { channel: props.gatewayApi } } : {}),
      nodeConfig: gkeNodeIdentity(this.nodeServiceAccountEmail),
      lifecycle: { ignoreChanges: ['node_config'] },
    });
    this.node.defaultChild = this.resource;
    // Read back from the cluster, not restated: the pool exists only once the first Workload
    // Identity cluster of the project does, and IAM bindings naming it fail before that
    // ("Identity Pool does not exist"); the reference orders them after the cluster.
    this.workloadIdentityPool = this.resource.workloadIdentityConfig.workloadPool;
    this.clusterName = this.resource.name;
    this.clusterId = this.resource.id;
    this.endpoint = `https://${this.resource.endpoint}`;
    this.clusterCaCertificate = this.resource.masterAuth.clusterCaCertificate;

    this.systemNodePool = new ContainerNodePool(this, 'SystemPool', {
      project: net.project,
      cluster: this.clusterId,
      location: this.location,
      name: 'system',
      autoscaling: { minNodeCount: sysMin, maxNodeCount: sysMax, locationPolicy: 'BALANCED' },
      initialNodeCount: Math.max(1, sysMin),
      // ForceNew and derived from minNodesPerZone: changing the minimum must not replace the pool.
      lifecycle: { ignoreChanges: ['initial_node_count'] },
      management: { autoRepair: true, autoUpgrade: true },
      nodeConfig: {
        machineType: sys.machineType ?? 'e2-standard-4',
        imageType: 'COS_CONTAINERD',
        diskType: 'pd-balanced',
        diskSizeGb: 100, // also the boot disk size of the cost estimate's system-pool line below
        ...gkeNodeIdentity(this.nodeServiceAccountEmail),
        labels: poolNodeLabels(this, 'system pool', 'system', 'system'),
      },
    });
    addGkeClusterCost(this.resource);
    {
      // Node counts are per zone: a zonal cluster's zone plus its nodeLocations; a regional one's
      // nodeLocations, or the 3 zones GKE picks in most regions when none are given.
      const regional = this.location === region;
      const given = props.nodeLocations?.length ?? 0;
      const zones = regional ? given || 3 : 1 + given;
      addSystemNodesCost(
        this.systemNodePool,
        sys.machineType ?? 'e2-standard-4',
        sysMin * zones,
        sysMax * zones,
        100,
        regional && given === 0 ? '3 zones assumed (the region picks them)' : `${zones} zone(s)`,
      );
    }

    if (webhookPorts.length > 0) {
      this.controlPlaneFirewall = new ComputeFirewall(this, 'ControlPlaneToNodes', {
        project: net.project,
        name: `${name}-control-plane-webhooks`,
        description: `GKE control plane of ${name} to admission webhooks and aggregated APIs on its nodes`,
        network: net.networkName,
        direction: 'INGRESS',
        sourceRanges: [masterCidr],
        targetServiceAccounts: [this.nodeServiceAccountEmail],
        allow: [{ protocol: 'tcp', ports: [...new Set(webhookPorts)].map(String) }],
      });
    }

    new TerraformOutput(this, 'Endpoint', {
      value: this.endpoint,
      description: `Control-plane endpoint of ${name}`,
    });
    new TerraformOutput(this, 'CaCertificate', {
      value: this.clusterCaCertificate,
      description: `Base64 PEM cluster CA of ${name} (cluster_ca_certificate of the kubernetes / helm provider, after base64decode)`,
    });
    new TerraformOutput(this, 'ClusterName', { value: this.clusterName });
    new TerraformOutput(this, 'Location', { value: this.location });
  }

  /**
   * Kubernetes / Helm provider settings for a stack that deploys into this cluster: host, CA
   * certificate and an `exec` block running `gke-gcloud-auth-plugin` (needs the gcloud CLI and
   * the plugin where Terraform runs). Referencing them from another stack makes cdktf pass them
   * as outputs.
   * @see https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin
   */
  public kubernetesProviderConfig(): KubernetesProviderConfig {
    return gkeProviderConfig(this);
  }

  /**
   * Adds a GPU training node pool (A3 High / Mega / Ultra, A2) with compact placement in one
   * zone and the GPUDirect networks the machine type needs.
   */
  public addTrainingNodePool(id: string, options: TrainingNodePoolOptions): TrainingNodePool {
    return new TrainingNodePool(this, id, { ...options, cluster: this });
  }

  /** Adds an autoscaled GPU inference node pool (G2 / L4, A2 / A100, A3 High / H100). */
  public addInferenceNodePool(id: string, options: InferenceNodePoolOptions): InferenceNodePool {
    return new InferenceNodePool(this, id, { ...options, cluster: this });
  }
}

/**
 * Validates node auto-provisioning options and derives the limits GKE takes: one per GCE
 * accelerator type of each GPU model, and CPU and memory that hold at least one node of each.
 */
function napLimits(scope: Construct, o: NodeAutoProvisioningOptions): NodeAutoProvisioningLimits {
  Validate.object(scope, 'nodeAutoProvisioning', o);
  const gpus = Validate.array<AutoProvisionedGpuLimit>(scope, 'nodeAutoProvisioning.gpus', o.gpus);
  if (gpus.length === 0) {
    throw new ValidationError(
      `'nodeAutoProvisioning.gpus' is empty: name the GPU models auto-provisioned nodes may carry, for example [{ accelerator: Accelerator.L4, maxGpus: 16 }].`,
      scope,
    );
  }
  const maxCpus = Validate.integer(scope, 'nodeAutoProvisioning.maxCpus', o.maxCpus, {
    min: 1,
    max: 1_000_000,
  });
  const maxMemoryGb = Validate.integer(scope, 'nodeAutoProvisioning.maxMemoryGb', o.maxMemoryGb, {
    min: 1,
    max: 100_000_000,
  });
  const gpuLimits: Record<string, number> = {};
  gpus.forEach((g, i) => {
    Validate.object(scope, `nodeAutoProvisioning.gpus[${i}]`, g);
    if (!(g.accelerator instanceof Accelerator)) {
      throw new ValidationError(
        `'nodeAutoProvisioning.gpus[${i}].accelerator' must be an Accelerator (for example Accelerator.H100), got ${String(g.accelerator)}.`,
        scope,
      );
    }
    const max = Validate.integer(scope, `nodeAutoProvisioning.gpus[${i}].maxGpus`, g.maxGpus, {
      min: 1,
      max: 100_000,
    });
    const machines = GPU_MACHINE_TYPES.filter((m) => m.accelerator.equals(g.accelerator));
    if (machines.length === 0) {
      throw new ValidationError(
        `'nodeAutoProvisioning.gpus[${i}].accelerator' (${g.accelerator.id}) has no Google Cloud machine type in the catalogue: use one of ${[...new Set(GPU_MACHINE_TYPES.map((m) => m.accelerator.id))].join(', ')}.`,
        scope,
      );
    }
    for (const type of new Set(machines.map((m) => m.acceleratorType))) {
      if (gpuLimits[type] !== undefined) {
        throw new ValidationError(
          `'nodeAutoProvisioning.gpus' names ${g.accelerator.id} (${type}) twice: give each GPU model once.`,
          scope,
        );
      }
      gpuLimits[type] = max;
    }
    const smallest = machines.reduce((a, b) =>
      a.gpuCount < b.gpuCount || (a.gpuCount === b.gpuCount && a.vcpus <= b.vcpus) ? a : b,
    );
    if (smallest.gpuCount > max) {
      throw new ValidationError(
        `'nodeAutoProvisioning.gpus[${i}].maxGpus' (${max}) is below the ${smallest.gpuCount} GPUs of the smallest ${g.accelerator.id} machine (${smallest.name}): no node could be created. Raise maxGpus.`,
        scope,
      );
    }
    if (smallest.vcpus > maxCpus || Math.ceil(smallest.memoryGiB * 1.073741824) > maxMemoryGb) {
      throw new ValidationError(
        `'nodeAutoProvisioning' maxCpus (${maxCpus}) / maxMemoryGb (${maxMemoryGb}) cannot hold one ${smallest.name} ` +
          `(${smallest.vcpus} vCPUs, ${Math.ceil(smallest.memoryGiB * 1.073741824)} GB): GKE would never create a ${g.accelerator.id} node. ` +
          `The limits cap the whole cluster, system pool included: raise them.`,
        scope,
      );
    }
  });
  return { gpuLimits, maxCpus, maxMemoryGb };
}

/** Kubernetes / Helm provider settings of a GKE cluster (owned or imported). */
function gkeProviderConfig(cluster: IGkeCluster): KubernetesProviderConfig {
  return {
    host: cluster.endpoint,
    // Built once per cluster: every `Fn` call creates a cdktf token.
    clusterCaCertificate: readOnce(cluster, 'decodedCa', (c) => Fn.base64decode(c.clusterCaCertificate)),
    exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'gke-gcloud-auth-plugin', args: [] },
  };
}
