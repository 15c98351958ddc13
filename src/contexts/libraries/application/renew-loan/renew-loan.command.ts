import { Command } from '@nestjs/cqrs';
import type { BusinessDate, Reason, RuleRef } from '@onecard/kernel';
import type { CommandResult } from '@onecard/engine';
import type { TerminalIdentity } from '@onecard/platform';

export interface RenewalAnswer {
  decision: 'ALLOW' | 'DENY';
  reason?: Reason;
  renewalId: string;
  cardNo: string;
  barcode: string;
  loanId: string | null;
  /** The due date after the renewal (ALLOW) or as it stands (DENY); null: no open loan. */
  dueDate: BusinessDate | null;
  previousDueDate: BusinessDate | null;
  /** Renewals used after this one (ALLOW) or so far (DENY). */
  renewalsUsed: number | null;
  renewalsAllowed: number | null;
  ruleSet: RuleRef | null;
}

/** `POST /v1/libraries/renewals {renewalId, cardNo, barcode, renewedAt}` from a LIBRARY_DESK or the HOLDER_APP. */
export class RenewLoanCommand extends Command<CommandResult<RenewalAnswer>> {
  constructor(
    readonly renewalId: string,
    readonly cardNo: string,
    readonly barcode: string,
    readonly renewedAt: string,
    readonly terminal: TerminalIdentity,
  ) {
    super();
  }
}
