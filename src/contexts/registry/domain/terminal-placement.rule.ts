import type { FieldError } from '@onecard/kernel';
import type { GateDirection, TerminalKind } from '@onecard/platform';
import type { VenueKind } from './venue.js';

export const TERMINAL_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Which venue each terminal kind stands at. A holder's phone app stands nowhere. This is what lets
 * a guard trust "the clinic of this terminal" instead of anything the terminal claims.
 */
export const VENUE_KIND_OF_TERMINAL: Record<TerminalKind, VenueKind | null> = {
  GATE: 'STATION',
  SEAT_MACHINE: 'STATION',
  CLINIC: 'CLINIC',
  SCENIC_GATE: 'SCENIC_SPOT',
  MUSEUM_GATE: 'MUSEUM',
  LIBRARY_DESK: 'LIBRARY',
  HOLDER_APP: null,
};

export interface PlacementRequest {
  kind: TerminalKind;
  venueId: string | null;
  direction: GateDirection | null;
  /** HOLDER_APP only, and required for one: the card the app acts for. */
  cardNo?: string | null;
}

/** A terminal to register where it stands (the seed's bulk registration, the admin command). */
export interface TerminalPlacement extends PlacementRequest {
  terminalId: string;
  enabled?: boolean;
}

/**
 * Checks a terminal's placement: the venue exists and suits the kind, a gate (only a gate) is
 * configured IN or OUT, and a holder app (only a holder app) is bound to a card. Answers one
 * error per bad field, addressed by JSON pointer.
 */
export function placementErrors(request: PlacementRequest, venue: { kind: VenueKind } | null): FieldError[] {
  const errors: FieldError[] = [];
  const expected = VENUE_KIND_OF_TERMINAL[request.kind];
  if (expected === null) {
    if (request.venueId !== null) errors.push({ pointer: '/venueId', detail: `a ${request.kind} terminal stands at no venue; omit venueId` });
  } else if (request.venueId === null) {
    errors.push({ pointer: '/venueId', detail: `a ${request.kind} terminal needs the ${expected} it stands at` });
  } else if (!venue) {
    errors.push({ pointer: '/venueId', detail: `unknown venue "${request.venueId}"` });
  } else if (venue.kind !== expected) {
    errors.push({ pointer: '/kind', detail: `a ${request.kind} terminal belongs at a ${expected}; venue ${request.venueId} is a ${venue.kind}` });
  }
  if (request.kind === 'GATE' && request.direction === null) {
    errors.push({ pointer: '/direction', detail: 'a GATE is configured as IN (entry) or OUT (exit)' });
  }
  if (request.kind !== 'GATE' && request.direction !== null) {
    errors.push({ pointer: '/direction', detail: 'only a GATE has a direction' });
  }
  const cardNo = request.cardNo ?? null;
  if (request.kind === 'HOLDER_APP' && cardNo === null) {
    errors.push({ pointer: '/cardNo', detail: "a HOLDER_APP is bound to the holder's card: give its cardNo" });
  }
  if (request.kind !== 'HOLDER_APP' && cardNo !== null) {
    errors.push({ pointer: '/cardNo', detail: 'only a HOLDER_APP is bound to a card' });
  }
  return errors;
}
