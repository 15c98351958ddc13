import { Command } from '@nestjs/cqrs';
import type { BusinessDate, DecisionKind, Fen, Reason, Region, RuleRef } from '@onecard/kernel';
import type { CommandResult } from '@onecard/engine';

export interface AnnualPassAnswer {
  decision: DecisionKind;
  reason?: Reason;
  purchaseId: string;
  cardNo: string;
  passCode: string;
  /** The region whose rules sold it (null when no region sells the code). */
  region: Region | null;
  /** ALLOW: the pass id (= purchaseId), its price and validity (the holder's, whatever card they tap). */
  passId?: string;
  priceFen?: Fen;
  validFrom?: BusinessDate;
  validUntil?: BusinessDate;
  /** The bank balance after paying (ALLOW) or as it stands (INSUFFICIENT_BALANCE). */
  balanceFen?: Fen;
  ruleSet: RuleRef | null;
}

/**
 * Buys an annual pass onto a card's holder: `POST /v1/admin/cards/{cardNo}/annual-passes`
 * (operator) or `POST /v1/holder/annual-passes` (holder app). Exactly one of terminalId / actor.
 */
export class BuyAnnualPassCommand extends Command<CommandResult<AnnualPassAnswer>> {
  constructor(
    readonly purchaseId: string,
    readonly cardNo: string,
    readonly passCode: string,
    readonly region: Region | null,
    readonly via: { terminalId: string } | { actor: string },
  ) {
    super();
  }
}
