import { Injectable } from '@nestjs/common';
import type { BusinessDate, Fen, Region } from '@onecard/kernel';
import { DataSource } from 'typeorm';

/** Anything that runs SQL: the DataSource, or a command's transaction (`CommandTx`). */
export interface Sql {
  query(sql: string, params?: unknown[]): Promise<any>;
}

export interface ItemRow {
  barcode: string;
  libraryId: string;
  network: string;
  region: Region;
  title: string;
}

export interface LoanFactsRow {
  item: ItemRow | null;
  itemOnLoan: boolean;
  openLoansInNetwork: number;
  overdueLoans: number;
}

export interface OpenLoanRow {
  loanId: string;
  barcode: string;
  libraryId: string;
  network: string;
  region: Region;
  cardNo: string;
  holderId: string;
  homeRegion: Region;
  loanedAt: Date;
  dueDate: BusinessDate;
  renewals: number;
  ruleSet: { id: string; version: number };
}

export interface NewLoan {
  loanId: string;
  item: ItemRow;
  deskLibraryId: string;
  terminalId: string;
  cardNo: string;
  holderId: string;
  homeRegion: Region;
  loanedAt: Date;
  dueDate: BusinessDate;
  ruleSet: { id: string; version: number };
}

export interface NewFine {
  fineId: string;
  loanId: string;
  holderId: string;
  cardNo: string;
  libraryId: string;
  region: Region;
  overdueDays: number;
  finePerDayFen: Fen;
  amountFen: Fen;
  chargedFen: Fen;
  chargedAt: Date;
  ruleSet: { id: string; version: number };
}

export interface NewItem {
  barcode: string;
  libraryId: string;
  network: string;
  region: Region;
  title: string;
}

const OPEN_LOAN_COLUMNS = `l.loan_id, l.barcode, l.library_id, l.network, l.region, l.card_no, l.holder_id, l.home_region, l.loaned_at,
  l.due_date, l.renewals, l.rule_set_id, l.rule_version`;

/**
 * The SQL of the circulation commands, each one statement (one round trip) inside the command's
 * transaction. Reads for reports are in the query handlers.
 */
@Injectable()
export class CirculationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Locks the holder's patron row (creating it) until commit and answers their unpaid fines. Every
   * loan of one holder passes here first, so the loan counts read after it are current.
   */
  async lockPatron(tx: Sql, holderId: string, at: Date): Promise<{ finesOutstandingFen: Fen }> {
    const rows = await tx.query(
      `INSERT INTO libraries.patrons AS p (holder_id, updated_at) VALUES ($1, $2)
       ON CONFLICT (holder_id) DO UPDATE SET updated_at = EXCLUDED.updated_at
       RETURNING p.fines_outstanding_fen`,
      [holderId, at],
    );
    return { finesOutstandingFen: Number(rows[0].fines_outstanding_fen) };
  }

  /** The item, whether it is on loan, and the holder's open loans in its network and overdue ones anywhere. */
  async loanFacts(tx: Sql, barcode: string, holderId: string, onDate: BusinessDate): Promise<LoanFactsRow> {
    const rows = await tx.query(
      `SELECT i.barcode, i.library_id, i.network, i.region, i.title,
         EXISTS (SELECT 1 FROM libraries.loans l WHERE l.barcode = i.barcode AND l.returned_at IS NULL) AS on_loan,
         (SELECT count(*) FROM libraries.loans l WHERE l.holder_id = $2 AND l.returned_at IS NULL AND l.network = i.network)::int AS in_network,
         (SELECT count(*) FROM libraries.loans l WHERE l.holder_id = $2 AND l.returned_at IS NULL AND l.due_date < $3::date)::int AS overdue
       FROM (SELECT 1) AS one LEFT JOIN libraries.items i ON i.barcode = $1`,
      [barcode, holderId, onDate],
    );
    const r = rows[0];
    if (!r?.barcode) return { item: null, itemOnLoan: false, openLoansInNetwork: 0, overdueLoans: 0 };
    return {
      item: { barcode: r.barcode, libraryId: r.library_id, network: r.network, region: r.region, title: r.title },
      itemOnLoan: r.on_loan,
      openLoansInNetwork: r.in_network,
      overdueLoans: r.overdue,
    };
  }

  /**
   * Inserts the loan unless the item has an open loan: false when another desk lent it meanwhile
   * (the insert waits for that desk's transaction on the one-open-loan-per-item index).
   */
  async insertLoan(tx: Sql, loan: NewLoan): Promise<boolean> {
    const rows = await tx.query(
      `INSERT INTO libraries.loans (loan_id, barcode, library_id, network, region, desk_library_id, terminal_id, card_no, holder_id,
         home_region, loaned_at, due_date, rule_set_id, rule_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (barcode) WHERE returned_at IS NULL DO NOTHING
       RETURNING loan_id`,
      [
        loan.loanId,
        loan.item.barcode,
        loan.item.libraryId,
        loan.item.network,
        loan.item.region,
        loan.deskLibraryId,
        loan.terminalId,
        loan.cardNo,
        loan.holderId,
        loan.homeRegion,
        loan.loanedAt,
        loan.dueDate,
        loan.ruleSet.id,
        loan.ruleSet.version,
      ],
    );
    return rows.length > 0;
  }

  /**
   * The item's open loan, locked until commit: a racing return or renewal of the same loan waits,
   * then finds it changed (returned: no row).
   */
  async lockOpenLoan(tx: Sql, barcode: string): Promise<OpenLoanRow | null> {
    const rows = await tx.query(`SELECT ${OPEN_LOAN_COLUMNS} FROM libraries.loans l WHERE l.barcode = $1 AND l.returned_at IS NULL FOR UPDATE`, [barcode]);
    const r = rows[0];
    if (!r) return null;
    return {
      loanId: r.loan_id,
      barcode: r.barcode,
      libraryId: r.library_id,
      network: r.network,
      region: r.region,
      cardNo: r.card_no,
      holderId: r.holder_id,
      homeRegion: r.home_region,
      loanedAt: r.loaned_at,
      dueDate: r.due_date,
      renewals: r.renewals,
      ruleSet: { id: r.rule_set_id, version: r.rule_version },
    };
  }

  async itemExists(tx: Sql, barcode: string): Promise<boolean> {
    const rows = await tx.query(`SELECT 1 FROM libraries.items WHERE barcode = $1`, [barcode]);
    return rows.length > 0;
  }

  async closeLoan(
    tx: Sql,
    loanId: string,
    r: { returnId: string; returnedAt: Date; returnLibraryId: string; overdueDays: number; fineFen: Fen },
  ): Promise<void> {
    await tx.query(`UPDATE libraries.loans SET returned_at = $2, return_id = $3, return_library_id = $4, overdue_days = $5, fine_fen = $6 WHERE loan_id = $1`, [
      loanId,
      r.returnedAt,
      r.returnId,
      r.returnLibraryId,
      r.overdueDays,
      r.fineFen,
    ]);
  }

  /**
   * Records a fine and adds what is still owed to the holder's unpaid fines; answers their new total.
   * (The patron row is locked by the update until commit.)
   */
  async recordFine(tx: Sql, fine: NewFine): Promise<{ finesOutstandingFen: Fen }> {
    const owed = fine.amountFen - fine.chargedFen;
    const rows = await tx.query(
      `WITH fine AS (
         INSERT INTO libraries.fines (fine_id, loan_id, holder_id, card_no, library_id, region, overdue_days, fine_per_day_fen,
           amount_fen, charged_fen, charged_at, rule_set_id, rule_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       )
       INSERT INTO libraries.patrons AS p (holder_id, fines_outstanding_fen, updated_at) VALUES ($3, $14, $11)
       ON CONFLICT (holder_id) DO UPDATE SET fines_outstanding_fen = p.fines_outstanding_fen + EXCLUDED.fines_outstanding_fen, updated_at = EXCLUDED.updated_at
       RETURNING p.fines_outstanding_fen`,
      [
        fine.fineId,
        fine.loanId,
        fine.holderId,
        fine.cardNo,
        fine.libraryId,
        fine.region,
        fine.overdueDays,
        fine.finePerDayFen,
        fine.amountFen,
        fine.chargedFen,
        fine.chargedAt,
        fine.ruleSet.id,
        fine.ruleSet.version,
        owed,
      ],
    );
    return { finesOutstandingFen: Number(rows[0].fines_outstanding_fen) };
  }

  /** The holder's unpaid fines total, 0 for a holder who never borrowed (no lock). */
  async finesOutstanding(tx: Sql, holderId: string): Promise<Fen> {
    const rows = await tx.query(`SELECT fines_outstanding_fen FROM libraries.patrons WHERE holder_id = $1`, [holderId]);
    return rows[0] ? Number(rows[0].fines_outstanding_fen) : 0;
  }

  async renewLoan(
    tx: Sql,
    r: {
      renewalId: string;
      loanId: string;
      cardNo: string;
      terminalId: string;
      renewedAt: Date;
      previousDueDate: BusinessDate;
      dueDate: BusinessDate;
      ruleSet: { id: string; version: number };
    },
  ): Promise<void> {
    await tx.query(
      `WITH renewed AS (UPDATE libraries.loans SET due_date = $7, renewals = renewals + 1 WHERE loan_id = $2 RETURNING loan_id)
       INSERT INTO libraries.renewals (renewal_id, loan_id, card_no, terminal_id, renewed_at, previous_due_date, due_date, rule_set_id, rule_version)
       SELECT $1, loan_id, $3, $4, $5, $6, $7, $8, $9 FROM renewed`,
      [r.renewalId, r.loanId, r.cardNo, r.terminalId, r.renewedAt, r.previousDueDate, r.dueDate, r.ruleSet.id, r.ruleSet.version],
    );
  }

  /**
   * Locks the holder's patron row, then their unpaid fines (oldest first), until commit: a payment
   * and a return adding a fine for one holder take turns.
   */
  async lockOutstandingFines(tx: Sql, holderId: string): Promise<{ fineId: string; libraryId: string; region: Region; outstandingFen: Fen }[]> {
    await tx.query(`SELECT 1 FROM libraries.patrons WHERE holder_id = $1 FOR UPDATE`, [holderId]);
    const rows = await tx.query(
      `SELECT fine_id, library_id, region, outstanding_fen FROM libraries.fines
       WHERE holder_id = $1 AND outstanding_fen > 0 ORDER BY charged_at, fine_id FOR UPDATE`,
      [holderId],
    );
    return rows.map((r: any) => ({ fineId: r.fine_id, libraryId: r.library_id, region: r.region, outstandingFen: Number(r.outstanding_fen) }));
  }

  /** Applies a payment to the fines, lowers the holder's unpaid total and records the payment; answers the new total. */
  async recordPayment(
    tx: Sql,
    p: {
      paymentId: string;
      holderId: string;
      cardNo: string;
      terminalId: string;
      amountFen: Fen;
      paidAt: Date;
      allocations: { fineId: string; libraryId: string; paidFen: Fen }[];
    },
  ): Promise<{ finesOutstandingFen: Fen }> {
    const rows = await tx.query(
      `WITH paid AS (
         UPDATE libraries.fines f SET paid_fen = f.paid_fen + a.paid
         FROM unnest($7::text[], $8::bigint[]) AS a(fine_id, paid) WHERE f.fine_id = a.fine_id
       ), payment AS (
         INSERT INTO libraries.fine_payments (payment_id, holder_id, card_no, terminal_id, amount_fen, paid_at, allocations)
         VALUES ($1, $2, $3, $4, $5, $6, $9::jsonb)
       )
       UPDATE libraries.patrons p SET fines_outstanding_fen = p.fines_outstanding_fen - $5, updated_at = $6
       WHERE p.holder_id = $2 RETURNING p.fines_outstanding_fen`,
      [
        p.paymentId,
        p.holderId,
        p.cardNo,
        p.terminalId,
        p.amountFen,
        p.paidAt,
        p.allocations.map((a) => a.fineId),
        p.allocations.map((a) => a.paidFen),
        JSON.stringify(p.allocations),
      ],
    );
    return { finesOutstandingFen: Number(rows[0].fines_outstanding_fen) };
  }

  /** Registers items whose barcode is new; answers the barcodes added. */
  async insertItems(items: readonly NewItem[], at: Date, sql: Sql = this.dataSource): Promise<string[]> {
    if (items.length === 0) return [];
    const rows = await sql.query(
      `INSERT INTO libraries.items (barcode, library_id, network, region, title, added_at)
       SELECT b, l, n, r, t, $6 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS x(b, l, n, r, t)
       ON CONFLICT (barcode) DO NOTHING
       RETURNING barcode`,
      [items.map((i) => i.barcode), items.map((i) => i.libraryId), items.map((i) => i.network), items.map((i) => i.region), items.map((i) => i.title), at],
    );
    return rows.map((r: { barcode: string }) => r.barcode);
  }

  async findItem(barcode: string, sql: Sql = this.dataSource): Promise<(ItemRow & { addedAt: Date }) | null> {
    const rows = await sql.query(`SELECT barcode, library_id, network, region, title, added_at FROM libraries.items WHERE barcode = $1`, [barcode]);
    const r = rows[0];
    return r ? { barcode: r.barcode, libraryId: r.library_id, network: r.network, region: r.region, title: r.title, addedAt: r.added_at } : null;
  }
}
