import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { Validate, ValidationError } from '../../core';
import type { NetworkSubnet } from '../interfaces';

/**
 * AWS subnet sizes: a subnet's CIDR is /16 to /28
 * (https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html), as is a VPC's primary
 * CIDR (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html).
 */
export const AWS_CIDR_RANGE = { minPrefix: 16, maxPrefix: 28, reason: 'AWS VPCs and subnets are /16 to /28' };

/** Validates a subnet given by the user: its id, Availability Zone and CIDR. */
export function validateSubnet(scope: IConstruct, prop: string, subnet: unknown): NetworkSubnet {
  const sn = Validate.object<NetworkSubnet>(scope, prop, subnet);
  Validate.ec2ResourceId(scope, `${prop}.subnetId`, sn.subnetId, 'subnet');
  Validate.awsAvailabilityZone(scope, `${prop}.availabilityZone`, sn.availabilityZone);
  Validate.cidr(scope, `${prop}.cidr`, sn.cidr, AWS_CIDR_RANGE);
  return sn;
}

function toRange(cidr: string): [number, number] {
  const [ip, p] = cidr.split('/');
  const base = ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  return [base, base + 2 ** (32 - Number(p))];
}

/** Fails when `inner` (a subnet CIDR) is not inside `outer` (the VPC CIDR). Tokens are skipped. */
export function assertCidrInside(
  scope: IConstruct,
  prop: string,
  inner: string,
  outerProp: string,
  outer: string,
): void {
  if (Token.isUnresolved(inner) || Token.isUnresolved(outer)) return;
  const [a, b] = toRange(inner);
  const [c, d] = toRange(outer);
  if (a < c || b > d) {
    throw new ValidationError(
      `'${prop}' ('${inner}') is not inside '${outerProp}' ('${outer}'): a subnet's block must be part of its VPC's.`,
      scope,
      'cidr',
    );
  }
}
