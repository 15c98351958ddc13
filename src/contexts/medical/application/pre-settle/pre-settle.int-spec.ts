import { startTestApp, type TestApp } from '@test/support';
import { CODES, issueCard, line, setUpClinics, TERMINALS, topUpPersonal } from '../../testing/fixtures.js';

describe('POST /v1/medical/pre-settlements (试算): the same computation, nothing written', () => {
  let t: TestApp;
  let cardNo: string;
  const AT = '2026-03-02T09:30:00+08:00';
  const bill = (settlementId: string, credential: Record<string, string>) => ({
    settlementId,
    credential,
    visitType: 'OUTPATIENT',
    items: [line(CODES.CBC, 2500), line(CODES.METFORMIN, 1000, 100), line(CODES.ATORVASTATIN, 3333, 3)],
    occurredAt: AT,
  });
  /** Every table a settlement writes. */
  const state = async () =>
    (
      await t.dataSource.query(`
        SELECT (SELECT count(*) FROM ledger.journal)::int AS journal, (SELECT count(*) FROM ledger.entries)::int AS entries,
               (SELECT coalesce(sum(version), 0)::bigint FROM ledger.balances) AS balance_versions,
               (SELECT count(*) FROM medical.settlements)::int AS settlements, (SELECT count(*) FROM medical.accumulators)::int AS accumulators,
               (SELECT count(*) FROM medical.results)::int AS results, (SELECT count(*) FROM cards.medical_codes WHERE used_at IS NOT NULL)::int AS used_codes`)
    )[0];

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-02T10:00:00+08:00' });
    await setUpClinics(t);
    cardNo = await issueCard(t, { homeRegion: '12', scheme: 'EMPLOYEE' });
    await topUpPersonal(t, cardNo, 20_000);
  });
  afterAll(() => t?.close());

  it('answers the split a settlement then gives, writing nothing in between', async () => {
    const before = await state();
    const pre = await t.terminal(TERMINALS.TJ_L3).post('/v1/medical/pre-settlements', bill('st-pre-1', { cardNo }));
    expect(pre.status).toBe(200);
    // Tianjin employee at the Tianjin L3 hospital: total 2500 + 100000 + 9999 = 112499; B share 1000; in policy 111499;
    // deductible 80000; fund (111499 − 80000) × 55 % = 17324.45 → 17324; patient 95175: account 20000, cash 75175.
    expect(pre.body).toMatchObject({
      decision: 'ALLOW',
      totalFen: 112_499,
      inPolicyFen: 111_499,
      deductibleFen: 80_000,
      fundFen: 17_324,
      personalAccountFen: 20_000,
      cashFen: 75_175,
    });
    expect(await state()).toEqual(before);
    expect(pre.headers.get('idempotent-replayed')).toBeNull();

    const settled = await t.terminal(TERMINALS.TJ_L3).post('/v1/medical/settlements', bill('st-pre-1', { cardNo }));
    expect(settled.body).toEqual(pre.body);
  });

  it('only checks a 医保码: the code still settles afterwards; a used or expired one is refused without being journaled', async () => {
    const other = await issueCard(t, { homeRegion: '11', scheme: 'RESIDENT' });
    const code = (await t.terminal(await t.holderApp(other)).post('/v1/holder/medical-codes', { cardNo: other })).body.code as string;
    const before = await state();
    const pre = await t.terminal(TERMINALS.TJ_L3).post('/v1/medical/pre-settlements', bill('st-pre-2', { medicalCode: code }));
    expect(pre.body).toMatchObject({ decision: 'ALLOW', homeRegion: '11', ruleSet: { id: 'medical.policy.beijing', version: 1 } });
    expect(await state()).toEqual(before);
    expect((await t.terminal(TERMINALS.TJ_L3).post('/v1/medical/settlements', bill('st-pre-2', { medicalCode: code }))).body.decision).toBe('ALLOW');

    const fresh = (await t.terminal(await t.holderApp(other)).post('/v1/holder/medical-codes', { cardNo: other })).body.code as string;
    t.clock.advance(60_000);
    const afterIssue = await state();
    const used = await t.terminal(TERMINALS.TJ_L3).post('/v1/medical/pre-settlements', bill('st-pre-3', { medicalCode: code }));
    expect(used.body).toMatchObject({ decision: 'DENY', reason: { code: 'MEDICAL_CODE_USED' }, totalFen: null });
    const expired = await t.terminal(TERMINALS.TJ_L3).post('/v1/medical/pre-settlements', bill('st-pre-4', { medicalCode: fresh }));
    expect(expired.body.reason.code).toBe('MEDICAL_CODE_EXPIRED');
    expect(await state()).toEqual(afterIssue);
  });

  it('refuses what a settlement would refuse (CARD_LOST) without journaling it', async () => {
    const lost = await issueCard(t, { homeRegion: '13', scheme: 'RESIDENT' });
    await t.operator.post(`/v1/admin/cards/${lost}/status`, { operation: 'TEMPORARY_LOSS' });
    const before = await state();
    const res = await t.terminal(TERMINALS.TJ_L3).post('/v1/medical/pre-settlements', bill('st-pre-5', { cardNo: lost }));
    expect(res.body).toMatchObject({ decision: 'DENY', reason: { code: 'CARD_LOST' } });
    expect(await state()).toEqual(before);
  });

  it('is for clinic terminals only, and validates like a settlement', async () => {
    expect((await t.terminal(TERMINALS.GATE).post('/v1/medical/pre-settlements', bill('st-pre-6', { cardNo }))).status).toBe(403);
    const bad = await t
      .terminal(TERMINALS.TJ_L3)
      .post('/v1/medical/pre-settlements', { ...bill('st-pre-7', { cardNo }), items: [{ code: CODES.CBC, quantity: 1, unitPriceFen: -1 }] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].pointer).toBe('/items/0/unitPriceFen');
  });
});
