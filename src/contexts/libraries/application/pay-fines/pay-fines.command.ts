import { Command } from '@nestjs/cqrs';
import type { Fen, Reason } from '@onecard/kernel';
import type { CommandResult } from '@onecard/engine';
import type { TerminalIdentity } from '@onecard/platform';

export interface FinePaymentAnswer {
  decision: 'ALLOW' | 'DENY';
  reason?: Reason;
  paymentId: string;
  cardNo: string;
  /** Paid (ALLOW) or asked for (DENY; everything outstanding when no amount was given). */
  amountFen: Fen;
  /** The holder's unpaid fines after the payment (ALLOW) or as they stand (DENY); null: not read. */
  finesOutstandingFen: Fen | null;
  /** The card's bank balance after the payment (ALLOW) or as it stands (DENY); null: not read. */
  balanceFen: Fen | null;
}

/** `POST /v1/libraries/fines/payments {paymentId, cardNo, amountFen?, paidAt}` from a LIBRARY_DESK or the HOLDER_APP. */
export class PayFinesCommand extends Command<CommandResult<FinePaymentAnswer>> {
  constructor(
    readonly paymentId: string,
    readonly cardNo: string,
    readonly amountFen: Fen | null,
    readonly paidAt: string,
    readonly terminal: TerminalIdentity,
  ) {
    super();
  }
}
