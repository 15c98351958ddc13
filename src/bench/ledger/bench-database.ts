import { Ledger1796001000000 } from '@onecard/ledger';
import { AppRole1796000000000, APP_ROLE, dataSourceOptions, prepareDatabase } from '@onecard/platform';
import { readFileSync, readdirSync } from 'node:fs';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { freshBenchDatabase } from '../bench-server.js';

export const BENCH_DATABASE = 'onecard_bench_ledger';

export interface BenchDatabase {
  url: string;
  /** Where it runs, for the report. */
  server: string;
  /** The service's way in: the application role, as `npm start` connects. */
  service: DataSource;
  /** The owner (bulk loading, the raw baseline). */
  owner: pg.Pool;
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
  const postmaster = db.creatorPid === null ? null : parentOf(db.creatorPid);
  const { url, server } = db;
  const prepared = await prepareDatabase(url, [AppRole1796000000000, Ledger1796001000000]);
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
    serverCpuSeconds: () => (postmaster ? treeCpuSeconds(postmaster) : null),
    close: async ({ keep = false } = {}) => {
      await service.destroy();
      await owner.end();
      await db.dispose({ keep });
    },
  };
}

/** The parent process of a local PostgreSQL backend (the postmaster), or null if not readable here. */
function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** CPU (utime + stime) of a process, its live children (backends, background workers) and its exited children. */
function treeCpuSeconds(root: number): number | null {
  const hz = 100; // USER_HZ on Linux
  let ticks = 0;
  let seen = false;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(name);
      if (pid !== root && Number(fields[1]) !== root) continue;
      ticks += Number(fields[11]) + Number(fields[12]);
      // Workers that came and went (autovacuum, parallel workers) live on in the postmaster's cutime/cstime.
      if (pid === root) ticks += Number(fields[13]) + Number(fields[14]);
      seen = true;
    } catch {
      // the process ended meanwhile
    }
  }
  return seen ? ticks / hz : null;
}
