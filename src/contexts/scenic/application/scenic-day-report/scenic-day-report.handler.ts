import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { ScenicDayReportQuery, type ConcessionCount, type ScenicDayReport } from './scenic-day-report.query.js';

/** The concessions granted over the report's range, by kind and code (index `visits_by_day`). */
@QueryHandler(ScenicDayReportQuery)
export class ScenicDayReportHandler implements IQueryHandler<ScenicDayReportQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute(q: ScenicDayReportQuery): Promise<ScenicDayReport> {
    const rows = await this.dataSource.query(
      `SELECT concession_kind, concession_code, count(*)::int AS n, sum(base_price_fen - price_fen)::bigint AS discount_fen
       FROM scenic.visits
       WHERE visit_date BETWEEN $1 AND $2 AND ($3::text IS NULL OR spot_id = $3) AND concession_kind IS NOT NULL
         AND ($4::text IS NULL OR spot_id IN (SELECT spot_id FROM scenic.spots WHERE region = $4))
       GROUP BY concession_kind, concession_code
       ORDER BY concession_kind, concession_code`,
      [q.from, q.to, q.spotId, q.region],
    );
    const concessions: ConcessionCount[] = rows.map((r: any) => ({
      kind: r.concession_kind,
      code: r.concession_code,
      count: r.n,
      discountFen: Number(r.discount_fen),
    }));
    return { from: q.from, to: q.to, concessions };
  }
}
