import { businessInstant, type BusinessDate, type Reason } from '@onecard/kernel';
import type { MuseumBookingPolicy } from '@onecard/rules';
import { isClosed } from './booking.rule.js';
import { AdmissionReasons, type AdmissionReasonCode } from './museum-reasons.js';

export type ReservationStatus = 'BOOKED' | 'CANCELLED' | 'ADMITTED' | 'NO_SHOW';

/** A reservation of the holder at this museum on the tap's date, as the gate sees it. */
export interface DayReservation {
  reservationId: string;
  slotStart: string;
  slotEnd: string;
  status: Exclude<ReservationStatus, 'CANCELLED'>;
}

export type AdmissionVerdict =
  | { decision: 'ALLOW'; reservation: DayReservation }
  | { decision: 'DENY'; reason: Reason<AdmissionReasonCode>; reservation: DayReservation | null; rule: string };

function deny(code: AdmissionReasonCode, reservation: DayReservation | null, rule = 'museums.entry-window'): AdmissionVerdict {
  return { decision: 'DENY', reason: { code, message: AdmissionReasons[code] }, reservation, rule };
}

/**
 * Entry at a museum gate at `tappedAt` on `date` (its Asia/Shanghai date). A reservation admits
 * from `earlyEntryMinutes` before its slot starts until the slot ends. In order: closed day → no
 * reservation → a booked reservation whose window is open admits → one already used in the open
 * window is ALREADY_ADMITTED → a later slot is TOO_EARLY → a used one of the day is ALREADY_ADMITTED
 * → otherwise the slots have ended (TOO_LATE).
 */
export function decideAdmission(
  policy: Pick<MuseumBookingPolicy, 'closedWeekdays' | 'closedDates' | 'earlyEntryMinutes'>,
  date: BusinessDate,
  tappedAt: Date,
  reservations: readonly DayReservation[],
): AdmissionVerdict {
  if (isClosed(policy, date)) return deny('MUSEUM_CLOSED', null, 'museums.closed-days');
  if (reservations.length === 0) return deny('NO_RESERVATION', null, 'museums.reservation');
  const t = tappedAt.getTime();
  const window = (r: DayReservation) => ({
    opens: businessInstant(date, r.slotStart).getTime() - policy.earlyEntryMinutes * 60_000,
    closes: businessInstant(date, r.slotEnd).getTime(),
  });
  const sorted = [...reservations].sort((a, b) => a.slotStart.localeCompare(b.slotStart));
  const open = sorted.filter((r) => window(r).opens <= t && t < window(r).closes);
  const admit = open.find((r) => r.status === 'BOOKED');
  if (admit) return { decision: 'ALLOW', reservation: admit };
  const usedNow = open.find((r) => r.status === 'ADMITTED');
  if (usedNow) return deny('ALREADY_ADMITTED', usedNow);
  const later = sorted.find((r) => r.status === 'BOOKED' && t < window(r).opens);
  if (later) return deny('TOO_EARLY', later);
  const used = sorted.find((r) => r.status === 'ADMITTED');
  if (used) return deny('ALREADY_ADMITTED', used);
  return deny('TOO_LATE', sorted[sorted.length - 1]!);
}
