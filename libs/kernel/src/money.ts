/**
 * Money is integer fen (分) everywhere: API, code, database (bigint).
 * A JS number holds every fen amount exactly up to 2^53 (≈ 90 trillion yuan), so we use plain
 * safe integers and refuse anything else at the boundary. Fractions only ever appear inside
 * `mulDiv`, which works in bigint and rounds once, by a named rule.
 */
export type Fen = number;

export class MoneyError extends Error {}

export function assertFen(value: number, what = 'amount'): Fen {
  if (!Number.isSafeInteger(value)) {
    throw new MoneyError(`${what} must be an integer number of fen, got ${value}`);
  }
  return value;
}

export function assertPositiveFen(value: number, what = 'amount'): Fen {
  assertFen(value, what);
  if (value <= 0) throw new MoneyError(`${what} must be greater than 0 fen, got ${value}`);
  return value;
}

export function sumFen(values: readonly Fen[]): Fen {
  let total = 0;
  for (const v of values) total += assertFen(v);
  return assertFen(total, 'sum');
}

/** How a fractional fen is resolved. `HALF_UP` rounds .5 away from zero for positive amounts. */
export type Rounding = 'FLOOR' | 'CEIL' | 'HALF_UP' | 'HALF_EVEN';

/**
 * amount × numerator / denominator, rounded once by `rounding`. Exact for any fen amount
 * (computed in bigint). Negative amounts are not money we split; they are refused.
 */
export function mulDiv(amount: Fen, numerator: number, denominator: number, rounding: Rounding): Fen {
  assertFen(amount);
  if (amount < 0) throw new MoneyError(`cannot split a negative amount (${amount})`);
  if (!Number.isSafeInteger(numerator) || numerator < 0) throw new MoneyError(`bad numerator ${numerator}`);
  if (!Number.isSafeInteger(denominator) || denominator <= 0) throw new MoneyError(`bad denominator ${denominator}`);
  const n = BigInt(amount) * BigInt(numerator);
  const d = BigInt(denominator);
  const q = n / d;
  const r = n % d;
  let result = q;
  if (r !== 0n) {
    switch (rounding) {
      case 'FLOOR':
        break;
      case 'CEIL':
        result = q + 1n;
        break;
      case 'HALF_UP':
        if (2n * r >= d) result = q + 1n;
        break;
      case 'HALF_EVEN':
        if (2n * r > d || (2n * r === d && q % 2n === 1n)) result = q + 1n;
        break;
    }
  }
  return assertFen(Number(result), 'result');
}

/** A share in basis points (1/10,000): 90 % = 9000. Rule data writes percentages this way. */
export type BasisPoints = number;

export function assertBasisPoints(bp: number, what = 'ratio'): BasisPoints {
  if (!Number.isSafeInteger(bp) || bp < 0 || bp > 10_000) {
    throw new MoneyError(`${what} must be whole basis points between 0 and 10000, got ${bp}`);
  }
  return bp;
}

/**
 * Splits `amount` into [share, remainder] where share = amount × bp / 10,000 rounded by `rounding`.
 * The two parts always sum to `amount`.
 */
export function splitByBasisPoints(amount: Fen, bp: BasisPoints, rounding: Rounding): [Fen, Fen] {
  assertBasisPoints(bp);
  const share = mulDiv(amount, bp, 10_000, rounding);
  return [share, amount - share];
}

/**
 * Allocates `amount` across `weights` proportionally by the largest-remainder method: each part is
 * floored, and the fen left over go one each to the largest remainders (earliest first on ties).
 * The parts always sum exactly to `amount`. Weights are non-negative integers, not all zero.
 */
export function allocate(amount: Fen, weights: readonly number[]): Fen[] {
  assertFen(amount);
  if (amount < 0) throw new MoneyError(`cannot allocate a negative amount (${amount})`);
  if (weights.length === 0) throw new MoneyError('allocate needs at least one weight');
  let total = 0n;
  for (const w of weights) {
    if (!Number.isSafeInteger(w) || w < 0) throw new MoneyError(`bad weight ${w}`);
    total += BigInt(w);
  }
  if (total === 0n) throw new MoneyError('weights must not all be zero');
  const a = BigInt(amount);
  const parts = weights.map((w) => (a * BigInt(w)) / total);
  const remainders = weights.map((w, i) => ({ i, r: (a * BigInt(w)) % total }));
  let left = a - parts.reduce((s, p) => s + p, 0n);
  remainders.sort((x, y) => (x.r === y.r ? x.i - y.i : x.r > y.r ? -1 : 1));
  for (let k = 0; left > 0n; k++, left--) parts[remainders[k]!.i]! += 1n;
  return parts.map((p) => Number(p));
}

/** "54.50" for 5450: for messages and reports only, never for arithmetic. */
export function formatYuan(amount: Fen): string {
  assertFen(amount);
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Parses "54.5" / "54.50" / "54" (yuan, as written in rule data) to fen without floats. */
export function parseYuan(text: string): Fen {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) throw new MoneyError(`not a yuan amount: "${text}"`);
  const fraction = (m[2] ?? '').padEnd(2, '0');
  return assertFen(Number(m[1]) * 100 + Number(fraction), 'yuan amount');
}
