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
    (await t.dataSource.query(`SELECT decision, reason_code, rule_set_id, rule_version, subject, event_time FROM ledger.journal WHERE command_type = 'transit.tap' AND command_id = $1`, [tapId]))[0];

  /** A card with a seat slip on the 08:00 Beijing South → Tianjin train (terminus TJN, entry needs 5450). */
  async function riderWithSlip(transitFen: number, reservedAt = '07:50'): Promise<string> {
    t.clock.set(at(DAY, reservedAt));
    const cardNo = await issueCard(t, { transitFen });
    const slip = await reserve(t, 'BJN', cardNo, 'TJN', DAY);
    expect(slip.body).toMatchObject({ decision: 'ALLOW', trainNo: expect.stringMatching(/^C20\d\d$/), departsAt: `${DAY}T08:00:00.000+08:00`, car: 5, terminus: 'TJN' });
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
    const [journey] = await t.dataSource.query(`SELECT status, exit_station, fare_fen, charged_fen, rule_version, train_no FROM transit.journeys WHERE journey_id = $1`, [entry.body.journeyId]);
    expect(journey).toMatchObject({ status: 'CLOSED', exit_station: 'TJN', fare_fen: 5450, charged_fen: 5450, rule_version: 1 });
    // The slip was used by the entry.
    expect((await t.dataSource.query(`SELECT status FROM transit.seat_slips WHERE card_no = $1`, [cardNo]))[0].status).toBe('USED');
  });

  it('lets in a balance exactly equal to the fare to the terminus and refuses one fen less', async () => {
    const exact = await riderWithSlip(5450);
    const short = await riderWithSlip(5449);
    expect((await tap(t, gateIn('BJN'), exact, at(DAY, '07:51'))).body).toMatchObject({ decision: 'ALLOW', balanceFen: 5450 });
    const refused = await tap(t, gateIn('BJN'), short, at(DAY, '07:51'));
    expect(refused.body).toMatchObject({ decision: 'DENY', reason: { code: 'INSUFFICIENT_BALANCE' }, journeyId: null, direction: 'IN', fareFen: 0, balanceFen: 5449 });
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
    expect((await tap(t, gateIn('BJN'), cardNo, at(DAY, '07:55:09'), 'dup-in-2')).body).toMatchObject({ decision: 'DENY', reason: { code: 'DUPLICATE_TAP' }, journeyId: entry.body.journeyId });
    // At another entry gate it is not a repeat but a second entry.
    expect((await tap(t, gateIn('BJN', 2), cardNo, at(DAY, '07:55:05'), 'dup-in-3')).body.reason.code).toBe('JOURNEY_ALREADY_OPEN');
    t.clock.set(at(DAY, '08:40'));
    expect((await tap(t, gateOut('TJN'), cardNo, at(DAY, '08:35:00'), 'dup-out-1')).body).toMatchObject({ decision: 'ALLOW', fareFen: 5450 });
    expect((await tap(t, gateOut('TJN'), cardNo, at(DAY, '08:35:04'), 'dup-out-2')).body).toMatchObject({ decision: 'DENY', reason: { code: 'DUPLICATE_TAP' } });
    expect((await tap(t, gateOut('TJN'), cardNo, at(DAY, '08:35:10'), 'dup-out-3')).body).toMatchObject({ decision: 'DENY', reason: { code: 'NO_OPEN_JOURNEY' } });
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
});
