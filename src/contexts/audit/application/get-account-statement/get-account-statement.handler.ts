import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { LedgerReadRepository } from '../../infrastructure/ledger-read.repository.js';
import { GetAccountStatementQuery, type AccountStatement } from './get-account-statement.query.js';

@QueryHandler(GetAccountStatementQuery)
export class GetAccountStatementHandler implements IQueryHandler<GetAccountStatementQuery> {
  constructor(private readonly ledger: LedgerReadRepository) {}

  async execute(query: GetAccountStatementQuery): Promise<AccountStatement | null> {
    const [account] = await this.ledger.accounts([query.code]);
    if (!account) return null;
    const { entries, nextCursor } = await this.ledger.statement(account.code, account.shards, query.before, query.limit);
    return { account, entries, nextCursor };
  }
}
