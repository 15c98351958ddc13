import { Command } from '@nestjs/cqrs';
import type { Fen, Reason, RuleRef } from '@onecard/kernel';
import type { CommandResult } from '@onecard/engine';
import type { TopUpAccount } from '../../domain/top-up.rule.js';

export interface TopUpAnswer {
  decision: 'ALLOW' | 'DENY';
  reason?: Reason;
  topUpId: string;
  cardNo: string;
  account: TopUpAccount;
  amountFen: Fen;
  /** The account's balance after the top-up (ALLOW) or as it stands (DENY); null if the card has no such account. */
  balanceFen: Fen | null;
  /** The top-up limits that decided (null when the card was refused before they applied). */
  ruleSet: RuleRef | null;
}

/** `POST /v1/admin/cards/{cardNo}/top-ups {topUpId, account, amountFen}`. */
export class TopUpCardCommand extends Command<CommandResult<TopUpAnswer>> {
  constructor(
    readonly cardNo: string,
    readonly topUpId: string,
    readonly account: TopUpAccount,
    readonly amountFen: Fen,
    readonly actor: string,
  ) {
    super();
  }
}
