import { Token } from 'cdktf';
import { Validate, ValidationError } from '../core';
import { IPlacementGroup } from './interfaces';

/**
 * EC2 placement groups the app does not own, for `TrainingNodeGroup`'s `existingPlacementGroup`
 * (an On-Demand Capacity Reservation created in a `cluster` placement group is used only by
 * instances launched in that group).
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/cr-cpg.html
 * @example
 * cluster.addTrainingNodeGroup('H100', {
 *   accelerator: Accelerator.H100, nodes: 8, capacity: Capacity.reservation('cr-0123456789abcdef0'),
 *   existingPlacementGroup: PlacementGroupReference.fromPlacementGroupName('h100-odcr'),
 * });
 */
export class PlacementGroupReference {
  /** A placement group by name (1-255 ASCII characters, as `CreatePlacementGroup` takes it). */
  public static fromPlacementGroupName(placementGroupName: string): IPlacementGroup {
    Validate.string(undefined, 'placementGroupName', placementGroupName);
    if (!Token.isUnresolved(placementGroupName) && !/^[\x20-\x7e]{1,255}$/.test(placementGroupName)) {
      throw new ValidationError(
        `'placementGroupName' ('${placementGroupName}') must be 1-255 printable ASCII characters (EC2 CreatePlacementGroup GroupName).`,
      );
    }
    return { placementGroupName };
  }

  private constructor() {}
}
