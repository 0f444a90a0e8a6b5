import * as fc from 'fast-check';
import { IPv4CidrRange, IPv4Prefix, Validator } from 'ip-num';
import {
  blocksOverlap,
  cidrString,
  containsBlock,
  nthSubBlock,
  parseIpv4Cidr,
} from '../../lib/core/private/ipv4';

/** ip-num's reading of a CIDR, or undefined where it throws. */
function ipNum(cidr: string): IPv4CidrRange | undefined {
  try {
    return IPv4CidrRange.fromCidr(cidr);
  } catch {
    return undefined;
  }
}

const octet = fc.oneof(
  fc.integer({ min: 0, max: 255 }).map(String),
  fc.constantFrom('256', '300', '01', '00', '007', '-1', '', ' 1', '1e2', '0x1', '٣'),
);
const prefix = fc.oneof(
  fc.integer({ min: 0, max: 32 }).map(String),
  fc.constantFrom('33', '08', '032', '0', '00', '', '-1', '1.5', ' 8', '99999999999999999999', '8 '),
);
/** Well-formed and malformed CIDRs: wrong octets, prefixes, separators and counts. */
const cidrText = fc.oneof(
  fc.tuple(octet, octet, octet, octet, prefix).map(([a, b, c, d, p]) => `${a}.${b}.${c}.${d}/${p}`),
  fc
    .tuple(fc.array(octet, { minLength: 1, maxLength: 6 }), prefix, fc.constantFrom('/', '//', '', '/1/'))
    .map(([os, p, sep]) => `${os.join('.')}${sep}${p}`),
  fc.string({ maxLength: 20 }),
);
const block = fc
  .tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }))
  .map(([a, p]) =>
    parseIpv4Cidr(`${[24, 16, 8, 0].map((s) => Math.floor(a / 2 ** s) % 256).join('.')}/${p}`)!,
  );

describe('IPv4 CIDR helpers against ip-num', () => {
  test('accept exactly what ip-num accepts, with the same network address and prefix', () => {
    fc.assert(
      fc.property(cidrText, (text) => {
        const ours = parseIpv4Cidr(text);
        const theirs = ipNum(text);
        expect(ours !== undefined).toBe(theirs !== undefined);
        expect(ours !== undefined).toBe(Validator.isValidIPv4CidrNotation(text)[0]);
        if (ours && theirs) {
          // ip-num keeps the address as written in toCidrString; the block is its first address
          expect(cidrString(ours)).toBe(`${theirs.getFirst().toString()}/${theirs.getPrefix().getValue()}`);
          if (ours.address === ours.first) expect(cidrString(ours)).toBe(theirs.toCidrString());
          expect(BigInt(ours.first)).toBe(theirs.getFirst().getValue());
          expect(ours.prefix).toBe(Number(theirs.getPrefix().getValue()));
        }
      }),
      { numRuns: 3000 },
    );
  });

  test('carve the same sub-blocks as splitInto', () => {
    fc.assert(
      fc.property(block, fc.integer({ min: 0, max: 6 }), fc.nat(), (b, extra, pick) => {
        const sub = Math.min(32, b.prefix + extra);
        const index = pick % 2 ** (sub - b.prefix);
        const theirs = ipNum(cidrString(b))!.splitInto(new IPv4Prefix(BigInt(sub)));
        expect(cidrString(nthSubBlock(b, sub, index))).toBe(theirs[index].toCidrString());
      }),
    );
  });

  test('containment and overlap agree with inside/isEquals and isOverlapping', () => {
    fc.assert(
      fc.property(block, block, (a, b) => {
        const [ra, rb] = [ipNum(cidrString(a))!, ipNum(cidrString(b))!];
        expect(containsBlock(b, a)).toBe(ra.inside(rb) || ra.isEquals(rb));
        expect(blocksOverlap(a, b)).toBe(ra.isOverlapping(rb));
      }),
      { numRuns: 2000 },
    );
  });

  test.each([
    ['10.0.0.0/16', '10.0.0.0/16'],
    ['10.0.0.1/16', '10.0.0.0/16'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['255.255.255.255/32', '255.255.255.255/32'],
    ['192.168.7.9/08', '192.0.0.0/8'],
  ])('%s is the block %s', (text, expected) => {
    expect(cidrString(parseIpv4Cidr(text)!)).toBe(expected);
  });

  test.each([
    '010.0.0.0/8',
    '10.0.0.0/33',
    '10.0.0/8',
    '10.0.0.0',
    '10.0.0.0/8/8',
    ' 10.0.0.0/8',
    '${var.cidr}',
  ])('%s is not a CIDR', (text) => {
    expect(parseIpv4Cidr(text)).toBeUndefined();
    expect(ipNum(text)).toBeUndefined();
  });
});
