import 'reflect-metadata';
import { CommandExecutor, type CommandOutcome, type EngineOptions } from '@onecard/engine';
import { ManualClock } from '@onecard/kernel';
import type { AccountSpec, Leg } from '@onecard/ledger';
import { DataSource } from 'typeorm';

/** The restricted role the service runs as (ADR 0004). */
export const APP_ROLE = 'onecard_app';

/**
 * Helpers for the ledger's and the engine's integration tests. `asAppRole` connects the way the
 * running service does: as the restricted application role.
 */
export async function openDataSource(url: string, opts: { asAppRole?: boolean; max?: number } = {}): Promise<DataSource> {
  const ds = new DataSource({
    type: 'postgres',
    url,
    extra: { max: opts.max ?? 20, ...(opts.asAppRole ? { options: `-c role=${APP_ROLE}` } : {}) },
  });
  await ds.initialize();
  return ds;
}

export function testClock(): ManualClock {
  return new ManualClock('2026-03-02T08:00:00+08:00');
}

export function testExecutor(ds: DataSource, options?: EngineOptions): CommandExecutor {
  return new CommandExecutor(ds, testClock(), options);
}

export const TEST_ACCOUNTS: AccountSpec[] = [
  { code: 'card:T00000001:transit', region: '12', kind: 'CARD_TRANSIT', balanceRule: 'NON_NEGATIVE' },
  { code: 'card:T00000002:transit', region: '11', kind: 'CARD_TRANSIT', balanceRule: 'NON_NEGATIVE' },
  { code: 'external:test-bank', region: null, kind: 'EXTERNAL', balanceRule: 'UNBOUNDED', shards: 4 },
  { code: 'operator:test-rail:revenue', region: '12', kind: 'REVENUE', balanceRule: 'UNBOUNDED', shards: 8 },
  { code: 'fund:12:test-pool', region: '12', kind: 'FUND', balanceRule: 'UNBOUNDED', shards: 2 },
  { code: 'institution:TEST001:receivable', region: '12', kind: 'INSTITUTION_RECEIVABLE', balanceRule: 'UNBOUNDED' },
];

export async function openTestAccounts(executor: CommandExecutor, specs: readonly AccountSpec[] = TEST_ACCOUNTS, id = 'open-accounts'): Promise<void> {
  await executor.run({
    envelope: { type: 'test.open', id, context: 'test', payload: { codes: specs.map((s) => s.code) } },
    decide: (_, tx) => {
      tx.ledger.openAccounts(specs);
      return { decision: 'ALLOW', response: { opened: specs.length } };
    },
  });
}

export type TransferAnswer = { decision: string; code?: string };

/** A command that posts `legs`, answering DENY with the refusal's code if a balance rule refuses. */
export function transfer(executor: CommandExecutor, id: string, legs: Leg[], extra: Partial<CommandOutcome<TransferAnswer>> = {}, batchKeys?: string[]) {
  return executor.run({
    envelope: { type: 'test.transfer', id, context: 'test', payload: { legs } },
    ...(batchKeys ? { batchKeys } : {}),
    decide: (): CommandOutcome<TransferAnswer> => ({
      decision: 'ALLOW',
      response: { decision: 'ALLOW' },
      transfers: legs,
      onLedgerRefusal: (r) => ({ decision: 'DENY', reason: { code: r.code, message: 'refused' }, response: { decision: 'DENY', code: r.code } }),
      ...extra,
    }),
  });
}

export async function balanceOf(ds: DataSource, code: string): Promise<number> {
  const [row] = await ds.query(`SELECT coalesce(sum(balance), 0)::text AS b FROM ledger.balances WHERE account_code = $1`, [code]);
  return Number(row.b);
}
