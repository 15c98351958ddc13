import * as crypto from 'node:crypto';
import { canonicalJson } from '@onecard/kernel';

// One-shot hashing (Node ≥ 20.12) skips the Hash object: it matters when verifying millions.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

/**
 * The canonical records the ledger hashes, mirrored from `ledger.commit_command` (migration
 * Ledger1796001000000). Fields are joined by `|`; within a field `\` and `|` are escaped; absent
 * values are empty; times are integer microseconds since the Unix epoch. Each record ends with the
 * previous hash of its chain, so changing any record changes every later hash.
 */
export function hashField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : String(value);
  // Most fields hold neither character: skip the regex work (the verifier hashes millions).
  if (text.indexOf('\\') < 0 && text.indexOf('|') < 0) return text;
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
}

export function sha256Text(text: string): string {
  return oneShot ? oneShot('sha256', text, 'hex') : crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Integer microseconds since the Unix epoch from PostgreSQL's text form of a timestamptz in UTC
 * with ISO DateStyle (`2026-03-02 00:00:00.789+00`), as `ledger.us()` computes them in SQL.
 */
export function microsFromUtcText(text: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?\+00$/.exec(text);
  if (!m) throw new Error(`unexpected timestamp text "${text}" (want ISO DateStyle in UTC)`);
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  const fraction = m[7] ? Number(m[7].padEnd(6, '0')) : 0;
  return String(ms * 1000 + fraction);
}

export function genesisHash(chain: number): string {
  return sha256Text(`onecard-ledger-genesis|${chain}`);
}

export interface JournalHashFields {
  chain: number;
  seq: number;
  commandType: string;
  commandId: string;
  context: string;
  terminalId: string | null;
  actor: string | null;
  decision: string;
  reasonCode: string | null;
  ruleSetId: string | null;
  ruleVersion: number | null;
  payloadHash: string;
  subject: string | null;
  reverses: string | null;
  regions: readonly string[];
  /** Number of legs; the group's 2 × legs entries follow the record on its chain. */
  legs: number;
  eventTimeUs: string;
  committedAtUs: string;
  prevHash: string;
}

export function journalRecord(r: JournalHashFields): string {
  // A template, not an array join: the verifier encodes millions of records.
  return `J|${r.chain}|${r.seq}|${hashField(r.commandType)}|${hashField(r.commandId)}|${hashField(r.context)}|${hashField(r.terminalId)}|${hashField(r.actor)}|${hashField(r.decision)}|${hashField(r.reasonCode)}|${hashField(r.ruleSetId)}|${hashField(r.ruleVersion)}|${hashField(r.payloadHash)}|${hashField(r.subject)}|${hashField(r.reverses)}|${hashField(r.regions.join(','))}|${r.legs}|${r.eventTimeUs}|${r.committedAtUs}|${r.prevHash}`;
}

export interface EntryHashFields {
  chain: number;
  seq: number;
  commandType: string;
  commandId: string;
  leg: number;
  accountCode: string;
  shard: number;
  amount: number;
  balanceBefore: number;
  balanceAfter: number;
  accountVersion: number;
  eventTimeUs: string;
  committedAtUs: string;
  prevHash: string;
}

export function entryRecord(r: EntryHashFields): string {
  return `E|${r.chain}|${r.seq}|${hashField(r.commandType)}|${hashField(r.commandId)}|${r.leg}|${hashField(r.accountCode)}|${r.shard}|${r.amount}|${r.balanceBefore}|${r.balanceAfter}|${r.accountVersion}|${r.eventTimeUs}|${r.committedAtUs}|${r.prevHash}`;
}

// --- Format 2 (migration LedgerBatch1796010000000, ADR 0003 "Hash formats") ---

/** What a format 2 journal record commits to besides its place on the chain: RFC 8785 canonical JSON of these fields. */
export interface JournalContentV2 {
  commandType: string;
  commandId: string;
  context: string;
  terminalId: string | null;
  actor: string | null;
  decision: string;
  reasonCode: string | null;
  ruleSetId: string | null;
  ruleVersion: number | null;
  /** Hex of the payload digest. */
  payloadHash: string;
  subject: string | null;
  reverses: string | null;
  eventTimeUs: string;
  httpStatus: number;
  /** Each leg as [from, to, amount]: the entries of the record must be exactly these. */
  legs: readonly (readonly [string, string, number])[];
  /** The response and the decision details exactly as stored (`json` keeps its text): their SHA-256 is part of the content. */
  responseText: string;
  detailsText: string | null;
}

/**
 * SHA-256 of the canonical JSON (RFC 8785, `canonicalize`) of a record's content, the response and
 * the decision details standing in it by the SHA-256 of their stored text (what a replay returns,
 * byte for byte). Computed by the engine before commit and recomputed by the verifier from the
 * stored columns and entries.
 */
export function contentDigestV2(c: JournalContentV2): Buffer {
  const text = canonicalJson({
    v: 2,
    type: c.commandType,
    id: c.commandId,
    context: c.context,
    terminal: c.terminalId,
    actor: c.actor,
    decision: c.decision,
    reason: c.reasonCode,
    ruleSet: c.ruleSetId,
    ruleVersion: c.ruleVersion,
    payload: c.payloadHash,
    subject: c.subject,
    reverses: c.reverses,
    event: c.eventTimeUs,
    status: c.httpStatus,
    legs: c.legs,
    response: sha256Text(c.responseText),
    details: c.detailsText === null ? null : sha256Text(c.detailsText),
  });
  return crypto.createHash('sha256').update(text, 'utf8').digest();
}

/**
 * A format 2 record's hash: SHA-256(previous hash ‖ `J2|chain|seq|committed µs|regions|` ‖ content
 * digest), as `ledger.commit_batch` computes it (the part only the database knows at commit — its
 * place on the chain, the commit time and the regions of the accounts it moved — in the clear).
 */
export function recordHashV2(prev: Buffer, r: { chain: number; seq: number; committedAtUs: string; regions: readonly string[] }, digest: Buffer): Buffer {
  return crypto
    .createHash('sha256')
    .update(prev)
    .update(`J2|${r.chain}|${r.seq}|${r.committedAtUs}|${r.regions.join(',')}|`, 'utf8')
    .update(digest)
    .digest();
}
