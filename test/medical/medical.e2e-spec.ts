/**
 * 一卡通结, black-box through signed HTTP (TERMINAL-API.md "Medical"): a Beijing employee shows a
 * 医保码 at a Tianjin hospital; the counter pre-settles, settles, finds a mistake and reverses;
 * a retried command replays; reports, the ledger verification and the decision replay read it back.
 */
import { rawRequest } from '@onecard/testing';
import { startTestApp, type TestApp } from '@test/support';
import { balanceOf, CLINICS, CODES, issueCard, line, setUpClinics, TERMINALS, topUpPersonal } from '../../src/contexts/medical/testing/fixtures.js';

describe('一卡通结 (black box)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-02T09:00:00+08:00' });
    await setUpClinics(t);
  });
  afterAll(() => t?.close());

  it('documents the medical endpoints and every reason code in OpenAPI', async () => {
    const doc = (await rawRequest(t.baseUrl, 'GET', '/docs-json', {})).body;
    for (const path of ['/v1/medical/settlements', '/v1/medical/pre-settlements', '/v1/medical/settlements/{settlementId}/reversal'])
      expect(doc.paths[path]?.post).toBeDefined();
    for (const path of [
      '/v1/medical/catalogue',
      '/v1/admin/medical/catalogue',
      '/v1/admin/medical/institutions/{institutionId}/settlements',
      '/v1/admin/medical/fund-outflow',
      '/v1/admin/medical/accumulators',
    ]) {
      expect(doc.paths[path]?.get).toBeDefined();
    }
    const codes = (schema: string) => doc.components.schemas[schema].properties.code.enum;
    expect(codes('SettlementReasonDto')).toEqual(
      expect.arrayContaining([
        'CARD_UNKNOWN',
        'CARD_LOST',
        'MEDICAL_CODE_UNKNOWN',
        'MEDICAL_CODE_EXPIRED',
        'MEDICAL_CODE_USED',
        'OCCURRED_IN_FUTURE',
        'MEDICAL_POLICY_NOT_IN_FORCE',
        'MEDICAL_CATALOGUE_NOT_IN_FORCE',
      ]),
    );
    expect(codes('ReversalReasonDto')).toEqual(['ALREADY_REVERSED', 'NOTHING_TO_REVERSE']);
  });

  it('pre-settles, settles with the 医保码, reverses, and the books agree', async () => {
    const cardNo = await issueCard(t, { homeRegion: '11', scheme: 'EMPLOYEE' });
    await topUpPersonal(t, cardNo, 40_000);
    const counter = t.terminal(TERMINALS.TJ_L3);
    const app = t.terminal(await t.holderApp(cardNo));
    const bill = (settlementId: string, medicalCode: string) => ({
      settlementId,
      credential: { medicalCode },
      visitType: 'INPATIENT',
      items: [line(CODES.METFORMIN, 500_000, 3), line(CODES.ATORVASTATIN, 2000, 10), line(CODES.SPECIAL_NEEDS, 5000)],
      occurredAt: '2026-03-02T08:55:00+08:00',
    });
    const code = (await app.post('/v1/holder/medical-codes', { cardNo })).body.code as string;

    // Beijing employee, Tianjin level-3 hospital, first stay of the year:
    // total 1500000 + 20000 + 5000 = 1525000; B share 2000; in policy 1500000 + 18000 = 1518000;
    // deductible 130000 (first stay); fund (1518000 − 130000) × 85 % = 1179800;
    // patient 345200: personal account 40000, cash 305200.
    const expected = {
      decision: 'ALLOW',
      totalFen: 1_525_000,
      selfPaidFen: 7000,
      inPolicyFen: 1_518_000,
      deductibleFen: 130_000,
      fundFen: 1_179_800,
      personalAccountFen: 40_000,
      cashFen: 305_200,
    };
    const pre = await counter.post('/v1/medical/pre-settlements', bill('e2e-st-1', code));
    expect(pre.body).toMatchObject(expected);
    const settled = await counter.post('/v1/medical/settlements', bill('e2e-st-1', code));
    expect(settled.body).toMatchObject({ ...expected, policy: { deductibleRule: 'FIRST_STAY', stayNumber: 1 } });
    expect((await counter.post('/v1/medical/settlements', bill('e2e-st-1', code))).headers.get('idempotent-replayed')).toBe('true');
    expect((await counter.post('/v1/medical/settlements', bill('e2e-st-2', code))).body.reason.code).toBe('MEDICAL_CODE_USED');

    const day = await t.auditor.get(`/v1/admin/medical/institutions/${CLINICS.TJ_L3.venueId}/settlements?from=2026-03-02&to=2026-03-02`);
    expect(day.body.totals).toMatchObject({ settlements: 1, fundFen: 1_179_800 });
    const outflow = await t.auditor.get('/v1/admin/medical/fund-outflow?from=2026-03-01&to=2026-03-31');
    expect(outflow.body.clearing.net).toEqual([{ payer: '11', payee: '12', amountFen: 1_179_800 + 40_000 }]);
    expect((await t.auditor.get(`/v1/admin/medical/accumulators?cardNo=${cardNo}`)).body).toMatchObject({
      inpatientDeductibleFen: 130_000,
      inpatientFundFen: 1_179_800,
      inpatientStays: 1,
    });

    expect((await t.auditor.post('/v1/admin/decisions/e2e-st-1/replay?type=medical.settle', {})).body.match).toBe(true);
    const explained = await t.auditor.get('/v1/admin/decisions/e2e-st-1/explanation?type=medical.settle');
    expect(explained.body).toMatchObject({ decision: 'ALLOW', ruleSet: { id: 'medical.policy.beijing', version: 1, kind: 'policy', region: '11' } });

    const reversed = await counter.post('/v1/medical/settlements/e2e-st-1/reversal', { reversalId: 'e2e-rv-1', reason: 'wrong stay' });
    expect(reversed.body).toMatchObject({ decision: 'ALLOW', fundFen: 1_179_800, personalAccountFen: 40_000, cashFen: 305_200 });
    expect(await balanceOf(t, `card:${cardNo}:personal`)).toBe(40_000);
    expect(await balanceOf(t, `institution:${CLINICS.TJ_L3.venueId}:receivable`)).toBe(0);
    expect((await t.auditor.get(`/v1/admin/medical/accumulators?cardNo=${cardNo}`)).body).toMatchObject({
      inpatientDeductibleFen: 0,
      inpatientFundFen: 0,
      inpatientStays: 0,
    });
    expect((await t.auditor.get('/v1/admin/medical/fund-outflow?from=2026-03-01&to=2026-03-31')).body.clearing.net).toEqual([]);

    const history = await t.operator.get(`/v1/admin/cards/${cardNo}/history`);
    expect(history.status).toBe(200);
    expect(JSON.stringify(history.body)).toContain('e2e-rv-1');

    const verification = await t.auditor.get('/v1/admin/ledger/verification');
    expect(verification.body).toMatchObject({ ok: true });
  });
});
