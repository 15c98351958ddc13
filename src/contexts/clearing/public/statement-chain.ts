import { Injectable } from '@nestjs/common';
import { STATEMENT_GENESIS, verifyStatementChain, type StatementBreak, type StatementRecord } from '../domain/statement-chain.js';
import { ClearingRepository } from '../infrastructure/clearing.repository.js';

export const STATEMENT_CHAIN = 'clearing-statements';

/** The head of the closed-statement chain, as the ledger digest publishes it. */
export interface StatementChainHead {
  chain: typeof STATEMENT_CHAIN;
  seq: number;
  hash: string;
  at: string | null;
}

export interface StatementChainVerification {
  ok: boolean;
  statements: number;
  firstBreak: StatementBreak | null;
}

const PAGE = 500;

/**
 * The clearing statements' hash chain for auditors: its head (in `GET /v1/admin/ledger/digest`)
 * and a full recomputation, optionally against a head from an earlier digest.
 */
@Injectable()
export class ClearingStatementChain {
  constructor(private readonly repository: ClearingRepository) {}

  async head(): Promise<StatementChainHead> {
    const head = await this.repository.head();
    return { chain: STATEMENT_CHAIN, seq: head?.seq ?? 0, hash: head?.hash ?? STATEMENT_GENESIS, at: head?.closedAt ?? null };
  }

  async verify(earlier?: { seq: number; hash: string }): Promise<StatementChainVerification> {
    const rows: StatementRecord[] = [];
    for (let after = 0; ;) {
      const page = await this.repository.chainPage(after, PAGE);
      rows.push(...page);
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.seq;
    }
    let firstBreak = verifyStatementChain(rows);
    if (!firstBreak && earlier && earlier.seq > 0) {
      const at = rows.find((r) => r.seq === earlier.seq);
      if (!at || at.hash !== earlier.hash) {
        firstBreak = { seq: earlier.seq, statementId: at?.statementId ?? '', check: 'HASH', expected: earlier.hash, found: at?.hash ?? '(missing)' };
      }
    }
    return { ok: firstBreak === null, statements: rows.length, firstBreak };
  }
}
