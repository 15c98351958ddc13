import { CARDS_SQL, cardAccountCodes } from '@contexts/cards';
import { Injectable } from '@nestjs/common';
import { read, type CommandTx, type Read } from '@onecard/engine';
import type { BusinessDate, Fen, Region, RuleRef } from '@onecard/kernel';
import { LEDGER_SQL, LedgerReads } from '@onecard/ledger';
import { DataSource } from 'typeorm';
import { NO_ACCUMULATION, type AnnualAccumulators } from '../domain/annual-accumulators.js';
import type { RecognisedResult, Scheme, VisitType } from '../domain/visit.js';

/** Anything that runs SQL: the DataSource, or a command's transaction (`CommandTx`). */
export interface Sql {
  query(sql: string, params?: unknown[]): Promise<any>;
}

const ACCUMULATOR_COLUMNS = `outpatient_deductible_fen, inpatient_deductible_fen, outpatient_fund_fen, inpatient_fund_fen, inpatient_stays`;

/**
 * The card a settlement's reads name: by its number, or as the card its 医保码 was used for by the
 * settlement (the code's digest and the settlement's command key) earlier in the same transaction.
 */
export type SettlementCard = { cardNo: string } | { codeDigest: string; usedBy: string };

/**
 * The card number in SQL for either credential, from `$1..$3` of every read that names the card:
 * one statement text for both, so that a batch mixing card numbers and 医保码 reads once per kind.
 */
const CARD_NO = `coalesce($1::text, ${CARDS_SQL.cardOfUsedCode}($2::text, $3::text))`;

function cardParams(card: SettlementCard): [string | null, string | null, string | null] {
  return 'cardNo' in card ? [card.cardNo, null, null] : [null, card.codeDigest, card.usedBy];
}

/** The personal account's code as the cards context makes it, split around the card number (for SQL that knows the card only by its code). */
const [PERSONAL_PREFIX, PERSONAL_SUFFIX] = cardAccountCodes({ cardNo: '\u0001', transitApp: false, scheme: 'EMPLOYEE' }).personal!.split('\u0001') as [
  string,
  string,
];

/** The person's year as a settlement read it, locked until commit (if the row existed). */
export interface PersonYear {
  holderId: string;
  year: number;
  accumulators: AnnualAccumulators;
  /** Standing settlements counted in the row (0: no row yet), checked again when the settlement is written. */
  settlements: number;
  /** The reading transaction (`pg_current_xact_id()`): two settlements of one person must not decide in one. */
  transaction: string;
}

/** An accepted settlement as stored. */
export interface SettlementRecord {
  settlementId: string;
  institutionId: string;
  institutionRegion: Region;
  terminalId: string;
  cardNo: string;
  holderId: string;
  homeRegion: Region;
  scheme: Scheme;
  retiree: boolean;
  visitType: VisitType;
  occurredAt: Date;
  businessDate: BusinessDate;
  year: number;
  totalFen: Fen;
  selfPaidFen: Fen;
  inPolicyFen: Fen;
  deductibleFen: Fen;
  fundFen: Fen;
  personalAccountFen: Fen;
  cashFen: Fen;
  accumulation: AnnualAccumulators;
  items: unknown[];
  policy: RuleRef;
  catalogue: RuleRef;
  settledAt: Date;
}

export interface StoredSettlement extends SettlementRecord {
  reversalId: string | null;
  reversedAt: Date | null;
}

/** What a reversal finds of the settlement it names: nothing journaled, a refused one (journal only), or the stored row, locked. */
export type SettlementToReverse = { found: 'NONE' } | { found: 'REFUSED'; institutionId: string | null } | { found: 'STORED'; settlement: StoredSettlement };

/** A result to keep for later reuse. */
export interface NewResult {
  code: string;
  kind: 'lab' | 'imaging';
}

export interface InstitutionTotals {
  settlements: number;
  reversed: number;
  totalFen: Fen;
  fundFen: Fen;
  personalAccountFen: Fen;
  cashFen: Fen;
}

export interface InstitutionDayRow {
  /** The instant as PostgreSQL wrote it (microseconds kept): the keyset position. */
  occurredAtRaw: string;
  settlementId: string;
  occurredAt: Date;
  terminalId: string;
  cardNo: string;
  homeRegion: Region;
  visitType: VisitType;
  totalFen: Fen;
  fundFen: Fen;
  personalAccountFen: Fen;
  cashFen: Fen;
  reversed: boolean;
}

export interface OutflowRow {
  homeRegion: Region;
  institutionRegion: Region;
  settlements: number;
  totalFen: Fen;
  fundFen: Fen;
  personalAccountFen: Fen;
  cashFen: Fen;
}

/** Plain SQL over the medical schema (STYLE.md rule 7); the reads settlements and reversals declare (ADR 0012). */
@Injectable()
export class MedicalRepository {
  constructor(private readonly dataSource: DataSource) {}

  get sql(): Sql {
    return this.dataSource;
  }

  /**
   * The year of the card's holder, its row locked until commit (`FOR UPDATE`): a read to declare.
   * Settlements of one person in different transactions queue here. A person's first settlement of
   * the year finds no row to lock; its write then creates the row, and a concurrent first one fails
   * on it and runs again (`deferSettlement`). Null: no such card.
   */
  personYearRead(card: SettlementCard, year: number): Read<PersonYear | null> {
    return read(
      `SELECT c.holder_id, pg_current_xact_id()::text AS xact, y.*
       FROM ${CARDS_SQL.cardFacts}(${CARD_NO}) c
       LEFT JOIN LATERAL (
         SELECT a.settlements, ${ACCUMULATOR_COLUMNS} FROM medical.accumulators a WHERE a.holder_id = c.holder_id AND a.year = $4::smallint FOR UPDATE
       ) y ON true`,
      [...cardParams(card), year],
      ([r]): PersonYear | null =>
        r
          ? {
              holderId: r.holder_id,
              year,
              accumulators: r.settlements === null ? NO_ACCUMULATION : toAccumulators(r),
              settlements: r.settlements ?? 0,
              transaction: r.xact,
            }
          : null,
    );
  }

  /**
   * The card's personal account balance, its row locked until commit: a read to declare. By card
   * number it is the ledger's own read; by 医保码 the account code is made in SQL from the card the
   * code was used for. Empty if the card has no personal account.
   */
  personalAccountRead(card: SettlementCard): Read<Map<string, Fen>> {
    if ('cardNo' in card) return LedgerReads.lockedBalances([cardAccountCodes({ cardNo: card.cardNo, transitApp: false, scheme: 'EMPLOYEE' }).personal!]);
    return read(
      `SELECT account_code, balance FROM ${LEDGER_SQL.lockBalances}(ARRAY[$1::text || ${CARDS_SQL.cardOfUsedCode}($2::text, $3::text) || $4::text])`,
      [PERSONAL_PREFIX, card.codeDigest, card.usedBy, PERSONAL_SUFFIX],
      // The rows are those of `LedgerReads.lockedBalances`: read them the ledger's way.
      LedgerReads.lockedBalances([]).map,
    );
  }

  /** The card holder's latest result per code done on a day in [from, to]: a read to declare. */
  recognitionCandidatesRead(card: SettlementCard, codes: readonly string[], from: BusinessDate, to: BusinessDate): Read<RecognisedResult[]> {
    return read(
      `SELECT DISTINCT ON (r.item_code) r.item_code, r.settlement_id, r.institution_id, r.performed_on
       FROM ${CARDS_SQL.cardFacts}(${CARD_NO}) c
       JOIN medical.results r ON r.holder_id = c.holder_id
       WHERE r.item_code = ANY ($4::text[]) AND r.performed_on BETWEEN $5::date AND $6::date
       ORDER BY r.item_code, r.performed_on DESC, r.performed_at DESC`,
      [...cardParams(card), [...new Set(codes)], from, to],
      (rows: Record<string, string>[]) =>
        rows.map((r) => ({ code: r.item_code!, settlementId: r.settlement_id!, institutionId: r.institution_id!, performedOn: r.performed_on! })),
    );
  }

  /** `recognitionCandidatesRead` run now, outside any command (pre-settlement). */
  recognitionCandidates(card: SettlementCard, codes: readonly string[], from: BusinessDate, to: BusinessDate): Promise<RecognisedResult[]> {
    return this.run(this.recognitionCandidatesRead(card, codes, from, to));
  }

  /** The accumulators as they stand, without a lock (pre-settlement, reports). */
  async readYear(holderId: string, year: number, sql: Sql = this.dataSource): Promise<AnnualAccumulators & { settlements: number; updatedAt: Date | null }> {
    const rows = await sql.query(`SELECT ${ACCUMULATOR_COLUMNS}, settlements, updated_at FROM medical.accumulators WHERE holder_id = $1 AND year = $2`, [
      holderId,
      year,
    ]);
    return rows[0]
      ? { ...toAccumulators(rows[0]), settlements: rows[0].settlements, updatedAt: rows[0].updated_at }
      : { ...NO_ACCUMULATION, settlements: 0, updatedAt: null };
  }

  /**
   * The settlement, what it adds to the person's year, and its results: one statement, deferred to
   * the commit (`tx.defer`). The year was read with `settlementsBefore` settlements (locked if
   * its row existed). Should it have changed since — a settlement of the same person earlier in the
   * same transaction, or a concurrent first settlement of the person's year that created the row —
   * the last insert meets the row again: a unique violation, on which the engine runs the
   * settlement again (on its own), reading the year as it now stands.
   */
  deferSettlement(tx: CommandTx, s: SettlementRecord, results: readonly NewResult[], settlementsBefore: number): void {
    const a = s.accumulation;
    tx.defer(
      `WITH s AS (
         INSERT INTO medical.settlements (settlement_id, institution_id, institution_region, terminal_id, card_no, holder_id, home_region, scheme, retiree,
           visit_type, occurred_at, business_date, year, total_fen, self_paid_fen, in_policy_fen, deductible_fen, fund_fen, personal_account_fen, cash_fen,
           accumulation, items, policy_id, policy_version, catalogue_id, catalogue_version, settled_at)
         VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::uuid, $7::text, $8::text, $9::boolean, $10::text, $11::timestamptz, $12::date,
           $13::smallint, $14::bigint, $15::bigint, $16::bigint, $17::bigint, $18::bigint, $19::bigint, $20::bigint, $21::jsonb, $22::jsonb, $23::text,
           $24::int, $25::text, $26::int, $27::timestamptz)
         RETURNING settlement_id
       ), acc AS (
         INSERT INTO medical.accumulators AS a (holder_id, year, ${ACCUMULATOR_COLUMNS}, settlements, updated_at)
         VALUES ($6::uuid, $13::smallint, $28::bigint, $29::bigint, $30::bigint, $31::bigint, $32::int, 1, $27::timestamptz)
         ON CONFLICT (holder_id, year) DO UPDATE SET
           outpatient_deductible_fen = a.outpatient_deductible_fen + EXCLUDED.outpatient_deductible_fen,
           inpatient_deductible_fen = a.inpatient_deductible_fen + EXCLUDED.inpatient_deductible_fen,
           outpatient_fund_fen = a.outpatient_fund_fen + EXCLUDED.outpatient_fund_fen, inpatient_fund_fen = a.inpatient_fund_fen + EXCLUDED.inpatient_fund_fen,
           inpatient_stays = a.inpatient_stays + EXCLUDED.inpatient_stays, settlements = a.settlements + 1, updated_at = EXCLUDED.updated_at
         WHERE a.settlements = $35::int
         RETURNING 1
       ), r AS (
         INSERT INTO medical.results (settlement_id, item_code, holder_id, institution_id, kind, performed_at, performed_on)
         SELECT s.settlement_id, t.code, $6::uuid, $2::text, t.kind, $11::timestamptz, $12::date FROM s, unnest($33::text[], $34::text[]) AS t(code, kind)
         ON CONFLICT DO NOTHING
       )
       INSERT INTO medical.accumulators (holder_id, year) SELECT $6::uuid, $13::smallint WHERE NOT EXISTS (SELECT 1 FROM acc)`,
      [
        s.settlementId,
        s.institutionId,
        s.institutionRegion,
        s.terminalId,
        s.cardNo,
        s.holderId,
        s.homeRegion,
        s.scheme,
        s.retiree,
        s.visitType,
        s.occurredAt,
        s.businessDate,
        s.year,
        s.totalFen,
        s.selfPaidFen,
        s.inPolicyFen,
        s.deductibleFen,
        s.fundFen,
        s.personalAccountFen,
        s.cashFen,
        JSON.stringify(a),
        JSON.stringify(s.items),
        s.policy.id,
        s.policy.version,
        s.catalogue.id,
        s.catalogue.version,
        s.settledAt,
        a.outpatientDeductibleFen,
        a.inpatientDeductibleFen,
        a.outpatientFundFen,
        a.inpatientFundFen,
        a.inpatientStays,
        results.map((r) => r.code),
        results.map((r) => r.kind),
        settlementsBefore,
      ],
    );
  }

  /**
   * The settlement a reversal names, as a read to declare: its journal record (no row: never
   * settled), and its stored row locked until commit (none: it was refused).
   */
  settlementToReverseRead(settlementId: string, settleCommandType: string): Read<SettlementToReverse> {
    return read(
      `SELECT j.response ->> 'institutionId' AS journaled_institution_id, s.*
       FROM ${LEDGER_SQL.records} j
       LEFT JOIN LATERAL (SELECT * FROM medical.settlements m WHERE m.settlement_id = j.command_id FOR UPDATE) s ON true
       WHERE j.command_type = $1::text AND j.command_id = $2::text`,
      [settleCommandType, settlementId],
      ([r]): SettlementToReverse => {
        if (!r) return { found: 'NONE' };
        if (r.settlement_id === null) return { found: 'REFUSED', institutionId: r.journaled_institution_id };
        return { found: 'STORED', settlement: toSettlement(r) };
      },
    );
  }

  /**
   * Marks the settlement reversed, subtracts exactly what it added to the person's year, and drops
   * its results (they can no longer be reused): one statement, deferred to the commit. The
   * settlement row was locked, unreversed, by the reversal's read.
   */
  deferReversal(tx: CommandTx, s: StoredSettlement, reversal: { reversalId: string; reason: string; at: Date }): void {
    const a = s.accumulation;
    tx.defer(
      `WITH s AS (
         UPDATE medical.settlements SET reversal_id = $2::text, reversal_reason = $3::text, reversed_at = $4::timestamptz
         WHERE settlement_id = $1::text AND reversal_id IS NULL RETURNING 1
       ), acc AS (
         UPDATE medical.accumulators SET
           outpatient_deductible_fen = outpatient_deductible_fen - $7::bigint, inpatient_deductible_fen = inpatient_deductible_fen - $8::bigint,
           outpatient_fund_fen = outpatient_fund_fen - $9::bigint, inpatient_fund_fen = inpatient_fund_fen - $10::bigint,
           inpatient_stays = inpatient_stays - $11::int, settlements = settlements - 1, updated_at = $4::timestamptz
         WHERE holder_id = $5::uuid AND year = $6::smallint
       ), r AS (
         DELETE FROM medical.results WHERE settlement_id = $1::text
       )
       SELECT 1 / (SELECT count(*) FROM s)::int AS reversed`,
      [
        s.settlementId,
        reversal.reversalId,
        reversal.reason,
        reversal.at,
        s.holderId,
        s.year,
        a.outpatientDeductibleFen,
        a.inpatientDeductibleFen,
        a.outpatientFundFen,
        a.inpatientFundFen,
        a.inpatientStays,
      ],
    );
  }

  private async run<T>(r: Read<T>): Promise<T> {
    return r.map(await this.dataSource.query(r.sql, [...r.params]));
  }

  /**
   * A page of one institution's settlements on days from..to (by occurredAt), in (occurredAt,
   * settlementId) order after `after`; `homeRegion` keeps only patients insured there.
   */
  async institutionSettlements(
    f: { institutionId: string; from: BusinessDate; to: BusinessDate; homeRegion: Region | null },
    after: readonly unknown[] | null,
    limit: number,
  ): Promise<InstitutionDayRow[]> {
    const rows = await this.dataSource.query(
      `SELECT settlement_id, occurred_at, to_json(occurred_at)#>>'{}' AS occurred_at_raw, terminal_id, card_no, home_region, visit_type, total_fen, fund_fen,
              personal_account_fen, cash_fen, reversal_id IS NOT NULL AS reversed
       FROM medical.settlements
       WHERE institution_id = $1 AND business_date BETWEEN $2::date AND $3::date AND ($4::text IS NULL OR home_region = $4)
         AND ($5::timestamptz IS NULL OR (occurred_at, settlement_id) > ($5, $6::text))
       ORDER BY occurred_at, settlement_id LIMIT $7`,
      [f.institutionId, f.from, f.to, f.homeRegion, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
    return rows.map((r: Record<string, any>) => ({
      settlementId: r.settlement_id,
      occurredAt: r.occurred_at,
      occurredAtRaw: r.occurred_at_raw,
      terminalId: r.terminal_id,
      cardNo: r.card_no,
      homeRegion: r.home_region,
      visitType: r.visit_type,
      totalFen: r.total_fen,
      fundFen: r.fund_fen,
      personalAccountFen: r.personal_account_fen,
      cashFen: r.cash_fen,
      reversed: r.reversed,
    }));
  }

  /** One institution's totals over days from..to: standing settlements summed, reversed ones counted. */
  async institutionTotals(f: { institutionId: string; from: BusinessDate; to: BusinessDate; homeRegion: Region | null }): Promise<InstitutionTotals> {
    const [r] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE reversal_id IS NULL)::int AS settlements, count(*) FILTER (WHERE reversal_id IS NOT NULL)::int AS reversed,
              coalesce(sum(total_fen) FILTER (WHERE reversal_id IS NULL), 0)::bigint AS total_fen,
              coalesce(sum(fund_fen) FILTER (WHERE reversal_id IS NULL), 0)::bigint AS fund_fen,
              coalesce(sum(personal_account_fen) FILTER (WHERE reversal_id IS NULL), 0)::bigint AS personal_account_fen,
              coalesce(sum(cash_fen) FILTER (WHERE reversal_id IS NULL), 0)::bigint AS cash_fen
       FROM medical.settlements WHERE institution_id = $1 AND business_date BETWEEN $2::date AND $3::date AND ($4::text IS NULL OR home_region = $4)`,
      [f.institutionId, f.from, f.to, f.homeRegion],
    );
    return {
      settlements: r.settlements,
      reversed: r.reversed,
      totalFen: Number(r.total_fen),
      fundFen: Number(r.fund_fen),
      personalAccountFen: Number(r.personal_account_fen),
      cashFen: Number(r.cash_fen),
    };
  }

  /** Settled amounts (reversed settlements excluded) by home region × institution region, for days in [from, to]. */
  async outflow(from: BusinessDate, to: BusinessDate): Promise<OutflowRow[]> {
    const rows = await this.dataSource.query(
      `SELECT home_region, institution_region, count(*)::int AS settlements, sum(total_fen)::bigint AS total_fen, sum(fund_fen)::bigint AS fund_fen,
              sum(personal_account_fen)::bigint AS personal_account_fen, sum(cash_fen)::bigint AS cash_fen
       FROM medical.settlements
       WHERE business_date BETWEEN $1::date AND $2::date AND reversal_id IS NULL
       GROUP BY home_region, institution_region ORDER BY home_region, institution_region`,
      [from, to],
    );
    return rows.map((r: Record<string, any>) => ({
      homeRegion: r.home_region,
      institutionRegion: r.institution_region,
      settlements: r.settlements,
      totalFen: r.total_fen,
      fundFen: r.fund_fen,
      personalAccountFen: r.personal_account_fen,
      cashFen: r.cash_fen,
    }));
  }
}

function toAccumulators(r: Record<string, number>): AnnualAccumulators {
  return {
    outpatientDeductibleFen: r.outpatient_deductible_fen!,
    inpatientDeductibleFen: r.inpatient_deductible_fen!,
    outpatientFundFen: r.outpatient_fund_fen!,
    inpatientFundFen: r.inpatient_fund_fen!,
    inpatientStays: r.inpatient_stays!,
  };
}

function toSettlement(r: Record<string, any>): StoredSettlement {
  return {
    settlementId: r.settlement_id,
    institutionId: r.institution_id,
    institutionRegion: r.institution_region,
    terminalId: r.terminal_id,
    cardNo: r.card_no,
    holderId: r.holder_id,
    homeRegion: r.home_region,
    scheme: r.scheme,
    retiree: r.retiree,
    visitType: r.visit_type,
    occurredAt: r.occurred_at,
    businessDate: r.business_date,
    year: r.year,
    totalFen: r.total_fen,
    selfPaidFen: r.self_paid_fen,
    inPolicyFen: r.in_policy_fen,
    deductibleFen: r.deductible_fen,
    fundFen: r.fund_fen,
    personalAccountFen: r.personal_account_fen,
    cashFen: r.cash_fen,
    accumulation: r.accumulation,
    items: r.items,
    policy: { id: r.policy_id, version: r.policy_version },
    catalogue: { id: r.catalogue_id, version: r.catalogue_version },
    settledAt: r.settled_at,
    reversalId: r.reversal_id,
    reversedAt: r.reversed_at,
  };
}
