import type { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network';
import type { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork';
import type { KubernetesProviderConfig } from '../core';
import type { GpuDirect } from './machine-types';
import type { GcpPrincipal } from './principal';

// The seams of the GCP module: what one construct needs to know about another, whether the app
// owns it or imports it (`GkeCluster.fromClusterAttributes`, `CheckpointBucket.fromBucketName`).
// Constructs take these interfaces, never the concrete classes, so the module has no import
// cycles (cluster <-> node pools).

/**
 * One extra network a GPUDirect node pool attaches (`additional_node_network_configs`), with
 * what the Kubernetes layer needs to create its `GKENetworkParamSet` and `Network` objects.
 */
export interface GpuDirectNetwork {
  /**
   * Name of the Kubernetes `Network` / `GKENetworkParamSet` objects for this NIC, as pods
   * request it in `networking.gke.io/interfaces`: `vpc1`..`vpc8` (TCPX / TCPXO), `gvnic-1`
   * and `rdma-0`..`rdma-7` (RDMA), following Cluster Toolkit.
   */
  readonly kubernetesName: string;
  /** VPC name (the `GKENetworkParamSet.spec.vpc`). */
  readonly vpcName: string;
  /** Subnetwork name (the `GKENetworkParamSet.spec.vpcSubnet`). */
  readonly subnetName: string;
  /** `GKENetworkParamSet.spec.deviceMode`: `NetDevice` (TCPX, TCPXO, gVNIC) or `RDMA`. */
  readonly deviceMode: 'NetDevice' | 'RDMA';
  /** Subnet CIDR. */
  readonly cidr: string;
  /**
   * The VPC, when the app owns it (node pools then depend on it).
   * @default - a network the app does not own: referenced by `vpcName`
   */
  readonly network?: ComputeNetwork;
  /**
   * The subnetwork, when the app owns it.
   * @default - a subnetwork the app does not own: referenced by `subnetName`
   */
  readonly subnetwork?: ComputeSubnetwork;
}

/** A VPC a GKE cluster can run in. */
export interface IGkeNetwork {
  /** Project id. */
  readonly project: string;
  /** Region of the node subnet. */
  readonly region: string;
  /** The VPC name. */
  readonly networkName: string;
  /** The node subnet name. */
  readonly subnetworkName: string;
  /** Secondary range name for pods. */
  readonly podsRangeName: string;
  /** Secondary range name for services. */
  readonly servicesRangeName: string;
  /** The GPUDirect networks this VPC set provides, or NONE. */
  readonly gpuDirect: GpuDirect;
  /** The extra networks GPUDirect node pools attach, in NIC order. */
  readonly gpuDirectNetworks: readonly GpuDirectNetwork[];
  /** Zone of the RDMA (RoCE) network profile, when `gpuDirect` is RDMA. */
  readonly gpuDirectZone?: string;
  /**
   * Every IPv4 range the network's subnets use (node, pod, service and GPUDirect ranges), so a
   * cluster can refuse a control-plane CIDR that overlaps them.
   * @default - unknown: no overlap check
   */
  readonly ipv4Ranges?: readonly string[];
  /**
   * CIDR of the region's proxy-only subnet (`REGIONAL_MANAGED_PROXY`), the source address of
   * every connection a regional Envoy-based load balancer (GKE's `gke-l7-rilb` and
   * `gke-l7-regional-external-managed` gateways) opens to the pods.
   * @default - none known
   */
  readonly proxyOnlySubnetCidr?: string;
}

/** The resource limits of a cluster's node auto-provisioning, as rendered. */
export interface NodeAutoProvisioningLimits {
  /** Most GPUs per GCE accelerator type (`nvidia-h100-mega-80gb`: 64). */
  readonly gpuLimits: Readonly<Record<string, number>>;
  /** Most vCPUs of all nodes. */
  readonly maxCpus: number;
  /** Most memory of all nodes, GB. */
  readonly maxMemoryGb: number;
}

/**
 * A GKE cluster node pools, buckets and workloads attach to. Implemented by `GkeCluster` and by
 * `GkeCluster.fromClusterAttributes` for a cluster the app does not own.
 */
export interface IGkeCluster {
  /** Cluster id (`projects/<p>/locations/<l>/clusters/<name>`), the node pools' `cluster`. */
  readonly clusterId: string;
  /** Region or zone of the cluster. */
  readonly location: string;
  /** Project id. */
  readonly project: string;
  /** Email of the node service account GPU pools run as. */
  readonly nodeServiceAccountEmail: string;
  /** Whether multi-networking (+ ADVANCED_DATAPATH) is on: GPUDirect pools need it. */
  readonly multiNetworking: boolean;
  /** Whether GKE's DCGM metrics are on (GPU pools then need Google-managed drivers). */
  readonly dcgmMonitoring: boolean;
  /** The GPUDirect technology of the cluster's network. */
  readonly gpuDirect: GpuDirect;
  /** The GPUDirect networks GPU pools can attach. */
  readonly gpuDirectNetworks: readonly GpuDirectNetwork[];
  /** The network the cluster runs in. */
  readonly network: IGkeNetwork;
  /** Cluster name. */
  readonly clusterName: string;
  /** Zones of a regional cluster's nodes, when given. */
  readonly nodeLocations?: readonly string[];
  /** The GKE version the cluster was pinned to, when given (for GPUDirect version floors). */
  readonly kubernetesVersion?: string;
  /**
   * The cluster's node auto-provisioning limits, when it is on (`cluster_autoscaling`): a
   * ComputeClass checks its accelerator type is among them.
   * @default - off, or not known for an imported cluster
   */
  readonly nodeAutoProvisioning?: NodeAutoProvisioningLimits;
  /** `https://<endpoint>` of the control plane. */
  readonly endpoint: string;
  /** Base64 PEM of the cluster CA. */
  readonly clusterCaCertificate: string;
  /** The Workload Identity pool, `<project>.svc.id.goog`. */
  readonly workloadIdentityPool: string;
  /**
   * Kubernetes / Helm provider settings for a stack that deploys into this cluster: host, CA
   * certificate and an `exec` block running `gke-gcloud-auth-plugin`.
   */
  kubernetesProviderConfig(): KubernetesProviderConfig;
}

/**
 * A GCS bucket for checkpoints or model weights. Implemented by `CheckpointBucket` and
 * `CheckpointBucket.fromBucketName`.
 */
export interface ICheckpointBucket {
  /** Bucket name. */
  readonly bucketName: string;
  /** `gs://<name>`. */
  readonly url: string;
  /** Grants `roles/storage.objectUser` (read, write and delete objects). */
  grantReadWrite(principal: GcpPrincipal): unknown;
  /** Grants `roles/storage.objectViewer`. */
  grantRead(principal: GcpPrincipal): unknown;
}

/**
 * A container registry workloads pull images from. Implemented by `ArtifactRegistry` and
 * `ArtifactRegistry.fromRepositoryAttributes`.
 */
export interface IContainerRegistry {
  /** `<location>-docker.pkg.dev/<project>/<repositoryId>` of the Docker repository. */
  readonly repositoryUrl: string;
  /** Grants `roles/artifactregistry.reader` (pull images) on the registry's repositories. */
  grantPull(principal: GcpPrincipal): unknown;
}

/**
 * A Cloud Monitoring notification channel alerts and budgets notify: one the library creates
 * (`emails`, PagerDuty, Slack, webhook) or one the app does not own
 * (`NotificationChannelReference.fromChannelId`).
 */
export interface INotificationChannel {
  /** Channel resource name, `projects/<project>/notificationChannels/<id>`. */
  readonly channelId: string;
}
