import { z } from 'zod';
import { defineRuleKind } from '../rule-set.js';
import { basisPoints } from '../schema-helpers.js';

/**
 * `medical/catalogue`: the treatment region's catalogue (就医地目录) — which items are category
 * A (covered), B (a self-paid-first share, then covered) or C (self-paid) — and which lab and
 * imaging results are mutually recognised across the three regions (REFERENCE.md §2). Item codes
 * are shared across regions where the same item exists, so a result from a Beijing hospital
 * matches a Tianjin code. How the medical context applies this: ADR 0009.
 */
export const MEDICAL_ITEM_CODE_PATTERN = /^[A-Z0-9][A-Z0-9.-]{3,39}$/;

const item = z
  .strictObject({
    code: z.string().regex(MEDICAL_ITEM_CODE_PATTERN, { error: 'expected an item code of 4–40 of [A-Z0-9.-]' }),
    name: z.string().min(1),
    type: z.enum(['DRUG', 'CONSULTATION', 'LAB', 'IMAGING', 'TREATMENT']),
    category: z.enum(['A', 'B', 'C']),
    /** Category B only: this item's self-paid-first share, instead of the catalogue's default. */
    selfPaidFirstBp: basisPoints().optional(),
    /** Mutually recognised result (104 lab / 120 imaging items), or null. */
    recognised: z.enum(['lab', 'imaging']).nullable(),
  })
  .superRefine((it, ctx) => {
    if (it.recognised === 'lab' && it.type !== 'LAB') ctx.addIssue({ code: 'custom', path: ['recognised'], message: 'only LAB items are recognised as lab results' });
    if (it.recognised === 'imaging' && it.type !== 'IMAGING') ctx.addIssue({ code: 'custom', path: ['recognised'], message: 'only IMAGING items are recognised as imaging results' });
    if (it.selfPaidFirstBp !== undefined && it.category !== 'B') ctx.addIssue({ code: 'custom', path: ['selfPaidFirstBp'], message: 'only category-B items have a self-paid-first share' });
  });

export const medicalCatalogueSchema = z
  .strictObject({
    /** A recognised result this recent (whole Asia/Shanghai days, inclusive) is reused instead of being done and paid again. */
    recognitionWindowDays: z.int().min(0),
    /** Category-B items: this share of the price is self-paid first (先行自付); the home region's policy applies to the rest. */
    categoryB: z.strictObject({ selfPaidFirstBp: basisPoints() }),
    items: z.array(item).min(1),
  })
  .superRefine((p, ctx) => {
    const seen = new Map<string, number>();
    p.items.forEach((it, i) => {
      if (seen.has(it.code)) ctx.addIssue({ code: 'custom', path: ['items', i, 'code'], message: `item ${it.code} is listed twice (first at /items/${seen.get(it.code)})` });
      else seen.set(it.code, i);
    });
  });

export type MedicalCatalogueParameters = z.infer<typeof medicalCatalogueSchema>;
export type MedicalCatalogueItem = MedicalCatalogueParameters['items'][number];

export const MedicalCatalogueRules = defineRuleKind<MedicalCatalogueParameters>('medical', 'catalogue', medicalCatalogueSchema);
