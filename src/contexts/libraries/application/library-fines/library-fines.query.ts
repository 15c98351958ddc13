import { Query } from '@nestjs/cqrs';
import type { BusinessDate, Fen, Region } from '@onecard/kernel';

export interface FinesSummary {
  libraryId: string | null;
  from: BusinessDate;
  to: BusinessDate;
  totals: { fines: number; amountFen: Fen; chargedFen: Fen; paidFen: Fen; outstandingFen: Fen };
}

/**
 * `GET /v1/admin/libraries/fines?libraryId=&from=&to=`: the totals of fines charged on returns
 * between two business days (inclusive); the fines themselves come page by page from `LibraryReports.fines`.
 */
export class LibraryFinesQuery extends Query<FinesSummary> {
  constructor(
    readonly libraryId: string | null,
    readonly from: BusinessDate,
    readonly to: BusinessDate,
    /** A region-scoped token: only that region's libraries. */
    readonly region: Region | null = null,
  ) {
    super();
  }
}
