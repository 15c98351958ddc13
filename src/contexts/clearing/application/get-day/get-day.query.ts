import { Query } from '@nestjs/cqrs';
import type { BusinessDate, Fen, Region } from '@onecard/kernel';
import type { PrepaymentMovement } from '../../domain/prepayment.rule.js';
import type { ServiceLine, StatementFigures } from '../../domain/statement.js';
import type { SettlementRow } from '../../infrastructure/clearing.repository.js';

export interface DayStatementView {
  date: BusinessDate;
  /** CLOSED: the frozen statement; OPEN: what a close would freeze now. */
  status: 'OPEN' | 'CLOSED';
  statementId: string | null;
  hash: string | null;
  closedAt: string | null;
  serviceLines: ServiceLine[];
  figures: StatementFigures;
  /** Payer (row) → payee (column), net over every line. */
  matrix: { payer: Region; payee: Region; netFen: Fen }[];
  prepayments: PrepaymentMovement[];
  topUpCalls: { callId: string; home: Region; treatment: Region; amountFen: Fen }[];
  transfers: { from: string; to: string; amountFen: Fen }[];
  settlements: SettlementRow[];
  scope: Region | null;
}

/** A day's clearing statement: the closed one, or the open day's statement so far. */
export class GetDayStatementQuery extends Query<DayStatementView> {
  constructor(
    readonly date: BusinessDate,
    readonly scope: Region | null,
  ) {
    super();
  }
}
