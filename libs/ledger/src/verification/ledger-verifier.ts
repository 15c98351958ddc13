import { Injectable } from '@nestjs/common';
import pg, { type PoolClient, type QueryArrayResult } from 'pg';
import { DataSource } from 'typeorm';
import { microsFromUtcText } from '../domain/chain-hash.js';
import { LedgerAudit, type ChainSummary, type DigestEntry, type EntryRow, type JournalRow, type LedgerBreak } from '../domain/ledger-audit.js';

export interface VerificationProgress {
  /** Journal records and entries checked so far. */
  checked: number;
  /** Records on all chains at the snapshot (sum of the chain heads' sequence numbers). */
  total: number;
  phase: 'chains' | 'balances';
}

export interface VerifyOptions {
  /** An earlier digest: the recomputed hash at each (chain, seq) must still be its hash. */
  digest?: readonly DigestEntry[];
  onProgress?: (p: VerificationProgress) => void;
  /** Sequence numbers per page and chain (journal and entries together); default 5,000. */
  pageSize?: number;
  /** Breaks listed in the answer (all are counted); default 100. */
  maxBreaks?: number;
}

export interface VerificationResult {
  ok: boolean;
  checkedEntries: number;
  checkedJournal: number;
  checkedBalances: number;
  /** Each chain as found: its last sequence number and hash, and how many records it holds. */
  chains: ChainSummary[];
  /** How many digest entries were compared (0 without a digest). */
  digestChecked: number;
  firstBreak?: LedgerBreak;
  /** The first `maxBreaks` breaks, in the order found. */
  breaks: LedgerBreak[];
  breakCount: number;
  /** When the snapshot was taken (the database clock). */
  asOf: string;
  durationMs: number;
  entriesPerSecond: number;
}

/**
 * bigint columns as exact numbers and timestamps as PostgreSQL's own text, whatever parsers the
 * process installed globally. The text (UTC, ISO) becomes integer microseconds in TypeScript:
 * converting in SQL (numeric arithmetic) costs more than everything else per row.
 */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === 20) return parseInt8;
    if (oid === 1184) return (text: string) => text;
    if (oid === 17) return (text: string) => text.slice(2); // bytea as hex (the audit compares hex)
    if (oid === 114) return (text: string) => text; // json as stored text (format 2 hashes its canonical form)
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};

function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`bigint ${text} exceeds the safe integer range`);
  return n;
}

/** The records of a group share their times: convert each distinct text once (a small, bounded memo). */
function microsCache(): (text: string) => string {
  const memo = new Map<string, string>();
  return (text) => {
    let us = memo.get(text);
    if (us === undefined) {
      if (memo.size > 4096) memo.clear();
      us = microsFromUtcText(text);
      memo.set(text, us);
    }
    return us;
  };
}

const JOURNAL_SQL = `
  SELECT seq, command_type, command_id, context, terminal_id, actor, decision, reason_code, rule_set_id,
         rule_version, payload_hash, subject, reverses, regions, legs, event_time, committed_at, prev_hash, hash,
         format, http_status, response, details
  FROM ledger.journal WHERE chain = $1 AND seq > $2 AND seq <= $3 ORDER BY seq`;

const ENTRIES_SQL = `
  SELECT seq, command_type, command_id, leg, account_code, shard, amount, balance_before, balance_after,
         account_version, event_time, committed_at, prev_hash, hash
  FROM ledger.entries WHERE chain = $1 AND seq > $2 AND seq <= $3 ORDER BY seq`;

const CHAIN_END_SQL = `
  SELECT greatest((SELECT max(seq) FROM ledger.journal WHERE chain = $1), (SELECT max(seq) FROM ledger.entries WHERE chain = $1)) AS end`;

const BALANCES_SQL = `
  SELECT b.account_code, b.shard, b.shards, b.balance_rule, b.region, b.balance, b.version,
         a.code IS NOT NULL, a.balance_rule, a.shards, a.region
  FROM ledger.balances b LEFT JOIN ledger.accounts a ON a.code = b.account_code
  WHERE (b.account_code, b.shard) > ($1, $2) ORDER BY b.account_code, b.shard LIMIT $3`;

/**
 * Verifies the whole ledger from one consistent snapshot (a REPEATABLE READ, READ ONLY
 * transaction), so it runs beside live traffic: every chain is streamed in keyset pages of
 * sequence numbers, journal and entries merged, and checked by `LedgerAudit`; then every balance
 * shard is compared with the sum of its entries. The next page is fetched while the current one
 * is hashed.
 */
@Injectable()
export class LedgerVerifier {
  constructor(private readonly dataSource: DataSource) {}

  async verify(opts: VerifyOptions = {}): Promise<VerificationResult> {
    const started = performance.now();
    const pageSize = opts.pageSize ?? 5_000;
    const audit = new LedgerAudit({ digest: opts.digest, maxBreaks: opts.maxBreaks });
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    let asOf = '';
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      // Timestamps as UTC ISO text; each page an index range scan in sequence order (no sort, no workers).
      await client.query(
        `SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL enable_bitmapscan = off; SET LOCAL max_parallel_workers_per_gather = 0`,
      );
      // A long verification is many short statements; the service's statement timeout still applies to each.
      const heads = await client.query<{ chain: number; seq: number; hash: string; now: string }>({
        text: `SELECT chain, seq, hash, to_json(now())#>>'{}' AS now FROM ledger.chain_heads ORDER BY chain`,
        types: TYPES,
      });
      asOf = heads.rows[0]?.now ?? new Date().toISOString();
      const total = heads.rows.reduce((s, h) => s + h.seq, 0);
      audit.checkDigestChains(heads.rows.map((h) => h.chain));
      let checked = 0;
      // All chains advance window by window together: chains grow at about the same pace, so the
      // rows of one window of every chain lie in the same stretch of the tables (fewer page reads).
      const chains = [];
      for (const head of heads.rows) {
        audit.startChain(head.chain);
        // Read to the last record actually stored, so records past the head are seen too.
        const [end] = (await client.query<{ end: number }>({ text: CHAIN_END_SQL, values: [head.chain], types: TYPES })).rows;
        chains.push({ head, last: Math.max(head.seq, end?.end ?? 0) });
      }
      const windows = chains.flatMap(({ head, last }) =>
        Array.from({ length: Math.ceil(last / pageSize) }, (_, w) => ({ chain: head.chain, lo: w * pageSize, w })),
      );
      windows.sort((a, b) => a.w - b.w || a.chain - b.chain);
      const us = microsCache();
      let next = windows[0] ? this.page(client, windows[0].chain, windows[0].lo, pageSize) : null;
      for (let i = 0; next; i++) {
        const [journal, entries] = await next;
        const at = windows[i]!;
        next = windows[i + 1] ? this.page(client, windows[i + 1]!.chain, windows[i + 1]!.lo, pageSize) : null; // in flight while this page is hashed
        audit.selectChain(at.chain);
        checked += this.feed(audit, at.chain, journal, entries, us);
        opts.onProgress?.({ checked, total, phase: 'chains' });
      }
      for (const { head } of chains) {
        audit.selectChain(head.chain);
        audit.endChain({ seq: head.seq, hash: head.hash });
      }
      opts.onProgress?.({ checked, total, phase: 'balances' });
      let after: [string, number] = ['', -1];
      for (;;) {
        const page: QueryArrayResult = await client.query({ text: BALANCES_SQL, values: [after[0], after[1], pageSize], rowMode: 'array', types: TYPES });
        for (const r of page.rows) {
          audit.balance({
            accountCode: r[0],
            shard: r[1],
            shards: r[2],
            balanceRule: r[3],
            region: r[4],
            balance: r[5],
            version: r[6],
            account: r[7] ? { balanceRule: r[8], shards: r[9], region: r[10] } : null,
          });
        }
        if (page.rows.length < pageSize) break;
        const last = page.rows[page.rows.length - 1]!;
        after = [last[0], last[1]];
      }
      audit.finish();
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
    const durationMs = Math.round(performance.now() - started);
    return {
      ok: audit.ok,
      checkedEntries: audit.checkedEntries,
      checkedJournal: audit.checkedJournal,
      checkedBalances: audit.checkedBalances,
      chains: audit.chains,
      digestChecked: opts.digest?.length ?? 0,
      ...(audit.firstBreak ? { firstBreak: audit.firstBreak } : {}),
      breaks: audit.breaks,
      breakCount: audit.breakCount,
      asOf,
      durationMs,
      entriesPerSecond: durationMs > 0 ? Math.round((audit.checkedEntries * 1000) / durationMs) : audit.checkedEntries,
    };
  }

  private page(client: PoolClient, chain: number, lo: number, size: number): Promise<[QueryArrayResult, QueryArrayResult]> {
    const values = [chain, lo, lo + size];
    return Promise.all([
      client.query({ text: JOURNAL_SQL, values, rowMode: 'array', types: TYPES }),
      client.query({ text: ENTRIES_SQL, values, rowMode: 'array', types: TYPES }),
    ]);
  }

  /** Feeds one page of both tables to the audit in sequence order; answers how many rows it held. */
  private feed(audit: LedgerAudit, chain: number, journal: QueryArrayResult, entries: QueryArrayResult, us: (text: string) => string): number {
    const js = journal.rows;
    const es = entries.rows;
    let i = 0;
    let k = 0;
    while (i < js.length || k < es.length) {
      if (k >= es.length || (i < js.length && js[i]![0] <= es[k]![0])) audit.journal(toJournal(chain, js[i++]!, us));
      else audit.entry(toEntry(chain, es[k++]!, us));
    }
    return js.length + es.length;
  }
}

function toJournal(chain: number, r: any[], us: (text: string) => string): JournalRow {
  return {
    chain,
    seq: r[0],
    commandType: r[1],
    commandId: r[2],
    context: r[3],
    terminalId: r[4],
    actor: r[5],
    decision: r[6],
    reasonCode: r[7],
    ruleSetId: r[8],
    ruleVersion: r[9],
    payloadHash: r[10],
    subject: r[11],
    reverses: r[12],
    regions: r[13] ?? [],
    legs: r[14],
    eventTimeUs: us(r[15]),
    committedAtUs: us(r[16]),
    prevHash: r[17],
    hash: r[18],
    format: r[19],
    httpStatus: r[20],
    responseText: r[21],
    detailsText: r[22],
  };
}

function toEntry(chain: number, r: any[], us: (text: string) => string): EntryRow {
  return {
    chain,
    seq: r[0],
    commandType: r[1],
    commandId: r[2],
    leg: r[3],
    accountCode: r[4],
    shard: r[5],
    amount: r[6],
    balanceBefore: r[7],
    balanceAfter: r[8],
    accountVersion: r[9],
    eventTimeUs: r[10] === null ? null : us(r[10]),
    committedAtUs: r[11] === null ? null : us(r[11]),
    prevHash: r[12],
    hash: r[13],
  };
}
