import { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import {
  ACCELERATOR_NODE_LABEL,
  Accelerator,
  Capacity,
  CapacityKind,
  GpuNodePoolOptions,
  INodeClass,
  mergeNodeLabels,
  poolNodeLabels,
  NodeTaint,
  TaintEffect,
  Validate,
  validateGpuNodePoolOptions,
  ValidationError,
  VALIDATION_CODES,
  Warnings,
} from '../core';
import { RawTerraformResource } from '../core/private/raw-resource';
import type { IGkeCluster } from './interfaces';
import { GcpGpuMachineType } from './machine-types';
import { defaultName } from './private/names';
import { resolveMachine } from './private/node-pool';
import { validateGcpReservation } from './private/reservation';
import { gkeVersionBelow } from './private/versions';

/** The node label (and taint key) GKE puts on the nodes of a compute class, and pods select. */
export const COMPUTE_CLASS_NODE_LABEL = 'cloud.google.com/compute-class';

/**
 * First GKE version whose ComputeClasses create node pools themselves
 * (`nodePoolAutoCreation.enabled`) without cluster-level node auto-provisioning.
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/create-compute-classes-auto-creation (seen 2026-12)
 */
export const COMPUTE_CLASS_AUTO_CREATION_MIN_GKE = '1.33.3-gke.1136000';

/** First GKE version with custom compute classes on Standard clusters. */
export const COMPUTE_CLASS_MIN_GKE = '1.30.3-gke.1451000';

/** What GKE does when no priority of a class can be satisfied (`spec.whenUnsatisfiable`). */
export enum WhenUnsatisfiable {
  /** Pods stay Pending until a priority can be met (GKE's default; right for GPU workloads). */
  DO_NOT_SCALE_UP = 'DoNotScaleUp',
  /** GKE creates a general-purpose (E2) node, with no GPU: GPU pods still cannot run there. */
  SCALE_UP_ANYWAY = 'ScaleUpAnyway',
}

/** Properties of {@link ComputeClass}: the shared GPU pool options plus the class's own. */
export interface ComputeClassProps extends GpuNodePoolOptions {
  /** The cluster whose autoscaler creates the nodes (node service account, version, auto-provisioning). */
  readonly cluster: IGkeCluster;
  /**
   * Capacity to fall back to, in order, after `capacity`: GKE tries the priorities top to bottom
   * (for example `capacity: Capacity.reservation('a3-res')`, `fallbackCapacity: [Capacity.spot(),
   * Capacity.onDemand()]`, or `[Capacity.flexStart()]`).
   * @default - none: only `capacity`
   */
  readonly fallbackCapacity?: Capacity[];
  /**
   * Name of the ComputeClass (a Kubernetes label value: pods select it with
   * `cloud.google.com/compute-class: <name>`).
   * @default - the construct id in kebab case
   */
  readonly name?: string;
  /**
   * Machine type; must carry `accelerator` (and `gpusPerNode` GPUs when given).
   * @default - the catalogue's machine type for the accelerator and GPU count
   */
  readonly machineType?: string;
  /**
   * Zones GKE may create nodes in (`location.zones` of the spot, on-demand and flex-start
   * priorities; a specific reservation brings its own zone, and GKE refuses both together).
   * @default - the cluster's node zones
   */
  readonly zones?: string[];
  /**
   * Let the class create node pools itself (`nodePoolAutoCreation.enabled`). GKE versions below
   * 1.33.3-gke.1136000 also need the cluster's `nodeAutoProvisioning`.
   * @default true
   */
  readonly nodePoolAutoCreation?: boolean;
  /**
   * Move workloads to a higher priority when its capacity frees up
   * (`activeMigration.optimizeRulePriority`). GKE drains the lower-priority nodes, respecting
   * PodDisruptionBudgets: leave it off for training gangs that cannot be interrupted.
   * @default false
   */
  readonly activeMigration?: boolean;
  /**
   * What GKE does when no priority can be met.
   * @default WhenUnsatisfiable.DO_NOT_SCALE_UP
   */
  readonly whenUnsatisfiable?: WhenUnsatisfiable;
  /**
   * The library's `cdktf-ai-infra/pool-role` label on the class's nodes.
   * @default 'inference'
   */
  readonly poolRole?: 'training' | 'inference';
}

/** One rendered `spec.priorities[]` entry. */
type PriorityRule = Record<string, unknown>;

/**
 * A GKE custom compute class (`cloud.google.com/v1` `ComputeClass`) for GPU nodes: an ordered
 * list of capacity priorities (a specific reservation, then Spot, then on-demand; or flex-start)
 * for one machine type with its accelerator type and count, from which GKE's autoscaler creates
 * node pools itself (`nodePoolAutoCreation`). Workloads select it with the node selector
 * `cloud.google.com/compute-class: <name>` and a toleration of the taint of the same key GKE
 * puts on the nodes: pass the class as `nodeClass` to the Kubernetes module's `ModelServer` or
 * `TrainingJob`, which adds both.
 *
 * The class is a Kubernetes object: create it in a stack whose Kubernetes provider points at the
 * cluster. Auto-created pools run as the cluster's node service account, carry the library's
 * accelerator and pool-role labels (so `ModelServer`'s default accelerator selector matches) and
 * GKE's `nvidia.com/gpu` taint; GKE installs the driver. Auto-created pools have no GPUDirect
 * networks or COMPACT placement: a multi-node training gang on A3 with GPUDirect stays on a
 * `TrainingNodePool`.
 *
 * Synth-time checks: the capacity kinds a class can express (no AWS Capacity Block, no queued
 * provisioning), no capacity twice, reservation options GKE accepts, the machine's GPUs, and that
 * the cluster can create the nodes (its version, or its auto-provisioning limits naming the
 * accelerator type).
 *
 * @see https://cloud.google.com/kubernetes-engine/docs/reference/crds/computeclass (seen 2026-12)
 * @see https://cloud.google.com/kubernetes-engine/docs/concepts/about-custom-compute-classes
 * @example
 * const h100 = new ComputeClass(platform, 'H100', {
 *   cluster, accelerator: Accelerator.H100, gpusPerNode: 8,
 *   capacity: Capacity.reservation('a3-res'), fallbackCapacity: [Capacity.spot(), Capacity.flexStart()],
 * });
 * new k8s.ModelServer(workloads, 'Llama', { ..., nodeClass: h100 });
 */
export class ComputeClass extends Construct implements INodeClass {
  /** Name of the ComputeClass. */
  public readonly nodeClassName: string;
  /** `{ 'cloud.google.com/compute-class': <name> }`. */
  public readonly nodeSelector: Record<string, string>;
  /** The compute-class taint GKE puts on the nodes, and the user's taints. */
  public readonly taints: readonly NodeTaint[];
  /** The GPU model. */
  public readonly accelerator: Accelerator;
  /** GPUs per node. */
  public readonly gpusPerNode: number;
  /** The machine type of every priority. */
  public readonly machineType: string;
  /** The capacities, in GKE's order of trial. */
  public readonly capacities: readonly Capacity[];
  /** The ComputeClass object as applied. */
  public readonly manifest: Record<string, unknown>;
  /** The `kubernetes_manifest` resource. */
  public readonly resource: TerraformResource;

  constructor(scope: Construct, id: string, props: ComputeClassProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    validateGpuNodePoolOptions(this, props);
    const cluster = Validate.object<IGkeCluster>(this, 'cluster', props.cluster);
    const name = props.name ?? defaultName(id);
    Validate.k8sDnsLabel(this, props.name !== undefined ? 'name' : 'id', name, {
      what: 'a ComputeClass name (a node label value)',
    });
    if (props.machineType !== undefined) Validate.gcpMachineType(this, 'machineType', props.machineType);
    for (const b of ['nodePoolAutoCreation', 'activeMigration'] as const) {
      if (props[b] !== undefined) Validate.boolean(this, b, props[b]);
    }
    if (props.whenUnsatisfiable !== undefined) {
      Validate.oneOf(this, 'whenUnsatisfiable', props.whenUnsatisfiable, Object.values(WhenUnsatisfiable));
    }
    if (props.poolRole !== undefined)
      Validate.oneOf(this, 'poolRole', props.poolRole, ['training', 'inference']);
    const machine = ValidationError.withScope(this, () =>
      resolveMachine(
        props.accelerator,
        props.gpusPerNode ?? (props.poolRole === 'training' ? 8 : 1),
        props.machineType,
        props.gpusPerNode,
      ),
    );
    const fallbacks = Validate.array<Capacity>(this, 'fallbackCapacity', props.fallbackCapacity ?? []);
    fallbacks.forEach((c, i) => {
      if (!(c instanceof Capacity)) {
        throw new ValidationError(
          `'fallbackCapacity[${i}]' must be a Capacity (for example Capacity.spot()), got ${String(c)}.`,
          this,
          VALIDATION_CODES.TYPE,
        );
      }
    });
    const capacities = [props.capacity ?? Capacity.onDemand(), ...fallbacks];
    Validate.unique(
      this,
      'capacity / fallbackCapacity',
      capacities,
      (c) => c.toString(),
      'GKE would try the same capacity twice',
    );
    const zones = Validate.array<string>(this, 'zones', props.zones ?? cluster.nodeLocations ?? []);
    zones.forEach((z, i) => Validate.gcpZone(this, `zones[${i}]`, z, cluster.network.region));
    Validate.unique(this, 'zones', zones);

    const priorities = capacities.map((c, i) => this.priority(c, i, machine, cluster.project, zones));
    this.warnOrder(capacities);
    const autoCreation = props.nodePoolAutoCreation ?? true;
    if (autoCreation) this.checkClusterCanCreate(cluster, machine);

    const userTaints = props.taints ?? [];
    const labels = mergeNodeLabels(
      this,
      'labels',
      {
        [ACCELERATOR_NODE_LABEL]: machine.accelerator.labelValue,
        // The class's name names the pool its auto-created nodes belong to.
        ...poolNodeLabels(
          this,
          props.name !== undefined ? "'name'" : 'construct id',
          name,
          props.poolRole ?? 'inference',
        ),
      },
      props.labels,
    );
    this.nodeClassName = name;
    this.nodeSelector = { [COMPUTE_CLASS_NODE_LABEL]: name };
    this.taints = [
      { key: COMPUTE_CLASS_NODE_LABEL, value: name, effect: TaintEffect.NO_SCHEDULE },
      ...userTaints,
    ];
    this.accelerator = machine.accelerator;
    this.gpusPerNode = machine.gpuCount;
    this.machineType = machine.name;
    this.capacities = capacities;
    this.manifest = {
      apiVersion: 'cloud.google.com/v1',
      kind: 'ComputeClass',
      metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'cdktf-ai-infra' } },
      spec: {
        priorities,
        nodePoolAutoCreation: { enabled: autoCreation },
        nodePoolConfig: {
          imageType: 'cos_containerd',
          serviceAccount: cluster.nodeServiceAccountEmail,
          nodeLabels: labels,
          ...(userTaints.length
            ? {
                taints: userTaints.map((t) => ({
                  key: t.key,
                  ...(t.value !== undefined ? { value: t.value } : {}),
                  effect: t.effect,
                })),
              }
            : {}),
        },
        activeMigration: { optimizeRulePriority: props.activeMigration ?? false },
        whenUnsatisfiable: props.whenUnsatisfiable ?? WhenUnsatisfiable.DO_NOT_SCALE_UP,
      },
    };
    if (props.whenUnsatisfiable === WhenUnsatisfiable.SCALE_UP_ANYWAY) {
      Warnings.add(
        this,
        'gcp-compute-class-scale-up-anyway',
        `'whenUnsatisfiable' is ScaleUpAnyway: when no priority can be met GKE creates E2 nodes without GPUs, where these GPU pods still cannot run. Use DO_NOT_SCALE_UP (the default).`,
      );
    }
    this.resource = new RawTerraformResource(this, 'Resource', 'kubernetes_manifest', 'kubernetes', {
      manifest: this.manifest,
    });
    this.node.defaultChild = this.resource;
  }

  /** One `priorities[]` rule for a capacity. */
  private priority(
    c: Capacity,
    i: number,
    m: GcpGpuMachineType,
    project: string,
    zones: readonly string[],
  ): PriorityRule {
    const prop = i === 0 ? 'capacity' : `fallbackCapacity[${i - 1}]`;
    const base: PriorityRule = {
      machineType: m.name,
      gpu: { type: m.acceleratorType, count: m.gpuCount, driverVersion: 'default' },
    };
    const location = zones.length ? { location: { zones: [...zones] } } : {};
    switch (c.kind) {
      case CapacityKind.RESERVATION: {
        const name = c.reservationId!;
        validateGcpReservation(this, prop, c, project);
        const o = c.reservationOptions;
        // No location: GKE refuses `location` together with specific reservations; the
        // reservation is zonal and brings its zone.
        return {
          ...base,
          reservations: {
            affinity: 'Specific',
            specific: [
              {
                name,
                ...(o.project !== undefined ? { project: o.project } : {}),
                ...(o.block !== undefined ? { reservationBlock: { name: o.block } } : {}),
              },
            ],
          },
        };
      }
      case CapacityKind.SPOT:
        return { ...base, spot: true, ...location };
      case CapacityKind.ON_DEMAND:
        if (!m.onDemandAvailable) {
          Warnings.add(
            this,
            'gcp-consumption-option',
            `${m.name} is not sold as plain on-demand capacity (Spot, flex-start or reservations only; VERIFY on https://cloud.google.com/ai-hypercomputer/docs/consumption-models): GKE will skip the on-demand priority of this class.`,
          );
        }
        return { ...base, spot: false, ...location };
      case CapacityKind.FLEX_START:
        return {
          ...base,
          flexStart: { enabled: true },
          maxRunDurationSeconds: c.maxRunDurationSeconds,
          ...location,
        };
      case CapacityKind.CAPACITY_BLOCK:
        throw new ValidationError(
          `'${prop}' (${c.toString()}) is an AWS EC2 Capacity Block; a GKE ComputeClass cannot express it. Use Capacity.reservation('<name>'), Capacity.spot(), Capacity.onDemand() or Capacity.flexStart().`,
          this,
        );
      default:
        throw new ValidationError(
          `'${prop}' (${c.toString()}) cannot be a ComputeClass priority: a class's priorities are a specific reservation, Spot, on-demand or flex-start. ` +
            `For all-or-nothing provisioning use Capacity.flexStart() (flex-start is queued provisioning's successor in classes), or a node pool with Capacity.queuedProvisioning().`,
          this,
        );
    }
  }

  /** Warns when on-demand comes before a cheaper capacity that would then rarely be used. */
  private warnOrder(capacities: readonly Capacity[]): void {
    const od = capacities.findIndex((c) => c.kind === CapacityKind.ON_DEMAND);
    if (od < 0) return;
    const later = capacities.slice(od + 1).filter((c) => c.kind !== CapacityKind.ON_DEMAND);
    if (later.length) {
      Warnings.add(
        this,
        'gcp-compute-class-order',
        `on-demand comes before ${later.map((c) => c.toString()).join(', ')}: GKE tries priorities in order and falls back only when a priority cannot be met, so the later, cheaper capacity is used only when on-demand is out of stock. Put reservations and Spot first.`,
      );
    }
  }

  /** Refuses a class the cluster's autoscaler cannot create nodes for. */
  private checkClusterCanCreate(cluster: IGkeCluster, m: GcpGpuMachineType): void {
    const nap = cluster.nodeAutoProvisioning;
    if (nap) {
      if (nap.gpuLimits[m.acceleratorType] === undefined) {
        throw new ValidationError(
          `'cluster' has node auto-provisioning without a '${m.acceleratorType}' resource limit: GKE creates no ${m.name} node for this class ` +
            `(limits name ${Object.keys(nap.gpuLimits).join(', ') || 'no GPU type'}). Add { accelerator: Accelerator.${m.accelerator.id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}, maxGpus } to the cluster's nodeAutoProvisioning.gpus.`,
          this,
        );
      }
      return;
    }
    const v = cluster.kubernetesVersion;
    if (v === undefined) return;
    if (gkeVersionBelow(v, COMPUTE_CLASS_MIN_GKE)) {
      throw new ValidationError(
        `'cluster' runs GKE ${v}: custom compute classes need ${COMPUTE_CLASS_MIN_GKE} or later on Standard clusters. Raise the cluster's kubernetesVersion.`,
        this,
      );
    }
    if (gkeVersionBelow(v, COMPUTE_CLASS_AUTO_CREATION_MIN_GKE)) {
      throw new ValidationError(
        `'nodePoolAutoCreation' (true) on GKE ${v}: compute classes create node pools themselves from ${COMPUTE_CLASS_AUTO_CREATION_MIN_GKE}; ` +
          `older clusters need cluster-level node auto-provisioning. Set the cluster's 'nodeAutoProvisioning', or raise its kubernetesVersion.`,
        this,
      );
    }
  }
}
