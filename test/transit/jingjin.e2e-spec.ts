/**
 * The Beijing–Tianjin intercity railway, black-box through signed HTTP (TERMINAL-API.md "Transit"):
 * Yongle opened by a rule version, fares taken from the version in force at entry, a day's riding
 * read back through the reports, and the ledger verified after it all.
 */
import { rawRequest } from '@onecard/testing';
import { asCsvText, AUDITOR_TOKEN, fetchCsv, startTestApp, type TestApp } from '@test/support';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { at, gateIn, gateOut, issueCard, reserve, setUpStations, tap, walletFen } from '../../src/contexts/transit/testing/fixtures.js';

describe('京津城际 (black box)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ now: at('2026-03-02', '06:00') });
    await setUpStations(t);
  });
  afterAll(() => t?.close());

  /** Reserve from `from` to `to` at `reserveAt`, tap in at `inAt`, tap out at `to` at `outAt`. */
  async function ride(cardNo: string, date: string, from: string, to: string, times: { reserveAt: string; inAt: string; outAt: string; outDate?: string }) {
    t.clock.set(at(date, times.reserveAt));
    const slip = await reserve(t, from, cardNo, to, date);
    expect(slip.body.decision).toBe('ALLOW');
    t.clock.set(at(date, times.inAt));
    const entry = await tap(t, gateIn(from), cardNo, at(date, times.inAt));
    t.clock.set(at(times.outDate ?? date, times.outAt));
    const exit = entry.body.decision === 'ALLOW' ? await tap(t, gateOut(to), cardNo, at(times.outDate ?? date, times.outAt)) : null;
    return { slip: slip.body, entry: entry.body, exit: exit?.body };
  }

  it('documents the transit endpoints and their reason codes in OpenAPI', async () => {
    const doc = (await rawRequest(t.baseUrl, 'GET', '/docs-json', {})).body;
    for (const path of [
      '/v1/transit/taps',
      '/v1/transit/taps:batch',
      '/v1/transit/seat-reservations',
      '/v1/transit/seat-reservations/{reservationId}/cancellation',
    ]) {
      expect(doc.paths[path]?.post).toBeDefined();
    }
    expect(doc.paths['/v1/admin/transit/journeys/{journeyId}/resolution'].post).toBeDefined();
    expect(doc.components.schemas.TransitReasonDto.properties.code.enum).toEqual(
      expect.arrayContaining(['NO_SEAT_SLIP', 'DUPLICATE_TAP', 'INSUFFICIENT_BALANCE', 'TRANSIT_LOCKED']),
    );
  });

  it('opens Yongle by rule version 2: closed on 2026-12-31, open on 2027-01-01', async () => {
    const cardNo = await issueCard(t, { transitFen: 50_000 });
    t.clock.set(at('2026-12-31', '10:00'));
    expect((await reserve(t, 'YLE', cardNo, 'TJN', '2026-12-31')).body.reason.code).toBe('STATION_NOT_IN_SERVICE');
    expect((await tap(t, gateIn('YLE'), cardNo, at('2026-12-31', '10:00'))).body.reason.code).toBe('STATION_NOT_IN_SERVICE');
    const closed = await t.auditor.get('/v1/admin/transit/timetable?date=2026-12-31');
    expect(closed.body.ruleSet).toEqual({ id: 'transit.jingjin', version: 1 });
    expect(closed.body.stations.find((s: { code: string }) => s.code === 'YLE').inService).toBe(false);

    // A slip for tomorrow already follows tomorrow's rules.
    const slip = await reserve(t, 'YLE', cardNo, 'TJN', '2027-01-01');
    expect(slip.body).toMatchObject({ decision: 'ALLOW', departsAt: '2027-01-01T10:17:00.000+08:00', terminus: 'TJN' });
    t.clock.set(at('2027-01-01', '10:00'));
    const entry = await tap(t, gateIn('YLE'), cardNo, at('2027-01-01', '10:00'), 'yongle-in');
    expect(entry.body.decision).toBe('ALLOW');
    const [j] = await t.dataSource.query(`SELECT rule_version FROM ledger.journal WHERE command_type = 'transit.tap' AND command_id = 'yongle-in'`);
    expect(j.rule_version).toBe(2);
    t.clock.set(at('2027-01-01', '10:40'));
    expect((await tap(t, gateOut('TJN'), cardNo, at('2027-01-01', '10:36'))).body).toMatchObject({ decision: 'ALLOW', fareFen: 3300, balanceFen: 46_700 });
    const open = await t.auditor.get('/v1/admin/transit/timetable?date=2027-01-01&from=YLE');
    expect(open.body.trains.length).toBeGreaterThan(0);
  });

  it('charges the fare of the rule version in force at entry, even when the exit falls under a new one', async () => {
    t.clock.set(at('2026-03-02', '12:00'));
    const body = parse(readFileSync('rules/transit/all/network.v1.yaml', 'utf8'));
    Object.assign(body, {
      version: 3,
      effectiveFrom: '2026-03-03',
      effectiveTo: '2026-03-31',
      description: 'March fare trial: Beijing South–Tianjin 60 yuan (test).',
    });
    body.parameters.fares.BJN.TJN = 6000;
    body.parameters.fares.TJN.BJN = 6000;
    expect((await t.operator.post('/v1/admin/rule-sets', body)).status).toBe(201);

    const night = await issueCard(t, { transitFen: 20_000 });
    // The last train: in at 22:25 on the 2nd (version 1), out after midnight (version 3 in force).
    const late = await ride(night, '2026-03-02', 'BJN', 'TJN', { reserveAt: '22:20', inAt: '22:25', outAt: '00:05', outDate: '2026-03-03' });
    expect(late.exit).toMatchObject({ decision: 'ALLOW', fareFen: 5450 });
    const morning = await issueCard(t, { transitFen: 20_000 });
    const trial = await ride(morning, '2026-03-03', 'BJN', 'TJN', { reserveAt: '07:50', inAt: '07:55', outAt: '08:40' });
    expect(trial.exit).toMatchObject({ decision: 'ALLOW', fareFen: 6000 });
    const journeys = await t.auditor.get(`/v1/admin/transit/cards/${night}/journeys`);
    expect(journeys.body[0]).toMatchObject({ fareFen: 5450, ruleSet: { id: 'transit.jingjin', version: 1 } });
  });

  it("reads a day back: journeys per OD pair, revenue per station, a card's journeys — and the ledger verifies", async () => {
    const date = '2026-03-05';
    const riders = [];
    for (let i = 0; i < 4; i++) riders.push(await issueCard(t, { transitFen: 30_000 }));
    await ride(riders[0]!, date, 'BJN', 'TJN', { reserveAt: '07:50', inAt: '07:55', outAt: '08:35' });
    await ride(riders[1]!, date, 'BJN', 'WQI', { reserveAt: '08:05', inAt: '08:10', outAt: '08:45' });
    await ride(riders[2]!, date, 'TJN', 'BJN', { reserveAt: '09:20', inAt: '09:25', outAt: '10:05' });
    await ride(riders[3]!, date, 'TJN', 'BJN', { reserveAt: '09:20', inAt: '09:26', outAt: '10:06' });
    const od = await t.auditor.get(`/v1/admin/transit/reports/od-pairs?from=${date}&to=${date}`);
    // Version 3 (the March trial) is in force on the 5th: Beijing South–Tianjin is 60 yuan both ways.
    expect(od.body).toEqual({
      rows: [
        { date, fromStation: 'BJN', toStation: 'TJN', journeys: 1, fareFen: 6000, incompleteCharged: false },
        { date, fromStation: 'BJN', toStation: 'WQI', journeys: 1, fareFen: 3900, incompleteCharged: false },
        { date, fromStation: 'TJN', toStation: 'BJN', journeys: 2, fareFen: 12_000, incompleteCharged: false },
      ],
      nextCursor: null,
    });
    const revenue = await t.auditor.get(`/v1/admin/transit/reports/station-revenue?from=${date}&to=${date}`);
    expect(revenue.body.rows).toEqual([
      { date, station: 'BJN', journeys: 2, revenueFen: 9900 },
      { date, station: 'TJN', journeys: 2, revenueFen: 12_000 },
    ]);
    // Paged: one row a page, the cursor walks the rest; CSV gives every row, parsed back to the same.
    const first = await t.auditor.get(`/v1/admin/transit/reports/od-pairs?from=${date}&to=${date}&limit=1`);
    expect(first.body.rows).toEqual([od.body.rows[0]]);
    const second = await t.auditor.get(`/v1/admin/transit/reports/od-pairs?from=${date}&to=${date}&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toEqual({ rows: od.body.rows.slice(1), nextCursor: null });
    const csv = await fetchCsv(t.baseUrl, `/v1/admin/transit/reports/od-pairs?from=${date}&to=${date}&format=csv`, AUDITOR_TOKEN);
    expect(csv.contentType).toBe('text/csv; charset=utf-8');
    expect(csv.records).toEqual(asCsvText(od.body.rows));
    const taps = await t.auditor.get(`/v1/admin/transit/reports/taps-per-hour?from=${date}&to=${date}`);
    expect(taps.body.rows.filter((r: any) => r.station === 'TJN')).toEqual([
      { date, hour: 8, station: 'TJN', entries: 0, exits: 1, taps: 1 },
      { date, hour: 9, station: 'TJN', entries: 2, exits: 0, taps: 2 },
    ]);
    expect(taps.body.rows.reduce((s: number, r: any) => s + r.taps, 0)).toBe(8);
    expect(await walletFen(t, riders[1]!)).toBe(30_000 - 3900);
    expect((await t.auditor.get(`/v1/admin/transit/journeys?status=OPEN&from=${date}&to=${date}`)).body).toEqual({ rows: [], nextCursor: null });
    expect((await t.auditor.get(`/v1/admin/transit/journeys?status=CLOSED&from=${date}&to=${date}`)).body.rows).toHaveLength(4);
    expect((await t.auditor.get('/v1/admin/transit/reports/od-pairs?from=2026-02-30&to=2026-03-01')).status).toBe(400);
    expect((await t.auditor.get('/v1/admin/transit/reports/od-pairs?from=2026-03-05&to=2026-03-04')).status).toBe(400);

    const verification = await t.auditor.get('/v1/admin/ledger/verification');
    expect(verification.status).toBe(200);
    expect(verification.body).toMatchObject({ ok: true });
    expect(verification.body.checkedEntries).toBeGreaterThan(0);
  });
});
