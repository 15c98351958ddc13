import { formatBusinessInstant } from '@onecard/kernel';
import { networkRules } from '../testing/rule-data.js';
import { cancellationRefusal, candidateTrains, chooseSeat, reservationRefusal, type ReservationInput } from './reservation.rule.js';
import { commuterSeats } from './seat-map.js';
import type { SlipFact } from './tap-facts.js';
import { generateTimetable } from './timetable.js';

const v1 = networkRules(1);
const v2 = networkRules(2);
const at = (hhmm: string, date = '2026-03-02') => new Date(`${date}T${hhmm}:00+08:00`);
const card = { status: 'ACTIVE', issuingRegion: '12', generation: 3, transitApp: true };
const input = (over: Partial<ReservationInput> = {}): ReservationInput => ({
  now: at('08:00'),
  travelDate: '2026-03-02',
  fromStation: 'BJN',
  toStation: 'TJN',
  cardStatusRefusal: null,
  ...over,
});
const slip = (departs: Date, id = 's'): SlipFact => ({
  reservationId: id,
  fromStation: 'BJN',
  toStation: 'TJN',
  trainNo: 'C2001',
  terminus: 'TJN',
  departsAt: departs.toISOString(),
});
const refusal = (over: Partial<ReservationInput> = {}, slips: SlipFact[] = [], rules = v1, c: typeof card | null = card) =>
  reservationRefusal(rules, input(over), { card: c, slips })?.reason.code ?? null;

describe('seat reservation refusals', () => {
  it('passes a usable card with nothing held', () => {
    expect(refusal()).toBeNull();
  });
  it('refuses unusable cards and products first', () => {
    expect(refusal({ cardStatusRefusal: { code: 'CARD_LOST', message: '' } })).toBe('CARD_LOST');
    expect(refusal({}, [], v1, null)).toBe('CARD_UNKNOWN');
    expect(refusal({}, [], v1, { ...card, generation: 2 })).toBe('CARD_PRODUCT_NOT_ELIGIBLE');
    expect(refusal({}, [], v1, { ...card, transitApp: false })).toBe('NO_TRANSIT_APPLICATION');
  });
  it("refuses a station not in service at either end under the travel date's rules", () => {
    expect(refusal({ toStation: 'YLE' })).toBe('STATION_NOT_IN_SERVICE');
    expect(refusal({ fromStation: 'YLE' })).toBe('STATION_NOT_IN_SERVICE');
    expect(refusal({ toStation: 'YLE', now: at('08:00', '2027-01-04'), travelDate: '2027-01-04' }, [], v2)).toBeNull();
  });
  it('books today and tomorrow only', () => {
    expect(refusal({ travelDate: '2026-03-03' })).toBeNull();
    expect(refusal({ travelDate: '2026-03-04' })).toBe('TRAVEL_DATE_NOT_BOOKABLE');
    expect(refusal({ travelDate: '2026-03-01' })).toBe('TRAVEL_DATE_NOT_BOOKABLE');
  });
  it('refuses while two unused slips lock the card, and while a slip for a train not yet gone is held', () => {
    expect(refusal({}, [slip(at('07:00'), 'a')])).toBeNull();
    expect(refusal({}, [slip(at('07:00'), 'a'), slip(at('07:30'), 'b')])).toBe('TRANSIT_LOCKED');
    expect(refusal({}, [slip(at('08:00'), 'a')])).toBe('SLIP_ALREADY_HELD');
  });
});

describe('choosing the train and seat', () => {
  const tt = generateTimetable(v1, { id: 'transit.jingjin', version: 1 }, '2026-03-02');
  const hhmm = (d: Date) => formatBusinessInstant(d).slice(11, 16);

  it('offers the trains after now on the travel date, from the start of the day for a later date', () => {
    const today = candidateTrains(tt, input({ now: at('08:01') }));
    expect(hhmm(today[0]!.departsAt)).toBe('08:10');
    const tomorrow = candidateTrains(generateTimetable(v1, tt.ruleSet, '2026-03-03'), input({ travelDate: '2026-03-03', now: at('23:00') }));
    expect(hhmm(tomorrow[0]!.departsAt)).toBe('06:00');
  });

  it('takes the next train with a free commuter seat, and its first free seat', () => {
    const candidates = candidateTrains(tt, input({ now: at('08:01') }));
    const capacity = commuterSeats(v1.timetable.consist).length;
    const first = candidates[0]!.train.trainNo;
    const choice = chooseSeat(v1, candidates, new Map([[first, capacity]]), () => new Set(['5/01A']));
    expect(choice!.train.trainNo).toBe(candidates[1]!.train.trainNo);
    expect(choice!.seat).toEqual({ car: 5, seat: '01B' });
    expect(choice!.terminus).toBe(candidates[1]!.train.calls.at(-1)!.station);
    expect(chooseSeat(v1, [], new Map(), () => new Set())).toBeNull();
  });
});

describe('cancelling a seat slip', () => {
  const slipRow = { cardNo: 'T00000018', fromStation: 'BJN', status: 'ACTIVE', departsAt: at('09:00').toISOString() };
  const cancel = (over: Partial<{ slip: typeof slipRow | null; cancellationsToday: number }> = {}, now = at('08:00')) =>
    cancellationRefusal(v1, { now, cardNo: 'T00000018', cardStatusRefusal: null }, { card, slip: slipRow, cancellationsToday: 0, ...over })?.reason.code ??
    null;

  it('cancels an unused slip before its train leaves, once per station per day', () => {
    expect(cancel()).toBeNull();
    expect(cancel({ cancellationsToday: 1 })).toBe('CANCELLATION_LIMIT_REACHED');
  });
  it('refuses slips of another card, unknown, used or gone ones', () => {
    expect(cancel({ slip: null })).toBe('RESERVATION_NOT_FOUND');
    expect(cancel({ slip: { ...slipRow, cardNo: 'T00000026' } })).toBe('RESERVATION_NOT_FOUND');
    expect(cancel({ slip: { ...slipRow, status: 'USED' } })).toBe('RESERVATION_NOT_CANCELLABLE');
    expect(cancel({}, at('09:00'))).toBe('RESERVATION_NOT_CANCELLABLE');
  });
});
