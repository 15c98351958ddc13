import { Injectable } from '@nestjs/common';
import { CardBulkLoader } from '@contexts/cards';
import { VenueDirectory } from '@contexts/registry';
import { holderAppOf } from '../demo-venues.js';
import type { SeedContext, SeedStep } from '../seed-step.js';
import { DEMO_CARD_COUNT } from './cards.seed.js';

/**
 * One holder app per demo card, bound to it (`APP-<cardNo>`): a holder's app acts only for its own
 * card (TERMINAL-API.md). The README's examples and the simulator use them.
 */
@Injectable()
export class HolderAppsSeedStep implements SeedStep {
  readonly name = 'registry.holder-apps';

  constructor(
    private readonly cards: CardBulkLoader,
    private readonly venues: VenueDirectory,
  ) {}

  async run(ctx: SeedContext): Promise<string> {
    const cardNos = await this.cards.cardNumbers(DEMO_CARD_COUNT);
    const apps = cardNos.map((cardNo) => ({ terminalId: holderAppOf(cardNo), kind: 'HOLDER_APP' as const, venueId: null, direction: null, cardNo }));
    const registered = await this.venues.registerTerminals(apps, ctx.now);
    return `${registered.length} holder apps, one bound to each demo card`;
  }
}
