import { addBusinessDays, businessDateOf, businessDaysBetween, businessInstant, isoWeekday, type BusinessDate, type Reason } from '@onecard/kernel';
import type { MuseumBookingPolicy, MuseumSlot } from '@onecard/rules';
import { BookingReasons, type BookingReasonCode } from './museum-reasons.js';

/** Closed on the policy's weekly closed days (1 = Monday) and its extra closed dates. */
export function isClosed(policy: Pick<MuseumBookingPolicy, 'closedWeekdays' | 'closedDates'>, date: BusinessDate): boolean {
  return policy.closedWeekdays.includes(isoWeekday(date)) || policy.closedDates.includes(date);
}

/** The slot of the day's pattern that starts at `start` (`HH:MM`, UTC+8). */
export function slotStartingAt(policy: Pick<MuseumBookingPolicy, 'slots'>, start: string): MuseumSlot | null {
  return policy.slots.find((s) => s.start === start) ?? null;
}

/** The instants a slot of a day starts and ends (Asia/Shanghai wall time). */
export function slotInstants(date: BusinessDate, slot: MuseumSlot): { startsAt: Date; endsAt: Date } {
  return { startsAt: businessInstant(date, slot.start), endsAt: businessInstant(date, slot.end) };
}

export type NoShowBanPolicy = NonNullable<MuseumBookingPolicy['noShowBan']>;

/** A booking ban: the no-shows that caused it and the days it covers (both ends included). */
export interface NoShowBan {
  from: BusinessDate;
  through: BusinessDate;
  noShows: BusinessDate[];
}

/**
 * The bans a holder's no-shows (slot dates) lead to: whenever `threshold` no-shows fall within
 * `windowDays` days (the day of the last one and the days before it), booking is banned from that
 * day for `banDays` days. The no-shows that caused a ban are spent: after it the count starts again.
 */
export function noShowBans(noShowDates: readonly BusinessDate[], policy: NoShowBanPolicy): NoShowBan[] {
  const bans: NoShowBan[] = [];
  let pending: BusinessDate[] = [];
  for (const day of [...noShowDates].sort()) {
    pending = pending.filter((d) => businessDaysBetween(d, day) < policy.windowDays);
    pending.push(day);
    if (pending.length >= policy.threshold) {
      bans.push({ from: day, through: addBusinessDays(day, policy.banDays - 1), noShows: pending });
      pending = [];
    }
  }
  return bans;
}

/** The ban in force on `day`, if any (the latest one when bans overlap). */
export function banOn(noShowDates: readonly BusinessDate[], policy: NoShowBanPolicy | null, day: BusinessDate): NoShowBan | null {
  if (!policy) return null;
  const covering = noShowBans(noShowDates, policy).filter((b) => b.from <= day && day <= b.through);
  return covering[covering.length - 1] ?? null;
}

export interface BookingRequest {
  date: BusinessDate;
  /** The slot's start, `HH:MM`. */
  slot: string;
}

/** What a booking decision rests on, gathered in this order by the handler and recorded for replay. */
export interface BookingFacts {
  /** The decision instant (ISO-8601): "today" and "has the slot ended" are read from it. */
  bookedAt: string;
  /** The museum's configured seats per slot; null: not configured for booking. */
  slotQuota: number | null;
  /** Present once the request passed the checks that need no state. */
  holder?: {
    /** The holder's live (not cancelled) reservations at this museum on the date / in its month. */
    onDate: number;
    inMonth: number;
    sameSlot: boolean;
    /** Slot dates of the holder's counted no-shows at this museum. */
    noShowDates: BusinessDate[];
  };
  /** Present once the holder's limits allowed the booking: whether the slot had no seat left. */
  slotFull?: boolean;
}

export type BookingVerdict =
  | { decision: 'ALLOW'; slot: MuseumSlot }
  | { decision: 'DENY'; reason: Reason<BookingReasonCode>; slot: MuseumSlot | null; ban: NoShowBan | null; rule: string }
  /** The facts so far do not decide: gather `needs` (in a command, under lock) and ask again. */
  | { decision: 'PENDING'; needs: 'holder' | 'seat'; slot: MuseumSlot };

function deny(code: BookingReasonCode, rule: string, slot: MuseumSlot | null = null, ban: NoShowBan | null = null): BookingVerdict {
  return { decision: 'DENY', reason: { code, message: BookingReasons[code] }, slot, ban, rule };
}

/**
 * A real-name booking, checked in this order: bookable at all (quota configured, a slot pattern in
 * the rules) → closed day → date not past and within the booking window (days counted in UTC+8
 * from today) → the slot exists that day and has not ended → no ban from no-shows → not the same
 * slot twice → per-day and per-month limits (live reservations at this museum) → a seat left.
 */
export function decideBooking(policy: MuseumBookingPolicy, request: BookingRequest, facts: BookingFacts): BookingVerdict {
  const now = new Date(facts.bookedAt);
  const today = businessDateOf(now);
  if (facts.slotQuota === null || policy.slots.length === 0) return deny('MUSEUM_NOT_BOOKABLE', 'museums.bookable');
  if (isClosed(policy, request.date)) return deny('MUSEUM_CLOSED', 'museums.closed-days');
  const ahead = businessDaysBetween(today, request.date);
  if (ahead < 0) return deny('DATE_IN_PAST', 'museums.booking-window');
  if (ahead > policy.bookingWindowDays) return deny('BEYOND_BOOKING_WINDOW', 'museums.booking-window');
  const slot = slotStartingAt(policy, request.slot);
  if (!slot) return deny('SLOT_UNKNOWN', 'museums.slots');
  if (slotInstants(request.date, slot).endsAt.getTime() <= now.getTime()) return deny('SLOT_ENDED', 'museums.slots', slot);

  const holder = facts.holder;
  if (!holder) return { decision: 'PENDING', needs: 'holder', slot };
  const ban = banOn(holder.noShowDates, policy.noShowBan, today);
  if (ban) return deny('BOOKING_BANNED', 'museums.no-show-ban', slot, ban);
  if (holder.sameSlot) return deny('ALREADY_BOOKED', 'museums.per-person-limits', slot);
  if (holder.onDate >= policy.perPersonPerDay) return deny('DAILY_LIMIT_REACHED', 'museums.per-person-limits', slot);
  if (policy.perPersonPerMonth !== null && holder.inMonth >= policy.perPersonPerMonth) return deny('MONTHLY_LIMIT_REACHED', 'museums.per-person-limits', slot);

  if (facts.slotFull === undefined) return { decision: 'PENDING', needs: 'seat', slot };
  if (facts.slotFull) return deny('SLOT_FULL', 'museums.slot-quota', slot);
  return { decision: 'ALLOW', slot };
}

/** The first and last day of a date's calendar month. */
export function monthOf(date: BusinessDate): { first: BusinessDate; last: BusinessDate } {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { first: `${date.slice(0, 7)}-01`, last: `${date.slice(0, 7)}-${String(lastDay).padStart(2, '0')}` };
}
