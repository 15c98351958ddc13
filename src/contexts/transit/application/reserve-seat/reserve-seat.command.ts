import { Command } from '@nestjs/cqrs';
import type { BusinessDate, Reason } from '@onecard/kernel';
import type { CommandResult } from '@onecard/engine';

/** `POST /v1/transit/seat-reservations` answer: the seat slip. */
export interface SeatSlipAnswer {
  decision: 'ALLOW' | 'DENY';
  reason?: Reason;
  reservationId: string;
  trainNo: string | null;
  /** Departure from `fromStation`, ISO-8601 at +08:00. */
  departsAt: string | null;
  car: number | null;
  seat: string | null;
  /** The train's last station: entry needs the fare to it in the wallet. */
  terminus: string | null;
}

/** A seat machine at `machine.station` reads the card and asks for the next train with a free seat. */
export class ReserveSeatCommand extends Command<CommandResult<SeatSlipAnswer>> {
  constructor(
    readonly reservationId: string,
    readonly cardNo: string,
    readonly fromStation: string,
    readonly toStation: string,
    readonly travelDate: BusinessDate,
    readonly machine: { terminalId: string; station: string },
  ) {
    super();
  }
}
