import { Injectable } from '@nestjs/common';
import type { Region } from '@onecard/kernel';
import { DataSource, type EntityManager } from 'typeorm';
import { openAccountsSql } from './accounts.sql.js';
import type { AccountSpec, BalanceRule } from './domain/transfer.js';

export interface LedgerAccount {
  code: string;
  region: Region | null;
  kind: string;
  balanceRule: BalanceRule;
  shards: number;
  /** Sum over the account's shards, in fen. */
  balance: number;
  /** Number of entries posted to the account (sum of its shards' versions). */
  version: number;
  openedAt: string;
}

export class AccountSpecConflictError extends Error {}

/**
 * System accounts opened outside commands (seed, migrations, jobs): funds, operators, external
 * counterparties. Cards' accounts are opened in the command that issues the card
 * (`tx.ledger.openAccounts`). Opening is idempotent; opening a code again with a different
 * region, kind, rule or shard count is an error, never a silent change.
 */
@Injectable()
export class LedgerAccounts {
  constructor(private readonly dataSource: DataSource) {}

  /** Opens the accounts that do not exist yet; answers how many were new. */
  async open(specs: readonly AccountSpec[], manager?: EntityManager): Promise<number> {
    if (specs.length === 0) return 0;
    const run = manager ?? this.dataSource.manager;
    const { sql, params } = openAccountsSql(specs);
    const [row] = (await run.query(sql, params)) as { opened: number }[];
    const existing = await this.find(
      specs.map((s) => s.code),
      run,
    );
    for (const s of specs) {
      const a = existing.get(s.code);
      if (!a) throw new Error(`account ${s.code} was not opened`);
      const want = `${s.region ?? '-'}/${s.kind}/${s.balanceRule}/${s.shards ?? 1}`;
      const have = `${a.region ?? '-'}/${a.kind}/${a.balanceRule}/${a.shards}`;
      if (want !== have) throw new AccountSpecConflictError(`account ${s.code} exists as ${have}, not ${want}`);
    }
    return Number(row?.opened ?? 0);
  }

  /** The account with its balance summed over shards, or null. */
  async get(code: string): Promise<LedgerAccount | null> {
    return (await this.find([code])).get(code) ?? null;
  }

  /** The balance in fen (summed over shards), or null if there is no such account. */
  async balance(code: string): Promise<number | null> {
    return (await this.get(code))?.balance ?? null;
  }

  async find(codes: readonly string[], manager?: EntityManager): Promise<Map<string, LedgerAccount>> {
    const run = manager ?? this.dataSource.manager;
    const rows: Record<string, string | number | null>[] = await run.query(
      `SELECT a.code, a.region, a.kind, a.balance_rule, a.shards, to_json(a.opened_at)#>>'{}' AS opened_at,
              coalesce(sum(b.balance), 0)::text AS balance, coalesce(sum(b.version), 0)::text AS version
       FROM ledger.accounts a LEFT JOIN ledger.balances b ON b.account_code = a.code
       WHERE a.code = ANY($1) GROUP BY a.code`,
      [[...new Set(codes)]],
    );
    return new Map(rows.map((r) => [String(r.code), toAccount(r)]));
  }
}

export function toAccount(r: Record<string, string | number | null>): LedgerAccount {
  return {
    code: String(r.code),
    region: (r.region as Region | null) ?? null,
    kind: String(r.kind),
    balanceRule: r.balance_rule as BalanceRule,
    shards: Number(r.shards),
    balance: Number(r.balance),
    version: Number(r.version),
    openedAt: new Date(String(r.opened_at)).toISOString(),
  };
}
