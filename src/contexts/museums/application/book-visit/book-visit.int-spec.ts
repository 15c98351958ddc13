import { CardsFacade } from '@contexts/cards';
import { VenueDirectory } from '@contexts/registry';
import { CommandExecutor, DEFAULT_ENGINE_OPTIONS, type CommandResult } from '@onecard/engine';
import { RuleBook } from '@onecard/rules';
import { startTestApp, type TestApp } from '@test/support';
import { MuseumsRepository } from '../../infrastructure/museums.repository.js';
import { createMuseum, heldExecutor, issueCard, put } from '../../testing/fixtures.js';
import { BookVisitCommand, type ReservationAnswer } from './book-visit.command.js';
import { BookVisitHandler } from './book-visit.handler.js';

// 2026-03-03 is a Tuesday; museums close on Mondays (rule data).
describe('museum reservations (real PostgreSQL, rules from rules/museums)', () => {
  let t: TestApp;
  let deskNational: string;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-03T08:00:00+08:00' });
    deskNational = await createMuseum(t, 'B-NATIONAL', '11', 100);
    await createMuseum(t, 'B-TIANJIN', '12', 100);
  });
  afterAll(() => t?.close());

  const book = async (cardNo: string, body: Record<string, unknown>, terminal?: string) =>
    t
      .terminal(terminal ?? (await t.holderApp(cardNo)))
      .post('/v1/museums/reservations', { reservationId: `rsv-${++n}`, cardNo, museumId: 'B-NATIONAL', date: '2026-03-04', slot: '09:00', ...body });
  const code = async (p: ReturnType<typeof book>) => {
    const res = await p;
    return res.body.decision === 'ALLOW' ? 'ALLOW' : (res.body.reason?.code ?? `HTTP ${res.status}`);
  };
  const seats = async (museumId: string, date: string, slot: string) =>
    Number(
      (
        await t.dataSource.query(
          `SELECT coalesce(max(booked), 0)::int AS n FROM museums.slot_seats WHERE museum_id = $1 AND visit_date = $2 AND slot_start = $3`,
          [museumId, date, slot],
        )
      )[0].n,
    );

  it('books a slot from the holder app: free, journaled with the rule version, one seat taken', async () => {
    const holder = await issueCard(t);
    const res = await book(holder, { reservationId: 'first-booking' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      decision: 'ALLOW',
      reservationId: 'first-booking',
      cardNo: holder,
      museumId: 'B-NATIONAL',
      date: '2026-03-04',
      slot: { start: '09:00', end: '11:00' },
      status: 'BOOKED',
      ruleSet: { id: 'museums.booking.beijing', version: 2 },
    });
    expect(await seats('B-NATIONAL', '2026-03-04', '09:00')).toBe(1);
    const [j] = await t.dataSource.query(
      `SELECT decision, subject, rule_set_id, rule_version, legs FROM ledger.journal WHERE command_type = 'museums.book' AND command_id = 'first-booking'`,
    );
    expect(j).toEqual({ decision: 'ALLOW', subject: holder, rule_set_id: 'museums.booking.beijing', rule_version: 2, legs: 0 });
    const again = await book(holder, { reservationId: 'first-booking' });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await seats('B-NATIONAL', '2026-03-04', '09:00')).toBe(1);
    expect((await book(holder, { reservationId: 'first-booking', slot: '11:00' })).status).toBe(409);
  });

  it('opens bookings from today to 7 days ahead (UTC+8), not on closed days, past or unknown slots', async () => {
    const holder = await issueCard(t);
    expect(await code(book(holder, { date: '2026-03-11' }))).toBe('BEYOND_BOOKING_WINDOW');
    expect(await code(book(holder, { date: '2026-03-01' }))).toBe('DATE_IN_PAST');
    expect(await code(book(holder, { date: '2026-03-09' }))).toBe('MUSEUM_CLOSED');
    expect(await code(book(holder, { date: '2026-03-10', slot: '10:00' }))).toBe('SLOT_UNKNOWN');
    expect(await code(book(holder, { date: '2026-03-10' }))).toBe('ALLOW');
    // Late on 3 March in UTC is already 4 March in Beijing: the window moves with the UTC+8 date.
    t.clock.set('2026-03-03T16:30:00Z');
    const other = await issueCard(t);
    expect(await code(book(other, { date: '2026-03-11' }))).toBe('ALLOW');
    expect(await code(book(other, { date: '2026-03-03', slot: '13:00' }))).toBe('DATE_IN_PAST');
    t.clock.set('2026-03-03T11:00:00+08:00');
    const third = await issueCard(t);
    expect(await code(book(third, { date: '2026-03-03', slot: '09:00' }))).toBe('SLOT_ENDED');
    expect(await code(book(third, { date: '2026-03-03', slot: '11:00' }))).toBe('ALLOW');
    t.clock.set('2026-03-03T08:00:00+08:00');
  });

  it('allows 1 a day and 4 a month per person at a museum; cancelled ones do not count', async () => {
    const holder = await issueCard(t);
    expect(await code(book(holder, { date: '2026-03-04', slot: '11:00' }))).toBe('ALLOW');
    expect(await code(book(holder, { date: '2026-03-04', slot: '11:00' }))).toBe('ALREADY_BOOKED');
    expect(await code(book(holder, { date: '2026-03-04', slot: '13:00' }))).toBe('DAILY_LIMIT_REACHED');
    expect(await code(book(holder, { date: '2026-03-04', slot: '13:30', museumId: 'B-TIANJIN' }))).toBe('ALLOW');
    for (const date of ['2026-03-05', '2026-03-06']) expect(await code(book(holder, { date }))).toBe('ALLOW');
    const fourth = await book(holder, { date: '2026-03-07' });
    expect(fourth.body.decision).toBe('ALLOW');
    expect(await code(book(holder, { date: '2026-03-08' }))).toBe('MONTHLY_LIMIT_REACHED');
    const cancel = await t
      .terminal(await t.holderApp(holder))
      .post(`/v1/museums/reservations/${fourth.body.reservationId}/cancellation`, { cancellationId: `cxl-${++n}`, cardNo: holder });
    expect(cancel.body).toMatchObject({ decision: 'ALLOW', status: 'CANCELLED' });
    expect(await code(book(holder, { date: '2026-03-08' }))).toBe('ALLOW');
    // The monthly limit is per calendar month of the visit date.
    t.clock.set('2026-03-28T08:00:00+08:00');
    expect(await code(book(holder, { date: '2026-03-31' }))).toBe('MONTHLY_LIMIT_REACHED');
    expect(await code(book(holder, { date: '2026-04-01' }))).toBe('ALLOW');
    t.clock.set('2026-03-03T08:00:00+08:00');
  });

  it('gives the last 5 seats of a slot to exactly 5 of 20 concurrent bookings', async () => {
    await createMuseum(t, 'B-RUSH', '11', 25);
    await t.dataSource.query(`INSERT INTO museums.slot_seats (museum_id, visit_date, slot_start, booked) VALUES ('B-RUSH', '2026-03-05', '13:00', 20)`);
    const cards: string[] = [];
    for (let i = 0; i < 20; i++) cards.push(await issueCard(t));
    const answers = await Promise.all(
      cards.map(async (cardNo, i) =>
        t
          .terminal(await t.holderApp(cardNo))
          .post('/v1/museums/reservations', { reservationId: `rush-${i}`, cardNo, museumId: 'B-RUSH', date: '2026-03-05', slot: '13:00' }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(answers.filter((a) => a.body.decision === 'ALLOW')).toHaveLength(5);
    expect(answers.filter((a) => a.body.reason?.code === 'SLOT_FULL')).toHaveLength(15);
    expect(await seats('B-RUSH', '2026-03-05', '13:00')).toBe(25);
    const [{ n: rows }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM museums.reservations WHERE museum_id = 'B-RUSH'`);
    expect(rows).toBe(5);
  });

  it('lets one of two concurrent bookings of the same holder for one day through', async () => {
    const holder = await issueCard(t);
    const answers = await Promise.all(['09:00', '11:00', '13:00'].map((slot, i) => book(holder, { reservationId: `same-${i}`, date: '2026-03-06', slot })));
    expect(answers.map((a) => (a.body.decision === 'ALLOW' ? 'ALLOW' : a.body.reason.code)).sort()).toEqual([
      'ALLOW',
      'DAILY_LIMIT_REACHED',
      'DAILY_LIMIT_REACHED',
    ]);
  });

  it("books at a museum's own desk terminal, and refuses a desk acting for another museum", async () => {
    const holder = await issueCard(t);
    expect(await code(book(holder, { date: '2026-03-05' }, deskNational))).toBe('ALLOW');
    expect((await book(holder, { museumId: 'B-TIANJIN' }, deskNational)).status).toBe(403);
  });

  it('answers 400 for a museum id that is no museum, and MUSEUM_NOT_BOOKABLE for a museum not open for booking', async () => {
    const holder = await issueCard(t);
    expect((await book(holder, { museumId: 'NOWHERE' })).status).toBe(400);
    await t
      .get<VenueDirectory>(VenueDirectory)
      .registerVenues([{ venueId: 'B-LIBRARY', kind: 'LIBRARY', region: '11', name: 'a library', level: null, attributes: { network: 'CAPITAL' } }]);
    expect((await book(holder, { museumId: 'B-LIBRARY' })).status).toBe(400);
    await createMuseum(t, 'B-CLOSED', '13', null);
    expect(await code(book(holder, { museumId: 'B-CLOSED' }))).toBe('MUSEUM_NOT_BOOKABLE');
    const bad = await book(holder, { date: '2026-02-30', slot: '9:00', extra: true });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/date', '/extra', '/slot']);
    expect((await put(t, '/v1/admin/museums/B-LIBRARY', { slotQuota: 10 })).status).toBe(400);
  });

  it('refuses unusable and unknown cards with the shared reasons', async () => {
    const lost = await issueCard(t);
    await t.operator.post(`/v1/admin/cards/${lost}/status`, { operation: 'FORMAL_LOSS' });
    expect(await code(book(lost, {}))).toBe('CARD_LOST');
    // No holder app is bound to an unknown card; the museum's own desk terminal books for any card.
    expect(await code(book('B99999990', {}, deskNational))).toBe('CARD_UNKNOWN');
  });

  it("cancels until the slot starts and gives the seat back; refuses others' reservations and repeats", async () => {
    const holder = await issueCard(t);
    const stranger = await issueCard(t);
    const booked = await book(holder, { reservationId: 'to-cancel', date: '2026-03-03', slot: '13:00' });
    expect(booked.body.decision).toBe('ALLOW');
    const seatsBefore = await seats('B-NATIONAL', '2026-03-03', '13:00');
    const cancel = async (cardNo: string, cancellationId: string, terminal?: string) =>
      t.terminal(terminal ?? (await t.holderApp(cardNo))).post('/v1/museums/reservations/to-cancel/cancellation', { cancellationId, cardNo });
    expect((await cancel(stranger, 'c-1')).body.reason.code).toBe('RESERVATION_UNKNOWN');
    expect((await cancel(holder, 'c-2', 'B-TIANJIN-G1')).status).toBe(403);
    t.clock.set('2026-03-03T13:00:00+08:00');
    expect((await cancel(holder, 'c-3')).body.reason.code).toBe('CANCELLATION_TOO_LATE');
    t.clock.set('2026-03-03T12:59:00+08:00');
    expect((await cancel(holder, 'c-4')).body).toEqual({ decision: 'ALLOW', cancellationId: 'c-4', reservationId: 'to-cancel', status: 'CANCELLED' });
    expect(await seats('B-NATIONAL', '2026-03-03', '13:00')).toBe(seatsBefore - 1);
    expect((await cancel(holder, 'c-5')).body.reason.code).toBe('ALREADY_CANCELLED');
    expect(
      (await t.terminal(await t.holderApp(holder)).post('/v1/museums/reservations/no-such/cancellation', { cancellationId: 'c-6', cardNo: holder })).body.reason
        .code,
    ).toBe('RESERVATION_UNKNOWN');
    t.clock.set('2026-03-03T08:00:00+08:00');
  });

  /** The holder's app as the terminal of a booking run straight through the handler (the HTTP guard checks the binding). */
  const app = 'M-APP';
  const bookingOn = (executor: CommandExecutor) => {
    const handler = new BookVisitHandler(executor, t.get(CardsFacade), t.get(MuseumsRepository), t.get(VenueDirectory), t.get(RuleBook));
    return (reservationId: string, cardNo: string, museumId: string, date: string, slot: string) =>
      handler.execute(new BookVisitCommand(reservationId, cardNo, museumId, date, slot, app));
  };
  /** Bookings on an executor with one held batch slot: what queues meanwhile forms batches. */
  const heldBookings = () => {
    const { executor, start } = heldExecutor(t);
    return { executor, book: bookingOn(executor), start };
  };
  const outcome = (r: CommandResult<ReservationAnswer>) => (r.decision === 'ALLOW' ? 'ALLOW' : r.reasonCode);

  it('commits concurrent bookings of different slots together, and each slot still gives its seats exactly once', async () => {
    await createMuseum(t, 'B-GC', '11', 2);
    const slots = ['09:00', '11:00', '13:00'];
    const cards: string[] = [];
    for (let i = 0; i < 4 * slots.length; i++) cards.push(await issueCard(t));
    const { executor, book, start } = heldBookings();
    // Card i books slot i mod 3: four bookings a slot, interleaved; a slot is one of a booking's keys.
    const results = await start(cards.map((cardNo, i) => book(`gc-rsv-${i}`, cardNo, 'B-GC', '2026-03-05', slots[i % slots.length]!)));
    expect(executor.stats).toEqual({ batches: 4, commands: 12, fallbacks: 0, refusals: 0 });
    for (const [s, slot] of slots.entries()) {
      const atSlot = results.filter((_, i) => i % slots.length === s).map(outcome);
      expect({ slot, outcomes: atSlot.sort() }).toEqual({ slot, outcomes: ['ALLOW', 'ALLOW', 'SLOT_FULL', 'SLOT_FULL'] });
      expect(await seats('B-GC', '2026-03-05', slot)).toBe(2);
    }
    const [{ n: rows }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM museums.reservations WHERE museum_id = 'B-GC'`);
    expect(rows).toBe(6);
    for (const i of cards.keys()) {
      const replay = await t.auditor.post(`/v1/admin/decisions/gc-rsv-${i}/replay?type=museums.book`, {});
      expect({ i, match: replay.body.match }).toEqual({ i, match: true });
    }
  });

  it("keeps one person's bookings out of each other's batch: 4 a month holds against concurrent bookings", async () => {
    await createMuseum(t, 'B-LIMITS', '11', 50);
    const holder = await issueCard(t);
    for (const date of ['2026-03-04', '2026-03-05', '2026-03-06']) expect(await code(book(holder, { museumId: 'B-LIMITS', date }))).toBe('ALLOW');
    const others: string[] = [];
    for (let i = 0; i < 4; i++) others.push(await issueCard(t));
    const { executor, book: bookNow, start } = heldBookings();
    const mine: [string, string][] = [
      ['2026-03-03', '13:00'],
      ['2026-03-07', '09:00'],
      ['2026-03-08', '09:00'],
      ['2026-03-10', '09:00'],
    ];
    const theirs = ['2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07'];
    const runs = mine.flatMap(([date, slot], i) => [
      bookNow(`limit-mine-${i}`, holder, 'B-LIMITS', date, slot),
      bookNow(`limit-theirs-${i}`, others[i]!, 'B-LIMITS', theirs[i]!, '11:00'),
    ]);
    const results = await start(runs);
    const [own, other] = [results.filter((_, i) => i % 2 === 0), results.filter((_, i) => i % 2 === 1)];
    expect(own.map(outcome).sort()).toEqual(['ALLOW', 'MONTHLY_LIMIT_REACHED', 'MONTHLY_LIMIT_REACHED', 'MONTHLY_LIMIT_REACHED']);
    expect(other.map(outcome)).toEqual(['ALLOW', 'ALLOW', 'ALLOW', 'ALLOW']);
    // The first batch took one of the holder's bookings and every other card's; the holder's others ran one by one.
    expect(executor.stats).toEqual({ batches: 1, commands: 5, fallbacks: 0, refusals: 0 });
    const [{ n: live }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM museums.reservations WHERE museum_id = 'B-LIMITS' AND card_no = $1 AND status <> 'CANCELLED'`,
      [holder],
    );
    expect(live).toBe(4);
  });

  it("gives a new slot's seats exactly once without group commit too (racing first seats meet on the counter row)", async () => {
    await createMuseum(t, 'B-ALONE', '11', 4);
    const cards: string[] = [];
    for (let i = 0; i < 12; i++) cards.push(await issueCard(t));
    const bookAlone = bookingOn(new CommandExecutor(t.dataSource, t.clock, { groupCommit: { ...DEFAULT_ENGINE_OPTIONS.groupCommit, enabled: false } }));
    const results = await Promise.all(cards.map((cardNo, i) => bookAlone(`alone-rsv-${i}`, cardNo, 'B-ALONE', '2026-03-06', '09:00')));
    expect(results.filter((r) => r.decision === 'ALLOW')).toHaveLength(4);
    expect(results.filter((r) => r.reasonCode === 'SLOT_FULL')).toHaveLength(8);
    expect(await seats('B-ALONE', '2026-03-06', '09:00')).toBe(4);
  });

  it('replays booking and cancellation decisions with the recorded rule version', async () => {
    const ids: [string, string][] = [
      ['first-booking', 'museums.book'],
      ['rush-0', 'museums.book'],
      ['rush-19', 'museums.book'],
      ['same-0', 'museums.book'],
      ['same-1', 'museums.book'],
      ['to-cancel', 'museums.book'],
      ['c-1', 'museums.cancel'],
      ['c-3', 'museums.cancel'],
      ['c-4', 'museums.cancel'],
    ];
    for (const [id, type] of ids) {
      const res = await t.auditor.post(`/v1/admin/decisions/${id}/replay?type=${type}`, {});
      expect({ id, status: res.status, match: res.body.match }).toEqual({ id, status: 200, match: true });
    }
  });
});
