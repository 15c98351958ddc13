import { startTestApp, type TestApp } from '@test/support';
import { DEMO_CARDS } from '../demo-cards.js';
import { SeedRunner } from '../seed.runner.js';
import { ITEMS_PER_LIBRARY } from './libraries.seed.js';

describe('seeded libraries (real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.get<SeedRunner>(SeedRunner).run({ log: () => undefined });
  });
  afterAll(() => t?.close());

  it('shelves items in every seeded library of a network, with its network and region', async () => {
    const rows = await t.dataSource.query(`SELECT library_id, network, region, count(*)::int AS n FROM libraries.items GROUP BY 1, 2, 3 ORDER BY 1`);
    expect(rows).toHaveLength(6);
    for (const r of rows) expect(r.n).toBe(ITEMS_PER_LIBRARY);
    expect(rows.map((r: { library_id: string; network: string }) => `${r.library_id}:${r.network}`)).toContain('LIB-12-TIANJIN:TIANJIN');
  });

  it('lends a seeded item to a seeded card at a seeded desk', async () => {
    const res = await t.terminal('LIB-12-HEPING-D1').post('/v1/libraries/loans', {
      loanId: 'seed-loan-1',
      cardNo: DEMO_CARDS.tianjinSenior,
      barcode: '12-TIANJIN-0001',
      loanedAt: '2026-03-02T10:00:00+08:00',
    });
    expect(res.body).toMatchObject({ decision: 'ALLOW', dueDate: '2026-04-01', loanLimit: 5 });
  });
});
