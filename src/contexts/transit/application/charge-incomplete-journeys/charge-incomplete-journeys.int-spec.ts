import { CommandBus } from '@nestjs/cqrs';
import { startTestApp, type TestApp } from '@test/support';
import { IncompleteJourneyScheduler } from '../../infrastructure/incomplete-journey.scheduler.js';
import { at, gateIn, gateOut, issueCard, reserve, setUpStations, tap, walletFen } from '../../testing/fixtures.js';
import { ChargeIncompleteJourneysCommand, type IncompleteChargeRun } from './charge-incomplete-journeys.command.js';

const DAY = '2026-03-02';

describe('missing tap-out: the 7-day charge and resolution at a window (real PostgreSQL, manual clock)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ now: at(DAY, '07:50') });
    await setUpStations(t);
  });
  afterAll(() => t?.close());

  const runAsOf = (asOf: string) =>
    t.get<CommandBus>(CommandBus).execute(new ChargeIncompleteJourneysCommand(new Date(asOf), 'test')) as Promise<IncompleteChargeRun>;
  /** The job as the CLI or an operator runs it once the business clock has reached `asOf`. */
  const run = (asOf: string) => {
    t.clock.set(asOf);
    return runAsOf(asOf);
  };

  /** Enters at Beijing South on the 08:00 train to Tianjin (C2013, which ends there) and never taps out. */
  async function enterAndVanish(transitFen: number): Promise<{ cardNo: string; journeyId: string }> {
    t.clock.set(at(DAY, '07:50'));
    const cardNo = await issueCard(t, { transitFen });
    const slip = await reserve(t, 'BJN', cardNo, 'TJN', DAY);
    expect(slip.body).toMatchObject({ decision: 'ALLOW', trainNo: 'C2013', terminus: 'TJN' });
    const entry = await tap(t, gateIn('BJN'), cardNo, at(DAY, '07:55'));
    expect(entry.body.decision).toBe('ALLOW');
    return { cardNo, journeyId: entry.body.journeyId };
  }

  it('blocks entry, then charges the fare to the terminus of the train entered for seven days after entry, once', async () => {
    const { cardNo, journeyId } = await enterAndVanish(20_000);
    t.clock.set(at('2026-03-04', '07:30'));
    expect((await tap(t, gateIn('BJN'), cardNo, at('2026-03-04', '07:30'))).body.reason.code).toBe('UNRESOLVED_JOURNEY');
    const unresolved = await t.auditor.get(`/v1/admin/transit/journeys?status=UNRESOLVED&from=${DAY}&to=2026-03-04`);
    expect(unresolved.body.rows.map((j: { journeyId: string }) => j.journeyId)).toContain(journeyId);

    // One minute short of seven days: nothing yet.
    expect((await run(at('2026-03-09', '07:54'))).charges.filter((c) => c.journeyId === journeyId)).toEqual([]);
    // The hourly scheduler, on the business clock.
    t.clock.set(at('2026-03-09', '08:00'));
    const scheduled = await t.get<IncompleteJourneyScheduler>(IncompleteJourneyScheduler).tick();
    expect(scheduled!.charges.find((c) => c.journeyId === journeyId)).toEqual({
      journeyId,
      cardNo,
      decision: 'ALLOW',
      reasonCode: null,
      terminus: 'TJN',
      fareFen: 5450,
      chargedFen: 5450,
      shortfallFen: 0,
      replayed: false,
    });
    expect(await walletFen(t, cardNo)).toBe(20_000 - 5450);
    const [j] = await t.dataSource.query(
      `SELECT decision, rule_set_id, rule_version, subject, event_time FROM ledger.journal WHERE command_type = 'transit.incomplete-charge' AND command_id = $1`,
      [journeyId],
    );
    expect(j).toMatchObject({ decision: 'ALLOW', rule_set_id: 'transit.jingjin', rule_version: 1, subject: cardNo });
    expect(new Date(j.event_time).toISOString()).toBe(new Date(at('2026-03-09', '07:55')).toISOString());
    const [journey] = await t.dataSource.query(`SELECT status, exit_station, fare_fen, charged_fen, closed_by FROM transit.journeys WHERE journey_id = $1`, [
      journeyId,
    ]);
    expect(journey).toEqual({ status: 'INCOMPLETE_CHARGED', exit_station: 'TJN', fare_fen: 5450, charged_fen: 5450, closed_by: 'INCOMPLETE_CHARGE' });

    // Idempotent: the next hour, a CLI run for the same date, and the admin endpoint charge nothing more.
    t.clock.set(at('2026-03-09', '09:00'));
    await t.get<IncompleteJourneyScheduler>(IncompleteJourneyScheduler).tick();
    expect((await run(at('2026-03-10', '00:00'))).charges.filter((c) => c.journeyId === journeyId)).toEqual([]);
    const viaApi = await t.operator.post('/v1/admin/transit/incomplete-charges', { asOf: at('2026-03-10', '00:00') });
    expect(viaApi.status).toBe(200);
    expect(viaApi.body.charges.filter((c: { journeyId: string }) => c.journeyId === journeyId)).toEqual([]);
    expect(await walletFen(t, cardNo)).toBe(20_000 - 5450);
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM ledger.journal WHERE command_id = $1`, [journeyId]))[0].n).toBe(1);
    // And the card may ride again.
    t.clock.set(at('2026-03-10', '07:50'));
    expect((await reserve(t, 'BJN', cardNo, 'TJN', '2026-03-10')).body.decision).toBe('ALLOW');
    expect((await tap(t, gateIn('BJN'), cardNo, at('2026-03-10', '07:55'))).body.decision).toBe('ALLOW');
    expect((await t.auditor.post(`/v1/admin/decisions/${journeyId}/replay?type=transit.incomplete-charge`, {})).body.match).toBe(true);
  });

  it('takes what the wallet holds when it cannot cover the fare (the card was replaced meanwhile), and records the shortfall', async () => {
    const { cardNo, journeyId } = await enterAndVanish(6000);
    t.clock.set(at('2026-03-03', '10:00'));
    // The holder reports the card lost and gets a replacement: the old card's wallet moves to the new card.
    expect((await t.operator.post(`/v1/admin/cards/${cardNo}/status`, { operation: 'FORMAL_LOSS' })).status).toBe(200);
    expect((await t.operator.post(`/v1/admin/cards/${cardNo}/replacement`, {})).status).toBe(201);
    expect(await walletFen(t, cardNo)).toBe(0);
    t.clock.set(at('2026-03-09', '08:00'));
    const result = await run(at('2026-03-09', '08:00'));
    expect(result.charges.find((c) => c.journeyId === journeyId)).toMatchObject({ terminus: 'TJN', fareFen: 5450, chargedFen: 0, shortfallFen: 5450 });
  });

  it('charges an entry at Yizhuang for a train to Beijing South the 9.5 yuan to Beijing South, not 65.5 to Binhai (issue 12 §8)', async () => {
    t.clock.set(at(DAY, '07:30'));
    const cardNo = await issueCard(t, { transitFen: 20_000 });
    expect((await reserve(t, 'YZH', cardNo, 'BJN', DAY)).body).toMatchObject({ decision: 'ALLOW', trainNo: 'C2014', terminus: 'BJN' });
    t.clock.set(at(DAY, '08:00'));
    const entry = await tap(t, gateIn('YZH'), cardNo, at(DAY, '08:00'));
    expect(entry.body).toMatchObject({ decision: 'ALLOW', direction: 'IN' });
    t.clock.set(at('2026-03-09', '09:00'));
    const charge = (await run(at('2026-03-09', '09:00'))).charges.find((c) => c.journeyId === entry.body.journeyId);
    expect(charge).toMatchObject({ decision: 'ALLOW', terminus: 'BJN', fareFen: 950, chargedFen: 950, shortfallFen: 0 });
    expect(await walletFen(t, cardNo)).toBe(20_000 - 950);
    const replay = await t.auditor.post(`/v1/admin/decisions/${entry.body.journeyId}/replay?type=transit.incomplete-charge`, {});
    expect(replay.body.match).toBe(true);

    // The station-pair report marks it as a charged missing tap-out, apart from journeys really travelled.
    const cardTwo = await issueCard(t, { transitFen: 20_000 });
    t.clock.set(at(DAY, '07:30'));
    expect((await reserve(t, 'YZH', cardTwo, 'BJN', DAY)).body.decision).toBe('ALLOW');
    t.clock.set(at(DAY, '08:01'));
    const inTwo = await tap(t, gateIn('YZH'), cardTwo, at(DAY, '08:01'));
    expect(inTwo.body.decision).toBe('ALLOW');
    t.clock.set(at(DAY, '08:40'));
    expect((await tap(t, gateOut('BJN'), cardTwo, at(DAY, '08:35'))).body.decision).toBe('ALLOW');
    t.clock.set(at('2026-03-09', '09:00'));
    const report = await t.auditor.get(`/v1/admin/transit/reports/od-pairs?from=${DAY}&to=${DAY}`);
    expect(report.status).toBe(200);
    const fromYizhuang = report.body.rows.filter((r: { fromStation: string }) => r.fromStation === 'YZH');
    expect(fromYizhuang).toEqual([
      { date: DAY, fromStation: 'YZH', toStation: 'BJN', journeys: 1, fareFen: 950, incompleteCharged: false },
      { date: DAY, fromStation: 'YZH', toStation: 'BJN', journeys: 1, fareFen: 950, incompleteCharged: true },
    ]);
    expect(report.body.rows.some((r: { toStation: string }) => r.toStation === 'BHI')).toBe(false);
  });

  it('refuses to run ahead of the service clock: a future asOf is a 400 and charges nothing (issue 12 §8)', async () => {
    const { cardNo, journeyId } = await enterAndVanish(20_000);
    t.clock.set(at('2026-03-03', '12:00'));
    const ahead = await t.operator.post('/v1/admin/transit/incomplete-charges', { asOf: at('2026-03-20', '00:00') });
    expect(ahead.status).toBe(400);
    expect(ahead.headers.get('content-type')).toContain('application/problem+json');
    expect(ahead.body.errors).toEqual([{ pointer: '/asOf', detail: expect.stringContaining('after the service clock') }]);
    await expect(runAsOf(at('2026-03-20', '00:00'))).rejects.toMatchObject({ problem: { status: 400 } });
    expect(await walletFen(t, cardNo)).toBe(20_000);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM ledger.journal WHERE command_type = 'transit.incomplete-charge' AND command_id = $1`,
      [journeyId],
    );
    expect(n).toBe(0);
    // As of now it is a normal run.
    expect((await t.operator.post('/v1/admin/transit/incomplete-charges', { asOf: at('2026-03-03', '12:00') })).status).toBe(200);
  });

  it('lets an operator resolve an open journey at a window with the exit station the holder names', async () => {
    const { cardNo, journeyId } = await enterAndVanish(20_000);
    t.clock.set(at('2026-03-03', '10:00'));
    const resolved = await t.operator.post(`/v1/admin/transit/journeys/${journeyId}/resolution`, { resolutionId: 'window-r1', exitStation: 'WQI' });
    expect(resolved.body).toEqual({ decision: 'ALLOW', resolutionId: 'window-r1', journeyId, exitStation: 'WQI', fareFen: 3900, balanceFen: 16_100 });
    expect(
      (await t.operator.post(`/v1/admin/transit/journeys/${journeyId}/resolution`, { resolutionId: 'window-r2', exitStation: 'TJN' })).body.reason.code,
    ).toBe('JOURNEY_NOT_OPEN');
    expect((await t.operator.post(`/v1/admin/transit/journeys/${journeyId}/resolution`, { resolutionId: 'window-r1', exitStation: 'TJN' })).status).toBe(409);
    expect(await walletFen(t, cardNo)).toBe(16_100);
    // The missing tap-out job leaves it alone.
    expect((await run(at('2026-03-10', '00:00'))).charges.filter((c) => c.journeyId === journeyId)).toEqual([]);
    const history = await t.auditor.get(`/v1/admin/transit/cards/${cardNo}/journeys`);
    expect(history.body[0]).toMatchObject({
      journeyId,
      status: 'RESOLVED',
      exitStation: 'WQI',
      fareFen: 3900,
      closedBy: 'OPERATOR',
      ruleSet: { id: 'transit.jingjin', version: 1 },
    });
    expect((await t.auditor.post('/v1/admin/decisions/window-r1/replay?type=transit.journey-resolution', {})).body.match).toBe(true);
  });

  it('refuses a resolution the wallet cannot pay, unknown journeys and stations', async () => {
    const { journeyId } = await enterAndVanish(5450);
    t.clock.set(at('2026-03-03', '10:00'));
    const post = (id: string, body: object) => t.operator.post(`/v1/admin/transit/journeys/${id}/resolution`, body);
    expect((await post(journeyId, { resolutionId: 'w-short', exitStation: 'BHI' })).body).toMatchObject({
      decision: 'DENY',
      reason: { code: 'INSUFFICIENT_BALANCE' },
      balanceFen: 5450,
    });
    expect((await post('00000000-0000-4000-8000-000000000000', { resolutionId: 'w-none', exitStation: 'TJN' })).status).toBe(404);
    expect((await post(journeyId, { resolutionId: 'w-bad', exitStation: 'XXX' })).status).toBe(400);
    expect((await post('not-a-uuid', { resolutionId: 'w-bad2', exitStation: 'TJN' })).status).toBe(400);
  });

  it('leaves a journey closed by a tap before its seventh day alone', async () => {
    const { cardNo, journeyId } = await enterAndVanish(20_000);
    t.clock.set(at(DAY, '08:40'));
    expect((await tap(t, gateOut('TJN'), cardNo, at(DAY, '08:35'))).body.decision).toBe('ALLOW');
    expect((await run(at('2026-03-20', '00:00'))).charges.filter((c) => c.journeyId === journeyId)).toEqual([]);
  });
});
