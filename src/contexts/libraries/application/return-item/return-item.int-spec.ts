import { startTestApp, type TestApp } from '@test/support';
import { balance, barcode, desk, DESKS, entriesOf, issueCard, journal, LIBS, setUpLibraries } from '../../testing/fixtures.js';

const LENT = '2026-03-01T10:00:00+08:00'; // Tianjin: due 2026-03-31
const TJ_RULES = { id: 'libraries.circulation.tianjin', version: 2 };
const REVENUE = `venue:${LIBS.TIANJIN}:revenue`;
const RECEIVABLE = `venue:${LIBS.TIANJIN}:fines-receivable`;

describe('returns and overdue fines (real PostgreSQL, ledger)', () => {
  let t: TestApp;
  let tj: ReturnType<typeof desk>;
  let hp: ReturnType<typeof desk>;
  let items = 0;

  beforeAll(async () => {
    t = await startTestApp();
    await setUpLibraries(t, { TJ: 0, HP: 0, BJ: 1 });
    tj = desk(t, DESKS.TIANJIN);
    hp = desk(t, DESKS.HEPING);
  });
  afterAll(() => t?.close());

  /** A new Tianjin item lent to `cardNo` on LENT; answers its barcode. */
  async function lent(cardNo: string): Promise<string> {
    const code = barcode('TJ', ++items);
    expect((await t.operator.post('/v1/admin/libraries/items', { barcode: code, libraryId: LIBS.TIANJIN, title: `book ${items}` })).status).toBe(201);
    const res = await tj.lend(`loan-${code}`, cardNo, code, LENT);
    expect(res.body).toMatchObject({ decision: 'ALLOW', dueDate: '2026-03-31' });
    return code;
  }
  const finesOf = async (cardNo: string) => (await t.operator.get(`/v1/admin/libraries/cards/${cardNo}/loans`)).body.finesOutstandingFen as number;

  it('takes a book back at another library of its network on its due date: no fine, no money moves (通借通还)', async () => {
    const cardNo = await issueCard(t, '12', 10_000);
    const code = await lent(cardNo);
    const res = await hp.return('ret-ontime', code, '2026-03-31T23:59:59+08:00');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      decision: 'ALLOW',
      returnId: 'ret-ontime',
      barcode: code,
      libraryId: LIBS.HEPING,
      loanId: `loan-${code}`,
      cardNo,
      owningLibraryId: LIBS.TIANJIN,
      dueDate: '2026-03-31',
      overdueDays: 0,
      fineFen: 0,
      fineChargedFen: 0,
      fineOutstandingFen: 0,
      finesOutstandingFen: null,
      ruleSet: TJ_RULES,
    });
    expect(await journal(t, 'libraries.return', 'ret-ontime')).toMatchObject({ decision: 'ALLOW', legs: 0, subject: cardNo, rule_set_id: TJ_RULES.id });
    const [loan] = await t.dataSource.query(`SELECT return_id, return_library_id, overdue_days, fine_fen FROM libraries.loans WHERE loan_id = $1`, [
      `loan-${code}`,
    ]);
    expect(loan).toEqual({ return_id: 'ret-ontime', return_library_id: LIBS.HEPING, overdue_days: 0, fine_fen: 0 });
  });

  it('charges 1 day for a book due 2026-03-31 returned at 2026-04-01T00:00:01+08:00: 20 fen from the bank to the owning library', async () => {
    const cardNo = await issueCard(t, '12', 10_000);
    const code = await lent(cardNo);
    const res = await hp.return('ret-1day', code, '2026-04-01T00:00:01+08:00');
    expect(res.body).toMatchObject({ decision: 'ALLOW', overdueDays: 1, fineFen: 20, fineChargedFen: 20, fineOutstandingFen: 0, finesOutstandingFen: 0 });
    expect(await entriesOf(t, 'libraries.return', 'ret-1day')).toEqual([
      [`card:${cardNo}:bank`, -20],
      [REVENUE, 20],
    ]);
    expect(await balance(t, `card:${cardNo}:bank`)).toBe(9_980);
    expect(await journal(t, 'libraries.return', 'ret-1day')).toMatchObject({ decision: 'ALLOW', legs: 1 });
    // The same instant in UTC
    const other = await lent(cardNo);
    expect((await tj.return('ret-1day-utc', other, '2026-03-31T16:00:00Z')).body).toMatchObject({ overdueDays: 1, fineFen: 20 });
  });

  it('fines days × 20 fen × items: two books 3 days late are 120 fen', async () => {
    const cardNo = await issueCard(t, '12', 10_000);
    const [a, b] = [await lent(cardNo), await lent(cardNo)];
    const before = await balance(t, REVENUE);
    for (const [id, code] of [
      ['ret-3a', a],
      ['ret-3b', b],
    ] as const) {
      expect((await tj.return(id, code, '2026-04-03T18:00:00+08:00')).body).toMatchObject({ overdueDays: 3, fineFen: 60, fineChargedFen: 60 });
    }
    expect((await balance(t, REVENUE)) - before).toBe(120);
    expect(await balance(t, `card:${cardNo}:bank`)).toBe(10_000 - 120);
  });

  it('still takes the book back when the bank balance is short: charges what there is, the rest owed through the receivable', async () => {
    const cardNo = await issueCard(t, '12', 500);
    const code = await lent(cardNo);
    const receivableBefore = await balance(t, RECEIVABLE);
    const res = await tj.return('ret-short', code, '2026-05-01T09:00:00+08:00'); // 31 days
    expect(res.body).toMatchObject({
      decision: 'ALLOW',
      overdueDays: 31,
      fineFen: 620,
      fineChargedFen: 500,
      fineOutstandingFen: 120,
      finesOutstandingFen: 120,
    });
    expect(await entriesOf(t, 'libraries.return', 'ret-short')).toEqual([
      [`card:${cardNo}:bank`, -500],
      [REVENUE, 500],
      [RECEIVABLE, -120],
      [REVENUE, 120],
    ]);
    expect(await balance(t, `card:${cardNo}:bank`)).toBe(0);
    expect((await balance(t, RECEIVABLE)) - receivableBefore).toBe(-120);
    expect(await finesOf(cardNo)).toBe(120);
    const [fine] = await t.dataSource.query(
      `SELECT amount_fen, charged_fen, paid_fen, outstanding_fen, library_id FROM libraries.fines WHERE fine_id = 'ret-short'`,
    );
    expect(fine).toEqual({ amount_fen: 620, charged_fen: 500, paid_fen: 0, outstanding_fen: 120, library_id: LIBS.TIANJIN });
  });

  it('charges nothing to a card reported lost: the whole fine is owed, the book comes back', async () => {
    const cardNo = await issueCard(t, '12', 10_000);
    const code = await lent(cardNo);
    await t.operator.post(`/v1/admin/cards/${cardNo}/status`, { operation: 'TEMPORARY_LOSS' });
    const res = await tj.return('ret-lost', code, '2026-04-05T09:00:00+08:00');
    expect(res.body).toMatchObject({ decision: 'ALLOW', overdueDays: 5, fineFen: 100, fineChargedFen: 0, fineOutstandingFen: 100 });
    expect(await entriesOf(t, 'libraries.return', 'ret-lost')).toEqual([
      [RECEIVABLE, -100],
      [REVENUE, 100],
    ]);
    expect(await balance(t, `card:${cardNo}:bank`)).toBe(10_000);
  });

  it('refuses a return at a library of another network (RETURN_OUTSIDE_NETWORK); the loan stays open', async () => {
    const cardNo = await issueCard(t, '12', 10_000);
    const code = await lent(cardNo);
    const res = await desk(t, DESKS.CAPITAL).return('ret-xnet', code, '2026-04-20T09:00:00+08:00');
    expect(res.body).toMatchObject({
      decision: 'DENY',
      reason: { code: 'RETURN_OUTSIDE_NETWORK' },
      loanId: `loan-${code}`,
      owningLibraryId: LIBS.TIANJIN,
      ruleSet: TJ_RULES,
      fineFen: null,
    });
    expect(await journal(t, 'libraries.return', 'ret-xnet')).toMatchObject({
      decision: 'DENY',
      reason_code: 'RETURN_OUTSIDE_NETWORK',
      legs: 0,
      rule_set_id: TJ_RULES.id,
    });
    expect((await desk(t, DESKS.NO_NETWORK).return('ret-nonet', code, '2026-04-20T09:00:00+08:00')).body.reason.code).toBe('RETURN_OUTSIDE_NETWORK');
    expect((await tj.return('ret-xnet-ok', code, '2026-03-20T09:00:00+08:00')).body).toMatchObject({ decision: 'ALLOW', fineFen: 0 });
  });

  it('refuses an unknown barcode (ITEM_UNKNOWN) and an item not on loan (ITEM_NOT_ON_LOAN)', async () => {
    expect((await tj.return('ret-unknown', 'NOPE-1', LENT)).body).toMatchObject({ decision: 'DENY', reason: { code: 'ITEM_UNKNOWN' }, loanId: null });
    expect((await desk(t, DESKS.CAPITAL).return('ret-notout', barcode('BJ', 1), LENT)).body).toMatchObject({
      decision: 'DENY',
      reason: { code: 'ITEM_NOT_ON_LOAN' },
    });
    expect(await journal(t, 'libraries.return', 'ret-notout')).toMatchObject({ decision: 'DENY', reason_code: 'ITEM_NOT_ON_LOAN', rule_set_id: null });
  });

  it('is idempotent by returnId: a retry replays and charges nothing twice; another body is 409', async () => {
    const cardNo = await issueCard(t, '12', 10_000);
    const code = await lent(cardNo);
    const first = await tj.return('ret-idem', code, '2026-04-02T09:00:00+08:00');
    expect(first.body).toMatchObject({ decision: 'ALLOW', fineFen: 40 });
    const retry = await tj.return('ret-idem', code, '2026-04-02T09:00:00+08:00');
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.text).toBe(first.text);
    expect(await balance(t, `card:${cardNo}:bank`)).toBe(9_960);
    expect((await tj.return('ret-idem', code, '2026-04-03T09:00:00+08:00')).status).toBe(409);
    // A new id for the returned book is a new command: the book is no longer on loan.
    expect((await tj.return('ret-idem-2', code, '2026-04-02T09:00:00+08:00')).body.reason.code).toBe('ITEM_NOT_ON_LOAN');
  });

  it('two desks returning one book at the same instant close the loan once and fine once', async () => {
    const cardNo = await issueCard(t, '12', 10_000);
    const code = await lent(cardNo);
    const answers = await Promise.all([tj.return('ret-race-a', code, '2026-04-11T09:00:00+08:00'), hp.return('ret-race-b', code, '2026-04-11T09:00:00+08:00')]);
    expect(answers.map((a) => a.body.decision).sort()).toEqual(['ALLOW', 'DENY']);
    expect(answers.find((a) => a.body.decision === 'DENY')!.body.reason.code).toBe('ITEM_NOT_ON_LOAN');
    expect(await balance(t, `card:${cardNo}:bank`)).toBe(10_000 - 220); // 11 days
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM libraries.fines WHERE loan_id = $1`, [`loan-${code}`]);
    expect(n).toBe(1);
  });

  it('replays return decisions with their recorded rule set version', async () => {
    for (const id of ['ret-ontime', 'ret-1day', 'ret-short', 'ret-lost', 'ret-xnet', 'ret-unknown', 'ret-notout']) {
      const res = await t.auditor.post(`/v1/admin/decisions/${id}/replay?type=libraries.return`, undefined);
      expect(res.body).toMatchObject({ match: true });
    }
  });

  it('keeps the ledger verifiable: fines owed equal the receivable, chain intact', async () => {
    const [{ owed }] = await t.dataSource.query(`SELECT coalesce(sum(outstanding_fen), 0)::bigint AS owed FROM libraries.fines WHERE library_id = $1`, [
      LIBS.TIANJIN,
    ]);
    expect(await balance(t, RECEIVABLE)).toBe(-Number(owed));
    const verification = await t.auditor.get('/v1/admin/ledger/verification');
    expect(verification.status).toBe(200);
    expect(verification.body.ok).toBe(true);
  });

  it.each([
    [{ returnId: 'r 1', barcode: 'TJ-0001', returnedAt: LENT }, ['/returnId']],
    [{ returnId: 'r2', barcode: 'TJ-0001', returnedAt: 'yesterday' }, ['/returnedAt']],
    [{ returnId: 'r3', barcode: 'TJ-0001', returnedAt: LENT, cardNo: 'T00000018' }, ['/cardNo']],
    [{ returnId: 'r4', returnedAt: LENT }, ['/barcode']],
  ])('answers 400 for %j', async (body, pointers) => {
    const res = await t.terminal(DESKS.TIANJIN).post('/v1/libraries/returns', body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(pointers);
  });
});
