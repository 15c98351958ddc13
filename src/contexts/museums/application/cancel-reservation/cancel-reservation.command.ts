import { Command } from '@nestjs/cqrs';
import type { DecisionKind, Reason } from '@onecard/kernel';
import type { CommandResult } from '@onecard/engine';
import type { TerminalIdentity } from '@onecard/platform';

export interface CancellationAnswer {
  decision: DecisionKind;
  reason?: Reason;
  cancellationId: string;
  reservationId: string;
  /** ALLOW: CANCELLED. */
  status?: 'CANCELLED';
}

/** `POST /v1/museums/reservations/{reservationId}/cancellation` from the holder app or the museum's own terminal. */
export class CancelReservationCommand extends Command<CommandResult<CancellationAnswer>> {
  constructor(
    readonly cancellationId: string,
    readonly reservationId: string,
    readonly cardNo: string,
    readonly terminal: Pick<TerminalIdentity, 'terminalId' | 'kind' | 'venueId'>,
  ) {
    super();
  }
}
