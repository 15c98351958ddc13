import { LEDGER_SQL } from '@onecard/ledger';
import { grantSchemaToAppRole } from '@onecard/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The seat inventory (ADR 0008, ADR 0012): one row per seat of a train on a travel date, with its
 * class, taken by a reservation with `FOR UPDATE SKIP LOCKED` — reservations for one train no
 * longer queue behind a lock held across round trips, nor read every taken seat. A train-day's
 * seats of a class are written the first time someone asks for that class on it.
 */
export class SeatInventory1796010200000 implements MigrationInterface {
  name = 'SeatInventory1796010200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE transit.seats (
        travel_date     date     NOT NULL,
        train_no        text     NOT NULL,
        car             smallint NOT NULL CHECK (car >= 1),
        seat            text     NOT NULL,
        seat_class      text     NOT NULL CHECK (seat_class IN ('SECOND', 'FIRST')),
        reservation_id  text,
        PRIMARY KEY (travel_date, train_no, car, seat)
      )`);
    // The free seats of a train-day and class, in the order a machine hands them out.
    await q.query(`CREATE INDEX seats_free ON transit.seats (travel_date, train_no, seat_class, car, seat) WHERE reservation_id IS NULL`);
    await q.query(`CREATE UNIQUE INDEX seats_reservation ON transit.seats (reservation_id) WHERE reservation_id IS NOT NULL`);
    // Claims the first free seat of the class on the first candidate train that has one, for the
    // reservation (in the command's opening round trip: the seat is held from then on and released by
    // the command's own deferred write if it decides DENY). Seats taken by slips made before the
    // inventory existed are taken in it too.
    await q.query(`
      CREATE FUNCTION transit.claim_seat(p_reservation_id text, p_travel_date date, p_trains text[], p_class text,
                                         p_cars int[], p_rows int, p_letters text[])
      RETURNS TABLE (train_no text, car int, seat text)
      LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_generic_plan AS $$
      DECLARE
        v_train text;
        r record;
      BEGIN
        -- A claim is idempotent: a reservation that holds a seat keeps it (a retry, a batch run again).
        RETURN QUERY SELECT s.train_no, s.car::int, s.seat FROM transit.seats s WHERE s.reservation_id = p_reservation_id;
        IF FOUND THEN RETURN; END IF;
        -- A reservation journaled already is answered from the journal: it claims nothing.
        PERFORM 1 FROM ${LEDGER_SQL.records} j WHERE j.command_type = 'transit.seat-reservation' AND j.command_id = p_reservation_id;
        IF FOUND THEN RETURN; END IF;
        FOREACH v_train IN ARRAY p_trains LOOP
          IF NOT EXISTS (SELECT 1 FROM transit.seats s WHERE s.travel_date = p_travel_date AND s.train_no = v_train AND s.seat_class = p_class) THEN
            INSERT INTO transit.seats (travel_date, train_no, car, seat, seat_class, reservation_id)
            SELECT p_travel_date, v_train, c, lpad(rw::text, 2, '0') || l, p_class, t.reservation_id
            FROM unnest(p_cars) AS c, generate_series(1, p_rows) AS rw, unnest(p_letters) AS l
            LEFT JOIN LATERAL (
              SELECT x.reservation_id FROM transit.seat_slips x
              WHERE x.travel_date = p_travel_date AND x.train_no = v_train AND x.car = c AND x.seat = lpad(rw::text, 2, '0') || l
                AND x.status IN ('ACTIVE', 'USED')
            ) t ON true
            ON CONFLICT DO NOTHING;
          END IF;
          SELECT f.car, f.seat INTO r FROM transit.seats f
          WHERE f.travel_date = p_travel_date AND f.train_no = v_train AND f.seat_class = p_class AND f.reservation_id IS NULL
          ORDER BY f.car, f.seat LIMIT 1 FOR UPDATE SKIP LOCKED;
          IF FOUND THEN
            UPDATE transit.seats s SET reservation_id = p_reservation_id
            WHERE s.travel_date = p_travel_date AND s.train_no = v_train AND s.car = r.car AND s.seat = r.seat;
            train_no := v_train; car := r.car; seat := r.seat;
            RETURN NEXT;
            RETURN;
          END IF;
        END LOOP;
      END $$`);
    await grantSchemaToAppRole(q, 'transit');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION transit.claim_seat(text, date, text[], text, int[], int, text[])`);
    await q.query(`DROP TABLE transit.seats`);
  }
}
