import { startTestApp, type TestApp } from '@test/support';
import { makeNationalId } from '@contexts/cards';
import { DEMO_CARDS } from './demo-cards.js';
import { SeedRunner } from './seed.runner.js';

describe('demo seed (real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  const q = (sql: string, params: unknown[] = []) => t.dataSource.query(sql, params);

  it('seeds an empty database: stations with gates and seat machines, venues, terminals, 1,000 cards, funded through the journal', async () => {
    const started = Date.now();
    const report = await t.get<SeedRunner>(SeedRunner).run({ log: () => undefined });
    const took = Date.now() - started;
    expect(report.ran.map((r) => r.step)).toEqual([
      'registry.venues-and-terminals',
      'cards.demo-cards',
      'medical.ledger-accounts',
      'libraries.items',
      'transit.stations',
      'scenic.spots',
      'museums.quotas',
      'registry.holder-apps',
    ]);
    process.stderr.write(`demo seed took ${took} ms: ${report.ran.map((r) => r.summary).join('; ')}\n`);

    const venues = await q(`SELECT kind, region, count(*)::int AS n FROM registry.venues GROUP BY kind, region ORDER BY kind, region`);
    expect(venues.filter((v: { kind: string }) => v.kind === 'STATION')).toEqual([
      { kind: 'STATION', region: '11', n: 2 },
      { kind: 'STATION', region: '12', n: 6 },
    ]);
    for (const kind of ['CLINIC', 'SCENIC_SPOT', 'MUSEUM', 'LIBRARY']) {
      expect(venues.filter((v: { kind: string }) => v.kind === kind).map((v: { region: string }) => v.region)).toEqual(['11', '12', '13']);
    }
    const levels = await q(`SELECT DISTINCT level FROM registry.venues WHERE kind = 'CLINIC' ORDER BY level`);
    expect(levels.map((l: { level: number }) => l.level)).toEqual([1, 2, 3]);
    const tjn = await t.auditor.get('/v1/admin/terminals?venueId=TJN');
    expect(tjn.body.map((x: { terminalId: string; direction: string | null }) => `${x.terminalId}:${x.direction}`)).toEqual([
      'TJN-G-IN-1:IN',
      'TJN-G-IN-2:IN',
      'TJN-G-OUT-1:OUT',
      'TJN-G-OUT-2:OUT',
      'TJN-S-1:null',
    ]);
    const [{ n: withoutTerminal }] = await q(
      `SELECT count(*)::int AS n FROM registry.venues v WHERE NOT EXISTS (SELECT 1 FROM registry.terminals t WHERE t.venue_id = v.venue_id)`,
    );
    expect(withoutTerminal).toBe(0);
    // One holder app per demo card, bound to it.
    const [apps] = await q(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE t.terminal_id = 'APP-' || c.card_no)::int AS named FROM registry.terminals t JOIN cards.cards c ON c.card_no = t.card_no WHERE t.kind = 'HOLDER_APP'`,
    );
    const [{ n: cardCount }] = await q(`SELECT count(*)::int AS n FROM cards.cards`);
    expect(apps).toEqual({ n: cardCount, named: cardCount });
    expect((await q(`SELECT card_no FROM registry.terminals WHERE terminal_id = 'APP-B00000018'`))[0].card_no).toBe('B00000018');

    const [{ n: cards }] = await q(`SELECT count(*)::int AS n FROM cards.cards`);
    expect(cards).toBeGreaterThanOrEqual(990);
    expect(cards).toBeLessThanOrEqual(1000);
    const mix =
      await q(`SELECT count(*) FILTER (WHERE transit_app)::int AS transit, count(*) FILTER (WHERE status IN ('TEMPORARY_LOSS', 'FORMAL_LOSS'))::int AS lost,
                                count(*) FILTER (WHERE status = 'CANCELLED')::int AS cancelled, count(DISTINCT issuing_region)::int AS regions FROM cards.cards`);
    expect(mix[0].transit).toBeGreaterThan(50);
    expect(mix[0].lost).toBeGreaterThan(5);
    expect(mix[0].cancelled).toBeGreaterThan(5);
    expect(mix[0].regions).toBe(3);
    const schemes = await q(`SELECT scheme, count(*)::int AS n FROM cards.holders GROUP BY scheme ORDER BY scheme`);
    expect(schemes.map((s: { scheme: string }) => s.scheme)).toEqual(['EMPLOYEE', 'RESIDENT']);
  });

  it('gives the named demo cards their advertised numbers, statuses and money', async () => {
    const commuter = (await t.auditor.get(`/v1/admin/cards/${DEMO_CARDS.tianjinCommuter}`)).body;
    expect(commuter).toMatchObject({ cardNo: 'T00000018', issuingRegion: '12', generation: 3, transitApp: true, status: 'ACTIVE' });
    expect(commuter.accounts.transit.balanceFen).toBe(50_000);
    expect((await t.auditor.get(`/v1/admin/cards/${DEMO_CARDS.tianjinLost}`)).body.status).toBe('TEMPORARY_LOSS');
    expect((await t.auditor.get(`/v1/admin/cards/${DEMO_CARDS.beijingCancelled}`)).body.status).toBe('CANCELLED');
    expect((await t.auditor.get(`/v1/admin/cards/${DEMO_CARDS.beijingEmployee}`)).body.accounts.personal.balanceFen).toBe(150_000);
    expect((await t.auditor.get(`/v1/admin/cards/${DEMO_CARDS.hebeiResident}`)).body.accounts.personal).toBeNull();
  });

  it('keeps the ledger whole: every balance is the sum of its entries, transfers net to zero, funding is journaled', async () => {
    const [mismatch] = await q(`
      SELECT count(*)::int AS n FROM (
        SELECT b.account_code, sum(b.balance) AS balance, coalesce((SELECT sum(e.amount) FROM ledger.entries e WHERE e.account_code = b.account_code), 0) AS entries
        FROM ledger.balances b GROUP BY b.account_code) x
      WHERE x.balance <> x.entries`);
    expect(mismatch.n).toBe(0);
    const [{ total }] = await q(`SELECT coalesce(sum(balance), 0)::bigint AS total FROM ledger.balances`);
    expect(Number(total)).toBe(0);
    const [{ n: unbalanced }] = await q(
      `SELECT count(*)::int AS n FROM (SELECT command_type, command_id FROM ledger.entry_journal GROUP BY 1, 2 HAVING sum(amount) <> 0) x`,
    );
    expect(unbalanced).toBe(0);
    const [{ n: negative }] = await q(
      `SELECT count(*)::int AS n FROM ledger.balances b JOIN ledger.accounts a ON a.code = b.account_code WHERE a.balance_rule = 'NON_NEGATIVE' AND b.balance < 0`,
    );
    expect(negative).toBe(0);
    const funding = await q(`SELECT command_id FROM ledger.journal WHERE command_type = 'cards.bulk-top-up' ORDER BY command_id`);
    expect(funding.length).toBeGreaterThan(1);
    for (const f of funding) expect(f.command_id).toMatch(/^demo-1-\d+$/);
    const [{ n: fundedAccounts }] = await q(
      `SELECT count(DISTINCT account_code)::int AS n FROM ledger.entry_journal WHERE command_type = 'cards.bulk-top-up' AND account_code LIKE 'card:%'`,
    );
    expect(fundedAccounts).toBeGreaterThan(1000);
  });

  it('runs each step once: a second start seeds nothing', async () => {
    const again = await t.get<SeedRunner>(SeedRunner).run({ log: () => undefined });
    expect(again).toEqual({ ran: [], skipped: null });
  });

  it('never touches a database that has data but no seed record', async () => {
    const other = await startTestApp();
    try {
      const res = await other.operator.post('/v1/admin/cards', {
        holder: {
          name: '钱八',
          nationalId: makeNationalId('110101', '1990-01-01', 1),
          birthDate: '1990-01-01',
          homeRegion: '11',
          scheme: 'RESIDENT',
          retiree: false,
        },
        issuingRegion: '11',
        generation: 3,
        transitApp: false,
      });
      expect(res.status).toBe(201);
      expect(await other.get<SeedRunner>(SeedRunner).run({ log: () => undefined })).toEqual({ ran: [], skipped: 'not-empty' });
      const [{ n }] = await other.dataSource.query(`SELECT count(*)::int AS n FROM registry.venues`);
      expect(n).toBe(0);
    } finally {
      await other.close();
    }
  });
});
