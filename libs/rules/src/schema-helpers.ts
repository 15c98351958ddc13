import { isBusinessDate } from '@onecard/kernel';
import { z } from 'zod';

/**
 * Small zod building blocks for rule kinds, so every kind says "integer fen" and "basis points"
 * the same way (and error messages read the same in every file).
 */
export const fen = () => z.int({ error: 'expected integer fen' }).min(0, { error: 'expected fen ≥ 0' });

/** A share in basis points, 0–10000 (90 % = 9000). */
export const basisPoints = () =>
  z.int({ error: 'expected whole basis points' }).min(0, { error: 'expected basis points ≥ 0' }).max(10_000, { error: 'expected basis points ≤ 10000' });

/** A calendar date `YYYY-MM-DD` (Asia/Shanghai business day). */
export const businessDate = () => z.string({ error: 'expected a date YYYY-MM-DD' }).refine(isBusinessDate, { error: 'expected a date YYYY-MM-DD' });

export const regionCode = () => z.enum(['11', '12', '13'], { error: 'expected region "11", "12" or "13"' });

/** Values by hospital level 1, 2, 3 (YAML keys `1:`, `2:`, `3:`). */
export const byHospitalLevel = <T extends z.ZodType>(value: T) => z.strictObject({ '1': value, '2': value, '3': value });
