import { startTestApp, type TestApp } from '@test/support';
import { at, gateIn, gateOut, issueCard, reserve, revenueFen, setUpStations, tap, walletFen } from '../../testing/fixtures.js';

const DAY = '2026-03-02';

describe('gate taps (real PostgreSQL, signed HTTP)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ now: at(DAY, '07:50') });
    await setUpStations(t);
  });
  afterAll(() => t?.close());

  const journal = async (tapId: string) =>
    (
      await t.dataSource.query(
        `SELECT decision, reason_code, rule_set_id, rule_version, subject, event_time FROM ledger.journal WHERE command_type = 'transit.tap' AND command_id = $1`,
        [tapId],
      )
    )[0];

  /** A card with a seat slip on the 08:00 Beijing South → Tianjin train (terminus TJN, entry needs 5450). */
  async function riderWithSlip(transitFen: number, reservedAt = '07:50'): Promise<string> {
    t.clock.set(at(DAY, reservedAt));
    const cardNo = await issueCard(t, { transitFen });
    const slip = await reserve(t, 'BJN', cardNo, 'TJN', DAY);
    expect(slip.body).toMatchObject({
      decision: 'ALLOW',
      trainNo: expect.stringMatching(/^C20\d\d$/),
      departsAt: `${DAY}T08:00:00.000+08:00`,
      car: 5,
      terminus: 'TJN',
    });
    return cardNo;
  }

  it('opens a journey on entry and charges the Beijing South → Tianjin fare on exit, through the ledger', async () => {
    const cardNo = await riderWithSlip(50_000);
    const revenueBefore = await revenueFen(t);
    const entry = await tap(t, gateIn('BJN'), cardNo, at(DAY, '07:52'), 'in-1');
    expect(entry.status).toBe(200);
    expect(entry.body).toEqual({ decision: 'ALLOW', journeyId: expect.any(String), direction: 'IN', fareFen: 0, balanceFen: 50_000 });
    expect(await journal('in-1')).toMatchObject({ decision: 'ALLOW', rule_set_id: 'transit.jingjin', rule_version: 1, subject: cardNo });
    expect(new Date((await journal('in-1')).event_time).toISOString()).toBe(new Date(at(DAY, '07:52')).toISOString());

    t.clock.set(at(DAY, '08:40'));
    const exit = await tap(t, gateOut('TJN'), cardNo, at(DAY, '08:33'), 'out-1');
    expect(exit.body).toEqual({ decision: 'ALLOW', journeyId: entry.body.journeyId, direction: 'OUT', fareFen: 5450, balanceFen: 44_550 });
    expect(await walletFen(t, cardNo)).toBe(44_550);
    expect((await revenueFen(t)) - revenueBefore).toBe(5450);
    const [journey] = await t.dataSource.query(
      `SELECT status, exit_station, fare_fen, charged_fen, rule_version, train_no FROM transit.journeys WHERE journey_id = $1`,
      [entry.body.journeyId],
    );
    expect(journey).toMatchObject({ status: 'CLOSED', exit_station: 'TJN', fare_fen: 5450, charged_fen: 5450, rule_version: 1 });
    // The slip was used by the entry.
    expect((await t.dataSource.query(`SELECT status FROM transit.seat_slips WHERE card_no = $1`, [cardNo]))[0].status).toBe('USED');
  });

  it('lets in a balance exactly equal to the fare to the terminus and refuses one fen less', async () => {
    const exact = await riderWithSlip(5450);
    const short = await riderWithSlip(5449);
    expect((await tap(t, gateIn('BJN'), exact, at(DAY, '07:51'))).body).toMatchObject({ decision: 'ALLOW', balanceFen: 5450 });
    const refused = await tap(t, gateIn('BJN'), short, at(DAY, '07:51'));
    expect(refused.body).toMatchObject({
      decision: 'DENY',
      reason: { code: 'INSUFFICIENT_BALANCE' },
      journeyId: null,
      direction: 'IN',
      fareFen: 0,
      balanceFen: 5449,
    });
  });

  it('answers a retry with the same tapId from the journal and opens nothing new; another body is 409', async () => {
    const cardNo = await riderWithSlip(20_000);
    const first = await tap(t, gateIn('BJN'), cardNo, at(DAY, '07:53'), 'retry-in');
    const again = await tap(t, gateIn('BJN'), cardNo, at(DAY, '07:53'), 'retry-in');
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await tap(t, gateIn('BJN'), cardNo, at(DAY, '07:54'), 'retry-in')).status).toBe(409);
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM transit.journeys WHERE card_no = $1`, [cardNo]))[0].n).toBe(1);
  });

  it('calls a second tap at the same gate within 10 s DUPLICATE_TAP, at entry and at exit', async () => {
    const cardNo = await riderWithSlip(20_000);
    t.clock.set(at(DAY, '07:56'));
    const entry = await tap(t, gateIn('BJN'), cardNo, at(DAY, '07:55:00'), 'dup-in-1');
    expect((await tap(t, gateIn('BJN'), cardNo, at(DAY, '07:55:09'), 'dup-in-2')).body).toMatchObject({
      decision: 'DENY',
      reason: { code: 'DUPLICATE_TAP' },
      journeyId: entry.body.journeyId,
    });
    // At another entry gate it is not a repeat but a second entry.
    expect((await tap(t, gateIn('BJN', 2), cardNo, at(DAY, '07:55:05'), 'dup-in-3')).body.reason.code).toBe('JOURNEY_ALREADY_OPEN');
    t.clock.set(at(DAY, '08:40'));
    expect((await tap(t, gateOut('TJN'), cardNo, at(DAY, '08:35:00'), 'dup-out-1')).body).toMatchObject({ decision: 'ALLOW', fareFen: 5450 });
    expect((await tap(t, gateOut('TJN'), cardNo, at(DAY, '08:35:04'), 'dup-out-2')).body).toMatchObject({
      decision: 'DENY',
      reason: { code: 'DUPLICATE_TAP' },
    });
    expect((await tap(t, gateOut('TJN'), cardNo, at(DAY, '08:35:10'), 'dup-out-3')).body).toMatchObject({
      decision: 'DENY',
      reason: { code: 'NO_OPEN_JOURNEY' },
    });
    expect(await walletFen(t, cardNo)).toBe(20_000 - 5450);
  });

  it('frees an exit at the entry station within 20 minutes and charges the lowest fare from 20:00 on', async () => {
    const free = await riderWithSlip(20_000);
    const charged = await riderWithSlip(20_000);
    await tap(t, gateIn('BJN'), free, at(DAY, '07:55:00'));
    await tap(t, gateIn('BJN'), charged, at(DAY, '07:55:00'));
    t.clock.set(at(DAY, '08:20'));
    expect((await tap(t, gateOut('BJN'), free, at(DAY, '08:14:59'))).body).toMatchObject({ decision: 'ALLOW', fareFen: 0, balanceFen: 20_000 });
    expect((await tap(t, gateOut('BJN'), charged, at(DAY, '08:15:00'))).body).toMatchObject({ decision: 'ALLOW', fareFen: 950, balanceFen: 19_050 });
  });

  describe('every entry refusal, end to end', () => {
    it('refuses unknown, sealed and lost cards with the shared card reasons', async () => {
      t.clock.set(at(DAY, '09:00'));
      expect((await tap(t, gateIn('BJN'), 'T99999999', at(DAY, '09:00'))).body).toMatchObject({
        decision: 'DENY',
        reason: { code: 'CARD_UNKNOWN' },
        balanceFen: null,
      });
      const sealed = await issueCard(t, { status: 'SEALED', transitFen: 0 });
      expect((await tap(t, gateIn('BJN'), sealed, at(DAY, '09:00'))).body.reason.code).toBe('CARD_NOT_ACTIVE');
      const lost = await issueCard(t, { status: 'TEMPORARY_LOSS', transitFen: 0 });
      expect((await tap(t, gateIn('BJN'), lost, at(DAY, '09:00'))).body.reason.code).toBe('CARD_LOST');
    });

    it('refuses card products the rule data does not let ride, and cards without the rail application', async () => {
      const beijing = await issueCard(t, { issuingRegion: '11', transitApp: false });
      const secondGeneration = await issueCard(t, { generation: 2, transitApp: false });
      const noApp = await issueCard(t, { transitApp: false });
      expect((await tap(t, gateIn('BJN'), beijing, at(DAY, '09:00'))).body.reason.code).toBe('CARD_PRODUCT_NOT_ELIGIBLE');
      expect((await tap(t, gateIn('BJN'), secondGeneration, at(DAY, '09:00'))).body.reason.code).toBe('CARD_PRODUCT_NOT_ELIGIBLE');
      expect((await tap(t, gateIn('BJN'), noApp, at(DAY, '09:00'))).body.reason.code).toBe('NO_TRANSIT_APPLICATION');
    });

    it('refuses at Yongle, not in service under version 1, at entry and at exit', async () => {
      const cardNo = await issueCard(t, { transitFen: 20_000 });
      expect((await tap(t, gateIn('YLE'), cardNo, at(DAY, '09:00'))).body).toMatchObject({ decision: 'DENY', reason: { code: 'STATION_NOT_IN_SERVICE' } });
      expect((await tap(t, gateOut('YLE'), cardNo, at(DAY, '09:00'))).body).toMatchObject({ decision: 'DENY', reason: { code: 'STATION_NOT_IN_SERVICE' } });
    });

    it('refuses without a seat slip for a train leaving soon from this station', async () => {
      const none = await issueCard(t, { transitFen: 20_000 });
      expect((await tap(t, gateIn('BJN'), none, at(DAY, '09:00'))).body.reason.code).toBe('NO_SEAT_SLIP');
      t.clock.set(at(DAY, '09:00'));
      const elsewhere = await issueCard(t, { transitFen: 20_000 });
      expect((await reserve(t, 'TJN', elsewhere, 'BJN', DAY)).body.decision).toBe('ALLOW');
      expect((await tap(t, gateIn('BJN'), elsewhere, at(DAY, '09:01'))).body.reason.code).toBe('NO_SEAT_SLIP');
    });

    it('refuses a second entry while a journey is open, and a card blocked by an unresolved journey', async () => {
      const cardNo = await riderWithSlip(20_000);
      t.clock.set(at(DAY, '07:55'));
      const entry = await tap(t, gateIn('BJN'), cardNo, at(DAY, '07:55'));
      t.clock.set(at(DAY, '09:00'));
      expect((await tap(t, gateIn('TJN'), cardNo, at(DAY, '09:00'))).body).toMatchObject({
        decision: 'DENY',
        reason: { code: 'JOURNEY_ALREADY_OPEN' },
        journeyId: entry.body.journeyId,
      });
      t.clock.set(at(DAY, '12:00'));
      expect((await tap(t, gateIn('TJN'), cardNo, at(DAY, '11:56'))).body.reason.code).toBe('UNRESOLVED_JOURNEY');
      // Nor can it leave by a gate any more: the window resolves it.
      expect((await tap(t, gateOut('TJN'), cardNo, at(DAY, '11:57'))).body.reason.code).toBe('UNRESOLVED_JOURNEY');
    });

    it('refuses an exit the wallet cannot pay (the ride went past the terminus it paid entry for)', async () => {
      const cardNo = await riderWithSlip(6000);
      t.clock.set(at(DAY, '07:55'));
      const entry = await tap(t, gateIn('BJN'), cardNo, at(DAY, '07:55'));
      expect(entry.body.decision).toBe('ALLOW');
      t.clock.set(at(DAY, '09:30'));
      expect((await tap(t, gateOut('BHI'), cardNo, at(DAY, '09:25'))).body).toMatchObject({
        decision: 'DENY',
        reason: { code: 'INSUFFICIENT_BALANCE' },
        journeyId: entry.body.journeyId,
        balanceFen: 6000,
      });
      expect(await walletFen(t, cardNo)).toBe(6000);
      expect((await tap(t, gateOut('TJN'), cardNo, at(DAY, '09:26'))).body).toMatchObject({ decision: 'ALLOW', fareFen: 5450, balanceFen: 550 });
    });

    it('refuses a tap on a day no rule version covers', async () => {
      const cardNo = await issueCard(t, { transitFen: 20_000 });
      expect((await tap(t, gateIn('BJN'), cardNo, '2025-12-31T08:00:00+08:00')).body).toMatchObject({
        decision: 'DENY',
        reason: { code: 'RULES_NOT_IN_FORCE' },
      });
    });

    it('lets an unknown card out with CARD_UNKNOWN', async () => {
      expect((await tap(t, gateOut('TJN'), 'T99999998', at(DAY, '09:00'))).body).toMatchObject({
        decision: 'DENY',
        reason: { code: 'CARD_UNKNOWN' },
        direction: 'OUT',
      });
    });
  });

  describe('concurrency', () => {
    it('opens exactly one journey when the same card taps in at two gates at the same instant', async () => {
      for (let round = 0; round < 5; round++) {
        const cardNo = await riderWithSlip(20_000);
        t.clock.set(at(DAY, '07:56'));
        const answers = await Promise.all([
          tap(t, gateIn('BJN', 1), cardNo, at(DAY, '07:55'), `race-a-${round}`),
          tap(t, gateIn('BJN', 2), cardNo, at(DAY, '07:55'), `race-b-${round}`),
        ]);
        expect(answers.map((a) => a.body.decision).sort()).toEqual(['ALLOW', 'DENY']);
        expect(answers.find((a) => a.body.decision === 'DENY')!.body.reason.code).toBe('JOURNEY_ALREADY_OPEN');
        expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM transit.journeys WHERE card_no = $1`, [cardNo]))[0].n).toBe(1);
      }
    });

    it('charges once when an exit is retried concurrently with the same tapId', async () => {
      const cardNo = await riderWithSlip(20_000);
      t.clock.set(at(DAY, '07:56'));
      await tap(t, gateIn('BJN'), cardNo, at(DAY, '07:55'));
      t.clock.set(at(DAY, '08:40'));
      const answers = await Promise.all(Array.from({ length: 6 }, () => tap(t, gateOut('TJN'), cardNo, at(DAY, '08:35'), `race-out-${cardNo}`)));
      expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
      expect(answers[0]!.body).toMatchObject({ decision: 'ALLOW', fareFen: 5450, balanceFen: 14_550 });
      expect(await walletFen(t, cardNo)).toBe(14_550);
      expect(
        (
          await t.dataSource.query(`SELECT count(*)::int AS n FROM ledger.journal WHERE command_type = 'transit.tap' AND command_id = $1`, [
            `race-out-${cardNo}`,
          ])
        )[0].n,
      ).toBe(1);
    });
  });

  describe('terminal checks and bad input', () => {
    it('answers 403 to a terminal that is not a gate, or a gateId that is not the caller', async () => {
      const cardNo = await issueCard(t, { transitFen: 20_000 });
      const body = { tapId: 'forbidden-1', cardNo, gateId: 'BJN-S-1', tappedAt: at(DAY, '09:00') };
      expect((await t.terminal('BJN-S-1').post('/v1/transit/taps', body)).status).toBe(403);
      const claim = await t.terminal(gateIn('BJN')).post('/v1/transit/taps', { ...body, gateId: gateIn('TJN') });
      expect(claim.status).toBe(403);
      expect(claim.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM ledger.journal WHERE command_id = 'forbidden-1'`))[0].n).toBe(0);
    });

    it.each([
      [{ tappedAt: '2026-03-02T09:00:00' }, ['/tappedAt']],
      [{ tappedAt: '2026-03-02' }, ['/tappedAt']],
      [{ tappedAt: at(DAY, '09:05:01') }, ['/tappedAt']],
      [{ cardNo: 'X123' }, ['/cardNo']],
      [{ tapId: 'bad id!' }, ['/tapId']],
      [{ direction: 'IN' }, ['/direction']],
    ])('answers 400 naming the field for %j and writes nothing', async (change, pointers) => {
      t.clock.set(at(DAY, '09:00'));
      const body = { tapId: 'bad-input', cardNo: 'T00000018', gateId: gateIn('BJN'), tappedAt: at(DAY, '09:00'), ...change };
      const res = await t.terminal(gateIn('BJN')).post('/v1/transit/taps', body);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(pointers);
      expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM ledger.journal WHERE command_id = 'bad-input'`))[0].n).toBe(0);
    });
  });

  it('replays entry and exit decisions from their journal record with the recorded rule version', async () => {
    const cardNo = await riderWithSlip(20_000);
    t.clock.set(at(DAY, '07:56'));
    await tap(t, gateIn('BJN'), cardNo, at(DAY, '07:55'), `replay-in-${cardNo}`);
    await tap(t, gateIn('BJN'), cardNo, at(DAY, '07:55:03'), `replay-dup-${cardNo}`);
    t.clock.set(at(DAY, '08:40'));
    await tap(t, gateOut('WQI'), cardNo, at(DAY, '08:30'), `replay-out-${cardNo}`);
    for (const id of [`replay-in-${cardNo}`, `replay-dup-${cardNo}`, `replay-out-${cardNo}`]) {
      const res = await t.auditor.post(`/v1/admin/decisions/${id}/replay?type=transit.tap`, {});
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ match: true, commandType: 'transit.tap', ruleSet: { id: 'transit.jingjin', version: 1 } });
    }
    const out = await t.auditor.post(`/v1/admin/decisions/replay-out-${cardNo}/replay?type=transit.tap`, {});
    expect(out.body.recomputed).toEqual({ decision: 'ALLOW', fareFen: 3900, fareRule: 'fare.od-table' });
  });
});
