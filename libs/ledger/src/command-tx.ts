import type { QueryRunner } from 'typeorm';
import type { EntityManager } from 'typeorm';
import type { AccountSpec } from './domain/transfer.js';
import { openAccountsSql } from './accounts.sql.js';

/**
 * The transaction a command runs in. The context's state change, the ledger transfer and the
 * journal record all go through it and commit together (STYLE.md rule 6).
 */
export class CommandTx {
  private readonly afterCommitHooks: (() => void | Promise<void>)[] = [];

  constructor(
    private readonly runner: QueryRunner,
    /** The clock reading for this command; use it instead of reading the clock again. */
    readonly now: Date,
  ) {}

  get manager(): EntityManager {
    return this.runner.manager;
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const result = await this.runner.query(sql, params, true);
    return (result.records ?? []) as T[];
  }

  /** Runs a statement and answers how many rows it changed. */
  async execute(sql: string, params: unknown[] = []): Promise<number> {
    const result = await this.runner.query(sql, params, true);
    return result.affected ?? 0;
  }

  /** Work to do once the transaction has committed (publishing events for read models). */
  afterCommit(hook: () => void | Promise<void>): void {
    this.afterCommitHooks.push(hook);
  }

  /** @internal */
  takeAfterCommitHooks(): (() => void | Promise<void>)[] {
    return this.afterCommitHooks.splice(0);
  }

  readonly ledger = {
    /**
     * Current balances (sum over shards). With `lock`, the balance rows are locked until commit in
     * account-code order, so a decision based on them holds when the transfer posts. Lock only
     * single-shard (NON_NEGATIVE) accounts: cards' wallets and personal accounts.
     */
    balances: async (codes: readonly string[], opts: { lock?: boolean } = {}): Promise<Map<string, number>> => {
      const sorted = [...new Set(codes)].sort();
      const rows = await this.query<{ account_code: string; balance: number }>(
        opts.lock
          ? `SELECT account_code, balance FROM ledger.balances WHERE account_code = ANY($1) ORDER BY account_code, shard FOR UPDATE`
          : `SELECT account_code, balance FROM ledger.balances WHERE account_code = ANY($1)`,
        [sorted],
      );
      const out = new Map<string, number>();
      for (const r of rows) out.set(r.account_code, (out.get(r.account_code) ?? 0) + r.balance);
      return out;
    },
    /** Opens accounts (idempotently: an existing account with the same code is left as it is). */
    openAccounts: async (specs: readonly AccountSpec[]): Promise<void> => {
      if (specs.length === 0) return;
      const { sql, params } = openAccountsSql(specs);
      await this.query(sql, params);
    },
  };
}
