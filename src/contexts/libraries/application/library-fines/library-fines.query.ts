import { Query } from '@nestjs/cqrs';
import type { BusinessDate, Fen } from '@onecard/kernel';
import type { FineView } from '../card-loans/card-loans.query.js';

export interface FinesReport {
  libraryId: string | null;
  from: BusinessDate;
  to: BusinessDate;
  totals: { fines: number; amountFen: Fen; chargedFen: Fen; paidFen: Fen; outstandingFen: Fen };
  fines: FineView[];
}

/** `GET /v1/admin/libraries/fines?libraryId=&from=&to=`: fines charged on returns between two business days (inclusive). */
export class LibraryFinesQuery extends Query<FinesReport> {
  constructor(
    readonly libraryId: string | null,
    readonly from: BusinessDate,
    readonly to: BusinessDate,
    readonly limit: number,
  ) {
    super();
  }
}
