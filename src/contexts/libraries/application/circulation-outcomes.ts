import type { FinePaymentDecision } from '../domain/fine-payment.rule.js';
import type { LoanDecision } from '../domain/loan.rule.js';
import type { RenewalDecision } from '../domain/renewal.rule.js';
import type { ReturnDecision } from '../domain/return.rule.js';

/**
 * The journaled `outcome` of each decision, computed the same way by the handler and by the
 * replayer (ADR 0005): replay recomputes it from the recorded facts and compares.
 */
export function loanOutcome(d: LoanDecision): Record<string, unknown> {
  return d.ok
    ? { decision: 'ALLOW', dueDate: d.dueDate, loanDays: d.loanDays, loanLimit: d.loanLimit }
    : { decision: 'DENY', reason: d.code, loanLimit: d.loanLimit };
}

export function returnOutcome(d: ReturnDecision): Record<string, unknown> {
  return d.ok
    ? {
        decision: 'ALLOW',
        overdueDays: d.overdueDays,
        fineFen: d.fineFen,
        chargedFen: d.chargedFen,
        outstandingFen: d.outstandingFen,
        finePerDayPerItemFen: d.finePerDayPerItemFen,
      }
    : { decision: 'DENY', reason: d.code };
}

export function renewalOutcome(d: RenewalDecision): Record<string, unknown> {
  return d.ok
    ? { decision: 'ALLOW', dueDate: d.dueDate, renewalsUsed: d.renewalsUsed, renewalsAllowed: d.renewalsAllowed }
    : { decision: 'DENY', reason: d.code, renewalsAllowed: d.renewalsAllowed };
}

export function finePaymentOutcome(d: FinePaymentDecision): Record<string, unknown> {
  return d.ok ? { decision: 'ALLOW', amountFen: d.amountFen, allocations: d.allocations } : { decision: 'DENY', reason: d.code, amountFen: d.amountFen };
}

/** A refusal decided before any rule: an unusable card, an unknown item, an item not on loan. */
export function refusedOutcome(code: string): Record<string, unknown> {
  return { decision: 'DENY', reason: code };
}
