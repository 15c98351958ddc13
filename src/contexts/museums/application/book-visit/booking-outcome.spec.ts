import { decideEntry } from '../tap-museum-gate/entry-outcome.js';
import { decideReservation } from './booking-outcome.js';

describe('museum decisions before the booking rule', () => {
  const request = { date: '2026-03-04', slot: '09:00' };

  it('refuses unusable cards with the shared reasons', () => {
    expect(decideReservation(null, 'M', request, { cardStatus: 'TEMPORARY_LOSS' }).outcome).toEqual({
      decision: 'DENY',
      reason: 'CARD_LOST',
      slot: null,
      bannedThrough: null,
    });
    expect(decideEntry(null, 'M', { cardStatus: null }).outcome).toEqual({ decision: 'DENY', reason: 'CARD_UNKNOWN', reservationId: null, slot: null });
  });

  it('refuses BOOKING_RULES_NOT_IN_FORCE when the region has no booking rules that day', () => {
    expect(decideReservation(null, 'M', request, { cardStatus: 'ACTIVE' }).outcome.reason).toBe('BOOKING_RULES_NOT_IN_FORCE');
    expect(decideEntry(null, 'M', { cardStatus: 'ACTIVE' }).outcome.reason).toBe('BOOKING_RULES_NOT_IN_FORCE');
  });
});
