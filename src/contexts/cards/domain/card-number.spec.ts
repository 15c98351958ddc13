import { CARD_NO_PATTERN, formatCardNo, IDENTIFICATION_CODE_PATTERN, identificationCode, isValidCardNo, luhnCheckDigit } from './card-number.js';

describe('card number and identification code', () => {
  it('formats 9 characters: region letter, 7-digit serial, Luhn digit', () => {
    expect(formatCardNo('12', 1)).toBe('T00000018');
    expect(formatCardNo('11', 1)).toBe('B00000018');
    expect(formatCardNo('13', 9_999_999)).toMatch(/^H9999999\d$/);
    for (const n of [formatCardNo('12', 1), formatCardNo('11', 4242), formatCardNo('13', 9_999_999)]) {
      expect(n).toHaveLength(9);
      expect(n).toMatch(CARD_NO_PATTERN);
      expect(isValidCardNo(n)).toBe(true);
    }
  });

  it('computes the Luhn digit (known vector 7992739871 → 3)', () => {
    expect(luhnCheckDigit('7992739871')).toBe(3);
    expect(luhnCheckDigit('0000000')).toBe(0);
  });

  it('detects a mistyped digit or a swapped pair', () => {
    const good = formatCardNo('12', 1234567);
    const typo = `${good.slice(0, 3)}${(Number(good[3]) + 1) % 10}${good.slice(4)}`;
    expect(isValidCardNo(typo)).toBe(false);
    expect(isValidCardNo('T12345678')).toBe(luhnCheckDigit('1234567') === 8);
    expect(isValidCardNo('X00000018')).toBe(false);
    expect(isValidCardNo('T0000001')).toBe(false);
  });

  it('refuses serials out of range', () => {
    expect(() => formatCardNo('12', 0)).toThrow();
    expect(() => formatCardNo('12', 10_000_000)).toThrow();
    expect(() => formatCardNo('12', 1.5)).toThrow();
  });

  it('builds a 32-character identification code: region code + D156000005 + 16 hex', () => {
    const code = identificationCode('12', 'T00000018');
    expect(code).toHaveLength(32);
    expect(code).toMatch(IDENTIFICATION_CODE_PATTERN);
    expect(code.startsWith('120000D156000005')).toBe(true);
    expect(identificationCode('12', 'T00000018')).toBe(code);
    expect(identificationCode('12', 'T00000026')).not.toBe(code);
  });
});
