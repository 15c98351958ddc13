import { Query } from '@nestjs/cqrs';
import type { BusinessDate, Fen } from '@onecard/kernel';
import type { LoanView } from '../library-loans/library-loans.query.js';

export interface FineView {
  fineId: string;
  loanId: string;
  libraryId: string;
  cardNo: string;
  overdueDays: number;
  finePerDayFen: Fen;
  amountFen: Fen;
  chargedFen: Fen;
  paidFen: Fen;
  outstandingFen: Fen;
  chargedAt: string;
}

export interface CardLoans {
  cardNo: string;
  on: BusinessDate;
  /** Unpaid fines of the holder (all their cards). */
  finesOutstandingFen: Fen;
  /** Loans of the holder, any of their cards: open ones first, then the latest returned. */
  loans: LoanView[];
  fines: FineView[];
}

/** `GET /v1/admin/libraries/cards/{cardNo}/loans?on=`: a card holder's loans and fines; null for an unknown card. */
export class CardLoansQuery extends Query<CardLoans | null> {
  constructor(
    readonly cardNo: string,
    readonly on: BusinessDate,
  ) {
    super();
  }
}
