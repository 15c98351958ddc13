import type { BusinessDate, Fen, Region } from '@onecard/kernel';
import type { LibraryCirculationParameters } from '@onecard/rules';
import { dueDateOf } from './circulation.rule.js';
import type { LibraryReasonCode } from './library-reasons.js';

/** What a loan is decided on, read in the command's transaction (the holder's row locked). */
export interface LoanFacts {
  /** Asia/Shanghai date of `loanedAt`. */
  loanDate: BusinessDate;
  homeRegion: Region;
  /** The library of the desk (the terminal's venue). */
  desk: { libraryId: string; region: Region; network: string | null };
  /** The item by its barcode, with its owning library's network and region; null: unknown barcode. */
  item: { barcode: string; libraryId: string; network: string; region: Region } | null;
  itemOnLoan: boolean;
  /** The holder's unpaid fines, all libraries. */
  finesOutstandingFen: Fen;
  /** The holder's loans not yet returned from the item's network. */
  openLoansInNetwork: number;
  /** The holder's loans past their due date on `loanDate`, any network. */
  overdueLoans: number;
}

/**
 * Which rules apply (Koha's "item home library" control): the item's network's rules decide the
 * terms (limit, period, fines, blocks); the desk's network's rules decide only whether its desks
 * lend another network's items. Null: no rule set in force for that region.
 */
export interface LoanRules {
  item: LibraryCirculationParameters | null;
  desk: LibraryCirculationParameters | null;
}

export type LoanDecision =
  | { ok: true; dueDate: BusinessDate; loanDays: number; loanLimit: number; rule: string }
  | { ok: false; code: LibraryReasonCode; rule: string; decidedBy: 'item' | 'desk' | null; loanLimit: number | null };

/**
 * The loan decision, checks in order: the item exists and is not on loan; an item of another
 * network only where the desk's network lends such items; the item network's rules are in force;
 * fines above the threshold; overdue loans (if the rules block on them); the loan limit of the
 * item's network for the holder's home region. Then the due date: loan date + loan days.
 */
export function decideLoan(f: LoanFacts, rules: LoanRules): LoanDecision {
  const refuse = (code: LibraryReasonCode, rule: string, decidedBy: 'item' | 'desk' | null, loanLimit: number | null = null): LoanDecision => ({
    ok: false,
    code,
    rule,
    decidedBy,
    loanLimit,
  });
  if (!f.item) return refuse('ITEM_UNKNOWN', 'libraries.item-barcode', null);
  if (f.itemOnLoan) return refuse('ITEM_ALREADY_ON_LOAN', 'libraries.one-loan-per-item', null);
  if (f.item.network !== f.desk.network) {
    const lends = f.desk.network !== null && rules.desk?.networks[f.desk.network]?.crossNetworkLoan === 'ACCEPT';
    if (!lends)
      return refuse(
        'ITEM_OF_ANOTHER_NETWORK',
        'libraries.cross-network-loan',
        rules.desk && f.desk.network && rules.desk.networks[f.desk.network] ? 'desk' : null,
      );
  }
  const network = rules.item?.networks[f.item.network];
  const loanRule = network?.rules.find((r) => r.homeRegions.includes(f.homeRegion));
  if (!rules.item || !loanRule) return refuse('CIRCULATION_RULES_NOT_IN_FORCE', 'libraries.circulation-rules', null);
  if (f.finesOutstandingFen > rules.item.borrowingBlockedAboveFineFen)
    return refuse('FINES_OUTSTANDING', 'libraries.fine-threshold', 'item', loanRule.loanLimit);
  if (rules.item.borrowingBlockedWhenOverdue && f.overdueLoans > 0) return refuse('LOANS_OVERDUE', 'libraries.overdue-block', 'item', loanRule.loanLimit);
  if (f.openLoansInNetwork >= loanRule.loanLimit) return refuse('LOAN_LIMIT_REACHED', 'libraries.loan-limit', 'item', loanRule.loanLimit);
  return {
    ok: true,
    dueDate: dueDateOf(f.loanDate, loanRule.loanDays),
    loanDays: loanRule.loanDays,
    loanLimit: loanRule.loanLimit,
    rule: 'libraries.loan-period',
  };
}
