import { sha256Hex } from '@onecard/kernel';

/** The hashed fields of a closed statement (`clearing.statements`). */
export interface StatementRecord {
  seq: number;
  statementId: string;
  kind: 'DAY' | 'MONTH';
  period: string;
  closedAt: string;
  closeCommand: string;
  /** The body exactly as stored (JSON text). */
  body: string;
  bodyHash: string;
  prevHash: string;
  hash: string;
}

export const STATEMENT_GENESIS = sha256Hex('onecard-clearing-genesis');

/**
 * Closed statements form one hash chain, like the ledger's journal: each hash covers the record's
 * fields, the SHA-256 of its body text and the previous hash, so changing any statement changes
 * every later hash, and the head published in the ledger digest catches a rewrite of the chain.
 */
export function statementHash(r: Omit<StatementRecord, 'hash' | 'body'>): string {
  return sha256Hex(['S', r.seq, r.statementId, r.kind, r.period, r.closedAt, r.closeCommand, r.bodyHash, r.prevHash].join('|'));
}

export interface StatementBreak {
  seq: number;
  statementId: string;
  check: 'SEQUENCE' | 'LINK' | 'BODY_HASH' | 'HASH';
  expected: string;
  found: string;
}

/** Recomputes the chain from its stored rows (in seq order): the first break, or null. */
export function verifyStatementChain(rows: readonly StatementRecord[]): StatementBreak | null {
  let prev = STATEMENT_GENESIS;
  let expectedSeq = 1;
  for (const r of rows) {
    const at = { seq: r.seq, statementId: r.statementId };
    if (r.seq !== expectedSeq) return { ...at, check: 'SEQUENCE', expected: String(expectedSeq), found: String(r.seq) };
    if (r.prevHash !== prev) return { ...at, check: 'LINK', expected: prev, found: r.prevHash };
    const bodyHash = sha256Hex(r.body);
    if (bodyHash !== r.bodyHash) return { ...at, check: 'BODY_HASH', expected: bodyHash, found: r.bodyHash };
    const hash = statementHash(r);
    if (hash !== r.hash) return { ...at, check: 'HASH', expected: hash, found: r.hash };
    prev = r.hash;
    expectedSeq++;
  }
  return null;
}
