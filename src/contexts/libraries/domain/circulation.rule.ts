import { addBusinessDays, businessDaysBetween, type BusinessDate, type Fen } from '@onecard/kernel';
import type { LoanRule } from '@onecard/rules';

/**
 * Dates and fines of circulation, all in Asia/Shanghai business days: a loan made on day D for N
 * days is due on D + N and may be returned until 23:59:59.999+08:00 that day; from 00:00+08:00 the
 * next day it is one day overdue.
 */

export function dueDateOf(loanDate: BusinessDate, loanDays: number): BusinessDate {
  return addBusinessDays(loanDate, loanDays);
}

/** Whole days past the due date on `onDate` (0 up to and including the due date). */
export function overdueDays(dueDate: BusinessDate, onDate: BusinessDate): number {
  return Math.max(0, businessDaysBetween(dueDate, onDate));
}

export function isOverdue(dueDate: BusinessDate, onDate: BusinessDate): boolean {
  return overdueDays(dueDate, onDate) > 0;
}

/**
 * The overdue fine of one item: days × fen per day, capped per item when the rule has a cap.
 * Integer fen throughout; nothing to round.
 */
export function itemFineFen(days: number, rule: Pick<LoanRule, 'finePerDayPerItemFen' | 'fineCapPerItemFen'>): Fen {
  if (!Number.isSafeInteger(days) || days < 0) throw new RangeError(`overdue days must be a whole number ≥ 0, got ${days}`);
  const fine = days * rule.finePerDayPerItemFen;
  if (!Number.isSafeInteger(fine)) throw new RangeError(`fine of ${days} days overflows`);
  return rule.fineCapPerItemFen === null ? fine : Math.min(fine, rule.fineCapPerItemFen);
}

/** The fines of several items returned together: each item's fine (capped per item), summed. */
export function finesFen(itemOverdueDays: readonly number[], rule: Pick<LoanRule, 'finePerDayPerItemFen' | 'fineCapPerItemFen'>): Fen {
  return itemOverdueDays.reduce((sum, days) => sum + itemFineFen(days, rule), 0);
}

/**
 * The due date after a renewal on `renewalDate`: `renewalDays` from the renewal day, but never
 * earlier than the current due date (renewing early must not shorten a loan).
 */
export function renewedDueDate(currentDue: BusinessDate, renewalDate: BusinessDate, renewalDays: number): BusinessDate {
  const fromRenewal = addBusinessDays(renewalDate, renewalDays);
  return fromRenewal > currentDue ? fromRenewal : currentDue;
}

/**
 * How a fine is settled at return. The book is always taken back; the fine is charged from the
 * card's bank account as far as its balance goes (and only if the card is usable), and the rest
 * stays as an outstanding fine the holder owes (ADR 0011).
 */
export function settleFine(fineFen: Fen, bankBalanceFen: Fen, cardUsable: boolean): { chargedFen: Fen; outstandingFen: Fen } {
  const chargedFen = cardUsable ? Math.max(0, Math.min(fineFen, bankBalanceFen)) : 0;
  return { chargedFen, outstandingFen: fineFen - chargedFen };
}
