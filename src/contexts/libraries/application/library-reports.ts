import { Injectable } from '@nestjs/common';
import { addBusinessDays, startOfBusinessDay, type BusinessDate, type Region } from '@onecard/kernel';
import type { ReportDefinition } from '@onecard/platform';
import { DataSource } from 'typeorm';
import type { FineView } from './card-loans/card-loans.query.js';
import { FINE_VIEW_COLUMNS, toFineView } from './fine-view.js';
import type { LoanListStatus, LoanView } from './library-loans/library-loans.query.js';
import { LOAN_VIEW_COLUMNS, toLoanView } from './loan-view.js';

const LOAN_FILTER: Record<LoanListStatus, string> = {
  OUTSTANDING: 'AND l.returned_at IS NULL',
  OVERDUE: 'AND l.returned_at IS NULL AND l.due_date < $2::date',
  RETURNED: 'AND l.returned_at IS NOT NULL',
  ALL: '',
};

type Raw<T> = T & { rawAt: string };

/** The libraries' reports as rows (ADR 0016): fines charged, and a library's loans. */
@Injectable()
export class LibraryReports {
  constructor(private readonly dataSource: DataSource) {}

  /** Fines charged on returns on days from..to, in charge order (card numbers as in JSON; no names). */
  fines(f: { libraryId: string | null; from: BusinessDate; to: BusinessDate; region: Region | null }): ReportDefinition<Raw<FineView>> {
    const keys = [
      'fineId',
      'loanId',
      'libraryId',
      'cardNo',
      'overdueDays',
      'finePerDayFen',
      'amountFen',
      'chargedFen',
      'paidFen',
      'outstandingFen',
      'chargedAt',
    ] as const;
    return {
      name: `library-fines-${f.from}-${f.to}`,
      columns: keys.map((key) => ({ key, value: (r: FineView) => r[key] })),
      page: async (after, limit) => {
        const rows = await this.dataSource.query(
          `SELECT ${FINE_VIEW_COLUMNS}, to_json(f.charged_at)#>>'{}' AS raw_at FROM libraries.fines f
           WHERE ($1::text IS NULL OR f.library_id = $1) AND f.charged_at >= $2 AND f.charged_at < $3 AND ($4::text IS NULL OR f.region = $4)
             AND ($5::timestamptz IS NULL OR (f.charged_at, f.fine_id) > ($5, $6::text))
           ORDER BY f.charged_at, f.fine_id LIMIT $7`,
          [f.libraryId, startOfBusinessDay(f.from), startOfBusinessDay(addBusinessDays(f.to, 1)), f.region, after?.[0] ?? null, after?.[1] ?? null, limit],
        );
        return rows.map((r: any) => ({ ...toFineView(r), rawAt: r.raw_at }));
      },
      key: (r) => [r.rawAt, r.fineId],
    };
  }

  /** A library's loans in one state, newest first; `from`/`to` narrow them to loans made on those days. */
  loans(f: {
    libraryId: string;
    status: LoanListStatus;
    on: BusinessDate;
    from: BusinessDate | null;
    to: BusinessDate | null;
  }): ReportDefinition<Raw<LoanView>> {
    const keys = [
      'loanId',
      'barcode',
      'title',
      'libraryId',
      'network',
      'deskLibraryId',
      'cardNo',
      'loanedAt',
      'dueDate',
      'renewals',
      'overdueDays',
      'returnedAt',
      'returnLibraryId',
      'fineFen',
    ] as const;
    return {
      name: `library-loans-${f.libraryId}-${f.status.toLowerCase()}`,
      columns: [
        ...keys.map((key) => ({ key, value: (r: LoanView) => r[key] })),
        { key: 'ruleSetId', value: (r: LoanView) => r.ruleSet.id },
        { key: 'ruleVersion', value: (r: LoanView) => r.ruleSet.version },
      ],
      page: async (after, limit) => {
        const rows = await this.dataSource.query(
          `SELECT ${LOAN_VIEW_COLUMNS}, to_json(l.loaned_at)#>>'{}' AS raw_at FROM libraries.loans l JOIN libraries.items i ON i.barcode = l.barcode
           WHERE l.library_id = $1 AND $2::date IS NOT NULL ${LOAN_FILTER[f.status]}
             AND ($3::timestamptz IS NULL OR l.loaned_at >= $3) AND ($4::timestamptz IS NULL OR l.loaned_at < $4)
             AND ($5::timestamptz IS NULL OR l.loaned_at < $5 OR (l.loaned_at = $5 AND l.loan_id > $6::text))
           ORDER BY l.loaned_at DESC, l.loan_id LIMIT $7`,
          [
            f.libraryId,
            f.on,
            f.from ? startOfBusinessDay(f.from) : null,
            f.to ? startOfBusinessDay(addBusinessDays(f.to, 1)) : null,
            after?.[0] ?? null,
            after?.[1] ?? null,
            limit,
          ],
        );
        return rows.map((r: any) => ({ ...toLoanView(r, f.on), rawAt: r.raw_at }));
      },
      key: (r) => [r.rawAt, r.loanId],
    };
  }
}
