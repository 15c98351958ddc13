/**
 * 一卡畅游 and 一卡通览, black-box through signed HTTP (TERMINAL-API.md "Culture"): a Tianjin holder
 * buys the joint annual card in the phone app, visits a Tianjin scenic area free on it and a
 * Beijing park at its price, re-enters, books a museum slot, enters at the gate; the card history,
 * the reports and the ledger verification read it all back.
 */
import { rawRequest } from '@onecard/testing';
import { startTestApp, type TestApp } from '@test/support';
import { balanceOf, createSpot, issueCard } from '../../src/contexts/scenic/testing/fixtures.js';
import { createMuseum } from '../../src/contexts/museums/testing/fixtures.js';

describe('一卡畅游 and 一卡通览 (black box)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-03T08:00:00+08:00' });
  });
  afterAll(() => t?.close());

  it('documents the endpoints and every reason code in OpenAPI', async () => {
    const doc = (await rawRequest(t.baseUrl, 'GET', '/docs-json', {})).body;
    for (const path of [
      '/v1/scenic/taps',
      '/v1/holder/annual-passes',
      '/v1/admin/cards/{cardNo}/annual-passes',
      '/v1/museums/reservations',
      '/v1/museums/reservations/{reservationId}/cancellation',
      '/v1/museums/taps',
      '/v1/admin/museums/no-show-runs',
    ]) {
      expect({ path, post: !!doc.paths[path]?.post }).toEqual({ path, post: true });
    }
    for (const path of [
      '/v1/admin/scenic/spots',
      '/v1/admin/scenic/visits',
      '/v1/admin/museums',
      '/v1/admin/museums/slots',
      '/v1/admin/cards/{cardNo}/annual-passes',
    ]) {
      expect({ path, get: !!doc.paths[path]?.get }).toEqual({ path, get: true });
    }
    expect(doc.paths['/v1/admin/scenic/spots/{spotId}']?.put).toBeDefined();
    expect(doc.paths['/v1/admin/museums/{museumId}']?.put).toBeDefined();
    const codes = (schema: string) => doc.components.schemas[schema].properties.code.enum;
    expect(codes('ScenicTapReasonDto')).toEqual(
      expect.arrayContaining(['CAPACITY_FULL', 'INSUFFICIENT_BALANCE', 'SPOT_NOT_CONFIGURED', 'ADMISSION_RULES_NOT_IN_FORCE', 'CARD_LOST']),
    );
    expect(codes('AnnualPassReasonDto')).toEqual(expect.arrayContaining(['PASS_NOT_SOLD', 'PASS_ALREADY_HELD', 'INSUFFICIENT_BALANCE', 'CARD_UNKNOWN']));
    expect(codes('MuseumBookingReasonDto')).toEqual(
      expect.arrayContaining([
        'MUSEUM_CLOSED',
        'BEYOND_BOOKING_WINDOW',
        'DATE_IN_PAST',
        'SLOT_FULL',
        'DAILY_LIMIT_REACHED',
        'MONTHLY_LIMIT_REACHED',
        'BOOKING_BANNED',
        'ALREADY_BOOKED',
        'SLOT_UNKNOWN',
        'SLOT_ENDED',
        'MUSEUM_NOT_BOOKABLE',
      ]),
    );
    expect(codes('MuseumEntryReasonDto')).toEqual(
      expect.arrayContaining(['NO_RESERVATION', 'TOO_EARLY', 'TOO_LATE', 'ALREADY_ADMITTED', 'MUSEUM_CLOSED', 'CARD_REPLACED']),
    );
    expect(codes('MuseumCancellationReasonDto')).toEqual(['RESERVATION_UNKNOWN', 'ALREADY_CANCELLED', 'ALREADY_ADMITTED', 'CANCELLATION_TOO_LATE']);
  });

  it("a holder's culture day: joint card, two spots, a re-entry, a museum slot", async () => {
    const wall = await createSpot(t, { spotId: 'E-WALL', region: '12', spotType: 'SCENIC_AREA', basePriceFen: 5000, participation: ['JJJ_SCENIC'] });
    const park = await createSpot(t, { spotId: 'E-PARK', region: '11', spotType: 'PARK', basePriceFen: 1500, participation: [] });
    const museumGate = await createMuseum(t, 'E-MUSEUM', '12', 10);
    const cardNo = await issueCard(t, { birthDate: '1980-08-08', region: '12', bankFen: 30_000 });
    const app = await t.holderApp(cardNo);

    const pass = await t.terminal(app).post('/v1/holder/annual-passes', { purchaseId: 'e-pass', cardNo, passCode: 'JJJ_JOINT_ANNUAL' });
    expect(pass.body).toMatchObject({ decision: 'ALLOW', priceFen: 20_000, validUntil: '2027-01-31', balanceFen: 10_000 });
    t.clock.set('2026-03-03T09:00:00+08:00');
    expect((await t.terminal(wall).post('/v1/scenic/taps', { tapId: 'e-1', cardNo, tappedAt: '2026-03-03T09:00:00+08:00' })).body).toMatchObject({
      decision: 'ALLOW',
      priceFen: 0,
      concession: { kind: 'ANNUAL_PASS' },
    });
    // The Beijing park is not in the pass programme: 15 yuan from the bank account.
    expect((await t.terminal(park).post('/v1/scenic/taps', { tapId: 'e-2', cardNo, tappedAt: '2026-03-03T09:00:00+08:00' })).body).toMatchObject({
      decision: 'ALLOW',
      priceFen: 1500,
      balanceFen: 8500,
    });
    expect((await t.terminal(park).post('/v1/scenic/taps', { tapId: 'e-3', cardNo, tappedAt: '2026-03-03T09:00:00+08:00' })).body).toMatchObject({
      entry: 'REENTRY',
      priceFen: 0,
    });

    const booked = await t
      .terminal(app)
      .post('/v1/museums/reservations', { reservationId: 'e-rsv', cardNo, museumId: 'E-MUSEUM', date: '2026-03-03', slot: '13:30' });
    expect(booked.body).toMatchObject({ decision: 'ALLOW', slot: { start: '13:30', end: '16:00' }, ruleSet: { id: 'museums.booking.tianjin', version: 2 } });
    t.clock.set('2026-03-03T13:05:00+08:00');
    expect((await t.terminal(museumGate).post('/v1/museums/taps', { tapId: 'e-4', cardNo, tappedAt: '2026-03-03T13:05:00+08:00' })).body.decision).toBe(
      'ALLOW',
    );

    expect(await balanceOf(t, `card:${cardNo}:bank`)).toBe(8500);
    expect(await balanceOf(t, 'venue:E-PARK:revenue')).toBe(1500);
    expect(await balanceOf(t, 'pass:11:JJJ_JOINT_ANNUAL:revenue')).toBe(20_000);

    const history = await t.auditor.get(`/v1/admin/cards/${cardNo}/history`);
    expect(history.status).toBe(200);
    const types = JSON.stringify(history.body);
    for (const type of ['scenic.buy-annual-pass', 'scenic.tap', 'museums.book', 'museums.tap']) expect(types).toContain(type);

    const visits = await t.auditor.get('/v1/admin/scenic/visits?from=2026-03-03');
    expect(visits.body.concessions).toEqual(
      expect.arrayContaining([
        { kind: 'ANNUAL_PASS', code: 'JJJ_JOINT_ANNUAL', count: 1, discountFen: 5000 },
        { kind: 'REENTRY', code: 'SAME_DAY_REENTRY', count: 1, discountFen: 1500 },
      ]),
    );
    const slots = await t.auditor.get('/v1/admin/museums/slots?from=2026-03-03&museumId=E-MUSEUM');
    expect(slots.body.rows).toEqual([expect.objectContaining({ slotStart: '13:30', slotEnd: '16:00', quota: 10, reserved: 1, admitted: 1 })]);

    const verification = await t.auditor.get('/v1/admin/ledger/verification');
    expect(verification.body.ok).toBe(true);
  });
});
