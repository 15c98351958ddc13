import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CardsRepository } from '../../infrastructure/cards.repository.js';
import { toAdminCardView, type AdminCardView } from '../admin-card-view.js';
import { GetCardQuery } from './get-card.query.js';

@QueryHandler(GetCardQuery)
export class GetCardHandler implements IQueryHandler<GetCardQuery> {
  constructor(private readonly repository: CardsRepository) {}

  async execute(query: GetCardQuery): Promise<AdminCardView | null> {
    const card = await this.repository.findCard(query.cardNo);
    if (!card) return null;
    const codes = [card.accounts.bank, card.accounts.transit, card.accounts.personal].filter((c): c is string => c !== null);
    return toAdminCardView(card, await this.repository.balances(codes));
  }
}
