import 'reflect-metadata';
import { SystemClock } from '@onecard/kernel';
import { CommandExecutor } from '@onecard/engine';
import { LedgerAccounts, LedgerVerifier, type AccountSpec } from '@onecard/ledger';
import { Command } from 'commander';
import { BENCH_DATABASE, openBenchDatabase, type BenchDatabase } from './bench-database.js';
import { Pgbench, type PgbenchRun } from '../measure.js';
import { bulkAppend } from './bulk-ledger.js';
import { appendRun, fmt, load, machineFacts, ms, throughputTable, type Cell } from './report.js';
import { median, medianRun } from './stats.js';
import {
  BANK,
  CARDS,
  CASH,
  CLINICS,
  FUND,
  RAIL,
  cardCode,
  clinicCode,
  executorOperation,
  prepareRawBaseline,
  rawOperation,
  runFor,
  type Operation,
  type Shape,
} from './workloads.js';

/**
 * `npm run bench:ledger`: the ledger's throughput and latency through CommandExecutor, with the raw
 * PostgreSQL baseline in the same run; verification speed over ≥ 1 M entries; transfer cost at
 * 10 k vs 10 M existing entries. Not a test: it prints a table and appends it to docs/BENCHMARKS.md.
 */
const program = new Command('bench:ledger')
  .option('--seconds <s>', 'measured seconds per run', Number, 6)
  .option('--repeats <n>', 'runs per cell (the median is reported)', Number, 3)
  .option('--writers <list>', 'concurrent writers', (v) => v.split(',').map(Number), [1, 8, 32, 64])
  .option('--big <n>', 'entries in the ledger for the second cost probe', Number, 10_000_000)
  .option('--verify-at <n>', 'entries in the ledger when verification speed is measured', Number, 1_000_000)
  .option('--pool <n>', 'database connections (the service default, DB_POOL_SIZE, unless given)', Number, Number(process.env.DB_POOL_SIZE ?? 20))
  .option('--quick', 'a short smoke run (2 s runs, 1 repeat, 200 k entries)')
  .option('--skip-matrix', 'skip the throughput matrix (for working on the size and verification phases)')
  .option('--no-write', 'do not append to docs/BENCHMARKS.md')
  .option('--keep', `keep the ${BENCH_DATABASE} database afterwards`)
  .parse();

interface Options {
  pool: number;
  seconds: number;
  repeats: number;
  writers: number[];
  big: number;
  verifyAt: number;
  quick?: boolean;
  skipMatrix?: boolean;
  write: boolean;
  keep?: boolean;
}

const opts = program.opts<Options>();
if (opts.quick) Object.assign(opts, { seconds: 2, repeats: 1, big: 200_000, verifyAt: 100_000 });
const log = (line: string) => process.stderr.write(`${line}\n`);

const BULK_ACCOUNTS = Array.from({ length: 1000 }, (_, i) => `bench:bulk:${String(i).padStart(4, '0')}`);
const CARD_FUNDING = 100_000_000; // fen per card: never runs out during the runs

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadBefore = load();
  const db = await openBenchDatabase({ poolSize: opts.pool, log });
  try {
    const [{ version }] = await db.service.query(`SELECT current_setting('server_version') AS version`);
    const [{ sc }] = await db.service.query(`SELECT current_setting('synchronous_commit') AS sc`);
    if (sc !== 'on') throw new Error(`synchronous_commit is ${sc}: the benchmark measures durable commits`);
    const facts = machineFacts(`PostgreSQL ${version}`, db.server, sc);
    log(`${facts.nproc} × ${facts.cpu}, ${facts.memoryGiB} GiB, Node ${facts.node}, ${facts.postgres} (${facts.server}); load ${loadBefore}`);

    const executor = new CommandExecutor(db.service, new SystemClock());
    await openBenchAccounts(db);
    await prepareRawBaseline(db.owner);
    // The first 10,000 entries: every card funded, one leg each.
    await bulkAppend(db.owner, {
      entries: 2 * CARDS,
      legsPerGroup: 1000,
      commandType: 'bench.fund',
      idPrefix: 'fund',
      accounts: [BANK, ...Array.from({ length: CARDS }, (_, i) => cardCode(i))],
      leg: (i) => [0, 1 + i, CARD_FUNDING],
    });
    let existing = await entryCount(db);
    await db.owner.query(`ANALYZE`);

    const cell = async (label: string, op: Operation, writers: number): Promise<Cell> => {
      const runs = [];
      for (let r = 0; r < opts.repeats; r++) runs.push(await runFor(op, writers, opts.seconds, db.serverCpuSeconds));
      const m = medianRun(runs);
      const cpu = `cpu µs/op ${fmt(m.nodeCpuUs)} node + ${m.serverCpuUs === null ? '?' : fmt(m.serverCpuUs)} pg`;
      log(
        `  ${label.padEnd(28)} ${String(writers).padStart(3)} writers: ${fmt(m.perSecond).padStart(7)}/s  p50 ${ms(m.p50)} ms  p99 ${ms(m.p99)} ms  ${cpu}  (runs: ${runs.map((x) => fmt(x.perSecond)).join(', ')})`,
      );
      return { runs, median: m };
    };
    const single = (tag: string) => executorOperation(executor, 'single-leg', tag);

    log(`cost probe at ${fmt(existing)} entries:`);
    const probeSmallAt = existing;
    const probeSmall = await cell('executor single-leg', single('probe-small'), 32);

    const matrix = new Map<Shape, Map<number, Cell>>();
    const raw5 = new Map<number, Cell>();
    const raw1 = new Map<number, Cell>();
    for (const shape of opts.skipMatrix ? [] : (['single-leg', 'three-leg'] as const)) {
      log(`${shape} through CommandExecutor:`);
      const cells = new Map<number, Cell>();
      for (const w of opts.writers) cells.set(w, await cell(`executor ${shape}`, executorOperation(executor, shape, `m-${shape}-${w}`), w));
      matrix.set(shape, cells);
    }
    log('raw PostgreSQL baseline (lock + update + insert per transaction):');
    for (const w of opts.skipMatrix ? [] : opts.writers) raw5.set(w, await cell('raw, 5 round trips', rawOperation(db.owner, 'five'), w));
    for (const w of opts.skipMatrix ? [] : opts.writers) raw1.set(w, await cell('raw, 1 statement', rawOperation(db.owner, 'one'), w));
    // The honest ceiling: pgbench's debit on the same server, as many clients as writers.
    const pgbenchMissing = await Pgbench.unavailable();
    const pgbench = new Map<number, PgbenchRun>();
    if (pgbenchMissing) log(`${pgbenchMissing}: no pgbench ceiling in this run`);
    else {
      const bench = await Pgbench.prepare(db.url, db.owner);
      for (const w of opts.skipMatrix ? [] : opts.writers) {
        const r = await bench.run(w, opts.seconds, db.owner, db.postmaster);
        pgbench.set(w, r);
        log(`  pgbench debit, ${String(w).padStart(3)} clients: ${fmt(r.tps).padStart(7)} tx/s, latency ${ms(r.latencyMs)} ms`);
      }
    }

    existing = await entryCount(db);
    const bulkLegs = (i: number): [number, number, number] => {
      const from = (i * 7919) % BULK_ACCOUNTS.length;
      return [from, (from + 1 + (i % (BULK_ACCOUNTS.length - 1))) % BULK_ACCOUNTS.length, 1 + (i % 997)];
    };
    const grow = async (to: number, label: string) => {
      const need = to - (await entryCount(db));
      if (need <= 0) return { seconds: 0, entries: 0 };
      const t0 = performance.now();
      let last = 0;
      const appended = await bulkAppend(db.owner, {
        entries: need,
        legsPerGroup: 50,
        commandType: 'bench.bulk',
        idPrefix: `${label}-${Date.now()}`,
        accounts: BULK_ACCOUNTS,
        leg: bulkLegs,
        onProgress: (n) => {
          if (n - last >= 1_000_000 || n >= need) {
            last = n;
            log(`  bulk ${label}: ${fmt(n)} / ${fmt(need)} entries (${fmt(n / ((performance.now() - t0) / 1000))}/s)`);
          }
        },
      });
      await db.owner.query(`ANALYZE ledger.entries, ledger.journal`);
      return { seconds: (performance.now() - t0) / 1000, entries: appended };
    };

    log(`growing the ledger to ${fmt(opts.verifyAt)} entries (COPY of a hash chain computed here):`);
    const bulk1 = await grow(opts.verifyAt, 'to-verify');
    const verifier = new LedgerVerifier(db.service);
    const verifications = [];
    for (let r = 0; r < Math.max(opts.repeats, 1); r++) {
      const v = await verifier.verify();
      if (!v.ok) throw new Error(`verification failed: ${JSON.stringify(v.firstBreak)}`);
      verifications.push(v);
      log(
        `  verified ${fmt(v.checkedEntries)} entries + ${fmt(v.checkedJournal)} records in ${fmt(v.durationMs / 1000, 2)} s: ${fmt(v.entriesPerSecond)} entries/s`,
      );
    }
    const verifyRate = median(verifications.map((v) => v.entriesPerSecond));
    const verifyEntries = verifications[0]!.checkedEntries;

    log(`growing the ledger to ${fmt(opts.big)} entries:`);
    const bulk2 = await grow(opts.big, 'big');
    existing = await entryCount(db);
    log(`cost probe at ${fmt(existing)} entries:`);
    const probeBig = await cell('executor single-leg', single('probe-big'), 32);
    const probeBigAt = existing;
    log('verifying the whole ledger once more:');
    const full = await verifier.verify();
    if (!full.ok) throw new Error(`verification failed: ${JSON.stringify(full.firstBreak)}`);
    log(`  verified ${fmt(full.checkedEntries)} entries in ${fmt(full.durationMs / 1000, 1)} s: ${fmt(full.entriesPerSecond)} entries/s`);
    const loadAfter = load();

    const s32 = matrix.get('single-leg')?.get(32);
    const bulkRate = (bulk1.entries + bulk2.entries) / Math.max(bulk1.seconds + bulk2.seconds, 0.001);
    const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
    const command = `npm run bench:ledger${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
    const lines = [
      `### ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      '',
      `Command: \`${process.env.DATABASE_URL ? 'DATABASE_URL=… ' : ''}${command}\` — ${facts.server}, database \`${BENCH_DATABASE}\`.`,
      `Machine: ${facts.nproc} × ${facts.cpu}, ${facts.memoryGiB} GiB RAM; Node ${facts.node}; ${facts.postgres}; synchronous_commit=${facts.synchronousCommit}.`,
      `Load average (1/5/15 min) before ${loadBefore}, after ${loadAfter} (the machine is shared).`,
      `Each cell: median of ${opts.repeats} run(s) of ${opts.seconds} s after a warm-up; p50/p99 of that run. ${opts.pool} database connections`,
      `(as the service's DB_POOL_SIZE: more writers queue for a connection, as requests do). Single-leg = card → rail revenue`,
      `(32 shards); three-leg = fund → clinic, card → clinic, cash → clinic. CPU µs/transfer = this process + all PostgreSQL processes.`,
      '',
      ...(opts.skipMatrix
        ? ['(throughput matrix skipped)', '']
        : [
            '**Single-leg transfers** (executor vs the raw baseline: lock + update + insert in 5 round trips, or as 1 statement)',
            '',
            ...throughputTable(opts.writers, matrix.get('single-leg')!, raw5, raw1, pgbench),
            '',
            '**Three-leg transfers** (one command, three legs, six entries)',
            '',
            ...throughputTable(opts.writers, matrix.get('three-leg')!, null, null),
            '',
          ]),
      `**Verification**: ${fmt(verifyEntries)} entries (+ ${fmt(verifications[0]!.checkedJournal)} journal records, ${fmt(verifications[0]!.checkedBalances)} balance shards): ` +
        `median ${fmt(verifyRate)} entries/s over ${verifications.length} run(s); the whole ${fmt(full.checkedEntries)}-entry ledger in ${fmt(full.durationMs / 1000, 1)} s (${fmt(full.entriesPerSecond)} entries/s).`,
      '',
      `**Transfer cost vs ledger size** (single-leg, 32 writers): at ${fmt(probeSmallAt)} entries ${fmt(probeSmall.median.perSecond)}/s, p50 ${ms(probeSmall.median.p50)} ms, ` +
        `p99 ${ms(probeSmall.median.p99)} ms; at ${fmt(probeBigAt)} entries ${fmt(probeBig.median.perSecond)}/s, p50 ${ms(probeBig.median.p50)} ms, p99 ${ms(probeBig.median.p99)} ms ` +
        `(ratio ${fmt(probeBig.median.perSecond / probeSmall.median.perSecond, 2)}).`,
      `Bulk growth: ${fmt(bulk1.entries + bulk2.entries)} entries in groups of 50 legs, hash chain computed in TypeScript with the ledger's own encoder and`,
      `streamed with COPY FROM STDIN (${fmt(bulkRate)} entries/s), chain heads and balances moved in the same transactions; verified afterwards.`,
      '',
      `Targets: single-leg at 32 writers ≥ 0.6 × pgbench — ${
        s32 && pgbench.get(32)
          ? `${fmt(s32.median.perSecond)}/s = ${fmt(s32.median.perSecond / pgbench.get(32)!.tps, 2)} × ${fmt(pgbench.get(32)!.tps)}, ${verdict(s32.median.perSecond >= 0.6 * pgbench.get(32)!.tps)}`
          : s32
            ? `${fmt(s32.median.perSecond)}/s (no pgbench in this run)`
            : 'not run'
      }; ` +
        `verification ≥ 100,000 entries/s — ${verdict(verifyRate >= 100_000)}; no slowdown 10 k → 10 M — ` +
        `${verdict(probeBig.median.perSecond >= 0.9 * probeSmall.median.perSecond)}${opts.big < 10_000_000 ? ` (only ${fmt(opts.big)} entries in this run)` : ''}.`,
    ];
    const report = lines.join('\n');
    process.stdout.write(`\n${report}\n`);
    if (opts.write) {
      appendRun('docs/BENCHMARKS.md', report);
      log('\nappended to docs/BENCHMARKS.md');
    }
  } finally {
    await db.close({ keep: opts.keep }).catch((e: unknown) => log(`could not close ${BENCH_DATABASE}: ${(e as Error).message}`));
  }
}

async function openBenchAccounts(db: BenchDatabase): Promise<void> {
  const specs: AccountSpec[] = [
    { code: RAIL, region: '12', kind: 'REVENUE', balanceRule: 'UNBOUNDED', shards: 32 },
    { code: FUND, region: '12', kind: 'FUND', balanceRule: 'UNBOUNDED', shards: 32 },
    { code: CASH, region: '12', kind: 'EXTERNAL', balanceRule: 'UNBOUNDED', shards: 32 },
    { code: BANK, region: null, kind: 'EXTERNAL', balanceRule: 'UNBOUNDED' },
    ...Array.from({ length: CARDS }, (_, i): AccountSpec => ({ code: cardCode(i), region: '12', kind: 'CARD_WALLET', balanceRule: 'NON_NEGATIVE' })),
    ...Array.from({ length: CLINICS }, (_, i): AccountSpec => ({
      code: clinicCode(i),
      region: '12',
      kind: 'INSTITUTION_RECEIVABLE',
      balanceRule: 'UNBOUNDED',
    })),
    ...BULK_ACCOUNTS.map((code): AccountSpec => ({ code, region: null, kind: 'BENCH', balanceRule: 'UNBOUNDED' })),
  ];
  await new LedgerAccounts(db.service).open(specs);
}

async function entryCount(db: BenchDatabase): Promise<number> {
  // Exact and cheap: every entry has a sequence number on a chain, as does every journal record.
  const { rows } = await db.owner.query<{ n: string }>(`SELECT ((SELECT sum(seq) FROM ledger.chain_heads) - (SELECT count(*) FROM ledger.journal))::text AS n`);
  return Number(rows[0]!.n);
}

main().catch((error: unknown) => {
  log(`bench:ledger failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
