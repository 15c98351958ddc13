import pg from 'pg';

/**
 * Test databases on real PostgreSQL (never a mock): DATABASE_URL if set, else a testcontainers
 * PostgreSQL when a Docker engine is reachable, else an embedded PostgreSQL in a temp directory.
 * The global setup migrates one template database; every test file clones its own database from
 * it, so files run in parallel and re-run cleanly. Every database made here has `test` in its name.
 */
export const ENV_ADMIN_URL = 'ONECARD_TEST_ADMIN_URL';
export const ENV_TEMPLATE = 'ONECARD_TEST_TEMPLATE';

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

function assertTestName(name: string): void {
  if (!/^[a-z0-9_]+$/.test(name) || !name.includes('test')) throw new Error(`refusing to touch database "${name}": test databases have "test" in their name`);
}

export async function withAdminClient<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(adminUrl: string, name: string, template?: string): Promise<string> {
  assertTestName(name);
  if (template) assertTestName(template);
  await withAdminClient(adminUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  });
  return databaseUrl(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  assertTestName(name);
  await withAdminClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

export interface TestDatabase {
  name: string;
  url: string;
  adminUrl: string;
  drop(): Promise<void>;
}

let counter = 0;

declare global {
  var __ONECARD_PREPARE_TEMPLATE__: ((url: string) => Promise<void>) | undefined;
}

/**
 * A fresh, migrated database for one test file: a clone of the run's template database. The first
 * caller migrates the template (the migrator is registered by the jest setup file); an advisory lock
 * serialises preparation and cloning, since PostgreSQL cannot clone a database others are using.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env[ENV_ADMIN_URL];
  const template = process.env[ENV_TEMPLATE];
  if (!adminUrl || !template) throw new Error('test database server not prepared: run tests through jest (global setup)');
  assertTestName(template);
  const name = `onecard_test_w${process.env.JEST_WORKER_ID ?? '0'}_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
  assertTestName(name);
  await withAdminClient(adminUrl, async (c) => {
    await c.query(`SELECT pg_advisory_lock(hashtext($1))`, [template]);
    try {
      const ready = await c.query(`SELECT datistemplate FROM pg_database WHERE datname = $1`, [template]);
      if (!ready.rows[0]?.datistemplate) {
        const prepare = globalThis.__ONECARD_PREPARE_TEMPLATE__;
        if (!prepare) throw new Error('no template migrator registered (test/setup-env.ts)');
        await prepare(databaseUrl(adminUrl, template));
        await c.query(`ALTER DATABASE ${template} IS_TEMPLATE true`);
      }
      await c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    } finally {
      await c.query(`SELECT pg_advisory_unlock(hashtext($1))`, [template]);
    }
  });
  return { name, url: databaseUrl(adminUrl, name), adminUrl, drop: () => dropDatabase(adminUrl, name) };
}
