import { TerraformResource } from 'cdktf';
import { IConstruct } from 'constructs';
import { Capacity, GpuNodePoolOptions, NodeTaint } from '../core';
import { IPlacementGroup, NetworkSubnet } from './interfaces';

/**
 * Options every elastic (Karpenter-style NodePool) GPU pool takes, on self-managed Karpenter
 * (`KarpenterGpuNodePoolProps`) and on EKS Auto Mode (`AutoModeGpuNodePoolProps`): the shared GPU
 * pool options plus capacity fallback, instance type, EFA, GPU limit, consolidation, subnet and
 * placement group. Each pool adds its own (the Karpenter installation and node OS settings, or
 * the Auto Mode cluster and NodeClass settings).
 */
export interface ElasticGpuNodePoolOptions extends GpuNodePoolOptions {
  /**
   * Capacity to fall back to, after `capacity`, in Karpenter's own order of preference:
   * reservations and Capacity Blocks first, then spot, then on-demand. Karpenter always tries
   * them in that order, so a list in another order is refused.
   * @default - none: only `capacity`
   */
  readonly fallbackCapacity?: Capacity[];
  /**
   * Name of the NodePool and its node class (a DNS subdomain; on Auto Mode not `default`,
   * `general-purpose` or `system`, which Auto Mode owns).
   * @default - the construct id, lower-cased
   */
  readonly name?: string;
  /**
   * Instance type; must have `accelerator` and `gpusPerNode` GPUs. Spot and on-demand pools
   * also allow the catalogue's compatible types (same GPUs, and the same EFA layout with EFA).
   * @default - the catalogue's preferred type for the accelerator and GPU count
   */
  readonly instanceType?: string;
  /**
   * EFA interfaces on every network card (the layout of `efaInterfaceLayout`), with an EFA
   * security group (all traffic to and from itself). An EFA pool and a non-EFA pool of one
   * cluster may not share an instance type: a pod could land on the non-EFA node and NCCL would
   * fall back to TCP.
   * @default true
   */
  readonly efa?: boolean;
  /**
   * Most GPUs the pool may hold (`spec.limits` `nvidia.com/gpu`). Set this or `monthlyBudgetUsd`.
   * @default - from `monthlyBudgetUsd`
   */
  readonly maxGpus?: number;
  /**
   * Monthly budget (US dollars, 730 hours) the pool may spend at the catalogued on-demand price
   * of its most expensive instance type; the GPU limit is the whole nodes that fit.
   * @default - `maxGpus` must be set
   */
  readonly monthlyBudgetUsd?: number;
  /**
   * How long an empty node stays before it is removed (`consolidateAfter`). GPU pools
   * consolidate only when empty (`WhenEmpty`): busy GPU nodes are never packed tighter.
   * @default '10m'
   */
  readonly consolidateAfter?: string;
  /**
   * The single-AZ subnet (EFA, reservations, Capacity Blocks and a placement group live in one AZ).
   * @default - the network's `trainingSubnet` with EFA, reserved capacity or a placement group, else all private subnets
   */
  readonly subnet?: NetworkSubnet;
  /**
   * Availability Zone of the capacity reservation or Capacity Block, checked against the subnet.
   * @default - not checked
   */
  readonly reservationAvailabilityZone?: string;
  /**
   * Launch every node of the pool in one new `cluster` placement group (node class
   * `placementGroupSelector`: Karpenter v1.14.1 `pkg/apis/crds/karpenter.k8s.aws_ec2nodeclasses.yaml`,
   * EKS Auto Mode since 2026-05-05), created in the cluster's stack as `<cluster>/PlacementGroup-<name>`.
   * The pool then stays in one AZ. One placement group holds every node of the pool, so an
   * elastic pool in one group finds capacity less often; Capacity Blocks are co-located already
   * (a warning).
   * @default false
   */
  readonly placementGroup?: boolean;
  /**
   * Launch every node in a placement group the app does not own (the `cluster` placement group an
   * On-Demand Capacity Reservation was created in).
   * @default - none; `placementGroup` decides
   */
  readonly existingPlacementGroup?: IPlacementGroup;
}

/**
 * An elastic GPU pool as it stands after synth-time resolution: a `karpenter.sh/v1` NodePool and
 * its node class, the instance types, EFA devices, GPU limit, labels and taints it resolved.
 * Implemented by `KarpenterGpuNodePool` (node class `EC2NodeClass`) and `AutoModeGpuNodePool`
 * (node class `eks.amazonaws.com/v1` `NodeClass`).
 */
export interface IElasticGpuNodePool extends IConstruct {
  /** The NodePool `kubernetes_manifest`. */
  readonly nodePool: TerraformResource;
  /** The node class `kubernetes_manifest`. */
  readonly nodeClass: TerraformResource;
  /** The NodePool manifest. */
  readonly nodePoolManifest: Record<string, unknown>;
  /** The node class manifest. */
  readonly nodeClassManifest: Record<string, unknown>;
  /** Instance types the pool may launch. */
  readonly instanceTypes: string[];
  /** EFA devices per node (0 without EFA): what a pod requests as `vpc.amazonaws.com/efa`. */
  readonly efaDevicesPerNode: number;
  /** Most GPUs the pool holds. */
  readonly maxGpus: number;
  /** Labels of the nodes. */
  readonly labels: Record<string, string>;
  /** Taints of the nodes; the GPU taint first. */
  readonly taints: NodeTaint[];
  /** Name of the placement group every node launches in (none unless asked). */
  readonly placementGroupName?: string;
}
