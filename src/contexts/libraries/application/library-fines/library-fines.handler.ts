import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { addBusinessDays, startOfBusinessDay } from '@onecard/kernel';
import { DataSource } from 'typeorm';
import { LibraryFinesQuery, type FinesSummary } from './library-fines.query.js';

@QueryHandler(LibraryFinesQuery)
export class LibraryFinesHandler implements IQueryHandler<LibraryFinesQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute(q: LibraryFinesQuery): Promise<FinesSummary> {
    // Business days are Asia/Shanghai: [from 00:00+08:00, the day after `to` 00:00+08:00).
    const [t] = await this.dataSource.query(
      `SELECT count(*)::int AS n, coalesce(sum(amount_fen), 0)::bigint AS amount, coalesce(sum(charged_fen), 0)::bigint AS charged,
              coalesce(sum(paid_fen), 0)::bigint AS paid, coalesce(sum(outstanding_fen), 0)::bigint AS outstanding
       FROM libraries.fines f WHERE ($1::text IS NULL OR f.library_id = $1) AND f.charged_at >= $2 AND f.charged_at < $3 AND ($4::text IS NULL OR f.region = $4)`,
      [q.libraryId, startOfBusinessDay(q.from), startOfBusinessDay(addBusinessDays(q.to, 1)), q.region],
    );
    return {
      libraryId: q.libraryId,
      from: q.from,
      to: q.to,
      totals: { fines: t.n, amountFen: t.amount, chargedFen: t.charged, paidFen: t.paid, outstandingFen: t.outstanding },
    };
  }
}
