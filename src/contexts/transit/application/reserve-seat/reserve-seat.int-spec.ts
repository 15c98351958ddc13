import { startTestApp, type TestApp } from '@test/support';
import { at, gateIn, issueCard, reserve, seatMachine, setUpStations, tap } from '../../testing/fixtures.js';

const DAY = '2026-03-02';

describe('seat reservations at seat machines (real PostgreSQL, signed HTTP)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ now: at(DAY, '07:50') });
    await setUpStations(t);
  });
  afterAll(() => t?.close());

  const cancel = (station: string, reservationId: string, cardNo: string, cancellationId: string) =>
    t.terminal(seatMachine(station)).post(`/v1/transit/seat-reservations/${reservationId}/cancellation`, { cancellationId, cardNo });

  it('gives the next train toward the destination with a free commuter seat, and the next one when it is full', async () => {
    t.clock.set(at(DAY, '07:50'));
    const first = await issueCard(t, { transitFen: 20_000 });
    const slip = await reserve(t, 'BJN', first, 'TJN', DAY, 'slip-first');
    expect(slip.status).toBe(200);
    expect(slip.body).toEqual({
      decision: 'ALLOW',
      reservationId: 'slip-first',
      trainNo: expect.stringMatching(/^C20\d\d$/),
      departsAt: `${DAY}T08:00:00.000+08:00`,
      car: 5,
      seat: '01A',
      terminus: 'TJN',
    });
    // Fill the rest of that train's commuter seats (170 in cars 5–6) directly.
    await t.dataSource.query(
      `INSERT INTO transit.seat_slips (reservation_id, card_no, travel_date, train_no, from_station, to_station, terminus, departs_at, car, seat, status, terminal_id, reserved_at, rule_set_id, rule_version)
       SELECT 'fill-' || car || '-' || r || l, 'T0000000' || (car % 10), $1, $3, 'BJN', 'TJN', 'TJN', $2, car, lpad(r::text, 2, '0') || l, 'ACTIVE', 'test', now(), 'transit.jingjin', 1
       FROM generate_series(5, 6) car, generate_series(1, 17) r, unnest(ARRAY['A','B','C','D','F']) l
       WHERE NOT (car = 5 AND r = 1 AND l = 'A')`,
      [DAY, new Date(at(DAY, '08:00')), slip.body.trainNo],
    );
    // The seat inventory is what machines allocate from: those seats are taken there too.
    await t.dataSource.query(
      `UPDATE transit.seats SET reservation_id = 'fill-' || car || '-' || seat WHERE travel_date = $1 AND train_no = $2 AND reservation_id IS NULL`,
      [DAY, slip.body.trainNo],
    );
    const second = await issueCard(t, { transitFen: 20_000 });
    const next = await reserve(t, 'BJN', second, 'TJN', DAY);
    expect(next.body).toMatchObject({ decision: 'ALLOW', departsAt: `${DAY}T08:10:00.000+08:00`, car: 5, seat: '01A', terminus: 'BHI' });
    // A Wuqing passenger gets a train that stops at Wuqing.
    const wuqing = await issueCard(t, { transitFen: 20_000 });
    expect((await reserve(t, 'BJN', wuqing, 'WQI', DAY)).body).toMatchObject({ decision: 'ALLOW', departsAt: `${DAY}T08:20:00.000+08:00` });
  });

  it('holds one slip at a time, cancels once per station and day, and frees the seat', async () => {
    t.clock.set(at(DAY, '09:00'));
    const cardNo = await issueCard(t, { transitFen: 20_000 });
    const a = await reserve(t, 'TJN', cardNo, 'BJN', DAY, 'hold-a');
    expect(a.body.decision).toBe('ALLOW');
    expect((await reserve(t, 'TJN', cardNo, 'BJN', DAY, 'hold-b')).body.reason.code).toBe('SLIP_ALREADY_HELD');
    // Cancelled at another station's machine: that machine acts for another venue.
    expect((await cancel('BJN', 'hold-a', cardNo, 'c-elsewhere')).status).toBe(403);
    expect((await cancel('TJN', 'hold-a', cardNo, 'c-1')).body).toEqual({ decision: 'ALLOW', cancellationId: 'c-1', reservationId: 'hold-a' });
    expect((await cancel('TJN', 'hold-a', cardNo, 'c-2')).body.reason.code).toBe('RESERVATION_NOT_CANCELLABLE');
    // The seat is free again: the next holder gets it.
    const other = await issueCard(t, { transitFen: 20_000 });
    expect((await reserve(t, 'TJN', other, 'BJN', DAY)).body).toMatchObject({ trainNo: a.body.trainNo, car: a.body.car, seat: a.body.seat });
    const c = await reserve(t, 'TJN', cardNo, 'BJN', DAY, 'hold-c');
    expect(c.body.decision).toBe('ALLOW');
    expect((await cancel('TJN', 'hold-c', cardNo, 'c-3')).body.reason.code).toBe('CANCELLATION_LIMIT_REACHED');
    expect((await cancel('TJN', 'hold-c', other, 'c-4')).body.reason.code).toBe('RESERVATION_NOT_FOUND');
    expect((await cancel('TJN', 'no-such-slip', cardNo, 'c-5')).body.reason.code).toBe('RESERVATION_NOT_FOUND');
    // Tomorrow the card may cancel again at this station.
    t.clock.set(at('2026-03-03', '07:00'));
    expect((await reserve(t, 'TJN', cardNo, 'BJN', '2026-03-03', 'hold-d')).body.decision).toBe('ALLOW');
    expect((await cancel('TJN', 'hold-d', cardNo, 'c-6')).body.decision).toBe('ALLOW');
  });

  it('locks the card after two unused slips until an operator clears them', async () => {
    t.clock.set(at(DAY, '09:55'));
    const cardNo = await issueCard(t, { transitFen: 20_000 });
    expect((await reserve(t, 'BJN', cardNo, 'TJN', DAY, 'unused-1')).body.departsAt).toBe(`${DAY}T10:00:00.000+08:00`);
    t.clock.set(at(DAY, '10:05'));
    expect((await reserve(t, 'BJN', cardNo, 'TJN', DAY, 'unused-2')).body.departsAt).toBe(`${DAY}T10:30:00.000+08:00`);
    t.clock.set(at(DAY, '10:35'));
    expect((await reserve(t, 'BJN', cardNo, 'TJN', DAY, 'locked')).body).toMatchObject({ decision: 'DENY', reason: { code: 'TRANSIT_LOCKED' }, trainNo: null });
    expect((await tap(t, gateIn('BJN'), cardNo, at(DAY, '10:35'))).body.reason.code).toBe('TRANSIT_LOCKED');

    const cleared = await t.operator.post(`/v1/admin/transit/cards/${cardNo}/lock-clearance`, { clearanceId: 'window-1' });
    expect(cleared.body).toEqual({ decision: 'ALLOW', clearanceId: 'window-1', cardNo, clearedReservations: ['unused-1', 'unused-2'] });
    expect((await t.operator.post(`/v1/admin/transit/cards/${cardNo}/lock-clearance`, { clearanceId: 'window-2' })).body.reason.code).toBe('NO_UNUSED_SLIPS');
    expect((await t.auditor.post(`/v1/admin/transit/cards/${cardNo}/lock-clearance`, { clearanceId: 'window-3' })).status).toBe(403);
    const again = await reserve(t, 'BJN', cardNo, 'TJN', DAY, 'after-clearing');
    expect(again.body.decision).toBe('ALLOW');
    expect((await tap(t, gateIn('BJN'), cardNo, at(DAY, '10:36'))).body.decision).toBe('ALLOW');
  });

  it('refuses closed stations, dates out of range, and late evenings with no train left', async () => {
    t.clock.set(at(DAY, '22:50'));
    const cardNo = await issueCard(t, { transitFen: 20_000 });
    expect((await reserve(t, 'BJN', cardNo, 'YLE', DAY)).body.reason.code).toBe('STATION_NOT_IN_SERVICE');
    expect((await reserve(t, 'BJN', cardNo, 'TJN', '2026-03-04')).body.reason.code).toBe('TRAVEL_DATE_NOT_BOOKABLE');
    expect((await reserve(t, 'BJN', cardNo, 'TJN', '2026-03-01')).body.reason.code).toBe('TRAVEL_DATE_NOT_BOOKABLE');
    expect((await reserve(t, 'BJN', cardNo, 'TJN', DAY)).body.reason.code).toBe('NO_TRAIN_AVAILABLE');
    expect((await reserve(t, 'BJN', cardNo, 'TJN', '2026-03-03')).body).toMatchObject({ decision: 'ALLOW', departsAt: '2026-03-03T06:00:00.000+08:00' });
    const noApp = await issueCard(t, { transitApp: false });
    expect((await reserve(t, 'BJN', noApp, 'TJN', DAY)).body.reason.code).toBe('NO_TRANSIT_APPLICATION');
    expect((await reserve(t, 'BJN', 'T99999999', 'TJN', DAY)).body.reason.code).toBe('CARD_UNKNOWN');
  });

  it('answers 403 to a machine of another station or a gate, 400 to unknown stations', async () => {
    t.clock.set(at(DAY, '11:00'));
    const cardNo = await issueCard(t, { transitFen: 20_000 });
    const body = { reservationId: 'r-403', cardNo, fromStation: 'TJN', toStation: 'BJN', travelDate: DAY };
    expect((await t.terminal(seatMachine('BJN')).post('/v1/transit/seat-reservations', body)).status).toBe(403);
    expect((await t.terminal(gateIn('TJN')).post('/v1/transit/seat-reservations', body)).status).toBe(403);
    const unknown = await t.terminal(seatMachine('TJN')).post('/v1/transit/seat-reservations', { ...body, toStation: 'XXX' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ pointer: '/toStation', detail: 'unknown station XXX' }]);
    expect((await t.terminal(seatMachine('TJN')).post('/v1/transit/seat-reservations', { ...body, toStation: 'TJN' })).status).toBe(400);
    expect((await t.terminal(seatMachine('TJN')).post('/v1/transit/seat-reservations', { ...body, travelDate: '2026-02-30' })).status).toBe(400);
  });

  it('gives every seat of a train once when many machines reserve at the same moment, and a retried reservation its own seat', async () => {
    t.clock.set(at(DAY, '13:50'));
    const cards = await Promise.all(Array.from({ length: 24 }, () => issueCard(t, { transitFen: 20_000 })));
    // Leave 10 seats free on the first train: the rest of the machines go to the next one.
    const first = await reserve(t, 'BJN', cards[0]!, 'TJN', DAY, 'rush-0');
    expect(first.body.decision).toBe('ALLOW');
    await t.dataSource.query(
      `UPDATE transit.seats SET reservation_id = 'held-' || car || '-' || seat
       WHERE travel_date = $1 AND train_no = $2 AND reservation_id IS NULL
         AND (car, seat) NOT IN (SELECT car, seat FROM transit.seats WHERE travel_date = $1 AND train_no = $2 AND reservation_id IS NULL ORDER BY car, seat LIMIT 10)`,
      [DAY, first.body.trainNo],
    );
    const rush = await Promise.all(cards.slice(1).flatMap((cardNo, i) => [reserve(t, 'BJN', cardNo, 'TJN', DAY, `rush-${i + 1}`)]));
    const again = await Promise.all([1, 2, 3].map(() => reserve(t, 'BJN', cards[1]!, 'TJN', DAY, 'rush-1')));
    expect(rush.every((r) => r.status === 200 && r.body.decision === 'ALLOW')).toBe(true);
    const seats = rush.map((r) => `${r.body.trainNo}/${r.body.car}/${r.body.seat}`);
    expect(new Set(seats).size).toBe(seats.length);
    expect(rush.filter((r) => r.body.trainNo === first.body.trainNo)).toHaveLength(10);
    for (const r of again) expect(r.body).toEqual(rush[0]!.body);
    // One slip and one inventory seat per reservation.
    const [counts] = await t.dataSource.query(
      `SELECT (SELECT count(*) FROM transit.seat_slips WHERE reservation_id LIKE 'rush-%')::int AS slips,
              (SELECT count(*) FROM transit.seats WHERE reservation_id LIKE 'rush-%')::int AS seats`,
    );
    expect(counts).toEqual({ slips: 24, seats: 24 });
  });

  it('gives back the seat a refused reservation claimed', async () => {
    t.clock.set(at(DAY, '14:30'));
    const cardNo = await issueCard(t, { transitFen: 20_000 });
    expect((await reserve(t, 'BJN', cardNo, 'TJN', DAY, 'keep-1')).body.decision).toBe('ALLOW');
    // A second slip while one is held: refused, and the seat it claimed on the way is free again.
    expect((await reserve(t, 'BJN', cardNo, 'TJN', DAY, 'keep-2')).body.reason.code).toBe('SLIP_ALREADY_HELD');
    expect(await t.dataSource.query(`SELECT reservation_id FROM transit.seats WHERE reservation_id = 'keep-2'`)).toEqual([]);
    // Its replay claims nothing.
    expect((await reserve(t, 'BJN', cardNo, 'TJN', DAY, 'keep-2')).headers.get('idempotent-replayed')).toBe('true');
    expect(await t.dataSource.query(`SELECT reservation_id FROM transit.seats WHERE reservation_id = 'keep-2'`)).toEqual([]);
  });

  it('replays a seat choice from its journal record', async () => {
    t.clock.set(at(DAY, '12:00'));
    const cardNo = await issueCard(t, { transitFen: 20_000 });
    await reserve(t, 'WQI', cardNo, 'BJN', DAY, 'replay-slip');
    const res = await t.auditor.post('/v1/admin/decisions/replay-slip/replay?type=transit.seat-reservation', {});
    expect(res.body).toMatchObject({ match: true, recomputed: { decision: 'ALLOW', car: 5, terminus: 'BJN' } });
  });
});
