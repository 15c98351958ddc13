import { rmSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { formatYuan } from '@onecard/kernel';
import { parseEnv, startEmbeddedPostgres, type EmbeddedDatabase } from '@onecard/platform';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../bootstrap.js';
import { Prng } from '../seed/prng.js';
import { Runner } from './runner.js';
import { SCENARIOS, type ScenarioName } from './scenarios/index.js';
import type { CatalogueItem, PlanInput, TrainCalls } from './scenarios/scenario.js';
import { SignedHttp } from './signed-http.js';
import { SimClock } from './sim-clock.js';
import { RunStats } from './stats.js';
import { World } from './world.js';

export interface SimulateOptions {
  scenario: ScenarioName;
  durationMs: number;
  rate?: number;
  seed: number;
  target?: string;
  day?: string;
  speed: number;
  concurrency: number;
  cards: number;
  quiet?: boolean;
  /**
   * A service started by the caller on the simulated clock (tests): its URL, the clock it was
   * given (standing at the scenario's start) and its terminal master key and operator token.
   */
  service?: { baseUrl: string; clock: SimClock; masterKey: string; operatorToken: string };
}

export interface SimulationOutcome {
  ok: boolean;
  stats: RunStats;
  problems: string[];
  report: string;
}

const SIM_PG_DIR = '.data/simulator-pg';
const SIM_PG_PORT = 54339;

/**
 * `npm run simulate`: plays a scenario's day against the service — started here on a fresh
 * embedded database with the simulated clock, or a running one (`--target`, in its real time) —
 * then audits what happened: every answer a 2xx decision or the expected 4xx, no 5xx, retries
 * answered identically, each card's ledger balance equal to what the answers said, and the ledger
 * verified end to end.
 */
export async function simulate(opts: SimulateOptions): Promise<SimulationOutcome> {
  const scenario = SCENARIOS[opts.scenario];
  const env = parseEnv({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const operatorToken =
    opts.service?.operatorToken ?? [...env.ADMIN_TOKENS.entries()].find(([, grant]) => grant.role === 'operator' && grant.region === null)?.[0];
  if (!operatorToken) throw new Error('ADMIN_TOKENS has no operator token');
  const log = (line: string) => !opts.quiet && process.stdout.write(`${line}\n`);

  let day: string;
  let clock: SimClock;
  let app: NestFastifyApplication | null = null;
  let embedded: EmbeddedDatabase | null = null;
  let baseUrl: string;
  if (opts.service) {
    day = opts.day ?? scenario.day;
    clock = opts.service.clock;
    baseUrl = opts.service.baseUrl;
  } else if (opts.target) {
    day = opts.day ?? new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    clock = new SimClock(new Date(), 1);
    baseUrl = opts.target;
    if (opts.speed !== 1 || opts.day)
      log('note: --target drives a running service in its own (real) time; --day and --speed apply only to an in-process service');
  } else {
    day = opts.day ?? scenario.day;
    clock = new SimClock(new Date(`${day}T${scenario.from}:00+08:00`), opts.speed);
    rmSync(SIM_PG_DIR, { recursive: true, force: true });
    log(`Starting the service on a fresh embedded PostgreSQL (${SIM_PG_DIR}), business day ${day} from ${scenario.from} at ${opts.speed}× …`);
    embedded = await startEmbeddedPostgres({ dir: SIM_PG_DIR, port: SIM_PG_PORT, database: 'onecard_sim' });
    app = await createApp({ env: { ...env, SEED_DEMO: true, DATABASE_URL: embedded.url }, databaseUrl: embedded.url, clock });
    await app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  }
  const http = new SignedHttp(baseUrl, opts.service?.masterKey ?? env.TERMINAL_MASTER_KEY, operatorToken, opts.concurrency);
  try {
    log(`Reading the world from ${baseUrl} …`);
    const world = await World.discover(http, opts.cards);
    const input = await planInput(http, world, day, scenario, opts, clock);
    const actions = scenario.plan(input);
    log(`${opts.scenario}: ${actions.length} planned starts (${world.cards.length} cards, ${world.terminals.length} terminals), seed ${opts.seed}`);
    await topUpWallets(http, world, input.idPrefix);

    const stats = new RunStats();
    const runner = new Runner(http, stats, { clock, durationMs: opts.durationMs, endAt: input.to, concurrency: opts.concurrency, rate: opts.rate });
    runner.schedule(actions);
    const bar = opts.quiet ? null : progressBar();
    bar?.start(actions.length, 0, payload(stats, clock));
    const ticker = setInterval(() => bar?.update(stats.sent, payload(stats, clock)), 250);
    clock.start();
    await runner.run();
    clearInterval(ticker);
    bar?.setTotal(stats.sent);
    bar?.update(stats.sent, payload(stats, clock));
    bar?.stop();

    const problems = [...stats.unexpected];
    if (stats.serverErrors > 0) problems.unshift(`${stats.serverErrors} answers were 5xx`);
    const audit = await auditMoney(http, world, runner);
    problems.push(...audit);
    const verification = await http.admin('GET', '/v1/admin/ledger/verification');
    const verified = verification.status === 200 && verification.body?.ok === true;
    if (!verified) problems.push(`ledger verification failed: ${verification.text.slice(0, 300)}`);
    const report = summary(opts, stats, day, verification.body, audit.length === 0);
    return { ok: problems.length === 0, stats, problems, report };
  } finally {
    await http.close();
    if (app) await app.close();
    if (embedded) await embedded.stop();
  }
}

async function planInput(
  http: SignedHttp,
  world: World,
  day: string,
  scenario: (typeof SCENARIOS)[ScenarioName],
  opts: SimulateOptions,
  clock: SimClock,
): Promise<PlanInput> {
  const timetable = new Map<string, TrainCalls>();
  const tt = await http.admin('GET', `/v1/admin/transit/timetable?date=${day}`);
  if (tt.status === 200) for (const t of tt.body.trains as TrainCalls[]) timetable.set(t.trainNo, t);
  const catalogues = new Map<string, CatalogueItem[]>();
  for (const region of ['11', '12', '13']) {
    const c = await http.admin('GET', `/v1/admin/medical/catalogue?region=${region}&on=${day}`);
    if (c.status === 200) catalogues.set(region, c.body.items);
  }
  const libraryItems = new Map<string, string[]>();
  const libs = await http.admin('GET', `/v1/admin/libraries?on=${day}`);
  if (libs.status === 200) {
    for (const l of libs.body.libraries as { libraryId: string; items: number }[]) {
      const prefix = l.libraryId.replace(/^LIB-/, '');
      libraryItems.set(
        l.libraryId,
        Array.from({ length: l.items }, (_, n) => `${prefix}-${String(n + 1).padStart(4, '0')}`),
      );
    }
  }
  const museumSlots = await museumSlotsOn(http, world, day);
  const from = clock.now().getTime();
  const to = Date.parse(`${day}T${scenario.to}:00+08:00`);
  const wallSeconds = Math.min(opts.durationMs, (to - from) / opts.speed) / 1000;
  return {
    world,
    rng: new Prng(opts.seed),
    day,
    from,
    to,
    volume: Math.max(20, Math.round((opts.rate ?? 50) * wallSeconds)),
    idPrefix: `sim${opts.seed}-${opts.scenario.slice(0, 3)}-${day.replace(/-/g, '')}`,
    timetable,
    catalogues,
    libraryItems,
    museumSlots,
  };
}

/**
 * The day's slots of every museum, from the booking rule set in force in its region (the `default`
 * pattern or the museum's own): the highest version in force that day.
 */
async function museumSlotsOn(http: SignedHttp, world: World, day: string): Promise<Map<string, { start: string; end: string }[]>> {
  const slots = new Map<string, { start: string; end: string }[]>();
  const list = await http.admin('GET', '/v1/admin/rule-sets?context=museums');
  if (list.status !== 200) return slots;
  type Summary = { id: string; version: number; region: string; effectiveFrom: string; effectiveTo: string | null };
  const inForce = new Map<string, Summary>();
  for (const s of list.body as Summary[]) {
    if (s.effectiveFrom > day || (s.effectiveTo && s.effectiveTo < day)) continue;
    const best = inForce.get(s.region);
    if (!best || s.version > best.version) inForce.set(s.region, s);
  }
  for (const [region, summary] of inForce) {
    const view = await http.admin('GET', `/v1/admin/rule-sets/${encodeURIComponent(summary.id)}/versions/${summary.version}`);
    const p = view.body?.parameters;
    if (!p) continue;
    for (const museum of world.venuesOf('MUSEUM').filter((m) => m.region === region)) {
      const own = p.venues?.[museum.venueId]?.slots ?? p.default?.slots;
      if (Array.isArray(own)) slots.set(museum.venueId, own);
    }
  }
  return slots;
}

/**
 * Commuters keep their rail wallets topped up (the gate wants the fare to the terminus): before the
 * day starts, every active transit wallet under 200 yuan gets a top-up at the operator's window.
 */
async function topUpWallets(http: SignedHttp, world: World, idPrefix: string): Promise<void> {
  const jobs: { card: (typeof world.cards)[number]; account: 'TRANSIT' | 'BANK'; amountFen: number }[] = [];
  for (const card of world.cards.filter((c) => c.status === 'ACTIVE')) {
    const transit = card.balances.transit;
    if (card.transitApp && transit !== null && transit < 20_000) jobs.push({ card, account: 'TRANSIT', amountFen: Math.max(30_000, 50_000 - transit) });
    // Visitors and readers pay from the card's bank account: most people have some money in it.
    if (card.balances.bank < 20_000) jobs.push({ card, account: 'BANK', amountFen: 50_000 - card.balances.bank });
  }
  for (let i = 0; i < jobs.length; i += 16) {
    await Promise.all(
      jobs.slice(i, i + 16).map(async ({ card, account, amountFen }) => {
        const key = account === 'TRANSIT' ? 'transit' : 'bank';
        const answer = await http.admin('POST', `/v1/admin/cards/${card.cardNo}/top-ups`, {
          topUpId: `${idPrefix}-top-${key}-${card.cardNo}`,
          account,
          amountFen,
        });
        if (answer.status >= 300 || answer.body?.decision !== 'ALLOW') return;
        // Read the balance back: a replayed top-up (the same seed against the same database) added nothing now.
        const now = await http.admin('GET', `/v1/admin/cards/${card.cardNo}`);
        if (now.status === 200) {
          card.balances.transit = now.body.accounts.transit?.balanceFen ?? null;
          card.balances.bank = now.body.accounts.bank.balanceFen;
        }
      }),
    );
  }
}

/** Each card account the run touched must hold exactly what the answers said it would. */
async function auditMoney(http: SignedHttp, world: World, runner: Runner): Promise<string[]> {
  const problems: string[] = [];
  const byCard = new Map(world.cards.map((c) => [c.cardNo, c]));
  for (const { cardNo, account, delta } of runner.money.values()) {
    const before = byCard.get(cardNo)?.balances[account];
    if (before === null || before === undefined) continue;
    const now = await http.admin('GET', `/v1/admin/ledger/accounts/${encodeURIComponent(`card:${cardNo}:${account}`)}?limit=1`);
    const balance = now.body?.account?.balanceFen ?? now.body?.balanceFen;
    if (typeof balance !== 'number') {
      problems.push(`could not read card:${cardNo}:${account} (${now.status})`);
    } else if (balance !== before + delta) {
      problems.push(
        `card:${cardNo}:${account} holds ${balance} fen; the answers said ${before + delta} (${before} ${delta >= 0 ? '+' : '−'} ${Math.abs(delta)}): a double or missing charge`,
      );
    }
  }
  return problems;
}

function progressBar(): SingleBar {
  return new SingleBar({
    format: ' {bar} {value}/{total} | {sim} | {rate} cmd/s | ALLOW {allow} DENY {deny} | 4xx {c4} 5xx {c5} | p99 {p99} ms | {reasons}',
    barsize: 20,
    hideCursor: true,
    clearOnComplete: false,
  });
}

function payload(stats: RunStats, clock: SimClock) {
  const reasons = [...stats.decisions.entries()]
    .filter(([k]) => !k.endsWith(' -'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([k, v]) => `${k.split(' ')[2]} ${v}`)
    .join(', ');
  let c4 = 0;
  for (const [k, v] of stats.statuses) if (/ 4\d\d$/.test(k)) c4 += v;
  return {
    sim: new Date(clock.now().getTime() + 8 * 3_600_000).toISOString().slice(11, 16),
    rate: (stats.sent / Math.max(0.001, stats.elapsedSeconds())).toFixed(0),
    allow: stats.count((k) => k.includes(' ALLOW ')),
    deny: stats.count((k) => k.includes(' DENY ')),
    c4,
    c5: stats.serverErrors,
    p99: stats.percentile(99).toFixed(1),
    reasons: reasons || '-',
  };
}

function summary(opts: SimulateOptions, stats: RunStats, day: string, verification: any, moneyOk: boolean): string {
  const lines: string[] = [];
  const secs = stats.elapsedSeconds();
  lines.push(
    '',
    `Scenario ${opts.scenario}, business day ${day}, seed ${opts.seed}: ${stats.sent} requests in ${secs.toFixed(1)} s (${(stats.sent / secs).toFixed(0)}/s)`,
  );
  lines.push(
    `Latency p50 ${stats.percentile(50).toFixed(1)} ms, p95 ${stats.percentile(95).toFixed(1)} ms, p99 ${stats.percentile(99).toFixed(1)} ms; dropped connections retried: ${stats.dropped}`,
  );
  lines.push('', 'Decisions (context, decision, reason):');
  for (const [k, v] of [...stats.decisions.entries()].sort()) lines.push(`  ${k.padEnd(48)} ${String(v).padStart(7)}`);
  if (stats.statuses.size) {
    lines.push('', 'Other answers (context, status):');
    for (const [k, v] of [...stats.statuses.entries()].sort()) lines.push(`  ${k.padEnd(48)} ${String(v).padStart(7)}`);
  }
  lines.push('', 'Money moved on cards, by region where it was spent (yuan):');
  for (const [k, v] of [...stats.moneyByRegion.entries()].sort()) lines.push(`  ${k.padEnd(48)} ${formatYuan(v).padStart(12)}`);
  lines.push('', `Card balances vs answers: ${moneyOk ? 'every touched account matches (no double charge)' : 'MISMATCH (see problems)'}`);
  lines.push(
    `Ledger verification: ${verification?.ok ? `ok, ${verification.checkedEntries} entries checked` : `FAILED ${JSON.stringify(verification?.firstBreak ?? verification)}`}`,
  );
  return lines.join('\n');
}
