import { openAccountsSql } from './accounts.sql.js';
import { reverseLegs, type AccountSpec, type Leg } from './domain/transfer.js';
import type { LedgerStatement } from './journal-commit.js';

/** A read a command declares to the engine: one statement with explicitly cast `$n` parameters, and what its rows mean. */
export interface LedgerRead<T> extends LedgerStatement {
  map(rows: any[]): T;
}

/** What a reversal of a group reads: the legs that undo it, and the reversal that stands if it has been reversed. */
export interface ReversalFacts {
  /** The group's legs, each swapped, last leg first (`reverseLegs`); empty if it moved no money. */
  legs: Leg[];
  /** The command key of the ALLOW reversal that stands, if any. */
  reversedBy: string | null;
}

function sumByAccount(rows: { account_code: string; balance: number | string }[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) out.set(r.account_code, (out.get(r.account_code) ?? 0) + Number(r.balance));
  return out;
}

/**
 * The ledger's declared reads (ADR 0012): a command names them in its plan and the engine sends
 * them, for the whole batch, in the round trip that opens the transaction.
 */
export const LedgerReads = {
  /**
   * The balances of single-shard (NON_NEGATIVE) accounts, their rows locked until commit in code
   * order: a decision taken on them holds when the transfer posts. Lock only card wallets and
   * personal accounts (a sharded account's shards would all be locked).
   */
  lockedBalances(codes: readonly string[]): LedgerRead<Map<string, number>> {
    return { sql: `SELECT account_code, balance FROM ledger.lock_balances($1::text[])`, params: [[...new Set(codes)]], map: sumByAccount };
  },

  /** Current balances summed over shards, without a lock. */
  balances(codes: readonly string[]): LedgerRead<Map<string, number>> {
    return {
      sql: `SELECT account_code, balance FROM ledger.balances WHERE account_code = ANY ($1::text[])`,
      params: [[...new Set(codes)]],
      map: sumByAccount,
    };
  },

  /**
   * The reversal of command (type, id): claimed first, so two reversals of one group take turns,
   * then its legs swapped (post them with `reverses: commandKey(type, id)`) and the reversal that
   * stands. Null if no such command was journaled. The balance rules apply as to any transfer.
   */
  reversal(commandType: string, commandId: string): LedgerRead<ReversalFacts | null> {
    return {
      sql: `SELECT leg, from_account, to_account, amount, reversed_by FROM ledger.reversal_of($1::text, $2::text)`,
      params: [commandType, commandId],
      map: (
        rows: { leg: number | null; from_account: string | null; to_account: string | null; amount: string | number | null; reversed_by: string | null }[],
      ) => {
        if (rows.length === 0) return null;
        const legs: Leg[] = rows.filter((r) => r.leg !== null).map((r) => ({ from: r.from_account!, to: r.to_account!, amount: Number(r.amount) }));
        return { legs: reverseLegs(legs), reversedBy: rows[0]!.reversed_by };
      },
    };
  },
};

/** Opens accounts (idempotently: an existing account with the same code is left as it is), as a deferred write. */
export function openAccountsWrite(specs: readonly AccountSpec[]): LedgerStatement {
  return openAccountsSql(specs);
}
