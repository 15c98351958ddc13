import { Command } from '@nestjs/cqrs';
import type { CommandResult } from '@onecard/engine';
import type { CardGeneration } from '../../domain/card-product.rule.js';
import type { AdminCardView } from '../admin-card-view.js';

export interface CardReplaced {
  replacedCardNo: string;
  card: AdminCardView;
  /** Balances moved from the old card (zero while the new card is still sealed). */
  movedFen: { bank: number; transit: number; personal: number };
}

/** `POST /v1/admin/cards/{cardNo}/replacement` (补卡): a new card for a formally lost one. */
export class ReplaceCardCommand extends Command<CommandResult<CardReplaced>> {
  constructor(
    readonly cardNo: string,
    readonly generation: CardGeneration | null,
    readonly transitApp: boolean | null,
    readonly sealed: boolean,
    readonly actor: string,
  ) {
    super();
  }
}
