/** The journal's command types of the transit context (ADR 0012: `<CONTEXT>_COMMANDS`, one table per context). */
export const TRANSIT_COMMANDS = {
  /** A gate tap, IN or OUT (idempotent per tapId). */
  tap: 'transit.tap',
  seatReservation: 'transit.seat-reservation',
  seatCancellation: 'transit.seat-cancellation',
  incompleteCharge: 'transit.incomplete-charge',
  journeyResolution: 'transit.journey-resolution',
  lockClearance: 'transit.lock-clearance',
} as const;
