import { Validate, ValidationError } from '../../core';
import {
  Ipv4Block,
  blocksOverlap,
  cidrString,
  containsBlock,
  nthSubBlock,
  parseIpv4Cidr,
} from '../../core/private/ipv4';

/**
 * Parses an IPv4 CIDR and checks it is a network address.
 * @throws ValidationError naming `prop` when the CIDR is malformed or not aligned
 */
export function parseCidr(prop: string, cidr: string): Ipv4Block {
  Validate.string(undefined, prop, cidr);
  const parsed = parseIpv4Cidr(cidr);
  if (!parsed) {
    throw new ValidationError(`'${prop}' ('${cidr}') is not an IPv4 CIDR block such as '10.0.0.0/16'.`);
  }
  if (parsed.address !== parsed.first) {
    const aligned = cidrString(parsed);
    throw new ValidationError(
      `'${prop}' ('${cidr}') is not a network address: the /${parsed.prefix} containing it is '${aligned}'. Use '${aligned}'.`,
    );
  }
  return { first: parsed.first, prefix: parsed.prefix };
}

/** The prefix length of a range. */
export function prefixOf(range: Ipv4Block): number {
  return range.prefix;
}

/**
 * The `index`-th sub-block of length `/prefix` inside `range`, without enumerating the blocks
 * (linear in nothing: pure arithmetic).
 */
export function subBlock(range: Ipv4Block, prefix: number, index: number): string {
  const parent = range.prefix;
  if (prefix < parent || prefix > 32) {
    throw new ValidationError(`Cannot carve a /${prefix} out of ${cidrString(range)}.`);
  }
  const count = 2 ** (prefix - parent);
  if (index < 0 || index >= count) {
    throw new ValidationError(
      `${cidrString(range)} holds ${count} /${prefix} blocks; block ${index} does not exist.`,
    );
  }
  return cidrString(nthSubBlock(range, prefix, index));
}

/**
 * Whether two CIDR strings overlap.
 * @throws ValidationError when either is not an IPv4 CIDR
 */
export function overlaps(a: string, b: string): boolean {
  const [pa, pb] = [a, b].map((c) => {
    const p = parseIpv4Cidr(c);
    if (!p) throw new ValidationError(`'${c}' is not an IPv4 CIDR block such as '10.0.0.0/16'.`);
    return p;
  });
  return blocksOverlap(pa, pb);
}

const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].flatMap(
  (c) => parseIpv4Cidr(c) ?? [],
);

/** Whether a range lies inside an RFC 1918 / RFC 6598 private block. */
export function isPrivate(range: Ipv4Block): boolean {
  return PRIVATE.some((p) => containsBlock(p, range));
}
