import { startTestApp, type TestApp } from '@test/support';
import { CLINICS, CODES, issueCard, line, setUpClinics, TERMINALS } from '../../testing/fixtures.js';

/**
 * Mutual recognition of lab and imaging results (检查检验结果互认): a recognisable item of the same
 * person done within the catalogue's window (30 days) at a participating institution is reused at
 * another participating institution and charged 0, unless the line carries an override.
 */
describe('result recognition across institutions and regions (real PostgreSQL)', () => {
  let t: TestApp;
  let cardNo: string;
  const request = (settlementId: string, items: unknown[], occurredAt: string) => ({
    settlementId,
    credential: { cardNo },
    visitType: 'OUTPATIENT',
    items,
    occurredAt,
  });
  const settle = (terminal: string, ...args: Parameters<typeof request>) => t.terminal(terminal).post('/v1/medical/settlements', request(...args));
  const preSettle = (terminal: string, ...args: Parameters<typeof request>) => t.terminal(terminal).post('/v1/medical/pre-settlements', request(...args));
  const results = async (settlementId: string) =>
    (await t.dataSource.query(`SELECT item_code, kind, institution_id, performed_on FROM medical.results WHERE settlement_id = $1 ORDER BY item_code`, [
      settlementId,
    ])) as Record<string, string>[];

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-02T10:00:00+08:00' });
    await setUpClinics(t);
    cardNo = await issueCard(t, { homeRegion: '12', scheme: 'EMPLOYEE' });
    // Day 0: a blood count and a CT at the Tianjin level-3 hospital (participating).
    const first = await settle(
      TERMINALS.TJ_L3,
      'st-rec-1',
      [line(CODES.CBC, 2500), line(CODES.CT, 30_000), line(CODES.METFORMIN, 1000)],
      '2026-03-02T09:00:00+08:00',
    );
    expect(first.body.items.map((i: { recognised: boolean }) => i.recognised)).toEqual([false, false, false]);
    t.clock.set('2026-04-02T10:00:00+08:00');
  });
  afterAll(() => t?.close());

  it('keeps the results of recognisable items done at a participating institution', async () => {
    expect(await results('st-rec-1')).toEqual([
      { item_code: CODES.CT, kind: 'imaging', institution_id: CLINICS.TJ_L3.venueId, performed_on: '2026-03-02' },
      { item_code: CODES.CBC, kind: 'lab', institution_id: CLINICS.TJ_L3.venueId, performed_on: '2026-03-02' },
    ]);
  });

  it('reuses a result on day 30 (to the last second, Asia/Shanghai) and not on day 31', async () => {
    // 2026-04-01T23:59:59+08:00 is day 30 after 2026-03-02; a second later is day 31.
    const day30 = await preSettle(TERMINALS.BJ_L3, 'st-rec-p30', [line(CODES.CBC, 2600)], '2026-04-01T15:59:59Z');
    expect(day30.body.items[0]).toMatchObject({
      code: CODES.CBC,
      recognised: true,
      amountFen: 0,
      fundFen: 0,
      cashFen: 0,
      recognisedResult: { code: CODES.CBC, settlementId: 'st-rec-1', institutionId: CLINICS.TJ_L3.venueId, performedOn: '2026-03-02' },
    });
    expect(day30.body.totalFen).toBe(0);
    const day31 = await preSettle(TERMINALS.BJ_L3, 'st-rec-p31', [line(CODES.CBC, 2600)], '2026-04-01T16:00:00Z');
    expect(day31.body.items[0]).toMatchObject({ recognised: false, amountFen: 2600, recognisedResult: null });
  });

  it('charges an item with an override and keeps its new result; the reused one stores none', async () => {
    const res = await settle(
      TERMINALS.BJ_L3,
      'st-rec-2',
      [line(CODES.CBC, 2600), line(CODES.CT, 32_000, 1, 'symptoms changed'), line(CODES.METFORMIN, 1000)],
      '2026-04-01T11:00:00+08:00',
    );
    expect(res.body.decision).toBe('ALLOW');
    expect(res.body.items.map((i: Record<string, unknown>) => [i.code, i.recognised, i.amountFen, i.overrideReason])).toEqual([
      [CODES.CBC, true, 0, null],
      [CODES.CT, false, 32_000, 'symptoms changed'],
      [CODES.METFORMIN, false, 1000, null],
    ]);
    expect(res.body.items[1].recognisedResult).toMatchObject({ settlementId: 'st-rec-1', performedOn: '2026-03-02' });
    expect(res.body.totalFen).toBe(33_000);
    expect(await results('st-rec-2')).toEqual([{ item_code: CODES.CT, kind: 'imaging', institution_id: CLINICS.BJ_L3.venueId, performed_on: '2026-04-01' }]);
  });

  it('does not apply recognition at an institution that does not take part, nor keep its results', async () => {
    const res = await settle(TERMINALS.HB_L2, 'st-rec-3', [line(CODES.CBC, 2400)], '2026-04-01T12:00:00+08:00');
    expect(res.body.items[0]).toMatchObject({ recognised: false, amountFen: 2400, recognisedResult: null });
    expect(await results('st-rec-3')).toEqual([]);
  });

  it('forgets the results of a reversed settlement', async () => {
    expect(
      (await t.terminal(TERMINALS.TJ_L3).post('/v1/medical/settlements/st-rec-1/reversal', { reversalId: 'rv-rec-1', reason: 'entered twice' })).body.decision,
    ).toBe('ALLOW');
    const res = await preSettle(TERMINALS.BJ_L3, 'st-rec-p4', [line(CODES.CBC, 2600)], '2026-04-01T12:00:00+08:00');
    expect(res.body.items[0]).toMatchObject({ recognised: false, amountFen: 2600 });
  });
});
