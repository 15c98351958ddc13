import { z } from 'zod';
import { defineRuleKind } from '../rule-set.js';
import { basisPoints, fen } from '../schema-helpers.js';

/**
 * `scenic/admission`: what a scenic spot or park of this region charges whom — senior concessions
 * by age on the visit date, annual passes (the Beijing park pass and the Jing-Jin-Ji joint card),
 * same-day re-entry (REFERENCE.md §3). One rule set per spot region. The scenic context owns it.
 */
const SPOT_TYPES = ['PARK', 'SCENIC_AREA'] as const;

const concession = z.strictObject({
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  minAge: z.int().min(0),
  /** Inclusive; null: no upper bound. */
  maxAge: z.int().min(0).nullable(),
  /** Share of the base price the visitor pays: 0 free, 5000 half price. */
  payBp: basisPoints(),
  appliesTo: z.array(z.enum(SPOT_TYPES)).min(1),
});

const annualPass = z.strictObject({
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  name: z.string().min(1),
  priceFen: fen(),
  /** Sold (loaded onto cards) in this region; otherwise only accepted here. */
  soldHere: z.boolean(),
  /** Valid through this month and day of the purchase year + `yearsAfterPurchase` (31 Jan next year: 1, 31, 1). */
  validUntil: z.strictObject({ month: z.int().min(1).max(12), day: z.int().min(1).max(31), yearsAfterPurchase: z.int().min(0).max(2) }),
  holderOnly: z.boolean(),
  mainGateOnly: z.boolean(),
  /** Which spots accept it: spots carry one of these participation codes in their registry attributes. */
  participation: z.array(z.string().regex(/^[A-Z][A-Z0-9_]*$/)).min(1),
});

export const scenicAdmissionSchema = z
  .strictObject({
    seniorConcessions: z.array(concession),
    annualPasses: z.array(annualPass),
    sameDayReentryFree: z.boolean(),
    /** Rounding of a concession price to whole fen. */
    priceRounding: z.enum(['HALF_UP', 'FLOOR', 'CEIL']),
  })
  .superRefine((p, ctx) => {
    p.seniorConcessions.forEach((c, i) => {
      if (c.maxAge !== null && c.maxAge < c.minAge) ctx.addIssue({ code: 'custom', path: ['seniorConcessions', i, 'maxAge'], message: 'maxAge is below minAge' });
      p.seniorConcessions.slice(0, i).forEach((o, j) => {
        const overlapAge = c.minAge <= (o.maxAge ?? Infinity) && o.minAge <= (c.maxAge ?? Infinity);
        if (overlapAge && c.appliesTo.some((t) => o.appliesTo.includes(t))) {
          ctx.addIssue({ code: 'custom', path: ['seniorConcessions', i], message: `overlaps the age band of /seniorConcessions/${j} for the same spot type` });
        }
      });
    });
  });

export type ScenicAdmissionParameters = z.infer<typeof scenicAdmissionSchema>;

export const ScenicAdmissionRules = defineRuleKind<ScenicAdmissionParameters>('scenic', 'admission', scenicAdmissionSchema);
