import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { RuleStore } from '@onecard/rules';
import { APP_ROLE, connectDataSource, isDatabaseUnavailable, prepareDatabase, Readiness, TERMINAL_DIRECTORY, type TerminalDirectory } from '@onecard/platform';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from './migrations.js';
import { SeedRunner } from './seed/seed.runner.js';

export interface StartupOptions {
  databaseUrl: string;
  /** Skip migrations (already applied, e.g. a test database cloned from a migrated template). */
  skipMigrations?: boolean;
  /**
   * Keep trying while the database does not answer (the service: `npm start`), with backoff from
   * 0.5 s up to `retryMaxMs`; without it the first failure is thrown (tests, the CLI).
   */
  retry: boolean;
  retryMaxMs: number;
}

const FIRST_RETRY_MS = 500;

/**
 * What the service does once its database answers, in order (ADR 0014): migrate (as the owner),
 * connect the service's DataSource (as the restricted role when there is one), publish and load the
 * rules, seed demo data, load the terminal directory — then it is ready. Every step is safe to run
 * again, so a database lost in the middle just starts the sequence over. Anything else that fails
 * (a bad migration, rule files that do not load) is not retried: the start fails.
 */
export async function startOnDatabase(app: NestFastifyApplication, opts: StartupOptions): Promise<void> {
  const readiness = app.get(Readiness);
  const logger = new Logger('Startup');
  let delay = FIRST_RETRY_MS;
  for (;;) {
    try {
      readiness.attempt('migrating');
      const useAppRole = opts.skipMigrations
        ? await appRoleAvailable(opts.databaseUrl)
        : (await prepareDatabase(opts.databaseUrl, MIGRATIONS)).appRoleAvailable;
      readiness.attempt('loading');
      await connectDataSource(app.get(DataSource), { useAppRole });
      await app.get(RuleStore).start();
      await app.get(SeedRunner).seedAtStart();
      const terminals = await app.get<TerminalDirectory>(TERMINAL_DIRECTORY).loadAll();
      readiness.markReady();
      if (readiness.state.attempts > 1) logger.log(`database reached after ${readiness.state.attempts} attempts; ready (${terminals} terminals)`);
      return;
    } catch (error) {
      const reason = describe(error);
      if (!opts.retry || !isDatabaseUnavailable(error)) {
        readiness.fail(reason);
        throw error;
      }
      readiness.waiting(reason, delay);
      logger.warn(`database not reachable (${reason}); attempt ${readiness.state.attempts}, retrying in ${delay / 1000} s — answering 503 meanwhile`);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, opts.retryMaxMs);
    }
  }
}

/** Whether sessions can switch to the restricted role (a database migrated earlier). */
async function appRoleAvailable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query(`SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AND pg_has_role(current_user, $1, 'MEMBER') AS ok`, [APP_ROLE]);
    return Boolean(r.rows[0]?.ok);
  } finally {
    await client.end();
  }
}

/** An error as the log may show it: its code and message, never a connection string. */
function describe(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown };
  const text = [typeof e?.code === 'string' ? e.code : null, typeof e?.message === 'string' ? e.message : String(error)].filter(Boolean).join(' ');
  return text.replace(/postgres(ql)?:\/\/\S+/g, 'postgres://…').slice(0, 300);
}
