import { cardStatusRefusal, type CardStatus } from '@contexts/cards';
import type { BusinessDate } from '@onecard/kernel';
import { museumPolicy, type MuseumBookingParameters } from '@onecard/rules';
import { decideAdmission, type DayReservation } from '../../domain/admission.rule.js';
import { AdmissionReasons } from '../../domain/museum-reasons.js';
import type { SlotView } from '../book-visit/book-visit.command.js';

export interface RecordedEntryFacts {
  cardStatus: CardStatus | null;
  visitDate?: BusinessDate;
  tappedAt?: string;
  reservations?: DayReservation[];
}

export interface EntryOutcome {
  decision: 'ALLOW' | 'DENY';
  reason: string | null;
  reservationId: string | null;
  slot: SlotView | null;
}

/** The gate's decision from recorded facts, shared by the handler and the replayer. */
export function decideEntry(
  rules: MuseumBookingParameters | null,
  museumId: string,
  facts: RecordedEntryFacts,
): { outcome: EntryOutcome; message: string | null; rule: string } {
  const refusal = cardStatusRefusal(facts.cardStatus ? { status: facts.cardStatus } : null);
  if (refusal)
    return { outcome: { decision: 'DENY', reason: refusal.code, reservationId: null, slot: null }, message: refusal.message, rule: 'cards.card-status' };
  if (!rules) {
    return {
      outcome: { decision: 'DENY', reason: 'BOOKING_RULES_NOT_IN_FORCE', reservationId: null, slot: null },
      message: AdmissionReasons.BOOKING_RULES_NOT_IN_FORCE,
      rule: 'rules.in-force',
    };
  }
  const verdict = decideAdmission(museumPolicy(rules, museumId), facts.visitDate!, new Date(facts.tappedAt!), facts.reservations ?? []);
  const r = verdict.reservation;
  const about = { reservationId: r?.reservationId ?? null, slot: r ? { start: r.slotStart, end: r.slotEnd } : null };
  if (verdict.decision === 'DENY')
    return { outcome: { decision: 'DENY', reason: verdict.reason.code, ...about }, message: verdict.reason.message, rule: verdict.rule };
  return { outcome: { decision: 'ALLOW', reason: null, ...about }, message: null, rule: 'museums.entry-window' };
}
