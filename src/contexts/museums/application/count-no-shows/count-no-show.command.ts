import { Command } from '@nestjs/cqrs';
import type { BusinessDate, DecisionKind, Reason } from '@onecard/kernel';
import type { CommandResult } from '@onecard/engine';

export interface NoShowAnswer {
  decision: DecisionKind;
  reason?: Reason;
  reservationId: string;
  /** ALLOW: NO_SHOW. */
  status?: 'NO_SHOW';
  /** When this no-show completed a series that bans booking: the ban's first and last day. */
  ban?: { from: BusinessDate; through: BusinessDate } | null;
}

/** The no-show job's command for one reservation (command id = reservation id, so it counts once). */
export class CountNoShowCommand extends Command<CommandResult<NoShowAnswer>> {
  constructor(
    readonly reservationId: string,
    /** The job's "now": only a slot that ended by then is a no-show. */
    readonly asOf: Date,
    /** When the slot ended: the command's event time. */
    readonly slotEndsAt: Date,
  ) {
    super();
  }
}
