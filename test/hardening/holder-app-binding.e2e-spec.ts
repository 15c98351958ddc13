/**
 * Issue 12 §6: a holder app obtained a 医保码 for any card number, and a clinic could then settle
 * against that card. A holder app is now registered bound to one card and acts only for it (403
 * for any other, before the command runs); the binding moves to a replacement card on activation.
 */
import { startTestApp, type TestApp } from '@test/support';
import { DEMO_CARDS } from '../../src/seed/demo-cards.js';
import { holderAppOf } from '../../src/seed/demo-venues.js';

const OWN = DEMO_CARDS.beijingEmployee; // B00000018, seeded with APP-B00000018
const OTHER = DEMO_CARDS.beijingRetiree;

describe('a holder app acts only for its own card (black box, seeded demo data)', () => {
  let t: TestApp;
  const journal = async () => Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM ledger.journal`))[0].n);

  beforeAll(async () => {
    t = await startTestApp({ env: { SEED_DEMO: 'true' } });
  });
  afterAll(() => t?.close());

  const app = (cardNo = OWN) => t.terminal(holderAppOf(cardNo));

  it('issues a 医保码 for its own card and refuses any other with 403, writing nothing', async () => {
    expect((await app().post('/v1/holder/medical-codes', { cardNo: OWN })).body.decision).toBe('ALLOW');
    const before = await journal();
    const refused = await app().post('/v1/holder/medical-codes', { cardNo: OTHER });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.detail).toContain(`acts only for card ${OWN}`);
    expect(await journal()).toBe(before);
  });

  it('binds every holder-app command: annual passes, museum bookings and cancellations, library renewals and fines', async () => {
    const before = await journal();
    const attempts = [
      app().post('/v1/holder/annual-passes', { purchaseId: 'bind-pass', cardNo: OTHER, passCode: 'BJ_PARK_ANNUAL' }),
      app().post('/v1/museums/reservations', { reservationId: 'bind-rsv', cardNo: OTHER, museumId: 'MUS-11-NATIONAL', date: '2026-03-03', slot: '09:00' }),
      app().post('/v1/museums/reservations/bind-rsv/cancellation', { cancellationId: 'bind-cxl', cardNo: OTHER }),
      app().post('/v1/libraries/renewals', { renewalId: 'bind-rn', cardNo: OTHER, barcode: '11-CAPITAL-0001', renewedAt: '2026-03-02T08:00:00+08:00' }),
      app().post('/v1/libraries/fines/payments', { paymentId: 'bind-fine', cardNo: OTHER, paidAt: '2026-03-02T08:00:00+08:00' }),
    ];
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(403);
    expect(await journal()).toBe(before);
    // Its own card goes through to the rules.
    const own = await app().post('/v1/museums/reservations', {
      reservationId: 'bind-rsv-own',
      cardNo: OWN,
      museumId: 'MUS-11-NATIONAL',
      date: '2026-03-03',
      slot: '09:00',
    });
    expect(own.status).toBe(200);
    expect(own.body.decision).toBe('ALLOW');
  });

  it('registers a holder app only with the cardNo of an existing card', async () => {
    const missing = await t.operator.post('/v1/admin/terminals', { terminalId: 'NEW-APP-1', kind: 'HOLDER_APP' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/cardNo']);
    expect((await t.operator.post('/v1/admin/terminals', { terminalId: 'NEW-APP-2', kind: 'HOLDER_APP', cardNo: 'B99999990' })).status).toBe(400);
    const second = await t.operator.post('/v1/admin/terminals', { terminalId: 'NEW-APP-3', kind: 'HOLDER_APP', cardNo: OTHER });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ kind: 'HOLDER_APP', cardNo: OTHER });
    expect((await t.terminal('NEW-APP-3').post('/v1/holder/medical-codes', { cardNo: OTHER })).body.decision).toBe('ALLOW');
  });

  it('refuses everything from an app registered before binding existed (bound to no card)', async () => {
    await t.dataSource.query(
      `INSERT INTO registry.terminals (terminal_id, kind, venue_id, direction, enabled, registered_at, updated_at) VALUES ('LEGACY-APP', 'HOLDER_APP', NULL, NULL, true, now(), now())`,
    );
    const res = await t.terminal('LEGACY-APP').post('/v1/holder/medical-codes', { cardNo: OWN });
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain('bound to no card');
  });

  it('moves the binding to the replacement card when it is activated, for a sealed and an immediate replacement', async () => {
    for (const [old, sealed] of [
      [DEMO_CARDS.tianjinCommuter, true],
      [DEMO_CARDS.hebeiResident, false],
    ] as const) {
      const oldApp = holderAppOf(old);
      expect((await t.operator.post(`/v1/admin/cards/${old}/status`, { operation: 'FORMAL_LOSS' })).status).toBe(200);
      const replaced = await t.operator.post(`/v1/admin/cards/${old}/replacement`, sealed ? { sealed: true } : {});
      expect(replaced.status).toBe(201);
      const neu: string = replaced.body.card.cardNo;
      if (sealed) {
        // Until activation the app still stands for the (lost) old card.
        expect((await t.terminal(oldApp).post('/v1/holder/medical-codes', { cardNo: neu })).status).toBe(403);
        expect((await t.operator.post(`/v1/admin/cards/${neu}/status`, { operation: 'ACTIVATE' })).status).toBe(200);
      }
      const terminals = await t.auditor.get('/v1/admin/terminals?kind=HOLDER_APP');
      expect(terminals.body.find((x: { terminalId: string }) => x.terminalId === oldApp)).toMatchObject({ cardNo: neu });
      expect((await t.terminal(oldApp).post('/v1/holder/medical-codes', { cardNo: neu })).body.decision).toBe('ALLOW');
      expect((await t.terminal(oldApp).post('/v1/holder/medical-codes', { cardNo: old })).status).toBe(403);
    }
  });
});
