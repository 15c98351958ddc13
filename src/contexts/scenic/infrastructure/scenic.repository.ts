import { CARDS_SQL } from '@contexts/cards';
import { Injectable } from '@nestjs/common';
import { read, type CommandTx, type Read } from '@onecard/engine';
import { formatBusinessInstant, type BusinessDate, type Fen, type Region, type RuleRef } from '@onecard/kernel';
import { DataSource } from 'typeorm';
import type { FirstEntry, HeldPass } from '../domain/admission.rule.js';
import type { SpotConfig, SpotType } from '../domain/spot.js';

/** Anything that runs SQL: the DataSource, or a solo command's transaction (`CommandTx`). */
export interface Sql {
  query(sql: string, params?: unknown[]): Promise<any>;
}

export interface StoredSpot extends SpotConfig {
  version: number;
  updatedAt: Date;
}

/** What a tap reads of its holder: the spot, the holder's first entry today, valid passes. */
export interface TapView {
  spot: SpotConfig | null;
  firstEntry: FirstEntry | null;
  passes: HeldPass[];
}

export interface NewVisit {
  visitId: string;
  tapId: string;
  spotId: string;
  visitDate: BusinessDate;
  entryKind: 'ENTRY' | 'REENTRY';
  cardNo: string;
  holderId: string;
  terminalId: string;
  tappedAt: Date;
  basePriceFen: Fen;
  priceFen: Fen;
  concessionKind: string | null;
  concessionCode: string | null;
  passId: string | null;
  firstVisitId: string | null;
  ruleSet: RuleRef;
}

export interface NewPass {
  passId: string;
  holderId: string;
  cardNo: string;
  passCode: string;
  soldRegion: Region;
  validFrom: BusinessDate;
  validUntil: BusinessDate;
  priceFen: Fen;
  purchasedAt: Date;
  terminalId: string | null;
  actor: string | null;
  ruleSet: RuleRef;
}

export interface StoredPass {
  passId: string;
  cardNo: string;
  passCode: string;
  soldRegion: Region;
  validFrom: BusinessDate;
  validUntil: BusinessDate;
  priceFen: Fen;
  purchasedAt: Date;
}

const SPOT_COLUMNS = `spot_id, region, spot_type, base_price_fen, daily_capacity, participation, version, updated_at`;

/** Plain SQL over the scenic schema. */
@Injectable()
export class ScenicRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findSpot(spotId: string, sql: Sql = this.dataSource, opts: { lock?: boolean } = {}): Promise<StoredSpot | null> {
    const rows = await sql.query(`SELECT ${SPOT_COLUMNS} FROM scenic.spots WHERE spot_id = $1${opts.lock ? ' FOR UPDATE' : ''}`, [spotId]);
    return rows[0] ? toSpot(rows[0]) : null;
  }

  async listSpots(): Promise<StoredSpot[]> {
    const rows = await this.dataSource.query(`SELECT ${SPOT_COLUMNS} FROM scenic.spots ORDER BY spot_id`);
    return rows.map(toSpot);
  }

  async upsertSpot(spot: SpotConfig, version: number, at: Date, sql: Sql): Promise<void> {
    await sql.query(
      `INSERT INTO scenic.spots (spot_id, region, spot_type, base_price_fen, daily_capacity, participation, version, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (spot_id) DO UPDATE SET spot_type = EXCLUDED.spot_type, base_price_fen = EXCLUDED.base_price_fen,
         daily_capacity = EXCLUDED.daily_capacity, participation = EXCLUDED.participation, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at`,
      [spot.spotId, spot.region, spot.spotType, spot.basePriceFen, spot.dailyCapacity, spot.participation, version, at],
    );
  }

  /**
   * What a tap reads of the card's holder, as a declared read: the spot, the holder's first entry
   * there on the day (through the unique first-entry index) and the holder's passes valid that day.
   * The holder comes from `cards.card_facts` (CARDS_SQL); no card: no row, and no view.
   */
  tapStateRead(cardNo: string, spotId: string, visitDate: BusinessDate): Read<TapView | null> {
    return read(
      `SELECT s.spot_id, s.region, s.spot_type, s.base_price_fen, s.daily_capacity, s.participation,
              v.visit_id AS first_visit_id, v.tapped_at AS first_tapped_at,
              (SELECT coalesce(json_agg(json_build_object('passId', p.pass_id, 'code', p.pass_code, 'validFrom', p.valid_from, 'validUntil', p.valid_until) ORDER BY p.pass_id), '[]'::json)
                 FROM scenic.annual_passes p WHERE p.holder_id = f.holder_id AND p.valid_until >= $3::date AND p.valid_from <= $3::date) AS passes
       FROM ${CARDS_SQL.cardFacts}($1::text) f
       LEFT JOIN scenic.spots s ON s.spot_id = $2::text
       LEFT JOIN scenic.visits v ON v.spot_id = $2::text AND v.visit_date = $3::date AND v.holder_id = f.holder_id AND v.entry_kind = 'ENTRY'`,
      [cardNo, spotId, visitDate],
      ([r]): TapView | null =>
        r
          ? {
              spot: r.spot_id ? toSpotConfig(r) : null,
              firstEntry: r.first_visit_id ? { visitId: r.first_visit_id, tappedAt: formatBusinessInstant(r.first_tapped_at) } : null,
              passes: r.passes as HeldPass[],
            }
          : null,
    );
  }

  /**
   * The places taken at the spot on the day, the counter row locked until commit: concurrent taps
   * of the spot queue here, and the count read is the count the tap's place is added to. Null when
   * no place has been taken that day yet (nothing to lock: the first place inserts the row, and a
   * racing first place meets its primary key and is retried, finding the row then).
   */
  placesTakenRead(spotId: string, visitDate: BusinessDate): Read<number | null> {
    return read(`SELECT admitted FROM scenic.spot_days WHERE spot_id = $1::text AND visit_date = $2::date FOR UPDATE`, [spotId, visitDate], ([r]) =>
      r ? Number(r.admitted) : null,
    );
  }

  /**
   * Takes a place and records the entry, with the commit: the place is one more on the locked
   * counter (`placesTaken` as `placesTakenRead` answered it), or the day's first, which inserts the
   * counter row.
   */
  deferAdmission(tx: CommandTx, visit: NewVisit, placesTaken: number | null): void {
    if (placesTaken === null) {
      tx.defer(`INSERT INTO scenic.spot_days (spot_id, visit_date, admitted) VALUES ($1::text, $2::date, 1)`, [visit.spotId, visit.visitDate]);
    } else {
      tx.defer(`UPDATE scenic.spot_days SET admitted = admitted + 1 WHERE spot_id = $1::text AND visit_date = $2::date`, [visit.spotId, visit.visitDate]);
    }
    this.deferVisit(tx, visit);
  }

  /** Records an entry (one that takes no place: a same-day re-entry, or after `deferAdmission`'s place), with the commit. */
  deferVisit(tx: CommandTx, visit: NewVisit): void {
    tx.defer(VISIT_INSERT, visitParams(visit));
  }

  /**
   * Takes the holder's pass lock for one pass code until commit (a transaction-scoped advisory
   * lock on the card's holder): two sales of one pass to one person, whatever card they use, take
   * turns, and the passes read after it (`heldPassesRead`, a later statement) include the other's.
   */
  passHolderLockRead(cardNo: string, passCode: string): Read<void> {
    return read(
      `SELECT f.holder_id FROM ${CARDS_SQL.cardFacts}($1::text) f, pg_advisory_xact_lock(hashtextextended('scenic.pass:' || f.holder_id || ':' || $2::text, 0)) l`,
      [cardNo, passCode],
      () => undefined,
    );
  }

  /** `validUntil` of the card's holder's passes of one code (declared after `passHolderLockRead`). */
  heldPassesRead(cardNo: string, passCode: string): Read<BusinessDate[]> {
    return read(
      `SELECT p.valid_until FROM ${CARDS_SQL.cardFacts}($1::text) f JOIN scenic.annual_passes p ON p.holder_id = f.holder_id AND p.pass_code = $2::text
       ORDER BY p.valid_until`,
      [cardNo, passCode],
      (rows) => rows.map((r: { valid_until: string }) => r.valid_until),
    );
  }

  /** Records a sold pass, with the commit. */
  deferPass(tx: CommandTx, p: NewPass): void {
    tx.defer(
      `INSERT INTO scenic.annual_passes (pass_id, holder_id, card_no, pass_code, sold_region, valid_from, valid_until, price_fen, purchased_at, terminal_id, actor, rule_set_id, rule_version)
       VALUES ($1::text, $2::uuid, $3::text, $4::text, $5::text, $6::date, $7::date, $8::bigint, $9::timestamptz, $10::text, $11::text, $12::text, $13::int)`,
      [
        p.passId,
        p.holderId,
        p.cardNo,
        p.passCode,
        p.soldRegion,
        p.validFrom,
        p.validUntil,
        p.priceFen,
        p.purchasedAt,
        p.terminalId,
        p.actor,
        p.ruleSet.id,
        p.ruleSet.version,
      ],
    );
  }

  async passesOfHolder(holderId: string): Promise<StoredPass[]> {
    const rows = await this.dataSource.query(
      `SELECT pass_id, card_no, pass_code, sold_region, valid_from, valid_until, price_fen, purchased_at
       FROM scenic.annual_passes WHERE holder_id = $1 ORDER BY valid_until DESC, pass_id`,
      [holderId],
    );
    return rows.map((r: any) => ({
      passId: r.pass_id,
      cardNo: r.card_no,
      passCode: r.pass_code,
      soldRegion: r.sold_region,
      validFrom: r.valid_from,
      validUntil: r.valid_until,
      priceFen: r.price_fen,
      purchasedAt: r.purchased_at,
    }));
  }
}

const VISIT_INSERT = `INSERT INTO scenic.visits (visit_id, tap_id, spot_id, visit_date, entry_kind, card_no, holder_id, terminal_id, tapped_at,
  base_price_fen, price_fen, concession_kind, concession_code, pass_id, first_visit_id, rule_set_id, rule_version)
  VALUES ($1::uuid, $2::text, $3::text, $4::date, $5::text, $6::text, $7::uuid, $8::text, $9::timestamptz, $10::bigint, $11::bigint, $12::text, $13::text,
    $14::text, $15::uuid, $16::text, $17::int)`;

function visitParams(v: NewVisit): unknown[] {
  return [
    v.visitId,
    v.tapId,
    v.spotId,
    v.visitDate,
    v.entryKind,
    v.cardNo,
    v.holderId,
    v.terminalId,
    v.tappedAt,
    v.basePriceFen,
    v.priceFen,
    v.concessionKind,
    v.concessionCode,
    v.passId,
    v.firstVisitId,
    v.ruleSet.id,
    v.ruleSet.version,
  ];
}

function toSpotConfig(r: any): SpotConfig {
  return {
    spotId: r.spot_id,
    region: r.region,
    spotType: r.spot_type as SpotType,
    basePriceFen: r.base_price_fen,
    dailyCapacity: r.daily_capacity,
    participation: r.participation ?? [],
  };
}

function toSpot(r: any): StoredSpot {
  return { ...toSpotConfig(r), version: r.version, updatedAt: r.updated_at };
}
