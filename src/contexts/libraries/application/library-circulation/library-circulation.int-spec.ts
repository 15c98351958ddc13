import { asCsvText, AUDITOR_TOKEN, fetchCsv, startTestApp, type TestApp } from '@test/support';
import { barcode, desk, DESKS, issueCard, LIBS, setUpLibraries } from '../../testing/fixtures.js';

/** The read side: loans outstanding and overdue per library, a card's loans, fines charged. */
describe('circulation reports (real PostgreSQL)', () => {
  let t: TestApp;
  let cardNo: string;
  let poor: string;

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-04-02T09:00:00+08:00' });
    await setUpLibraries(t, { TJ: 4, HP: 2, BJ: 1, CY: 0, HB: 0 });
    cardNo = await issueCard(t, '12', 10_000);
    poor = await issueCard(t, '12', 0);
    const tj = desk(t, DESKS.TIANJIN);
    const hp = desk(t, DESKS.HEPING);
    // TJ-1 overdue (due 31 March), TJ-2 due 1 April (overdue on 2 April), TJ-3 due 20 April, HP-1 returned 3 days late, HP-2 returned late with no money.
    await tj.lend('rep-1', cardNo, barcode('TJ', 1), '2026-03-01T10:00:00+08:00');
    await tj.lend('rep-2', cardNo, barcode('TJ', 2), '2026-03-02T10:00:00+08:00');
    await hp.lend('rep-3', cardNo, barcode('TJ', 3), '2026-03-21T10:00:00+08:00');
    await hp.lend('rep-4', poor, barcode('HP', 1), '2026-03-01T10:00:00+08:00');
    await hp.return('rep-4-ret', barcode('HP', 1), '2026-04-03T10:00:00+08:00');
    await hp.lend('rep-5', poor, barcode('HP', 2), '2026-03-01T10:00:00+08:00');
    await tj.return('rep-5-ret', barcode('HP', 2), '2026-04-05T10:00:00+08:00');
  });
  afterAll(() => t?.close());

  it('lists every library with items, loans outstanding and overdue on a day, fines charged and owed', async () => {
    const res = await t.auditor.get('/v1/admin/libraries');
    expect(res.status).toBe(200);
    expect(res.body.on).toBe('2026-04-02');
    const byId = Object.fromEntries(res.body.libraries.map((l: { libraryId: string }) => [l.libraryId, l]));
    expect(byId[LIBS.TIANJIN]).toEqual({
      libraryId: LIBS.TIANJIN,
      name: '天津图书馆',
      region: '12',
      network: 'TIANJIN',
      items: 4,
      loansOutstanding: 3,
      loansOverdue: 2,
      finesChargedFen: 0,
      finesOutstandingFen: 0,
    });
    expect(byId[LIBS.HEPING]).toMatchObject({ items: 2, loansOutstanding: 0, loansOverdue: 0, finesChargedFen: 160, finesOutstandingFen: 160 });
    expect(byId[LIBS.NO_NETWORK]).toMatchObject({ network: null, items: 0, loansOutstanding: 0 });
    expect(
      (await t.auditor.get('/v1/admin/libraries?on=2026-03-31')).body.libraries.find((l: { libraryId: string }) => l.libraryId === LIBS.TIANJIN).loansOverdue,
    ).toBe(0);
    expect((await t.auditor.get('/v1/admin/libraries?on=2026-13-01')).status).toBe(400);
  });

  it("lists a library's loans: outstanding, overdue on a day, returned", async () => {
    const overdue = await t.operator.get(`/v1/admin/libraries/${LIBS.TIANJIN}/loans?status=OVERDUE`);
    expect(overdue.body.rows.map((l: { loanId: string; overdueDays: number }) => [l.loanId, l.overdueDays])).toEqual([
      ['rep-2', 1],
      ['rep-1', 2],
    ]);
    expect(overdue.body.rows[0]).toMatchObject({
      barcode: 'TJ-0002',
      title: 'TJ book 2',
      libraryId: LIBS.TIANJIN,
      network: 'TIANJIN',
      deskLibraryId: LIBS.TIANJIN,
      cardNo,
      dueDate: '2026-04-01',
      returnedAt: null,
    });
    expect((await t.operator.get(`/v1/admin/libraries/${LIBS.TIANJIN}/loans`)).body.rows).toHaveLength(3);
    const returned = await t.operator.get(`/v1/admin/libraries/${LIBS.HEPING}/loans?status=RETURNED`);
    // Lent at the same instant: by loan id.
    expect(
      returned.body.rows.map((l: { loanId: string; overdueDays: number; fineFen: number; returnLibraryId: string }) => [
        l.loanId,
        l.overdueDays,
        l.fineFen,
        l.returnLibraryId,
      ]),
    ).toEqual([
      ['rep-4', 3, 60, LIBS.HEPING],
      ['rep-5', 5, 100, LIBS.TIANJIN],
    ]);
    expect((await t.operator.get(`/v1/admin/libraries/${LIBS.TIANJIN}/loans?limit=1&status=ALL`)).body.rows).toHaveLength(1);
    expect((await t.operator.get('/v1/admin/libraries/LIB-NOPE/loans')).status).toBe(404);
    expect((await t.operator.get(`/v1/admin/libraries/${LIBS.TIANJIN}/loans?status=LOST`)).status).toBe(400);
    expect((await t.operator.get(`/v1/admin/libraries/${LIBS.TIANJIN}/loans?limit=0`)).status).toBe(400);
  });

  it("shows a card's loans (open first) and fines", async () => {
    const res = await t.auditor.get(`/v1/admin/libraries/cards/${poor}/loans`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ cardNo: poor, on: '2026-04-02', finesOutstandingFen: 160 });
    expect(res.body.loans.map((l: { loanId: string }) => l.loanId)).toEqual(['rep-4', 'rep-5']);
    expect(
      res.body.fines.map((f: { fineId: string; amountFen: number; chargedFen: number; outstandingFen: number }) => [
        f.fineId,
        f.amountFen,
        f.chargedFen,
        f.outstandingFen,
      ]),
    ).toEqual([
      ['rep-5-ret', 100, 0, 100],
      ['rep-4-ret', 60, 0, 60],
    ]);
    const mine = await t.auditor.get(`/v1/admin/libraries/cards/${cardNo}/loans`);
    expect(mine.body.loans.map((l: { loanId: string }) => l.loanId)).toEqual(['rep-3', 'rep-2', 'rep-1']);
    expect((await t.auditor.get('/v1/admin/libraries/cards/T99999990/loans')).status).toBe(404);
    expect((await t.auditor.get('/v1/admin/libraries/cards/nope/loans')).status).toBe(400);
  });

  it('reports fines charged between two business days with totals', async () => {
    const res = await t.auditor.get('/v1/admin/libraries/fines?from=2026-04-03&to=2026-04-05');
    expect(res.body.totals).toEqual({ fines: 2, amountFen: 160, chargedFen: 0, paidFen: 0, outstandingFen: 160 });
    expect((await t.auditor.get('/v1/admin/libraries/fines?from=2026-04-04&to=2026-04-05')).body.totals.fines).toBe(1);
    expect((await t.auditor.get(`/v1/admin/libraries/fines?from=2026-04-01&to=2026-04-30&libraryId=${LIBS.TIANJIN}`)).body.totals.fines).toBe(0);
    expect((await t.auditor.get('/v1/admin/libraries/fines?from=2026-04-05&to=2026-04-01')).status).toBe(400);
    // The fines themselves, paged, and as CSV parsed back to the same rows.
    expect(res.body.rows.map((f: { fineId: string }) => f.fineId)).toHaveLength(2);
    const page = await t.auditor.get('/v1/admin/libraries/fines?from=2026-04-03&to=2026-04-05&limit=1');
    const next = await t.auditor.get(`/v1/admin/libraries/fines?from=2026-04-03&to=2026-04-05&limit=1&cursor=${page.body.nextCursor}`);
    expect([...page.body.rows, ...next.body.rows]).toEqual(res.body.rows);
    expect(next.body.nextCursor).toBeNull();
    const csv = await fetchCsv(t.baseUrl, '/v1/admin/libraries/fines?from=2026-04-03&to=2026-04-05&format=csv', AUDITOR_TOKEN);
    expect(csv.records).toEqual(asCsvText(res.body.rows));
  });
});
