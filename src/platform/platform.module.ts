import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CLOCK, SystemClock, type Clock } from '@onecard/kernel';
import { LoggerModule } from 'nestjs-pino';
import type { MixedList } from 'typeorm';
import { AdminSessionController } from './auth/admin-session.controller.js';
import { FailedSignatureThrottle } from './auth/failed-signature-throttle.js';
import { AppConfig } from './config/app-config.js';
import { dataSourceOptions } from './database/data-source.js';
import { HealthController } from './health/health.controller.js';
import { Readiness } from './health/readiness.js';
import { loggerOptions } from './logging/logger-options.js';

export interface PlatformOptions {
  config: AppConfig;
  migrations: MixedList<Function>;
  /** Business clock; the system clock unless a test or simulation supplies one. */
  clock?: Clock;
}

/**
 * Cross-cutting infrastructure every context uses: validated config, the business clock, logging,
 * the database (connected by the startup, not here), CQRS buses, terminal and admin authentication,
 * readiness and health.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(opts: PlatformOptions): DynamicModule {
    const { env } = opts.config;
    return {
      module: PlatformModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ ...env, ADMIN_TOKENS: undefined })] }),
        LoggerModule.forRoot(loggerOptions(env)),
        TypeOrmModule.forRoot({
          ...dataSourceOptions({
            url: opts.config.databaseUrl,
            migrations: opts.migrations,
            poolSize: env.DB_POOL_SIZE,
            statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
            connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS,
          }),
          autoLoadEntities: true,
          // The service starts without its database: the startup (src/startup.ts) connects it once
          // it answers and migrations ran, with the session role then known (ADR 0014).
          manualInitialization: true,
        }),
        CqrsModule.forRoot(),
        TerminusModule,
      ],
      controllers: [HealthController, AdminSessionController],
      providers: [
        { provide: AppConfig, useValue: opts.config },
        { provide: CLOCK, useValue: opts.clock ?? new SystemClock() },
        Readiness,
        FailedSignatureThrottle,
      ],
      exports: [AppConfig, CLOCK, Readiness, FailedSignatureThrottle],
    };
  }
}
