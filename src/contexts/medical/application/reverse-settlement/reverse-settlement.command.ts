import { Command } from '@nestjs/cqrs';
import type { Fen, Reason, RuleRef } from '@onecard/kernel';
import type { CommandResult } from '@onecard/engine';
import type { TerminalIdentity } from '@onecard/platform';

export interface ReversalAnswer {
  decision: 'ALLOW' | 'DENY';
  reason?: Reason;
  reversalId: string;
  settlementId: string;
  institutionId: string;
  /** ALREADY_REVERSED: the reversal that stands. */
  reversedBy: string | null;
  /** What went back: to the fund, the personal account and the patient (null on a DENY). */
  totalFen: Fen | null;
  fundFen: Fen | null;
  personalAccountFen: Fen | null;
  cashFen: Fen | null;
  /** The policy the settlement was decided by. */
  ruleSet: RuleRef | null;
}

/** `POST /v1/medical/settlements/{settlementId}/reversal {reversalId, reason}` from the clinic that settled it. */
export class ReverseSettlementCommand extends Command<CommandResult<ReversalAnswer>> {
  constructor(
    readonly settlementId: string,
    readonly reversalId: string,
    readonly reason: string,
    readonly terminal: Pick<TerminalIdentity, 'terminalId' | 'venueId'>,
  ) {
    super();
  }
}
