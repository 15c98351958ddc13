import type { DataSourceOptions, MixedList } from 'typeorm';
import './pg-types.js';
import { APP_ROLE } from './schema.js';

export interface DatabaseOptions {
  url: string;
  migrations: MixedList<Function>;
  entities?: MixedList<Function>;
  poolSize?: number;
  statementTimeoutMs?: number;
  connectTimeoutMs?: number;
  applicationName?: string;
  /** Run every session as the restricted application role (see schema.ts). */
  useAppRole?: boolean;
}

export const MIGRATIONS_TABLE = 'schema_migrations';

export function dataSourceOptions(opts: DatabaseOptions): DataSourceOptions {
  // Statements the command executor prepares (ADR 0003) are index look-ups and single-row writes:
  // a generic plan is as good as a custom one and spares planning them on every command.
  const pgOptions = ['-c plan_cache_mode=force_generic_plan', ...(opts.useAppRole ? [`-c role=${APP_ROLE}`] : [])].join(' ');
  return {
    type: 'postgres',
    url: opts.url,
    entities: opts.entities ?? [],
    migrations: opts.migrations,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    // Failed queries surface as exceptions (a 500 is logged by the problem filter); TypeORM's own
    // "query failed" lines would also print every expected unique-violation retry.
    logging: false,
    extra: {
      max: opts.poolSize ?? 10,
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 2000,
      statement_timeout: opts.statementTimeoutMs ?? 5000,
      idle_in_transaction_session_timeout: 30_000,
      application_name: opts.applicationName ?? 'onecard',
      options: pgOptions,
    },
  };
}
