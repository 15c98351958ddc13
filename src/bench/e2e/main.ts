import 'reflect-metadata';
import { CardBulkLoader, makeNationalId, type BulkCard } from '@contexts/cards';
import { ManualClock } from '@onecard/kernel';
import { parseEnv } from '@onecard/platform';
import { AdminClient } from '@onecard/testing';
import { Command } from 'commander';
import pg from 'pg';
import { createApp } from '../../bootstrap.js';
import { freshBenchDatabase } from '../bench-server.js';
import { CostMeter, Pgbench, type CostPerCommand, type PgbenchRun } from '../measure.js';
import { appendRun, fmt, load, machineFacts, ms } from '../ledger/report.js';
import { prepareRawBaseline, rawOperation, runFor, type RunResult } from '../ledger/workloads.js';
import { LoadGenerator, type Iteration, type LoadResult } from './load.js';
import { startServiceProcess } from './service-process.js';

/**
 * `npm run bench`: the whole path — signed HTTP, authentication, validation, the context's rules,
 * the ledger and the journal — for transit IN/OUT pairs, seat reservations, medical settlements and
 * scenic taps at 8, 32 and 64 concurrent terminals, against the service in its own process; and, in
 * the same run on the same server, the honest ceiling: PostgreSQL's pgbench running a raw debit
 * (BEGIN; SELECT … FOR UPDATE; UPDATE; INSERT; COMMIT) with as many clients as terminals, before
 * and after the service's cells. Per cell: commands/s, latency, service ÷ pgbench, the CPU split
 * (service, load generator, PostgreSQL) and WAL bytes per command. Appends a dated section to
 * docs/BENCHMARKS.md. Not a test.
 */
const program = new Command('bench')
  .option('--seconds <s>', 'measured seconds per cell', Number, 10)
  .option('--terminals <list>', 'concurrent terminals', (v) => v.split(',').map(Number), [8, 32, 64])
  .option('--workloads <list>', 'transit, seats, medical, scenic', (v) => v.split(','), ['transit', 'seats', 'medical', 'scenic'])
  .option(
    '--seat-terminals <list>',
    'terminal counts of the seat reservation cells (each reservation needs a card of its own)',
    (v) => v.split(',').map(Number),
    [64],
  )
  .option('--cards <n>', 'cards the transit, medical and scenic terminals take turns with', Number, 6000)
  .option('--seat-cards <n>', 'cards for the seat reservation cells, each reserving once', Number, 40_000)
  .option('--pgbench-seconds <s>', 'seconds of each pgbench run (before and after the service cells)', Number, 8)
  .option('--pool <n>', "the service's DB_POOL_SIZE", Number, 20)
  .option('--cpu-prof <dir>', 'write a V8 CPU profile of the service into this directory')
  .option('--no-write', 'do not append to docs/BENCHMARKS.md')
  .option('--keep', 'keep the bench database afterwards')
  .parse();

interface Options {
  seconds: number;
  terminals: number[];
  workloads: string[];
  seatTerminals: number[];
  cards: number;
  seatCards: number;
  pgbenchSeconds: number;
  pool: number;
  cpuProf?: string;
  write: boolean;
  keep?: boolean;
}

const opts = program.opts<Options>();
const log = (line: string) => process.stderr.write(`${line}\n`);
const DATABASE = 'onecard_bench_e2e';
/** Setup runs the day before a transit rule version without seat-first takes effect; the runs on that day. */
const SETUP_AT = '2027-01-03T10:00:00+08:00';
const BENCH_DAY = '2027-01-04';
const BUSINESS_START = `${BENCH_DAY}T08:00:00+08:00`;
const MAX_TERMINALS = 64;
const OPERATOR_TOKEN = 'bench-operator-token';

/** A measured cell: the load's result and what it cost per command. */
interface CellResult extends LoadResult {
  cost: CostPerCommand;
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadBefore = load();
  const db = await openDatabase();
  const env = parseEnv({
    ...process.env,
    DATABASE_URL: db.url,
    SEED_DEMO: 'true',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
    ADMIN_TOKENS: `operator:${OPERATOR_TOKEN}`,
  });
  let service: Awaited<ReturnType<typeof startServiceProcess>> | null = null;
  const generator: { current: LoadGenerator | null } = { current: null };
  try {
    log(`setting up ${opts.cards} + ${opts.seatCards} cards, ${MAX_TERMINALS} terminals per workload and a benchmark rule version …`);
    const world = await setUp(env);

    // The ceiling, before the service's cells: pgbench on the same server, one client per terminal.
    const pgbenchMissing = await Pgbench.unavailable();
    const pgbench = pgbenchMissing ? null : await Pgbench.prepare(db.url, db.owner);
    const ceiling = new Map<number, PgbenchRun[]>();
    const nodeBaseline = new Map<number, RunResult>();
    const measureCeiling = async (when: string) => {
      for (const terminals of opts.terminals) {
        if (pgbench) {
          const r = await pgbench.run(terminals, opts.pgbenchSeconds, db.owner, db.postmaster);
          ceiling.set(terminals, [...(ceiling.get(terminals) ?? []), r]);
          log(`  pgbench ${when}, ${terminals} clients: ${fmt(r.tps)} tx/s, latency ${ms(r.latencyMs)} ms, ${fmt(r.walBytes)} B WAL/tx`);
        } else if (!nodeBaseline.has(terminals)) {
          const r = await runFor(rawOperation(db.owner, 'five'), terminals, opts.seconds, () => null);
          nodeBaseline.set(terminals, r);
          log(`  Node 5-round-trip baseline (pgbench absent), ${terminals} clients: ${fmt(r.perSecond)} tx/s`);
        }
      }
    };
    if (pgbenchMissing) {
      log(`${pgbenchMissing}: the ceiling is the Node 5-round-trip baseline instead (labelled as such)`);
      await prepareRawBaseline(db.owner);
    }
    log('the ceiling, before the service …');
    await measureCeiling('before');

    service = await startServiceProcess({
      databaseUrl: db.url,
      businessClock: BUSINESS_START,
      poolSize: opts.pool,
      adminTokens: `operator:${OPERATOR_TOKEN}`,
      cpuProf: opts.cpuProf,
      log,
    });
    const origin = Date.parse(BUSINESS_START);
    const serviceStart = service.startedAt;
    // Event times a few seconds behind the service's clock (it started its clock after loading).
    const businessNow = () => new Date(origin + (Date.now() - serviceStart) - 5_000).toISOString();
    generator.current = new LoadGenerator(service.baseUrl, env.TERMINAL_MASTER_KEY, MAX_TERMINALS);
    const runTag = Date.now().toString(36);
    const results = new Map<string, CellResult>();
    const measured = async (run: () => Promise<LoadResult>): Promise<CellResult> => {
      const meter = await CostMeter.start(db.owner, db.postmaster, service!.pid);
      const r = await run();
      return { ...r, cost: await meter.stop(r.requests) };
    };
    for (const workload of opts.workloads) {
      const levels = workload === 'seats' ? opts.seatTerminals : opts.terminals;
      for (const [level, terminals] of levels.entries()) {
        const iteration = workloadIteration(workload, world, terminals, level, levels.length, `${runTag}-${terminals}`, businessNow);
        log(`${workload} × ${terminals} terminals …`);
        const r = await measured(() => generator.current!.run(iteration, terminals, opts.seconds));
        results.set(`${workload}/${terminals}`, r);
        log(
          `  ${fmt(r.perSecond)} commands/s, p50 ${ms(r.p50)} ms, p99 ${ms(r.p99)} ms, ${r.errors} errors${r.firstError ? ` (first: ${r.firstError})` : ''}; ` +
            `${fmt(r.cost.walBytes)} B WAL (${r.cost.walRange.from}–${r.cost.walRange.to}), CPU µs ${cpuText(r.cost)} per command`,
        );
      }
    }
    // The target, paced: 64 terminals tapping at half the ceiling's rate (commands/s), open loop.
    let paced: (CellResult & { targetPerSecond: number }) | null = null;
    const ceiling64 = ceilingAt(ceiling, nodeBaseline, MAX_TERMINALS);
    if (opts.workloads.includes('transit') && ceiling64) {
      const pairsPerSecond = (0.5 * ceiling64) / 2;
      log(`transit paced: ${MAX_TERMINALS} terminals, ${fmt(2 * pairsPerSecond)} commands/s …`);
      // The last cell's cards at other gates (half the ring away): no card meets a gate it has just seen.
      const iteration = workloadIteration(
        'transit',
        world,
        MAX_TERMINALS,
        opts.terminals.length - 1,
        opts.terminals.length,
        `${runTag}-paced`,
        businessNow,
        MAX_TERMINALS / 2,
      );
      const meter = await CostMeter.start(db.owner, db.postmaster, service.pid);
      const r = await generator.current.runPaced(iteration, MAX_TERMINALS, pairsPerSecond, opts.seconds);
      paced = { ...r, cost: await meter.stop(r.requests) };
      log(
        `  ${fmt(paced.perSecond)} commands/s, p50 ${ms(paced.p50)} ms, p99 ${ms(paced.p99)} ms, ${paced.errors} errors${paced.firstError ? ` (first: ${paced.firstError})` : ''}`,
      );
    }
    const verification = await new AdminClient(service.baseUrl, OPERATOR_TOKEN).get('/v1/admin/ledger/verification');
    await generator.current.close();
    generator.current = null;
    await service.stop();
    service = null;

    log('the ceiling, after the service …');
    await measureCeiling('after');

    const [{ version }] = (await db.owner.query(`SELECT current_setting('server_version') AS version`)).rows;
    const report = render(startedAt, loadBefore, `PostgreSQL ${version}`, db.server, results, ceiling, nodeBaseline, pgbenchMissing, paced, verification.body);
    process.stdout.write(`${report}\n`);
    if (opts.write) {
      appendRun('docs/BENCHMARKS.md', report, {
        title: 'End to end',
        intro: 'Runs of `npm run bench`: signed HTTP through the service in its own process, newest last.',
        mark: '<!-- bench:e2e:runs-end -->',
      });
      log('appended to docs/BENCHMARKS.md');
    }
  } finally {
    await generator.current?.close();
    await service?.stop();
    await db.close();
  }
}

/** The ceiling at a client count: the mean of pgbench's runs before and after, else the Node baseline. */
function ceilingAt(ceiling: Map<number, PgbenchRun[]>, node: Map<number, RunResult>, clients: number): number | null {
  const runs = ceiling.get(clients);
  if (runs?.length) return runs.reduce((s, r) => s + r.tps, 0) / runs.length;
  return node.get(clients)?.perSecond ?? null;
}

function cpuText(c: CostPerCommand): string {
  const f = (v: number | null) => (v === null ? '?' : fmt(v));
  return `${f(c.serviceCpuUs)} service + ${fmt(c.generatorCpuUs)} load + ${f(c.postgresCpuUs)} pg`;
}

interface World {
  cards: string[];
  /** Cards for the seat reservation cells: each reserves once. */
  seatCards: string[];
  gatesIn: string[];
  gatesOut: string[];
  seatMachines: string[];
  clinics: string[];
  scenicGates: string[];
}

/** Cards, terminals, roomy scenic spots and the transit rule version, through the service itself (in this process). */
async function setUp(env: ReturnType<typeof parseEnv>): Promise<World> {
  const app = await createApp({ env, databaseUrl: env.DATABASE_URL!, clock: new ManualClock(SETUP_AT) });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const admin = new AdminClient((await app.getUrl()).replace('[::1]', '127.0.0.1'), OPERATOR_TOKEN);
    const ok = async (answer: Promise<{ status: number; text: string }>, what: string) => {
      const a = await answer;
      if (a.status >= 300) throw new Error(`${what}: ${a.status} ${a.text.slice(0, 300)}`);
      return a as { status: number; text: string; body: any };
    };

    const v2 = await ok(admin.get('/v1/admin/rule-sets/transit.jingjin/versions/2'), 'transit rules v2');
    const p = v2.body.parameters;
    await ok(
      admin.post('/v1/admin/rule-sets', {
        id: 'transit.jingjin',
        version: 3,
        context: 'transit',
        kind: 'network',
        region: v2.body.region,
        effectiveFrom: BENCH_DAY,
        description:
          'Benchmark: version 2 without seat-first, so seat capacity does not bound the taps measured, and trains of 16 commuter cars of 30 rows of 6 seats, so seat machines run out of seats only after 2,880 a train.',
        sources: v2.body.sources,
        parameters: {
          ...p,
          seatFirst: { ...p.seatFirst, required: false },
          timetable: {
            ...p.timetable,
            consist: { cars: 16, rowsPerCar: 30, seatLetters: ['A', 'B', 'C', 'D', 'E', 'F'], commuterCars: Array.from({ length: 16 }, (_, i) => i + 1) },
          },
        },
      }),
      'publish transit rules v3',
    );

    const venues = (kind: string) => ok(admin.get(`/v1/admin/venues?kind=${kind}`), kind).then((a) => a.body as { venueId: string; region: string }[]);
    const clinics = (await venues('CLINIC')).filter((c) => c.region === '12');
    const spots = await venues('SCENIC_SPOT');
    const world: World = { cards: [], seatCards: [], gatesIn: [], gatesOut: [], seatMachines: [], clinics: [], scenicGates: [] };
    const register = async (terminalId: string, kind: string, venueId: string, direction?: string) => {
      await ok(admin.post('/v1/admin/terminals', { terminalId, kind, venueId, ...(direction ? { direction } : {}) }), terminalId);
      return terminalId;
    };
    for (let i = 0; i < MAX_TERMINALS; i++) {
      world.gatesIn.push(await register(`BENCH-TJN-IN-${i}`, 'GATE', 'TJN', 'IN'));
      world.gatesOut.push(await register(`BENCH-BJN-OUT-${i}`, 'GATE', 'BJN', 'OUT'));
      world.seatMachines.push(await register(`BENCH-TJN-S-${i}`, 'SEAT_MACHINE', 'TJN'));
      world.clinics.push(await register(`BENCH-CLN-${i}`, 'CLINIC', clinics[i % clinics.length]!.venueId));
      world.scenicGates.push(await register(`BENCH-SCN-${i}`, 'SCENIC_GATE', spots[i % spots.length]!.venueId));
    }
    for (const spot of (await ok(admin.get('/v1/admin/scenic/spots'), 'spots')).body as {
      spotId: string;
      spotType: string;
      basePriceFen: number;
      participation: string[];
    }[]) {
      await ok(
        admin.put(`/v1/admin/scenic/spots/${spot.spotId}`, {
          spotType: spot.spotType,
          basePriceFen: Math.max(spot.basePriceFen, 1000),
          dailyCapacity: 10_000_000,
          participation: spot.participation,
        }),
        `spot ${spot.spotId}`,
      );
    }

    const loader = app.get(CardBulkLoader);
    const plans: BulkCard[] = Array.from({ length: opts.cards + opts.seatCards }, (_, i) => {
      const birthDate = `19${String(60 + (i % 35)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`;
      return {
        holder: { name: '测试', nationalId: makeNationalId('120101', birthDate, i % 1000), birthDate, homeRegion: '12', scheme: 'EMPLOYEE', retiree: false },
        issuingRegion: '12',
        generation: 3,
        transitApp: true,
        status: 'ACTIVE',
      };
    });
    // National ids repeat every 1000 people per birth date: keep the ones the loader took.
    const issued: string[] = [];
    for (let i = 0; i < plans.length; i += 500) issued.push(...(await loader.issue(plans.slice(i, i + 500))).filter((c): c is string => Boolean(c)));
    world.cards = issued.slice(0, opts.cards);
    world.seatCards = issued.slice(opts.cards);
    for (let i = 0; i < world.cards.length; i += 200) {
      const batch = world.cards.slice(i, i + 200);
      await loader.fund(
        `bench-fund-${i}`,
        batch.flatMap((cardNo) => [
          { cardNo, account: 'TRANSIT' as const, amountFen: 500_000 },
          { cardNo, account: 'BANK' as const, amountFen: 2_000_000 },
        ]),
      );
    }
    log(`  ${world.cards.length} cards issued and funded, ${world.seatCards.length} for seat reservations`);
    return world;
  } finally {
    await app.close();
  }
}

/**
 * Each terminal has its own share of the cards and goes round it: a card is never in two places at
 * once. After each round the terminal moves on to the next gate, so a card meets a gate again only
 * many rounds later (never within the duplicate-tap window).
 */
function workloadIteration(
  workload: string,
  world: World,
  terminals: number,
  level: number,
  levels: number,
  tag: string,
  now: () => string,
  roundShift = 0,
): Iteration {
  if (workload === 'seats') {
    // A seat slip from Tianjin to Beijing South for the bench day, each card once (a card holds one slip at a time).
    const pool = Math.floor(world.seatCards.length / levels);
    const share = Math.floor(pool / terminals);
    return (w, n) => [
      {
        terminalId: world.seatMachines[w % MAX_TERMINALS]!,
        path: '/v1/transit/seat-reservations',
        body: {
          reservationId: `e2e-${tag}-${w}-${n}`,
          cardNo: world.seatCards[level * pool + w * share + (n % share)]!,
          fromStation: 'TJN',
          toStation: 'BJN',
          travelDate: BENCH_DAY,
        },
      },
    ];
  }
  // Each cell (terminal count) has its own cards: no card of one cell is tapped in the next.
  const pool = Math.floor(world.cards.length / levels);
  const share = Math.floor(pool / terminals);
  const card = (w: number, n: number) => world.cards[level * pool + w * share + (n % share)]!;
  const round = (n: number) => Math.floor(n / share) + roundShift;
  switch (workload) {
    case 'transit':
      // An IN/OUT pair per iteration, Tianjin → Beijing South.
      return (w, n) => {
        const cardNo = card(w, n);
        const gate = (w + round(n)) % MAX_TERMINALS;
        const tappedAt = now();
        return [
          {
            terminalId: world.gatesIn[gate]!,
            path: '/v1/transit/taps',
            body: { tapId: `e2e-${tag}-${w}-${n}-in`, cardNo, gateId: world.gatesIn[gate]!, tappedAt },
          },
          {
            terminalId: world.gatesOut[gate]!,
            path: '/v1/transit/taps',
            body: { tapId: `e2e-${tag}-${w}-${n}-out`, cardNo, gateId: world.gatesOut[gate]!, tappedAt: now() },
          },
        ];
      };
    case 'medical':
      return (w, n) => [
        {
          terminalId: world.clinics[w % MAX_TERMINALS]!,
          path: '/v1/medical/settlements',
          body: {
            settlementId: `e2e-${tag}-${w}-${n}`,
            credential: { cardNo: card(w, n) },
            visitType: 'OUTPATIENT',
            items: [
              { code: '110200001', quantity: 1, unitPriceFen: 2500 },
              { code: '250101015', quantity: 1, unitPriceFen: 1800 },
            ],
            occurredAt: now(),
            usePersonalAccount: false,
          },
        },
      ];
    case 'scenic':
      // A first entry every time: the spot moves on with the level and the round, the card with the turn.
      return (w, n) => {
        const gate = (w + level * 7 + round(n)) % MAX_TERMINALS;
        return [
          { terminalId: world.scenicGates[gate]!, path: '/v1/scenic/taps', body: { tapId: `e2e-${tag}-${w}-${n}`, cardNo: card(w, n), tappedAt: now() } },
        ];
      };
    default:
      throw new Error(`unknown workload ${workload}`);
  }
}

/** What each workload is, for the report. */
const WORKLOAD_NOTES: Record<string, string> = {
  transit: 'an IN at Tianjin and an OUT at Beijing South per iteration (both journaled; the OUT charges 54.50 yuan through the ledger)',
  seats: 'a seat slip Tianjin → Beijing South for the bench day, each card once (claimed from the train-day inventory)',
  medical: 'a 2-item outpatient settlement by card number (fund + cash legs)',
  scenic: 'a paid first entry at a scenic spot (bank → spot revenue)',
};

/** The issue-13 targets at 64 terminals, closed loop: service ÷ pgbench. */
const TARGETS: Record<string, number> = { transit: 0.5, medical: 0.35, seats: 0.25 };

function render(
  startedAt: Date,
  loadBefore: string,
  postgres: string,
  server: string,
  results: Map<string, CellResult>,
  ceiling: Map<number, PgbenchRun[]>,
  node: Map<number, RunResult>,
  pgbenchMissing: string | null,
  paced: (CellResult & { targetPerSecond: number }) | null,
  verification: any,
): string {
  const facts = machineFacts(postgres, server, 'on');
  const denominator = pgbenchMissing ? 'Node 5-RT baseline' : 'pgbench';
  const lines = [
    `### ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Command: \`npm run bench -- ${process.argv.slice(2).join(' ')}\`.`.replace(' -- `', '`').replace(' -- .', '.'),
    `Machine: ${facts.nproc} × ${facts.cpu}, ${facts.memoryGiB} GiB RAM; Node ${facts.node}; ${facts.postgres}, ${facts.server}; synchronous_commit=on.`,
    `Load average before ${loadBefore}, after ${load()}. The service runs in its own process (\`dist/src/main.js\`, DB_POOL_SIZE ${opts.pool},`,
    `LOG_LEVEL warn); this process generates the load (closed loop per terminal, keep-alive, every request signed) on the same 2 cores.`,
    `Each cell: ${opts.seconds} s after a 1.5 s warm-up. ${Object.entries(WORKLOAD_NOTES)
      .filter(([w]) => opts.workloads.includes(w))
      .map(([w, note]) => `${w} = ${note}`)
      .join('; ')}.`,
    pgbenchMissing
      ? `Ceiling: **${pgbenchMissing}** — the Node 5-round-trip baseline (lock + update + insert driven from this process) stands in, labelled as such.`
      : `Ceiling: \`pgbench -n -M prepared -j 2 -c <terminals> -T ${opts.pgbenchSeconds}\` of the debit script (BEGIN; SELECT … FOR UPDATE; UPDATE; INSERT; COMMIT) on the same server, run before and after the service's cells; ÷ uses their mean.`,
    'CPU µs per command from `/proc`: the service process, this load generator, and every PostgreSQL process of the server; WAL from `pg_current_wal_lsn()` around each cell.',
    '',
    `| workload | terminals | commands/s | p50 ms | p99 ms | errors | ${denominator} tx/s | ÷ ${denominator} | CPU µs: service + load + pg | WAL B/command |`,
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const workload of opts.workloads) {
    for (const terminals of workload === 'seats' ? opts.seatTerminals : opts.terminals) {
      const r = results.get(`${workload}/${terminals}`);
      if (!r) continue;
      const c = ceilingAt(ceiling, node, terminals);
      lines.push(
        `| ${workload} | ${terminals} | **${fmt(r.perSecond)}** | ${ms(r.p50)} | ${ms(r.p99)} | ${r.errors} | ${c === null ? '–' : fmt(c)} | ${c === null ? '–' : fmt(r.perSecond / c, 2)} | ${cpuText(r.cost)} | ${fmt(r.cost.walBytes)} |`,
      );
    }
  }
  if (!pgbenchMissing) {
    lines.push('', '| pgbench clients | before tx/s | after tx/s | latency ms | pg CPU µs/tx | WAL B/tx |', '|---|---|---|---|---|---|');
    for (const terminals of opts.terminals) {
      const [before, after] = ceiling.get(terminals) ?? [];
      if (!before) continue;
      lines.push(
        `| ${terminals} | ${fmt(before.tps)} | ${after ? fmt(after.tps) : '–'} | ${ms(before.latencyMs)} | ${before.postgresCpuUs === null ? '?' : fmt(before.postgresCpuUs)} | ${fmt(before.walBytes)} |`,
      );
    }
  }
  lines.push('');
  const c64 = ceilingAt(ceiling, node, MAX_TERMINALS);
  for (const [workload, target] of Object.entries(TARGETS)) {
    const r = results.get(`${workload}/${MAX_TERMINALS}`);
    if (!r || c64 === null) continue;
    const ratio = r.perSecond / c64;
    lines.push(
      `${workload} at ${MAX_TERMINALS} terminals: ${fmt(r.perSecond)} commands/s = ${fmt(ratio, 2)} × ${denominator} (target ≥ ${target} × — ${ratio >= target ? 'met' : '**missed**'}; stretch 1.0 ×).`,
    );
  }
  if (paced && c64 !== null) {
    const sustained = paced.perSecond >= 0.98 * 2 * paced.targetPerSecond;
    lines.push(
      `Paced (open loop) at ${MAX_TERMINALS} terminals, 0.5 × ${denominator} = ${fmt(2 * paced.targetPerSecond)} commands/s: ${fmt(paced.perSecond)} commands/s, ` +
        `p50 ${ms(paced.p50)} ms, p99 ${ms(paced.p99)} ms (latency from when each request was due), ${paced.errors} errors, CPU µs ${cpuText(paced.cost)}, ${fmt(paced.cost.walBytes)} B WAL per command — ` +
        `target (sustained, p99 ≤ 25 ms): ${sustained && paced.p99 <= 25 && paced.errors === 0 ? 'met' : '**missed**'}.`,
    );
  }
  lines.push(
    `Ledger verification after the run: ${verification?.ok ? `ok (${fmt(verification.checkedEntries)} entries)` : `FAILED ${JSON.stringify(verification)}`}.`,
  );
  return lines.join('\n');
}

interface Database {
  url: string;
  server: string;
  owner: pg.Pool;
  /** The server's postmaster, when it runs on this machine (for its processes' CPU). */
  postmaster: number | null;
  close(): Promise<void>;
}

/** A fresh database whose name contains "bench": on DATABASE_URL's server, else an embedded one under .data/. */
async function openDatabase(): Promise<Database> {
  const db = await freshBenchDatabase({
    name: DATABASE,
    embedded: { dir: '.data/bench-e2e-pg', port: Number(process.env.BENCH_PG_PORT ?? 54341), wipe: true },
    log,
  });
  const owner = new pg.Pool({ connectionString: db.url, max: MAX_TERMINALS + 4 });
  return {
    url: db.url,
    server: db.server,
    owner,
    postmaster: db.postmasterPid,
    async close() {
      await owner.end();
      await db.dispose({ keep: Boolean(opts.keep) });
    },
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
