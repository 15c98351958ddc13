import { Injectable } from '@nestjs/common';
import type { BusinessDate, Fen, Region, RuleRef } from '@onecard/kernel';
import { prefetch, type CommandTx, type Prefetch } from '@onecard/ledger';
import { DataSource } from 'typeorm';
import { NO_ACCUMULATION, type AnnualAccumulators } from '../domain/annual-accumulators.js';
import type { RecognisedResult, Scheme, VisitType } from '../domain/visit.js';

/** Anything that runs SQL: the DataSource, or a command's transaction (`CommandTx`). */
export interface Sql {
  query(sql: string, params?: unknown[]): Promise<any>;
}

const ACCUMULATOR_COLUMNS = `outpatient_deductible_fen, inpatient_deductible_fen, outpatient_fund_fen, inpatient_fund_fen, inpatient_stays`;

/**
 * A person (or a card's personal account) named by SQL rather than by value, for reads declared
 * before the card is read (`CardsFacade.credentialCardSql`): scalar subqueries, parameters from `$from`.
 */
export type PersonSql = (from: number) => { holderId: string; personalAccount: string; params: unknown[] };

/** The person's year as `lockYear` found it, with its settlement count (checked again when the settlement is written). */
export interface LockedYear {
  holderId: string;
  year: number;
  accumulators: AnnualAccumulators;
  settlements: number;
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

/** Plain SQL over the medical schema (STYLE.md rule 7). */
@Injectable()
export class MedicalRepository {
  constructor(private readonly dataSource: DataSource) {}

  get sql(): Sql {
    return this.dataSource;
  }

  /**
   * The person's accumulators for the year, row-locked until commit (created at zero on first
   * use): one statement. Concurrent settlements of one person queue here, so none decides on a
   * deductible or cap another one is using.
   */
  async lockYear(holderId: string, year: number, tx: Sql): Promise<LockedYear> {
    const rows = await tx.query(
      `INSERT INTO medical.accumulators (holder_id, year) VALUES ($1, $2)
       ON CONFLICT (holder_id, year) DO UPDATE SET holder_id = EXCLUDED.holder_id
       RETURNING holder_id, year, ${ACCUMULATOR_COLUMNS}, settlements`,
      [holderId, year],
    );
    return toLockedYear(rows[0]);
  }

  /**
   * `lockYear` as a read to declare to the executor, for the person `person` names (null if it
   * names no one: nothing is created or locked).
   */
  lockYearQuery(person: PersonSql, year: number): Prefetch<LockedYear | null> {
    const p = person(2);
    return prefetch(
      `INSERT INTO medical.accumulators (holder_id, year)
       SELECT p.holder_id, $1::smallint FROM (SELECT ${p.holderId} AS holder_id) p WHERE p.holder_id IS NOT NULL
       ON CONFLICT (holder_id, year) DO UPDATE SET holder_id = EXCLUDED.holder_id
       RETURNING holder_id, year, ${ACCUMULATOR_COLUMNS}, settlements`,
      [year, ...p.params],
      ([row]) => (row ? toLockedYear(row) : null),
    );
  }

  /**
   * The card's personal account balance, row-locked until commit (`ledger.lock_balances`, as
   * `lockedBalancesQuery` does), for the card `person` names: a read to declare. Empty if the card
   * has no personal account.
   */
  lockedPersonalAccountQuery(person: PersonSql): Prefetch<Map<string, Fen>> {
    const p = person(1);
    return prefetch(
      `SELECT account_code, balance FROM ledger.lock_balances(ARRAY[${p.personalAccount}]::text[])`,
      p.params,
      (rows: { account_code: string; balance: number | string }[]) => {
        const out = new Map<string, Fen>();
        for (const r of rows) out.set(r.account_code, (out.get(r.account_code) ?? 0) + Number(r.balance));
        return out;
      },
    );
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

  /** The person's latest result per code done on a day in [from, to]. */
  async recognitionCandidates(holderId: string, codes: readonly string[], from: BusinessDate, to: BusinessDate, sql: Sql): Promise<RecognisedResult[]> {
    if (codes.length === 0) return [];
    return toCandidates(await sql.query(candidatesSql('$4::uuid'), [[...new Set(codes)], from, to, holderId]));
  }

  /** `recognitionCandidates` as a read to declare to the executor, for the person `person` names. */
  recognitionCandidatesQuery(person: PersonSql, codes: readonly string[], from: BusinessDate, to: BusinessDate): Prefetch<RecognisedResult[]> {
    const p = person(4);
    return prefetch(candidatesSql(p.holderId), [[...new Set(codes)], from, to, ...p.params], toCandidates);
  }

  /**
   * The settlement, what it adds to the person's year, and its results: one statement, deferred to
   * the round trip that commits (`tx.defer`). The year's row was locked when it was read, with
   * `settlementsBefore` settlements; should it have changed since (a settlement of the same person
   * and year earlier in the same group commit) or be missing, the statement fails (division by
   * zero), so the transaction is void and the settlement runs again on its own.
   */
  deferSettlement(s: SettlementRecord, results: readonly NewResult[], settlementsBefore: number, tx: CommandTx): void {
    const a = s.accumulation;
    tx.defer(
      `WITH s AS (
         INSERT INTO medical.settlements (settlement_id, institution_id, institution_region, terminal_id, card_no, holder_id, home_region, scheme, retiree,
           visit_type, occurred_at, business_date, year, total_fen, self_paid_fen, in_policy_fen, deductible_fen, fund_fen, personal_account_fen, cash_fen,
           accumulation, items, policy_id, policy_version, catalogue_id, catalogue_version, settled_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21::jsonb, $22::jsonb, $23, $24, $25, $26, $27)
         RETURNING settlement_id
       ), acc AS (
         UPDATE medical.accumulators SET
           outpatient_deductible_fen = outpatient_deductible_fen + $28, inpatient_deductible_fen = inpatient_deductible_fen + $29,
           outpatient_fund_fen = outpatient_fund_fen + $30, inpatient_fund_fen = inpatient_fund_fen + $31,
           inpatient_stays = inpatient_stays + $32, settlements = settlements + 1, updated_at = $27
         WHERE holder_id = $6 AND year = $13 AND settlements = $35
         RETURNING 1
       ), r AS (
         INSERT INTO medical.results (settlement_id, item_code, holder_id, institution_id, kind, performed_at, performed_on)
         SELECT s.settlement_id, t.code, $6, $2, t.kind, $11, $12 FROM s, unnest($33::text[], $34::text[]) AS t(code, kind)
         ON CONFLICT DO NOTHING
         RETURNING 1
       )
       SELECT 1 / (SELECT count(*) FROM acc)::int AS accumulated`,
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

  async findSettlement(settlementId: string, sql: Sql, opts: { lock?: boolean } = {}): Promise<StoredSettlement | null> {
    const rows = await sql.query(`SELECT * FROM medical.settlements WHERE settlement_id = $1${opts.lock ? ' FOR UPDATE' : ''}`, [settlementId]);
    return rows[0] ? toSettlement(rows[0]) : null;
  }

  /**
   * Marks the settlement reversed, subtracts exactly what it added to the person's year, and drops
   * its results (they can no longer be reused): one statement. The settlement row is locked already.
   */
  async recordReversal(s: StoredSettlement, reversal: { reversalId: string; reason: string; at: Date }, tx: Sql): Promise<void> {
    const a = s.accumulation;
    const rows = await tx.query(
      `WITH s AS (
         UPDATE medical.settlements SET reversal_id = $2, reversal_reason = $3, reversed_at = $4 WHERE settlement_id = $1 AND reversal_id IS NULL RETURNING 1
       ), acc AS (
         UPDATE medical.accumulators SET
           outpatient_deductible_fen = outpatient_deductible_fen - $7, inpatient_deductible_fen = inpatient_deductible_fen - $8,
           outpatient_fund_fen = outpatient_fund_fen - $9, inpatient_fund_fen = inpatient_fund_fen - $10,
           inpatient_stays = inpatient_stays - $11, settlements = settlements - 1, updated_at = $4
         WHERE holder_id = $5 AND year = $6
         RETURNING 1
       ), r AS (
         DELETE FROM medical.results WHERE settlement_id = $1 RETURNING 1
       )
       SELECT (SELECT count(*) FROM s)::int AS reversed`,
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
    if (rows[0]?.reversed !== 1) throw new Error(`settlement ${s.settlementId} is already reversed or gone`);
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

function candidatesSql(holderId: string): string {
  return `SELECT DISTINCT ON (item_code) item_code, settlement_id, institution_id, performed_on
       FROM medical.results
       WHERE holder_id = ${holderId} AND item_code = ANY($1::text[]) AND performed_on BETWEEN $2::date AND $3::date
       ORDER BY item_code, performed_on DESC, performed_at DESC`;
}

function toCandidates(rows: Record<string, string>[]): RecognisedResult[] {
  return rows.map((r) => ({ code: r.item_code!, settlementId: r.settlement_id!, institutionId: r.institution_id!, performedOn: r.performed_on! }));
}

function toLockedYear(r: Record<string, any>): LockedYear {
  return { holderId: r.holder_id, year: Number(r.year), accumulators: toAccumulators(r), settlements: r.settlements };
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
