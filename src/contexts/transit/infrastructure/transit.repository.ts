import { Injectable } from '@nestjs/common';
import type { BusinessDate, Fen, RuleRef } from '@onecard/kernel';
import { read, type Read } from '@onecard/engine';
import { DataSource } from 'typeorm';
import type { OpenJourneyFact, PendingExitFact, SlipFact } from '../domain/tap-facts.js';

/** Anything that runs SQL: the DataSource, or a command's transaction (`CommandTx`). */
export interface Sql {
  query(sql: string, params?: unknown[]): Promise<any>;
}

/** A command's transaction, for writes sent with its commit (`CommandTx.defer`). */
export interface DeferredWrites {
  defer(sql: string, params?: readonly unknown[]): void;
}

export interface TapInStateQuery {
  cardNo: string;
  gateId: string;
  tappedAt: Date;
  duplicateWindowMs: number;
  pendingWindowMs: number;
}

export interface TapInState {
  openJourney: OpenJourneyFact | null;
  previousTapAtGate: string | null;
  slips: SlipFact[];
  pendingExit: PendingExitFact | null;
}

export interface TapOutStateQuery {
  cardNo: string;
  gateId: string;
  tappedAt: Date;
  duplicateWindowMs: number;
}

export type SeatClass = 'SECOND' | 'FIRST';

/** A seat held for a reservation in the train-day's inventory. */
export interface ClaimedSeat {
  trainNo: string;
  car: number;
  seat: string;
}

export interface TapOutState {
  openJourney: OpenJourneyFact | null;
  previousTapAtGate: string | null;
}

const CLOSE_JOURNEY = `UPDATE transit.journeys SET status = $2::text, exit_station = $3::text, exit_gate = $4::text, exit_tap_id = $5::text,
         exit_at = $6::timestamptz, fare_fen = $7::bigint, charged_fen = $8::bigint, closed_by = $9::text, closed_command = $10::text, closed_date = $11::date
       WHERE journey_id = $1::uuid AND status = 'OPEN' RETURNING journey_id`;

const closeJourneyParams = (journeyId: string, c: JourneyClosing) => [
  journeyId,
  c.status,
  c.exitStation,
  c.exitGate,
  c.exitTapId,
  c.exitAt,
  c.fareFen,
  c.chargedFen,
  c.closedBy,
  c.closedCommand,
  c.closedDate,
];

const iso = (v: unknown): string => new Date(v as string).toISOString();
const isoOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : iso(v));

export interface NewJourney {
  journeyId: string;
  cardNo: string;
  entryStation: string;
  entryGate: string;
  entryTapId: string;
  entryAt: Date;
  entryDate: BusinessDate;
  ruleSet: RuleRef;
  /** Null when the rule version in force let the holder in without a seat slip. */
  reservationId: string | null;
  trainNo: string | null;
  terminus: string;
  requiredFen: Fen;
}

export interface JourneyClosing {
  status: 'CLOSED' | 'RESOLVED' | 'INCOMPLETE_CHARGED';
  exitStation: string;
  exitGate: string | null;
  exitTapId: string | null;
  exitAt: Date;
  fareFen: Fen;
  chargedFen: Fen;
  closedBy: 'TAP' | 'OPERATOR' | 'INCOMPLETE_CHARGE';
  closedCommand: string;
  closedDate: BusinessDate;
}

export interface JourneyRow {
  journeyId: string;
  cardNo: string;
  status: string;
  entryStation: string;
  entryAt: string;
  /** The terminus of the train entered for (entry required the fare to it). */
  terminus: string;
  ruleSet: RuleRef;
}

const JOURNEY_ROW_COLUMNS = `journey_id, card_no, status, entry_station, entry_at, terminus, rule_set_id, rule_version`;

function toJourneyRow(r: Record<string, any>): JourneyRow {
  return {
    journeyId: r.journey_id,
    cardNo: r.card_no,
    status: r.status,
    entryStation: r.entry_station,
    entryAt: iso(r.entry_at),
    terminus: r.terminus,
    ruleSet: { id: r.rule_set_id, version: r.rule_version },
  };
}

const SLIP_JSON = `json_build_object('reservationId', reservation_id, 'fromStation', from_station, 'toStation', to_station,
  'trainNo', train_no, 'terminus', terminus, 'departsAt', departs_at)`;

/**
 * Plain SQL over the transit schema. A tap's state is one declared read (sent with BEGIN, for the
 * whole batch); its changes are deferred writes sent with the commit: a tap costs the engine's two
 * round trips and nothing more. Every look-up is indexed.
 */
@Injectable()
export class TransitRepository {
  constructor(readonly dataSource: DataSource) {}

  /**
   * What an entry tap needs: the open journey, the nearest recorded entry at this gate within the
   * duplicate window, the live slips, and the earliest exit waiting for an entry after the tap.
   */
  tapInStateQuery(q: TapInStateQuery): Read<TapInState> {
    return read(
      `SELECT
         (SELECT json_build_object('journeyId', journey_id, 'entryStation', entry_station, 'entryAt', entry_at, 'ruleSetId', rule_set_id, 'ruleVersion', rule_version)
            FROM transit.journeys WHERE card_no = $1::text AND status = 'OPEN') AS open_journey,
         (SELECT entry_at FROM transit.journeys
            WHERE card_no = $1::text AND entry_gate = $2::text AND entry_at BETWEEN $3::timestamptz - $4::int * interval '1 millisecond' AND $3::timestamptz + $4::int * interval '1 millisecond'
            ORDER BY abs(extract(epoch FROM entry_at - $3::timestamptz)) LIMIT 1) AS previous_tap,
         (SELECT coalesce(json_agg(${SLIP_JSON} ORDER BY departs_at, reservation_id), '[]'::json)
            FROM transit.seat_slips WHERE card_no = $1::text AND status = 'ACTIVE') AS slips,
         (SELECT json_build_object('tapId', tap_id, 'station', station, 'gateId', gate_id, 'tappedAt', tapped_at)
            FROM transit.pending_exits
            WHERE card_no = $1::text AND matched_journey_id IS NULL AND tapped_at > $3::timestamptz AND tapped_at <= $3::timestamptz + $5::int * interval '1 millisecond'
            ORDER BY tapped_at, tap_id LIMIT 1) AS pending_exit`,
      [q.cardNo, q.gateId, q.tappedAt, q.duplicateWindowMs, q.pendingWindowMs],
      ([row]) => ({
        openJourney: toOpenJourney(row.open_journey),
        previousTapAtGate: isoOrNull(row.previous_tap),
        slips: toSlips(row.slips),
        pendingExit: row.pending_exit ? ({ ...row.pending_exit, tappedAt: iso(row.pending_exit.tappedAt) } as PendingExitFact) : null,
      }),
    );
  }

  /** What an exit tap needs: the open journey and the nearest recorded exit (or waiting exit) at this gate. */
  tapOutStateQuery(q: TapOutStateQuery): Read<TapOutState> {
    return read(
      `SELECT
         (SELECT json_build_object('journeyId', journey_id, 'entryStation', entry_station, 'entryAt', entry_at, 'ruleSetId', rule_set_id, 'ruleVersion', rule_version)
            FROM transit.journeys WHERE card_no = $1::text AND status = 'OPEN') AS open_journey,
         (SELECT t FROM (
            SELECT exit_at AS t FROM transit.journeys WHERE card_no = $1::text AND exit_gate = $2::text
              AND exit_at BETWEEN $3::timestamptz - $4::int * interval '1 millisecond' AND $3::timestamptz + $4::int * interval '1 millisecond'
            UNION ALL
            SELECT tapped_at FROM transit.pending_exits WHERE card_no = $1::text AND gate_id = $2::text
              AND tapped_at BETWEEN $3::timestamptz - $4::int * interval '1 millisecond' AND $3::timestamptz + $4::int * interval '1 millisecond'
          ) x ORDER BY abs(extract(epoch FROM t - $3::timestamptz)) LIMIT 1) AS previous_tap`,
      [q.cardNo, q.gateId, q.tappedAt, q.duplicateWindowMs],
      ([row]) => ({ openJourney: toOpenJourney(row.open_journey), previousTapAtGate: isoOrNull(row.previous_tap) }),
    );
  }

  /**
   * Opens a journey and uses its slip; with `closing`, closes it at once (an exit uploaded before
   * its entry) and marks that exit matched. One statement, sent with the commit.
   */
  openJourney(tx: DeferredWrites, j: NewJourney, closing: (JourneyClosing & { pendingExitTapId: string }) | null): void {
    const c = closing;
    tx.defer(
      `INSERT INTO transit.journeys (journey_id, card_no, status, entry_station, entry_gate, entry_tap_id, entry_at, entry_date, rule_set_id, rule_version,
         reservation_id, train_no, terminus, required_fen, exit_station, exit_gate, exit_tap_id, exit_at, fare_fen, charged_fen, closed_by, closed_command, closed_date)
       VALUES ($1::uuid, $2::text, $3::text, $4::text, $5::text, $6::text, $7::timestamptz, $8::date, $9::text, $10::int, $11::text, $12::text, $13::text, $14::bigint,
         $15::text, $16::text, $17::text, $18::timestamptz, $19::bigint, $20::bigint, $21::text, $22::text, $23::date)`,
      [
        j.journeyId,
        j.cardNo,
        c ? c.status : 'OPEN',
        j.entryStation,
        j.entryGate,
        j.entryTapId,
        j.entryAt,
        j.entryDate,
        j.ruleSet.id,
        j.ruleSet.version,
        j.reservationId,
        j.trainNo,
        j.terminus,
        j.requiredFen,
        c?.exitStation ?? null,
        c?.exitGate ?? null,
        c?.exitTapId ?? null,
        c?.exitAt ?? null,
        c?.fareFen ?? null,
        c?.chargedFen ?? null,
        c?.closedBy ?? null,
        c?.closedCommand ?? null,
        c?.closedDate ?? null,
      ],
    );
    if (j.reservationId) {
      tx.defer(`UPDATE transit.seat_slips SET status = 'USED', journey_id = $1::uuid WHERE reservation_id = $2::text AND status = 'ACTIVE'`, [
        j.journeyId,
        j.reservationId,
      ]);
    }
    if (c) {
      tx.defer(`UPDATE transit.pending_exits SET matched_journey_id = $1::uuid WHERE tap_id = $2::text AND matched_journey_id IS NULL`, [
        j.journeyId,
        c.pendingExitTapId,
      ]);
    }
  }

  /** Closes an open journey; answers false if it was no longer open. */
  async closeJourney(sql: Sql, journeyId: string, c: JourneyClosing): Promise<boolean> {
    const rows = await sql.query(CLOSE_JOURNEY, closeJourneyParams(journeyId, c));
    return rows.length === 1;
  }

  /** Closes the journey with the commit (an exit tap: its wallet lock keeps the journey open until then). */
  deferCloseJourney(tx: DeferredWrites, journeyId: string, c: JourneyClosing): void {
    tx.defer(CLOSE_JOURNEY, closeJourneyParams(journeyId, c));
  }

  /** Keeps an exit that found no open journey, to close its journey when the entry is uploaded. Sent with the commit. */
  recordPendingExit(tx: DeferredWrites, e: { tapId: string; cardNo: string; station: string; gateId: string; tappedAt: Date; recordedAt: Date }): void {
    tx.defer(
      `INSERT INTO transit.pending_exits (tap_id, card_no, station, gate_id, tapped_at, recorded_at)
       VALUES ($1::text, $2::text, $3::text, $4::text, $5::timestamptz, $6::timestamptz) ON CONFLICT (tap_id) DO NOTHING`,
      [e.tapId, e.cardNo, e.station, e.gateId, e.tappedAt, e.recordedAt],
    );
  }

  async findJourney(sql: Sql, journeyId: string, opts: { lock?: boolean } = {}): Promise<JourneyRow | null> {
    const rows = await sql.query(`SELECT ${JOURNEY_ROW_COLUMNS} FROM transit.journeys WHERE journey_id = $1${opts.lock ? ' FOR UPDATE' : ''}`, [journeyId]);
    return rows[0] ? toJourneyRow(rows[0]) : null;
  }

  /** Open journeys entered before `enteredBefore`, oldest first, a page at a time (the missing tap-out job). */
  async openJourneysEnteredBefore(enteredBefore: Date, after: { entryAt: Date; journeyId: string } | null, limit: number): Promise<JourneyRow[]> {
    const rows = await this.dataSource.query(
      `SELECT ${JOURNEY_ROW_COLUMNS} FROM transit.journeys
       WHERE status = 'OPEN' AND entry_at < $1 AND ($2::timestamptz IS NULL OR (entry_at, journey_id) > ($2::timestamptz, $3::uuid))
       ORDER BY entry_at, journey_id LIMIT $4`,
      [enteredBefore, after?.entryAt ?? null, after?.journeyId ?? null, limit],
    );
    return rows.map(toJourneyRow);
  }

  // --- seat slips ---

  async liveSlips(sql: Sql, cardNo: string): Promise<SlipFact[]> {
    const [row] = await sql.query(
      `SELECT coalesce(json_agg(${SLIP_JSON} ORDER BY departs_at, reservation_id), '[]'::json) AS slips FROM transit.seat_slips WHERE card_no = $1 AND status = 'ACTIVE'`,
      [cardNo],
    );
    return toSlips(row.slips);
  }

  /** The card's live slips, as a declared read. */
  liveSlipsRead(cardNo: string): Read<SlipFact[]> {
    return read(
      `SELECT coalesce(json_agg(${SLIP_JSON} ORDER BY departs_at, reservation_id), '[]'::json) AS slips FROM transit.seat_slips WHERE card_no = $1::text AND status = 'ACTIVE'`,
      [cardNo],
      ([row]) => toSlips(row?.slips ?? []),
    );
  }

  /**
   * A seat of the class claimed for the reservation, as a declared read (`transit.claim_seat`): the
   * first free seat, in car and seat order, of the first train in `trainNos` that has one, taken
   * with `FOR UPDATE SKIP LOCKED` and held for the reservation. Null when every candidate is full.
   * A reservation that already holds a seat gets it again; one already journaled claims nothing.
   */
  claimSeatRead(q: {
    reservationId: string;
    travelDate: BusinessDate;
    trainNos: readonly string[];
    seatClass: SeatClass;
    layout: { cars: readonly number[]; rowsPerCar: number; seatLetters: readonly string[] };
  }): Read<ClaimedSeat | null> {
    return read(
      `SELECT train_no, car, seat FROM transit.claim_seat($1::text, $2::date, $3::text[], $4::text, $5::int[], $6::int, $7::text[])`,
      [q.reservationId, q.travelDate, [...q.trainNos], q.seatClass, [...q.layout.cars], q.layout.rowsPerCar, [...q.layout.seatLetters]],
      ([r]) => (r ? { trainNo: r.train_no, car: Number(r.car), seat: r.seat } : null),
    );
  }

  /** Gives back the seat a reservation holds (a DENY, a cancellation), with the commit. */
  releaseSeat(tx: DeferredWrites, reservationId: string): void {
    tx.defer(`UPDATE transit.seats SET reservation_id = NULL WHERE reservation_id = $1::text`, [reservationId]);
  }

  /** The slip of a claimed seat, with the commit. */
  insertSlip(
    tx: DeferredWrites,
    s: {
      reservationId: string;
      cardNo: string;
      travelDate: BusinessDate;
      trainNo: string;
      fromStation: string;
      toStation: string;
      terminus: string;
      departsAt: Date;
      car: number;
      seat: string;
      terminalId: string;
      reservedAt: Date;
      ruleSet: RuleRef;
    },
  ): void {
    tx.defer(
      `INSERT INTO transit.seat_slips (reservation_id, card_no, travel_date, train_no, from_station, to_station, terminus, departs_at, car, seat, status, terminal_id,
         reserved_at, rule_set_id, rule_version)
       VALUES ($1::text, $2::text, $3::date, $4::text, $5::text, $6::text, $7::text, $8::timestamptz, $9::int, $10::text, 'ACTIVE', $11::text, $12::timestamptz,
         $13::text, $14::int)`,
      [
        s.reservationId,
        s.cardNo,
        s.travelDate,
        s.trainNo,
        s.fromStation,
        s.toStation,
        s.terminus,
        s.departsAt,
        s.car,
        s.seat,
        s.terminalId,
        s.reservedAt,
        s.ruleSet.id,
        s.ruleSet.version,
      ],
    );
  }

  async findSlip(sql: Sql, reservationId: string): Promise<{ cardNo: string; fromStation: string; status: string; departsAt: string } | null> {
    const rows = await sql.query(`SELECT card_no, from_station, status, departs_at FROM transit.seat_slips WHERE reservation_id = $1 FOR UPDATE`, [
      reservationId,
    ]);
    const r = rows[0];
    return r ? { cardNo: r.card_no, fromStation: r.from_station, status: r.status, departsAt: iso(r.departs_at) } : null;
  }

  async cancellationsOn(sql: Sql, cardNo: string, station: string, date: BusinessDate): Promise<number> {
    const [row] = await sql.query(
      `SELECT count(*)::int AS n FROM transit.seat_slips WHERE card_no = $1 AND status = 'CANCELLED' AND cancelled_date = $2 AND cancelled_station = $3`,
      [cardNo, date, station],
    );
    return row.n;
  }

  async cancelSlip(sql: Sql, reservationId: string, at: Date, station: string, date: BusinessDate): Promise<void> {
    await sql.query(
      `UPDATE transit.seat_slips SET status = 'CANCELLED', cancelled_at = $2, cancelled_station = $3, cancelled_date = $4 WHERE reservation_id = $1 AND status = 'ACTIVE'`,
      [reservationId, at, station, date],
    );
  }

  /** Clears the card's unused slips (train gone, never used); answers their ids. */
  async clearUnusedSlips(sql: Sql, cardNo: string, at: Date): Promise<string[]> {
    const rows = await sql.query(
      `UPDATE transit.seat_slips SET status = 'CLEARED', cleared_at = $2 WHERE card_no = $1 AND status = 'ACTIVE' AND departs_at < $2 RETURNING reservation_id`,
      [cardNo, at],
    );
    return rows.map((r: { reservation_id: string }) => r.reservation_id).sort();
  }
}

function toOpenJourney(v: any): OpenJourneyFact | null {
  return v ? { journeyId: v.journeyId, entryStation: v.entryStation, entryAt: iso(v.entryAt), ruleSet: { id: v.ruleSetId, version: v.ruleVersion } } : null;
}

function toSlips(v: any[]): SlipFact[] {
  return v.map((s) => ({ ...s, departsAt: iso(s.departsAt) }));
}
