import { Query } from '@nestjs/cqrs';
import type { Region } from '@onecard/kernel';
import type { SettlementRow, TopUpCallRow } from '../../infrastructure/clearing.repository.js';
import type { MonthStatementBody } from '../statement-view.js';

export interface MonthView extends Pick<MonthStatementBody, 'days' | 'lines' | 'netting' | 'prepayments'> {
  month: string;
  /** CLOSED once the month's last day is closed: the frozen monthly statement, to settle. */
  status: 'OPEN' | 'CLOSED';
  statementId: string | null;
  hash: string | null;
  topUpCalls: TopUpCallRow[];
  settlements: SettlementRow[];
  scope: Region | null;
}

/** A month of medical clearing: prepayments, draw-downs, remainders, top-up calls, the monthly statement. */
export class GetMonthQuery extends Query<MonthView> {
  constructor(
    readonly month: string,
    readonly scope: Region | null,
  ) {
    super();
  }
}
