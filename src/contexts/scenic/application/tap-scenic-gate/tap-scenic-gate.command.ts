import { Command } from '@nestjs/cqrs';
import type { BusinessDate, DecisionKind, Fen, Reason, Region, RuleRef } from '@onecard/kernel';
import type { CommandResult } from '@onecard/engine';
import type { Concession } from '../../domain/admission.rule.js';

export interface ScenicTapAnswer {
  decision: DecisionKind;
  reason?: Reason;
  tapId: string;
  spotId: string;
  /** The Asia/Shanghai date of `tappedAt`: the day whose capacity and re-entry count. */
  visitDate: BusinessDate;
  /** The recorded visit (ALLOW); null on a DENY. */
  visitId: string | null;
  /** ALLOW: a first entry of the day or a same-day re-entry. */
  entry?: 'ENTRY' | 'REENTRY';
  /** The admission price: charged on ALLOW, what would have been charged on DENY; null when refused before pricing. */
  priceFen: Fen | null;
  concession?: Concession;
  /** The card's bank balance after paying (priced ALLOW) or as it stands (INSUFFICIENT_BALANCE). */
  balanceFen?: Fen;
  ruleSet: RuleRef | null;
}

/** `POST /v1/scenic/taps` from the SCENIC_GATE standing at `spotId`. */
export class TapScenicGateCommand extends Command<CommandResult<ScenicTapAnswer>> {
  constructor(
    readonly tapId: string,
    readonly cardNo: string,
    /** As sent (ISO-8601 with offset): the decision time. */
    readonly tappedAt: string,
    readonly spotId: string,
    readonly spotRegion: Region,
    readonly terminalId: string,
  ) {
    super();
  }
}
