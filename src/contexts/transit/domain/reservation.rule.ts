import { addBusinessDays, businessDateOf, startOfBusinessDay, type BusinessDate, type Reason } from '@onecard/kernel';
import type { TransitNetworkParameters } from '@onecard/rules';
import { isInService } from './network.js';
import { commuterSeats, firstFreeSeat, type Seat } from './seat-map.js';
import type { CardFacts, Denial, SlipFact } from './tap-facts.js';
import { cardProductRefusal, unusedSlips } from './tap.rule.js';
import { terminusOf, trainsBetween, type Timetable, type Train } from './timetable.js';
import { transitReason } from './transit-reasons.js';

export interface ReservationInput {
  now: Date;
  travelDate: BusinessDate;
  fromStation: string;
  toStation: string;
  cardStatusRefusal: Reason | null;
}

/** Slips a card holds for trains that have not left yet. */
export function heldSlips(slips: readonly SlipFact[], at: Date): SlipFact[] {
  return slips.filter((s) => new Date(s.departsAt).getTime() >= at.getTime());
}

/** Today through `bookingDaysAhead` days after today (Asia/Shanghai). */
export function isBookable(p: TransitNetworkParameters, travelDate: BusinessDate, now: Date): boolean {
  const today = businessDateOf(now);
  return travelDate >= today && travelDate <= addBusinessDays(today, p.seatFirst.bookingDaysAhead);
}

/**
 * What a seat machine checks before looking for a seat, in this order: card status, card product,
 * both stations in service (rule version of the travel date), travel date bookable, transit lock,
 * a slip already held.
 */
export function reservationRefusal(p: TransitNetworkParameters, input: ReservationInput, facts: { card: CardFacts | null; slips: SlipFact[] }): Denial | null {
  const deny = (reason: Reason, rule: string): Denial => ({ decision: 'DENY', reason, rule });
  if (input.cardStatusRefusal || !facts.card) return deny(input.cardStatusRefusal ?? transitReason('CARD_UNKNOWN'), 'card.status');
  const product = cardProductRefusal(p, facts.card);
  if (product) return deny(product, 'entry.card-product');
  if (!isInService(p, input.fromStation) || !isInService(p, input.toStation))
    return deny(transitReason('STATION_NOT_IN_SERVICE'), 'network.station-in-service');
  if (!isBookable(p, input.travelDate, input.now)) return deny(transitReason('TRAVEL_DATE_NOT_BOOKABLE'), 'seat-first.booking-horizon');
  if (unusedSlips(facts.slips, input.now).length >= p.seatFirst.unusedSlipsLockAt) return deny(transitReason('TRANSIT_LOCKED'), 'seat-first.unused-slips-lock');
  if (heldSlips(facts.slips, input.now).length > 0) return deny(transitReason('SLIP_ALREADY_HELD'), 'seat-first.one-slip-at-a-time');
  return null;
}

/** The trains a machine may offer: leaving `from` for `to` on the travel date, after now. */
export function candidateTrains(
  timetable: Timetable,
  input: Pick<ReservationInput, 'now' | 'travelDate' | 'fromStation' | 'toStation'>,
): { train: Train; departsAt: Date }[] {
  const dayStart = startOfBusinessDay(input.travelDate).getTime() - 1;
  const after = new Date(Math.max(dayStart, input.now.getTime()));
  return trainsBetween(timetable, input.fromStation, input.toStation, after);
}

export type SeatChoice = { train: Train; departsAt: Date; terminus: string; seat: Seat } | null;

/**
 * The first candidate train with a free commuter seat, and that seat (the first free one in car,
 * row, letter order). `occupied` counts the seats taken per train; `taken` lists the taken seats
 * (`car/seat`) of a train when asked.
 */
export function chooseSeat(
  p: TransitNetworkParameters,
  candidates: readonly { train: Train; departsAt: Date }[],
  occupied: ReadonlyMap<string, number>,
  taken: (trainNo: string) => ReadonlySet<string>,
): SeatChoice {
  const capacity = commuterSeats(p.timetable.consist).length;
  for (const c of candidates) {
    if ((occupied.get(c.train.trainNo) ?? 0) >= capacity) continue;
    const seat = firstFreeSeat(p.timetable.consist, taken(c.train.trainNo));
    if (seat) return { train: c.train, departsAt: c.departsAt, terminus: terminusOf(c.train), seat };
  }
  return null;
}

export interface CancellationFacts {
  card: CardFacts | null;
  slip: { cardNo: string; fromStation: string; status: string; departsAt: string } | null;
  cancellationsToday: number;
}

/** A slip is cancelled once, before its train leaves, at most `cancellationsPerStationPerDay` per station and day. */
export function cancellationRefusal(
  p: TransitNetworkParameters,
  input: { now: Date; cardNo: string; cardStatusRefusal: Reason | null },
  facts: CancellationFacts,
): Denial | null {
  const deny = (reason: Reason, rule: string): Denial => ({ decision: 'DENY', reason, rule });
  if (input.cardStatusRefusal || !facts.card) return deny(input.cardStatusRefusal ?? transitReason('CARD_UNKNOWN'), 'card.status');
  if (!facts.slip || facts.slip.cardNo !== input.cardNo) return deny(transitReason('RESERVATION_NOT_FOUND'), 'seat-first.slip-of-card');
  if (facts.slip.status !== 'ACTIVE' || new Date(facts.slip.departsAt).getTime() <= input.now.getTime()) {
    return deny(transitReason('RESERVATION_NOT_CANCELLABLE'), 'seat-first.cancellable');
  }
  if (facts.cancellationsToday >= p.seatFirst.cancellationsPerStationPerDay)
    return deny(transitReason('CANCELLATION_LIMIT_REACHED'), 'seat-first.cancellations-per-station-per-day');
  return null;
}
