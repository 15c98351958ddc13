import { Command } from '@nestjs/cqrs';
import type { Fen, Reason } from '@onecard/kernel';
import type { CommandResult } from '@onecard/engine';

export interface ResolutionAnswer {
  decision: 'ALLOW' | 'DENY';
  reason?: Reason;
  resolutionId: string;
  journeyId: string;
  exitStation: string;
  fareFen: Fen;
  balanceFen: Fen | null;
}

/** An operator at a staffed window closes an open journey with the exit station the holder names. */
export class ResolveJourneyCommand extends Command<CommandResult<ResolutionAnswer>> {
  constructor(
    readonly resolutionId: string,
    readonly journeyId: string,
    readonly exitStation: string,
    readonly actor: string,
  ) {
    super();
  }
}
