import { CardReasons } from '@onecard/kernel';

/** Why a booking is refused (besides the shared card reasons). */
export const BookingReasons = {
  BOOKING_RULES_NOT_IN_FORCE: "No booking rules are in force for the museum's region on that date.",
  MUSEUM_NOT_BOOKABLE: 'The museum takes no bookings (no slot quota configured, or no slot pattern in the rules).',
  MUSEUM_CLOSED: 'The museum is closed on that day.',
  DATE_IN_PAST: 'The date has passed.',
  BEYOND_BOOKING_WINDOW: 'The date is further ahead than bookings open.',
  SLOT_UNKNOWN: 'The museum has no slot starting at that time on that day.',
  SLOT_ENDED: 'The slot has already ended.',
  BOOKING_BANNED: 'Booking is suspended after repeated no-shows.',
  ALREADY_BOOKED: 'The holder already has a reservation for this slot.',
  DAILY_LIMIT_REACHED: 'The holder has reached the number of reservations allowed per day.',
  MONTHLY_LIMIT_REACHED: 'The holder has reached the number of reservations allowed per month.',
  SLOT_FULL: 'The slot is fully booked.',
} as const;
export type BookingReasonCode = keyof typeof BookingReasons;

/** Why a gate refuses entry (besides the shared card reasons). */
export const AdmissionReasons = {
  BOOKING_RULES_NOT_IN_FORCE: BookingReasons.BOOKING_RULES_NOT_IN_FORCE,
  MUSEUM_CLOSED: 'The museum is closed today.',
  NO_RESERVATION: 'The holder has no reservation at this museum today.',
  TOO_EARLY: 'The reservation is for a later slot; entry opens shortly before it starts.',
  TOO_LATE: "The reservation's slot has ended.",
  ALREADY_ADMITTED: 'The reservation has already been used to enter.',
} as const;
export type AdmissionReasonCode = keyof typeof AdmissionReasons;

/** Why a cancellation is refused. */
export const CancellationReasons = {
  RESERVATION_UNKNOWN: "No reservation with this id belongs to this card's holder.",
  ALREADY_CANCELLED: 'The reservation has already been cancelled.',
  ALREADY_ADMITTED: 'The reservation has already been used to enter.',
  CANCELLATION_TOO_LATE: 'The slot has started; the reservation can no longer be cancelled.',
} as const;
export type CancellationReasonCode = keyof typeof CancellationReasons;

/** Why the no-show job leaves a reservation alone. */
export const NoShowReasons = {
  NOT_A_NO_SHOW: 'The reservation was used, cancelled or already counted, or its slot has not ended.',
} as const;

export const BOOKING_REASON_CODES = [...Object.keys(BookingReasons), ...Object.keys(CardReasons)];
export const ADMISSION_REASON_CODES = [...Object.keys(AdmissionReasons), ...Object.keys(CardReasons)];
export const CANCELLATION_REASON_CODES = Object.keys(CancellationReasons);
