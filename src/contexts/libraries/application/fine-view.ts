import { formatBusinessInstant } from '@onecard/kernel';
import type { FineView } from './card-loans/card-loans.query.js';

export const FINE_VIEW_COLUMNS = `f.fine_id, f.loan_id, f.library_id, f.card_no, f.overdue_days, f.fine_per_day_fen, f.amount_fen, f.charged_fen, f.paid_fen,
  f.outstanding_fen, f.charged_at`;

export function toFineView(r: Record<string, any>): FineView {
  return {
    fineId: r.fine_id,
    loanId: r.loan_id,
    libraryId: r.library_id,
    cardNo: r.card_no,
    overdueDays: r.overdue_days,
    finePerDayFen: r.fine_per_day_fen,
    amountFen: r.amount_fen,
    chargedFen: r.charged_fen,
    paidFen: r.paid_fen,
    outstandingFen: r.outstanding_fen,
    chargedAt: formatBusinessInstant(r.charged_at),
  };
}
