import { Injectable } from '@nestjs/common';
import { toJournalRecord, type JournalRecord } from '@onecard/ledger';
import { DataSource } from 'typeorm';
import { encodeCursor, likePrefix, type Position } from '../domain/cursor.js';

/** An account as auditors see it: its terms and its balance summed over shards. */
export interface AccountSummary {
  code: string;
  region: string | null;
  kind: string;
  balanceRule: string;
  shards: number;
  balanceFen: number;
  /** Entries posted to the account (sum of its shards' versions). */
  version: number;
  openedAt: string;
}

export interface HistoryEntry {
  chain: number;
  seq: number;
  leg: number;
  account: string;
  /** The other side of the leg: where the money came from or went to. */
  counterparty: string;
  amountFen: number;
  balanceBeforeFen: number;
  balanceAfterFen: number;
  accountVersion: number;
}

/** One journal record with the entries it posted on the accounts asked about. No response body: it may carry masked personal data. */
export interface HistoryRecord extends Omit<JournalRecord, 'eventTime' | 'committedAt' | 'response'> {
  eventTime: string;
  committedAt: string;
  entries: HistoryEntry[];
}

export interface StatementEntry {
  chain: number;
  seq: number;
  shard: number;
  accountVersion: number;
  commandType: string;
  commandId: string;
  leg: number;
  counterparty: string;
  amountFen: number;
  balanceBeforeFen: number;
  balanceAfterFen: number;
  eventTime: string;
  committedAt: string;
}

export interface AccountFilter {
  prefix?: string;
  kind?: string;
  region?: string;
  after?: string;
  limit: number;
}

const ACCOUNT_SUMMARY = `
  SELECT a.code, a.region, a.kind, a.balance_rule, a.shards, to_json(a.opened_at)#>>'{}' AS opened_at,
         s.balance::text AS balance, s.version::text AS version
  FROM ledger.accounts a
  CROSS JOIN LATERAL (SELECT coalesce(sum(b.balance), 0) AS balance, coalesce(sum(b.version), 0) AS version
                      FROM ledger.balances b WHERE b.account_code = a.code) s`;

// The other side of an entry's leg sits next to it: a debit is followed by its credit.
const COUNTERPARTY = `(SELECT c.account_code FROM ledger.entries c WHERE c.chain = e.chain AND c.seq = e.seq + CASE WHEN e.amount < 0 THEN 1 ELSE -1 END)`;

const JOURNAL_COLUMNS = `j.chain, j.seq, j.command_type, j.command_id, j.context, j.terminal_id, j.actor, j.decision, j.reason_code,
  j.rule_set_id, j.rule_version, j.subject, j.reverses, j.regions, j.legs, j.event_time, j.committed_at, j.http_status, j.details`;

/** Plain SQL reads over the ledger's tables (STYLE.md rule 7): the audit context owns no tables. */
@Injectable()
export class LedgerReadRepository {
  constructor(private readonly dataSource: DataSource) {}

  async accounts(codes: readonly string[]): Promise<AccountSummary[]> {
    const rows = await this.dataSource.query(`${ACCOUNT_SUMMARY} WHERE a.code = ANY($1) ORDER BY a.code`, [codes]);
    return rows.map(toAccount);
  }

  async accountsWithPrefix(prefix: string): Promise<AccountSummary[]> {
    const rows = await this.dataSource.query(`${ACCOUNT_SUMMARY} WHERE a.code LIKE $1 ORDER BY a.code`, [likePrefix(prefix)]);
    return rows.map(toAccount);
  }

  async listAccounts(f: AccountFilter): Promise<{ accounts: AccountSummary[]; nextCursor: string | null }> {
    const rows = await this.dataSource.query(
      `${ACCOUNT_SUMMARY}
       WHERE ($1::text IS NULL OR a.code LIKE $1) AND ($2::text IS NULL OR a.kind = $2) AND ($3::text IS NULL OR a.region = $3)
         AND ($4::text IS NULL OR a.code > $4)
       ORDER BY a.code LIMIT $5`,
      [f.prefix ? likePrefix(f.prefix) : null, f.kind ?? null, f.region ?? null, f.after ?? null, f.limit + 1],
    );
    const accounts = rows.slice(0, f.limit).map(toAccount);
    return { accounts, nextCursor: rows.length > f.limit ? accounts[accounts.length - 1]!.code : null };
  }

  /**
   * Journal records whose subject is the card or that posted entries on the given accounts, in
   * commit order from `after`, with those entries.
   */
  async history(
    subject: string,
    codes: readonly string[],
    after: Position | null,
    limit: number,
  ): Promise<{ records: HistoryRecord[]; nextCursor: string | null }> {
    const rows = await this.dataSource.query(
      `WITH keys AS (
         SELECT chain, seq FROM ledger.journal WHERE subject = $1
         UNION
         SELECT j.chain, j.seq FROM ledger.journal j
         WHERE (j.command_type, j.command_id) IN (SELECT e.command_type, e.command_id FROM ledger.entries e WHERE e.account_code = ANY($2))
       )
       SELECT ${JOURNAL_COLUMNS}, (extract(epoch FROM j.committed_at) * 1000)::bigint::text AS at_ms
       FROM keys k JOIN ledger.journal j ON j.chain = k.chain AND j.seq = k.seq
       WHERE $3::bigint IS NULL OR (j.committed_at, j.chain, j.seq) > ('epoch'::timestamptz + $3 * interval '1 millisecond', $4, $5)
       ORDER BY j.committed_at, j.chain, j.seq
       LIMIT $6`,
      [subject, codes, after?.atMs ?? null, after?.a ?? 0, after?.b ?? 0, limit + 1],
    );
    const page = rows.slice(0, limit);
    const records: HistoryRecord[] = page.map(toRecord);
    if (records.length > 0 && codes.length > 0) {
      const entries = await this.dataSource.query(
        `SELECT e.chain, e.seq, e.command_type, e.command_id, e.leg, e.account_code, e.amount, e.balance_before, e.balance_after,
                e.account_version, ${COUNTERPARTY} AS counterparty
         FROM ledger.entries e
         WHERE e.account_code = ANY($1) AND (e.command_type, e.command_id) IN (SELECT * FROM unnest($2::text[], $3::text[]))
         ORDER BY e.chain, e.seq`,
        [codes, records.map((r) => r.commandType), records.map((r) => r.commandId)],
      );
      const byCommand = new Map(records.map((r) => [`${r.commandType}:${r.commandId}`, r]));
      for (const e of entries) {
        byCommand.get(`${e.command_type}:${e.command_id}`)?.entries.push({
          chain: e.chain,
          seq: Number(e.seq),
          leg: e.leg,
          account: e.account_code,
          counterparty: e.counterparty,
          amountFen: Number(e.amount),
          balanceBeforeFen: Number(e.balance_before),
          balanceAfterFen: Number(e.balance_after),
          accountVersion: Number(e.account_version),
        });
      }
    }
    const last = page[page.length - 1];
    return { records, nextCursor: rows.length > limit && last ? encodeCursor({ atMs: Number(last.at_ms), a: last.chain, b: Number(last.seq) }) : null };
  }

  /**
   * An account's entries, newest first, from `before`. Order: commit time, then shard, then
   * version, all descending. Within a shard the commit time never goes back as the version grows
   * (it is read under the shard's lock), so each shard's slice is a run of versions.
   */
  async statement(code: string, shards: number, before: Position | null, limit: number): Promise<{ entries: StatementEntry[]; nextCursor: string | null }> {
    const rows = await this.dataSource.query(
      `SELECT x.* FROM generate_series(0, $2 - 1) AS s(shard)
       CROSS JOIN LATERAL (
         SELECT e.chain, e.seq, e.shard, e.account_version, e.command_type, e.command_id, e.leg, e.amount, e.balance_before,
                e.balance_after, e.event_time, e.committed_at, ${COUNTERPARTY} AS counterparty,
                (extract(epoch FROM e.committed_at) * 1000)::bigint::text AS at_ms
         FROM ledger.entries e
         WHERE e.account_code = $1 AND e.shard = s.shard
           AND ($3::bigint IS NULL OR (e.committed_at, e.shard, e.account_version) < ('epoch'::timestamptz + $3 * interval '1 millisecond', $4, $5))
         ORDER BY e.account_version DESC LIMIT $6) x
       ORDER BY x.committed_at DESC, x.shard DESC, x.account_version DESC
       LIMIT $6`,
      [code, shards, before?.atMs ?? null, before?.a ?? 0, before?.b ?? 0, limit + 1],
    );
    const page = rows.slice(0, limit);
    const entries: StatementEntry[] = page.map((e: Record<string, any>) => ({
      chain: e.chain,
      seq: Number(e.seq),
      shard: e.shard,
      accountVersion: Number(e.account_version),
      commandType: e.command_type,
      commandId: e.command_id,
      leg: e.leg,
      counterparty: e.counterparty,
      amountFen: Number(e.amount),
      balanceBeforeFen: Number(e.balance_before),
      balanceAfterFen: Number(e.balance_after),
      eventTime: new Date(e.event_time).toISOString(),
      committedAt: new Date(e.committed_at).toISOString(),
    }));
    const last = page[page.length - 1];
    return {
      entries,
      nextCursor: rows.length > limit && last ? encodeCursor({ atMs: Number(last.at_ms), a: last.shard, b: Number(last.account_version) }) : null,
    };
  }
}

function toAccount(r: Record<string, any>): AccountSummary {
  return {
    code: r.code,
    region: r.region,
    kind: r.kind,
    balanceRule: r.balance_rule,
    shards: r.shards,
    balanceFen: Number(r.balance),
    version: Number(r.version),
    openedAt: new Date(r.opened_at).toISOString(),
  };
}

function toRecord(r: Record<string, any>): HistoryRecord {
  const { response: _response, eventTime, committedAt, ...record } = toJournalRecord(r);
  return { ...record, eventTime: new Date(eventTime).toISOString(), committedAt: new Date(committedAt).toISOString(), entries: [] };
}
