import { businessDaysBetween, mulDiv, type BusinessDate, type Fen } from '@onecard/kernel';
import type { MedicalCatalogueParameters } from '@onecard/rules';
import type { BillItem, Institution, ItemCategory, RecognisedResult } from './visit.js';

/** A bill line after the treatment region's catalogue: what is self-paid and what is in policy. */
export interface PricedItem {
  code: string;
  /** The catalogue's name, or null for a code the catalogue does not list. */
  name: string | null;
  category: ItemCategory;
  /** True when the code is not in the catalogue: treated as category C (self-paid). */
  notInCatalogue: boolean;
  quantity: number;
  unitPriceFen: Fen;
  /** What is charged (medfee_sumamt of the line): quantity × unit price, or 0 when a recognised result is reused. */
  amountFen: Fen;
  /** True when an earlier recognised result is reused: the line is charged 0. */
  recognised: boolean;
  /** The earlier result found in the window (reused, or set aside by an override), else null. */
  recognisedResult: RecognisedResult | null;
  /** The line's override reason, if it carries one (the item is charged even if a result exists). */
  overrideReason: string | null;
  /** lab / imaging when the item's result is mutually recognised (stored at settlement for later reuse). */
  recognisable: 'lab' | 'imaging' | null;
  /** Outside the policy: all of a C line (fulamt_ownpay_amt), a B line's self-paid-first share (preselfpay_amt). */
  selfPaidFen: Fen;
  /** In policy (inscp_scp_amt): the home region's deductible and ratio apply to it. */
  inPolicyFen: Fen;
}

/**
 * The self-paid-first share of a B line is rounded half up, per line, like the line on the
 * hospital's bill (ADR 0009); the in-policy part is the rest, so the two always sum to the line.
 */
export const CATEGORY_B_ROUNDING = 'HALF_UP' as const;

/** Is an earlier result within the window: done on the day or up to `windowDays` whole days before. */
export function withinRecognitionWindow(performedOn: BusinessDate, on: BusinessDate, windowDays: number): boolean {
  const age = businessDaysBetween(performedOn, on);
  return age >= 0 && age <= windowDays;
}

/**
 * Prices each line by the catalogue of the region where the patient is treated (就医地目录):
 * A fully in policy, B a self-paid-first share then in policy, C and unknown codes self-paid.
 * A recognisable item with an earlier result of the same person in the window, from a
 * participating institution, at a participating institution, is reused and charged 0 — unless
 * the line carries an override.
 */
export function priceItems(
  items: readonly BillItem[],
  catalogue: MedicalCatalogueParameters,
  opts: { institution: Institution; on: BusinessDate; candidates: readonly RecognisedResult[] },
): PricedItem[] {
  const byCode = new Map(catalogue.items.map((it) => [it.code, it]));
  const candidates = new Map(opts.candidates.map((r) => [r.code, r]));
  return items.map((line) => {
    const entry = byCode.get(line.code) ?? null;
    const category: ItemCategory = entry?.category ?? 'C';
    const recognisable = entry?.recognised ?? null;
    const listedFen = line.quantity * line.unitPriceFen;
    const candidate = recognisable && opts.institution.recognition ? (candidates.get(line.code) ?? null) : null;
    const match = candidate && withinRecognitionWindow(candidate.performedOn, opts.on, catalogue.recognitionWindowDays) ? candidate : null;
    const recognised = match !== null && !line.override;
    const amountFen = recognised ? 0 : listedFen;
    let selfPaidFen: Fen;
    if (category === 'A') selfPaidFen = 0;
    else if (category === 'C') selfPaidFen = amountFen;
    else selfPaidFen = mulDiv(amountFen, entry?.selfPaidFirstBp ?? catalogue.categoryB.selfPaidFirstBp, 10_000, CATEGORY_B_ROUNDING);
    return {
      code: line.code,
      name: entry?.name ?? null,
      category,
      notInCatalogue: entry === null,
      quantity: line.quantity,
      unitPriceFen: line.unitPriceFen,
      amountFen,
      recognised,
      recognisedResult: match,
      overrideReason: line.override?.reason ?? null,
      recognisable,
      selfPaidFen,
      inPolicyFen: amountFen - selfPaidFen,
    };
  });
}
