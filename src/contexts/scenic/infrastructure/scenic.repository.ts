import { Injectable } from '@nestjs/common';
import { formatBusinessInstant, type BusinessDate, type Fen, type Region, type RuleRef } from '@onecard/kernel';
import { DataSource } from 'typeorm';
import type { FirstEntry, HeldPass } from '../domain/admission.rule.js';
import type { SpotConfig, SpotType } from '../domain/spot.js';

/** Anything that runs SQL: the DataSource, or a command's transaction (`CommandTx`). */
export interface Sql {
  query(sql: string, params?: unknown[]): Promise<any>;
}

export interface StoredSpot extends SpotConfig {
  version: number;
  updatedAt: Date;
}

/** What a tap reads in one round trip: the spot, the holder's first entry today, valid passes. */
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
   * The spot, the holder's first entry there on the day (through the unique first-entry index), and
   * the holder's passes valid that day: one round trip.
   */
  async tapView(spotId: string, visitDate: BusinessDate, holderId: string, sql: Sql): Promise<TapView> {
    const rows = await sql.query(
      `SELECT s.spot_id, s.region, s.spot_type, s.base_price_fen, s.daily_capacity, s.participation,
              v.visit_id AS first_visit_id, v.tapped_at AS first_tapped_at,
              (SELECT coalesce(json_agg(json_build_object('passId', p.pass_id, 'code', p.pass_code, 'validFrom', p.valid_from, 'validUntil', p.valid_until) ORDER BY p.pass_id), '[]'::json)
                 FROM scenic.annual_passes p WHERE p.holder_id = $3 AND p.valid_until >= $2 AND p.valid_from <= $2) AS passes
       FROM (SELECT $1::text AS spot_id) k
       LEFT JOIN scenic.spots s ON s.spot_id = k.spot_id
       LEFT JOIN scenic.visits v ON v.spot_id = k.spot_id AND v.visit_date = $2 AND v.holder_id = $3 AND v.entry_kind = 'ENTRY'`,
      [spotId, visitDate, holderId],
    );
    const r = rows[0];
    return {
      spot: r.spot_id ? toSpotConfig(r) : null,
      firstEntry: r.first_visit_id ? { visitId: r.first_visit_id, tappedAt: formatBusinessInstant(r.first_tapped_at) } : null,
      passes: r.passes as HeldPass[],
    };
  }

  /**
   * Takes a place of the day's capacity and records the entry, in one statement: the upsert only
   * counts while places are left (its row lock queues concurrent taps of the spot), and the visit
   * is inserted only if it did. Answers false when the day is full (nothing written).
   */
  async admitWithinCapacity(visit: NewVisit, capacity: number, sql: Sql): Promise<boolean> {
    const rows = await sql.query(
      `WITH place AS (
         INSERT INTO scenic.spot_days AS d (spot_id, visit_date, admitted) VALUES ($3, $4, 1)
         ON CONFLICT (spot_id, visit_date) DO UPDATE SET admitted = d.admitted + 1 WHERE d.admitted < $18
         RETURNING d.admitted
       )
       ${VISIT_INSERT} SELECT ${VISIT_VALUES} FROM place RETURNING visit_id`,
      [...visitParams(visit), capacity],
    );
    return rows.length === 1;
  }

  /** Records an entry that takes no place (a same-day re-entry). */
  async insertVisit(visit: NewVisit, sql: Sql): Promise<void> {
    await sql.query(`${VISIT_INSERT} VALUES (${VISIT_VALUES})`, visitParams(visit));
  }

  /** `validUntil` of the holder's passes of one code, under a per-(holder, code) transaction lock. */
  async lockHeldPasses(holderId: string, passCode: string, sql: Sql): Promise<BusinessDate[]> {
    await sql.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`scenic.pass:${holderId}:${passCode}`]);
    const rows = await sql.query(`SELECT valid_until FROM scenic.annual_passes WHERE holder_id = $1 AND pass_code = $2 ORDER BY valid_until`, [holderId, passCode]);
    return rows.map((r: { valid_until: string }) => r.valid_until);
  }

  async insertPass(p: NewPass, sql: Sql): Promise<void> {
    await sql.query(
      `INSERT INTO scenic.annual_passes (pass_id, holder_id, card_no, pass_code, sold_region, valid_from, valid_until, price_fen, purchased_at, terminal_id, actor, rule_set_id, rule_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [p.passId, p.holderId, p.cardNo, p.passCode, p.soldRegion, p.validFrom, p.validUntil, p.priceFen, p.purchasedAt, p.terminalId, p.actor, p.ruleSet.id, p.ruleSet.version],
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
  base_price_fen, price_fen, concession_kind, concession_code, pass_id, first_visit_id, rule_set_id, rule_version)`;
const VISIT_VALUES = `$1::uuid, $2, $3, $4::date, $5, $6, $7::uuid, $8, $9::timestamptz, $10::bigint, $11::bigint, $12, $13, $14, $15::uuid, $16, $17::int`;

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
