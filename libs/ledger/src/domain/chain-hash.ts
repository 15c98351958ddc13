import { createHash } from 'node:crypto';

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
  return createHash('sha256').update(text, 'utf8').digest('hex');
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
  return [
    'J', r.chain, r.seq,
    hashField(r.commandType), hashField(r.commandId), hashField(r.context),
    hashField(r.terminalId), hashField(r.actor), hashField(r.decision),
    hashField(r.reasonCode), hashField(r.ruleSetId), hashField(r.ruleVersion),
    hashField(r.payloadHash), hashField(r.subject), hashField(r.reverses),
    hashField(r.regions.join(',')), r.legs, r.eventTimeUs, r.committedAtUs, r.prevHash,
  ].join('|');
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
  return [
    'E', r.chain, r.seq, hashField(r.commandType), hashField(r.commandId),
    r.leg, hashField(r.accountCode), r.shard, r.amount, r.balanceBefore, r.balanceAfter,
    r.accountVersion, r.eventTimeUs, r.committedAtUs, r.prevHash,
  ].join('|');
}
