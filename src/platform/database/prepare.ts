import { DataSource, type MixedList } from 'typeorm';
import { dataSourceOptions } from './data-source.js';
import { APP_ROLE } from './schema.js';

export interface PreparedDatabase {
  /** Migrations applied by this call (names). */
  applied: string[];
  /** Whether sessions can switch to the restricted application role. */
  appRoleAvailable: boolean;
}

/**
 * Brings a database to the current schema as its owner (never `synchronize`), then reports whether
 * the service can run as the restricted role. Safe to call on every start.
 */
export async function prepareDatabase(url: string, migrations: MixedList<Function>): Promise<PreparedDatabase> {
  const ds = new DataSource(dataSourceOptions({ url, migrations, poolSize: 1, applicationName: 'onecard-migrate', statementTimeoutMs: 120_000 }));
  await ds.initialize();
  try {
    // One migrator at a time per database (several service instances may start together).
    await ds.query(`SELECT pg_advisory_lock(hashtext('onecard:migrations'))`);
    const applied = await ds.runMigrations({ transaction: 'each' });
    await ds.query(`SELECT pg_advisory_unlock(hashtext('onecard:migrations'))`);
    const rows: { ok: boolean }[] = await ds
      .query(`SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AND pg_has_role(current_user, $1, 'MEMBER') AS ok`, [APP_ROLE])
      .catch(() => [{ ok: false }]);
    return { applied: applied.map((m) => m.name), appRoleAvailable: Boolean(rows[0]?.ok) };
  } finally {
    await ds.destroy();
  }
}
