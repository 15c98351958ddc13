import { Injectable } from '@nestjs/common';
import { CARDS_SQL, type CardStatus } from '@contexts/cards';
import { read, type CommandTx, type Read } from '@onecard/engine';
import type { BusinessDate, Fen, Region, RuleRef } from '@onecard/kernel';
import { DataSource } from 'typeorm';

/** Anything that runs SQL now: the DataSource, or a solo command's transaction (`CommandTx`). */
export interface Sql {
  query(sql: string, params?: unknown[]): Promise<any>;
}

/** A command's transaction, for the writes sent with its commit. */
export type DeferredWrites = Pick<CommandTx, 'defer'>;

export interface ItemRow {
  barcode: string;
  libraryId: string;
  network: string;
  region: Region;
  title: string;
}

/** A card as circulation reads it (no personal data), with its holder's patron row locked. */
export interface PatronFacts {
  card: { cardNo: string; status: CardStatus; holderId: string; homeRegion: Region };
  /** Whether the holder has a patron row (every holder who ever borrowed has one). */
  patron: boolean;
  /** The holder's unpaid fines, all libraries (0 without a patron row). */
  finesOutstandingFen: Fen;
}

/** What a loan decides on besides the item and the patron, read once both are locked. */
export interface HolderLoans {
  itemOnLoan: boolean;
  /** The holder's loans not yet returned from the item's network. */
  openLoansInNetwork: number;
  /** The holder's loans not yet returned and past their due date, any network. */
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
  ruleSet: RuleRef;
}

/** An open loan as a return reads it: its card's status, and its holder's patron row locked. */
export interface ReturnLoanRow extends OpenLoanRow {
  /** Null: the loan's card is unknown to the cards context. */
  cardStatus: CardStatus | null;
  /** The holder's unpaid fines before this return; null without a patron row. */
  finesOutstandingFen: Fen | null;
}

/** What a renewal reads: the card presented and the item's open loan. */
export interface RenewalRow {
  card: { status: CardStatus; holderId: string } | null;
  loan: OpenLoanRow | null;
}

export interface OutstandingFineRow {
  fineId: string;
  libraryId: string;
  region: Region;
  outstandingFen: Fen;
}

/** The item's open loan as seen before a return is planned (no lock): whose it is, when it is due. */
export interface LoanHint {
  loanId: string;
  cardNo: string;
  holderId: string;
  libraryId: string;
  region: Region;
  dueDate: BusinessDate;
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
  ruleSet: RuleRef;
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
  ruleSet: RuleRef;
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

const CARD_FACTS = CARDS_SQL.cardFacts;

/**
 * The circulation commands' SQL: reads they declare in their plans (each one statement, run for a
 * whole batch at once, in the order the plan lists them) and writes they defer to the commit. Each
 * read locks what the decision depends on before a later read looks at what that lock guards: the
 * item row, then the holder's patron row, then the holder's loans, fines or the bank balance.
 * Reads for reports are in the query handlers.
 */
@Injectable()
export class CirculationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The item, its row locked until commit: every loan, return and renewal of one item passes here
   * first, so what a later read finds of its open loan holds (null: unknown barcode).
   */
  itemRead(barcode: string): Read<ItemRow | null> {
    return read(
      `SELECT i.barcode, i.library_id, i.network, i.region, i.title FROM libraries.items i WHERE i.barcode = $1::text FOR UPDATE`,
      [barcode],
      ([r]) => (r ? { barcode: r.barcode, libraryId: r.library_id, network: r.network, region: r.region, title: r.title } : null),
    );
  }

  /**
   * The card, and its holder's patron row locked until commit (null: unknown card). Every loan and
   * fine payment of one holder passes here before it reads the holder's loans or fines.
   */
  patronRead(cardNo: string): Read<PatronFacts | null> {
    return read(
      `SELECT c.card_no, c.status, c.holder_id, c.home_region, p.holder_id IS NOT NULL AS patron, p.fines_outstanding_fen
       FROM ${CARD_FACTS}($1::text) c
       LEFT JOIN LATERAL (SELECT x.holder_id, x.fines_outstanding_fen FROM libraries.patrons x WHERE x.holder_id = c.holder_id FOR UPDATE) p ON true`,
      [cardNo],
      ([r]) =>
        r
          ? {
              card: { cardNo: r.card_no, status: r.status, holderId: r.holder_id, homeRegion: r.home_region },
              patron: r.patron,
              finesOutstandingFen: Number(r.fines_outstanding_fen ?? 0),
            }
          : null,
    );
  }

  /** Whether the item is on loan, and the card holder's open loans in its network and overdue ones anywhere on `onDate`. */
  holderLoansRead(cardNo: string, barcode: string, onDate: BusinessDate): Read<HolderLoans> {
    return read(
      `SELECT EXISTS (SELECT 1 FROM libraries.loans l WHERE l.barcode = $2::text AND l.returned_at IS NULL) AS on_loan,
         (SELECT count(*) FROM libraries.loans l WHERE l.holder_id = c.holder_id AND l.returned_at IS NULL
            AND l.network = (SELECT i.network FROM libraries.items i WHERE i.barcode = $2::text))::int AS in_network,
         (SELECT count(*) FROM libraries.loans l WHERE l.holder_id = c.holder_id AND l.returned_at IS NULL AND l.due_date < $3::date)::int AS overdue
       FROM ${CARD_FACTS}($1::text) c`,
      [cardNo, barcode, onDate],
      ([r]) => ({ itemOnLoan: r?.on_loan ?? false, openLoansInNetwork: r?.in_network ?? 0, overdueLoans: r?.overdue ?? 0 }),
    );
  }

  /** The item's open loan with its card's status, and its holder's patron row locked until commit (null: not on loan). */
  returnLoanRead(barcode: string): Read<ReturnLoanRow | null> {
    return read(
      `SELECT ${OPEN_LOAN_COLUMNS}, c.status AS card_status, p.fines_outstanding_fen
       FROM libraries.loans l
       LEFT JOIN LATERAL ${CARD_FACTS}(l.card_no) c ON true
       LEFT JOIN LATERAL (SELECT x.fines_outstanding_fen FROM libraries.patrons x WHERE x.holder_id = l.holder_id FOR UPDATE) p ON true
       WHERE l.barcode = $1::text AND l.returned_at IS NULL`,
      [barcode],
      ([r]) =>
        r
          ? {
              ...toOpenLoan(r),
              cardStatus: r.card_status ?? null,
              finesOutstandingFen: r.fines_outstanding_fen === null ? null : Number(r.fines_outstanding_fen),
            }
          : null,
    );
  }

  /** The card presented for a renewal and the item's open loan. */
  renewalRead(cardNo: string, barcode: string): Read<RenewalRow> {
    return read(
      `SELECT c.status AS card_status, c.holder_id AS card_holder_id, ${OPEN_LOAN_COLUMNS}
       FROM (SELECT 1) AS one
       LEFT JOIN ${CARD_FACTS}($1::text) c ON true
       LEFT JOIN libraries.loans l ON l.barcode = $2::text AND l.returned_at IS NULL`,
      [cardNo, barcode],
      ([r]) => ({
        card: r?.card_status ? { status: r.card_status, holderId: r.card_holder_id } : null,
        loan: r?.loan_id ? toOpenLoan(r) : null,
      }),
    );
  }

  /** The card holder's unpaid fines, oldest first, locked until commit. */
  outstandingFinesRead(cardNo: string): Read<OutstandingFineRow[]> {
    return read(
      `SELECT f.fine_id, f.library_id, f.region, f.outstanding_fen
       FROM ${CARD_FACTS}($1::text) c JOIN libraries.fines f ON f.holder_id = c.holder_id
       WHERE f.outstanding_fen > 0
       ORDER BY f.charged_at, f.fine_id
       FOR UPDATE OF f`,
      [cardNo],
      (rows) => rows.map((r) => ({ fineId: r.fine_id, libraryId: r.library_id, region: r.region, outstandingFen: Number(r.outstanding_fen) })),
    );
  }

  /** The item's open loan now, unlocked: what a return is planned (keyed) by, checked again by its reads. */
  async findOpenLoan(barcode: string): Promise<LoanHint | null> {
    const [r] = await this.dataSource.query(
      `SELECT loan_id, card_no, holder_id, library_id, region, due_date FROM libraries.loans WHERE barcode = $1 AND returned_at IS NULL`,
      [barcode],
    );
    return r ? { loanId: r.loan_id, cardNo: r.card_no, holderId: r.holder_id, libraryId: r.library_id, region: r.region, dueDate: r.due_date } : null;
  }

  insertLoan(tx: DeferredWrites, loan: NewLoan): void {
    tx.defer(
      `INSERT INTO libraries.loans (loan_id, barcode, library_id, network, region, desk_library_id, terminal_id, card_no, holder_id,
         home_region, loaned_at, due_date, rule_set_id, rule_version)
       VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::uuid, $10::text, $11::timestamptz, $12::date,
         $13::text, $14::int)`,
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
  }

  /**
   * The holder's patron row, for a first loan. No ON CONFLICT on purpose: a first loan of the same
   * holder committed elsewhere meanwhile makes this fail, and the command runs again, then finds the
   * row to lock (so the loan limit holds from the very first loan).
   */
  insertPatron(tx: DeferredWrites, holderId: string, at: Date): void {
    tx.defer(`INSERT INTO libraries.patrons (holder_id, updated_at) VALUES ($1::uuid, $2::timestamptz)`, [holderId, at]);
  }

  closeLoan(tx: DeferredWrites, loanId: string, r: { returnId: string; returnedAt: Date; returnLibraryId: string; overdueDays: number; fineFen: Fen }): void {
    tx.defer(
      `UPDATE libraries.loans SET returned_at = $2::timestamptz, return_id = $3::text, return_library_id = $4::text, overdue_days = $5::int,
         fine_fen = $6::bigint
       WHERE loan_id = $1::text`,
      [loanId, r.returnedAt, r.returnId, r.returnLibraryId, r.overdueDays, r.fineFen],
    );
  }

  /** Records a fine and adds what is still owed to the holder's unpaid fines (the patron row is locked by the return's read). */
  recordFine(tx: DeferredWrites, fine: NewFine): void {
    tx.defer(
      `INSERT INTO libraries.fines (fine_id, loan_id, holder_id, card_no, library_id, region, overdue_days, fine_per_day_fen, amount_fen, charged_fen,
         charged_at, rule_set_id, rule_version)
       VALUES ($1::text, $2::text, $3::uuid, $4::text, $5::text, $6::text, $7::int, $8::bigint, $9::bigint, $10::bigint, $11::timestamptz, $12::text,
         $13::int)`,
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
      ],
    );
    tx.defer(
      `INSERT INTO libraries.patrons (holder_id, fines_outstanding_fen, updated_at) VALUES ($1::uuid, $2::bigint, $3::timestamptz)
       ON CONFLICT (holder_id) DO UPDATE
       SET fines_outstanding_fen = patrons.fines_outstanding_fen + EXCLUDED.fines_outstanding_fen, updated_at = EXCLUDED.updated_at`,
      [fine.holderId, fine.amountFen - fine.chargedFen, fine.chargedAt],
    );
  }

  renewLoan(
    tx: DeferredWrites,
    r: {
      renewalId: string;
      loanId: string;
      cardNo: string;
      terminalId: string;
      renewedAt: Date;
      previousDueDate: BusinessDate;
      dueDate: BusinessDate;
      ruleSet: RuleRef;
    },
  ): void {
    tx.defer(`UPDATE libraries.loans SET due_date = $2::date, renewals = renewals + 1 WHERE loan_id = $1::text`, [r.loanId, r.dueDate]);
    tx.defer(
      `INSERT INTO libraries.renewals (renewal_id, loan_id, card_no, terminal_id, renewed_at, previous_due_date, due_date, rule_set_id, rule_version)
       VALUES ($1::text, $2::text, $3::text, $4::text, $5::timestamptz, $6::date, $7::date, $8::text, $9::int)`,
      [r.renewalId, r.loanId, r.cardNo, r.terminalId, r.renewedAt, r.previousDueDate, r.dueDate, r.ruleSet.id, r.ruleSet.version],
    );
  }

  /** Applies a payment to the fines (locked by the payment's read), records it and lowers the holder's unpaid total. */
  recordPayment(
    tx: DeferredWrites,
    p: {
      paymentId: string;
      holderId: string;
      cardNo: string;
      terminalId: string;
      amountFen: Fen;
      paidAt: Date;
      allocations: { fineId: string; libraryId: string; paidFen: Fen }[];
    },
  ): void {
    tx.defer(
      `UPDATE libraries.fines f SET paid_fen = f.paid_fen + a.paid FROM unnest($1::text[], $2::bigint[]) AS a(fine_id, paid) WHERE f.fine_id = a.fine_id`,
      [p.allocations.map((a) => a.fineId), p.allocations.map((a) => a.paidFen)],
    );
    tx.defer(
      `INSERT INTO libraries.fine_payments (payment_id, holder_id, card_no, terminal_id, amount_fen, paid_at, allocations)
       VALUES ($1::text, $2::uuid, $3::text, $4::text, $5::bigint, $6::timestamptz, $7::jsonb)`,
      [p.paymentId, p.holderId, p.cardNo, p.terminalId, p.amountFen, p.paidAt, JSON.stringify(p.allocations)],
    );
    tx.defer(
      `UPDATE libraries.patrons SET fines_outstanding_fen = fines_outstanding_fen - $2::bigint, updated_at = $3::timestamptz WHERE holder_id = $1::uuid`,
      [p.holderId, p.amountFen, p.paidAt],
    );
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

function toOpenLoan(r: Record<string, any>): OpenLoanRow {
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
