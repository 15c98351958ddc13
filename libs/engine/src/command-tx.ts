import { openAccountsWrite, type AccountSpec } from '@onecard/ledger';
import { assertBatchable, type Read } from './read.js';
import type { Statement } from './pg/prepared-statements.js';

/** Thrown when a batchable command reads outside its declared reads (ADR 0012: the batch rules are code). */
export class UndeclaredReadError extends Error {}

/** How a solo command's transaction runs a statement now (the engine's connection). */
export type RunNow = (statement: Statement) => Promise<{ rows: any[]; rowCount: number }>;

/**
 * The transaction a command decides in. Its writes are deferred to the round trip that commits,
 * together with the ledger's record (STYLE.md rule 6): `defer` for the context's own statements,
 * `ledger.openAccounts` for accounts. A batchable command (a plan with batch keys) has read all it
 * may read already (its declared reads): `query` throws. A solo command may query now.
 */
export class CommandTx {
  private readonly afterCommitHooks: (() => void | Promise<void>)[] = [];
  private readonly writes: Statement[] = [];

  constructor(
    /** The clock reading for this command; use it instead of reading the clock again. */
    readonly now: Date,
    private readonly runNow: RunNow | null,
    private readonly type: string,
  ) {}

  /**
   * Runs a statement now, inside the transaction, and answers its rows: for solo commands only
   * (admin commands, jobs). A batchable command declares its reads in its plan instead.
   */
  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.run(sql, params)).rows as T[];
  }

  /** Runs a declared read now (solo commands only: a batchable command declares it in its plan). */
  async read<T>(r: Read<T>): Promise<T> {
    return r.map((await this.run(r.sql, [...r.params])).rows);
  }

  /** Runs a statement now (solo commands only) and answers how many rows it changed. */
  async execute(sql: string, params: unknown[] = []): Promise<number> {
    return (await this.run(sql, params)).rowCount;
  }

  private run(sql: string, params: unknown[]) {
    if (!this.runNow) {
      throw new UndeclaredReadError(`${this.type}: a batchable command reads only what its plan declares; it ran: ${sql.slice(0, 100)}`);
    }
    return this.runNow({ sql, params });
  }

  /**
   * A write whose result the command does not need (insert the journey, mark the slip used): sent
   * in the round trip that commits, before the ledger's record, in the order deferred. Parameters
   * are cast (`$n::type`); the same insert deferred by several commands of a batch is sent once.
   * An error there voids the command like any other (a unique violation is retried).
   */
  defer(sql: string, params: readonly unknown[] = []): void {
    assertBatchable(sql, 'a deferred write');
    this.writes.push({ sql, params: [...params] });
  }

  /** @internal */
  takeWrites(): Statement[] {
    return this.writes.splice(0);
  }

  /** Work to do once the transaction has committed (publishing events for read models, invalidating caches). */
  afterCommit(hook: () => void | Promise<void>): void {
    this.afterCommitHooks.push(hook);
  }

  /** @internal */
  takeAfterCommitHooks(): (() => void | Promise<void>)[] {
    return this.afterCommitHooks.splice(0);
  }

  readonly ledger = {
    /** Opens accounts with the commit (idempotently: an existing account with the same code is left as it is). */
    openAccounts: (specs: readonly AccountSpec[]): void => {
      if (specs.length === 0) return;
      const s = openAccountsWrite(specs);
      this.writes.push({ sql: s.sql, params: [...s.params] });
    },
  };
}
