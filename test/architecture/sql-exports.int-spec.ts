import { CARDS_SQL } from '@contexts/cards';
import { LEDGER_SQL } from '@onecard/ledger';
import { createTestDatabase, type TestDatabase } from '@onecard/testing';
import pg from 'pg';

/**
 * What a module lets other modules' SQL name (`LEDGER_SQL`, `CARDS_SQL`, …) is a view or a
 * function of the migrated schema — never a table, whose storage may change (ADR 0012).
 */
describe('exported SQL names (real PostgreSQL)', () => {
  let db: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it.each([...Object.values(LEDGER_SQL), ...Object.values(CARDS_SQL)])('%s is a view or a function', async (name) => {
    const [schema, object] = name.split('.') as [string, string];
    const { rows } = await client.query<{ kind: string }>(
      `SELECT 'view' AS kind FROM pg_views WHERE schemaname = $1 AND viewname = $2
       UNION ALL SELECT 'function' FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 AND p.proname = $2
       UNION ALL SELECT 'table' FROM pg_tables WHERE schemaname = $1 AND tablename = $2`,
      [schema, object],
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.kind)).not.toContain('table');
  });
});
