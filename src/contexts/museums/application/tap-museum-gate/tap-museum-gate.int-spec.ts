import { startTestApp, type TestApp } from '@test/support';
import { createHolderApp, createMuseum, issueCard } from '../../testing/fixtures.js';

// 2026-03-03 is a Tuesday; 2026-03-09 a Monday (closed). National Museum slots 09:00–11:00,
// 11:00–13:00, 13:00–16:30; entry from 30 minutes before a slot (rule data).
describe('museum gate taps (real PostgreSQL, rules from rules/museums)', () => {
  let t: TestApp;
  let gate: string;
  let app: string;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-03T08:00:00+08:00' });
    app = await createHolderApp(t);
    gate = await createMuseum(t, 'G-NATIONAL', '11', 50);
    await createMuseum(t, 'G-OTHER', '11', 50);
  });
  afterAll(() => t?.close());

  const book = async (cardNo: string, date: string, slot: string, museumId = 'G-NATIONAL') => {
    const res = await t.terminal(app).post('/v1/museums/reservations', { reservationId: `g-rsv-${++n}`, cardNo, museumId, date, slot });
    if (res.body.decision !== 'ALLOW') throw new Error(`not booked: ${res.text}`);
    return res.body.reservationId as string;
  };
  const tapAt = (cardNo: string, when: string, extra: Record<string, unknown> = {}, terminal = gate) => {
    t.clock.set(when);
    return t.terminal(terminal).post('/v1/museums/taps', { tapId: `g-tap-${++n}`, cardNo, tappedAt: when, ...extra });
  };

  it('admits a holder with a reservation from 30 minutes before the slot until it ends, once', async () => {
    const holder = await issueCard(t);
    const reservationId = await book(holder, '2026-03-03', '11:00');
    expect((await tapAt(holder, '2026-03-03T10:29:00+08:00')).body).toMatchObject({
      decision: 'DENY',
      reason: { code: 'TOO_EARLY' },
      reservationId,
      slot: { start: '11:00', end: '13:00' },
    });
    const ok = await tapAt(holder, '2026-03-03T10:30:00+08:00', { tapId: 'g-admit' });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      decision: 'ALLOW',
      tapId: 'g-admit',
      museumId: 'G-NATIONAL',
      visitDate: '2026-03-03',
      reservationId,
      slot: { start: '11:00', end: '13:00' },
      ruleSet: { id: 'museums.booking.beijing', version: 2 },
    });
    const [j] = await t.dataSource.query(
      `SELECT decision, subject, legs, rule_set_id FROM ledger.journal WHERE command_type = 'museums.tap' AND command_id = 'g-admit'`,
    );
    expect(j).toEqual({ decision: 'ALLOW', subject: holder, legs: 0, rule_set_id: 'museums.booking.beijing' });
    const retry = await t.terminal(gate).post('/v1/museums/taps', { tapId: 'g-admit', cardNo: holder, tappedAt: '2026-03-03T10:30:00+08:00' });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect((await tapAt(holder, '2026-03-03T10:45:00+08:00')).body.reason.code).toBe('ALREADY_ADMITTED');
  });

  it('refuses TOO_LATE after the slot ends, NO_RESERVATION elsewhere or without one, MUSEUM_CLOSED on Mondays', async () => {
    const holder = await issueCard(t);
    await book(holder, '2026-03-04', '09:00');
    expect((await tapAt(holder, '2026-03-04T11:00:00+08:00')).body).toMatchObject({ decision: 'DENY', reason: { code: 'TOO_LATE' } });
    expect((await tapAt(holder, '2026-03-04T09:10:00+08:00', {}, 'G-OTHER-G1')).body.reason.code).toBe('NO_RESERVATION');
    expect((await tapAt(await issueCard(t), '2026-03-04T09:10:00+08:00')).body.reason.code).toBe('NO_RESERVATION');
    expect((await tapAt(holder, '2026-03-09T10:00:00+08:00')).body.reason.code).toBe('MUSEUM_CLOSED');
  });

  it('refuses unusable cards, and a reservation of a holder whose card was replaced admits on the new card', async () => {
    t.clock.set('2026-03-05T08:00:00+08:00');
    const holder = await issueCard(t);
    const reservationId = await book(holder, '2026-03-05', '09:00');
    await t.operator.post(`/v1/admin/cards/${holder}/status`, { operation: 'FORMAL_LOSS' });
    expect((await tapAt(holder, '2026-03-05T09:00:00+08:00')).body.reason.code).toBe('CARD_LOST');
    const replaced = await t.operator.post(`/v1/admin/cards/${holder}/replacement`, {});
    expect((await tapAt(replaced.body.card.cardNo, '2026-03-05T09:05:00+08:00')).body).toMatchObject({ decision: 'ALLOW', reservationId });
    expect((await tapAt('B99999990', '2026-03-05T09:05:00+08:00')).body.reason.code).toBe('CARD_UNKNOWN');
  });

  it('answers 403 for another museum or terminal kind, 400 for bad input or a time ahead of the clock', async () => {
    const holder = await issueCard(t);
    t.clock.set('2026-03-05T10:00:00+08:00');
    const post = (body: Record<string, unknown>, terminal = gate) =>
      t.terminal(terminal).post('/v1/museums/taps', { tapId: `g-tap-${++n}`, cardNo: holder, tappedAt: '2026-03-05T10:00:00+08:00', ...body });
    expect((await post({ museumId: 'G-OTHER' })).status).toBe(403);
    expect((await post({}, app)).status).toBe(403);
    expect((await post({ tappedAt: '2026-03-05T10:06:00+08:00' })).status).toBe(400);
    expect((await post({ tappedAt: 'yesterday' })).status).toBe(400);
  });

  it('replays gate decisions and reports admissions per slot', async () => {
    for (const id of ['g-admit', 'g-tap-2', `g-tap-6`]) {
      const res = await t.auditor.post(`/v1/admin/decisions/${id}/replay?type=museums.tap`, {});
      expect({ id, status: res.status, match: res.body.match }).toEqual({ id, status: 200, match: true });
    }
    const report = await t.auditor.get('/v1/admin/museums/slots?from=2026-03-03&to=2026-03-05&museumId=G-NATIONAL');
    expect(report.status).toBe(200);
    expect(report.body.rows.find((s: { date: string; slotStart: string }) => s.date === '2026-03-03' && s.slotStart === '11:00')).toMatchObject({
      quota: 50,
      reserved: 1,
      admitted: 1,
      open: 0,
    });
    expect(report.body.days.map((d: { date: string; admitted: number }) => [d.date, d.admitted])).toEqual([
      ['2026-03-03', 1],
      ['2026-03-04', 0],
      ['2026-03-05', 1],
    ]);
  });
});
