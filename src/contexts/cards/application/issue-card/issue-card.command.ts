import { Command } from '@nestjs/cqrs';
import type { Region } from '@onecard/kernel';
import type { CommandResult } from '@onecard/engine';
import type { Scheme } from '../../domain/card-accounts.js';
import type { CardGeneration } from '../../domain/card-product.rule.js';
import type { AdminCardView } from '../admin-card-view.js';

export interface HolderInput {
  name: string;
  nationalId: string;
  birthDate: string;
  homeRegion: Region;
  scheme: Scheme;
  retiree: boolean;
}

/** Issues a card to a holder (`POST /v1/admin/cards`): creates the holder and opens the card's accounts. */
export class IssueCardCommand extends Command<CommandResult<AdminCardView>> {
  constructor(
    readonly holder: HolderInput,
    readonly issuingRegion: Region,
    readonly generation: CardGeneration,
    readonly transitApp: boolean,
    /** Issue it SEALED (to be activated at hand-over) instead of ACTIVE. */
    readonly sealed: boolean,
    readonly actor: string,
  ) {
    super();
  }
}
