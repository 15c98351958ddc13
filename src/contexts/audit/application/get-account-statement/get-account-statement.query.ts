import { Query } from '@nestjs/cqrs';
import type { Position } from '../../domain/cursor.js';
import type { AccountSummary, StatementEntry } from '../../infrastructure/ledger-read.repository.js';

export interface AccountStatement {
  account: AccountSummary;
  /** Newest first. */
  entries: StatementEntry[];
  /** Pass as `before` for older entries; null when there are none. */
  nextCursor: string | null;
}

/** Null when there is no such account. */
export class GetAccountStatementQuery extends Query<AccountStatement | null> {
  constructor(
    readonly code: string,
    readonly before: Position | null,
    readonly limit: number,
  ) {
    super();
  }
}
