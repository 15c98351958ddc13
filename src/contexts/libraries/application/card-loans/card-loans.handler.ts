import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CardsFacade } from '@contexts/cards';
import { DataSource } from 'typeorm';
import { FINE_VIEW_COLUMNS, toFineView } from '../fine-view.js';
import { LOAN_VIEW_COLUMNS, toLoanView } from '../loan-view.js';
import { CardLoansQuery, type CardLoans } from './card-loans.query.js';

/** Loans and fines follow the holder, so a replacement card shows the loans made with the old one. */
@QueryHandler(CardLoansQuery)
export class CardLoansHandler implements IQueryHandler<CardLoansQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cards: CardsFacade,
  ) {}

  async execute(q: CardLoansQuery): Promise<CardLoans | null> {
    const card = await this.cards.findCard(q.cardNo);
    if (!card) return null;
    const holderId = card.holder.holderId;
    const [loans, fines, patron] = await Promise.all([
      this.dataSource.query(
        `SELECT ${LOAN_VIEW_COLUMNS} FROM libraries.loans l JOIN libraries.items i ON i.barcode = l.barcode
         WHERE l.holder_id = $1 ORDER BY l.returned_at IS NULL DESC, l.loaned_at DESC, l.loan_id LIMIT 200`,
        [holderId],
      ),
      this.dataSource.query(`SELECT ${FINE_VIEW_COLUMNS} FROM libraries.fines f WHERE f.holder_id = $1 ORDER BY f.charged_at DESC, f.fine_id LIMIT 200`, [
        holderId,
      ]),
      this.dataSource.query(`SELECT fines_outstanding_fen FROM libraries.patrons WHERE holder_id = $1`, [holderId]),
    ]);
    return {
      cardNo: q.cardNo,
      on: q.on,
      finesOutstandingFen: patron[0]?.fines_outstanding_fen ?? 0,
      loans: loans.map((r: Record<string, unknown>) => toLoanView(r, q.on)),
      fines: fines.map(toFineView),
    };
  }
}
