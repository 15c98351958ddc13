import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { addBusinessDays } from '@onecard/kernel';
import { buildStatement, clearingMatrix } from '../../domain/statement.js';
import { ClearingRepository } from '../../infrastructure/clearing.repository.js';
import { scopeBody, toClosedStatement, type DayStatementBody } from '../statement-view.js';
import { GetDayStatementQuery, type DayStatementView } from './get-day.query.js';

@QueryHandler(GetDayStatementQuery)
export class GetDayStatementHandler implements IQueryHandler<GetDayStatementQuery> {
  constructor(private readonly repository: ClearingRepository) {}

  async execute(q: GetDayStatementQuery): Promise<DayStatementView> {
    const serviceLines = await this.repository.serviceLines();
    const record = await this.repository.statement(`D-${q.date}`);
    if (record) {
      const closed = toClosedStatement(record, await this.repository.settlements(record.statementId), q.scope);
      const body = closed.body as DayStatementBody;
      return {
        date: q.date,
        status: 'CLOSED',
        statementId: closed.statementId,
        hash: closed.hash,
        closedAt: closed.closedAt,
        serviceLines,
        figures: body.figures,
        matrix: clearingMatrix(body.figures.lines),
        prepayments: body.prepayments,
        topUpCalls: body.topUpCalls,
        transfers: body.transfers,
        settlements: closed.settlements,
        scope: q.scope,
      };
    }
    // An open day: the first open day also takes the late legs of closed days; a later one only its own.
    const lastClosed = await this.repository.lastClosedDay();
    const first = lastClosed !== null && addBusinessDays(lastClosed, 1) === q.date;
    const items = await this.repository.pendingItems(q.date, undefined, { onlyThatDay: !first });
    const figures = buildStatement(items, serviceLines);
    const open: DayStatementBody = { statementId: '', kind: 'DAY', date: q.date, closedAt: '', figures, prepayments: [], topUpCalls: [], transfers: [] };
    const body = q.scope ? scopeBody(open, q.scope) : open;
    return {
      date: q.date,
      status: 'OPEN',
      statementId: null,
      hash: null,
      closedAt: null,
      serviceLines,
      figures: body.figures,
      matrix: clearingMatrix(body.figures.lines),
      prepayments: [],
      topUpCalls: [],
      transfers: [],
      settlements: [],
      scope: q.scope,
    };
  }
}
