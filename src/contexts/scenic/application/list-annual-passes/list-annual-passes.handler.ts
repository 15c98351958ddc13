import { CardsFacade } from '@contexts/cards';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { formatBusinessInstant } from '@onecard/kernel';
import { ScenicRepository } from '../../infrastructure/scenic.repository.js';
import { ListAnnualPassesQuery, type AnnualPassView } from './list-annual-passes.query.js';

@QueryHandler(ListAnnualPassesQuery)
export class ListAnnualPassesHandler implements IQueryHandler<ListAnnualPassesQuery> {
  constructor(
    private readonly cards: CardsFacade,
    private readonly repository: ScenicRepository,
  ) {}

  async execute(q: ListAnnualPassesQuery): Promise<AnnualPassView[] | null> {
    const card = await this.cards.findCard(q.cardNo);
    if (!card) return null;
    const passes = await this.repository.passesOfHolder(card.holder.holderId);
    return passes.map((p) => ({
      passId: p.passId,
      passCode: p.passCode,
      soldRegion: p.soldRegion,
      validFrom: p.validFrom,
      validUntil: p.validUntil,
      priceFen: p.priceFen,
      purchasedAt: formatBusinessInstant(p.purchasedAt),
      boughtWithCard: p.cardNo,
    }));
  }
}
