import { makeNationalId } from '@contexts/cards';
import { CommandExecutor, commandKey, type CommandOutcome } from '@onecard/engine';
import { LedgerReads } from '@onecard/ledger';
import { rawRequest, type HttpAnswer } from '@onecard/testing';
import { startTestApp, type TestApp } from '@test/support';
import pg from 'pg';

/** The auditor's endpoints over HTTP, on the whole service and a real database. */
describe('ledger audit endpoints (real PostgreSQL)', () => {
  let t: TestApp;
  let cardNo: string;
  let executor: CommandExecutor;

  /** A fare as the transit context will post it: card → rail revenue, the card as subject. */
  const fare = (id: string, amount: number, opts: { deny?: boolean } = {}) =>
    executor.run({
      envelope: { type: 'transit.tap', id, context: 'transit', terminalId: 'TJN-G-OUT-1', payload: { id, amount } },
      decide: (): CommandOutcome<unknown> =>
        opts.deny
          ? { decision: 'DENY', reason: { code: 'CARD_LOST', message: 'lost' }, response: { decision: 'DENY', holder: '张*' }, subject: cardNo }
          : {
              decision: 'ALLOW',
              response: { decision: 'ALLOW', holder: '张*' },
              subject: cardNo,
              ruleSet: { id: 'transit.fares', version: 1 },
              details: { input: { cardNo }, facts: {}, outcome: { fareFen: amount }, rule: 'fare.od-table' },
              transfers: [{ from: `card:${cardNo}:transit`, to: 'operator:test-rail:revenue', amount }],
            },
    });

  beforeAll(async () => {
    t = await startTestApp();
    executor = t.get(CommandExecutor);
    const issued = await t.operator.post('/v1/admin/cards', {
      holder: {
        name: '张三',
        nationalId: makeNationalId('120102', '1985-05-05', 3),
        birthDate: '1985-05-05',
        homeRegion: '12',
        scheme: 'EMPLOYEE',
        retiree: false,
      },
      issuingRegion: '12',
      generation: 3,
      transitApp: true,
    });
    expect(issued.status).toBe(201);
    cardNo = issued.body.cardNo;
    expect((await t.operator.post(`/v1/admin/cards/${cardNo}/top-ups`, { topUpId: 'audit-tu-1', account: 'TRANSIT', amountFen: 50_000 })).status).toBe(200);
    await executor.run({
      envelope: { type: 'test.open', id: 'open-rail', context: 'test', payload: {} },
      decide: (_, tx) => {
        tx.ledger.openAccounts([{ code: 'operator:test-rail:revenue', region: '12', kind: 'REVENUE', balanceRule: 'UNBOUNDED', shards: 4 }]);
        return { decision: 'ALLOW', response: {} };
      },
    });
    for (let i = 0; i < 5; i++) expect((await fare(`fare-${i}`, 545 + i)).decision).toBe('ALLOW');
    await fare('fare-denied', 545, { deny: true });
    // A refund posted by the operator's back office: it touches the card's account without naming the card as subject.
    await executor.run({
      envelope: { type: 'test.refund', id: 'refund-fare-0', context: 'test', payload: {} },
      reads: { reversal: LedgerReads.reversal('transit.tap', 'fare-0') },
      decide: (f) => ({ decision: 'ALLOW', response: {}, transfers: f.reversal!.legs, reverses: commandKey('transit.tap', 'fare-0') }),
    });
  });

  afterAll(() => t?.close());

  it('verifies the ledger for auditors and operators, and refuses anyone else', async () => {
    const res = await t.auditor.get('/v1/admin/ledger/verification');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, breaks: [], breakCount: 0, digestChecked: 0 });
    expect(res.body.checkedEntries).toBeGreaterThanOrEqual(14);
    expect(res.body.chains).toHaveLength(16);
    expect(res.body.firstBreak).toBeUndefined();
    expect((await t.operator.get('/v1/admin/ledger/verification')).body.ok).toBe(true);
    expect((await rawRequest(t.baseUrl, 'GET', '/v1/admin/ledger/verification', {})).status).toBe(401);
    expect((await rawRequest(t.baseUrl, 'GET', '/v1/admin/ledger/digest', { authorization: 'Bearer nope-nope-nope' })).status).toBe(401);
  });

  it('publishes the digest and verifies against it as received', async () => {
    const digest = await t.auditor.get('/v1/admin/ledger/digest');
    expect(digest.status).toBe(200);
    // The 16 ledger chains, then the head of the closed clearing statements' chain (none closed yet).
    expect(digest.body).toHaveLength(17);
    expect(digest.body[0]).toEqual({ chain: 0, seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/), at: expect.any(String) });
    expect(digest.body[16]).toEqual({ chain: 'clearing-statements', seq: 0, hash: expect.stringMatching(/^[0-9a-f]{64}$/), at: null });
    const res = await t.auditor.post('/v1/admin/ledger/verification', { digest: digest.body });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, digestChecked: 16, statementChain: { ok: true, statements: 0, firstBreak: null } });

    const forged = digest.body.map((d: { chain: number; seq: number; hash: string }) => ({ ...d, hash: d.seq > 0 ? 'f'.repeat(64) : d.hash }));
    const broken = await t.auditor.post('/v1/admin/ledger/verification', { digest: forged });
    expect(broken.status).toBe(200);
    expect(broken.body.ok).toBe(false);
    expect(broken.body.firstBreak).toMatchObject({ check: 'digest', expected: 'f'.repeat(64) });
  });

  it('answers 400 problem+json for a malformed digest, naming each field', async () => {
    const res = await t.auditor.post('/v1/admin/ledger/verification', { digest: [{ chain: -1, seq: 1.5, hash: 'XYZ' }], extra: true });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const pointers = res.body.errors.map((e: { pointer: string }) => e.pointer).sort();
    expect(pointers).toEqual(['/digest/0/chain', '/digest/0/hash', '/digest/0/seq', '/extra']);
    expect((await t.auditor.post('/v1/admin/ledger/verification', { digest: [] })).status).toBe(400);
    expect((await t.auditor.post('/v1/admin/ledger/verification', {})).status).toBe(400);
  });

  it('tells every decision and transfer of a card in order, without personal data', async () => {
    const res = await t.auditor.get(`/v1/admin/cards/${cardNo}/history`);
    expect(res.status).toBe(200);
    const h = res.body;
    expect(h.cardNo).toBe(cardNo);
    expect(h.accounts.map((a: { code: string }) => a.code)).toEqual(expect.arrayContaining([`card:${cardNo}:bank`, `card:${cardNo}:transit`]));
    const transit = h.accounts.find((a: { code: string }) => a.code === `card:${cardNo}:transit`);
    expect(transit.balanceFen).toBe(50_000 - (546 + 547 + 548 + 549));
    const ids = h.records.map((r: { commandId: string }) => r.commandId);
    expect(ids).toEqual(expect.arrayContaining(['audit-tu-1', 'fare-0', 'fare-4', 'fare-denied', 'refund-fare-0']));
    expect(ids.indexOf('audit-tu-1')).toBeLessThan(ids.indexOf('fare-0'));
    expect(ids.indexOf('fare-0')).toBeLessThan(ids.indexOf('refund-fare-0'));
    const stamps = h.records.map((r: { committedAt: string }) => r.committedAt);
    expect([...stamps].sort()).toEqual(stamps);

    const fare0 = h.records.find((r: { commandId: string }) => r.commandId === 'fare-0');
    expect(fare0).toMatchObject({
      decision: 'ALLOW',
      reasonCode: null,
      ruleSet: { id: 'transit.fares', version: 1 },
      terminalId: 'TJN-G-OUT-1',
      regions: ['12'],
    });
    expect(fare0.entries).toEqual([
      expect.objectContaining({
        account: `card:${cardNo}:transit`,
        counterparty: 'operator:test-rail:revenue',
        amountFen: -545,
        balanceBeforeFen: 50_000,
        balanceAfterFen: 49_455,
      }),
    ]);
    const denied = h.records.find((r: { commandId: string }) => r.commandId === 'fare-denied');
    expect(denied).toMatchObject({ decision: 'DENY', reasonCode: 'CARD_LOST', entries: [] });
    const refund = h.records.find((r: { commandId: string }) => r.commandId === 'refund-fare-0');
    expect(refund).toMatchObject({
      subject: null,
      reverses: 'transit.tap:fare-0',
      entries: [expect.objectContaining({ amountFen: 545, counterparty: 'operator:test-rail:revenue' })],
    });
    // No response bodies (they can carry masked names): nothing personal in the whole answer.
    expect(JSON.stringify(h)).not.toMatch(/张|response|nationalId/);
  });

  it('pages a card history with after / nextCursor, and answers 404 and 400 as it should', async () => {
    const all = (await t.auditor.get(`/v1/admin/cards/${cardNo}/history`)).body.records.map((r: { commandId: string }) => r.commandId);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res: HttpAnswer = await t.auditor.get(`/v1/admin/cards/${cardNo}/history?limit=3${cursor ? `&after=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.records.length).toBeLessThanOrEqual(3);
      paged.push(...res.body.records.map((r: { commandId: string }) => r.commandId));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
    expect((await t.auditor.get('/v1/admin/cards/T99999999/history')).status).toBe(404);
    const bad = await t.auditor.get('/v1/admin/cards/not-a-card/history');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].pointer).toBe('/cardNo');
    expect((await t.auditor.get(`/v1/admin/cards/${cardNo}/history?limit=0`)).status).toBe(400);
    expect((await t.auditor.get(`/v1/admin/cards/${cardNo}/history?after=garbage`)).status).toBe(400);
    expect((await t.auditor.get(`/v1/admin/cards/${cardNo}/history?foo=1`)).status).toBe(400);
  });

  it('gives an account statement newest first, paging through a sharded account exactly once', async () => {
    const card = await t.auditor.get(`/v1/admin/ledger/accounts/card:${cardNo}:transit`);
    expect(card.status).toBe(200);
    expect(card.body.account).toMatchObject({ code: `card:${cardNo}:transit`, kind: 'CARD_TRANSIT', balanceRule: 'NON_NEGATIVE', shards: 1 });
    const versions = card.body.entries.map((e: { accountVersion: number }) => e.accountVersion);
    expect(versions).toEqual([...versions].sort((a, b) => b - a));
    expect(card.body.entries[0]).toMatchObject({ commandId: 'refund-fare-0', amountFen: 545, counterparty: 'operator:test-rail:revenue' });
    expect(card.body.entries[0].balanceAfterFen).toBe(card.body.account.balanceFen);

    const seen: string[] = [];
    let before: string | null = null;
    do {
      const res: HttpAnswer = await t.auditor.get(`/v1/admin/ledger/accounts/operator:test-rail:revenue?limit=2${before ? `&before=${before}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.entries.map((e: { shard: number; accountVersion: number }) => `${e.shard}/${e.accountVersion}`));
      before = res.body.nextCursor;
    } while (before);
    const rail = (await t.auditor.get('/v1/admin/ledger/accounts/operator:test-rail:revenue')).body.account;
    expect(seen).toHaveLength(rail.version);
    expect(new Set(seen).size).toBe(rail.version);
    expect(rail.balanceFen).toBe(546 + 547 + 548 + 549);

    expect((await t.auditor.get('/v1/admin/ledger/accounts/card:NOPE:transit')).status).toBe(404);
    expect((await t.auditor.get('/v1/admin/ledger/accounts/Not%20A%20Code')).status).toBe(400);
  });

  it('lists accounts by prefix, kind and region, in pages', async () => {
    const byPrefix = await t.auditor.get(`/v1/admin/ledger/accounts?prefix=card:${cardNo}:`);
    expect(byPrefix.status).toBe(200);
    expect(byPrefix.body.accounts.map((a: { code: string }) => a.code)).toEqual([`card:${cardNo}:bank`, `card:${cardNo}:personal`, `card:${cardNo}:transit`]);
    expect(byPrefix.body.nextCursor).toBeNull();
    const revenue = await t.auditor.get('/v1/admin/ledger/accounts?kind=REVENUE&region=12');
    expect(revenue.body.accounts.map((a: { code: string }) => a.code)).toContain('operator:test-rail:revenue');
    const page1 = await t.auditor.get(`/v1/admin/ledger/accounts?prefix=card:${cardNo}:&limit=2`);
    expect(page1.body.accounts).toHaveLength(2);
    const page2 = await t.auditor.get(`/v1/admin/ledger/accounts?prefix=card:${cardNo}:&limit=2&after=${page1.body.nextCursor}`);
    expect(page2.body.accounts.map((a: { code: string }) => a.code)).toEqual([`card:${cardNo}:transit`]);
    expect((await t.auditor.get('/v1/admin/ledger/accounts?region=99')).status).toBe(400);
    expect((await t.auditor.get('/v1/admin/ledger/accounts?limit=5000')).status).toBe(400);
  });

  it('reports a tampered ledger through the API', async () => {
    // As the database's superuser (the service's own role could not): triggers off, one decision rewritten.
    const client = new pg.Client({ connectionString: t.db.url });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT chain, seq::int FROM ledger.journal WHERE command_id = 'fare-2'`);
      await client.query('BEGIN; SET LOCAL session_replication_role = replica');
      await client.query(`UPDATE ledger.journal SET terminal_id = 'FORGED' WHERE chain = $1 AND seq = $2`, [rows[0].chain, rows[0].seq]);
      await client.query('COMMIT');
      const res = await t.auditor.get('/v1/admin/ledger/verification');
      expect(res.body.ok).toBe(false);
      expect(res.body.firstBreak).toMatchObject({ chain: rows[0].chain, seq: rows[0].seq, table: 'journal', check: 'hash' });
    } finally {
      await client.end();
    }
  });
});
