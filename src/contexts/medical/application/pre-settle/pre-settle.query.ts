import { Query } from '@nestjs/cqrs';
import type { TerminalIdentity } from '@onecard/platform';
import type { SettlementAnswer, SettlementRequest } from '../settlement-decision.js';

/** `POST /v1/medical/pre-settlements` (试算): the split a settlement would give now; nothing is written. */
export class PreSettleQuery extends Query<SettlementAnswer> {
  constructor(
    readonly request: SettlementRequest,
    readonly terminal: Pick<TerminalIdentity, 'terminalId' | 'venueId'>,
  ) {
    super();
  }
}
