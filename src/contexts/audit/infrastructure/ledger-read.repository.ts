import { Injectable } from '@nestjs/common';
import { LEDGER_SQL, toJournalRecord, type JournalRecord } from '@onecard/ledger';
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

const { records: RECORDS, entries: ENTRIES, accountBalances: ACCOUNT_BALANCES } = LEDGER_SQL;

const ACCOUNT_SUMMARY = `
  SELECT a.account_code AS code, a.region, a.kind, a.balance_rule, a.shards, to_json(a.opened_at)#>>'{}' AS opened_at,
         a.balance::text AS balance, a.version::text AS version
  FROM ${ACCOUNT_BALANCES} a`;

// The other side of an entry's leg sits next to it on its chain: a debit is followed by its credit.
const COUNTERPARTY = `(SELECT c.account_code FROM ${ENTRIES} c WHERE c.chain = e.chain AND c.seq = e.seq + CASE WHEN e.amount < 0 THEN 1 ELSE -1 END)`;

const RECORD_COLUMNS = `r.chain, r.seq, r.command_type, r.command_id, r.context, r.terminal_id, r.actor, r.decision, r.reason_code,
  r.rule_set_id, r.rule_version, r.subject, r.reverses, r.regions, r.legs, r.event_time, r.committed_at, r.http_status, r.details`;

/**
 * Plain SQL reads of the ledger (STYLE.md rule 7) through the views it exports (`LEDGER_SQL`): the
 * journal's records, the entries with their records, the accounts with their balances. The audit
 * context owns no tables. An entry's balance before is its balance after less its amount.
 */
@Injectable()
export class LedgerReadRepository {
  constructor(private readonly dataSource: DataSource) {}

  async accounts(codes: readonly string[]): Promise<AccountSummary[]> {
    const rows = await this.dataSource.query(`${ACCOUNT_SUMMARY} WHERE a.account_code = ANY($1) ORDER BY a.account_code`, [codes]);
    return rows.map(toAccount);
  }

  async accountsWithPrefix(prefix: string): Promise<AccountSummary[]> {
    const rows = await this.dataSource.query(`${ACCOUNT_SUMMARY} WHERE a.account_code LIKE $1 ORDER BY a.account_code`, [likePrefix(prefix)]);
    return rows.map(toAccount);
  }

  async listAccounts(f: AccountFilter): Promise<{ accounts: AccountSummary[]; nextCursor: string | null }> {
    const rows = await this.dataSource.query(
      `${ACCOUNT_SUMMARY}
       WHERE ($1::text IS NULL OR a.account_code LIKE $1) AND ($2::text IS NULL OR a.kind = $2) AND ($3::text IS NULL OR a.region = $3)
         AND ($4::text IS NULL OR a.account_code > $4)
       ORDER BY a.account_code LIMIT $5`,
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
         SELECT chain, seq FROM ${RECORDS} WHERE subject = $1
         UNION
         SELECT chain, journal_seq FROM ${ENTRIES} WHERE account_code = ANY($2)
       )
       SELECT ${RECORD_COLUMNS}, (extract(epoch FROM r.committed_at) * 1000)::bigint::text AS at_ms
       FROM keys k JOIN ${RECORDS} r ON r.chain = k.chain AND r.seq = k.seq
       WHERE $3::bigint IS NULL OR (r.committed_at, r.chain, r.seq) > ('epoch'::timestamptz + $3 * interval '1 millisecond', $4, $5)
       ORDER BY r.committed_at, r.chain, r.seq
       LIMIT $6`,
      [subject, codes, after?.atMs ?? null, after?.a ?? 0, after?.b ?? 0, limit + 1],
    );
    const page = rows.slice(0, limit);
    const records: HistoryRecord[] = page.map(toRecord);
    if (records.length > 0 && codes.length > 0) {
      // A record's entries follow it on its chain: seq + 1 .. seq + 2 × legs.
      const entries = await this.dataSource.query(
        `SELECT e.chain, e.seq, e.journal_seq, e.leg, e.account_code, e.amount, e.balance_after, e.account_version, ${COUNTERPARTY} AS counterparty
         FROM unnest($2::int[], $3::bigint[], $4::int[]) AS r(chain, seq, legs)
         JOIN ${ENTRIES} e ON e.chain = r.chain AND e.seq > r.seq AND e.seq <= r.seq + 2 * r.legs
         WHERE e.account_code = ANY($1)
         ORDER BY e.chain, e.seq`,
        [codes, records.map((r) => r.chain), records.map((r) => r.seq), records.map((r) => r.legs)],
      );
      const byRecord = new Map(records.map((r) => [`${r.chain}/${r.seq}`, r]));
      for (const e of entries) {
        byRecord.get(`${e.chain}/${e.journal_seq}`)?.entries.push({
          chain: e.chain,
          seq: Number(e.seq),
          leg: e.leg,
          account: e.account_code,
          counterparty: e.counterparty,
          amountFen: Number(e.amount),
          balanceBeforeFen: Number(e.balance_after) - Number(e.amount),
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
         SELECT e.chain, e.seq, e.shard, e.account_version, e.command_type, e.command_id, e.leg, e.amount, e.balance_after,
                e.event_time, e.committed_at, ${COUNTERPARTY} AS counterparty,
                (extract(epoch FROM e.committed_at) * 1000)::bigint::text AS at_ms
         FROM ${ENTRIES} e
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
      balanceBeforeFen: Number(e.balance_after) - Number(e.amount),
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
