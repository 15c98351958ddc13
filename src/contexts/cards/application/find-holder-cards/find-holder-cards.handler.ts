import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { normalizeNationalId } from '../../domain/national-id.js';
import { CardsRepository } from '../../infrastructure/cards.repository.js';
import { PiiHasher } from '../../infrastructure/pii-hasher.js';
import { toAdminCardView, type AdminCardView } from '../admin-card-view.js';
import { FindHolderCardsQuery } from './find-holder-cards.query.js';

@QueryHandler(FindHolderCardsQuery)
export class FindHolderCardsHandler implements IQueryHandler<FindHolderCardsQuery> {
  constructor(
    private readonly repository: CardsRepository,
    private readonly pii: PiiHasher,
  ) {}

  async execute(query: FindHolderCardsQuery): Promise<AdminCardView[]> {
    const holderId = await this.repository.findHolderIdByHash(this.pii.hash(`national-id|${normalizeNationalId(query.nationalId)}`));
    if (!holderId) return [];
    const cards = await this.repository.findCardsOfHolder(holderId);
    const codes = cards.flatMap((c) => [c.accounts.bank, c.accounts.transit, c.accounts.personal]).filter((c): c is string => c !== null);
    const balances = await this.repository.balances(codes);
    return cards.map((c) => toAdminCardView(c, balances));
  }
}
