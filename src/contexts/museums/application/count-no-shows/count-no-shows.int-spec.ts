import { CommandBus } from '@nestjs/cqrs';
import { startTestApp, type TestApp } from '@test/support';
import { createMuseum, issueCard } from '../../testing/fixtures.js';
import { CountNoShowCommand } from './count-no-show.command.js';
import { NoShowCounter } from './no-show-counter.js';

// 3 no-shows within 90 days → a 30-day booking ban (rule data museums/booking).
describe('no-shows and booking bans (real PostgreSQL)', () => {
  let t: TestApp;
  let holder: string;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-03T08:00:00+08:00' });
    await createMuseum(t, 'N-NATIONAL', '11', 50);
    holder = await issueCard(t);
  });
  afterAll(() => t?.close());

  const book = async (cardNo: string, date: string, slot = '09:00', reservationId = `n-rsv-${++n}`) =>
    t.terminal(await t.holderApp(cardNo)).post('/v1/museums/reservations', { reservationId, cardNo, museumId: 'N-NATIONAL', date, slot });
  const runAsOf = (asOf: string) => t.operator.post('/v1/admin/museums/no-show-runs', { asOf });
  const status = async (id: string) => (await t.dataSource.query(`SELECT status FROM museums.reservations WHERE reservation_id = $1`, [id]))[0]?.status;

  it('counts a booked reservation as a no-show only after its slot ends, once, whatever the runs', async () => {
    for (const [id, date] of [
      ['ns-1', '2026-03-04'],
      ['ns-2', '2026-03-05'],
      ['ns-3', '2026-03-06'],
    ])
      expect((await book(holder, date!, '09:00', id)).body.decision).toBe('ALLOW');
    t.clock.set('2026-03-04T12:00:00+08:00');
    expect((await runAsOf('2026-03-04T10:59:59+08:00')).body).toMatchObject({ counted: 0 });
    expect(await status('ns-1')).toBe('BOOKED');
    expect((await runAsOf('2026-03-04T11:00:00+08:00')).body).toEqual({ asOf: '2026-03-04T03:00:00.000Z', counted: 1, skipped: 0, bans: 0 });
    expect(await status('ns-1')).toBe('NO_SHOW');
    expect((await runAsOf('2026-03-04T12:00:00+08:00')).body).toMatchObject({ counted: 0 });
    expect((await t.operator.post('/v1/admin/museums/no-show-runs', { asOf: '2026-03-04T12:00:01+08:00' })).status).toBe(400);
    const [j] = await t.dataSource.query(
      `SELECT decision, subject, actor, event_time FROM ledger.journal WHERE command_type = 'museums.count-no-show' AND command_id = 'ns-1'`,
    );
    expect(j).toMatchObject({ decision: 'ALLOW', subject: holder, actor: 'job:museums.no-shows' });
    expect(new Date(j.event_time).toISOString()).toBe('2026-03-04T03:00:00.000Z');
  });

  it('bans booking for 30 days from the third no-show within 90 days, then lets the holder book again', async () => {
    t.clock.set('2026-03-06T17:00:00+08:00');
    const counter = t.get<NoShowCounter>(NoShowCounter);
    expect(await counter.run(t.clock.now())).toMatchObject({ counted: 2, bans: 1 });
    const [third] = await t.dataSource.query(`SELECT response FROM ledger.journal WHERE command_type = 'museums.count-no-show' AND command_id = 'ns-3'`);
    expect(third.response).toEqual({ decision: 'ALLOW', reservationId: 'ns-3', status: 'NO_SHOW', ban: { from: '2026-03-06', through: '2026-04-04' } });

    t.clock.set('2026-03-07T08:00:00+08:00');
    const banned = await book(holder, '2026-03-10', '09:00', 'while-banned');
    expect(banned.body).toMatchObject({ decision: 'DENY', reason: { code: 'BOOKING_BANNED' }, bannedThrough: '2026-04-04' });
    t.clock.set('2026-04-04T20:00:00+08:00');
    expect((await book(holder, '2026-04-08')).body.reason.code).toBe('BOOKING_BANNED');
    t.clock.set('2026-04-05T00:00:00+08:00');
    expect((await book(holder, '2026-04-08', '09:00', 'after-ban')).body.decision).toBe('ALLOW');
  });

  it('never counts admitted or cancelled reservations', async () => {
    t.clock.set('2026-04-06T08:00:00+08:00');
    const other = await issueCard(t);
    await book(other, '2026-04-07', '09:00', 'used');
    await book(other, '2026-04-08', '11:00', 'dropped');
    await t.terminal(await t.holderApp(other)).post('/v1/museums/reservations/dropped/cancellation', { cancellationId: 'drop-1', cardNo: other });
    t.clock.set('2026-04-07T09:00:00+08:00');
    expect(
      (await t.terminal('N-NATIONAL-G1').post('/v1/museums/taps', { tapId: 'n-used', cardNo: other, tappedAt: '2026-04-07T09:00:00+08:00' })).body.decision,
    ).toBe('ALLOW');
    t.clock.set('2026-04-09T00:00:00+08:00');
    await t.get<NoShowCounter>(NoShowCounter).run(t.clock.now());
    expect([await status('used'), await status('dropped'), await status('after-ban')]).toEqual(['ADMITTED', 'CANCELLED', 'NO_SHOW']);
    // A run that selected a reservation just before it was used journals NOT_A_NO_SHOW for it, and it stays admitted.
    const late = await t.get<CommandBus>(CommandBus).execute(new CountNoShowCommand('used', t.clock.now(), new Date('2026-04-07T03:00:00Z')));
    expect(late.response).toMatchObject({ decision: 'DENY', reason: { code: 'NOT_A_NO_SHOW' } });
    expect(await status('used')).toBe('ADMITTED');
  });

  it('replays the counted no-shows and the refused booking', async () => {
    for (const [id, type] of [
      ['ns-1', 'museums.count-no-show'],
      ['ns-3', 'museums.count-no-show'],
      ['used', 'museums.count-no-show'],
      ['while-banned', 'museums.book'],
    ]) {
      const res = await t.auditor.post(`/v1/admin/decisions/${id}/replay?type=${type}`, {});
      expect({ id, status: res.status, match: res.body.match }).toEqual({ id, status: 200, match: true });
    }
    const report = await t.auditor.get('/v1/admin/museums/slots?from=2026-03-04&to=2026-03-06');
    expect(report.body.days.map((d: { noShows: number }) => d.noShows)).toEqual([1, 1, 1]);
  });
});
