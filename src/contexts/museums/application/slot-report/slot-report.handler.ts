import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { MuseumSlotReportQuery, type MuseumDay, type MuseumSlotReport, type SlotCounts } from './slot-report.query.js';

/** One grouped query over the reservations (index `reservations_by_day`). */
@QueryHandler(MuseumSlotReportQuery)
export class MuseumSlotReportHandler implements IQueryHandler<MuseumSlotReportQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute(q: MuseumSlotReportQuery): Promise<MuseumSlotReport> {
    const rows = await this.dataSource.query(
      `SELECT r.museum_id, m.region, r.visit_date, r.slot_start, r.slot_end, m.slot_quota,
              count(*) FILTER (WHERE r.status <> 'CANCELLED')::int AS reserved,
              count(*) FILTER (WHERE r.status = 'BOOKED')::int AS open,
              count(*) FILTER (WHERE r.status = 'ADMITTED')::int AS admitted,
              count(*) FILTER (WHERE r.status = 'NO_SHOW')::int AS no_shows,
              count(*) FILTER (WHERE r.status = 'CANCELLED')::int AS cancelled
       FROM museums.reservations r JOIN museums.museums m ON m.museum_id = r.museum_id
       WHERE r.visit_date BETWEEN $1 AND $2 AND ($3::text IS NULL OR r.museum_id = $3) AND ($4::text IS NULL OR m.region = $4)
       GROUP BY r.museum_id, m.region, r.visit_date, r.slot_start, r.slot_end, m.slot_quota
       ORDER BY r.visit_date, r.museum_id, r.slot_start`,
      [q.from, q.to, q.museumId, q.region],
    );
    const slots: SlotCounts[] = rows.map((r: any) => ({
      museumId: r.museum_id,
      region: r.region,
      date: r.visit_date,
      slot: { start: r.slot_start, end: r.slot_end },
      quota: r.slot_quota,
      reserved: r.reserved,
      open: r.open,
      admitted: r.admitted,
      noShows: r.no_shows,
      cancelled: r.cancelled,
    }));
    const days = new Map<string, MuseumDay>();
    for (const s of slots) {
      const key = `${s.date}|${s.museumId}`;
      const d = days.get(key) ?? { museumId: s.museumId, date: s.date, reserved: 0, admitted: 0, noShows: 0, cancelled: 0 };
      d.reserved += s.reserved;
      d.admitted += s.admitted;
      d.noShows += s.noShows;
      d.cancelled += s.cancelled;
      days.set(key, d);
    }
    return { from: q.from, to: q.to, slots, days: [...days.values()] };
  }
}
