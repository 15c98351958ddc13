import { asCsvText, AUDITOR_TOKEN, fetchCsv, startTestApp, type TestApp } from '@test/support';
import { at, gateIn, gateOut, issueCard, reserve, setUpStations, tap } from '../../src/contexts/transit/testing/fixtures.js';

const DAY = '2026-03-02';
const HEBEI_AUDITOR = 'test-auditor-hebei-token';
const TIANJIN_AUDITOR = 'test-auditor-tianjin-token';

/**
 * The auditor's ledger reports (refusals, revenue per account) and region scopes on reports, with
 * the session endpoint the dashboard signs in with (real PostgreSQL, signed HTTP).
 */
describe('ledger reports, region scopes and the admin session', () => {
  let t: TestApp;
  const as = (token: string, path: string) =>
    fetch(new URL(path, t.baseUrl), { headers: { authorization: `Bearer ${token}` } }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

  beforeAll(async () => {
    t = await startTestApp({
      now: at(DAY, '07:50'),
      env: { ADMIN_TOKENS: `operator:test-operator-token,auditor:${AUDITOR_TOKEN},auditor@13:${HEBEI_AUDITOR},auditor@12:${TIANJIN_AUDITOR}` },
    });
    await setUpStations(t);
    // Two rides Beijing South → Tianjin (fare 5450 each) and one refused entry without a seat slip.
    for (const n of [1, 2]) {
      t.clock.set(at(DAY, '07:50'));
      const rider = await issueCard(t, { transitFen: 20_000 });
      expect((await reserve(t, 'BJN', rider, 'TJN', DAY)).body.decision).toBe('ALLOW');
      t.clock.set(at(DAY, '07:52'));
      expect((await tap(t, gateIn('BJN'), rider, at(DAY, '07:52'), `in-${n}`)).body.decision).toBe('ALLOW');
      t.clock.set(at(DAY, '08:40'));
      expect((await tap(t, gateOut('TJN'), rider, at(DAY, '08:40'), `out-${n}`)).body.decision).toBe('ALLOW');
    }
    const walker = await issueCard(t, { transitFen: 20_000 });
    expect((await tap(t, gateIn('TJN'), walker, at(DAY, '08:40'), 'no-slip')).body.reason.code).toBe('NO_SEAT_SLIP');
  });
  afterAll(() => t?.close());

  it('lists refusals newest first with their reason codes, as JSON pages and as CSV', async () => {
    const res = await t.auditor.get(`/v1/admin/ledger/denials?from=${DAY}&to=${DAY}`);
    expect(res.status).toBe(200);
    expect(res.body.rows).toEqual([
      expect.objectContaining({ context: 'transit', commandType: 'transit.tap', commandId: 'no-slip', terminalId: gateIn('TJN'), reasonCode: 'NO_SEAT_SLIP' }),
    ]);
    expect(res.body.nextCursor).toBeNull();
    expect((await t.auditor.get(`/v1/admin/ledger/denials?from=${DAY}&to=${DAY}&context=medical`)).body.rows).toEqual([]);
    expect((await t.auditor.get(`/v1/admin/ledger/denials?from=2026-03-01&to=2026-03-01`)).body.rows).toEqual([]);
    const csv = await fetchCsv(t.baseUrl, `/v1/admin/ledger/denials?from=${DAY}&to=${DAY}`, AUDITOR_TOKEN);
    expect(csv.records).toEqual(asCsvText(res.body.rows));
    expect((await t.auditor.get(`/v1/admin/ledger/denials?from=${DAY}&to=${DAY}&context=Bad!`)).status).toBe(400);
  });

  it('sums the net credits of every revenue account over the range', async () => {
    const res = await t.auditor.get(`/v1/admin/ledger/revenue?from=${DAY}&to=${DAY}`);
    expect(res.body.rows).toEqual([{ accountCode: 'operator:rail:revenue', region: '11', netFen: 2 * 5450, entries: 2 }]);
    const csv = await fetchCsv(t.baseUrl, `/v1/admin/ledger/revenue?from=${DAY}&to=${DAY}`, AUDITOR_TOKEN);
    expect(csv.records).toEqual([{ accountCode: 'operator:rail:revenue', region: '11', netFen: '10900', entries: '2' }]);
  });

  it("shows a region-scoped auditor its own region's rows only", async () => {
    const all = await t.auditor.get(`/v1/admin/transit/reports/station-revenue?from=${DAY}&to=${DAY}`);
    expect(all.body.rows).toEqual([{ date: DAY, station: 'BJN', journeys: 2, revenueFen: 10_900 }]);
    // Beijing South is in Beijing: neither Tianjin's nor Hebei's auditor sees its revenue row …
    expect((await as(TIANJIN_AUDITOR, `/v1/admin/transit/reports/station-revenue?from=${DAY}&to=${DAY}`)).body.rows).toEqual([]);
    // … Tianjin's sees the pairs that touch its stations and its stations' taps, Hebei's none.
    expect((await as(TIANJIN_AUDITOR, `/v1/admin/transit/reports/od-pairs?from=${DAY}&to=${DAY}`)).body.rows).toEqual([
      { date: DAY, fromStation: 'BJN', toStation: 'TJN', journeys: 2, fareFen: 10_900, incompleteCharged: false },
    ]);
    const tianjinTaps = (await as(TIANJIN_AUDITOR, `/v1/admin/transit/reports/taps-per-hour?from=${DAY}&to=${DAY}`)).body.rows;
    expect(tianjinTaps.every((r: any) => r.station === 'TJN')).toBe(true);
    expect((await as(HEBEI_AUDITOR, `/v1/admin/transit/reports/od-pairs?from=${DAY}&to=${DAY}`)).body.rows).toEqual([]);
    expect((await as(HEBEI_AUDITOR, `/v1/admin/ledger/revenue?from=${DAY}&to=${DAY}`)).body.rows).toEqual([]);
  });

  it('answers who the token is and the business clock, for the dashboard', async () => {
    expect((await t.auditor.get('/v1/admin/session')).body).toEqual({
      role: 'auditor',
      region: null,
      actor: expect.stringMatching(/^auditor:[0-9a-f]{12}$/),
      now: '2026-03-02T08:40:00.000+08:00',
      businessDate: DAY,
    });
    expect((await as(HEBEI_AUDITOR, '/v1/admin/session')).body).toMatchObject({ role: 'auditor', region: '13', actor: expect.stringMatching(/^auditor@13:/) });
    expect((await t.operator.get('/v1/admin/session')).body.role).toBe('operator');
    expect((await as('nope-nope-nope', '/v1/admin/session')).status).toBe(401);
  });
});
