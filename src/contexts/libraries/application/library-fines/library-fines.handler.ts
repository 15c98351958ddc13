import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { addBusinessDays, startOfBusinessDay } from '@onecard/kernel';
import { DataSource } from 'typeorm';
import { FINE_VIEW_COLUMNS, toFineView } from '../fine-view.js';
import { LibraryFinesQuery, type FinesReport } from './library-fines.query.js';

@QueryHandler(LibraryFinesQuery)
export class LibraryFinesHandler implements IQueryHandler<LibraryFinesQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute(q: LibraryFinesQuery): Promise<FinesReport> {
    // Business days are Asia/Shanghai: [from 00:00+08:00, the day after `to` 00:00+08:00).
    const params = [q.libraryId, startOfBusinessDay(q.from), startOfBusinessDay(addBusinessDays(q.to, 1))];
    const where = `($1::text IS NULL OR f.library_id = $1) AND f.charged_at >= $2 AND f.charged_at < $3`;
    const [totals, fines] = await Promise.all([
      this.dataSource.query(
        `SELECT count(*)::int AS n, coalesce(sum(amount_fen), 0)::bigint AS amount, coalesce(sum(charged_fen), 0)::bigint AS charged,
                coalesce(sum(paid_fen), 0)::bigint AS paid, coalesce(sum(outstanding_fen), 0)::bigint AS outstanding
         FROM libraries.fines f WHERE ${where}`,
        params,
      ),
      this.dataSource.query(`SELECT ${FINE_VIEW_COLUMNS} FROM libraries.fines f WHERE ${where} ORDER BY f.charged_at, f.fine_id LIMIT $4`, [
        ...params,
        q.limit,
      ]),
    ]);
    const t = totals[0];
    return {
      libraryId: q.libraryId,
      from: q.from,
      to: q.to,
      totals: { fines: t.n, amountFen: t.amount, chargedFen: t.charged, paidFen: t.paid, outstandingFen: t.outstanding },
      fines: fines.map(toFineView),
    };
  }
}
