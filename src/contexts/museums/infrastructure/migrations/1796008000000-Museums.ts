import { createContextSchema } from '@onecard/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Museums (一卡通览): each museum's seats per slot, the seats taken per slot, and the real-name
 * reservations with their life cycle BOOKED → ADMITTED | CANCELLED | NO_SHOW (ADR 0010).
 */
export class Museums1796008000000 implements MigrationInterface {
  name = 'Museums1796008000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS museums`);
    await q.query(`
      CREATE TABLE museums.museums (
        museum_id    text PRIMARY KEY CHECK (museum_id ~ '^[A-Za-z0-9_-]{1,64}$'),
        region       text NOT NULL CHECK (region IN ('11', '12', '13')),
        slot_quota   int NOT NULL CHECK (slot_quota > 0),
        -- Bumped on every change; configuration commands are journaled as <museumId>.v<version>.
        version      int NOT NULL CHECK (version >= 1),
        updated_at   timestamptz NOT NULL
      )`);

    // Seats taken per slot: a conditional upsert takes one, so the last seat goes to exactly one
    // of any number of concurrent bookings; a cancellation gives it back.
    await q.query(`
      CREATE TABLE museums.slot_seats (
        museum_id   text NOT NULL REFERENCES museums.museums (museum_id),
        visit_date  date NOT NULL,
        slot_start  text NOT NULL CHECK (slot_start ~ '^\\d{2}:\\d{2}$'),
        booked      int NOT NULL CHECK (booked >= 0),
        PRIMARY KEY (museum_id, visit_date, slot_start)
      )`);

    await q.query(`
      CREATE TABLE museums.reservations (
        reservation_id     text PRIMARY KEY CHECK (reservation_id ~ '^[A-Za-z0-9_-]{1,64}$'),
        museum_id          text NOT NULL REFERENCES museums.museums (museum_id),
        card_no            text NOT NULL,
        holder_id          uuid NOT NULL,
        visit_date         date NOT NULL,
        slot_start         text NOT NULL,
        slot_end           text NOT NULL,
        slot_ends_at       timestamptz NOT NULL,
        status             text NOT NULL CHECK (status IN ('BOOKED', 'CANCELLED', 'ADMITTED', 'NO_SHOW')),
        booked_at          timestamptz NOT NULL,
        booked_via         text NOT NULL,
        admitted_at        timestamptz,
        admitted_tap_id    text,
        cancelled_at       timestamptz,
        no_show_counted_at timestamptz,
        rule_set_id        text NOT NULL,
        rule_version       int NOT NULL,
        CHECK ((status = 'ADMITTED') = (admitted_at IS NOT NULL)),
        CHECK ((status = 'CANCELLED') = (cancelled_at IS NOT NULL)),
        CHECK ((status = 'NO_SHOW') = (no_show_counted_at IS NOT NULL))
      )`);
    // A holder's reservations at a museum (limits, no-shows, the gate's look-up of the day).
    await q.query(`CREATE INDEX reservations_holder ON museums.reservations (holder_id, museum_id, visit_date)`);
    // One live reservation per holder and slot, whatever races.
    await q.query(
      `CREATE UNIQUE INDEX reservations_one_per_slot ON museums.reservations (holder_id, museum_id, visit_date, slot_start) WHERE status <> 'CANCELLED'`,
    );
    // The no-show job's queue: booked reservations by the end of their slot.
    await q.query(`CREATE INDEX reservations_open ON museums.reservations (slot_ends_at) WHERE status = 'BOOKED'`);
    await q.query(`CREATE INDEX reservations_by_day ON museums.reservations (visit_date, museum_id, slot_start)`);
    await createContextSchema(q, 'museums');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA IF EXISTS museums CASCADE`);
  }
}
