import { CHAIN_COUNT, contentDigestV2, recordHashV2, sha256Text } from '@onecard/ledger';
import type pg from 'pg';
import { copyIn, copyValue } from './copy-in.js';

/**
 * Bulk-appends a valid ledger fast, for measuring at millions of entries: groups of legs between
 * the given (single-shard) accounts, hash-chained exactly as `ledger.commit_batch` does it (hash
 * format 2: the content digest and record hash of @onecard/ledger, computed here in TypeScript),
 * streamed with `COPY … FROM STDIN` in transactions of ~200,000 entries that also move the chain
 * heads and the balances. The verifier checks the result like any other part of the ledger.
 */
export interface BulkSpec {
  /** Entries to append (rounded up to whole groups). */
  entries: number;
  legsPerGroup: number;
  commandType: string;
  idPrefix: string;
  /** Accounts the legs may touch (their shard 0 is used). */
  accounts: readonly string[];
  /** The i-th leg: indexes into `accounts`, and the amount. */
  leg: (i: number) => [from: number, to: number, amount: number];
  onProgress?: (appended: number) => void;
}

const JOURNAL_COLUMNS =
  'chain, seq, format, command_type, command_id, context, terminal_id, actor, decision, reason_code, rule_set_id, rule_version, payload_hash, ' +
  'subject, reverses, regions, legs, event_time, committed_at, http_status, response, details, hash';
export const ENTRY_COLUMNS = 'chain, seq, leg, account_code, shard, amount, balance_after, account_version';
const hex = (b: Buffer | string) => `\\\\x${typeof b === 'string' ? b : b.toString('hex')}`; // COPY text: `\\x` is read as `\x`, bytea's hex form
const CHUNK_ENTRIES = 200_000;

export async function bulkAppend(pool: pg.Pool, spec: BulkSpec): Promise<number> {
  const heads = (
    await pool.query<{ chain: number; seq: string; hash: string }>(
      `SELECT chain, seq::text, encode(hash, 'hex') AS hash FROM ledger.chain_heads ORDER BY chain`,
    )
  ).rows.map((h) => ({ chain: h.chain, seq: Number(h.seq), hash: h.hash }));
  if (heads.length !== CHAIN_COUNT) throw new Error(`expected ${CHAIN_COUNT} chain heads`);
  const state = await pool.query<{ account_code: string; balance: string; version: string }>(
    `SELECT account_code, balance::text, version::text FROM ledger.balances WHERE account_code = ANY($1) AND shard = 0`,
    [spec.accounts],
  );
  const index = new Map(spec.accounts.map((a, i) => [a, i]));
  const balance = new Float64Array(spec.accounts.length);
  const version = new Float64Array(spec.accounts.length);
  for (const r of state.rows) {
    const i = index.get(r.account_code)!;
    balance[i] = Number(r.balance);
    version[i] = Number(r.version);
  }
  if (state.rows.length !== spec.accounts.length) throw new Error('every bulk account must exist');

  const groups = Math.ceil(spec.entries / (2 * spec.legsPerGroup));
  // Commit times lie in the past, one millisecond apart, so later real commits come after them.
  const t0 = Date.now() - groups - 60_000;
  let appended = 0;
  let legNo = 0;
  let journal: string[] = [];
  let entries: string[] = [];
  let pending: Promise<void> = Promise.resolve();
  const touched = new Set<number>();

  for (let g = 0; g < groups; g++) {
    const head = heads[g % CHAIN_COUNT]!;
    const at = new Date(t0 + g).toISOString();
    const us = String((t0 + g) * 1000);
    const commandId = `${spec.idPrefix}-${g}`;
    const payloadHash = sha256Text(commandId);
    const seq0 = head.seq + 1;
    const legs: [string, string, number][] = [];
    let seq = seq0;
    const groupEntries: string[] = [];
    for (let l = 0; l < spec.legsPerGroup; l++) {
      const [from, to, amount] = spec.leg(legNo++);
      legs.push([spec.accounts[from]!, spec.accounts[to]!, amount]);
      for (const [account, amt] of [
        [from, -amount],
        [to, amount],
      ] as const) {
        balance[account] = balance[account]! + amt;
        version[account] = version[account]! + 1;
        touched.add(account);
        groupEntries.push(`${head.chain}\t${++seq}\t${l}\t${spec.accounts[account]}\t0\t${amt}\t${balance[account]}\t${version[account]}`);
      }
    }
    const digest = contentDigestV2({
      commandType: spec.commandType,
      commandId,
      context: 'bench',
      terminalId: null,
      actor: null,
      decision: 'ALLOW',
      reasonCode: null,
      ruleSetId: null,
      ruleVersion: null,
      payloadHash,
      subject: null,
      reverses: null,
      eventTimeUs: us,
      httpStatus: 200,
      legs,
      responseText: '{}',
      detailsText: null,
    });
    const hash = recordHashV2(Buffer.from(head.hash, 'hex'), { chain: head.chain, seq: seq0, committedAtUs: us, regions: [] }, digest).toString('hex');
    journal.push(
      [
        head.chain,
        seq0,
        2,
        spec.commandType,
        commandId,
        'bench',
        null,
        null,
        'ALLOW',
        null,
        null,
        null,
        hex(payloadHash),
        null,
        null,
        '{}',
        spec.legsPerGroup,
        at,
        at,
        200,
        '{}',
        null,
        hex(hash),
      ]
        .map((v) => (typeof v === 'string' && v.startsWith('\\\\x') ? v : copyValue(v)))
        .join('\t'),
    );
    entries.push(...groupEntries);
    head.seq = seq;
    head.hash = hash;
    if (entries.length >= CHUNK_ENTRIES || g === groups - 1) {
      const chunk = {
        journal: `${journal.join('\n')}\n`,
        entries: `${entries.join('\n')}\n`,
        heads: heads.map((h) => ({ ...h })),
        balances: [...touched].map((i) => ({ code: spec.accounts[i]!, balance: balance[i]!, version: version[i]! })),
        count: entries.length,
      };
      journal = [];
      entries = [];
      touched.clear();
      await pending; // one chunk in flight while the next is generated
      pending = flush(pool, chunk).then(() => {
        appended += chunk.count;
        spec.onProgress?.(appended);
      });
    }
  }
  await pending;
  return appended;
}

async function flush(
  pool: pg.Pool,
  chunk: {
    journal: string;
    entries: string;
    heads: { chain: number; seq: number; hash: string }[];
    balances: { code: string; balance: number; version: number }[];
  },
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await copyIn(client, `COPY ledger.journal (${JOURNAL_COLUMNS}) FROM STDIN`, [chunk.journal]);
    await copyIn(client, `COPY ledger.entries (${ENTRY_COLUMNS}) FROM STDIN`, [chunk.entries]);
    await client.query(
      `UPDATE ledger.chain_heads h SET seq = u.seq, hash = decode(u.hash, 'hex'), updated_at = clock_timestamp()
       FROM unnest($1::int[], $2::bigint[], $3::text[]) AS u(chain, seq, hash) WHERE h.chain = u.chain AND h.seq <> u.seq`,
      [chunk.heads.map((h) => h.chain), chunk.heads.map((h) => h.seq), chunk.heads.map((h) => h.hash)],
    );
    await client.query(
      `UPDATE ledger.balances b SET balance = u.balance, version = u.version
       FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS u(code, balance, version) WHERE b.account_code = u.code AND b.shard = 0`,
      [chunk.balances.map((b) => b.code), chunk.balances.map((b) => b.balance), chunk.balances.map((b) => b.version)],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
