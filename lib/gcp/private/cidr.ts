import { IPv4, IPv4CidrRange, Validator } from 'ip-num';
import { Validate, ValidationError } from '../../core';

/**
 * Parses an IPv4 CIDR and checks it is a network address.
 * @throws ValidationError naming `prop` when the CIDR is malformed or not aligned
 */
export function parseCidr(prop: string, cidr: string): IPv4CidrRange {
  Validate.string(undefined, prop, cidr);
  const [valid] = Validator.isValidIPv4CidrNotation(cidr);
  if (!valid) {
    throw new ValidationError(`'${prop}' ('${cidr}') is not an IPv4 CIDR block such as '10.0.0.0/16'.`);
  }
  const range = IPv4CidrRange.fromCidr(cidr);
  const address = IPv4.fromString(cidr.split('/')[0]).getValue();
  if (address !== range.getFirst().getValue()) {
    const aligned = `${range.getFirst().toString()}/${prefixOf(range)}`;
    throw new ValidationError(
      `'${prop}' ('${cidr}') is not a network address: the /${prefixOf(range)} containing it is '${aligned}'. Use '${aligned}'.`,
    );
  }
  return range;
}

/** The prefix length of a range. */
export function prefixOf(range: IPv4CidrRange): number {
  return Number(range.getPrefix().getValue());
}

/**
 * The `index`-th sub-block of length `/prefix` inside `range`, without enumerating the blocks
 * (linear in nothing: pure arithmetic).
 */
export function subBlock(range: IPv4CidrRange, prefix: number, index: number): string {
  const parent = prefixOf(range);
  if (prefix < parent || prefix > 32) {
    throw new ValidationError(`Cannot carve a /${prefix} out of ${range.toCidrString()}.`);
  }
  const count = 2 ** (prefix - parent);
  if (index < 0 || index >= count) {
    throw new ValidationError(
      `${range.toCidrString()} holds ${count} /${prefix} blocks; block ${index} does not exist.`,
    );
  }
  const size = 2n ** BigInt(32 - prefix);
  const first = range.getFirst().getValue() + size * BigInt(index);
  return `${IPv4.fromNumber(first).toString()}/${prefix}`;
}

/** Whether two CIDR strings overlap. */
export function overlaps(a: string, b: string): boolean {
  return IPv4CidrRange.fromCidr(a).isOverlapping(IPv4CidrRange.fromCidr(b));
}

const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map((c) =>
  IPv4CidrRange.fromCidr(c),
);

/** Whether a range lies inside an RFC 1918 / RFC 6598 private block. */
export function isPrivate(range: IPv4CidrRange): boolean {
  return PRIVATE.some((p) => range.inside(p) || range.isEquals(p));
}
