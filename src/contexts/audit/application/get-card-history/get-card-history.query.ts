import { Query } from '@nestjs/cqrs';
import type { Position } from '../../domain/cursor.js';
import type { AccountSummary, HistoryRecord } from '../../infrastructure/ledger-read.repository.js';

export interface CardHistory {
  cardNo: string;
  /** The card's ledger accounts (`card:<cardNo>:*`) and their balances now. */
  accounts: AccountSummary[];
  /** Every decision about the card and every transfer on its accounts, in commit order. */
  records: HistoryRecord[];
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Null when no journal record and no account mentions the card. */
export class GetCardHistoryQuery extends Query<CardHistory | null> {
  constructor(
    readonly cardNo: string,
    readonly after: Position | null,
    readonly limit: number,
  ) {
    super();
  }
}
