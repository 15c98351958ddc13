import 'reflect-metadata';
import { signTerminalRequest } from '@onecard/kernel';
import { parseEnv } from '@onecard/platform';
import { AdminClient, openTcpProxy, type TcpProxy } from '@onecard/testing';
import { Command } from 'commander';
import { request as httpRequest } from 'node:http';
import pg from 'pg';
import { createApp } from '../../bootstrap.js';
import { freshBenchDatabase } from '../bench-server.js';
import { startServiceProcess, type ServiceProcess } from '../e2e/service-process.js';
import { appendRun } from '../ledger/report.js';

/**
 * `npm run chaos`: a fault campaign against the service in its own process (not a test, not in
 * CI). Signed medical settlements by card number, each retried by its id until it is answered,
 * while the service is killed with SIGKILL and started again, the database connections are cut
 * and refused for a while (a database restart as the service sees it), and some connections are
 * dropped right after the request was written. Then: every acknowledged command must be in the
 * journal once, with its entries; every replay must answer the same bytes; every card's personal
 * account must equal its opening balance less what the answers said; the ledger must verify.
 * Prints the counts, appends the run to docs/RELIABILITY.md, exits 1 on any loss or mismatch.
 */
const program = new Command('chaos')
  .option('--seconds <s>', 'seconds of load', Number, 30)
  .option('--terminals <n>', 'concurrent clinic counters', Number, 16)
  .option('--cards <n>', 'cards the counters take turns with', Number, 200)
  .option('--kill-at <s>', 'kill -9 the service this many seconds in', Number, 6)
  .option('--db-outage-at <s>', 'cut the database this many seconds in', Number, 16)
  .option('--db-outage-seconds <s>', 'how long the database stays unreachable', Number, 3)
  .option('--drop-rate <p>', 'share of requests whose connection is dropped right after the write', Number, 0.05)
  .option('--no-write', 'do not append to docs/RELIABILITY.md')
  .parse();

const opts = program.opts<{
  seconds: number;
  terminals: number;
  cards: number;
  killAt: number;
  dbOutageAt: number;
  dbOutageSeconds: number;
  dropRate: number;
  write: boolean;
}>();
const log = (line: string) => process.stderr.write(`${line}\n`);
const OPERATOR_TOKEN = 'chaos-operator-token';
const PATH = '/v1/medical/settlements';
const COMMAND_TYPE = 'medical.settle';

interface Settlement {
  id: string;
  terminalId: string;
  cardNo: string;
  body: string;
}
interface Answer {
  status: number;
  text: string;
}
interface Outcome {
  command: Settlement;
  first: Answer;
  attempts: number;
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const db = await freshBenchDatabase({ name: `onecard_bench_chaos_${process.pid}`, embedded: { dir: '.data/chaos-pg', port: 54339, wipe: true }, log });
  const env = parseEnv({
    ...process.env,
    DATABASE_URL: db.url,
    SEED_DEMO: 'true',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
    ADMIN_TOKENS: `operator:${OPERATOR_TOKEN}`,
  });
  let proxy: TcpProxy | null = null;
  let service: ServiceProcess | null = null;
  try {
    log('migrating and seeding the demo data …');
    const setup = await createApp({ env, databaseUrl: db.url });
    await setup.close();
    const owner = new pg.Client({ connectionString: db.url });
    await owner.connect();
    const clinics: string[] = (await owner.query(`SELECT terminal_id FROM registry.terminals WHERE kind = 'CLINIC' ORDER BY terminal_id`)).rows.map(
      (r) => r.terminal_id,
    );
    const cards: string[] = (
      await owner.query(
        `SELECT c.card_no FROM cards.cards c JOIN ledger.balances b ON b.account_code = 'card:' || c.card_no || ':personal'
         WHERE c.status = 'ACTIVE' GROUP BY c.card_no HAVING sum(b.balance) >= 20000 ORDER BY c.card_no LIMIT $1`,
        [opts.cards],
      )
    ).rows.map((r) => r.card_no);
    const opening = await personalBalances(owner, cards);

    const target = new URL(db.url);
    proxy = await openTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(db.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const start = (port?: number) =>
      startServiceProcess({ databaseUrl: viaProxy.toString(), poolSize: 20, adminTokens: `operator:${OPERATOR_TOKEN}`, port, log });
    service = await start();
    const port = Number(new URL(service.baseUrl).port);
    const baseUrl = service.baseUrl;
    log(`${clinics.length} clinic counters, ${cards.length} cards; ${opts.terminals} counters settle for ${opts.seconds} s`);

    const stats = { drops: 0, retries: 0, unexpected: [] as string[], outageAnswerMs: [] as number[], answeredAt: [] as number[] };
    const outcomes: Outcome[] = [];
    const began = Date.now();
    const faults: { at: number; what: string }[] = [];
    const elapsed = () => (Date.now() - began) / 1000;

    // The faults, on their own timers.
    const killer = (async () => {
      await sleep(opts.killAt * 1000);
      faults.push({ at: elapsed(), what: 'kill -9 of the service' });
      await service!.kill9();
      await sleep(1000);
      faults.push({ at: elapsed(), what: 'service started again' });
      service = await start(port);
      faults.push({ at: elapsed(), what: 'service ready' });
    })();
    const outage = (async () => {
      await sleep(opts.dbOutageAt * 1000);
      faults.push({ at: elapsed(), what: `database cut: connections reset and refused for ${opts.dbOutageSeconds} s` });
      await proxy!.down();
      await owner.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
      await sleep(opts.dbOutageSeconds * 1000);
      await proxy!.up();
      faults.push({ at: elapsed(), what: 'database reachable again' });
    })();

    let next = 0;
    const worker = async (w: number) => {
      while (elapsed() < opts.seconds) {
        const n = next++;
        const command = settlement(`chaos-${began.toString(36)}-${n}`, clinics[w % clinics.length]!, cards[n % cards.length]!);
        outcomes.push(await untilAnswered(baseUrl, env.TERMINAL_MASTER_KEY, command, stats, elapsed));
      }
    };
    await Promise.all(Array.from({ length: opts.terminals }, (_, w) => worker(w)));
    await Promise.all([killer, outage]);
    const loadSeconds = elapsed();
    log(`${outcomes.length} settlements answered in ${loadSeconds.toFixed(1)} s; checking …`);

    // 1. Every acknowledged command is in the journal exactly once, with all its entries.
    const ids = outcomes.map((o) => o.command.id);
    const journaled = new Map<string, { legs: number; entries: number }>(
      (
        await owner.query(
          `SELECT j.command_id, j.legs, (SELECT count(*)::int FROM ledger.entries e WHERE e.command_type = j.command_type AND e.command_id = j.command_id) AS entries
           FROM ledger.journal j WHERE j.command_type = $1 AND j.command_id = ANY($2)`,
          [COMMAND_TYPE, ids],
        )
      ).rows.map((r) => [r.command_id, { legs: r.legs, entries: r.entries }]),
    );
    const lost = ids.filter((id) => !journaled.has(id));
    const doubled = [...journaled].filter(([, j]) => j.entries !== 2 * j.legs).map(([id]) => id);
    const [{ n: stray }] = (
      await owner.query(`SELECT count(*)::int AS n FROM ledger.journal WHERE command_type = $1 AND command_id LIKE $2 AND NOT (command_id = ANY($3))`, [
        COMMAND_TYPE,
        `chaos-${began.toString(36)}-%`,
        ids,
      ])
    ).rows;

    // 2. A replay answers the same status and the same bytes.
    let mismatches = 0;
    for (let i = 0; i < outcomes.length; i += 32) {
      const batch = await Promise.all(outcomes.slice(i, i + 32).map((o) => send(baseUrl, env.TERMINAL_MASTER_KEY, o.command, false)));
      batch.forEach((answer, k) => {
        const first = outcomes[i + k]!.first;
        if (!answer || answer.status !== first.status || answer.text !== first.text) mismatches++;
      });
    }

    // 3. Money: each card's personal account is its opening balance less what the answers said.
    const closing = await personalBalances(owner, cards);
    const spent = new Map<string, number>();
    for (const o of outcomes) {
      const body = JSON.parse(o.first.text) as { decision?: string; personalAccountFen?: number };
      if (body.decision === 'ALLOW') spent.set(o.command.cardNo, (spent.get(o.command.cardNo) ?? 0) + (body.personalAccountFen ?? 0));
    }
    const moneyMismatches = cards.filter((c) => (opening.get(c) ?? 0) - (spent.get(c) ?? 0) !== (closing.get(c) ?? 0));

    // 4. The ledger verifies.
    const verification = (await new AdminClient(baseUrl, OPERATOR_TOKEN).get('/v1/admin/ledger/verification')).body as { ok: boolean; checkedEntries: number };
    await owner.end();

    const allow = outcomes.filter((o) => (JSON.parse(o.first.text) as { decision?: string }).decision === 'ALLOW').length;
    const report = [
      `### ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC — ${opts.terminals} counters, ${opts.seconds} s, ${db.server}`,
      '',
      '| measure | value |',
      '| --- | --- |',
      `| settlements acknowledged | ${outcomes.length} (${allow} ALLOW, ${outcomes.length - allow} DENY) |`,
      `| lost (acknowledged, not journaled) | ${lost.length} |`,
      `| doubled (entries ≠ 2 × legs) | ${doubled.length} |`,
      `| journaled but never acknowledged | ${stray} |`,
      `| replay mismatches (status or bytes) | ${mismatches} |`,
      `| cards whose personal account disagrees with the answers | ${moneyMismatches.length} of ${cards.length} |`,
      `| ledger verification | ${verification.ok ? 'ok' : 'BROKEN'} (${verification.checkedEntries} entries) |`,
      `| connections dropped after the write, then retried | ${stats.drops} |`,
      `| retries after 503 / refused / reset | ${stats.retries} |`,
      `| slowest 503 answer (starting, or database unreachable) | ${stats.outageAnswerMs.length ? `${Math.max(...stats.outageAnswerMs)} ms` : '—'} |`,
      ...faults
        .filter((f) => f.what === 'service started again' || f.what === 'database reachable again')
        .map((f) => {
          const next = stats.answeredAt.filter((at) => at >= f.at).sort((a, b) => a - b)[0];
          return `| first settlement answered after "${f.what}" | ${next === undefined ? '—' : `${Math.round((next - f.at) * 1000)} ms`} |`;
        }),
      `| unexpected answers | ${stats.unexpected.length}${stats.unexpected.length ? ` (first: ${stats.unexpected[0]})` : ''} |`,
      '',
      `Faults: ${faults.map((f) => `${f.at.toFixed(1)} s ${f.what}`).join('; ')}.`,
    ].join('\n');
    process.stdout.write(`${report}\n`);
    if (opts.write) {
      appendRun('docs/RELIABILITY.md', report, {
        title: 'Runs of `npm run chaos`',
        intro: 'Newest last. The machine is shared and small; the counts matter, not the speed.',
        mark: '<!-- chaos:runs-end -->',
      });
      log('appended to docs/RELIABILITY.md');
    }
    const failed = lost.length + doubled.length + mismatches + moneyMismatches.length + stats.unexpected.length + stray > 0 || !verification.ok;
    process.exitCode = failed ? 1 : 0;
  } finally {
    await service?.stop();
    await proxy?.close();
    await db.dispose({ keep: false });
  }
}

function settlement(id: string, terminalId: string, cardNo: string): Settlement {
  const body = JSON.stringify({
    settlementId: id,
    credential: { cardNo },
    visitType: 'OUTPATIENT',
    items: [
      { code: '110200001', quantity: 1, unitPriceFen: 2000 },
      { code: 'XA10BAD001A001010100001', quantity: 2, unitPriceFen: 1550 },
    ],
    occurredAt: new Date(Date.now() - 60_000).toISOString().replace('Z', '+00:00'),
  });
  return { id, terminalId, cardNo, body };
}

/** Sends until the service answers 2xx; a 503, a refused or reset connection, or a dropped one is retried with the same id. */
async function untilAnswered(
  baseUrl: string,
  masterKey: string,
  command: Settlement,
  stats: { drops: number; retries: number; unexpected: string[]; outageAnswerMs: number[]; answeredAt: number[] },
  elapsed: () => number,
): Promise<Outcome> {
  for (let attempts = 1; ; attempts++) {
    const drop = Math.random() < opts.dropRate;
    const t0 = Date.now();
    const answer = await send(baseUrl, masterKey, command, drop);
    if (drop) {
      stats.drops++;
      continue;
    }
    if (answer && answer.status >= 200 && answer.status < 300) {
      stats.answeredAt.push(elapsed());
      return { command, first: answer, attempts };
    }
    if (answer && answer.status === 503) stats.outageAnswerMs.push(Date.now() - t0);
    if (answer && answer.status !== 503) {
      stats.unexpected.push(`${command.id} ${answer.status} ${answer.text.slice(0, 120)}`);
      return { command, first: answer, attempts };
    }
    stats.retries++;
    if (elapsed() > opts.seconds + 120) throw new Error(`${command.id} still unanswered two minutes after the load ended`);
    await sleep(100 + Math.random() * 200);
  }
}

/** One signed POST; null when the connection failed. With `drop`, the connection is destroyed right after the request is written. */
function send(baseUrl: string, masterKey: string, command: Settlement, drop: boolean): Promise<Answer | null> {
  const url = new URL(PATH, baseUrl);
  const headers = {
    ...signTerminalRequest({ masterKey, terminalId: command.terminalId, method: 'POST', path: PATH, body: command.body }),
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(command.body)),
  };
  return new Promise((resolve) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: PATH, method: 'POST', headers, agent: false, timeout: 15_000 }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', () => resolve(null));
    });
    req.on('error', () => resolve(null));
    req.on('timeout', () => req.destroy());
    req.end(command.body, () => {
      // The request is written: the service may commit it, the client never hears.
      if (drop) setTimeout(() => req.destroy(), Math.random() * 20);
    });
  });
}

async function personalBalances(client: pg.Client, cards: string[]): Promise<Map<string, number>> {
  const rows = (
    await client.query(
      `SELECT split_part(account_code, ':', 2) AS card_no, sum(balance)::bigint AS b FROM ledger.balances WHERE account_code = ANY($1) GROUP BY account_code`,
      [cards.map((c) => `card:${c}:personal`)],
    )
  ).rows;
  return new Map(rows.map((r) => [r.card_no as string, Number(r.b)]));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
