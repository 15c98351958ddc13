import type { Fen } from '@onecard/kernel';
import type { LibraryReasonCode } from './library-reasons.js';

export interface OutstandingFine {
  fineId: string;
  /** The owning library whose receivable the payment settles. */
  libraryId: string;
  outstandingFen: Fen;
}

export interface FinePaymentFacts {
  /** The holder's unpaid fines, oldest first. */
  fines: OutstandingFine[];
  /** Requested amount; null: everything outstanding. */
  requestedFen: Fen | null;
  bankBalanceFen: Fen;
}

export type FinePaymentDecision =
  | { ok: true; amountFen: Fen; allocations: { fineId: string; libraryId: string; paidFen: Fen }[]; rule: string }
  | { ok: false; code: LibraryReasonCode; rule: string; amountFen: Fen };

/**
 * Paying fines from the card's bank account: all that is outstanding, or a part of it; oldest
 * fines first, each paid in full before the next. Refused with nothing to pay, with more than is
 * owed, or with a balance below the amount (a part payment is the desk's explicit choice).
 */
export function decideFinePayment(f: FinePaymentFacts): FinePaymentDecision {
  const outstanding = f.fines.reduce((s, x) => s + x.outstandingFen, 0);
  const amountFen = f.requestedFen ?? outstanding;
  if (outstanding === 0) return { ok: false, code: 'NO_OUTSTANDING_FINES', rule: 'libraries.fine-payment', amountFen };
  if (amountFen > outstanding) return { ok: false, code: 'AMOUNT_EXCEEDS_OUTSTANDING_FINES', rule: 'libraries.fine-payment', amountFen };
  if (f.bankBalanceFen < amountFen) return { ok: false, code: 'INSUFFICIENT_BALANCE', rule: 'libraries.fine-payment', amountFen };
  const allocations: { fineId: string; libraryId: string; paidFen: Fen }[] = [];
  let left = amountFen;
  for (const fine of f.fines) {
    if (left === 0) break;
    const paidFen = Math.min(left, fine.outstandingFen);
    if (paidFen > 0) allocations.push({ fineId: fine.fineId, libraryId: fine.libraryId, paidFen });
    left -= paidFen;
  }
  return { ok: true, amountFen, allocations, rule: 'libraries.fine-payment' };
}
