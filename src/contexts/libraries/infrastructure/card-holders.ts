import { Injectable } from '@nestjs/common';
import { CardsFacade } from '@contexts/cards';

/**
 * The holder of a card, for a command's batch keys (`holder:<id>`) before it runs. A card's holder
 * never changes (a replacement is a new card of the same holder), so each card is looked up once per
 * instance; an unknown card is not remembered (it may be issued later). The command's own reads
 * find the holder again through the card, under lock.
 */
@Injectable()
export class CardHolders {
  private readonly holders = new Map<string, string>();

  constructor(private readonly cards: CardsFacade) {}

  async holderOf(cardNo: string): Promise<string | null> {
    const known = this.holders.get(cardNo);
    if (known) return known;
    const card = await this.cards.findCard(cardNo);
    if (!card) return null;
    if (this.holders.size >= 100_000) this.holders.clear();
    this.holders.set(cardNo, card.holder.holderId);
    return card.holder.holderId;
  }
}
