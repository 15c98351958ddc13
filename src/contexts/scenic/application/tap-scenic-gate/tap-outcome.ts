import { cardStatusRefusal, type CardStatus } from '@contexts/cards';
import type { Fen } from '@onecard/kernel';
import type { ScenicAdmissionParameters } from '@onecard/rules';
import { decideTap, type Concession, type TapFacts, type TapVerdict } from '../../domain/admission.rule.js';
import { ScenicTapReasons } from '../../domain/scenic-reasons.js';

/** What a scenic tap records as its facts: the card's status, then (if it passed) the tap facts. */
export interface RecordedTapFacts extends Partial<TapFacts> {
  cardStatus: CardStatus | null;
}

/** The journaled outcome of a tap; replay recomputes it from the recorded facts. */
export interface TapOutcome {
  decision: 'ALLOW' | 'DENY';
  reason: string | null;
  priceFen: Fen | null;
  concession: Concession | null;
  entry: 'ENTRY' | 'REENTRY' | null;
}

export interface TapDecision {
  outcome: TapOutcome;
  verdict: TapVerdict | null;
  message: string | null;
  rule: string;
}

/**
 * The whole decision from recorded facts, shared by the handler and the replayer: card status
 * first (the shared refusal), then rules in force, then the admission rule.
 */
export function decideScenicTap(rules: ScenicAdmissionParameters | null, facts: RecordedTapFacts): TapDecision {
  const refusal = cardStatusRefusal(facts.cardStatus ? { status: facts.cardStatus } : null);
  if (refusal) return { outcome: deniedTap(refusal.code), verdict: null, message: refusal.message, rule: 'cards.card-status' };
  if (!rules) {
    return {
      outcome: deniedTap('ADMISSION_RULES_NOT_IN_FORCE'),
      verdict: null,
      message: ScenicTapReasons.ADMISSION_RULES_NOT_IN_FORCE,
      rule: 'rules.in-force',
    };
  }
  const verdict = decideTap(rules, facts as TapFacts);
  if (verdict.decision === 'DENY') {
    return {
      outcome: { ...deniedTap(verdict.reason.code, verdict.price?.priceFen ?? null), concession: verdict.price?.concession ?? null },
      verdict,
      message: verdict.reason.message,
      rule: verdict.rule,
    };
  }
  return {
    outcome: {
      decision: 'ALLOW',
      reason: null,
      priceFen: verdict.price.priceFen,
      concession: verdict.price.concession,
      // A re-entry is free when the rules say so; otherwise it is priced and takes a place again.
      entry: facts.firstEntry ? 'REENTRY' : 'ENTRY',
    },
    verdict,
    message: null,
    rule: verdict.price.rule,
  };
}

/** A refused tap's journaled outcome (a card refused, no rules in force: no price). */
export function deniedTap(code: string, priceFen: Fen | null = null): TapOutcome {
  return { decision: 'DENY', reason: code, priceFen, concession: null, entry: null };
}
