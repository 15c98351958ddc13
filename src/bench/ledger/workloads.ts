import type { CommandExecutor } from '@onecard/engine';
import { LedgerReads, type Leg } from '@onecard/ledger';
import type pg from 'pg';
import { percentile } from './stats.js';

export const CARDS = 5_000;
export const CLINICS = 100;
export const RAIL = 'operator:rail:revenue';
export const FUND = 'fund:12:medical-pool';
export const CASH = 'external:bench-cash';
export const BANK = 'external:bench-bank';
export const cardCode = (i: number) => `card:B${String(i).padStart(8, '0')}:wallet`;
export const clinicCode = (i: number) => `institution:C${String(i).padStart(4, '0')}:receivable`;

export type Shape = 'single-leg' | 'three-leg';
export type Path = 'executor' | 'raw 5 round trips' | 'raw 1 round trip';

export interface RunResult {
  perSecond: number;
  count: number;
  p50: number;
  p99: number;
  /** CPU time of this process and of the database server per operation, in µs (null if unreadable). */
  nodeCpuUs: number;
  serverCpuUs: number | null;
  errors: number;
}

export type Operation = (writer: number, n: number) => Promise<void>;

const rand = (n: number) => Math.floor(Math.random() * n);

/** A fare and a settlement as contexts post them, through the executor (idempotency, journal, chain). */
export function executorOperation(executor: CommandExecutor, shape: Shape, runId: string): Operation {
  return async (writer, n) => {
    const id = `${runId}-${writer}-${n}`;
    const card = cardCode(rand(CARDS));
    const clinic = clinicCode(rand(CLINICS));
    const transfers: Leg[] =
      shape === 'single-leg'
        ? [{ from: card, to: RAIL, amount: 545 }]
        : [
            { from: FUND, to: clinic, amount: 7_000 },
            { from: card, to: clinic, amount: 1_200 },
            { from: CASH, to: clinic, amount: 800 },
          ];
    // As a context posts it: the card's wallet locked by a declared read, batched with other cards' commands.
    const result = await executor.run({
      envelope: {
        type: shape === 'single-leg' ? 'bench.fare' : 'bench.settle',
        id,
        context: 'bench',
        terminalId: 'BENCH-T01',
        payload: { card, clinic, shape },
      },
      reads: { wallet: LedgerReads.lockedBalances([card]) },
      batchKeys: [card],
      decide: () => ({
        decision: 'ALLOW',
        response: { decision: 'ALLOW', id },
        subject: card.split(':')[1]!,
        ruleSet: { id: 'bench.rules', version: 1 },
        transfers,
        onLedgerRefusal: (r) => ({ decision: 'DENY', reason: { code: r.code, message: 'refused' }, response: { decision: 'DENY', id } }),
      }),
    });
    if (result.decision !== 'ALLOW') throw new Error(`bench transfer refused: ${result.reasonCode}`);
  };
}

/**
 * The baseline without the ledger: lock a balance row, update it, insert one row, in one
 * transaction: five round trips as the executor's contexts would do it by hand, or one statement.
 */
export function rawOperation(pool: pg.Pool, mode: 'five' | 'one'): Operation {
  return async () => {
    const account = 1 + rand(CARDS);
    if (mode === 'one') {
      await pool.query(
        `WITH locked AS (SELECT id FROM bench_raw.accounts WHERE id = $1 FOR UPDATE),
              moved AS (UPDATE bench_raw.accounts a SET balance = a.balance - $2 FROM locked WHERE a.id = locked.id RETURNING a.id, a.balance)
         INSERT INTO bench_raw.entries (account, amount, balance_after) SELECT id, -$2, balance FROM moved`,
        [account, 545],
      );
      return;
    }
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ balance: string }>(`SELECT balance FROM bench_raw.accounts WHERE id = $1 FOR UPDATE`, [account]);
      const after = Number(rows[0]!.balance) - 545;
      await client.query(`UPDATE bench_raw.accounts SET balance = $2 WHERE id = $1`, [account, after]);
      await client.query(`INSERT INTO bench_raw.entries (account, amount, balance_after) VALUES ($1, $2, $3)`, [account, -545, after]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
}

export async function prepareRawBaseline(pool: pg.Pool): Promise<void> {
  await pool.query(`CREATE SCHEMA IF NOT EXISTS bench_raw`);
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_raw.accounts (id int PRIMARY KEY, balance bigint NOT NULL)`);
  await pool.query(
    `CREATE TABLE IF NOT EXISTS bench_raw.entries (id bigserial PRIMARY KEY, account int NOT NULL, amount bigint NOT NULL, balance_after bigint NOT NULL, at timestamptz NOT NULL DEFAULT now())`,
  );
  await pool.query(`INSERT INTO bench_raw.accounts SELECT g, 1000000000 FROM generate_series(1, $1) g ON CONFLICT DO NOTHING`, [CARDS]);
}

/** `writers` loops doing `op` back to back for `seconds` (after a short warm-up); throughput and latency. */
export async function runFor(op: Operation, writers: number, seconds: number, serverCpu: () => number | null): Promise<RunResult> {
  await runLoops(op, writers, Math.min(1, seconds / 4), () => undefined); // warm-up: connections, plans, caches
  const latencies: number[] = [];
  const cpu0 = process.cpuUsage();
  const server0 = serverCpu();
  const started = performance.now();
  const { count, errors, firstError } = await runLoops(op, writers, seconds, (ms) => latencies.push(ms));
  if (firstError) process.stderr.write(`  ${errors} failed operations; first: ${(firstError as Error).message ?? String(firstError)}\n`);
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const server1 = serverCpu();
  latencies.sort((a, b) => a - b);
  return {
    perSecond: count / elapsed,
    count,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    nodeCpuUs: (cpu.user + cpu.system) / Math.max(count, 1),
    serverCpuUs: server0 !== null && server1 !== null ? ((server1 - server0) * 1e6) / Math.max(count, 1) : null,
    errors,
  };
}

let sequence = 0;

interface Loops {
  count: number;
  errors: number;
  firstError: unknown;
}

async function runLoops(op: Operation, writers: number, seconds: number, onDone: (ms: number) => void): Promise<Loops> {
  const deadline = performance.now() + seconds * 1000;
  const out: Loops = { count: 0, errors: 0, firstError: undefined };
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await op(w, sequence++);
          onDone(performance.now() - t0);
          out.count++;
        } catch (error) {
          out.errors++;
          out.firstError ??= error;
          if (out.errors > 100) throw error; // something is broken, not merely slow
        }
      }
    }),
  );
  return out;
}
