import { Command } from '@nestjs/cqrs';
import type { Fen, Region } from '@onecard/kernel';
import type { SettlementRow } from '../../infrastructure/clearing.repository.js';

/** Records that a region paid (or was paid) its multilateral net position of a closed statement. */
export class ConfirmSettlementCommand extends Command<{ settlement: SettlementRow; replayed: boolean }> {
  constructor(
    readonly statementId: string,
    readonly region: Region,
    readonly reference: string,
    readonly amountFen: Fen,
    readonly paidAt: Date,
    readonly actor: string,
  ) {
    super();
  }
}
