import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const HZ = 100; // USER_HZ on Linux

function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** The parent process of a local PostgreSQL backend (the postmaster), or null if not readable here. */
export function parentOf(pid: number): number | null {
  const f = statFields(pid);
  return f ? Number(f[1]) : null;
}

/** CPU seconds (utime + stime) of one process, or null if it is not readable here. */
export function processCpuSeconds(pid: number): number | null {
  const f = statFields(pid);
  return f ? (Number(f[11]) + Number(f[12])) / HZ : null;
}

/** CPU (utime + stime) of a process, its live children (backends, background workers) and its exited children. */
export function treeCpuSeconds(root: number): number | null {
  let ticks = 0;
  let seen = false;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const fields = statFields(pid);
    if (!fields) continue;
    if (pid !== root && Number(fields[1]) !== root) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
    // Workers that came and went (autovacuum, parallel workers) live on in the postmaster's cutime/cstime.
    if (pid === root) ticks += Number(fields[13]) + Number(fields[14]);
    seen = true;
  }
  return seen ? ticks / HZ : null;
}

/** The server's WAL insert position, for bytes written between two readings. */
export async function walPosition(db: pg.Pool | pg.Client): Promise<string> {
  const { rows } = await db.query<{ lsn: string }>(`SELECT pg_current_wal_lsn()::text AS lsn`);
  return rows[0]!.lsn;
}

export async function walBytesBetween(db: pg.Pool | pg.Client, from: string, to: string): Promise<number> {
  const { rows } = await db.query<{ bytes: string }>(`SELECT pg_wal_lsn_diff($2::pg_lsn, $1::pg_lsn)::text AS bytes`, [from, to]);
  return Number(rows[0]!.bytes);
}

/** What a cell cost, per command: CPU of the service, the load generator and PostgreSQL, and WAL. */
export interface CostPerCommand {
  serviceCpuUs: number | null;
  generatorCpuUs: number;
  postgresCpuUs: number | null;
  walBytes: number;
  /** The WAL positions around the cell (for `pg_waldump --stats -s <from> -e <to>`). */
  walRange: { from: string; to: string };
}

/** Readings taken around a measured cell (`/proc` and the WAL position). */
export class CostMeter {
  private constructor(
    private readonly db: pg.Pool,
    private readonly postmaster: number | null,
    private readonly service: number | null,
    private readonly at: { wal: string; pg: number | null; svc: number | null; gen: NodeJS.CpuUsage },
  ) {}

  static async start(db: pg.Pool, postmaster: number | null, service: number | null): Promise<CostMeter> {
    return new CostMeter(db, postmaster, service, {
      wal: await walPosition(db),
      pg: postmaster ? treeCpuSeconds(postmaster) : null,
      svc: service ? processCpuSeconds(service) : null,
      gen: process.cpuUsage(),
    });
  }

  async stop(commands: number): Promise<CostPerCommand> {
    const gen = process.cpuUsage(this.at.gen);
    const pgNow = this.postmaster ? treeCpuSeconds(this.postmaster) : null;
    const svcNow = this.service ? processCpuSeconds(this.service) : null;
    const walTo = await walPosition(this.db);
    const wal = await walBytesBetween(this.db, this.at.wal, walTo);
    const n = Math.max(1, commands);
    return {
      serviceCpuUs: svcNow !== null && this.at.svc !== null ? ((svcNow - this.at.svc) * 1e6) / n : null,
      generatorCpuUs: (gen.user + gen.system) / n,
      postgresCpuUs: pgNow !== null && this.at.pg !== null ? ((pgNow - this.at.pg) * 1e6) / n : null,
      walBytes: wal / n,
      walRange: { from: this.at.wal, to: walTo },
    };
  }
}

/** One pgbench run of the raw debit transaction. */
export interface PgbenchRun {
  clients: number;
  seconds: number;
  tps: number;
  latencyMs: number;
  /** PostgreSQL CPU µs and WAL bytes per transaction (pgbench's own CPU not counted). */
  postgresCpuUs: number | null;
  walBytes: number;
}

/**
 * The honest ceiling (issue 13): PostgreSQL's own pgbench on the same server, the debit of a
 * card as a hand-written transaction — BEGIN; SELECT … FOR UPDATE; UPDATE; INSERT; COMMIT — with
 * prepared statements, 2 threads and one client per terminal.
 */
export const DEBIT_SCRIPT = `\\set aid random(1, 100000)
BEGIN;
SELECT balance FROM bench_pgbench.accounts WHERE aid = :aid FOR UPDATE;
UPDATE bench_pgbench.accounts SET balance = balance - 545 WHERE aid = :aid;
INSERT INTO bench_pgbench.history (aid, delta, mtime) VALUES (:aid, -545, CURRENT_TIMESTAMP);
END;
`;

export class Pgbench {
  private constructor(
    private readonly url: string,
    private readonly script: string,
  ) {}

  /** Whether pgbench is on PATH; null when it is (else the reason it cannot run). */
  static async unavailable(): Promise<string | null> {
    return new Promise((resolve) => {
      const p = spawn('pgbench', ['--version'], { stdio: ['ignore', 'pipe', 'pipe'] });
      p.on('error', () => resolve('pgbench is not on PATH'));
      p.on('exit', (code) => resolve(code === 0 ? null : `pgbench --version exited ${code}`));
    });
  }

  /** Creates its tables (100,000 accounts) in the bench database and writes the script to a temp file. */
  static async prepare(url: string, db: pg.Pool): Promise<Pgbench> {
    await db.query(`CREATE SCHEMA IF NOT EXISTS bench_pgbench`);
    await db.query(`DROP TABLE IF EXISTS bench_pgbench.accounts, bench_pgbench.history`);
    await db.query(`CREATE TABLE bench_pgbench.accounts (aid int PRIMARY KEY, balance bigint NOT NULL)`);
    await db.query(`CREATE TABLE bench_pgbench.history (aid int NOT NULL, delta bigint NOT NULL, mtime timestamptz NOT NULL)`);
    await db.query(`INSERT INTO bench_pgbench.accounts SELECT g, 100000000 FROM generate_series(1, 100000) g`);
    await db.query(`VACUUM ANALYZE bench_pgbench.accounts`);
    const script = join(tmpdir(), `onecard-debit-${process.pid}.sql`);
    writeFileSync(script, DEBIT_SCRIPT);
    return new Pgbench(url, script);
  }

  async run(clients: number, seconds: number, db: pg.Pool, postmaster: number | null): Promise<PgbenchRun> {
    const u = new URL(this.url);
    const env = {
      ...process.env,
      PGHOST: u.hostname,
      PGPORT: u.port || '5432',
      PGUSER: decodeURIComponent(u.username || 'postgres'),
      PGPASSWORD: decodeURIComponent(u.password),
      PGDATABASE: u.pathname.slice(1),
    };
    const wal0 = await walPosition(db);
    const pg0 = postmaster ? treeCpuSeconds(postmaster) : null;
    const out = await new Promise<string>((resolve, reject) => {
      const p = spawn('pgbench', ['-n', '-M', 'prepared', '-j', '2', '-c', String(clients), '-T', String(seconds), '-f', this.script], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      p.stdout.on('data', (d) => (text += d));
      p.stderr.on('data', (d) => (text += d));
      p.on('error', reject);
      p.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`pgbench exited ${code}:\n${text.slice(-1500)}`))));
    });
    const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? NaN);
    const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(out)?.[1] ?? NaN);
    const tx = Number(/number of transactions actually processed: (\d+)/.exec(out)?.[1] ?? 0);
    const pg1 = postmaster ? treeCpuSeconds(postmaster) : null;
    const wal = await walBytesBetween(db, wal0, await walPosition(db));
    return {
      clients,
      seconds,
      tps,
      latencyMs,
      postgresCpuUs: pg0 !== null && pg1 !== null && tx > 0 ? ((pg1 - pg0) * 1e6) / tx : null,
      walBytes: tx > 0 ? wal / tx : 0,
    };
  }
}
