import { Command } from '@nestjs/cqrs';
import type { BusinessDate, Fen, Reason, RuleRef } from '@onecard/kernel';
import type { CommandResult } from '@onecard/engine';
import type { TerminalIdentity } from '@onecard/platform';

export interface ReturnAnswer {
  decision: 'ALLOW' | 'DENY';
  reason?: Reason;
  returnId: string;
  barcode: string;
  /** The desk's library, where the item is handed in. */
  libraryId: string;
  /** The loan it closes (null: no open loan). */
  loanId: string | null;
  /** The card it was lent to (null: no open loan). */
  cardNo: string | null;
  /** The item's owning library (null: unknown item). */
  owningLibraryId: string | null;
  dueDate: BusinessDate | null;
  /** Whole Asia/Shanghai days past the due date at `returnedAt`. */
  overdueDays: number | null;
  /** The overdue fine of this item (days × fine per day, capped if the rules cap it). */
  fineFen: Fen | null;
  /** The part taken from the card's bank account now. */
  fineChargedFen: Fen | null;
  /** The part the holder still owes (the bank balance was short, or the card is not usable). */
  fineOutstandingFen: Fen | null;
  /** All the holder's unpaid fines after this return (null when there was no fine to record). */
  finesOutstandingFen: Fen | null;
  ruleSet: RuleRef | null;
}

/** `POST /v1/libraries/returns {returnId, barcode, returnedAt}` from a LIBRARY_DESK. */
export class ReturnItemCommand extends Command<CommandResult<ReturnAnswer>> {
  constructor(
    readonly returnId: string,
    readonly barcode: string,
    readonly returnedAt: string,
    readonly terminal: TerminalIdentity,
  ) {
    super();
  }
}
