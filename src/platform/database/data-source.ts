import type { DataSource, DataSourceOptions, MixedList } from 'typeorm';
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

/** The PostgreSQL session settings of every connection (`options` of node-postgres). */
function sessionOptions(useAppRole: boolean): string {
  // Statements the command executor prepares (ADR 0003) are index look-ups and single-row writes:
  // a generic plan is as good as a custom one and spares planning them on every command.
  return ['-c plan_cache_mode=force_generic_plan', ...(useAppRole ? [`-c role=${APP_ROLE}`] : [])].join(' ');
}

/**
 * Connects the service's DataSource (built with `manualInitialization`, so the service starts
 * without its database; ADR 0014) once migrations ran and it is known whether sessions can take the
 * restricted role. Does nothing if it is connected already.
 */
export async function connectDataSource(dataSource: DataSource, opts: { useAppRole: boolean }): Promise<void> {
  if (dataSource.isInitialized) return;
  const extra = (dataSource.options as { extra?: Record<string, unknown> }).extra ?? {};
  dataSource.setOptions({ extra: { ...extra, options: sessionOptions(opts.useAppRole) } } as Partial<DataSourceOptions>);
  await dataSource.initialize();
}

export function dataSourceOptions(opts: DatabaseOptions): DataSourceOptions {
  const pgOptions = sessionOptions(opts.useAppRole ?? false);
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
