import { Command } from '@nestjs/cqrs';
import type { BusinessDate, DecisionKind, Reason, Region, RuleRef } from '@onecard/kernel';
import type { CommandResult } from '@onecard/engine';
import type { SlotView } from '../book-visit/book-visit.command.js';

export interface MuseumTapAnswer {
  decision: DecisionKind;
  reason?: Reason;
  tapId: string;
  museumId: string;
  /** The Asia/Shanghai date of `tappedAt`. */
  visitDate: BusinessDate;
  /** The reservation that admitted (ALLOW) or that the refusal is about (TOO_EARLY, TOO_LATE, ALREADY_ADMITTED). */
  reservationId: string | null;
  slot: SlotView | null;
  ruleSet: RuleRef | null;
}

/** `POST /v1/museums/taps` from the MUSEUM_GATE standing at `museumId`. */
export class TapMuseumGateCommand extends Command<CommandResult<MuseumTapAnswer>> {
  constructor(
    readonly tapId: string,
    readonly cardNo: string,
    readonly tappedAt: string,
    readonly museumId: string,
    readonly museumRegion: Region,
    readonly terminalId: string,
  ) {
    super();
  }
}
