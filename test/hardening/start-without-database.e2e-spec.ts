/**
 * Issue 12 §3: starting while PostgreSQL was down exited with code 1 after ~1 s. The service now
 * listens at once: /health/live answers, /health/ready and every terminal and admin call answer
 * 503 + Retry-After (not 401 "unknown terminal"), while it retries the database with backoff; once
 * the database answers (here: a TCP proxy opened later on the port it was told) it migrates a
 * brand-new database, loads the rules and terminal directory, and serves normally.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ManualClock } from '@onecard/kernel';
import { parseEnv, Readiness } from '@onecard/platform';
import { AdminClient, createDatabase, dropDatabase, ENV_ADMIN_URL, openTcpProxy, rawRequest, TerminalClient, type TcpProxy } from '@onecard/testing';
import { OPERATOR_TOKEN } from '@test/support';
import { createServer } from 'node:net';
import pg from 'pg';
import { createApp } from '../../src/bootstrap.js';

const DATABASE = `onecard_test_nodb_${process.pid}`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('starting while the database is down (real PostgreSQL behind a proxy opened later)', () => {
  let app: NestFastifyApplication | null = null;
  let proxy: TcpProxy | null = null;
  const failures: unknown[] = [];

  afterAll(async () => {
    await app?.close();
    await proxy?.close();
    await dropDatabase(process.env[ENV_ADMIN_URL]!, DATABASE);
  });

  it('stays up, answers 503 + Retry-After until the database answers, then migrates and serves', async () => {
    const adminUrl = process.env[ENV_ADMIN_URL]!;
    const realUrl = await createDatabase(adminUrl, DATABASE); // empty: no migrations yet
    const real = new URL(realUrl);
    const port = await freePort();
    const viaProxy = new URL(realUrl);
    viaProxy.host = `127.0.0.1:${port}`;

    const env = parseEnv({
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
      DATABASE_URL: viaProxy.toString(),
      ADMIN_TOKENS: `operator:${OPERATOR_TOKEN}`,
      SEED_DEMO: 'false',
      DB_POOL_SIZE: '4',
      DB_CONNECT_TIMEOUT_MS: '500',
      DB_STARTUP_RETRY_MAX_MS: '1000',
    });
    const started = Date.now();
    app = await createApp({
      env,
      databaseUrl: viaProxy.toString(),
      clock: new ManualClock('2026-03-02T08:00:00+08:00'),
      startup: 'background',
      onStartupFailure: (e) => failures.push(e),
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    expect(Date.now() - started).toBeLessThan(10_000);
    const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const admin = new AdminClient(baseUrl, OPERATOR_TOKEN);
    const gate = new TerminalClient(baseUrl, 'TJN-G-IN-1', env.TERMINAL_MASTER_KEY);
    const readiness = app.get(Readiness);

    // Down: live, not ready; terminal and admin calls 503 + Retry-After, quickly, as problem+json.
    await until('a second attempt', async () => (readiness.state.attempts >= 2 ? true : null));
    const live = await rawRequest(baseUrl, 'GET', '/health/live', {});
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'ok', phase: 'waiting-for-database' });
    const ready = await rawRequest(baseUrl, 'GET', '/health/ready', {});
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'starting', phase: 'waiting-for-database', lastError: expect.stringContaining('ECONNREFUSED') });
    expect(Number(ready.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const t0 = Date.now();
    const tap = await gate.post('/v1/transit/taps', { tapId: 'nodb-1', cardNo: 'T00000018', gateId: 'TJN-G-IN-1', tappedAt: '2026-03-02T07:55:00+08:00' });
    expect(Date.now() - t0).toBeLessThan(1_000);
    for (const res of [
      tap,
      await admin.get('/v1/admin/venues'),
      await rawRequest(baseUrl, 'POST', '/v1/scenic/taps', { 'content-type': 'application/json' }, '{}'),
    ]) {
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({ type: '/problems/unavailable', status: 503 });
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    // What needs no database still works.
    expect((await rawRequest(baseUrl, 'GET', '/docs-json', {})).status).toBe(200);

    // The database comes back: the service migrates the empty database and becomes ready.
    proxy = await openTcpProxy({ host: real.hostname, port: Number(real.port || 5432) }, port);
    await until('readiness', async () => ((await rawRequest(baseUrl, 'GET', '/health/ready', {})).status === 200 ? true : null));
    expect(failures).toEqual([]);
    expect(readiness.state).toMatchObject({ phase: 'ready' });
    expect((await rawRequest(baseUrl, 'GET', '/health/live', {})).body).toEqual({ status: 'ok', phase: 'ready' });

    const client = new pg.Client({ connectionString: realUrl });
    await client.connect();
    try {
      const migrations = await client.query(`SELECT count(*)::int AS n FROM schema_migrations`);
      expect(migrations.rows[0].n).toBeGreaterThan(5);
      const rules = await client.query(`SELECT count(*)::int AS n FROM rules.rule_sets`);
      expect(rules.rows[0].n).toBeGreaterThan(10);
    } finally {
      await client.end();
    }
    // Normal answers now: admin works, an unknown terminal is a 401 (the directory is loaded and has none).
    expect((await admin.get('/v1/admin/venues')).status).toBe(200);
    expect(
      (await gate.post('/v1/transit/taps', { tapId: 'nodb-2', cardNo: 'T00000018', gateId: 'TJN-G-IN-1', tappedAt: '2026-03-02T07:55:00+08:00' })).status,
    ).toBe(401);
  });

  it('fails at once instead in wait mode (the CLI and tests), closing what it built', async () => {
    const port = await freePort();
    const url = `postgresql://postgres@127.0.0.1:${port}/nowhere`;
    const env = parseEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: url, SEED_DEMO: 'false', DB_CONNECT_TIMEOUT_MS: '500' });
    await expect(createApp({ env, databaseUrl: url })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
