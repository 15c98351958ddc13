import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ManualClock, type Clock } from '@onecard/kernel';
import { DEV_TERMINAL_MASTER_KEY, parseEnv, type Env } from '@onecard/platform';
import { AdminClient, createTestDatabase, TerminalClient, type TestDatabase } from '@onecard/testing';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap.js';

export const OPERATOR_TOKEN = 'test-operator-token';
export const AUDITOR_TOKEN = 'test-auditor-token';
export const TEST_MASTER_KEY = DEV_TERMINAL_MASTER_KEY;

export interface TestApp {
  app: NestFastifyApplication;
  baseUrl: string;
  db: TestDatabase;
  env: Env;
  /** The business clock; tests move it by hand. */
  clock: ManualClock;
  dataSource: DataSource;
  operator: AdminClient;
  auditor: AdminClient;
  terminal(terminalId: string): TerminalClient;
  /** The holder app bound to this card (`APP-<cardNo>`), registered on first use: an app acts only for its card. */
  holderApp(cardNo: string): Promise<string>;
  get<T>(token: unknown): T;
  close(): Promise<void>;
}

/**
 * The whole service on a fresh database cloned from the migrated template, listening on an
 * ephemeral port (Fastify inject does not work under jest on Node 20: see TOOLCHAIN.md).
 */
export async function startTestApp(opts: { clock?: ManualClock | Clock; now?: string; env?: Record<string, string> } = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const clock = (opts.clock as ManualClock) ?? new ManualClock(opts.now ?? '2026-03-02T08:00:00+08:00');
  const env = parseEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    DATABASE_URL: db.url,
    ADMIN_TOKENS: `operator:${OPERATOR_TOKEN},auditor:${AUDITOR_TOKEN}`,
    SEED_DEMO: 'false',
    DB_POOL_SIZE: '10',
    ...opts.env,
  });
  const app = await createApp({ env, databaseUrl: db.url, clock, skipMigrations: true });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const operator = new AdminClient(baseUrl, OPERATOR_TOKEN);
  const holderApps = new Map<string, Promise<string>>();
  const holderApp = (cardNo: string): Promise<string> => {
    if (!holderApps.has(cardNo)) {
      const terminalId = `APP-${cardNo}`;
      holderApps.set(
        cardNo,
        operator.post('/v1/admin/terminals', { terminalId, kind: 'HOLDER_APP', cardNo }).then((res) => {
          if (res.status !== 201) throw new Error(`holder app for ${cardNo} not registered: ${res.status} ${res.text}`);
          return terminalId;
        }),
      );
    }
    return holderApps.get(cardNo)!;
  };
  return {
    app,
    baseUrl,
    db,
    env,
    clock: clock as ManualClock,
    dataSource: app.get(DataSource),
    operator,
    auditor: new AdminClient(baseUrl, AUDITOR_TOKEN),
    terminal: (terminalId: string) => new TerminalClient(baseUrl, terminalId, env.TERMINAL_MASTER_KEY),
    holderApp,
    get: <T>(token: unknown) => app.get(token as never) as T,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}
