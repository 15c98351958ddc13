import { APP_ROLE, createTestDatabase, openDataSource, openTestAccounts, testExecutor, transfer, type TestDatabase } from '@onecard/testing';
import { DataSource } from 'typeorm';

/**
 * The ledger is append-only in the database itself (ADR 0004): for the service's own connection
 * (running as the application role, as `-c role=onecard_app` makes it) and for the owner that ran
 * the migrations alike.
 */
describe('Ledger immutability (real PostgreSQL)', () => {
  let db: TestDatabase;
  let service: DataSource;
  let owner: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await openDataSource(db.url, { asAppRole: true, max: 4 });
    owner = await openDataSource(db.url, { max: 2 });
    const executor = testExecutor(service);
    await openTestAccounts(executor);
    await transfer(executor, 'fund-1', [{ from: 'external:test-bank', to: 'card:T00000001:transit', amount: 1000 }]);
  });

  afterAll(async () => {
    await service?.destroy();
    await owner?.destroy();
    await db?.drop();
  });

  it('runs the service connection as the application role', async () => {
    const [who] = await service.query(`SELECT current_user AS role, session_user AS login`);
    expect(who.role).toBe(APP_ROLE);
  });

  const TABLES = ['accounts', 'journal', 'entries'] as const;
  const UPDATES: Record<(typeof TABLES)[number], string> = {
    accounts: `UPDATE ledger.accounts SET kind = 'TAMPERED'`,
    journal: `UPDATE ledger.journal SET reason_code = 'TAMPERED'`,
    entries: `UPDATE ledger.entries SET amount = amount + 1`,
  };

  for (const table of TABLES) {
    it(`refuses UPDATE, DELETE and TRUNCATE on ledger.${table} for the service's connection and for the owner`, async () => {
      for (const ds of [service, owner]) {
        await expect(ds.query(UPDATES[table])).rejects.toThrow(/append-only|permission denied/);
        await expect(ds.query(`DELETE FROM ledger.${table}`)).rejects.toThrow(/append-only|permission denied/);
        await expect(ds.query(`TRUNCATE ledger.${table} CASCADE`)).rejects.toThrow(/append-only|permission denied/);
      }
      // The owner is stopped by the trigger itself, with the reason spelled out.
      await expect(owner.query(UPDATES[table])).rejects.toThrow(`ledger.${table} is append-only: UPDATE refused`);
      const [n] = await owner.query(`SELECT count(*)::int AS n FROM ledger.${table}`);
      expect(n.n).toBeGreaterThan(0);
    });
  }

  it('gives the application role no UPDATE, DELETE, TRUNCATE or direct INSERT on any ledger table', async () => {
    const rows: { table: string; select: boolean; insert: boolean; update: boolean; delete: boolean; truncate: boolean }[] = await owner.query(
      `SELECT c.relname AS table,
              has_table_privilege($1, c.oid, 'SELECT') AS select, has_table_privilege($1, c.oid, 'INSERT') AS insert,
              has_table_privilege($1, c.oid, 'UPDATE') AS update, has_table_privilege($1, c.oid, 'DELETE') AS delete,
              has_table_privilege($1, c.oid, 'TRUNCATE') AS truncate
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'ledger' AND c.relkind = 'r' ORDER BY 1`,
      [APP_ROLE],
    );
    expect(rows.map((r) => r.table)).toEqual(['accounts', 'balances', 'chain_heads', 'entries', 'journal']);
    for (const r of rows) expect(r).toEqual({ table: r.table, select: true, insert: false, update: false, delete: false, truncate: false });
    // Writes go through the three definer functions only; nobody else may call them.
    const fns: { name: string; app: boolean }[] = await owner.query(
      `SELECT p.proname AS name, has_function_privilege($1, p.oid, 'EXECUTE') AS app
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = 'ledger' AND p.prosecdef ORDER BY 1`,
      [APP_ROLE],
    );
    expect(fns.map((f) => [f.name, f.app])).toEqual([
      ['commit_batch', true],
      ['lock_balances', true],
      ['open_accounts', true],
    ]);
    const [pub] = await owner.query(
      `SELECT bool_or(has_function_privilege('public', p.oid, 'EXECUTE')) AS any FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'ledger' AND p.prosecdef`,
    );
    expect(pub.any).toBe(false);
  });

  it('refuses the service a direct INSERT of a journal record or entry (only commit_batch appends)', async () => {
    await expect(service.query(`INSERT INTO ledger.entries SELECT * FROM ledger.entries LIMIT 1`)).rejects.toThrow(/permission denied/);
    await expect(service.query(`UPDATE ledger.balances SET balance = balance + 1`)).rejects.toThrow(/permission denied/);
    await expect(service.query(`UPDATE ledger.chain_heads SET seq = seq + 1`)).rejects.toThrow(/permission denied/);
  });

  it('never lets a balance row or chain head disappear or change identity, even for the owner', async () => {
    await expect(owner.query(`DELETE FROM ledger.balances`)).rejects.toThrow(/append-only/);
    await expect(owner.query(`UPDATE ledger.balances SET balance_rule = 'UNBOUNDED'`)).rejects.toThrow(/append-only/);
    await expect(owner.query(`TRUNCATE ledger.balances`)).rejects.toThrow(/append-only|cannot truncate/);
    await expect(owner.query(`DELETE FROM ledger.chain_heads`)).rejects.toThrow(/append-only/);
    await expect(owner.query(`UPDATE ledger.chain_heads SET chain = chain + 100`)).rejects.toThrow(/append-only/);
    await expect(owner.query(`TRUNCATE ledger.chain_heads`)).rejects.toThrow(/append-only/);
  });
});
