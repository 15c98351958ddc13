import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { LOAN_VIEW_COLUMNS, toLoanView } from '../loan-view.js';
import { LibraryLoansQuery, type LoanView } from './library-loans.query.js';

const FILTER: Record<LibraryLoansQuery['status'], string> = {
  OUTSTANDING: 'AND l.returned_at IS NULL',
  OVERDUE: 'AND l.returned_at IS NULL AND l.due_date < $3::date',
  RETURNED: 'AND l.returned_at IS NOT NULL',
  ALL: '',
};

@QueryHandler(LibraryLoansQuery)
export class LibraryLoansHandler implements IQueryHandler<LibraryLoansQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute(q: LibraryLoansQuery): Promise<{ libraryId: string; status: LibraryLoansQuery['status']; on: string; loans: LoanView[] }> {
    const rows = await this.dataSource.query(
      `SELECT ${LOAN_VIEW_COLUMNS} FROM libraries.loans l JOIN libraries.items i ON i.barcode = l.barcode
       WHERE l.library_id = $1 ${FILTER[q.status]}
       ORDER BY l.loaned_at DESC, l.loan_id LIMIT $2`,
      q.status === 'OVERDUE' ? [q.libraryId, q.limit, q.on] : [q.libraryId, q.limit],
    );
    return { libraryId: q.libraryId, status: q.status, on: q.on, loans: rows.map((r: Record<string, unknown>) => toLoanView(r, q.on)) };
  }
}
