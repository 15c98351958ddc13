import type { QueryRunner } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { reverseLegs, type AccountSpec, type Leg } from './domain/transfer.js';
import { openAccountsSql } from './accounts.sql.js';
import type { Statement } from './prepared-statements.js';

/**
 * A read a handler needs before it can decide, declared up front so that the executor sends it in
 * the same round trip as BEGIN and the look-up of a stored result (one statement, no `;`). Each
 * context builds its own (`CardsFacade.findCardQuery`, a repository's state query): the SQL stays
 * with the context that owns the tables.
 */
export interface Prefetch<T> {
  readonly sql: string;
  readonly params: readonly unknown[];
  map(rows: any[]): T;
}

export function prefetch<T>(sql: string, params: readonly unknown[], map: (rows: any[]) => T): Prefetch<T> {
  if (sql.includes(';')) throw new Error('a prefetch is one statement');
  return { sql, params, map };
}

/**
 * `tx.ledger.balances(codes, { lock: true })` as a declared read: the balance rows are locked in
 * account-code order in the opening round trip, before the reads declared after it.
 */
export function lockedBalancesQuery(codes: readonly string[]): Prefetch<Map<string, number>> {
  return prefetch(`SELECT account_code, balance FROM ledger.lock_balances($1::text[])`, [[...new Set(codes)]], sumByAccount);
}

function sumByAccount(rows: { account_code: string; balance: number | string }[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) out.set(r.account_code, (out.get(r.account_code) ?? 0) + Number(r.balance));
  return out;
}

/**
 * The transaction a command runs in. The context's state change, the ledger transfer and the
 * journal record all go through it and commit together (STYLE.md rule 6).
 */
export class CommandTx {
  private readonly afterCommitHooks: (() => void | Promise<void>)[] = [];
  private readonly deferred: Statement[] = [];
  private readonly fetched = new Map<Prefetch<unknown>, unknown>();

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

  /**
   * The answer of a read declared to the executor (`execute(…, { prefetch })`), already fetched in
   * the round trip that opened the transaction. Undeclared reads run now, as `query` would.
   */
  async prefetched<T>(p: Prefetch<T>): Promise<T> {
    if (this.fetched.has(p as Prefetch<unknown>)) return this.fetched.get(p as Prefetch<unknown>) as T;
    return p.map(await this.query(p.sql, [...p.params]));
  }

  /** @internal Rows the executor fetched for a declared read. */
  setPrefetched(p: Prefetch<unknown>, rows: any[]): void {
    this.fetched.set(p, p.map(rows));
  }

  /**
   * A write whose result the handler does not need (insert the journey, mark the slip used): sent
   * in the round trip that commits, just before the ledger's record, in the order deferred. An
   * error there voids the command like any other (a unique violation is retried).
   */
  defer(sql: string, params: readonly unknown[] = []): void {
    if (sql.includes(';')) throw new Error('a deferred write is one statement');
    this.deferred.push({ sql, params: [...params] });
  }

  /** @internal */
  takeDeferred(): Statement[] {
    return this.deferred.splice(0);
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
      if (opts.lock) return this.prefetched(lockedBalancesQuery(codes));
      const rows = await this.query<{ account_code: string; balance: number }>(
        `SELECT account_code, balance FROM ledger.balances WHERE account_code = ANY($1)`,
        [[...new Set(codes)]],
      );
      return sumByAccount(rows);
    },
    /**
     * The legs that undo the group posted by command (type, id): each leg swapped, last leg first.
     * Null if no such command was journaled; empty if it moved no money (a DENY). Post them with
     * `reverses: commandKey(type, id)` in the outcome. The balance rules apply as to any transfer:
     * taking back money a card has spent is refused (INSUFFICIENT_BALANCE).
     */
    reversalLegs: async (commandType: string, commandId: string): Promise<Leg[] | null> => {
      const rows = await this.query<{ legs: number; leg: number | null; account_code: string | null; amount: number | string | null }>(
        `SELECT j.legs, e.leg, e.account_code, e.amount
         FROM ledger.journal j
         LEFT JOIN ledger.entries e ON e.chain = j.chain AND e.seq > j.seq AND e.seq <= j.seq + 2 * j.legs
         WHERE j.command_type = $1 AND j.command_id = $2
         ORDER BY e.seq`,
        [commandType, commandId],
      );
      if (rows.length === 0) return null;
      const legs: Leg[] = [];
      for (const r of rows) {
        if (r.leg === null || r.account_code === null || r.amount === null) continue;
        const amount = Number(r.amount);
        const leg = (legs[r.leg] ??= { from: '', to: '', amount: Math.abs(amount) });
        if (amount < 0) leg.from = r.account_code;
        else leg.to = r.account_code;
      }
      return reverseLegs(legs);
    },
    /** The command key of the ALLOW reversal of command (type, id), if it has been reversed. */
    reversedBy: async (commandType: string, commandId: string): Promise<string | null> => {
      const rows = await this.query<{ key: string }>(
        `SELECT command_type || ':' || command_id AS key FROM ledger.journal WHERE reverses = $1 AND decision = 'ALLOW'`,
        [`${commandType}:${commandId}`],
      );
      return rows[0]?.key ?? null;
    },
    /** Opens accounts (idempotently: an existing account with the same code is left as it is). */
    openAccounts: async (specs: readonly AccountSpec[]): Promise<void> => {
      if (specs.length === 0) return;
      const { sql, params } = openAccountsSql(specs);
      await this.query(sql, params);
    },
  };
}
