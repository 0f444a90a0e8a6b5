import { ValidationError } from '../../lib/core';
import { overlaps, parseCidr, subBlock } from '../../lib/gcp/private/cidr';

describe('cidr helpers', () => {
  test('subBlock carves the index-th block', () => {
    expect(subBlock(parseCidr('range', '192.168.0.0/20'), 24, 9)).toBe('192.168.9.0/24');
  });

  test('subBlock throws for a prefix shorter than the range', () => {
    expect(() => subBlock(parseCidr('range', '10.0.0.0/16'), 12, 0)).toThrow(
      /Cannot carve a \/12 out of 10.0.0.0\/16/,
    );
  });

  test('subBlock throws for an index past the last block', () => {
    expect(() => subBlock(parseCidr('range', '192.168.0.0/20'), 24, 16)).toThrow(
      /192.168.0.0\/20 holds 16 \/24 blocks; block 16 does not exist/,
    );
  });

  test('parseCidr throws for a host address', () => {
    expect(() => parseCidr('cidr', '10.0.0.1/16')).toThrow(/the \/16 containing it is '10.0.0.0\/16'/);
  });

  test('overlaps detects nested ranges only', () => {
    expect(overlaps('172.16.0.0/28', '172.16.0.0/13')).toBe(true);
    expect(overlaps('172.16.0.0/28', '10.0.0.0/8')).toBe(false);
  });

  test('overlaps names a CIDR it cannot read', () => {
    expect(() => overlaps('10.0.0.0/33', '10.0.0.0/8')).toThrow(ValidationError);
    expect(() => overlaps('10.0.0.0/8', 'ten')).toThrow(
      /'ten' is not an IPv4 CIDR block such as '10.0.0.0\/16'/,
    );
  });
});
