import type { BusinessDate, Fen } from '@onecard/kernel';
import type { MedicalCatalogueParameters, MedicalPolicyParameters } from '@onecard/rules';
import { accumulationOf, type AnnualAccumulators } from './annual-accumulators.js';
import { priceItems } from './catalogue-pricing.rule.js';
import { settlementTerms, type SettlementTerms } from './policy-terms.rule.js';
import { splitSettlement, type SettlementSplit } from './settlement-split.js';
import type { BillItem, Institution, InsuredPerson, RecognisedResult, VisitType } from './visit.js';

export interface SettlementInput {
  items: readonly BillItem[];
  visitType: VisitType;
  /** Asia/Shanghai date of occurredAt: the recognition window counts from it. */
  on: BusinessDate;
  institution: Institution;
  person: InsuredPerson;
  /** The treatment region's catalogue (就医地目录). */
  catalogue: MedicalCatalogueParameters;
  /** The home region's policy (参保地政策). */
  policy: MedicalPolicyParameters;
  /** The person's accumulators for the year of occurredAt, before this settlement. */
  year: AnnualAccumulators;
  /** Latest earlier result per recognisable code (the window is checked here). */
  candidates: readonly RecognisedResult[];
  /** Personal account balance when it may pay (employee, policy allows, holder agrees), else null. */
  personalBalanceFen: Fen | null;
}

export interface SettlementComputation {
  terms: SettlementTerms;
  split: SettlementSplit;
  /** What this settlement adds to the year's accumulators. */
  accumulation: AnnualAccumulators;
}

/** Treatment region's catalogue, home region's policy: the whole computation, pure. */
export function computeSettlement(input: SettlementInput): SettlementComputation {
  const priced = priceItems(input.items, input.catalogue, { institution: input.institution, on: input.on, candidates: input.candidates });
  const terms = settlementTerms(input.policy, input.person, input.institution, input.visitType, input.year);
  const split = splitSettlement(priced, terms, terms.personalAccountPays ? input.personalBalanceFen : null);
  return { terms, split, accumulation: accumulationOf(input.visitType, split.totals) };
}
