import { startTestApp, type TestApp } from '@test/support';
import { DEMO_CARDS } from '../demo-cards.js';
import { SeedRunner } from '../seed.runner.js';

describe('seeded medical accounts (real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-02T10:00:00+08:00' });
    await t.get<SeedRunner>(SeedRunner).run({ log: () => undefined });
  });
  afterAll(() => t?.close());

  it('opens the three funds, the patient-cash accounts and a receivable for every seeded clinic', async () => {
    const rows = await t.dataSource.query(
      `SELECT kind, region, count(*)::int AS n FROM ledger.accounts WHERE kind IN ('FUND', 'INSTITUTION_RECEIVABLE') OR code LIKE 'external:patient-cash:%' GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    const clinics = await t.dataSource.query(`SELECT region, count(*)::int AS n FROM registry.venues WHERE kind = 'CLINIC' GROUP BY region ORDER BY region`);
    expect(rows.filter((r: { kind: string }) => r.kind === 'FUND').map((r: { region: string }) => r.region)).toEqual(['11', '12', '13']);
    expect(rows.filter((r: { kind: string }) => r.kind === 'EXTERNAL').map((r: { region: string }) => r.region)).toEqual(['11', '12', '13']);
    expect(
      rows.filter((r: { kind: string }) => r.kind === 'INSTITUTION_RECEIVABLE').map(({ region, n }: { region: string; n: number }) => ({ region, n })),
    ).toEqual(clinics);
  });

  it('settles the demo Beijing employee at a seeded Tianjin hospital, paying from the funded personal account', async () => {
    const res = await t.terminal('CLN-12-TMUGH-C1').post('/v1/medical/settlements', {
      settlementId: 'seed-st-1',
      credential: { cardNo: DEMO_CARDS.beijingEmployee },
      visitType: 'OUTPATIENT',
      items: [{ code: '250101015', quantity: 1, unitPriceFen: 2500 }],
      occurredAt: '2026-03-02T09:30:00+08:00',
    });
    // Below the Beijing employee's 1,800-yuan deductible: the fund pays nothing, the personal account all.
    expect(res.body).toMatchObject({
      decision: 'ALLOW',
      homeRegion: '11',
      treatmentRegion: '12',
      totalFen: 2500,
      fundFen: 0,
      personalAccountFen: 2500,
      cashFen: 0,
    });
  });
});
