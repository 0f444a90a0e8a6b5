import { EksNodeGroupNodeRepairConfig } from '@cdktf/provider-aws/lib/eks-node-group';
import { IConstruct } from 'constructs';
import { ValidationError } from '../core/errors';
import { Validate } from '../core/validation';

/**
 * Node conditions the EKS node monitoring agent sets, which node auto repair acts on.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/node-repair.html
 */
export enum EksNodeCondition {
  /** GPU or Neuron hardware (DCGM health, XID errors, NVLink). Default repair after 10 minutes. */
  ACCELERATED_HARDWARE_READY = 'AcceleratedHardwareReady',
  /** The container runtime. Default repair after 30 minutes. */
  CONTAINER_RUNTIME_READY = 'ContainerRuntimeReady',
  /** Kernel errors, panics and resource exhaustion. Default repair after 30 minutes. */
  KERNEL_READY = 'KernelReady',
  /** Interfaces, routing and connectivity (EFA included). Default repair after 30 minutes. */
  NETWORKING_READY = 'NetworkingReady',
  /** Disks and file systems. Default repair after 30 minutes. */
  STORAGE_READY = 'StorageReady',
}

/**
 * What EKS does to a node whose condition and reason match an override.
 * @see https://docs.aws.amazon.com/eks/latest/APIReference/API_NodeRepairConfigOverrides.html
 */
export enum EksNodeRepairAction {
  /** Terminate the instance and launch a new one. */
  REPLACE = 'Replace',
  /** Reboot the instance (managed node groups only; enough for many XID errors). */
  REBOOT = 'Reboot',
  /** Leave the node alone (the condition stays visible on the node and in alerts). */
  NO_ACTION = 'NoAction',
}

/**
 * One repair override: for nodes whose `condition` has `reason`, wait `minRepairWaitMinutes`
 * and then take `action`. EKS requires every field of an override.
 */
export interface EksNodeRepairOverride {
  /** The node condition, for example `EksNodeCondition.ACCELERATED_HARDWARE_READY`. */
  readonly condition: EksNodeCondition;
  /**
   * The reason the node monitoring agent reports on that condition, for example
   * `NvidiaXID79Error` or `DCGMError` (the agent's reasons are listed in the EKS user guide,
   * "Detect node health issues with the EKS node monitoring agent").
   */
  readonly reason: string;
  /** The repair action. */
  readonly action: EksNodeRepairAction;
  /** Minutes the condition must last before the action (EKS minimum 1). */
  readonly minRepairWaitMinutes: number;
}

/**
 * Pace and limits of EKS node auto repair on the GPU node groups (`node_repair_config`).
 * Parallelism and the unhealthy threshold are each a count or a percentage, never both.
 * @see https://docs.aws.amazon.com/eks/latest/APIReference/API_NodeRepairConfig.html
 */
export interface EksNodeRepairOptions {
  /**
   * At most this many nodes of a group are repaired at once.
   * @default 1 - one GPU node at a time, unless `maxParallelRepairPercentage` is set: GPU
   * capacity is scarce (a replacement may wait for capacity or a reservation slot), and a
   * systemic false positive should not take out a fleet at once
   */
  readonly maxParallelRepairs?: number;
  /**
   * At most this percentage (1-100) of a group's unhealthy nodes is repaired at once.
   * @default - `maxParallelRepairs` applies
   */
  readonly maxParallelRepairPercentage?: number;
  /**
   * Repair stops while more than this many nodes of a group are unhealthy (many nodes failing at
   * once usually means a driver, AMI or agent problem, which replacing nodes does not fix).
   * @default - no threshold (EKS's default)
   */
  readonly maxUnhealthyNodes?: number;
  /**
   * Repair stops while more than this percentage (1-100) of a group's nodes is unhealthy.
   * @default - no threshold (EKS's default)
   */
  readonly maxUnhealthyNodePercentage?: number;
  /**
   * Overrides per condition and reason. The library always adds one for
   * `AcceleratedHardwareReady` / `DCGMError` with `NoAction` (see {@link DCGM_ERROR_OVERRIDE})
   * unless one for that pair is given here.
   * @default - only the DCGMError override
   */
  readonly overrides?: EksNodeRepairOverride[];
}

/**
 * The override the library always adds: a lost connection to DCGM's host engine
 * (`AcceleratedHardwareReady`, reason `DCGMError`) is not a hardware fault. With the GPU
 * Operator's DCGM on the node the agent cannot reach a host engine and reports it on healthy
 * nodes (aws/containers-roadmap#2555), and the condition latches until the agent pod restarts
 * (aws/eks-node-monitoring-agent#266), so repairing on it replaces healthy GPU nodes. XID, ECC
 * and NVLink reasons keep EKS's repair actions.
 */
export const DCGM_ERROR_OVERRIDE: EksNodeRepairOverride = {
  condition: EksNodeCondition.ACCELERATED_HARDWARE_READY,
  reason: 'DCGMError',
  action: EksNodeRepairAction.NO_ACTION,
  minRepairWaitMinutes: 10,
};

const REASON = /^[A-Za-z][A-Za-z0-9]{0,127}$/;

/**
 * The `node_repair_config` of a GPU node group from the options, validated; `prop` is the name
 * under which the user passed them.
 */
export function eksNodeRepairConfig(
  scope: IConstruct,
  prop: string,
  options: EksNodeRepairOptions = {},
): EksNodeGroupNodeRepairConfig {
  Validate.object(scope, prop, options);
  const int = (k: keyof EksNodeRepairOptions, max?: number): number | undefined =>
    options[k] === undefined
      ? undefined
      : Validate.integer(scope, `${prop}.${k}`, options[k], { min: 1, max });
  const parallel = int('maxParallelRepairs');
  const parallelPct = int('maxParallelRepairPercentage', 100);
  const unhealthy = int('maxUnhealthyNodes');
  const unhealthyPct = int('maxUnhealthyNodePercentage', 100);
  for (const [a, b, va, vb] of [
    ['maxParallelRepairs', 'maxParallelRepairPercentage', parallel, parallelPct],
    ['maxUnhealthyNodes', 'maxUnhealthyNodePercentage', unhealthy, unhealthyPct],
  ] as const) {
    if (va !== undefined && vb !== undefined) {
      throw new ValidationError(
        `'${prop}.${a}' (${va}) and '${prop}.${b}' (${vb}) are both set: EKS accepts a count or a percentage, not both. Remove one.`,
        scope,
      );
    }
  }
  const given =
    options.overrides === undefined
      ? []
      : Validate.array<EksNodeRepairOverride>(scope, `${prop}.overrides`, options.overrides);
  const overrides = given.map((o, i) => {
    const p = `${prop}.overrides[${i}]`;
    Validate.object<EksNodeRepairOverride>(scope, p, o);
    Validate.oneOf(scope, `${p}.condition`, o.condition, Object.values(EksNodeCondition));
    Validate.oneOf(scope, `${p}.action`, o.action, Object.values(EksNodeRepairAction));
    Validate.string(scope, `${p}.reason`, o.reason);
    if (!REASON.test(o.reason)) {
      throw new ValidationError(
        `'${p}.reason' ('${o.reason}') must be a reason the node monitoring agent reports: letters and digits, starting with a letter (for example 'NvidiaXID79Error'), at most 128 characters.`,
        scope,
      );
    }
    Validate.integer(scope, `${p}.minRepairWaitMinutes`, o.minRepairWaitMinutes, { min: 1 });
    return o;
  });
  Validate.unique(
    scope,
    `${prop}.overrides`,
    overrides,
    (o) => `${o.condition}/${o.reason}`,
    'EKS takes one override per condition and reason',
  );
  if (
    !overrides.some(
      (o) => o.condition === DCGM_ERROR_OVERRIDE.condition && o.reason === DCGM_ERROR_OVERRIDE.reason,
    )
  ) {
    overrides.unshift(DCGM_ERROR_OVERRIDE);
  }
  return {
    enabled: true,
    ...(parallelPct === undefined
      ? { maxParallelNodesRepairedCount: parallel ?? 1 }
      : { maxParallelNodesRepairedPercentage: parallelPct }),
    ...(unhealthy === undefined ? {} : { maxUnhealthyNodeThresholdCount: unhealthy }),
    ...(unhealthyPct === undefined ? {} : { maxUnhealthyNodeThresholdPercentage: unhealthyPct }),
    nodeRepairConfigOverrides: overrides.map((o) => ({
      nodeMonitoringCondition: o.condition,
      nodeUnhealthyReason: o.reason,
      repairAction: o.action,
      minRepairWaitTimeMins: o.minRepairWaitMinutes,
    })),
  };
}

/**
 * The `nodeRepairConfig` field of a GPU node group: the group's own options, else the
 * cluster's, when the cluster has node auto repair on; nothing when it is off.
 * @internal
 */
export function nodeGroupRepairConfig(
  scope: IConstruct,
  cluster: { readonly nodeAutoRepair: boolean; readonly nodeRepair?: EksNodeRepairOptions },
  own: EksNodeRepairOptions | undefined,
): { nodeRepairConfig?: EksNodeGroupNodeRepairConfig } {
  if (!cluster.nodeAutoRepair) {
    if (own !== undefined) {
      throw new ValidationError(
        `'nodeRepair' is set but the cluster has 'nodeAutoRepair' off, so the node monitoring agent that reports GPU faults is not installed. Set nodeAutoRepair: true on the EksCluster, or remove 'nodeRepair'.`,
        scope,
      );
    }
    return {};
  }
  return {
    nodeRepairConfig: eksNodeRepairConfig(
      scope,
      own !== undefined ? 'nodeRepair' : 'cluster.nodeRepair',
      own ?? cluster.nodeRepair,
    ),
  };
}
