import { allocate, assertFen, formatYuan, mulDiv, MoneyError, parseYuan, splitByBasisPoints, sumFen } from './money.js';

describe('money in fen', () => {
  it('accepts only safe integers', () => {
    expect(assertFen(5450)).toBe(5450);
    expect(() => assertFen(54.5)).toThrow(MoneyError);
    expect(() => assertFen(Number.MAX_SAFE_INTEGER + 1)).toThrow(MoneyError);
    expect(() => assertFen(Number.NaN)).toThrow(MoneyError);
  });

  it.each([
    // amount, num, den, FLOOR, CEIL, HALF_UP, HALF_EVEN
    [10, 1, 4, 2, 3, 3, 2], // 2.5
    [30, 1, 4, 7, 8, 8, 8], // 7.5
    [7, 1, 3, 2, 3, 2, 2], // 2.33…
    [8, 1, 3, 2, 3, 3, 3], // 2.66…
    [100, 9000, 10000, 90, 90, 90, 90], // exact
    [1, 5000, 10000, 0, 1, 1, 0], // 0.5
    [3, 5000, 10000, 1, 2, 2, 2], // 1.5
  ])('mulDiv(%i × %i / %i) rounds by the named rule', (amount, num, den, floor, ceil, halfUp, halfEven) => {
    expect(mulDiv(amount, num, den, 'FLOOR')).toBe(floor);
    expect(mulDiv(amount, num, den, 'CEIL')).toBe(ceil);
    expect(mulDiv(amount, num, den, 'HALF_UP')).toBe(halfUp);
    expect(mulDiv(amount, num, den, 'HALF_EVEN')).toBe(halfEven);
  });

  it('mulDiv stays exact for amounts whose product exceeds 2^53', () => {
    const big = 9_000_000_000_000; // 90 billion yuan
    expect(mulDiv(big, 8_765, 10_000, 'FLOOR')).toBe(7_888_500_000_000);
  });

  it('refuses negative amounts, bad ratios and zero denominators', () => {
    expect(() => mulDiv(-1, 1, 2, 'FLOOR')).toThrow(MoneyError);
    expect(() => mulDiv(1, 1, 0, 'FLOOR')).toThrow(MoneyError);
    expect(() => mulDiv(1, 0.5, 2, 'FLOOR')).toThrow(MoneyError);
    expect(() => splitByBasisPoints(100, 10_001, 'FLOOR')).toThrow(MoneyError);
  });

  it('splits by basis points into parts that always sum to the whole', () => {
    for (let amount = 0; amount < 2000; amount += 7) {
      for (const bp of [0, 1, 5000, 5500, 8500, 8700, 9999, 10000]) {
        const [share, rest] = splitByBasisPoints(amount, bp, 'HALF_UP');
        expect(share + rest).toBe(amount);
        expect(share).toBeGreaterThanOrEqual(0);
        expect(rest).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('allocates by largest remainder, summing exactly, earliest first on ties', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(10, [0, 1, 0])).toEqual([0, 10, 0]);
    expect(allocate(7, [2, 3, 5])).toEqual([1, 2, 4]);
    const parts = allocate(123_457, [3, 7, 11, 13]);
    expect(sumFen(parts)).toBe(123_457);
    expect(() => allocate(10, [0, 0])).toThrow(MoneyError);
    expect(() => allocate(10, [])).toThrow(MoneyError);
  });

  it('formats and parses yuan without floats', () => {
    expect(formatYuan(5450)).toBe('54.50');
    expect(formatYuan(5)).toBe('0.05');
    expect(formatYuan(-120)).toBe('-1.20');
    expect(parseYuan('54.5')).toBe(5450);
    expect(parseYuan('0.05')).toBe(5);
    expect(parseYuan('300')).toBe(30000);
    expect(() => parseYuan('1.234')).toThrow(MoneyError);
    expect(() => parseYuan('-1')).toThrow(MoneyError);
  });
});
