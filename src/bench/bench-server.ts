import { startEmbeddedPostgres, type EmbeddedDatabase } from '@onecard/platform';
import { rmSync } from 'node:fs';
import { parentOf } from './measure.js';
import pg from 'pg';

/** A benchmark's own database, created afresh: where it is and how to take it away again. */
export interface FreshDatabase {
  /** Connection string of the new database (owner). */
  url: string;
  /** Where it runs, for the report. */
  server: string;
  /** The process id of a local server's backend that created it, if known. */
  creatorPid: number | null;
  /** The local server's postmaster (its processes' CPU is the database's), if readable here. */
  postmasterPid: number | null;
  /** Drops the database unless `keep`, then stops an embedded server. */
  dispose(opts: { keep: boolean }): Promise<void>;
}

/**
 * Drops and creates `name` (which must contain "bench": nothing else is touched) on the server of
 * DATABASE_URL if set, else on an embedded PostgreSQL under `embedded.dir`.
 */
export async function freshBenchDatabase(opts: {
  name: string;
  embedded: { dir: string; port: number; wipe: boolean };
  log: (line: string) => void;
}): Promise<FreshDatabase> {
  if (!opts.name.includes('bench')) throw new Error(`a benchmark database name must contain "bench": ${opts.name}`);
  let embedded: EmbeddedDatabase | null = null;
  let adminUrl: string;
  let server: string;
  if (process.env.DATABASE_URL) {
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = '/postgres';
    adminUrl = u.toString();
    server = `DATABASE_URL server ${u.host}`;
  } else {
    if (opts.embedded.wipe) rmSync(opts.embedded.dir, { recursive: true, force: true });
    opts.log(`starting embedded PostgreSQL in ${opts.embedded.dir} …`);
    embedded = await startEmbeddedPostgres({ dir: opts.embedded.dir, port: opts.embedded.port, database: 'postgres' });
    adminUrl = embedded.adminUrl;
    server = `embedded PostgreSQL (${opts.embedded.dir})`;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  let creatorPid: number | null = null;
  let postmasterPid: number | null = null;
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${opts.name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${opts.name}`);
    creatorPid = (await admin.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`)).rows[0]!.pid;
    postmasterPid = parentOf(creatorPid); // while the backend still exists
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${opts.name}`;
  return {
    url: u.toString(),
    server,
    creatorPid,
    postmasterPid,
    async dispose({ keep }) {
      if (!keep) {
        const drop = new pg.Client({ connectionString: adminUrl });
        await drop.connect();
        await drop.query(`DROP DATABASE IF EXISTS ${opts.name} WITH (FORCE)`).finally(() => drop.end());
      }
      await embedded?.stop();
    },
  };
}
