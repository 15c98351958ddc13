import { formatBusinessInstant, type BusinessDate } from '@onecard/kernel';
import { overdueDays } from '../domain/circulation.rule.js';
import type { LoanView } from './library-loans/library-loans.query.js';

export const LOAN_VIEW_COLUMNS = `l.loan_id, l.barcode, i.title, l.library_id, l.network, l.desk_library_id, l.card_no, l.loaned_at, l.due_date,
  l.renewals, l.returned_at, l.return_library_id, l.overdue_days, l.fine_fen, l.rule_set_id, l.rule_version`;

export function toLoanView(r: Record<string, any>, on: BusinessDate): LoanView {
  return {
    loanId: r.loan_id,
    barcode: r.barcode,
    title: r.title,
    libraryId: r.library_id,
    network: r.network,
    deskLibraryId: r.desk_library_id,
    cardNo: r.card_no,
    loanedAt: formatBusinessInstant(r.loaned_at),
    dueDate: r.due_date,
    renewals: r.renewals,
    overdueDays: r.returned_at ? r.overdue_days : overdueDays(r.due_date, on),
    returnedAt: r.returned_at ? formatBusinessInstant(r.returned_at) : null,
    returnLibraryId: r.return_library_id ?? null,
    fineFen: r.fine_fen ?? null,
    ruleSet: { id: r.rule_set_id, version: r.rule_version },
  };
}
