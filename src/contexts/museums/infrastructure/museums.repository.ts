import { Injectable } from '@nestjs/common';
import type { BusinessDate, Region, RuleRef } from '@onecard/kernel';
import { DataSource } from 'typeorm';
import type { DayReservation, ReservationStatus } from '../domain/admission.rule.js';

/** Anything that runs SQL: the DataSource, or a command's transaction (`CommandTx`). */
export interface Sql {
  query(sql: string, params?: unknown[]): Promise<any>;
}

export interface StoredMuseum {
  museumId: string;
  region: Region;
  slotQuota: number;
  version: number;
  updatedAt: Date;
}

export interface HolderBookings {
  onDate: number;
  inMonth: number;
  sameSlot: boolean;
  noShowDates: BusinessDate[];
}

export interface NewReservation {
  reservationId: string;
  museumId: string;
  cardNo: string;
  holderId: string;
  visitDate: BusinessDate;
  slotStart: string;
  slotEnd: string;
  slotEndsAt: Date;
  bookedAt: Date;
  bookedVia: string;
  ruleSet: RuleRef;
}

export interface StoredReservation {
  reservationId: string;
  museumId: string;
  cardNo: string;
  holderId: string;
  visitDate: BusinessDate;
  slotStart: string;
  slotEnd: string;
  slotEndsAt: Date;
  status: ReservationStatus;
}

const MUSEUM_COLUMNS = 'museum_id, region, slot_quota, version, updated_at';
const RESERVATION_COLUMNS = 'reservation_id, museum_id, card_no, holder_id, visit_date, slot_start, slot_end, slot_ends_at, status';

/** Plain SQL over the museums schema. */
@Injectable()
export class MuseumsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findMuseum(museumId: string, sql: Sql = this.dataSource, opts: { lock?: boolean } = {}): Promise<StoredMuseum | null> {
    const rows = await sql.query(`SELECT ${MUSEUM_COLUMNS} FROM museums.museums WHERE museum_id = $1${opts.lock ? ' FOR UPDATE' : ''}`, [museumId]);
    return rows[0] ? toMuseum(rows[0]) : null;
  }

  async listMuseums(): Promise<StoredMuseum[]> {
    return (await this.dataSource.query(`SELECT ${MUSEUM_COLUMNS} FROM museums.museums ORDER BY museum_id`)).map(toMuseum);
  }

  async upsertMuseum(m: { museumId: string; region: Region; slotQuota: number }, version: number, at: Date, sql: Sql): Promise<void> {
    await sql.query(
      `INSERT INTO museums.museums (museum_id, region, slot_quota, version, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (museum_id) DO UPDATE SET slot_quota = EXCLUDED.slot_quota, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at`,
      [m.museumId, m.region, m.slotQuota, version, at],
    );
  }

  /**
   * Serialises the booking decisions of one holder at one museum until commit, so the per-day and
   * per-month limits hold against concurrent bookings (a transaction-scoped advisory lock).
   */
  async lockHolder(holderId: string, museumId: string, sql: Sql): Promise<void> {
    await sql.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`museums.holder:${holderId}:${museumId}`]);
  }

  /** The holder's live reservations at the museum on the date and in its month, and all counted no-shows. */
  async holderBookings(
    holderId: string,
    museumId: string,
    date: BusinessDate,
    month: { first: BusinessDate; last: BusinessDate },
    slotStart: string,
    sql: Sql,
  ): Promise<HolderBookings> {
    const rows = await sql.query(
      `SELECT count(*) FILTER (WHERE visit_date = $3 AND status <> 'CANCELLED')::int AS on_date,
              count(*) FILTER (WHERE visit_date BETWEEN $4 AND $5 AND status <> 'CANCELLED')::int AS in_month,
              coalesce(bool_or(visit_date = $3 AND slot_start = $6 AND status <> 'CANCELLED'), false) AS same_slot,
              coalesce(array_agg(visit_date::text ORDER BY visit_date) FILTER (WHERE status = 'NO_SHOW'), '{}') AS no_shows
       FROM museums.reservations WHERE holder_id = $1 AND museum_id = $2`,
      [holderId, museumId, date, month.first, month.last, slotStart],
    );
    const r = rows[0];
    return { onDate: r.on_date, inMonth: r.in_month, sameSlot: r.same_slot, noShowDates: r.no_shows };
  }

  /**
   * Takes a seat of the slot and records the reservation in one statement: the upsert counts only
   * while seats are left (its row lock queues concurrent bookings of the slot), and the reservation
   * is inserted only if it did. Answers false when the slot is full (nothing written).
   */
  async reserveWithinQuota(r: NewReservation, quota: number, sql: Sql): Promise<boolean> {
    const rows = await sql.query(
      `WITH seat AS (
         INSERT INTO museums.slot_seats AS s (museum_id, visit_date, slot_start, booked) VALUES ($2, $5::date, $6, 1)
         ON CONFLICT (museum_id, visit_date, slot_start) DO UPDATE SET booked = s.booked + 1 WHERE s.booked < $12
         RETURNING s.booked
       )
       INSERT INTO museums.reservations (reservation_id, museum_id, card_no, holder_id, visit_date, slot_start, slot_end, slot_ends_at, status, booked_at, booked_via, rule_set_id, rule_version)
       SELECT $1, $2, $3, $4::uuid, $5::date, $6, $7, $8::timestamptz, 'BOOKED', $9::timestamptz, $10, $11, $13::int FROM seat RETURNING reservation_id`,
      [
        r.reservationId,
        r.museumId,
        r.cardNo,
        r.holderId,
        r.visitDate,
        r.slotStart,
        r.slotEnd,
        r.slotEndsAt,
        r.bookedAt,
        r.bookedVia,
        r.ruleSet.id,
        quota,
        r.ruleSet.version,
      ],
    );
    return rows.length === 1;
  }

  async findReservation(reservationId: string, sql: Sql, opts: { lock?: boolean } = {}): Promise<StoredReservation | null> {
    const rows = await sql.query(`SELECT ${RESERVATION_COLUMNS} FROM museums.reservations WHERE reservation_id = $1${opts.lock ? ' FOR UPDATE' : ''}`, [
      reservationId,
    ]);
    return rows[0] ? toReservation(rows[0]) : null;
  }

  /** Cancels a booked reservation and gives its seat back. */
  async cancel(r: StoredReservation, at: Date, sql: Sql): Promise<void> {
    await sql.query(
      `WITH c AS (UPDATE museums.reservations SET status = 'CANCELLED', cancelled_at = $2 WHERE reservation_id = $1 AND status = 'BOOKED' RETURNING museum_id, visit_date, slot_start)
       UPDATE museums.slot_seats s SET booked = s.booked - 1 FROM c WHERE s.museum_id = c.museum_id AND s.visit_date = c.visit_date AND s.slot_start = c.slot_start`,
      [r.reservationId, at],
    );
  }

  /** The holder's reservations at the museum on the day (not cancelled), locked for the gate's decision. */
  async dayReservations(holderId: string, museumId: string, date: BusinessDate, sql: Sql): Promise<DayReservation[]> {
    const rows = await sql.query(
      `SELECT reservation_id, slot_start, slot_end, status FROM museums.reservations
       WHERE holder_id = $1 AND museum_id = $2 AND visit_date = $3 AND status <> 'CANCELLED'
       ORDER BY slot_start FOR UPDATE`,
      [holderId, museumId, date],
    );
    return rows.map((r: any) => ({ reservationId: r.reservation_id, slotStart: r.slot_start, slotEnd: r.slot_end, status: r.status }));
  }

  async admit(reservationId: string, tapId: string, at: Date, sql: Sql): Promise<void> {
    await sql.query(
      `UPDATE museums.reservations SET status = 'ADMITTED', admitted_at = $2, admitted_tap_id = $3 WHERE reservation_id = $1 AND status = 'BOOKED'`,
      [reservationId, at, tapId],
    );
  }

  /** Booked reservations whose slot ended by `asOf`, oldest first: the no-show job's work list. */
  async endedUnused(asOf: Date, limit: number): Promise<{ reservationId: string; slotEndsAt: Date }[]> {
    const rows = await this.dataSource.query(
      `SELECT reservation_id, slot_ends_at FROM museums.reservations WHERE status = 'BOOKED' AND slot_ends_at <= $1 ORDER BY slot_ends_at, reservation_id LIMIT $2`,
      [asOf, limit],
    );
    return rows.map((r: any) => ({ reservationId: r.reservation_id, slotEndsAt: r.slot_ends_at }));
  }

  /** Marks a reservation a no-show if it is still booked and its slot has ended by `asOf`. */
  async markNoShow(reservationId: string, asOf: Date, countedAt: Date, sql: Sql): Promise<StoredReservation | null> {
    const rows = await sql.query(
      `UPDATE museums.reservations SET status = 'NO_SHOW', no_show_counted_at = $3
       WHERE reservation_id = $1 AND status = 'BOOKED' AND slot_ends_at <= $2
       RETURNING ${RESERVATION_COLUMNS}`,
      [reservationId, asOf, countedAt],
    );
    return rows[0] ? toReservation(rows[0]) : null;
  }

  async noShowDates(holderId: string, museumId: string, sql: Sql): Promise<BusinessDate[]> {
    const rows = await sql.query(
      `SELECT visit_date FROM museums.reservations WHERE holder_id = $1 AND museum_id = $2 AND status = 'NO_SHOW' ORDER BY visit_date`,
      [holderId, museumId],
    );
    return rows.map((r: { visit_date: string }) => r.visit_date);
  }
}

function toMuseum(r: any): StoredMuseum {
  return { museumId: r.museum_id, region: r.region, slotQuota: r.slot_quota, version: r.version, updatedAt: r.updated_at };
}

function toReservation(r: any): StoredReservation {
  return {
    reservationId: r.reservation_id,
    museumId: r.museum_id,
    cardNo: r.card_no,
    holderId: r.holder_id,
    visitDate: r.visit_date,
    slotStart: r.slot_start,
    slotEnd: r.slot_end,
    slotEndsAt: r.slot_ends_at,
    status: r.status,
  };
}
