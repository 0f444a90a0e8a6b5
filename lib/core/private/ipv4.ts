/**
 * IPv4 CIDR arithmetic for the network constructs: parse a dotted quad and prefix, find the
 * network address, carve sub-blocks, test containment and overlap. The accepted notation is
 * ip-num 1.6's `IPv4CidrRange.fromCidr` (github.com/ip-num/ip-num, tag v1.6.2:
 * src/Validator.ts `isValidIPv4CidrNotation`): four decimal octets 0-255 without leading zeros,
 * '/', and a prefix of decimal digits whose value is at most 32 (leading zeros allowed).
 * `test/core/ipv4.test.ts` checks every function against ip-num (a dev dependency) over random
 * input; the library no longer loads ip-num (about 25 ms of CPU) to synthesize.
 */

/** An IPv4 block: its first address (as an unsigned 32-bit number) and prefix length. */
export interface Ipv4Block {
  /** First address of the block (the network address), 0 to 2^32 - 1. */
  readonly first: number;
  /** Prefix length, 0 to 32. */
  readonly prefix: number;
}

/** A parsed CIDR: the address as written and the prefix length. */
export interface Ipv4Cidr extends Ipv4Block {
  /** The address as written (may have host bits set). */
  readonly address: number;
}

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const CIDR = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}/([0-9]+)$`);

/** Parses `a.b.c.d/n`; `undefined` when ip-num would reject it. */
export function parseIpv4Cidr(cidr: string): Ipv4Cidr | undefined {
  const m = CIDR.exec(cidr);
  if (!m) return undefined;
  const prefix = Number(m[5]);
  if (prefix > 32) return undefined;
  const address = ((Number(m[1]) * 256 + Number(m[2])) * 256 + Number(m[3])) * 256 + Number(m[4]);
  const size = blockSize(prefix);
  return { address, prefix, first: address - (address % size) };
}

/** Number of addresses in a block of length `/prefix`. */
export function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** Dotted-quad text of an address. */
export function dottedQuad(address: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(address / 2 ** s) % 256).join('.');
}

/** `a.b.c.d/n` of a block. */
export function cidrString(block: Ipv4Block): string {
  return `${dottedQuad(block.first)}/${block.prefix}`;
}

/** The `index`-th block of length `/prefix` inside `block` (no bounds check). */
export function nthSubBlock(block: Ipv4Block, prefix: number, index: number): Ipv4Block {
  return { first: block.first + blockSize(prefix) * index, prefix };
}

/** Whether `outer` contains `inner` (or equals it). */
export function containsBlock(outer: Ipv4Block, inner: Ipv4Block): boolean {
  return (
    outer.first <= inner.first &&
    inner.first + blockSize(inner.prefix) <= outer.first + blockSize(outer.prefix)
  );
}

/** Whether two blocks share an address. */
export function blocksOverlap(a: Ipv4Block, b: Ipv4Block): boolean {
  return a.first < b.first + blockSize(b.prefix) && b.first < a.first + blockSize(a.prefix);
}
