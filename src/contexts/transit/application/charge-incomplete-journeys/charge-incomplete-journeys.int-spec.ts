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

  const run = (asOf: string) =>
    t.get<CommandBus>(CommandBus).execute(new ChargeIncompleteJourneysCommand(new Date(asOf), 'test')) as Promise<IncompleteChargeRun>;

  /** Enters at Beijing South on the 08:00 train to Tianjin and never taps out. */
  async function enterAndVanish(transitFen: number): Promise<{ cardNo: string; journeyId: string }> {
    t.clock.set(at(DAY, '07:50'));
    const cardNo = await issueCard(t, { transitFen });
    expect((await reserve(t, 'BJN', cardNo, 'TJN', DAY)).body.decision).toBe('ALLOW');
    const entry = await tap(t, gateIn('BJN'), cardNo, at(DAY, '07:55'));
    expect(entry.body.decision).toBe('ALLOW');
    return { cardNo, journeyId: entry.body.journeyId };
  }

  it('blocks entry, then charges the fare to the farthest station seven days after entry, once', async () => {
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
      farthestStation: 'BHI',
      fareFen: 7550,
      chargedFen: 7550,
      shortfallFen: 0,
      replayed: false,
    });
    expect(await walletFen(t, cardNo)).toBe(20_000 - 7550);
    const [j] = await t.dataSource.query(
      `SELECT decision, rule_set_id, rule_version, subject, event_time FROM ledger.journal WHERE command_type = 'transit.incomplete-charge' AND command_id = $1`,
      [journeyId],
    );
    expect(j).toMatchObject({ decision: 'ALLOW', rule_set_id: 'transit.jingjin', rule_version: 1, subject: cardNo });
    expect(new Date(j.event_time).toISOString()).toBe(new Date(at('2026-03-09', '07:55')).toISOString());
    const [journey] = await t.dataSource.query(`SELECT status, exit_station, fare_fen, charged_fen, closed_by FROM transit.journeys WHERE journey_id = $1`, [
      journeyId,
    ]);
    expect(journey).toEqual({ status: 'INCOMPLETE_CHARGED', exit_station: 'BHI', fare_fen: 7550, charged_fen: 7550, closed_by: 'INCOMPLETE_CHARGE' });

    // Idempotent: the next hour, a CLI run for the same date, and the admin endpoint charge nothing more.
    t.clock.set(at('2026-03-09', '09:00'));
    await t.get<IncompleteJourneyScheduler>(IncompleteJourneyScheduler).tick();
    expect((await run(at('2026-03-10', '00:00'))).charges.filter((c) => c.journeyId === journeyId)).toEqual([]);
    const viaApi = await t.operator.post('/v1/admin/transit/incomplete-charges', { asOf: at('2026-03-10', '00:00') });
    expect(viaApi.status).toBe(200);
    expect(viaApi.body.charges.filter((c: { journeyId: string }) => c.journeyId === journeyId)).toEqual([]);
    expect(await walletFen(t, cardNo)).toBe(20_000 - 7550);
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM ledger.journal WHERE command_id = $1`, [journeyId]))[0].n).toBe(1);
    // And the card may ride again.
    t.clock.set(at('2026-03-10', '07:50'));
    expect((await reserve(t, 'BJN', cardNo, 'TJN', '2026-03-10')).body.decision).toBe('ALLOW');
    expect((await tap(t, gateIn('BJN'), cardNo, at('2026-03-10', '07:55'))).body.decision).toBe('ALLOW');
    expect((await t.auditor.post(`/v1/admin/decisions/${journeyId}/replay?type=transit.incomplete-charge`, {})).body.match).toBe(true);
  });

  it('takes what the wallet holds when it cannot cover the farthest fare, and records the shortfall', async () => {
    const { cardNo, journeyId } = await enterAndVanish(5450);
    const result = await run(at('2026-03-09', '08:00'));
    expect(result.charges.find((c) => c.journeyId === journeyId)).toMatchObject({ fareFen: 7550, chargedFen: 5450, shortfallFen: 2100 });
    expect(await walletFen(t, cardNo)).toBe(0);
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
