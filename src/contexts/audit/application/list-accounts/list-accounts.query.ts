import { Query } from '@nestjs/cqrs';
import type { AccountFilter, AccountSummary } from '../../infrastructure/ledger-read.repository.js';

export interface AccountList {
  accounts: AccountSummary[];
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: string | null;
}

export class ListAccountsQuery extends Query<AccountList> {
  constructor(readonly filter: AccountFilter) {
    super();
  }
}
