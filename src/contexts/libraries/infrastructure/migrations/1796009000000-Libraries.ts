import { createContextSchema } from '@onecard/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The libraries context (一卡通阅, ADR 0011): items with their owning library, loans (one open loan
 * per item, enforced by a unique partial index), renewals, the holders' fine balances, fines and
 * fine payments. Libraries themselves are registry venues; money is in the ledger.
 */
export class Libraries1796009000000 implements MigrationInterface {
  name = 'Libraries1796009000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS libraries`);

    // The owning library's network and region are copied at registration: a loan decides on one row.
    await q.query(`
      CREATE TABLE libraries.items (
        barcode     text PRIMARY KEY CHECK (barcode ~ '^[A-Za-z0-9-]{1,32}$'),
        library_id  text NOT NULL,
        network     text NOT NULL CHECK (network ~ '^[A-Z][A-Z0-9_]*$'),
        region      text NOT NULL CHECK (region IN ('11', '12', '13')),
        title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        added_at    timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX items_library ON libraries.items (library_id, barcode)`);

    // A patron is a holder, not a card: loans and fines follow the person to a replacement card.
    // Its row is the lock that serialises one holder's loans (limit) and fine payments.
    await q.query(`
      CREATE TABLE libraries.patrons (
        holder_id              uuid PRIMARY KEY,
        fines_outstanding_fen  bigint NOT NULL DEFAULT 0 CHECK (fines_outstanding_fen >= 0),
        updated_at             timestamptz NOT NULL
      )`);

    await q.query(`
      CREATE TABLE libraries.loans (
        loan_id            text PRIMARY KEY CHECK (loan_id ~ '^[A-Za-z0-9_-]{1,64}$'),
        barcode            text NOT NULL REFERENCES libraries.items (barcode),
        library_id         text NOT NULL,   -- the item's owning library
        network            text NOT NULL,   -- the item's network: whose rules govern the loan
        region             text NOT NULL CHECK (region IN ('11', '12', '13')),
        desk_library_id    text NOT NULL,   -- where it was lent
        terminal_id        text NOT NULL,
        card_no            text NOT NULL,
        holder_id          uuid NOT NULL,
        home_region        text NOT NULL CHECK (home_region IN ('11', '12', '13')),
        loaned_at          timestamptz NOT NULL,
        due_date           date NOT NULL,
        renewals           int NOT NULL DEFAULT 0 CHECK (renewals >= 0),
        rule_set_id        text NOT NULL,
        rule_version       int NOT NULL,
        returned_at        timestamptz,
        return_id          text UNIQUE,
        return_library_id  text,
        overdue_days       int CHECK (overdue_days >= 0),
        fine_fen           bigint CHECK (fine_fen >= 0),
        CHECK ((returned_at IS NULL) = (return_id IS NULL)),
        CHECK ((returned_at IS NULL) = (return_library_id IS NULL))
      )`);
    // Two desks lending one item at the same instant: the second insert fails here and is re-decided.
    await q.query(`CREATE UNIQUE INDEX loans_one_open_per_item ON libraries.loans (barcode) WHERE returned_at IS NULL`);
    await q.query(`CREATE INDEX loans_open_by_holder ON libraries.loans (holder_id, network, due_date) WHERE returned_at IS NULL`);
    await q.query(`CREATE INDEX loans_open_by_library ON libraries.loans (library_id, due_date) WHERE returned_at IS NULL`);
    await q.query(`CREATE INDEX loans_by_holder ON libraries.loans (holder_id, loaned_at)`);
    await q.query(`CREATE INDEX loans_by_library ON libraries.loans (library_id, loaned_at)`);

    await q.query(`
      CREATE TABLE libraries.renewals (
        renewal_id         text PRIMARY KEY CHECK (renewal_id ~ '^[A-Za-z0-9_-]{1,64}$'),
        loan_id            text NOT NULL REFERENCES libraries.loans (loan_id),
        card_no            text NOT NULL,
        terminal_id        text NOT NULL,
        renewed_at         timestamptz NOT NULL,
        previous_due_date  date NOT NULL,
        due_date           date NOT NULL,
        rule_set_id        text NOT NULL,
        rule_version       int NOT NULL
      )`);
    await q.query(`CREATE INDEX renewals_loan ON libraries.renewals (loan_id)`);

    // One fine per overdue return. What the bank paid at return is charged_fen, later payments add
    // to paid_fen; outstanding_fen is what the holder still owes the library.
    await q.query(`
      CREATE TABLE libraries.fines (
        fine_id           text PRIMARY KEY,   -- the return id
        loan_id           text NOT NULL UNIQUE REFERENCES libraries.loans (loan_id),
        holder_id         uuid NOT NULL,
        card_no           text NOT NULL,
        library_id        text NOT NULL,      -- the owning library, whose revenue it is
        region            text NOT NULL CHECK (region IN ('11', '12', '13')),
        overdue_days      int NOT NULL CHECK (overdue_days > 0),
        fine_per_day_fen  bigint NOT NULL CHECK (fine_per_day_fen >= 0),
        amount_fen        bigint NOT NULL CHECK (amount_fen > 0),
        charged_fen       bigint NOT NULL CHECK (charged_fen >= 0),
        paid_fen          bigint NOT NULL DEFAULT 0 CHECK (paid_fen >= 0),
        outstanding_fen   bigint GENERATED ALWAYS AS (amount_fen - charged_fen - paid_fen) STORED CHECK (outstanding_fen >= 0),
        charged_at        timestamptz NOT NULL,
        rule_set_id       text NOT NULL,
        rule_version      int NOT NULL
      )`);
    await q.query(`CREATE INDEX fines_outstanding_by_holder ON libraries.fines (holder_id, charged_at, fine_id) WHERE outstanding_fen > 0`);
    await q.query(`CREATE INDEX fines_by_library ON libraries.fines (library_id, charged_at)`);

    await q.query(`
      CREATE TABLE libraries.fine_payments (
        payment_id   text PRIMARY KEY CHECK (payment_id ~ '^[A-Za-z0-9_-]{1,64}$'),
        holder_id    uuid NOT NULL,
        card_no      text NOT NULL,
        terminal_id  text NOT NULL,
        amount_fen   bigint NOT NULL CHECK (amount_fen > 0),
        paid_at      timestamptz NOT NULL,
        allocations  jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX fine_payments_holder ON libraries.fine_payments (holder_id, paid_at)`);

    await createContextSchema(q, 'libraries');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA libraries CASCADE`);
  }
}
