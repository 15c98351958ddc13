import { jest } from '@jest/globals';
import { CardsFacade } from '@contexts/cards';
import { VenueDirectory } from '@contexts/registry';
import { CommandExecutor, DEFAULT_ENGINE_OPTIONS } from '@onecard/engine';
import { RuleBook } from '@onecard/rules';
import { startTestApp, type TestApp } from '@test/support';
import pg from 'pg';
import { ScenicRepository } from '../../infrastructure/scenic.repository.js';
import { balanceOf, createSpot, heldExecutor, issueCard, put } from '../../testing/fixtures.js';
import { TapScenicGateCommand } from './tap-scenic-gate.command.js';
import { TapScenicGateHandler } from './tap-scenic-gate.handler.js';

describe('scenic gate taps (real PostgreSQL, rules from rules/scenic)', () => {
  let t: TestApp;
  let summerGate: string; // Beijing park, 30 yuan, BJ_PARK_ANNUAL
  let panshanGate: string; // Tianjin scenic area, 100 yuan, JJJ_SCENIC
  let adult: string;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-02T10:30:00+08:00' });
    summerGate = await createSpot(t, {
      spotId: 'T-SUMMER',
      region: '11',
      spotType: 'PARK',
      basePriceFen: 3000,
      dailyCapacity: 1000,
      participation: ['BJ_PARK_ANNUAL'],
    });
    panshanGate = await createSpot(t, {
      spotId: 'T-PANSHAN',
      region: '12',
      spotType: 'SCENIC_AREA',
      basePriceFen: 10000,
      dailyCapacity: 1000,
      participation: ['JJJ_SCENIC'],
    });
    adult = await issueCard(t, { birthDate: '1990-05-05', bankFen: 20_000 });
  });
  afterAll(() => t?.close());

  const tap = (gate: string, cardNo: string, body: Record<string, unknown> = {}) =>
    t.terminal(gate).post('/v1/scenic/taps', { tapId: `tap-${++n}`, cardNo, tappedAt: '2026-03-02T09:30:00+08:00', ...body });
  const visits = async (spotId: string) => Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM scenic.visits WHERE spot_id = $1`, [spotId]))[0].n);
  const placesTaken = async (spotId: string, day = '2026-03-02') =>
    Number(
      (await t.dataSource.query(`SELECT coalesce(max(admitted), 0)::int AS n FROM scenic.spot_days WHERE spot_id = $1 AND visit_date = $2`, [spotId, day]))[0]
        .n,
    );

  it('charges the base price from the bank account to the spot revenue, journaled with the rule set', async () => {
    const res = await tap(summerGate, adult, { tapId: 'first-entry' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      decision: 'ALLOW',
      tapId: 'first-entry',
      spotId: 'T-SUMMER',
      visitDate: '2026-03-02',
      visitId: expect.any(String),
      entry: 'ENTRY',
      priceFen: 3000,
      balanceFen: 17_000,
      ruleSet: { id: 'scenic.admission.beijing', version: 1 },
    });
    expect(await balanceOf(t, `card:${adult}:bank`)).toBe(17_000);
    expect(await balanceOf(t, 'venue:T-SUMMER:revenue')).toBe(3000);
    const [j] = await t.dataSource.query(
      `SELECT decision, subject, rule_set_id, rule_version, terminal_id, details->>'rule' AS rule FROM ledger.journal WHERE command_type = 'scenic.tap' AND command_id = 'first-entry'`,
    );
    expect(j).toEqual({
      decision: 'ALLOW',
      subject: adult,
      rule_set_id: 'scenic.admission.beijing',
      rule_version: 1,
      terminal_id: summerGate,
      rule: 'scenic.base-price',
    });
    expect(await placesTaken('T-SUMMER')).toBe(1);
  });

  it('replays a retried tap and refuses the same tapId with another body', async () => {
    const again = await tap(summerGate, adult, { tapId: 'first-entry' });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.balanceFen).toBe(17_000);
    expect(await balanceOf(t, `card:${adult}:bank`)).toBe(17_000);
    expect((await tap(summerGate, adult, { tapId: 'first-entry', tappedAt: '2026-03-02T09:31:00+08:00' })).status).toBe(409);
  });

  it('lets the holder re-enter free the same day without taking a place; the next day is a new visit', async () => {
    const res = await tap(summerGate, adult, { tappedAt: '2026-03-02T10:00:00+08:00' });
    expect(res.body).toMatchObject({ decision: 'ALLOW', entry: 'REENTRY', priceFen: 0, concession: { kind: 'REENTRY', code: 'SAME_DAY_REENTRY' } });
    expect(res.body.balanceFen).toBeUndefined();
    expect(await placesTaken('T-SUMMER')).toBe(1);
    expect(await balanceOf(t, `card:${adult}:bank`)).toBe(17_000);

    t.clock.set('2026-03-03T09:00:00+08:00');
    const nextDay = await tap(summerGate, adult, { tappedAt: '2026-03-03T09:00:00+08:00' });
    expect(nextDay.body).toMatchObject({ decision: 'ALLOW', entry: 'ENTRY', priceFen: 3000, visitDate: '2026-03-03' });
    expect(await placesTaken('T-SUMMER', '2026-03-03')).toBe(1);
    t.clock.set('2026-03-02T10:30:00+08:00');
  });

  it("prices by the spot's region: a Beijing senior pays half at a Tianjin spot at 65, nothing at 70", async () => {
    const at65 = await issueCard(t, { birthDate: '1961-03-02', region: '11', bankFen: 10_000 });
    const at70 = await issueCard(t, { birthDate: '1956-03-02', region: '11', bankFen: 100 });
    expect((await tap(panshanGate, at65)).body).toMatchObject({
      decision: 'ALLOW',
      priceFen: 5000,
      balanceFen: 5000,
      concession: { kind: 'SENIOR', code: 'SENIOR_60_69_HALF', basis: 'age 65 on 2026-03-02' },
      ruleSet: { id: 'scenic.admission.tianjin', version: 1 },
    });
    expect((await tap(panshanGate, at70)).body).toMatchObject({ decision: 'ALLOW', priceFen: 0, concession: { code: 'SENIOR_70_FREE' } });
    expect(await balanceOf(t, `card:${at70}:bank`)).toBe(100);
    // The same 65-year-old at a Beijing scenic area (Beijing's band covers parks only) pays in full.
    const badaling = await createSpot(t, { spotId: 'T-BADALING', region: '11', spotType: 'SCENIC_AREA', basePriceFen: 4000 });
    expect((await tap(badaling, at65)).body).toMatchObject({ decision: 'ALLOW', priceFen: 4000 });
  });

  it('refuses INSUFFICIENT_BALANCE and takes neither money nor a place', async () => {
    const poor = await issueCard(t, { birthDate: '1990-01-01', bankFen: 2999 });
    const before = await placesTaken('T-SUMMER');
    const res = await tap(summerGate, poor);
    expect(res.body).toMatchObject({ decision: 'DENY', reason: { code: 'INSUFFICIENT_BALANCE' }, priceFen: 3000, balanceFen: 2999, visitId: null });
    expect(await balanceOf(t, `card:${poor}:bank`)).toBe(2999);
    expect(await placesTaken('T-SUMMER')).toBe(before);
    const [j] = await t.dataSource.query(`SELECT decision, reason_code FROM ledger.journal WHERE command_type = 'scenic.tap' AND command_id = $1`, [
      `tap-${n}`,
    ]);
    expect(j).toEqual({ decision: 'DENY', reason_code: 'INSUFFICIENT_BALANCE' });
  });

  it('refuses CAPACITY_FULL once the day is full, but still lets an admitted holder re-enter', async () => {
    const gate = await createSpot(t, { spotId: 'T-SMALL', region: '13', basePriceFen: 500, dailyCapacity: 2 });
    const [a, b, c] = [
      await issueCard(t, { birthDate: '1990-01-01', bankFen: 1000 }),
      await issueCard(t, { birthDate: '1990-01-01', bankFen: 1000 }),
      await issueCard(t, { birthDate: '1990-01-01', bankFen: 1000 }),
    ];
    expect((await tap(gate, a!)).body.decision).toBe('ALLOW');
    expect((await tap(gate, b!)).body.decision).toBe('ALLOW');
    const full = await tap(gate, c!);
    expect(full.body).toMatchObject({ decision: 'DENY', reason: { code: 'CAPACITY_FULL' }, priceFen: 500, balanceFen: 1000 });
    expect(await balanceOf(t, `card:${c}:bank`)).toBe(1000);
    expect((await tap(gate, a!, { tappedAt: '2026-03-02T10:15:00+08:00' })).body).toMatchObject({ decision: 'ALLOW', entry: 'REENTRY' });
    expect(await placesTaken('T-SMALL')).toBe(2);
  });

  it('gives the last 5 places to exactly 5 of 20 concurrent taps', async () => {
    const gate = await createSpot(t, { spotId: 'T-RUSH', region: '12', basePriceFen: 1000, dailyCapacity: 25 });
    await t.dataSource.query(`INSERT INTO scenic.spot_days (spot_id, visit_date, admitted) VALUES ('T-RUSH', '2026-03-02', 20)`);
    const cards: string[] = [];
    for (let i = 0; i < 20; i++) cards.push(await issueCard(t, { birthDate: '1995-06-15', region: '12', bankFen: 5000 }));
    const answers = await Promise.all(
      cards.map((cardNo, i) => t.terminal(gate).post('/v1/scenic/taps', { tapId: `rush-${i}`, cardNo, tappedAt: '2026-03-02T10:00:00+08:00' })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    const allowed = answers.filter((a) => a.body.decision === 'ALLOW');
    expect(allowed).toHaveLength(5);
    expect(answers.filter((a) => a.body.reason?.code === 'CAPACITY_FULL')).toHaveLength(15);
    expect(await placesTaken('T-RUSH')).toBe(25);
    expect(await visits('T-RUSH')).toBe(5);
    expect(await balanceOf(t, 'venue:T-RUSH:revenue')).toBe(5000);
  });

  it('counts two racing first taps of one holder as one entry and one free re-entry', async () => {
    const gate = await createSpot(t, { spotId: 'T-TWICE', region: '11', basePriceFen: 2000 });
    const holder = await issueCard(t, { birthDate: '1990-01-01', bankFen: 10_000 });
    const answers = await Promise.all(
      [0, 1, 2].map((i) => t.terminal(gate).post('/v1/scenic/taps', { tapId: `twice-${i}`, cardNo: holder, tappedAt: '2026-03-02T10:00:00+08:00' })),
    );
    expect(answers.map((a) => a.body.entry).sort()).toEqual(['ENTRY', 'REENTRY', 'REENTRY']);
    expect(await balanceOf(t, `card:${holder}:bank`)).toBe(8000);
    expect(await placesTaken('T-TWICE')).toBe(1);
  });

  it('costs two round trips: the reads go with BEGIN, the place and the visit with the commit', async () => {
    const gate = await createSpot(t, { spotId: 'T-TWO-RT', region: '11', basePriceFen: 1000, dailyCapacity: 10 });
    const cardNo = await issueCard(t, { birthDate: '1990-01-01', bankFen: 5000 });
    // The gate's first request looks the terminal up; later ones find it in memory (and look it up
    // again once the directory's entry is older than its TTL, which a loaded machine may reach:
    // that look-up is authentication's, not the tap's).
    expect((await tap(gate, 'B99999990')).body.reason.code).toBe('CARD_UNKNOWN');
    const sent = jest.spyOn(pg.Client.prototype, 'query');
    const tapStatements = () => sent.mock.calls.map(([sql]) => String(sql)).filter((sql) => !sql.includes('registry.'));
    try {
      for (const [i, tappedAt] of ['2026-03-02T09:00:00+08:00', '2026-03-02T09:30:00+08:00'].entries()) {
        sent.mockClear();
        const res = await t.terminal(gate).post('/v1/scenic/taps', { tapId: `two-rt-${i}`, cardNo, tappedAt });
        expect(res.body).toMatchObject({ decision: 'ALLOW', entry: i === 0 ? 'ENTRY' : 'REENTRY' });
        expect(tapStatements()).toHaveLength(2);
      }
    } finally {
      sent.mockRestore();
    }
    expect(await placesTaken('T-TWO-RT')).toBe(1);
    expect(await visits('T-TWO-RT')).toBe(2);
  });

  it('commits concurrent taps of different cards at different spots together, and each spot still gives its places exactly once', async () => {
    const spots = ['T-GC-A', 'T-GC-B', 'T-GC-C', 'T-GC-D'];
    for (const spotId of spots) await createSpot(t, { spotId, region: '12', basePriceFen: 700, dailyCapacity: 3 });
    const cards: string[] = [];
    for (let i = 0; i < 4 * spots.length; i++) cards.push(await issueCard(t, { birthDate: '1990-01-01', region: '12', bankFen: 1000 }));
    // One batch slot, held until every tap has queued: the taps then form batches of one tap per
    // spot (a spot's day is one of a tap's keys), four spots a batch.
    const { executor, start } = heldExecutor(t);
    const handler = new TapScenicGateHandler(executor, t.get(CardsFacade), t.get(ScenicRepository), t.get(RuleBook));
    // Card i at spot i mod 4: four taps per spot, interleaved.
    const results = await start(
      cards.map((cardNo, i) =>
        handler.execute(
          new TapScenicGateCommand(`gc-${i}`, cardNo, '2026-03-02T10:00:00+08:00', spots[i % spots.length]!, '12', `${spots[i % spots.length]}-G1`),
        ),
      ),
    );
    expect(executor.stats).toEqual({ batches: 4, commands: 16, fallbacks: 0, refusals: 0 });
    for (const [s, spotId] of spots.entries()) {
      const atSpot = results.filter((_, i) => i % spots.length === s);
      expect({
        spotId,
        allowed: atSpot.filter((r) => r.decision === 'ALLOW').length,
        full: atSpot.filter((r) => r.reasonCode === 'CAPACITY_FULL').length,
      }).toEqual({ spotId, allowed: 3, full: 1 });
      expect(await placesTaken(spotId)).toBe(3);
      expect(await visits(spotId)).toBe(3);
      expect(await balanceOf(t, `venue:${spotId}:revenue`)).toBe(2100);
    }
    for (const [i, r] of results.entries()) {
      expect(r.response).toMatchObject(
        r.decision === 'ALLOW' ? { priceFen: 700, balanceFen: 300 } : { reason: { code: 'CAPACITY_FULL' }, priceFen: 700, balanceFen: 1000 },
      );
      expect(await balanceOf(t, `card:${cards[i]}:bank`)).toBe(r.decision === 'ALLOW' ? 300 : 1000);
      const replay = await t.auditor.post(`/v1/admin/decisions/gc-${i}/replay?type=scenic.tap`, {});
      expect({ i, match: replay.body.match }).toEqual({ i, match: true });
    }
  });

  it('gives a new day its places exactly once without group commit too (racing first places meet on the counter row)', async () => {
    await createSpot(t, { spotId: 'T-ALONE', region: '12', basePriceFen: 1000, dailyCapacity: 4 });
    const alone = new TapScenicGateHandler(
      new CommandExecutor(t.dataSource, t.clock, { groupCommit: { ...DEFAULT_ENGINE_OPTIONS.groupCommit, enabled: false } }),
      t.get(CardsFacade),
      t.get(ScenicRepository),
      t.get(RuleBook),
    );
    const cards: string[] = [];
    for (let i = 0; i < 12; i++) cards.push(await issueCard(t, { birthDate: '1995-06-15', region: '12', bankFen: 5000 }));
    const results = await Promise.all(
      cards.map((cardNo, i) => alone.execute(new TapScenicGateCommand(`alone-${i}`, cardNo, '2026-03-02T11:00:00+08:00', 'T-ALONE', '12', 'T-ALONE-G1'))),
    );
    expect(results.filter((r) => r.decision === 'ALLOW')).toHaveLength(4);
    expect(results.filter((r) => r.reasonCode === 'CAPACITY_FULL')).toHaveLength(8);
    expect(await placesTaken('T-ALONE')).toBe(4);
    expect(await visits('T-ALONE')).toBe(4);
    expect(await balanceOf(t, 'venue:T-ALONE:revenue')).toBe(4000);
  });

  it('refuses unusable and unknown cards with the shared reasons', async () => {
    const lost = await issueCard(t, { birthDate: '1990-01-01', bankFen: 10_000 });
    await t.operator.post(`/v1/admin/cards/${lost}/status`, { operation: 'TEMPORARY_LOSS' });
    expect((await tap(summerGate, lost)).body).toMatchObject({
      decision: 'DENY',
      reason: { code: 'CARD_LOST' },
      priceFen: null,
      visitId: null,
      ruleSet: { id: 'scenic.admission.beijing' },
    });
    expect((await tap(summerGate, 'B99999990')).body).toMatchObject({ decision: 'DENY', reason: { code: 'CARD_UNKNOWN' } });
    const [j] = await t.dataSource.query(`SELECT reason_code FROM ledger.journal WHERE command_type = 'scenic.tap' AND command_id = $1`, [`tap-${n}`]);
    expect(j.reason_code).toBe('CARD_UNKNOWN');
  });

  it('refuses SPOT_NOT_CONFIGURED at a registered spot without admission settings', async () => {
    await t
      .get<VenueDirectory>(VenueDirectory)
      .registerVenues([{ venueId: 'T-BARE', kind: 'SCENIC_SPOT', region: '13', name: 'bare', level: null, attributes: {} }]);
    await t.operator.post('/v1/admin/terminals', { terminalId: 'T-BARE-G1', kind: 'SCENIC_GATE', venueId: 'T-BARE' });
    expect((await tap('T-BARE-G1', adult)).body).toMatchObject({
      decision: 'DENY',
      reason: { code: 'SPOT_NOT_CONFIGURED' },
      ruleSet: { id: 'scenic.admission.hebei' },
    });
  });

  it('answers 403 for another venue or terminal kind, 400 for bad input, and writes nothing', async () => {
    const journal = async () => Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM ledger.journal WHERE command_type = 'scenic.tap'`))[0].n);
    const before = await journal();
    expect((await tap(summerGate, adult, { spotId: 'T-PANSHAN' })).status).toBe(403);
    expect((await tap(summerGate, adult, { spotId: 'T-SUMMER' })).body.decision).toBe('ALLOW');
    expect((await tap(await t.holderApp(adult), adult)).status).toBe(403);
    const bad = await tap(summerGate, 'X123', { tappedAt: '2026-03-02 09:00', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/cardNo', '/extra', '/tappedAt']);
    const ahead = await tap(summerGate, adult, { tappedAt: '2026-03-02T10:36:00+08:00' });
    expect(ahead.status).toBe(400);
    expect(await journal()).toBe(before + 1);
  });

  it('replays a journaled decision with its recorded rule version', async () => {
    const ids = ['first-entry', 'twice-0', 'twice-1', 'twice-2', ...Array.from({ length: 20 }, (_, i) => `rush-${i}`)];
    for (const id of ids) {
      const res = await t.auditor.post(`/v1/admin/decisions/${id}/replay?type=scenic.tap`, {});
      expect(res.status).toBe(200);
      expect({ id, match: res.body.match }).toEqual({ id, match: true });
    }
  });

  it('reports visits per spot and day, capacity used and concessions by kind', async () => {
    const res = await t.auditor.get('/v1/admin/scenic/visits?from=2026-03-02&to=2026-03-03');
    expect(res.status).toBe(200);
    const summer = res.body.rows.find((d: { spotId: string; date: string }) => d.spotId === 'T-SUMMER' && d.date === '2026-03-02');
    expect(summer).toMatchObject({ region: '11', dailyCapacity: 1000, entries: 1, reentries: 2, revenueFen: 3000 });
    expect(summer.capacityUsed).toBeGreaterThanOrEqual(1);
    const panshan = await t.auditor.get('/v1/admin/scenic/visits?from=2026-03-02&to=2026-03-03&spotId=T-PANSHAN');
    expect(panshan.body.rows.map((r: { concessions: number; discountFen: number }) => [r.concessions, r.discountFen])).toEqual([[2, 15_000]]);
    expect(panshan.body.concessions).toEqual([
      { kind: 'SENIOR', code: 'SENIOR_60_69_HALF', count: 1, discountFen: 5000 },
      { kind: 'SENIOR', code: 'SENIOR_70_FREE', count: 1, discountFen: 10_000 },
    ]);
    expect(res.body.concessions).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'REENTRY', code: 'SAME_DAY_REENTRY' })]));
    expect((await t.auditor.get('/v1/admin/scenic/visits?from=2026-03-02&to=2026-01-01')).status).toBe(400);
  });

  it('configures spots idempotently and refuses venues that are not scenic spots', async () => {
    const same = await put(t, '/v1/admin/scenic/spots/T-SUMMER', {
      spotType: 'PARK',
      basePriceFen: 3000,
      dailyCapacity: 1000,
      participation: ['BJ_PARK_ANNUAL'],
    });
    expect(same.status).toBe(200);
    expect(same.body.version).toBe(1);
    const changed = await put(t, '/v1/admin/scenic/spots/T-SUMMER', {
      spotType: 'PARK',
      basePriceFen: 3500,
      dailyCapacity: 1000,
      participation: ['BJ_PARK_ANNUAL'],
    });
    expect(changed.body).toMatchObject({ version: 2, basePriceFen: 3500, revenueAccount: 'venue:T-SUMMER:revenue' });
    expect((await put(t, '/v1/admin/scenic/spots/NOPE', { spotType: 'PARK', basePriceFen: 1, dailyCapacity: 1, participation: [] })).status).toBe(404);
    expect((await put(t, '/v1/admin/scenic/spots/T-SUMMER', { spotType: 'ZOO', basePriceFen: -1, dailyCapacity: 0, participation: ['x'] })).status).toBe(400);
  });
});
