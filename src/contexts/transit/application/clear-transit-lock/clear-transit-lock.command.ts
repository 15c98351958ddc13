import { Command } from '@nestjs/cqrs';
import type { Reason } from '@onecard/kernel';
import type { CommandResult } from '@onecard/engine';

export interface LockClearanceAnswer {
  decision: 'ALLOW' | 'DENY';
  reason?: Reason;
  clearanceId: string;
  cardNo: string;
  /** The unused slips cleared (they no longer count toward the transit lock). */
  clearedReservations: string[];
}

/** An operator at a staffed window clears a card's unused seat slips (and so its transit lock). */
export class ClearTransitLockCommand extends Command<CommandResult<LockClearanceAnswer>> {
  constructor(
    readonly clearanceId: string,
    readonly cardNo: string,
    readonly actor: string,
  ) {
    super();
  }
}
