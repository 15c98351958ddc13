import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { reportRows } from '@onecard/platform';
import { MuseumReports } from './museum-reports.js';
import { MuseumSlotReportQuery, type MuseumDay, type MuseumSlotReport } from './slot-report.query.js';

/** The per-day totals, summed over the report's own slot rows (index `reservations_by_day`). */
@QueryHandler(MuseumSlotReportQuery)
export class MuseumSlotReportHandler implements IQueryHandler<MuseumSlotReportQuery> {
  constructor(private readonly reports: MuseumReports) {}

  async execute(q: MuseumSlotReportQuery): Promise<MuseumSlotReport> {
    const days = new Map<string, MuseumDay>();
    for await (const s of reportRows(this.reports.slots({ from: q.from, to: q.to, museumId: q.museumId, region: q.region }))) {
      const key = `${s.date}|${s.museumId}`;
      const d = days.get(key) ?? { museumId: s.museumId, date: s.date, reserved: 0, admitted: 0, noShows: 0, cancelled: 0 };
      d.reserved += s.reserved;
      d.admitted += s.admitted;
      d.noShows += s.noShows;
      d.cancelled += s.cancelled;
      days.set(key, d);
    }
    return { from: q.from, to: q.to, days: [...days.values()] };
  }
}
