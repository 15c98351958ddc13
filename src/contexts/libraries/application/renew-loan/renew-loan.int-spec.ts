import { startTestApp, type TestApp } from '@test/support';
import { barcode, desk, DESKS, issueCard, journal, LIBS, setUpLibraries } from '../../testing/fixtures.js';

const LENT = '2026-03-01T10:00:00+08:00';

describe('renewals (real PostgreSQL)', () => {
  let t: TestApp;
  let tj: ReturnType<typeof desk>;
  let items = 0;

  beforeAll(async () => {
    t = await startTestApp();
    await setUpLibraries(t, { TJ: 0, HP: 0, BJ: 0, CY: 0, HB: 0 });
    tj = desk(t, DESKS.TIANJIN);
  });
  afterAll(() => t?.close());

  async function lent(cardNo: string, libraryId: string = LIBS.TIANJIN, at = LENT): Promise<string> {
    const code = barcode('RN', ++items);
    await t.operator.post('/v1/admin/libraries/items', { barcode: code, libraryId, title: `book ${items}` });
    const d = libraryId === LIBS.CAPITAL ? desk(t, DESKS.CAPITAL) : tj;
    expect((await d.lend(`loan-${code}`, cardNo, code, at)).body.decision).toBe('ALLOW');
    return code;
  }

  it('renews once at a desk: the renewal days from the renewal day', async () => {
    const cardNo = await issueCard(t, '12');
    const code = await lent(cardNo);
    const res = await tj.renew('rn-1', cardNo, code, '2026-03-25T12:00:00+08:00');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      decision: 'ALLOW',
      renewalId: 'rn-1',
      cardNo,
      barcode: code,
      loanId: `loan-${code}`,
      dueDate: '2026-04-24',
      previousDueDate: '2026-03-31',
      renewalsUsed: 1,
      renewalsAllowed: 1,
      ruleSet: { id: 'libraries.circulation.tianjin', version: 2 },
    });
    const [loan] = await t.dataSource.query(`SELECT due_date, renewals FROM libraries.loans WHERE loan_id = $1`, [`loan-${code}`]);
    expect(loan).toEqual({ due_date: '2026-04-24', renewals: 1 });
    expect(await journal(t, 'libraries.renewal', 'rn-1')).toMatchObject({
      decision: 'ALLOW',
      subject: cardNo,
      rule_set_id: 'libraries.circulation.tianjin',
      rule_version: 2,
    });
    // The renewed due date decides the fine at return.
    expect((await tj.return('rn-1-ret', code, '2026-04-25T08:00:00+08:00')).body).toMatchObject({ dueDate: '2026-04-24', overdueDays: 1, fineFen: 20 });
  });

  it('refuses a second renewal (RENEWAL_LIMIT_REACHED)', async () => {
    const cardNo = await issueCard(t, '12');
    const code = await lent(cardNo);
    expect((await tj.renew('rn-2a', cardNo, code, '2026-03-30T12:00:00+08:00')).body.decision).toBe('ALLOW');
    const res = await tj.renew('rn-2b', cardNo, code, '2026-04-10T12:00:00+08:00');
    expect(res.body).toMatchObject({ decision: 'DENY', reason: { code: 'RENEWAL_LIMIT_REACHED' }, dueDate: '2026-04-29', renewalsUsed: 1, renewalsAllowed: 1 });
    expect(await journal(t, 'libraries.renewal', 'rn-2b')).toMatchObject({
      decision: 'DENY',
      reason_code: 'RENEWAL_LIMIT_REACHED',
      rule_set_id: 'libraries.circulation.tianjin',
    });
  });

  it('refuses an overdue loan (LOAN_OVERDUE) from 00:00+08:00 the day after the due date', async () => {
    const cardNo = await issueCard(t, '12');
    const code = await lent(cardNo);
    expect((await tj.renew('rn-od', cardNo, code, '2026-04-01T00:00:00+08:00')).body).toMatchObject({
      decision: 'DENY',
      reason: { code: 'LOAN_OVERDUE' },
      dueDate: '2026-03-31',
    });
    expect((await tj.renew('rn-od-ok', cardNo, code, '2026-03-31T15:59:59Z')).body).toMatchObject({ decision: 'ALLOW', dueDate: '2026-04-30' });
  });

  it('renews a Capital loan by 28 days, never shortening it, from the holder app', async () => {
    const cardNo = await issueCard(t, '11');
    const code = await lent(cardNo, LIBS.CAPITAL); // due 2026-04-12
    const res = await desk(t, await t.holderApp(cardNo)).renew('rn-app', cardNo, code, '2026-03-02T09:00:00+08:00');
    expect(res.body).toMatchObject({
      decision: 'ALLOW',
      dueDate: '2026-04-12',
      previousDueDate: '2026-04-12',
      renewalsUsed: 1,
      ruleSet: { id: 'libraries.circulation.beijing', version: 2 },
    });
  });

  it('renews only for the borrower (LOAN_OF_ANOTHER_HOLDER), but with any of their cards (a replacement)', async () => {
    const [owner, other] = [await issueCard(t, '12'), await issueCard(t, '12')];
    const code = await lent(owner);
    const res = await tj.renew('rn-other', other, code, '2026-03-10T09:00:00+08:00');
    expect(res.body).toMatchObject({ decision: 'DENY', reason: { code: 'LOAN_OF_ANOTHER_HOLDER' }, loanId: null, dueDate: null });
    await t.operator.post(`/v1/admin/cards/${owner}/status`, { operation: 'FORMAL_LOSS' });
    expect((await tj.renew('rn-lost', owner, code, '2026-03-10T09:00:00+08:00')).body.reason.code).toBe('CARD_LOST');
    const replacement = (await t.operator.post(`/v1/admin/cards/${owner}/replacement`, {})).body.card.cardNo as string;
    expect(replacement).toMatch(/^T/);
    expect((await tj.renew('rn-new-card', replacement, code, '2026-03-10T09:00:00+08:00')).body).toMatchObject({ decision: 'ALLOW', dueDate: '2026-04-09' });
  });

  it('refuses unknown items and items not on loan, and unknown cards', async () => {
    const cardNo = await issueCard(t, '12');
    expect((await tj.renew('rn-unknown', cardNo, 'NOPE', LENT)).body.reason.code).toBe('ITEM_UNKNOWN');
    await t.operator.post('/v1/admin/libraries/items', { barcode: 'RN-IDLE', libraryId: LIBS.TIANJIN, title: 'idle' });
    expect((await tj.renew('rn-idle', cardNo, 'RN-IDLE', LENT)).body.reason.code).toBe('ITEM_NOT_ON_LOAN');
    expect((await tj.renew('rn-nocard', 'T99999990', 'RN-IDLE', LENT)).body.reason.code).toBe('CARD_UNKNOWN');
  });

  it('two renewals racing for the last allowed one give one renewal', async () => {
    const cardNo = await issueCard(t, '12');
    const code = await lent(cardNo);
    const app = desk(t, await t.holderApp(cardNo));
    const answers = await Promise.all([
      tj.renew('rn-race-a', cardNo, code, '2026-03-20T09:00:00+08:00'),
      app.renew('rn-race-b', cardNo, code, '2026-03-20T09:00:00+08:00'),
    ]);
    expect(answers.map((a) => a.body.decision).sort()).toEqual(['ALLOW', 'DENY']);
    expect(answers.find((a) => a.body.decision === 'DENY')!.body.reason.code).toBe('RENEWAL_LIMIT_REACHED');
    const [{ renewals }] = await t.dataSource.query(`SELECT renewals FROM libraries.loans WHERE loan_id = $1`, [`loan-${code}`]);
    expect(renewals).toBe(1);
  });

  it('is idempotent by renewalId and replays with the recorded rule version', async () => {
    const first = await t.terminal(DESKS.TIANJIN).post('/v1/libraries/renewals', {
      renewalId: 'rn-1',
      cardNo: (await journal(t, 'libraries.renewal', 'rn-1'))!.subject,
      barcode: 'RN-0001',
      renewedAt: '2026-03-25T12:00:00+08:00',
    });
    expect(first.headers.get('idempotent-replayed')).toBe('true');
    for (const id of ['rn-1', 'rn-2b', 'rn-od', 'rn-other', 'rn-lost', 'rn-unknown', 'rn-idle']) {
      expect((await t.auditor.post(`/v1/admin/decisions/${id}/replay?type=libraries.renewal`, undefined)).body).toMatchObject({ match: true });
    }
  });
});
