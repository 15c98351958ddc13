import { Ledger1796001000000, LedgerBatch1796010000000 } from '@onecard/ledger';
import { AppRole1796000000000, APP_ROLE, dataSourceOptions, prepareDatabase } from '@onecard/platform';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { freshBenchDatabase } from '../bench-server.js';
import { treeCpuSeconds } from '../measure.js';

export const BENCH_DATABASE = 'onecard_bench_ledger';

export interface BenchDatabase {
  url: string;
  /** Where it runs, for the report. */
  server: string;
  /** The service's way in: the application role, as `npm start` connects. */
  service: DataSource;
  /** The owner (bulk loading, the raw baseline). */
  owner: pg.Pool;
  /** The server's postmaster, when it runs on this machine. */
  postmaster: number | null;
  /** CPU seconds used so far by the PostgreSQL server's processes, if they can be read here. */
  serverCpuSeconds(): number | null;
  /** Closes the connections, drops the bench database unless `keep`, and stops an embedded server. */
  close(opts?: { keep?: boolean }): Promise<void>;
}

/**
 * A database of its own for the benchmark, recreated on every run: on the server of DATABASE_URL
 * if set, else on an embedded PostgreSQL under .data/bench-pg. Only the ledger's migrations run.
 * The name always contains "bench", and nothing else is touched.
 */
export async function openBenchDatabase(opts: { poolSize: number; log: (line: string) => void }): Promise<BenchDatabase> {
  const db = await freshBenchDatabase({
    name: BENCH_DATABASE,
    embedded: { dir: '.data/bench-pg', port: Number(process.env.BENCH_PG_PORT ?? 54339), wipe: false },
    log: opts.log,
  });
  const postmaster = db.postmasterPid;
  const { url, server } = db;
  const prepared = await prepareDatabase(url, [AppRole1796000000000, Ledger1796001000000, LedgerBatch1796010000000]);
  if (!prepared.appRoleAvailable) opts.log(`note: role ${APP_ROLE} unavailable, the service path runs as the login role`);
  const service = new DataSource(
    dataSourceOptions({
      url,
      migrations: [],
      poolSize: opts.poolSize,
      statementTimeoutMs: 120_000,
      connectTimeoutMs: 10_000,
      useAppRole: prepared.appRoleAvailable,
      applicationName: 'onecard-bench',
    }),
  );
  await service.initialize();
  const owner = new pg.Pool({ connectionString: url, max: opts.poolSize, application_name: 'onecard-bench-owner' });
  return {
    url,
    server,
    service,
    owner,
    postmaster,
    serverCpuSeconds: () => (postmaster ? treeCpuSeconds(postmaster) : null),
    close: async ({ keep = false } = {}) => {
      await service.destroy();
      await owner.end();
      await db.dispose({ keep });
    },
  };
}
