import type { BusinessDate, Fen, Region } from '@onecard/kernel';
import type { LibraryCirculationParameters } from '@onecard/rules';
import { itemFineFen, overdueDays, settleFine } from './circulation.rule.js';
import type { LibraryReasonCode } from './library-reasons.js';

/** What a return is decided on: the open loan (locked), the item, the returning desk, the card's bank. */
export interface ReturnFacts {
  /** Asia/Shanghai date of `returnedAt`. */
  returnDate: BusinessDate;
  loan: { loanId: string; network: string; homeRegion: Region; dueDate: BusinessDate };
  /** The network the item belongs to (its owning library's). */
  itemNetwork: string;
  desk: { libraryId: string; network: string | null };
  /** Whether the loan's card may be charged (ACTIVE); a lost or replaced card is not. */
  cardUsable: boolean;
  /** The card's bank balance, read under lock; only read when there is a fine. */
  bankBalanceFen: Fen | null;
}

export type ReturnDecision =
  | { ok: true; overdueDays: number; fineFen: Fen; chargedFen: Fen; outstandingFen: Fen; finePerDayPerItemFen: Fen; rule: string }
  | { ok: false; code: LibraryReasonCode; rule: string };

/**
 * A return is refused only at a library of another network whose item network does not take
 * returns elsewhere: a book is never refused for its fine. The fine is the overdue days on the
 * return date × the loan rule's fine per day (capped per item), charged from the bank balance as
 * far as it goes; the rest is owed. `rules` are the item network's (in force at the return, or the
 * loan's own version when none is).
 */
export function decideReturn(f: ReturnFacts, rules: LibraryCirculationParameters): ReturnDecision {
  const network = rules.networks[f.itemNetwork];
  if (f.desk.network !== f.itemNetwork && network?.crossNetworkReturn !== 'ACCEPT') {
    return { ok: false, code: 'RETURN_OUTSIDE_NETWORK', rule: 'libraries.cross-network-return' };
  }
  const loanRule = rules.networks[f.loan.network]?.rules.find((r) => r.homeRegions.includes(f.loan.homeRegion));
  // The loan was made under a rule for this network and home region; a later version without one
  // cannot un-make the loan: charge no fine rather than refuse the book.
  const days = overdueDays(f.loan.dueDate, f.returnDate);
  const perDay = loanRule?.finePerDayPerItemFen ?? 0;
  const fineFen = loanRule ? itemFineFen(days, loanRule) : 0;
  const { chargedFen, outstandingFen } = fineFen > 0 ? settleFine(fineFen, f.bankBalanceFen ?? 0, f.cardUsable) : { chargedFen: 0, outstandingFen: 0 };
  return {
    ok: true,
    overdueDays: days,
    fineFen,
    chargedFen,
    outstandingFen,
    finePerDayPerItemFen: perDay,
    rule: fineFen > 0 ? 'libraries.overdue-fine' : 'libraries.return',
  };
}
