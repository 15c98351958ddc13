import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { LedgerReadRepository } from '../../infrastructure/ledger-read.repository.js';
import { ListAccountsQuery, type AccountList } from './list-accounts.query.js';

@QueryHandler(ListAccountsQuery)
export class ListAccountsHandler implements IQueryHandler<ListAccountsQuery> {
  constructor(private readonly ledger: LedgerReadRepository) {}

  execute(query: ListAccountsQuery): Promise<AccountList> {
    return this.ledger.listAccounts(query.filter);
  }
}
