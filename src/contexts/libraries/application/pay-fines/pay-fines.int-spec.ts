import { startTestApp, type TestApp } from '@test/support';
import { balance, barcode, desk, DESKS, entriesOf, issueCard, journal, LIBS, setUpLibraries, topUpBank } from '../../testing/fixtures.js';

const LENT = '2026-03-01T10:00:00+08:00';

describe('fines block borrowing until paid (real PostgreSQL, ledger)', () => {
  let t: TestApp;
  let tj: ReturnType<typeof desk>;
  let hp: ReturnType<typeof desk>;
  let items = 0;

  beforeAll(async () => {
    t = await startTestApp();
    await setUpLibraries(t, { TJ: 0, HP: 0, BJ: 0, CY: 0, HB: 0 });
    tj = desk(t, DESKS.TIANJIN);
    hp = desk(t, DESKS.HEPING);
  });
  afterAll(() => t?.close());

  async function item(libraryId: string): Promise<string> {
    const code = barcode('PF', ++items);
    await t.operator.post('/v1/admin/libraries/items', { barcode: code, libraryId, title: `book ${items}` });
    return code;
  }

  /** Lends a new item of `libraryId` and returns it `days` late with the card's bank balance as it is. */
  async function lateReturn(cardNo: string, libraryId: string, days: number): Promise<Record<string, any>> {
    const code = await item(libraryId);
    const d = libraryId === LIBS.HEPING ? hp : tj;
    expect((await d.lend(`loan-${code}`, cardNo, code, LENT)).body.decision).toBe('ALLOW');
    const returnedAt = new Date(Date.parse('2026-03-31T12:00:00+08:00') + days * 86_400_000).toISOString();
    const res = await d.return(`ret-${code}`, code, returnedAt);
    expect(res.body).toMatchObject({ decision: 'ALLOW', overdueDays: days });
    return res.body;
  }

  it('blocks borrowing above the 10-yuan threshold (FINES_OUTSTANDING), and lends again once paid', async () => {
    const cardNo = await issueCard(t, '12', 0);
    expect(await lateReturn(cardNo, LIBS.TIANJIN, 50)).toMatchObject({ fineFen: 1000, fineChargedFen: 0, finesOutstandingFen: 1000 });
    // At the threshold: still lends.
    const ok = await item(LIBS.TIANJIN);
    expect((await tj.lend('pf-at', cardNo, ok, '2026-05-21T09:00:00+08:00')).body).toMatchObject({ decision: 'ALLOW', finesOutstandingFen: 1000 });
    expect((await tj.return('pf-at-ret', ok, '2026-05-21T10:00:00+08:00')).body.fineFen).toBe(0);
    // One more day's fine puts it above.
    expect(await lateReturn(cardNo, LIBS.HEPING, 1)).toMatchObject({ fineFen: 20, finesOutstandingFen: 1020 });
    const blocked = await item(LIBS.TIANJIN);
    const refused = await tj.lend('pf-blocked', cardNo, blocked, '2026-05-21T11:00:00+08:00');
    expect(refused.body).toMatchObject({
      decision: 'DENY',
      reason: { code: 'FINES_OUTSTANDING' },
      finesOutstandingFen: 1020,
      ruleSet: { id: 'libraries.circulation.tianjin', version: 2 },
    });

    // No money: the payment is refused and nothing moves.
    const short = await tj.pay('pay-short', cardNo, '2026-05-21T11:05:00+08:00');
    expect(short.body).toMatchObject({ decision: 'DENY', reason: { code: 'INSUFFICIENT_BALANCE' }, amountFen: 1020, finesOutstandingFen: 1020, balanceFen: 0 });
    await topUpBank(t, cardNo, 5_000);

    // Paying 30 fen brings it below the threshold: borrowing is unblocked. Oldest fines first (by
    // return time): the Heping one (returned 1 April), then 10 fen of the Tianjin one (20 May).
    const part = await tj.pay('pay-part', cardNo, '2026-05-21T11:10:00+08:00', 30);
    expect(part.body).toEqual({ decision: 'ALLOW', paymentId: 'pay-part', cardNo, amountFen: 30, finesOutstandingFen: 990, balanceFen: 4_970 });
    expect(await entriesOf(t, 'libraries.fine-payment', 'pay-part')).toEqual([
      [`card:${cardNo}:bank`, -20],
      [`venue:${LIBS.HEPING}:fines-receivable`, 20],
      [`card:${cardNo}:bank`, -10],
      [`venue:${LIBS.TIANJIN}:fines-receivable`, 10],
    ]);
    expect((await tj.lend('pf-unblocked', cardNo, blocked, '2026-05-21T11:15:00+08:00')).body.decision).toBe('ALLOW');

    // The rest, from the holder app.
    const rest = await desk(t, await t.holderApp(cardNo)).pay('pay-rest', cardNo, '2026-05-21T11:20:00+08:00');
    expect(rest.body).toMatchObject({ decision: 'ALLOW', amountFen: 990, finesOutstandingFen: 0, balanceFen: 3_980 });
    expect(await entriesOf(t, 'libraries.fine-payment', 'pay-rest')).toEqual([
      [`card:${cardNo}:bank`, -990],
      [`venue:${LIBS.TIANJIN}:fines-receivable`, 990],
    ]);
    expect(await balance(t, `venue:${LIBS.TIANJIN}:fines-receivable`)).toBe(0);
    expect(await balance(t, `venue:${LIBS.HEPING}:fines-receivable`)).toBe(0);
    expect(await balance(t, `venue:${LIBS.TIANJIN}:revenue`)).toBe(1000);
    expect(await balance(t, `venue:${LIBS.HEPING}:revenue`)).toBe(20);
    const fines = await t.dataSource.query(`SELECT fine_id, paid_fen, outstanding_fen FROM libraries.fines WHERE card_no = $1 ORDER BY charged_at`, [cardNo]);
    expect(fines.map((f: { paid_fen: number; outstanding_fen: number }) => [f.paid_fen, f.outstanding_fen])).toEqual([
      [20, 0],
      [1000, 0],
    ]);
  });

  it('refuses with nothing owed (NO_OUTSTANDING_FINES) and more than owed (AMOUNT_EXCEEDS_OUTSTANDING_FINES)', async () => {
    const cardNo = await issueCard(t, '12', 1_000);
    expect((await tj.pay('pay-none', cardNo, LENT)).body).toMatchObject({
      decision: 'DENY',
      reason: { code: 'NO_OUTSTANDING_FINES' },
      amountFen: 0,
      finesOutstandingFen: 0,
      balanceFen: 1_000,
    });
    const code = await item(LIBS.TIANJIN);
    expect((await tj.lend('pf-lost-loan', cardNo, code, LENT)).body.decision).toBe('ALLOW');
    await t.operator.post(`/v1/admin/cards/${cardNo}/status`, { operation: 'TEMPORARY_LOSS' });
    // A lost card is not charged: 40 owed.
    expect((await tj.return('pf-lost-ret', code, '2026-04-02T09:00:00+08:00')).body).toMatchObject({ fineFen: 40, fineOutstandingFen: 40 });
    expect((await tj.pay('pay-lost', cardNo, '2026-04-02T09:05:00+08:00')).body.reason.code).toBe('CARD_LOST');
    await t.operator.post(`/v1/admin/cards/${cardNo}/status`, { operation: 'CANCEL_LOSS' });
    expect((await tj.pay('pay-over', cardNo, '2026-04-10T09:00:00+08:00', 41)).body).toMatchObject({
      decision: 'DENY',
      reason: { code: 'AMOUNT_EXCEEDS_OUTSTANDING_FINES' },
      finesOutstandingFen: 40,
    });
    expect(await journal(t, 'libraries.fine-payment', 'pay-over')).toMatchObject({
      decision: 'DENY',
      reason_code: 'AMOUNT_EXCEEDS_OUTSTANDING_FINES',
      legs: 0,
    });
    expect((await tj.pay('pay-exact', cardNo, '2026-04-10T09:00:00+08:00', 40)).body).toMatchObject({
      decision: 'ALLOW',
      finesOutstandingFen: 0,
      balanceFen: 960,
    });
    expect((await tj.pay('pay-unknown', 'T99999990', '2026-04-10T09:00:00+08:00')).body.reason.code).toBe('CARD_UNKNOWN');
  });

  it('is idempotent by paymentId, replays with the same outcome, and validates the amount', async () => {
    const retry = await tj.pay('pay-exact', (await journal(t, 'libraries.fine-payment', 'pay-exact'))!.subject as string, '2026-04-10T09:00:00+08:00', 40);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    for (const id of ['pay-short', 'pay-part', 'pay-rest', 'pay-none', 'pay-over', 'pay-exact']) {
      expect((await t.auditor.post(`/v1/admin/decisions/${id}/replay?type=libraries.fine-payment`, undefined)).body).toMatchObject({ match: true });
    }
    for (const amountFen of [0, -5, 10.5, '100']) {
      const res = await t.terminal(DESKS.TIANJIN).post('/v1/libraries/fines/payments', { paymentId: 'pay-bad', cardNo: 'T00000018', amountFen, paidAt: LENT });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/amountFen']);
    }
    expect((await t.auditor.get('/v1/admin/ledger/verification')).body.ok).toBe(true);
  });
});
