/**
 * The GKE GPU node-pool combination rules of reference/gcp.md §6.2 (union of Cluster Toolkit
 * preconditions and API errors), as one pure function over a resolved pool plan. Both node pool
 * constructs run it, so every rule lives once and is tested once per row.
 */

/** `reservation_affinity.consume_reservation_type`. */
export type ReservationType = 'NO_RESERVATION' | 'ANY_RESERVATION' | 'SPECIFIC_RESERVATION';

/** A node pool as it will be rendered, for the rules. */
export interface PoolPlan {
  readonly machineType: string;
  readonly spot: boolean;
  readonly flexStart: boolean;
  readonly queuedProvisioning: boolean;
  readonly reservationType: ReservationType;
  readonly reservationValues: readonly string[];
  /** `node_count` (static size), when set. */
  readonly staticNodeCount?: number;
  /** `autoscaling` total limits, when set. */
  readonly autoscaling?: { readonly totalMin: number; readonly totalMax: number };
  readonly autoRepair: boolean;
  readonly compactPlacement: boolean;
  /** Explicit `node_locations`, or undefined for the cluster's zones. */
  readonly nodeLocations?: readonly string[];
  readonly upgradeStrategy: 'SURGE' | 'BLUE_GREEN';
}

/** Machine-type prefixes on which GKE allows flex-start with COMPACT placement. */
export const FLEX_START_COMPACT_PREFIXES = ['a3-ultragpu-', 'a4-', 'h4d-'];

/**
 * The first §6.2 rule the plan breaks, as a message naming the props, or undefined.
 * Capacity kinds are exclusive in the core `Capacity` type, so spot / flex-start / queued /
 * reservation conflicts mostly cannot be written; the rules still check the rendered plan.
 */
export function poolRuleViolation(p: PoolPlan): string | undefined {
  const reserving = p.reservationType !== 'NO_RESERVATION';
  if (p.flexStart && p.spot) {
    return `flex-start cannot run on Spot VMs: choose Capacity.flexStart() or Capacity.spot(), not both.`;
  }
  if (p.flexStart && reserving) {
    return `flex-start requires reservation affinity NO_RESERVATION (got ${p.reservationType}): flex-start capacity cannot come from a reservation; use Capacity.reservation(...) without flex-start.`;
  }
  if (p.flexStart && p.staticNodeCount !== undefined) {
    return `flex-start pools must autoscale: a static node_count (${p.staticNodeCount}) is rejected by GKE. Let the pool scale from 0.`;
  }
  if (p.flexStart && p.autoRepair) {
    return `'autoRepair' (true) is not allowed with flex-start: GKE rejects auto-repair on flex-start pools. Set autoRepair: false or omit it.`;
  }
  if (p.queuedProvisioning && p.spot) {
    return `queued provisioning cannot use Spot VMs: choose Capacity.queuedProvisioning() or Capacity.spot().`;
  }
  if (p.queuedProvisioning && reserving) {
    return `queued provisioning requires reservation affinity NO_RESERVATION (got ${p.reservationType}): "Queued_provisioning requires reservation affinity to be set to none".`;
  }
  if (p.queuedProvisioning && (p.autoscaling === undefined || p.autoscaling.totalMin !== 0)) {
    return `queued provisioning needs autoscaling with a total minimum of 0 nodes (got ${p.autoscaling ? p.autoscaling.totalMin : 'a static size'}): set minNodes: 0.`;
  }
  if (p.queuedProvisioning && p.compactPlacement) {
    return `'compactPlacement' (true) cannot be combined with queued provisioning on GPU pools: set compactPlacement: false.`;
  }
  if (p.spot && reserving) {
    return `Spot VMs require reservation affinity NO_RESERVATION (got ${p.reservationType}): Spot capacity cannot consume a reservation.`;
  }
  if (p.compactPlacement && (p.nodeLocations === undefined || p.nodeLocations.length !== 1)) {
    return `'compactPlacement' (true) needs exactly one zone, got ${p.nodeLocations ? `${p.nodeLocations.length} (${p.nodeLocations.join(', ')})` : "the cluster's zones"}: set 'zone' to the zone of your capacity.`;
  }
  if (p.compactPlacement && p.upgradeStrategy === 'BLUE_GREEN') {
    return `'upgradeStrategy' BLUE_GREEN cannot be combined with COMPACT placement: use SURGE or set compactPlacement: false.`;
  }
  if (
    p.flexStart &&
    p.compactPlacement &&
    !FLEX_START_COMPACT_PREFIXES.some((x) => p.machineType.startsWith(x))
  ) {
    return `flex-start with COMPACT placement is only offered on ${FLEX_START_COMPACT_PREFIXES.map((x) => `${x}*`).join(', ')}, not ${p.machineType}: set compactPlacement: false.`;
  }
  if (p.staticNodeCount !== undefined && p.autoscaling !== undefined) {
    return `a pool has either a static node_count or autoscaling, not both.`;
  }
  if (p.reservationType === 'SPECIFIC_RESERVATION') {
    if (p.reservationValues.length !== 1) {
      return `a specific reservation names exactly one reservation per node pool (got ${p.reservationValues.length}).`;
    }
    if (p.nodeLocations === undefined || p.nodeLocations.length === 0) {
      return `a specific reservation needs explicit zones: set the pool's zone(s) to the reservation's zone.`;
    }
  }
  if (p.autoscaling && p.autoscaling.totalMax < p.autoscaling.totalMin) {
    return `autoscaling total maximum (${p.autoscaling.totalMax}) is below the minimum (${p.autoscaling.totalMin}).`;
  }
  return undefined;
}
