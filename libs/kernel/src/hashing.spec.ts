import { canonicalJson, constantTimeEqualHex } from './hashing.js';
import { maskName, maskNationalId } from './pii.js';
import { isClientId } from './ids.js';

describe('canonical JSON, ids and masking', () => {
  it('hashes the same meaning the same way whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[2,{"y":2,"z":1}]},"b":1}');
  });

  it('compares hex in constant time and only equal-length valid hex', () => {
    expect(constantTimeEqualHex('abcd', 'abcd')).toBe(true);
    expect(constantTimeEqualHex('abcd', 'abce')).toBe(false);
    expect(constantTimeEqualHex('abc', 'abc')).toBe(false);
  });

  it('accepts client ids of 1–64 [A-Za-z0-9_-]', () => {
    expect(isClientId('tap_2026-03-02_0001')).toBe(true);
    expect(isClientId('')).toBe(false);
    expect(isClientId('a'.repeat(65))).toBe(false);
    expect(isClientId('tap 1')).toBe(false);
    expect(isClientId('tap:1')).toBe(false);
  });

  it('masks national ids and names', () => {
    expect(maskNationalId('12010419900307123X')).toBe('120104********123X');
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('李')).toBe('李*');
  });
});
