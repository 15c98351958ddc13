import { Command } from '@nestjs/cqrs';
import type { TerminalIdentity } from '@onecard/platform';
import type { CommandResult } from '@onecard/engine';
import type { SettlementAnswer, SettlementRequest } from '../settlement-decision.js';

/** `POST /v1/medical/settlements` from a CLINIC terminal: the institution is the terminal's venue. */
export class SettleCommand extends Command<CommandResult<SettlementAnswer>> {
  constructor(
    readonly request: SettlementRequest,
    readonly terminal: Pick<TerminalIdentity, 'terminalId' | 'venueId'>,
  ) {
    super();
  }
}
