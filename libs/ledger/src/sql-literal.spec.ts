import { inlineParams, sqlLiteral, sqlValue } from './sql-literal.js';

describe('literals for statements that share a round trip', () => {
  it('quotes strings so that quotes and backslashes cannot escape', () => {
    expect(sqlLiteral(`it's a \\ test`)).toBe(`E'it''s a \\\\ test'`);
    expect(() => sqlLiteral('nul\u0000')).toThrow(/NUL/);
  });

  it('writes values as the driver would send them as parameters', () => {
    expect(sqlValue(null)).toBe('NULL');
    expect(sqlValue(undefined)).toBe('NULL');
    expect(sqlValue(42)).toBe(`E'42'`);
    expect(sqlValue(-5)).toBe(`E'-5'`);
    expect(sqlValue(true)).toBe(`E'true'`);
    expect(sqlValue(new Date('2026-03-02T00:00:00.000Z'))).toMatch(/^E'2026-03-02T\d\d:00:00\.000[+-]\d\d:\d\d'$/);
    expect(sqlValue(['a', "b'c", null])).toBe(`E'{"a","b''c",NULL}'`);
    expect(sqlValue({ k: "v'" })).toBe(`E'{"k":"v''"}'`);
    expect(sqlValue(Buffer.from([1, 255]))).toBe(`'\\x01ff'::bytea`);
  });

  it('replaces $n by its literal, $10 not taken for $1', () => {
    const params = Array.from({ length: 10 }, (_, i) => `p${i + 1}`);
    expect(inlineParams('SELECT $1, $10, $2::int', params)).toBe(`SELECT E'p1', E'p10', E'p2'::int`);
    expect(() => inlineParams('SELECT $3', [1, 2])).toThrow(/\$3/);
  });
});
