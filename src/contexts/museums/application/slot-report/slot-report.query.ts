import { Query } from '@nestjs/cqrs';
import type { BusinessDate, Region } from '@onecard/kernel';

export interface SlotCounts {
  museumId: string;
  region: Region;
  date: BusinessDate;
  slot: { start: string; end: string };
  /** Seats per slot as configured now. */
  quota: number;
  /** Live reservations (booked, admitted or no-show). */
  reserved: number;
  /** Still booked (not yet admitted; before the no-show job ran if the slot has ended). */
  open: number;
  admitted: number;
  noShows: number;
  cancelled: number;
}

export interface MuseumDay {
  museumId: string;
  date: BusinessDate;
  reserved: number;
  /** Visits: holders admitted at the gate. */
  admitted: number;
  noShows: number;
  cancelled: number;
}

export interface MuseumSlotReport {
  from: BusinessDate;
  to: BusinessDate;
  slots: SlotCounts[];
  days: MuseumDay[];
}

/** `GET /v1/admin/museums/slots?from=&to=&museumId=`: reservations, visits and no-shows per slot and per day. */
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
