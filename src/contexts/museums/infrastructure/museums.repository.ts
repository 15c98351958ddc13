import { CARDS_SQL } from '@contexts/cards';
import { Injectable } from '@nestjs/common';
import { read, type CommandTx, type Read } from '@onecard/engine';
import type { BusinessDate, Region, RuleRef } from '@onecard/kernel';
import { DataSource } from 'typeorm';
import type { DayReservation, ReservationStatus } from '../domain/admission.rule.js';

/** Anything that runs SQL: the DataSource, or a solo command's transaction (`CommandTx`). */
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
   * Takes the card's holder's booking lock at the museum until commit (a transaction-scoped
   * advisory lock): bookings of one person at one museum, whatever card they use, take turns, and
   * the bookings read after it (`holderBookingsRead`, a later statement) include the other's.
   */
  holderLockRead(cardNo: string, museumId: string): Read<void> {
    return read(
      `SELECT f.holder_id FROM ${CARDS_SQL.cardFacts}($1::text) f, pg_advisory_xact_lock(hashtextextended('museums.holder:' || f.holder_id || ':' || $2::text, 0)) l`,
      [cardNo, museumId],
      () => undefined,
    );
  }

  /** The card's holder's live reservations at the museum on the date and in its month, and all counted no-shows. */
  holderBookingsRead(
    cardNo: string,
    museumId: string,
    date: BusinessDate,
    month: { first: BusinessDate; last: BusinessDate },
    slotStart: string,
  ): Read<HolderBookings> {
    return read(
      `SELECT count(*) FILTER (WHERE r.visit_date = $3::date AND r.status <> 'CANCELLED')::int AS on_date,
              count(*) FILTER (WHERE r.visit_date BETWEEN $4::date AND $5::date AND r.status <> 'CANCELLED')::int AS in_month,
              coalesce(bool_or(r.visit_date = $3::date AND r.slot_start = $6::text AND r.status <> 'CANCELLED'), false) AS same_slot,
              coalesce(array_agg(r.visit_date::text ORDER BY r.visit_date) FILTER (WHERE r.status = 'NO_SHOW'), '{}') AS no_shows
       FROM ${CARDS_SQL.cardFacts}($1::text) f JOIN museums.reservations r ON r.holder_id = f.holder_id AND r.museum_id = $2::text`,
      [cardNo, museumId, date, month.first, month.last, slotStart],
      ([r]): HolderBookings => ({ onDate: r.on_date, inMonth: r.in_month, sameSlot: r.same_slot, noShowDates: r.no_shows }),
    );
  }

  /**
   * The seats booked of a slot, the counter row locked until commit: concurrent bookings of the
   * slot queue here, and the count read is the count the booking's seat is added to. Null when no
   * seat has been booked yet (the first seat inserts the row; a racing first seat meets its primary
   * key and is retried, finding the row then).
   */
  seatsBookedRead(museumId: string, date: BusinessDate, slotStart: string): Read<number | null> {
    return read(
      `SELECT booked FROM museums.slot_seats WHERE museum_id = $1::text AND visit_date = $2::date AND slot_start = $3::text FOR UPDATE`,
      [museumId, date, slotStart],
      ([r]) => (r ? Number(r.booked) : null),
    );
  }

  /** Takes a seat (one more on the locked counter, or the slot's first) and records the reservation, with the commit. */
  deferReservation(tx: CommandTx, r: NewReservation, seatsBooked: number | null): void {
    const slot = [r.museumId, r.visitDate, r.slotStart];
    if (seatsBooked === null) {
      tx.defer(`INSERT INTO museums.slot_seats (museum_id, visit_date, slot_start, booked) VALUES ($1::text, $2::date, $3::text, 1)`, slot);
    } else {
      tx.defer(`UPDATE museums.slot_seats SET booked = booked + 1 WHERE museum_id = $1::text AND visit_date = $2::date AND slot_start = $3::text`, slot);
    }
    tx.defer(
      `INSERT INTO museums.reservations (reservation_id, museum_id, card_no, holder_id, visit_date, slot_start, slot_end, slot_ends_at, status, booked_at, booked_via, rule_set_id, rule_version)
       VALUES ($1::text, $2::text, $3::text, $4::uuid, $5::date, $6::text, $7::text, $8::timestamptz, 'BOOKED', $9::timestamptz, $10::text, $11::text, $12::int)`,
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
        r.ruleSet.version,
      ],
    );
  }

  /** Where a reservation is (its museum and slot never change), for a cancellation's checks and keys before it runs. */
  async findReservationPlace(reservationId: string): Promise<Pick<StoredReservation, 'museumId' | 'visitDate' | 'slotStart'> | null> {
    const rows = await this.dataSource.query(`SELECT museum_id, visit_date, slot_start FROM museums.reservations WHERE reservation_id = $1`, [reservationId]);
    return rows[0] ? { museumId: rows[0].museum_id, visitDate: rows[0].visit_date, slotStart: rows[0].slot_start } : null;
  }

  /** A reservation, its row locked until commit, with the holder of a card (null if no such card), as a declared read. */
  reservationForCardRead(reservationId: string, cardNo: string): Read<{ reservation: StoredReservation; cardHolderId: string | null } | null> {
    return read(
      `SELECT r.reservation_id, r.museum_id, r.card_no, r.holder_id, r.visit_date, r.slot_start, r.slot_end, r.slot_ends_at, r.status,
              (SELECT f.holder_id FROM ${CARDS_SQL.cardFacts}($2::text) f) AS card_holder_id
       FROM museums.reservations r WHERE r.reservation_id = $1::text FOR UPDATE OF r`,
      [reservationId, cardNo],
      ([r]) => (r ? { reservation: toReservation(r), cardHolderId: r.card_holder_id ?? null } : null),
    );
  }

  /**
   * Cancels a reservation and gives its seat back, with the commit. The row was locked by the
   * command's read, so it is BOOKED as the decision saw it, unless a batch-mate (a gate tap on the
   * holder's other card) changed it in this very transaction: then the reservation's life-cycle
   * CHECK fails the batch, whose commands run again one at a time on the row lock.
   */
  deferCancel(tx: CommandTx, reservationId: string, at: Date): void {
    tx.defer(
      `WITH c AS (UPDATE museums.reservations SET status = 'CANCELLED', cancelled_at = $2::timestamptz WHERE reservation_id = $1::text RETURNING museum_id, visit_date, slot_start)
       UPDATE museums.slot_seats s SET booked = s.booked - 1 FROM c WHERE s.museum_id = c.museum_id AND s.visit_date = c.visit_date AND s.slot_start = c.slot_start`,
      [reservationId, at],
    );
  }

  /**
   * The card's holder's reservations at the museum on the day (not cancelled), locked until commit
   * for the gate's decision: two taps never use one reservation, and a cancellation waits.
   */
  dayReservationsRead(cardNo: string, museumId: string, date: BusinessDate): Read<DayReservation[]> {
    return read(
      `SELECT r.reservation_id, r.slot_start, r.slot_end, r.status
       FROM ${CARDS_SQL.cardFacts}($1::text) f JOIN museums.reservations r ON r.holder_id = f.holder_id
       WHERE r.museum_id = $2::text AND r.visit_date = $3::date AND r.status <> 'CANCELLED'
       ORDER BY r.slot_start FOR UPDATE OF r`,
      [cardNo, museumId, date],
      (rows) => rows.map((r: any) => ({ reservationId: r.reservation_id, slotStart: r.slot_start, slotEnd: r.slot_end, status: r.status })),
    );
  }

  /** Marks a reservation used by a gate tap, with the commit (the row locked by `dayReservationsRead`; see `deferCancel`). */
  deferAdmit(tx: CommandTx, reservationId: string, tapId: string, at: Date): void {
    tx.defer(`UPDATE museums.reservations SET status = 'ADMITTED', admitted_at = $2::timestamptz, admitted_tap_id = $3::text WHERE reservation_id = $1::text`, [
      reservationId,
      at,
      tapId,
    ]);
  }

  async findReservation(reservationId: string, sql: Sql, opts: { lock?: boolean } = {}): Promise<StoredReservation | null> {
    const rows = await sql.query(`SELECT ${RESERVATION_COLUMNS} FROM museums.reservations WHERE reservation_id = $1${opts.lock ? ' FOR UPDATE' : ''}`, [
      reservationId,
    ]);
    return rows[0] ? toReservation(rows[0]) : null;
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
