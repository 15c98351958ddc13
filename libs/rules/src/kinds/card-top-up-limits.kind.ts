import { z } from 'zod';
import { defineRuleKind } from '../rule-set.js';
import { fen } from '../schema-helpers.js';

/**
 * `cards/top-up-limits`: per account type of a card issued in this region, the smallest and
 * largest single top-up and the balance cap, in fen (REFERENCE.md §1 for the transit wallet).
 * The cards context owns this kind.
 */
const limit = z
  .strictObject({
    minimumFen: fen(),
    maximumFen: fen(),
    /** The balance may not exceed this after a top-up; null: no cap. */
    balanceCapFen: fen().nullable(),
  })
  .superRefine((l, ctx) => {
    if (l.maximumFen < l.minimumFen) ctx.addIssue({ code: 'custom', path: ['maximumFen'], message: 'maximumFen is below minimumFen' });
    if (l.balanceCapFen !== null && l.balanceCapFen < l.minimumFen) ctx.addIssue({ code: 'custom', path: ['balanceCapFen'], message: 'balanceCapFen is below minimumFen' });
  });

export const cardTopUpLimitsSchema = z.strictObject({
  accounts: z.strictObject({ TRANSIT: limit, BANK: limit, PERSONAL: limit }),
});

export type CardTopUpLimitsParameters = z.infer<typeof cardTopUpLimitsSchema>;

export const CardTopUpLimits = defineRuleKind<CardTopUpLimitsParameters>('cards', 'top-up-limits', cardTopUpLimitsSchema);
