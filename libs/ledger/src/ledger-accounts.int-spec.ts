import { createTestDatabase, openDataSource, testExecutor, transfer, type TestDatabase } from '@onecard/testing';
import { DataSource } from 'typeorm';
import { AccountSpecConflictError, LedgerAccounts } from './ledger-accounts.js';

describe('LedgerAccounts (real PostgreSQL, as the application role)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let accounts: LedgerAccounts;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openDataSource(db.url, { asAppRole: true });
    accounts = new LedgerAccounts(ds);
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('opens system accounts idempotently, with one balance row per shard', async () => {
    const specs = [
      { code: 'fund:11:test-pool', region: '11' as const, kind: 'FUND', balanceRule: 'UNBOUNDED' as const, shards: 8 },
      { code: 'external:test-cash', region: null, kind: 'EXTERNAL', balanceRule: 'UNBOUNDED' as const },
    ];
    expect(await accounts.open(specs)).toBe(2);
    expect(await accounts.open(specs)).toBe(0);
    const [rows] = await ds.query(`SELECT count(*)::int AS n FROM ledger.balances WHERE account_code = 'fund:11:test-pool'`);
    expect(rows.n).toBe(8);
    expect(await accounts.get('fund:11:test-pool')).toMatchObject({ region: '11', kind: 'FUND', balanceRule: 'UNBOUNDED', shards: 8, balance: 0, version: 0 });
  });

  it('refuses to reopen a code with another rule, kind, region or shard count', async () => {
    await expect(accounts.open([{ code: 'external:test-cash', region: null, kind: 'EXTERNAL', balanceRule: 'UNBOUNDED', shards: 2 }])).rejects.toThrow(
      AccountSpecConflictError,
    );
    await expect(accounts.open([{ code: 'external:test-cash', region: '12', kind: 'EXTERNAL', balanceRule: 'UNBOUNDED' }])).rejects.toThrow(
      /exists as -\/EXTERNAL/,
    );
    await expect(accounts.open([{ code: 'Bad Code', region: null, kind: 'EXTERNAL', balanceRule: 'UNBOUNDED' }])).rejects.toThrow(/bad account code/);
    await expect(accounts.open([{ code: 'card:X:transit', region: '12', kind: 'CARD', balanceRule: 'NON_NEGATIVE', shards: 2 }])).rejects.toThrow(
      /only UNBOUNDED/,
    );
  });

  it('answers balances summed over shards, and null for an unknown account', async () => {
    await accounts.open([{ code: 'card:ACC00001:transit', region: '12', kind: 'CARD_TRANSIT', balanceRule: 'NON_NEGATIVE' }]);
    const executor = testExecutor(ds);
    for (let i = 0; i < 5; i++) await transfer(executor, `t-${i}`, [{ from: 'fund:11:test-pool', to: 'card:ACC00001:transit', amount: 100 }]);
    expect(await accounts.balance('card:ACC00001:transit')).toBe(500);
    expect(await accounts.balance('fund:11:test-pool')).toBe(-500);
    expect((await accounts.get('fund:11:test-pool'))!.version).toBe(5);
    expect(await accounts.balance('card:NOPE:transit')).toBeNull();
  });
});
