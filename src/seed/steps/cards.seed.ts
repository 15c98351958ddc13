import { Injectable } from '@nestjs/common';
import { CardBulkLoader } from '@contexts/cards';
import { loadCards } from '../load-cards.js';
import { generateCards, showcaseCards } from '../demo-cards.js';
import type { SeedContext, SeedStep } from '../seed-step.js';

export const DEMO_CARD_COUNT = 1000;

/** The named demo cards, then ~1,000 generated ones, funded through the journal. */
@Injectable()
export class CardsSeedStep implements SeedStep {
  readonly name = 'cards.demo-cards';

  constructor(private readonly loader: CardBulkLoader) {}

  async run(ctx: SeedContext): Promise<string> {
    const plans = [...showcaseCards(), ...generateCards(ctx.rng, DEMO_CARD_COUNT - showcaseCards().length, Number(ctx.now.toISOString().slice(0, 4)))];
    // One batch: the cards commit together, then one journaled command funds them.
    const result = await loadCards(this.loader, plans, { batchSize: plans.length, commandIdPrefix: 'demo' });
    return `${result.cards} cards, ${result.funded} accounts funded (${result.totalFen / 100} yuan)`;
  }
}
