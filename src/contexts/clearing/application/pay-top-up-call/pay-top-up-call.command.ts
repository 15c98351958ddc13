import { Command } from '@nestjs/cqrs';
import type { TopUpCallRow } from '../../infrastructure/clearing.repository.js';

/** The home fund pays a called top-up into its prepayment with the treatment region. */
export class PayTopUpCallCommand extends Command<{ call: TopUpCallRow; replayed: boolean }> {
  constructor(
    readonly callId: string,
    readonly actor: string,
  ) {
    super();
  }
}
