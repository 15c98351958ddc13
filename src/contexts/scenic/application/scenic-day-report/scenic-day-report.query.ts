import { Query } from '@nestjs/cqrs';
import type { BusinessDate, Fen, Region } from '@onecard/kernel';

export interface ConcessionCount {
  kind: string;
  code: string;
  count: number;
  /** Base price minus price paid, summed: what the concessions gave away. */
  discountFen: Fen;
}

export interface SpotDay {
  date: BusinessDate;
  spotId: string;
  region: Region;
  dailyCapacity: number;
  /** Places taken (first entries and priced re-entries). */
  capacityUsed: number;
  entries: number;
  reentries: number;
  revenueFen: Fen;
  concessions: ConcessionCount[];
}

export interface ScenicDayReport {
  from: BusinessDate;
  to: BusinessDate;
  days: SpotDay[];
  /** All spots and days of the report together. */
  concessions: ConcessionCount[];
}

/** `GET /v1/admin/scenic/visits?from=&to=&spotId=`: visits per spot per day, capacity used, concessions granted. */
export class ScenicDayReportQuery extends Query<ScenicDayReport> {
  constructor(
    readonly from: BusinessDate,
    readonly to: BusinessDate,
    readonly spotId: string | null,
    /** A region-scoped token: only that region's spots. */
    readonly region: Region | null = null,
  ) {
    super();
  }
}
