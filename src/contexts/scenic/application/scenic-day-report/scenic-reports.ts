import { Injectable } from '@nestjs/common';
import type { BusinessDate, Region } from '@onecard/kernel';
import type { ReportDefinition } from '@onecard/platform';
import { DataSource } from 'typeorm';

export interface SpotDayRow {
  date: BusinessDate;
  spotId: string;
  region: Region;
  dailyCapacity: number;
  capacityUsed: number;
  entries: number;
  reentries: number;
  revenueFen: number;
  /** Visits admitted on a concession, and what the concessions gave away (base price − price paid). */
  concessions: number;
  discountFen: number;
}

/** Scenic visits per day and spot as rows (ADR 0016). */
@Injectable()
export class ScenicReports {
  constructor(private readonly dataSource: DataSource) {}

  visits(f: { from: BusinessDate; to: BusinessDate; spotId: string | null; region: Region | null }): ReportDefinition<SpotDayRow> {
    const keys = ['date', 'spotId', 'region', 'dailyCapacity', 'capacityUsed', 'entries', 'reentries', 'revenueFen', 'concessions', 'discountFen'] as const;
    return {
      name: `scenic-visits-${f.from}-${f.to}`,
      columns: keys.map((key) => ({ key, value: (r: SpotDayRow) => r[key] })),
      page: async (after, limit) => {
        const rows = await this.dataSource.query(
          `SELECT to_char(v.visit_date, 'YYYY-MM-DD') AS date, v.spot_id, s.region, s.daily_capacity, coalesce(d.admitted, 0) AS capacity_used,
                  count(*) FILTER (WHERE v.entry_kind = 'ENTRY')::int AS entries,
                  count(*) FILTER (WHERE v.entry_kind = 'REENTRY')::int AS reentries,
                  sum(v.price_fen)::bigint AS revenue_fen,
                  count(*) FILTER (WHERE v.concession_kind IS NOT NULL)::int AS concessions,
                  coalesce(sum(v.base_price_fen - v.price_fen) FILTER (WHERE v.concession_kind IS NOT NULL), 0)::bigint AS discount_fen
           FROM scenic.visits v
           JOIN scenic.spots s ON s.spot_id = v.spot_id
           LEFT JOIN scenic.spot_days d ON d.spot_id = v.spot_id AND d.visit_date = v.visit_date
           WHERE v.visit_date BETWEEN $1 AND $2 AND ($3::text IS NULL OR v.spot_id = $3) AND ($4::text IS NULL OR s.region = $4)
             AND ($5::text IS NULL OR (to_char(v.visit_date, 'YYYY-MM-DD'), v.spot_id) > ($5, $6::text))
           GROUP BY v.visit_date, v.spot_id, s.region, s.daily_capacity, d.admitted
           ORDER BY v.visit_date, v.spot_id LIMIT $7`,
          [f.from, f.to, f.spotId, f.region, after?.[0] ?? null, after?.[1] ?? null, limit],
        );
        return rows.map((r: any) => ({
          date: r.date,
          spotId: r.spot_id,
          region: r.region,
          dailyCapacity: r.daily_capacity,
          capacityUsed: r.capacity_used,
          entries: r.entries,
          reentries: r.reentries,
          revenueFen: Number(r.revenue_fen),
          concessions: r.concessions,
          discountFen: Number(r.discount_fen),
        }));
      },
      key: (r) => [r.date, r.spotId],
    };
  }
}
