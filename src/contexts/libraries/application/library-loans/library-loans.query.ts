import type { BusinessDate, Fen } from '@onecard/kernel';

export const LOAN_LIST_STATUSES = ['OUTSTANDING', 'OVERDUE', 'RETURNED', 'ALL'] as const;
export type LoanListStatus = (typeof LOAN_LIST_STATUSES)[number];

export interface LoanView {
  loanId: string;
  barcode: string;
  title: string;
  /** The item's owning library. */
  libraryId: string;
  network: string;
  /** Where it was lent. */
  deskLibraryId: string;
  cardNo: string;
  loanedAt: string;
  dueDate: BusinessDate;
  renewals: number;
  /** Days past due on `on` (open loans) or at return (returned ones). */
  overdueDays: number;
  returnedAt: string | null;
  returnLibraryId: string | null;
  fineFen: Fen | null;
  ruleSet: { id: string; version: number };
}
