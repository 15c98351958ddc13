import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ClearingRepository } from '../../infrastructure/clearing.repository.js';
import { monthFigures } from '../month-figures.js';
import { scopeBody, type MonthStatementBody } from '../statement-view.js';
import { GetMonthQuery, type MonthView } from './get-month.query.js';

@QueryHandler(GetMonthQuery)
export class GetMonthHandler implements IQueryHandler<GetMonthQuery> {
  constructor(private readonly repository: ClearingRepository) {}

  async execute(q: GetMonthQuery): Promise<MonthView> {
    const record = await this.repository.statement(`M-${q.month}`);
    const closed = record ? (JSON.parse(record.body) as MonthStatementBody) : null;
    const figures = closed ?? {
      statementId: '',
      kind: 'MONTH' as const,
      month: q.month,
      closedAt: '',
      ...(await monthFigures(this.repository, q.month, await this.repository.serviceLines(), this.repository.db)),
    };
    const body = q.scope ? scopeBody(figures, q.scope) : figures;
    const calls = await this.repository.topUpCalls({ month: q.month });
    const settlements = record ? await this.repository.settlements(record.statementId) : [];
    return {
      month: q.month,
      status: record ? 'CLOSED' : 'OPEN',
      statementId: record?.statementId ?? null,
      hash: record?.hash ?? null,
      days: body.days,
      lines: body.lines,
      netting: body.netting,
      prepayments: body.prepayments,
      topUpCalls: q.scope ? calls.filter((c) => c.home === q.scope || c.treatment === q.scope) : calls,
      settlements: q.scope ? settlements.filter((s) => s.region === q.scope) : settlements,
      scope: q.scope,
    };
  }
}
