import { IConstruct } from 'constructs';
import { CapacityKind } from './capacity';
import { Warnings } from './errors';
import { PricingModel } from './pricing';
import { SizingResult } from './sizing';

// Rules every cloud's GPU node pools share (issue 11 §2: one implementation in core).

/**
 * How a capacity kind is priced in the cost estimate, the same on every cloud: spot at the
 * assumed spot fraction; reservations and Capacity Blocks as `RESERVED` (paid whether used or
 * not); on-demand, flex-start and queued provisioning at the on-demand price.
 */
export function pricingModelOf(kind: CapacityKind): PricingModel {
  switch (kind) {
    case CapacityKind.SPOT:
      return PricingModel.SPOT;
    case CapacityKind.RESERVATION:
    case CapacityKind.CAPACITY_BLOCK:
      return PricingModel.RESERVED;
    default:
      return PricingModel.ON_DEMAND;
  }
}

/**
 * Raises the advisory findings of a sizing (PCIe tensor parallelism, slow kernels) as warnings
 * with the finding's id, the same ids on AWS node groups and GKE node pools.
 */
export function raiseSizingFindings(scope: IConstruct, sizing: SizingResult | undefined): void {
  for (const f of sizing?.findings ?? []) {
    Warnings.add(scope, f.id, f.message);
  }
}
