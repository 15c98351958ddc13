import { Command } from '@nestjs/cqrs';
import type { CommandResult } from '@onecard/engine';
import type { CardOperation, CardStatus } from '../../domain/card-status.js';

export interface CardStatusChanged {
  cardNo: string;
  operation: CardOperation;
  previousStatus: CardStatus;
  status: CardStatus;
  statusChangedAt: string;
  /** Set when activating a replacement card: the card it replaced and the balances moved over. */
  replaced?: { cardNo: string; movedFen: { bank: number; transit: number; personal: number } };
}

/** `POST /v1/admin/cards/{cardNo}/status {operation}`. */
export class ChangeCardStatusCommand extends Command<CommandResult<CardStatusChanged>> {
  constructor(
    readonly cardNo: string,
    readonly operation: CardOperation,
    readonly actor: string,
  ) {
    super();
  }
}
