import { Injectable } from '@nestjs/common';
import { addBusinessDays, startOfBusinessDay, type BusinessDate, type Fen, type Region } from '@onecard/kernel';
import { DataSource } from 'typeorm';
import type { ClearingItem, LineCycle, ServiceLine } from '../domain/statement.js';
import type { StatementRecord } from '../domain/statement-chain.js';

/** Runs SQL outside a command (the data source) or inside one (`CommandTx`). */
export interface Queryable {
  query<T = any>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** A leg waiting to be cleared, with its ledger identity (recorded once in `statement_items`). */
export interface PendingItem extends ClearingItem {
  commandType: string;
  commandId: string;
  leg: number;
}

export interface TopUpCallRow {
  callId: string;
  home: Region;
  treatment: Region;
  statementId: string;
  month: string;
  prepaymentFen: Fen;
  thresholdFen: Fen;
  balanceFen: Fen;
  amountFen: Fen;
  calledAt: string;
  paidAt: string | null;
}

export interface SettlementRow {
  statementId: string;
  region: Region;
  reference: string;
  amountFen: Fen;
  paidAt: string;
  recordedAt: string;
}

export interface PositionRow {
  seq: number;
  statementId: string;
  kind: 'DAY' | 'MONTH';
  period: string;
  closedAt: string;
  hash: string;
  region: Region;
  netFen: Fen;
  settledFen: Fen | null;
  reference: string | null;
  paidAt: string | null;
}

const ITEM_COLUMNS = `l.command_type, l.command_id, l.leg, l.line, l.payer, l.payee, l.amount::bigint AS amount,
  to_char(l.event_time AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS event_date,
  (l.reverses IS NOT NULL AND EXISTS (
    SELECT 1 FROM clearing.statement_items o
    WHERE o.command_type = split_part(l.reverses, ':', 1) AND o.command_id = substr(l.reverses, length(split_part(l.reverses, ':', 1)) + 2)
  )) AS adjustment`;

const NOT_CLEARED = `NOT EXISTS (SELECT 1 FROM clearing.statement_items i WHERE i.command_type = l.command_type AND i.command_id = l.command_id AND i.leg = l.leg)`;

/** The clearing context's SQL: its own tables and the ledger's read views (never the ledger's tables). */
@Injectable()
export class ClearingRepository {
  constructor(private readonly dataSource: DataSource) {}

  get db(): Queryable {
    return this.dataSource;
  }

  async serviceLines(q: Queryable = this.db): Promise<ServiceLine[]> {
    const rows = await q.query<{ line: string; name_en: string; name_zh: string; cycle: LineCycle }>(
      `SELECT line, name_en, name_zh, cycle FROM clearing.service_lines ORDER BY position`,
    );
    return rows.map((r) => ({ line: r.line, nameEn: r.name_en, nameZh: r.name_zh, cycle: r.cycle }));
  }

  /**
   * Legs not yet cleared that a statement of `date` takes: dated that day or earlier (an earlier
   * one is late: its own day was closed before it arrived). `from` narrows it to legs dated from
   * that day on, for an open day that does not come first.
   */
  async pendingItems(date: BusinessDate, q: Queryable = this.db, opts: { onlyThatDay?: boolean } = {}): Promise<PendingItem[]> {
    const end = startOfBusinessDay(addBusinessDays(date, 1));
    const start = opts.onlyThatDay ? startOfBusinessDay(date) : null;
    const rows = await q.query(
      `SELECT ${ITEM_COLUMNS} FROM clearing.service_legs l
       WHERE l.event_time < $1 AND ($2::timestamptz IS NULL OR l.event_time >= $2) AND ${NOT_CLEARED}
       ORDER BY l.event_time, l.command_type, l.command_id, l.leg`,
      [end, start],
    );
    return rows.map((r) => toItem(r, date));
  }

  /** Whether any leg dated before `date` is still waiting to be cleared (its day is open). */
  async unclearedBefore(date: BusinessDate, q: Queryable = this.db): Promise<boolean> {
    const rows = await q.query(`SELECT 1 FROM clearing.service_legs l WHERE l.event_time < $1 AND ${NOT_CLEARED} LIMIT 1`, [startOfBusinessDay(date)]);
    return rows.length > 0;
  }

  /** The items a closed statement cleared. */
  async statementItems(statementSeqs: readonly number[], q: Queryable = this.db): Promise<PendingItem[]> {
    const rows = await q.query(
      `SELECT i.command_type, i.command_id, i.leg, i.line, i.payer, i.payee, i.amount, to_char(i.event_date, 'YYYY-MM-DD') AS event_date, i.late, i.adjustment
       FROM clearing.statement_items i WHERE i.statement_seq = ANY ($1::bigint[]) ORDER BY i.statement_seq, i.command_type, i.command_id, i.leg`,
      [[...statementSeqs]],
    );
    return rows.map((r) => ({ ...toItem(r, null), late: r.late, adjustment: r.adjustment }));
  }

  async lastClosedDay(q: Queryable = this.db): Promise<BusinessDate | null> {
    const rows = await q.query<{ period: string }>(`SELECT period FROM clearing.statements WHERE kind = 'DAY' ORDER BY seq DESC LIMIT 1`);
    return rows[0]?.period ?? null;
  }

  async head(q: Queryable = this.db): Promise<{ seq: number; hash: string; closedAt: string } | null> {
    const rows = await q.query(`SELECT seq, hash, closed_at FROM clearing.statements ORDER BY seq DESC LIMIT 1`);
    return rows[0] ? { seq: Number(rows[0].seq), hash: rows[0].hash, closedAt: new Date(rows[0].closed_at).toISOString() } : null;
  }

  async statement(statementId: string, q: Queryable = this.db): Promise<StatementRecord | null> {
    const rows = await q.query(`${STATEMENT_SELECT} WHERE statement_id = $1`, [statementId]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Closed statements of a kind in a period range (inclusive), in order. */
  async statements(kind: 'DAY' | 'MONTH', from: string, to: string, q: Queryable = this.db): Promise<StatementRecord[]> {
    const rows = await q.query(`${STATEMENT_SELECT} WHERE kind = $1 AND period BETWEEN $2 AND $3 ORDER BY seq`, [kind, from, to]);
    return rows.map(toRecord);
  }

  /** A page of the chain in seq order (verification reads it all, page by page). */
  async chainPage(afterSeq: number, limit: number, q: Queryable = this.db): Promise<StatementRecord[]> {
    const rows = await q.query(`${STATEMENT_SELECT} WHERE seq > $1 ORDER BY seq LIMIT $2`, [afterSeq, limit]);
    return rows.map(toRecord);
  }

  /** Report rows: each closed statement × region with its position and settlement, in (seq, region) order. */
  async positionsPage(
    f: { kind: 'DAY' | 'MONTH' | null; fromDay: string; toDay: string; region: Region | null },
    after: readonly unknown[] | null,
    limit: number,
  ): Promise<PositionRow[]> {
    const rows = await this.dataSource.query(
      `SELECT s.seq, s.statement_id, s.kind, s.period, to_json(s.closed_at)#>>'{}' AS closed_at, s.hash, p.region, p."netFen" AS net_fen,
              st.reference, st.amount_fen AS settled_fen, to_json(st.paid_at)#>>'{}' AS paid_at
       FROM clearing.statements s
       CROSS JOIN LATERAL json_to_recordset(CASE s.kind WHEN 'DAY' THEN s.body->'figures'->'daily'->'positions' ELSE s.body->'netting'->'positions' END)
         AS p(region text, "netFen" bigint)
       LEFT JOIN clearing.settlements st ON st.statement_id = s.statement_id AND st.region = p.region
       WHERE ($1::text IS NULL OR s.kind = $1)
         AND ((s.kind = 'DAY' AND s.period BETWEEN $2 AND $3) OR (s.kind = 'MONTH' AND s.period BETWEEN left($2, 7) AND left($3, 7)))
         AND ($4::text IS NULL OR p.region = $4)
         AND ($5::bigint IS NULL OR (s.seq, p.region) > ($5, $6::text))
       ORDER BY s.seq, p.region LIMIT $7`,
      [f.kind, f.fromDay, f.toDay, f.region, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
    return rows.map((r: any) => ({
      seq: Number(r.seq),
      statementId: r.statement_id,
      kind: r.kind,
      period: r.period,
      closedAt: new Date(r.closed_at).toISOString(),
      hash: r.hash,
      region: r.region,
      netFen: Number(r.net_fen),
      settledFen: r.settled_fen === null ? null : Number(r.settled_fen),
      reference: r.reference,
      paidAt: r.paid_at ? new Date(r.paid_at).toISOString() : null,
    }));
  }

  /** Report rows: the legs a closed statement cleared, in ledger command order. */
  async itemsPage(statementSeq: number, region: Region | null, after: readonly unknown[] | null, limit: number): Promise<PendingItem[]> {
    const rows = await this.dataSource.query(
      `SELECT i.command_type, i.command_id, i.leg, i.line, i.payer, i.payee, i.amount, to_char(i.event_date, 'YYYY-MM-DD') AS event_date, i.late, i.adjustment
       FROM clearing.statement_items i
       WHERE i.statement_seq = $1 AND ($2::text IS NULL OR i.payer = $2 OR i.payee = $2)
         AND ($3::text IS NULL OR (i.command_type, i.command_id, i.leg) > ($3, $4::text, $5::int))
       ORDER BY i.command_type, i.command_id, i.leg LIMIT $6`,
      [statementSeq, region, after?.[0] ?? null, after?.[1] ?? null, after?.[2] ?? null, limit],
    );
    return rows.map((r: any) => ({ ...toItem(r, null), late: r.late, adjustment: r.adjustment }));
  }

  async insertStatement(r: StatementRecord, q: Queryable): Promise<void> {
    await q.query(
      `INSERT INTO clearing.statements (seq, statement_id, kind, period, closed_at, close_command, body, body_hash, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7::json, $8, $9, $10)`,
      [r.seq, r.statementId, r.kind, r.period, r.closedAt, r.closeCommand, r.body, r.bodyHash, r.prevHash, r.hash],
    );
  }

  async insertItems(statementSeq: number, items: readonly PendingItem[], q: Queryable): Promise<void> {
    if (items.length === 0) return;
    await q.query(
      `INSERT INTO clearing.statement_items (command_type, command_id, leg, statement_seq, line, payer, payee, amount, event_date, late, adjustment)
       SELECT t, i, l, $1, ln, p, e, a, d::date, lt, ad
       FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::text[], $10::boolean[], $11::boolean[])
         AS u(t, i, l, ln, p, e, a, d, lt, ad)`,
      [
        statementSeq,
        items.map((x) => x.commandType),
        items.map((x) => x.commandId),
        items.map((x) => x.leg),
        items.map((x) => x.line),
        items.map((x) => x.payer),
        items.map((x) => x.payee),
        items.map((x) => x.amountFen),
        items.map((x) => x.eventDate),
        items.map((x) => x.late),
        items.map((x) => x.adjustment),
      ],
    );
  }

  async insertTopUpCall(c: Omit<TopUpCallRow, 'paidAt'>, q: Queryable): Promise<void> {
    await q.query(
      `INSERT INTO clearing.top_up_calls (call_id, home_region, treatment_region, statement_id, month, prepayment_fen, threshold_fen, balance_fen, amount_fen, called_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [c.callId, c.home, c.treatment, c.statementId, c.month, c.prepaymentFen, c.thresholdFen, c.balanceFen, c.amountFen, c.calledAt],
    );
  }

  async topUpCalls(filter: { month?: string; callId?: string; open?: boolean }, q: Queryable = this.db): Promise<TopUpCallRow[]> {
    const rows = await q.query(
      `SELECT c.*, p.paid_at FROM clearing.top_up_calls c LEFT JOIN clearing.top_up_payments p USING (call_id)
       WHERE ($1::text IS NULL OR c.month = $1) AND ($2::text IS NULL OR c.call_id = $2) AND (NOT $3::boolean OR p.call_id IS NULL)
       ORDER BY c.called_at, c.call_id`,
      [filter.month ?? null, filter.callId ?? null, filter.open ?? false],
    );
    return rows.map((r) => ({
      callId: r.call_id,
      home: r.home_region,
      treatment: r.treatment_region,
      statementId: r.statement_id,
      month: r.month,
      prepaymentFen: Number(r.prepayment_fen),
      thresholdFen: Number(r.threshold_fen),
      balanceFen: Number(r.balance_fen),
      amountFen: Number(r.amount_fen),
      calledAt: new Date(r.called_at).toISOString(),
      paidAt: r.paid_at ? new Date(r.paid_at).toISOString() : null,
    }));
  }

  async insertTopUpPayment(callId: string, amountFen: Fen, paidAt: Date, actor: string, q: Queryable): Promise<void> {
    await q.query(`INSERT INTO clearing.top_up_payments (call_id, amount_fen, paid_at, actor) VALUES ($1, $2, $3, $4)`, [callId, amountFen, paidAt, actor]);
  }

  async settlements(statementId: string, q: Queryable = this.db): Promise<SettlementRow[]> {
    const rows = await q.query(`SELECT * FROM clearing.settlements WHERE statement_id = $1 ORDER BY region`, [statementId]);
    return rows.map((r) => ({
      statementId: r.statement_id,
      region: r.region,
      reference: r.reference,
      amountFen: Number(r.amount_fen),
      paidAt: new Date(r.paid_at).toISOString(),
      recordedAt: new Date(r.recorded_at).toISOString(),
    }));
  }

  async insertSettlement(s: SettlementRow & { actor: string }, q: Queryable): Promise<void> {
    await q.query(
      `INSERT INTO clearing.settlements (statement_id, region, reference, amount_fen, paid_at, recorded_at, actor) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [s.statementId, s.region, s.reference, s.amountFen, s.paidAt, s.recordedAt, s.actor],
    );
  }
}

const STATEMENT_SELECT = `SELECT seq, statement_id, kind, period, to_json(closed_at)#>>'{}' AS closed_at, close_command, body::text AS body, body_hash, prev_hash, hash FROM clearing.statements`;

function toRecord(r: any): StatementRecord {
  return {
    seq: Number(r.seq),
    statementId: r.statement_id,
    kind: r.kind,
    period: r.period,
    closedAt: new Date(r.closed_at).toISOString(),
    closeCommand: r.close_command,
    body: r.body,
    bodyHash: r.body_hash,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

function toItem(r: any, statementDate: BusinessDate | null): PendingItem {
  return {
    commandType: r.command_type,
    commandId: r.command_id,
    leg: Number(r.leg),
    line: r.line,
    payer: r.payer,
    payee: r.payee,
    amountFen: Number(r.amount),
    eventDate: r.event_date,
    late: statementDate !== null && r.event_date < statementDate,
    adjustment: Boolean(r.adjustment),
  };
}
