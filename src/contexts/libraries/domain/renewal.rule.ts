import type { BusinessDate, Region } from '@onecard/kernel';
import type { LibraryCirculationParameters } from '@onecard/rules';
import { isOverdue, renewedDueDate } from './circulation.rule.js';
import type { LibraryReasonCode } from './library-reasons.js';

export interface RenewalFacts {
  /** Asia/Shanghai date of `renewedAt`. */
  renewalDate: BusinessDate;
  loan: { network: string; homeRegion: Region; dueDate: BusinessDate; renewals: number };
  /** The card presented belongs to the holder the item is on loan to (a replacement card does). */
  sameHolder: boolean;
}

export type RenewalDecision =
  | { ok: true; dueDate: BusinessDate; renewalsUsed: number; renewalsAllowed: number; rule: string }
  | { ok: false; code: LibraryReasonCode; rule: string; renewalsAllowed: number | null };

/**
 * A renewal: only by the borrower; refused past the rule's renewal count (RENEWAL_LIMIT_REACHED),
 * then when the loan is overdue and the rules refuse overdue renewals (LOAN_OVERDUE). The new due
 * date is the renewal day + renewal days, never earlier than the current one.
 */
export function decideRenewal(f: RenewalFacts, rules: LibraryCirculationParameters): RenewalDecision {
  if (!f.sameHolder) return { ok: false, code: 'LOAN_OF_ANOTHER_HOLDER', rule: 'libraries.borrower-renews', renewalsAllowed: null };
  const loanRule = rules.networks[f.loan.network]?.rules.find((r) => r.homeRegions.includes(f.loan.homeRegion));
  const allowed = loanRule?.renewals ?? 0;
  if (!loanRule || f.loan.renewals >= allowed) return { ok: false, code: 'RENEWAL_LIMIT_REACHED', rule: 'libraries.renewal-limit', renewalsAllowed: allowed };
  if (rules.renewalRefusedWhenOverdue && isOverdue(f.loan.dueDate, f.renewalDate)) {
    return { ok: false, code: 'LOAN_OVERDUE', rule: 'libraries.overdue-renewal', renewalsAllowed: allowed };
  }
  return {
    ok: true,
    dueDate: renewedDueDate(f.loan.dueDate, f.renewalDate, loanRule.renewalDays),
    renewalsUsed: f.loan.renewals + 1,
    renewalsAllowed: allowed,
    rule: 'libraries.renewal-period',
  };
}
