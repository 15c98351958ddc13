import { Injectable } from '@nestjs/common';
import type { CardView, MedicalCodeConsumption } from '@contexts/cards';
import { addBusinessDays, businessDateOf, businessYearOf, formatBusinessInstant, type BusinessDate, type Fen } from '@onecard/kernel';
import {
  MedicalCatalogueRules,
  MedicalPolicyRules,
  RuleBook,
  type MedicalCatalogueParameters,
  type MedicalPolicyParameters,
  type RuleSet,
} from '@onecard/rules';
import type { AnnualAccumulators } from '../domain/annual-accumulators.js';
import type { Institution, RecognisedResult } from '../domain/visit.js';
import {
  decideSettlement,
  settlementInput,
  settlementRefusal,
  type SettlementDecision,
  type SettlementFacts,
  type SettlementInput,
  type SettlementRequest,
} from './settlement-decision.js';

/**
 * How the evaluation reads state: from what the settlement's plan declared (the 医保码 used, the
 * year and the personal account locked) or, for a pre-settlement, plain reads that change nothing.
 */
export interface EvaluationPort {
  now: Date;
  credential(request: SettlementRequest): Promise<MedicalCodeConsumption | { ok: true; card: CardView | null }>;
  /** The accumulators of the card holder's year. */
  year(card: CardView, year: number): Promise<AnnualAccumulators>;
  personalBalance(account: string): Promise<Fen>;
  /** The card holder's latest result per code done on a day in [from, to] (`recognitionQuery`). */
  candidates(card: CardView, query: RecognitionQuery): Promise<RecognisedResult[]>;
}

/** Which earlier results a bill could reuse: its recognisable codes and the window of days. */
export interface RecognitionQuery {
  codes: string[];
  from: BusinessDate;
  to: BusinessDate;
}

/**
 * The results to look for (null: none, unless the institution takes part and the bill has
 * recognisable items in the treatment region's catalogue). Known before anything is read.
 */
export function recognitionQuery(request: SettlementRequest, institution: Institution, catalogue: MedicalCatalogueParameters): RecognitionQuery | null {
  if (!institution.recognition) return null;
  const recognisable = new Set(catalogue.items.filter((i) => i.recognised !== null).map((i) => i.code));
  const codes = request.items.map((i) => i.code).filter((c) => recognisable.has(c));
  if (codes.length === 0) return null;
  const on = businessDateOf(new Date(request.occurredAt));
  return { codes, from: addBusinessDays(on, -catalogue.recognitionWindowDays), to: on };
}

export interface Evaluation {
  input: SettlementInput;
  facts: SettlementFacts;
  decision: SettlementDecision;
  card: CardView | null;
  policy: RuleSet<MedicalPolicyParameters> | null;
  catalogue: RuleSet<MedicalCatalogueParameters> | null;
}

/**
 * Treatment region's catalogue, home region's policy (REFERENCE.md §2): reads the facts a
 * settlement needs, step by step, stopping at the first refusal, and decides. The settlement and
 * the pre-settlement (试算) run exactly this; only the port differs.
 */
@Injectable()
export class SettlementEvaluator {
  constructor(private readonly rules: RuleBook) {}

  async evaluate(request: SettlementRequest, institution: Institution, port: EvaluationPort): Promise<Evaluation> {
    const input = settlementInput(request);
    const facts: SettlementFacts = { receivedAt: formatBusinessInstant(port.now), institution };
    const done = (extra: Partial<Evaluation> = {}): Evaluation => {
      const refusal = settlementRefusal(input, facts);
      if (!refusal) throw new Error('evaluation stopped without a refusal');
      return { input, facts, decision: { refusal }, card: null, policy: null, catalogue: null, ...extra };
    };
    if (settlementRefusal(input, facts)) return done();

    const credential = await port.credential(request);
    if (!credential.ok) {
      facts.credentialRefusal = credential.reason.code;
      return done();
    }
    const card = credential.card;
    facts.card = card ? { cardNo: card.cardNo, status: card.status } : null;
    if (settlementRefusal(input, facts)) return done({ card });
    const holder = card!.holder;
    facts.person = { homeRegion: holder.homeRegion, scheme: holder.scheme, retiree: holder.retiree };

    const occurredAt = new Date(request.occurredAt);
    const policy = this.rules.find(MedicalPolicyRules, holder.homeRegion, occurredAt);
    facts.policy = policy?.ref ?? null;
    const catalogue = policy ? this.rules.find(MedicalCatalogueRules, institution.region, occurredAt) : null;
    if (policy) facts.catalogue = catalogue?.ref ?? null;
    if (!policy || !catalogue) return done({ card, policy, catalogue });

    const year = businessYearOf(occurredAt);
    facts.year = year;
    facts.accumulatorsBefore = await port.year(card!, year);
    const scheme = policy.parameters.schemes[holder.scheme].personalAccount;
    const account = card!.accounts.personal;
    facts.personalAccountBalanceFen =
      input.usePersonalAccount && scheme.available && scheme.paysPatientShare && account ? await port.personalBalance(account) : null;
    const recognition = recognitionQuery(request, institution, catalogue.parameters);
    facts.recognitionCandidates = recognition ? await port.candidates(card!, recognition) : [];

    const decision = decideSettlement(input, facts, { policy: policy.parameters, catalogue: catalogue.parameters });
    return { input, facts, decision, card, policy, catalogue };
  }
}
