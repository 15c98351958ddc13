import { Injectable } from '@nestjs/common';
import type { BusinessDate, Region } from '@onecard/kernel';
import type { ReportDefinition } from '@onecard/platform';
import { DataSource } from 'typeorm';

export interface SlotRow {
  date: BusinessDate;
  museumId: string;
  region: Region;
  slotStart: string;
  slotEnd: string;
  quota: number;
  reserved: number;
  open: number;
  admitted: number;
  noShows: number;
  cancelled: number;
}

/** The museums' slot report as rows (ADR 0016): one row per day, museum and slot, in that order. */
@Injectable()
export class MuseumReports {
  constructor(private readonly dataSource: DataSource) {}

  slots(f: { from: BusinessDate; to: BusinessDate; museumId: string | null; region: Region | null }): ReportDefinition<SlotRow> {
    return {
      name: `museum-slots-${f.from}-${f.to}`,
      columns: (['date', 'museumId', 'region', 'slotStart', 'slotEnd', 'quota', 'reserved', 'open', 'admitted', 'noShows', 'cancelled'] as const).map(
        (key) => ({
          key,
          value: (r: SlotRow) => r[key],
        }),
      ),
      page: async (after, limit) => {
        const rows = await this.dataSource.query(
          `SELECT to_char(r.visit_date, 'YYYY-MM-DD') AS date, r.museum_id, m.region, r.slot_start, r.slot_end, m.slot_quota,
                  count(*) FILTER (WHERE r.status <> 'CANCELLED')::int AS reserved,
                  count(*) FILTER (WHERE r.status = 'BOOKED')::int AS open,
                  count(*) FILTER (WHERE r.status = 'ADMITTED')::int AS admitted,
                  count(*) FILTER (WHERE r.status = 'NO_SHOW')::int AS no_shows,
                  count(*) FILTER (WHERE r.status = 'CANCELLED')::int AS cancelled
           FROM museums.reservations r JOIN museums.museums m ON m.museum_id = r.museum_id
           WHERE r.visit_date BETWEEN $1 AND $2 AND ($3::text IS NULL OR r.museum_id = $3) AND ($4::text IS NULL OR m.region = $4)
             AND ($5::text IS NULL OR (to_char(r.visit_date, 'YYYY-MM-DD'), r.museum_id, r.slot_start::text) > ($5, $6::text, $7::text))
           GROUP BY r.museum_id, m.region, r.visit_date, r.slot_start, r.slot_end, m.slot_quota
           ORDER BY r.visit_date, r.museum_id, r.slot_start LIMIT $8`,
          [f.from, f.to, f.museumId, f.region, after?.[0] ?? null, after?.[1] ?? null, after?.[2] ?? null, limit],
        );
        return rows.map((r: any) => ({
          date: r.date,
          museumId: r.museum_id,
          region: r.region,
          slotStart: r.slot_start,
          slotEnd: r.slot_end,
          quota: r.slot_quota,
          reserved: r.reserved,
          open: r.open,
          admitted: r.admitted,
          noShows: r.no_shows,
          cancelled: r.cancelled,
        }));
      },
      key: (r) => [r.date, r.museumId, r.slotStart],
    };
  }
}
