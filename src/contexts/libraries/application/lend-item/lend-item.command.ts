import { Command } from '@nestjs/cqrs';
import type { BusinessDate, Fen, Reason, RuleRef } from '@onecard/kernel';
import type { CommandResult } from '@onecard/engine';
import type { TerminalIdentity } from '@onecard/platform';

export interface LoanAnswer {
  decision: 'ALLOW' | 'DENY';
  reason?: Reason;
  loanId: string;
  cardNo: string;
  barcode: string;
  /** The desk's library, where the item was (or would have been) lent. */
  libraryId: string;
  /** Last day to return it (Asia/Shanghai), through 23:59:59+08:00; null when refused. */
  dueDate: BusinessDate | null;
  /** The holder's loans from the item's network after this one (ALLOW) or now (DENY); null when not read. */
  loansOutstanding: number | null;
  /** The most they may have from that network (their home region's rule); null when no rule applied. */
  loanLimit: number | null;
  /** Their unpaid fines, all libraries; null when not read. */
  finesOutstandingFen: Fen | null;
  ruleSet: RuleRef | null;
}

/** `POST /v1/libraries/loans {loanId, cardNo, barcode, loanedAt}` from a LIBRARY_DESK. */
export class LendItemCommand extends Command<CommandResult<LoanAnswer>> {
  constructor(
    readonly loanId: string,
    readonly cardNo: string,
    readonly barcode: string,
    readonly loanedAt: string,
    readonly terminal: TerminalIdentity,
  ) {
    super();
  }
}
