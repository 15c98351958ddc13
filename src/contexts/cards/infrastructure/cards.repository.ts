import { Injectable } from '@nestjs/common';
import type { Region } from '@onecard/kernel';
import { LEDGER_SQL } from '@onecard/ledger';
import { DataSource } from 'typeorm';
import type { CardAccountCodes, Scheme } from '../domain/card-accounts.js';
import { cardAccountCodes } from '../domain/card-accounts.js';
import { formatCardNo, identificationCode } from '../domain/card-number.js';
import type { CardGeneration } from '../domain/card-product.rule.js';
import type { CardStatus } from '../domain/card-status.js';

/** Anything that runs SQL: the DataSource, or a command's transaction (`CommandTx`). */
export interface Sql {
  query(sql: string, params?: unknown[]): Promise<any>;
}

export interface HolderRow {
  holderId: string;
  name: string;
  nationalIdMasked: string;
  birthDate: string;
  homeRegion: Region;
  scheme: Scheme;
  retiree: boolean;
}

export interface CardRow {
  cardNo: string;
  identificationCode: string;
  issuingRegion: Region;
  generation: CardGeneration;
  transitApp: boolean;
  status: CardStatus;
  statusVersion: number;
  replaces: string | null;
  /** The newest replacement card that is not cancelled, if any. */
  replacedBy: { cardNo: string; status: CardStatus } | null;
  issuedAt: Date;
  statusChangedAt: Date;
  holder: HolderRow;
  accounts: CardAccountCodes;
}

const CARD_SELECT = `
  SELECT c.card_no, c.identification_code, c.issuing_region, c.generation, c.transit_app, c.status, c.status_version,
         c.replaces, c.issued_at, c.status_changed_at,
         h.holder_id, h.name, h.national_id_masked, h.birth_date, h.home_region, h.scheme, h.retiree,
         r.card_no AS replaced_by, r.status AS replaced_by_status
  FROM cards.cards c
  JOIN cards.holders h ON h.holder_id = c.holder_id
  LEFT JOIN cards.cards r ON r.replaces = c.card_no AND r.status <> 'CANCELLED'`;

export interface NewCard {
  issuingRegion: Region;
  generation: CardGeneration;
  transitApp: boolean;
  status: CardStatus;
  replaces: string | null;
}

/** Plain SQL over the cards schema. */
@Injectable()
export class CardsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One indexed look-up (primary keys only): cheap enough for every tap. */
  /** The card look-up as one statement, for a command to declare to the executor (see `findCardQuery`). */
  findCardStatement(cardNo: string): { sql: string; params: unknown[]; map(rows: Record<string, any>[]): CardRow | null } {
    return { sql: `${CARD_SELECT} WHERE c.card_no = $1`, params: [cardNo], map: (rows) => (rows[0] ? toCard(rows[0]) : null) };
  }

  /**
   * A 医保码 used as one statement, for a command to declare (see `CardsFacade.consumeMedicalCodeQuery`):
   * marks the code used at `now` by `usedBy` if it is unused and unexpired, and answers the code as
   * the statement found it and, if it was used here, its card.
   */
  consumeCodeStatement(
    codeHash: string,
    now: Date,
    usedBy: string,
  ): { sql: string; params: unknown[]; map(rows: Record<string, any>[]): { code: { usedAt: Date | null; expiresAt: Date } | null; card: CardRow | null } } {
    return {
      sql: `WITH u AS (
              UPDATE cards.medical_codes SET used_at = $2, used_by = $3 WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING card_no
            ), k AS (${CARD_SELECT} WHERE c.card_no = (SELECT card_no FROM u))
            SELECT m.expires_at AS code_expires_at, m.used_at AS code_used_at, k.*
            FROM (SELECT 1) one LEFT JOIN cards.medical_codes m ON m.code_hash = $1 LEFT JOIN k ON true`,
      params: [codeHash, now, usedBy],
      map: ([r]) => ({
        code: r?.code_expires_at ? { usedAt: r.code_used_at, expiresAt: r.code_expires_at } : null,
        card: r?.card_no ? toCard(r) : null,
      }),
    };
  }

  async findCard(cardNo: string, sql: Sql = this.dataSource, opts: { lock?: boolean } = {}): Promise<CardRow | null> {
    const rows = await sql.query(`${CARD_SELECT} WHERE c.card_no = $1${opts.lock ? ' FOR UPDATE OF c' : ''}`, [cardNo]);
    return rows[0] ? toCard(rows[0]) : null;
  }

  async findCardsOfHolder(holderId: string, sql: Sql = this.dataSource): Promise<CardRow[]> {
    const rows = await sql.query(`${CARD_SELECT} WHERE c.holder_id = $1 ORDER BY c.issued_at, c.card_no`, [holderId]);
    return rows.map(toCard);
  }

  async findHolderIdByHash(nationalIdHash: string, sql: Sql = this.dataSource, opts: { lock?: boolean } = {}): Promise<string | null> {
    const rows = await sql.query(`SELECT holder_id FROM cards.holders WHERE national_id_hash = $1${opts.lock ? ' FOR UPDATE' : ''}`, [nationalIdHash]);
    return rows[0]?.holder_id ?? null;
  }

  /** How many of the holder's cards were cancelled: part of the natural key of an issuance. */
  async countCancelledCards(holderId: string): Promise<number> {
    const rows = await this.dataSource.query(`SELECT count(*)::int AS n FROM cards.cards WHERE holder_id = $1 AND status = 'CANCELLED'`, [holderId]);
    return rows[0].n;
  }

  /** How many cards were ever issued to replace this one (cancelled ones included). */
  async countReplacements(cardNo: string): Promise<number> {
    const rows = await this.dataSource.query(`SELECT count(*)::int AS n FROM cards.cards WHERE replaces = $1`, [cardNo]);
    return rows[0].n;
  }

  /** Creates the holder, or updates the holder's attributes; answers the holder id. */
  async upsertHolder(
    h: {
      holderId: string;
      name: string;
      nationalIdHash: string;
      nationalIdMasked: string;
      birthDate: string;
      homeRegion: Region;
      scheme: Scheme;
      retiree: boolean;
    },
    at: Date,
    sql: Sql,
  ): Promise<string> {
    const rows = await sql.query(
      `INSERT INTO cards.holders (holder_id, name, national_id_hash, national_id_masked, birth_date, home_region, scheme, retiree, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
       ON CONFLICT (national_id_hash) DO UPDATE
         SET name = EXCLUDED.name, home_region = EXCLUDED.home_region, scheme = EXCLUDED.scheme, retiree = EXCLUDED.retiree, updated_at = EXCLUDED.updated_at
       RETURNING holder_id`,
      [h.holderId, h.name, h.nationalIdHash, h.nationalIdMasked, h.birthDate, h.homeRegion, h.scheme, h.retiree, at],
    );
    return rows[0].holder_id;
  }

  /** Inserts a card with the next serial of its issuing region; answers the card number. */
  async insertCard(holderId: string, card: NewCard, at: Date, sql: Sql): Promise<string> {
    const [{ serial }] = await sql.query(`SELECT nextval('cards.card_serial_${regionSuffix(card.issuingRegion)}')::int AS serial`);
    const cardNo = formatCardNo(card.issuingRegion, serial);
    await sql.query(
      `INSERT INTO cards.cards (card_no, identification_code, holder_id, issuing_region, generation, transit_app, status, replaces, issued_at, status_changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
      [cardNo, identificationCode(card.issuingRegion, cardNo), holderId, card.issuingRegion, card.generation, card.transitApp, card.status, card.replaces, at],
    );
    return cardNo;
  }

  async setStatus(cardNo: string, status: CardStatus, at: Date, sql: Sql): Promise<void> {
    await sql.query(`UPDATE cards.cards SET status = $2, status_version = status_version + 1, status_changed_at = $3 WHERE card_no = $1`, [cardNo, status, at]);
  }

  /** Current balances of ledger accounts (sum over shards); read-only. */
  async balances(codes: readonly string[]): Promise<Map<string, number>> {
    const rows: { account_code: string; balance: number }[] = await this.dataSource.query(
      `SELECT account_code, balance FROM ${LEDGER_SQL.accountBalances} WHERE account_code = ANY($1)`,
      [codes],
    );
    return new Map(rows.map((r) => [r.account_code, r.balance]));
  }
}

function regionSuffix(region: Region): string {
  if (region !== '11' && region !== '12' && region !== '13') throw new Error(`bad region ${String(region)}`);
  return region;
}

function toCard(r: Record<string, any>): CardRow {
  const holder: HolderRow = {
    holderId: r.holder_id,
    name: r.name,
    nationalIdMasked: r.national_id_masked,
    birthDate: r.birth_date,
    homeRegion: r.home_region,
    scheme: r.scheme,
    retiree: r.retiree,
  };
  return {
    cardNo: r.card_no,
    identificationCode: r.identification_code,
    issuingRegion: r.issuing_region,
    generation: Number(r.generation) as CardGeneration,
    transitApp: r.transit_app,
    status: r.status,
    statusVersion: r.status_version,
    replaces: r.replaces,
    replacedBy: r.replaced_by ? { cardNo: r.replaced_by, status: r.replaced_by_status } : null,
    issuedAt: r.issued_at,
    statusChangedAt: r.status_changed_at,
    holder,
    accounts: cardAccountCodes({ cardNo: r.card_no, transitApp: r.transit_app, scheme: holder.scheme }),
  };
}
