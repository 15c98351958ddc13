import { startTestApp, type TestApp } from '@test/support';
import { at, gateIn, gateOut, issueCard, reserve, setUpStations, tap, walletFen } from '../../testing/fixtures.js';

const DAY = '2026-03-02';

describe('offline batch upload (real PostgreSQL, signed HTTP)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ now: at(DAY, '06:00') });
    await setUpStations(t);
  });
  afterAll(() => t?.close());

  const upload = (gateId: string, taps: { tapId: string; cardNo: string; tappedAt: string; gateId?: string }[]) =>
    t.terminal(gateId).post('/v1/transit/taps:batch', { taps: taps.map((x) => ({ gateId, ...x })) });

  async function riderWithSlip(transitFen: number, reservedAt: string, from = 'BJN', to = 'TJN'): Promise<string> {
    t.clock.set(at(DAY, reservedAt));
    const cardNo = await issueCard(t, { transitFen });
    expect((await reserve(t, from, cardNo, to, DAY)).body.decision).toBe('ALLOW');
    return cardNo;
  }

  it("processes each card's taps in tappedAt order whatever the upload order, answering in input order", async () => {
    const a = await riderWithSlip(20_000, '07:50');
    const b = await riderWithSlip(20_000, '07:50');
    t.clock.set(at(DAY, '09:00'));
    // Card a tapped at 07:52 and again at 07:58 (a second entry while in); b at 07:55. Uploaded newest first.
    const res = await upload(gateIn('BJN'), [
      { tapId: 'b-in', cardNo: b, tappedAt: at(DAY, '07:55') },
      { tapId: 'a-in-2', cardNo: a, tappedAt: at(DAY, '07:58') },
      { tapId: 'a-in-1', cardNo: a, tappedAt: at(DAY, '07:52') },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.taps.map((x: any) => [x.tapId, x.decision, x.reason?.code ?? null])).toEqual([
      ['b-in', 'ALLOW', null],
      ['a-in-2', 'DENY', 'JOURNEY_ALREADY_OPEN'],
      ['a-in-1', 'ALLOW', null],
    ]);
    // Each decision was taken as of its own tappedAt.
    const [journey] = await t.dataSource.query(`SELECT entry_tap_id, entry_at FROM transit.journeys WHERE card_no = $1`, [a]);
    expect(journey.entry_tap_id).toBe('a-in-1');
    expect(new Date(journey.entry_at).toISOString()).toBe(new Date(at(DAY, '07:52')).toISOString());
  });

  it("closes the journey when the exit gate's batch arrives before the entry gate's: same charge as the other order", async () => {
    const late = await riderWithSlip(20_000, '07:50');
    const inOrder = await riderWithSlip(20_000, '07:50');
    t.clock.set(at(DAY, '10:00'));
    // Exit gate uploads first: the exit finds no journey and is kept.
    const exits = await upload(gateOut('WQI'), [{ tapId: 'late-out', cardNo: late, tappedAt: at(DAY, '08:25') }]);
    expect(exits.body.taps[0]).toMatchObject({ decision: 'DENY', reason: { code: 'NO_OPEN_JOURNEY' }, fareFen: 0 });
    expect(await walletFen(t, late)).toBe(20_000);
    const entries = await upload(gateIn('BJN'), [{ tapId: 'late-in', cardNo: late, tappedAt: at(DAY, '07:55') }]);
    expect(entries.body.taps[0]).toMatchObject({ decision: 'ALLOW', direction: 'IN', fareFen: 3900, balanceFen: 16_100 });
    const [journey] = await t.dataSource.query(`SELECT status, exit_station, exit_tap_id, fare_fen FROM transit.journeys WHERE card_no = $1`, [late]);
    expect(journey).toEqual({ status: 'CLOSED', exit_station: 'WQI', exit_tap_id: 'late-out', fare_fen: 3900 });

    // The same trip with the batches the other way round charges the same.
    await upload(gateIn('BJN'), [{ tapId: 'order-in', cardNo: inOrder, tappedAt: at(DAY, '07:55') }]);
    const out = await upload(gateOut('WQI'), [{ tapId: 'order-out', cardNo: inOrder, tappedAt: at(DAY, '08:25') }]);
    expect(out.body.taps[0]).toMatchObject({ decision: 'ALLOW', fareFen: 3900, balanceFen: 16_100 });
    expect(await walletFen(t, late)).toBe(await walletFen(t, inOrder));
  });

  it('is idempotent per tapId: a tap sent online and again in a batch, or a batch uploaded twice, is one command', async () => {
    const cardNo = await riderWithSlip(20_000, '16:20');
    t.clock.set(at(DAY, '16:31'));
    const online = await tap(t, gateIn('BJN'), cardNo, at(DAY, '16:30'), 'online-then-batch');
    const batch = [
      { tapId: 'online-then-batch', cardNo, tappedAt: at(DAY, '16:30') },
      { tapId: 'batch-dup', cardNo, tappedAt: at(DAY, '16:30:05') },
    ];
    const first = await upload(gateIn('BJN'), batch);
    expect(first.body.taps[0]).toEqual({ tapId: 'online-then-batch', replayed: true, ...online.body });
    expect(first.body.taps[1]).toMatchObject({ decision: 'DENY', reason: { code: 'DUPLICATE_TAP' }, replayed: false });
    const second = await upload(gateIn('BJN'), batch);
    expect(second.body.taps.map((x: any) => x.replayed)).toEqual([true, true]);
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM transit.journeys WHERE card_no = $1`, [cardNo]))[0].n).toBe(1);
  });

  it('answers a tapId reused with another body with a 409 problem in its place, and processes the rest', async () => {
    const cardNo = await issueCard(t, { transitFen: 20_000 });
    t.clock.set(at(DAY, '17:00'));
    await tap(t, gateIn('TJN'), cardNo, at(DAY, '16:59'), 'reused-id');
    const res = await upload(gateIn('TJN'), [
      { tapId: 'reused-id', cardNo, tappedAt: at(DAY, '16:58') },
      { tapId: 'fresh-id', cardNo, tappedAt: at(DAY, '16:57') },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.taps[0]).toMatchObject({ tapId: 'reused-id', problem: { status: 409, type: '/problems/idempotency-conflict' } });
    expect(res.body.taps[1]).toMatchObject({ tapId: 'fresh-id', decision: 'DENY', reason: { code: 'NO_SEAT_SLIP' } });
  });

  it('refuses a batch naming another gate (403) and malformed batches (400) without writing', async () => {
    const cardNo = await issueCard(t, { transitFen: 20_000 });
    t.clock.set(at(DAY, '18:00'));
    const count = async () => (await t.dataSource.query(`SELECT count(*)::int AS n FROM ledger.journal WHERE command_type = 'transit.tap'`))[0].n;
    const before = await count();
    const foreign = await upload(gateIn('BJN'), [
      { tapId: 'f-1', cardNo, tappedAt: at(DAY, '17:00') },
      { tapId: 'f-2', cardNo, tappedAt: at(DAY, '17:01'), gateId: gateOut('BJN') },
    ]);
    expect(foreign.status).toBe(403);
    // Malformed taps fail schema validation, each named by its pointer.
    const malformed = await upload(gateIn('BJN'), [
      { tapId: 'ok-1', cardNo, tappedAt: at(DAY, '17:00') },
      { tapId: 'bad-1', cardNo, tappedAt: '2026-03-02T17:00:00' },
      { tapId: 'bad id', cardNo: 'X1', tappedAt: at(DAY, '17:00') },
    ]);
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/taps/1/tappedAt', '/taps/2/cardNo', '/taps/2/tapId']);
    // Well-formed but impossible: a tap from the future, one tapId twice with different contents.
    const inconsistent = await upload(gateIn('BJN'), [
      { tapId: 'ok-1', cardNo, tappedAt: at(DAY, '17:00') },
      { tapId: 'bad-2', cardNo, tappedAt: at(DAY, '18:05:01') },
      { tapId: 'ok-1', cardNo, tappedAt: at(DAY, '17:02') },
    ]);
    expect(inconsistent.status).toBe(400);
    expect(inconsistent.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/taps/1/tappedAt', '/taps/2/tapId']);
    // More than 1,000 taps: refused before anything runs (400 by the schema, or 413 by the platform's body limit first).
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({ tapId: `m${i}`, cardNo, tappedAt: '2026-03-02T09:00Z' }));
    expect([400, 413]).toContain((await upload(gateIn('BJN'), tooMany)).status);
    expect((await upload(gateIn('BJN'), [])).status).toBe(400);
    expect((await t.terminal(gateIn('BJN')).post('/v1/transit/taps:batch', { taps: [], extra: 1 })).status).toBe(400);
    expect(await count()).toBe(before);
  });

  // 1,000 taps with long ids are well over the platform's 64 KiB default: the batch route allows 512 KiB.
  it('takes a full upload of 1,000 taps, each answered in input order, and refuses a body over its limit with 413', async () => {
    t.clock.set(at(DAY, '20:00'));
    const cards: string[] = [];
    for (let i = 0; i < 5; i++) cards.push(await issueCard(t, { transitFen: 0, transitApp: false }));
    const taps = Array.from({ length: 1000 }, (_, i) => ({
      tapId: `offline-upload-2026-03-02-tap-${String(i).padStart(6, '0')}`,
      cardNo: cards[i % 5]!,
      tappedAt: new Date(Date.parse(at(DAY, '19:00')) + i * 1000).toISOString(),
    }));
    expect(JSON.stringify({ taps }).length).toBeGreaterThan(100 * 1024);
    const res = await upload(gateIn('TJN'), taps);
    expect(res.status).toBe(200);
    expect(res.body.taps).toHaveLength(1000);
    expect(res.body.taps.every((x: any, i: number) => x.tapId === taps[i]!.tapId && x.reason.code === 'NO_TRANSIT_APPLICATION')).toBe(true);

    const huge = await t
      .terminal(gateIn('TJN'))
      .post('/v1/transit/taps:batch', { taps: [{ tapId: 'x', cardNo: cards[0], tappedAt: at(DAY, '19:00'), pad: 'y'.repeat(600 * 1024) }] });
    expect(huge.status).toBe(413);
    expect(huge.headers.get('content-type')).toContain('application/problem+json');
  }, 180_000);
});
