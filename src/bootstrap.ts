import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Clock } from '@onecard/kernel';
import {
  AppConfig,
  applyRouteBodyLimits,
  BODY_LIMIT_BYTES,
  businessClockFromEnv,
  createValidationPipe,
  prepareDatabase,
  ProblemFilter,
  setupSwagger,
  type Env,
} from '@onecard/platform';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { registerDashboard } from './dashboard/dashboard-assets.js';
import { MIGRATIONS } from './migrations.js';

export interface CreateAppOptions {
  env: Env;
  databaseUrl: string;
  clock?: Clock;
  /** Skip migrations (already applied, e.g. a test database cloned from a migrated template). */
  skipMigrations?: boolean;
}

/**
 * Builds the whole service on Fastify: migrations, modules, validation, problem+json errors,
 * OpenAPI at /docs, the dashboard at /dashboard. `main.ts` listens on it; tests listen on an ephemeral port.
 */
export async function createApp(opts: CreateAppOptions): Promise<NestFastifyApplication> {
  const prepared = opts.skipMigrations ? null : await prepareDatabase(opts.databaseUrl, MIGRATIONS);
  const useAppRole = prepared ? prepared.appRoleAvailable : await appRoleAvailable(opts.databaseUrl);
  const config = new AppConfig(opts.env, opts.databaseUrl);
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, trustProxy: true, return503OnClosing: true });
  applyRouteBodyLimits(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, clock: opts.clock ?? businessClockFromEnv(opts.env), useAppRole }),
    adapter,
    { rawBody: true, bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(createValidationPipe());
  setupSwagger(app, { ui: opts.env.NODE_ENV !== 'test' });
  await registerDashboard(app);
  await app.init();
  // JSON only (TERMINAL-API.md): without this, Fastify parses text/plain and Nest form bodies,
  // and a non-JSON body reaches validation instead of being refused with 415.
  app.getHttpAdapter().getInstance().removeContentTypeParser(['text/plain', 'application/x-www-form-urlencoded']);
  return app;
}

async function appRoleAvailable(url: string): Promise<boolean> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query(
      `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'onecard_app') AND pg_has_role(current_user, 'onecard_app', 'MEMBER') AS ok`,
    );
    return Boolean(r.rows[0]?.ok);
  } finally {
    await client.end();
  }
}
