import { cardStatusRefusal, type CardStatus, type MedicalCodeReasonCode } from '@contexts/cards';
import { businessDateOf, formatBusinessInstant, type Fen, type Reason, type Region, type RuleRef } from '@onecard/kernel';
import type { MedicalCatalogueParameters, MedicalPolicyParameters } from '@onecard/rules';
import type { AnnualAccumulators } from '../domain/annual-accumulators.js';
import { medicalReason } from '../domain/medical-reasons.js';
import { computeSettlement, type SettlementComputation } from '../domain/settlement.js';
import type { SplitItem } from '../domain/settlement-split.js';
import type { BillItem, Institution, InsuredPerson, RecognisedResult, VisitType } from '../domain/visit.js';

/** How far ahead of the service clock an `occurredAt` may be (terminal clocks drift a little). */
export const OCCURRED_AT_TOLERANCE_MS = 5 * 60_000;

/** `POST /v1/medical/settlements` and `/pre-settlements` as the handlers get it. */
export interface SettlementRequest {
  settlementId: string;
  credential: { cardNo?: string; medicalCode?: string };
  visitType: VisitType;
  items: BillItem[];
  occurredAt: string;
  /** The holder may decline paying from the personal account (default: it pays). */
  usePersonalAccount?: boolean;
}

/** What the journal keeps of the request: no 医保码 (a live credential), nothing personal. */
export interface SettlementInput {
  credential: 'CARD_NO' | 'MEDICAL_CODE';
  visitType: VisitType;
  occurredAt: string;
  items: BillItem[];
  usePersonalAccount: boolean;
}

/**
 * What was read from state to decide, in the order it is read; a step not reached is absent.
 * With `input` and the recorded rule versions this recomputes the decision (replay).
 */
export interface SettlementFacts {
  /** The service clock when the command ran. */
  receivedAt: string;
  institution: Institution;
  /** The 医保码 could not be used (from the cards context). */
  credentialRefusal?: MedicalCodeReasonCode | null;
  card?: { cardNo: string; status: CardStatus } | null;
  person?: InsuredPerson;
  /** The home region's policy in force on the day of occurredAt (null: none). */
  policy?: RuleRef | null;
  /** The treatment region's catalogue in force on that day (null: none). */
  catalogue?: RuleRef | null;
  year?: number;
  accumulatorsBefore?: AnnualAccumulators;
  /** Personal account balance when it may pay (employee, policy, holder's choice), else null. */
  personalAccountBalanceFen?: Fen | null;
  recognitionCandidates?: RecognisedResult[];
  /** Set only if the ledger refused the legs at commit (a safety net: the balance was read under lock). */
  ledgerRefusal?: 'INSUFFICIENT_BALANCE';
}

export type SettlementDecision = { refusal: Reason } | { computation: SettlementComputation };

/**
 * The first refusal the facts read so far call for, or null (checks in the order the handler
 * reads: time, credential, card, rules). Shared by the handlers and the replayer.
 */
export function settlementRefusal(input: Pick<SettlementInput, 'occurredAt'>, facts: SettlementFacts): Reason | null {
  if (Date.parse(input.occurredAt) > Date.parse(facts.receivedAt) + OCCURRED_AT_TOLERANCE_MS) return medicalReason('OCCURRED_IN_FUTURE');
  if (facts.credentialRefusal) return medicalReason(facts.credentialRefusal);
  if (facts.card !== undefined) {
    const refusal = cardStatusRefusal(facts.card);
    if (refusal) return refusal;
  }
  if (facts.policy === null) return medicalReason('MEDICAL_POLICY_NOT_IN_FORCE');
  if (facts.catalogue === null) return medicalReason('MEDICAL_CATALOGUE_NOT_IN_FORCE');
  if (facts.ledgerRefusal) return medicalReason(facts.ledgerRefusal);
  return null;
}

/** The whole decision from the request and the facts, with the rule data of the recorded versions. */
export function decideSettlement(
  input: SettlementInput,
  facts: SettlementFacts,
  rules: { policy: MedicalPolicyParameters; catalogue: MedicalCatalogueParameters },
): SettlementDecision {
  const refusal = settlementRefusal(input, facts);
  if (refusal) return { refusal };
  if (!facts.person || !facts.accumulatorsBefore) throw new Error('settlement facts are incomplete: person and accumulators are needed to compute');
  return {
    computation: computeSettlement({
      items: input.items,
      visitType: input.visitType,
      on: businessDateOf(new Date(input.occurredAt)),
      institution: facts.institution,
      person: facts.person,
      catalogue: rules.catalogue,
      policy: rules.policy,
      year: facts.accumulatorsBefore,
      candidates: facts.recognitionCandidates ?? [],
      personalBalanceFen: input.usePersonalAccount ? (facts.personalAccountBalanceFen ?? null) : null,
    }),
  };
}

/** The journal's `details.outcome`: what replay must recompute. */
export function decisionOutcome(decision: SettlementDecision): Record<string, unknown> {
  if ('refusal' in decision) return { refused: decision.refusal.code };
  const { terms, split, accumulation } = decision.computation;
  return {
    totals: split.totals,
    terms,
    accumulation,
    items: split.items.map((i) => [
      i.code,
      i.category,
      i.recognised,
      i.amountFen,
      i.selfPaidFen,
      i.inPolicyFen,
      i.deductibleFen,
      i.fundFen,
      i.personalAccountFen,
      i.cashFen,
    ]),
  };
}

/** One line of the answer. */
export interface SettlementItemAnswer {
  code: string;
  name: string | null;
  category: 'A' | 'B' | 'C';
  notInCatalogue: boolean;
  quantity: number;
  unitPriceFen: Fen;
  amountFen: Fen;
  recognised: boolean;
  recognisedResult: RecognisedResult | null;
  overrideReason: string | null;
  selfPaidFen: Fen;
  inPolicyFen: Fen;
  deductibleFen: Fen;
  fundFen: Fen;
  personalAccountFen: Fen;
  cashFen: Fen;
}

export interface SettlementTermsAnswer {
  deductibleRule: 'YEARLY' | 'FIRST_STAY' | 'LATER_STAY';
  deductibleFen: Fen;
  deductibleRemainingFen: Fen;
  ratioBp: number;
  yearlyCapFen: Fen | null;
  capRemainingFen: Fen | null;
  capReached: boolean;
  stayNumber: number | null;
}

/** `POST /v1/medical/settlements` (and pre-settlements) answer. Amounts are null on a DENY. */
export interface SettlementAnswer {
  decision: 'ALLOW' | 'DENY';
  reason?: Reason;
  settlementId: string;
  institutionId: string;
  visitType: VisitType;
  occurredAt: string;
  homeRegion: Region | null;
  treatmentRegion: Region;
  totalFen: Fen | null;
  selfPaidFen: Fen | null;
  inPolicyFen: Fen | null;
  deductibleFen: Fen | null;
  fundFen: Fen | null;
  personalAccountFen: Fen | null;
  cashFen: Fen | null;
  items: SettlementItemAnswer[];
  policy: SettlementTermsAnswer | null;
  /** The home region's policy that decided. */
  ruleSet: RuleRef | null;
  /** The treatment region's catalogue that priced the items. */
  catalogue: RuleRef | null;
}

export function settlementAnswer(
  request: Pick<SettlementRequest, 'settlementId' | 'visitType' | 'occurredAt'>,
  facts: SettlementFacts,
  decision: SettlementDecision,
): SettlementAnswer {
  const base = {
    settlementId: request.settlementId,
    institutionId: facts.institution.venueId,
    visitType: request.visitType,
    occurredAt: formatBusinessInstant(new Date(request.occurredAt)),
    homeRegion: facts.person?.homeRegion ?? null,
    treatmentRegion: facts.institution.region,
  };
  if ('refusal' in decision) {
    return {
      decision: 'DENY',
      reason: decision.refusal,
      ...base,
      totalFen: null,
      selfPaidFen: null,
      inPolicyFen: null,
      deductibleFen: null,
      fundFen: null,
      personalAccountFen: null,
      cashFen: null,
      items: [],
      policy: null,
      ruleSet: facts.policy ?? null,
      catalogue: facts.catalogue ?? null,
    };
  }
  const { terms, split } = decision.computation;
  const t = split.totals;
  return {
    decision: 'ALLOW',
    ...base,
    totalFen: t.totalFen,
    selfPaidFen: t.selfPaidFen,
    inPolicyFen: t.inPolicyFen,
    deductibleFen: t.deductibleFen,
    fundFen: t.fundFen,
    personalAccountFen: t.personalAccountFen,
    cashFen: t.cashFen,
    items: split.items.map(itemAnswer),
    policy: {
      deductibleRule: terms.deductibleRule,
      deductibleFen: terms.deductibleFen,
      deductibleRemainingFen: terms.deductibleRemainingFen,
      ratioBp: terms.ratioBp,
      yearlyCapFen: terms.yearlyCapFen,
      capRemainingFen: terms.capRemainingFen,
      capReached: t.capReached,
      stayNumber: terms.stayNumber,
    },
    ruleSet: facts.policy ?? null,
    catalogue: facts.catalogue ?? null,
  };
}

function itemAnswer(i: SplitItem): SettlementItemAnswer {
  return {
    code: i.code,
    name: i.name,
    category: i.category,
    notInCatalogue: i.notInCatalogue,
    quantity: i.quantity,
    unitPriceFen: i.unitPriceFen,
    amountFen: i.amountFen,
    recognised: i.recognised,
    recognisedResult: i.recognisedResult,
    overrideReason: i.overrideReason,
    selfPaidFen: i.selfPaidFen,
    inPolicyFen: i.inPolicyFen,
    deductibleFen: i.deductibleFen,
    fundFen: i.fundFen,
    personalAccountFen: i.personalAccountFen,
    cashFen: i.cashFen,
  };
}

export function settlementInput(request: SettlementRequest): SettlementInput {
  return {
    credential: request.credential.medicalCode !== undefined ? 'MEDICAL_CODE' : 'CARD_NO',
    visitType: request.visitType,
    occurredAt: request.occurredAt,
    items: request.items.map((i) => ({
      code: i.code,
      quantity: i.quantity,
      unitPriceFen: i.unitPriceFen,
      ...(i.override ? { override: { reason: i.override.reason } } : {}),
    })),
    usePersonalAccount: request.usePersonalAccount !== false,
  };
}
