import { CardReasons, type Reason } from '@onecard/kernel';

/**
 * Every reason code the transit context answers (UPPER_SNAKE, listed in the OpenAPI schema). The
 * card-status codes are the ones every context shares (`cardStatusRefusal`).
 */
export const TransitReasons = {
  ...CardReasons,
  CARD_PRODUCT_NOT_ELIGIBLE: 'This card product (issuing region, card generation) does not ride the intercity railway.',
  NO_TRANSIT_APPLICATION: 'The card does not carry the 中铁银通 rail application.',
  STATION_NOT_IN_SERVICE: 'This station is not in service.',
  DUPLICATE_TAP: 'The card was just read at this gate; this tap is a repeat.',
  JOURNEY_ALREADY_OPEN: 'The card has already entered: tap out first.',
  UNRESOLVED_JOURNEY: 'The card has a journey without a tap-out: please go to a staffed window.',
  TRANSIT_LOCKED: 'Unused seat slips have locked the card for rail travel: please go to a staffed window.',
  NO_SEAT_SLIP: 'No seat slip for a train leaving this station soon: get one at a seat machine first.',
  INSUFFICIENT_BALANCE: 'The rail account balance is too low.',
  NO_OPEN_JOURNEY: 'The card has no journey to end here.',
  RULES_NOT_IN_FORCE: 'No railway rules are in force for this date.',
  TRAVEL_DATE_NOT_BOOKABLE: 'Seats cannot be booked for this travel date.',
  SLIP_ALREADY_HELD: 'The card already holds a seat slip for a train that has not left: use or cancel it first.',
  NO_TRAIN_AVAILABLE: 'No later train that day to this destination has a free commuter seat.',
  RESERVATION_NOT_FOUND: 'No seat slip with this id for this card.',
  RESERVATION_NOT_CANCELLABLE: 'This seat slip was used, cancelled or its train has left.',
  CANCELLATION_LIMIT_REACHED: 'Only one seat slip may be cancelled per station per day.',
  NO_UNUSED_SLIPS: 'The card has no unused seat slips to clear.',
  JOURNEY_NOT_OPEN: 'The journey is already closed.',
} as const;

export type TransitReasonCode = keyof typeof TransitReasons;
export const TRANSIT_REASON_CODES = Object.keys(TransitReasons) as TransitReasonCode[];

export function transitReason(code: TransitReasonCode, detail?: string): Reason<TransitReasonCode> {
  return { code, message: detail ? `${TransitReasons[code]} ${detail}` : TransitReasons[code] };
}
