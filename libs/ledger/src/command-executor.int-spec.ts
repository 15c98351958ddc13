import { ManualClock } from '@onecard/kernel';
import { createTestDatabase, type TestDatabase } from '@onecard/testing';
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { CommandExecutor } from './command-executor.js';
import type { CommandOutcome } from './command.js';

describe('CommandExecutor (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let executor: CommandExecutor;
  const clock = new ManualClock('2026-03-02T08:00:00+08:00');

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource({ type: 'postgres', url: db.url, extra: { max: 20 } });
    await ds.initialize();
    executor = new CommandExecutor(ds, clock);
    await executor.execute({ type: 'test.open', id: 'open-1', context: 'test', payload: {} }, async (tx) => {
      await tx.ledger.openAccounts([
        { code: 'card:T00000001:transit', region: '12', kind: 'CARD_TRANSIT', balanceRule: 'NON_NEGATIVE' },
        { code: 'external:bank', region: null, kind: 'EXTERNAL', balanceRule: 'UNBOUNDED', shards: 4 },
        { code: 'operator:rail:revenue', region: '12', kind: 'REVENUE', balanceRule: 'UNBOUNDED', shards: 8 },
      ]);
      return { decision: 'ALLOW', response: { opened: 3 } };
    });
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const debit = (id: string, amount: number) =>
    executor.execute({ type: 'test.debit', id, context: 'test', payload: { amount } }, async (): Promise<CommandOutcome<{ decision: string; code?: string }>> => ({
      decision: 'ALLOW',
      response: { decision: 'ALLOW' },
      transfers: [{ from: 'card:T00000001:transit', to: 'operator:rail:revenue', amount }],
      onLedgerRefusal: (r) => ({ decision: 'DENY', reason: { code: r.code, message: 'short' }, response: { decision: 'DENY', code: r.code } }),
    }));

  it('funds, replays idempotently, refuses a reused id with another body, and serialises 50 racing debits', async () => {
    const topUp = await executor.execute({ type: 'test.top-up', id: 'top-1', context: 'test', payload: { amount: 1000 } }, async () => ({
      decision: 'ALLOW',
      response: { ok: true, note: 'z-first', a: 1 },
      transfers: [{ from: 'external:bank', to: 'card:T00000001:transit', amount: 1000 }],
    }));
    expect(topUp.replayed).toBe(false);
    const again = await executor.execute({ type: 'test.top-up', id: 'top-1', context: 'test', payload: { amount: 1000 } }, async () => {
      throw new Error('must not run twice');
    });
    expect(again.replayed).toBe(true);
    expect(JSON.stringify(again.response)).toBe(JSON.stringify(topUp.response));
    await expect(
      executor.execute({ type: 'test.top-up', id: 'top-1', context: 'test', payload: { amount: 999 } }, async () => ({ decision: 'ALLOW', response: {} })),
    ).rejects.toMatchObject({ problem: { status: 409 } });

    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => debit(`d-${i}`, 100)));
    expect(results.filter((r) => r.decision === 'ALLOW')).toHaveLength(10);
    expect(results.filter((r) => r.reasonCode === 'INSUFFICIENT_BALANCE')).toHaveLength(40);
    const [bal] = await ds.query(`SELECT balance FROM ledger.balances WHERE account_code = 'card:T00000001:transit'`);
    expect(Number(bal.balance)).toBe(0);
    const [sum] = await ds.query(`SELECT sum(balance)::bigint AS s FROM ledger.balances WHERE account_code = 'operator:rail:revenue'`);
    expect(Number(sum.s)).toBe(1000);
    const [journal] = await ds.query(`SELECT count(*)::int AS n FROM ledger.journal WHERE command_type = 'test.debit'`);
    expect(journal.n).toBe(50);
  });

  it('gives one effect when identical retries race', async () => {
    await executor.execute({ type: 'test.top-up', id: 'top-2', context: 'test', payload: { amount: 500 } }, async () => ({
      decision: 'ALLOW',
      response: {},
      transfers: [{ from: 'external:bank', to: 'card:T00000001:transit', amount: 500 }],
    }));
    const racing = await Promise.all(Array.from({ length: 8 }, () => debit('same-id', 300)));
    expect(racing.filter((r) => !r.replayed)).toHaveLength(1);
    const [bal] = await ds.query(`SELECT balance FROM ledger.balances WHERE account_code = 'card:T00000001:transit'`);
    expect(Number(bal.balance)).toBe(200);
  });

  it('refuses UPDATE and DELETE on ledger rows', async () => {
    await expect(ds.query(`UPDATE ledger.entries SET amount = amount + 1`)).rejects.toThrow(/append-only/);
    await expect(ds.query(`DELETE FROM ledger.journal`)).rejects.toThrow(/append-only/);
  });
});
