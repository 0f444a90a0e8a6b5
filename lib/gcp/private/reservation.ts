import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { Capacity, CapacityKind, Validate, VALIDATION_CODES, ValidationError } from '../../core';

/** How a reservation capacity was written, for messages: `Capacity.reservation('r', { block })`. */
function described(capacity: Capacity): string {
  const o = capacity.reservationOptions;
  const options = (['project', 'block'] as const).filter((k) => o[k] !== undefined);
  return `Capacity.reservation('${capacity.reservationId}'${options.length ? `, { ${options.join(', ')} }` : ''})`;
}

/**
 * Validates the reservation of a capacity on a GKE path (training and inference node pools,
 * ComputeClass priorities). `Capacity.reservation()` also takes AWS capacity reservation ids
 * (`cr-...`), which GKE would look up as a reservation name and not find at apply: refuse them
 * at synth, as the AWS paths refuse GCP names. Also refuses names that are not Compute Engine
 * resource names (RFC 1035, at most 63) and a block of a reservation shared from another project
 * (GKE does not consume those: Cluster Toolkit `gke-node-pool`, "Shared extended reservations are
 * not supported by GKE"). Token names and projects are left to GKE. Other kinds pass.
 * @param prop the prop that holds the capacity (`capacity`, `fallbackCapacity[0]`)
 * @param project the cluster's project
 */
export function validateGcpReservation(
  scope: IConstruct,
  prop: string,
  capacity: Capacity,
  project: string,
): void {
  if (capacity.kind !== CapacityKind.RESERVATION) return;
  const name = capacity.reservationId!;
  const o = capacity.reservationOptions;
  const nameRule =
    `a Compute Engine specific reservation by its name: 1-63 lower-case letters, digits and '-', starting with a letter ` +
    `and not ending with '-'`;
  if (!Token.isUnresolved(name)) {
    if (/^cr-/.test(name)) {
      throw new ValidationError(
        `'${prop}' (${described(capacity)}) is an AWS EC2 capacity reservation id, which applies to EKS node groups only: ` +
          `GKE consumes ${nameRule}. Pass the name (\`gcloud compute reservations list\`), for example ` +
          `Capacity.reservation('a3-mega-res'), with { project } for a reservation shared from another project.`,
        scope,
        VALIDATION_CODES.GCP_RESOURCE_NAME,
      );
    }
    try {
      Validate.gcpResourceName(scope, prop, name);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      throw new ValidationError(
        `'${prop}' (${described(capacity)}): GKE consumes ${nameRule}, for example 'a3-mega-res'. Pass the block with ` +
          `{ block } and a shared reservation's project with { project }.`,
        scope,
        e.code,
      );
    }
  }
  if (
    o.block !== undefined &&
    o.project !== undefined &&
    !Token.isUnresolved(o.project) &&
    !Token.isUnresolved(project) &&
    o.project !== project
  ) {
    throw new ValidationError(
      `'${prop}' (Capacity.reservation('${name}', { project: '${o.project}', block: '${o.block}' })): GKE does not consume ` +
        `blocks of a reservation shared from another project (cluster project '${project}'; Cluster Toolkit gke-node-pool: ` +
        `"Shared extended reservations are not supported by GKE"). Drop 'block' to consume the shared reservation as a ` +
        `whole, or use a reservation of project '${project}'.`,
      scope,
    );
  }
}
