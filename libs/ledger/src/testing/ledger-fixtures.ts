import 'reflect-metadata';
import { ManualClock } from '@onecard/kernel';
import { DataSource } from 'typeorm';
import { CommandExecutor } from '../command-executor.js';
import type { CommandOutcome } from '../command.js';
import type { AccountSpec, Leg } from '../domain/transfer.js';

/** The restricted role the service runs as (ADR 0004). */
export const APP_ROLE = 'onecard_app';

/**
 * Test helpers for the ledger's integration tests (imported by *.int-spec.ts only). `service`
 * connects the way the running service does: as the restricted application role.
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

export const ACCOUNTS: AccountSpec[] = [
  { code: 'card:T00000001:transit', region: '12', kind: 'CARD_TRANSIT', balanceRule: 'NON_NEGATIVE' },
  { code: 'card:T00000002:transit', region: '11', kind: 'CARD_TRANSIT', balanceRule: 'NON_NEGATIVE' },
  { code: 'external:test-bank', region: null, kind: 'EXTERNAL', balanceRule: 'UNBOUNDED', shards: 4 },
  { code: 'operator:test-rail:revenue', region: '12', kind: 'REVENUE', balanceRule: 'UNBOUNDED', shards: 8 },
  { code: 'fund:12:test-pool', region: '12', kind: 'FUND', balanceRule: 'UNBOUNDED', shards: 2 },
  { code: 'institution:TEST001:receivable', region: '12', kind: 'INSTITUTION_RECEIVABLE', balanceRule: 'UNBOUNDED' },
];

export async function openAccounts(executor: CommandExecutor, specs: readonly AccountSpec[] = ACCOUNTS, id = 'open-accounts'): Promise<void> {
  await executor.execute({ type: 'test.open', id, context: 'test', payload: { codes: specs.map((s) => s.code) } }, async (tx) => {
    await tx.ledger.openAccounts(specs);
    return { decision: 'ALLOW', response: { opened: specs.length } };
  });
}

export type Answer = { decision: string; code?: string };

/** A command that posts `legs`, answering DENY INSUFFICIENT_BALANCE if a balance rule refuses. */
export function transfer(executor: CommandExecutor, id: string, legs: Leg[], extra: Partial<CommandOutcome<Answer>> = {}) {
  return executor.execute({ type: 'test.transfer', id, context: 'test', payload: { legs } }, async (): Promise<CommandOutcome<Answer>> => ({
    decision: 'ALLOW',
    response: { decision: 'ALLOW' },
    transfers: legs,
    onLedgerRefusal: (r) => ({ decision: 'DENY', reason: { code: r.code, message: 'refused' }, response: { decision: 'DENY', code: r.code } }),
    ...extra,
  }));
}

export async function balanceOf(ds: DataSource, code: string): Promise<number> {
  const [row] = await ds.query(`SELECT coalesce(sum(balance), 0)::text AS b FROM ledger.balances WHERE account_code = $1`, [code]);
  return Number(row.b);
}
