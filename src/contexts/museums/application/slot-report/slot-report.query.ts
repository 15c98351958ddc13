import { Query } from '@nestjs/cqrs';
import type { BusinessDate, Region } from '@onecard/kernel';

export interface MuseumDay {
  museumId: string;
  date: BusinessDate;
  reserved: number;
  /** Visits: holders admitted at the gate. */
  admitted: number;
  noShows: number;
  cancelled: number;
}

/** The per-day totals of the slot report (its rows come from `MuseumReports.slots`). */
export interface MuseumSlotReport {
  from: BusinessDate;
  to: BusinessDate;
  days: MuseumDay[];
}

/** `GET /v1/admin/museums/slots?from=&to=&museumId=`: reservations, visits and no-shows per day. */
export class MuseumSlotReportQuery extends Query<MuseumSlotReport> {
  constructor(
    readonly from: BusinessDate,
    readonly to: BusinessDate,
    readonly museumId: string | null,
    /** A region-scoped token: only that region's museums. */
    readonly region: Region | null = null,
  ) {
    super();
  }
}
