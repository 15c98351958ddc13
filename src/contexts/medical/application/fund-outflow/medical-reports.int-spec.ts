import { asCsvText, AUDITOR_TOKEN, fetchCsv, startTestApp, type TestApp } from '@test/support';
import { CLINICS, CODES, issueCard, line, setUpClinics, TERMINALS, topUpPersonal } from '../../testing/fixtures.js';

describe('medical read side: institution day, fund outflow and clearing, accumulators, catalogue (real PostgreSQL)', () => {
  let t: TestApp;
  let bjEmployee: string;
  const settle = (terminal: string, settlementId: string, cardNo: string, fen: number, occurredAt = '2026-03-02T09:30:00+08:00') =>
    t
      .terminal(terminal)
      .post('/v1/medical/settlements', { settlementId, credential: { cardNo }, visitType: 'OUTPATIENT', items: [line(CODES.METFORMIN, fen)], occurredAt });

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-02T10:00:00+08:00' });
    await setUpClinics(t);
    bjEmployee = await issueCard(t, { homeRegion: '11', scheme: 'EMPLOYEE' });
    const tjResident = await issueCard(t, { homeRegion: '12', scheme: 'RESIDENT' });
    const tjEmployee = await issueCard(t, { homeRegion: '12', scheme: 'EMPLOYEE' });
    const hbResident = await issueCard(t, { homeRegion: '13', scheme: 'RESIDENT' });
    await topUpPersonal(t, tjEmployee, 10_000);
    const allow = async (p: ReturnType<typeof settle>) => expect((await p).body.decision).toBe('ALLOW');
    // 11 → 12: (300000 − 180000) × 70 % = 84000 from Beijing's fund.
    await allow(settle(TERMINALS.TJ_L3, 'st-a', bjEmployee, 300_000));
    // Reversed: excluded everywhere.
    await allow(settle(TERMINALS.TJ_L3, 'st-b', bjEmployee, 50_000));
    expect((await t.terminal(TERMINALS.TJ_L3).post('/v1/medical/settlements/st-b/reversal', { reversalId: 'rv-b', reason: 'test' })).body.decision).toBe(
      'ALLOW',
    );
    // 12 → 11: (100000 − 60000) × 50 % = 20000; and (100000 − 80000) × 55 % = 11000 + personal account 10000.
    await allow(settle(TERMINALS.BJ_L3, 'st-c', tjResident, 100_000));
    await allow(settle(TERMINALS.BJ_L3, 'st-d', tjEmployee, 100_000));
    // 13 → 12: 30000 × 90 % = 27000 (Hebei resident at a Tianjin community centre).
    await allow(settle(TERMINALS.TJ_L1, 'st-e', hbResident, 30_000));
    // Local 12 → 12: the Tianjin resident used the yearly deductible at st-c: 40000 × 55 % = 22000.
    await allow(settle(TERMINALS.TJ_L1, 'st-f', tjResident, 40_000));
    // Outside the range asked below: 10000 × 90 % = 9000 (13000 of the cap left).
    await allow(settle(TERMINALS.TJ_L1, 'st-g', hbResident, 10_000, '2026-02-27T12:00:00+08:00'));
  });
  afterAll(() => t?.close());

  it("lists an institution's settlements of a day, totals without reversed ones", async () => {
    const res = await t.auditor.get(`/v1/admin/medical/institutions/${CLINICS.TJ_L3.venueId}/settlements?from=2026-03-02&to=2026-03-02`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ institutionId: CLINICS.TJ_L3.venueId, region: '12', from: '2026-03-02', to: '2026-03-02', nextCursor: null });
    expect(res.body.rows.map((s: Record<string, unknown>) => [s.settlementId, s.reversed, s.fundFen])).toEqual([
      ['st-a', false, 84_000],
      ['st-b', true, 35_000], // deductible used up by st-a: 50000 × 70 %
    ]);
    expect(res.body.totals).toEqual({ settlements: 1, reversed: 1, totalFen: 300_000, fundFen: 84_000, personalAccountFen: 0, cashFen: 216_000 });
    expect((await t.operator.get(`/v1/admin/medical/institutions/NOPE/settlements?from=2026-03-02&to=2026-03-02`)).status).toBe(404);
    expect((await t.operator.get(`/v1/admin/medical/institutions/${CLINICS.TJ_L3.venueId}/settlements?from=2026-02-30&to=2026-03-02`)).status).toBe(400);
    // A range, one row a page, and the same rows as CSV (parsed back with the same CSV library).
    const week = `/v1/admin/medical/institutions/${CLINICS.TJ_L1.venueId}/settlements?from=2026-02-23&to=2026-03-02`;
    const first = await t.auditor.get(`${week}&limit=1`);
    expect(first.body.totals).toMatchObject({ settlements: 3, reversed: 0 });
    const rest = await t.auditor.get(`${week}&limit=5&cursor=${first.body.nextCursor}`);
    const rows = [...first.body.rows, ...rest.body.rows];
    expect(rows.map((r: any) => r.settlementId)).toEqual(['st-g', 'st-e', 'st-f']);
    const csv = await fetchCsv(t.baseUrl, week, AUDITOR_TOKEN);
    expect(csv.contentType).toBe('text/csv; charset=utf-8');
    expect(csv.records).toEqual(asCsvText(rows));
  });

  it("gives each home region's outflow and what each owes the others, netted per pair", async () => {
    const res = await t.auditor.get('/v1/admin/medical/fund-outflow?from=2026-03-01&to=2026-03-31');
    expect(res.status).toBe(200);
    expect(res.body.byHomeRegion).toEqual([
      { homeRegion: '11', settlements: 1, fundFen: 84_000, personalAccountFen: 0 },
      { homeRegion: '12', settlements: 3, fundFen: 20_000 + 11_000 + 22_000, personalAccountFen: 10_000 },
      { homeRegion: '13', settlements: 1, fundFen: 27_000, personalAccountFen: 0 },
    ]);
    expect(res.body.rows.map((f: Record<string, unknown>) => [f.homeRegion, f.institutionRegion, f.settlements, f.fundFen])).toEqual([
      ['11', '12', 1, 84_000],
      ['12', '11', 2, 31_000],
      ['12', '12', 1, 22_000],
      ['13', '12', 1, 27_000],
    ]);
    expect(res.body.clearing).toEqual({
      owed: [
        { homeRegion: '11', institutionRegion: '12', owedFen: 84_000 },
        { homeRegion: '12', institutionRegion: '11', owedFen: 41_000 },
        { homeRegion: '13', institutionRegion: '12', owedFen: 27_000 },
      ],
      // 84000 − 41000 = 43000 from Beijing to Tianjin; Hebei owes Tianjin 27000.
      net: [
        { payer: '11', payee: '12', amountFen: 43_000 },
        { payer: '13', payee: '12', amountFen: 27_000 },
      ],
    });
    // The ledger agrees: the funds' balances are what they paid (reversal included, st-g too).
    const funds = await t.dataSource.query(
      `SELECT account_code, sum(balance)::bigint AS b FROM ledger.balances WHERE account_code LIKE 'fund:%' GROUP BY account_code ORDER BY account_code`,
    );
    expect(funds).toEqual([
      { account_code: 'fund:11:medical-pool', b: -84_000 },
      { account_code: 'fund:12:medical-pool', b: -53_000 },
      { account_code: 'fund:13:medical-pool', b: -27_000 - 9000 },
    ]);
    expect((await t.auditor.get('/v1/admin/medical/fund-outflow?from=2026-03-31&to=2026-03-01')).status).toBe(400);
    expect((await t.terminal(TERMINALS.TJ_L3).get('/v1/admin/medical/fund-outflow?from=2026-03-01&to=2026-03-31')).status).toBe(401);
  });

  it("answers a person's year-to-date accumulators by any card", async () => {
    const res = await t.operator.get(`/v1/admin/medical/accumulators?cardNo=${bjEmployee}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      cardNo: bjEmployee,
      homeRegion: '11',
      scheme: 'EMPLOYEE',
      retiree: false,
      year: 2026,
      outpatientDeductibleFen: 180_000,
      outpatientFundFen: 84_000,
      inpatientStays: 0,
      settlements: 1,
    });
    expect((await t.operator.get(`/v1/admin/medical/accumulators?cardNo=${bjEmployee}&year=2025`)).body).toMatchObject({
      year: 2025,
      outpatientDeductibleFen: 0,
      settlements: 0,
      updatedAt: null,
    });
    expect((await t.operator.get('/v1/admin/medical/accumulators?cardNo=T99999990')).status).toBe(404);
    expect((await t.operator.get(`/v1/admin/medical/accumulators?cardNo=${bjEmployee}&year=26`)).status).toBe(400);
  });

  it("lists the treatment region's catalogue to clinic terminals and admins", async () => {
    const res = await t.terminal(TERMINALS.TJ_L3).get('/v1/medical/catalogue?region=12');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      region: '12',
      on: '2026-03-02',
      ruleSet: { id: 'medical.catalogue.tianjin', version: 1 },
      recognitionWindowDays: 30,
      categoryB: { selfPaidFirstBp: 1000 },
    });
    expect(res.body.items.find((i: { code: string }) => i.code === CODES.ATORVASTATIN)).toMatchObject({
      category: 'B',
      selfPaidFirstBp: 1000,
      recognised: null,
    });
    expect(res.body.items.find((i: { code: string }) => i.code === CODES.CBC)).toMatchObject({ category: 'A', selfPaidFirstBp: null, recognised: 'lab' });
    expect((await t.auditor.get('/v1/admin/medical/catalogue?region=11')).body.ruleSet.id).toBe('medical.catalogue.beijing');
    expect((await t.auditor.get('/v1/admin/medical/catalogue?region=13&on=2025-06-01')).status).toBe(404);
    expect((await t.auditor.get('/v1/admin/medical/catalogue?region=14')).status).toBe(400);
    expect((await t.terminal(TERMINALS.GATE).get('/v1/medical/catalogue?region=12')).status).toBe(403);
  });
});
