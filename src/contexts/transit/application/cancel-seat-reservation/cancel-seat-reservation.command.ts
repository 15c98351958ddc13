import { Command } from '@nestjs/cqrs';
import type { Reason } from '@onecard/kernel';
import type { CommandResult } from '@onecard/engine';

export interface CancellationAnswer {
  decision: 'ALLOW' | 'DENY';
  reason?: Reason;
  cancellationId: string;
  reservationId: string;
}

/** `POST /v1/transit/seat-reservations/{reservationId}/cancellation` at a seat machine of the slip's station. */
export class CancelSeatReservationCommand extends Command<CommandResult<CancellationAnswer>> {
  constructor(
    readonly cancellationId: string,
    readonly reservationId: string,
    readonly cardNo: string,
    readonly machine: { terminalId: string; station: string },
  ) {
    super();
  }
}
