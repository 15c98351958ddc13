import { cardStatusRefusal, type CardStatus } from '@contexts/cards';
import type { BusinessDate } from '@onecard/kernel';
import { museumPolicy, type MuseumBookingParameters } from '@onecard/rules';
import { decideBooking, type BookingFacts, type BookingRequest, type BookingVerdict } from '../../domain/booking.rule.js';
import { BookingReasons } from '../../domain/museum-reasons.js';
import type { SlotView } from './book-visit.command.js';

export interface RecordedBookingFacts extends Partial<BookingFacts> {
  cardStatus: CardStatus | null;
}

export interface BookingOutcome {
  decision: 'ALLOW' | 'DENY' | 'PENDING';
  reason: string | null;
  slot: SlotView | null;
  bannedThrough: BusinessDate | null;
}

/**
 * The booking decision from recorded facts, shared by the handler (which asks again as it gathers
 * facts while PENDING) and the replayer: card status, rules in force, then the booking rule.
 */
export function decideReservation(
  rules: MuseumBookingParameters | null,
  museumId: string,
  request: BookingRequest,
  facts: RecordedBookingFacts,
): { outcome: BookingOutcome; verdict: BookingVerdict | null; message: string | null; rule: string } {
  const refusal = cardStatusRefusal(facts.cardStatus ? { status: facts.cardStatus } : null);
  if (refusal) return { outcome: denied(refusal.code), verdict: null, message: refusal.message, rule: 'cards.card-status' };
  if (!rules)
    return { outcome: denied('BOOKING_RULES_NOT_IN_FORCE'), verdict: null, message: BookingReasons.BOOKING_RULES_NOT_IN_FORCE, rule: 'rules.in-force' };
  const verdict = decideBooking(museumPolicy(rules, museumId), request, facts as BookingFacts);
  if (verdict.decision === 'DENY') {
    return {
      outcome: { decision: 'DENY', reason: verdict.reason.code, slot: verdict.slot ? { ...verdict.slot } : null, bannedThrough: verdict.ban?.through ?? null },
      verdict,
      message: verdict.reason.message,
      rule: verdict.rule,
    };
  }
  return {
    outcome: { decision: verdict.decision, reason: null, slot: { ...verdict.slot }, bannedThrough: null },
    verdict,
    message: null,
    rule: 'museums.booking',
  };
}

function denied(code: string): BookingOutcome {
  return { decision: 'DENY', reason: code, slot: null, bannedThrough: null };
}
