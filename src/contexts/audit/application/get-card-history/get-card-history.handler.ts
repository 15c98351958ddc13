import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { LedgerReadRepository } from '../../infrastructure/ledger-read.repository.js';
import { GetCardHistoryQuery, type CardHistory } from './get-card-history.query.js';

@QueryHandler(GetCardHistoryQuery)
export class GetCardHistoryHandler implements IQueryHandler<GetCardHistoryQuery> {
  constructor(private readonly ledger: LedgerReadRepository) {}

  async execute(query: GetCardHistoryQuery): Promise<CardHistory | null> {
    const accounts = await this.ledger.accountsWithPrefix(`card:${query.cardNo}:`);
    const { records, nextCursor } = await this.ledger.history(
      query.cardNo,
      accounts.map((a) => a.code),
      query.after,
      query.limit,
    );
    if (accounts.length === 0 && records.length === 0 && !query.after) return null;
    return { cardNo: query.cardNo, accounts, records, nextCursor };
  }
}
