import { CardsFacade } from '@contexts/cards';
import type { CommandResult } from '@onecard/engine';
import { RuleBook } from '@onecard/rules';
import { startTestApp, type TestApp } from '@test/support';
import { MuseumsRepository } from '../../infrastructure/museums.repository.js';
import { createMuseum, heldExecutor, issueCard } from '../../testing/fixtures.js';
import { CancelReservationCommand } from '../cancel-reservation/cancel-reservation.command.js';
import { CancelReservationHandler } from '../cancel-reservation/cancel-reservation.handler.js';
import { TapMuseumGateCommand } from './tap-museum-gate.command.js';
import { TapMuseumGateHandler } from './tap-museum-gate.handler.js';

// 2026-03-03 is a Tuesday; 2026-03-09 a Monday (closed). National Museum slots 09:00–11:00,
// 11:00–13:00, 13:00–16:30; entry from 30 minutes before a slot (rule data).
describe('museum gate taps (real PostgreSQL, rules from rules/museums)', () => {
  let t: TestApp;
  let gate: string;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-03T08:00:00+08:00' });
    gate = await createMuseum(t, 'G-NATIONAL', '11', 50);
    await createMuseum(t, 'G-OTHER', '11', 50);
  });
  afterAll(() => t?.close());

  const book = async (cardNo: string, date: string, slot: string, museumId = 'G-NATIONAL') => {
    const res = await t.terminal(await t.holderApp(cardNo)).post('/v1/museums/reservations', { reservationId: `g-rsv-${++n}`, cardNo, museumId, date, slot });
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
    expect((await post({}, await t.holderApp(holder))).status).toBe(403);
    expect((await post({ tappedAt: '2026-03-05T10:06:00+08:00' })).status).toBe(400);
    expect((await post({ tappedAt: 'yesterday' })).status).toBe(400);
  });

  /** Taps and cancellations on an executor with one held batch slot: what queues meanwhile forms batches. */
  const heldGate = () => {
    const { executor, start } = heldExecutor(t);
    const taps = new TapMuseumGateHandler(executor, t.get(CardsFacade), t.get(MuseumsRepository), t.get(RuleBook));
    const cancels = new CancelReservationHandler(executor, t.get(MuseumsRepository));
    const tap = (tapId: string, cardNo: string, tappedAt: string) => taps.execute(new TapMuseumGateCommand(tapId, cardNo, tappedAt, 'G-NATIONAL', '11', gate));
    const cancel = (cancellationId: string, reservationId: string, cardNo: string) =>
      cancels.execute(new CancelReservationCommand(cancellationId, reservationId, cardNo, { terminalId: 'M-APP', kind: 'HOLDER_APP', venueId: null }));
    return { executor, tap, cancel, start };
  };
  const statusOf = async (reservationId: string) =>
    (await t.dataSource.query(`SELECT status FROM museums.reservations WHERE reservation_id = $1`, [reservationId]))[0].status as string;

  it("commits concurrent taps of different cards together; one card's two taps never share a batch and use its reservation once", async () => {
    t.clock.set('2026-03-06T08:00:00+08:00');
    const cards: string[] = [];
    const reservations: string[] = [];
    for (let i = 0; i < 5; i++) {
      cards.push(await issueCard(t));
      reservations.push(await book(cards[i]!, '2026-03-06', '09:00'));
    }
    t.clock.set('2026-03-06T08:45:00+08:00');
    const { executor, tap, start } = heldGate();
    const at = '2026-03-06T08:45:00+08:00';
    const results = await start([...cards.map((cardNo, i) => tap(`gc-tap-${i}`, cardNo, at)), tap('gc-tap-again', cards[0]!, at)]);
    expect(results.map((r) => r.decision)).toEqual(['ALLOW', 'ALLOW', 'ALLOW', 'ALLOW', 'ALLOW', 'DENY']);
    expect(results[5]).toMatchObject({ reasonCode: 'ALREADY_ADMITTED', response: { reservationId: reservations[0] } });
    expect(executor.stats).toEqual({ batches: 1, commands: 5, fallbacks: 0, refusals: 0 });
    for (const id of reservations) expect(await statusOf(id)).toBe('ADMITTED');
  });

  it("uses a reservation once when its holder's new card taps at the gate while the replaced card cancels it in the same batch", async () => {
    t.clock.set('2026-03-06T08:00:00+08:00');
    const oldCard = await issueCard(t);
    const reservationId = await book(oldCard, '2026-03-06', '11:00');
    await t.operator.post(`/v1/admin/cards/${oldCard}/status`, { operation: 'FORMAL_LOSS' });
    const newCard = (await t.operator.post(`/v1/admin/cards/${oldCard}/replacement`, {})).body.card.cardNo as string;
    const seats = async () =>
      Number(
        (
          await t.dataSource.query(
            `SELECT booked FROM museums.slot_seats WHERE museum_id = 'G-NATIONAL' AND visit_date = '2026-03-06' AND slot_start = '11:00'`,
          )
        )[0].booked,
      );
    const seatsBefore = await seats();
    // 10:40: the entry window is open (from 10:30) and cancelling still allowed (until 11:00).
    t.clock.set('2026-03-06T10:40:00+08:00');
    const { executor, tap, cancel, start } = heldGate();
    const [entry, cancellation] = await start<CommandResult<unknown>>([
      tap('race-tap', newCard, '2026-03-06T10:40:00+08:00'),
      cancel('race-cancel', reservationId, oldCard),
    ]);
    // Their keys differ (the cards), so they shared a batch: both decided on BOOKED, the second
    // transition failed the reservation's life-cycle check, and each ran again alone on the row lock.
    expect(executor.stats.fallbacks).toBe(1);
    expect([entry!.decision, cancellation!.decision].sort()).toEqual(['ALLOW', 'DENY']);
    if (entry!.decision === 'ALLOW') {
      expect(cancellation!.reasonCode).toBe('ALREADY_ADMITTED');
      expect(await statusOf(reservationId)).toBe('ADMITTED');
      expect(await seats()).toBe(seatsBefore);
    } else {
      expect(entry!.reasonCode).toBe('NO_RESERVATION');
      expect(await statusOf(reservationId)).toBe('CANCELLED');
      expect(await seats()).toBe(seatsBefore - 1);
    }
    for (const [id, type] of [
      ['race-tap', 'museums.tap'],
      ['race-cancel', 'museums.cancel'],
    ]) {
      const replay = await t.auditor.post(`/v1/admin/decisions/${id}/replay?type=${type}`, {});
      expect({ id, match: replay.body.match }).toEqual({ id, match: true });
    }
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
