import { IConstruct } from 'constructs';
import { Capacity, CapacityKind, Validate, ValidationError } from '../../core';

/**
 * Validates the reservation of a capacity on an AWS path (managed node groups, Karpenter and
 * Auto Mode pools). `Capacity.reservation()` also takes GCP reservation names and GCP options,
 * which EC2 would reject only at apply: refuse them at synth. Other kinds pass unchecked
 * (`Capacity.capacityBlock()` ids are validated by the factory).
 * @param prop the prop that holds the capacity (`capacity`, `fallbackCapacity[0]`)
 */
export function validateAwsReservation(
  scope: IConstruct,
  prop: string,
  capacity: Capacity | undefined,
): void {
  if (capacity?.kind !== CapacityKind.RESERVATION) return;
  const id = capacity.reservationId;
  try {
    Validate.awsReservationId(scope, prop, id);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    throw new ValidationError(
      `${e.detail} On AWS, Capacity.reservation() takes an EC2 capacity reservation id (a GCP reservation name applies ` +
        `to GKE node pools only): pass the id of the EC2 On-Demand Capacity Reservation ` +
        `(\`aws ec2 describe-capacity-reservations\`).`,
      scope,
      e.code,
    );
  }
  const gcpOptions = (['project', 'block'] as const).filter(
    (o) => capacity.reservationOptions[o] !== undefined,
  );
  if (gcpOptions.length > 0) {
    throw new ValidationError(
      `'${prop}' (Capacity.reservation('${id}', { ${gcpOptions.join(', ')} })): ${gcpOptions.join(' and ')} ` +
        `select GCP shared reservations and reservation blocks, which EC2 does not have: remove ` +
        `${gcpOptions.length > 1 ? 'them' : 'it'} (an EC2 reservation is named by its id alone).`,
      scope,
    );
  }
}
