import { startTestApp, type TestApp } from '@test/support';
import { at, gateIn, gateOut, issueCard, setUpStations, tap, walletFen } from '../../testing/fixtures.js';

/**
 * Seat-first is rule data: a version published with `seatFirst.required: false` lets holders in
 * without a slip, against the fare to the farthest station (no train, hence no terminus, is known).
 */
describe('gate taps under a rule version without seat-first (real PostgreSQL, signed HTTP)', () => {
  let t: TestApp;
  const DAY = '2027-01-04';

  beforeAll(async () => {
    t = await startTestApp({ now: at('2026-12-30', '10:00') });
    await setUpStations(t);
    const v2 = await t.operator.get('/v1/admin/rule-sets/transit.jingjin/versions/2');
    expect(v2.status).toBe(200);
    const p = v2.body.parameters;
    const published = await t.operator.post('/v1/admin/rule-sets', {
      id: 'transit.jingjin',
      version: 3,
      context: 'transit',
      kind: 'network',
      region: v2.body.region,
      effectiveFrom: DAY,
      description: 'Version 2 without seat-first: entry needs no seat slip.',
      sources: v2.body.sources,
      parameters: { ...p, seatFirst: { ...p.seatFirst, required: false } },
    });
    expect(published.status).toBe(201);
  });
  afterAll(() => t?.close());

  it('admits without a slip when the wallet holds the fare to the farthest station, and charges the section fare on exit', async () => {
    t.clock.set(at(DAY, '08:00'));
    const rider = await issueCard(t, { transitFen: 7550 });
    const short = await issueCard(t, { transitFen: 7549 });
    const entry = await tap(t, gateIn('BJN'), rider, at(DAY, '08:00'), 'no-slip-in');
    expect(entry.body).toMatchObject({ decision: 'ALLOW', direction: 'IN', fareFen: 0, balanceFen: 7550 });
    // From Beijing South the farthest station in service is Binhai (75.5 yuan).
    expect((await tap(t, gateIn('BJN'), short, at(DAY, '08:00'))).body).toMatchObject({ decision: 'DENY', reason: { code: 'INSUFFICIENT_BALANCE' } });

    t.clock.set(at(DAY, '08:40'));
    const exit = await tap(t, gateOut('TJN'), rider, at(DAY, '08:35'), 'no-slip-out');
    expect(exit.body).toMatchObject({ decision: 'ALLOW', fareFen: 5450, balanceFen: 2100 });
    expect(await walletFen(t, rider)).toBe(2100);
    const [journey] = await t.dataSource.query(
      `SELECT reservation_id, train_no, terminus, required_fen, rule_version, status FROM transit.journeys WHERE journey_id = $1`,
      [entry.body.journeyId],
    );
    expect(journey).toEqual({ reservation_id: null, train_no: null, terminus: 'BHI', required_fen: 7550, rule_version: 3, status: 'CLOSED' });
    const replay = await t.auditor.post('/v1/admin/decisions/no-slip-in/replay?type=transit.tap', {});
    expect(replay.body).toMatchObject({ match: true });
  });
});
