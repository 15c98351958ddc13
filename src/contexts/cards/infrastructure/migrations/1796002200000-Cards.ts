import { createContextSchema } from '@onecard/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Holders, cards and 医保码 (ADR 0006). The national ID is never stored: only its keyed hash
 * (HMAC-SHA256 with PII_HASH_KEY, for lookup and uniqueness) and its masked form.
 */
export class Cards1796002200000 implements MigrationInterface {
  name = 'Cards1796002200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS cards`);
    // One serial sequence per issuing region: card numbers are <letter><7-digit serial><Luhn digit>.
    for (const region of ['11', '12', '13']) {
      await q.query(`CREATE SEQUENCE cards.card_serial_${region} MINVALUE 1 MAXVALUE 9999999 NO CYCLE`);
    }
    await q.query(`
      CREATE TABLE cards.holders (
        holder_id           uuid PRIMARY KEY,
        name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
        national_id_hash    text NOT NULL UNIQUE CHECK (national_id_hash ~ '^[0-9a-f]{64}$'),
        national_id_masked  text NOT NULL CHECK (national_id_masked ~ '^[0-9]{6}[*]{8}[0-9]{3}[0-9X]$'),
        birth_date          date NOT NULL,
        home_region         text NOT NULL CHECK (home_region IN ('11', '12', '13')),
        scheme              text NOT NULL CHECK (scheme IN ('EMPLOYEE', 'RESIDENT')),
        retiree             boolean NOT NULL,
        created_at          timestamptz NOT NULL,
        updated_at          timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE cards.cards (
        card_no              text PRIMARY KEY CHECK (card_no ~ '^[BTH][0-9]{8}$'),
        identification_code  text NOT NULL UNIQUE CHECK (identification_code ~ '^[0-9]{6}D156000005[0-9A-F]{16}$'),
        holder_id            uuid NOT NULL REFERENCES cards.holders (holder_id),
        issuing_region       text NOT NULL CHECK (issuing_region IN ('11', '12', '13')),
        generation           smallint NOT NULL CHECK (generation IN (2, 3)),
        transit_app          boolean NOT NULL,
        status               text NOT NULL CHECK (status IN ('SEALED', 'ACTIVE', 'TEMPORARY_LOSS', 'FORMAL_LOSS', 'APPLICATION_LOCKED', 'CANCELLED', 'REPLACED')),
        -- Bumped on every status change; status commands are journaled as <cardNo>.s<version>.
        status_version       int NOT NULL DEFAULT 0 CHECK (status_version >= 0),
        replaces             text REFERENCES cards.cards (card_no),
        issued_at            timestamptz NOT NULL,
        status_changed_at    timestamptz NOT NULL,
        CHECK (replaces IS NULL OR replaces <> card_no)
      )`);
    await q.query(`CREATE INDEX cards_holder ON cards.cards (holder_id)`);
    // A card has at most one replacement that is not cancelled.
    await q.query(`CREATE UNIQUE INDEX cards_replaced_once ON cards.cards (replaces) WHERE replaces IS NOT NULL AND status <> 'CANCELLED'`);

    await q.query(`
      CREATE TABLE cards.medical_codes (
        -- sha256 of the code: a database reader cannot present a live code.
        code_hash   text PRIMARY KEY CHECK (code_hash ~ '^[0-9a-f]{64}$'),
        card_no     text NOT NULL REFERENCES cards.cards (card_no),
        issued_at   timestamptz NOT NULL,
        expires_at  timestamptz NOT NULL,
        used_at     timestamptz,
        used_by     text,
        CHECK (expires_at > issued_at),
        CHECK ((used_at IS NULL) = (used_by IS NULL))
      )`);
    await q.query(`CREATE INDEX medical_codes_expiry ON cards.medical_codes (expires_at)`);
    await createContextSchema(q, 'cards');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA cards CASCADE`);
  }
}
