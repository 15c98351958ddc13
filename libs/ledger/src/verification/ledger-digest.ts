import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DigestEntry } from '../domain/ledger-audit.js';

/** One chain head as published: an auditor keeps these to detect a later rewrite of history. */
export interface DigestHead extends DigestEntry {
  /** When the head last moved (the commit time of its last record). */
  at: string;
}

/**
 * The ledger digest (QLDB / immudb style): every chain head's sequence number and hash. Kept
 * outside the database (printed, mailed, saved by `npm run verify-ledger -- --save-digest`), it
 * lets a later verification prove that nothing up to those points was rewritten, even if every
 * later hash was recomputed to match.
 */
@Injectable()
export class LedgerDigest {
  constructor(private readonly dataSource: DataSource) {}

  async current(): Promise<DigestHead[]> {
    const rows: { chain: number; seq: string | number; hash: string; at: string }[] = await this.dataSource.query(
      `SELECT chain, seq, encode(hash, 'hex') AS hash, to_json(updated_at)#>>'{}' AS at FROM ledger.chain_heads ORDER BY chain`,
    );
    return rows.map((r) => ({ chain: r.chain, seq: Number(r.seq), hash: r.hash, at: new Date(r.at).toISOString() }));
  }
}
