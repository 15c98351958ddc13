import { Command } from '@nestjs/cqrs';
import type { BusinessDate, DecisionKind, Reason, RuleRef } from '@onecard/kernel';
import type { CommandResult } from '@onecard/engine';

export interface SlotView {
  start: string;
  end: string;
}

export interface ReservationAnswer {
  decision: DecisionKind;
  reason?: Reason;
  reservationId: string;
  cardNo: string;
  museumId: string;
  date: BusinessDate;
  /** The slot booked (ALLOW) or asked for, when the museum has it; null otherwise. */
  slot: SlotView | null;
  /** ALLOW: BOOKED. */
  status?: 'BOOKED';
  /** BOOKING_BANNED: the last day of the ban (booking is possible again the day after). */
  bannedThrough?: BusinessDate;
  ruleSet: RuleRef | null;
}

/** `POST /v1/museums/reservations` from the holder app, or a museum's own gate/desk terminal. */
export class BookVisitCommand extends Command<CommandResult<ReservationAnswer>> {
  constructor(
    readonly reservationId: string,
    readonly cardNo: string,
    readonly museumId: string,
    readonly date: BusinessDate,
    /** The slot's start, `HH:MM` (UTC+8). */
    readonly slot: string,
    readonly terminalId: string,
  ) {
    super();
  }
}
