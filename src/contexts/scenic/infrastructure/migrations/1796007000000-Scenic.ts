import { createContextSchema } from '@onecard/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scenic spots (一卡畅游): each spot's commercial configuration, the day's capacity counter, the
 * visits admitted, and the annual passes holders bought (ADR 0010).
 */
export class Scenic1796007000000 implements MigrationInterface {
  name = 'Scenic1796007000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS scenic`);
    await q.query(`
      CREATE TABLE scenic.spots (
        spot_id          text PRIMARY KEY CHECK (spot_id ~ '^[A-Za-z0-9_-]{1,64}$'),
        region           text NOT NULL CHECK (region IN ('11', '12', '13')),
        spot_type        text NOT NULL CHECK (spot_type IN ('PARK', 'SCENIC_AREA')),
        base_price_fen   bigint NOT NULL CHECK (base_price_fen >= 0),
        daily_capacity   int NOT NULL CHECK (daily_capacity > 0),
        participation    text[] NOT NULL DEFAULT '{}',
        -- Bumped on every change; configuration commands are journaled as <spotId>.v<version>.
        version          int NOT NULL CHECK (version >= 1),
        updated_at       timestamptz NOT NULL
      )`);

    // One row per spot and day: the places taken. A conditional upsert takes a place, so the
    // last place goes to exactly one of any number of concurrent taps.
    await q.query(`
      CREATE TABLE scenic.spot_days (
        spot_id     text NOT NULL REFERENCES scenic.spots (spot_id),
        visit_date  date NOT NULL,
        admitted    int NOT NULL CHECK (admitted >= 0),
        PRIMARY KEY (spot_id, visit_date)
      )`);

    await q.query(`
      CREATE TABLE scenic.visits (
        visit_id          uuid PRIMARY KEY,
        tap_id            text NOT NULL UNIQUE,
        spot_id           text NOT NULL REFERENCES scenic.spots (spot_id),
        visit_date        date NOT NULL,
        entry_kind        text NOT NULL CHECK (entry_kind IN ('ENTRY', 'REENTRY')),
        card_no           text NOT NULL,
        holder_id         uuid NOT NULL,
        terminal_id       text NOT NULL,
        tapped_at         timestamptz NOT NULL,
        base_price_fen    bigint NOT NULL CHECK (base_price_fen >= 0),
        price_fen         bigint NOT NULL CHECK (price_fen >= 0 AND price_fen <= base_price_fen),
        concession_kind   text CHECK (concession_kind IN ('REENTRY', 'ANNUAL_PASS', 'SENIOR')),
        concession_code   text,
        pass_id           text,
        first_visit_id    uuid,
        rule_set_id       text NOT NULL,
        rule_version      int NOT NULL,
        CHECK ((entry_kind = 'REENTRY') = (first_visit_id IS NOT NULL)),
        CHECK ((concession_kind IS NULL) = (concession_code IS NULL))
      )`);
    // The holder's first entry of the day at a spot, unique: a re-entry finds it, and two racing
    // first taps of one holder meet here (the loser is retried and becomes the re-entry).
    await q.query(`CREATE UNIQUE INDEX visits_first_entry ON scenic.visits (spot_id, visit_date, holder_id) WHERE entry_kind = 'ENTRY'`);
    await q.query(`CREATE INDEX visits_by_day ON scenic.visits (visit_date, spot_id)`);

    await q.query(`
      CREATE TABLE scenic.annual_passes (
        pass_id        text PRIMARY KEY CHECK (pass_id ~ '^[A-Za-z0-9_-]{1,64}$'),
        holder_id      uuid NOT NULL,
        card_no        text NOT NULL,
        pass_code      text NOT NULL,
        sold_region    text NOT NULL CHECK (sold_region IN ('11', '12', '13')),
        valid_from     date NOT NULL,
        valid_until    date NOT NULL,
        price_fen      bigint NOT NULL CHECK (price_fen >= 0),
        purchased_at   timestamptz NOT NULL,
        terminal_id    text,
        actor          text,
        rule_set_id    text NOT NULL,
        rule_version   int NOT NULL,
        CHECK (valid_until >= valid_from)
      )`);
    // "Holder only": a pass belongs to the person, so a replacement card carries it.
    await q.query(`CREATE INDEX annual_passes_holder ON scenic.annual_passes (holder_id, valid_until)`);
    await createContextSchema(q, 'scenic');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA IF EXISTS scenic CASCADE`);
  }
}
