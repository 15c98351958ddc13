import { Injectable } from '@nestjs/common';
import { formatBusinessInstant, type BusinessDate, type Fen, type Region, type RuleRef } from '@onecard/kernel';
import { read, type CommandTx, type Read } from '@onecard/engine';
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
   * What a tap reads, as one statement declared to the executor (it travels with BEGIN): the card
   * as the cards context's own query `card` answers it (`CardsFacade.findCardQuery`), and for its
   * holder the spot, the holder's first entry there on the day (through the unique first-entry
   * index) and the holder's passes valid that day. The cards query is wrapped, not rewritten: the
   * scenic part only joins on the `holder_id` column it answers, so the holder's scenic state comes
   * in the same round trip as the card. No card: no row, and `view` is null.
   */
  tapStateQuery<C>(card: Prefetch<C>, spotId: string, visitDate: BusinessDate): Prefetch<{ card: C; view: TapView | null }> {
    const n = card.params.length;
    const [spot, date] = [`$${n + 1}`, `$${n + 2}`];
    return prefetch(
      `WITH card AS (${card.sql})
       SELECT card.*,
              s.spot_id AS scenic_spot_id, s.region AS scenic_region, s.spot_type AS scenic_spot_type, s.base_price_fen AS scenic_base_price_fen,
              s.daily_capacity AS scenic_daily_capacity, s.participation AS scenic_participation,
              v.visit_id AS scenic_first_visit_id, v.tapped_at AS scenic_first_tapped_at,
              (SELECT coalesce(json_agg(json_build_object('passId', p.pass_id, 'code', p.pass_code, 'validFrom', p.valid_from, 'validUntil', p.valid_until) ORDER BY p.pass_id), '[]'::json)
                 FROM scenic.annual_passes p WHERE p.holder_id = card.holder_id AND p.valid_until >= ${date}::date AND p.valid_from <= ${date}::date) AS scenic_passes
       FROM card
       LEFT JOIN scenic.spots s ON s.spot_id = ${spot}::text
       LEFT JOIN scenic.visits v ON v.spot_id = ${spot}::text AND v.visit_date = ${date}::date AND v.holder_id = card.holder_id AND v.entry_kind = 'ENTRY'`,
      [...card.params, spotId, visitDate],
      (rows) => {
        const r = rows[0];
        if (r && r.holder_id === undefined) throw new Error('the card query answers no holder_id column');
        return {
          card: card.map(rows),
          view: r
            ? {
                spot: r.scenic_spot_id
                  ? toSpotConfig({
                      spot_id: r.scenic_spot_id,
                      region: r.scenic_region,
                      spot_type: r.scenic_spot_type,
                      base_price_fen: r.scenic_base_price_fen,
                      daily_capacity: r.scenic_daily_capacity,
                      participation: r.scenic_participation,
                    })
                  : null,
                firstEntry: r.scenic_first_visit_id ? { visitId: r.scenic_first_visit_id, tappedAt: formatBusinessInstant(r.scenic_first_tapped_at) } : null,
                passes: r.scenic_passes as HeldPass[],
              }
            : null,
        };
      },
    );
  }

  /**
   * The places taken at the spot on the day, the counter row locked until commit (declared to the
   * executor, so the lock comes with BEGIN): concurrent taps of the spot queue here, and the count
   * read is the count the tap's place is added to. Null when no place has been taken that day yet
   * (nothing to lock: the first place inserts the row, and a racing first place meets its primary
   * key and is retried, finding the row then).
   */
  placesTakenQuery(spotId: string, visitDate: BusinessDate): Prefetch<number | null> {
    return prefetch(`SELECT admitted FROM scenic.spot_days WHERE spot_id = $1::text AND visit_date = $2::date FOR UPDATE`, [spotId, visitDate], (rows) =>
      rows[0] ? Number(rows[0].admitted) : null,
    );
  }

  /**
   * Takes a place and records the entry, sent with the commit (`tx.defer`): the place is one more
   * on the locked counter (`placesTaken` as read by `placesTakenQuery`), or the day's first, which
   * inserts the counter row. The visit is inserted only with its place.
   */
  deferAdmission(tx: CommandTx, visit: NewVisit, placesTaken: number | null): void {
    const place =
      placesTaken === null
        ? `INSERT INTO scenic.spot_days (spot_id, visit_date, admitted) VALUES ($3, $4::date, 1) RETURNING admitted`
        : `UPDATE scenic.spot_days SET admitted = admitted + 1 WHERE spot_id = $3 AND visit_date = $4::date RETURNING admitted`;
    tx.defer(`WITH place AS (${place}) ${VISIT_INSERT} SELECT ${VISIT_VALUES} FROM place`, visitParams(visit));
  }

  /** Records an entry that takes no place (a same-day re-entry), sent with the commit. */
  deferVisit(tx: CommandTx, visit: NewVisit): void {
    tx.defer(`${VISIT_INSERT} VALUES (${VISIT_VALUES})`, visitParams(visit));
  }

  /** `validUntil` of the holder's passes of one code, under a per-(holder, code) transaction lock. */
  async lockHeldPasses(holderId: string, passCode: string, sql: Sql): Promise<BusinessDate[]> {
    await sql.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`scenic.pass:${holderId}:${passCode}`]);
    const rows = await sql.query(`SELECT valid_until FROM scenic.annual_passes WHERE holder_id = $1 AND pass_code = $2 ORDER BY valid_until`, [
      holderId,
      passCode,
    ]);
    return rows.map((r: { valid_until: string }) => r.valid_until);
  }

  async insertPass(p: NewPass, sql: Sql): Promise<void> {
    await sql.query(
      `INSERT INTO scenic.annual_passes (pass_id, holder_id, card_no, pass_code, sold_region, valid_from, valid_until, price_fen, purchased_at, terminal_id, actor, rule_set_id, rule_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
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
