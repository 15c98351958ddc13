import { LedgerReads } from '@onecard/ledger';
import { balanceOf, createTestDatabase, openDataSource, openTestAccounts, testClock, transfer, APP_ROLE, type TestDatabase } from '@onecard/testing';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { DataSource } from 'typeorm';
import { CommandExecutor } from './command-executor.js';
import { UndeclaredReadError } from './command-tx.js';
import type { CommandOutcome, CommandPlan, Reads } from './command.js';
import { read } from './read.js';

const CARD = 'card:T00000001:transit';
const CARD2 = 'card:T00000002:transit';
const BANK = 'external:test-bank';
const RAIL = 'operator:test-rail:revenue';
const FUND = 'fund:12:test-pool';
const CLINIC = 'institution:TEST001:receivable';

describe('CommandExecutor (real PostgreSQL, as the application role)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let executor: CommandExecutor;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openDataSource(db.url, { asAppRole: true, max: 30 });
    executor = new CommandExecutor(ds, testClock());
    await openTestAccounts(executor);
    // A stand-in for a context's own table (contexts' tables are writable by the application role).
    const owner = await openDataSource(db.url, { max: 1 });
    await owner.query(`CREATE TABLE public.test_state (id text PRIMARY KEY, note text)`);
    await owner.query(`GRANT SELECT, INSERT ON public.test_state TO ${APP_ROLE}`);
    await owner.destroy();
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const topUp = (id: string, amount: number, to = CARD) => transfer(executor, id, [{ from: BANK, to, amount }]);
  const run = <R, D extends Reads>(plan: CommandPlan<R, D>, on = executor) => on.run(plan);
  const entriesOf = (id: string) =>
    ds.query(
      `SELECT e.leg, e.account_code, e.amount::int, e.balance_after::int, e.seq::int AS seq, j.seq::int AS journal_seq, e.chain = j.chain AS same_chain
       FROM ledger.journal j JOIN ledger.entries e ON e.chain = j.chain AND e.seq > j.seq AND e.seq <= j.seq + 2 * j.legs
       WHERE j.command_id = $1 ORDER BY e.seq`,
      [id],
    );

  it('posts every group as entries that net to zero, with balances after and versions', async () => {
    await topUp('fund-group', 10_000);
    const three = await transfer(executor, 'settle-1', [
      { from: FUND, to: CLINIC, amount: 7_000 },
      { from: CARD, to: CLINIC, amount: 2_000 },
      { from: BANK, to: CLINIC, amount: 1_000 },
    ]);
    expect(three.decision).toBe('ALLOW');
    const groups: { command_id: string; legs: number; n: number; net: string }[] = await ds.query(
      `SELECT j.command_id, j.legs, count(e.*)::int AS n, coalesce(sum(e.amount), 0)::text AS net
       FROM ledger.journal j LEFT JOIN ledger.entries e ON e.chain = j.chain AND e.seq > j.seq AND e.seq <= j.seq + 2 * j.legs
       GROUP BY j.command_id, j.legs`,
    );
    for (const g of groups) {
      expect(g.n).toBe(2 * g.legs);
      expect(g.net).toBe('0');
    }
    const entries = await entriesOf('settle-1');
    expect(entries.map((e: any) => [e.leg, e.account_code, e.amount])).toEqual([
      [0, FUND, -7000],
      [0, CLINIC, 7000],
      [1, CARD, -2000],
      [1, CLINIC, 2000],
      [2, BANK, -1000],
      [2, CLINIC, 1000],
    ]);
    expect(entries.find((e: any) => e.account_code === CARD).balance_after).toBe(8_000);
    // The clinic account is touched three times in one group: its balance walks 0 → 7000 → 9000 → 10000.
    expect(entries.filter((e: any) => e.account_code === CLINIC).map((e: any) => e.balance_after)).toEqual([7000, 9000, 10000]);
    expect(await balanceOf(ds, CLINIC)).toBe(10_000);
    expect(await balanceOf(ds, CARD)).toBe(8_000);
    // The journal record, then its entries, gap-free on one chain; the view names each entry's record.
    expect(entries.map((e: any) => e.seq - e.journal_seq)).toEqual([1, 2, 3, 4, 5, 6]);
    const named = await ds.query(
      `SELECT DISTINCT command_type, command_id FROM ledger.entry_journal WHERE (chain, seq) IN (SELECT chain, seq FROM ledger.journal WHERE command_id = 'settle-1') OR command_id = 'settle-1'`,
    );
    expect(named).toEqual([{ command_type: 'test.transfer', command_id: 'settle-1' }]);
  });

  it('replays a stored result idempotently and refuses a reused id with another body (409)', async () => {
    const plan = (
      amount: number,
      work = () => ({ decision: 'ALLOW' as const, response: { ok: true, note: 'z-first', a: 1 }, transfers: [{ from: BANK, to: CARD2, amount: 1000 }] }),
    ) => ({
      envelope: { type: 'test.top-up', id: 'top-1', context: 'test', payload: { amount } },
      decide: work,
    });
    const first = await run(plan(1000));
    expect(first.replayed).toBe(false);
    const again = await run(
      plan(1000, () => {
        throw new Error('must not run twice');
      }),
    );
    expect(again).toMatchObject({ replayed: true, httpStatus: 200, decision: 'ALLOW' });
    expect(JSON.stringify(again.response)).toBe(JSON.stringify(first.response)); // byte for byte, key order kept
    await expect(run(plan(999))).rejects.toMatchObject({ problem: { status: 409 } });
    expect(await balanceOf(ds, CARD2)).toBe(1000);
    expect(await ds.query(`SELECT legs FROM ledger.journal WHERE command_id = 'top-1'`)).toEqual([{ legs: 1 }]);
  });

  it('lets exactly 10 of 50 concurrent 1-yuan debits through on a wallet funded for 10, balance exact', async () => {
    await run({
      envelope: { type: 'test.open', id: 'open-race', context: 'test', payload: {} },
      decide: (_, tx) => {
        tx.ledger.openAccounts([{ code: 'card:RACE0001:transit', region: '12', kind: 'CARD_TRANSIT', balanceRule: 'NON_NEGATIVE' }]);
        return { decision: 'ALLOW', response: {} };
      },
    });
    await topUp('race-fund', 1000, 'card:RACE0001:transit');
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => transfer(executor, `race-${i}`, [{ from: 'card:RACE0001:transit', to: RAIL, amount: 100 }])),
    );
    expect(results.filter((r) => r.decision === 'ALLOW')).toHaveLength(10);
    expect(results.filter((r) => r.reasonCode === 'INSUFFICIENT_BALANCE')).toHaveLength(40);
    expect(await balanceOf(ds, 'card:RACE0001:transit')).toBe(0);
    const [journal] = await ds.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE decision = 'DENY')::int AS denied FROM ledger.journal WHERE command_id LIKE 'race-%' AND command_id <> 'race-fund'`,
    );
    expect(journal).toEqual({ n: 50, denied: 40 });
    // A refused command is stored as refused: a retry answers the same and posts nothing.
    const denied = results.findIndex((r) => r.decision === 'DENY');
    const retry = await transfer(executor, `race-${denied}`, [{ from: 'card:RACE0001:transit', to: RAIL, amount: 100 }]);
    expect(retry).toMatchObject({ replayed: true, decision: 'DENY', reasonCode: 'INSUFFICIENT_BALANCE' });
  });

  it('gives one effect when identical retries race, in one process or in two', async () => {
    await topUp('top-2', 500);
    const before = await balanceOf(ds, CARD);
    const other = new CommandExecutor(ds, testClock()); // another service process on the same database
    const racing = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        transfer(i % 2 ? other : executor, 'same-id', [{ from: CARD, to: RAIL, amount: 300 }], {}, i % 3 ? ['card:T00000001'] : undefined),
      ),
    );
    expect(racing.filter((r) => !r.replayed)).toHaveLength(1);
    expect(racing.every((r) => r.decision === 'ALLOW')).toBe(true);
    expect(await balanceOf(ds, CARD)).toBe(before - 300);
  });

  it('voids the command’s own change when the ledger refuses, and journals the DENY instead', async () => {
    let announced = false;
    const answer = await run({
      envelope: { type: 'test.spend', id: 'spend-too-much', context: 'test', payload: {} },
      decide: async (_, tx): Promise<CommandOutcome<{ d: string }>> => {
        await tx.execute(`INSERT INTO public.test_state (id, note) VALUES ('spend-too-much', 'written before the ledger refused')`);
        tx.defer(`INSERT INTO public.test_state (id, note) VALUES ($1::text, $2::text)`, ['spend-too-much-deferred', 'deferred']);
        tx.afterCommit(() => {
          announced = true;
        });
        return {
          decision: 'ALLOW',
          response: { d: 'ALLOW' },
          transfers: [{ from: CARD, to: RAIL, amount: 1_000_000 }],
          onLedgerRefusal: (r) => ({ decision: 'DENY', reason: { code: r.code, message: `short by ${r.required - r.balance}` }, response: { d: 'DENY' } }),
        };
      },
    });
    expect(answer).toMatchObject({ decision: 'DENY', reasonCode: 'INSUFFICIENT_BALANCE', response: { d: 'DENY' } });
    expect(await ds.query(`SELECT * FROM public.test_state WHERE id LIKE 'spend-too-much%'`)).toEqual([]);
    expect(announced).toBe(false); // what the voided change meant to announce is dropped with it
    const [j] = await ds.query(`SELECT decision, reason_code, legs FROM ledger.journal WHERE command_id = 'spend-too-much'`);
    expect(j).toEqual({ decision: 'DENY', reason_code: 'INSUFFICIENT_BALANCE', legs: 0 });
  });

  it('answers declared reads from the opening round trip and sends deferred writes with the commit, atomically', async () => {
    await topUp('prefetch-fund', 500, CARD2);
    const start = await balanceOf(ds, CARD2);
    const balance = read(`SELECT balance FROM ledger.balances WHERE account_code = $1::text`, [CARD2], (rows) => Number(rows[0]?.balance ?? -1));
    const notes = read(`SELECT count(*)::int AS n FROM public.test_state WHERE note = $1::text`, ["it's deferred"], (rows) => rows[0].n as number);
    const deferred = (id: string, amount: number) =>
      run({
        envelope: { type: 'test.deferred', id, context: 'test', payload: { amount } },
        reads: { balance, notes },
        decide: (f, tx): CommandOutcome<{ before: number; notes: number }> => {
          tx.defer(`INSERT INTO public.test_state (id, note) VALUES ($1::text, $2::text)`, [id, "it's deferred"]);
          return {
            decision: 'ALLOW',
            response: { before: f.balance, notes: f.notes },
            transfers: [{ from: CARD2, to: RAIL, amount }],
            onLedgerRefusal: (r) => ({ decision: 'DENY', reason: { code: r.code, message: 'short' }, response: { before: f.balance, notes: -1 } }),
          };
        },
      });
    expect((await deferred('deferred-1', 200)).response).toEqual({ before: start, notes: 0 });
    expect(await ds.query(`SELECT note FROM public.test_state WHERE id = 'deferred-1'`)).toEqual([{ note: "it's deferred" }]);
    expect((await deferred('deferred-2', 200)).response).toEqual({ before: start - 200, notes: 1 });
    // Refused by the ledger: the deferred write goes with the rest of the voided change.
    expect(await deferred('deferred-3', start)).toMatchObject({ decision: 'DENY', response: { before: start - 400, notes: -1 } });
    expect(await ds.query(`SELECT id FROM public.test_state WHERE id = 'deferred-3'`)).toEqual([]);
    expect(await balanceOf(ds, CARD2)).toBe(start - 400);
    // A deferred write that fails voids its command (here: every attempt meets the same key).
    await expect(
      run({
        envelope: { type: 'test.deferred', id: 'deferred-dup', context: 'test', payload: {} },
        decide: (_, tx) => {
          tx.defer(`INSERT INTO public.test_state (id, note) VALUES ($1::text, $2::text)`, ['deferred-1', 'again']);
          return { decision: 'ALLOW', response: {} };
        },
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await ds.query(`SELECT count(*)::int AS n FROM ledger.journal WHERE command_id = 'deferred-dup'`)).toEqual([{ n: 0 }]);
  });

  it('refuses an undeclared read in a batchable command, whatever the load', async () => {
    await expect(
      run({
        envelope: { type: 'test.sneaky', id: 'sneaky-1', context: 'test', payload: {} },
        batchKeys: ['sneaky'],
        decide: async (_, tx) => {
          await tx.query(`SELECT 1`);
          return { decision: 'ALLOW', response: {} };
        },
      }),
    ).rejects.toBeInstanceOf(UndeclaredReadError);
    expect(() => read(`SELECT * FROM ledger.accounts WHERE code = $1`, ['x'], (r) => r)).toThrow(/casts every parameter/);
    expect(() => read(`SELECT 1; SELECT 2`, [], (r) => r)).toThrow(/one statement/);
  });

  describe('group commit', () => {
    const cards = Array.from({ length: 24 }, (_, i) => `card:G${String(i).padStart(7, '0')}:transit`);
    beforeAll(async () => {
      await run({
        envelope: { type: 'test.open', id: 'group-open', context: 'test', payload: {} },
        decide: (_, tx) => {
          tx.ledger.openAccounts(cards.map((code) => ({ code, region: '12' as const, kind: 'CARD_TRANSIT', balanceRule: 'NON_NEGATIVE' as const })));
          return { decision: 'ALLOW', response: {}, transfers: cards.map((code) => ({ from: BANK, to: code, amount: 1_000 })) };
        },
      });
    });

    // As a context does it: the card's balance locked by a declared read and checked before deciding.
    const spendOn = (on: CommandExecutor, card: string, id: string, amount: number, checked = true) =>
      on.run({
        envelope: { type: 'test.group-spend', id, context: 'test', payload: { card, amount } },
        reads: {
          wallet: LedgerReads.lockedBalances([card]),
          notes: read(`SELECT id FROM public.test_state WHERE note = $1::text ORDER BY id`, [card], (rows) => rows.map((r) => r.id as string)),
        },
        batchKeys: [card],
        decide: (f, tx): CommandOutcome<{ ok: boolean; notes: string[] }> => {
          const deny: CommandOutcome<{ ok: boolean; notes: string[] }> = {
            decision: 'DENY',
            reason: { code: 'INSUFFICIENT_BALANCE', message: 'short' },
            response: { ok: false, notes: f.notes },
          };
          if (checked && (f.wallet.get(card) ?? 0) < amount) return deny;
          tx.defer(`INSERT INTO public.test_state (id, note) VALUES ($1::text, $2::text)`, [id, card]);
          return { decision: 'ALLOW', response: { ok: true, notes: f.notes }, transfers: [{ from: card, to: RAIL, amount }], onLedgerRefusal: () => deny };
        },
      });

    it('commits concurrent batchable commands together, each seeing its own reads', async () => {
      const spend = (card: string, id: string, amount: number) => spendOn(executor, card, id, amount);
      // Every card spends 600 twice at once (the second must be refused), plus the same command
      // sent three times: one effect, three identical answers.
      const before = { ...executor.stats };
      const results = await Promise.all([
        ...cards.flatMap((card, i) => [spend(card, `g-${i}-a`, 600), spend(card, `g-${i}-b`, 600)]),
        spend(cards[0]!, 'g-dup', 1),
        spend(cards[0]!, 'g-dup', 1),
        spend(cards[0]!, 'g-dup', 1),
      ]);
      const byCard = cards.map((_, i) => [results[2 * i]!, results[2 * i + 1]!]);
      for (const pair of byCard) expect(pair.map((r) => r.decision).sort()).toEqual(['ALLOW', 'DENY']);
      // The second spend of a card read the first one's write (the notes of its card, one row each).
      for (const [i, pair] of byCard.entries()) {
        const second = pair.find((r) => r.decision === 'DENY')!;
        expect((second.response as { notes: string[] }).notes).toEqual([pair[0]!.decision === 'ALLOW' ? `g-${i}-a` : `g-${i}-b`]);
      }
      const dup = results.slice(-3);
      expect(new Set(dup.map((r) => JSON.stringify(r.response))).size).toBe(1);
      expect(dup.filter((r) => !r.replayed)).toHaveLength(1);
      for (const card of cards.slice(1)) expect(await balanceOf(ds, card)).toBe(400);
      expect(await balanceOf(ds, cards[0]!)).toBe(399);
      const notes: { n: number }[] = await ds.query(`SELECT count(*)::int AS n FROM public.test_state WHERE id LIKE 'g-%'`);
      expect(notes[0]!.n).toBe(cards.length + 1);
      // They did commit together, and nothing fell back.
      const batches = executor.stats.batches - before.batches;
      expect(batches).toBeGreaterThan(0);
      expect((executor.stats.commands - before.commands) / batches).toBeGreaterThan(1);
      expect(executor.stats.fallbacks).toBe(before.fallbacks);
    });

    it('refuses only the command the ledger refuses: its batch-mates commit without running again', async () => {
      // One batch slot, held by a first command until the rest have queued: they form one batch.
      const single = new CommandExecutor(ds, testClock(), { groupCommit: { enabled: true, maxBatch: 32, maxConcurrentBatches: 1 } });
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const holder = single.run({
        envelope: { type: 'test.group-hold', id: 'g-hold', context: 'test', payload: {} },
        batchKeys: ['hold'],
        decide: async () => {
          await held;
          return { decision: 'ALLOW', response: {} };
        },
      });
      // Two commands that did not check (the ledger refuses them at commit) among ten that did.
      const mixedRuns = [
        spendOn(single, cards[1]!, 'g-unchecked', 5_000, false),
        ...cards.slice(2, 12).map((card, i) => spendOn(single, card, `g-mixed-${i}`, 100, true)),
        spendOn(single, cards[12]!, 'g-unchecked-2', 5_000, false),
      ];
      release();
      await holder;
      const mixed = await Promise.all(mixedRuns);
      expect(single.stats).toMatchObject({ fallbacks: 0, refusals: 2, batches: 1, commands: 12 });
      expect(mixed[0]).toMatchObject({ decision: 'DENY', reasonCode: 'INSUFFICIENT_BALANCE' });
      expect(mixed[11]).toMatchObject({ decision: 'DENY', reasonCode: 'INSUFFICIENT_BALANCE' });
      expect(mixed.slice(1, 11).every((r) => r.decision === 'ALLOW')).toBe(true);
      for (const card of cards.slice(2, 12)) expect(await balanceOf(ds, card)).toBe(300);
      expect(await ds.query(`SELECT id FROM public.test_state WHERE id LIKE 'g-unchecked%'`)).toEqual([]);
      expect(await balanceOf(ds, cards[1]!)).toBe(400);
      const denied = await ds.query(`SELECT decision, legs FROM ledger.journal WHERE command_id LIKE 'g-unchecked%'`);
      expect(denied).toEqual([
        { decision: 'DENY', legs: 0 },
        { decision: 'DENY', legs: 0 },
      ]);
    });
  });

  it('gives one effect when the connection drops after COMMIT and the terminal retries', async () => {
    const proxy = await dropAfterCommitProxy(new URL(db.url));
    const viaProxy = await openDataSource(proxy.url, { asAppRole: true, max: 2 });
    try {
      const flaky = new CommandExecutor(viaProxy, testClock());
      const before = await balanceOf(ds, CARD);
      proxy.armed = true;
      await expect(transfer(flaky, 'lost-ack', [{ from: CARD, to: RAIL, amount: 50 }])).rejects.toThrow(/Connection terminated|connection/i);
      expect(proxy.dropped).toBe(1);
      // It did commit: the retry finds the stored result and moves nothing more.
      const retry = await transfer(flaky, 'lost-ack', [{ from: CARD, to: RAIL, amount: 50 }]);
      expect(retry).toMatchObject({ replayed: true, decision: 'ALLOW' });
      expect(await balanceOf(ds, CARD)).toBe(before - 50);
    } finally {
      await viaProxy.destroy();
      await proxy.close();
    }
  });

  it('runs many concurrent multi-leg transfers over shared accounts in random order without a deadlock', async () => {
    const pool = ['card:MESH0001:x', 'card:MESH0002:x', 'card:MESH0003:x', 'card:MESH0004:x', 'card:MESH0005:x', 'card:MESH0006:x'];
    await run({
      envelope: { type: 'test.open', id: 'open-mesh', context: 'test', payload: {} },
      decide: (_, tx) => {
        tx.ledger.openAccounts(pool.map((code) => ({ code, region: '13' as const, kind: 'TEST', balanceRule: 'UNBOUNDED' as const })));
        return { decision: 'ALLOW', response: {} };
      },
    });
    const attempts = new Map<string, number>();
    const shuffled = () => [...pool].sort(() => Math.random() - 0.5);
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => {
        const [a, b, c, d] = shuffled();
        const id = `mesh-${i}`;
        return run({
          envelope: { type: 'test.mesh', id, context: 'test', payload: { i } },
          // Half of them batched: one batch moves each account once, by its net amount.
          ...(i % 2 ? { batchKeys: [`mesh-${i}`] } : {}),
          decide: () => {
            attempts.set(id, (attempts.get(id) ?? 0) + 1);
            const transfers = [
              { from: a!, to: b!, amount: 7 },
              { from: c!, to: d!, amount: 5 },
              { from: b!, to: c!, amount: 3 },
              { from: d!, to: RAIL, amount: 1 },
            ];
            return { decision: 'ALLOW' as const, response: {}, transfers: i % 2 ? transfers.reverse() : transfers };
          },
        });
      }),
    );
    expect(results.every((r) => r.decision === 'ALLOW')).toBe(true);
    // Work ran once per command: no deadlock (nor any other retry) happened.
    expect([...attempts.values()].every((n) => n === 1)).toBe(true);
    const [sum] = await ds.query(`SELECT sum(balance)::text AS s FROM ledger.balances WHERE account_code LIKE 'card:MESH%'`);
    expect(sum.s).toBe('-60'); // one fen per command went to the sharded account
  });

  it('runs after-commit hooks once committed, and lets a solo command query inside its transaction', async () => {
    let announced = false;
    const answer = await run({
      envelope: { type: 'test.announce', id: 'announce-1', context: 'test', payload: {} },
      decide: async (_, tx) => {
        await tx.execute(`INSERT INTO public.test_state (id, note) VALUES ('announce-1', 'now')`);
        const [row] = await tx.query<{ note: string }>(`SELECT note FROM public.test_state WHERE id = $1`, ['announce-1']);
        tx.afterCommit(() => {
          announced = true;
        });
        return { decision: 'ALLOW', response: { note: row!.note } };
      },
    });
    expect(answer.response).toEqual({ note: 'now' });
    expect(announced).toBe(true);
  });

  it('records DENY decisions without legs and refuses malformed outcomes before writing', async () => {
    const denied = await run({
      envelope: { type: 'test.deny', id: 'deny-1', context: 'test', terminalId: 'TJ-GATE-01', payload: {} },
      decide: () => ({
        decision: 'DENY',
        reason: { code: 'CARD_LOST', message: 'The card has been reported lost.' },
        response: { decision: 'DENY' },
        subject: 'T00000001',
        details: { input: { cardNo: 'T00000001' }, facts: { status: 'LOST' }, outcome: { decision: 'DENY' }, rule: 'card.status' },
      }),
    });
    expect(denied).toMatchObject({ decision: 'DENY', reasonCode: 'CARD_LOST', replayed: false });
    await expect(
      run({
        envelope: { type: 'test.deny', id: 'deny-2', context: 'test', payload: {} },
        decide: () => ({ decision: 'DENY', reason: { code: 'X', message: 'x' }, response: {}, transfers: [{ from: BANK, to: CARD, amount: 1 }] }),
      }),
    ).rejects.toThrow(/DENY moves no money/);
    await expect(transfer(executor, 'bad-leg', [{ from: CARD, to: CARD, amount: 1 }])).rejects.toThrow(/same account/);
    await expect(transfer(executor, 'bad-amount', [{ from: BANK, to: CARD, amount: 1.5 }])).rejects.toThrow(/positive integer/);
    await expect(transfer(executor, 'no-account', [{ from: BANK, to: 'card:NOPE:transit', amount: 1 }])).rejects.toThrow(/does not exist/);
    const [n] = await ds.query(`SELECT count(*)::int AS n FROM ledger.journal WHERE command_id IN ('deny-2', 'bad-leg', 'bad-amount', 'no-account')`);
    expect(n.n).toBe(0);
  });
});

/**
 * A TCP proxy in front of PostgreSQL that, once armed, forwards a COMMIT to the server, waits for
 * the server's answer and then cuts the client's connection instead of passing the answer on:
 * the transaction is durable but the service never hears so.
 */
async function dropAfterCommitProxy(target: URL): Promise<{ url: string; armed: boolean; dropped: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const state = { armed: false, dropped: 0 };
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: target.hostname, port: Number(target.port || 5432) });
    sockets.add(client).add(upstream);
    let cutOnAnswer = false;
    let answer = Buffer.alloc(0);
    client.on('data', (chunk) => {
      // The statement that ends with COMMIT (a Query message's text is NUL-terminated).
      if (state.armed && /;\nCOMMIT\0/.test(chunk.toString('latin1'))) {
        state.armed = false;
        cutOnAnswer = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!cutOnAnswer) {
        client.write(chunk);
        return;
      }
      // Swallow the answer; once the server says ReadyForQuery ('Z', length 5) the COMMIT is done: cut.
      answer = Buffer.concat([answer, chunk]);
      const z = answer.length - 6;
      if (z >= 0 && answer[z] === 0x5a && answer.readInt32BE(z + 1) === 5) {
        state.dropped++;
        client.destroy();
        upstream.destroy();
      }
    });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const url = new URL(target.toString());
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return Object.assign(state, {
    url: url.toString(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  });
}
