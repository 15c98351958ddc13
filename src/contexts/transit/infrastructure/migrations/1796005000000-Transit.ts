import { openAccountsSql } from '@onecard/ledger';
import { createContextSchema } from '@onecard/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { RAIL_REVENUE_ACCOUNT } from '../../domain/accounts.js';

/**
 * Journeys, seat slips and exit taps waiting for their entry (ADR 0008), and the rail operator's
 * revenue account. Fares and timetables are rule data (RuleBook, in memory); only what cards did
 * is stored here. Money itself lives in the ledger.
 */
export class Transit1796005000000 implements MigrationInterface {
  name = 'Transit1796005000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS transit`);
    await q.query(`
      CREATE TABLE transit.journeys (
        journey_id      uuid PRIMARY KEY,
        card_no         text NOT NULL,
        status          text NOT NULL CHECK (status IN ('OPEN', 'CLOSED', 'RESOLVED', 'INCOMPLETE_CHARGED')),
        entry_station   text NOT NULL,
        entry_gate      text NOT NULL,
        entry_tap_id    text NOT NULL UNIQUE,
        entry_at        timestamptz NOT NULL,
        entry_date      date NOT NULL,
        -- The rule set version in force at entry: the fare comes from it, whenever the exit is.
        rule_set_id     text NOT NULL,
        rule_version    int NOT NULL,
        -- Null only under a rule version without seat-first (seatFirst.required: false).
        reservation_id  text,
        train_no        text,
        terminus        text NOT NULL,
        required_fen    bigint NOT NULL CHECK (required_fen >= 0),
        exit_station    text,
        exit_gate       text,
        exit_tap_id     text UNIQUE,
        exit_at         timestamptz,
        fare_fen        bigint CHECK (fare_fen >= 0),
        -- Less than the fare only when a missing tap-out is charged to a wallet that cannot cover it.
        charged_fen     bigint CHECK (charged_fen >= 0 AND charged_fen <= fare_fen),
        closed_by       text CHECK (closed_by IN ('TAP', 'OPERATOR', 'INCOMPLETE_CHARGE')),
        closed_command  text,
        closed_date     date,
        CHECK ((status = 'OPEN') = (closed_by IS NULL)),
        CHECK (status = 'OPEN' OR (exit_station IS NOT NULL AND exit_at IS NOT NULL AND fare_fen IS NOT NULL AND charged_fen IS NOT NULL AND closed_date IS NOT NULL))
      )`);
    // At most one open journey per card: the backstop behind the wallet-row lock that serialises a card's taps.
    await q.query(`CREATE UNIQUE INDEX journeys_one_open_per_card ON transit.journeys (card_no) WHERE status = 'OPEN'`);
    await q.query(`CREATE INDEX journeys_card ON transit.journeys (card_no, entry_at)`);
    await q.query(`CREATE INDEX journeys_status ON transit.journeys (status, entry_at)`);
    await q.query(`CREATE INDEX journeys_entry_date ON transit.journeys (entry_date, entry_station, exit_station)`);
    await q.query(`CREATE INDEX journeys_closed_date ON transit.journeys (closed_date, entry_station)`);

    await q.query(`
      CREATE TABLE transit.seat_slips (
        reservation_id     text PRIMARY KEY,
        card_no            text NOT NULL,
        travel_date        date NOT NULL,
        train_no           text NOT NULL,
        from_station       text NOT NULL,
        to_station         text NOT NULL,
        terminus           text NOT NULL,
        departs_at         timestamptz NOT NULL,
        car                smallint NOT NULL CHECK (car >= 1),
        seat               text NOT NULL,
        -- ACTIVE until used at a gate, cancelled at a machine, or cleared (unused, by an operator).
        status             text NOT NULL CHECK (status IN ('ACTIVE', 'USED', 'CANCELLED', 'CLEARED')),
        terminal_id        text NOT NULL,
        reserved_at        timestamptz NOT NULL,
        rule_set_id        text NOT NULL,
        rule_version       int NOT NULL,
        journey_id         uuid,
        cancelled_at       timestamptz,
        cancelled_station  text,
        cancelled_date     date,
        cleared_at         timestamptz,
        CHECK ((status = 'USED') = (journey_id IS NOT NULL)),
        CHECK ((status = 'CANCELLED') = (cancelled_at IS NOT NULL AND cancelled_station IS NOT NULL AND cancelled_date IS NOT NULL)),
        CHECK ((status = 'CLEARED') = (cleared_at IS NOT NULL))
      )`);
    // Seat occupancy: a commuter seat of a train on a day is held by one live slip.
    await q.query(`CREATE UNIQUE INDEX seat_slips_seat_taken ON transit.seat_slips (travel_date, train_no, car, seat) WHERE status IN ('ACTIVE', 'USED')`);
    await q.query(`CREATE INDEX seat_slips_card_active ON transit.seat_slips (card_no, departs_at) WHERE status = 'ACTIVE'`);
    await q.query(`CREATE INDEX seat_slips_cancellations ON transit.seat_slips (card_no, cancelled_date, cancelled_station) WHERE status = 'CANCELLED'`);

    await q.query(`
      CREATE TABLE transit.pending_exits (
        tap_id              text PRIMARY KEY,
        card_no             text NOT NULL,
        station             text NOT NULL,
        gate_id             text NOT NULL,
        tapped_at           timestamptz NOT NULL,
        recorded_at         timestamptz NOT NULL,
        matched_journey_id  uuid
      )`);
    await q.query(`CREATE INDEX pending_exits_card ON transit.pending_exits (card_no, tapped_at)`);

    // The rail operator's revenue: hot (every exit credits it), so spread over shards. The line is
    // run by the Beijing railway group, so its region is Beijing (11) for the clearing.
    const { sql, params } = openAccountsSql([{ code: RAIL_REVENUE_ACCOUNT, region: '11', kind: 'REVENUE', balanceRule: 'UNBOUNDED', shards: 16 }]);
    await q.query(sql, params);
    await createContextSchema(q, 'transit');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA transit CASCADE`);
  }
}
