import type { Region } from '@onecard/kernel';
import { contentDigestV2 } from './domain/chain-hash.js';
import { validateLegs, type AlreadyReversed, type Leg, type LedgerRefusal } from './domain/transfer.js';

/** A statement with explicitly cast `$n` parameters, for the command engine to send. */
export interface LedgerStatement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** One command's journal record as the engine hands it to the ledger at commit. */
export interface JournalInput {
  type: string;
  id: string;
  context: string;
  terminalId: string | null;
  actor: string | null;
  decision: 'ALLOW' | 'DENY';
  reasonCode: string | null;
  ruleSetId: string | null;
  ruleVersion: number | null;
  /** SHA-256 of the canonical request (terminal and payload): tells a retry from a reuse. */
  payloadHash: Buffer;
  subject: string | null;
  reverses: string | null;
  /** Regions the command names beyond those of the accounts it moves. */
  regions: readonly Region[];
  eventTime: Date;
  httpStatus: number;
  /** The response body as stored and replayed byte for byte. */
  responseText: string;
  /** The decision details as stored (compacted: `compactDetails`). */
  detailsText: string | null;
  legs: readonly Leg[];
}

/** SQLSTATE raised by `ledger.commit_batch` when the ledger refuses (DETAIL: the refusal as JSON, with the command's ordinal). */
export const LEDGER_REFUSAL_SQLSTATE = 'LDG01';

/** The refusal `commit_batch` raised, and the batch position (0-based) of the command it refused. */
export type BatchRefusal = { index: number; refusal: LedgerRefusal | AlreadyReversed };

/** The refusal carried by a database error from `commit_batch`, or null if it is something else. */
export function batchRefusalOf(error: unknown): BatchRefusal | null {
  const e = error as { code?: unknown; detail?: unknown };
  if (e?.code !== LEDGER_REFUSAL_SQLSTATE || typeof e.detail !== 'string') return null;
  const { ordinal, ...refusal } = JSON.parse(e.detail) as { ordinal: number } & (LedgerRefusal | AlreadyReversed);
  return { index: ordinal - 1, refusal: refusal as LedgerRefusal | AlreadyReversed };
}

/**
 * The claim that opens every command transaction: the batch's command ids locked (ADR 0012) and
 * the stored results of those already journaled, as rows `{i (1-based), payload_hash, …}`.
 */
export function claimCommandsStatement(commands: readonly { type: string; id: string }[]): LedgerStatement {
  return {
    sql: `SELECT i, payload_hash, http_status, response, decision, reason_code FROM ledger.claim_commands($1::text[], $2::text[])`,
    params: [commands.map((c) => c.type), commands.map((c) => c.id)],
  };
}

export interface StoredResult {
  payloadHash: Buffer;
  httpStatus: number;
  response: unknown;
  decision: 'ALLOW' | 'DENY';
  reasonCode: string | null;
}

/** Rows of `claimCommandsStatement` by batch position (0-based). */
export function storedResults(rows: readonly Record<string, any>[]): Map<number, StoredResult> {
  return new Map(
    rows.map((r) => [
      Number(r.i) - 1,
      { payloadHash: r.payload_hash, httpStatus: r.http_status, response: r.response, decision: r.decision, reasonCode: r.reason_code },
    ]),
  );
}

/**
 * `SELECT ledger.commit_batch(…)` for the records of a batch, in batch order: the journal records,
 * their entries, the balance moves and the chain head, set-based (migration
 * LedgerBatch1796010000000). Each record's content digest (hash format 2) is computed here.
 */
export function commitBatchStatement(records: readonly JournalInput[]): LedgerStatement {
  const legCmd: number[] = [];
  const legFrom: string[] = [];
  const legTo: string[] = [];
  const legAmount: number[] = [];
  records.forEach((r, i) => {
    validateLegs(r.legs);
    for (const l of r.legs) {
      legCmd.push(i + 1);
      legFrom.push(l.from);
      legTo.push(l.to);
      legAmount.push(l.amount);
    }
  });
  const col = <T>(f: (r: JournalInput) => T) => records.map(f);
  return {
    sql: `SELECT ledger.commit_batch($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[],
      $10::bytea[], $11::text[], $12::text[], $13::text[], $14::timestamptz[], $15::int[], $16::text[], $17::text[], $18::bytea[], $19::int[],
      $20::text[], $21::text[], $22::bigint[]) AS committed`,
    params: [
      col((r) => r.type),
      col((r) => r.id),
      col((r) => r.context),
      col((r) => r.terminalId),
      col((r) => r.actor),
      col((r) => r.decision),
      col((r) => r.reasonCode),
      col((r) => r.ruleSetId),
      col((r) => r.ruleVersion),
      col((r) => r.payloadHash),
      col((r) => r.subject),
      col((r) => r.reverses),
      col((r) => r.regions.join(',')),
      col((r) => r.eventTime),
      col((r) => r.httpStatus),
      col((r) => r.responseText),
      col((r) => r.detailsText),
      col(contentDigestOf),
      legCmd,
      legFrom,
      legTo,
      legAmount,
    ],
  };
}

function contentDigestOf(r: JournalInput): Buffer {
  return contentDigestV2({
    commandType: r.type,
    commandId: r.id,
    context: r.context,
    terminalId: r.terminalId,
    actor: r.actor,
    decision: r.decision,
    reasonCode: r.reasonCode,
    ruleSetId: r.ruleSetId,
    ruleVersion: r.ruleVersion,
    payloadHash: r.payloadHash.toString('hex'),
    subject: r.subject,
    reverses: r.reverses,
    eventTimeUs: String(r.eventTime.getTime() * 1000),
    httpStatus: r.httpStatus,
    legs: r.legs.map((l) => [l.from, l.to, l.amount] as const),
    responseText: r.responseText,
    detailsText: r.detailsText,
  });
}
