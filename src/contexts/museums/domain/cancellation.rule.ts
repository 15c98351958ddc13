import type { Reason } from '@onecard/kernel';
import type { ReservationStatus } from './admission.rule.js';
import { CancellationReasons, type CancellationReasonCode } from './museum-reasons.js';

export interface CancellationFacts {
  /** The reservation exists and belongs to the card's holder. */
  found: boolean;
  status: ReservationStatus | null;
  /** ISO instants: when the slot starts, and when the cancellation was asked for. */
  slotStartsAt: string | null;
  at: string;
}

export type CancellationVerdict = { decision: 'ALLOW' } | { decision: 'DENY'; reason: Reason<CancellationReasonCode> };

function deny(code: CancellationReasonCode): CancellationVerdict {
  return { decision: 'DENY', reason: { code, message: CancellationReasons[code] } };
}

/** A booked reservation can be cancelled by its holder until its slot starts; the seat goes back. */
export function decideCancellation(f: CancellationFacts): CancellationVerdict {
  if (!f.found) return deny('RESERVATION_UNKNOWN');
  if (f.status === 'CANCELLED') return deny('ALREADY_CANCELLED');
  if (f.status === 'ADMITTED') return deny('ALREADY_ADMITTED');
  if (f.status === 'NO_SHOW' || new Date(f.at).getTime() >= new Date(f.slotStartsAt!).getTime()) return deny('CANCELLATION_TOO_LATE');
  return { decision: 'ALLOW' };
}
