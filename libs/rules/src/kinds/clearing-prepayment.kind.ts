import { z } from 'zod';
import { defineRuleKind } from '../rule-set.js';
import { fen } from '../schema-helpers.js';

/**
 * `clearing/prepayment` (REFERENCE.md §6): what this home region's medical fund keeps with each
 * treatment region as prepayment (预付金) for cross-region medical settlement, in fen, and the
 * share of it under which a top-up is called. The clearing context owns this kind.
 */
export const clearingPrepaymentSchema = z.strictObject({
  /** By treatment region; the home region itself is absent (local care is not cleared). */
  prepayments: z.strictObject({ '11': fen().optional(), '12': fen().optional(), '13': fen().optional() }),
  /** A top-up is called when the balance falls under this percentage of the prepayment. */
  topUpThresholdPercent: z.int().min(1).max(100),
});

export type ClearingPrepaymentParameters = z.infer<typeof clearingPrepaymentSchema>;

export const ClearingPrepaymentRules = defineRuleKind<ClearingPrepaymentParameters>('clearing', 'prepayment', clearingPrepaymentSchema);
