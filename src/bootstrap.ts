import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Clock } from '@onecard/kernel';
import {
  AppConfig,
  applyReadinessGate,
  applyRequestDeadlines,
  applySecurityHeaders,
  applyRouteBodyLimits,
  BODY_LIMIT_BYTES,
  businessClockFromEnv,
  createValidationPipe,
  depthLimitedJsonParser,
  httpTimeoutsFromEnv,
  ProblemFilter,
  Readiness,
  serverTimeoutOptions,
  setupSwagger,
  type Env,
} from '@onecard/platform';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { registerDashboard } from './dashboard/dashboard-assets.js';
import { startOnDatabase } from './startup.js';

export interface CreateAppOptions {
  env: Env;
  databaseUrl: string;
  clock?: Clock;
  /** Skip migrations (already applied, e.g. a test database cloned from a migrated template). */
  skipMigrations?: boolean;
  /**
   * `wait` (the default: tests, the CLI, the simulator): resolve once the service is ready, or
   * reject if the database does not answer. `background` (`npm start`): resolve at once, so the
   * service can listen — answering /health/live, and 503 on terminal and admin calls — while the
   * startup retries the database with backoff; `onStartupFailure` hears of a start that cannot
   * succeed (a bad migration or rule file).
   */
  startup?: 'wait' | 'background';
  onStartupFailure?: (error: unknown) => void;
}

/**
 * Builds the whole service on Fastify: timeouts, JSON only and not too deep, security headers,
 * modules, validation, problem+json errors, OpenAPI at /docs, the dashboard at /dashboard, the readiness gate;
 * then starts it on its database (`startup.ts`). `main.ts` listens on it; tests listen on an ephemeral port.
 */
export async function createApp(opts: CreateAppOptions): Promise<NestFastifyApplication> {
  const config = new AppConfig(opts.env, opts.databaseUrl);
  const timeouts = httpTimeoutsFromEnv(opts.env);
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: opts.env.TRUST_PROXY,
    return503OnClosing: true,
    ...serverTimeoutOptions(timeouts),
  });
  applyRouteBodyLimits(adapter.getInstance());
  applyRequestDeadlines(adapter.getInstance(), timeouts);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ config, clock: opts.clock ?? businessClockFromEnv(opts.env) }), adapter, {
    rawBody: true,
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  await applySecurityHeaders(app);
  app.useBodyParser('application/json', { bodyLimit: BODY_LIMIT_BYTES }, depthLimitedJsonParser(adapter.getInstance()));
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(createValidationPipe());
  applyReadinessGate(adapter.getInstance(), app.get(Readiness));
  setupSwagger(app);
  await registerDashboard(app);
  await app.init();
  // JSON only (TERMINAL-API.md): without this, Fastify parses text/plain and Nest form bodies,
  // and a non-JSON body reaches validation instead of being refused with 415.
  app.getHttpAdapter().getInstance().removeContentTypeParser(['text/plain', 'application/x-www-form-urlencoded']);

  const startup = { databaseUrl: opts.databaseUrl, skipMigrations: opts.skipMigrations, retryMaxMs: opts.env.DB_STARTUP_RETRY_MAX_MS };
  if (opts.startup === 'background') {
    startOnDatabase(app, { ...startup, retry: true }).catch((error: unknown) => opts.onStartupFailure?.(error));
  } else {
    await startOnDatabase(app, { ...startup, retry: false }).catch(async (error: unknown) => {
      await app.close();
      throw error;
    });
  }
  return app;
}
