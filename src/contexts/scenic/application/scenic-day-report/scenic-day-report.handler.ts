import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { ScenicDayReportQuery, type ConcessionCount, type ScenicDayReport, type SpotDay } from './scenic-day-report.query.js';

/** Reads the visits table directly (index `visits_by_day`): two grouped queries, no aggregates kept. */
@QueryHandler(ScenicDayReportQuery)
export class ScenicDayReportHandler implements IQueryHandler<ScenicDayReportQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute(q: ScenicDayReportQuery): Promise<ScenicDayReport> {
    const params = [q.from, q.to, q.spotId, q.region];
    const [days, concessions] = await Promise.all([
      this.dataSource.query(
        `SELECT v.visit_date, v.spot_id, s.region, s.daily_capacity, coalesce(d.admitted, 0) AS capacity_used,
                count(*) FILTER (WHERE v.entry_kind = 'ENTRY')::int AS entries,
                count(*) FILTER (WHERE v.entry_kind = 'REENTRY')::int AS reentries,
                sum(v.price_fen)::bigint AS revenue_fen
         FROM scenic.visits v
         JOIN scenic.spots s ON s.spot_id = v.spot_id
         LEFT JOIN scenic.spot_days d ON d.spot_id = v.spot_id AND d.visit_date = v.visit_date
         WHERE v.visit_date BETWEEN $1 AND $2 AND ($3::text IS NULL OR v.spot_id = $3) AND ($4::text IS NULL OR s.region = $4)
         GROUP BY v.visit_date, v.spot_id, s.region, s.daily_capacity, d.admitted
         ORDER BY v.visit_date, v.spot_id`,
        params,
      ),
      this.dataSource.query(
        `SELECT visit_date, spot_id, concession_kind, concession_code, count(*)::int AS n, sum(base_price_fen - price_fen)::bigint AS discount_fen
         FROM scenic.visits
         WHERE visit_date BETWEEN $1 AND $2 AND ($3::text IS NULL OR spot_id = $3) AND concession_kind IS NOT NULL
           AND ($4::text IS NULL OR spot_id IN (SELECT spot_id FROM scenic.spots WHERE region = $4))
         GROUP BY visit_date, spot_id, concession_kind, concession_code
         ORDER BY visit_date, spot_id, concession_kind, concession_code`,
        params,
      ),
    ]);
    const byDay = new Map<string, SpotDay>();
    const out: SpotDay[] = days.map((r: any) => {
      const day: SpotDay = {
        date: r.visit_date,
        spotId: r.spot_id,
        region: r.region,
        dailyCapacity: r.daily_capacity,
        capacityUsed: r.capacity_used,
        entries: r.entries,
        reentries: r.reentries,
        revenueFen: r.revenue_fen,
        concessions: [],
      };
      byDay.set(`${r.visit_date}|${r.spot_id}`, day);
      return day;
    });
    const total = new Map<string, ConcessionCount>();
    for (const r of concessions) {
      const c: ConcessionCount = { kind: r.concession_kind, code: r.concession_code, count: r.n, discountFen: r.discount_fen };
      byDay.get(`${r.visit_date}|${r.spot_id}`)?.concessions.push(c);
      const key = `${c.kind}|${c.code}`;
      const t = total.get(key) ?? { kind: c.kind, code: c.code, count: 0, discountFen: 0 };
      t.count += c.count;
      t.discountFen += c.discountFen;
      total.set(key, t);
    }
    const all = [...total.values()].sort((a, b) => (a.kind === b.kind ? a.code.localeCompare(b.code) : a.kind.localeCompare(b.kind)));
    return { from: q.from, to: q.to, days: out, concessions: all };
  }
}
