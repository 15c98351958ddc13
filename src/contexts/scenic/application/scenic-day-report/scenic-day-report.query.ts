import { Query } from '@nestjs/cqrs';
import type { BusinessDate, Fen, Region } from '@onecard/kernel';

export interface ConcessionCount {
  kind: string;
  code: string;
  count: number;
  /** Base price minus price paid, summed: what the concessions gave away. */
  discountFen: Fen;
}

export interface ScenicDayReport {
  from: BusinessDate;
  to: BusinessDate;
  /** All spots and days of the report together (its rows come from `ScenicReports.visits`). */
  concessions: ConcessionCount[];
}

/** `GET /v1/admin/scenic/visits?from=&to=&spotId=`: the concessions granted over the range, by kind and code. */
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
